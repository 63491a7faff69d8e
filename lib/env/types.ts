/**
 * Gymnasium-style environment interface shared by the market-making environment and the agents.
 *
 * `reset({seed})` returns `{obs, info}`; `step(action)` returns
 * `{obs, reward, terminated, truncated, info}`. The end of a trading window is truncation, not
 * termination (Gymnasium's convention): the state is not terminal, the clock ran out.
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

/**
 * One environment step as a learning agent sees it (`observe` in `lib/agents` and the episode
 * runner). The object and its arrays are valid only during the call: the loops reuse them.
 */
export interface Transition {
  /** Observation the action was chosen from. */
  readonly obs: Float64Array;
  /** Action taken, in `0..n-1`. */
  readonly action: number;
  /** Reward received. */
  readonly reward: number;
  /** Observation after the step (the final observation when the episode ended). */
  readonly nextObs: Float64Array;
  /** `nextObs` is terminal: its value is zero. */
  readonly terminated: boolean;
  /** The episode was cut off by time: `nextObs` is not terminal, its value can be bootstrapped. */
  readonly truncated: boolean;
}

/** A Gymnasium-style environment with a box observation and a discrete action space. */
export interface Env<O = Float64Array, A = number> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  reset(options?: { seed?: number }): ResetResult<O>;
  step(action: A): StepResult<O>;
}
