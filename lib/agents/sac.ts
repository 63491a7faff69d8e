/**
 * Soft Actor-Critic for discrete actions (Christodoulou 2019, "Soft Actor-Critic for Discrete
 * Action Settings", arXiv:1910.07207).
 *
 * With a categorical policy π(·|s) the soft value is an exact sum over actions, so no
 * reparameterisation is needed:
 * - twin critics `Q_1, Q_2: s ↦ R^n` regress on
 *   `y = r + γ (1 − done) Σ_a π(a|s') [min_i Q̄_i(s', a) − α log π(a|s')]` (target critics Q̄);
 * - the actor minimises `E_s Σ_a π(a|s) [α log π(a|s) − min_i Q_i(s, a)]`;
 * - the temperature α is tuned automatically towards a target entropy
 *   `H̄ = targetEntropyScale · log n` by minimising `α (H(π(·|s)) − H̄)` over `log α`.
 *
 * Structure and defaults follow CleanRL's `sac_atari.py`, with MLPs instead of convolutions and
 * Polyak-averaged targets after every update (the usual choice for small networks). The actor and
 * temperature losses take the expectation over actions as a sum (Christodoulou's equations), where
 * CleanRL averages over actions; this only rescales their gradients by `n`.
 *
 * @module
 */
import { tf } from "./_tf.ts";
import { randInt, stream } from "../rng.ts";
import { checkInt, checkNum, checkOneOf } from "../errors.ts";
import type { ActOptions, Agent, SpacesLike, Transition } from "./types.ts";
import {
  type Activation,
  argmax,
  createAdam,
  createMlp,
  logProb,
  oneHotInto,
  polyakUpdate,
  sampleLogits,
} from "./nn.ts";
import { createBatch, createReplayBuffer } from "./replay.ts";
import { checkHidden, checkPositiveOrInfinity, obsDimOf } from "./_common.ts";

/** Discrete SAC hyperparameters. */
export interface SacConfig {
  /** Root seed of the agent's streams `<name>/init`, `<name>/explore`, `<name>/replay`. */
  readonly seed: number;
  /** Agent name, also the prefix of its random streams. */
  readonly name: string;
  /** Hidden layer widths of the actor and of each critic. */
  readonly hidden: readonly number[];
  /** Hidden non-linearity. */
  readonly activation: Activation;
  /** Replay capacity in transitions. */
  readonly bufferSize: number;
  /** Discount factor. */
  readonly gamma: number;
  /** Polyak rate of the target critics, applied after every update (1: hard copy). */
  readonly tau: number;
  /** Transitions per gradient step. */
  readonly batchSize: number;
  /** Environment steps of uniformly random exploration before learning starts. */
  readonly learningStarts: number;
  /** Actor Adam step size. */
  readonly policyLr: number;
  /** Critic (and temperature) Adam step size. */
  readonly qLr: number;
  /** Adam ε (CleanRL's `sac_atari.py` uses 1e-4). */
  readonly adamEpsilon: number;
  /** Environment steps between updates. */
  readonly updateFrequency: number;
  /** Tune the temperature α automatically. */
  readonly autotune: boolean;
  /** Initial temperature α (fixed if `autotune` is false). */
  readonly alpha: number;
  /**
   * Target entropy as a fraction of its maximum `log n`. CleanRL's 0.89 suits many actions; with
   * two or three actions and episodes that end on success, lower it (the tests use 0.3 on a
   * chain), or the entropy bonus can outweigh the step costs and the policy dawdles.
   */
  readonly targetEntropyScale: number;
  /** Clip the global gradient norm of each network to this (∞: no clipping). */
  readonly maxGradNorm: number;
}

/** Defaults of {@linkcode SacConfig} (CleanRL `sac_atari.py`, scaled to small problems). */
export const SAC_DEFAULTS: SacConfig = {
  seed: 0,
  name: "sac",
  hidden: [64, 64],
  activation: "relu",
  bufferSize: 100_000,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 64,
  learningStarts: 1_000,
  policyLr: 3e-4,
  qLr: 3e-4,
  adamEpsilon: 1e-4,
  updateFrequency: 4,
  autotune: true,
  alpha: 0.2,
  targetEntropyScale: 0.89,
  maxGradNorm: Infinity,
};

