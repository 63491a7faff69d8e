/**
 * The order-book market-making environment: one maker quotes both sides of the project's
 * {@linkcode OrderBook} against background order flow ({@linkcode poissonFlow} by default), in the
 * Gymnasium style of `lib/env/types.ts`. Two action spaces over the same market:
 *
 * - {@linkcode createMarketMakingEnv}: the discrete grid of `quoting.ts` (half-spread × skew, cancel,
 *   flatten); each quote action is a fixed instruction with both sizes `quoteSize` and an inventory
 *   target of 0.
 * - {@linkcode createContinuousMarketMakingEnv}: the RL spec's five continuous actions in a box
 *   `[−1, 1]^5` (bid and ask offsets, bid and ask sizes, inventory target; `continuous.ts`),
 *   scaled by `continuous` and rounded to ticks and lots inside the environment. A side of size 0
 *   is not quoted (both 0: the discrete grid's cancel); there is no flatten.
 *
 * Both make the same instruction from an action and share everything else, so a continuous action
 * that decodes to a grid action's quote gives the same trajectory (`tests/env_continuous_test.ts`
 * checks it through {@linkcode discretize}).
 *
 * ## One step
 * 1. The action becomes an *instruction*, priced at once against the mid the agent saw: a quote
 *    gives a bid at `ceil(mid − bidOffset)` and an ask at `floor(mid + askOffset)` (rounded
 *    toward the mid, so half-spread 1 joins the best quotes of a one- or two-tick book), with its
 *    sizes; the inventory target takes effect at once (it is part of the reward, not an order).
 * 2. The instruction that was given `latency` steps ago (this step's, for latency 0) reaches the
 *    exchange:
 *    - *quote*: each side is posted **post-only**: a bid that would cross the best ask is placed
 *      one tick below it (an ask, one tick above the best bid). If the maker's own bid and ask
 *      would then cross or touch (possible with continuous offsets only), both move apart around
 *      their middle `m`: the bid to `ceil(m) − 1`, the ask to `floor(m) + 1`. A side whose price is unchanged
 *      and whose size is not raised above the size last asked for keeps its order and its queue
 *      position (a partly filled order is not topped up; it is reduced in place to a smaller size
 *      asked for, or if the inventory limit requires). A new or re-priced quote, or a larger size,
 *      cancels the old order and rests at the back of its level. A side of size 0 is cancelled.
 *    - *cancel*: both quotes are cancelled.
 *    - *flatten*: both quotes are cancelled and a market order for the whole inventory at that
 *      moment is sent (it may fill only partly if the book is thin).
 * 3. The background flow runs one step; the maker's resting quotes fill when market orders or
 *    crossing limit orders reach them (price-time priority, at the quote's price).
 * 4. The observation, the reward terms and the stop conditions are computed.
 *
 * Money: cash and PnL in ticks (price × quantity); a passive fill earns `makerRebate` ticks per
 * unit, a flatten order pays `takerFee` ticks per unit (negative rebates are maker fees).
 *
 * ## Risk limits
 * - `inventoryLimit: "clip"` (default): quote sizes are cut so that `|inventory|` can never exceed
 *   `maxInventory` (a side at the limit is not quoted); the limit never terminates.
 * - `inventoryLimit: "terminate"`: quotes are not cut; an inventory beyond `maxInventory` after a
 *   step **terminates** the episode (`info.stop = "inventory"`).
 * - `maxLoss`: a PnL at or below `−maxLoss` after a step terminates the episode
 *   (`info.stop = "maxLoss"`). Default `Infinity` (off).
 *
 * The end of the window, `episodeLength` steps, is **truncation**. Calling `step` after either
 * throws until `reset`.
 *
 * ## Observation (19 numbers, {@linkcode BOOK_OBS_NAMES})
 * | i     | name           | value                                                          | bounds |
 * | ----- | -------------- | -------------------------------------------------------------- | ------ |
 * | 0     | inventory      | `q / maxInventory`                                             | ±1 (clip), ±(1 + largest quote/maxInventory) (terminate) |
 * | 1     | pnl            | `(cash + q · mid) / pnlScale`                                  | ±∞ |
 * | 2     | time           | steps remaining / `episodeLength`                              | [0, 1] |
 * | 3     | imbalance      | top-of-book `(Vb − Va) / (Vb + Va)` ({@linkcode topImbalance}) | [−1, 1] |
 * | 4     | spread         | `bestAsk − bestBid` ticks, capped at `spreadClip` (the cap when a side is empty) | [1, spreadClip] |
 * | 5, 6  | bidQueue, askQueue | share of the level ahead of the maker's bid / ask ({@linkcode queueFraction}), 1 when none | [0, 1] |
 * | 7     | momentum       | `mid_t − mid_{t − momentumWindow}`, ticks (reset mid before)    | ±∞ |
 * | 8     | flow           | `(buy − sell) / (buy + sell)` market volume of others over `flowWindow` steps, 0 if none | [−1, 1] |
 * | 9–13  | bidDepth1..5   | quantity of the best 5 occupied bid levels / `depthScale`       | [0, ∞) |
 * | 14–18 | askDepth1..5   | same for the ask                                                | [0, ∞) |
 *
 * The mid is `(bestBid + bestAsk) / 2`; while a side is empty the last mid is kept (`p0` before
 * any). Depth and imbalance include the maker's own quotes.
 *
 * ## Determinism and reuse
 * `reset({seed})` re-seeds the flow's streams; `reset()` continues them (the first reset without a
 * seed uses `config.seed`). `step` returns the same result object each time, with the same
 * observation buffer (`copyObs: false`, the default): `bench:env` measured about 0.7–0.95 M
 * steps/s reused against 0.48 M copied, so copying is opt-in. The environment's own code allocates
 * nothing per step (with `--v8-flags=--trace-gc`, a million steps on a static book trigger no
 * scavenge); under the Poisson flow some doubles returned by the engine (order ids past 2^31,
 * quantities) and by the seeded generator are boxed by V8 when it does not inline the call,
 * about one scavenge per 20,000 steps. `reset` builds a new book.
 *
 * @example
 * ```ts
 * import { createMarketMakingEnv } from "./market_making_env.ts";
 * const env = createMarketMakingEnv({ episodeLength: 100 });
 * let { obs } = env.reset({ seed: 1 });
 * const quote = 2 * 5 + 2; // action i·skews.length + j: half-spread 3 (i = 2), skew 0 (j = 2)
 * let steps = 0;
 * for (;;) {
 *   const r = env.step(quote);
 *   steps++;
 *   if (r.terminated || r.truncated) break;
 *   obs = r.obs;
 * }
 * if (steps !== 100 || obs.length !== 19) throw new Error();
 * ```
 * @module
 */
