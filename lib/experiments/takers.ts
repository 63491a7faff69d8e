/**
 * Experiments of notebook 05 (taker responses): how each taker strategy fares against makers that
 * learned their bidding (against that taker, or against another one), against baseline makers and
 * against no maker; how the reactive taker's child orders change with the makers' policy; and a
 * learning taker trained together with learning makers (`coLearn`). Jobs run on Web Workers
 * (`lib/sweep/`); {@linkcode takerStudy} returns Polars frames.
 *
 * ## Jobs ({@linkcode takerJob})
 * - `learned`: trains `learnedMakers` Q-learning makers (default 1) against the taker `trainMakers` in
 *   the game variant `game` for `episodes` episodes (`trainMakers` of `lib/makers`, root seed `seed`),
 *   then replays their greedy policies against every taker of `play`.
 * - `baseline`: the makers of a {@linkcode MakerSetting} (e.g. none, a fixed-price replenisher, a
 *   dynamic follower) against every taker of `play`.
 * - `colearn`: makers and a learning taker trained against each other (`coLearn`) for
 *   `colearnEpisodes` episodes; the per-check policy change of both sides, the settle-or-cycle
 *   verdict, then the co-learned makers replayed greedily against every taker of `play` and
 *   against the co-learned taker itself (`"learning taker"`).
 *
 * ## Evaluation
 * Every (maker setting, play taker) pair of a job plays `evalEpisodes` episodes seeded
 * `eval:<seed>:0`, `eval:<seed>:1`, …: every setting of one seed meets the same episodes (common
 * random numbers: in game 2 the same sizes), and nothing depends on what ran before. Learners play
 * their greedy snapshots (no exploration, no learning). One `play` row per pair holds means over
 * those episodes; a `steps` row per step does too, for the play takers listed in `stepTakers`.
 * The unit of replication for confidence intervals is the seed: a seed is one training run (for
 * learned makers) and one set of evaluation episodes.
 *
 * ## Frames ({@linkcode TakerStudy})
 * - `play`: `game`, `makers` (the setting: a baseline's label, `"learned"` or `"co-learned"`),
 *   `train_taker` (what the learners trained against; `"—"` for baselines), `play_taker`, `seed`,
 *   `taker_pnl` (currency), `cost_bps` (implementation shortfall in bps of Q·P0), `avg_price`
 *   (average execution price, ticks vs P0), `executed`, `sweep_qty`, `maker_pnl` (the makers' PnL
 *   shares, summed), `maker_mtm` (their own fills marked to P0, summed), `maker_share` (their
 *   market share of the taker's volume, summed), `fills_per_step`;
 * - `steps`: the same keys and `step`, `child_qty`, `sold` (executed this step, deadline sweep
 *   included), `cum_frac` (fraction of the size sold by the end of the step), `step_pnl` (the
 *   taker's PnL of the step, currency), `maker_offset` (ticks below P0 of the makers' bid price
 *   settings after the step, mean over makers; null without makers), `maker_qty` (their resting
 *   quantity, summed);
 * - `trainMakers`: per learned job: `converged` (the `trainMakers` criterion was met), `converged_at`
 *   (episode or null), `coverage` (fraction of states visited), `final_maker_pnl` and
 *   `final_taker_pnl` (greedy evaluation at the last check);
 * - `dynamics`: per co-learning job, check and side (`makers`/`taker`): `episode`, `change`
 *   (policy change since the previous check), `recurrence`, `eval_pnl` (see `coLearn`);
 * - `verdict`: per co-learning job: `outcome` (`settled`/`cycling`/`drifting`), `settled_at`,
 *   `period`.
 *
 * @example
 * ```ts
 * import { takerJob } from "./takers.ts";
 * const rows = takerJob({
 *   kind: "baseline",
 *   game: { label: "game 1", game: { kind: "known", size: 500 } },
 *   seed: 0,
 *   makers: { label: "replenisher", policy: [{ kind: "replenisher" }] },
 *   play: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   settings: { episodes: 1, evalEpisodes: 2, stepTakers: ["TWAP"], game: { steps: 10 } },
 * });
 * const play = rows.filter((r) => r.table === "play");
 * if (play.length !== 1 || play[0].executed !== 500) throw new Error("sold everything");
 * if (rows.filter((r) => r.table === "steps").length !== 10) throw new Error("one row a step");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { checkInt, ConfigError } from "../errors.ts";
import { createGame, type GameConfig, type GameSpec, type MakerPolicySpec } from "../game/mod.ts";
import {
  coLearn,
  greedyPolicies,
  type LearnerSettings,
  type TrainGameConfig,
  trainMakers,
} from "../makers/mod.ts";
import { pairedDiff, summarise } from "../report/stats.ts";
import { merge, sweep } from "../sweep/mod.ts";
import type { TakerCase } from "./market.ts";

/** A game variant with the label it carries in the frames, e.g. `{label: "game 1", game}`. */
export interface GameVariant {
  /** Label, e.g. `"game 1"`. */
  readonly label: string;
  /** The variant: `{kind: "known"}` (game 1) or `{kind: "hidden"}` (game 2), with its size. */
  readonly game: GameSpec;
}

