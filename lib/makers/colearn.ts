/**
 * Makers and taker learning against each other, and whether the learned play settles or
 * cycles.
 *
 * {@linkcode coLearn} is `trainMakers` with a learning taker (`{kind: "q"}` by default) and every
 * check's greedy snapshot kept. Two sides are followed from check to check: **makers** (all
 * learning makers together) and **taker**. For each side and check `c`:
 *
 * - `change`: its policy change since check `c − 1` (the largest over its learners);
 * - `recurrence`: how close its policy came back to an *older* one, `min over c' ≤ c − 2` of the
 *   fraction of states (visited by `c'`) whose greedy action at `c'` is no longer greedy at `c`.
 *
 * Both count material changes only, with the run's convergence `margin` (the greedy action of
 * the earlier check is worse than the later best by more than `margin · |best|`), as `trainMakers`'s
 * convergence criterion does.
 *
 * A side that keeps changing (`change > tol`) while returning to policies it held before
 * (`recurrence ≤ tol`) is going round in a cycle; a side whose change stays ≤ tol has settled.
 *
 * **Verdict** (over the last `window` checks, default `max(patience, ⌈checks / 3⌉)`):
 * - `"settled"`: at each of the last `patience` checks both sides changed by at most `tol`
 *   (the convergence criterion of `trainMakers`, holding at the end);
 * - `"cycling"`: not settled, and in at least half of the window's checks the joint play (both
 *   sides at once) returned to an earlier joint profile (`recurrence ≤ tol` for both) although
 *   it had just changed (`change > tol` for some side); the typical period is the median
 *   distance, in checks, back to the profile it returned to;
 * - `"drifting"`: neither (still moving, not back to earlier play).
 *
 * @module
 */
import pl from "nodejs-polars";
import {
  anything,
  arrayOf,
  checkInt,
  checkKeys,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  int,
  num,
  object,
  optional,
  variant,
} from "../errors.ts";
import { Q_TAKER_OPTIONS, type QTakerOptions } from "./q_taker.ts";
import {
  type MakersTrainConfig,
  type MakersTrainResult,
  type PolicySnapshot,
  trainMakers,
} from "./train.ts";

/** Configuration of {@linkcode coLearn}: a training config whose taker learns. */
export interface CoLearnConfig extends Omit<MakersTrainConfig, "taker" | "keepSnapshots"> {
  /** The learning taker's options. Default `{kind: "q"}`. */
  taker?: { readonly kind: "q" } & QTakerOptions;
  /** Checks the verdict looks back over. Default `max(patience, ⌈checks / 3⌉)`. */
  window?: number;
}

/** Every key of {@linkcode CoLearnConfig} (the compiler keeps the list complete). */
const CO_LEARN_KEYS = {
  label: 1,
  game: 1,
  policy: 1,
  learner: 1,
  episodes: 1,
  evalEvery: 1,
  evalEpisodes: 1,
  evalSeed: 1,
  convergence: 1,
  stopWhenConverged: 1,
  init: 1,
  progressEvery: 1,
  onProgress: 1,
  taker: 1,
  window: 1,
} as const satisfies Record<keyof CoLearnConfig, 1>;

const CO_LEARN_OWN = {
  window: optional(int(1, 1e9)),
  taker: optional(variant("kind", { q: { kind: anything(), ...Q_TAKER_OPTIONS } })),
};

/** The outcome of {@linkcode coLearn}. */
export interface CoLearnResult {
  /** The training run (records, learners, convergence). */
  readonly run: MakersTrainResult;
  /**
   * Per check and side: `check`, `episode`, `side` (`makers`/`taker`), `change`, `recurrence`,
   * `back` (checks back to the closest older policy), `eval_pnl` (the side's mean evaluation PnL:
   * the makers' sum, or the taker's).
   */
  readonly dynamics: pl.DataFrame;
  /** `"settled"`, `"cycling"` or `"drifting"` (see the module doc). */
  readonly outcome: "settled" | "cycling" | "drifting";
  /** Episode from which both sides stayed within `tol` to the end, or null. */
  readonly settledAt: number | null;
  /** With `"cycling"`: the median period in checks; otherwise null. */
  readonly period: number | null;
}

/**
 * Fraction of the states visited at the earlier snapshot `a` whose greedy action is no longer
 * greedy at the later `b`: with `b.table`, its value at `b` is below `b`'s best by more than
 * `margin · |best|` (the material change of `createPolicyTracker`); without, it differs.
 */
function distance(a: PolicySnapshot, b: PolicySnapshot, margin: number): number {
  let n = 0, d = 0;
  const q = b.table;
  const nA = q === undefined ? 0 : q.length / b.policy.length;
  for (let s = 0; s < a.policy.length; s++) {
    if (a.visited[s] !== 1) continue;
    n++;
    const old = a.policy[s], now = b.policy[s];
    if (old === now) continue;
    if (q === undefined) d++;
    else {
      const best = q[s * nA + now];
      if (q[s * nA + old] < best - margin * Math.abs(best)) d++;
    }
  }
  return n === 0 ? 0 : d / n;
}