import { ASK, BID, NONE, OrderBook, type Side } from "../book/mod.ts";
import { checkInt, checkNum, ConfigError } from "../errors.ts";
import { makerOwner } from "../market/owners.ts";
import { BUY, createFillLog, type FillLog, SELL } from "../metrics/fills.ts";
import { bookMid, RollingWindow, topImbalance } from "./features.ts";
import {
  checkPoissonFlow,
  type MatchHandler,
  type OrderFlow,
  poissonFlow,
  type PoissonFlowConfig,
} from "./flow.ts";
import {
  type ActionTable,
  actionTable,
  checkAction,
  type ContinuousQuotingEnv,
  createStepInfo,
  type QuotingEnv,
  type QuotingResetResult,
  type QuotingSpec,
  type QuotingStepResult,
  type StepInfo,
} from "./quoting.ts";
import { checkReward, type RewardConfig } from "./reward.ts";
import type { BoxSpace, DiscreteSpace } from "./types.ts";
import {
  askTick,
  bidTick,
  checkContinuousActions,
  CONTINUOUS_ACTION_DEFAULTS,
  type ContinuousActionConfig,
  continuousActionSpace,
  createDecodedQuote,
  decodeAction,
  type DecodedQuote,
} from "./continuous.ts";
import {
  checkConfigKeys,
  checkCopyObsAndSeed,
  checkTradingFields,
  createResults,
  createStepOutcome,
  endStep,
  I_CANCEL,
  I_FLATTEN,
  I_QUOTE,
  InstructionQueue,
  notRunningError,
  resetInfo,
  resetSeed,
  type StepOutcome,
} from "./_common.ts";

/** How the inventory limit acts (see the module doc). */
export type InventoryLimitMode = "clip" | "terminate";

