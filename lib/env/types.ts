/**
 * Gymnasium-style environment interface shared by the market-making environments and the agents.
 *
 * `reset({seed})` returns `{obs, info}`; `step(action)` returns
 * `{obs, reward, terminated, truncated, info}`. The end of a trading window is truncation, not
 * termination (Gymnasium's convention): the state is not terminal, the clock ran out.
 *
 * An action is an integer of a {@linkcode DiscreteSpace} (`Env`, the default) or a
 * `Float64Array` in a {@linkcode BoxSpace} (`BoxEnv`).
 *
 * @module
 */

/** A finite set of actions `0..n-1`. */
export interface DiscreteSpace {
  readonly kind: "discrete";
  readonly n: number;
}

/** A box of real vectors with per-dimension bounds (may be ±Infinity). */
export interface BoxSpace {
  readonly kind: "box";
  readonly shape: readonly number[];
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** Optional names of the dimensions, for documentation and logging. */
  readonly names?: readonly string[];
}

/** Any space. */
export type Space = DiscreteSpace | BoxSpace;

/** What `reset` returns. */
export interface ResetResult<O> {
  obs: O;
  info: Record<string, unknown>;
}

/** What `step` returns. */
export interface StepResult<O> {
  obs: O;
  reward: number;
  /** The episode reached a terminal state of the MDP (e.g. a risk limit breached). */
  terminated: boolean;
  /** The episode was cut off by time (end of the trading window). */
  truncated: boolean;
  info: Record<string, unknown>;
}

/** An action: an integer (discrete space) or a vector (box space). */
export type Action = number | Float64Array;

/** The action space of an action type: discrete for integers, a box for vectors. */
export type ActionSpaceOf<A extends Action> = A extends number ? DiscreteSpace : BoxSpace;

/**
 * One environment step as a learning agent sees it (`observe` in `lib/agents` and the episode
 * runner). The object and its arrays are valid only during the call: the loops reuse them.
 */
export interface Transition<A extends Action = number> {
  /** Observation the action was chosen from. */
  readonly obs: Float64Array;
  /** Action taken: in `0..n-1`, or a vector in the box. */
  readonly action: A;
  /** Reward received. */
  readonly reward: number;
  /** Observation after the step (the final observation when the episode ended). */
  readonly nextObs: Float64Array;
  /** `nextObs` is terminal: its value is zero. */
  readonly terminated: boolean;
  /** The episode was cut off by time: `nextObs` is not terminal, its value can be bootstrapped. */
  readonly truncated: boolean;
}

/**
 * A Gymnasium-style environment with a box observation and a discrete action space (the
 * default), or a box action space (`A = Float64Array`, see {@linkcode BoxEnv}).
 */
export interface Env<O = Float64Array, A extends Action = number> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: ActionSpaceOf<A>;
  reset(options?: { seed?: number }): ResetResult<O>;
  step(action: A): StepResult<O>;
}

/** An environment with continuous actions: `step` takes a vector inside `actionSpace`. */
export type BoxEnv = Env<Float64Array, Float64Array>;

/** Length of a flattened box (the product of its shape). */
export function boxSize(space: BoxSpace): number {
  let n = 1;
  for (const s of space.shape) n *= s;
  return n;
}
