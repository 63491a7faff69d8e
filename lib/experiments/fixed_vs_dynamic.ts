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
 * import { fixedDynamicJob } from "./fixed_vs_dynamic.ts";
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
import pl from "nodejs-polars";
import { checkInt, checkOneOf, ConfigError } from "../errors.ts";
import {
  createGame,
  episodeFrame,
  type FollowerOptions,
  type GameConfig,
  type MakerPolicySpec,
  type ReplenisherOptions,
} from "../game/mod.ts";
import {
  greedyPolicies,
  type LearnerSettings,
  type TrainGameConfig,
  trainMakers,
  type TrainMakerSpec,
} from "../makers/mod.ts";
import { merge, sweep } from "../sweep/mod.ts";
import type { TakerCase } from "./market.ts";
import { GAME_VARIANTS, type GameVariant, NO_TRAINING } from "./takers/mod.ts";

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
  /** Training episodes of the Q-learning makers of a population. */
  readonly episodes: number;
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

/**
 * Runs one job (the sweep's experiment function; see the module doc) and returns its rows.
 * Deterministic: the rows depend on the job only.
 */
export function fixedDynamicJob(job: FixedDynamicJob): FixedDynamicRow[] {
  if (typeof job !== "object" || job === null) throw new ConfigError("job", "an object", job);
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
      learner: s.learner,
      episodes: checkInt("settings.episodes", s.episodes, 1, 1e9),
      evalEpisodes: s.trainEvalEpisodes ?? 5,
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
    const game = createGame({ ...config, policy, taker: play.taker, record: true });
    const tick = game.config.tickSize;
    const acc = {
      pnl: new Float64Array(n),
      mtm: new Float64Array(n),
      volume: new Float64Array(n),
      other: new Float64Array(n),
      share: new Float64Array(n),
      fills: new Float64Array(n),
    };
    let cost = 0, bgShare = 0;
    const frames: pl.DataFrame[] = [];
    for (let k = 0; k < E; k++) {
      const sm = game.run(`eval:${seed}:${k}`);
      for (let i = 0; i < n; i++) {
        acc.pnl[i] += sm.makerPnl[i] / E;
        acc.mtm[i] += sm.makerMtm[i] / E;
        acc.volume[i] += sm.makerVolume[i] / E;
        acc.other[i] += sm.makerOtherVolume[i] / E;
        acc.share[i] += sm.makerShare[i] / E;
        acc.fills[i] += sm.makerFills[i] / E;
      }
      cost += sm.shortfallBps / E;
      bgShare += sm.backgroundShare / E;
      frames.push(episodeFrame(game));
    }
    const frame = pl.concat(frames, { how: "vertical" })
      .filter(pl.col("role").eq(pl.lit("maker")))
      .withColumns(
        pl.col("agent").str.slice(6).cast(pl.Int32).alias("maker"),
        pl.col("bid_price").eq(pl.col("best_bid")).and(pl.col("bid_qty").gt(pl.lit(0)))
          .cast(pl.Float64).alias("at_best"),
        pl.when(pl.col("step").lt(pl.lit(early))).then(pl.col("fills")).otherwise(pl.lit(0))
          .alias("early_fills"),
      );
    const per = frame.groupBy("maker").agg(
      pl.col("queue_ahead").mean().alias("queue_ahead"),
      pl.col("at_best").mean().alias("at_best"),
      pl.col("bid_offset").cast(pl.Float64).mean().alias("bid_offset"),
      pl.col("early_fills").sum().alias("early_fills"),
    ).sort("maker");
    const col = (c: string) => per.getColumn(c).toArray() as (number | null)[];
    const [queue, atBest, offset, earlyFills] = [
      col("queue_ahead"),
      col("at_best"),
      col("bid_offset"),
      col("early_fills"),
    ];
    for (let i = 0; i < n; i++) {
      rows.push({
        table: "makers",
        ...keys,
        play_taker: play.label,
        maker: i,
        kind: kinds[i],
        makers: n,
        episodes: E,
        pnl: acc.pnl[i],
        mtm: acc.mtm[i],
        volume: acc.volume[i],
        other_volume: acc.other[i],
        share: acc.share[i],
        fills: acc.fills[i],
        early_volume: (earlyFills[i] ?? 0) / E,
        queue_ahead: queue[i],
        at_best: atBest[i],
        bid_offset: offset[i],
        pnl_ticks: acc.pnl[i] / tick,
        mtm_ticks: acc.mtm[i] / tick,
        taker_cost_bps: cost,
        background_share: bgShare,
      });
    }
    const adapted = job.train === null || job.train.label === play.label;
    if (stepTakers.has(play.label) && adapted) {
      const st = frame.groupBy(["maker", "step"]).agg(
        pl.col("queue_ahead").mean().alias("queue_ahead"),
        pl.col("fills").mean().alias("fills"),
        pl.col("bid_offset").cast(pl.Float64).mean().alias("bid_offset"),
        pl.col("bid_qty").mean().alias("bid_qty"),
      ).sort(["maker", "step"]);
      const c = (name: string) => st.getColumn(name).toArray() as (number | null)[];
      const [mk, step, q, f, off, bq] = ["maker", "step", "queue_ahead", "fills", "bid_offset"]
        .concat("bid_qty").map(c);
      for (let r = 0; r < st.height; r++) {
        rows.push({
          table: "steps",
          ...keys,
          play_taker: play.label,
          maker: mk[r],
          kind: kinds[mk[r]!],
          step: step[r],
          queue_ahead: q[r],
          fills: f[r],
          bid_offset: off[r],
          bid_qty: bq[r],
        });
      }
    }
  }
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

