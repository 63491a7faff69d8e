/**
 * The taker study of notebook 01 (market mechanics): the taker strategies against background
 * liquidity alone (0 makers), and the ladder's recovery after a block sale. One job plays one
 * (background, taker) case for its seeds ({@linkcode marketJob}); {@linkcode runTakers} lists the
 * jobs and runs them through the study scaffold (`lib/sweep/study.ts`), in this thread or on
 * workers, with the same tables either way.
 *
 * **What is measured, and why a probe.** The game records the book *after* each step, that is
 * after the background's refill. With the default refill (`refillOrder: "level"`) every level the
 * taker emptied gets at least one contract back at once, so the recorded best bid is back at
 * `P0 − gap` after every step and shows no impact at all. The job therefore wraps the background
 * in a probe that reads the book when the background's `step` is called, which is right after the
 * taker's child order (and the deadline sweep) and before the refill: the best bid the sale left
 * behind (`post_sale_bid`) and the background's missing depth (`deficit_post_sale`). The probe
 * only reads the book; it changes no outcome (the tests compare with the bare game).
 *
 * Prices are in ticks relative to P0 (negative: below P0); with the default P0 of 10,000 ticks one
 * tick is one basis point of P0. Quantities are contracts.
 *
 * @example
 * ```ts
 * import { runTakers } from "./jobs.ts";
 * const r = await runTakers({
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   backgrounds: [{ label: "linear", options: {} }],
 *   seeds: 2,
 *   workers: 0,
 * });
 * if (r.episodes.height !== 2 || r.steps.height !== 2 * 60) throw new Error("2 episodes of 60");
 * const cost = r.episodes.getColumn("shortfall_bps").toArray() as number[];
 * if (cost[0] !== cost[1]) throw new Error("noise off: every seed gives the same episode");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { BID, NONE, type OrderBook } from "../../book/mod.ts";
import {
  arrayOf,
  checkInt,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  object,
  optional,
  str,
} from "../../errors.ts";
import {
  type BackgroundFactory,
  backgroundRow,
  createGame,
  type EpisodeSummary,
  type GameBackgroundOptions,
  type GameRecord,
  type GameSpec,
  resolveGame,
  takerRow,
} from "../../game/mod.ts";
import {
  BACKGROUND,
  bidProfile,
  createBackground,
  validateBackgroundOptions,
} from "../../market/mod.ts";
import {
  defineStudy,
  type Study,
  type StudyFrames,
  type StudyRunOptions,
} from "../../sweep/mod.ts";
import type { TakerSpec } from "../../takers/mod.ts";
import { TAKER_SPEC } from "../_fields.ts";

/** Initial price of every run, in ticks (one tick is then one basis point of P0). */
export const P0 = 10_000;

/** A taker strategy with the label it carries in the frames. */
export interface TakerCase {
  /** Label, e.g. `"TWAP"`. */
  label: string;
  /** The strategy. */
  taker: TakerSpec;
}

/** Background options with the label they carry in the frames. */
export interface BackgroundCase {
  /** Label, e.g. `"linear"`. */
  label: string;
  /** Background options (`createBackground`'s, without `p0`); `{}` for the defaults. */
  options: GameBackgroundOptions;
}

/** Options of {@linkcode runTakers}. */
export interface TakerRunOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** Taker strategies (rows of the frames are grouped by background, then taker, then seed). */
  takers: readonly TakerCase[];
  /** Backgrounds. */
  backgrounds: readonly BackgroundCase[];
  /** Episodes per (background, taker): seeds `firstSeed … firstSeed + seeds − 1`. */
  seeds: number;
  /** First root seed. Default 0. */
  firstSeed?: number;
  /** Game variant. Default `{kind: "known"}` (game 1, 8,000 contracts). */
  game?: GameSpec;
  /** Steps per episode. Default 60. */
  steps?: number;
}

