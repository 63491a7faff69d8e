/**
 * The episode runner: plays an agent in a {@linkcode QuotingEnv}, records every step into
 * preallocated typed arrays, builds one Polars DataFrame per episode (not per row), and computes
 * the `lib/metrics` figures of the episode.
 *
 * ## The per-step record
 * Row `i` (0 ≤ i ≤ steps) is the state after `i` steps; row 0 is the state at reset. `action[i]`
 * and `reward[i]` (and its terms) belong to step `i` (the transition from row `i − 1` to row `i`);
 * row 0 has action −1 and reward 0. The other columns are the step's `info` numbers
 * ({@linkcode STEP_INFO_NUMBERS}): `mid`, `inventory`, `cash`, `pnl`, `fees`, `passiveFills`,
 * `passiveQty`, `takerQty`, `bidPrice`, `askPrice`, the reward terms, and `step`. A fill during
 * the step from row `s` to row `s + 1` has `fills.step = s`, so `mid[fills.step]` is the mid the
 * quotes were priced against: the convention of `lib/metrics`, which take the columns as they are.
 *
 * In an environment with box actions (`ContinuousQuotingEnv`) `action` is −1 in every row and
 * the vectors are in `actionVectors` (row-major, NaN in row 0), framed as `action_<name>` columns.
 *
 * ## The metrics ({@linkcode episodeMetrics})
 * Final PnL (`pnl` at the last row), per-step Sharpe of the PnL path (unannualised), maximum
 * drawdown, inventory variance and mean |inventory| over the rows, fill rate (filled / quoted
 * quantity, and fills per order), spread capture per unit (ticks: the environment's `tickSize`),
 * and markouts with the adverse-selection rate at several horizons (steps).
 *
 * @module
 */
import pl from "nodejs-polars";
import {
  bool,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  intSeed,
  num,
  numbers,
  optional,
  positive,
} from "../errors.ts";
import {
  filledQty,
  type FillLog,
  fillRate,
  inventoryVariance,
  markouts,
  maxDrawdown,
  meanAbsInventory,
  sharpe,
  spreadCapture,
} from "../metrics/mod.ts";
import { createFillLog } from "../metrics/fills.ts";
import {
  type ContinuousQuotingEnv,
  type QuotingEnv,
  STEP_INFO_NUMBERS,
  type StepInfo,
} from "./quoting.ts";
import type { Action, Transition } from "./types.ts";

/** A transition handed to a learning agent: the {@linkcode Transition} of `types.ts`. */
export type EpisodeTransition<A extends Action = number> = Transition<A>;

/** What the runner needs of an agent (the `Agent` of `lib/agents` fits). */
export interface EpisodeAgent<A extends Action = number> {
  /** Chooses an action; `explore: true` during training. */
  act(obs: Float64Array, options?: { readonly explore?: boolean }): A;
  /** Learns from a transition; returns a loss or NaN. */
  observe?(t: EpisodeTransition<A>): number;
}

/** The quoting environment of an action type: the grid's, or the box's. */
export type QuotingEnvOf<A extends Action> = A extends number ? QuotingEnv : ContinuousQuotingEnv;

/** A numeric `info` field recorded per step. */
export type InfoColumn = (typeof STEP_INFO_NUMBERS)[number];

/** The per-step record of one episode (see the module doc for the row layout). */
export interface EpisodeRecord {
  /** Steps taken; every array has `steps + 1` rows. */
  readonly steps: number;
  /** Action of step `i` (−1 in row 0; −1 everywhere for box actions). */
  readonly action: Int32Array;
  /** Box actions: `(steps + 1) × dim`, row-major, NaN in row 0; `null` for discrete actions. */
  readonly actionVectors?: Float64Array | null;
  /** Names of the box action's dimensions (for the frame's `action_<name>` columns). */
  readonly actionNames?: readonly string[];
  /** Reward of step `i` (0 in row 0). */
  readonly reward: Float64Array;
  /** Loss reported by `agent.observe` at step `i` (NaN when none). */
  readonly loss: Float64Array;
  /** The numeric info fields, one array each. */
  readonly info: Readonly<Record<InfoColumn, Float64Array>>;
  /** Whether the last step terminated (a risk limit) or was truncated (time). */
  readonly terminated: boolean;
  /** See `terminated`. */
  readonly truncated: boolean;
  /** `info.stop` at the end. */
  readonly stop: string;
}

