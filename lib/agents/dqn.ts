/**
 * Deep Q-learning (Mnih et al. 2015) with three switchable improvements:
 * - double Q-learning (van Hasselt et al. 2016): the online network picks the next action, the
 *   target network values it;
 * - a dueling head (Wang et al. 2016): `Q(s,a) = V(s) + A(s,a) − mean_a' A(s,a')`;
 * - proportional prioritised replay (Schaul et al. 2016) with importance-sampling weights whose
 *   exponent β anneals linearly to 1 (see `replay.ts`).
 *
 * Structure and defaults follow CleanRL's `dqn.py`; where a default differs it says why.
 *
 * @module
 */
import { tf } from "./_tf.ts";
import { randInt, type Rng, stream } from "../rng.ts";
import { checkInt, checkNum, checkOneOf } from "../errors.ts";
import type { ActOptions, Agent, SpacesLike, Transition } from "./types.ts";
import { checkHidden, checkPositiveOrInfinity, obsDimOf } from "./_common.ts";
import { type Activation, argmax, createAdam, createMlp, oneHotInto, polyakUpdate } from "./nn.ts";
import { createBatch, createReplayBuffer } from "./replay.ts";
import { linearSchedule } from "./schedule.ts";

/** DQN hyperparameters. */
export interface DqnConfig {
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
};

/** A DQN agent. */
export interface DqnAgent extends Agent {
  /** The resolved hyperparameters. */
  readonly config: DqnConfig;
  /** A copy of the online network's Q-values at `obs`. */
  qValues(obs: Float64Array): Float64Array;
  observe(t: Transition): number;
}

/** A Q-network: plain MLP or dueling head on an MLP trunk. */
interface QNet {
  readonly vars: readonly tf.Variable[];
  /** Q-values of a batch, differentiable. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Q-values of one observation (internal buffer). */
  forward(x: ArrayLike<number>): Float64Array;
  /** Q-values of `rows` observations, no gradient. */
  predict(x: ArrayLike<number>, rows: number): Float64Array;
  dispose(): void;
}

/**
 * A DQN agent for `env`'s spaces; unspecified hyperparameters take {@linkcode DQN_DEFAULTS}.
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
  const c = validate({ ...DQN_DEFAULTS, ...config });
  const d = obsDimOf(env.observationSpace);
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);
  const B = c.batchSize;

  // Networks, optimiser, replay, and one random stream per role.
  const online = qNetwork({ c, d, n, rng: stream(c.seed, `${c.name}/init`), trainable: true });
  const target = qNetwork({ c, d, n, rng: stream(c.seed, `${c.name}/target`), trainable: false });
  polyakUpdate({ target: target.vars, source: online.vars, tau: 1 });
  const opt = createAdam(online.vars, {
    learningRate: c.learningRate,
    epsilon: c.adamEpsilon,
    maxGradNorm: c.maxGradNorm,
  });
  const explore = stream(c.seed, `${c.name}/explore`);
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    rng: stream(c.seed, `${c.name}/replay`),
    prioritized: c.prioritized,
    alpha: c.alpha,
    epsilon: c.priorityEpsilon,
  });
  const batch = createBatch(B, d);
  const mask = new Float32Array(B * n);
  const y = new Float32Array(B);
  const epsilon = linearSchedule({ start: c.startE, end: c.endE, duration: c.explorationSteps });
  const beta = linearSchedule({ start: c.betaStart, end: 1, duration: c.betaSteps });
  const stats = { epsilon: c.startE, beta: c.betaStart, qMean: NaN, gradNorm: NaN, updates: 0 };
  let step = 0;

  /** One gradient step on a sampled batch; returns the loss. */
  function update(): number {
    stats.beta = beta(step);
    replay.sample(batch, stats.beta);
    // TD target y = r + γ (1 − done) Q_target(s', a*), with a* from the online network (double)
    // or the target network; no gradient, so computed in JavaScript.
    const qTarget = target.predict(batch.nextObs, B);
    const qPick = c.double ? online.predict(batch.nextObs, B) : qTarget;
    for (let b = 0; b < B; b++) {
      let best = b * n;
      for (let a = b * n + 1; a < (b + 1) * n; a++) if (qPick[a] > qPick[best]) best = a;
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * qTarget[best];
    }
    const out: { td: tf.Tensor | null; qMean: tf.Tensor | null } = { td: null, qMean: null };
    const loss = tf.tidy(() => {
      const obs = tf.tensor2d(batch.obs, [B, d]);
      const actionMask = tf.tensor2d(oneHotInto(batch.actions, mask), [B, n]);
      const weights = tf.tensor1d(batch.weights);
      const yT = tf.tensor1d(y);
      return opt.minimize(() => {
        const qa = tf.sum(tf.mul(online.apply(obs), actionMask), 1);
        const err = tf.sub(yT, qa);
        out.td = tf.keep(err);
        out.qMean = tf.keep(tf.mean(qa));
        const perSample = c.loss === "huber" ? huber(err) : tf.mul(0.5, tf.square(err));
        return tf.mean(tf.mul(weights, perSample));
      });
    });
    replay.updatePriorities(batch, out.td!.dataSync());
    stats.qMean = out.qMean!.dataSync()[0];
    stats.gradNorm = opt.gradNorm;
    stats.updates++;
    out.td!.dispose();
    out.qMean!.dispose();
    return loss;
  }

  return {
    name: c.name,
    config: c,
    stats,
    act(obs: Float64Array, options?: ActOptions): number {
      if (options?.explore && explore() < epsilon(step)) return randInt(explore, 0, n - 1);
      return argmax(online.forward(obs), n);
    },
    observe(t: Transition): number {
      replay.add(t);
      step++;
      stats.epsilon = epsilon(step);
      if (step <= c.learningStarts) return NaN;
      let loss = NaN;
      if (step % c.trainFrequency === 0) {
        loss = 0;
        for (let g = 0; g < c.gradientSteps; g++) loss += update();
        loss /= c.gradientSteps;
      }
      if (step % c.targetNetworkFrequency === 0) {
        polyakUpdate({ target: target.vars, source: online.vars, tau: c.tau });
      }
      return loss;
    },
    qValues(obs) {
      return online.forward(obs).slice();
    },
    dispose() {
      online.dispose();
      target.dispose();
    },
  };
}

