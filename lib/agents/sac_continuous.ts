/**
 * Soft Actor-Critic for box action spaces (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and
 * Applications", arXiv:1812.05905), following CleanRL's `sac_continuous_action.py`:
 *
 * - a **tanh-squashed Gaussian policy**: the actor outputs a mean `μ(s)` and a log standard
 *   deviation squashed into `[logStdMin, logStdMax]`; an action is `a = c + h·tanh(μ + σ·ε)`
 *   (`c`, `h` the box's centre and half-width, `ε ~ N(0, I)`: reparameterised), with
 *   `log π(a|s) = Σ_i [log N(ε_i) − log σ_i − log(h_i (1 − tanh²) + 10⁻⁶)]`;
 * - **twin Q-critics** `Q_1, Q_2: (s, a) ↦ R` with Polyak-averaged targets, regressing on
 *   `y = r + γ (1 − done) [min_i Q̄_i(s', a') − α log π(a'|s')]`, `a' ~ π(·|s')`;
 * - the actor minimises `E[α log π(ã|s) − min_i Q_i(s, ã)]`, `ã ~ π(·|s)`, every
 *   `policyFrequency` critic updates, `policyFrequency` times (CleanRL's delayed update);
 * - **automatic entropy temperature**: `log α` minimises `−α (log π + H̄)`, target entropy
 *   `H̄ = −dim(A)` by default.
 *
 * Differences from CleanRL's defaults, for this project's small problems and CPU budget: 2×64
 * networks (CleanRL 2×256), batches of 64 (256), a 100,000-transition buffer (10⁶), 1,000 random
 * steps before learning (5,000), and an initial temperature `alpha` (CleanRL starts the tuned
 * α at 1). Gradients are written by hand (`nn.ts`); `tests/agents_test.ts` checks them against
 * finite differences. With `N` environment copies every schedule counts transitions.
 *
 * @module
 */
import { normal, stream } from "../rng.ts";
import { bool, checkInt, checkNum, ConfigError, int, nullable, num } from "../errors.ts";
import type { ActOptions, Learner, SpacesLike, Transition } from "./types.ts";
import type { Activation, Mlp } from "./nn.ts";
import { type Batch, createBatch, createReplayBuffer, type ReplayBuffer } from "./replay.ts";
import { sampleSquashed, squashedActorGrad } from "./losses.ts";
import {
  type ConfigSchema,
  FIELDS,
  type NormalizeFields,
  obsDimOf,
  ObsPrep,
  resolveConfig,
} from "./_common.ts";
import type { StepCounter } from "./_learner.ts";
import { SAC_FIELDS, sacLearner, type SacNetworks, sacNetworks } from "./_sac.ts";

/** Continuous SAC hyperparameters. */
export interface SacContinuousConfig extends NormalizeFields {
  /** Root seed of the streams `<name>/init`, `<name>/explore`, `<name>/replay`, `<name>/update`. */
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
  /** Polyak rate of the target critics. */
  readonly tau: number;
  /** Transitions per gradient step. */
  readonly batchSize: number;
  /** Environment steps of uniformly random actions before learning starts. */
  readonly learningStarts: number;
  /** Actor Adam step size. */
  readonly policyLr: number;
  /** Critic and temperature Adam step size. */
  readonly qLr: number;
  /** Adam ε. */
  readonly adamEpsilon: number;
  /** Environment steps between critic updates (CleanRL: 1). */
  readonly updateFrequency: number;
  /** Critic updates between actor rounds; each round makes this many actor updates (CleanRL: 2). */
  readonly policyFrequency: number;
  /** Critic updates between target updates (CleanRL: 1). */
  readonly targetNetworkFrequency: number;
  /** Tune the temperature α automatically. */
  readonly autotune: boolean;
  /** Initial temperature α (fixed if `autotune` is false). */
  readonly alpha: number;
  /** Target entropy `H̄`; `null` for `−dim(A)` (CleanRL). */
  readonly targetEntropy: number | null;
  /** Lower bound of the policy's log standard deviation (CleanRL: −5). */
  readonly logStdMin: number;
  /** Upper bound of the policy's log standard deviation (CleanRL: 2). */
  readonly logStdMax: number;
  /** Clip the global gradient norm of each network to this (∞: no clipping). */
  readonly maxGradNorm: number;
}

/** Defaults of {@linkcode SacContinuousConfig} (see the module doc for the differences). */
export const SAC_CONTINUOUS_DEFAULTS: SacContinuousConfig = {
  seed: 0,
  name: "sac-continuous",
  hidden: [64, 64],
  activation: "relu",
  bufferSize: 100_000,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 64,
  learningStarts: 1_000,
  policyLr: 3e-4,
  qLr: 1e-3,
  adamEpsilon: 1e-8,
  updateFrequency: 1,
  policyFrequency: 2,
  targetNetworkFrequency: 1,
  autotune: true,
  alpha: 0.2,
  targetEntropy: null,
  logStdMin: -5,
  logStdMax: 2,
  maxGradNorm: Infinity,
  normalizeObs: false,
  obsClip: 10,
};