/** Configuration of the order-book environment; every field has a default. */
export interface MarketMakingConfig {
  /**
   * Steps per episode; the episode is truncated after this many. Integer in [1, 10^8]. Default
   * 1,000.
   */
  readonly episodeLength: number;
  /**
   * Steps before an instruction reaches the book (0: in the step it is given). Integer in [0,
   * 10^4]. Default 1.
   */
  readonly latency: number;
  /** Size of each quote, units. Integer in [1, 10^6]. Default 1. */
  readonly quoteSize: number;
  /** Inventory limit, units. Integer in [1, 10^6]. Default 10. */
  readonly maxInventory: number;
  /**
   * `"clip"` quote sizes to respect the limit, or `"terminate"` when it is exceeded. Default
   * "clip".
   */
  readonly inventoryLimit: InventoryLimitMode;
  /**
   * Terminate when the PnL falls to `−maxLoss` ticks or below; number > 0 or Infinity. Default
   * Infinity.
   */
  readonly maxLoss: number;
  /**
   * Rebate earned per unit filled passively, ticks (negative: a maker fee). In [−10^6, 10^6].
   * Default 0.2.
   */
  readonly makerRebate: number;
  /** Fee paid per unit traded by a flatten order, ticks. In [0, 10^6]. Default 0.5. */
  readonly takerFee: number;
  /** Half-spreads of the quote actions, ticks, each ≥ 1. Default [1, 2, 3, 4, 5]. */
  readonly halfSpreads: readonly number[];
  /** Skews of the quote actions, ticks (positive lowers both quotes). Default [−2, −1, 0, 1, 2]. */
  readonly skews: readonly number[];
  /** Reward weights (see `reward.ts`). Default: the PnL alone. */
  readonly reward: RewardConfig;
  /**
   * Scaling of the continuous actions (`continuous.ts`; the continuous environment only).
   * Default {@linkcode CONTINUOUS_ACTION_DEFAULTS}.
   */
  readonly continuous: ContinuousActionConfig;
  /** Initial reference price, ticks. Integer. Default 10,000. */
  readonly p0: number;
  /**
   * The book spans `[p0 − priceRange, p0 + priceRange]` ticks. Integer in [16, 2^21 − 1]. Default
   * 2,000.
   */
  readonly priceRange: number;
  /** Parameters of the default Poisson background flow. */
  readonly flow: PoissonFlowConfig;
  /** Replaces the Poisson flow (e.g. a `scriptedFlow` in tests); `flow` is then ignored. */
  readonly orderFlow?: OrderFlow;
  /** PnL scale of the observation, ticks. Number > 0. Default 100. */
  readonly pnlScale: number;
  /** Depth scale of the observation, units. Number > 0. Default 10. */
  readonly depthScale: number;
  /**
   * Cap on the observed spread, ticks (also its value when a side is empty). Integer in [1, 10^6].
   * Default 20.
   */
  readonly spreadClip: number;
  /** Momentum look-back, steps. Integer in [1, 10^6]. Default 10. */
  readonly momentumWindow: number;
  /** Trade-flow window, steps. Integer in [1, 10^6]. Default 20. */
  readonly flowWindow: number;
  /**
   * Return a fresh copy of the observation on every reset/step instead of one reused buffer.
   * Default false.
   */
  readonly copyObs: boolean;
  /** Seed of the first reset when none is given. Integer. Default 0. */
  readonly seed: number;
}

/** Defaults of {@linkcode MarketMakingConfig} (`orderFlow` absent: the Poisson flow). */
export const MARKET_MAKING_DEFAULTS: Readonly<Omit<MarketMakingConfig, "orderFlow">> = Object
  .freeze({
    episodeLength: 1_000,
    latency: 1,
    quoteSize: 1,
    maxInventory: 10,
    inventoryLimit: "clip",
    maxLoss: Infinity,
    makerRebate: 0.2,
    takerFee: 0.5,
    halfSpreads: [1, 2, 3, 4, 5],
    skews: [-2, -1, 0, 1, 2],
    reward: { pnl: 1, inventoryPenalty: 0, dampening: 0, spreadCapture: 0, targetTracking: 0 },
    continuous: CONTINUOUS_ACTION_DEFAULTS,
    p0: 10_000,
    priceRange: 2_000,
    flow: checkPoissonFlow(undefined),
    pnlScale: 100,
    depthScale: 10,
    spreadClip: 20,
    momentumWindow: 10,
    flowWindow: 20,
    copyObs: false,
    seed: 0,
  });

/** Input of {@linkcode createMarketMakingEnv}: any subset, nested objects partial too. */
export type MarketMakingOptions =
  & Partial<Omit<MarketMakingConfig, "reward" | "flow" | "continuous">>
  & {
    readonly reward?: Partial<RewardConfig>;
    readonly flow?: Partial<PoissonFlowConfig>;
    readonly continuous?: Partial<ContinuousActionConfig>;
  };

/** Names of the observation's dimensions, in order. */
export const BOOK_OBS_NAMES: readonly string[] = Object.freeze([
  "inventory",
  "pnl",
  "time",
  "imbalance",
  "spread",
  "bidQueue",
  "askQueue",
  "momentum",
  "flow",
  "bidDepth1",
  "bidDepth2",
  "bidDepth3",
  "bidDepth4",
  "bidDepth5",
  "askDepth1",
  "askDepth2",
  "askDepth3",
  "askDepth4",
  "askDepth5",
]);

/** Observation indices of the book environment beyond the shared `OBS_*` ones. */
export const BOOK_OBS = Object.freeze({
  inventory: 0,
  pnl: 1,
  time: 2,
  imbalance: 3,
  spread: 4,
  bidQueue: 5,
  askQueue: 6,
  momentum: 7,
  flow: 8,
  bidDepth: 9,
  askDepth: 14,
});

