/**
 * What the Q-learning maker (`q_maker.ts`) and the learning taker (`q_taker.ts`) share (private
 * to `lib/makers/`): building the tabular learner from `LearnerSettings` and an initial
 * table, and the greedy side of the agent (mode, greedy snapshot, states visited).
 *
 * @module
 */
import { at, checkKeys, checkObject, ConfigError, numbers } from "../errors.ts";
import { createQLearner, greedyWithFallback, type QLearner } from "../learn/mod.ts";
import type { TabularAgent, TabularAgentOptions } from "./q_maker.ts";

/** Copies an initial table (and visits) into a learner, checking lengths; errors name `field`. */
export function loadInto(
  learner: QLearner,
  init: { table?: ArrayLike<number>; visits?: ArrayLike<number>; field: string },
): void {
  const field = init?.field ?? "init";
  checkObject(field, init, "an object {table?, visits?}");
  checkKeys(init, ["table", "visits", "field"], { path: field });
  const n = learner.table.length;
  // Both checked before either is copied: a bad `visits` leaves the learner untouched.
  const table = init.table === undefined ? undefined : numbers({ minLength: n, maxLength: n })
    .check(init.table, at(field, "table"));
  const visits = init.visits === undefined
    ? undefined
    : numbers({ lo: 0, minLength: n, maxLength: n }).check(init.visits, at(field, "visits"));
  if (table !== undefined) learner.table.set(table);
  if (visits !== undefined) learner.visits.set(visits);
}

/** Options of {@linkcode createTabularLearner}: the settings, the start, and the sizes. */
export interface TabularLearnerOptions extends Omit<TabularAgentOptions, "mode"> {
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** The agent's random stream. */
  readonly rng: () => number;
  /** The agent in error messages (`"policy[0]"`, `"taker"`). */
  readonly field: string;
}

/** A Q-learner with the defaults of `LearnerSettings`, loaded with `table`/`visits`. */
export function createTabularLearner(options: TabularLearnerOptions): QLearner {
  const learner = createQLearner({
    nStates: options.nStates,
    nActions: options.nActions,
    gamma: options.gamma ?? 1,
    rng: options.rng,
    epsilon: options.epsilon ?? 0.1,
    epsilonUnit: options.epsilonUnit ?? "episode",
    alpha: options.alpha ?? { kind: "visits", omega: 0.7 },
    init: options.init ?? 0,
  });
  loadInto(learner, { table: options.table, visits: options.visits, field: options.field });
  return learner;
}

/** The greedy side of a tabular agent (made by {@linkcode greedyState}). */
export interface GreedyState extends Pick<TabularAgent, "policy" | "snapshot" | "visited"> {
  /** The mode the agent starts in. */
  readonly mode: "learn" | "greedy";
  /** Records that the agent acted in state `s` while learning. Allocation-free. */
  visit(s: number): void;
}

/**
 * Checks the starting `mode` (`"learn"` by default; errors name `<field>.mode`), takes the greedy
 * snapshot at once in greedy mode, and counts the states the learner's visits already cover.
 */
export function greedyState(
  options: { learner: QLearner; fallback: number; mode?: unknown; field: string },
): GreedyState {
  const { learner, fallback } = options;
  const mode = options.mode ?? "learn";
  if (mode !== "learn" && mode !== "greedy") {
    throw new ConfigError(`${options.field}.mode`, '"learn" or "greedy"', mode);
  }
  const nS = learner.nStates;
  const nA = learner.nActions;
  const policy = new Int32Array(nS);
  const snapshot = () =>
    greedyWithFallback({
      table: learner.table,
      visits: learner.visits,
      nActions: nA,
      fallback,
      out: policy,
    });
  if (mode === "greedy") snapshot();
  const seen = new Uint8Array(nS);
  let visited = 0;
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < nA; a++) {
      if (learner.visits[s * nA + a] > 0 && seen[s] === 0) {
        seen[s] = 1;
        visited++;
      }
    }
  }
  return {
    mode,
    policy,
    snapshot,
    visit(s) {
      if (seen[s] === 0) {
        seen[s] = 1;
        visited++;
      }
    },
    get visited() {
      return visited;
    },
  };
}
