/**
 * Experiments of notebook 06 (fixed-price replenishment versus dynamic bidding): populations of
 * makers that mix fixed-price replenishers with dynamic bidders (the follower baseline or
 * Q-learning makers), head to head (1 + 1) and mixed (2 + 1, 1 + 2), against each taker strategy,
 * in game 1 and game 2. Jobs run on Web Workers (`lib/sweep/`); {@linkcode fixedDynamicStudy}
 * returns Polars frames.
 *
 * ## One job ({@linkcode fixedDynamicJob})
 * 1. The population's makers, in its order: `"replenisher"` (the fixed-price replenisher with
 *    `settings.replenisher`), `"follower"` (the dynamic follower with `settings.follower`) or `"q"`
 *    (a Q-learning maker).
 * 2. With Q-learning makers, they are trained together (all learn at once, the baselines in the
 *    same book) against the taker `trainMakers` for `episodes` episodes (`trainMakers` of `lib/makers`, root
 *    seed `seed`), then replayed greedily. Without, `trainMakers` is null and nothing is trained.
 * 3. Against every taker of `play`, `evalEpisodes` episodes seeded `eval:<seed>:0`, … (the same
 *    episodes for every population and taker of a seed: common random numbers), recorded: the
 *    per-step frame of each episode (`episodeFrame`) gives the queue position and the timing of
 *    the fills, the episode summary the PnL.
 *
 * ## Frames ({@linkcode FixedDynamicStudy})
 * - `makers`, one row per (population, game, training taker, play taker, seed, maker), means per
 *   episode over the evaluation episodes: `kind`, `makers` (population size), `pnl` (the PnL
 *   share, the learning reward), `mtm` (own fills marked to P0: what the maker books), `volume`
 *   (bought from the taker), `other_volume` (from noise sellers), `share` (market share of the
 *   taker's volume), `fills` (count of fills by the taker), `early_volume` (bought from the taker
 *   in the first `earlySteps` steps), `queue_ahead` (quantity ahead of its bid in the queue,
 *   mean over the steps it has a bid resting), `at_best` (share of the steps its bid rests at
 *   the best bid), `bid_offset` (ticks below P0 of its price setting), `taker_cost_bps`,
 *   `background_share`;
 * - `steps`, one row per (…, maker, step) for the play takers in `stepTakers` (with Q-makers
 *   only when they trained against that taker): `queue_ahead`, `fills`, `bid_offset`, `bid_qty`,
 *   means over the evaluation episodes (`queue_ahead` over those with a bid resting);
 * - `trainMakers`, one row per job with learners: `converged`, `converged_at`, `final_pnl` (the
 *   learners' greedy evaluation PnL at the last check, summed).
 *
 * PnL is in currency (ticks × tick size). {@linkcode kindSummary} aggregates the makers of one
 * kind within a population (per-maker means, the kind's total share, and per-unit PnL as ratios
 * of sums).
 *
 * @example
 * ```ts
 * import { fixedDynamicJob } from "./jobs.ts";
 * const rows = fixedDynamicJob({
 *   population: { label: "1R+1F", kinds: ["replenisher", "follower"] },
 *   game: { label: "game 1", game: { kind: "known", size: 1000 } },
 *   train: null,
 *   play: [{ label: "aggressive", taker: { kind: "aggressive" } }],
 *   seed: 0,
 *   settings: { episodes: 1, evalEpisodes: 2, game: { steps: 10 } },
 * });
 * const makers = rows.filter((r) => r.table === "makers");
 * if (makers.length !== 2 || makers[0].kind !== "replenisher") throw new Error("two makers");
 * if (rows.filter((r) => r.table === "steps").length !== 2 * 10) throw new Error("per step");
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import {
  arrayOf,
  checkInt,
  checkObject,
  checkOneOf,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  nullable,
  object,
  oneOf,
  optional,
  str,
} from "../../errors.ts";
import {
  evaluateGame,
  type FollowerOptions,
  type GameConfig,
  type GameEvaluation,
  type MakerPolicySpec,
  type ReplenisherOptions,
} from "../../game/mod.ts";
import {
  convergenceRegime,
  greedyPolicies,
  LEARNER_SETTINGS,
  type LearnerSettings,
  REGIME_OPTIONS,
  type RegimeOptions,
  type TrainGameConfig,
  trainMakers,
  type TrainMakerSpec,
} from "../../makers/mod.ts";
import { defineStudy, type Study, type StudyRunOptions } from "../../sweep/mod.ts";
import type { TakerCase } from "../market/mod.ts";
import { GAME_VARIANTS, type GameVariant, NO_TRAINING } from "../takers/mod.ts";
import {
  checkMakerSpec,
  gameOptions,
  gameVariant,
  STUDY_RUN_OPTIONS,
  takerCase,
} from "../_fields.ts";

/** The kinds of maker in a population. */
export const MAKER_KINDS = ["replenisher", "follower", "q"] as const;

