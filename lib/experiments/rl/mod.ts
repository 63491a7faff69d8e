/**
 * The study of notebook 07 (reinforcement learning for market making): the evaluation jobs and
 * policies (`jobs.ts`), what an evaluation records (`evaluation.ts`), the baselines' parameter
 * grids (`tuning.ts`), the quote-size sweep (`queue.ts`), the study's passes and tables
 * (`study.ts`), and the comparisons, curves and maps the notebook shows (`summaries.ts`). The
 * learners themselves are trained by `deno task train:rl` (`lib/training`) and loaded from their
 * committed checkpoints.
 *
 * ## Inputs
 * `tuneJobs`, `compareJobs` and `evalJob` (and `rlJob`) check their options by schemas before
 * any job runs: unknown keys are rejected with a suggestion at every level
 * (`settings.riskPenlty`: did you mean `"riskPenalty"`), counts, sets and episodes are integers in
 * their ranges, conditions among calm, volatile, toxic, bucket edges increasing. The specs inside
 * are checked by the libraries that own them, with their paths: the environment options by
 * `lib/env` (`settings.env.episodeLength`, `queue.env`), the baselines' fields by `lib/agents`
 * as `skewQuoter` and `asQuoter` check them (`baselines[0].policy.halfSpread`; each set's policy
 * of a comparison as `policies[0].policy(1).skew`); a model's agent is checked by `lib/training`
 * when its checkpoint is loaded.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./evaluation.ts";
export * from "./tuning.ts";
export * from "./queue.ts";
export * from "./study.ts";
export * from "./summaries.ts";