/**
 * Co-learning of makers and taker, with the settle-or-cycle verdict.
 *
 * @example
 * ```ts
 * import { coLearn } from "./colearn.ts";
 * const res = coLearn({
 *   game: { makers: 1, steps: 10, seed: 1, game: { kind: "known", size: 1000 } },
 *   episodes: 100,
 *   evalEvery: 10,
 *   evalEpisodes: 1,
 * });
 * if (res.dynamics.height !== 2 * res.run.checks) throw new Error("two sides per check");
 * if (!["settled", "cycling", "drifting"].includes(res.outcome)) throw new Error();
 * ```
 */
export function coLearn(config: CoLearnConfig): CoLearnResult {
  // Its own fields here; the training fields are checked by `trainMakers`.
  checkObject("config", config, "an object of coLearn's options");
  checkKeys(config, Object.keys(CO_LEARN_KEYS), { owner: "coLearn" });
  checkOptions({ window: config.window, taker: config.taker }, CO_LEARN_OWN, { owner: "coLearn" });
  const { window: win, taker, ...rest } = config;
  const run = trainMakers({
    label: "colearn",
    ...rest,
    taker: taker ?? { kind: "q" },
    keepSnapshots: true,
  });
  const C = run.checks;
  const { tol, patience } = run.convergence;
  const sides = [
    { side: "makers", agents: run.learners.filter((l) => l.index >= 0).map((l) => l.agent) },
    { side: "taker", agents: run.learners.filter((l) => l.index < 0).map((l) => l.agent) },
  ];
  const d = playDynamics({
    sides: sides.map(({ agents }) => agents.map((a) => run.snapshots!.get(a)!)),
    tol,
    patience,
    margin: run.convergence.margin,
    window: win,
  });
  const { change, recurrence: recur, back } = d;
  // Episodes of each check and evaluation PnL per side, from the records.
  const checkRows = run.records.filter(pl.col("check").isNotNull());
  const evalBy = (agentFilter: pl.Expr) =>
    checkRows.filter(agentFilter).groupBy("check").agg(
      pl.col("episode").first().alias("episode"),
      pl.col("eval_pnl").sum().alias("eval_pnl"),
    ).sort("check");
  const makersEval = evalBy(pl.col("role").eq(pl.lit("maker")));
  const takerEval = evalBy(pl.col("role").eq(pl.lit("taker")));
  const episodeOf = takerEval.getColumn("episode").toArray() as number[];
  const evals = [
    makersEval.getColumn("eval_pnl").toArray() as number[],
    takerEval.getColumn("eval_pnl").toArray() as number[],
  ];
  const rows = { check: [] as number[], episode: [] as number[], side: [] as string[] };
  const vals = { change: [] as number[], recurrence: [] as number[], back: [] as number[] };
  const ev: number[] = [];
  for (let c = 0; c < C; c++) {
    sides.forEach(({ side }, k) => {
      rows.check.push(c);
      rows.episode.push(episodeOf[c] + 1);
      rows.side.push(side);
      vals.change.push(change[k][c]);
      vals.recurrence.push(recur[k][c]);
      vals.back.push(back[k][c]);
      ev.push(evals[k][c] ?? NaN);
    });
  }
  const dynamics = pl.DataFrame([
    pl.Series("check", rows.check).cast(pl.Int32),
    pl.Series("episode", rows.episode).cast(pl.Int32),
    pl.Series("side", rows.side, pl.Utf8),
    pl.Series("change", vals.change, pl.Float64),
    pl.Series("recurrence", vals.recurrence, pl.Float64),
    pl.Series("back", vals.back.map((b) => (b < 0 ? null : b))).cast(pl.Int32),
    pl.Series("eval_pnl", ev, pl.Float64),
  ]).withColumns(
    pl.col("change").fillNan(null),
    pl.col("recurrence").fillNan(null),
    pl.col("eval_pnl").fillNan(null),
  );
  return {
    run,
    dynamics,
    outcome: d.outcome,
    settledAt: d.settledFrom === null ? null : episodeOf[d.settledFrom] + 1,
    period: d.period,
  };
}

/** Options of {@linkcode playDynamics}. */
export interface PlayDynamicsOptions {
  /** Per side, per learner of the side, its snapshot at every check (same number of checks). */
  sides: readonly (readonly (readonly PolicySnapshot[])[])[];
  /** A check is calm for a side when its change is ≤ tol. */
  tol: number;
  /** Calm checks at the end needed for "settled". */
  patience: number;
  /** Checks the cycle test looks back over. Default `max(patience, ⌈checks / 3⌉)`. */
  window?: number;
  /** Relative margin of a material change (snapshots with tables only). Default 0. */
  margin?: number;
}