/** Frames of {@linkcode runTakers}. */
export interface TakerRunResult {
  /**
   * One row per episode: `background`, `taker`, `seed`, `size`, `executed`, `sweep_qty` (sold by
   * the deadline sweep), `unsold`, `avg_price` (average execution price, ticks vs P0),
   * `avg_price_usd` (in currency), `shortfall` (implementation shortfall, currency),
   * `shortfall_bps` (of `size · P0`), `peak_impact` (ticks from P0 to the lowest best bid a child
   * order left), `mean_impact` (the same, averaged over the steps), `peak_deficit` (most
   * background bid depth missing right after a child order, contracts), `last_sale_step` (last
   * step in which the taker sold, −1 if none), `noise_volume` (volume traded by noise orders).
   */
  episodes: pl.DataFrame;
  /**
   * One row per episode and step: `background`, `taker`, `seed`, `step`, `child_qty`, `sold`
   * (what the taker executed this step, sweep included), `cum_frac` (fraction of `size` sold so
   * far), `post_sale_bid` (best bid right after the child order, before the refill; ticks vs P0,
   * NaN if the bid side is empty), `best_bid` (after the refill and noise, ticks vs P0),
   * `step_vwap` (average price of the step's sale, ticks vs P0, null if nothing sold),
   * `deficit_post_sale` and `deficit` (background bid depth missing before and after the
   * refill, contracts).
   */
  steps: pl.DataFrame;
}

/** One job: a (background, taker) case played on its seeds. Plain data. */
export interface MarketJob {
  /** The background. */
  readonly background: BackgroundCase;
  /** The taker. */
  readonly taker: TakerCase;
  /** Root seeds, one episode each. */
  readonly seeds: readonly number[];
  /** Game variant. */
  readonly game: GameSpec;
  /** Steps per episode. */
  readonly steps: number;
}

/** What the probe reads each step, right after the taker's child order. */
interface Probe {
  depth0: number;
  postBid: Float64Array;
  postDepth: Float64Array;
}

/**
 * A background factory that builds the background of `options` and reads the book right before
 * each of its steps (after the taker's child order, before the refill) into `probe`. The profile
 * is resolved once (not per episode).
 */
function probedBackground(
  options: GameBackgroundOptions,
  p0: number,
  probe: Probe,
): BackgroundFactory {
  const resolved = validateBackgroundOptions({ ...options, p0 });
  const profile = bidProfile(resolved);
  const { depthLevels: _d, totalDepth: _t, ...rest } = options;
  const opts = { ...rest, profile };
  return ({ p0, rng }) => {
    const bg = createBackground({ ...opts, p0 }, rng);
    return {
      init(book: OrderBook) {
        bg.init(book);
        probe.depth0 = book.ownerResting(BACKGROUND, BID);
      },
      step(book: OrderBook, t: number) {
        const bb = book.bestBid();
        probe.postBid[t] = bb === NONE ? NaN : bb - p0;
        probe.postDepth[t] = book.ownerResting(BACKGROUND, BID);
        bg.step(book, t);
      },
    };
  };
}

/** Throws unless `cases` is a non-empty array with distinct non-empty labels. */
export function checkCases(field: string, cases: readonly { label: string }[]): void {
  if (!Array.isArray(cases) || cases.length === 0) {
    throw new ConfigError(field, "a non-empty array of labelled cases", cases);
  }
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const label = checkObject(`${field}[${i}]`, c, "a labelled case").label;
    if (typeof label !== "string" || label === "" || seen.has(label)) {
      throw new ConfigError(`${field}[${i}].label`, "a non-empty label unlike the others", label);
    }
    seen.add(label);
  });
}

/**
 * A background case's options, checked by `lib/market` with their path
 * (`backgrounds[0].options.resilience`); `p0` is the study's ({@linkcode P0}), not an option.
 */