/**
 * The study's jobs: per game, population and seed, one job per training taker for populations
 * with Q-learning makers (the longer jobs, first), one job for the others.
 *
 * @example
 * ```ts
 * import { fixedDynamicJobs } from "./fixed_vs_dynamic.ts";
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
  const seeds = checkInt("seeds", options.seeds, 1, 1e6);
  const games = options.games ?? GAME_VARIANTS;
  const { populations, takers, settings } = options;
  const labels = populations.map((p) => p.label);
  if (new Set(labels).size !== labels.length) {
    throw new ConfigError("populations", "distinct labels", labels);
  }
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

/** The frames of a study (see the module doc). */
export interface FixedDynamicStudy {
  /** One row per (population, game, training taker, play taker, seed, maker). */
  readonly makers: pl.DataFrame;
  /** One row per (…, maker, step) for the recorded play takers. */
  readonly steps: pl.DataFrame;
  /** One row per job with learners. */
  readonly train: pl.DataFrame;
}

const KEYS = ["population", "game", "train_taker", "play_taker", "seed"];
const TABLES: Record<keyof FixedDynamicStudy, readonly string[]> = {
  makers: [
    ...KEYS,
    "maker",
    "kind",
    "makers",
    "episodes",
    "pnl",
    "mtm",
    "volume",
    "other_volume",
    "share",
    "fills",
    "early_volume",
    "queue_ahead",
    "at_best",
    "bid_offset",
    "pnl_ticks",
    "mtm_ticks",
    "taker_cost_bps",
    "background_share",
  ],
  steps: [...KEYS, "maker", "kind", "step", "queue_ahead", "fills", "bid_offset", "bid_qty"],
  train: [
    "population",
    "game",
    "train_taker",
    "seed",
    "episodes",
    "converged",
    "converged_at",
    "final_pnl",
  ],
};
const STRINGS = new Set(["population", "game", "train_taker", "play_taker", "kind"]);
const INTS = new Set(["seed", "maker", "makers", "episodes", "step", "converged_at"]);

/**
 * Splits the merged rows of {@linkcode fixedDynamicJob} (a sweep's frame) into the study's
 * frames, with the columns of the module doc in that order (labels as strings, counts as Int32,
 * `converged` as booleans, the rest Float64).
 */
