/**
 * # Q-learning agents of the maker–taker game
 *
 * The makers of the spec learn their bidding by tabular Q-learning (`lib/learn`), several at
 * once, against each taker strategy; beyond the spec, the taker can learn too.
 *
 * - **State** (`state.ts`): {@linkcode makerEncoder}, a pure, allocation-free map from the
 *   maker's view to a state index: market price (`P0 − bestBid`, own bid relative to the best
 *   bid), depth of competing makers' bids, traded volume and its velocity, time left, and in
 *   game 1 the taker's remaining size; bucket edges configurable (defaults and rationale in the
 *   module doc). Default counts: 9,216 states in game 1 with n ≥ 2 makers, 3,072 with one,
 *   2,304 and 768 in game 2.
 * - **Makers** (`q_maker.ts`): {@linkcode qMaker} / {@linkcode createQMaker}, a custom maker
 *   policy with its own learner on its own stream; `mode: "greedy"` replays a table.
 * - **Training** (`train.ts`): {@linkcode trainMakers} runs episodes with an ε schedule, checks every
 *   K episodes (policy change, greedy evaluation on fixed seeds), records one Polars frame per
 *   run and says whether and when the convergence criterion was met (policy change ≤ 5 % of the
 *   visited states at 5 consecutive checks, by default).
 * - **Exact check** (`exact.ts`): {@linkcode exactOptimum} solves a small deterministic
 *   configuration over the game's true state by backward induction; {@linkcode exactCheck}
 *   trains a learner on it and reports the value gap of its greedy policy in the real game,
 *   and whether its state is Markov there.
 * - **Learning taker** (`q_taker.ts`): {@linkcode qTaker}, selling multiples of the even pace;
 *   {@linkcode coLearn} trains both sides and says whether the play settles or cycles.
 * - **Persistence** (`persist.ts`): {@linkcode saveRun} / {@linkcode loadRun} (Parquet records,
 *   Q-tables, `run.json`), {@linkcode greedyPolicies} to replay trained agents,
 *   {@linkcode initialTables} to continue training; {@linkcode policyMap} for policy maps.
 *
 * ## Inputs
 * `qMaker`, `qTaker`, `coLearn`, `policyMap`, `greedyPolicies`, `exactOptimum`, `exactCheck`,
 * `smallExactConfig`, `playDynamics` and the encoders check their options when called, with the
 * schemas of `lib/errors.ts` (`Q_MAKER_OPTIONS`, `Q_TAKER_OPTIONS`, `LEARNER_SETTINGS`,
 * `TABULAR_AGENT_OPTIONS`, `MAKER_STATE`, `TAKER_STATE`, `INITIAL_TABLE`, exported for `trainMakers`):
 * unknown keys rejected with a suggestion, paths in every message (`policy.epsilon.kind`,
 * `policy.state.time[1]`, `taker.multiples[0]`), learner settings as in `lib/learn`, bucket
 * edges at most 64 increasing finite numbers, `fallback` one of the game's action names (the
 * taker's: an action index), `mode` `"learn"` or `"greedy"`, tables and visits arrays of finite
 * numbers of length nStates × nActions (both checked before either is loaded). `loadRun` checks
 * `run.json` against its schema and names the file and the field (`<dir>/run.json: learners`).
 * `coLearn` checks its own keys (`window`, `taker`) and leaves the training fields to `trainMakers`.
 * `trainMakers` checks its whole config before training (the game's as in `lib/game`, the
 * learners' at `policy[i]`); seeds (`game.seed`, `evalSeed`) are a safe integer or a non-empty
 * string.
 *
 * ## For the notebooks
 * - **02 (game 1, one maker)**: `trainMakers({game: {makers: 1, seed}, taker: {kind}, episodes})` per
 *   taker strategy; learning curves from `run.records` (`pnl` by `episode`, `eval_pnl` at
 *   checks), convergence from `policy_change`, `coverage`, `mean_abs_dq` and
 *   `run.convergence`; the policy map `policyMap(run)`; baselines with `playEpisodes` (lib/game);
 *   the exact optimum `exactCheck(smallExactConfig())` (value gap, Markov report).
 * - **03 (game 2)**: the same with `game: {kind: "hidden"}` in the game config.
 * - **04 (competition)**: `trainMakers` with `makers: n` for n = 0 … 10 (`{kind: "q"}` for all), per
 *   maker rows in `records`; tag runs with `label` and concatenate the frames.
 * - **05 (taker responses)**: replay trained makers with `greedyPolicies(run).policy` in
 *   `playEpisodes({...game, policy, taker})` for each taker strategy; `coLearn` for a learning
 *   taker against learning makers (`dynamics`, `outcome`).
 * - **06 (fixed vs dynamic)**: `policy: [{kind: "q"}, {kind: "replenisher"}, …]` mixes learners
 *   and baselines in one book.
 * - Save with `saveRun("data/runs/<name>", run)` and reload with `loadRun` (no retraining);
 *   `trainMakers` config is plain data (everything but `onProgress`), so sweeps can ship it to
 *   workers.
 *
 * ```ts
 * import { greedyPolicies, policyMap, trainMakers } from "./mod.ts";
 * import { playEpisodes } from "../game/mod.ts";
 * const game = { makers: 1, steps: 20, seed: 1, game: { kind: "known", size: 2000 } } as const;
 * const run = trainMakers({ game, taker: { kind: "passive" }, episodes: 200, evalEvery: 20 });
 * // One row per (episode, agent): the learning curve is `pnl` (or `eval_pnl`) by episode.
 * if (run.records.height !== 200 * 2 || run.checks !== 10) throw new Error();
 * const { policy } = greedyPolicies(run); // the learned maker, replayed greedily
 * const vsAggressive = playEpisodes({ ...game, policy, taker: { kind: "aggressive" } }, {
 *   episodes: 3,
 * });
 * if (vsAggressive.frame.height !== 3 || policyMap(run).height === 0) throw new Error();
 * ```
 *
 * @module
 */
export * from "./state.ts";
export * from "./q_maker.ts";
export * from "./q_taker.ts";
export * from "./train.ts";
export * from "./exact.ts";
export * from "./colearn.ts";
export * from "./persist.ts";
export * from "./policy_map.ts";
export * from "./regime.ts";
export * from "./collusion.ts";