/** One of {@linkcode MAKER_KINDS}. */
export type MakerKind = typeof MAKER_KINDS[number];

/** A population of makers, in book order, with its label (e.g. `"2R+1Q"`). */
export interface Population {
  /** Label, e.g. `"1R+1F"`. */
  readonly label: string;
  /** One kind per maker. */
  readonly kinds: readonly MakerKind[];
}

/** Budgets and settings shared by every job. Plain data. */
export interface FixedDynamicSettings {
  /** Training episodes of the Q-learning makers of a population (required unless `regime`). */
  readonly episodes?: number;
  /**
   * Train in the converging regime instead (`convergenceRegime` of `lib/makers`); then
   * `episodes`, `trainEvalEpisodes` and `learner` are the regime's and must not be given.
   */
  readonly regime?: RegimeOptions;
  /** Evaluation episodes per (population, play taker, seed). */
  readonly evalEpisodes: number;
  /** "Early" fills are those of the first `earlySteps` steps. Default 5. */
  readonly earlySteps?: number;
  /** Greedy evaluation episodes at each training check. Default 5. */
  readonly trainEvalEpisodes?: number;
  /** Options of every replenisher. Default: the game's. */
  readonly replenisher?: ReplenisherOptions;
  /** Options of every follower. Default: the game's. */
  readonly follower?: FollowerOptions;
  /** Learner settings of the Q-learning makers. Default: `trainMakers`'s. */
  readonly learner?: LearnerSettings;
  /** Play-taker labels whose per-step frame is kept. Default `["aggressive"]`. */
  readonly stepTakers?: readonly string[];
  /** Other game fields (steps, bid rules, background options, …). Default: the game's. */
  readonly game?: Omit<TrainGameConfig, "seed" | "makers" | "game">;
}

/** A population: its kinds one of {@linkcode MAKER_KINDS}, one to 64 makers. */
const POPULATION = object({
  label: str(),
  kinds: arrayOf(oneOf(MAKER_KINDS), { minLength: 1, maxLength: 64 }),
}, "fixedDynamicJobs");

/** A replenisher's or follower's options; checked as a spec by `checkPolicyOptions`. */
const POLICY_OPTIONS = custom<Record<string, unknown>>(
  "a maker's options (lib/game)",
  (v, path) => {
    const o = checkObject(path, v, "a maker's options (lib/game)");
    if ("kind" in o) {
      throw new ConfigError(
        `${path}.kind`,
        "absent (the population sets it)",
        o.kind,
      );
    }
    return o;
  },
);

/** The schema of {@linkcode FixedDynamicSettings} (the compiler keeps its keys complete). */
const SETTINGS = object(
  {
    episodes: optional(int(1, 1e9)),
    regime: optional(object(REGIME_OPTIONS, "fixedDynamicJobs")),
    evalEpisodes: int(1, 1e7),
    earlySteps: optional(int(0, 1e6)),
    trainEvalEpisodes: optional(int(0, 1e6)),
    replenisher: optional(POLICY_OPTIONS),
    follower: optional(POLICY_OPTIONS),
    learner: optional(object(LEARNER_SETTINGS, "fixedDynamicJobs")),
    stepTakers: optional(arrayOf(str())),
    game: optional(gameOptions(["seed", "makers", "game", "policy", "taker", "record"])),
  } satisfies Record<keyof FixedDynamicSettings, Field<unknown>>,
  "fixedDynamicJobs",
);

/** The training fields: the settings' own budget, or the converging regime's (`regime`). */
function trainingOf(s: FixedDynamicSettings, game: Omit<GameConfig, "taker" | "record">) {
  if (s.regime === undefined) {
    return {
      learner: s.learner,
      episodes: checkInt("settings.episodes", s.episodes, 1, 1e9),
      evalEpisodes: s.trainEvalEpisodes ?? 5,
    };
  }
  for (const k of ["episodes", "trainEvalEpisodes", "learner"] as const) {
    if (s[k] !== undefined) {
      throw new ConfigError(`settings.${k}`, "absent: the regime sets it", s[k]);
    }
  }
  return convergenceRegime(game, s.regime);
}

