/**
 * Continuous quoting actions: the RL spec's five numbers, each in `[−1, 1]` (a Gymnasium `Box`),
 * and how the environment turns them into a quote (`createContinuousMarketMakingEnv` in
 * `market_making_env.ts`).
 *
 * | i | name              | scaled to                                                         |
 * | - | ----------------- | ----------------------------------------------------------------- |
 * | 0 | `bidOffset`       | `minOffset + (a + 1)/2 · (maxOffset − minOffset)` ticks below the mid |
 * | 1 | `askOffset`       | the same, ticks above the mid                                      |
 * | 2 | `bidSize`         | `round((a + 1)/2 · maxLots)` lots of `lotSize` units (0: no bid)   |
 * | 3 | `askSize`         | the same for the ask (0: no ask)                                   |
 * | 4 | `inventoryTarget` | `a · maxTarget` units (not rounded), for the reward's target term  |
 *
 * Prices are rounded to ticks toward the mid, as the discrete grid's are: the bid at
 * `ceil(mid − offset)`, the ask at `floor(mid + offset)`, each computed with a tolerance of
 * `1e-9` tick so that an offset that is an integer up to rounding (e.g. `2.9999999999999996`)
 * gives the same tick as the integer. With the defaults (`minOffset −1`, `maxOffset 7`) the
 * offsets span exactly the discrete grid's (`h ± s` for half-spreads 1–5 and skews ±2), and the
 * middle of the box is a 3-tick offset; `maxLots 2` makes the middle a 1-unit quote (the
 * discrete default `quoteSize`). A negative offset puts the quote past the mid; the environment
 * posts it post-only (one tick inside the other side's best).
 *
 * {@linkcode encodeQuote} is the inverse (the box action whose decoding is a given quote), used
 * by {@linkcode discretize}: a wrapper that turns a continuous environment into a discrete one
 * over a fixed list of box actions, the way a discrete agent (DQN) can play the continuous
 * environment.
 *
 * @module
 */
import { checkInt, checkKeys, checkNum, checkObject, ConfigError } from "../errors.ts";
import type { BoxSpace, DiscreteSpace, Env, StepResult } from "./types.ts";

/** Scaling of the continuous actions (see the module doc). */
export interface ContinuousActionConfig {
  /** Offset from the mid, ticks, at action −1. Number in [−100, 100]. Default −1. */
  readonly minOffset: number;
  /** Offset from the mid, ticks, at action +1. Number in (minOffset, 1000]. Default 7. */
  readonly maxOffset: number;
  /** Units per lot. Integer in [1, 10^6]. Default 1. */
  readonly lotSize: number;
  /** Lots quoted at action +1 (0 lots at −1). Integer in [1, 10^6]. Default 2. */
  readonly maxLots: number;
  /**
   * Inventory target at action ±1, units; `null`: the environment's `maxInventory`. Number > 0.
   * Default null.
   */
  readonly maxTarget: number | null;
}

/** Defaults of {@linkcode ContinuousActionConfig}. */
export const CONTINUOUS_ACTION_DEFAULTS: Readonly<ContinuousActionConfig> = Object.freeze({
  minOffset: -1,
  maxOffset: 7,
  lotSize: 1,
  maxLots: 2,
  maxTarget: null,
});

/** Names of the five action dimensions, in order. */
export const CONTINUOUS_ACTION_NAMES: readonly string[] = Object.freeze([
  "bidOffset",
  "askOffset",
  "bidSize",
  "askSize",
  "inventoryTarget",
]);

const KEYS = Object.keys(CONTINUOUS_ACTION_DEFAULTS);

/**
 * Fills defaults and validates; throws `ConfigError` naming `<field>.<key>` for a bad value or
 * an unknown key.
 *
 * @example
 * ```ts
 * import { checkContinuousActions } from "./continuous.ts";
 * const c = checkContinuousActions({ maxLots: 4 });
 * if (c.maxLots !== 4 || c.maxOffset !== 7) throw new Error();
 * ```
 */
