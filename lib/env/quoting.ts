/**
 * What the market-making environments share: the discrete action space of a two-sided quoter,
 * the observation indices every variant keeps in the same place, the per-step `info` record, and
 * the {@linkcode QuotingEnv} interface that agents, the episode runner and the conformance checker
 * program against.
 *
 * ## Actions
 * A grid of half-spreads `h` × skews `s` (both in the environment's price unit: ticks for the
 * book environment, price units for the Avellaneda–Stoikov one) plus two special actions:
 *
 * | action                          | meaning                                                   |
 * | ------------------------------- | --------------------------------------------------------- |
 * | `i · skews.length + j`          | quote a bid `h_i + s_j` below the mid and an ask `h_i − s_j` above it |
 * | `nQuotes` (= `cancel`)          | cancel both quotes (stay out of the market)               |
 * | `nQuotes + 1` (= `flatten`)     | cancel both quotes and send a market order for the whole inventory |
 *
 * A positive skew lowers both quotes: it is the distance `mid − r` to an Avellaneda–Stoikov
 * reservation price `r`, what a long maker wants (sell sooner, buy later). The default grids give
 * 5 × 5 + 2 = 27 actions for the book environment.
 *
 * @module
 */
import { anything, checkOptions, ConfigError, num, numbers, optional, str } from "../errors.ts";
import type { FillLog } from "../metrics/fills.ts";
import type { BoxSpace, Env, ResetResult, StepResult } from "./types.ts";

/** Observation index of the inventory, `q / maxInventory` (both environments). */
export const OBS_INVENTORY = 0;
/** Observation index of the mark-to-market PnL, `(cash + q · mid) / pnlScale` (both). */
export const OBS_PNL = 1;
/** Observation index of the time remaining, `(episodeLength − t) / episodeLength` in [0, 1]. */
export const OBS_TIME = 2;

/** The half-spread × skew grid of the quote actions. */
export interface ActionGrid {
  /** Half-spreads, price units (ticks for the book environment). */
  readonly halfSpreads: readonly number[];
  /** Skews `mid − reservation price`, price units; positive lowers both quotes. */
  readonly skews: readonly number[];
}

/** The decoded action table: quote actions `0 .. nQuotes − 1`, then `cancel`, then `flatten`. */
export interface ActionTable {
  /** Number of actions, `nQuotes + 2`. */
  readonly n: number;
  /** Number of quote actions, `halfSpreads.length · skews.length`. */
  readonly nQuotes: number;
  /** The cancel-all action, `nQuotes`. */
  readonly cancel: number;
  /** The flatten action, `nQuotes + 1`. */
  readonly flatten: number;
  /** The grid's half-spreads. */
  readonly halfSpreads: Float64Array;
  /** The grid's skews. */
  readonly skews: Float64Array;
  /** Distance of the bid below the mid for each quote action, `h + s`. */
  readonly bidOffset: Float64Array;
  /** Distance of the ask above the mid for each quote action, `h − s`. */
  readonly askOffset: Float64Array;
}

/** One action, decoded (for logs and tables; allocates). */
export type QuoteAction =
  | {
    readonly kind: "quote";
    readonly halfSpread: number;
    readonly skew: number;
    readonly bidOffset: number;
    readonly askOffset: number;
  }
  | { readonly kind: "cancel" }
  | { readonly kind: "flatten" };

/** Options of {@linkcode actionTable}. */
export interface ActionTableOptions extends ActionGrid {
  /** Smallest allowed half-spread (the book environment needs 1 tick so its quotes never cross). */
  readonly minHalfSpread: number;
  /** Field prefix for error messages, e.g. `""` or `"config."`. Default `""`. */
  readonly field?: string;
}

