/**
 * Deep Q-learning (Mnih et al. 2015) with four switchable improvements:
 * - double Q-learning (van Hasselt et al. 2016): the online network picks the next action, the
 *   target network values it;
 * - a dueling head (Wang et al. 2016): `Q(s,a) = V(s) + A(s,a) − mean_a' A(s,a')`;
 * - proportional prioritised replay (Schaul et al. 2016) with importance-sampling weights whose
 *   exponent β anneals linearly to 1 (see `replay.ts`);
 * - noisy networks (Fortunato et al. 2018, `noisy: true`): every layer of the online and target
 *   networks is a noisy linear layer with factorised Gaussian noise, redrawn before every training
 *   round (CleanRL's `rainbow_atari.py`); the agent explores through the noise instead of ε-greedy
 *   (ε is 0), and acts on the mean weights when greedy.
 *
 * Structure and defaults follow CleanRL's `dqn.py`; where a default differs it says why. With `N`
 * environment copies (`actBatch`/`observeBatch`) every schedule counts transitions, so training
 * rounds, target updates, ε and β fall due at the same transition counts as with one copy; the
 * rounds a batch brings due run after its `N` transitions are stored.
 *
 * @module
 */
import { randInt, type Rng, stream } from "../rng.ts";
import { bool, checkInt, int, num, oneOf } from "../errors.ts";
import type { ActOptions, Learner, SpacesLike, Transition, TransitionBatch } from "./types.ts";
import {
  checkHidden,
  type ConfigSchema,
  FIELDS,
  forEachDue,
  type NormalizeFields,
  obsDimOf,
  ObsPrep,
  resolveConfig,
} from "./_common.ts";
import { assembleLearner, learnFromReplay, type StepCounter } from "./_learner.ts";
import { type Activation, argmax, createAdam, createMlp, type Mlp, polyakUpdate } from "./nn.ts";
import { createBatch, createReplayBuffer, type ReplayBuffer } from "./replay.ts";
import { duelingGrad, duelingQ, tdLoss } from "./losses.ts";
import { linearSchedule } from "./schedule.ts";

/** DQN hyperparameters. */
export interface DqnConfig extends NormalizeFields {
  /** Root seed of the agent's streams `<name>/init`, `<name>/explore`, `<name>/replay`. */
  readonly seed: number;
  /** Agent name, also the prefix of its random streams. */
  readonly name: string;
  /** Hidden layer widths of the Q-network (the trunk, with a dueling head). */
  readonly hidden: readonly number[];
  /** Hidden non-linearity. */
  readonly activation: Activation;
  /** Adam step size. */
  readonly learningRate: number;
  /** Adam ε. */
  readonly adamEpsilon: number;
  /** Replay capacity in transitions. */
  readonly bufferSize: number;
  /** Discount factor. */
  readonly gamma: number;
  /** Target-network update rate: 1 copies the online network (hard update). */
  readonly tau: number;
  /** Environment steps between target-network updates. */
  readonly targetNetworkFrequency: number;
  /** Transitions per gradient step (CleanRL: 128; 64 halves the cost of an update on the CPU). */
  readonly batchSize: number;
  /** Exploration rate ε at step 0. */
  readonly startE: number;
  /** Exploration rate ε after `explorationSteps`. */
  readonly endE: number;
  /** Steps over which ε decays linearly (CleanRL gives a fraction of a known total instead). */
  readonly explorationSteps: number;
  /** Environment steps before learning starts, filling the buffer (CleanRL: 10,000). */
  readonly learningStarts: number;
  /** Environment steps between training rounds (CleanRL: 10; Stable-Baselines3: 4). */
  readonly trainFrequency: number;
  /** Gradient steps per training round. */
  readonly gradientSteps: number;
  /** Clip the global gradient norm to this (∞: no clipping). */
  readonly maxGradNorm: number;
  /** TD loss on the error e: Huber (smooth L1, δ = 1) or `e²/2`; weighted by IS weights. */
  readonly loss: "huber" | "mse";
  /** Double Q-learning targets. */
  readonly double: boolean;
  /** Dueling value/advantage head. */
  readonly dueling: boolean;
  /** Proportional prioritised replay; uniform replay if false. */
  readonly prioritized: boolean;
  /** Priority exponent α (0: uniform). */
  readonly alpha: number;
  /** Importance-sampling exponent β at the first update; it grows linearly to 1. */
  readonly betaStart: number;
  /** Environment steps over which β reaches 1. */
  readonly betaSteps: number;
  /** Added to |TD error| to form a priority. */
  readonly priorityEpsilon: number;
  /** Noisy networks for exploration instead of ε-greedy (see the module doc). */
  readonly noisy: boolean;
  /** Initial noise scale `σ_0` of the noisy layers (`σ = σ_0/√fan_in`). */
  readonly sigma0: number;
}