/** A discrete SAC agent. */
export interface SacAgent extends Agent {
  /** The resolved hyperparameters. */
  readonly config: SacConfig;
  /** Current temperature α. */
  readonly alpha: number;
  /** A copy of the policy's action probabilities at `obs`. */
  probabilities(obs: Float64Array): Float64Array;
  observe(t: Transition): number;
}

/**
 * A discrete-action SAC agent for `env`'s spaces; unspecified hyperparameters take
 * {@linkcode SAC_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { sac } from "./sac.ts";
 * const spaces = {
 *   observationSpace: { kind: "box", shape: [2], low: new Float64Array(2).fill(-1),
 *     high: new Float64Array(2).fill(1) },
 *   actionSpace: { kind: "discrete", n: 3 },
 * } as const;
 * const agent = sac(spaces, { seed: 1 });
 * if (Math.abs(agent.alpha - 0.2) > 1e-6) throw new Error("initial temperature");
 * agent.dispose();
 * ```
 */
export function sac(env: SpacesLike, config: Partial<SacConfig> = {}): SacAgent {
  const c = validate({ ...SAC_DEFAULTS, ...config });
  const d = obsDimOf(env.observationSpace);
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);
  const B = c.batchSize;

  // Actor, twin critics and their targets, temperature.
  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, rng: initRng } as const;
  const actor = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q1 = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q2 = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q1Target = createMlp({ ...net, sizes: [d, ...c.hidden, n], trainable: false });
  const q2Target = createMlp({ ...net, sizes: [d, ...c.hidden, n], trainable: false });
  polyakUpdate({ target: q1Target.vars, source: q1.vars, tau: 1 });
  polyakUpdate({ target: q2Target.vars, source: q2.vars, tau: 1 });
  const logAlpha = tf.tidy(() => tf.variable(tf.scalar(Math.log(c.alpha)), true));
  const targetEntropy = c.targetEntropyScale * Math.log(n);
  const adam = { epsilon: c.adamEpsilon, maxGradNorm: c.maxGradNorm };
  const actorOpt = createAdam(actor.vars, { ...adam, learningRate: c.policyLr });
  const qOpt = createAdam([...q1.vars, ...q2.vars], { ...adam, learningRate: c.qLr });
  const alphaOpt = createAdam([logAlpha], { ...adam, learningRate: c.qLr });
  const explore = stream(c.seed, `${c.name}/explore`);
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    rng: stream(c.seed, `${c.name}/replay`),
  });
  const batch = createBatch(B, d);
  const mask = new Float32Array(B * n);
  const y = new Float32Array(B);
  const minQ = new Float32Array(B * n);
  const stats = {
    alpha: c.alpha,
    entropy: NaN,
    qLoss: NaN,
    policyLoss: NaN,
    alphaLoss: NaN,
    updates: 0,
  };
  let step = 0;

  /** One update of critics, actor and temperature on a sampled batch; returns the critic loss. */
  function update(): number {
    replay.sample(batch, 1);
    const alpha = stats.alpha;
    // Soft target y = r + γ (1 − done) Σ_a π(a|s') [min Q̄(s', a) − α log π(a|s')], in JS.
    const nextLogits = actor.predict(batch.nextObs, B);
    const q1Next = q1Target.predict(batch.nextObs, B);
    const q2Next = q2Target.predict(batch.nextObs, B);
    for (let b = 0; b < B; b++) {
      const o = b * n;
      const logZ = logSumExp(nextLogits.subarray(o, o + n));
      let v = 0;
      for (let a = o; a < o + n; a++) {
        const logp = nextLogits[a] - logZ;
        v += Math.exp(logp) * (Math.min(q1Next[a], q2Next[a]) - alpha * logp);
      }
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * v;
    }
    const out: { entropy: tf.Tensor | null } = { entropy: null };
    tf.tidy(() => {
      const obs = tf.tensor2d(batch.obs, [B, d]);
      const actionMask = tf.tensor2d(oneHotInto(batch.actions, mask), [B, n]);
      const yT = tf.tensor1d(y);
      stats.qLoss = qOpt.minimize(() => {
        const q1a = tf.sum(tf.mul(q1.apply(obs), actionMask), 1);
        const q2a = tf.sum(tf.mul(q2.apply(obs), actionMask), 1);
        return tf.add(tf.mean(tf.square(tf.sub(q1a, yT))), tf.mean(tf.square(tf.sub(q2a, yT))));
      });
      // Actor: minimise Σ_a π(a|s) [α log π(a|s) − min Q(s, a)], with the updated critics fixed.
      const q1Now = q1.predict(batch.obs, B), q2Now = q2.predict(batch.obs, B);
      for (let k = 0; k < B * n; k++) minQ[k] = Math.min(q1Now[k], q2Now[k]);
      const minQT = tf.tensor2d(minQ, [B, n]);
      stats.policyLoss = actorOpt.minimize(() => {
        const logp = tf.logSoftmax(actor.apply(obs));
        const p = tf.exp(logp);
        out.entropy = tf.keep(tf.mean(tf.neg(tf.sum(tf.mul(p, logp), 1))));
        return tf.mean(tf.sum(tf.mul(p, tf.sub(tf.mul(alpha, logp), minQT)), 1));
      });
    });
    stats.entropy = out.entropy!.dataSync()[0];
    out.entropy!.dispose();
    if (c.autotune) {
      // d/d(log α) of α (H − H̄) is α (H − H̄): α shrinks while the policy is more random than H̄.
      const gap = stats.entropy - targetEntropy;
      stats.alphaLoss = alphaOpt.minimize(() => tf.mul(tf.exp(logAlpha), gap));
      stats.alpha = Math.exp(logAlpha.dataSync()[0]);
    }
    polyakUpdate({ target: q1Target.vars, source: q1.vars, tau: c.tau });
    polyakUpdate({ target: q2Target.vars, source: q2.vars, tau: c.tau });
    stats.updates++;
    return stats.qLoss;
  }

  return {
    name: c.name,
    config: c,
    stats,
    get alpha() {
      return stats.alpha;
    },
    act(obs: Float64Array, options?: ActOptions): number {
      // Exploring before learning starts: uniform actions, as CleanRL does.
      if (options?.explore && step < c.learningStarts) return randInt(explore, 0, n - 1);
      const logits = actor.forward(obs);
      return options?.explore ? sampleLogits(logits, explore) : argmax(logits, n);
    },
    observe(t: Transition): number {
      replay.add(t);
      step++;
      if (step <= c.learningStarts || step % c.updateFrequency !== 0) return NaN;
      return update();
    },
    probabilities(obs) {
      const logits = actor.forward(obs);
      const p = new Float64Array(n);
      for (let a = 0; a < n; a++) p[a] = Math.exp(logProb(logits, a));
      return p;
    },
    dispose() {
      for (const m of [actor, q1, q2, q1Target, q2Target]) m.dispose();
      logAlpha.dispose();
    },
  };
}

/** `log Σ_k exp(v[k])`, computed stably. */
function logSumExp(v: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < v.length; k++) if (v[k] > max) max = v[k];
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += Math.exp(v[k] - max);
  return max + Math.log(sum);
}

function validate(c: SacConfig): SacConfig {
  checkHidden(c.hidden, 0);
  checkOneOf("activation", c.activation, ["relu", "tanh"]);
  checkInt("bufferSize", c.bufferSize, 1, 2 ** 26);
  checkNum("gamma", c.gamma, 0, 1);
  checkNum("tau", c.tau, 0, 1);
  checkInt("batchSize", c.batchSize, 1, 2 ** 16);
  checkInt("learningStarts", c.learningStarts, 0, 2 ** 40);
  checkNum("policyLr", c.policyLr, 0, 1);
  checkNum("qLr", c.qLr, 0, 1);
  checkNum("adamEpsilon", c.adamEpsilon, 0, 1);
  checkInt("updateFrequency", c.updateFrequency, 1, 2 ** 31);
  checkNum("alpha", c.alpha, 1e-12, 1e6);
  checkNum("targetEntropyScale", c.targetEntropyScale, 0, 1);
  checkPositiveOrInfinity("maxGradNorm", c.maxGradNorm);
  return c;
}
