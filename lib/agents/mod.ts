/**
 * Agents for any environment with a box observation and a discrete action space
 * (`lib/env/types.ts`): deep RL learners on TensorFlow.js (CPU backend), a random baseline, and the
 * training loop.
 *
 * - `dqn.ts`: DQN with double Q-learning, a dueling head and prioritised replay (each switchable).
 * - `ppo.ts`: PPO with the clipped objective, GAE, value clipping and an entropy bonus.
 * - `sac.ts`: SAC for discrete actions (Christodoulou 2019) with twin critics and automatic
 *   temperature.
 * - `random.ts`: the uniformly random agent.
 * - `baselines.ts`: market-making baselines for the quoting environments (fixed spread,
 *   Avellaneda–Stoikov, random quoter); `tabular_q.ts`: tabular Q-learning on binned observations.
 * - `train.ts`: `train(env, agent, {steps | episodes, seed, onEpisode})` and `evaluate`.
 * - `replay.ts`, `nn.ts`, `schedule.ts`: replay buffers and sum-trees, networks and Adam, schedules.
 *
 * Every agent is deterministic given its `seed`: weights and all sampling come from
 * `stream(seed, "<name>/<role>")` in `lib/rng.ts`.
 *
 * @example
 * ```ts
 * import { dqn, evaluate, train } from "./mod.ts";
 * import type { Env } from "../env/types.ts";
 * const obs = new Float64Array(1);
 * const env: Env = { // reward 1 for action 1, one step per episode
 *   observationSpace: { kind: "box", shape: [1], low: new Float64Array(1), high: new Float64Array(1) },
 *   actionSpace: { kind: "discrete", n: 2 },
 *   reset: () => ({ obs, info: {} }),
 *   step: (a) => ({ obs, reward: a, terminated: true, truncated: false, info: {} }),
 * };
 * const agent = dqn(env, { seed: 1, learningStarts: 32, batchSize: 16, explorationSteps: 100,
 *   learningRate: 1e-2 });
 * train(env, agent, { steps: 200, seed: 1 });
 * if (evaluate(env, agent, { episodes: 1 }).mean !== 1) throw new Error("learns the better arm");
 * agent.dispose();
 * ```
 * @module
 */
export type { ActOptions, Agent, SpacesLike, Transition } from "./types.ts";
export { dqn, DQN_DEFAULTS, type DqnAgent, type DqnConfig } from "./dqn.ts";
export { gae, type GaeOptions, ppo, PPO_DEFAULTS, type PpoAgent, type PpoConfig } from "./ppo.ts";
export { sac, SAC_DEFAULTS, type SacAgent, type SacConfig } from "./sac.ts";
export { randomAgent, type RandomAgentOptions } from "./random.ts";
export {
  AS_AGENT_DEFAULTS,
  asAgent,
  type AsAgentConfig,
  type BaselineAgent,
  FIXED_SPREAD_DEFAULTS,
  fixedSpreadAgent,
  type FixedSpreadConfig,
  type QuotingSpaces,
  RANDOM_QUOTER_DEFAULTS,
  randomQuoter,
  type RandomQuoterConfig,
} from "./baselines.ts";
export {
  type BinnedFeature,
  TABULAR_Q_DEFAULTS,
  type TabularQAgent,
  tabularQAgent,
  type TabularQConfig,
} from "./tabular_q.ts";
export {
  type EpisodeReport,
  evaluate,
  type EvaluateOptions,
  type EvaluateResult,
  train,
  type TrainOptions,
  type TrainResult,
} from "./train.ts";
export {
  type Batch,
  createBatch,
  createReplayBuffer,
  createSumTree,
  type ReplayBuffer,
  type ReplayOptions,
  type SumTree,
} from "./replay.ts";
export {
  type Activation,
  type Adam,
  type AdamOptions,
  argmax,
  createAdam,
  createMlp,
  type Init,
  logProb,
  type Mlp,
  type MlpOptions,
  oneHotInto,
  type PolyakOptions,
  polyakUpdate,
  sampleLogits,
} from "./nn.ts";
export { linearSchedule, type LinearScheduleOptions } from "./schedule.ts";
