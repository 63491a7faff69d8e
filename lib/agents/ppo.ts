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
  SpacesLike,
  Transition,
  TransitionBatch,
} from "./types.ts";
import { type Activation, argmax, createAdam, createMlp, logSumExp, sampleLogits } from "./nn.ts";
import { policyLogProb, ppoLoss, type PpoPolicy } from "./losses.ts";
import { createRewardScaler } from "./normalizer.ts";
import {
  type ConfigSchema,
  FIELDS,
  type NormalizeFields,
  obsDimOf,
  ObsPrep,
  permute,
  resolveConfig,
} from "./_common.ts";
import { assembleLearner, type StepCounter } from "./_learner.ts";

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
  /**
   * Scale rewards by the running standard deviation of the discounted return and clip them to
   * ±10 (Gymnasium's `NormalizeReward`, CleanRL's continuous PPO; `normalizer.ts`), in training
   * only. The statistics are saved with the learner.
   */
  readonly normalizeReward: boolean;
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
  normalizeReward: false,
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
  const { c, d, k } = s;
  const nets = ppoNetworks(s);
  const { actor, critic, logStd, discrete, dims } = nets;
  const prep = new ObsPrep(c, d);
  const scaler = c.normalizeReward ? createRewardScaler({ gamma: c.gamma }) : null;
  let scaled = new Float64Array(0);
  const counter: StepCounter = { steps: 0 };
  const rollout = new Rollout(c, dims);
  const acting = ppoActing({ s, nets, prep });
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
  const update = ppoUpdate({ c, nets, rollout, counter, stats });
  const oneAct = new Float64Array(k);

  function observeBatch(b: TransitionBatch<number> | TransitionBatch<Float64Array>): number {
    const rows = b.n;
    if (rollout.N === 0) {
      rollout.allocate(rows);
      scaled = new Float64Array(rows);
    }
    if (rows !== rollout.N) {
      throw new ConfigError("batch.n", `the ${rollout.N} copies of the first batch`, rows);
    }
    // No exploring act before this batch: evaluate the given actions now.
    if (acting.pending.n !== rows) acting.evaluate(b);
    const r0 = scaler ? scaler.scale(b, scaled) : b.rewards;
    const anyTruncated = rollout.store(acting.pending, r0, b);
    acting.pending.n = 0;
    if (anyTruncated) {
      // A time limit is not a terminal state: bootstrap it inside the reward.
      const v = critic.predict(prep.prepare(b.nextObs, rows, 1), rows);
      rollout.bootstrap(b, c.gamma, v);
    }
    prep.update(b.obs, rows);
    counter.steps += rows;
    if (!rollout.advance()) return NaN;
    const last = critic.predict(prep.prepare(b.nextObs, rows, 1), rows);
    rollout.computeAdvantages(last, c);
    return update();
  }

  const extra: Record<string, Float64Array> = discrete ? {} : { logStd: logStd.params };
  if (scaler) extra.rewardScale = scaler.stats;
  const agent = assembleLearner({
    kind: s.kind,
    config: c,
    stats,
    prep,
    nets: { actor, critic },
    extra,
    counter,
    d,
    k,
    act(obs: Float64Array, options?: ActOptions): number | Float64Array {
      const a = acting.actBatch(obs, 1, options);
      if (discrete) return a[0];
      oneAct.set(a);
      return oneAct;
    },
    actBatch: acting.actBatch,
    observeBatch,
  }, {
    value(obs: Float64Array): number {
      return critic.forward1(prep.prepare(obs, 1))[0];
    },
  });
  return {
    agent,
    logStd,
    /** The actor's output (logits or mean) at one observation (internal buffer). */
    actorOut: (obs: Float64Array) => actor.forward1(prep.prepare(obs, 1)),
  };
}

/**
 * The actor and critic (orthogonal initialisation from the stream `<name>/init`), the log
 * standard deviation of a Gaussian policy, one Adam over all of them, and the policy's shape.
 */
function ppoNetworks(s: PpoSetup) {
  const { c, d, n, k } = s;
  const discrete = k === 0;
  const outDim = discrete ? n : k;
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
  const policy: PpoPolicy = discrete
    ? { kind: "categorical", n }
    : { kind: "gaussian", k, logStd: logStd.params };
  return {
    actor,
    critic,
    logStd,
    opt,
    policy,
    discrete,
    /** Observation length, actor outputs, numbers per stored action. */
    dims: { d, outDim, actDim: discrete ? 1 : k },
    /** `log π(a|s)` of the action at `a[ao..]` given the actor's output at `out[o..]`. */
    logProbOf: (out: Float64Array, o: number, a: Float64Array, ao: number) =>
      policyLogProb(policy, out, o, a, ao),
  };
}

