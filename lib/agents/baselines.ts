/**
 * Baseline market makers for the quoting environments (`lib/env/quoting.ts`): they read the
 * environment's `spec` (action grid, scales, nominal volatility) and the shared observation
 * indices (`OBS_INVENTORY`, `OBS_TIME`), so each works in both the order-book and the
 * Avellaneda–Stoikov environment.
 *
 * - {@linkcode fixedSpreadAgent}: always the same quote (a fixed half-spread and skew).
 * - {@linkcode asAgent}: Avellaneda–Stoikov (2008): the closed-form reservation price
 *   `r = s − q·γ·σ²·τ` and spread `γ·σ²·τ + (2/γ)·ln(1 + γ/k)` of `avellaneda_stoikov.ts`, mapped
 *   to the nearest quote action (least squares on the two offsets).
 * - {@linkcode randomQuoter}: a uniformly random quote action (optionally cancel/flatten too);
 *   `randomAgent` of `random.ts` draws over all actions.
 *
 * For the continuous actions (`createContinuousMarketMakingEnv`, the market the deep agents
 * trade), two quoters whose offsets are not limited to the grid and whose size is a parameter;
 * each writes its quote as a box action with `encodeQuote` (the environment rounds the prices to
 * ticks and the size to lots), with an inventory target of 0:
 *
 * - {@linkcode skewQuoter}: bid `h + κ·q` below and ask `h − κ·q` above the mid (a fixed spread
 *   for `κ = 0`; with `κ > 0` it leans against its inventory `q`, a linear rule in the spirit of
 *   Avellaneda–Stoikov without the time dependence);
 * - {@linkcode asQuoter}: the Avellaneda–Stoikov offsets themselves.
 *
 * None learns; all are deterministic given their seed (only the random one draws).
 *
 * @module
 */
import { bool, checkNum, ConfigError, num, positive } from "../errors.ts";
import { stream } from "../rng.ts";
import { optimalSpread, reservationPrice } from "../env/avellaneda_stoikov.ts";
import { nearestQuoteAction, OBS_INVENTORY, OBS_TIME, type QuotingSpec } from "../env/quoting.ts";
import { type ContinuousActionConfig, createDecodedQuote, encodeQuote } from "../env/continuous.ts";
import type { Action, Agent, SpacesLike } from "./types.ts";
import { type ConfigSchema, FIELDS, resolveConfig } from "./_common.ts";

/** The spaces and spec of a quoting environment (a `QuotingEnv` will do). */
export interface QuotingSpaces extends SpacesLike {
  readonly spec: QuotingSpec;
}

/** Hyperparameters of {@linkcode fixedSpreadAgent}. */
export interface FixedSpreadConfig {
  /** Agent name. Default `"fixed-spread"`. */
  readonly name: string;
  /**
   * Half-spread, the environment's price unit; the nearest grid action is used. Default: the
   * grid's smallest half-spread (in the book environment, 1 tick: join the best quotes).
   */
  readonly halfSpread?: number;
  /** Skew (positive lowers both quotes). Default 0: symmetric around the mid. */
  readonly skew: number;
}

/** Defaults of {@linkcode FixedSpreadConfig}. */
export const FIXED_SPREAD_DEFAULTS: FixedSpreadConfig = { name: "fixed-spread", skew: 0 };

/** A baseline agent with its resolved configuration. */
export interface BaselineAgent<C, A extends Action = number> extends Agent<A> {
  /** The configuration in use. */
  readonly config: Readonly<C>;
}

/**
 * Quotes the same half-spread and skew at every step.
 *
 * @example
 * ```ts
 * import { fixedSpreadAgent } from "./baselines.ts";
 * import { createMarketMakingEnv } from "../env/market_making_env.ts";
 * const env = createMarketMakingEnv();
 * const agent = fixedSpreadAgent(env, { halfSpread: 2 });
 * // half-spreads [1..5] × skews [-2..2]: half-spread 2 is i = 1, skew 0 is j = 2
 * if (agent.act(env.reset({ seed: 1 }).obs) !== 7) throw new Error();
 * ```
 */
export function fixedSpreadAgent(
  env: QuotingSpaces,
  config: Partial<FixedSpreadConfig> = {},
): BaselineAgent<FixedSpreadConfig> {
  const given = resolveConfig(FIXED_SPREAD_DEFAULTS, config, {
    schema: FIXED_SPREAD_SCHEMA,
    owner: "fixedSpreadAgent",
  });
  const t = quotingSpec(env).actions;
  const c: FixedSpreadConfig = { ...FIXED_SPREAD_DEFAULTS, halfSpread: t.halfSpreads[0], ...given };
  const h = c.halfSpread!, s = c.skew;
  const action = nearestQuoteAction(t, h + s, h - s);
  return {
    name: c.name,
    config: Object.freeze(c),
    stats: {},
    act: () => action,
    dispose() {},
  };
}