export const BACKGROUND_CASE_OPTIONS: Field<GameBackgroundOptions> = custom(
  "background options (lib/market, without p0)",
  (v, path) => {
    const o = checkObject(path, v, "background options (lib/market, without p0)");
    if ("p0" in o) throw new ConfigError(`${path}.p0`, `absent (the study's P0 is ${P0})`, o.p0);
    validateBackgroundOptions({ ...o, p0: P0 }, { path });
    return v as GameBackgroundOptions;
  },
);

/** A {@linkcode TakerCase}. */
const TAKER_CASE = object({ label: str(), taker: TAKER_SPEC }, "runTakers");
/** A {@linkcode BackgroundCase}. */
export const BACKGROUND_CASE: Field<BackgroundCase> = object(
  { label: str(), options: BACKGROUND_CASE_OPTIONS },
  "runTakers",
);

type Row = Record<string, unknown>;

/** The step rows of one episode, and the episode's peak and mean impact, deficit, last sale. */
function stepRows(key: Row, s: EpisodeSummary, r: GameRecord, probe: Probe, tick: number) {
  const rows: Row[] = [];
  let lowest = Infinity, sumImpact = 0, worstDeficit = 0, last = -1, cum = 0;
  for (let t = 0; t < r.steps; t++) {
    const q = r.takerFilled[t];
    cum += q;
    const defPost = probe.depth0 - probe.postDepth[t];
    rows.push({
      table: "steps",
      ...key,
      step: t,
      child_qty: r.childQty[t],
      sold: q,
      cum_frac: s.size > 0 ? cum / s.size : 0,
      post_sale_bid: probe.postBid[t],
      best_bid: r.bestBid[t] === NONE ? NaN : r.bestBid[t] - P0,
      // The taker's reward is in currency: its proceeds this step.
      step_vwap: q > 0 ? r.reward[takerRow(r, t)] / tick / q : null,
      deficit_post_sale: defPost,
      deficit: probe.depth0 - r.bidQty[backgroundRow(r, t)],
    });
    if (probe.postBid[t] < lowest) lowest = probe.postBid[t];
    sumImpact += -probe.postBid[t];
    if (defPost > worstDeficit) worstDeficit = defPost;
    if (q > 0) last = t;
  }
  const impact = {
    peak_impact: -lowest,
    mean_impact: sumImpact / r.steps,
    peak_deficit: worstDeficit,
    last_sale_step: last,
  };
  return { rows, impact };
}

/**
 * Plays one (background, taker) case with **no makers** on each of `job.seeds` (each episode
 * re-seeds all streams from its own seed, so results do not depend on how cases are split into
 * jobs). Rows of the tables `episodes` and `steps` ({@linkcode TakerRunResult}).
 */
export function marketJob(job: MarketJob): Row[] {
  const probe: Probe = {
    depth0: 0,
    postBid: new Float64Array(job.steps),
    postDepth: new Float64Array(job.steps),
  };
  const game = createGame({
    p0: P0,
    steps: job.steps,
    // The taker's problem against the background alone: it starts at step 0 and its window is
    // the whole episode (an arrival later would only shift the same episode).
    arrival: { kind: "fixed" },
    makers: 0,
    taker: job.taker.taker,
    game: job.game,
    background: probedBackground(job.background.options, P0, probe),
    record: true,
  });
  const tick = game.config.tickSize;
  const out: Row[] = [];
  for (const seed of job.seeds) {
    const s = game.run(seed);
    const key = { background: job.background.label, taker: job.taker.label, seed };
    const { rows, impact } = stepRows(key, s, game.record(), probe, tick);
    out.push({
      table: "episodes",
      ...key,
      size: s.size,
      executed: s.executed,
      sweep_qty: s.sweepQty,
      unsold: s.unsold,
      avg_price: s.avgPrice - P0,
      avg_price_usd: s.avgPrice * tick,
      shortfall: s.shortfall,
      shortfall_bps: s.shortfallBps,
      ...impact,
      noise_volume: s.otherVolume,
    }, ...rows);
  }
  return out;
}

