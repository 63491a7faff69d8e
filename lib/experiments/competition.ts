/**
 * Experiments of notebook 04 (competition): n = 0, 1, 2, … Q-learning makers in one book against
 * one taker, and the fixed-rule benchmarks that put their profit between competition and
 * collusion (the profit gain Δ of Calvano et al. 2020).
 *
 * ## Learning runs ({@linkcode learnJob})
 * For each (taker, n, seed): `n` independent Q-learning makers (`lib/makers`, library defaults:
 * visit-count learning rate, ε linear from 1 to 0.05 over 80 % of the episodes, then 0.05) are
 * trained together for `episodes` episodes on the game seeded with `seed`; then their final greedy
 * policies (no exploration, no learning) are replayed for `evalEpisodes` episodes on the run's own
 * evaluation seeds (`"eval:<seed>:0"`, `"eval:<seed>:1"`, …), with recording on. (Seeds shared by
 * all runs would give every run the same sequence of update orders, so whichever maker index that
 * sequence happens to favour in ties would be favoured in every run.) With
 * n = 0 nothing is trained: the same evaluation shows what the taker pays the background alone.
 * What is reported is the greedy play, not the exploring training episodes.
 *
 * ## The fixed-rule game and the benchmarks ({@linkcode rulesJob}, {@linkcode ruleBenchmarks})
 * A **fixed rule** `(offset, qty)` is the replenisher baseline: hold the bid at `P0 − offset` and
 * restore it to `qty` after every fill. Restricted to a family of such rules (a grid of offsets ×
 * quantities), the episode is a one-shot game in which each maker picks a rule and earns its PnL
 * share. For every symmetric profile `s` (all makers play `s`) and every rule `d`, the job plays
 * maker 0 on `d` against `n − 1` makers on `s` (common random numbers: the same seeds for every
 * pair), which gives
 *
 * - `π(s)`: the per-maker payoff of the symmetric profile (mean over makers and episodes), and
 * - `gain(s)`: the most a single maker gains by switching to another rule of the family.
 *
 * The benchmarks, per (taker, n):
 *
 * - **Collusive** `π_M`: the best symmetric rule for the group, `max_s π(s)`: the joint profit a
 *   cartel that may only pick one fixed rule for all its members gets, per member.
 * - **Competitive** `π_N`: the most profitable symmetric pure Nash equilibrium of the rule game,
 *   `max {π(s) : gain(s) ≤ tol}`. Taking the *most* profitable equilibrium is the conservative
 *   choice: it credits competition with as much profit as any equilibrium allows, so a learned
 *   profit above it is not explained by any fixed-rule equilibrium. With n = 1 the equilibrium is
 *   the monopolist's best rule and `π_N = π_M` (Δ is undefined).
 * - **Bertrand** `π_B`: every maker bids at P0 (offset 0) with the family's largest quantity, the
 *   most competitive level: the taker sells at P0, its cost and so every share is about zero.
 *   Reported with whether it is an equilibrium of the family.
 *
 * The **profit gain** of a learned run is `Δ = (π − π_N) / (π_M − π_N)` ({@linkcode profitGain}),
 * with `π` the learned makers' mean per-maker PnL in greedy play: 0 at the competitive benchmark,
 * 1 at the collusive one. `Δ_B` uses `π_B` instead of `π_N`. Limits: both benchmarks live in the
 * family of *fixed* rules, while learners play state-dependent policies (they can pull a bid when
 * the taker is about to sell); a learned profit above `π_M` (Δ > 1) is possible and means the
 * fixed-rule cartel is not the true joint optimum; mixed and asymmetric equilibria are not
 * searched.
 *
 * ## Frames
 * Jobs return rows tagged with a `table` column; {@linkcode splitCompetition} splits a sweep's
 * merged frame into {@linkcode CompetitionFrames}. {@linkcode runCompetition} runs everything on
 * Web Workers (`lib/sweep`): the frames are identical for any worker count.
 *
 * @example
 * ```ts
 * import { learnJob, splitCompetition } from "./competition.ts";
 * import { pl } from "../report/mod.ts";
 * const taker = { label: "TWAP", taker: { kind: "passive" } } as const;
 * const rows = learnJob({ kind: "learn", taker, n: 2, seed: 1, episodes: 40, evalEpisodes: 2 });
 * const f = splitCompetition(pl.DataFrame(rows));
 * if (f.runs.height !== 1 || f.makers.height !== 2) throw new Error("one run, two makers");
 * ```
 * @module
 */
import { NONE } from "../book/mod.ts";
import { checkInt, checkNum, ConfigError } from "../errors.ts";
import { createGame, type MakerPolicySpec } from "../game/mod.ts";
import { greedyPolicies, type TrainGameConfig, trainMakers } from "../makers/mod.ts";
import { pl } from "../report/frames.ts";
import { sweep } from "../sweep/mod.ts";
import type { TakerSpec } from "../takers/mod.ts";

