/**
 * Proximal Policy Optimisation (Schulman et al. 2017) for discrete actions: the clipped surrogate
 * objective, generalised advantage estimation (Schulman et al. 2016), a clipped value loss, an
 * entropy bonus, and several epochs of shuffled minibatches per rollout.
 *
 * Structure and defaults follow CleanRL's `ppo.py` (one environment): separate actor and critic
 * MLPs with tanh and orthogonal initialisation, one Adam over both. One difference: when an
 * episode is truncated (not terminated), the critic's value of the final observation is added to
 * the last reward, as Stable-Baselines3 does, so time limits are not mistaken for terminal states.
 *
 * @module
 */
import { tf } from "./_tf.ts";
import { type Rng, stream } from "../rng.ts";
import { checkInt, checkNum, checkOneOf, ConfigError } from "../errors.ts";
import type { ActOptions, Agent, SpacesLike, Transition } from "./types.ts";
import {
  type Activation,
  argmax,
  createAdam,
  createMlp,
  logProb,
  oneHotInto,
  sampleLogits,
} from "./nn.ts";
import { checkHidden, checkPositiveOrInfinity, obsDimOf } from "./_common.ts";

/** PPO hyperparameters. */
export interface PpoConfig {
  /** Root seed of the agent's streams `<name>/init`, `<name>/explore`, `<name>/minibatch`. */
  readonly seed: number;
  /** Agent name, also the prefix of its random streams. */
  readonly name: string;
  /** Hidden layer widths of the actor and of the critic. */
  readonly hidden: readonly number[];
  /** Hidden non-linearity. */
  readonly activation: Activation;
  /** Adam step size. */
  readonly learningRate: number;
  /** If > 0, the step size decays linearly to 0 over this many environment steps (CleanRL `anneal_lr`). */
  readonly annealSteps: number;
  /** Adam ε. */
  readonly adamEpsilon: number;
  /** Environment steps per rollout (CleanRL `num_steps` with one environment). */
  readonly numSteps: number;
  /** Discount factor. */
  readonly gamma: number;
  /** GAE λ. */
  readonly gaeLambda: number;
  /** Minibatches per epoch; must divide `numSteps`. */
  readonly numMinibatches: number;
  /** Passes over each rollout. */
  readonly updateEpochs: number;
  /** Normalise advantages within each minibatch. */
  readonly normAdv: boolean;
  /** Surrogate clipping coefficient ε. */
  readonly clipCoef: number;
  /** Clip the value loss around the rollout's value estimates. */
  readonly clipVloss: boolean;
  /** Entropy bonus coefficient. */
  readonly entCoef: number;
  /** Value loss coefficient. */
  readonly vfCoef: number;
  /** Clip the global gradient norm to this (∞: no clipping). */
  readonly maxGradNorm: number;
  /** Stop a rollout's epochs once an epoch's mean approximate KL exceeds this (∞: never). */
  readonly targetKl: number;
}

/** Defaults of {@linkcode PpoConfig} (CleanRL `ppo.py`). */
export const PPO_DEFAULTS: PpoConfig = {
  seed: 0,
  name: "ppo",
  hidden: [64, 64],
  activation: "tanh",
  learningRate: 2.5e-4,
  annealSteps: 0,
  adamEpsilon: 1e-5,
  numSteps: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: Infinity,
};

/** A PPO agent. */
export interface PpoAgent extends Agent {
  /** The resolved hyperparameters. */
  readonly config: PpoConfig;
  /** The critic's value of `obs`. */
  value(obs: Float64Array): number;
  /** A copy of the policy's action probabilities at `obs`. */
  probabilities(obs: Float64Array): Float64Array;
  observe(t: Transition): number;
}

