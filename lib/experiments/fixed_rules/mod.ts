/**
 * The best fixed rule (issue 11): a search over a documented family of non-learning makers
 * (replenishers and followers) on seeds disjoint from the evaluation seeds, per game, taker,
 * market condition and number of makers, with the winner's held-out evaluation (`jobs.ts`); the
 * numbers the notebooks quote of it (`summaries.ts`).
 *
 * ## Inputs
 * `bestFixedRules` (and `bestRuleJobs`), `bestRuleJob` and `fixedRuleList` check their options
 * by schemas before any job runs: unknown keys are rejected with a suggestion at every level
 * (`settings.evalEpisode`: did you mean `"evalEpisodes"`), budgets are integers in their ranges,
 * the search and evaluation seed roots distinct, labels distinct, conditions among the game's
 * market conditions, the family's offsets, quantities and shares in range
 * (`family.replenisher.offsets[0]`). The specs inside are checked by the libraries that own
 * them, with their paths: each game's configuration by `lib/game` (`games[0].config.steps`;
 * `makers`, `policy`, `taker` and `seed` there are the study's), the taker specs by `lib/takers`
 * (`takers[0].taker.maxWalk`), the fixed others' maker specs by `lib/game` in each game
 * (`settings.others[0].offset`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