/** A taker strategy with the label it carries in the frames. */
export interface CompetitionTaker {
  /** Label, e.g. `"reactive"`. */
  readonly label: string;
  /** The strategy (plain data). */
  readonly taker: TakerSpec;
}

/** Game settings shared by every run (plain data; the maker count, seed and agents are set here). */
export type CompetitionGame = Omit<TrainGameConfig, "makers" | "seed">;

/** A family of fixed rules: every offset × every quantity. */
export interface RuleFamily {
  /** Bid offsets below P0, in ticks (within the game's bid bounds). */
  readonly offsets: readonly number[];
  /** Target quantities (within the game's bid bounds). */
  readonly qtys: readonly number[];
}

/** The default family: offsets 0–6 ticks × quantities 100–1,600 (35 rules). */
export const DEFAULT_FAMILY: RuleFamily = Object.freeze({
  offsets: Object.freeze([0, 1, 2, 3, 4, 5, 6]),
  qtys: Object.freeze([100, 200, 400, 800, 1600]),
});

/** A learning run: train n Q-makers, then replay their greedy policies. */
export interface LearnJob {
  /** Job kind. */
  readonly kind: "learn";
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Number of makers, all Q-learners (0: the taker against the background alone). */
  readonly n: number;
  /** Root seed of the training game (the learners' and the game's streams). */
  readonly seed: number;
  /** Training episodes. */
  readonly episodes: number;
  /** Greedy evaluation episodes at the end (seeds `"eval:<seed>:0"` …). */
  readonly evalEpisodes: number;
  /** Convergence checks during training (`evalEvery = ⌊episodes / checks⌋`), ≤ `episodes`. Default 50 (at most `episodes`). */
  readonly checks?: number;
  /** Greedy evaluation episodes per check (the learning curve). Default 5. */
  readonly checkEpisodes?: number;
  /** Game settings. Default: the game's defaults (game 1, Q = 8,000, N = 60). */
  readonly game?: CompetitionGame;
}

/** A fixed-rule job: the symmetric profiles and unilateral deviations of a rule family. */
export interface RulesJob {
  /** Job kind. */
  readonly kind: "rules";
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Number of makers, ≥ 1. */
  readonly n: number;
  /** The rule family. */
  readonly family: RuleFamily;
  /** Episodes per profile (seeds `"<seed>:0"` …, the same for every profile). */
  readonly episodes: number;
  /** Root seed. */
  readonly seed: number;
  /** Game settings. */
  readonly game?: CompetitionGame;
}

/** A job of the competition study. */
export type CompetitionJob = LearnJob | RulesJob;

/** A row of a job's result (the `table` column says which frame it belongs to). */
export type CompetitionRow = Record<string, number | string | boolean | null>;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

function checkTaker(field: string, t: unknown): CompetitionTaker {
  const o = t as CompetitionTaker;
  if (typeof o !== "object" || o === null || typeof o.label !== "string" || o.label === "") {
    throw new ConfigError(field, "{label, taker} with a non-empty label", t);
  }
  if (typeof o.taker !== "object" || o.taker === null) {
    throw new ConfigError(`${field}.taker`, 'a taker spec such as {kind: "reactive"}', o.taker);
  }
  return o;
}

/** Accumulated greedy-play statistics of one configuration. */
interface Played {
  makerPnl: Float64Array;
  makerShare: Float64Array;
  makerVolume: Float64Array;
  makerMtm: Float64Array;
  makerOffset: Float64Array;
  makerFinalOffset: Float64Array;
  makerResting: Float64Array;
  makerQty: Float64Array;
  takerPnl: number;
  shortfallBps: number;
  backgroundShare: number;
  stepOffset: Float64Array;
  stepResting: Float64Array;
  stepQty: Float64Array;
  stepBest: Float64Array;
  stepSold: Float64Array;
}

/**
 * Plays `episodes` episodes of a configuration with recording on, each re-seeded from
 * `"<seedRoot>:<k>"`, and averages what the frames report (per maker, per step).
 */