/** Huber loss with δ = 1: `0.5 min(|e|,1)² + (|e| − min(|e|,1))`. */
function huber(err: tf.Tensor): tf.Tensor {
  const abs = tf.abs(err);
  const quad = tf.minimum(abs, 1);
  return tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(abs, quad));
}

/** Options of {@linkcode qNetwork}. */
interface QNetOptions {
  readonly c: DqnConfig;
  readonly d: number;
  readonly n: number;
  readonly rng: Rng;
  readonly trainable: boolean;
}

function qNetwork({ c, d, n, rng, trainable }: QNetOptions): QNet {
  const common = { activation: c.activation, rng, trainable } as const;
  if (!c.dueling) return createMlp({ ...common, sizes: [d, ...c.hidden, n] });
  // Dueling: one linear layer on the trunk gives [V, A_0..A_{n-1}]; Q = V + A − mean(A) is the
  // fixed linear map `combine` ((n+1) × n): row 0 all ones, rows 1..n the centring matrix.
  const net = createMlp({ ...common, sizes: [d, ...c.hidden, n + 1] });
  const combineRows = new Float32Array((n + 1) * n);
  for (let j = 0; j < n; j++) {
    combineRows[j] = 1;
    for (let i = 0; i < n; i++) combineRows[(1 + i) * n + j] = (i === j ? 1 : 0) - 1 / n;
  }
  const combine = tf.tensor2d(combineRows, [n + 1, n]);
  const out = new Float64Array(n);
  /** `q = V + A − mean(A)` from one row `va = [V, A_0..A_{n-1}]`. */
  const dueling = (va: Float64Array, q: Float64Array) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += va[1 + i];
    mean /= n;
    for (let i = 0; i < n; i++) q[i] = va[0] + va[1 + i] - mean;
  };
  return {
    vars: net.vars,
    apply: (x) => tf.matMul(net.apply(x), combine),
    forward(x) {
      dueling(net.forward(x), out);
      return out;
    },
    predict(x, rows) {
      const va = net.predict(x, rows);
      const q = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        dueling(va.subarray(r * (n + 1), (r + 1) * (n + 1)), q.subarray(r * n, (r + 1) * n));
      }
      return q;
    },
    dispose() {
      net.dispose();
      combine.dispose();
    },
  };
}

function validate(c: DqnConfig): DqnConfig {
  checkHidden(c.hidden, c.dueling ? 1 : 0);
  checkOneOf("activation", c.activation, ["relu", "tanh"]);
  checkOneOf("loss", c.loss, ["huber", "mse"]);
  checkNum("learningRate", c.learningRate, 0, 1);
  checkNum("adamEpsilon", c.adamEpsilon, 0, 1);
  checkInt("bufferSize", c.bufferSize, 1, 2 ** 26);
  checkNum("gamma", c.gamma, 0, 1);
  checkNum("tau", c.tau, 0, 1);
  checkInt("targetNetworkFrequency", c.targetNetworkFrequency, 1, 2 ** 31);
  checkInt("batchSize", c.batchSize, 1, 2 ** 16);
  checkNum("startE", c.startE, 0, 1);
  checkNum("endE", c.endE, 0, 1);
  checkInt("explorationSteps", c.explorationSteps, 0, 2 ** 40);
  checkInt("learningStarts", c.learningStarts, 0, 2 ** 40);
  checkInt("trainFrequency", c.trainFrequency, 1, 2 ** 31);
  checkInt("gradientSteps", c.gradientSteps, 1, 2 ** 16);
  checkPositiveOrInfinity("maxGradNorm", c.maxGradNorm);
  checkNum("alpha", c.alpha, 0, 1);
  checkNum("betaStart", c.betaStart, 0, 1);
  checkInt("betaSteps", c.betaSteps, 0, 2 ** 40);
  checkNum("priorityEpsilon", c.priorityEpsilon, 0, 1);
  return c;
}
