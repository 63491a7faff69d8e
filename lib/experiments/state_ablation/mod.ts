/**
 * The state ablation (`deno task study:state-ablation`, issue 10 §2): which makers' state to
 * learn on. The spec's state, the spec's plus each opt-in feature of `lib/makers/state.ts`
 * (depth within 3 ticks of P0, own resting quantity, own queue position) and all three, trained
 * in the converging regime for n = 1, 2 against the aggressive, passive and reactive takers on
 * the noise market; compared on per-maker profit, convergence rate, states visited and the share
 * of decisions in unvisited states; the decision rule that picks the state
 * ({@linkcode chooseState}); and the exact check repeated with each state. `plan.ts` lists the
 * jobs, `jobs.ts` runs them, `summaries.ts` holds the numbers the notebook quotes.
 *
 * ## Inputs
 * `ablationJobs` checks a plan before any job is built: unknown keys are rejected with a
 * suggestion, the training settings by the convergence study's `planJobs` (`training.seeds`),
 * the variants' labels (distinct) and the exact part's counts in their ranges, the takers by
 * `lib/takers` (`exact.takers[0].taker.maxWalk`); the state edges by `lib/makers/state.ts` when a
 * job runs (`state.depth`). Nothing is coerced.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./plan.ts";
export * from "./summaries.ts";
