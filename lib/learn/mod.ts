/**
 * Tabular Q-learning, independent of any environment: states and actions are integers.
 *
 * - `createQLearner(options)`: ε-greedy acting with seeded tie-breaking, allocation-free updates,
 *   constant or visit-count learning rates, terminal (no-bootstrap) transitions.
 * - Schedules (`scheduleAt`) and state encoding (`encodeState`, `binIndex`): pure functions.
 * - Diagnostics: `greedyPolicy`, `policyChange`, `stateVisits`, `coverage`, and the learner's
 *   `meanAbsDelta`; convergence bookkeeping: `greedyWithFallback`, `createPolicyTracker` (policy
 *   change between checks), `convergedAt` (unchanged for M consecutive checks).
 * - Exact solution of explicit MDPs (`tabularMDP`): `backwardInduction`, `evaluatePolicy`,
 *   `valueIteration`, `evaluatePolicyDiscounted`.
 * - Persistence: `saveQTable`, `loadQTable` (training records as Parquet: `lib/io/parquet.ts`).
 *
 * ## Inputs
 * Every options object is checked when the learner, tracker or MDP is built, by the
 * schemas of `lib/errors.ts`: unknown keys are rejected with a suggestion (`"epsilnon": unknown
 * option of createQLearner; did you mean "epsilon"?`), values are never coerced, and messages name
 * the path (`alpha.omega`, `epsilon.duration`, `criterion.tol`). Counts are integers in their
 * ranges, rates in [0, 1] (α in (0, 1]), schedules one of the three `Schedule` kinds; arrays
 * (tables, visits, policies, changes) are plain or typed arrays of finite numbers. The hot calls
 * (`act`, `greedy`, `update`) are not re-validated beyond their index checks, which are one cold
 * branch. The schemas (`Q_LEARNER_OPTIONS`, `LEARNING_RATE`, `scheduleField`,
 * `CONVERGENCE_CRITERION`) are exported for configs that embed them.
 *
 * Finite horizons: put the time step (or time remaining) in the state, e.g.
 * `encodeState([horizon, nStates], [t, s])`, and pass `terminal = true` at the last step, whose
 * target is then the reward alone. The time-dependent policy layout of `backwardInduction` is the
 * same, so `greedyPolicy(learner.table, nActions)` can be evaluated with `evaluatePolicy`.
 *
 * @example
 * ```ts
 * import { createQLearner, greedyPolicy } from "./mod.ts";
 * import { stream } from "../rng.ts";
 * // Chain 0 -> 1 -> 2 (goal, reward 1). Action 1 moves right, action 0 stays.
 * const learner = createQLearner({
 *   nStates: 3,
 *   nActions: 2,
 *   gamma: 0.9,
 *   rng: stream(0, "doc"),
 *   epsilon: { kind: "linear", start: 1, end: 0.05, duration: 100 },
 *   alpha: 0.5,
 * });
 * for (let episode = 0; episode < 200; episode++) {
 *   let s = 0;
 *   for (let t = 0; t < 20 && s !== 2; t++) {
 *     const a = learner.act(s);
 *     const s2 = a === 1 ? s + 1 : s;
 *     learner.update(s, a, s2 === 2 ? 1 : 0, s2, s2 === 2);
 *     s = s2;
 *   }
 *   learner.endEpisode();
 * }
 * const policy = greedyPolicy(learner.table, 2);
 * if (policy[0] !== 1 || policy[1] !== 1) throw new Error("should move right");
 * ```
 *
 * @module
 */
export {
  createQLearner,
  LEARNING_RATE,
  type LearningRate,
  Q_LEARNER_OPTIONS,
  type QLearner,
  type QLearnerOptions,
} from "./q_learner.ts";
export {
  checkSchedule,
  compileSchedule,
  expDecay,
  type Schedule,
  scheduleAt,
  scheduleField,
} from "./schedule.ts";
export { binIndex, decodeState, encodeState, type IntLike, stateCount } from "./encoding.ts";
export {
  coverage,
  greedyPolicy,
  policyChange,
  type PolicyChangeOptions,
  stateVisits,
} from "./diagnostics.ts";
export {
  convergedAt,
  CONVERGENCE_CRITERION,
  type ConvergenceCriterion,
  createPolicyTracker,
  greedyWithFallback,
  type GreedyWithFallbackOptions,
  onPathChange,
  type OnPathChangeOptions,
  type PlayRecurrence,
  playRecurrence,
  type PolicyTracker,
  type PolicyTrackerOptions,
} from "./convergence.ts";
export {
  checkMDP,
  type Outcome,
  type TabularMDP,
  tabularMDP,
  type TabularMDPOptions,
  TERMINAL,
} from "./mdp.ts";
export {
  backwardInduction,
  type BackwardInductionOptions,
  type DiscountedSolution,
  evaluatePolicy,
  evaluatePolicyDiscounted,
  type EvaluatePolicyDiscountedOptions,
  type EvaluatePolicyOptions,
  type FiniteHorizonSolution,
  type PolicyValues,
  valueIteration,
  type ValueIterationOptions,
} from "./dp.ts";
export { type LoadedQTable, loadQTable, type QTableData, saveQTable } from "./persist.ts";
