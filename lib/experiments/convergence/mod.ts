/**
 * The convergence study (`deno task study:convergence`; see `jobs.ts`): makers trained until their
 * play settles (or a budget), the share of runs that converge, exploitability and the impulse
 * response on the converged runs, the profit gain Δ against the fixed-rule benchmarks; the same
 * jobs run the state ablation. `plan.ts` lists the jobs of the committed study and its quick
 * mode; `summaries.ts` the numbers the notebooks quote.
 *
 * ## Inputs
 * `planJobs` checks a plan before any job is built: unknown keys are rejected with a suggestion,
 * counts are integers in their ranges, the regime by `convergenceRegime`'s schema (`regime.budget`),
 * the taker specs by `lib/takers` (`takers[0].taker.maxWalk`) and the game settings by `lib/game`
 * (`game.steps`; `makers` and `seed` there are the plan's, rejected). Nothing is coerced.
 *
 * @module
 */
export * from "./colearn.ts";
export * from "./jobs.ts";
export * from "./plan.ts";
export * from "./summaries.ts";