/** Checks the replenisher's and follower's options as specs, in the study's game settings. */
function checkPolicyOptions(s: FixedDynamicSettings, prefix: string): void {
  for (const kind of ["replenisher", "follower"] as const) {
    if (s[kind] !== undefined) {
      checkMakerSpec({ kind, ...s[kind] }, `${prefix}settings.${kind}`, s.game);
    }
  }
}

/** One job (plain JSON; see the module doc). */
export interface FixedDynamicJob {
  /** The makers. */
  readonly population: Population;
  /** The game variant. */
  readonly game: GameVariant;
  /** The taker the Q-learning makers train against; null when the population has none. */
  readonly train: TakerCase | null;
  /** The takers the population plays. */
  readonly play: readonly TakerCase[];
  /** Root seed of training, and of the evaluation seeds `eval:<seed>:<k>`. */
  readonly seed: number;
  /** Budgets and settings. */
  readonly settings: FixedDynamicSettings;
}

/** A row of a job's output (`table` names its frame). */
export type FixedDynamicRow = Record<string, number | string | boolean | null>;

function makerSpec(kind: MakerKind, s: FixedDynamicSettings): TrainMakerSpec {
  switch (kind) {
    case "replenisher":
      return { kind: "replenisher", ...(s.replenisher ?? {}) };
    case "follower":
      return { kind: "follower", ...(s.follower ?? {}) };
    case "q":
      return { kind: "q" };
    default: {
      const never: never = kind;
      throw new ConfigError("population.kinds", MAKER_KINDS.join(", "), never);
    }
  }
}

/** The schema of a {@linkcode FixedDynamicJob} (the compiler keeps its keys complete). */
const JOB = {
  population: POPULATION,
  game: gameVariant("fixedDynamicJob"),
  train: nullable(takerCase("fixedDynamicJob")),
  play: arrayOf(takerCase("fixedDynamicJob")),
  seed: int(0, 2 ** 31 - 1),
  settings: SETTINGS,
} satisfies Record<keyof FixedDynamicJob, Field<unknown>>;

/**
 * Runs one job (the sweep's experiment function; see the module doc) and returns its rows.
 * Deterministic: the rows depend on the job only.
 */
export function fixedDynamicJob(job: FixedDynamicJob): FixedDynamicRow[] {
  checkOptions(job, JOB, { path: "job", owner: "fixedDynamicJob" });
  checkPolicyOptions(job.settings, "job.");
  const s = job.settings;
  const seed = checkInt("job.seed", job.seed, 0, 2 ** 31 - 1);
  const E = checkInt("settings.evalEpisodes", s.evalEpisodes, 1, 1e7);
  const early = checkInt("settings.earlySteps", s.earlySteps ?? 5, 0, 1e6);
  const kinds = job.population.kinds.map((k, i) =>
    checkOneOf(`population.kinds[${i}]`, k, MAKER_KINDS)
  );
  const n = checkInt("population.kinds.length", kinds.length, 1, 64);
  const learns = kinds.includes("q");
  if (learns !== (job.train !== null)) {
    throw new ConfigError(
      "job.train",
      learns ? "a taker (the population has Q-learning makers)" : "null (nothing learns)",
      job.train,
    );
  }
  const stepTakers = new Set(s.stepTakers ?? ["aggressive"]);
  const specs = kinds.map((k) => makerSpec(k, s));
  const config: Omit<GameConfig, "taker" | "record"> = {
    ...(s.game ?? {}),
    game: job.game.game,
    seed,
    makers: n,
  };
  const keys = {
    population: job.population.label,
    game: job.game.label,
    train_taker: job.train?.label ?? NO_TRAINING,
    seed,
  };
  const rows: FixedDynamicRow[] = [];
  let policy: MakerPolicySpec[];
  if (job.train !== null) {
    const run = trainMakers({
      label: `${job.population.label} / ${job.game.label} / ${job.train.label} / ${seed}`,
      game: config,
      policy: specs,
      taker: job.train.taker,
      ...trainingOf(s, config),
    });
    policy = greedyPolicies(run).policy;
    rows.push({
      table: "train",
      ...keys,
      episodes: run.episodes,
      converged: run.convergence.met,
      converged_at: run.convergence.episode,
      final_pnl: kinds.reduce((a, k, i) => (k === "q" ? a + run.final.makerPnl[i] : a), 0),
    });
  } else {
    policy = specs as MakerPolicySpec[];
  }

  for (const play of job.play) {
    const ev = evaluateGame({
      config: { ...config, policy, taker: play.taker },
      episodes: E,
      seed: (k) => `eval:${seed}:${k}`,
      steps: true,
    });
    const adapted = job.train === null || job.train.label === play.label;
    const keep = stepTakers.has(play.label) && adapted;
    rows.push(
      ...makerRows({ ev, kinds, early, keys: { ...keys, play_taker: play.label }, steps: keep }),
    );
  }
  return rows;
}

