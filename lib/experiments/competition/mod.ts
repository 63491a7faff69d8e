/**
 * The study of notebook 04 (competition): n = 0 … 10 Q-learning makers trained together and
 * replayed greedily, and the fixed-rule game (`jobs.ts`); the collusive, competitive and Bertrand
 * benchmarks and the profit gain Δ (`benchmarks.ts`); the numbers the notebook's prose quotes
 * (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./benchmarks.ts";
export * from "./summaries.ts";