/** Hyperparameters of {@linkcode asAgent}, in the environment's units (price unit, model time). */
export interface AsAgentConfig {
  /** Agent name. Default `"avellaneda-stoikov"`. */
  readonly name: string;
  /** Risk aversion γ > 0. Default 0.1 (the paper's). */
  readonly gamma: number;
  /**
   * Volatility σ of the mid per √(model time). Default: the environment's `spec.sigma` (the
   * model's σ; for the book environment the reference price's `sqrt(moveProb)` ticks per √step).
   */
  readonly sigma?: number;
  /**
   * Decay k > 0 of the fill intensity with distance (per price unit). Default 1.5 (the paper's;
   * for the book environment a nominal value: calibrate it from fills by distance).
   */
  readonly k: number;
}

/** Defaults of {@linkcode AsAgentConfig}. */
export const AS_AGENT_DEFAULTS: AsAgentConfig = { name: "avellaneda-stoikov", gamma: 0.1, k: 1.5 };

/**
 * The Avellaneda–Stoikov quoter: from the observed inventory `q` and time remaining `τ`, the
 * reservation price and optimal spread give the wanted offsets `δb = spread/2 + (s − r)` below and
 * `δa = spread/2 − (s − r)` above the mid; the agent plays the quote action nearest to them.
 *
 * @example
 * ```ts
 * import { asAgent } from "./baselines.ts";
 * import { createAsEnv } from "../env/as_env.ts";
 * const env = createAsEnv();
 * const agent = asAgent(env);
 * const obs = env.reset({ seed: 1 }).obs;
 * // q = 0, τ = 1: spread 0.4 + 20·ln(1 + 0.1/1.5) = 1.69, half 0.845 -> the grid's 0.875, skew 0
 * const t = env.spec.actions;
 * const a = agent.act(obs);
 * if (t.bidOffset[a] !== 0.875 || t.askOffset[a] !== 0.875) throw new Error(String(a));
 * ```
 */
export function asAgent(
  env: QuotingSpaces,
  config: Partial<AsAgentConfig> = {},
): BaselineAgent<AsAgentConfig> {
  const given = resolveConfig(AS_AGENT_DEFAULTS, config, {
    schema: AS_AGENT_SCHEMA,
    owner: "asAgent",
  });
  const spec = quotingSpec(env);
  const c: AsAgentConfig = { ...AS_AGENT_DEFAULTS, sigma: spec.sigma, ...given };
  const { gamma, k } = c;
  const sigma = checkNum("sigma", c.sigma, 0, 1e12);
  const horizon = spec.episodeLength * spec.dt;
  const table = spec.actions;
  // Reused inputs: acting allocates nothing.
  const r = { s: 0, q: 0, gamma, sigma, tau: 0 };
  const sp = { gamma, sigma, tau: 0, k };
  return {
    name: c.name,
    config: Object.freeze(c),
    stats: {},
    act(obs) {
      const tau = obs[OBS_TIME] * horizon;
      r.q = Math.round(obs[OBS_INVENTORY] * spec.maxInventory);
      r.tau = sp.tau = tau;
      const shift = -reservationPrice(r); // s − r with s = 0
      const half = 0.5 * optimalSpread(sp);
      return nearestQuoteAction(table, half + shift, half - shift);
    },
    dispose() {},
  };
}

/** Hyperparameters of {@linkcode randomQuoter}. */
export interface RandomQuoterConfig {
  /** Agent name and random stream name. Default `"random-quoter"`. */
  readonly name: string;
  /** Root seed of the stream. Default 0. */
  readonly seed: number;
  /** Also draw the cancel and flatten actions. Default false: quote actions only. */
  readonly special: boolean;
}

/** Defaults of {@linkcode RandomQuoterConfig}. */
export const RANDOM_QUOTER_DEFAULTS: RandomQuoterConfig = {
  name: "random-quoter",
  seed: 0,
  special: false,
};

/**
 * Draws a uniformly random quote action each step (or any action with `special: true`).
 *
 * @example
 * ```ts
 * import { randomQuoter } from "./baselines.ts";
 * import { createMarketMakingEnv } from "../env/market_making_env.ts";
 * const env = createMarketMakingEnv();
 * const a = randomQuoter(env, { seed: 3 });
 * const b = randomQuoter(env, { seed: 3 });
 * const obs = env.reset({ seed: 1 }).obs;
 * for (let i = 0; i < 100; i++) {
 *   const x = a.act(obs);
 *   if (x !== b.act(obs) || x >= env.spec.actions.nQuotes) throw new Error();
 * }
 * ```
 */