/** Defaults of {@linkcode DqnConfig}. */
export const DQN_DEFAULTS: DqnConfig = {
  seed: 0,
  name: "dqn",
  hidden: [64, 64],
  activation: "relu",
  learningRate: 2.5e-4,
  adamEpsilon: 1e-8,
  bufferSize: 10_000,
  gamma: 0.99,
  tau: 1,
  targetNetworkFrequency: 500,
  batchSize: 64,
  startE: 1,
  endE: 0.05,
  explorationSteps: 10_000,
  learningStarts: 1_000,
  trainFrequency: 4,
  gradientSteps: 1,
  maxGradNorm: 10,
  loss: "huber",
  double: true,
  dueling: true,
  prioritized: true,
  alpha: 0.6,
  betaStart: 0.4,
  betaSteps: 100_000,
  priorityEpsilon: 1e-6,
  noisy: false,
  sigma0: 0.5,
  normalizeObs: false,
  obsClip: 10,
};

/** A DQN agent. */
export interface DqnAgent extends Learner<number> {
  /** The resolved hyperparameters. */
  readonly config: DqnConfig;
  /** A copy of the online network's Q-values at `obs` (mean weights if noisy). */
  qValues(obs: Float64Array): Float64Array;
  observe(t: Transition): number;
}

/** A Q-network: plain MLP or dueling head on an MLP trunk, as plain functions of its output. */
interface QNet {
  readonly net: Mlp;
  /** Q-values of one observation (internal buffer). */
  forward1(x: ArrayLike<number>, mean: boolean): Float64Array;
  /** Q-values of `rows` observations (internal buffer), no gradient. */
  predict(x: Float64Array, rows: number, mean?: boolean): Float64Array;
  /** Q-values of `rows` observations, kept for `backward`. */
  forward(x: Float64Array, rows: number): Float64Array;
  /** Backward pass given `∂loss/∂Q` (`rows × n`). */
  backward(dq: Float64Array, rows: number): void;
}

/**
 * A DQN agent for `env`'s spaces; unspecified hyperparameters take {@linkcode DQN_DEFAULTS}.
 * Throws `ConfigError` naming a bad or unknown field.
 *
 * @example
 * ```ts
 * import { dqn } from "./dqn.ts";
 * const spaces = {
 *   observationSpace: { kind: "box", shape: [2], low: new Float64Array(2).fill(-1),
 *     high: new Float64Array(2).fill(1) },
 *   actionSpace: { kind: "discrete", n: 3 },
 * } as const;
 * const agent = dqn(spaces, { seed: 1 });
 * const a = agent.act(new Float64Array([0.1, -0.2]));
 * if (a < 0 || a > 2) throw new Error("action in range");
 * agent.dispose();
 * ```
 */
