/**
 * The study of notebooks 02 and 03: one Q-learning maker per (game, taker, seed), trained,
 * tested against the baselines on common seeds, compared with the exact optimum of a small game
 * (`jobs.ts`); its learned policy as a map and its agreement across games (`policies.ts`); and the
 * numbers the notebooks' prose quotes (`summaries.ts`).
 *
 * ## Inputs
 * `makerLearnJobs`, `makerLearnStudy`, `makerLearnJob`, `exactStudy` (and `exactJobs`),
 * `exactJob` and `testPolicies` check their options by schemas before any job runs: unknown keys
 * are rejected with a suggestion at every level (`settings.lerner`: did you mean `"learner"`),
 * counts and seeds are integers in their ranges, labels distinct (`takers[1].label`). The specs
 * inside are checked by the libraries that own them, with their paths: the taker specs by
 * `lib/takers` (`takers[0].taker.maxWalk`), the game variants, baselines' maker specs and game
 * settings by `lib/game` (`games[0].game.size`, `settings.baselines[0].spec.offset`,
 * `settings.gameOptions.steps`; `game`, `seed` and `makers` there are the study's, rejected),
 * the learner settings by `lib/makers` (`settings.learner.epsilon`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./policies.ts";
export * from "./summaries.ts";