const DEPTH_LEVELS = 5;
const CONFIG_KEYS = [...Object.keys(MARKET_MAKING_DEFAULTS), "orderFlow"];

/**
 * Fills defaults and validates every field; throws `ConfigError` naming the field and its allowed
 * values (e.g. `latency: must be an integer in [0, 10000], got -1`).
 *
 * @example
 * ```ts
 * import { checkMarketMakingConfig } from "./market_making_env.ts";
 * const c = checkMarketMakingConfig({ latency: 0, reward: { inventoryPenalty: 0.1 } });
 * if (c.latency !== 0 || c.reward.pnl !== 1 || c.episodeLength !== 1000) throw new Error();
 * ```
 */
export function checkMarketMakingConfig(options: MarketMakingOptions = {}): MarketMakingConfig {
  checkConfigKeys(options, { name: "MarketMakingConfig", keys: CONFIG_KEYS });
  const d = MARKET_MAKING_DEFAULTS;
  const c = {
    ...d,
    ...options,
    reward: checkReward(options.reward),
    flow: checkPoissonFlow(options.flow),
    continuous: checkContinuousActions(options.continuous),
  } as MarketMakingConfig;
  checkInt("episodeLength", c.episodeLength, 1, 1e8);
  checkTradingFields(c);
  checkInt("priceRange", c.priceRange, 16, 2 ** 21 - 1);
  checkInt("p0", c.p0, c.priceRange, 2 ** 31 - 1 - c.priceRange);
  checkNum("pnlScale", c.pnlScale, 1e-9, 1e12);
  checkNum("depthScale", c.depthScale, 1e-9, 1e12);
  checkInt("spreadClip", c.spreadClip, 1, 1e6);
  checkInt("momentumWindow", c.momentumWindow, 1, 1e6);
  checkInt("flowWindow", c.flowWindow, 1, 1e6);
  checkCopyObsAndSeed(c);
  if (c.orderFlow !== undefined) {
    const f = c.orderFlow as Partial<OrderFlow> | null;
    if (
      f === null || typeof f !== "object" || typeof f.seed !== "function" ||
      typeof f.init !== "function" || typeof f.step !== "function"
    ) {
      throw new ConfigError("orderFlow", "an OrderFlow (seed, init, step)", c.orderFlow);
    }
  }
  actionTable({ halfSpreads: c.halfSpreads, skews: c.skews, minHalfSpread: 1 });
  return c;
}

/** The order-book environment: a {@linkcode QuotingEnv} with its book and configuration. */
export interface MarketMakingEnv extends QuotingEnv, BookEnvState {}

/** What both order-book environments expose beyond the quoting interface. */
export interface BookEnvState {
  /** The resolved configuration. */
  readonly config: Readonly<MarketMakingConfig>;
  /** The current episode's book (a new one per reset). For inspection and tests. */
  readonly book: OrderBook;
  /** The maker's owner id in the book. */
  readonly owner: number;
  /** Id of the maker's resting bid, `NONE` if none. */
  readonly bidId: number;
  /** Id of the maker's resting ask, `NONE` if none. */
  readonly askId: number;
}

/**
 * The order-book environment with continuous actions: the quoting interface with a box action
 * space `[−1, 1]^5` (`continuous.ts`) instead of the grid. `spec.actions` is still the grid of
 * `halfSpreads` × `skews` (the baselines read it).
 */
export interface ContinuousMarketMakingEnv extends ContinuousQuotingEnv, BookEnvState {
  /** The action scaling with `maxTarget` resolved. */
  readonly continuous: Readonly<ContinuousActionConfig & { readonly maxTarget: number }>;
  /** Steps with the box action `action` (5 numbers in [−1, 1]; `ConfigError` otherwise). */
  step(action: Float64Array): QuotingStepResult;
}

/**
 * Creates the order-book market-making environment with the discrete action grid (see the
 * module doc). Throws `ConfigError` for an invalid option.
 */
export function createMarketMakingEnv(options: MarketMakingOptions = {}): MarketMakingEnv {
  return new DiscreteBookEnv(checkMarketMakingConfig(options));
}

/**
 * Creates the order-book market-making environment with the continuous actions of
 * `continuous.ts` (see the module doc). Throws `ConfigError` for an invalid option.
 *
 * @example
 * ```ts
 * import { createContinuousMarketMakingEnv } from "./market_making_env.ts";
 * const env = createContinuousMarketMakingEnv({ episodeLength: 20, latency: 0 });
 * env.reset({ seed: 1 });
 * // 1 tick below and above the mid, 2 lots on the bid, none on the ask, target +5
 * const r = env.step(Float64Array.of(-0.5, -0.5, 1, -1, 0.5));
 * if (r.info.bidQty + r.info.passiveQty < 2 || r.info.askQty !== 0) throw new Error();
 * if (r.info.inventoryTarget !== 5) throw new Error();
 * ```
 */
