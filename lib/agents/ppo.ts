/**
 * Proximal Policy Optimisation (Schulman et al. 2017): the clipped surrogate objective,
 * generalised advantage estimation (Schulman et al. 2016), a clipped value loss, an entropy bonus,
 * and several epochs of shuffled minibatches per rollout. Two policies:
 *
 * - {@linkcode ppo}: a categorical policy for a discrete action space (CleanRL's `ppo.py`);
 * - {@linkcode ppoContinuous}: a diagonal Gaussian policy for a box action space, with a
 *   state-independent log standard deviation (CleanRL's `ppo_continuous_action.py`). Sampled
 *   actions are clipped to the box before they reach the environment (CleanRL's `ClipAction`
 *   wrapper) and the unclipped sample is what the log-probabilities are computed on.
 *
 * Separate actor and critic MLPs with orthogonal initialisation (gain √2; 0.01 for the policy
 * head, 1 for the value head), one Adam over both (and the log standard deviation). One
 * difference from CleanRL: when an episode is truncated (not terminated), the critic's value of
 * the final observation is added to the last reward, as Stable-Baselines3 does, so time limits are
 * not mistaken for terminal states.
 *
 * With `N` environment copies a rollout is `numSteps` steps of each copy (`numSteps · N`
 * transitions), GAE runs along each copy, and the minibatches are drawn from all of them. The
 * log-probability and value of each transition are computed when the action is chosen
 * (`act`/`actBatch` with `explore: true`), so `observe` must follow that call, as the training
 * loops do.
 *
 * @module
 */
import { normal, stream } from "../rng.ts";
import { bool, checkInt, ConfigError, int, num } from "../errors.ts";
import type {
  ActOptions,
  Learner,
  LearnerKind,
  LearnerState,
  SpacesLike,
  Transition,
  TransitionBatch,
} from "./types.ts";
import { type Activation, argmax, createAdam, createMlp, logSumExp, sampleLogits } from "./nn.ts";
import { policyLogProb, ppoLoss, type PpoPolicy } from "./losses.ts";
import {
  type ConfigSchema,
  FIELDS,
  loadState,
  type NormalizeFields,
  obsDimOf,
  ObsPrep,
  permute,
  resolveConfig,
  saveNetworks,
  singleBatch,
} from "./_common.ts";

/** PPO hyperparameters. */
export interface PpoConfig extends NormalizeFields {
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
  /** Steps of each environment copy per rollout (CleanRL `num_steps`). */
  readonly numSteps: number;
  /** Discount factor. */
  readonly gamma: number;
  /** GAE λ. */
  readonly gaeLambda: number;
  /** Minibatches per epoch; must divide `numSteps` (times the number of copies). */
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
  normalizeObs: false,
  obsClip: 10,
};

/** Hyperparameters of the Gaussian-policy PPO: {@linkcode PpoConfig} and the initial log std. */
export interface PpoContinuousConfig extends PpoConfig {
  /** Initial log standard deviation of every action dimension (CleanRL: 0). */
  readonly initLogStd: number;
}

/**
 * Defaults of {@linkcode PpoContinuousConfig} (CleanRL `ppo_continuous_action.py`: 2,048 steps
 * per rollout, 32 minibatches, 10 epochs, no entropy bonus, observation normalisation on).
 */
export const PPO_CONTINUOUS_DEFAULTS: PpoContinuousConfig = {
  ...PPO_DEFAULTS,
  name: "ppo-continuous",
  learningRate: 3e-4,
  numSteps: 2048,
  numMinibatches: 32,
  updateEpochs: 10,
  entCoef: 0,
  normalizeObs: true,
  initLogStd: 0,
};

/** A PPO agent with a categorical policy. */
export interface PpoAgent extends Learner<number> {
  /** The resolved hyperparameters. */
  readonly config: PpoConfig;
  /** The critic's value of `obs`. */
  value(obs: Float64Array): number;
  /** A copy of the policy's action probabilities at `obs`. */
  probabilities(obs: Float64Array): Float64Array;
  observe(t: Transition): number;
}

