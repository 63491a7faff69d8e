/**
 * Maximum drawdown of a cumulative PnL path.
 *
 * @module
 */
import { checkFinite, type Numbers } from "./_validate.ts";

/**
 * Largest fall from a running peak, `max over t of (max over s <= t of pnl[s]) - pnl[t]`, in the
 * path's own unit (absolute, not a percentage). Always >= 0; 0 for an empty or never-falling
 * path. The running peak starts at `pnl[0]`: include the starting value (usually 0) as the first
 * element if a fall below the start should count. A NaN or infinite entry throws `ConfigError`
 * naming it (a NaN would otherwise be skipped silently).
 *
 * @example
 * ```ts
 * import { maxDrawdown } from "./drawdown.ts";
 * // peak 3, trough -1 after it
 * if (maxDrawdown([0, 3, 1, 2, -1, 5]) !== 4) throw new Error();
 * ```
 */
export function maxDrawdown(pnl: Numbers): number {
  checkFinite("pnl", pnl);
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < pnl.length; i++) {
    const v = pnl[i];
    if (v > peak) peak = v;
    else if (peak - v > worst) worst = peak - v;
  }
  return worst;
}
