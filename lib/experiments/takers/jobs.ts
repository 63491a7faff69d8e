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
 * import { takerJob } from "./jobs.ts";
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
import {
  arrayOf,
  checkInt,
  checkOptions,
  ConfigError,
  type Field,
  int,
  object,
  optional,
  str,
  variant,
} from "../../errors.ts";
import {
  evaluateGame,
  type GameConfig,
  type GameSpec,
  type MakerPolicySpec,
} from "../../game/mod.ts";
import {
  coLearn,
  greedyPolicies,
  LEARNER_SETTINGS,
  type LearnerSettings,
  type TrainGameConfig,
  trainMakers,
} from "../../makers/mod.ts";
import { defineStudy, type Study, type StudyRunOptions } from "../../sweep/mod.ts";
import type { TakerCase } from "../market/mod.ts";
import {
  checkMakerSpecs,
  gameOptions,
  gameVariant,
  MAKER_SPEC,
  STUDY_RUN_OPTIONS,
  takerCase,
} from "../_fields.ts";

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

/** A taker case: its spec checked by `lib/takers` (`takers[0].taker.maxWalk`). */
const TAKER_CASE = takerCase("takerJobs");
/** A {@linkcode GameVariant}: checked by `lib/game` (`games[0].game.size`). */
const GAME_VARIANT = gameVariant("takerJobs");
/** A {@linkcode MakerSetting}; its specs are checked in the study's game by `checkMakerSpecs`. */
const MAKER_SETTING = object({ label: str(), policy: arrayOf(MAKER_SPEC) }, "takerJobs");

/** The schema of {@linkcode TakerStudySettings} (the compiler keeps its keys complete). */
const SETTINGS = object(
  {
    episodes: int(1, 1e9),
    evalEpisodes: int(1, 1e9),
    colearnEpisodes: optional(int(0, 1e9)),
    trainEvalEpisodes: optional(int(0, 1e6)),
    learnedMakers: optional(int(1, 64)),
    learner: optional(object(LEARNER_SETTINGS, "takerJobs")),
    stepTakers: optional(arrayOf(str())),
    game: optional(gameOptions(["seed", "makers", "game", "policy", "taker", "record"])),
  } satisfies Record<keyof TakerStudySettings, Field<unknown>>,
  "takerJobs",
);

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
 * Plays `episodes` evaluation episodes of `config` against `play` (seeds `eval:<seed>:<k>`,
 * `evaluateGame`) and returns the `play` row and, with `steps`, the `steps` rows.
 */
function evaluate(o: {
  config: Omit<GameConfig, "taker" | "record">;
  play: TakerCase;
  episodes: number;
  steps: boolean;
  keys: PlayKeys;
}): TakerRow[] {
  const ev = evaluateGame({
    config: { ...o.config, taker: o.play.taker },
    episodes: o.episodes,
    seed: (k) => `eval:${o.keys.seed}:${k}`,
    steps: o.steps,
  });
  const m = ev.mean, n = ev.makers.length, p0 = ev.game.config.p0, tick = ev.game.config.tickSize;
  const base = { ...o.keys, play_taker: o.play.label };
  const rows: TakerRow[] = [{
    table: "play",
    ...base,
    episodes: o.episodes,
    taker_pnl: m.takerPnl,
    cost_bps: m.shortfallBps,
    avg_price: m.avgPrice - p0,
    executed: m.executed,
    sweep_qty: m.sweepQty,
    maker_pnl: m.makersPnl,
    maker_mtm: m.makersMtm,
    maker_volume: m.makersVolume,
    maker_share: m.makersShare,
    fills_per_step: m.fillsPerStep,
    size: m.size,
  }];
  const st = ev.steps;
  if (st) {
    for (let t = 0; t < st.childQty.length; t++) {
      let off = 0, qty = 0;
      for (const mk of st.makers) {
        off += (p0 - mk.bidPrice[t]) / n;
        qty += mk.bidQty[t];
      }
      const sold = st.takerFilled[t], pnl = st.takerPnl[t];
      rows.push({
        table: "steps",
        ...base,
        step: t,
        child_qty: st.childQty[t],
        sold,
        cum_frac: st.soldFrac[t],
        step_pnl: pnl,
        step_vwap: sold > 0 ? pnl / tick / sold : null,
        maker_offset: n > 0 ? off : null,
        maker_qty: n > 0 ? qty : null,
      });
    }
  }
  return rows;
}

