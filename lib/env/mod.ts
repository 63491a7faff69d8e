/**
 * Market-making environments in the Gymnasium style, their conformance checker, the episode
 * runner, vectorised copies, market conditions and the heatmap data.
 *
 * - `types.ts`: the `Env` interface (`reset({seed}) -> {obs, info}`, `step(a) -> {obs, reward,
 *   terminated, truncated, info}`) with a discrete or box action space, the spaces, and the
 *   `Transition` a learning agent is fed.
 * - `quoting.ts`: what the market-making variants share: the discrete action space (half-spread ×
 *   skew grid, cancel, flatten), the `StepInfo` record, the `QuotingEnv` interface (and
 *   `ContinuousQuotingEnv` for box actions).
 * - {@linkcode createMarketMakingEnv} (`market_making_env.ts`): two-sided quoting on the order book
 *   against background flow (`flow.ts`: {@linkcode poissonFlow}, {@linkcode scriptedFlow}), with
 *   latency, fees and rebates, inventory and loss limits; 19 observations (`features.ts`).
 *   {@linkcode createContinuousMarketMakingEnv}: the same market with the RL spec's five
 *   continuous actions (`continuous.ts`: offsets, sizes in lots, inventory target, each scaled
 *   from `[−1, 1]`); the discrete grid is a wrapper over the same instructions
 *   ({@linkcode discretize} plays any list of box actions as a discrete space).
 * - {@linkcode createAsEnv} (`as_env.ts`): the Avellaneda–Stoikov fill model (Brownian mid,
 *   Poisson fills with intensity `A·e^(−kδ)`), on the model of `avellaneda_stoikov.ts`.
 * - `reward.ts`: reward terms (PnL, quadratic inventory penalty, asymmetric dampening, spread
 *   capture, target tracking), each weighted and logged in `info`.
 * - `conditions.ts`: named market conditions ({@linkcode MARKET_CONDITIONS}: calm, volatile, toxic).
 * - {@linkcode checkEnv} (`checker.ts`): spaces, bounds, finite rewards, end-of-episode semantics,
 *   invalid actions, determinism over whole trajectories, reset restores, seed sensitivity.
 * - {@linkcode runEpisode}, {@linkcode runEpisodes} (`runner.ts`): per-step records in typed
 *   arrays, a Polars DataFrame per episode, and the `lib/metrics` figures;
 *   {@linkcode createVolTimeGrid} (`heatmap.ts`): their sums by realised volatility × time of
 *   episode.
 * - {@linkcode createVecEnv} (`vector.ts`): `N` copies stepped together, deterministic for a seed
 *   and `N`.
 *
 * ## Inputs
 * The environments' configs (`createMarketMakingEnv`, `createAsEnv`, their continuous variants,
 * `marketCondition`), `reset`, the runner, `createVecEnv`, `checkEnv` and the
 * Avellaneda–Stoikov simulations are checked by the schemas of `lib/errors.ts` before anything
 * is built or changed: unknown keys are rejected with a suggestion (`reset({sed})`: did you mean
 * `"seed"`), values are never coerced (`halfSpreads: ["2"]` is an error at `halfSpreads[0]`), and
 * nested fields carry their path (`flow.moveProb`, `reward.inventoryPenalty`). Counts are
 * integers in their ranges (`checkEnv`'s `steps` ≥ 1), probabilities in [0, 1]. Seeds: `reset`'s,
 * the runner's and the vector environments' are safe integers (episode `e` of `runEpisodes` uses
 * `seed + e`); the simulations' root seed is a safe integer or a non-empty string. A rejected
 * `reset` leaves the environment as it was.
 *
 * @example
 * ```ts
 * import { checkEnv, createMarketMakingEnv, runEpisode } from "./mod.ts";
 * checkEnv(() => createMarketMakingEnv({ episodeLength: 200 }), { steps: 500 });
 * const env = createMarketMakingEnv({ episodeLength: 200 });
 * const run = runEpisode(env, { act: () => 12 }, { seed: 1 }); // half-spread 3, no skew
 * if (run.record.steps !== 200 || run.frame.height !== 201) throw new Error();
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./quoting.ts";
export * from "./reward.ts";
export * from "./features.ts";
export * from "./flow.ts";
export * from "./market_making_env.ts";
export * from "./as_env.ts";
export * from "./avellaneda_stoikov.ts";
export * from "./checker.ts";
export * from "./runner.ts";
export * from "./vector.ts";
export * from "./continuous.ts";
export * from "./conditions.ts";
export * from "./heatmap.ts";
