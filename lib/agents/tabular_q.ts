/**
 * Tabular Q-learning on a discretised observation, reusing the project's Q-learner
 * (`lib/learn`: `createQLearner`, `encodeState`, `binIndex`, schedules).
 *
 * The state is the mixed-radix number of a few binned observation features, time first:
 * `encodeState([time bins, inventory bins, extra bins...], digits)`. By default the features are
 * the time remaining (`OBS_TIME`) and the inventory (`OBS_INVENTORY`), which every quoting
 * environment has at the same index; add others (imbalance, momentum...) with `features`.
 *
 * Learning follows the finite-horizon convention of `lib/learn`: the time remaining is in the
 * state, so the last step of an episode (truncated) is treated as terminal and not bootstrapped,
 * unless `bootstrapOnTruncation` is set.
 *
 * @module
 */
import {
  arrayOf,
  bool,
  checkInt,
  ConfigError,
  type Field,
  int,
  num,
  numbers,
  object,
  oneOf,
} from "../errors.ts";
import { stream } from "../rng.ts";
import {
  binIndex,
  createQLearner,
  encodeState,
  LEARNING_RATE,
  type LearningRate,
  type QLearner,
  type Schedule,
  scheduleField,
} from "../learn/mod.ts";
import { OBS_INVENTORY, OBS_TIME } from "../env/quoting.ts";
import type { ActOptions, Agent, SpacesLike, Transition } from "./types.ts";
import { type ConfigSchema, FIELDS, resolveConfig } from "./_common.ts";

/** A binned observation feature: `binIndex(edges, obs[index])`, `edges.length + 1` bins. */
export interface BinnedFeature {
  /** Index in the observation. */
  readonly index: number;
  /** Increasing cut points (see `binIndex`). */
  readonly edges: readonly number[];
}

/** Hyperparameters of {@linkcode tabularQAgent}. */
export interface TabularQConfig {
  /** Root seed of the learner's stream `<name>/learner` (exploration, tie-breaking). Default 0. */
  readonly seed: number;
  /** Agent name. Default `"tabular-q"`. */
  readonly name: string;
  /**
   * Cut points of the time remaining `obs[OBS_TIME]` in [0, 1]. Default [0.25, 0.5, 0.75]: 4 bins.
   */
  readonly timeEdges: readonly number[];
  /**
   * Cut points of the scaled inventory `obs[OBS_INVENTORY] = q / maxInventory`. Default
   * [−0.5, −0.2, −0.05, 0.05, 0.2, 0.5]: 7 bins, flat inventory in a bin of its own.
   */
  readonly inventoryEdges: readonly number[];
  /** More binned features, appended to the state in this order. Default none. */
  readonly features: readonly BinnedFeature[];
  /** Discount factor γ in [0, 1]. Default 0.99. */
  readonly gamma: number;
  /** Learning rate: a constant in (0, 1] or a `LearningRate`. Default 0.05. */
  readonly alpha: LearningRate | number;
  /** Exploration ε: linear from 1 to 0.05 over 200 episodes by default. */
  readonly epsilon: Schedule | number;
  /** What ε's schedule counts. Default `"episode"`. */
  readonly epsilonUnit: "episode" | "step";
  /** Initial Q-value. Default 0. */
  readonly init: number;
  /** Bootstrap from the next state at truncation (time not in the state). Default false. */
  readonly bootstrapOnTruncation: boolean;
}

/** Defaults of {@linkcode TabularQConfig}. */
export const TABULAR_Q_DEFAULTS: TabularQConfig = {
  seed: 0,
  name: "tabular-q",
  timeEdges: [0.25, 0.5, 0.75],
  inventoryEdges: [-0.5, -0.2, -0.05, 0.05, 0.2, 0.5],
  features: [],
  gamma: 0.99,
  alpha: 0.05,
  epsilon: { kind: "linear", start: 1, end: 0.05, duration: 200 },
  epsilonUnit: "episode",
  init: 0,
  bootstrapOnTruncation: false,
};

/** The tabular Q-learning agent. */
export interface TabularQAgent extends Agent {
  /** The resolved hyperparameters. */
  readonly config: Readonly<TabularQConfig>;
  /** The underlying learner (its `table` is the Q-table). */
  readonly learner: QLearner;
  /** Radices of the state digits: time bins, inventory bins, then the extra features'. */
  readonly radices: Int32Array;
  /** The state of an observation. */
  stateOf(obs: Float64Array): number;
}