const KEYS = { background: "str", taker: "str", seed: "int" } as const;

/** The study's tables (rows of {@linkcode marketJob}; columns of {@linkcode TakerRunResult}). */
export const marketStudyDef: Study<MarketJob, "episodes" | "steps"> = defineStudy({
  module: import.meta.url,
  fn: "marketJob",
  tables: {
    episodes: {
      columns: {
        ...KEYS,
        size: "float",
        executed: "float",
        sweep_qty: "float",
        unsold: "float",
        avg_price: "float",
        avg_price_usd: "float",
        shortfall: "float",
        shortfall_bps: "float",
        peak_impact: "float",
        mean_impact: "float",
        peak_deficit: "float",
        last_sale_step: "int",
        noise_volume: "float",
      },
    },
    steps: {
      columns: {
        ...KEYS,
        step: "int",
        child_qty: "float",
        sold: "float",
        cum_frac: "float",
        post_sale_bid: "float",
        best_bid: "float",
        step_vwap: "float",
        deficit_post_sale: "float",
        deficit: "float",
      },
    },
  },
});

/** The schema of {@linkcode runTakers}'s options (the compiler keeps its keys complete). */
const TAKER_RUN_OPTIONS = {
  takers: arrayOf(TAKER_CASE, { minLength: 1 }),
  backgrounds: arrayOf(BACKGROUND_CASE, { minLength: 1 }),
  seeds: int(1, 1_000_000),
  firstSeed: optional(int(0, 2 ** 31 - 2), 0),
  game: optional(
    custom<GameSpec>("a game spec (lib/game)", (v) => {
      resolveGame(v); // names its fields game.kind, game.size.max, …
      return v as GameSpec;
    }),
    { kind: "known" },
  ),
  steps: optional(int(1, 1_000_000), 60),
  workers: optional(int(0, 1024)),
  progress: optional(fn<NonNullable<TakerRunOptions["progress"]>>("a function (total) => line")),
} satisfies Record<keyof TakerRunOptions, Field<unknown>>;

/**
 * The jobs of {@linkcode runTakers}: one per (background, taker), backgrounds outermost. Every
 * option is checked here, before any job runs (the cases' taker specs and background options by
 * `lib/takers` and `lib/market`, with their paths).
 */
export function marketJobs(options: TakerRunOptions): MarketJob[] {
  const o = checkOptions(options, TAKER_RUN_OPTIONS, { owner: "runTakers" });
  const { takers, backgrounds, seeds, steps, game } = o;
  checkCases("takers", takers);
  checkCases("backgrounds", backgrounds);
  const first = checkInt("firstSeed", o.firstSeed, 0, 2 ** 31 - 1 - seeds);
  const list = Array.from({ length: seeds }, (_, k) => first + k);
  return backgrounds.flatMap((background) =>
    takers.map((taker) => ({ background, taker, seeds: list, game, steps }))
  );
}

/**
 * Runs every taker strategy against every background with **no makers**, `seeds` episodes each.
 * With the background's defaults nothing is random and every seed gives the same episode; noise
 * flow (`noiseRate > 0`), Poisson refill or game 2's size draws make seeds differ.
 *
 * @example
 * ```ts
 * import { runTakers } from "./jobs.ts";
 * const r = await runTakers({
 *   takers: [{ label: "block", taker: { kind: "aggressive", rate: 1 } }],
 *   backgrounds: [{ label: "linear", options: {} }],
 *   seeds: 1,
 *   workers: 0,
 * });
 * const [peak] = r.episodes.getColumn("peak_impact").toArray() as number[];
 * if (peak !== 31) throw new Error(`8,000 at once walks the default ladder 31 ticks, got ${peak}`);
 * ```
 */
export function runTakers(options: TakerRunOptions): Promise<StudyFrames<"episodes" | "steps">> {
  return marketStudyDef.run(marketJobs(options), options);
}
