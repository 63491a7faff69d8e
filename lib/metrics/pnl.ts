/**
 * Profit and loss marked to market.
 *
 * Units: `cash` and `mark` in the same price unit (ticks for the order book, price units for the
 * Avellaneda–Stoikov model), `inventory` in units of the asset (signed: positive is long). The PnL
 * is then in that price unit.
 *
 * @module
 */
import { checkInputs, checkLength, type Numbers, SERIES } from "./_validate.ts";

const PNL_INPUTS = { cash: SERIES, inventory: SERIES, mark: SERIES };

/** The per-step state a PnL is computed from; all three arrays are indexed by step. */
export interface PnlInputs {
  /** Cash after step `t` (price units); starts at 0 for a maker with no initial capital. */
  readonly cash: Numbers;
  /** Signed inventory after step `t` (units of the asset). */
  readonly inventory: Numbers;
  /** Price the inventory is marked at after step `t` (usually the mid), price units. */
  readonly mark: Numbers;
}

/**
 * The per-step PnL series `pnl[t] = cash[t] + inventory[t] * mark[t]`.
 *
 * This is wealth marked to market; it equals the PnL when the episode starts flat with no cash
 * (subtract `pnl[0]` otherwise). Throws `ConfigError` if the lengths differ or an entry is not
 * a finite number (naming it, e.g. `mark[3]`).
 *
 * @example
 * ```ts
 * import { pnlSeries } from "./pnl.ts";
 * // buy 1 at 99, mid goes 100 -> 101, sell 1 at 102
 * const pnl = pnlSeries({ cash: [0, -99, -99, 3], inventory: [0, 1, 1, 0], mark: [100, 100, 101, 101] });
 * if (pnl.join() !== "0,1,2,3") throw new Error(pnl.join());
 * ```
 */
export function pnlSeries(inputs: PnlInputs): Float64Array {
  const { cash, inventory, mark } = checkInputs(inputs, PNL_INPUTS, "pnlSeries");
  const n = cash.length;
  checkLength("inventory", inventory, n, "cash");
  checkLength("mark", mark, n, "cash");
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = cash[t] + inventory[t] * mark[t];
  return out;
}

/**
 * The final PnL, `cash + inventory * mark` at the last step (the last element of
 * {@linkcode pnlSeries}); 0 for empty inputs. Throws `ConfigError` if the lengths differ.
 *
 * @example
 * ```ts
 * import { finalPnl } from "./pnl.ts";
 * if (finalPnl({ cash: [0, -99], inventory: [0, 1], mark: [100, 98] }) !== -1) throw new Error();
 * ```
 */
export function finalPnl(inputs: PnlInputs): number {
  const { cash, inventory, mark } = checkInputs(inputs, PNL_INPUTS, "finalPnl");
  const n = cash.length;
  checkLength("inventory", inventory, n, "cash");
  checkLength("mark", mark, n, "cash");
  return n === 0 ? 0 : cash[n - 1] + inventory[n - 1] * mark[n - 1];
}