/**
 * The `makers` rows (and with `steps` the `steps` rows) of one population against one play taker,
 * from its evaluation: per-maker means over the episodes, and from the per-step means the queue
 * position (over the steps with a bid resting), the share of steps at the best bid, the bid
 * offset and the fills in the first `early` steps.
 */
function makerRows(o: {
  ev: GameEvaluation;
  kinds: readonly MakerKind[];
  early: number;
  keys: FixedDynamicRow;
  steps: boolean;
}): FixedDynamicRow[] {
  const { ev, kinds } = o;
  const n = kinds.length, E = ev.episodes, st = ev.steps!;
  const p0 = ev.game.config.p0, tick = ev.game.config.tickSize, N = st.childQty.length;
  const rows: FixedDynamicRow[] = kinds.map((kind, i) => {
    const m = ev.makers[i], s = st.makers[i];
    let queue = 0, queued = 0, atBest = 0, offset = 0, earlyFills = 0;
    for (let t = 0; t < N; t++) {
      if (s.queued[t] > 0) {
        queue += s.queueAhead[t] * s.queued[t];
        queued += s.queued[t];
      }
      atBest += s.atBest[t];
      offset += p0 - s.bidPrice[t];
      if (t < o.early) earlyFills += s.fills[t];
    }
    return {
      table: "makers",
      ...o.keys,
      maker: i,
      kind,
      makers: n,
      episodes: E,
      pnl: m.pnl,
      mtm: m.mtm,
      volume: m.volume,
      other_volume: m.otherVolume,
      share: m.share,
      fills: m.fills,
      early_volume: earlyFills,
      queue_ahead: queued > 0 ? queue / queued : null,
      at_best: atBest / N,
      bid_offset: offset / N,
      pnl_ticks: m.pnl / tick,
      mtm_ticks: m.mtm / tick,
      taker_cost_bps: ev.mean.shortfallBps,
      background_share: ev.mean.backgroundShare,
    };
  });
  if (!o.steps) return rows;
  kinds.forEach((kind, i) => {
    const s = st.makers[i];
    for (let t = 0; t < N; t++) {
      rows.push({
        table: "steps",
        ...o.keys,
        maker: i,
        kind,
        step: t,
        queue_ahead: Number.isNaN(s.queueAhead[t]) ? null : s.queueAhead[t],
        fills: s.fills[t],
        bid_offset: p0 - s.bidPrice[t],
        bid_qty: s.bidQty[t],
      });
    }
  });
  return rows;
}

/** What a study runs (see {@linkcode fixedDynamicJobs}). */
export interface FixedDynamicOptions {
  /** Populations. Those with Q-learning makers get one job per training taker. */
  readonly populations: readonly Population[];
  /** Takers: every population plays each; Q-learning makers train against each. */
  readonly takers: readonly TakerCase[];
  /** Game variants. Default game 1 and game 2. */
  readonly games?: readonly GameVariant[];
  /** Seeds `0 … seeds − 1`. */
  readonly seeds: number;
  /** Budgets and settings. */
  readonly settings: FixedDynamicSettings;
}

/** The schema of {@linkcode FixedDynamicRunOptions} (the compiler keeps its keys complete). */
const OPTIONS = {
  populations: arrayOf(POPULATION, { minLength: 1 }),
  takers: arrayOf(takerCase("fixedDynamicJobs"), { minLength: 1 }),
  games: optional(arrayOf(gameVariant("fixedDynamicJobs"), { minLength: 1 })),
  seeds: int(1, 1e6),
  settings: SETTINGS,
  ...STUDY_RUN_OPTIONS,
} satisfies Record<keyof FixedDynamicRunOptions, Field<unknown>>;

