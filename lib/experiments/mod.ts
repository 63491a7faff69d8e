/**
 * Experiments behind the notebooks: each `lib/experiments/<topic>.ts` holds the loops of one
 * notebook as plain functions that return Polars frames built from typed arrays, so notebooks stay
 * thin and the loops are tested (`tests/experiments_<topic>_test.ts`).
 *
 * - `market.ts` (notebook 01, market mechanics): taker strategies against background liquidity
 *   alone, the ladder's recovery after a block sale, depth profiles, the LOBSTER replay.
 *
 * @module
 */
export * from "./market.ts";