/** A continuous SAC agent. */
export interface SacContinuousAgent extends Learner<Float64Array> {
  /** The resolved hyperparameters. */
  readonly config: SacContinuousConfig;
  /** Current temperature α. */
  readonly alpha: number;
  /** The policy at `obs`: mean and standard deviation before the squashing (copies). */
  policy(obs: Float64Array): { mean: Float64Array; std: Float64Array };
  /** `min(Q_1, Q_2)` at `obs` and the action `action`. */
  qValue(obs: Float64Array, action: Float64Array): number;
  observe(t: Transition<Float64Array>): number;
}

/**
 * A continuous-action SAC agent for `env`'s spaces (a box action space with finite bounds);
 * unspecified hyperparameters take {@linkcode SAC_CONTINUOUS_DEFAULTS}. Throws `ConfigError`
 * naming a bad or unknown field.
 *
 * @example
 * ```ts
 * import { sacContinuous } from "./sac_continuous.ts";
 * const box = (n: number) => ({ kind: "box", shape: [n], low: new Float64Array(n).fill(-1),
 *   high: new Float64Array(n).fill(1) }) as const;
 * const agent = sacContinuous({ observationSpace: box(2), actionSpace: box(3) }, { seed: 1 });
 * const a = agent.act(new Float64Array([0.1, -0.2])); // greedy: tanh of the mean
 * if (a.length !== 3 || a.some((x) => !(x > -1 && x < 1))) throw new Error("inside the box");
 * agent.dispose();
 * ```
 */
export function sacContinuous(
  env: SpacesLike<Float64Array>,
  config: Partial<SacContinuousConfig> = {},
): SacContinuousAgent {
  const c = validate(
    resolveConfig(SAC_CONTINUOUS_DEFAULTS, config, {
      schema: SAC_CONTINUOUS_SCHEMA,
      owner: "sacContinuous",
    }),
  );
  const d = obsDimOf(env.observationSpace);
  const { k, scale, bias } = boxScale(env.actionSpace);
  const nets = sacNetworks(c, { actor: [d, 2 * k], critic: [d + k, 1] });
  const { actor, q1, q2 } = nets;
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    actionDim: k,
    rng: stream(c.seed, `${c.name}/replay`),
  });
  const prep = new ObsPrep(c, d);
  const counter: StepCounter = { steps: 0 };
  const policy = { k, scale, bias, logStdMin: c.logStdMin, logStdMax: c.logStdMax };
  const sampler = squashedSampler({ c, d, policy });
  const update = continuousSacUpdate({ c, nets, replay, prep, sampler });
  const { act, actBatch } = squashedActing({ c, actor, prep, counter, policy });
  return sacLearner({
    kind: "sac-continuous",
    config: c,
    nets,
    replay,
    prep,
    counter,
    d,
    k,
    act,
    actBatch,
    update,
  }, {
    policy(obs: Float64Array) {
      const a = actor.forward1(prep.prepare(obs, 1));
      const mean = a.slice(0, k);
      const std = Float64Array.from(a.subarray(k, 2 * k), (r) => Math.exp(logStdOf(c, r)));
      return { mean, std };
    },
    qValue(obs: Float64Array, action: Float64Array): number {
      const x = new Float64Array(d + k);
      x.set(prep.prepare(obs, 1));
      x.set(action.subarray(0, k), d);
      return Math.min(q1.forward1(x)[0], q2.forward1(x)[0]);
    },
  });
}

/** The centre and half-width of each dimension of a box with finite bounds (`ConfigError` if not). */
function boxScale(space: SpacesLike<Float64Array>["actionSpace"]) {
  const k = checkInt("actionSpace.shape (product)", space.low.length, 1, 2 ** 12);
  const scale = new Float64Array(k), bias = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const lo = space.low[i], hi = space.high[i];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
      throw new ConfigError(`actionSpace.low/high[${i}]`, "finite bounds with low < high", [
        lo,
        hi,
      ]);
    }
    scale[i] = (hi - lo) / 2;
    bias[i] = (hi + lo) / 2;
  }
  return { k, scale, bias };
}

/** The squashed Gaussian policy's shape (`losses.ts`). */
interface SquashedPolicy {
  readonly k: number;
  readonly scale: Float64Array;
  readonly bias: Float64Array;
  readonly logStdMin: number;
  readonly logStdMax: number;
}

