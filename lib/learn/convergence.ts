/**
 * Convergence bookkeeping for tabular learners: greedy snapshots with a fallback for unvisited
 * states, a tracker of the policy change between periodic checks, and the stopping criterion
 * "the greedy policy is (almost) unchanged for M consecutive checks". Environment-agnostic.
 *
 * **Policy change** at a check is the fraction of states visited *before the previous check*
 * whose greedy action changed since the previous snapshot. States first visited since then are
 * left out: their earlier greedy action was the fallback of an untrained row, and their first
 * value is discovery (reported by coverage), not a change of mind. With a `margin` > 0 a change
 * counts only if it is material: the previous greedy action is now worse than the new best by
 * more than `margin · |best|`. This matters when several actions are equivalent in a state
 * (e.g. "keep" and "replenish" on a full bid): their estimates keep swapping places by noise
 * while neither is better, and a strict count (margin 0) would never settle.
 *
 * @module
 */
import {
  checkInt,
  checkOptions,
  ConfigError,
  custom,
  int,
  isNumberArray,
  num,
  numbers,
  optional,
} from "../errors.ts";

/** Options of {@linkcode greedyWithFallback}. */
export interface GreedyWithFallbackOptions {
  /** Q-table, `Q(s, a)` at `s * nActions + a`. */
  table: ArrayLike<number>;
  /** Update counts, same layout. */
  visits: ArrayLike<number>;
  /** Number of actions. */
  nActions: number;
  /** Action for states with no visit at all. */
  fallback: number;
  /** Output (length `nStates`), allocated if absent. */
  out?: Int32Array;
}

/**
 * The greedy policy of a Q-table with a fallback for unvisited states: for each state the best
 * action (the lowest index among exact ties, as `greedyPolicy`), or `fallback` if no action of
 * the state has a visit. Writes into `out` and returns it.
 *
 * @example
 * ```ts
 * import { greedyWithFallback } from "./convergence.ts";
 * const table = new Float64Array([0, 2, 0, 0]); // 2 states × 2 actions
 * const visits = new Float64Array([1, 1, 0, 0]);
 * if (greedyWithFallback({ table, visits, nActions: 2, fallback: 0 }).join() !== "1,0") {
 *   throw new Error("best action, then the fallback");
 * }
 * ```
 */
export function greedyWithFallback(options: GreedyWithFallbackOptions): Int32Array {
  const { table, visits, nActions: nA, fallback, out: given } = checkOptions(
    options,
    GREEDY_WITH_FALLBACK,
    { owner: "greedyWithFallback" },
  );
  if (table.length % nA !== 0) {
    throw new ConfigError("nActions", `a positive divisor of table.length (${table.length})`, nA);
  }
  if (visits.length !== table.length) {
    throw new ConfigError("visits.length", `${table.length} (table.length)`, visits.length);
  }
  checkInt("fallback", fallback, 0, nA - 1);
  const nS = table.length / nA;
  const out = given ?? new Int32Array(nS);
  if (out.length !== nS) throw new ConfigError("out.length", `${nS} (nStates)`, out.length);
  return greedyInto(table, visits, nA, fallback, out);
}

/** {@linkcode greedyWithFallback} on checked arguments: fills `out` (length nStates). */
function greedyInto(
  table: ArrayLike<number>,
  visits: ArrayLike<number>,
  nA: number,
  fallback: number,
  out: Int32Array,
): Int32Array {
  const nS = out.length;
  for (let s = 0; s < nS; s++) {
    const base = s * nA;
    let seen = false;
    for (let a = 0; a < nA; a++) if (visits[base + a] > 0) seen = true;
    if (!seen) {
      out[s] = fallback;
      continue;
    }
    let best = table[base], bestA = 0;
    for (let a = 1; a < nA; a++) {
      if (table[base + a] > best) {
        best = table[base + a];
        bestA = a;
      }
    }
    out[s] = bestA;
  }
  return out;
}

const ARRAY = numbers();

const GREEDY_WITH_FALLBACK = {
  table: ARRAY,
  visits: ARRAY,
  nActions: int(1, 0xffff),
  fallback: int(0, 0xffff),
  out: optional(custom("an Int32Array", (v, path) => {
    if (!(v instanceof Int32Array)) throw new ConfigError(path, "an Int32Array", v);
    return v;
  })),
};

/** Options of {@linkcode createPolicyTracker}. */
export interface PolicyTrackerOptions {
  /** Number of states. */
  nStates: number;
  /** Number of actions. */
  nActions: number;
  /** Greedy action of unvisited states (see {@linkcode greedyWithFallback}). Default 0. */
  fallback?: number;
  /**
   * Relative margin in [0, 1]: a state's change counts only if the previous greedy action is now
   * worse than the best by more than `margin · |best|`. Default 0 (any strict loss of the
   * top place counts; an exact tie does not).
   */
  margin?: number;
}

const POLICY_TRACKER = {
  nStates: int(1, 0x7fffffff),
  nActions: int(1, 0xffff),
  fallback: optional(int(0, 0xffff), 0),
  margin: optional(num(0, 1), 0),
};