/** Options of {@linkcode gae}. */
export interface GaeOptions {
  /** Rewards `r_0..r_{T-1}`. */
  readonly rewards: ArrayLike<number>;
  /** Value estimates `V(s_0)..V(s_{T-1})`. */
  readonly values: ArrayLike<number>;
  /** `dones[t] = 1` if the episode ended with step `t` (no bootstrapping past it). */
  readonly dones: ArrayLike<number>;
  /** `V(s_T)`, the value of the observation after the last step (unused if `dones[T-1]`). */
  readonly lastValue: number;
  /** Discount factor. */
  readonly gamma: number;
  /** GAE λ (0: one-step TD, 1: Monte Carlo). */
  readonly lambda: number;
  /** Output for the advantages (allocated if absent). */
  readonly advantages?: Float64Array;
  /** Output for the returns `advantages + values` (allocated if absent). */
  readonly returns?: Float64Array;
}

/**
 * Generalised advantage estimation:
 * `δ_t = r_t + γ (1 − done_t) V(s_{t+1}) − V(s_t)`, `A_t = δ_t + γ λ (1 − done_t) A_{t+1}`.
 *
 * @example
 * ```ts
 * import { gae } from "./ppo.ts";
 * const { advantages } = gae({ rewards: [1, 1], values: [0, 0], dones: [0, 1], lastValue: 5,
 *   gamma: 0.5, lambda: 1 });
 * if (advantages[0] !== 1.5 || advantages[1] !== 1) throw new Error("A_0 = 1 + 0.5·1");
 * ```
 */
export function gae(options: GaeOptions): { advantages: Float64Array; returns: Float64Array } {
  const { rewards, values, dones, lastValue, gamma, lambda } = options;
  const T = rewards.length;
  const advantages = options.advantages ?? new Float64Array(T);
  const returns = options.returns ?? new Float64Array(T);
  let next = 0;
  for (let t = T - 1; t >= 0; t--) {
    const notDone = 1 - dones[t];
    const nextValue = t === T - 1 ? lastValue : values[t + 1];
    const delta = rewards[t] + gamma * notDone * nextValue - values[t];
    next = delta + gamma * lambda * notDone * next;
    advantages[t] = next;
    returns[t] = next + values[t];
  }
  return { advantages, returns };
}

/**
 * A PPO agent for `env`'s spaces; unspecified hyperparameters take {@linkcode PPO_DEFAULTS}.
 * It learns every `numSteps` calls of `observe`, across episode boundaries.
 *
 * @example
 * ```ts
 * import { ppo } from "./ppo.ts";
 * const spaces = {
 *   observationSpace: { kind: "box", shape: [2], low: new Float64Array(2).fill(-1),
 *     high: new Float64Array(2).fill(1) },
 *   actionSpace: { kind: "discrete", n: 3 },
 * } as const;
 * const agent = ppo(spaces, { seed: 1 });
 * const p = agent.probabilities(new Float64Array([0.1, -0.2]));
 * // The policy head starts near uniform (orthogonal init with gain 0.01).
 * if (Math.abs(p[0] - 1 / 3) > 0.01) throw new Error("near-uniform initial policy");
 * agent.dispose();
 * ```
 */