/** The schema of a {@linkcode TakerJob}, by kind. */
const JOB_COMMON = {
  kind: str(),
  game: GAME_VARIANT,
  seed: int(0, 2 ** 31 - 1),
  play: arrayOf(TAKER_CASE),
  settings: SETTINGS,
};
const TAKER_JOB = variant("kind", {
  learned: { ...JOB_COMMON, train: TAKER_CASE },
  baseline: { ...JOB_COMMON, makers: MAKER_SETTING },
  colearn: JOB_COMMON,
}, "takerJob");

function checkJob(job: TakerJob): void {
  checkOptions({ job }, { job: TAKER_JOB });
  if (job.kind === "baseline") {
    checkMakerSpecs(job.makers.policy, "job.makers.policy", job.settings.game);
  }
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

/** The schema of {@linkcode TakerStudyRunOptions} (the compiler keeps its keys complete). */
const TAKER_STUDY_OPTIONS = {
  takers: arrayOf(TAKER_CASE, { minLength: 1 }),
  baselines: arrayOf(MAKER_SETTING),
  games: optional(arrayOf(GAME_VARIANT, { minLength: 1 })),
  seeds: int(1, 1e6),
  settings: SETTINGS,
  ...STUDY_RUN_OPTIONS,
} satisfies Record<keyof TakerStudyRunOptions, Field<unknown>>;

/**
 * The study's jobs: per game and seed, the co-learning job first (the longest, so that workers
 * balance), then one learned job per training taker, then one job per baseline.
 *
 * @example
 * ```ts
 * import { takerJobs } from "./jobs.ts";
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
  // Every option is checked here, before any job runs (checks only: the values are used as
  // given); takerStudy passes its run options too.
  checkOptions(options, TAKER_STUDY_OPTIONS, { owner: "takerStudy" });
  const seeds = options.seeds;
  const games = options.games ?? GAME_VARIANTS;
  const { takers, baselines, settings } = options;
  const labels: string[] = [];
  takers.forEach((t, i) => {
    if (labels.includes(t.label) || t.label === LEARNING_TAKER) {
      throw new ConfigError(
        `takers[${i}].label`,
        `a label unlike the others and other than "${LEARNING_TAKER}"`,
        t.label,
      );
    }
    labels.push(t.label);
  });
  baselines.forEach((b, i) => checkMakerSpecs(b.policy, `baselines[${i}].policy`, settings.game));
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

const KEYS = {
  game: "str",
  makers: "str",
  train_taker: "str",
  play_taker: "str",
  seed: "int",
} as const;

/** The study's tables (rows of {@linkcode takerJob}; columns of the module doc). */
export const takerStudyDef: Study<TakerJob, keyof TakerStudy> = defineStudy({
  module: import.meta.url,
  fn: "takerJob",
  tables: {
    play: {
      columns: {
        ...KEYS,
        episodes: "int",
        taker_pnl: "float",
        cost_bps: "float",
        avg_price: "float",
        executed: "float",
        sweep_qty: "float",
        maker_pnl: "float",
        maker_mtm: "float",
        maker_volume: "float",
        maker_share: "float",
        fills_per_step: "float",
        size: "float",
      },
    },
    steps: {
      columns: {
        ...KEYS,
        step: "int",
        child_qty: "float",
        sold: "float",
        cum_frac: "float",
        step_pnl: "float",
        step_vwap: "float",
        maker_offset: "float",
        maker_qty: "float",
      },
    },
    train: {
      columns: {
        game: "str",
        train_taker: "str",
        seed: "int",
        episodes: "int",
        converged: "bool",
        converged_at: "int",
        coverage: "float",
        final_maker_pnl: "float",
        final_taker_pnl: "float",
      },
    },
    dynamics: {
      columns: {
        game: "str",
        seed: "int",
        check: "int",
        episode: "int",
        side: "str",
        change: "float",
        recurrence: "float",
        eval_pnl: "float",
      },
    },
    verdict: {
      columns: {
        game: "str",
        seed: "int",
        episodes: "int",
        outcome: "str",
        settled_at: "int",
        period: "int",
      },
    },
  },
});

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

/** Options of {@linkcode takerStudy}: the study, and how to run it. */
export interface TakerStudyRunOptions extends TakerStudyOptions, StudyRunOptions {}

/** Runs the study's jobs ({@linkcode takerJobs}) and returns its frames. */
export function takerStudy(options: TakerStudyRunOptions): Promise<TakerStudy> {
  return takerStudyDef.run(takerJobs(options), options);
}