export function dqn(env: SpacesLike, config: Partial<DqnConfig> = {}): DqnAgent {
  const c = validate(resolveConfig(DQN_DEFAULTS, config, { schema: DQN_SCHEMA, owner: "dqn" }));
  const d = obsDimOf(env.observationSpace);
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);

  // Networks, replay, and one random stream per role.
  const online = qNetwork({ c, d, n, rng: stream(c.seed, `${c.name}/init`) });
  const target = qNetwork({ c, d, n, rng: stream(c.seed, `${c.name}/target`) });
  polyakUpdate({ target: target.net, source: online.net, tau: 1 });
  const noise = stream(c.seed, `${c.name}/noise`);
  const resampleNoise = () => {
    online.net.resampleNoise(noise);
    target.net.resampleNoise(noise);
  };
  if (c.noisy) resampleNoise();
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    rng: stream(c.seed, `${c.name}/replay`),
    prioritized: c.prioritized,
    alpha: c.alpha,
    epsilon: c.priorityEpsilon,
  });
  const prep = new ObsPrep(c, d);
  const epsilon = c.noisy
    ? () => 0
    : linearSchedule({ start: c.startE, end: c.endE, duration: c.explorationSteps });
  const stats = {
    epsilon: epsilon(0),
    beta: c.betaStart,
    qMean: NaN,
    gradNorm: NaN,
    updates: 0,
  };
  const counter: StepCounter = { steps: 0 };
  const update = tdUpdate({ c, n, online, target, replay, prep, stats });
  const { act, actBatch } = epsilonGreedy({ c, n, online, prep, epsilon, counter });

  const observeBatch = (b: TransitionBatch): number => {
    const from = counter.steps;
    const loss = learnFromReplay({
      batch: b,
      prep,
      replay,
      counter,
      every: c.trainFrequency,
      learningStarts: c.learningStarts,
      updatesPerRound: c.gradientSteps,
      beforeRound: c.noisy ? resampleNoise : undefined,
      update,
    });
    stats.epsilon = epsilon(counter.steps);
    forEachDue({ from, to: counter.steps, every: c.targetNetworkFrequency }, (k) => {
      if (k > c.learningStarts) {
        polyakUpdate({ target: target.net, source: online.net, tau: c.tau });
      }
    });
    return loss;
  };
  return assembleLearner({
    kind: "dqn",
    config: c,
    stats,
    prep,
    nets: { online: online.net },
    extra: {},
    counter,
    d,
    k: 0,
    act,
    actBatch,
    observeBatch,
    afterLoad: () => polyakUpdate({ target: target.net, source: online.net, tau: 1 }),
  }, {
    qValues(obs: Float64Array): Float64Array {
      return online.forward1(prep.prepare(obs, 1), true).slice();
    },
  });
}

/** What {@linkcode tdUpdate} and {@linkcode epsilonGreedy} work on. */
interface DqnParts {
  readonly c: DqnConfig;
  /** Number of actions. */
  readonly n: number;
  readonly online: QNet;
  readonly prep: ObsPrep;
}

/**
 * One gradient step on a sampled batch at transition count `k`, returning the loss: the TD target
 * with the target network (double or not), the loss of `losses.ts`, Adam, new priorities.
 */
function tdUpdate(
  o: DqnParts & {
    readonly target: QNet;
    readonly replay: ReplayBuffer;
    readonly stats: { beta: number; qMean: number; gradNorm: number; updates: number };
  },
): (k: number) => number {
  const { c, n, online, target, replay, prep, stats } = o;
  const B = c.batchSize;
  const opt = createAdam([online.net], {
    learningRate: c.learningRate,
    epsilon: c.adamEpsilon,
    maxGradNorm: c.maxGradNorm,
  });
  const batch = createBatch(B, prep.dim);
  const y = new Float64Array(B);
  const td = new Float64Array(B);
  const dq = new Float64Array(B * n);
  const beta = linearSchedule({ start: c.betaStart, end: 1, duration: c.betaSteps });
  return (k: number): number => {
    stats.beta = beta(k);
    replay.sample(batch, stats.beta);
    // TD target y = r + γ (1 − done) Q_target(s', a*), with a* from the online network (double)
    // or the target network.
    const next = prep.prepare(batch.nextObs, B, 1);
    const qTarget = target.predict(next, B);
    const qPick = c.double ? online.predict(next, B) : qTarget;
    for (let b = 0; b < B; b++) {
      const best = b * n + argmax(qPick, n, b * n);
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * qTarget[best];
    }
    // Loss mean_b w_b·ℓ(y_b − Q(s_b, a_b)) (`losses.ts`).
    const q = online.forward(prep.prepare(batch.obs, B, 2), B);
    const loss = tdLoss({
      q,
      n,
      actions: batch.actions,
      targets: y,
      weights: batch.weights,
      kind: c.loss,
      dq,
      td,
    });
    let qSum = 0;
    for (let b = 0; b < B; b++) qSum += q[b * n + batch.actions[b]];
    online.backward(dq, B);
    opt.step();
    replay.updatePriorities(batch, td);
    stats.qMean = qSum / B;
    stats.gradNorm = opt.gradNorm;
    stats.updates++;
    return loss;
  };
}

/**
 * `act` and `actBatch`: ε-greedy on the online network when exploring (ε from `epsilon` at the
 * current step count; 0 with noisy networks, which explore through their noise), greedy on the
 * mean weights otherwise.
 */
