/**
 * The agent interfaces shared by learning agents (DQN, PPO, SAC) and baselines.
 *
 * An agent maps a box observation to an action (`act`): an integer for a discrete action space
 * (`Agent`, the default), a vector for a box (`Agent<Float64Array>`). If it learns, the training
 * loop feeds it every transition (`observe`). Agents copy what they keep: the loop and the
 * environment may reuse observation buffers between steps.
 *
 * Learners also take `N` observations at once ({@linkcode VecAgent}: `actBatch`, `observeBatch`),
 * which is how `trainVec` steps `N` environment copies with one batched forward pass per step,
 * and can save and restore their state ({@linkcode Learner}: `state`, `load`; see
 * `checkpoint.ts`).
 *
 * @module
 */
import type { Action, ActionSpaceOf, BoxSpace, Transition } from "../env/types.ts";
import type { Normalizer, NormalizerState } from "./normalizer.ts";

export type { Action, Transition };

/** Options of {@linkcode Agent.act}. */
export interface ActOptions {
  /**
   * `true`: behave as during training (ε-greedy or noisy weights for DQN, sample the policy for
   * PPO and SAC). `false` (default): act greedily, e.g. for evaluation.
   */
  readonly explore?: boolean;
}

/** An agent for an environment with a box observation and an action of type `A`. */
export interface Agent<A extends Action = number> {
  /** Short name, e.g. `"dqn"`; also the prefix of the agent's random streams. */
  readonly name: string;
  /**
   * Choose an action for one observation. A vector action is an internal buffer, valid until the
   * next call.
   */
  act(obs: Float64Array, options?: ActOptions): A;
  /**
   * Feed one transition (after `act(t.obs, {explore: true})`); the agent may learn from it.
   * Returns the mean loss of the updates this call made, or `NaN` if it made none. Agents that do
   * not learn may omit it.
   */
  observe?(t: Transition<A>): number;
  /** Latest diagnostics (exploration rate, entropy, temperature, ...), updated in place. */
  readonly stats: Readonly<Record<string, number>>;
  /** Frees resources; the agent must not be used afterwards. */
  dispose(): void;
}

/** The spaces an agent is built for (an `Env` will do). */
export interface SpacesLike<A extends Action = number> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: ActionSpaceOf<A>;
}

/** `N` actions: integers for a discrete space, `N × dim` numbers (row-major) for a box. */
export type ActionArray<A extends Action> = A extends number ? Int32Array : Float64Array;

/**
 * `N` transitions of `N` environment copies, one per copy, row-major. Valid only during the
 * call that receives it.
 */
export interface TransitionBatch<A extends Action = number> {
  /** Number of transitions. */
  readonly n: number;
  /** Observations the actions were chosen from, `n × obsDim`. */
  readonly obs: Float64Array;
  /** The actions taken. */
  readonly actions: ActionArray<A>;
  /** Rewards. */
  readonly rewards: Float64Array;
  /** Observations after the step (the final observation where an episode ended), `n × obsDim`. */
  readonly nextObs: Float64Array;
  /** 1 where the step terminated the episode. */
  readonly terminated: Uint8Array;
  /** 1 where the step truncated it (time limit). */
  readonly truncated: Uint8Array;
}

/** An agent that can act for, and learn from, `N` environment copies at once. */
export interface VecAgent<A extends Action = number> extends Agent<A> {
  /**
   * Actions for `n` observations (row-major in `obs`), one batched forward pass. Returns an
   * internal buffer, valid until the next call. Row `i` is what `act` would return for it, with
   * the same random draws in row order.
   */
  actBatch(obs: Float64Array, n: number, options?: ActOptions): ActionArray<A>;
  /**
   * Learns from one step of `n` copies (after `actBatch(batch.obs, n, {explore: true})`).
   * Schedules count environment steps (transitions), so `n` copies stepped once advance them by
   * `n`. Returns the mean loss of the updates made, or `NaN`.
   */
  observeBatch(batch: TransitionBatch<A>): number;
}

/** What a learner saves: enough to act (and inspect) exactly as when it was saved. */
export interface LearnerState {
  /** The learner kind, e.g. `"dqn"` or `"sac-continuous"`. */
  readonly kind: LearnerKind;
  /** The resolved hyperparameters. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Parameters of each network, by name (e.g. `online`, `actor`, `q1`). Target networks are not
   * part of it: `load` restarts them as copies of their online networks.
   */
  readonly networks: Readonly<Record<string, Float64Array>>;
  /** Other learned scalars and vectors (e.g. `logAlpha`, `logStd`). */
  readonly extra: Readonly<Record<string, number[]>>;
  /** Observation normaliser statistics, `null` if the learner does not normalise. */
  readonly normalizer: NormalizerState | null;
  /** Environment steps learned from. */
  readonly steps: number;
}

/** The deep learners of this folder. */
export type LearnerKind = "dqn" | "ppo" | "ppo-continuous" | "sac" | "sac-continuous";

/** A deep learner: batched acting and learning, and a saveable state. */
export interface Learner<A extends Action = number> extends VecAgent<A> {
  /** Which learner. */
  readonly kind: LearnerKind;
  /** The resolved hyperparameters. */
  readonly config: object;
  /** The observation normaliser, `null` when `normalizeObs` is off. */
  readonly normalizer: Normalizer | null;
  /** Environment steps learned from so far. */
  readonly steps: number;
  /** A copy of the learner's state (networks, normaliser, steps). */
  state(): LearnerState;
  /**
   * Restores a state saved from a learner of the same kind and sizes (throws `ConfigError`
   * naming the part that does not fit). Optimiser moments, replay and target networks are not
   * part of it (targets restart as copies of their online networks).
   */
  load(state: LearnerState): void;
}