/** The figures of one episode. Money in the environment's price unit, fill metrics in ticks. */
export interface EpisodeMetrics {
  /** Steps taken. */
  readonly steps: number;
  /** Sum of rewards. */
  readonly return: number;
  /** Final mark-to-market PnL. */
  readonly pnl: number;
  /** Per-step Sharpe ratio of the PnL path (`lib/metrics` `sharpe`). */
  readonly sharpe: number;
  /** Maximum drawdown of the PnL path (≥ 0). */
  readonly maxDrawdown: number;
  /** Variance of the inventory over the rows. */
  readonly inventoryVariance: number;
  /** Mean |inventory| over the rows. */
  readonly meanAbsInventory: number;
  /**
   * `Σ q²` of the inventory after each step (rows 1..steps): the running inventory penalty's
   * base (`reward.ts`), so that `pnl − η · inventorySquares` is the PnL net of a penalty `η·q²`.
   */
  readonly inventorySquares: number;
  /** Inventory at the end. */
  readonly finalInventory: number;
  /** Passive fills. */
  readonly fills: number;
  /** Passive filled quantity. */
  readonly filledQty: number;
  /** Filled / quoted quantity (NaN if nothing quoted). */
  readonly fillRate: number;
  /** Fills per order placed (NaN if none placed). */
  readonly fillsPerOrder: number;
  /** Spread capture per unit filled, ticks (NaN without fills). */
  readonly spreadCapture: number;
  /** Fees paid net of rebates. */
  readonly fees: number;
  /** Markout horizons, steps. */
  readonly horizons: readonly number[];
  /** Mean markout per horizon, ticks per unit (NaN where no fill could be evaluated). */
  readonly markout: readonly number[];
  /** Adverse-selection rate per horizon: share of fills with a negative markout. */
  readonly adverseRate: readonly number[];
  /** Share of fills with a markout of exactly 0, per horizon (neither adverse nor favourable). */
  readonly zeroRate: readonly number[];
  /** The episode ended on a risk limit. */
  readonly terminated: boolean;
  /** Why it terminated (`""` if it did not). */
  readonly stop: string;
}

/** Default markout horizons, steps. */
export const DEFAULT_HORIZONS: readonly number[] = Object.freeze([1, 5, 20, 100]);

/** Options of {@linkcode runEpisode}. */
export interface RunEpisodeOptions {
  /** Seed of the reset (none: the environment's streams continue). */
  readonly seed?: number;
  /** Act as in training (`explore: true`). Default false. */
  readonly explore?: boolean;
  /** Feed every transition to `agent.observe` (if it has one). Default false. */
  readonly learn?: boolean;
  /** Markout horizons, steps. Default {@linkcode DEFAULT_HORIZONS}. */
  readonly horizons?: readonly number[];
}

/** One recorded episode. */
export interface EpisodeRun {
  /** The per-step record. */
  readonly record: EpisodeRecord;
  /** A copy of the maker's passive fills. */
  readonly fills: FillLog;
  /** The episode's figures. */
  readonly metrics: EpisodeMetrics;
  /** The per-step record as a DataFrame (columns: `action`, `reward`, `loss`, info fields). */
  readonly frame: pl.DataFrame;
}

/**
 * Plays one episode of `agent` in `env` and records it.
 *
 * @example
 * ```ts
 * import { createAsEnv } from "./as_env.ts";
 * import { runEpisode } from "./runner.ts";
 * const env = createAsEnv();
 * const half = env.spec.actions.halfSpreads.indexOf(0.75);
 * const zero = env.spec.actions.skews.indexOf(0);
 * const action = half * env.spec.actions.skews.length + zero;
 * const run = runEpisode(env, { act: () => action }, { seed: 1 });
 * if (run.frame.height !== 201 || run.metrics.pnl !== run.record.info.pnl[200]) throw new Error();
 * ```
 */