/** Tracks a learner's greedy policy from check to check (made by {@linkcode createPolicyTracker}). */
export interface PolicyTracker {
  /** The snapshot taken at the last check (the fallback everywhere before the first). */
  readonly policy: Int32Array;
  /** Which states had a visit at the last check (1) or not (0). */
  readonly visited: Uint8Array;
  /** Number of checks so far. */
  readonly checks: number;
  /**
   * Takes a snapshot of `(table, visits)` and returns the policy change since the previous
   * check: the fraction of states visited at the previous check whose greedy action changed
   * (materially, with a margin). Both must be arrays of `nStates × nActions` numbers (checked;
   * their entries are not, being the learner's own: a check stays as cheap as the snapshot).
   * `NaN` at the first check (there is nothing to compare with), 0 if no state had been
   * visited. Also updates `visited`.
   */
  check(table: ArrayLike<number>, visits: ArrayLike<number>): number;
}

/**
 * A policy-change tracker.
 *
 * @example
 * ```ts
 * import { createPolicyTracker } from "./convergence.ts";
 * const tracker = createPolicyTracker({ nStates: 2, nActions: 2 });
 * const first = tracker.check([0, 1, 0, 0], [1, 1, 0, 0]); // state 0 → action 1
 * if (!Number.isNaN(first)) throw new Error("nothing to compare with at the first check");
 * const change = tracker.check([2, 1, 0, 3], [2, 1, 0, 1]); // state 0 flips; state 1 is new
 * if (change !== 1) throw new Error("the one state visited before changed");
 * if (tracker.policy.join() !== "0,1" || tracker.checks !== 2) throw new Error();
 * ```
 */
export function createPolicyTracker(options: PolicyTrackerOptions): PolicyTracker {
  const o = checkOptions(options, POLICY_TRACKER, { owner: "createPolicyTracker" });
  const { nStates: nS, nActions: nA, margin } = o;
  const fallback = checkInt("fallback", o.fallback, 0, nA - 1);
  const policy = new Int32Array(nS).fill(fallback);
  const next = new Int32Array(nS);
  const visited = new Uint8Array(nS);
  let checks = 0;
  return {
    policy,
    visited,
    get checks() {
      return checks;
    },
    check(table, visits) {
      // Types and lengths only: the entries are the learner's own (checking each one would cost
      // as much as the snapshot, at every check of a training run).
      const cells = nS * nA, allowed = `an array of ${cells} numbers (nStates × nActions)`;
      if (!isNumberArray(table) || table.length !== cells) {
        throw new ConfigError("table", allowed, table);
      }
      if (!isNumberArray(visits) || visits.length !== cells) {
        throw new ConfigError("visits", allowed, visits);
      }
      greedyInto(table, visits, nA, fallback, next);
      let before = 0, changed = 0;
      for (let s = 0; s < nS; s++) {
        if (visited[s] === 1) {
          before++;
          const old = policy[s], now = next[s];
          if (now !== old) {
            const best = table[s * nA + now];
            if (table[s * nA + old] < best - margin * Math.abs(best)) changed++;
          }
        }
        let v = 0;
        for (let a = 0; a < nA; a++) v += visits[s * nA + a];
        if (v > 0) visited[s] = 1;
      }
      policy.set(next);
      if (checks++ === 0) return NaN;
      return before === 0 ? 0 : changed / before;
    },
  };
}

/** Options of {@linkcode convergedAt}. */
export interface ConvergenceCriterion {
  /** M: the number of consecutive checks that must pass, ≥ 1. */
  patience: number;
  /** A check passes when its policy change is at most `tol`, in [0, 1]. */
  tol: number;
}

/** The schema of {@linkcode ConvergenceCriterion} (for configs that embed one). */
export const CONVERGENCE_CRITERION = {
  patience: int(1, 0x7fffffff),
  tol: num(0, 1),
};

/**
 * The first check index at which the criterion is met: the last `patience` checks (this one
 * included) all had a policy change ≤ `tol`; −1 if never. `changes[c]` is the change at check
 * `c` (for several learners, pass the largest of them, so that all must be settled); `NaN`
 * (the first check) never passes.
 *
 * @example
 * ```ts
 * import { convergedAt } from "./convergence.ts";
 * const changes = [NaN, 0.3, 0, 0.002, 0.1, 0, 0, 0];
 * if (convergedAt(changes, { patience: 3, tol: 0.01 }) !== 7) throw new Error("checks 5, 6, 7");
 * if (convergedAt(changes, { patience: 2, tol: 0.01 }) !== 3) throw new Error("checks 2, 3");
 * ```
 */
export function convergedAt(changes: ArrayLike<number>, criterion: ConvergenceCriterion): number {
  if (!isNumberArray(changes)) throw new ConfigError("changes", "an array of numbers", changes);
  const { patience: m, tol } = checkOptions(criterion, CONVERGENCE_CRITERION, {
    owner: "convergedAt",
    path: "criterion",
  });
  let run = 0;
  for (let c = 0; c < changes.length; c++) {
    run = changes[c] <= tol ? run + 1 : 0;
    if (run >= m) return c;
  }
  return -1;
}

