/**
 * The options of the background-liquidity model (see `background.ts` for the model and the
 * rationale behind every default): their types, their defaults, and their validation.
 *
 * @module
 */
import { MAX_QTY } from "../book/mod.ts";
import {
  at,
  checkInt,
  checkKeys,
  checkNum,
  checkObject,
  checkOneOf,
  ConfigError,
  item,
  type Where,
} from "../errors.ts";

/** Shape of the bid ladder's depth profile (mean size by distance from the top level). */
export type ProfileShape = "flat" | "linear" | "exponential";

/**
 * A depth profile given by its weights by distance from the top level (e.g. the mean sizes of a
 * real book, `lib/lobster`'s `lobsterProfile`): scaled to `totalDepth`; distances beyond the
 * array repeat its last weight.
 */
export interface ProfileWeights {
  /** Non-negative weights by distance, at least one positive. */
  readonly weights: readonly number[];
}

/** How a level below its profile size refills each step. */
export type RefillMode = "fraction" | "poisson";

/** The named profile shapes. */
export const PROFILE_SHAPES: readonly ProfileShape[] = ["flat", "linear", "exponential"];

/** The refill modes. */
export const REFILL_MODES: readonly RefillMode[] = ["fraction", "poisson"];

/** Where refilled quantity goes: see {@linkcode BackgroundOptions.refillOrder}. */
export type RefillOrder = "level" | "deepest";

/** The refill orders. */
export const REFILL_ORDERS: readonly RefillOrder[] = ["level", "deepest"];

/** Options of the background-liquidity model. Every field but `p0` has a default. */
export interface BackgroundOptions {
  /** Initial price in ticks, the reference of both ladders and of the taker's PnL. Required. */
  p0: number;
  /**
   * Distance in ticks from `p0` to the top bid level (`p0 − gap`). Default 1: with
   * `spreadTicks = 1` the mid is exactly `p0` and the spread 2 ticks, leaving one tick inside
   * the spread at `p0` where a maker can improve on the background.
   */
  gap: number;
  /**
   * Number of bid levels, `p0 − gap` down to `p0 − gap − depthLevels + 1`. Default 50: deep
   * enough that selling the whole 8,000 at once (about 30 levels) never empties the ladder.
   */
  depthLevels: number;
  /**
   * Depth profile: a {@linkcode ProfileShape} or {@linkcode ProfileWeights} scaled to
   * `totalDepth`, or explicit sizes by distance (length `depthLevels`, which defaults to the
   * array's length). Default `"linear"`: depth growing with distance from the best, the usual
   * shape of equity books away from the touch, and the one that makes impact concave in the
   * quantity sold.
   */
  profile: ProfileShape | ProfileWeights | readonly number[];
  /**
   * Total bid-ladder quantity the shape is scaled to (integer). Default 17,000: with the default
   * linear profile, about 153 contracts at the best; selling 8,000 at once moves the best bid
   * about 30 ticks. The single knob for the size of the impact (changing `depthLevels` spreads
   * the same total over more levels).
   */
  totalDepth: number;
  /**
   * `"linear"` weight `1 + linearSlope·d`, in [0, 100]. Default 0.05: the level 20 ticks away
   * is twice the best level's size.
   */
  linearSlope: number;
  /**
   * `"exponential"` weight `exp(expRate·d)`, in [−5, 5]. Default 0.03 (about +3 % per tick,
   * close to the linear default over the first 30 ticks); negative values thin the book away
   * from the best.
   */
  expRate: number;
  /**
   * Resilience ρ of the bid ladder: the fraction of each level's gap to its target refilled per
   * step, in [0, 1]. Default 0.2 (half-life 3.1 steps): a TWAP-style sale then costs a few ticks,
   * selling at once tens. 0 never refills; 1 restores every level fully each step.
   */
  resilience: number;
  /**
   * `"fraction"` (default): `ceil(ρ·gap)` contracts, deterministic, so the game's randomness
   * comes from the agents only. `"poisson"`: a Poisson draw with mean `ρ·gap`, capped at the gap.
   */
  refill: RefillMode;
  /**
   * `"level"` (default): every level refills its own fraction of its own gap, so the best price
   * returns to its profile level at once, with a thin queue, and the depth behind it rebuilds.
   * `"deepest"`: the side's total gap shrinks by the fraction, and the new quantity fills the
   * deepest depleted levels first, so the best price itself recovers gradually (the
   * block-shaped book of Alfonsi, Fruth and Schied); the taker then pays more for the same
   * resilience, and the mid carries the impact.
   */
  refillOrder: RefillOrder;
  /**
   * κ in [0, 1]: each step the reference price moves a fraction κ of the way to the current mid
   * and the ladders are re-laid around it. Default 0 (anchored at `p0`, the game's setting since
   * the taker's PnL is measured against `p0`). κ = 1 re-centres fully every step.
   */
  recentre: number;
  /** Best ask at `p0 + spreadTicks` (integer ≥ 1). Default 1 (see `gap`). */
  spreadTicks: number;
  /** Number of ask levels (0 for none: then there is no mid). Default 20. */
  askLevels: number;
  /** Size of every ask level (flat profile). Default 200, about the best bid level's size. */
  askSize: number;
  /** Resilience of the ask side, in [0, 1]. Default 0.2, as the bids. */
  askResilience: number;
  /**
   * Mean number of noise market orders per step (Poisson), in [0, 1000]. Default 0: off for the
   * game (it adds variance, not a mechanism); e.g. 0.5 gives one small order every two steps.
   */
  noiseRate: number;
  /** Noise order sizes are uniform in `[1, noiseMaxSize]`. Default 20 (mean 10.5, small). */
  noiseMaxSize: number;
  /** Probability that a noise order is a buy (otherwise a sell), in [0, 1]. Default 0.5. */
  noiseBuyProb: number;
}