/** A PPO agent with a Gaussian policy. */
export interface PpoContinuousAgent extends Learner<Float64Array> {
  /** The resolved hyperparameters. */
  readonly config: PpoContinuousConfig;
  /** The critic's value of `obs`. */
  value(obs: Float64Array): number;
  /** Copies of the policy's mean (before clipping) and standard deviation at `obs`. */
  policy(obs: Float64Array): { mean: Float64Array; std: Float64Array };
  observe(t: Transition<Float64Array>): number;
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
  /** Entries of one sequence are `stride` apart, from `offset` (interleaved copies). Default 1. */
  readonly stride?: number;
  /** Index of the first entry. Default 0. */
  readonly offset?: number;
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
  const stride = options.stride ?? 1, offset = options.offset ?? 0;
  const T = Math.floor((rewards.length - offset + stride - 1) / stride);
  const advantages = options.advantages ?? new Float64Array(rewards.length);
  const returns = options.returns ?? new Float64Array(rewards.length);
  let next = 0;
  for (let t = T - 1; t >= 0; t--) {
    const i = offset + t * stride;
    const notDone = 1 - dones[i];
    const nextValue = t === T - 1 ? lastValue : values[i + stride];
    const delta = rewards[i] + gamma * notDone * nextValue - values[i];
    next = delta + gamma * lambda * notDone * next;
    advantages[i] = next;
    returns[i] = next + values[i];
  }
  return { advantages, returns };
}

/**
 * A PPO agent with a categorical policy for `env`'s spaces; unspecified hyperparameters take
 * {@linkcode PPO_DEFAULTS}. It learns every `numSteps` steps (of each copy), across episode
 * boundaries. Throws `ConfigError` naming a bad or unknown field.
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
  const c = validate(resolveConfig(PPO_DEFAULTS, config, { schema: PPO_SCHEMA, owner: "ppo" }));
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);
  const core = createPpo({ c, d: obsDimOf(env.observationSpace), n, k: 0, kind: "ppo" });
  const probs = (obs: Float64Array) => {
    const logits = core.actorOut(obs);
    const z = logSumExp(logits, n);
    return Float64Array.from(logits, (l) => Math.exp(l - z));
  };
  return Object.assign(core.agent as unknown as PpoAgent, {
    config: c,
    probabilities: probs,
  });
}

/**
 * A PPO agent with a diagonal Gaussian policy for a box action space; unspecified
 * hyperparameters take {@linkcode PPO_CONTINUOUS_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { ppoContinuous } from "./ppo.ts";
 * const spaces = {
 *   observationSpace: { kind: "box", shape: [2], low: new Float64Array(2).fill(-1),
 *     high: new Float64Array(2).fill(1) },
 *   actionSpace: { kind: "box", shape: [3], low: new Float64Array(3).fill(-1),
 *     high: new Float64Array(3).fill(1) },
 * } as const;
 * const agent = ppoContinuous(spaces, { seed: 1 });
 * const a = agent.act(new Float64Array([0.1, -0.2]), { explore: true });
 * if (a.length !== 3 || a.some((x) => x < -1 || x > 1)) throw new Error("clipped to the box");
 * if (agent.policy(new Float64Array(2)).std[0] !== 1) throw new Error("log std starts at 0");
 * agent.dispose();
 * ```
 */