export function runEpisode<A extends Action = number>(
  env: QuotingEnvOf<A>,
  agent: EpisodeAgent<A>,
  options: RunEpisodeOptions = {},
): EpisodeRun {
  const o = checkOptions(options, RUN_EPISODE_OPTIONS, { owner: "runEpisode" });
  const horizons = [...o.horizons];
  const learn = o.learn && agent.observe !== undefined;
  const mode = { explore: o.explore };
  const space = env.actionSpace;
  const adim = space.kind === "box" ? space.low.length : 0;
  let cap = env.spec.episodeLength + 1;
  let action = new Int32Array(cap);
  let vectors = new Float64Array(cap * adim);
  let reward = new Float64Array(cap);
  let loss = new Float64Array(cap);
  let info = {} as Record<InfoColumn, Float64Array>;
  for (const k of STEP_INFO_NUMBERS) info[k] = new Float64Array(cap);
  const write = (row: number, src: Readonly<StepInfo>) => {
    for (const k of STEP_INFO_NUMBERS) info[k][row] = src[k];
  };
  const step = env.step.bind(env) as (a: A) => ReturnType<QuotingEnv["step"]>;
  const res = env.reset(o.seed === undefined ? undefined : { seed: o.seed });
  const obsDim = res.obs.length;
  const prev = new Float64Array(obsDim);
  const t: { -readonly [K in keyof EpisodeTransition<A>]: EpisodeTransition<A>[K] } = {
    obs: prev,
    action: 0 as A,
    reward: 0,
    nextObs: prev,
    terminated: false,
    truncated: false,
  };
  action[0] = -1;
  vectors.fill(NaN, 0, adim);
  loss[0] = NaN;
  write(0, res.info);
  let obs = res.obs;
  let steps = 0;
  let terminated = false;
  let truncated = false;
  while (!terminated && !truncated) {
    const a = agent.act(obs, mode);
    prev.set(obs);
    const r = step(a);
    steps++;
    if (steps >= cap) {
      // Only for an environment whose episodes outrun its spec; grow by doubling.
      cap *= 2;
      action = grow(action, new Int32Array(cap));
      vectors = grow(vectors, new Float64Array(cap * adim));
      reward = grow(reward, new Float64Array(cap));
      loss = grow(loss, new Float64Array(cap));
      const bigger = {} as Record<InfoColumn, Float64Array>;
      for (const k of STEP_INFO_NUMBERS) bigger[k] = grow(info[k], new Float64Array(cap));
      info = bigger;
    }
    if (typeof a === "number") action[steps] = a;
    else {
      action[steps] = -1;
      vectors.set((a as Float64Array).subarray(0, adim), steps * adim);
    }
    reward[steps] = r.reward;
    write(steps, r.info);
    terminated = r.terminated;
    truncated = r.truncated;
    let l = NaN;
    if (learn) {
      t.action = a;
      t.reward = r.reward;
      t.nextObs = r.obs;
      t.terminated = r.terminated;
      t.truncated = r.truncated;
      l = agent.observe!(t);
    }
    loss[steps] = l;
    obs = r.obs;
  }
  const n = steps + 1;
  const cut = {} as Record<InfoColumn, Float64Array>;
  for (const k of STEP_INFO_NUMBERS) cut[k] = info[k].slice(0, n);
  const record: EpisodeRecord = {
    steps,
    action: action.slice(0, n),
    actionVectors: adim > 0 ? vectors.slice(0, n * adim) : null,
    actionNames: adim > 0
      ? (space as { names?: readonly string[] }).names ?? [...Array(adim).keys()].map(String)
      : undefined,
    reward: reward.slice(0, n),
    loss: loss.slice(0, n),
    info: cut,
    terminated,
    truncated,
    stop: env.info.stop,
  };
  const fills = copyFills(env.fills);
  const metrics = episodeMetrics({
    record,
    fills,
    ordersPlaced: env.ordersPlaced,
    quotedQty: env.quotedQty,
    tickSize: env.spec.tickSize,
    horizons,
  });
  return { record, fills, metrics, frame: recordFrame(record) };
}

function grow<T extends Int32Array | Float64Array>(a: T, b: T): T {
  b.set(a);
  return b;
}

function copyFills(src: FillLog): FillLog {
  const out = createFillLog(src.n);
  out.step.set(src.step.subarray(0, src.n));
  out.side.set(src.side.subarray(0, src.n));
  out.price.set(src.price.subarray(0, src.n));
  out.qty.set(src.qty.subarray(0, src.n));
  out.n = src.n;
  return out;
}

const HORIZONS = numbers({ integer: true, lo: 1, hi: 2 ** 31, minLength: 1 }) as Field<
  readonly number[]
>;

const RUN_EPISODE_OPTIONS = {
  seed: optional(intSeed()),
  explore: optional(bool(), false),
  learn: optional(bool(), false),
  horizons: optional(HORIZONS, DEFAULT_HORIZONS),
};

const EPISODE_METRICS_INPUTS = {
  record: custom("an EpisodeRecord (from runEpisode)", (v, p) => {
    checkObject(p, v, "an EpisodeRecord (from runEpisode)");
    return v as EpisodeRecord;
  }),
  fills: custom("a FillLog", (v, p) => {
    checkObject(p, v, "a FillLog");
    return v as FillLog;
  }),
  ordersPlaced: num(0, Number.MAX_SAFE_INTEGER),
  quotedQty: num(0, Number.MAX_VALUE),
  tickSize: positive(),
  horizons: HORIZONS,
};

