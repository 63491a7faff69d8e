/**
 * Types of the maker–taker game: its configuration, the makers' view and policy interface.
 *
 * @module
 */
import type { Background } from "../market/background.ts";
import type { BackgroundOptions } from "../market/options.ts";
import type { Rng } from "../rng.ts";
import type { BookReader, TakerSpec } from "../takers/types.ts";
import type { ActionSet, ActionSetKind } from "./actions.ts";

/**
 * How the taker's meta-order size Q is drawn each episode (integers ≥ 1).
 *
 * - `fixed`: always `value`.
 * - `uniform`: uniform integer in `[min, max]`.
 * - `choice`: one of `values`, with probabilities proportional to `weights` (default equal).
 * - `lognormal`: `round(median · exp(sigma · Z))`, clamped to `[min, max]` (defaults 1 and
 *   2^31 − 1).
 */
export type SizeDistribution =
  | { readonly kind: "fixed"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | {
    readonly kind: "choice";
    readonly values: readonly number[];
    readonly weights?: readonly number[];
  }
  | {
    readonly kind: "lognormal";
    readonly median: number;
    readonly sigma: number;
    readonly min?: number;
    readonly max?: number;
  };

/**
 * The game variant: how the size is set and what the makers may observe of it.
 *
 * - `known` (**game 1**): the size is fixed (`size`, default 8,000) and the makers see the
 *   taker's remaining quantity (`MakerView.takerRemaining`).
 * - `hidden` (**game 2**): the size is drawn per episode from `size` (default uniform in
 *   [4,000, 12,000]) from the `"size"` stream and hidden: `takerRemaining` is `NaN`; the makers see
 *   only the flow (traded volume, their own fills, the book).
 *
 * A new variant is a new member here and a case in `resolveGame` (config.ts): it says how Q is
 * drawn and whether it is visible.
 */
export type GameSpec =
  | { readonly kind: "known"; readonly size?: number }
  | { readonly kind: "hidden"; readonly size?: SizeDistribution };

/** The game kinds a {@linkcode GameSpec} may name. */
export const GAME_KINDS = ["known", "hidden"] as const;

/**
 * The makers' bid rules: the action effects' sizes and bounds, shared by all makers. A bid's price
 * stays in `[P0 − maxOffset, P0 − minOffset]` (and below the best ask: bids are post-only); its
 * quantity and target in `[0, maxQty]`.
 */
export interface BidRules {
  /** Initial bid at `P0 − startOffset` ticks. Default 1 (joins the background's best bid). */
  startOffset?: number;
  /** Initial quantity and target. Default 200. */
  startQty?: number;
  /** Quantity step of `qty_up` / `qty_down`. Default 100. */
  increment?: number;
  /** Largest quantity. Default 2,000. */
  maxQty?: number;
  /** Closest a bid may come to P0, in ticks below it (0: may bid at P0). Default 0. */
  minOffset?: number;
  /** Farthest a bid may go below P0, in ticks. Default 10. */
  maxOffset?: number;
}

/** What a maker sees at the start of a step (and after its last step). Reused: do not keep it. */
export interface MakerView {
  /** Maker index `0 .. n-1`. */
  readonly index: number;
  /**
   * Step about to be played, `0 .. steps` (`steps` in the view after the last step): the
   * episode's clock, not the taker's (its start is not shown, see `mod.ts`).
   */
  t: number;
  /** Number of steps N of the episode. */
  steps: number;
  /** Steps left in the episode including the coming one: `steps − t`. */
  stepsLeft: number;
  /** Initial price P0 in ticks. */
  p0: number;
  /** Best bid in ticks, or `NONE` (-1). */
  bestBid: number;
  /** Best ask in ticks, or `NONE` (-1). */
  bestAsk: number;
  /** `(bestBid + bestAsk) / 2`, or `NaN` when a side is empty. */
  mid: number;
  /** The maker's bid price setting in ticks (kept even while no quantity rests). */
  price: number;
  /** Resting quantity of the maker's bid, all its orders together (0: none in the book). */
  qty: number;
  /** The maker's quantity setting, which `replenish` and `keep_price` restore. */
  target: number;
  /** Resting bid quantity of all makers together (own included). */
  makersQty: number;
  /** The maker's fills from the taker at the previous step. */
  lastFills: number;
  /** The maker's fills from anyone else (noise flow) at the previous step. */
  lastOtherFills: number;
  /** The maker's cumulative volume against the taker. */
  volume: number;
  /** Traded volume (the tape: taker and noise) at the previous step. */
  lastVolume: number;
  /** Traded volume two steps back (for the flow's velocity `lastVolume − prevVolume`). */
  prevVolume: number;
  /**
   * Game 1: the taker's remaining quantity (its whole size Q until it has sold something, also
   * before it arrives); game 2: `NaN` (hidden).
   */
  takerRemaining: number;
  /** Whether `takerRemaining` is observable (game 1). */
  sizeVisible: boolean;
  /** The maker's running PnL share (the sum of its rewards so far), in currency. */
  share: number;
  /**
   * Quantity resting ahead of the maker's bid in its queue (of its oldest order, when it holds
   * several); `NaN` if it has no order.
   */
  queueAhead(): number;
  /** Read-only book. */
  book: BookReader;
}

/**
 * A maker's policy: observes a {@linkcode MakerView}, picks one action of the game's action set
 * (an integer `0 .. actions.n − 1`), and may receive a reward per step. A learner plugs in here:
 * encode the view into a state in `act`, remember `(state, action)`, update in `learn`.
 *
 * Call order per episode: `reset(view)` (after the initial bids are placed), then per step
 * `act(view)` for every maker (simultaneously: all act on the same snapshot before any action is
 * applied), the step runs, then `learn(reward, nextView, truncated)` with the change of the
 * maker's running PnL share over the step; the rewards of an episode sum to the maker's final
 * share. `truncated` is true after the last step (end of window, Gymnasium's convention).
 */
export interface MakerPolicy {
  /** Short name for records, e.g. `"replenisher"`. */
  readonly name: string;
  /** Optional initial bid (overrides the rules' `startOffset` / `startQty`). */
  readonly start?: { readonly offset?: number; readonly qty?: number };
  /** Start of an episode. */
  reset?(view: Readonly<MakerView>): void;
  /** The action for this step. */
  act(view: Readonly<MakerView>): number;
  /** Reward of the step just played and the view at the start of the next one. */
  learn?(reward: number, next: Readonly<MakerView>, truncated: boolean): void;
}

/** Resolved bid rules (every field set). */
export type ResolvedBidRules = Readonly<Required<BidRules>>;

/** What a maker policy is built with: its own place and the game's facts it may depend on. */
export interface MakerContext {
  /** Maker index `0 .. n-1`. */
  index: number;
  /** Number of makers n in the game (validated once, by the game's configuration). */
  makers: number;
  /** Its owner id in the book (`makerOwner(index)`). */
  owner: number;
  /** Its own random stream, `stream(seed, "maker:<index>")`. */
  rng: Rng;
  /** The game's action set (names, count, lookup). */
  actions: ActionSet;
  /** The bid rules (bounds and increments). */
  rules: ResolvedBidRules;
  /** P0 in ticks. */
  p0: number;
  /** Number of steps. */
  steps: number;
  /** Whether the taker's remaining size is visible (game 1). */
  sizeVisible: boolean;
}

/** Options of the fixed-price replenisher. */
export interface ReplenisherOptions {
  /** Ticks below P0 it holds its bid at. Default: the rules' `startOffset`. */
  offset?: number;
  /** Quantity it restores after fills. Default: the rules' `startQty`. */
  qty?: number;
}

/** Options of the dynamic follower. */
export interface FollowerOptions {
  /** Ticks below the best competing bid (0: join it). Default 0. */
  offset?: number;
  /** Fraction of the recent flow per step it aims to show, > 0. Default 0.5. */
  share?: number;
  /** Weight of the last step in its flow average, in (0, 1]. Default 0.3. */
  alpha?: number;
  /** Smallest target it goes down to. Default: the rules' `increment`. */
  minQty?: number;
}

/** Options of the random policy. */
export interface RandomOptions {
  /** Relative weights per action (length = the action count); default uniform. */
  weights?: readonly number[];
}

/** A maker policy as configuration, or a custom one (a learner). */
export type MakerPolicySpec =
  | ({ readonly kind: "replenisher" } & ReplenisherOptions)
  | ({ readonly kind: "follower" } & FollowerOptions)
  | ({ readonly kind: "random" } & RandomOptions)
  | {
    readonly kind: "custom";
    /** Builds the policy, once per game. */
    readonly create: (ctx: MakerContext) => MakerPolicy;
  };

/** The policy kinds a {@linkcode MakerPolicySpec} may name. */
export const POLICY_KINDS = ["replenisher", "follower", "random", "custom"] as const;

/** What the game needs of a background: `init` on an empty book, then `step` once per step. */
export type GameBackground = Pick<Background, "init" | "step">;

/**
 * Builds a background for one episode (custom liquidity models and tests); called at every
 * reset with the game's P0 and the `"background"` stream.
 */
export type BackgroundFactory = (ctx: { p0: number; rng: Rng }) => GameBackground;

/** Background options as a game config holds them (`p0` is the game's). */
export type GameBackgroundOptions = Partial<Omit<BackgroundOptions, "p0">>;

/** What happens to quantity still unsold after the last child order (see `mod.ts`). */
export type UnsoldRule = "sweep" | "drop";

/** Order in which the makers' actions are applied to the book within a step. */
export type MakerOrder = "random" | "fixed";

/**
 * How many orders a maker may hold at its price (see `mod.ts`, "The makers' actions"):
 * `"multi"` (default) adds new quantity as a new order at the back of the queue and keeps the
 * resting orders' places; `"single"` holds one order, which any increase moves to the back (the
 * rule of the first version of the game, kept to reproduce its results).
 */
export type OrdersRule = "single" | "multi";

/** The maker order rules. */
export const ORDERS_RULES = ["single", "multi"] as const;

/**
 * When the taker starts selling (see `mod.ts`, "Random arrival"). The taker's window is
 * `steps − latest start` steps long; it starts at step `start` (fixed) or at a step drawn
 * uniformly from `0 … latest` each episode from the `"arrival"` stream (uniform, the default),
 * and the makers are not told when.
 *
 * - `fixed`: `start` (default 0); the window is `steps − start`.
 * - `uniform`: start uniform in `[0, latest]`; `latest` defaults to ⌊steps / 3⌋ (30 in the
 *   default 90-step game), and the window is `steps − latest`.
 */
export type ArrivalSpec =
  | { readonly kind: "fixed"; readonly start?: number }
  | { readonly kind: "uniform"; readonly latest?: number };

/** The arrival kinds an {@linkcode ArrivalSpec} may name. */
export const ARRIVAL_KINDS = ["fixed", "uniform"] as const;

/**
 * A game configuration. Every field has a default; unknown fields are rejected.
 */
export interface GameConfig {
  /** Root seed of all named streams. Default 0. */
  seed?: number | string;
  /**
   * Number of steps N ≥ 1 of an episode (the market's window; the taker sells within its own
   * window of `N − latest start` steps, see `arrival`). Default 60 plus the latest start: 90
   * with the default uniform arrival (a 60-step taker window starting in the first 30 steps),
   * 60 with a fixed start at step 0 (the first version's game).
   */
  steps?: number;
  /** Seconds per step (labels the `time` column only). Default 1. */
  stepSeconds?: number;
  /** Initial price P0 in ticks. Default 10,000. */
  p0?: number;
  /** Currency per tick: PnL and rewards are in currency. Default 0.01. */
  tickSize?: number;
  /** The book spans `[P0 − bookSpan, P0 + bookSpan]` ticks. Default 1,000. */
  bookSpan?: number;
  /** Game variant (size and visibility). Default `{kind: "known", size: 8000}` (game 1). */
  game?: GameSpec;
  /** Taker strategy. Default `{kind: "passive"}`. */
  taker?: TakerSpec;
  /** Number of makers n, in [0, 64]. Default 2. */
  makers?: number;
  /** Maker policies: one spec for all makers, or one per maker. Default replenisher. */
  policy?: MakerPolicySpec | readonly MakerPolicySpec[];
  /** The bid rules. */
  bid?: BidRules;
  /** `"spec"` (the seven actions, default) or `"factored"` (3 × 3 + replenish). */
  actions?: ActionSetKind;
  /** Order of the makers' updates within a step. Default `"random"`. */
  makerOrder?: MakerOrder;
  /** Rule for quantity unsold at the deadline. Default `"sweep"`. */
  unsold?: UnsoldRule;
  /** One order or several per maker. Default `"multi"`. */
  orders?: OrdersRule;
  /** When the taker starts. Default `{kind: "uniform"}`; `{kind: "fixed"}` starts at step 0. */
  arrival?: ArrivalSpec;
  /** Background liquidity options (`createBackground`), or a factory. Default: its defaults. */
  background?: GameBackgroundOptions | BackgroundFactory;
  /** Record per-step, per-agent data for `frame()`. Default false (free when off). */
  record?: boolean;
}
