/**
 * The study of notebooks 02 and 03: one Q-learning maker per (game, taker, seed), trained,
 * tested against the baselines on common seeds, compared with the exact optimum of a small game
 * (`jobs.ts`); its learned policy as a map and its agreement across games (`policies.ts`); and the
 * numbers the notebooks' prose quotes (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./policies.ts";
export * from "./summaries.ts";
