/**
 * Adverse selection measured by markouts.
 *
 * @module
 */
import { numbers } from "../errors.ts";
import { checkInputs, type Numbers } from "./_validate.ts";
import { checkFillLog } from "./fills.ts";
import { FILL_MID_INPUTS, type FillMidInputs } from "./spread_capture.ts";

const MARKOUT_INPUTS = {
  ...FILL_MID_INPUTS,
  horizons: numbers({ integer: true, lo: 1, hi: 2 ** 31 - 1 }),
};

/** Options of {@linkcode markouts}. */
export interface MarkoutInputs extends FillMidInputs {
  /** Horizons in steps, each an integer >= 1. */
  readonly horizons: Numbers;
}

/** What {@linkcode markouts} returns; entry `j` of each array belongs to `horizons[j]`. */
export interface Markouts {
  /** The horizons (steps). */
  readonly horizons: Int32Array;
  /** Quantity-weighted mean markout, ticks per unit; NaN when no fill could be evaluated. */
  readonly mean: Float64Array;
  /** Fraction of evaluated fills (by count) whose markout is < 0 (adverse); NaN when none. */
  readonly adverseRate: Float64Array;
  /** Fraction whose markout is exactly 0 (the mid did not move against or for the fill). */
  readonly zeroRate: Float64Array;
  /** Fraction whose markout is > 0 (favourable); the three rates sum to 1. */
  readonly favourableRate: Float64Array;
  /** Number of fills evaluated (those with `step + h < mid.length`). */
  readonly count: Int32Array;
}

/**
 * Markouts at several horizons: for a fill at step `t` on maker side `s`, the markout at horizon
 * `h` is `s * (mid[t + h] - mid[t]) / tickSize` ticks, the mid move signed against the maker's
 * position: a buy followed by a falling mid (or a sell followed by a rising one) is negative,
 * i.e. adverse. Fills too close to the end of `mid` for a horizon are left out of that horizon
 * (see `count`). A markout of exactly 0 (common on a tick grid at short horizons) is counted on
 * its own (`zeroRate`), neither adverse nor favourable, so the three rates sum to 1.
 *
 * @example
 * ```ts
 * import { markouts } from "./markouts.ts";
 * import { BUY, fillLogOf, SELL } from "./fills.ts";
 * const fills = fillLogOf({ step: [0, 1], side: [BUY, SELL], price: [99, 101], qty: [1, 1] });
 * const m = markouts({ fills, mid: [100, 99, 97], horizons: [1, 2] });
 * // h = 1: buy -1, sell +2; h = 2: buy -3, sell not evaluated
 * if (m.mean.join() !== "0.5,-3" || m.adverseRate.join() !== "0.5,1") throw new Error();
 * if (m.favourableRate.join() !== "0.5,0" || m.zeroRate.join() !== "0,0") throw new Error();
 * ```
 */
export function markouts(inputs: MarkoutInputs): Markouts {
  const { fills, mid, horizons, tickSize: tick } = checkInputs(inputs, MARKOUT_INPUTS, "markouts");
  checkFillLog(fills, mid.length);
  const nh = horizons.length;
  const out: Markouts = {
    horizons: new Int32Array(nh),
    mean: new Float64Array(nh),
    adverseRate: new Float64Array(nh),
    zeroRate: new Float64Array(nh),
    favourableRate: new Float64Array(nh),
    count: new Int32Array(nh),
  };
  for (let j = 0; j < nh; j++) {
    const h = horizons[j];
    let sum = 0;
    let qty = 0;
    let adverse = 0;
    let zero = 0;
    let count = 0;
    for (let i = 0; i < fills.n; i++) {
      const t = fills.step[i];
      if (t + h >= mid.length) continue;
      const m = fills.side[i] * (mid[t + h] - mid[t]);
      sum += fills.qty[i] * m;
      qty += fills.qty[i];
      if (m < 0) adverse++;
      else if (m === 0) zero++;
      count++;
    }
    out.horizons[j] = h;
    out.mean[j] = qty === 0 ? NaN : sum / qty / tick;
    out.adverseRate[j] = count === 0 ? NaN : adverse / count;
    out.zeroRate[j] = count === 0 ? NaN : zero / count;
    out.favourableRate[j] = count === 0 ? NaN : (count - adverse - zero) / count;
    out.count[j] = count;
  }
  return out;
}