function epsilonGreedy(
  o: DqnParts & {
    readonly epsilon: (step: number) => number;
    readonly counter: StepCounter;
  },
) {
  const { c, n, online, prep, epsilon, counter } = o;
  const explore = stream(c.seed, `${c.name}/explore`);
  let actions = new Int32Array(1);
  return {
    act(obs: Float64Array, options?: ActOptions): number {
      if (options?.explore && !c.noisy && explore() < epsilon(counter.steps)) {
        return randInt(explore, 0, n - 1);
      }
      const x = prep.prepare(obs, 1);
      return argmax(online.forward1(x, !(options?.explore ?? false)), n);
    },
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Int32Array {
      if (actions.length < rows) actions = new Int32Array(rows);
      const out = actions.length === rows ? actions : actions.subarray(0, rows);
      const exploring = options?.explore ?? false;
      const q = online.predict(prep.prepare(obs, rows), rows, !exploring);
      const eps = epsilon(counter.steps);
      for (let r = 0; r < rows; r++) {
        if (exploring && !c.noisy && explore() < eps) out[r] = randInt(explore, 0, n - 1);
        else out[r] = argmax(q, n, r * n);
      }
      return out;
    },
  };
}

/** Options of {@linkcode qNetwork}. */
interface QNetOptions {
  readonly c: DqnConfig;
  readonly d: number;
  readonly n: number;
  readonly rng: Rng;
}

function qNetwork({ c, d, n, rng }: QNetOptions): QNet {
  const common = { activation: c.activation, rng, noisy: c.noisy, sigma0: c.sigma0 } as const;
  if (!c.dueling) {
    const net = createMlp({ ...common, sizes: [d, ...c.hidden, n] });
    return {
      net,
      forward1: (x, mean) => net.forward1(x, mean),
      predict: (x, rows, mean) => net.predict(x, rows, mean),
      forward: (x, rows) => net.forward(x, rows),
      backward: (dq) => void net.backward(dq),
    };
  }
  // Dueling: one linear layer on the trunk gives [V, A_0..A_{n-1}]; Q = V + A − mean(A).
  const net = createMlp({ ...common, sizes: [d, ...c.hidden, n + 1] });
  const one = new Float64Array(n);
  let q = new Float64Array(0);
  let dva = new Float64Array(0);
  const combine = (va: Float64Array, rows: number): Float64Array => {
    if (q.length < rows * n) q = new Float64Array(rows * n);
    duelingQ(va, rows, n, q);
    return q.length === rows * n ? q : q.subarray(0, rows * n);
  };
  return {
    net,
    forward1(x, mean) {
      const va = net.forward1(x, mean);
      let m = 0;
      for (let i = 0; i < n; i++) m += va[1 + i];
      m /= n;
      for (let i = 0; i < n; i++) one[i] = va[0] + va[1 + i] - m;
      return one;
    },
    predict: (x, rows, mean) => combine(net.predict(x, rows, mean), rows),
    forward: (x, rows) => combine(net.forward(x, rows), rows),
    backward(dq, rows) {
      if (dva.length !== rows * (n + 1)) dva = new Float64Array(rows * (n + 1));
      duelingGrad(dq, rows, n, dva);
      net.backward(dva);
    },
  };
}

/** The schema of {@linkcode DqnConfig}. */
export const DQN_SCHEMA: ConfigSchema<DqnConfig> = {
  seed: FIELDS.seed,
  name: FIELDS.name,
  hidden: FIELDS.hidden,
  activation: FIELDS.activation,
  learningRate: num(0, 1),
  adamEpsilon: num(0, 1),
  bufferSize: int(1, 2 ** 26),
  gamma: num(0, 1),
  tau: num(0, 1),
  targetNetworkFrequency: int(1, 2 ** 31),
  batchSize: int(1, 2 ** 16),
  startE: num(0, 1),
  endE: num(0, 1),
  explorationSteps: int(0, 2 ** 40),
  learningStarts: int(0, 2 ** 40),
  trainFrequency: int(1, 2 ** 31),
  gradientSteps: int(1, 2 ** 16),
  maxGradNorm: FIELDS.positiveOrInfinity,
  loss: oneOf(["huber", "mse"] as const),
  double: bool(),
  dueling: bool(),
  prioritized: bool(),
  alpha: num(0, 1),
  betaStart: num(0, 1),
  betaSteps: int(0, 2 ** 40),
  priorityEpsilon: num(0, 1),
  noisy: bool(),
  sigma0: num(0, 1e3),
  normalizeObs: FIELDS.normalizeObs,
  obsClip: FIELDS.obsClip,
};

/** The rules between fields (each field was checked by the schema). */
function validate(c: DqnConfig): DqnConfig {
  checkHidden(c.hidden, c.dueling ? 1 : 0);
  return c;
}