/** Game 1 (size known to the makers) and game 2 (size drawn and hidden), with their defaults. */
export const GAME_VARIANTS: readonly GameVariant[] = Object.freeze([
  { label: "game 1", game: { kind: "known" } },
  { label: "game 2", game: { kind: "hidden" } },
]);

/** Non-learning makers with the label they carry in the frames (`policy: []`: no maker). */
export interface MakerSetting {
  /** Label, e.g. `"replenisher"`. */
  readonly label: string;
  /** One spec per maker (data only: replenisher, follower, random). */
  readonly policy: readonly MakerPolicySpec[];
}

/** Budgets and settings shared by every job of a study. Plain data. */
export interface TakerStudySettings {
  /** Training episodes per learned maker (`learned` jobs). */
  readonly episodes: number;
  /** Evaluation episodes per (maker setting, play taker, seed). */
  readonly evalEpisodes: number;
  /** Co-learning episodes (`colearn` jobs). Default 0 (no co-learning job). */
  readonly colearnEpisodes?: number;
  /** Greedy evaluation episodes at each training check. Default 5. */
  readonly trainEvalEpisodes?: number;
  /** Learning makers per learned or co-learning game. Default 1. */
  readonly learnedMakers?: number;
  /** Learner settings of every learner (makers and learning taker). Default: `trainMakers`'s. */
  readonly learner?: LearnerSettings;
  /** Labels of the play takers whose per-step behaviour is recorded. Default `["reactive"]`. */
  readonly stepTakers?: readonly string[];
  /** Other game fields (steps, bid rules, background options, …). Default: the game's. */
  readonly game?: Omit<TrainGameConfig, "seed" | "makers" | "game">;
}

/** One job of the study (plain JSON; see the module doc). */
export type TakerJob =
  | {
    readonly kind: "learned";
    readonly game: GameVariant;
    readonly seed: number;
    /** The taker the makers train against. */
    readonly train: TakerCase;
    readonly play: readonly TakerCase[];
    readonly settings: TakerStudySettings;
  }
  | {
    readonly kind: "baseline";
    readonly game: GameVariant;
    readonly seed: number;
    readonly makers: MakerSetting;
    readonly play: readonly TakerCase[];
    readonly settings: TakerStudySettings;
  }
  | {
    readonly kind: "colearn";
    readonly game: GameVariant;
    readonly seed: number;
    readonly play: readonly TakerCase[];
    readonly settings: TakerStudySettings;
  };

/** A row of a job's output: `table` names the frame it belongs to. */
export type TakerRow = Record<string, number | string | boolean | null>;

/** The label of the learning taker in the frames. */
export const LEARNING_TAKER = "learning taker";

/** `train_taker` of baseline rows (nothing was trained). */
export const NO_TRAINING = "—";

interface PlayKeys {
  game: string;
  makers: string;
  train_taker: string;
  seed: number;
}

/**
 * Plays `episodes` evaluation episodes of `config` against `play` (seeds `eval:<seed>:<k>`) and
 * returns the `play` row and, with `steps`, the `steps` rows.
 */