export function createContinuousMarketMakingEnv(
  options: MarketMakingOptions = {},
): ContinuousMarketMakingEnv {
  return new ContinuousBookEnv(checkMarketMakingConfig(options));
}

/** The maker is the first maker id of `lib/market/owners.ts`. */
const MAKER = makerOwner(0);

/**
 * What both action spaces share: the market, the book, the latency queue and the step's second
 * half ({@linkcode BookCore.advance}). A subclass turns its action into `kind`, `order` and
 * `target` and calls `advance`.
 */
abstract class BookCore implements BookEnvState {
  readonly config: Readonly<MarketMakingConfig>;
  readonly spec: QuotingSpec;
  readonly observationSpace: BoxSpace;
  readonly owner = MAKER;
  readonly info: StepInfo = createStepInfo();
  book: OrderBook;
  fills: FillLog;
  bidId = NONE;
  askId = NONE;
  ordersPlaced = 0;
  quotedQty = 0;

  protected readonly table: ActionTable;
  /** The quote instruction being given (prices and sizes; reused). */
  protected readonly order = { bid: 0, ask: 0, bidSize: 0, askSize: 0 };
  /** The inventory target of the step being taken. */
  protected target = 0;
  /** Sizes the resting bid and ask were last asked for (a larger size re-places the order). */
  private bidAsked = 0;
  private askAsked = 0;
  private readonly flow: OrderFlow;
  private readonly obs: Float64Array;
  private readonly result: QuotingStepResult;
  private readonly resetResult: QuotingResetResult;
  private readonly outcome: StepOutcome;
  private readonly onMatch: MatchHandler;
  private readonly queue: InstructionQueue;
  private readonly momentum: RollingWindow;
  private readonly buyFlow: RollingWindow;
  private readonly sellFlow: RollingWindow;
  private readonly lvPrices = new Int32Array(DEPTH_LEVELS);
  private readonly lvQtys = new Float64Array(DEPTH_LEVELS);
  private readonly clip: boolean;
  private readonly invBound: number;
  private seeded = false;
  private done = true;
  private t = 0;
  private q = 0;
  private cash = 0;
  private fees = 0;
  protected mid = 0;
  private midBefore = 0;
  // Per-step accumulators, written by onMatch.
  private capture = 0;
  private stepFills = 0;
  private stepQty = 0;
  private stepTaker = 0;
  private stepBuy = 0;
  private stepSell = 0;

  /** `maxQuote`: the largest quote size the actions can ask for (bounds the inventory). */
  constructor(c: MarketMakingConfig, maxQuote: number) {
    this.config = Object.freeze(c);
    this.table = actionTable({ halfSpreads: c.halfSpreads, skews: c.skews, minHalfSpread: 1 });
    this.flow = c.orderFlow ?? poissonFlow(c.flow);
    this.clip = c.inventoryLimit === "clip";
    this.invBound = this.clip ? 1 : (c.maxInventory + maxQuote) / c.maxInventory;
    this.spec = Object.freeze({
      kind: "book",
      actions: this.table,
      episodeLength: c.episodeLength,
      maxInventory: c.maxInventory,
      pnlScale: c.pnlScale,
      dt: 1,
      sigma: this.flow.sigma,
      tickSize: 1,
    });
    const low = new Float64Array(BOOK_OBS_NAMES.length);
    const high = new Float64Array(BOOK_OBS_NAMES.length);
    low.set([-this.invBound, -Infinity, 0, -1, 1, 0, 0, -Infinity, -1]);
    high.set([this.invBound, Infinity, 1, 1, c.spreadClip, 1, 1, Infinity, 1]);
    for (let i = 0; i < 2 * DEPTH_LEVELS; i++) {
      low[BOOK_OBS.bidDepth + i] = 0;
      high[BOOK_OBS.bidDepth + i] = Infinity;
    }
    this.observationSpace = Object.freeze({
      kind: "box",
      shape: [BOOK_OBS_NAMES.length],
      low,
      high,
      names: BOOK_OBS_NAMES,
    });
    this.obs = new Float64Array(BOOK_OBS_NAMES.length);
    const results = createResults(this.obs, this.info);
    this.result = results.result;
    this.resetResult = results.resetResult;
    this.outcome = createStepOutcome(c, c.episodeLength);
    this.queue = new InstructionQueue(c.latency);
    this.momentum = new RollingWindow(c.momentumWindow);
    this.buyFlow = new RollingWindow(c.flowWindow);
    this.sellFlow = new RollingWindow(c.flowWindow);
    this.fills = createFillLog(Math.min(4 * c.episodeLength, 1 << 16));
    this.book = this.newBook();
    this.onMatch = (aggressor: Side) => this.settle(aggressor);
  }

