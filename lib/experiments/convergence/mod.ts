/**
 * The convergence study (`deno task study:convergence`; see `jobs.ts`): makers trained until their
 * play settles (or a budget), the share of runs that converge, exploitability and the impulse
 * response on the converged runs, the profit gain Δ against the fixed-rule benchmarks; the same
 * jobs run the state ablation. `plan.ts` lists the jobs of the committed study and its quick
 * mode; `summaries.ts` the numbers the notebooks quote.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./plan.ts";
export * from "./summaries.ts";