/** What {@linkcode playRecurrence} finds in the last checks of a run. */
export interface PlayRecurrence {
  /** Checks looked at (the last `window`, or all if fewer). */
  readonly checks: number;
  /** Distinct plays among them (1: the play did not change). */
  readonly distinct: number;
  /**
   * The smallest period `p` ≥ 1 with `plays[c] = plays[c − p]` for every check `c` of the window
   * whose `c − p` is in the window too; 1 is a settled play,
   * 2 an A-B-A-B cycle (checks compared within the window); −1 when none up to half the window.
   */
  readonly period: number;
  /** Checks whose play equals an earlier play of the window other than the one just before. */
  readonly returns: number;
}

/**
 * Cycles in a run's joint greedy play, from the fingerprints of its checks' evaluations (`play`
 * in `trainMakers`'s progress): a play that keeps returning to earlier plays (`returns` > 0, few
 * `distinct`) is cycling, one that keeps finding new plays is drifting.
 *
 * @example
 * ```ts
 * import { playRecurrence } from "./convergence.ts";
 * const r = playRecurrence(["x", "a", "b", "a", "b", "a", "b"], 6);
 * if (r.period !== 2 || r.distinct !== 2 || r.returns !== 4) throw new Error(JSON.stringify(r));
 * if (playRecurrence(["a", "b", "c", "c", "c"], 3).period !== 1) throw new Error("settled");
 * ```
 */
export function playRecurrence(plays: readonly string[], window: number): PlayRecurrence {
  if (!Array.isArray(plays) || plays.some((p) => typeof p !== "string")) {
    throw new ConfigError("plays", "an array of strings", plays);
  }
  const w = checkInt("window", window, 1, 0x7fffffff);
  const start = Math.max(0, plays.length - w);
  const last = plays.slice(start);
  let period = -1;
  for (let p = 1; p <= Math.floor(last.length / 2) && period < 0; p++) {
    let ok = true;
    for (let c = start + p; c < plays.length && ok; c++) ok = plays[c] === plays[c - p];
    if (ok) period = p;
  }
  let returns = 0;
  last.forEach((x, i) => {
    if (i >= 2 && last.slice(0, i - 1).includes(x) && last[i - 1] !== x) returns++;
  });
  return { checks: last.length, distinct: new Set(last).size, period, returns };
}

/** Options of {@linkcode onPathChange}. */
export interface OnPathChangeOptions {
  /** Greedy decisions per state in the evaluation played with `now` (weights). */
  onPath: ArrayLike<number>;
  /** The greedy policy at the previous check. */
  prev: ArrayLike<number>;
  /** The greedy policy now (the one the evaluation played). */
  now: ArrayLike<number>;
  /** 1 for the states visited by now (the others play the fallback). */
  visited: ArrayLike<number>;
  /** The Q-table now, `Q(s, a)` at `s * nActions + a` (to judge whether a change is material). */
  table: ArrayLike<number>;
  /** Number of actions. */
  nActions: number;
  /** Relative margin of a material change, in [0, 1] (see {@linkcode PolicyTrackerOptions}). */
  margin: number;
}

/**
 * The on-path policy change: the share of the greedy decisions of an evaluation taken in states
 * whose greedy action changed materially since the previous check (the previous action now worse
 * than the new by more than `margin · |best|`), and the share taken in states never visited. Each
 * state weighs as often as the greedy play decides in it, so rarely played states, whose
 * estimates move most, weigh little; with `margin` 0 a value of 0 means the evaluation would have
 * played exactly the same with the previous policy. NaN for both without any decision.
 *
 * @example
 * ```ts
 * import { onPathChange } from "./convergence.ts";
 * // 3 states × 2 actions; state 2 changed its action but is never played greedily.
 * const r = onPathChange({
 *   onPath: [3, 1, 0], prev: [0, 1, 0], now: [0, 0, 1], visited: [1, 1, 1],
 *   table: [1, 0, 2, 1, 0, 5], nActions: 2, margin: 0,
 * });
 * if (r.change !== 0.25 || r.unvisited !== 0) throw new Error("1 of the 4 decisions");
 * ```
 */
export function onPathChange(options: OnPathChangeOptions): { change: number; unvisited: number } {
  const { onPath, prev, now, visited, table, nActions: nA, margin } = options;
  let total = 0, changed = 0, unvisited = 0;
  for (let s = 0; s < onPath.length; s++) {
    const w = onPath[s];
    if (w === 0) continue;
    total += w;
    if (visited[s] === 0) unvisited += w;
    const a = prev[s], b = now[s];
    if (a !== b) {
      const best = table[s * nA + b];
      if (table[s * nA + a] < best - margin * Math.abs(best)) changed += w;
    }
  }
  return total === 0
    ? { change: NaN, unvisited: NaN }
    : { change: changed / total, unvisited: unvisited / total };
}