/** Defaults of every option but `p0` (see {@linkcode BackgroundOptions} for the rationale). */
export const BACKGROUND_DEFAULTS: Readonly<Omit<Required<BackgroundOptions>, "p0">> = Object
  .freeze({
    gap: 1,
    depthLevels: 50,
    profile: "linear",
    totalDepth: 17_000,
    linearSlope: 0.05,
    expRate: 0.03,
    resilience: 0.2,
    refill: "fraction",
    refillOrder: "level",
    recentre: 0,
    spreadTicks: 1,
    askLevels: 20,
    askSize: 200,
    askResilience: 0.2,
    noiseRate: 0,
    noiseMaxSize: 20,
    noiseBuyProb: 0.5,
  });

const MAX_PRICE = 0x7fffffff;

/**
 * Validates background options and fills defaults. Throws a `ConfigError` naming the field (with
 * `where.path` in front, e.g. `background.resilience` in a game config) and its allowed values
 * for a missing `p0`, a value out of range, an unknown shape or mode, or an unknown field (a typo
 * would otherwise be silently ignored; the message suggests the closest known field).
 *
 * @example
 * ```ts
 * import { validateBackgroundOptions } from "./options.ts";
 * const o = validateBackgroundOptions({ p0: 10_000, resilience: 0.5 });
 * if (o.depthLevels !== 50 || o.resilience !== 0.5) throw new Error("defaults filled");
 * try {
 *   validateBackgroundOptions({ p0: 10_000, resilience: 1.5 });
 *   throw new Error("unreachable");
 * } catch (e) {
 *   if (!(e as Error).message.startsWith("resilience: must be a number in [0, 1]")) throw e;
 * }
 * ```
 */
