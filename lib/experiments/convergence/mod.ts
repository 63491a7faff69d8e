/**
 * The convergence study (`deno task study:convergence`; see `jobs.ts`): makers trained until their
 * play settles (or a budget), the share of runs that converge, exploitability and the impulse
 * response on the converged runs, the profit gain Δ against the fixed-rule benchmarks; the same
 * jobs run the state ablation (`lib/experiments/state_ablation`). `plan.ts` lists the jobs of the
 * committed study and its quick mode, and the large-n plan (`deno task study:convergence-large`,
 * n = 5 and 10); `summaries.ts` the numbers the notebooks quote; `colearn.ts` one maker and the
 * learning taker co-learning in the converging regime (notebook 05).
 *
 * ## Inputs
 * `planJobs` checks a plan before any job is built: unknown keys are rejected with a suggestion,
 * counts are integers in their ranges, the regime by `convergenceRegime`'s schema (`regime.budget`),
 * the taker specs by `lib/takers` (`takers[0].taker.maxWalk`) and the game settings by `lib/game`
 * (`game.steps`; `makers` and `seed` there are the plan's, rejected). `colearnConverging` checks
 * its options the same way before any job runs (unknown keys rejected with a suggestion; `seeds`
 * an integer count, the seeds being `1 … seeds`; `regime` by the regime's schema, `games[0].game`
 * and `settings` by `lib/game`). Nothing is coerced.
 *
 * @module
 */
export * from "./colearn.ts";
export * from "./jobs.ts";
export * from "./plan.ts";
export * from "./summaries.ts";
