/**
 * Diagnostics for convergence reports: greedy policy extraction, policy change between two
 * snapshots, state coverage. Pure functions over the learner's typed arrays.
 *
 * @module
 */
import { checkOptions, ConfigError, isNumberArray, numbers } from "../errors.ts";

function checkShape(table: ArrayLike<number>, nActions: number): number {
  if (!isNumberArray(table)) throw new ConfigError("table", "an array of numbers", table);
  if (!Number.isInteger(nActions) || nActions < 1) {
    throw new ConfigError("nActions", "a positive integer", nActions);
  }
  if (table.length % nActions !== 0) {
    throw new ConfigError("table.length", `a multiple of nActions (${nActions})`, table.length);
  }
  return table.length / nActions;
}

/**
 * The greedy policy of a Q-table: for each state the action with the largest `Q(s, a)`, the
 * lowest action index among exact ties (deterministic, unlike `QLearner.greedy`, which breaks
 * ties at random).
 *
 * @example
 * ```ts
 * import { greedyPolicy } from "./diagnostics.ts";
 * const q = new Float64Array([0, 1, 1, 5, 2, 5]); // 2 states x 3 actions
 * if (greedyPolicy(q, 3).join() !== "1,0") throw new Error("lowest index among ties");
 * ```
 */
export function greedyPolicy(table: ArrayLike<number>, nActions: number): Int32Array {
  const nStates = checkShape(table, nActions);
  const policy = new Int32Array(nStates);
  for (let s = 0; s < nStates; s++) {
    const base = s * nActions;
    let best = table[base];
    let bestA = 0;
    for (let a = 1; a < nActions; a++) {
      if (table[base + a] > best) {
        best = table[base + a];
        bestA = a;
      }
    }
    policy[s] = bestA;
  }
  return policy;
}

/**
 * Visits per state: the sum over actions of the per-(state, action) counts `QLearner.visits`.
 */
export function stateVisits(visits: ArrayLike<number>, nActions: number): Float64Array {
  const nStates = checkShape(visits, nActions);
  const out = new Float64Array(nStates);
  for (let s = 0; s < nStates; s++) {
    let n = 0;
    for (let a = 0; a < nActions; a++) n += visits[s * nActions + a];
    out[s] = n;
  }
  return out;
}

/**
 * State coverage: the fraction of states with a positive count in `perState` (as made by
 * `stateVisits`).
 *
 * @example
 * ```ts
 * import { coverage, stateVisits } from "./diagnostics.ts";
 * const visits = new Float64Array([1, 0, 0, 0, 2, 3]); // 3 states x 2 actions
 * const perState = stateVisits(visits, 2);
 * if (perState.join() !== "1,0,5" || coverage(perState) !== 2 / 3) throw new Error("coverage");
 * ```
 */
export function coverage(perState: ArrayLike<number>): number {
  if (!isNumberArray(perState)) throw new ConfigError("perState", "an array of numbers", perState);
  if (perState.length === 0) return 0;
  let n = 0;
  for (let s = 0; s < perState.length; s++) if (perState[s] > 0) n++;
  return n / perState.length;
}

/** Options of `policyChange`. */
export interface PolicyChangeOptions {
  /** Earlier greedy policy (one action per state), e.g. from `greedyPolicy`. */
  before: ArrayLike<number>;
  /** Later greedy policy, same length. */
  after: ArrayLike<number>;
  /** Visits per state (`stateVisits`); only states with a positive count are compared. */
  visits: ArrayLike<number>;
}

const ARRAY = numbers();
const POLICY_CHANGE = { before: ARRAY, after: ARRAY, visits: ARRAY };

/**
 * The fraction of visited states whose greedy action differs between two policy snapshots; 0 if
 * no state was visited. Unvisited states are left out so that arbitrary ties in never-updated
 * rows do not count as change.
 *
 * @example
 * ```ts
 * import { policyChange } from "./diagnostics.ts";
 * const change = policyChange({ before: [0, 1, 2, 0], after: [0, 2, 2, 1], visits: [3, 1, 0, 0] });
 * if (change !== 0.5) throw new Error("1 of the 2 visited states changed");
 * ```
 */
export function policyChange(options: PolicyChangeOptions): number {
  const { before, after, visits } = checkOptions(options, POLICY_CHANGE, { owner: "policyChange" });
  if (after.length !== before.length) {
    throw new ConfigError("after.length", `${before.length} (before.length)`, after.length);
  }
  if (visits.length !== before.length) {
    throw new ConfigError("visits.length", `${before.length} (before.length)`, visits.length);
  }
  let visited = 0;
  let changed = 0;
  for (let s = 0; s < before.length; s++) {
    if (visits[s] > 0) {
      visited++;
      if (before[s] !== after[s]) changed++;
    }
  }
  return visited === 0 ? 0 : changed / visited;
}