export function validateBackgroundOptions(
  o: unknown,
  where: Where = {},
): Required<BackgroundOptions> {
  const path = where.path ?? "";
  const f = (k: string) => at(path, k);
  const r = checkObject(path || "options", o, "an object with at least p0");
  const D = BACKGROUND_DEFAULTS as unknown as Record<string, unknown>;
  checkKeys(r, ["p0", ...Object.keys(D)], where);
  const get = (k: string): unknown => r[k] === undefined ? D[k] : r[k];

  const gap = checkInt(f("gap"), get("gap"), 1, 1_000_000);
  const spreadTicks = checkInt(f("spreadTicks"), get("spreadTicks"), 1, 1_000_000);
  const askLevels = checkInt(f("askLevels"), get("askLevels"), 0, 1_000_000);
  const askSize = checkInt(f("askSize"), get("askSize"), 0, MAX_QTY);
  let profile: ProfileShape | ProfileWeights | readonly number[];
  let depthLevels: number;
  let totalDepth: number;
  const p = get("profile");
  if (Array.isArray(p)) {
    if (p.length < 1 || p.length > 1_000_000) {
      throw new ConfigError(f("profile"), "a shape name or a non-empty array of sizes", p);
    }
    let sum = 0;
    const sizes = p.map((v, i) => {
      const s = Math.round(checkNum(item(f("profile"), i), v, 0, MAX_QTY));
      sum += s;
      return s;
    });
    depthLevels = r.depthLevels === undefined ? p.length : r.depthLevels as number;
    if (depthLevels !== p.length) {
      throw new ConfigError(
        f("depthLevels"),
        `${p.length} (the length of the explicit profile), or omitted`,
        r.depthLevels,
      );
    }
    if (r.totalDepth !== undefined && r.totalDepth !== sum) {
      throw new ConfigError(
        f("totalDepth"),
        `${sum} (the sum of the explicit profile), or omitted`,
        r.totalDepth,
      );
    }
    totalDepth = sum;
    profile = Object.freeze(sizes);
  } else if (typeof p === "object" && p !== null) {
    profile = checkWeights(p, f("profile"));
    depthLevels = checkInt(f("depthLevels"), get("depthLevels"), 1, 1_000_000);
    totalDepth = checkInt(f("totalDepth"), get("totalDepth"), 0, MAX_QTY);
  } else {
    profile = checkOneOf(f("profile"), p, PROFILE_SHAPES);
    depthLevels = checkInt(f("depthLevels"), get("depthLevels"), 1, 1_000_000);
    totalDepth = checkInt(f("totalDepth"), get("totalDepth"), 0, MAX_QTY);
  }
  const linearSlope = checkNum(f("linearSlope"), get("linearSlope"), 0, 100);
  const expRate = checkNum(f("expRate"), get("expRate"), -5, 5);
  const resilience = checkNum(f("resilience"), get("resilience"), 0, 1);
  const refill = checkOneOf(f("refill"), get("refill"), REFILL_MODES);
  const refillOrder = checkOneOf(f("refillOrder"), get("refillOrder"), REFILL_ORDERS);
  const recentre = checkNum(f("recentre"), get("recentre"), 0, 1);
  const askResilience = checkNum(f("askResilience"), get("askResilience"), 0, 1);
  const noiseRate = checkNum(f("noiseRate"), get("noiseRate"), 0, 1000);
  const noiseMaxSize = checkInt(f("noiseMaxSize"), get("noiseMaxSize"), 1, MAX_QTY);
  const noiseBuyProb = checkNum(f("noiseBuyProb"), get("noiseBuyProb"), 0, 1);

  const lo = gap + depthLevels - 1;
  const hi = MAX_PRICE - spreadTicks - askLevels;
  const p0 = r.p0;
  if (typeof p0 !== "number" || !Number.isInteger(p0) || p0 < lo || p0 > hi) {
    throw new ConfigError(
      f("p0"),
      `an integer tick in [${lo}, ${hi}] (the ladders p0 − gap − depthLevels + 1 … ` +
        `p0 + spreadTicks + askLevels − 1 must be valid ticks)`,
      p0,
    );
  }
  return {
    p0,
    gap,
    depthLevels,
    profile,
    totalDepth,
    linearSlope,
    expRate,
    resilience,
    refill,
    refillOrder,
    recentre,
    spreadTicks,
    askLevels,
    askSize,
    askResilience,
    noiseRate,
    noiseMaxSize,
    noiseBuyProb,
  };
}

/** Checks profile weights: a non-empty array of finite numbers ≥ 0, at least one positive. */
function checkWeights(p: object, field: string): ProfileWeights {
  const o = checkObject(field, p, "a shape name, an array of sizes or {weights}");
  checkKeys(o, ["weights"], { path: field });
  const w = o.weights;
  const wf = at(field, "weights");
  if (!Array.isArray(w) || w.length === 0 || w.length > 1_000_000) {
    throw new ConfigError(wf, "a non-empty array of weights by distance", w);
  }
  w.forEach((v, i) => checkNum(item(wf, i), v, 0, Number.MAX_VALUE));
  if (!w.some((v) => v > 0)) {
    throw new ConfigError(wf, "weights with at least one positive", w);
  }
  return Object.freeze({ weights: Object.freeze([...w]) });
}