/** Log standard deviation from the actor's raw output (CleanRL's squashing). */
function logStdOf(c: SacContinuousConfig, raw: number): number {
  const lsSpan = c.logStdMax - c.logStdMin;
  return c.logStdMin + 0.5 * lsSpan * (Math.tanh(raw) + 1);
}

/**
 * `act` and `actBatch`: uniform actions in the box while exploring before `learningStarts`, then
 * `c + h·tanh(μ + σ·ε)` when exploring and `c + h·tanh(μ)` when greedy (stream `<name>/explore`).
 */
function squashedActing(o: {
  readonly c: SacContinuousConfig;
  readonly actor: Mlp;
  readonly prep: ObsPrep;
  readonly counter: StepCounter;
  readonly policy: SquashedPolicy;
}) {
  const { c, actor, prep, counter } = o;
  const { k, scale, bias } = o.policy;
  const explore = stream(c.seed, `${c.name}/explore`);
  let actions = new Float64Array(k);
  const oneAct = new Float64Array(k);
  function actRows(obs: Float64Array, rows: number, out: Float64Array, exploring: boolean) {
    if (exploring && counter.steps < c.learningStarts) {
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < k; i++) out[r * k + i] = bias[i] + scale[i] * (2 * explore() - 1);
      }
      return;
    }
    const a = actor.predict(prep.prepare(obs, rows), rows);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) {
        const mu = a[r * 2 * k + i];
        const sd = exploring ? Math.exp(logStdOf(c, a[r * 2 * k + k + i])) : 0;
        const x = exploring ? mu + sd * normal(explore) : mu;
        out[r * k + i] = bias[i] + scale[i] * Math.tanh(x);
      }
    }
  }
  return {
    act(obs: Float64Array, options?: ActOptions): Float64Array {
      actRows(obs, 1, oneAct, options?.explore ?? false);
      return oneAct;
    },
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Float64Array {
      if (actions.length !== rows * k) actions = new Float64Array(rows * k);
      actRows(obs, rows, actions, options?.explore ?? false);
      return actions;
    },
  };
}

/**
 * The buffers of a batch update: rows `[obs, action]` for the critics (`xa`), and sampled policy
 * actions with their ε, tanh, σ and log π (noise from the stream `<name>/update`).
 */
function squashedSampler(o: {
  readonly c: SacContinuousConfig;
  readonly d: number;
  readonly policy: SquashedPolicy;
}) {
  const { c, d, policy } = o;
  const { k } = policy;
  const B = c.batchSize, dk = d + k;
  const noise = stream(c.seed, `${c.name}/update`);
  const xa = new Float64Array(B * dk);
  const sample = {
    eps: new Float64Array(B * k),
    tanh: new Float64Array(B * k),
    std: new Float64Array(B * k),
    logPi: new Float64Array(B),
  };
  return {
    d,
    k,
    policy,
    xa,
    sample,
    /** Samples actions for `rows` actor outputs into the action columns of `xa`. */
    sampleInto(out: Float64Array, rows: number): void {
      for (let j = 0; j < rows * k; j++) sample.eps[j] = normal(noise);
      sampleSquashed(policy, { out, rows, sample, acts: xa, stride: dk, offset: d });
    },
    /** Rows `[obs_r, action_r]` into `xa` (the action columns untouched if `acts` is null). */
    concat(obs: Float64Array, acts: Float64Array | null, rows: number): void {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < d; j++) xa[r * dk + j] = obs[r * d + j];
        if (acts) { for (let i = 0; i < k; i++) xa[r * dk + d + i] = acts[r * k + i]; }
      }
    },
  };
}

/** What the update steps of continuous SAC work on. */
interface UpdateParts {
  readonly c: SacContinuousConfig;
  readonly nets: SacNetworks;
  readonly replay: ReplayBuffer;
  readonly prep: ObsPrep;
  readonly sampler: ReturnType<typeof squashedSampler>;
}

/**
 * One training round: a critic update on a sampled batch; every `policyFrequency` critic updates,
 * `policyFrequency` actor (and temperature) updates on that batch; every `targetNetworkFrequency`
 * critic updates, a Polyak step of the targets. Returns the critic loss.
 */
function continuousSacUpdate(o: UpdateParts): () => number {
  const { c, nets } = o;
  const batch = createBatch(c.batchSize, o.sampler.d, o.sampler.k);
  const updateCritics = criticStep(o, batch);
  const updateActor = actorStep(o, batch);
  let critics = 0;
  return (): number => {
    const loss = updateCritics();
    critics++;
    if (critics % c.policyFrequency === 0) {
      for (let i = 0; i < c.policyFrequency; i++) updateActor();
    }
    if (critics % c.targetNetworkFrequency === 0) nets.syncTargets(c.tau);
    nets.stats.updates++;
    return loss;
  };
}

