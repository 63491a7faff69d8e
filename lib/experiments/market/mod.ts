/**
 * The study of notebook 01 (market mechanics): the taker strategies against background liquidity
 * alone and the ladder's recovery after a block (`jobs.ts`, `recovery.ts`), the background's depth
 * profiles and the LOBSTER replay (`books.ts`), and the numbers the notebook's prose quotes
 * (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./recovery.ts";
export * from "./books.ts";
export * from "./summaries.ts";
