/**
 * The study of notebook 05 (taker responses): makers trained against each taker and replayed
 * against every taker, baselines, a learning taker co-learning with makers (`jobs.ts`); the
 * cross-table, the reactive taker's pace, the best taker per setting and the co-learning
 * dynamics as the notebook's prose quotes them (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