export function ppoContinuous(
  env: SpacesLike<Float64Array>,
  config: Partial<PpoContinuousConfig> = {},
): PpoContinuousAgent {
  const c = validate(
    resolveConfig(PPO_CONTINUOUS_DEFAULTS, config, {
      schema: PPO_CONTINUOUS_SCHEMA,
      owner: "ppoContinuous",
    }),
  );
  const space = env.actionSpace;
  const k = checkInt("actionSpace.shape (product)", space.low.length, 1, 2 ** 12);
  for (let i = 0; i < k; i++) {
    if (!(Number.isFinite(space.low[i]) && Number.isFinite(space.high[i]))) {
      throw new ConfigError(`actionSpace.low/high[${i}]`, "finite bounds", [
        space.low[i],
        space.high[i],
      ]);
    }
  }
  const core = createPpo({
    c,
    d: obsDimOf(env.observationSpace),
    n: 0,
    k,
    kind: "ppo-continuous",
    low: space.low,
    high: space.high,
  });
  return Object.assign(core.agent as unknown as PpoContinuousAgent, {
    config: c,
    policy(obs: Float64Array) {
      const mean = core.actorOut(obs).slice();
      return { mean, std: core.logStd.params.map(Math.exp) };
    },
  });
}

/** What {@linkcode createPpo} needs. */
interface PpoSetup {
  readonly c: PpoConfig;
  readonly d: number;
  /** Actions of a categorical policy (0 for a Gaussian one). */
  readonly n: number;
  /** Dimensions of a Gaussian policy (0 for a categorical one). */
  readonly k: number;
  readonly kind: LearnerKind;
  readonly low?: Float64Array;
  readonly high?: Float64Array;
}