const RUN_EPISODES_OPTIONS = {
  ...RUN_EPISODE_OPTIONS,
  seed: optional(intSeed(), 0),
  episodes: int(1, 2 ** 31),
  onEpisode: optional(
    fn<(run: EpisodeRun, episode: number) => void | boolean>(
      "a function (run, episode) => void | boolean",
    ),
  ),
};

/** The per-step record as a DataFrame, one row per record row. */
export function recordFrame(record: EpisodeRecord): pl.DataFrame {
  const cols: Record<string, Int32Array | Float64Array> = {
    action: record.action,
    reward: record.reward,
    loss: record.loss,
  };
  for (const k of STEP_INFO_NUMBERS) cols[k] = record.info[k];
  const v = record.actionVectors;
  if (v) {
    const names = record.actionNames ?? [];
    const dim = v.length / (record.steps + 1);
    for (let j = 0; j < dim; j++) {
      cols[`action_${names[j] ?? j}`] = Float64Array.from(
        { length: record.steps + 1 },
        (_, i) => v[i * dim + j],
      );
    }
  }
  return pl.DataFrame(cols);
}

/** Inputs of {@linkcode episodeMetrics}. */
export interface EpisodeMetricsInputs {
  /** The per-step record. */
  readonly record: EpisodeRecord;
  /** The maker's passive fills (`step` indexes the record's rows). */
  readonly fills: FillLog;
  /** Orders placed in the episode. */
  readonly ordersPlaced: number;
  /** Quantity quoted in the episode. */
  readonly quotedQty: number;
  /** Price units per tick (1 for the book environment). */
  readonly tickSize: number;
  /** Markout horizons, steps. */
  readonly horizons: readonly number[];
}

/**
 * The figures of one recorded episode: pure function of its record and fills.
 *
 * @example
 * ```ts
 * import { episodeMetrics, type InfoColumn } from "./runner.ts";
 * import { BUY, fillLogOf, SELL } from "../metrics/mod.ts";
 * import { STEP_INFO_NUMBERS } from "./quoting.ts";
 * // bought 1 at 99 in step 0 (mid 100), sold 1 at 102 in step 1 (mid 101)
 * const col = (v: number[]) => Float64Array.from(v);
 * const info = {} as Record<InfoColumn, Float64Array>;
 * for (const k of STEP_INFO_NUMBERS) info[k] = col([0, 0, 0]);
 * info.mid = col([100, 101, 101]);
 * info.inventory = col([0, 1, 0]);
 * info.cash = col([0, -99, 3]);
 * info.pnl = col([0, 2, 3]);
 * const record = { steps: 2, action: Int32Array.from([-1, 0, 0]), reward: col([0, 2, 1]),
 *   loss: col([NaN, NaN, NaN]), info, terminated: false, truncated: true, stop: "" };
 * const fills = fillLogOf({ step: [0, 1], side: [BUY, SELL], price: [99, 102], qty: [1, 1] });
 * const inputs = { record, fills, ordersPlaced: 4, quotedQty: 4, tickSize: 1, horizons: [1] };
 * const m = episodeMetrics(inputs);
 * // capture: 1 and 1 tick; markout at 1 step: the buy +1, the sell 0
 * if (m.pnl !== 3 || m.spreadCapture !== 1 || m.fillRate !== 0.5 || m.markout[0] !== 0.5) {
 *   throw new Error(JSON.stringify(m));
 * }
 * ```
 */
export function episodeMetrics(inputs: EpisodeMetricsInputs): EpisodeMetrics {
  const { record, fills, tickSize, ...o } = checkOptions(inputs, EPISODE_METRICS_INPUTS, {
    owner: "episodeMetrics",
  });
  const horizons = [...o.horizons];
  const { mid, inventory, pnl, fees } = record.info;
  const n = record.steps + 1;
  const fr = fillRate({ fills, quotedQty: inputs.quotedQty, ordersPlaced: inputs.ordersPlaced });
  const sc = spreadCapture({ fills, mid, tickSize });
  const mk = markouts({ fills, mid, horizons, tickSize });
  let ret = 0, sq = 0;
  for (let i = 1; i < n; i++) {
    ret += record.reward[i];
    sq += inventory[i] * inventory[i];
  }
  return {
    steps: record.steps,
    return: ret,
    pnl: pnl[n - 1],
    sharpe: sharpe(pnl),
    maxDrawdown: maxDrawdown(pnl),
    inventoryVariance: inventoryVariance(inventory),
    meanAbsInventory: meanAbsInventory(inventory),
    inventorySquares: sq,
    finalInventory: inventory[n - 1],
    fills: fills.n,
    filledQty: filledQty(fills),
    fillRate: fr.byQty,
    fillsPerOrder: fr.fillsPerOrder,
    spreadCapture: sc.perUnit,
    fees: fees[n - 1],
    horizons,
    markout: Array.from(mk.mean),
    adverseRate: Array.from(mk.adverseRate),
    zeroRate: Array.from(mk.zeroRate),
    terminated: record.terminated,
    stop: record.stop,
  };
}