export function splitFixedDynamic(df: pl.DataFrame): FixedDynamicStudy {
  const have = new Set(df.columns);
  const out = {} as Record<keyof FixedDynamicStudy, pl.DataFrame>;
  for (const [name, cols] of Object.entries(TABLES) as [keyof FixedDynamicStudy, string[]][]) {
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

/** The study's frames from rows of {@linkcode fixedDynamicJob} run in this thread (tests). */
export function fixedDynamicFromRows(rows: readonly FixedDynamicRow[]): FixedDynamicStudy {
  return splitFixedDynamic(merge([0], new Map([[0, rows]])));
}

/** Options of {@linkcode fixedDynamicStudy}: the study, and how to run it. */
export interface FixedDynamicRunOptions extends FixedDynamicOptions {
  /** Workers. Default `navigator.hardwareConcurrency`; the frames do not depend on it. */
  readonly workers?: number;
  /** Called after each job (for a progress line). */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/** Runs the study's jobs ({@linkcode fixedDynamicJobs}) on Web Workers; returns its frames. */
export async function fixedDynamicStudy(
  options: FixedDynamicRunOptions,
): Promise<FixedDynamicStudy> {
  const df = await sweep({
    module: new URL(import.meta.url),
    fn: "fixedDynamicJob",
    jobs: fixedDynamicJobs(options),
    workers: options.workers,
    onResult: options.onResult,
  });
  return splitFixedDynamic(df);
}

/**
 * Aggregates the `makers` frame by kind within each population run: one row per (population,
 * game, training taker, play taker, seed, kind) with `count` (makers of the kind), per-maker
 * means of `pnl`, `mtm`, `volume`, `share`, `early_volume`, `queue_ahead`, `at_best`,
 * `bid_offset`; the kind's totals `kind_share` and `kind_pnl`; per-unit values in ticks as
 * ratios of sums: `pnl_per_unit` (PnL share per contract bought from the taker), `mtm_per_unit`
 * (marked-to-P0 PnL per contract bought from anyone); `early_frac` (share of the kind's volume
 * from the taker bought in the first steps); `taker_cost_bps`.
 *
 * @example
 * ```ts
 * import { pl } from "../report/frames.ts";
 * import { kindSummary } from "./fixed_vs_dynamic.ts";
 * const one = { population: "p", game: "g", train_taker: "—", play_taker: "t", seed: 0 };
 * const makers = pl.DataFrame([
 *   { ...one, maker: 0, kind: "replenisher", pnl: 2, mtm: 1, volume: 100, other_volume: 0,
 *     share: 0.1, early_volume: 50, queue_ahead: 10, at_best: 1, bid_offset: 1, pnl_ticks: 200,
 *     mtm_ticks: 100, taker_cost_bps: 2 },
 *   { ...one, maker: 1, kind: "replenisher", pnl: 4, mtm: 3, volume: 300, other_volume: 0,
 *     share: 0.3, early_volume: 50, queue_ahead: 20, at_best: 1, bid_offset: 1, pnl_ticks: 400,
 *     mtm_ticks: 300, taker_cost_bps: 2 },
 * ]);
 * const [r] = kindSummary(makers).toRecords();
 * if (r.count !== 2 || r.pnl !== 3 || r.kind_share !== 0.4 || r.mtm_per_unit !== 1) {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function kindSummary(makers: pl.DataFrame): pl.DataFrame {
  const by = [...KEYS, "kind"];
  const means = ["pnl", "mtm", "volume", "share", "early_volume", "queue_ahead", "at_best"]
    .concat("bid_offset");
  return makers.groupBy(by).agg(
    pl.col("maker").count().cast(pl.Int32).alias("count"),
    ...means.map((c) => pl.col(c).mean().alias(c)),
    pl.col("share").sum().alias("kind_share"),
    pl.col("pnl").sum().alias("kind_pnl"),
    pl.col("pnl_ticks").sum().div(pl.col("volume").sum()).alias("pnl_per_unit"),
    pl.col("mtm_ticks").sum().div(pl.col("volume").sum().add(pl.col("other_volume").sum()))
      .alias("mtm_per_unit"),
    pl.col("early_volume").sum().div(pl.col("volume").sum()).alias("early_frac"),
    pl.col("taker_cost_bps").first().alias("taker_cost_bps"),
  ).sort(by);
}
