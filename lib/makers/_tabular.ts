/**
 * What the Q-learning maker (`q_maker.ts`) and the learning taker (`q_taker.ts`) share (private
 * to `lib/makers/`): building the tabular learner from `LearnerSettings` and an initial
 * table, and the greedy side of the agent (mode, greedy snapshot, states visited).
 *
 * @module
 */
import {
  at,
  checkKeys,
  checkObject,
  ConfigError,
  num,
  numbers,
  oneOf,
  optional,
} from "../errors.ts";
import {
  createQLearner,
  greedyWithFallback,
  LEARNING_RATE,
  type LearningRate,
  type QLearner,
  type Schedule,
  scheduleField,
} from "../learn/mod.ts";

/** The learner's hyperparameters (CleanRL-style: one commented field each). */
export interface LearnerSettings {
  /** Discount γ. Default 1: a fixed window with the time in the state; rewards sum to the PnL. */
  gamma?: number;
  /**
   * Learning rate. Default `{kind: "visits", omega: 0.7}`: `α = N(s,a)^−0.7`, the polynomial
   * rate of Even-Dar & Mansour (2003). On 10,000-episode runs of one maker (seed 1, greedy
   * evaluation PnL) it did better than a constant 0.1 against the passive taker (81 vs 70) and
   * worse against the aggressive (137 vs 142) and reactive ones (69 vs 80), but its greedy
   * policy settled (the convergence criterion was met against passive and aggressive), while
   * with a constant rate the estimates of equivalent actions keep swapping places and it never
   * was. With other learners in the book, whose moves make the problem non-stationary, a floor
   * (`min`) or a constant rate keeps tracking them.
   */
  alpha?: LearningRate | number;
  /** Exploration ε: a number or a schedule over episodes. Default 0.1 (`trainMakers` sets a decay). */
  epsilon?: Schedule | number;
  /** What the ε schedule counts. Default `"episode"`. */
  epsilonUnit?: "episode" | "step";
  /** Initial Q-value. Default 0. */
  init?: number;
}

/** The options of a tabular agent, the Q-learning maker or the learning taker. */
export interface TabularAgentOptions extends LearnerSettings {
  /** `"learn"` (default) or `"greedy"` (play the greedy snapshot, no learning). */
  mode?: "learn" | "greedy";
  /** Initial Q-table (e.g. `loadQTable(...).table`), length `nStates × nActions`. */
  table?: ArrayLike<number>;
  /** Initial visit counts, same layout (needed for the greedy fallback of a loaded table). */
  visits?: ArrayLike<number>;
}

/** The schema of {@linkcode LearnerSettings} (also `trainMakers`'s `learner`). */
export const LEARNER_SETTINGS = {
  gamma: optional(num(0, 1)),
  alpha: optional(LEARNING_RATE),
  epsilon: optional(scheduleField({ lo: 0, hi: 1 })),
  epsilonUnit: optional(oneOf(["episode", "step"] as const)),
  init: optional(num()),
};

/** The schema of {@linkcode TabularAgentOptions}. */
export const TABULAR_AGENT_OPTIONS = {
  ...LEARNER_SETTINGS,
  mode: optional(oneOf(["learn", "greedy"] as const)),
  table: optional(numbers()),
  visits: optional(numbers({ lo: 0 })),
};

/** What a tabular agent, the Q-learning maker or the learning taker, exposes. */
export interface TabularAgent {
  /** Its learner (table, visits, ε, |ΔQ|). */
  readonly learner: QLearner;
  /** The action index played greedily in states never visited (see the options' `fallback`). */
  readonly fallback: number;
  /** `"learn"` or `"greedy"`; may be switched between episodes. */
  mode: "learn" | "greedy";
  /** The greedy snapshot played in greedy mode (refreshed by `snapshot()`). */
  readonly policy: Int32Array;
  /** Recomputes `policy` from the current table and visits; returns it. */
  snapshot(): Int32Array;
  /** Sum of the rewards received in the current (or last) episode. */
  readonly episodeReward: number;
  /** Number of distinct states it has acted in while learning. */
  readonly visited: number;
}

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
  /** 1 for the states it has acted in (or that its loaded visits cover), 0 elsewhere. Live. */
  readonly seen: Uint8Array;
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
    seen,
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
