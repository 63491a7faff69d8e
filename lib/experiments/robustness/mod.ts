/**
 * The robustness study (issue 11): notebooks 03 and 06 on the spec's game with noise, the best
 * fixed rule as the reference baseline, and the headline comparisons in every study market
 * (`jobs.ts`, `deno task study:robustness`); the robustness table and the numbers the notebooks
 * and `deno task findings` quote of it (`summaries.ts`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
export * from "./findings.ts";