  private newBook(): OrderBook {
    const c = this.config;
    return new OrderBook({ minTick: c.p0 - c.priceRange, maxTick: c.p0 + c.priceRange });
  }

  reset(options?: { seed?: number }): QuotingResetResult {
    const seed = resetSeed(options);
    if (seed !== undefined) {
      this.flow.seed(seed);
      this.seeded = true;
    } else if (!this.seeded) {
      this.flow.seed(this.config.seed);
      this.seeded = true;
    }
    const c = this.config;
    this.book = this.newBook();
    this.bidId = this.askId = NONE;
    this.bidAsked = this.askAsked = 0;
    this.mid = c.p0;
    this.flow.init(this.book, c.p0, this.onMatch);
    // Nothing of the maker's can have traded; forget the warm-up's trade flow.
    this.q = this.cash = this.fees = 0;
    this.t = 0;
    this.fills.n = 0;
    this.ordersPlaced = this.quotedQty = 0;
    this.queue.clear();
    const m = bookMid(this.book);
    this.mid = m === m ? m : c.p0;
    this.momentum.clear(this.mid);
    this.buyFlow.clear(0);
    this.sellFlow.clear(0);
    this.done = false;
    resetInfo(this.info);
    this.observe(0);
    if (c.copyObs) this.resetResult.obs = this.obs.slice();
    return this.resetResult;
  }

  /** Throws unless an episode is running. */
  protected checkRunning(): void {
    if (this.done) throw notRunningError(this.seeded);
  }

  /**
   * Takes the step whose instruction (given now) is `kind`, with `order` for a quote and
   * `target` set: steps 1 (queue it) to 4 of the module doc.
   */
  protected advance(kind: number): QuotingStepResult {
    const c = this.config;
    const t = this.t;
    this.midBefore = this.mid;
    const wealthBefore = this.cash + this.q * this.mid;
    this.capture =
      this.stepFills =
      this.stepQty =
      this.stepTaker =
        0;
    this.stepBuy = this.stepSell = 0;
    // 1. Queue the instruction given now; 2. apply the one that arrives now.
    const queue = this.queue;
    if (kind === I_QUOTE) queue.quote(t, this.order);
    else queue.other(t, kind === I_CANCEL ? I_CANCEL : I_FLATTEN);
    switch (queue.take(t)) {
      case I_QUOTE:
        this.applyQuote(queue);
        break;
      case I_CANCEL:
        this.cancelQuotes();
        break;
      case I_FLATTEN:
        this.flatten();
        break;
    }
    // 3. Background flow.
    this.flow.step(this.book, this.onMatch);
    const m = bookMid(this.book);
    if (m === m) this.mid = m;
    this.t = t + 1;
    this.buyFlow.push(this.stepBuy);
    this.sellFlow.push(this.stepSell);
    // 4. Reward, stop conditions, observation.
    const o = this.outcome;
    o.dWealth = this.cash + this.q * this.mid - wealthBefore;
    o.q = this.q;
    o.dMid = this.mid - this.midBefore;
    o.capture = this.capture;
    o.pnl = this.cash + this.q * this.mid;
    o.target = this.target;
    o.t = this.t;
    const r = this.result;
    this.done = endStep(o, r);
    const info = this.info;
    info.fees = this.fees;
    info.passiveFills = this.stepFills;
    info.passiveQty = this.stepQty;
    info.takerQty = this.stepTaker;
    this.observe(this.momentumOf());
    if (c.copyObs) r.obs = this.obs.slice();
    return r;
  }

  /** Momentum from the window, then pushes the current mid. */
  private momentumOf(): number {
    const mom = this.mid - this.momentum.oldest();
    this.momentum.push(this.mid);
    return mom;
  }

  private applyQuote(q: InstructionQueue) {
    const c = this.config;
    const book = this.book;
    const wantBid = q.bidSize, wantAsk = q.askSize;
    const bidSize = this.clip ? Math.min(wantBid, c.maxInventory - this.q) : wantBid;
    const askSize = this.clip ? Math.min(wantAsk, c.maxInventory + this.q) : wantAsk;
    // Post-only against the others' best quotes.
    const a = this.othersBest(ASK, this.askId);
    const b = this.othersBest(BID, this.bidId);
    let bid = a !== NONE && q.bid >= a ? a - 1 : q.bid;
    let ask = b !== NONE && q.ask <= b ? b + 1 : q.ask;
    if (bid >= ask && bidSize > 0 && askSize > 0) {
      // The maker's own quotes would cross or touch (continuous offsets can sum to < 1 tick;
      // the grid's never do): both move apart around their middle, one tick between them. This
      // only lowers the bid and raises the ask, so they stay post-only.
      const m = (bid + ask) / 2;
      bid = Math.ceil(m) - 1;
      ask = Math.floor(m) + 1;
    }
    bid = bid < book.minTick ? book.minTick : bid > book.maxTick ? book.maxTick : bid;
    ask = ask < book.minTick ? book.minTick : ask > book.maxTick ? book.maxTick : ask;
    // Cancel stale orders on both sides before placing anything (no self-trade with an old quote).
    this.bidId = this.keepOrCancel(this.bidId, { price: bid, size: bidSize, asked: wantBid }, BID);
    this.askId = this.keepOrCancel(this.askId, { price: ask, size: askSize, asked: wantAsk }, ASK);
    if (this.bidId === NONE && bidSize > 0) this.bidAsked = wantBid;
    if (this.askId === NONE && askSize > 0) this.askAsked = wantAsk;
    this.bidId = this.place(BID, this.bidId, bid, bidSize);
    this.askId = this.place(ASK, this.askId, ask, askSize);
  }