/** A field holding a typed array of class `c`. */
function typed<T>(c: new (n: number) => T) {
  return custom(`a ${c.name}`, (v, path) => {
    if (!(v instanceof c)) throw new ConfigError(path, `a ${c.name}`, v);
    return v;
  });
}

const PLAY_DYNAMICS = {
  sides: arrayOf(
    arrayOf(
      arrayOf(object({
        policy: typed(Int32Array),
        visited: typed(Uint8Array),
        table: optional(typed(Float64Array)),
      })),
    ),
  ),
  tol: num(0, 1),
  patience: int(1, 1e9),
  window: optional(int(1, 1e9)),
  margin: optional(num(0, 1), 0),
};

/** Per-check dynamics and the verdict (see the module doc). */
export interface PlayDynamics {
  /** Per side and check: policy change since the previous check (NaN at check 0). */
  readonly change: readonly Float64Array[];
  /** Per side and check: distance to the closest policy of 2 or more checks before (NaN if none). */
  readonly recurrence: readonly Float64Array[];
  /** Per side and check: how many checks back that policy was, the most recent among equally close ones (−1 if none). */
  readonly back: readonly Int32Array[];
  /** The verdict. */
  readonly outcome: "settled" | "cycling" | "drifting";
  /** First check of the final calm stretch if settled, else null. */
  readonly settledFrom: number | null;
  /** Median period in checks if cycling, else null. */
  readonly period: number | null;
}

/**
 * The settle-or-cycle analysis of a sequence of policy snapshots (pure; used by
 * {@linkcode coLearn}, testable on hand-made sequences).
 *
 * @example
 * ```ts
 * import { playDynamics } from "./colearn.ts";
 * const snap = (a: number) => ({ policy: Int32Array.of(a), visited: Uint8Array.of(1) });
 * const flip = Array.from({ length: 12 }, (_, c) => snap(c % 2)); // A, B, A, B, ...
 * const d = playDynamics({ sides: [[flip]], tol: 0.05, patience: 3 });
 * if (d.outcome !== "cycling" || d.period !== 2) throw new Error("period-2 cycle");
 * ```
 */
export function playDynamics(options: PlayDynamicsOptions): PlayDynamics {
  const { tol, patience, margin } = checkOptions(options, PLAY_DYNAMICS, {
    owner: "playDynamics",
  });
  const { sides } = options;
  const C = sides.flat().reduce((m, list) => Math.max(m, list.length), 0);
  const window = checkInt("window", options.window ?? Math.max(patience, Math.ceil(C / 3)), 1, 1e9);
  const at = (list: readonly PolicySnapshot[], c: number) => {
    if (list.length !== C) {
      throw new ConfigError("sides", `snapshot lists of ${C} checks`, list.length);
    }
    return list[c];
  };
  const far = (learners: readonly (readonly PolicySnapshot[])[], c2: number, c: number) => {
    let d = 0;
    for (const list of learners) d = Math.max(d, distance(at(list, c2), at(list, c), margin));
    return d;
  };
  const change = sides.map(() => new Float64Array(C).fill(NaN));
  const recurrence = sides.map(() => new Float64Array(C).fill(NaN));
  const back = sides.map(() => new Int32Array(C).fill(-1));
  const jointRecur = new Float64Array(C).fill(NaN);
  const jointBack = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    sides.forEach((learners, k) => {
      if (c > 0) change[k][c] = far(learners, c - 1, c);
      for (let c2 = c - 2; c2 >= 0; c2--) {
        const d = far(learners, c2, c);
        if (!(d >= recurrence[k][c])) {
          recurrence[k][c] = d;
          back[k][c] = c - c2;
        }
      }
    });
    // Joint: both sides back to the same older check.
    for (let c2 = c - 2; c2 >= 0; c2--) {
      let d = 0;
      for (const learners of sides) d = Math.max(d, far(learners, c2, c));
      if (!(d >= jointRecur[c])) {
        jointRecur[c] = d;
        jointBack[c] = c - c2;
      }
    }
  }
  const calm = (c: number) => change.every((ch) => ch[c] <= tol);
  let from = C;
  while (from > 0 && calm(from - 1)) from--;
  const settled = C - from >= patience;
  const periods: number[] = [];
  const first = Math.max(0, C - window);
  for (let c = first; c < C; c++) {
    if (!calm(c) && jointRecur[c] <= tol) periods.push(jointBack[c]);
  }
  const cycling = !settled && periods.length >= Math.max(1, Math.ceil((C - first) / 2));
  periods.sort((a, b) => a - b);
  return {
    change,
    recurrence,
    back,
    outcome: settled ? "settled" : cycling ? "cycling" : "drifting",
    settledFrom: settled ? from : null,
    period: cycling ? periods[Math.floor(periods.length / 2)] : null,
  };
}
