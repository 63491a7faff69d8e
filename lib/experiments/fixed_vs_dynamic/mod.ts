/**
 * The study of notebook 06 (fixed-price replenishment versus dynamic bidding): populations mixing
 * replenishers with followers or Q-learning makers, played against each taker in both games
 * (`jobs.ts`); per-kind summaries and the comparisons the notebook's prose quotes
 * (`summaries.ts`).
 *
 * ## Inputs
 * `fixedDynamicStudy` (and `fixedDynamicJobs`) and `fixedDynamicJob` check their options by
 * schemas before any job runs: unknown keys are rejected with a suggestion at every level
 * (`settings.replenisher.ofset`: did you mean `"offset"`), budgets and seeds are integers in
 * their ranges, a population's kinds among replenisher, follower, q (one to 64 makers), its
 * label unlike the others (`populations[1].label`). The specs inside are checked by the
 * libraries that own them, with their paths: the taker specs by `lib/takers`
 * (`takers[0].taker.maxWalk`), the game variants, the replenisher's and follower's options (as
 * specs, in the study's game settings; `kind` there is the population's) and the game settings
 * by `lib/game` (`games[0].game.size`, `settings.follower.share`, `settings.game.steps`; `seed`,
 * `makers` and `game` there are the study's), the learner settings by `lib/makers`
 * (`settings.learner.alpha`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
