/**
 * The agent interface shared by learning agents (DQN, PPO, SAC) and baselines.
 *
 * An agent maps a box observation to a discrete action (`act`) and, if it learns, is fed every
 * transition by the training loop (`observe`). Agents copy what they keep: the loop and the
 * environment may reuse observation buffers between steps.
 *
 * @module
 */
import type { BoxSpace, DiscreteSpace, Transition } from "../env/types.ts";

export type { Transition };

/** Options of {@linkcode Agent.act}. */
export interface ActOptions {
  /**
   * `true`: behave as during training (ε-greedy for DQN, sample the policy for PPO and SAC).
   * `false` (default): act greedily, e.g. for evaluation.
   */
  readonly explore?: boolean;
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
