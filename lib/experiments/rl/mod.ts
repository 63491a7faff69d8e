/**
 * The study of notebook 07 (reinforcement learning for market making): the agents and their jobs
 * (`jobs.ts`), the aggregates of the greedy evaluation (`evaluation.ts`), the quote-size sweep
 * (`queue.ts`), the study itself (`study.ts`), and the curves, maps and tables the notebook
 * shows (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./evaluation.ts";
export * from "./queue.ts";
export * from "./study.ts";
export * from "./summaries.ts";
