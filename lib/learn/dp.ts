/**
 * Exact dynamic programming on a `TabularMDP`: backward induction for finite horizons, value
 * iteration for discounted (or proper undiscounted) infinite horizons, and exact evaluation of a
 * given policy, so that a learned greedy policy can be compared with the optimum by its value gap.
 *
 * Policies are `Int32Array`s of actions. A finite-horizon policy is either stationary (length
 * `nStates`) or time-dependent (length `horizon * nStates`, action at step `t` in state `s` at
 * `t * nStates + s`, the same layout as a Q-learner whose state is `encodeState([horizon,
 * nStates], [t, s])`).
 *
 * Tie rule of the optimal policies returned here: the lowest action whose value is within
 * `1e-12 * max(1, |best|)` of the best (so rounding noise does not pick among equal actions).
 *
 * @module
 */
import {
  checkInt,
  checkOptions,
  ConfigError,
  custom,
  int,
  num,
  numberArray,
  optional,
} from "../errors.ts";
import { checkMDP, type TabularMDP, TERMINAL } from "./mdp.ts";

/** Optimal values and policy of a finite-horizon MDP (from `backwardInduction`). */
export interface FiniteHorizonSolution {
  /** Number of steps. */
  readonly horizon: number;
  /**
   * `values[t * nStates + s]`, `t = 0..horizon`: the optimal expected return of the steps
   * `t..horizon-1` from state `s`. Row `horizon` is 0. `values[s]` is the value of the whole
   * episode.
   */
  readonly values: Float64Array;
  /** `policy[t * nStates + s]`, `t = 0..horizon-1`: an optimal action at step `t`. */
  readonly policy: Int32Array;
}

/** Options of `backwardInduction`. */
export interface BackwardInductionOptions {
  /** The MDP; `stages` must be 1 (stationary) or `horizon`. */
  mdp: TabularMDP;
  /** Number of steps, a positive integer. */
  horizon: number;
  /** Discount per step in [0, 1]. Default 1. */
  gamma?: number;
}

/**
 * Optimal finite-horizon values and policy by backward induction (Puterman §4.5).
 *
 * @example
 * ```ts
 * import { backwardInduction, tabularMDP } from "./mod.ts";
 * // State 0: "stay" pays 1, "go" pays 0 and moves to state 1, which pays 3 per step forever.
 * const mdp = tabularMDP({
 *   nStates: 2,
 *   nActions: 2,
 *   outcomes: (s, a) => (s === 1 ? [[1, 1, 3]] : a === 0 ? [[1, 0, 1]] : [[1, 1, 0]]),
 * });
 * const { values, policy } = backwardInduction({ mdp, horizon: 3 });
 * if (values[0] !== 6) throw new Error("go, then 3 + 3");
 * if (policy.join() !== "1,0,1,0,0,0") throw new Error("stay only at the last step");
 * ```
 */
export function backwardInduction(options: BackwardInductionOptions): FiniteHorizonSolution {
  const o = checkOptions(options, FINITE, { owner: "backwardInduction" });
  const { mdp, gamma } = o;
  const horizon = checkHorizon(mdp, o.horizon);
  const { nStates: nS, nActions: nA } = mdp;
  const values = new Float64Array((horizon + 1) * nS);
  const policy = new Int32Array(horizon * nS);
  const qs = new Float64Array(nA);
  for (let t = horizon - 1; t >= 0; t--) {
    const stage = mdp.stages === 1 ? 0 : t;
    const vNext = (t + 1) * nS;
    for (let s = 0; s < nS; s++) {
      const base = (stage * nS + s) * nA;
      for (let a = 0; a < nA; a++) qs[a] = backup(mdp, base + a, values, vNext, gamma);
      const a = bestAction(qs);
      policy[t * nS + s] = a;
      values[t * nS + s] = qs[a];
    }
  }
  return { horizon, values, policy };
}

/** Options of `evaluatePolicy`. */
export interface EvaluatePolicyOptions {
  /** The MDP; `stages` must be 1 (stationary) or `horizon`. */
  mdp: TabularMDP;
  /** Number of steps, a positive integer. */
  horizon: number;
  /** Stationary (`nStates`) or time-dependent (`horizon * nStates`) policy. */
  policy: ArrayLike<number>;
  /** Discount per step in [0, 1]. Default 1. */
  gamma?: number;
}