function evaluate(o: {
  config: Omit<GameConfig, "taker" | "record">;
  play: TakerCase;
  episodes: number;
  steps: boolean;
  keys: PlayKeys;
}): TakerRow[] {
  const game = createGame({ ...o.config, taker: o.play.taker, record: o.steps });
  const N = game.config.steps, n = game.config.makers, A = n + 2;
  const p0 = game.config.p0, tick = game.config.tickSize;
  const E = o.episodes;
  const sums = new Float64Array(11);
  const child = new Float64Array(N), sold = new Float64Array(N), frac = new Float64Array(N);
  const stepPnl = new Float64Array(N), off = new Float64Array(N), qty = new Float64Array(N);
  for (let k = 0; k < E; k++) {
    const s = game.run(`eval:${o.keys.seed}:${k}`);
    let mPnl = 0, mMtm = 0, mVol = 0, mShare = 0;
    for (let i = 0; i < n; i++) {
      mPnl += s.makerPnl[i];
      mMtm += s.makerMtm[i];
      mVol += s.makerVolume[i];
      mShare += s.makerShare[i];
    }
    const v = [
      s.takerPnl,
      s.shortfallBps,
      s.avgPrice - p0,
      s.executed,
      s.sweepQty,
      mPnl,
      mMtm,
      mVol,
      mShare,
      s.fillsPerStep,
      s.size,
    ];
    for (let j = 0; j < v.length; j++) sums[j] += v[j] / E;
    if (o.steps) {
      const r = game.record();
      let cum = 0;
      for (let t = 0; t < r.steps; t++) {
        child[t] += r.childQty[t] / E;
        sold[t] += r.takerFilled[t] / E;
        cum += r.takerFilled[t];
        frac[t] += cum / s.size / E;
        stepPnl[t] += r.reward[t * A + n + 1] / E;
        for (let i = 0; i < n; i++) {
          off[t] += (p0 - r.bidPrice[t * A + i]) / n / E;
          qty[t] += r.bidQty[t * A + i] / E;
        }
      }
    }
  }
  const base = { ...o.keys, play_taker: o.play.label };
  const rows: TakerRow[] = [{
    table: "play",
    ...base,
    episodes: E,
    taker_pnl: sums[0],
    cost_bps: sums[1],
    avg_price: sums[2],
    executed: sums[3],
    sweep_qty: sums[4],
    maker_pnl: sums[5],
    maker_mtm: sums[6],
    maker_volume: sums[7],
    maker_share: sums[8],
    fills_per_step: sums[9],
    size: sums[10],
  }];
  if (o.steps) {
    for (let t = 0; t < N; t++) {
      rows.push({
        table: "steps",
        ...base,
        step: t,
        child_qty: child[t],
        sold: sold[t],
        cum_frac: frac[t],
        step_pnl: stepPnl[t],
        step_vwap: sold[t] > 0 ? stepPnl[t] / tick / sold[t] : null,
        maker_offset: n > 0 ? off[t] : null,
        maker_qty: n > 0 ? qty[t] : null,
      });
    }
  }
  return rows;
}

function checkJob(job: TakerJob): void {
  if (typeof job !== "object" || job === null) throw new ConfigError("job", "an object", job);
  checkInt("job.seed", job.seed, 0, 2 ** 31 - 1);
  checkInt("settings.episodes", job.settings.episodes, 1, 1e9);
  checkInt("settings.evalEpisodes", job.settings.evalEpisodes, 1, 1e9);
  if (!Array.isArray(job.play)) throw new ConfigError("job.play", "an array of takers", job.play);
}

/**
 * Runs one job of the study (the sweep's experiment function; see the module doc) and returns
 * its rows. Deterministic: the rows depend on the job only.
 */
