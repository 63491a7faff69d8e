/**
 * Tiny environments for the agent tests. Both reuse one observation buffer, as a fast
 * environment would, so the tests also check that the loop and the agents copy observations.
 *
 * @module
 */
import type { Env, StepResult } from "../lib/env/types.ts";
import { type Rng, stream } from "../lib/rng.ts";

/**
 * A contextual bandit: the observation is `[x, noise]` with both ~ U(-1, 1); action 1 is right
 * when `x ≥ 0` and action 0 when `x < 0`. Reward +1 if right, −1 if wrong; every episode is one
 * step long (terminated). Random play earns 0 on average, the best policy 1.
 */
export function signBandit(): Env {
  const obs = new Float64Array(2);
  let rng: Rng = stream(0, "sign-bandit");
  const draw = () => {
    obs[0] = 2 * rng() - 1;
    obs[1] = 2 * rng() - 1;
  };
  const result: StepResult<Float64Array> = {
    obs,
    reward: 0,
    terminated: true,
    truncated: false,
    info: {},
  };
  return {
    observationSpace: {
      kind: "box",
      shape: [2],
      low: new Float64Array([-1, -1]),
      high: new Float64Array([1, 1]),
      names: ["x", "noise"],
    },
    actionSpace: { kind: "discrete", n: 2 },
    reset(options) {
      if (options?.seed !== undefined) rng = stream(options.seed, "sign-bandit");
      draw();
      return { obs, info: {} };
    },
    step(action) {
      result.reward = (action === 1) === (obs[0] >= 0) ? 1 : -1;
      draw(); // the final observation of a one-step episode carries no information
      return result;
    },
  };
}

/** Options of {@linkcode chain}. */
export interface ChainOptions {
  /** Number of states; the goal is the last. Default 8. */
  readonly length?: number;
  /** Steps before truncation. Default 20. */
  readonly horizon?: number;
}

/**
 * A chain MDP: states `0..L-1` observed one-hot, start in 0; action 1 moves right, action 0 moves
 * left (staying at 0). Each step costs 0.01; reaching state `L-1` pays +1 and terminates; the
 * episode is truncated after `horizon` steps. The best return is `1 − 0.01 (L−1)`; random play
 * rarely reaches the goal in time.
 */
export function chain(options: ChainOptions = {}): Env {
  const L = options.length ?? 8;
  const horizon = options.horizon ?? 20;
  const obs = new Float64Array(L);
  let pos = 0;
  let t = 0;
  const result: StepResult<Float64Array> = {
    obs,
    reward: 0,
    terminated: false,
    truncated: false,
    info: {},
  };
  return {
    observationSpace: {
      kind: "box",
      shape: [L],
      low: new Float64Array(L),
      high: new Float64Array(L).fill(1),
    },
    actionSpace: { kind: "discrete", n: 2 },
    reset() {
      pos = 0;
      t = 0;
      obs.fill(0);
      obs[0] = 1;
      return { obs, info: {} };
    },
    step(action) {
      obs[pos] = 0;
      pos = action === 1 ? pos + 1 : Math.max(0, pos - 1);
      obs[pos] = 1;
      t++;
      result.terminated = pos === L - 1;
      result.truncated = !result.terminated && t >= horizon;
      result.reward = -0.01 + (result.terminated ? 1 : 0);
      return result;
    },
  };
}

/** Options of {@linkcode targetBandit}. */
export interface TargetBanditOptions {
  /** Action dimensions (and context dimensions). Default 2. */
  readonly dim?: number;
}

/**
 * A continuous contextual bandit with a known solution: the observation `x` has `dim` entries
 * ~ U(−1, 1), the action `a` is a vector in `[−1, 1]^dim`, and the reward is
 * `−Σ_i (a_i − t_i)²` with the target `t_i = 0.8·x_i` for even `i` and `−0.5·x_i` for odd `i`.
 * One-step episodes (terminated). The best policy `a = t` earns 0; uniformly random actions earn
 * about `−dim·(1/3 + E[t²])`, −0.87 for `dim = 2`.
 */
export function targetBandit(options: TargetBanditOptions = {}): Env<Float64Array, Float64Array> {
  const dim = options.dim ?? 2;
  const obs = new Float64Array(dim);
  let rng: Rng = stream(0, "target-bandit");
  const draw = () => {
    for (let i = 0; i < dim; i++) obs[i] = 2 * rng() - 1;
  };
  const result: StepResult<Float64Array> = {
    obs,
    reward: 0,
    terminated: true,
    truncated: false,
    info: {},
  };
  return {
    observationSpace: {
      kind: "box",
      shape: [dim],
      low: new Float64Array(dim).fill(-1),
      high: new Float64Array(dim).fill(1),
    },
    actionSpace: {
      kind: "box",
      shape: [dim],
      low: new Float64Array(dim).fill(-1),
      high: new Float64Array(dim).fill(1),
    },
    reset(o) {
      if (o?.seed !== undefined) rng = stream(o.seed, "target-bandit");
      draw();
      return { obs, info: {} };
    },
    step(action) {
      let r = 0;
      for (let i = 0; i < dim; i++) {
        if (!(action[i] >= -1 && action[i] <= 1)) throw new Error(`action[${i}] = ${action[i]}`);
        const t = (i % 2 === 0 ? 0.8 : -0.5) * obs[i];
        r -= (action[i] - t) * (action[i] - t);
      }
      result.reward = r;
      draw();
      return result;
    },
  };
}
