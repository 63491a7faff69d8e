/**
 * Owner ids used by the simulations. The book knows owners only as integers; these name them.
 *
 * @module
 */

/** Background liquidity (the exogenous bid ladder and ask side). */
export const BACKGROUND = 0;
/** Noise traders' market orders. */
export const NOISE = 1;
/** The taker (the large seller). */
export const TAKER = 2;
/** Maker `i` (0-based) owns id `MAKER0 + i`. */
export const MAKER0 = 3;

/** Owner id of maker `i`. */
export function makerOwner(i: number): number {
  return MAKER0 + i;
}