export function takerJob(job: TakerJob): TakerRow[] {
  checkJob(job);
  const s = job.settings;
  const stepTakers = new Set(s.stepTakers ?? ["reactive"]);
  const E = s.evalEpisodes;
  const trainEval = s.trainEvalEpisodes ?? 5;
  const nLearn = checkInt("settings.learnedMakers", s.learnedMakers ?? 1, 1, 64);
  const base = { ...(s.game ?? {}), game: job.game.game, seed: job.seed };
  const rows: TakerRow[] = [];
  const playAll = (
    config: Omit<GameConfig, "taker" | "record">,
    play: readonly TakerCase[],
    keys: PlayKeys,
  ) => {
    for (const p of play) {
      rows.push(
        ...evaluate({ config, play: p, episodes: E, steps: stepTakers.has(p.label), keys }),
      );
    }
  };
  switch (job.kind) {
    case "baseline": {
      const policy = [...job.makers.policy];
      playAll({ ...base, makers: policy.length, policy }, job.play, {
        game: job.game.label,
        makers: job.makers.label,
        train_taker: NO_TRAINING,
        seed: job.seed,
      });
      break;
    }
    case "learned": {
      const game = { ...base, makers: nLearn };
      const run = trainMakers({
        label: `${job.game.label} / ${job.train.label} / ${job.seed}`,
        game,
        policy: { kind: "q" },
        taker: job.train.taker,
        learner: s.learner,
        episodes: s.episodes,
        evalEpisodes: trainEval,
      });
      const last = run.records.filter(pl.col("role").eq(pl.lit("maker"))).tail(nLearn);
      rows.push({
        table: "train",
        game: job.game.label,
        train_taker: job.train.label,
        seed: job.seed,
        episodes: run.episodes,
        converged: run.convergence.met,
        converged_at: run.convergence.episode,
        coverage: (last.getColumn("coverage").toArray() as number[]).reduce((a, b) => a + b, 0) /
          nLearn,
        final_maker_pnl: run.final.makerPnl.reduce((a, b) => a + b, 0),
        final_taker_pnl: run.final.takerPnl,
      });
      playAll({ ...game, policy: greedyPolicies(run).policy }, job.play, {
        game: job.game.label,
        makers: "learned",
        train_taker: job.train.label,
        seed: job.seed,
      });
      break;
    }
    case "colearn": {
      const episodes = checkInt("settings.colearnEpisodes", s.colearnEpisodes ?? 0, 1, 1e9);
      const game = { ...base, makers: nLearn };
      const res = coLearn({
        label: `${job.game.label} / colearn / ${job.seed}`,
        game,
        policy: { kind: "q" },
        learner: s.learner,
        episodes,
        evalEpisodes: trainEval,
      });
      for (const r of res.dynamics.toRecords()) {
        rows.push({
          table: "dynamics",
          game: job.game.label,
          seed: job.seed,
          check: r.check as number,
          episode: r.episode as number,
          side: r.side as string,
          change: r.change as number | null,
          recurrence: r.recurrence as number | null,
          eval_pnl: r.eval_pnl as number | null,
        });
      }
      rows.push({
        table: "verdict",
        game: job.game.label,
        seed: job.seed,
        episodes: res.run.episodes,
        outcome: res.outcome,
        settled_at: res.settledAt,
        period: res.period,
      });
      const g = greedyPolicies(res.run);
      playAll(
        { ...game, policy: g.policy },
        [...job.play, { label: LEARNING_TAKER, taker: g.taker! }],
        { game: job.game.label, makers: "co-learned", train_taker: LEARNING_TAKER, seed: job.seed },
      );
      break;
    }
    default: {
      const never: never = job;
      throw new ConfigError("job.kind", "learned, baseline or colearn", never);
    }
  }
  return rows;
}

/** What a study runs (see {@linkcode takerJobs}). */
export interface TakerStudyOptions {
  /** Taker strategies: makers train against each, and each plays every maker setting. */
  readonly takers: readonly TakerCase[];
  /** Baseline maker settings (e.g. none, replenisher, follower). */
  readonly baselines: readonly MakerSetting[];
  /** Game variants. Default {@linkcode GAME_VARIANTS} (game 1 and game 2). */
  readonly games?: readonly GameVariant[];
  /** Seeds `0 … seeds − 1`. */
  readonly seeds: number;
  /** Budgets and settings. */
  readonly settings: TakerStudySettings;
}

/**
 * The study's jobs: per game and seed, the co-learning job first (the longest, so that workers
 * balance), then one learned job per training taker, then one job per baseline.
 *
 * @example
 * ```ts
 * import { takerJobs } from "./takers.ts";
 * const jobs = takerJobs({
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   baselines: [{ label: "0 makers", policy: [] }],
 *   seeds: 2,
 *   settings: { episodes: 10, evalEpisodes: 1, colearnEpisodes: 10 },
 * });
 * if (jobs.length !== 2 * 2 * 3) throw new Error("2 games × 2 seeds × (colearn, learned, baseline)");
 * ```
 */