/** The networks of a PPO learner. */
type PpoNetworks = ReturnType<typeof ppoNetworks>;

/** Sizes of the stored rows: observation length, actor outputs, numbers per action. */
interface PpoDims {
  readonly d: number;
  readonly outDim: number;
  readonly actDim: number;
}

/** What an exploring `actBatch` chose (or `evaluate` computed), for the `observeBatch` after it. */
class Pending {
  n = 0;
  obs = new Float64Array(0);
  act = new Float64Array(0);
  logp = new Float64Array(0);
  value = new Float64Array(0);
  constructor(private readonly dims: PpoDims) {}

  /** Room for `rows` rows. */
  ensure(rows: number): void {
    if (this.obs.length >= rows * this.dims.d) return;
    this.obs = new Float64Array(rows * this.dims.d);
    this.act = new Float64Array(rows * this.dims.actDim);
    this.logp = new Float64Array(rows);
    this.value = new Float64Array(rows);
  }
}

/**
 * `actBatch` (sampling the policy from the stream `<name>/explore` when exploring, its mode
 * otherwise; box actions clipped for the environment), which keeps what an exploring call chose
 * in `pending`, and `evaluate`, which fills `pending` for given actions instead.
 */
function ppoActing(o: { s: PpoSetup; nets: PpoNetworks; prep: ObsPrep }) {
  const { c, n, k } = o.s;
  const { actor, critic, logStd, discrete, dims, logProbOf } = o.nets;
  const { d, outDim, actDim } = dims;
  const prep = o.prep;
  const low = o.s.low ?? new Float64Array(0), high = o.s.high ?? new Float64Array(0);
  const explore = stream(c.seed, `${c.name}/explore`);
  const pending = new Pending(dims);
  const envActs = { discrete: new Int32Array(0), box: new Float64Array(0) };

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
      pending.ensure(rows);
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

  return {
    pending,
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Int32Array | Float64Array {
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
    },
    /** Fills `pending` with the batch's observations and actions, their log π and values. */
    evaluate(b: TransitionBatch<number> | TransitionBatch<Float64Array>): void {
      const rows = b.n;
      pending.ensure(rows);
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
    },
  };
}

/**
 * Rollout storage for `numSteps` steps of `N` copies (allocated at the first batch; row
 * `i = t·N + copy`), its advantages and returns, and the minibatch drawn from it.
 */
class Rollout {
  /** Copies (0 until allocated). */
  N = 0;
  /** Rows per minibatch. */
  M = 0;
  /** Steps stored so far in this rollout. */
  ptr = 0;
  obs = new Float64Array(0);
  actions = new Float64Array(0);
  logps = new Float64Array(0);
  values = new Float64Array(0);
  rewards = new Float64Array(0);
  dones = new Float64Array(0);
  advantages = new Float64Array(0);
  returns = new Float64Array(0);
  order = new Int32Array(0);
  mb = minibatchArrays(0);
  private readonly T: number;

  constructor(private readonly c: PpoConfig, private readonly dims: PpoDims) {
    this.T = c.numSteps;
  }

  /** Storage for `copies` copies (`ConfigError` unless the minibatches divide the rollout). */
  allocate(copies: number): void {
    const cfg = this.c.numMinibatches;
    const total = this.T * copies;
    if (total % cfg !== 0) {
      throw new ConfigError(
        "numMinibatches",
        `a divisor of numSteps × copies (${this.T} × ${copies})`,
        cfg,
      );
    }
    const { d, actDim } = this.dims;
    this.N = copies;
    this.M = total / cfg;
    this.obs = new Float64Array(total * d);
    this.actions = new Float64Array(total * actDim);
    this.logps = new Float64Array(total);
    this.values = new Float64Array(total);
    this.rewards = new Float64Array(total);
    this.dones = new Float64Array(total);
    this.advantages = new Float64Array(total);
    this.returns = new Float64Array(total);
    this.order = new Int32Array(total);
    this.mb = minibatchArrays(this.M, this.dims);
  }

  /**
   * Stores one step of the copies: what `p` holds for them, `rewards`, and whether each ended.
   * Returns whether a copy was truncated (not terminated).
   */
  store(
    p: Pending,
    rewards: ArrayLike<number>,
    ends: { terminated: Uint8Array; truncated: Uint8Array },
  ): boolean {
    const { N } = this, { d, actDim } = this.dims;
    const base = this.ptr * N;
    this.obs.set(p.obs.subarray(0, N * d), base * d);
    this.actions.set(p.act.subarray(0, N * actDim), base * actDim);
    let anyTruncated = false;
    for (let r = 0; r < N; r++) {
      const i = base + r;
      this.logps[i] = p.logp[r];
      this.values[i] = p.value[r];
      this.rewards[i] = rewards[r];
      this.dones[i] = ends.terminated[r] || ends.truncated[r] ? 1 : 0;
      if (ends.truncated[r] && !ends.terminated[r]) anyTruncated = true;
    }
    return anyTruncated;
  }

