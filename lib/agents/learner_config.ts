/**
 * The configuration schemas of the deep learners by kind, to check a learner's hyperparameters
 * where they sit in a larger configuration (a training plan's `agents[i].config`) before any
 * learner is built.
 *
 * @module
 */
import { checkOptions, type Where } from "../errors.ts";
import { DQN_SCHEMA } from "./dqn.ts";
import { PPO_CONTINUOUS_SCHEMA, PPO_SCHEMA } from "./ppo.ts";
import { SAC_SCHEMA } from "./sac.ts";
import { SAC_CONTINUOUS_SCHEMA } from "./sac_continuous.ts";
import type { LearnerKind } from "./types.ts";
import { optionalSchema } from "./_common.ts";

const SCHEMAS = {
  dqn: DQN_SCHEMA,
  ppo: PPO_SCHEMA,
  "ppo-continuous": PPO_CONTINUOUS_SCHEMA,
  sac: SAC_SCHEMA,
  "sac-continuous": SAC_CONTINUOUS_SCHEMA,
};

/**
 * Checks hyperparameters of a learner of `kind` field by field (each optional: the learner's
 * defaults fill the rest), with their path: unknown keys rejected with a suggestion, values
 * of the wrong type or out of range named. Rules between fields (PPO's minibatches dividing
 * its steps) are checked when the learner is built.
 *
 * @example
 * ```ts
 * import { checkLearnerConfig } from "./learner_config.ts";
 * checkLearnerConfig("dqn", { learningRate: 1e-3 }, { path: "agents[0].config" });
 * let message = "";
 * try {
 *   checkLearnerConfig("dqn", { learningrate: 1e-3 }, { path: "agents[0].config" });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (!message.endsWith('did you mean "learningRate"?')) throw new Error(message);
 * ```
 */
export function checkLearnerConfig(kind: LearnerKind, config: unknown, where: Where = {}): void {
  checkOptions(config, optionalSchema(SCHEMAS[kind] as never), where);
}
