/**
 * The study of notebook 05 (taker responses): makers trained against each taker and replayed
 * against every taker, baselines, a learning taker co-learning with makers (`jobs.ts`); the
 * cross-table, the reactive taker's pace, the best taker per setting and the co-learning
 * dynamics as the notebook's prose quotes them (`summaries.ts`).
 *
 * ## Inputs
 * `takerStudy` (and `takerJobs`) and `takerJob` check their options by schemas before any job
 * runs: unknown keys are rejected with a suggestion at every level (`settings.episode`: did you
 * mean `"episodes"`), budgets and seeds are integers in their ranges, taker labels distinct and
 * other than the learning taker's (`takers[1].label`). The specs inside are checked by the libraries that own them, with their paths: the
 * taker specs by `lib/takers` (`takers[0].taker.maxWalk`), the game variants, the baselines'
 * maker specs (in the study's game settings) and the game settings by `lib/game`
 * (`games[0].game.size`, `baselines[0].policy[1].offset`, `settings.game.steps`; `seed`,
 * `makers` and `game` there are the study's, rejected), the learner settings by `lib/makers`
 * (`settings.learner.gamma`).
 *
 * @module
 */
export * from "./jobs.ts";
export * from "./summaries.ts";