export function randomQuoter(
  env: QuotingSpaces,
  config: Partial<RandomQuoterConfig> = {},
): BaselineAgent<RandomQuoterConfig> {
  const c = resolveConfig(RANDOM_QUOTER_DEFAULTS, config, {
    schema: RANDOM_QUOTER_SCHEMA,
    owner: "randomQuoter",
  });
  const actions = quotingSpec(env).actions;
  const n = c.special ? actions.n : actions.nQuotes;
  const rng = stream(c.seed, c.name);
  return {
    name: c.name,
    config: Object.freeze(c),
    stats: {},
    act: () => Math.floor(rng() * n),
    dispose() {},
  };
}

/** The spec of a quoting environment (`env.spec`), or a `ConfigError` naming `env`. */
function quotingSpec(env: Pick<QuotingSpaces, "spec">): QuotingSpec {
  const spec = (env as Partial<QuotingSpaces> | null)?.spec;
  if (typeof spec !== "object" || spec === null || typeof spec.actions !== "object") {
    throw new ConfigError("env", "a quoting environment (with a spec: lib/env/quoting.ts)", env);
  }
  return spec;
}

const FIXED_SPREAD_SCHEMA: ConfigSchema<FixedSpreadConfig> = {
  name: FIELDS.name,
  halfSpread: num(0, 1e12),
  skew: num(-1e12, 1e12),
};

const AS_AGENT_SCHEMA: ConfigSchema<AsAgentConfig> = {
  name: FIELDS.name,
  gamma: positive(),
  sigma: num(0, 1e12),
  k: positive(),
};

const RANDOM_QUOTER_SCHEMA: ConfigSchema<RandomQuoterConfig> = {
  name: FIELDS.name,
  seed: FIELDS.seed,
  special: bool(),
};

/** What the box-action quoters need of a continuous environment (`ContinuousMarketMakingEnv` fits). */
export interface BoxQuotingSpaces extends SpacesLike<Float64Array> {
  readonly spec: QuotingSpec;
  /** The action scaling, `maxTarget` resolved. */
  readonly continuous: Readonly<ContinuousActionConfig & { readonly maxTarget: number }>;
}

/** Hyperparameters of {@linkcode skewQuoter}. */
export interface SkewQuoterConfig {
  /** Agent name. Default `"skew-quoter"`. */
  readonly name: string;
  /** Offset of both quotes from the mid at zero inventory, ticks. Default 1. */
  readonly halfSpread: number;
  /** Skew per unit of inventory, ticks (0: a fixed spread). Default 0. */
  readonly skew: number;
  /** Quote size, units (rounded to lots by the environment). Default 1. */
  readonly size: number;
}

/** Defaults of {@linkcode SkewQuoterConfig}. */
export const SKEW_QUOTER_DEFAULTS: SkewQuoterConfig = {
  name: "skew-quoter",
  halfSpread: 1,
  skew: 0,
  size: 1,
};

/**
 * A fixed spread with a linear inventory skew on the continuous actions: with inventory `q`, a
 * bid `halfSpread + skew·q` ticks below the mid and an ask `halfSpread − skew·q` above it, both
 * of `size` units (offsets beyond the action box are clamped to it).
 *
 * @example
 * ```ts
 * import { skewQuoter } from "./baselines.ts";
 * import { createContinuousMarketMakingEnv } from "../env/market_making_env.ts";
 * import { createDecodedQuote, decodeAction } from "../env/continuous.ts";
 * const env = createContinuousMarketMakingEnv();
 * const agent = skewQuoter(env, { halfSpread: 2, skew: 0.5, size: 2 });
 * const obs = env.reset({ seed: 1 }).obs.slice();
 * obs[0] = 0.2; // inventory 2 of the limit 10: lean the quotes down by 1 tick
 * const q = decodeAction(env.continuous, agent.act(obs), createDecodedQuote());
 * if (q.bidOffset !== 3 || q.askOffset !== 1 || q.bidSize !== 2) throw new Error();
 * ```
 */