/**
 * Builds and validates the action table. Throws `ConfigError` naming `halfSpreads[i]` or
 * `skews[j]` for a value out of range, and for empty or oversized grids.
 *
 * @example
 * ```ts
 * import { actionTable } from "./quoting.ts";
 * const t = actionTable({ halfSpreads: [1, 2], skews: [-1, 0, 1], minHalfSpread: 1 });
 * // action 5 = half-spread 2 (i = 1), skew 1 (j = 2): bid 3 below, ask 1 above the mid
 * if (t.n !== 8 || t.cancel !== 6) throw new Error();
 * if (t.bidOffset[5] !== 3 || t.askOffset[5] !== 1) throw new Error();
 * ```
 */
export function actionTable(options: ActionTableOptions): ActionTable {
  const o = checkOptions(options, ACTION_TABLE_OPTIONS, { owner: "actionTable" });
  const pre = o.field;
  // Numbers, not strings: `"2" >= 1` holds in JavaScript, and `"2" + 0` is `"20"`.
  const list = (lo: number) => numbers({ lo, hi: 1e9, minLength: 1, maxLength: 4096 });
  const hs = list(o.minHalfSpread).check(o.halfSpreads, `${pre}halfSpreads`);
  const sk = list(-1e9).check(o.skews, `${pre}skews`);
  const nQuotes = hs.length * sk.length;
  if (nQuotes > 65_534) {
    throw new ConfigError(
      `${pre}halfSpreads.length * ${pre}skews.length`,
      "at most 65534",
      nQuotes,
    );
  }
  const bidOffset = new Float64Array(nQuotes);
  const askOffset = new Float64Array(nQuotes);
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < sk.length; j++) {
      bidOffset[i * sk.length + j] = hs[i] + sk[j];
      askOffset[i * sk.length + j] = hs[i] - sk[j];
    }
  }
  return {
    n: nQuotes + 2,
    nQuotes,
    cancel: nQuotes,
    flatten: nQuotes + 1,
    halfSpreads: Float64Array.from(hs),
    skews: Float64Array.from(sk),
    bidOffset,
    askOffset,
  };
}

const ACTION_TABLE_OPTIONS = {
  halfSpreads: anything("checked below"),
  skews: anything("checked below"),
  minHalfSpread: num(0, 1e9),
  field: optional(str({ empty: true }), ""),
};

/**
 * The quote action for half-spread index `i` and skew index `j`.
 *
 * @example
 * ```ts
 * import { actionTable, quoteAction } from "./quoting.ts";
 * const t = actionTable({ halfSpreads: [1, 2], skews: [-1, 0, 1], minHalfSpread: 1 });
 * if (quoteAction(t, { half: 1, skew: 1 }) !== 4) throw new Error();
 * ```
 */
export function quoteAction(table: ActionTable, index: { half: number; skew: number }): number {
  const ns = table.skews.length;
  const { half, skew } = index;
  if (!Number.isInteger(half) || half < 0 || half >= table.halfSpreads.length) {
    throw new ConfigError("half", `an integer in [0, ${table.halfSpreads.length - 1}]`, half);
  }
  if (!Number.isInteger(skew) || skew < 0 || skew >= ns) {
    throw new ConfigError("skew", `an integer in [0, ${ns - 1}]`, skew);
  }
  return half * ns + skew;
}

/**
 * The quote action whose offsets are nearest (least squares) to the wanted bid and ask offsets;
 * ties go to the lower index. Allocation-free.
 *
 * @example
 * ```ts
 * import { actionTable, nearestQuoteAction } from "./quoting.ts";
 * const t = actionTable({ halfSpreads: [1, 2, 3], skews: [-1, 0, 1], minHalfSpread: 1 });
 * // wanted bid 2.9 below, ask 1.2 above: half-spread 2, skew 1 (offsets 3 and 1)
 * if (nearestQuoteAction(t, 2.9, 1.2) !== 5) throw new Error();
 * ```
 */
