/**
 * Spread capture: how far from the mid the maker's fills were, in its favour.
 *
 * @module
 */
import { ConfigError, optional, positive } from "../errors.ts";
import { checkInputs, type Numbers, SERIES } from "./_validate.ts";
import { checkFillLog, FILL_LOG, type FillLog } from "./fills.ts";

/** Options of {@linkcode spreadCapture} and of `markouts`. */
export interface FillMidInputs {
  /** The maker's fills; `fills.step[i]` indexes `mid`. */
  readonly fills: FillLog;
  /** Mid price per step, in the same unit as the fill prices (the mid before that step's fills). */
  readonly mid: Numbers;
  /** Price units per tick, to report in ticks (default 1: prices are already in ticks). */
  readonly tickSize?: number;
}

/** What {@linkcode spreadCapture} returns. */
export interface SpreadCapture {
  /** Quantity-weighted mean capture, ticks per unit filled; NaN without fills. */
  readonly perUnit: number;
  /** Sum over fills of `qty * capture` (ticks × units). */
  readonly total: number;
  /** Total filled quantity (units). */
  readonly qty: number;
}

/** The schema of {@linkcode FillMidInputs} (fills, a finite mid series, a tick size). */
export const FILL_MID_INPUTS = {
  fills: FILL_LOG,
  mid: SERIES,
  tickSize: optional(positive(), 1),
};

/** Throws unless `tickSize` is a finite number > 0; returns it (default 1). */
export function checkTickSize(tickSize: number | undefined): number {
  const t = tickSize ?? 1;
  if (!(t > 0 && t < Infinity)) throw new ConfigError("tickSize", "a finite number > 0", t);
  return t;
}

/**
 * Spread capture of each fill, `side * (mid[step] - price) / tickSize` ticks: positive when the
 * maker bought below or sold above the mid at fill time. Returns the quantity-weighted mean per
 * unit and the total.
 *
 * @example
 * ```ts
 * import { spreadCapture } from "./spread_capture.ts";
 * import { BUY, fillLogOf, SELL } from "./fills.ts";
 * // bought 1 at 2 ticks under the mid, sold 3 at 1 tick under the mid: (2 - 3) / 4
 * const fills = fillLogOf({ step: [0, 1], side: [BUY, SELL], price: [98, 100], qty: [1, 3] });
 * const c = spreadCapture({ fills, mid: [100, 101] });
 * if (c.perUnit !== -0.25 || c.total !== -1) throw new Error();
 * ```
 */
export function spreadCapture(inputs: FillMidInputs): SpreadCapture {
  const { fills, mid, tickSize: tick } = checkInputs(inputs, FILL_MID_INPUTS, "spreadCapture");
  checkFillLog(fills, mid.length);
  let total = 0;
  let qty = 0;
  for (let i = 0; i < fills.n; i++) {
    const q = fills.qty[i];
    total += q * fills.side[i] * (mid[fills.step[i]] - fills.price[i]);
    qty += q;
  }
  total /= tick;
  return { perUnit: qty === 0 ? NaN : total / qty, total, qty };
}
