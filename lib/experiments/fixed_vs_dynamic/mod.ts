/**
 * The study of notebook 06 (fixed-price replenishment versus dynamic bidding): populations mixing
 * replenishers with followers or Q-learning makers, played against each taker in both games
 * (`jobs.ts`); per-kind summaries and the comparisons the notebook's prose quotes
 * (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