export function ppo(env: SpacesLike, config: Partial<PpoConfig> = {}): PpoAgent {
  const c = validate({ ...PPO_DEFAULTS, ...config });
  const d = obsDimOf(env.observationSpace);
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);
  const T = c.numSteps;
  const M = T / c.numMinibatches;

  // Actor and critic (CleanRL `layer_init`: orthogonal, gain √2; 0.01 for the policy head).
  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, init: "orthogonal", rng: initRng } as const;
  const actor = createMlp({ ...net, sizes: [d, ...c.hidden, n], outputGain: 0.01 });
  const critic = createMlp({ ...net, sizes: [d, ...c.hidden, 1], outputGain: 1 });
  const opt = createAdam([...actor.vars, ...critic.vars], {
    learningRate: c.learningRate,
    epsilon: c.adamEpsilon,
    maxGradNorm: c.maxGradNorm,
  });
  const explore = stream(c.seed, `${c.name}/explore`);
  const shuffle = stream(c.seed, `${c.name}/minibatch`);

  // Rollout storage.
  const obsBuf = new Float32Array(T * d);
  const actions = new Int32Array(T);
  const logps = new Float64Array(T);
  const values = new Float64Array(T);
  const rewards = new Float64Array(T);
  const dones = new Float64Array(T);
  const advantages = new Float64Array(T);
  const returns = new Float64Array(T);
  const order = new Int32Array(T);
  // Minibatch storage.
  const mb = {
    obs: new Float32Array(M * d),
    actions: new Int32Array(M),
    mask: new Float32Array(M * n),
    logps: new Float32Array(M),
    values: new Float32Array(M),
    advantages: new Float32Array(M),
    returns: new Float32Array(M),
  };
  const stats = {
    policyLoss: NaN,
    valueLoss: NaN,
    entropy: NaN,
    approxKl: NaN,
    clipFrac: NaN,
    gradNorm: NaN,
    learningRate: c.learningRate,
    updates: 0,
  };
  let ptr = 0;
  let step = 0;

  const valueOf = (obs: ArrayLike<number>) => critic.forward(obs)[0];

  /** Fills the minibatch arrays from rollout rows `order[start..start+M)`. */
  function gather(start: number): void {
    let mean = 0, sq = 0;
    for (let k = 0; k < M; k++) {
      const i = order[start + k];
      mb.obs.set(obsBuf.subarray(i * d, (i + 1) * d), k * d);
      mb.actions[k] = actions[i];
      mb.logps[k] = logps[i];
      mb.values[k] = values[i];
      mb.returns[k] = returns[i];
      mean += advantages[i];
      sq += advantages[i] * advantages[i];
    }
    mean /= M;
    // Unbiased standard deviation, as torch.Tensor.std.
    const std = M > 1 ? Math.sqrt(Math.max(0, (sq - M * mean * mean) / (M - 1))) : 0;
    for (let k = 0; k < M; k++) {
      const a = advantages[order[start + k]];
      mb.advantages[k] = c.normAdv ? (a - mean) / (std + 1e-8) : a;
    }
    oneHotInto(mb.actions, mb.mask);
  }

  /** The PPO loss on the current minibatch; `out` receives the diagnostics. */
  function minibatchLoss(out: { stats: tf.Tensor1D | null }): number {
    return tf.tidy(() => {
      const obs = tf.tensor2d(mb.obs, [M, d]);
      const mask = tf.tensor2d(mb.mask, [M, n]);
      const oldLogp = tf.tensor1d(mb.logps);
      const oldValues = tf.tensor1d(mb.values);
      const adv = tf.tensor1d(mb.advantages);
      const ret = tf.tensor1d(mb.returns);
      return opt.minimize(() => {
        const logpAll = tf.logSoftmax(actor.apply(obs));
        const newLogp = tf.sum(tf.mul(logpAll, mask), 1);
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 1)));
        const logRatio = tf.sub(newLogp, oldLogp);
        const ratio = tf.exp(logRatio);
        // Clipped surrogate: maximise min(r·A, clip(r)·A), i.e. minimise the max of the negatives.
        const pg1 = tf.mul(tf.neg(adv), ratio);
        const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef));
        const pgLoss = tf.mean(tf.maximum(pg1, pg2));
        const v = tf.reshape(critic.apply(obs), [M]);
        let vLoss: tf.Scalar;
        if (c.clipVloss) {
          const unclipped = tf.square(tf.sub(v, ret));
          const vClipped = tf.add(
            oldValues,
            tf.clipByValue(tf.sub(v, oldValues), -c.clipCoef, c.clipCoef),
          );
          const clipped = tf.square(tf.sub(vClipped, ret));
          vLoss = tf.mul(0.5, tf.mean(tf.maximum(unclipped, clipped)));
        } else {
          vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(v, ret))));
        }
        out.stats = tf.keep(tf.stack([
          pgLoss,
          vLoss,
          entropy,
          tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)), // approximate KL (Schulman's k3)
          tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), "float32")),
        ])) as tf.Tensor1D;
        return tf.add(tf.sub(pgLoss, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, vLoss));
      });
    });
  }

  /** Epochs of minibatch steps on the full rollout; returns the mean loss. */
  function update(lastValue: number): number {
    gae({
      rewards,
      values,
      dones,
      lastValue,
      gamma: c.gamma,
      lambda: c.gaeLambda,
      advantages,
      returns,
    });
    if (c.annealSteps > 0) {
      opt.learningRate = c.learningRate * Math.max(0, 1 - step / c.annealSteps);
    }
    const sums = new Float64Array(5);
    let lossSum = 0, count = 0;
    const out: { stats: tf.Tensor1D | null } = { stats: null };
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      permute(order, shuffle);
      let klSum = 0;
      for (let start = 0; start < T; start += M) {
        gather(start);
        lossSum += minibatchLoss(out);
        count++;
        const s = out.stats!.dataSync();
        for (let k = 0; k < 5; k++) sums[k] += s[k];
        klSum += s[3];
        out.stats!.dispose();
      }
      if (klSum / c.numMinibatches > c.targetKl) break;
    }
    stats.policyLoss = sums[0] / count;
    stats.valueLoss = sums[1] / count;
    stats.entropy = sums[2] / count;
    stats.approxKl = sums[3] / count;
    stats.clipFrac = sums[4] / count;
    stats.gradNorm = opt.gradNorm;
    stats.learningRate = opt.learningRate;
    stats.updates++;
    return lossSum / count;
  }

  return {
    name: c.name,
    config: c,
    stats,
    act(obs: Float64Array, options?: ActOptions): number {
      const logits = actor.forward(obs);
      return options?.explore ? sampleLogits(logits, explore) : argmax(logits, n);
    },
    observe(t: Transition): number {
      const i = ptr;
      for (let k = 0; k < d; k++) obsBuf[i * d + k] = t.obs[k];
      actions[i] = t.action;
      logps[i] = logProb(actor.forward(t.obs), t.action);
      values[i] = valueOf(t.obs);
      // A time limit is not a terminal state: bootstrap it inside the reward.
      rewards[i] = t.reward + (t.truncated && !t.terminated ? c.gamma * valueOf(t.nextObs) : 0);
      dones[i] = t.terminated || t.truncated ? 1 : 0;
      ptr++;
      step++;
      if (ptr < T) return NaN;
      ptr = 0;
      return update(dones[T - 1] ? 0 : valueOf(t.nextObs));
    },
    value(obs) {
      return valueOf(obs);
    },
    probabilities(obs) {
      const logits = actor.forward(obs);
      const p = new Float64Array(n);
      for (let a = 0; a < n; a++) p[a] = Math.exp(logProb(logits, a));
      return p;
    },
    dispose() {
      actor.dispose();
      critic.dispose();
    },
  };
}

