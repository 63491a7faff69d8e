/**
 * The taker's interface: what a strategy sees each step, what it returns, and how the game builds
 * it from a configuration.
 *
 * @module
 */
import type { OrderBook } from "../book/mod.ts";
import type { Rng } from "../rng.ts";

/** Read-only queries of the order book (what agents may look at; they never trade through it). */
export type BookReader = Pick<
  OrderBook,
  | "bestBid"
  | "bestAsk"
  | "best"
  | "depthAt"
  | "ordersAt"
  | "levels"
  | "depthWithin"
  | "minTick"
  | "maxTick"
>;

/**
 * What the taker sees before it sends its child order at step `t`: the book after the makers'
 * updates of this step, and its own progress. One object is reused for the whole run and updated
 * in place: read it during the call, do not keep it.
 */
export interface TakerView {
  /** Step index, `0 .. steps-1`. */
  t: number;
  /** Number of steps in the window (N). */
  steps: number;
  /** Steps left including this one: `steps - t` (1 at the last step). */
  stepsLeft: number;
  /** Initial price P0, in ticks. */
  p0: number;
  /** The meta-order size Q of this episode (the taker always knows its own size). */
  size: number;
  /** Quantity executed so far. */
  executed: number;
  /** Quantity still to sell: `size - executed`. */
  remaining: number;
  /** Best bid in ticks, or `NONE` (-1) when the bid side is empty. */
  bestBid: number;
  /** Best ask in ticks, or `NONE` (-1). */
  bestAsk: number;
  /** Child quantity sent at the previous step (0 at t = 0). */
  lastQty: number;
  /** Quantity filled at the previous step (0 at t = 0). */
  lastFilled: number;
  /** Read-only book, for strategies that look at depth (`depthAt`, `levels`, ...). */
  book: BookReader;
}

/**
 * A child order, written by {@linkcode TakerStrategy.decide} into an object the game reuses.
 * The game truncates `qty` to an integer and clamps it to `[0, remaining]`; `floor` is the lowest
 * price the sell may trade at (an `ioc` sell), or `NONE` (-1) for no floor (a market sell).
 */
export interface TakerOrder {
  /** Quantity to sell this step (0: skip the step). */
  qty: number;
  /** Price floor in ticks, or `NONE` (-1) for none. */
  floor: number;
}

/** What a strategy is built with (the game makes one per episode run, not per step). */
export interface TakerContext {
  /** The taker's own random stream (`stream(seed, "taker")`). */
  rng: Rng;
  /** Number of steps in the window. */
  steps: number;
  /** Initial price in ticks. */
  p0: number;
}

/**
 * A selling strategy: one child order per step. Plain objects made by factories (`aggressive`,
 * `passive`, `reactive`, `almgrenChriss`), or anything implementing this, such as a learner.
 *
 * Call order in an episode: `reset(view)` once after the market is set up, then per step
 * `decide(view, order)`, the child order executes, the step ends, and `learn(reward, view,
 * truncated)` is called with the taker's PnL of that step (`Σ (price − P0) × qty` of its fills,
 * in currency) and the view at the start of the next step (`truncated` at the end of the window).
 */
export interface TakerStrategy {
  /** Short name, e.g. `"passive"`, used in records. */
  readonly name: string;
  /** Start of an episode; the view shows the market at t = 0 before any order. */
  reset?(view: Readonly<TakerView>): void;
  /** Writes this step's child order into `order` (preset to `{qty: 0, floor: NONE}`). */
  decide(view: Readonly<TakerView>, order: TakerOrder): void;
  /** Per-step feedback, for learning takers. */
  learn?(reward: number, next: Readonly<TakerView>, truncated: boolean): void;
}

/** The aggressive strategy's options: front-loads by selling a fixed fraction of what is left. */
export interface AggressiveOptions {
  /** Fraction of the remaining quantity sold each step, in (0, 1]. Default 0.25. */
  rate?: number;
  /** Greatest number of ticks below the current best bid a child may trade; `null`: no limit. */
  maxWalk?: number | null;
  /** Absolute floor at `P0 - floorTicks`; `null` (default): none. */
  floorTicks?: number | null;
}

/** The passive (TWAP) strategy's options. */
export interface PassiveOptions {
  /** Greatest number of ticks below the current best bid a child may trade. Default 3. */
  maxWalk?: number;
  /** Absolute floor at `P0 - floorTicks`; `null` (default): none. */
  floorTicks?: number | null;
}

/** The reactive strategy's options (see {@linkcode reactive} for the rule). */
export interface ReactiveOptions {
  /** Bids within `near` ticks below P0 (inclusive) count as "near P0". Default 3. */
  near?: number;
  /** Best bid at or below `P0 - depressed` counts as a depressed price. Default 5. */
  depressed?: number;
  /** Lowest intensity multiplier (thin depth or depressed price), in (0, 1]. Default 0.25. */
  slow?: number;
  /** Highest intensity multiplier (depth rebuilt beyond its initial level), ≥ 1. Default 2. */
  boost?: number;
  /** In the last `catchUp` steps it sells at least the even pace, at market. Default 10. */
  catchUp?: number;
  /** Greatest number of ticks below the best bid a child may trade (outside catch-up). Default 2. */
  maxWalk?: number;
  /** Absolute floor at `P0 - floorTicks` outside catch-up; `null` (default): none. */
  floorTicks?: number | null;
}

/** The Almgren–Chriss strategy's options (see {@linkcode almgrenChriss}). */
export interface AlmgrenChrissOptions {
  /** Risk aversion λ ≥ 0 (per tick² of variance). 0 gives TWAP; larger front-loads. Default 1e-5. */
  riskAversion?: number;
  /** Price volatility σ in ticks per √step, > 0. Default 1. */
  volatility?: number;
  /** Temporary impact η in ticks per contract sold per step, > 0. Default 0.01. */
  impact?: number;
  /** Greatest number of ticks below the best bid a child may trade; `null` (default): no limit. */
  maxWalk?: number | null;
  /** Absolute floor at `P0 - floorTicks`; `null` (default): none. */
  floorTicks?: number | null;
}

/**
 * A taker as configuration data (what a game config holds), or a custom strategy (a learner):
 * `{kind: "custom", create: (ctx) => strategy}`.
 */
export type TakerSpec =
  | ({ readonly kind: "aggressive" } & AggressiveOptions)
  | ({ readonly kind: "passive" } & PassiveOptions)
  | ({ readonly kind: "reactive" } & ReactiveOptions)
  | ({ readonly kind: "almgren-chriss" } & AlmgrenChrissOptions)
  | {
    readonly kind: "custom";
    /** Name used in records. Default "custom". */
    readonly name?: string;
    /** Builds the strategy; called once per game with the taker's context. */
    readonly create: (ctx: TakerContext) => TakerStrategy;
  };

/** The taker kinds a {@linkcode TakerSpec} may name. */
export const TAKER_KINDS = [
  "aggressive",
  "passive",
  "reactive",
  "almgren-chriss",
  "custom",
] as const;

/** One of {@linkcode TAKER_KINDS}. */
export type TakerKind = typeof TAKER_KINDS[number];
