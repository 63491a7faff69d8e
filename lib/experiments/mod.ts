/**
 * The studies behind the notebooks, one folder each, all written the same way
 * (`docs/CONVENTIONS.md`): `jobs.ts` declares the study's jobs, the function a job runs and its
 * tables on the study scaffold (`lib/sweep/study.ts`, in this thread or on Web Workers, the same
 * tables either way); `summaries.ts` holds the numbers the notebook's prose quotes as tested pure
 * functions of those tables (`tests/experiments_<topic>_test.ts`); the notebook keeps the
 * question, the parameters, the study calls, the figure specs and the prose.
 *
 * ## Inputs
 * A study's run function and its job builder check their top-level options before any job runs:
 * unknown keys are rejected with a suggestion (`marketJobs({worker})`: did you mean
 * `"workers"`), counts and seeds are integers in their ranges. In `market/`, `game_learning/`,
 * `takers/`, `fixed_vs_dynamic/`, `fixed_rules/` and `rl/` the nested settings are checked there
 * too, before any job runs, by the libraries that own them (`lib/game`, `lib/takers`,
 * `lib/market`, `lib/makers`, `lib/env`, `lib/agents`) with their paths
 * (`takers[0].taker.maxWalk`, `settings.gameOptions.steps`); each folder's module doc says how.
 * Elsewhere the game, taker and background settings inside are checked when they are built.
 *
 * - `market/` (notebook 01, market mechanics): taker strategies against background liquidity
 *   alone, the ladder's recovery after a block sale (`recovery.ts`), depth profiles and the
 *   LOBSTER replay (`books.ts`).
 * - `game_learning/` (notebooks 02 and 03, one maker in game 1 and game 2): Q-learning makers
 *   trained per (game, taker, seed), tested with the baselines on common seeds, the exact-optimum
 *   check, paired differences with confidence intervals, policy maps (`policies.ts`).
 * - `competition/` (notebook 04, competition): n = 0 … 10 Q-learning makers trained together per
 *   (taker, n, seed) and replayed greedily (PnL, shares, bid levels, convergence); the fixed-rule
 *   game behind the competitive and collusive benchmarks and the profit gain Δ of Calvano et al.
 *   (2020) (`benchmarks.ts`).
 * - `takers/` (notebook 05, taker responses): makers trained against each taker and replayed
 *   against every taker (the cross-table), baselines, the reactive taker's child orders step by
 *   step, a learning taker co-learning with makers, the best taker per setting.
 * - `fixed_vs_dynamic/` (notebook 06, fixed-price replenishment versus dynamic bidding):
 *   populations mixing replenishers with followers or Q-learning makers, per-maker PnL, fill
 *   share, queue position, fills in the first steps, by kind.
 * - `fixed_rules/` (the reference baseline of every comparison with a learner): the best fixed
 *   rule of a family of replenishers and followers, searched per game, taker, market condition
 *   and number of makers on seeds disjoint from its held-out evaluation.
 * - `robustness/` (notebooks 03 and 06 on the spec's game, and the per-market sections of 02, 04
 *   and 05; `deno task study:robustness`): the learners of game 1 and game 2 against the best fixed
 *   rule in every study market, trained in the converging regime, the value of knowing the size,
 *   notebook 06's populations under both order rules, one against two learning makers per market;
 *   the robustness table (finding × condition) and the findings `deno task findings` prints.
 * - `rl/` (notebook 07, reinforcement learning for market making): baselines, tabular Q, DQN, PPO
 *   and SAC on the order-book environment, trained and evaluated per (agent, seed)
 *   (`jobs.ts`, `evaluation.ts`), the queue sweep (`queue.ts`), the study's tables (`study.ts`).
 * - `convergence/` (the committed convergence study, `deno task study:convergence`, notebooks 02
 *   and 04; its large-n plan, `deno task study:convergence-large`, notebook 08): makers trained
 *   until their play settles, exploitability, the impulse response to a forced deviation, the
 *   profit gain Δ of converged runs; co-learning in the converging regime (`colearn.ts`, notebook
 *   05).
 * - `state_ablation/` (notebook 08, `deno task study:state-ablation`): the makers' state
 *   ablation (the spec's state, plus the depth near P0, own resting quantity, queue position, all
 *   three), its decision rule, and the exact check with each state.
 * - `committed.ts`: the registry of outputs made by long tasks and committed under `data/`, and
 *   the check `deno task reproduce` runs over them.
 *
 * @module
 */
export * from "./market/mod.ts";
export * from "./game_learning/mod.ts";
export * from "./competition/mod.ts";
export * from "./takers/mod.ts";
export * from "./rl/mod.ts";
export * from "./fixed_vs_dynamic/mod.ts";
export * from "./fixed_rules/mod.ts";
export * from "./robustness/mod.ts";
export * from "./convergence/mod.ts";
export * from "./state_ablation/mod.ts";
export * from "./committed.ts";