/** The shared implementation of both policies. */
function createPpo(s: PpoSetup) {
  const { c, d, n, k } = s;
  const discrete = k === 0;
  const outDim = discrete ? n : k;
  const actDim = discrete ? 1 : k;
  const low = s.low ?? new Float64Array(0), high = s.high ?? new Float64Array(0);
  const initLogStd = (c as Partial<PpoContinuousConfig>).initLogStd ?? 0;

  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, init: "orthogonal", rng: initRng } as const;
  const actor = createMlp({ ...net, sizes: [d, ...c.hidden, outDim], outputGain: 0.01 });
  const critic = createMlp({ ...net, sizes: [d, ...c.hidden, 1], outputGain: 1 });
  const logStd = {
    params: new Float64Array(k).fill(initLogStd),
    grads: new Float64Array(k),
  };
  const blocks = discrete ? [actor, critic] : [actor, critic, logStd];
  const opt = createAdam(blocks, {
    learningRate: c.learningRate,
    epsilon: c.adamEpsilon,
    maxGradNorm: c.maxGradNorm,
  });
  const explore = stream(c.seed, `${c.name}/explore`);
  const shuffle = stream(c.seed, `${c.name}/minibatch`);
  const prep = new ObsPrep(c, d);
  const T = c.numSteps;

  // Rollout storage, allocated for N copies at the first observeBatch: row i = t·N + copy.
  let N = 0;
  let obsBuf = new Float64Array(0);
  let actions = new Float64Array(0);
  let logps = new Float64Array(0);
  let values = new Float64Array(0);
  let rewards = new Float64Array(0);
  let dones = new Float64Array(0);
  let advantages = new Float64Array(0);
  let returns = new Float64Array(0);
  let order = new Int32Array(0);
  let M = 0;
  let mb = minibatchArrays(0);
  // What the last exploring actBatch chose, for the observeBatch that follows.
  const pending = {
    n: 0,
    obs: new Float64Array(0),
    act: new Float64Array(0),
    logp: new Float64Array(0),
    value: new Float64Array(0),
  };
  const envActs = {
    discrete: new Int32Array(0),
    box: new Float64Array(0),
  };
  const single = singleBatch(d, k);
  const oneAct = new Float64Array(k);
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

  function allocate(copies: number): void {
    const cfg = c.numMinibatches;
    const total = T * copies;
    if (total % cfg !== 0) {
      throw new ConfigError(
        "numMinibatches",
        `a divisor of numSteps × copies (${T} × ${copies})`,
        cfg,
      );
    }
    N = copies;
    M = total / cfg;
    obsBuf = new Float64Array(total * d);
    actions = new Float64Array(total * actDim);
    logps = new Float64Array(total);
    values = new Float64Array(total);
    rewards = new Float64Array(total);
    dones = new Float64Array(total);
    advantages = new Float64Array(total);
    returns = new Float64Array(total);
    order = new Int32Array(total);
    mb = minibatchArrays(M, { d, outDim, actDim });
  }

  function ensurePending(rows: number): void {
    if (pending.obs.length >= rows * d) return;
    pending.obs = new Float64Array(rows * d);
    pending.act = new Float64Array(rows * actDim);
    pending.logp = new Float64Array(rows);
    pending.value = new Float64Array(rows);
  }

  const policy: PpoPolicy = discrete
    ? { kind: "categorical", n }
    : { kind: "gaussian", k, logStd: logStd.params };
  const logProbOf = (out: Float64Array, o: number, a: Float64Array, ao: number) =>
    policyLogProb(policy, out, o, a, ao);

  /**
   * Chooses actions for `rows` normalised observations `x`; writes the environment's actions
   * (clipped for a box) into `envOut`, and when exploring the stored actions, log-probabilities
   * and values into `pending`.
   */
  function choose(
    x: Float64Array,
    rows: number,
    exploring: boolean,
    envOut: Int32Array | Float64Array,
  ): void {
    const out = actor.predict(x, rows);
    if (exploring) {
      ensurePending(rows);
      pending.n = rows;
      pending.obs.set(x.subarray(0, rows * d));
      const v = critic.predict(x, rows);
      for (let r = 0; r < rows; r++) pending.value[r] = v[r];
    }
    for (let r = 0; r < rows; r++) {
      const o = r * outDim;
      if (discrete) {
        const a = exploring ? sampleLogits(out, explore, n, o) : argmax(out, n, o);
        envOut[r] = a;
        if (exploring) {
          pending.act[r] = a;
          pending.logp[r] = out[o + a] - logSumExp(out, n, o);
        }
        continue;
      }
      for (let i = 0; i < k; i++) {
        const mu = out[o + i];
        const a = exploring ? mu + Math.exp(logStd.params[i]) * normal(explore) : mu;
        if (exploring) pending.act[r * k + i] = a;
        envOut[r * k + i] = a < low[i] ? low[i] : a > high[i] ? high[i] : a;
      }
      if (exploring) pending.logp[r] = logProbOf(out, o, pending.act, r * k);
    }
  }

  function actBatch(obs: Float64Array, rows: number, options?: ActOptions) {
    const exploring = options?.explore ?? false;
    const x = prep.prepare(obs, rows);
    if (discrete) {
      if (envActs.discrete.length !== rows) envActs.discrete = new Int32Array(rows);
      choose(x, rows, exploring, envActs.discrete);
      return envActs.discrete;
    }
    if (envActs.box.length !== rows * k) envActs.box = new Float64Array(rows * k);
    choose(x, rows, exploring, envActs.box);
    return envActs.box;
  }

  function observeBatch(b: TransitionBatch<number> | TransitionBatch<Float64Array>): number {
    const rows = b.n;
    if (N === 0) allocate(rows);
    if (rows !== N) {
      throw new ConfigError("batch.n", `the ${N} copies of the first batch`, rows);
    }
    if (pending.n !== rows) {
      // No exploring act before this batch: evaluate the given actions now.
      ensurePending(rows);
      pending.n = rows;
      const x = prep.prepare(b.obs, rows, 1);
      pending.obs.set(x);
      const out = actor.predict(x, rows);
      const v = critic.predict(x, rows);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < actDim; i++) pending.act[r * actDim + i] = b.actions[r * actDim + i];
        pending.logp[r] = logProbOf(out, r * outDim, pending.act, r * actDim);
        pending.value[r] = v[r];
      }
    }
    const base = ptr * N;
    obsBuf.set(pending.obs.subarray(0, rows * d), base * d);
    actions.set(pending.act.subarray(0, rows * actDim), base * actDim);
    let anyTruncated = false;
    for (let r = 0; r < rows; r++) {
      const i = base + r;
      logps[i] = pending.logp[r];
      values[i] = pending.value[r];
      rewards[i] = b.rewards[r];
      dones[i] = b.terminated[r] || b.truncated[r] ? 1 : 0;
      if (b.truncated[r] && !b.terminated[r]) anyTruncated = true;
    }
    pending.n = 0;
    if (anyTruncated) {
      // A time limit is not a terminal state: bootstrap it inside the reward.
      const v = critic.predict(prep.prepare(b.nextObs, rows, 1), rows);
      for (let r = 0; r < rows; r++) {
        if (b.truncated[r] && !b.terminated[r]) rewards[base + r] += c.gamma * v[r];
      }
    }
    prep.update(b.obs, rows);
    ptr++;
    step += rows;
    if (ptr < T) return NaN;
    ptr = 0;
    const last = critic.predict(prep.prepare(b.nextObs, rows, 1), rows);
    for (let e = 0; e < N; e++) {
      const lastDone = dones[(T - 1) * N + e];
      gae({
        rewards,
        values,
        dones,
        lastValue: lastDone ? 0 : last[e],
        gamma: c.gamma,
        lambda: c.gaeLambda,
        advantages,
        returns,
        stride: N,
        offset: e,
      });
    }
    return update();
  }

  /** Fills the minibatch from rollout rows `order[start..start+M)`. */
  function gather(start: number): void {
    let mean = 0, sq = 0;
    for (let j = 0; j < M; j++) {
      const i = order[start + j];
      mb.obs.set(obsBuf.subarray(i * d, (i + 1) * d), j * d);
      for (let q = 0; q < actDim; q++) mb.actions[j * actDim + q] = actions[i * actDim + q];
      mb.oldLogp[j] = logps[i];
      mb.oldValues[j] = values[i];
      mb.returns[j] = returns[i];
      mean += advantages[i];
      sq += advantages[i] * advantages[i];
    }
    mean /= M;
    // Unbiased standard deviation, as torch.Tensor.std.
    const std = M > 1 ? Math.sqrt(Math.max(0, (sq - M * mean * mean) / (M - 1))) : 0;
    for (let j = 0; j < M; j++) {
      const a = advantages[order[start + j]];
      mb.adv[j] = c.normAdv ? (a - mean) / (std + 1e-8) : a;
    }
  }

  const sums = new Float64Array(5);

  /** One gradient step on the gathered minibatch (`losses.ts`); returns the loss. */
  function minibatch(): number {
    const loss = ppoLoss({
      policy,
      out: actor.forward(mb.obs, M),
      values: critic.forward(mb.obs, M),
      actions: mb.actions,
      oldLogp: mb.oldLogp,
      oldValues: mb.oldValues,
      returns: mb.returns,
      advantages: mb.adv,
      clipCoef: c.clipCoef,
      clipVloss: c.clipVloss,
      entCoef: c.entCoef,
      vfCoef: c.vfCoef,
      dOut: mb.dOut,
      dValues: mb.dV,
      dLogStd: logStd.grads,
      sums,
    });
    actor.backward(mb.dOut);
    critic.backward(mb.dV);
    opt.step();
    return loss;
  }

  /** Epochs of minibatch steps on the full rollout; returns the mean loss. */
  function update(): number {
    if (c.annealSteps > 0) {
      opt.learningRate = c.learningRate * Math.max(0, 1 - step / c.annealSteps);
    }
    sums.fill(0);
    let lossSum = 0, count = 0;
    const total = T * N;
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      permute(order, shuffle);
      const klBefore = sums[3];
      for (let start = 0; start < total; start += M) {
        gather(start);
        lossSum += minibatch();
        count++;
      }
      if ((sums[3] - klBefore) / c.numMinibatches > c.targetKl) break;
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

  const nets = { actor, critic };
  const extra: Record<string, Float64Array> = discrete ? {} : { logStd: logStd.params };
  const agent = {
    name: c.name,
    kind: s.kind,
    stats,
    get normalizer() {
      return prep.normalizer;
    },
    get steps() {
      return step;
    },
    act(obs: Float64Array, options?: ActOptions): number | Float64Array {
      const a = actBatch(obs, 1, options);
      if (discrete) return a[0];
      oneAct.set(a);
      return oneAct;
    },
    actBatch,
    observe(t: Transition<number> | Transition<Float64Array>): number {
      single.fill(t);
      return observeBatch(single.batch);
    },
    observeBatch,
    value(obs: Float64Array): number {
      return critic.forward1(prep.prepare(obs, 1))[0];
    },
    state(): LearnerState {
      return {
        kind: s.kind,
        config: c as unknown as Record<string, unknown>,
        networks: saveNetworks(nets),
        extra: discrete ? {} : { logStd: Array.from(logStd.params) },
        normalizer: prep.normalizer?.state() ?? null,
        steps: step,
      };
    },
    load(st: LearnerState): void {
      step = loadState({ kind: s.kind, config: c as never, nets, extra, prep }, st);
    },
    dispose() {},
  };
  return {
    agent,
    logStd,
    /** The actor's output (logits or mean) at one observation (internal buffer). */
    actorOut: (obs: Float64Array) => actor.forward1(prep.prepare(obs, 1)),
  };
}