/** Options of {@linkcode runEpisodes}. */
export interface RunEpisodesOptions {
  /** Number of episodes. */
  readonly episodes: number;
  /** Episode `e` is reset with seed `seed + e` (common random numbers across agents). Default 0. */
  readonly seed?: number;
  /** Act as in training. Default false. */
  readonly explore?: boolean;
  /** Feed transitions to `agent.observe`. Default false. */
  readonly learn?: boolean;
  /** Markout horizons, steps. Default {@linkcode DEFAULT_HORIZONS}. */
  readonly horizons?: readonly number[];
  /** Called after each episode (e.g. to keep some runs); return false to stop. */
  readonly onEpisode?: (run: EpisodeRun, episode: number) => void | boolean;
}

/** Results of {@linkcode runEpisodes}. */
export interface EpisodesResult {
  /** Figures of each episode. */
  readonly metrics: readonly EpisodeMetrics[];
  /**
   * One row per episode: `episode`, `seed`, the scalar figures, `markout_<h>`, `adverse_<h>`,
   * `zero_<h>`.
   */
  readonly frame: pl.DataFrame;
}

/**
 * Plays `episodes` episodes (seeds `seed`, `seed + 1`, ...) and tabulates their figures.
 *
 * @example
 * ```ts
 * import { createAsEnv } from "./as_env.ts";
 * import { runEpisodes } from "./runner.ts";
 * const env = createAsEnv();
 * const r = runEpisodes(env, { act: () => 40 }, { episodes: 3, seed: 5 });
 * if (r.frame.height !== 3) throw new Error();
 * if (r.frame.getColumn("seed").toArray().join() !== "5,6,7") throw new Error();
 * ```
 */
export function runEpisodes<A extends Action = number>(
  env: QuotingEnvOf<A>,
  agent: EpisodeAgent<A>,
  options: RunEpisodesOptions,
): EpisodesResult {
  const o = checkOptions(options, RUN_EPISODES_OPTIONS, { owner: "runEpisodes" });
  const { episodes, seed } = o;
  if (!Number.isSafeInteger(seed + episodes)) {
    throw new ConfigError(
      "seed",
      `a safe integer below ${Number.MAX_SAFE_INTEGER - episodes}`,
      seed,
    );
  }
  const metrics: EpisodeMetrics[] = [];
  for (let e = 0; e < episodes; e++) {
    const run = runEpisode(env, agent, {
      seed: seed + e,
      explore: o.explore,
      learn: o.learn,
      horizons: o.horizons,
    });
    metrics.push(run.metrics);
    if (o.onEpisode?.(run, e) === false) break;
  }
  return { metrics, frame: metricsFrame(metrics, seed) };
}

const SCALARS = [
  "steps",
  "return",
  "pnl",
  "sharpe",
  "maxDrawdown",
  "inventoryVariance",
  "meanAbsInventory",
  "inventorySquares",
  "finalInventory",
  "fills",
  "filledQty",
  "fillRate",
  "fillsPerOrder",
  "spreadCapture",
  "fees",
] as const;

/**
 * One row per episode: `episode`, `seed` (`seed0 + episode`), the scalar figures, `terminated`,
 * `stop`, and `markout_<h>`, `adverse_<h>`, `zero_<h>` per horizon.
 */
export function metricsFrame(metrics: readonly EpisodeMetrics[], seed0 = 0): pl.DataFrame {
  const n = metrics.length;
  const cols: Record<string, unknown> = {
    episode: Int32Array.from({ length: n }, (_, i) => i),
    seed: Float64Array.from({ length: n }, (_, i) => seed0 + i),
  };
  for (const k of SCALARS) cols[k] = Float64Array.from(metrics, (m) => m[k]);
  cols.terminated = metrics.map((m) => m.terminated);
  cols.stop = metrics.map((m) => m.stop);
  const hs = n > 0 ? metrics[0].horizons : [];
  hs.forEach((h, j) => {
    cols[`markout_${h}`] = Float64Array.from(metrics, (m) => m.markout[j]);
    cols[`adverse_${h}`] = Float64Array.from(metrics, (m) => m.adverseRate[j]);
    cols[`zero_${h}`] = Float64Array.from(metrics, (m) => m.zeroRate[j]);
  });
  return pl.DataFrame(cols);
}