export function skewQuoter(
  env: BoxQuotingSpaces,
  config: Partial<SkewQuoterConfig> = {},
): BaselineAgent<SkewQuoterConfig, Float64Array> {
  const c = resolveConfig(SKEW_QUOTER_DEFAULTS, config, {
    schema: SKEW_QUOTER_SCHEMA,
    owner: "skewQuoter",
  });
  const { halfSpread: h, skew, size } = c;
  const box = boxActions(env);
  const maxInv = quotingSpec(env).maxInventory;
  const quote = createDecodedQuote();
  const out = new Float64Array(5);
  return {
    name: c.name,
    config: Object.freeze(c),
    stats: {},
    act(obs) {
      const q = Math.round(obs[OBS_INVENTORY] * maxInv);
      quote.bidOffset = h + skew * q;
      quote.askOffset = h - skew * q;
      quote.bidSize = quote.askSize = size;
      quote.target = 0;
      return encodeQuote(box, quote, out);
    },
    dispose() {},
  };
}

const SKEW_QUOTER_SCHEMA: ConfigSchema<SkewQuoterConfig> = {
  name: FIELDS.name,
  halfSpread: num(-1e6, 1e6),
  skew: num(-1e6, 1e6),
  size: num(0, 1e6),
};

/** The continuous action scaling of a box environment (`env.continuous`), or a `ConfigError`. */
function boxActions(env: BoxQuotingSpaces): BoxQuotingSpaces["continuous"] {
  const c = (env as Partial<BoxQuotingSpaces> | null)?.continuous;
  if (typeof c !== "object" || c === null) {
    throw new ConfigError("env", "a continuous quoting environment (env.continuous)", env);
  }
  return c;
}

/** Hyperparameters of {@linkcode asQuoter}: {@linkcode AsAgentConfig}'s and the quote size. */
export interface AsQuoterConfig extends AsAgentConfig {
  /** Quote size, units (rounded to lots by the environment). Default 1. */
  readonly size: number;
}

/**
 * The Avellaneda–Stoikov quoter on the continuous actions: the offsets `δb`, `δa` of
 * {@linkcode asAgent} (reservation price and optimal spread at the observed inventory and time
 * remaining) as they are, not mapped to the grid, with quotes of `size` units.
 *
 * @example
 * ```ts
 * import { asQuoter } from "./baselines.ts";
 * import { createContinuousMarketMakingEnv } from "../env/market_making_env.ts";
 * import { createDecodedQuote, decodeAction } from "../env/continuous.ts";
 * const env = createContinuousMarketMakingEnv({ episodeLength: 100 });
 * const agent = asQuoter(env, { gamma: 0.1, k: 1.5, sigma: 0.2, size: 1 });
 * const q = decodeAction(env.continuous, agent.act(env.reset({ seed: 1 }).obs),
 *   createDecodedQuote());
 * // q = 0, τ = 100: spread 0.1·0.04·100 + 20·ln(1 + 0.1/1.5) = 1.69, half 0.845 each side
 * if (Math.abs(q.bidOffset - 0.845) > 1e-3 || q.bidOffset !== q.askOffset) throw new Error();
 * ```
 */
export function asQuoter(
  env: BoxQuotingSpaces,
  config: Partial<AsQuoterConfig> = {},
): BaselineAgent<AsQuoterConfig, Float64Array> {
  const defaults = { ...AS_AGENT_DEFAULTS, name: "avellaneda-stoikov-quoter", size: 1 };
  const given = resolveConfig(defaults, config, { schema: AS_QUOTER_SCHEMA, owner: "asQuoter" });
  const spec = quotingSpec(env);
  const box = boxActions(env);
  const c: AsQuoterConfig = { ...defaults, sigma: spec.sigma, ...given };
  const { gamma, k, size } = c;
  const sigma = checkNum("sigma", c.sigma, 0, 1e12);
  const horizon = spec.episodeLength * spec.dt;
  const r = { s: 0, q: 0, gamma, sigma, tau: 0 };
  const sp = { gamma, sigma, tau: 0, k };
  const quote = createDecodedQuote();
  const out = new Float64Array(5);
  return {
    name: c.name,
    config: Object.freeze(c),
    stats: {},
    act(obs) {
      r.q = Math.round(obs[OBS_INVENTORY] * spec.maxInventory);
      r.tau = sp.tau = obs[OBS_TIME] * horizon;
      const shift = -reservationPrice(r);
      const half = 0.5 * optimalSpread(sp);
      quote.bidOffset = half + shift;
      quote.askOffset = half - shift;
      quote.bidSize = quote.askSize = size;
      quote.target = 0;
      return encodeQuote(box, quote, out);
    },
    dispose() {},
  };
}

const AS_QUOTER_SCHEMA: ConfigSchema<AsQuoterConfig> = { ...AS_AGENT_SCHEMA, size: num(0, 1e6) };
