/**
 * Named market conditions for the order-book environment: documented configurations of the
 * Poisson background flow (`flow.ts`) under which agents are trained and compared. Each changes
 * the default flow in a few parameters only, so that a difference in results can be traced to
 * them.
 *
 * | name       | what changes from the default flow               | why                                                   |
 * | ---------- | ------------------------------------------------ | ----------------------------------------------------- |
 * | `calm`     | `moveProb` 0.05 → 0.02, `informedProb` 0.2 → 0.1 | a slow reference price, little informed flow           |
 * | `volatile` | `moveProb` 0.05 → 0.2                            | the reference price moves four times as often         |
 * | `toxic`    | `moveProb` 0.05 → 0.1, `informedProb` 0.2 → 0.8  | most market orders trade towards the reference price  |
 *
 * What they do to a fixed-spread quoter (1,000-step episodes, the environment's other defaults,
 * 16 episodes on seeds 100–115; realised volatility is the root mean square of the one-step mid
 * change, ticks; the adverse rate is the share of fills whose 5-step markout is negative):
 *
 * | condition | realised vol | PnL at half-spread 1 / 2 / 3 | adverse rate at 1 / 2 / 3 |
 * | --------- | ------------ | ---------------------------- | ------------------------- |
 * | default   | 0.66         | 250 / 263 / 123              | 0.45 / 0.46 / 0.45        |
 * | calm      | 0.64         | 275 / 268 / 128              | 0.43 / 0.44 / 0.42        |
 * | volatile  | 0.76         | 155 / 235 / 138              | 0.52 / 0.53 / 0.48        |
 * | toxic     | 0.56         | 192 / 214 / 115              | 0.48 / 0.53 / 0.57        |
 *
 * In the volatile market the mid moves most and every quote loses to it; in the toxic one the mid
 * moves *less* (informed orders keep the book at the reference price), but the wider a quote, the
 * larger the share of its fills that come from informed orders and go against it. Everything else
 * (latency, fees, limits, reward) is left to the caller. `tests/env_continuous_test.ts` checks
 * these orderings.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { PoissonFlowConfig } from "./flow.ts";
import { checkMarketMakingConfig, type MarketMakingOptions } from "./market_making_env.ts";

/** The names of the market conditions. */
export type MarketConditionName = "calm" | "volatile" | "toxic";

/** A market condition: a description and the flow parameters it sets. */
export interface MarketCondition {
  /** One line on what the condition is. */
  readonly description: string;
  /** Flow parameters that differ from `POISSON_FLOW_DEFAULTS`. */
  readonly flow: Readonly<Partial<PoissonFlowConfig>>;
}

/** The market conditions (see the module doc). */
export const MARKET_CONDITIONS: Readonly<Record<MarketConditionName, MarketCondition>> = Object
  .freeze({
    calm: Object.freeze({
      description: "slow reference price, little informed flow",
      flow: Object.freeze({ moveProb: 0.02, informedProb: 0.1 }),
    }),
    volatile: Object.freeze({
      description: "reference price moves four times as often",
      flow: Object.freeze({ moveProb: 0.2 }),
    }),
    toxic: Object.freeze({
      description: "most market orders are informed, the reference price moves twice as often",
      flow: Object.freeze({ moveProb: 0.1, informedProb: 0.8 }),
    }),
  });

/** The condition names, in the order studies show them. */
export const MARKET_CONDITION_NAMES: readonly MarketConditionName[] = Object.freeze([
  "calm",
  "volatile",
  "toxic",
]);

/**
 * The environment options of condition `name` on top of `options` (its flow parameters win over
 * `options.flow`'s). Throws `ConfigError` naming `condition` for an unknown name, or the field of
 * `options` that `checkMarketMakingConfig` rejects.
 *
 * @example
 * ```ts
 * import { marketCondition } from "./conditions.ts";
 * import { createMarketMakingEnv } from "./market_making_env.ts";
 * const env = createMarketMakingEnv(marketCondition("toxic", { episodeLength: 100 }));
 * if (env.config.flow.informedProb !== 0.8 || env.config.episodeLength !== 100) throw new Error();
 * ```
 */
export function marketCondition(
  name: MarketConditionName,
  options: MarketMakingOptions = {},
): MarketMakingOptions {
  if (!Object.hasOwn(MARKET_CONDITIONS, name)) {
    throw new ConfigError("condition", `one of ${MARKET_CONDITION_NAMES.join(", ")}`, name);
  }
  checkMarketMakingConfig(options); // every field, before the condition's flow goes on top
  return { ...options, flow: { ...options.flow, ...MARKET_CONDITIONS[name].flow } };
}
