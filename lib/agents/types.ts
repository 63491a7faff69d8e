/**
 * The agent interface shared by learning agents (DQN, PPO, SAC) and baselines.
 *
 * An agent maps a box observation to a discrete action (`act`) and, if it learns, is fed every
 * transition by the training loop (`observe`). Agents copy what they keep: the loop and the
 * environment may reuse observation buffers between steps.
 *
 * @module
 */
import type { BoxSpace, DiscreteSpace } from "../env/types.ts";

/** Options of {@linkcode Agent.act}. */
export interface ActOptions {
  /**
   * `true`: behave as during training (ε-greedy for DQN, sample the policy for PPO and SAC).
   * `false` (default): act greedily, e.g. for evaluation.
   */
  readonly explore?: boolean;
}

/**
 * One environment step as seen by a learner. The object and its arrays are valid only during the
 * `observe` call: the training loop reuses them.
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

/** An agent for an environment with a box observation and a discrete action space. */
export interface Agent {
  /** Short name, e.g. `"dqn"`; also the prefix of the agent's random streams. */
  readonly name: string;
  /** Choose an action for one observation. */
  act(obs: Float64Array, options?: ActOptions): number;
  /**
   * Feed one transition (after `act(t.obs, {explore: true})`); the agent may learn from it.
   * Returns the mean loss of the updates this call made, or `NaN` if it made none. Agents that do
   * not learn may omit it.
   */
  observe?(t: Transition): number;
  /** Latest diagnostics (exploration rate, entropy, temperature, ...), updated in place. */
  readonly stats: Readonly<Record<string, number>>;
  /** Frees tensors and other resources; the agent must not be used afterwards. */
  dispose(): void;
}

/** The spaces an agent is built for (an `Env` will do). */
export interface SpacesLike {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
}