/** Fisher–Yates shuffle of `0..n-1` into `order`. */
function permute(order: Int32Array, rng: Rng): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
}

function validate(c: PpoConfig): PpoConfig {
  checkHidden(c.hidden, 0);
  checkOneOf("activation", c.activation, ["relu", "tanh"]);
  checkNum("learningRate", c.learningRate, 0, 1);
  checkInt("annealSteps", c.annealSteps, 0, 2 ** 40);
  checkNum("adamEpsilon", c.adamEpsilon, 0, 1);
  checkInt("numSteps", c.numSteps, 1, 2 ** 24);
  checkNum("gamma", c.gamma, 0, 1);
  checkNum("gaeLambda", c.gaeLambda, 0, 1);
  checkInt("numMinibatches", c.numMinibatches, 1, c.numSteps);
  if (c.numSteps % c.numMinibatches !== 0) {
    throw new ConfigError(
      "numMinibatches",
      `a divisor of numSteps (${c.numSteps})`,
      c.numMinibatches,
    );
  }
  checkInt("updateEpochs", c.updateEpochs, 1, 2 ** 16);
  checkNum("clipCoef", c.clipCoef, 0, 10);
  checkNum("entCoef", c.entCoef, 0, 1e6);
  checkNum("vfCoef", c.vfCoef, 0, 1e6);
  checkPositiveOrInfinity("maxGradNorm", c.maxGradNorm);
  checkPositiveOrInfinity("targetKl", c.targetKl);
  return c;
}