  /** Best price of `side` among orders other than the maker's `own` order. */
  private othersBest(side: Side, own: number): number {
    const book = this.book;
    const p = book.best(side);
    // Integer queries only (order counts, prices): no double is returned, nothing is boxed.
    if (p === NONE || own === NONE || book.orderPrice(own) !== p || book.ordersAt(side, p) !== 1) {
      return p;
    }
    // The maker's order is alone at the best price: the others' best is the next level.
    return book.levels(side, 2, this.lvPrices, this.lvQtys) > 1 ? this.lvPrices[1] : NONE;
  }

  /**
   * Keeps the maker's order `id` if it rests at `w.price`, `w.size > 0` and the size asked for is
   * not above the size last asked for on that side (reduced in place to `w.size` if larger: it
   * keeps its queue position); otherwise cancels it. Returns the id kept or `NONE`.
   */
  private keepOrCancel(
    id: number,
    w: { price: number; size: number; asked: number },
    side: Side,
  ): number {
    if (id === NONE) return NONE;
    const book = this.book;
    const last = side === BID ? this.bidAsked : this.askAsked;
    if (w.size > 0 && w.asked <= last && book.orderPrice(id) === w.price) {
      if (book.orderQty(id) > w.size) book.modify(id, w.price, w.size);
      if (side === BID) this.bidAsked = w.asked;
      else this.askAsked = w.asked;
      return id;
    }
    book.cancel(id);
    return NONE;
  }

  /** Places a quote of `size` at `price` unless one is kept (`id`) or `size ≤ 0`. */
  private place(side: Side, id: number, price: number, size: number): number {
    if (id !== NONE || size <= 0) return id;
    this.ordersPlaced++;
    this.quotedQty += size;
    // Priced post-only against the others and below/above the maker's other quote: no trade.
    return this.book.limit(side, price, size, MAKER);
  }

  private cancelQuotes() {
    if (this.bidId !== NONE) {
      this.book.cancel(this.bidId);
      this.bidId = NONE;
    }
    if (this.askId !== NONE) {
      this.book.cancel(this.askId);
      this.askId = NONE;
    }
  }

  private flatten() {
    this.cancelQuotes();
    const q = this.q;
    if (q > 0) {
      if (this.book.market(ASK, q, MAKER) > 0) this.settle(ASK);
    } else if (q < 0) {
      if (this.book.market(BID, -q, MAKER) > 0) this.settle(BID);
    }
  }

  /** Settles the fills of the last matching operation (aggressor on `aggressor`). */
  private settle(aggressor: Side) {
    const f = this.book.fills;
    const rebate = this.config.makerRebate;
    const fee = this.config.takerFee;
    for (let k = 0; k < f.count; k++) {
      const px = f.price[k];
      const qty = f.qty[k];
      if (f.takerOwner[k] === MAKER) {
        if (aggressor === BID) {
          this.q += qty;
          this.cash -= px * qty;
        } else {
          this.q -= qty;
          this.cash += px * qty;
        }
        this.cash -= fee * qty;
        this.fees += fee * qty;
        this.stepTaker += qty;
        continue;
      }
      if (aggressor === BID) this.stepBuy += qty;
      else this.stepSell += qty;
      if (f.makerOwner[k] !== MAKER) continue;
      // A passive fill of the maker's quote on the side opposite the aggressor.
      const side = aggressor === BID ? SELL : BUY;
      this.q += side * qty;
      this.cash -= side * px * qty;
      this.cash += rebate * qty;
      this.fees -= rebate * qty;
      this.capture += side * (this.midBefore - px) * qty;
      this.stepFills++;
      this.stepQty += qty;
      if (f.makerRemaining[k] === 0) {
        if (side === BUY) this.bidId = NONE;
        else this.askId = NONE;
      }
      this.record(side, px, qty);
    }
  }

