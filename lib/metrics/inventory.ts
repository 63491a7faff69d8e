/**
 * Inventory risk: variance and mean absolute inventory over an episode.
 *
 * Inventory is signed, in units of the asset, one value per step. Both statistics describe the
 * path itself (time averages over its steps), so the variance divides by `n`, not `n - 1`. A NaN
 * or infinite entry throws `ConfigError` naming it.
 *
 * @module
 */
import { checkFinite, meanOf, type Numbers } from "./_validate.ts";

/**
 * Variance of the inventory path over its steps, `mean((q - mean(q))^2)` (divisor `n`),
 * in units². NaN for an empty path.
 *
 * @example
 * ```ts
 * import { inventoryVariance } from "./inventory.ts";
 * // mean 1, squared deviations 1, 1, 1, 1
 * if (inventoryVariance([0, 2, 0, 2]) !== 1) throw new Error();
 * ```
 */
export function inventoryVariance(inventory: Numbers): number {
  checkFinite("inventory", inventory);
  const n = inventory.length;
  const m = meanOf(inventory);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = inventory[i] - m;
    ss += e * e;
  }
  return ss / n;
}

/**
 * Mean absolute inventory over the steps, `mean(|q|)`, in units. NaN for an empty path.
 *
 * @example
 * ```ts
 * import { meanAbsInventory } from "./inventory.ts";
 * if (meanAbsInventory([0, -2, 1, 1]) !== 1) throw new Error();
 * ```
 */
export function meanAbsInventory(inventory: Numbers): number {
  checkFinite("inventory", inventory);
  let s = 0;
  for (let i = 0; i < inventory.length; i++) s += Math.abs(inventory[i]);
  return s / inventory.length;
}
