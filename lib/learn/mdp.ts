/**
 * Explicit tabular MDPs for exact solution (see `dp.ts`): for each stage `t`, state `s` and
 * action `a`, a list of outcomes `(prob, next, reward)`, stored flat in typed arrays (CSR layout).
 *
 * @module
 */
import { checkOptions, ConfigError, fn, int, optional } from "../errors.ts";

/** `next` value of an outcome that ends the episode: no value follows its reward. */
export const TERMINAL: -1 = -1;

/**
 * A tabular MDP in compressed form. The outcomes of `(t, s, a)` are the entries
 * `offsets[k] .. offsets[k + 1] - 1` of `prob`, `next` and `reward`, with
 * `k = (t * nStates + s) * nActions + a`. A stationary MDP has `stages = 1` (use `t = 0` always).
 */
export interface TabularMDP {
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions (all available in every state). */
  readonly nActions: number;
  /** 1 for stationary dynamics, else the number of stages with their own dynamics. */
  readonly stages: number;
  /** Start of each `(t, s, a)` outcome list; length `stages * nStates * nActions + 1`. */
  readonly offsets: Int32Array;
  /** Outcome probabilities; those of one `(t, s, a)` sum to 1. */
  readonly prob: Float64Array;
  /** Outcome next states, or `TERMINAL`. */
  readonly next: Int32Array;
  /** Outcome rewards. */
  readonly reward: Float64Array;
}

/** One outcome of a state-action pair: probability, next state (or `TERMINAL`), reward. */
export type Outcome = readonly [prob: number, next: number, reward: number];

/** Options of `tabularMDP`. */
export interface TabularMDPOptions {
  /** Number of states. */
  nStates: number;
  /** Number of actions. */
  nActions: number;
  /** Number of stages with their own dynamics (1 = stationary). Default 1. */
  stages?: number;
  /**
   * The outcomes of action `a` in state `s` at stage `t` (called once for each, in order; `t` is
   * always 0 when stationary). Probabilities must be in [0, 1] and sum to 1 (within 1e-9).
   */
  outcomes: (s: number, a: number, t: number) => readonly Outcome[];
}

const TABULAR_MDP = {
  nStates: int(1, 0x7fffffff),
  nActions: int(1, 0xffff),
  stages: optional(int(1, 0x7fffffff), 1),
  outcomes: fn<TabularMDPOptions["outcomes"]>("a function (s, a, t) => outcomes"),
};

/**
 * Checks that `mdp` is a {@linkcode TabularMDP} as `tabularMDP` builds it (shape and typed
 * arrays; the outcomes were checked when it was built); errors name `field`.
 */
export function checkMDP(field: string, mdp: unknown): TabularMDP {
  const allowed = "a TabularMDP (made by tabularMDP)";
  const m = mdp as Partial<TabularMDP> | null;
  if (
    typeof m !== "object" || m === null || !Number.isInteger(m.nStates) ||
    !Number.isInteger(m.nActions) || !Number.isInteger(m.stages) ||
    !(m.offsets instanceof Int32Array) || !(m.prob instanceof Float64Array) ||
    !(m.next instanceof Int32Array) || !(m.reward instanceof Float64Array) ||
    m.offsets.length !== m.stages! * m.nStates! * m.nActions! + 1
  ) {
    throw new ConfigError(field, allowed, mdp);
  }
  return m as TabularMDP;
}

/**
 * Builds a `TabularMDP`, checking every outcome.
 *
 * @example
 * ```ts
 * import { tabularMDP, TERMINAL } from "./mdp.ts";
 * // One state; action 0 ends the episode with reward 1, action 1 stays with reward 0.
 * const mdp = tabularMDP({
 *   nStates: 1,
 *   nActions: 2,
 *   outcomes: (_s, a) => (a === 0 ? [[1, TERMINAL, 1]] : [[1, 0, 0]]),
 * });
 * if (mdp.offsets.join() !== "0,1,2") throw new Error("one outcome each");
 * ```
 */
export function tabularMDP(options: TabularMDPOptions): TabularMDP {
  const { nStates, nActions, stages, outcomes } = checkOptions(options, TABULAR_MDP, {
    owner: "tabularMDP",
  });
  const pairs = stages * nStates * nActions;
  if (pairs > 0x3fffffff) throw new ConfigError("stages * nStates * nActions", "< 2^30", pairs);
  const offsets = new Int32Array(pairs + 1);
  const prob: number[] = [];
  const next: number[] = [];
  const reward: number[] = [];
  let k = 0;
  for (let t = 0; t < stages; t++) {
    for (let s = 0; s < nStates; s++) {
      for (let a = 0; a < nActions; a++) {
        const list = outcomes(s, a, t);
        const where = `outcomes(${s}, ${a}, ${t})`;
        if (!Array.isArray(list) || list.length === 0) {
          throw new ConfigError(where, "a non-empty array of [prob, next, reward]", list);
        }
        let total = 0;
        for (let i = 0; i < list.length; i++) {
          const [p, s2, r] = list[i];
          if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
            throw new ConfigError(`${where}[${i}].prob`, "a number in [0, 1]", p);
          }
          if (!Number.isInteger(s2) || s2 < TERMINAL || s2 >= nStates) {
            throw new ConfigError(
              `${where}[${i}].next`,
              `an integer in [0, ${nStates - 1}] or TERMINAL (-1)`,
              s2,
            );
          }
          if (typeof r !== "number" || !Number.isFinite(r)) {
            throw new ConfigError(`${where}[${i}].reward`, "a finite number", r);
          }
          total += p;
          prob.push(p);
          next.push(s2);
          reward.push(r);
        }
        if (Math.abs(total - 1) > 1e-9) {
          throw new ConfigError(`${where} probabilities`, "summing to 1", total);
        }
        offsets[++k] = prob.length;
      }
    }
  }
  return {
    nStates,
    nActions,
    stages,
    offsets,
    prob: Float64Array.from(prob),
    next: Int32Array.from(next),
    reward: Float64Array.from(reward),
  };
}