  private record(side: number, px: number, qty: number) {
    let log = this.fills;
    if (log.n === log.step.length) {
      const bigger = createFillLog(2 * log.step.length);
      bigger.step.set(log.step);
      bigger.side.set(log.side);
      bigger.price.set(log.price);
      bigger.qty.set(log.qty);
      bigger.n = log.n;
      this.fills = log = bigger;
    }
    const j = log.n++;
    log.step[j] = this.t;
    log.side[j] = side;
    log.price[j] = px;
    log.qty[j] = qty;
  }

  /** Writes the observation and the state part of `info`. */
  private observe(momentum: number) {
    const c = this.config;
    const book = this.book;
    const o = this.obs;
    const info = this.info;
    const pnl = this.cash + this.q * this.mid;
    o[0] = this.q / c.maxInventory;
    o[1] = pnl / c.pnlScale;
    o[2] = (c.episodeLength - this.t) / c.episodeLength;
    o[3] = topImbalance(book);
    const b = book.bestBid();
    const a = book.bestAsk();
    o[4] = b === NONE || a === NONE || a - b > c.spreadClip ? c.spreadClip : a - b;
    this.queueObs(BID, this.bidId, BOOK_OBS.bidQueue);
    this.queueObs(ASK, this.askId, BOOK_OBS.askQueue);
    o[7] = momentum;
    const buy = this.buyFlow.sum;
    const sell = this.sellFlow.sum;
    o[8] = buy + sell === 0 ? 0 : (buy - sell) / (buy + sell);
    this.depth(BID, BOOK_OBS.bidDepth);
    this.depth(ASK, BOOK_OBS.askDepth);
    info.mid = this.mid;
    info.inventory = this.q;
    info.cash = this.cash;
    info.pnl = pnl;
    info.bidPrice = this.bidId === NONE ? NaN : book.orderPrice(this.bidId);
    info.askPrice = this.askId === NONE ? NaN : book.orderPrice(this.askId);
    info.bidQty = this.bidId === NONE ? 0 : book.orderQty(this.bidId);
    info.askQty = this.askId === NONE ? 0 : book.orderQty(this.askId);
  }

  /**
   * `queueFraction` of the maker's order `id` into `obs[i]`. A method of its own (not the
   * `features.ts` helper inlined into `observe`): V8 then inlines the book's queries here, and the
   * doubles they return are not boxed, which keeps `step` allocation-free.
   */
  private queueObs(side: Side, id: number, i: number) {
    if (id === NONE) {
      this.obs[i] = 1;
      return;
    }
    const book = this.book;
    this.obs[i] = book.queueAhead(id) / book.depthAt(side, book.orderPrice(id));
  }

  private depth(side: Side, offset: number) {
    const k = this.book.levels(side, DEPTH_LEVELS, this.lvPrices, this.lvQtys);
    const s = this.config.depthScale;
    for (let i = 0; i < DEPTH_LEVELS; i++) {
      this.obs[offset + i] = i < k ? this.lvQtys[i] / s : 0;
    }
  }
}

/** The discrete grid of `quoting.ts` (see the module doc). */
class DiscreteBookEnv extends BookCore implements MarketMakingEnv {
  readonly actionSpace: DiscreteSpace;

  constructor(c: MarketMakingConfig) {
    super(c, c.quoteSize);
    this.actionSpace = Object.freeze({ kind: "discrete", n: this.table.n });
    this.order.bidSize = this.order.askSize = c.quoteSize;
  }

  step(action: number): QuotingStepResult {
    this.checkRunning();
    checkAction(this.table.n, action);
    const tb = this.table;
    if (action < tb.nQuotes) {
      this.order.bid = Math.ceil(this.mid - tb.bidOffset[action]);
      this.order.ask = Math.floor(this.mid + tb.askOffset[action]);
      return this.advance(I_QUOTE);
    }
    return this.advance(action === tb.cancel ? I_CANCEL : I_FLATTEN);
  }
}

/** The five continuous actions of `continuous.ts` (see the module doc). */
class ContinuousBookEnv extends BookCore implements ContinuousMarketMakingEnv {
  readonly actionSpace: BoxSpace = continuousActionSpace();
  readonly continuous: Readonly<ContinuousActionConfig & { readonly maxTarget: number }>;
  private readonly decoded: DecodedQuote = createDecodedQuote();

  constructor(c: MarketMakingConfig) {
    super(c, c.continuous.maxLots * c.continuous.lotSize);
    this.continuous = Object.freeze({
      ...c.continuous,
      maxTarget: c.continuous.maxTarget ?? c.maxInventory,
    });
  }

  step(action: Float64Array): QuotingStepResult {
    this.checkRunning();
    const d = decodeAction(this.continuous, action, this.decoded);
    const o = this.order;
    o.bid = bidTick(this.mid, d.bidOffset);
    o.ask = askTick(this.mid, d.askOffset);
    o.bidSize = d.bidSize;
    o.askSize = d.askSize;
    this.target = d.target;
    return this.advance(I_QUOTE);
  }
}