/**
 * Exact expected return of a policy over a finite horizon. Returns `values[t * nStates + s]`,
 * `t = 0..horizon` (row `horizon` is 0), as in `backwardInduction`.
 *
 * @example
 * ```ts
 * import { backwardInduction, evaluatePolicy, tabularMDP } from "./mod.ts";
 * const mdp = tabularMDP({
 *   nStates: 2,
 *   nActions: 2,
 *   outcomes: (s, a) => (s === 1 ? [[1, 1, 3]] : a === 0 ? [[1, 0, 1]] : [[1, 1, 0]]),
 * });
 * const stay = evaluatePolicy({ mdp, horizon: 3, policy: new Int32Array([0, 0]) });
 * const best = backwardInduction({ mdp, horizon: 3 });
 * if (best.values[0] - stay[0] !== 3) throw new Error("value gap of always-stay is 6 - 3");
 * ```
 */
export function evaluatePolicy(options: EvaluatePolicyOptions): Float64Array {
  const o = checkOptions(options, { ...FINITE, policy: POLICY }, { owner: "evaluatePolicy" });
  const { mdp, policy, gamma } = o;
  const horizon = checkHorizon(mdp, o.horizon);
  const { nStates: nS, nActions: nA } = mdp;
  const stationary = checkPolicy(mdp, policy, horizon);
  const values = new Float64Array((horizon + 1) * nS);
  for (let t = horizon - 1; t >= 0; t--) {
    const stage = mdp.stages === 1 ? 0 : t;
    for (let s = 0; s < nS; s++) {
      const a = policy[stationary ? s : t * nS + s];
      const k = (stage * nS + s) * nA + a;
      values[t * nS + s] = backup(mdp, k, values, (t + 1) * nS, gamma);
    }
  }
  return values;
}

/** Result of `valueIteration`. */
export interface DiscountedSolution {
  /** `values[s]`: optimal discounted return from `s` (within the tolerance). */
  readonly values: Float64Array;
  /** `policy[s]`: an action greedy with respect to `values`. */
  readonly policy: Int32Array;
  /** Sweeps done. */
  readonly iterations: number;
  /** Whether the last sweep changed no value by more than `tol`. */
  readonly converged: boolean;
}

/** Options of `valueIteration`. */
export interface ValueIterationOptions {
  /** A stationary MDP (`stages = 1`). */
  mdp: TabularMDP;
  /**
   * Discount in [0, 1]. With γ = 1 values converge only if every policy reaches `TERMINAL` (or a
   * zero-reward absorbing state) or is penalised without bound: a stochastic shortest path problem.
   */
  gamma: number;
  /** Stop when a sweep changes no value by more than this. Default 1e-10. */
  tol?: number;
  /** Give up after this many sweeps (then `converged` is false). Default 100000. */
  maxIterations?: number;
}

/**
 * Optimal values and policy of a stationary MDP by value iteration (synchronous sweeps from 0).
 * With γ < 1 the values are within `tol * γ / (1 - γ)` of the optimum.
 *
 * @example
 * ```ts
 * import { tabularMDP, TERMINAL, valueIteration } from "./mod.ts";
 * // Each step: with prob 0.5 the episode ends with reward 2, else nothing happens.
 * const mdp = tabularMDP({
 *   nStates: 1,
 *   nActions: 1,
 *   outcomes: () => [[0.5, TERMINAL, 2], [0.5, 0, 0]],
 * });
 * const { values } = valueIteration({ mdp, gamma: 0.9 });
 * if (Math.abs(values[0] - 1 / 0.55) > 1e-8) throw new Error("V = 1 + 0.45 V");
 * ```
 */
export function valueIteration(options: ValueIterationOptions): DiscountedSolution {
  const { mdp, gamma, tol, maxIterations } = checkDiscounted(
    checkOptions(options, DISCOUNTED, { owner: "valueIteration" }),
  );
  const { nStates: nS, nActions: nA } = mdp;
  let values = new Float64Array(nS);
  let nextValues = new Float64Array(nS);
  const qs = new Float64Array(nA);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    let change = 0;
    for (let s = 0; s < nS; s++) {
      let best = -Infinity;
      for (let a = 0; a < nA; a++) {
        const q = backup(mdp, s * nA + a, values, 0, gamma);
        if (q > best) best = q;
      }
      nextValues[s] = best;
      const d = Math.abs(best - values[s]);
      if (d > change) change = d;
    }
    [values, nextValues] = [nextValues, values];
    converged = change <= tol;
  }
  const policy = new Int32Array(nS);
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) qs[a] = backup(mdp, s * nA + a, values, 0, gamma);
    policy[s] = bestAction(qs);
  }
  return { values, policy, iterations, converged };
}

/** Options of `evaluatePolicyDiscounted`. */
export interface EvaluatePolicyDiscountedOptions extends ValueIterationOptions {
  /** Stationary policy, one action per state. */
  policy: ArrayLike<number>;
}