/** Minibatch storage for `M` rows. */
function minibatchArrays(M: number, dims = { d: 0, outDim: 0, actDim: 0 }) {
  return {
    obs: new Float64Array(M * dims.d),
    actions: new Float64Array(M * dims.actDim),
    oldLogp: new Float64Array(M),
    oldValues: new Float64Array(M),
    returns: new Float64Array(M),
    adv: new Float64Array(M),
    dOut: new Float64Array(M * dims.outDim),
    dV: new Float64Array(M),
  };
}

/** The schema of {@linkcode PpoConfig}. */
export const PPO_SCHEMA: ConfigSchema<PpoConfig> = {
  seed: FIELDS.seed,
  name: FIELDS.name,
  hidden: FIELDS.hidden,
  activation: FIELDS.activation,
  learningRate: num(0, 1),
  annealSteps: int(0, 2 ** 40),
  adamEpsilon: num(0, 1),
  numSteps: int(1, 2 ** 24),
  gamma: num(0, 1),
  gaeLambda: num(0, 1),
  numMinibatches: int(1, 2 ** 24),
  updateEpochs: int(1, 2 ** 16),
  normAdv: bool(),
  clipCoef: num(0, 10),
  clipVloss: bool(),
  entCoef: num(0, 1e6),
  vfCoef: num(0, 1e6),
  maxGradNorm: FIELDS.positiveOrInfinity,
  targetKl: FIELDS.positiveOrInfinity,
  normalizeObs: FIELDS.normalizeObs,
  obsClip: FIELDS.obsClip,
};

/** The schema of {@linkcode PpoContinuousConfig}. */
export const PPO_CONTINUOUS_SCHEMA: ConfigSchema<PpoContinuousConfig> = {
  ...PPO_SCHEMA,
  initLogStd: num(-20, 5),
};

/** The rules between fields (each field was checked by the schema). */
function validate<C extends PpoConfig>(c: C): C {
  checkInt("numMinibatches", c.numMinibatches, 1, c.numSteps);
  if (c.numSteps % c.numMinibatches !== 0) {
    throw new ConfigError(
      "numMinibatches",
      `a divisor of numSteps (${c.numSteps})`,
      c.numMinibatches,
    );
  }
  return c;
}
