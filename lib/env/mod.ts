/**
 * Market-making environments in the Gymnasium style, their conformance checker and the episode
 * runner.
 *
 * - `types.ts`: the `Env` interface (`reset({seed}) -> {obs, info}`, `step(a) -> {obs, reward,
 *   terminated, truncated, info}`), the spaces, and the `Transition` a learning agent is fed.
 * - `quoting.ts`: what the market-making variants share: the discrete action space (half-spread ×
 *   skew grid, cancel, flatten), the `StepInfo` record, the `QuotingEnv` interface.
 * - {@linkcode createMarketMakingEnv} (`market_making_env.ts`): two-sided quoting on the order book
 *   against background flow (`flow.ts`: {@linkcode poissonFlow}, {@linkcode scriptedFlow}), with
 *   latency, fees and rebates, inventory and loss limits; 19 observations (`features.ts`).
 * - {@linkcode createAsEnv} (`as_env.ts`): the Avellaneda–Stoikov fill model (Brownian mid,
 *   Poisson fills with intensity `A·e^(−kδ)`), on the model of `avellaneda_stoikov.ts`.
 * - `reward.ts`: reward terms (PnL, quadratic inventory penalty, asymmetric dampening, spread
 *   capture), each weighted and logged in `info`.
 * - {@linkcode checkEnv} (`checker.ts`): spaces, bounds, finite rewards, end-of-episode semantics,
 *   determinism over whole trajectories, reset restores, seed sensitivity.
 * - {@linkcode runEpisode}, {@linkcode runEpisodes} (`runner.ts`): per-step records in typed
 *   arrays, a Polars DataFrame per episode, and the `lib/metrics` figures.
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