function play(
  config: Parameters<typeof createGame>[0] & { makers: number },
  episodes: number,
  seedRoot: string,
): Played {
  const n = config.makers;
  const game = createGame({ ...config, record: true });
  const steps = game.config.steps, p0 = game.config.p0;
  const out: Played = {
    makerPnl: new Float64Array(n),
    makerShare: new Float64Array(n),
    makerVolume: new Float64Array(n),
    makerMtm: new Float64Array(n),
    makerOffset: new Float64Array(n),
    makerFinalOffset: new Float64Array(n),
    makerResting: new Float64Array(n),
    makerQty: new Float64Array(n),
    takerPnl: 0,
    shortfallBps: 0,
    backgroundShare: 0,
    stepOffset: new Float64Array(steps),
    stepResting: new Float64Array(steps),
    stepQty: new Float64Array(steps),
    stepBest: new Float64Array(steps),
    stepSold: new Float64Array(steps),
  };
  const bestCount = new Float64Array(steps);
  const w = 1 / episodes;
  for (let e = 0; e < episodes; e++) {
    const s = game.run(`${seedRoot}:${e}`);
    const r = game.record();
    out.takerPnl += w * s.takerPnl;
    out.shortfallBps += w * s.shortfallBps;
    out.backgroundShare += w * s.backgroundShare;
    for (let i = 0; i < n; i++) {
      out.makerPnl[i] += w * s.makerPnl[i];
      out.makerShare[i] += w * s.makerShare[i];
      out.makerVolume[i] += w * s.makerVolume[i];
      out.makerMtm[i] += w * s.makerMtm[i];
      out.makerFinalOffset[i] += w * (p0 - s.finalPrice[i]);
    }
    for (let t = 0; t < steps; t++) {
      const base = t * (n + 2);
      for (let i = 0; i < n; i++) {
        const off = p0 - r.bidPrice[base + i], q = r.bidQty[base + i];
        out.makerOffset[i] += (w / steps) * off;
        out.makerResting[i] += (w / steps) * (q > 0 ? 1 : 0);
        out.makerQty[i] += (w / steps) * q;
        if (n > 0) {
          out.stepOffset[t] += (w / n) * off;
          out.stepResting[t] += (w / n) * (q > 0 ? 1 : 0);
          out.stepQty[t] += (w / n) * q;
        }
      }
      if (r.bestBid[t] !== NONE) {
        out.stepBest[t] += p0 - r.bestBid[t];
        bestCount[t]++;
      }
      out.stepSold[t] += w * r.takerFilled[t];
    }
  }
  for (let t = 0; t < steps; t++) {
    out.stepBest[t] = bestCount[t] > 0 ? out.stepBest[t] / bestCount[t] : NaN;
    if (n === 0) out.stepOffset[t] = out.stepResting[t] = out.stepQty[t] = NaN;
  }
  return out;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const mean = (a: ArrayLike<number>) => (a.length > 0 ? sum(a) / a.length : NaN);

/**
 * Trains `n` Q-learning makers against the job's taker and replays their greedy policies (see the
 * module doc). Rows (`table` column):
 *
 * - `"run"` (one): `taker`, `n`, `seed`, `episodes`; greedy play: `maker_pnl` (mean per maker),
 *   `makers_pnl` (sum), `pnl_min` / `pnl_max` (across makers), `taker_pnl`, `taker_cost`
 *   (−taker PnL), `shortfall_bps`, `makers_share`, `background_share`, `offset` / `final_offset`
 *   (mean bid offset from P0 over steps / at the end, ticks, mean over makers), `resting`
 *   (fraction of steps with a resting bid); learning: `converged` (criterion met),
 *   `converged_episode`, `late_change` (mean largest policy change over the checks of the last
 *   20 % of training, where ε is at its floor), `final_change`, `visited` (states visited, mean
 *   over makers), `states` (state count), `coverage` (`visited / states`).
 * - `"maker"` (one per maker): `taker`, `n`, `seed`, `maker`, `pnl`, `share`, `volume`, `mtm`,
 *   `offset`, `final_offset`, `resting`, `qty` (mean resting quantity).
 * - `"check"` (one per check): `taker`, `n`, `seed`, `check`, `episode`, `policy_change` (largest
 *   over makers), `eval_makers_pnl` (sum over makers of the check's greedy evaluation PnL),
 *   `eval_taker_pnl`.
 * - `"step"` (one per step): `taker`, `n`, `seed`, `step`, `offset`, `resting`, `qty` (means over
 *   makers and episodes), `best_offset` (P0 − best bid after the step), `sold` (taker's fills).
 */
export function learnJob(job: LearnJob): CompetitionRow[] {
  const taker = checkTaker("taker", job.taker);
  const n = checkInt("n", job.n, 0, 64);
  const episodes = checkInt("episodes", job.episodes, 1, 1e9);
  const evalEpisodes = checkInt("evalEpisodes", job.evalEpisodes, 1, 1e6);
  const checks = checkInt("checks", job.checks ?? Math.min(50, episodes), 1, episodes);
  const checkEpisodes = checkInt("checkEpisodes", job.checkEpisodes ?? 5, 0, 1e6);
  const seed = checkNum("seed", job.seed, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const game = job.game ?? {};
  const key = { taker: taker.label, n, seed };
  const rows: CompetitionRow[] = [];

  let policy: MakerPolicySpec[] = [];
  const learning: CompetitionRow = {
    episodes: 0,
    converged: false,
    converged_episode: null,
    late_change: null,
    final_change: null,
    visited: null,
    states: null,
    coverage: null,
  };
  if (n > 0) {
    const checkRows: CompetitionRow[] = [];
    const run = trainMakers({
      label: `${taker.label}:n${n}:s${seed}`,
      game: { ...game, makers: n, seed },
      taker: taker.taker,
      episodes,
      evalEvery: Math.max(1, Math.floor(episodes / checks)),
      evalEpisodes: checkEpisodes,
      onProgress: (p) => {
        if (!p.check) return;
        checkRows.push({
          table: "check",
          ...key,
          check: p.check.index,
          episode: p.episode,
          policy_change: num(p.check.policyChange),
          eval_makers_pnl: num(sum(p.check.evalMakerPnl)),
          eval_taker_pnl: num(p.check.evalTakerPnl),
        });
      },
    });
    rows.push(...checkRows);
    const ch = run.convergence.changes;
    const late = ch.slice(Math.max(1, ch.length - Math.max(1, Math.ceil(ch.length / 5))));
    const visited = run.learners.map((l) => {
      let v = 0;
      for (let s = 0; s < l.nStates; s++) {
        for (let a = 0; a < l.nActions; a++) {
          if (l.visits[s * l.nActions + a] > 0) {
            v++;
            break;
          }
        }
      }
      return v;
    });
    const states = run.learners[0].nStates;
    Object.assign(learning, {
      episodes: run.episodes,
      converged: run.convergence.met,
      converged_episode: run.convergence.episode,
      late_change: num(mean(late)),
      final_change: num(ch[ch.length - 1]),
      visited: mean(visited),
      states,
      coverage: mean(visited) / states,
    });
    policy = greedyPolicies(run).policy;
  }

  const p = play({ ...game, makers: n, policy, taker: taker.taker }, evalEpisodes, `eval:${seed}`);
  const makersPnl = sum(p.makerPnl);
  rows.push({
    table: "run",
    ...key,
    maker_pnl: n > 0 ? makersPnl / n : null,
    makers_pnl: makersPnl,
    pnl_min: n > 0 ? Math.min(...p.makerPnl) : null,
    pnl_max: n > 0 ? Math.max(...p.makerPnl) : null,
    taker_pnl: p.takerPnl,
    taker_cost: -p.takerPnl,
    shortfall_bps: p.shortfallBps,
    makers_share: sum(p.makerShare),
    background_share: p.backgroundShare,
    offset: n > 0 ? mean(p.makerOffset) : null,
    final_offset: n > 0 ? mean(p.makerFinalOffset) : null,
    resting: n > 0 ? mean(p.makerResting) : null,
    ...learning,
  });
  for (let i = 0; i < n; i++) {
    rows.push({
      table: "maker",
      ...key,
      maker: i,
      pnl: p.makerPnl[i],
      share: p.makerShare[i],
      volume: p.makerVolume[i],
      mtm: p.makerMtm[i],
      offset: p.makerOffset[i],
      final_offset: p.makerFinalOffset[i],
      resting: p.makerResting[i],
      qty: p.makerQty[i],
    });
  }
  for (let t = 0; t < p.stepSold.length; t++) {
    rows.push({
      table: "step",
      ...key,
      step: t,
      offset: num(p.stepOffset[t]),
      resting: num(p.stepResting[t]),
      qty: num(p.stepQty[t]),
      best_offset: num(p.stepBest[t]),
      sold: p.stepSold[t],
    });
  }
  return rows;
}

function checkFamily(f: RuleFamily): RuleFamily {
  const ok = (a: unknown) =>
    Array.isArray(a) && a.length > 0 && a.every((x) => Number.isInteger(x) && x >= 0);
  if (typeof f !== "object" || f === null || !ok(f.offsets) || !ok(f.qtys)) {
    throw new ConfigError("family", "{offsets, qtys}: non-empty arrays of integers ≥ 0", f);
  }
  return f;
}

/** The rules of a family, offsets outer, quantities inner (the family's order). */
export function familyRules(family: RuleFamily): { offset: number; qty: number }[] {
  checkFamily(family);
  return family.offsets.flatMap((offset) => family.qtys.map((qty) => ({ offset, qty })));
}

/**
 * Plays the fixed-rule game of a family (see the module doc): for every symmetric profile `s` and
 * rule `d`, maker 0 on `d` against `n − 1` makers on `s`, `episodes` episodes on the seeds
 * `"<seed>:0"` … (the same for every pair). With n = 1 only `d = s` is played (there are no
 * others). One `"rule"` row per pair: `taker`, `n`, `s_offset`, `s_qty`, `d_offset`, `d_qty`,
 * `dev_pnl` (maker 0's mean PnL share); on `d = s` rows also `sym_pnl` (mean per maker over all
 * makers), `sym_pnl_sd` (its standard deviation over episodes), `taker_pnl`, `makers_share`
 * (null elsewhere).
 */
export function rulesJob(job: RulesJob): CompetitionRow[] {
  const taker = checkTaker("taker", job.taker);
  const n = checkInt("n", job.n, 1, 64);
  const episodes = checkInt("episodes", job.episodes, 1, 1e6);
  const rules = familyRules(job.family);
  const game = job.game ?? {};
  const rows: CompetitionRow[] = [];
  const spec = (r: { offset: number; qty: number }): MakerPolicySpec => ({
    kind: "replenisher",
    offset: r.offset,
    qty: r.qty,
  });
  const per = new Float64Array(episodes);
  for (const s of rules) {
    for (const d of rules) {
      const same = s === d;
      if (n === 1 && !same) continue;
      const policy = Array.from({ length: n }, (_, i) => spec(i === 0 ? d : s));
      const g = createGame({ ...game, makers: n, seed: job.seed, policy, taker: taker.taker });
      let dev = 0, takerPnl = 0, share = 0;
      for (let e = 0; e < episodes; e++) {
        const sm = g.run(`${job.seed}:${e}`);
        dev += sm.makerPnl[0] / episodes;
        per[e] = sum(sm.makerPnl) / n;
        takerPnl += sm.takerPnl / episodes;
        share += sum(sm.makerShare) / episodes;
      }
      let sd: number | null = null;
      if (episodes > 1) {
        const m = mean(per);
        let ss = 0;
        for (let e = 0; e < episodes; e++) ss += (per[e] - m) ** 2;
        sd = Math.sqrt(ss / (episodes - 1));
      }
      rows.push({
        table: "rule",
        taker: taker.label,
        n,
        s_offset: s.offset,
        s_qty: s.qty,
        d_offset: d.offset,
        d_qty: d.qty,
        dev_pnl: dev,
        sym_pnl: same ? mean(per) : null,
        sym_pnl_sd: same ? sd : null,
        taker_pnl: same ? takerPnl : null,
        makers_share: same ? share : null,
      });
    }
  }
  return rows;
}

/** Runs one job of either kind (the sweep's experiment function). */
export function competitionJob(job: CompetitionJob): CompetitionRow[] {
  const kind = (job as { kind?: unknown })?.kind;
  switch (kind) {
    case "learn":
      return learnJob(job as LearnJob);
    case "rules":
      return rulesJob(job as RulesJob);
    default:
      throw new ConfigError("job.kind", `"learn" or "rules"`, kind);
  }
}

/** The frames of the study (columns as documented on {@linkcode learnJob} and {@linkcode rulesJob}). */
export interface CompetitionFrames {
  /** One row per (taker, n, seed): greedy play and learning diagnostics. */
  readonly runs: pl.DataFrame;
  /** One row per (taker, n, seed, maker). */
  readonly makers: pl.DataFrame;
  /** One row per (taker, n, seed, check): the learning curve and policy change. */
  readonly checks: pl.DataFrame;
  /** One row per (taker, n, seed, step): bid levels and the price through the episode. */
  readonly steps: pl.DataFrame;
  /** One row per (taker, n, symmetric profile, deviation) of the fixed-rule game. */
  readonly rules: pl.DataFrame;
}

const COLUMNS: Record<keyof CompetitionFrames, { table: string; cols: string[]; ints: string[] }> =
  {
    runs: {
      table: "run",
      cols: [
        "taker",
        "n",
        "seed",
        "episodes",
        "maker_pnl",
        "makers_pnl",
        "pnl_min",
        "pnl_max",
        "taker_pnl",
        "taker_cost",
        "shortfall_bps",
        "makers_share",
        "background_share",
        "offset",
        "final_offset",
        "resting",
        "converged",
        "converged_episode",
        "late_change",
        "final_change",
        "visited",
        "states",
        "coverage",
      ],
      ints: ["n", "seed", "episodes", "converged_episode", "states"],
    },
    makers: {
      table: "maker",
      cols: [
        "taker",
        "n",
        "seed",
        "maker",
        "pnl",
        "share",
        "volume",
        "mtm",
        "offset",
        "final_offset",
        "resting",
        "qty",
      ],
      ints: ["n", "seed", "maker"],
    },
    checks: {
      table: "check",
      cols: [
        "taker",
        "n",
        "seed",
        "check",
        "episode",
        "policy_change",
        "eval_makers_pnl",
        "eval_taker_pnl",
      ],
      ints: ["n", "seed", "check", "episode"],
    },
    steps: {
      table: "step",
      cols: ["taker", "n", "seed", "step", "offset", "resting", "qty", "best_offset", "sold"],
      ints: ["n", "seed", "step"],
    },
    rules: {
      table: "rule",
      cols: [
        "taker",
        "n",
        "s_offset",
        "s_qty",
        "d_offset",
        "d_qty",
        "dev_pnl",
        "sym_pnl",
        "sym_pnl_sd",
        "taker_pnl",
        "makers_share",
      ],
      ints: ["n", "s_offset", "s_qty", "d_offset", "d_qty"],
    },
  };

/**
 * Splits the rows of {@linkcode competitionJob} (a sweep's merged frame, or `pl.DataFrame(rows)`)
 * into the study's frames; integer columns become Int32, `converged` Bool, labels String. A frame
 * with no rows keeps its columns.
 */
export function splitCompetition(df: pl.DataFrame): CompetitionFrames {
  const have = new Set(df.columns);
  const out = {} as Record<keyof CompetitionFrames, pl.DataFrame>;
  for (
    const [key, spec] of Object.entries(COLUMNS) as [keyof CompetitionFrames, typeof COLUMNS.runs][]
  ) {
    const part = have.has("table") ? df.filter(pl.col("table").eq(pl.lit(spec.table))) : df.head(0);
    out[key] = pl.DataFrame(spec.cols.map((c) => {
      const type = c === "taker"
        ? pl.Utf8
        : c === "converged"
        ? pl.Bool
        : spec.ints.includes(c)
        ? pl.Int32
        : pl.Float64;
      if (!have.has(c) || part.height === 0) {
        return pl.Series(c, new Array<null>(part.height).fill(null), type);
      }
      return part.getColumn(c).cast(type);
    }));
  }
  return out;
}

/** Options of {@linkcode ruleBenchmarks}. */
export interface BenchmarkOptions {
  /**
   * A profile is an equilibrium if no maker gains more than `tol` (currency) by switching to
   * another rule of the family. Default 0.01 (one cent; payoffs are tens of currency units).
   */
  tol?: number;
}

/**
 * The benchmarks per (taker, n) from the `rules` frame (see the module doc). Columns: `taker`,
 * `n`; `pi_m`, `m_offset`, `m_qty` (best symmetric rule; ties to the first in family order);
 * `pi_n`, `n_offset`, `n_qty` (most profitable symmetric equilibrium; with n = 1 the monopolist's
 * best rule); `equilibria` (number of symmetric equilibria); `pi_b`, `b_qty`, `b_is_eq` (all at
 * P0 with the largest quantity, and whether that is an equilibrium); `pi_m_sd` (episode-to-episode
 * standard deviation of the collusive profile's payoff); `br_offset`, `br_qty`, `br_gain` (the
 * best deviation from the collusive rule and what it gains).
 */
export function ruleBenchmarks(rules: pl.DataFrame, options: BenchmarkOptions = {}): pl.DataFrame {
  const tol = checkNum("tol", options.tol ?? 0.01, 0, 1e12);
  const recs = rules.toRecords() as Record<string, number | string | null>[];
  const groups = new Map<string, typeof recs>();
  for (const r of recs) {
    const k = `${r.taker}\u0000${r.n}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: Record<string, number | string | boolean | null>[] = [];
  for (const g of groups.values()) {
    const n = g[0].n as number;
    const key = (o: unknown, q: unknown) => `${o}/${q}`;
    const sym = g.filter((r) => r.s_offset === r.d_offset && r.s_qty === r.d_qty);
    const dev = new Map<string, typeof g>();
    for (const r of g) {
      const k = key(r.s_offset, r.s_qty);
      if (!dev.has(k)) dev.set(k, []);
      dev.get(k)!.push(r);
    }
    let m = sym[0], best: (typeof g)[number] | null = null, eqs = 0;
    for (const s of sym) if ((s.sym_pnl as number) > (m.sym_pnl as number)) m = s;
    const gainOf = (s: (typeof g)[number]) => {
      const own = s.dev_pnl as number;
      let bestDev = own, arg = s;
      for (const d of dev.get(key(s.s_offset, s.s_qty))!) {
        if ((d.dev_pnl as number) > bestDev) {
          bestDev = d.dev_pnl as number;
          arg = d;
        }
      }
      return { gain: bestDev - own, arg };
    };
    for (const s of sym) {
      const isEq = n === 1 ? s === m : gainOf(s).gain <= tol;
      if (!isEq) continue;
      eqs++;
      if (best === null || (s.sym_pnl as number) > (best.sym_pnl as number)) best = s;
    }
    const maxQty = Math.max(...sym.filter((s) => s.s_offset === 0).map((s) => s.s_qty as number));
    const b = sym.find((s) => s.s_offset === 0 && s.s_qty === maxQty);
    const br = n === 1 ? null : gainOf(m);
    out.push({
      taker: g[0].taker as string,
      n,
      pi_m: m.sym_pnl as number,
      m_offset: m.s_offset as number,
      m_qty: m.s_qty as number,
      pi_m_sd: m.sym_pnl_sd as number | null,
      pi_n: best === null ? null : best.sym_pnl as number,
      n_offset: best === null ? null : best.s_offset as number,
      n_qty: best === null ? null : best.s_qty as number,
      equilibria: eqs,
      pi_b: b === undefined ? null : b.sym_pnl as number,
      b_qty: b === undefined ? null : maxQty,
      b_is_eq: b === undefined ? null : n === 1 ? b === m : gainOf(b).gain <= tol,
      br_offset: br === null ? null : br.arg.d_offset as number,
      br_qty: br === null ? null : br.arg.d_qty as number,
      br_gain: br === null ? null : br.gain,
    });
  }
  const cols = Object.keys(out[0] ?? { taker: "", n: 0 });
  const ints = new Set(["n", "m_offset", "m_qty", "n_offset", "n_qty", "equilibria", "b_qty"]);
  return pl.DataFrame(cols.map((c) => {
    const v = out.map((r) => r[c] ?? null);
    const type = c === "taker"
      ? pl.Utf8
      : c === "b_is_eq"
      ? pl.Bool
      : ints.has(c)
      ? pl.Int32
      : pl.Float64;
    return pl.Series(c, v, type);
  })).sort(["taker", "n"]);
}

/**
 * Calvano et al.'s profit gain `Δ = (π − π_N) / (π_M − π_N)`: 0 at the competitive benchmark,
 * 1 at the collusive one. NaN when the benchmarks coincide or are missing (`π_M ≤ π_N`).
 *
 * @example
 * ```ts
 * import { profitGain } from "./competition.ts";
 * if (profitGain({ pi: 15, piN: 10, piM: 20 }) !== 0.5) throw new Error();
 * if (!Number.isNaN(profitGain({ pi: 15, piN: 20, piM: 20 }))) throw new Error("undefined");
 * ```
 */
export function profitGain(v: { pi: number; piN: number; piM: number }): number {
  const { pi, piN, piM } = v;
  if (![pi, piN, piM].every(Number.isFinite) || !(piM > piN)) return NaN;
  return (pi - piN) / (piM - piN);
}

/**
 * The profit gain of every learned run: the `runs` frame joined with the benchmarks of its
 * (taker, n), with `delta_n` (against `π_N`) and `delta_b` (against `π_B`), null where undefined
 * (n ≤ 1). Columns: `taker`, `n`, `seed`, `maker_pnl`, `pi_n`, `pi_b`, `pi_m`, `delta_n`,
 * `delta_b`. Summarise over seeds for a confidence interval.
 */
export function profitGains(runs: pl.DataFrame, benchmarks: pl.DataFrame): pl.DataFrame {
  const b = new Map<string, Record<string, unknown>>();
  for (const r of benchmarks.toRecords()) b.set(`${r.taker}\u0000${r.n}`, r);
  const rows = (runs.toRecords() as Record<string, number | string | null>[])
    .filter((r) => (r.n as number) > 0);
  const get = (r: Record<string, unknown> | undefined, k: string) =>
    r === undefined || r[k] === null || r[k] === undefined ? NaN : Number(r[k]);
  const col = (f: (r: (typeof rows)[number], bm: Record<string, unknown> | undefined) => number) =>
    rows.map((r) => {
      const v = f(r, b.get(`${r.taker}\u0000${r.n}`));
      return Number.isFinite(v) ? v : null;
    });
  return pl.DataFrame([
    pl.Series("taker", rows.map((r) => r.taker as string), pl.Utf8),
    pl.Series("n", rows.map((r) => r.n as number), pl.Int32),
    pl.Series("seed", rows.map((r) => r.seed as number), pl.Int32),
    pl.Series("maker_pnl", col((r) => r.maker_pnl as number), pl.Float64),
    pl.Series("pi_n", col((_, m) => get(m, "pi_n")), pl.Float64),
    pl.Series("pi_b", col((_, m) => get(m, "pi_b")), pl.Float64),
    pl.Series("pi_m", col((_, m) => get(m, "pi_m")), pl.Float64),
    pl.Series(
      "delta_n",
      col((r, m) =>
        profitGain({ pi: r.maker_pnl as number, piN: get(m, "pi_n"), piM: get(m, "pi_m") })
      ),
      pl.Float64,
    ),
    pl.Series(
      "delta_b",
      col((r, m) =>
        profitGain({ pi: r.maker_pnl as number, piN: get(m, "pi_b"), piM: get(m, "pi_m") })
      ),
      pl.Float64,
    ),
  ]);
}

/** Options of {@linkcode competitionJobs} and {@linkcode runCompetition}. */
export interface CompetitionOptions {
  /** Takers (labels distinct). */
  readonly takers: readonly CompetitionTaker[];
  /** Maker counts, e.g. `[0, 1, 2, 3, 5, 10]`. */
  readonly ns: readonly number[];
  /** Seeds `1 … seeds` per (taker, n). */
  readonly seeds: number;
  /** Training episodes per run: one number, or one per entry of `ns`. */
  readonly episodes: number | readonly number[];
  /** Greedy evaluation episodes per run. */
  readonly evalEpisodes: number;
  /** Convergence checks per run. Default 50. */
  readonly checks?: number;
  /** The fixed-rule family. Default {@linkcode DEFAULT_FAMILY}. */
  readonly family?: RuleFamily;
  /** Episodes per fixed-rule profile. Default 4. */
  readonly ruleEpisodes?: number;
  /** Game settings. */
  readonly game?: CompetitionGame;
}

/**
 * The study's jobs: a learning run per (taker, n, seed) and a fixed-rule job per (taker, n ≥ 1),
 * largest n first (the slowest jobs go out first, so the workers finish together). The frames
 * keep job order, so they are sorted by taker and n afterwards.
 *
 * @example
 * ```ts
 * import { competitionJobs } from "./competition.ts";
 * const jobs = competitionJobs({
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   ns: [0, 2], seeds: 2, episodes: 10, evalEpisodes: 1,
 * });
 * const kinds = jobs.map((j) => `${j.kind}:${j.n}`).join();
 * if (kinds !== "learn:2,learn:2,rules:2,learn:0,learn:0") throw new Error(kinds);
 * ```
 */
export function competitionJobs(options: CompetitionOptions): CompetitionJob[] {
  const takers = options.takers;
  if (!Array.isArray(takers) || takers.length === 0) {
    throw new ConfigError("takers", "a non-empty array of {label, taker}", takers);
  }
  takers.forEach((t, i) => checkTaker(`takers[${i}]`, t));
  if (new Set(takers.map((t) => t.label)).size !== takers.length) {
    throw new ConfigError("takers[].label", "distinct labels", takers.map((t) => t.label));
  }
  const ns = options.ns;
  if (!Array.isArray(ns) || ns.length === 0) {
    throw new ConfigError("ns", "a non-empty array of maker counts", ns);
  }
  ns.forEach((n, i) => checkInt(`ns[${i}]`, n, 0, 64));
  const seeds = checkInt("seeds", options.seeds, 1, 10_000);
  const eps = typeof options.episodes === "number"
    ? ns.map(() => options.episodes as number)
    : options.episodes;
  if (!Array.isArray(eps) || eps.length !== ns.length) {
    throw new ConfigError("episodes", `a number or an array of ${ns.length} (one per n)`, eps);
  }
  eps.forEach((e, i) => checkInt(`episodes[${i}]`, e, 1, 1e9));
  const evalEpisodes = checkInt("evalEpisodes", options.evalEpisodes, 1, 1e6);
  const family = checkFamily(options.family ?? DEFAULT_FAMILY);
  const ruleEpisodes = checkInt("ruleEpisodes", options.ruleEpisodes ?? 4, 1, 1e6);
  const order = ns.map((n, i) => ({ n, episodes: eps[i] })).sort((a, b) => b.n - a.n);
  const jobs: CompetitionJob[] = [];
  for (const { n, episodes } of order) {
    for (const taker of takers) {
      for (let s = 1; s <= seeds; s++) {
        jobs.push({
          kind: "learn",
          taker,
          n,
          seed: s,
          episodes,
          evalEpisodes,
          checks: Math.min(options.checks ?? 50, episodes),
          ...(options.game ? { game: options.game } : {}),
        });
      }
      if (n > 0) {
        jobs.push({
          kind: "rules",
          taker,
          n,
          family,
          episodes: ruleEpisodes,
          seed: 1,
          ...(options.game ? { game: options.game } : {}),
        });
      }
    }
  }
  return jobs;
}

/** Options of {@linkcode runCompetition}: the study plus how to run it. */
export interface CompetitionRunOptions extends CompetitionOptions {
  /** Workers. Default `navigator.hardwareConcurrency`; the frames do not depend on it. */
  readonly workers?: number;
  /** Called after each job (for a progress line). */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/**
 * Runs the study ({@linkcode competitionJobs}) on Web Workers and returns its frames, each sorted
 * by taker, n and seed (and maker, check, step or rules). Identical for any worker count.
 */
export async function runCompetition(options: CompetitionRunOptions): Promise<CompetitionFrames> {
  const jobs = competitionJobs(options);
  const df = await sweep({
    module: new URL(import.meta.url),
    fn: "competitionJob",
    jobs,
    workers: options.workers,
    onResult: options.onResult,
  });
  const f = splitCompetition(df);
  return {
    runs: f.runs.sort(["taker", "n", "seed"]),
    makers: f.makers.sort(["taker", "n", "seed", "maker"]),
    checks: f.checks.sort(["taker", "n", "seed", "check"]),
    steps: f.steps.sort(["taker", "n", "seed", "step"]),
    rules: f.rules.sort(["taker", "n", "s_offset", "s_qty", "d_offset", "d_qty"]),
  };
}