export function checkContinuousActions(
  v: Partial<ContinuousActionConfig> | undefined,
  field = "continuous",
): ContinuousActionConfig {
  if (v === undefined) return { ...CONTINUOUS_ACTION_DEFAULTS };
  checkObject(field, v, "an object of ContinuousActionConfig fields");
  checkKeys(v, KEYS, { path: field });
  const c = { ...CONTINUOUS_ACTION_DEFAULTS, ...v };
  checkNum(`${field}.minOffset`, c.minOffset, -100, 100);
  checkNum(`${field}.maxOffset`, c.maxOffset, c.minOffset + 1e-9, 1000);
  checkInt(`${field}.lotSize`, c.lotSize, 1, 1e6);
  checkInt(`${field}.maxLots`, c.maxLots, 1, 1e6);
  if (c.maxTarget !== null) checkNum(`${field}.maxTarget`, c.maxTarget, 1e-9, 1e9);
  return c;
}

/** The box of the five actions: `[−1, 1]^5`, with their names. */
export function continuousActionSpace(): BoxSpace {
  return Object.freeze({
    kind: "box",
    shape: [5],
    low: new Float64Array(5).fill(-1),
    high: new Float64Array(5).fill(1),
    names: CONTINUOUS_ACTION_NAMES,
  });
}

/** A decoded continuous action. */
export interface DecodedQuote {
  /** Distance of the bid below the mid, ticks. */
  bidOffset: number;
  /** Distance of the ask above the mid, ticks. */
  askOffset: number;
  /** Bid size, units (a multiple of `lotSize`; 0: no bid). */
  bidSize: number;
  /** Ask size, units. */
  askSize: number;
  /** Inventory target, units. */
  target: number;
}

/** A fresh {@linkcode DecodedQuote} of zeros (to reuse with {@linkcode decodeAction}). */
export function createDecodedQuote(): DecodedQuote {
  return { bidOffset: 0, askOffset: 0, bidSize: 0, askSize: 0, target: 0 };
}

/** Tolerance, ticks, of the rounding of prices to ticks (see the module doc). */
export const TICK_TOLERANCE = 1e-9;

/**
 * Decodes a box action into `out` (allocation-free). `maxTarget` must be resolved (the
 * environment's `maxInventory` for `null`). Throws `ConfigError` naming `action[i]` unless the
 * action has 5 numbers in `[−1, 1]`.
 *
 * @example
 * ```ts
 * import { checkContinuousActions, createDecodedQuote, decodeAction } from "./continuous.ts";
 * const c = { ...checkContinuousActions({}), maxTarget: 10 };
 * const q = decodeAction(c, [-0.5, 0, 1, -1, 0.3], createDecodedQuote());
 * // offsets −1 + 0.25·8 = 1 and 3 ticks; sizes 2 and 0 lots; target 3 units
 * if ([q.bidOffset, q.askOffset, q.bidSize, q.askSize, q.target].join() !== "1,3,2,0,3") {
 *   throw new Error(JSON.stringify(q));
 * }
 * ```
 */
export function decodeAction(
  c: ContinuousActionConfig & { readonly maxTarget: number },
  action: ArrayLike<number>,
  out: DecodedQuote,
): DecodedQuote {
  checkBoxAction(action);
  const span = c.maxOffset - c.minOffset;
  out.bidOffset = c.minOffset + 0.5 * (action[0] + 1) * span;
  out.askOffset = c.minOffset + 0.5 * (action[1] + 1) * span;
  out.bidSize = Math.round(0.5 * (action[2] + 1) * c.maxLots) * c.lotSize;
  out.askSize = Math.round(0.5 * (action[3] + 1) * c.maxLots) * c.lotSize;
  out.target = action[4] * c.maxTarget;
  return out;
}

/** Throws `ConfigError` unless `action` holds 5 numbers in `[−1, 1]`. */
export function checkBoxAction(action: ArrayLike<number>): void {
  if (action === null || typeof action !== "object" || action.length !== 5) {
    throw new ConfigError("action", "a vector of 5 numbers in [-1, 1]", action?.length);
  }
  for (let i = 0; i < 5; i++) {
    const a = action[i];
    if (!(a >= -1 && a <= 1)) {
      throw new ConfigError(`action[${i}]`, "a number in [-1, 1]", a);
    }
  }
}

/** The bid price, ticks, for an offset below `mid` (rounded toward the mid). */
export function bidTick(mid: number, offset: number): number {
  return Math.ceil(mid - offset - TICK_TOLERANCE);
}

/** The ask price, ticks, for an offset above `mid` (rounded toward the mid). */
export function askTick(mid: number, offset: number): number {
  return Math.floor(mid + offset + TICK_TOLERANCE);
}