export function takerJobs(options: TakerStudyOptions): TakerJob[] {
  const seeds = checkInt("seeds", options.seeds, 1, 1e6);
  const games = options.games ?? GAME_VARIANTS;
  const { takers, baselines, settings } = options;
  const labels = new Set(takers.map((t) => t.label));
  if (labels.size !== takers.length || labels.has(LEARNING_TAKER)) {
    throw new ConfigError("takers", `distinct labels other than "${LEARNING_TAKER}"`, [
      ...takers.map((t) => t.label),
    ]);
  }
  const jobs: TakerJob[] = [];
  const colearn = (settings.colearnEpisodes ?? 0) > 0;
  for (const game of games) {
    for (let seed = 0; seed < seeds; seed++) {
      if (colearn) jobs.push({ kind: "colearn", game, seed, play: takers, settings });
    }
  }
  for (const game of games) {
    for (let seed = 0; seed < seeds; seed++) {
      for (const t of takers) {
        jobs.push({ kind: "learned", game, seed, train: t, play: takers, settings });
      }
      for (const makers of baselines) {
        jobs.push({ kind: "baseline", game, seed, makers, play: takers, settings });
      }
    }
  }
  return jobs;
}

/** The frames of a study (see the module doc for their columns). */
export interface TakerStudy {
  /** One row per (game, maker setting, training taker, play taker, seed). */
  readonly play: pl.DataFrame;
  /** One row per step of the recorded play takers' episodes (means over evaluation episodes). */
  readonly steps: pl.DataFrame;
  /** One row per learned maker training run. */
  readonly train: pl.DataFrame;
  /** One row per co-learning job, check and side. */
  readonly dynamics: pl.DataFrame;
  /** One row per co-learning job. */
  readonly verdict: pl.DataFrame;
}

const KEYS = ["game", "makers", "train_taker", "play_taker", "seed"];
const TABLES: Record<keyof TakerStudy, readonly string[]> = {
  play: [
    ...KEYS,
    "episodes",
    "taker_pnl",
    "cost_bps",
    "avg_price",
    "executed",
    "sweep_qty",
    "maker_pnl",
    "maker_mtm",
    "maker_volume",
    "maker_share",
    "fills_per_step",
    "size",
  ],
  steps: [
    ...KEYS,
    "step",
    "child_qty",
    "sold",
    "cum_frac",
    "step_pnl",
    "step_vwap",
    "maker_offset",
    "maker_qty",
  ],
  train: [
    "game",
    "train_taker",
    "seed",
    "episodes",
    "converged",
    "converged_at",
    "coverage",
    "final_maker_pnl",
    "final_taker_pnl",
  ],
  dynamics: ["game", "seed", "check", "episode", "side", "change", "recurrence", "eval_pnl"],
  verdict: ["game", "seed", "episodes", "outcome", "settled_at", "period"],
};
const STRINGS = new Set(["game", "makers", "train_taker", "play_taker", "side", "outcome"]);
const INTS = new Set([
  "seed",
  "step",
  "check",
  "episode",
  "episodes",
  "converged_at",
  "settled_at",
  "period",
]);

/**
 * Splits the merged rows of {@linkcode takerJob} (a sweep's frame) into the study's frames, with
 * the columns of the module doc in that order: labels as strings, counts as Int32, `converged`
 * as booleans, the rest Float64 (a column no row sets is all null).
 */
export function splitTakerStudy(df: pl.DataFrame): TakerStudy {
  const have = new Set(df.columns);
  const out = {} as Record<keyof TakerStudy, pl.DataFrame>;
  for (const [name, cols] of Object.entries(TABLES) as [keyof TakerStudy, string[]][]) {
    const part = have.has("table") ? df.filter(pl.col("table").eq(pl.lit(name))) : df.head(0);
    out[name] = pl.DataFrame(cols.map((c) => {
      const dtype = STRINGS.has(c)
        ? pl.Utf8
        : INTS.has(c)
        ? pl.Int32
        : c === "converged"
        ? pl.Bool
        : pl.Float64;
      if (!have.has(c)) return pl.Series(c, new Array(part.height).fill(null), dtype);
      return part.getColumn(c).cast(dtype);
    }));
  }
  return out;
}

/** The study's frames from rows of {@linkcode takerJob} run in this thread (tests, scripts). */
export function takerStudyFromRows(rows: readonly TakerRow[]): TakerStudy {
  return splitTakerStudy(merge([0], new Map([[0, rows]])));
}

