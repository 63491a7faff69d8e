/**
 * Background liquidity (interface; implementation in progress).
 *
 * @module
 */
import type { OrderBook } from "../book/mod.ts";
import type { Rng } from "../rng.ts";
import { ConfigError } from "../errors.ts";

/** Shape of the bid ladder's depth profile (mean size by distance from the top level). */
export type ProfileShape = "flat" | "linear" | "exponential" | "lobster";

/** How a level below its profile size refills each step. */
export type RefillMode = "fraction" | "poisson";

/** Options of the background-liquidity model. Every field but `p0` has a default. */
export interface BackgroundOptions {
  /** Initial (reference) price in ticks. Required. */
  p0: number;
  /** Distance in ticks from p0 to the top bid level (p0 − gap). Default 1. */
  gap: number;
  /** Number of bid levels: p0 − gap down to p0 − gap − depthLevels + 1. Default 50. */
  depthLevels: number;
  /** Depth profile shape, or explicit sizes by distance (length depthLevels). Default "linear". */
  profile: ProfileShape | readonly number[];
  /** Total bid-ladder quantity the shape is scaled to. Default 17,000. */
  totalDepth: number;
  /** "linear": weight 1 + linearSlope·d. Default 0.05. */
  linearSlope: number;
  /** "exponential": weight exp(expRate·d). Default 0.03. */
  expRate: number;
  /** "lobster": JSON written by lib/lobster. Default data/lobster/depth_profile_GOOG.json. */
  lobsterPath: string;
  /** Fraction of each level's gap to its profile size refilled per step, in [0, 1]. Default 0.2. */
  resilience: number;
  /** "fraction" (deterministic ceil(ρ·gap)) or "poisson" (Poisson with mean ρ·gap). */
  refill: RefillMode;
  /** Fraction of the way the reference moves to the mid each step; 0 = anchored. Default 0. */
  recentre: number;
  /** Best ask at p0 + spreadTicks. Default 1. */
  spreadTicks: number;
  /** Number of ask levels. Default 20. */
  askLevels: number;
  /** Size of each ask level (flat). Default 200. */
  askSize: number;
  /** Ask-side resilience, in [0, 1]. Default 0.2. */
  askResilience: number;
  /** Mean number of noise market orders per step (Poisson). Default 0 (off). */
  noiseRate: number;
  /** Noise order size, uniform in [1, noiseMaxSize]. Default 20. */
  noiseMaxSize: number;
  /** Probability that a noise order is a buy. Default 0.5. */
  noiseBuyProb: number;
}

/** Background liquidity: an exogenous bid ladder and ask side, refilled each step. */
export interface Background {
  /** Places the initial ladder and ask side around p0 (ticks). Call once on an empty book. */
  init(book: OrderBook): void;
  /** Once per step, after the taker's child order: refill toward the profile, then noise flow. */
  step(book: OrderBook, t: number): void;
  /** Parameters actually used (validated, defaults filled). */
  readonly options: Readonly<Required<BackgroundOptions>>;
}

/** Validates options and fills defaults; throws a `ConfigError` naming the field. (Stub.) */
export function validateBackgroundOptions(o: unknown): Required<BackgroundOptions> {
  throw new ConfigError("options", "implemented (work in progress)", o);
}

/** Creates the background-liquidity model. (Stub: implementation in progress.) */
export function createBackground(
  options: Partial<BackgroundOptions> & { p0: number },
  _rng: Rng,
): Background {
  const o = validateBackgroundOptions(options);
  return { init() {}, step() {}, options: o };
}