/**
 * A tabular Q-learning agent for any environment with a box observation and discrete actions
 * (binned features must exist in the observation). `observe` returns `|ΔQ|`, the size of the
 * update it made (the TD error times the learning rate), as its "loss".
 *
 * @example
 * ```ts
 * import { tabularQAgent } from "./tabular_q.ts";
 * import { createAsEnv } from "../env/as_env.ts";
 * import { train } from "./train.ts";
 * const env = createAsEnv();
 * const agent = tabularQAgent(env, { seed: 1 });
 * if (agent.learner.nStates !== 4 * 7) throw new Error("time × inventory bins");
 * const r = train(env, agent, { episodes: 3, seed: 1 });
 * if (r.steps !== 600 || agent.learner.episodes !== 3) throw new Error();
 * ```
 */
export function tabularQAgent(
  env: SpacesLike,
  config: Partial<TabularQConfig> = {},
): TabularQAgent {
  const c = resolveConfig(TABULAR_Q_DEFAULTS, config, {
    schema: TABULAR_Q_SCHEMA,
    owner: "tabularQAgent",
  });
  const dim = env.observationSpace.low.length;
  if (dim <= Math.max(OBS_TIME, OBS_INVENTORY)) {
    throw new ConfigError("observationSpace", `at least ${OBS_TIME + 1} dimensions`, dim);
  }
  const feats: BinnedFeature[] = [
    { index: OBS_TIME, edges: c.timeEdges },
    { index: OBS_INVENTORY, edges: c.inventoryEdges },
  ];
  c.features.forEach((f, i) => {
    checkInt(`features[${i}].index`, f.index, 0, dim - 1);
    feats.push(f);
  });
  const radices = Int32Array.from(feats, (f) => f.edges.length + 1);
  const index = Int32Array.from(feats, (f) => f.index);
  const edges = feats.map((f) => Float64Array.from(f.edges));
  let nStates = 1;
  for (const r of radices) nStates *= r;
  const learner = createQLearner({
    nStates,
    nActions: env.actionSpace.n,
    gamma: c.gamma,
    rng: stream(c.seed, `${c.name}/learner`),
    epsilon: c.epsilon,
    epsilonUnit: c.epsilonUnit,
    alpha: c.alpha,
    init: c.init,
  });
  const digits = new Int32Array(feats.length);
  const stats = { epsilon: learner.epsilon, episodes: 0 };
  const stateOf = (obs: Float64Array): number => {
    for (let i = 0; i < digits.length; i++) digits[i] = binIndex(edges[i], obs[index[i]]);
    return encodeState(radices, digits);
  };
  const nA = env.actionSpace.n;
  return {
    name: c.name,
    config: Object.freeze(c),
    learner,
    radices,
    stats,
    stateOf,
    act(obs: Float64Array, options?: ActOptions): number {
      const s = stateOf(obs);
      return options?.explore ? learner.act(s) : learner.greedy(s);
    },
    observe(t: Transition): number {
      const s = stateOf(t.obs);
      const end = t.terminated || t.truncated;
      const terminal = t.terminated || (t.truncated && !c.bootstrapOnTruncation);
      const s2 = terminal ? 0 : stateOf(t.nextObs);
      const k = s * nA + t.action;
      const before = learner.table[k];
      learner.update(s, t.action, t.reward, s2, terminal);
      const d = learner.table[k] - before;
      if (end) {
        learner.endEpisode();
        stats.epsilon = learner.epsilon;
        stats.episodes = learner.episodes;
      }
      return d < 0 ? -d : d;
    },
    dispose() {},
  };
}

const EDGES = numbers({ increasing: true, maxLength: 1_000 }) as Field<readonly number[]>;

/** The schema of {@linkcode TabularQConfig}. */
const TABULAR_Q_SCHEMA: ConfigSchema<TabularQConfig> = {
  seed: FIELDS.seed,
  name: FIELDS.name,
  timeEdges: EDGES,
  inventoryEdges: EDGES,
  features: arrayOf(object({ index: int(0, 2 ** 20), edges: EDGES })),
  gamma: num(0, 1),
  alpha: LEARNING_RATE,
  epsilon: scheduleField({ lo: 0, hi: 1 }),
  epsilonUnit: oneOf(["episode", "step"] as const),
  init: num(),
  bootstrapOnTruncation: bool(),
};
