/**
 * Agents for environments with a box observation and a discrete or box action space
 * (`lib/env/types.ts`): deep RL learners in plain JavaScript, baselines, the training loops and
 * checkpoints.
 *
 * - `dqn.ts`: DQN with double Q-learning, a dueling head, prioritised replay and noisy networks
 *   (each switchable), ε-greedy or noisy exploration.
 * - `ppo.ts`: PPO with the clipped objective, GAE, value clipping and an entropy bonus; a
 *   categorical policy ({@linkcode ppo}) or a Gaussian one for box actions
 *   ({@linkcode ppoContinuous}).
 * - `sac.ts`: SAC for discrete actions (Christodoulou 2019); `sac_continuous.ts`: SAC for box
 *   actions (Haarnoja et al. 2018), tanh-squashed Gaussian policy, twin critics, automatic
 *   temperature.
 * - `normalizer.ts`: observation normalisation by running mean and variance (every learner's
 *   `normalizeObs`), frozen at evaluation; reward scaling by the running standard deviation of
 *   the discounted return (PPO's `normalizeReward`).
 * - `train.ts`: `train(env, agent, {steps | episodes, seed, onEpisode})`, `trainVec` over `N`
 *   environment copies with batched inference (`lib/env/vector.ts`), and `evaluate`.
 * - `checkpoint.ts`: saving and loading a learner (weights, normaliser, configuration, training
 *   seed) in a versioned, checksummed JSON format, written atomically.
 * - `random.ts`: the uniformly random agent; `baselines.ts`: market-making baselines for the
 *   quoting environments (fixed spread, Avellaneda–Stoikov, random quoter); `tabular_q.ts`:
 *   tabular Q-learning on binned observations; `residual.ts`: residual actions on a base policy
 *   (`residualEnv`: the action adjusts a baseline's quote).
 * - `replay.ts`, `nn.ts`, `schedule.ts`: replay buffers and sum-trees, networks and Adam,
 *   schedules.
 *
 * Every agent is deterministic given its `seed`: weights and all sampling come from
 * `stream(seed, "<name>/<role>")` in `lib/rng.ts`, and all arithmetic is float64.
 *
 * ## Inputs
 * Every learner, baseline, the normaliser, `train`/`evaluate`/`trainVec` and the checkpoint
 * functions check their options with the schemas of `lib/errors.ts` when called: unknown keys are
 * rejected with a suggestion (`"learningrate": unknown option of dqn; did you mean
 * "learningRate"?`), values are never coerced, and messages name the path (`hidden[1]`,
 * `plan.agents[0].config.gamma`). Counts are integers in their ranges, rates and coefficients
 * finite numbers in the stated intervals, seeds safe integers (they are added to: episode `e`
 * uses `seed + e`), never NaN, strings, objects or booleans. An environment must have the spaces
 * the learner needs (a quoting environment for the baselines). `checkLearnerConfig` checks a
 * learner's configuration where it sits in a larger one.
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
export type {
  ActionArray,
  ActOptions,
  Agent,
  Learner,
  LearnerKind,
  LearnerState,
  SpacesLike,
  Transition,
  TransitionBatch,
  VecAgent,
} from "./types.ts";
export { dqn, DQN_DEFAULTS, type DqnAgent, type DqnConfig } from "./dqn.ts";
export {
  gae,
  type GaeOptions,
  ppo,
  PPO_CONTINUOUS_DEFAULTS,
  PPO_DEFAULTS,
  type PpoAgent,
  type PpoConfig,
  ppoContinuous,
  type PpoContinuousAgent,
  type PpoContinuousConfig,
} from "./ppo.ts";
export { sac, SAC_DEFAULTS, type SacAgent, type SacConfig } from "./sac.ts";
export {
  SAC_CONTINUOUS_DEFAULTS,
  sacContinuous,
  type SacContinuousAgent,
  type SacContinuousConfig,
} from "./sac_continuous.ts";
export {
  canonicalJson,
  type Checkpoint,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  type CheckpointMeta,
  type CheckpointSpaces,
  configHash,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  readCheckpoint,
  restoreLearner,
  saveCheckpoint,
  type SaveCheckpointOptions,
  saveCheckpointSync,
} from "./checkpoint.ts";
export {
  createNormalizer,
  createRewardScaler,
  type Normalizer,
  type NormalizerOptions,
  type NormalizerState,
  type RewardScaler,
  type RewardScalerOptions,
  type RewardStep,
} from "./normalizer.ts";
export { randomAgent, type RandomAgentOptions } from "./random.ts";
export { checkLearnerConfig } from "./learner_config.ts";
export {
  AS_AGENT_DEFAULTS,
  asAgent,
  type AsAgentConfig,
  asQuoter,
  type AsQuoterConfig,
  type BaselineAgent,
  type BoxQuotingSpaces,
  FIXED_SPREAD_DEFAULTS,
  fixedSpreadAgent,
  type FixedSpreadConfig,
  type QuotingSpaces,
  RANDOM_QUOTER_DEFAULTS,
  randomQuoter,
  type RandomQuoterConfig,
  SKEW_QUOTER_DEFAULTS,
  skewQuoter,
  type SkewQuoterConfig,
} from "./baselines.ts";
export {
  type ResidualBase,
  residualEnv,
  type ResidualInfo,
  type ResidualOptions,
} from "./residual.ts";
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
  trainVec,
  type TrainVecOptions,
  type VecEpisodeReport,
} from "./train.ts";
export {
  type Batch,
  createBatch,
  createReplayBuffer,
  createSumTree,
  type ReplayBuffer,
  type ReplayOptions,
  type RowSource,
  type SumTree,
} from "./replay.ts";
export {
  type Activation,
  type Adam,
  type AdamOptions,
  argmax,
  type BackwardOptions,
  createAdam,
  createMlp,
  type Init,
  logProb,
  logSumExp,
  Mlp,
  type MlpOptions,
  type ParamBlock,
  type PolyakOptions,
  polyakUpdate,
  sampleLogits,
} from "./nn.ts";
export { linearSchedule, type LinearScheduleOptions } from "./schedule.ts";
