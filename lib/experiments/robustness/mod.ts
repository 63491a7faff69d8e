/**
 * The robustness study (issue 11): notebooks 03 and 06 on the spec's game with noise, the best
 * fixed rule as the reference baseline, and the headline comparisons in every study market
 * (`jobs.ts`, `deno task study:robustness`); the robustness table and the numbers the notebooks
 * and `deno task findings` quote of it (`summaries.ts`).
 *
 * ## Inputs
 * `runRobustness` and `fixedAcrossMarkets` check their options before anything runs: unknown
 * keys are rejected with a suggestion at every level (`part`: did you mean `"parts"`), counts
 * are integers in their ranges, markets are labelled lists of condition names
 * (`config.conditions[0].conditions[0]`: one of "default", "noise", …), parts one of `best`,
 * `learn`, `orders`; nothing is coerced. The summaries (`robustnessTable`, `pairedPolicies`,
 * `pairedKinds`) check theirs by schemas too.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
export * from "./findings.ts";
export * from "./notebooks.ts";