/** Samples `batch` and regresses both critics on the soft target; returns their summed loss. */
function criticStep(o: UpdateParts, batch: Batch): () => number {
  const { c, prep, replay, sampler } = o;
  const { actor, q1, q2, q1Target, q2Target, qOpt, stats } = o.nets;
  const { xa, sample } = sampler;
  const B = c.batchSize;
  const y = new Float64Array(B);
  const dq = new Float64Array(B);
  return (): number => {
    replay.sample(batch, 1);
    const alpha = stats.alpha;
    const next = prep.prepare(batch.nextObs, B, 1);
    sampler.concat(next, null, B);
    sampler.sampleInto(actor.predict(next, B), B);
    const q1n = q1Target.predict(xa, B), q2n = q2Target.predict(xa, B);
    for (let b = 0; b < B; b++) {
      const v = Math.min(q1n[b], q2n[b]) - alpha * sample.logPi[b];
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * v;
    }
    const obs = prep.prepare(batch.obs, B, 2);
    sampler.concat(obs, batch.actionValues, B);
    let loss = 0;
    for (const q of [q1, q2]) {
      const out = q.forward(xa, B);
      for (let b = 0; b < B; b++) {
        const e = out[b] - y[b];
        loss += e * e / B;
        dq[b] = 2 * e / B;
      }
      q.backward(dq);
    }
    qOpt.step();
    stats.qLoss = loss;
    return loss;
  };
}

/**
 * One actor update on the observations of `batch` (reparameterised through `min(Q_1, Q_2)`),
 * then, with `autotune`, one temperature update on a fresh sample from the updated actor.
 */
function actorStep(o: UpdateParts, batch: Batch): () => void {
  const { c, prep, sampler } = o;
  const { actor, q1, q2, actorOpt, stats } = o.nets;
  const { xa, sample, policy, d, k } = sampler;
  const B = c.batchSize, dk = d + k;
  const targetEntropy = c.targetEntropy ?? -k;
  const dq = new Float64Array(B);
  const dq2 = new Float64Array(B);
  const dLda = new Float64Array(B * k);
  const dOut = new Float64Array(B * 2 * k);
  return (): void => {
    const alpha = stats.alpha;
    const obs = prep.prepare(batch.obs, B, 2);
    const out = actor.forward(obs, B);
    sampler.concat(obs, null, B);
    sampler.sampleInto(out, B);
    const v1 = q1.forward(xa, B);
    const v2 = q2.forward(xa, B);
    let loss = 0, ent = 0;
    for (let b = 0; b < B; b++) {
      // −min(Q_1, Q_2): the gradient goes to the smaller critic (half to each at a tie).
      const w1 = v1[b] < v2[b] ? 1 : v1[b] > v2[b] ? 0 : 0.5;
      loss += (alpha * sample.logPi[b] - Math.min(v1[b], v2[b])) / B;
      ent -= sample.logPi[b] / B;
      dq[b] = -w1 / B;
      dq2[b] = -(1 - w1) / B;
    }
    // ∂(−min Q)/∂a through each critic (their parameters untouched), then through the squashing.
    const g1 = q1.backward(dq, { params: false, input: true })!;
    const g2 = q2.backward(dq2, { params: false, input: true })!;
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < k; i++) dLda[b * k + i] = g1[b * dk + d + i] + g2[b * dk + d + i];
    }
    squashedActorGrad(policy, { out, rows: B, sample, dLda, alpha, dOut });
    actor.backward(dOut);
    actorOpt.step();
    stats.policyLoss = loss;
    stats.entropy = ent;
    if (!c.autotune) return;
    // −α (log π + H̄) over a fresh sample from the updated actor; ∂/∂ log α = −α mean(·).
    sampler.sampleInto(actor.predict(obs, B), B);
    let m = 0;
    for (let b = 0; b < B; b++) m += (sample.logPi[b] + targetEntropy) / B;
    o.nets.stepTemperature(-alpha * m);
  };
}

/** The schema of {@linkcode SacContinuousConfig}. */
export const SAC_CONTINUOUS_SCHEMA: ConfigSchema<SacContinuousConfig> = {
  ...SAC_FIELDS,
  policyFrequency: int(1, 2 ** 16),
  targetNetworkFrequency: int(1, 2 ** 31),
  autotune: bool(),
  alpha: num(1e-12, 1e6),
  targetEntropy: nullable(num(-1e6, 1e6)),
  logStdMin: num(-50, 10),
  logStdMax: num(-50, 10),
  maxGradNorm: FIELDS.positiveOrInfinity,
  normalizeObs: FIELDS.normalizeObs,
  obsClip: FIELDS.obsClip,
};

/** The rules between fields (each field was checked by the schema). */
function validate(c: SacContinuousConfig): SacContinuousConfig {
  checkNum("logStdMax", c.logStdMax, c.logStdMin, 10);
  return c;
}