  /** Adds `γ·v[r]` to the last stored reward of each truncated (not terminated) copy `r`. */
  bootstrap(
    ends: { terminated: Uint8Array; truncated: Uint8Array },
    gamma: number,
    v: Float64Array,
  ) {
    const base = this.ptr * this.N;
    for (let r = 0; r < this.N; r++) {
      if (ends.truncated[r] && !ends.terminated[r]) this.rewards[base + r] += gamma * v[r];
    }
  }

  /** Moves to the next step; true (and back to step 0) when the rollout is full. */
  advance(): boolean {
    this.ptr++;
    if (this.ptr < this.T) return false;
    this.ptr = 0;
    return true;
  }

  /** GAE along each copy, given the critic's values `last` of the observations after the rollout. */
  computeAdvantages(last: Float64Array, c: { gamma: number; gaeLambda: number }): void {
    const { N, T } = this;
    for (let e = 0; e < N; e++) {
      const lastDone = this.dones[(T - 1) * N + e];
      gae({
        rewards: this.rewards,
        values: this.values,
        dones: this.dones,
        lastValue: lastDone ? 0 : last[e],
        gamma: c.gamma,
        lambda: c.gaeLambda,
        advantages: this.advantages,
        returns: this.returns,
        stride: N,
        offset: e,
      });
    }
  }

  /** Fills the minibatch from rows `order[start..start+M)` (advantages normalised if `normAdv`). */
  gather(start: number): void {
    const { M, mb, order, advantages } = this, { d, actDim } = this.dims;
    let mean = 0, sq = 0;
    for (let j = 0; j < M; j++) {
      const i = order[start + j];
      mb.obs.set(this.obs.subarray(i * d, (i + 1) * d), j * d);
      for (let q = 0; q < actDim; q++) mb.actions[j * actDim + q] = this.actions[i * actDim + q];
      mb.oldLogp[j] = this.logps[i];
      mb.oldValues[j] = this.values[i];
      mb.returns[j] = this.returns[i];
      mean += advantages[i];
      sq += advantages[i] * advantages[i];
    }
    mean /= M;
    // Unbiased standard deviation, as torch.Tensor.std.
    const std = M > 1 ? Math.sqrt(Math.max(0, (sq - M * mean * mean) / (M - 1))) : 0;
    for (let j = 0; j < M; j++) {
      const a = advantages[order[start + j]];
      mb.adv[j] = this.c.normAdv ? (a - mean) / (std + 1e-8) : a;
    }
  }
}

/** Diagnostics of a PPO learner. */
interface PpoStats {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFrac: number;
  gradNorm: number;
  learningRate: number;
  updates: number;
}

/**
 * The update at the end of a rollout: the learning rate annealed, then epochs of minibatch
 * gradient steps over the shuffled rollout (stream `<name>/minibatch`), stopping early once an
 * epoch's mean approximate KL passes `targetKl`. Returns the mean loss.
 */
function ppoUpdate(o: {
  readonly c: PpoConfig;
  readonly nets: PpoNetworks;
  readonly rollout: Rollout;
  readonly counter: StepCounter;
  readonly stats: PpoStats;
}): () => number {
  const { c, rollout, counter, stats } = o;
  const { actor, critic, logStd, opt, policy } = o.nets;
  const shuffle = stream(c.seed, `${c.name}/minibatch`);
  const sums = new Float64Array(5);

  /** One gradient step on the gathered minibatch (`losses.ts`); returns the loss. */
  function minibatch(): number {
    const { mb, M } = rollout;
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

  return (): number => {
    if (c.annealSteps > 0) {
      opt.learningRate = c.learningRate * Math.max(0, 1 - counter.steps / c.annealSteps);
    }
    sums.fill(0);
    let lossSum = 0, count = 0;
    const total = c.numSteps * rollout.N;
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      permute(rollout.order, shuffle);
      const klBefore = sums[3];
      for (let start = 0; start < total; start += rollout.M) {
        rollout.gather(start);
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
  };
}

/** Minibatch storage for `M` rows. */
function minibatchArrays(M: number, dims: PpoDims = { d: 0, outDim: 0, actDim: 0 }) {
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
  normalizeReward: bool(),
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
