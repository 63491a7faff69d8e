/**
 * The study of notebook 01 (market mechanics): the taker strategies against background liquidity
 * alone and the ladder's recovery after a block (`jobs.ts`, `recovery.ts`), the background's depth
 * profiles and the LOBSTER replay (`books.ts`), and the numbers the notebook's prose quotes
 * (`summaries.ts`).
 *
 * ## Inputs
 * `runTakers` (and `marketJobs`), `runRecovery`, `backgroundProfiles`, `lobsterReplay` and
 * `takerTable` check their options by schemas before any job runs: unknown keys are rejected
 * with a suggestion (`runRecovery({sise})`: did you mean `"size"`), counts and seeds are integers
 * in their ranges, case labels non-empty and distinct; each case's taker spec and background
 * options are checked by `lib/takers` and `lib/market` with their paths
 * (`takers[0].taker.maxWalk`, `backgrounds[1].options.resilience`; `p0` is the study's, not an
 * option).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./recovery.ts";
export * from "./books.ts";
export * from "./summaries.ts";