/** Options of {@linkcode takerStudy}: the study, and how to run it. */
export interface TakerStudyRunOptions extends TakerStudyOptions {
  /** Workers. Default `navigator.hardwareConcurrency`; the frames do not depend on it. */
  readonly workers?: number;
  /** Called after each job (for a progress line). */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/** Runs the study's jobs ({@linkcode takerJobs}) on Web Workers and returns its frames. */
export async function takerStudy(options: TakerStudyRunOptions): Promise<TakerStudy> {
  const df = await sweep({
    module: new URL(import.meta.url),
    fn: "takerJob",
    jobs: takerJobs(options),
    workers: options.workers,
    onResult: options.onResult,
  });
  return splitTakerStudy(df);
}

// ---------------------------------------------------------------------------------------------
// Summaries for the notebook: pure functions of the frames.

/** The maker settings of {@linkcode settingRows}, derived from the learned rows. */
export const ADAPTED = "learned, trained vs this taker";
/** See {@linkcode ADAPTED}. */
export const MISMATCHED = "learned, trained vs other takers";

/**
 * One row per (game, setting, play taker, seed) with the `value` columns: baseline settings as
 * they are; learned makers split into {@linkcode ADAPTED} (trained against the taker that plays
 * them) and {@linkcode MISMATCHED} (the mean over the makers trained against the other takers of
 * the same seed); co-learned makers against the co-learned taker as `"co-learned"` (play taker
 * {@linkcode LEARNING_TAKER}).
 *
 * @example
 * ```ts
 * import { pl } from "../report/frames.ts";
 * import { ADAPTED, MISMATCHED, settingRows } from "./takers.ts";
 * const play = pl.DataFrame({
 *   game: ["g", "g", "g", "g"], makers: ["learned", "learned", "learned", "learned"],
 *   train_taker: ["A", "A", "B", "B"], play_taker: ["A", "B", "A", "B"], seed: [0, 0, 0, 0],
 *   cost_bps: [1, 2, 3, 4],
 * });
 * const r = settingRows(play, ["cost_bps"]).filter(pl.col("play_taker").eq(pl.lit("A")));
 * const by = Object.fromEntries(r.toRecords().map((x) => [x.setting, x.cost_bps]));
 * if (by[ADAPTED] !== 1 || by[MISMATCHED] !== 3) throw new Error(JSON.stringify(by));
 * ```
 */
export function settingRows(play: pl.DataFrame, values: readonly string[]): pl.DataFrame {
  const keys = ["game", "setting", "play_taker", "seed"];
  const v = values.map((c) => pl.col(c));
  const learned = play.filter(pl.col("makers").eq(pl.lit("learned")));
  const baseline = play.filter(
    pl.col("makers").neq(pl.lit("learned")).and(pl.col("makers").neq(pl.lit("co-learned"))),
  ).select(
    pl.col("game"),
    pl.col("makers").alias("setting"),
    pl.col("play_taker"),
    pl.col("seed"),
    ...v,
  );
  const adapted = learned.filter(pl.col("train_taker").eq(pl.col("play_taker")))
    .select(
      pl.col("game"),
      pl.lit(ADAPTED).alias("setting"),
      pl.col("play_taker"),
      pl.col("seed"),
      ...v,
    );
  const mismatched = learned.filter(pl.col("train_taker").neq(pl.col("play_taker")))
    .groupBy(["game", "play_taker", "seed"])
    .agg(...values.map((c) => pl.col(c).mean()))
    .select(
      pl.col("game"),
      pl.lit(MISMATCHED).alias("setting"),
      pl.col("play_taker"),
      pl.col("seed"),
      ...v,
    );
  const co = play.filter(
    pl.col("makers").eq(pl.lit("co-learned")).and(pl.col("play_taker").eq(pl.lit(LEARNING_TAKER))),
  ).select(
    pl.col("game"),
    pl.lit("co-learned").alias("setting"),
    pl.col("play_taker"),
    pl.col("seed"),
    ...v,
  );
  const parts = [baseline, adapted, mismatched, co].filter((d) => d.height > 0).map((d) =>
    d.select(...keys.map((k) => pl.col(k)), ...v).withColumns(pl.col("seed").cast(pl.Int32))
  );
  if (parts.length === 0) return pl.DataFrame({});
  return pl.concat(parts, { how: "vertical" }).sort(keys);
}

/** Options of {@linkcode bestOf}. */
export interface BestOfOptions {
  /** Columns of a group (e.g. `["game", "setting"]`). */
  readonly by: readonly string[];
  /** The column naming the candidates (e.g. `"play_taker"`). */
  readonly item: string;
  /** The value to minimise (e.g. `"cost_bps"`). */
  readonly value: string;
  /** The replication column pairing candidates (default `"seed"`). */
  readonly pair?: string;
  /** Maximise instead of minimise. Default false. */
  readonly maximise?: boolean;
}

/**
 * Per group, the best candidate (lowest mean `value`, or highest with `maximise`) and the
 * runner-up, with their means and 95% intervals over the replications, and the paired difference
 * runner-up − best (per replication; for a minimised value a positive difference favours the
 * best) with its 95% interval. Columns: the `by` columns, `best`, `best_mean`, `best_lo`,
 * `best_hi`, `second`, `second_mean`, `second_lo`, `second_hi`, `gap_mean`, `gap_lo`, `gap_hi`,
 * `n` (replications), `candidates`. Groups with one candidate have null runner-up fields.
 *
 * @example
 * ```ts
 * import { pl } from "../report/frames.ts";
 * import { bestOf } from "./takers.ts";
 * const df = pl.DataFrame({
 *   g: ["x", "x", "x", "x"], t: ["a", "a", "b", "b"], seed: [0, 1, 0, 1], cost: [3, 4, 1, 3],
 * });
 * const [r] = bestOf(df, { by: ["g"], item: "t", value: "cost" }).toRecords();
 * if (r.best !== "b" || r.second !== "a" || r.gap_mean !== 1.5) throw new Error(JSON.stringify(r));
 * ```
 */
export function bestOf(df: pl.DataFrame, options: BestOfOptions): pl.DataFrame {
  const { by, item, value } = options;
  const pair = options.pair ?? "seed";
  const sign = options.maximise ? -1 : 1;
  const s = summarise(df, { by: [...by, item], cols: [value] }).toRecords();
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of s) {
    const key = JSON.stringify(by.map((b) => r[b]));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const out: Record<string, unknown>[] = [];
  for (const rs of groups.values()) {
    rs.sort((a, b) =>
      sign * ((a[`${value}_mean`] as number) - (b[`${value}_mean`] as number)) ||
      String(a[item]).localeCompare(String(b[item]))
    );
    const [b, r2] = rs;
    const row: Record<string, unknown> = {};
    for (const k of by) row[k] = b[k];
    row.best = b[item];
    for (const f of ["mean", "lo", "hi"]) row[`best_${f}`] = b[`${value}_${f}`];
    row.second = r2 ? r2[item] : null;
    for (const f of ["mean", "lo", "hi"]) row[`second_${f}`] = r2 ? r2[`${value}_${f}`] : null;
    let gap = { mean: null as number | null, lo: null as number | null, hi: null as number | null };
    if (r2) {
      const group = Object.fromEntries(by.map((k) => [k, b[k] as string | number]));
      const d = pairedDiff(df, {
        a: { ...group, [item]: r2[item] as string },
        b: { ...group, [item]: b[item] as string },
        on: [pair],
        by: [],
        value,
      }).toRecords()[0];
      if (d !== undefined && d.diff_mean !== null) {
        const m = d.diff_mean as number;
        gap = { mean: m, lo: (d.diff_lo ?? m) as number, hi: (d.diff_hi ?? m) as number };
      }
    }
    row.gap_mean = gap.mean;
    row.gap_lo = gap.lo;
    row.gap_hi = gap.hi;
    row.n = Number(b[`${value}_n`]);
    row.candidates = rs.length;
    out.push(row);
  }
  const cols = [
    ...by,
    "best",
    "best_mean",
    "best_lo",
    "best_hi",
    "second",
    "second_mean",
    "second_lo",
    "second_hi",
    "gap_mean",
    "gap_lo",
    "gap_hi",
    "n",
    "candidates",
  ];
  const strings = new Set([...by.filter((k) => typeof out[0]?.[k] === "string"), "best", "second"]);
  return pl.DataFrame(cols.map((c) => {
    const values = out.map((r) => (r[c] === undefined ? null : r[c]));
    if (strings.has(c)) return pl.Series(c, values, pl.Utf8);
    if (c === "n" || c === "candidates") return pl.Series(c, values, pl.Int32);
    return pl.Series(c, values, pl.Float64);
  }));
}
