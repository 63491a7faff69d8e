/**
 * Experiments behind the notebooks: each `lib/experiments/<topic>.ts` holds the loops of one
 * notebook as plain functions that return Polars frames built from typed arrays, so notebooks stay
 * thin and the loops are tested (`tests/experiments_<topic>_test.ts`).
 *
 * - `market.ts` (notebook 01, market mechanics): taker strategies against background liquidity
 *   alone, the ladder's recovery after a block sale, depth profiles, the LOBSTER replay.
 * - `game_learning.ts` (notebooks 02 and 03, one maker in game 1 and game 2): Q-learning makers
 *   trained per (game, taker, seed) on Web Workers, tested with the baselines on common seeds,
 *   the exact-optimum check, paired differences with confidence intervals, policy maps.
 * - `competition.ts` (notebook 04, competition): n = 0 … 10 Q-learning makers trained together per
 *   (taker, n, seed) on Web Workers and replayed greedily (PnL, shares, bid levels, convergence);
 *   the fixed-rule game (symmetric profiles × unilateral deviations) behind the competitive and
 *   collusive benchmarks, and the profit gain Δ of Calvano et al. (2020).
 * - `takers.ts` (notebook 05, taker responses): makers trained against each taker and replayed
 *   against every taker (the cross-table), baselines, the reactive taker's child orders step by
 *   step, a learning taker co-learning with makers, the best taker per setting.
 * - `rl.ts` (notebook 07, reinforcement learning for market making): baselines, tabular Q, DQN,
 *   PPO and SAC on the order-book environment, trained and evaluated per (agent, seed) on Web
 *   Workers; learning curves, PnL / fill-rate / adverse-selection maps, inventory distributions.
 * - `fixed_vs_dynamic.ts` (notebook 06, fixed-price replenishment versus dynamic bidding):
 *   populations mixing replenishers with followers or Q-learning makers, per-maker PnL, fill
 *   share, queue position from the per-step frames, fills in the first steps, by kind.
 *
 * @module
 */
export * from "./market.ts";
export * from "./game_learning/mod.ts";
export * from "./competition/mod.ts";
export * from "./takers/mod.ts";
export * from "./rl/mod.ts";
export * from "./fixed_vs_dynamic/mod.ts";
