/**
 * Trained agents: the plan of `deno task train:rl` (every learner on every market condition for a
 * stated budget), the job a worker runs, the suite that runs them all and writes checkpoints and
 * learning curves to `data/models/`, and the check that the committed models match the code's
 * configuration.
 *
 * - `plan.ts`: {@linkcode SUITE} (the full plan), {@linkcode REDUCED} (the committed one),
 *   {@linkcode ABLATION} (reward ablation), {@linkcode PLANS}, {@linkcode quickPlan}, {@linkcode checkPlan},
 *   {@linkcode suiteJobs}, {@linkcode jobHash} (each job's configuration hash),
 *   {@linkcode SUITE_VERSION}.
 * - `job.ts`: {@linkcode trainJob}: train on `N` environment copies, evaluate greedily at equally
 *   spaced points, save the checkpoint, return curve rows.
 * - `suite.ts`: {@linkcode trainSuite} (all jobs on workers; checkpoints, `train_curves.parquet`,
 *   `eval_curves.parquet`, `manifest.json`) and {@linkcode checkModels}.
 *
 * @example
 * ```ts
 * import { jobHash, quickPlan, suiteJobs } from "./mod.ts";
 * const jobs = suiteJobs(quickPlan(), "/tmp/models");
 * // 3 learners × 3 conditions × 1 seed, each with its own configuration hash
 * if (jobs.length !== 9 || new Set(jobs.map(jobHash)).size !== 9) throw new Error();
 * ```
 * @module
 */
export * from "./plan.ts";
export * from "./job.ts";
export * from "./suite.ts";
