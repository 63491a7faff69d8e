/**
 * Residual (baseline-anchored) actions: a continuous quoting environment whose action is an
 * adjustment to a fixed policy's action, as in residual policy learning (Silver et al. 2018,
 * "Residual Policy Learning"; Johannink et al. 2019, "Residual Reinforcement Learning for Robot
 * Control"). With base policy `b` and scale `s`, the action `a ∈ [−1, 1]^5` plays
 *
 * ```text
 * clip(b(obs) + s ⊙ a, −1, 1)
 * ```
 *
 * on the wrapped environment (`obs` is the observation `b` would have acted on). A learner whose
 * policy starts at the zero action (PPO's Gaussian mean starts near 0: its output layer has gain
 * 0.01) therefore starts by playing the base policy, and its training can only move away from it
 * as far as the scale allows (`s = 0.25` on an offset: ±1 tick with the default action scaling).
 * In this project the base is the tuned baseline of the market condition (`lib/training`'s plan
 * `anchor`), so the trained agent is a deep policy on top of the tuned baseline, not one learned
 * from scratch.
 *
 * @module
 */
import { checkBoxAction } from "../env/continuous.ts";
import { ConfigError } from "../errors.ts";
import type { Agent } from "./types.ts";

/** What {@linkcode residualEnv} needs of a continuous environment. */
export interface ResidualBase {
  reset(options?: { seed?: number }): { obs: Float64Array };
  step(action: Float64Array): { obs: Float64Array };
}

/** Options of {@linkcode residualEnv}. */
export interface ResidualOptions {
  /** The base policy (on the wrapped environment's observations and box actions). */
  readonly base: Agent<Float64Array>;
  /**
   * Scale of the adjustment per action dimension (one number: every dimension), each in
   * [0, 2] (2 reaches the whole box from any base action).
   */
  readonly scale: number | readonly number[];
}

/** The wrapper's extra field. */
export interface ResidualInfo {
  /** The base policy and the resolved per-dimension scale. */
  readonly residual: { readonly base: Agent<Float64Array>; readonly scale: Float64Array };
}

/**
 * Wraps `env` so that its box action is an adjustment to `o.base`'s (see the module doc). The
 * wrapper has every property of `env` (it delegates to it); only `reset` and `step` differ (they
 * remember the observation the base acts on). Throws `ConfigError` naming `scale` for a bad
 * scale, and `action[i]` for an action outside `[−1, 1]^5` at `step`.
 *
 * @example
 * ```ts
 * import { residualEnv } from "./residual.ts";
 * import { skewQuoter } from "./baselines.ts";
 * import { createContinuousMarketMakingEnv } from "../env/market_making_env.ts";
 * const env = createContinuousMarketMakingEnv({ episodeLength: 5, latency: 0 });
 * const r = residualEnv(env, { base: skewQuoter(env, { halfSpread: 2, size: 1 }), scale: 0.25 });
 * r.reset({ seed: 1 });
 * // the zero action plays the base's quote: 2 ticks each side
 * const s = r.step(new Float64Array(5));
 * if (s.info.bidPrice !== env.info.bidPrice || r.residual.scale[0] !== 0.25) throw new Error();
 * ```
 */
export function residualEnv<E extends ResidualBase>(env: E, o: ResidualOptions): E & ResidualInfo {
  if (o === null || typeof o !== "object") {
    throw new ConfigError("options", "an object { base, scale }", o);
  }
  if (o.base === null || typeof o.base !== "object" || typeof o.base.act !== "function") {
    throw new ConfigError("base", "an agent (with act)", o.base);
  }
  const scale = new Float64Array(5);
  if (typeof o.scale === "number") scale.fill(o.scale);
  else if (Array.isArray(o.scale) && o.scale.length === 5) scale.set(o.scale);
  else throw new ConfigError("scale", "a number or 5 numbers in [0, 2]", o.scale);
  scale.forEach((s, i) => {
    if (!(s >= 0 && s <= 2)) {
      throw new ConfigError(typeof o.scale === "number" ? "scale" : `scale[${i}]`, "in [0, 2]", s);
    }
  });
  const base = o.base;
  const played = new Float64Array(5);
  let last: Float64Array | null = null;
  const w = Object.create(env) as E & ResidualInfo;
  Object.defineProperties(w, {
    residual: { value: Object.freeze({ base, scale }), enumerable: true },
    reset: {
      value: (options?: { seed?: number }) => {
        const r = env.reset(options);
        last = r.obs;
        return r;
      },
    },
    step: {
      value: (action: Float64Array) => {
        checkBoxAction(action);
        if (last === null) throw new ConfigError("step", "a reset environment", "no reset");
        const b = base.act(last);
        for (let i = 0; i < 5; i++) {
          const x = b[i] + scale[i] * action[i];
          played[i] = x < -1 ? -1 : x > 1 ? 1 : x;
        }
        const r = env.step(played);
        last = r.obs;
        return r;
      },
    },
  });
  return w;
}
