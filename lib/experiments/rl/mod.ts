/**
 * The study of notebook 07 (reinforcement learning for market making): the evaluation jobs and
 * policies (`jobs.ts`), what an evaluation records (`evaluation.ts`), the baselines' parameter
 * grids (`tuning.ts`), the quote-size sweep (`queue.ts`), the study's passes and tables
 * (`study.ts`), and the comparisons, curves and maps the notebook shows (`summaries.ts`). The
 * learners themselves are trained by `deno task train:rl` (`lib/training`) and loaded from their
 * committed checkpoints.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./evaluation.ts";
export * from "./tuning.ts";
export * from "./queue.ts";
export * from "./study.ts";
export * from "./summaries.ts";
