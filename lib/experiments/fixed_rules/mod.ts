/**
 * The best fixed rule (issue 11): a search over a documented family of non-learning makers
 * (replenishers and followers) on seeds disjoint from the evaluation seeds, per game, taker,
 * market condition and number of makers, with the winner's held-out evaluation (`jobs.ts`); the
 * numbers the notebooks quote of it (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
