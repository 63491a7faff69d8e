/**
 * Trained agents: the plan of `deno task train:rl` (every learner on every market condition for a
 * stated budget), the job a worker runs, the suite that runs them all and writes checkpoints and
 * learning curves to `data/models/`, and the check that the committed models match the code's
 * configuration.
 *
 * - `plan.ts`: {@linkcode SUITE} (the full plan, evaluated in notebook 07), {@linkcode REDUCED} (smaller),
 *   {@linkcode ABLATION} (reward ablation), {@linkcode PLANS}, {@linkcode quickPlan}, {@linkcode checkPlan},
 *   {@linkcode suiteJobs}, {@linkcode jobHash} (each job's configuration hash),
 *   {@linkcode SUITE_VERSION}.
 * - `job.ts`: {@linkcode trainJob}: train on `N` environment copies, evaluate greedily at equally
 *   spaced points, save the checkpoint, return curve rows.
 * - `suite.ts`: {@linkcode trainSuite} (all jobs on workers; checkpoints, `train_curves.parquet`,
 *   `eval_curves.parquet`, `manifest.json`) and {@linkcode checkModels}.
 *
 * ## Inputs
 * A plan is checked as a whole by {@linkcode checkPlan} before any job is built: unknown keys are
 * rejected with a suggestion, each agent's `config` against its learner's schema at its path
 * (`plan.agents[0].config.learningrate`: did you mean `"learningRate"`), budgets and counts
 * integers in their ranges, seeds integers in [0, 2^31], condition names from `MARKET_CONDITIONS`.
 * `trainSuite` and `checkModels` check their options the same way and reject before any worker
 * starts or any file is written.
 *
 * @example
 * ```ts
 * import { jobHash, quickPlan, suiteJobs } from "./mod.ts";
 * const jobs = suiteJobs(quickPlan(), "/tmp/models");
 * // 4 learners (DQN, PPO, SAC, the residual PPO) × 3 conditions × 1 seed, each with its own hash
 * if (jobs.length !== 12 || new Set(jobs.map(jobHash)).size !== 12) throw new Error();
 * ```
 * @module
 */
export * from "./plan.ts";
export * from "./job.ts";
export * from "./suite.ts";