/**
 * The study's jobs: per game, population and seed, one job per training taker for populations
 * with Q-learning makers (the longer jobs, first), one job for the others.
 *
 * @example
 * ```ts
 * import { fixedDynamicJobs } from "./jobs.ts";
 * const jobs = fixedDynamicJobs({
 *   populations: [
 *     { label: "1R+1F", kinds: ["replenisher", "follower"] },
 *     { label: "1R+1Q", kinds: ["replenisher", "q"] },
 *   ],
 *   takers: [{ label: "a", taker: { kind: "aggressive" } }, { label: "p", taker: { kind: "passive" } }],
 *   seeds: 2,
 *   settings: { episodes: 10, evalEpisodes: 1 },
 * });
 * if (jobs.length !== 2 * 2 * (2 + 1)) throw new Error("2 games × 2 seeds × (2 trained + 1)");
 * ```
 */
export function fixedDynamicJobs(options: FixedDynamicOptions): FixedDynamicJob[] {
  // Every option is checked here, before any job runs (checks only: the values are used as
  // given); fixedDynamicStudy passes its run options too.
  checkOptions(options, OPTIONS, { owner: "fixedDynamicJobs" });
  checkPolicyOptions(options.settings, "");
  if (options.populations.some((p) => p.kinds.includes("q"))) {
    trainingOf(options.settings, { ...(options.settings.game ?? {}) });
  }
  const seeds = options.seeds;
  const games = options.games ?? GAME_VARIANTS;
  const { populations, takers, settings } = options;
  const labels = populations.map((p) => p.label);
  labels.forEach((l, i) => {
    if (labels.indexOf(l) !== i) {
      throw new ConfigError(`populations[${i}].label`, "a label unlike the others", l);
    }
  });
  const learning = populations.filter((p) => p.kinds.includes("q"));
  const fixedOnly = populations.filter((p) => !p.kinds.includes("q"));
  const jobs: FixedDynamicJob[] = [];
  for (const game of games) {
    for (const population of learning) {
      for (let seed = 0; seed < seeds; seed++) {
        for (const t of takers) {
          jobs.push({ population, game, train: t, play: takers, seed, settings });
        }
      }
    }
  }
  for (const game of games) {
    for (const population of fixedOnly) {
      for (let seed = 0; seed < seeds; seed++) {
        jobs.push({ population, game, train: null, play: takers, seed, settings });
      }
    }
  }
  return jobs;
}

const KEYS = {
  population: "str",
  game: "str",
  train_taker: "str",
  play_taker: "str",
  seed: "int",
} as const;

/** The study's tables (rows of {@linkcode fixedDynamicJob}; columns of the module doc). */
export const fixedDynamicStudyDef: Study<FixedDynamicJob, keyof FixedDynamicStudy> = defineStudy({
  module: import.meta.url,
  fn: "fixedDynamicJob",
  tables: {
    makers: {
      columns: {
        ...KEYS,
        maker: "int",
        kind: "str",
        makers: "int",
        episodes: "int",
        pnl: "float",
        mtm: "float",
        volume: "float",
        other_volume: "float",
        share: "float",
        fills: "float",
        early_volume: "float",
        queue_ahead: "float",
        at_best: "float",
        bid_offset: "float",
        pnl_ticks: "float",
        mtm_ticks: "float",
        taker_cost_bps: "float",
        background_share: "float",
      },
    },
    steps: {
      columns: {
        ...KEYS,
        maker: "int",
        kind: "str",
        step: "int",
        queue_ahead: "float",
        fills: "float",
        bid_offset: "float",
        bid_qty: "float",
      },
    },
    train: {
      columns: {
        population: "str",
        game: "str",
        train_taker: "str",
        seed: "int",
        episodes: "int",
        converged: "bool",
        converged_at: "int",
        final_pnl: "float",
      },
    },
  },
});

/** The frames of a study (see the module doc). */
export interface FixedDynamicStudy {
  /** One row per (population, game, training taker, play taker, seed, maker). */
  readonly makers: pl.DataFrame;
  /** One row per (…, maker, step) for the recorded play takers. */
  readonly steps: pl.DataFrame;
  /** One row per job with learners. */
  readonly train: pl.DataFrame;
}

/** Options of {@linkcode fixedDynamicStudy}: the study, and how to run it. */
export interface FixedDynamicRunOptions extends FixedDynamicOptions, StudyRunOptions {}

/** Runs the study's jobs ({@linkcode fixedDynamicJobs}) and returns its frames. */
export function fixedDynamicStudy(options: FixedDynamicRunOptions): Promise<FixedDynamicStudy> {
  return fixedDynamicStudyDef.run(fixedDynamicJobs(options), options);
}
