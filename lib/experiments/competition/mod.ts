/**
 * The study of notebook 04 (competition): n = 0 … 10 Q-learning makers trained together and
 * replayed greedily, and the fixed-rule game (`jobs.ts`); the collusive, competitive and Bertrand
 * benchmarks and the profit gain Δ (`benchmarks.ts`); the numbers the notebook's prose quotes
 * (`summaries.ts`).
 *
 * ## Inputs
 * `competitionJobs` and `runCompetition` check their options before any job runs: unknown keys
 * are rejected with a suggestion (`evalEpisode`: did you mean `"evalEpisodes"`), counts and
 * budgets are integers in their ranges with their paths (`ns[0]`, `episodes[1]`, `checks`),
 * taker labels distinct. The specs inside are checked by the libraries that own them, with their
 * paths: the taker specs by `lib/takers` (`takers[0].taker.maxWalk`), the game settings by
 * `lib/game` (`game.steps`; `makers` and `seed` there are the study's, rejected), the rule family
 * by `checkFamily`. Nothing is coerced.
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./benchmarks.ts";
export * from "./summaries.ts";