/** Result of `evaluatePolicyDiscounted`. */
export interface PolicyValues {
  /** `values[s]`: expected discounted return of the policy from `s` (within the tolerance). */
  readonly values: Float64Array;
  /** Sweeps done. */
  readonly iterations: number;
  /** Whether the last sweep changed no value by more than `tol`. */
  readonly converged: boolean;
}

/**
 * Discounted value of a stationary policy by iterating its Bellman equation to the tolerance (an
 * improper policy under γ = 1, one that never ends, does not converge: check `converged`).
 */
export function evaluatePolicyDiscounted(options: EvaluatePolicyDiscountedOptions): PolicyValues {
  const o = checkOptions(options, { ...DISCOUNTED, policy: POLICY }, {
    owner: "evaluatePolicyDiscounted",
  });
  const { mdp, policy, gamma, tol, maxIterations } = checkDiscounted(o);
  checkPolicy(mdp, policy, 1);
  const { nStates: nS, nActions: nA } = mdp;
  let values = new Float64Array(nS);
  let nextValues = new Float64Array(nS);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    let change = 0;
    for (let s = 0; s < nS; s++) {
      const v = backup(mdp, s * nA + policy[s], values, 0, gamma);
      nextValues[s] = v;
      const d = Math.abs(v - values[s]);
      if (d > change) change = d;
    }
    [values, nextValues] = [nextValues, values];
    converged = change <= tol;
  }
  return { values, iterations, converged };
}

/**
 * Expected `reward + gamma * values[vNext + next]` over the outcomes of pair `k`. Positional
 * parameters: this is the inner loop of every solver.
 */
function backup(
  mdp: TabularMDP,
  k: number,
  values: Float64Array,
  vNext: number,
  gamma: number,
): number {
  const { offsets, prob, next, reward } = mdp;
  let q = 0;
  for (let i = offsets[k]; i < offsets[k + 1]; i++) {
    const s2 = next[i];
    q += prob[i] * (reward[i] + (s2 === TERMINAL ? 0 : gamma * values[vNext + s2]));
  }
  return q;
}

/** Lowest action within `1e-12 * max(1, |best|)` of the best. */
function bestAction(qs: Float64Array): number {
  let best = -Infinity;
  for (let a = 0; a < qs.length; a++) if (qs[a] > best) best = qs[a];
  const tol = 1e-12 * Math.max(1, Math.abs(best));
  for (let a = 0; a < qs.length; a++) if (qs[a] >= best - tol) return a;
  return 0;
}

function checkHorizon(mdp: TabularMDP, horizon: number): number {
  const h = checkInt("horizon", horizon, 1, 0x7fffffff);
  if (mdp.stages !== 1 && mdp.stages !== h) {
    throw new ConfigError("mdp.stages", `1 or the horizon (${h})`, mdp.stages);
  }
  return h;
}

/** Checks actions; returns whether the policy is stationary (length nStates). */
function checkPolicy(mdp: TabularMDP, policy: ArrayLike<number>, horizon: number): boolean {
  const { nStates: nS, nActions: nA } = mdp;
  if (policy.length !== nS && policy.length !== horizon * nS) {
    throw new ConfigError(
      "policy.length",
      `${nS} (stationary) or ${horizon * nS} (horizon * nStates)`,
      policy.length,
    );
  }
  for (let i = 0; i < policy.length; i++) {
    const a = policy[i];
    if (!Number.isInteger(a) || a < 0 || a >= nA) {
      throw new ConfigError(`policy[${i}]`, `an integer in [0, ${nA - 1}]`, a);
    }
  }
  return policy.length === nS;
}

function checkDiscounted<T extends { mdp: TabularMDP }>(o: T): T {
  if (o.mdp.stages !== 1) {
    throw new ConfigError("mdp.stages", "1 (a stationary MDP)", o.mdp.stages);
  }
  return o;
}

const MDP = custom("a TabularMDP (made by tabularMDP)", checkMDPField);
function checkMDPField(v: unknown, path: string): TabularMDP {
  return checkMDP(path, v);
}
const POLICY = numberArray("an array of actions");
const FINITE = {
  mdp: MDP,
  horizon: int(1, 0x7fffffff),
  gamma: optional(num(0, 1), 1),
};
const DISCOUNTED = {
  mdp: MDP,
  gamma: num(0, 1),
  tol: optional(num(0, Number.MAX_VALUE), 1e-10),
  maxIterations: optional(int(1, 0x7fffffff), 100_000),
};
