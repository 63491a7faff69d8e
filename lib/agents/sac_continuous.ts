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
import type {
  ActOptions,
  Learner,
  LearnerState,
  SpacesLike,
  Transition,
  TransitionBatch,
} from "./types.ts";
import { type Activation, createAdam, createMlp, polyakUpdate } from "./nn.ts";
import { createBatch, createReplayBuffer } from "./replay.ts";
import { sampleSquashed, squashedActorGrad } from "./losses.ts";
import {
  type ConfigSchema,
  FIELDS,
  forEachDue,
  loadState,
  type NormalizeFields,
  obsDimOf,
  ObsPrep,
  resolveConfig,
  saveNetworks,
  singleBatch,
} from "./_common.ts";

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
  const space = env.actionSpace;
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
  const B = c.batchSize;
  const dk = d + k;

  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, rng: initRng } as const;
  const actor = createMlp({ ...net, sizes: [d, ...c.hidden, 2 * k] });
  const q1 = createMlp({ ...net, sizes: [dk, ...c.hidden, 1] });
  const q2 = createMlp({ ...net, sizes: [dk, ...c.hidden, 1] });
  const q1Target = createMlp({ ...net, sizes: [dk, ...c.hidden, 1] });
  const q2Target = createMlp({ ...net, sizes: [dk, ...c.hidden, 1] });
  polyakUpdate({ target: q1Target, source: q1, tau: 1 });
  polyakUpdate({ target: q2Target, source: q2, tau: 1 });
  const logAlpha = { params: new Float64Array([Math.log(c.alpha)]), grads: new Float64Array(1) };
  const targetEntropy = c.targetEntropy ?? -k;
  const adam = { epsilon: c.adamEpsilon, maxGradNorm: c.maxGradNorm };
  const actorOpt = createAdam([actor], { ...adam, learningRate: c.policyLr });
  const qOpt = createAdam([q1, q2], { ...adam, learningRate: c.qLr });
  const alphaOpt = createAdam([logAlpha], { ...adam, learningRate: c.qLr });
  const explore = stream(c.seed, `${c.name}/explore`);
  const noise = stream(c.seed, `${c.name}/update`);
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    actionDim: k,
    rng: stream(c.seed, `${c.name}/replay`),
  });
  const prep = new ObsPrep(c, d);
  const batch = createBatch(B, d, k);
  const y = new Float64Array(B);
  const xa = new Float64Array(B * dk);
  const dq = new Float64Array(B);
  const dq2 = new Float64Array(B);
  const dOut = new Float64Array(B * 2 * k);
  // A sampled policy batch: ε, tanh(x), σ, log π.
  const sample = {
    eps: new Float64Array(B * k),
    tanh: new Float64Array(B * k),
    std: new Float64Array(B * k),
    logPi: new Float64Array(B),
  };
  const dLda = new Float64Array(B * k);
  const policy = { k, scale, bias, logStdMin: c.logStdMin, logStdMax: c.logStdMax };
  const lsSpan = c.logStdMax - c.logStdMin;
  const stats = {
    alpha: c.alpha,
    entropy: NaN,
    qLoss: NaN,
    policyLoss: NaN,
    alphaLoss: NaN,
    updates: 0,
  };
  let step = 0;
  let critics = 0;
  let actions = new Float64Array(k);
  const oneAct = new Float64Array(k);
  const single = singleBatch(d, k);

  /** Log standard deviation from the actor's raw output (CleanRL's squashing). */
  const logStdOf = (raw: number) => c.logStdMin + 0.5 * lsSpan * (Math.tanh(raw) + 1);

  /** Samples actions for `rows` actor outputs into the action columns of `xa` (noise stream). */
  function sampleInto(out: Float64Array, rows: number): void {
    for (let j = 0; j < rows * k; j++) sample.eps[j] = normal(noise);
    sampleSquashed(policy, { out, rows, sample, acts: xa, stride: dk, offset: d });
  }

  /** Rows `[obs_r, action_r]` into `xa`. */
  function concat(obs: Float64Array, acts: Float64Array | null, rows: number): void {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) xa[r * dk + j] = obs[r * d + j];
      if (acts) { for (let i = 0; i < k; i++) xa[r * dk + d + i] = acts[r * k + i]; }
    }
  }

  function updateCritics(): number {
    replay.sample(batch, 1);
    const alpha = stats.alpha;
    const next = prep.prepare(batch.nextObs, B, 1);
    concat(next, null, B);
    sampleInto(actor.predict(next, B), B);
    const q1n = q1Target.predict(xa, B), q2n = q2Target.predict(xa, B);
    for (let b = 0; b < B; b++) {
      const v = Math.min(q1n[b], q2n[b]) - alpha * sample.logPi[b];
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * v;
    }
    const obs = prep.prepare(batch.obs, B, 2);
    concat(obs, batch.actionValues, B);
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
  }

  function updateActor(): void {
    const alpha = stats.alpha;
    const obs = prep.prepare(batch.obs, B, 2);
    const out = actor.forward(obs, B);
    concat(obs, null, B);
    sampleInto(out, B);
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
    if (c.autotune) {
      // −α (log π + H̄) over a fresh sample from the updated actor; ∂/∂ log α = −α mean(·).
      sampleInto(actor.predict(obs, B), B);
      let m = 0;
      for (let b = 0; b < B; b++) m += (sample.logPi[b] + targetEntropy) / B;
      stats.alphaLoss = -alpha * m;
      logAlpha.grads[0] = -alpha * m;
      alphaOpt.step();
      stats.alpha = Math.exp(logAlpha.params[0]);
    }
  }

  function update(): number {
    const loss = updateCritics();
    critics++;
    if (critics % c.policyFrequency === 0) {
      for (let i = 0; i < c.policyFrequency; i++) updateActor();
    }
    if (critics % c.targetNetworkFrequency === 0) {
      polyakUpdate({ target: q1Target, source: q1, tau: c.tau });
      polyakUpdate({ target: q2Target, source: q2, tau: c.tau });
    }
    stats.updates++;
    return loss;
  }

  function actRows(obs: Float64Array, rows: number, out: Float64Array, exploring: boolean) {
    if (exploring && step < c.learningStarts) {
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < k; i++) out[r * k + i] = bias[i] + scale[i] * (2 * explore() - 1);
      }
      return;
    }
    const a = actor.predict(prep.prepare(obs, rows), rows);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) {
        const mu = a[r * 2 * k + i];
        const x = exploring ? mu + Math.exp(logStdOf(a[r * 2 * k + k + i])) * normal(explore) : mu;
        out[r * k + i] = bias[i] + scale[i] * Math.tanh(x);
      }
    }
  }

  const nets = { actor, q1, q2 }; // saved; the targets restart as copies of the critics
  const agent: SacContinuousAgent = {
    name: c.name,
    kind: "sac-continuous",
    config: c,
    stats,
    get alpha() {
      return stats.alpha;
    },
    get normalizer() {
      return prep.normalizer;
    },
    get steps() {
      return step;
    },
    act(obs: Float64Array, options?: ActOptions): Float64Array {
      actRows(obs, 1, oneAct, options?.explore ?? false);
      return oneAct;
    },
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Float64Array {
      if (actions.length !== rows * k) actions = new Float64Array(rows * k);
      actRows(obs, rows, actions, options?.explore ?? false);
      return actions;
    },
    observe(t: Transition<Float64Array>): number {
      single.fill(t);
      return agent.observeBatch(single.batch);
    },
    observeBatch(b: TransitionBatch<Float64Array>): number {
      prep.update(b.obs, b.n);
      for (let r = 0; r < b.n; r++) replay.addRow(b, r);
      const from = step;
      step += b.n;
      let loss = 0, rounds = 0;
      forEachDue({ from, to: step, every: c.updateFrequency }, (due) => {
        if (due <= c.learningStarts) return;
        loss += update();
        rounds++;
      });
      return rounds > 0 ? loss / rounds : NaN;
    },
    policy(obs) {
      const a = actor.forward1(prep.prepare(obs, 1));
      const mean = a.slice(0, k);
      const std = Float64Array.from(a.subarray(k, 2 * k), (r) => Math.exp(logStdOf(r)));
      return { mean, std };
    },
    qValue(obs, action) {
      const x = new Float64Array(dk);
      x.set(prep.prepare(obs, 1));
      x.set(action.subarray(0, k), d);
      return Math.min(q1.forward1(x)[0], q2.forward1(x)[0]);
    },
    state(): LearnerState {
      return {
        kind: "sac-continuous",
        config: c as unknown as Record<string, unknown>,
        networks: saveNetworks(nets),
        extra: { logAlpha: [logAlpha.params[0]] },
        normalizer: prep.normalizer?.state() ?? null,
        steps: step,
      };
    },
    load(s: LearnerState): void {
      const extra = { logAlpha: logAlpha.params };
      step = loadState({ kind: "sac-continuous", config: c as never, nets, extra, prep }, s);
      polyakUpdate({ target: q1Target, source: q1, tau: 1 });
      polyakUpdate({ target: q2Target, source: q2, tau: 1 });
      stats.alpha = Math.exp(logAlpha.params[0]);
    },
    dispose() {},
  };
  return agent;
}

/** The schema of {@linkcode SacContinuousConfig}. */
export const SAC_CONTINUOUS_SCHEMA: ConfigSchema<SacContinuousConfig> = {
  seed: FIELDS.seed,
  name: FIELDS.name,
  hidden: FIELDS.hidden,
  activation: FIELDS.activation,
  bufferSize: int(1, 2 ** 26),
  gamma: num(0, 1),
  tau: num(0, 1),
  batchSize: int(1, 2 ** 16),
  learningStarts: int(0, 2 ** 40),
  policyLr: num(0, 1),
  qLr: num(0, 1),
  adamEpsilon: num(0, 1),
  updateFrequency: int(1, 2 ** 31),
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