/**
 * The box action whose decoding is `quote` (offsets clamped to the box's range; a size becomes
 * the middle of its lot's interval, so it decodes back exactly), written into `out`.
 *
 * @example
 * ```ts
 * import { checkContinuousActions, createDecodedQuote, decodeAction, encodeQuote } from "./continuous.ts";
 * const c = { ...checkContinuousActions({}), maxTarget: 10 };
 * const a = encodeQuote(c, { bidOffset: 2, askOffset: 0, bidSize: 1, askSize: 2, target: -4 });
 * const q = decodeAction(c, a, createDecodedQuote());
 * if ([q.bidOffset, q.askOffset, q.bidSize, q.askSize, q.target].join() !== "2,0,1,2,-4") {
 *   throw new Error(JSON.stringify(q));
 * }
 * ```
 */
export function encodeQuote(
  c: ContinuousActionConfig & { readonly maxTarget: number },
  quote: Readonly<DecodedQuote>,
  out: Float64Array = new Float64Array(5),
): Float64Array {
  const span = c.maxOffset - c.minOffset;
  const off = (x: number) => Math.max(-1, Math.min(1, 2 * (x - c.minOffset) / span - 1));
  const size = (units: number) => {
    const lots = Math.max(0, Math.min(c.maxLots, Math.round(units / c.lotSize)));
    // The middle of [lots − 0.5, lots + 0.5] / maxLots, within the box.
    return Math.max(-1, Math.min(1, (2 * lots) / c.maxLots - 1));
  };
  out[0] = off(quote.bidOffset);
  out[1] = off(quote.askOffset);
  out[2] = size(quote.bidSize);
  out[3] = size(quote.askSize);
  out[4] = Math.max(-1, Math.min(1, quote.target / c.maxTarget));
  return out;
}

/**
 * A discrete environment over a fixed list of box actions of a continuous one: action `i` plays
 * `actions[i]` (copied at construction). Observations, rewards and `info` are the wrapped
 * environment's; `reset` is passed through.
 *
 * @example
 * ```ts
 * import { discretize } from "./continuous.ts";
 * import { createContinuousMarketMakingEnv } from "./market_making_env.ts";
 * const env = discretize(createContinuousMarketMakingEnv({ episodeLength: 10 }), [
 *   Float64Array.of(-0.5, -0.5, 0, 0, 0), // 1 tick each side, 1 unit
 *   Float64Array.of(0, 0, -1, -1, 0), // no quotes
 * ]);
 * env.reset({ seed: 1 });
 * if (env.actionSpace.n !== 2 || env.step(1).info.bidQty !== 0) throw new Error();
 * ```
 */
export function discretize<R extends StepResult<Float64Array>>(
  env: {
    readonly observationSpace: BoxSpace;
    readonly actionSpace: BoxSpace;
    reset(options?: { seed?: number }): { obs: Float64Array; info: R["info"] };
    step(action: Float64Array): R;
  },
  actions: readonly ArrayLike<number>[],
): Env<Float64Array, number> & { step(action: number): R } {
  if (!Array.isArray(actions) || actions.length < 1 || actions.length > 65_536) {
    throw new ConfigError("actions", "a non-empty list of at most 65536 box actions", actions);
  }
  const dim = env.actionSpace.low.length;
  const rows = actions.map((a, i) => {
    if (a === null || typeof a !== "object" || a.length !== dim) {
      throw new ConfigError(`actions[${i}]`, `a vector of ${dim} numbers`, a);
    }
    const v = Float64Array.from(a);
    v.forEach((x, j) => {
      if (!(x >= env.actionSpace.low[j] && x <= env.actionSpace.high[j])) {
        throw new ConfigError(`actions[${i}][${j}]`, "a number inside the action space", x);
      }
    });
    return v;
  });
  const space: DiscreteSpace = Object.freeze({ kind: "discrete", n: rows.length });
  return {
    observationSpace: env.observationSpace,
    actionSpace: space,
    reset: (options) => env.reset(options),
    step(action: number): R {
      if ((action >>> 0) !== action || action >= rows.length) {
        throw new ConfigError("action", `an integer in [0, ${rows.length - 1}]`, action);
      }
      return env.step(rows[action]);
    },
  };
}