export function nearestQuoteAction(table: ActionTable, bid: number, ask: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let a = 0; a < table.nQuotes; a++) {
    const db = table.bidOffset[a] - bid;
    const da = table.askOffset[a] - ask;
    const d = db * db + da * da;
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

/**
 * Decodes action `a` (allocates; for logs and tables). Throws `ConfigError` for an invalid action.
 *
 * @example
 * ```ts
 * import { actionTable, describeAction } from "./quoting.ts";
 * const t = actionTable({ halfSpreads: [1], skews: [0], minHalfSpread: 1 });
 * if (describeAction(t, 2).kind !== "flatten") throw new Error();
 * ```
 */
export function describeAction(table: ActionTable, a: number): QuoteAction {
  checkAction(table.n, a);
  if (a === table.cancel) return { kind: "cancel" };
  if (a === table.flatten) return { kind: "flatten" };
  const ns = table.skews.length;
  return {
    kind: "quote",
    halfSpread: table.halfSpreads[Math.floor(a / ns)],
    skew: table.skews[a % ns],
    bidOffset: table.bidOffset[a],
    askOffset: table.askOffset[a],
  };
}

/** Throws `ConfigError` unless `a` is an integer action in `[0, n − 1]`. */
export function checkAction(n: number, a: number): void {
  if ((a >>> 0) !== a || a >= n) {
    throw new ConfigError("action", `an integer in [0, ${n - 1}]`, a);
  }
}

/** Why an episode terminated (`""` while it has not). */
export type StopReason = "" | "maxLoss" | "inventory";

/**
 * The per-step record in `info`. The environment owns one object and overwrites it on every
 * `reset` and `step`: copy what you keep. Money is in the environment's price unit (ticks for the
 * book environment), quantities in units of the asset.
 */
export type StepInfo = {
  /** Steps taken in this episode (0 after `reset`). */
  step: number;
  /** Mid after the step (ticks may end in .5). */
  mid: number;
  /** Signed inventory after the step. */
  inventory: number;
  /** Cash after the step (fees and rebates included); 0 at reset. */
  cash: number;
  /** Mark-to-market wealth `cash + inventory · mid`; the PnL since reset. */
  pnl: number;
  /** Cumulative fees paid since reset: taker fees minus maker rebates (already in `cash`). */
  fees: number;
  /** Fills of the maker's resting quotes in this step (passive fills). */
  passiveFills: number;
  /** Quantity of those fills. */
  passiveQty: number;
  /** Quantity the maker traded as a taker (flatten orders) in this step. */
  takerQty: number;
  /** Price of the maker's resting bid after the step, NaN if none. */
  bidPrice: number;
  /** Price of the maker's resting ask after the step, NaN if none. */
  askPrice: number;
  /** Reward term: weighted change of mark-to-market wealth. */
  rewardPnl: number;
  /** Reward term: `−η_q · inventory²` (≤ 0). */
  rewardInventory: number;
  /** Reward term: asymmetric dampening `−max(0, η_d · inventory · Δmid)` (≤ 0). */
  rewardDampening: number;
  /** Reward term: weighted spread capture of this step's passive fills. */
  rewardSpreadCapture: number;
  /** Reward term: target tracking `−η_t·(inventory − inventoryTarget)²` (≤ 0). */
  rewardTarget: number;
  /** The inventory target the agent gave for this step (0 for the discrete actions). */
  inventoryTarget: number;
  /** Quantity left on the maker's resting bid after the step, 0 if none. */
  bidQty: number;
  /** Quantity left on the maker's resting ask after the step, 0 if none. */
  askQty: number;
  /** Why the episode terminated, `""` otherwise. */
  stop: StopReason;
};

/** A fresh {@linkcode StepInfo} with every number 0 and no quotes. */
export function createStepInfo(): StepInfo {
  return {
    step: 0,
    mid: 0,
    inventory: 0,
    cash: 0,
    pnl: 0,
    fees: 0,
    passiveFills: 0,
    passiveQty: 0,
    takerQty: 0,
    bidPrice: NaN,
    askPrice: NaN,
    rewardPnl: 0,
    rewardInventory: 0,
    rewardDampening: 0,
    rewardSpreadCapture: 0,
    rewardTarget: 0,
    inventoryTarget: 0,
    bidQty: 0,
    askQty: 0,
    stop: "",
  };
}

/** The numeric fields of {@linkcode StepInfo}, in a fixed order (for recording). */
export const STEP_INFO_NUMBERS = [
  "step",
  "mid",
  "inventory",
  "cash",
  "pnl",
  "fees",
  "passiveFills",
  "passiveQty",
  "takerQty",
  "bidPrice",
  "askPrice",
  "rewardPnl",
  "rewardInventory",
  "rewardDampening",
  "rewardSpreadCapture",
  "rewardTarget",
  "inventoryTarget",
  "bidQty",
  "askQty",
] as const;

/**
 * What an agent may know about a quoting environment besides its spaces: the action grid, the
 * scales of the observation, and the nominal model parameters (for the Avellaneda–Stoikov
 * baseline).
 */
export interface QuotingSpec {
  /** `"book"`: the order-book environment; `"as"`: the Avellaneda–Stoikov model. */
  readonly kind: "book" | "as";
  /** The action table. */
  readonly actions: ActionTable;
  /** Steps per episode (truncation). */
  readonly episodeLength: number;
  /** Inventory scale: `obs[OBS_INVENTORY] = q / maxInventory`. */
  readonly maxInventory: number;
  /** PnL scale: `obs[OBS_PNL] = pnl / pnlScale`. */
  readonly pnlScale: number;
  /** Model time per step (1 for the book environment, `dt` for the Avellaneda–Stoikov one). */
  readonly dt: number;
  /**
   * Nominal volatility of the mid, price units per √(model time): the book environment's
   * reference-price random walk, `sqrt(moveProb)` ticks per √step (0 under a scripted flow);
   * the Avellaneda–Stoikov model's `σ`.
   */
  readonly sigma: number;
  /** Price units per tick, for the fill metrics (1: prices are ticks or reported as they are). */
  readonly tickSize: number;
}

/** The step result of a quoting environment, with its typed `info`. */
export interface QuotingStepResult extends StepResult<Float64Array> {
  info: StepInfo;
}

/** The reset result of a quoting environment, with its typed `info`. */
export interface QuotingResetResult extends ResetResult<Float64Array> {
  info: StepInfo;
}

/**
 * A market-making environment: a Gymnasium-style {@linkcode Env} plus what the episode runner and
 * the baselines read. `reset` and `step` return the same result objects each time, and the same
 * observation buffer unless the environment was made with `copyObs: true`: copy what you keep.
 * Calling `step` after the episode ended (terminated or truncated) throws; call `reset`.
 */
export interface QuotingEnv extends Env<Float64Array, number> {
  /** The action grid, scales and nominal parameters. */
  readonly spec: QuotingSpec;
  /** The info record of the last `reset`/`step` (the object those return). */
  readonly info: Readonly<StepInfo>;
  /**
   * The maker's passive fills in the current episode, with `step[i] = s` for a fill during step
   * `s` (0-based), so that `mid` recorded before that step (`info.mid` after step `s − 1`, or at
   * reset) is the mid the quotes were set against: the convention of `lib/metrics`.
   */
  readonly fills: FillLog;
  /** Orders the maker placed in this episode (each new or re-priced quote counts once). */
  readonly ordersPlaced: number;
  /** Quantity those orders quoted (units). */
  readonly quotedQty: number;
  reset(options?: { seed?: number }): QuotingResetResult;
  step(action: number): QuotingStepResult;
}

/**
 * A market-making environment with a box action space (`continuous.ts`): the quoting interface
 * with `step` taking a vector.
 */
export interface ContinuousQuotingEnv extends Omit<QuotingEnv, "actionSpace" | "step"> {
  readonly actionSpace: BoxSpace;
  step(action: Float64Array): QuotingStepResult;
}
