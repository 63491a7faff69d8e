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
 * With `N` environment copies the update schedule counts transitions, as DQN's does. The SAC of
 * Haarnoja et al. (2018) for box action spaces is {@linkcode sacContinuous} (`sac_continuous.ts`).
 *
 * @module
 */
import { randInt, stream } from "../rng.ts";
import { bool, checkInt, int, num } from "../errors.ts";
import type {
  ActOptions,
  Learner,
  LearnerState,
  SpacesLike,
  Transition,
  TransitionBatch,
} from "./types.ts";
import {
  type Activation,
  argmax,
  createAdam,
  createMlp,
  logSumExp,
  polyakUpdate,
  sampleLogits,
} from "./nn.ts";
import { createBatch, createReplayBuffer } from "./replay.ts";
import { discreteSacActorLoss } from "./losses.ts";
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

/** Discrete SAC hyperparameters. */
export interface SacConfig extends NormalizeFields {
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
  normalizeObs: false,
  obsClip: 10,
};

/** A discrete SAC agent. */
export interface SacAgent extends Learner<number> {
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
 * {@linkcode SAC_DEFAULTS}. Throws `ConfigError` naming a bad or unknown field.
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
  const c = resolveConfig(SAC_DEFAULTS, config, { schema: SAC_SCHEMA, owner: "sac" });
  const d = obsDimOf(env.observationSpace);
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 16);
  const B = c.batchSize;

  // Actor, twin critics and their targets, temperature.
  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, rng: initRng } as const;
  const actor = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q1 = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q2 = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q1Target = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  const q2Target = createMlp({ ...net, sizes: [d, ...c.hidden, n] });
  polyakUpdate({ target: q1Target, source: q1, tau: 1 });
  polyakUpdate({ target: q2Target, source: q2, tau: 1 });
  const logAlpha = { params: new Float64Array([Math.log(c.alpha)]), grads: new Float64Array(1) };
  const targetEntropy = c.targetEntropyScale * Math.log(n);
  const adam = { epsilon: c.adamEpsilon, maxGradNorm: c.maxGradNorm };
  const actorOpt = createAdam([actor], { ...adam, learningRate: c.policyLr });
  const qOpt = createAdam([q1, q2], { ...adam, learningRate: c.qLr });
  const alphaOpt = createAdam([logAlpha], { ...adam, learningRate: c.qLr });
  const explore = stream(c.seed, `${c.name}/explore`);
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    rng: stream(c.seed, `${c.name}/replay`),
  });
  const prep = new ObsPrep(c, d);
  const batch = createBatch(B, d);
  const y = new Float64Array(B);
  const dq1 = new Float64Array(B * n);
  const dq2 = new Float64Array(B * n);
  const dLogits = new Float64Array(B * n);
  const minQ = new Float64Array(B * n);
  const stats = {
    alpha: c.alpha,
    entropy: NaN,
    qLoss: NaN,
    policyLoss: NaN,
    alphaLoss: NaN,
    updates: 0,
  };
  let step = 0;
  let actions = new Int32Array(1);
  const single = singleBatch(d, 0);

  /** One update of critics, actor and temperature on a sampled batch; returns the critic loss. */
  function update(): number {
    replay.sample(batch, 1);
    const alpha = stats.alpha;
    // Soft target y = r + γ (1 − done) Σ_a π(a|s') [min Q̄(s', a) − α log π(a|s')].
    const next = prep.prepare(batch.nextObs, B, 1);
    const nextLogits = actor.predict(next, B);
    const q1Next = q1Target.predict(next, B);
    const q2Next = q2Target.predict(next, B);
    for (let b = 0; b < B; b++) {
      const o = b * n;
      const logZ = logSumExp(nextLogits, n, o);
      let v = 0;
      for (let a = o; a < o + n; a++) {
        const logp = nextLogits[a] - logZ;
        v += Math.exp(logp) * (Math.min(q1Next[a], q2Next[a]) - alpha * logp);
      }
      y[b] = batch.rewards[b] + c.gamma * (1 - batch.dones[b]) * v;
    }
    // Critics: mean (Q_i(s, a) − y)² each.
    const obs = prep.prepare(batch.obs, B, 2);
    let qLoss = 0;
    for (const [q, dq] of [[q1, dq1], [q2, dq2]] as const) {
      const out = q.forward(obs, B);
      dq.fill(0);
      for (let b = 0; b < B; b++) {
        const i = b * n + batch.actions[b];
        const e = out[i] - y[b];
        qLoss += e * e / B;
        dq[i] = 2 * e / B;
      }
      q.backward(dq);
    }
    qOpt.step();
    stats.qLoss = qLoss;
    // Actor: minimise Σ_a π(a|s) [α log π(a|s) − min Q(s, a)], with the updated critics fixed.
    const q1Now = q1.predict(obs, B), q2Now = q2.predict(obs, B);
    for (let j = 0; j < B * n; j++) minQ[j] = Math.min(q1Now[j], q2Now[j]);
    const logits = actor.forward(obs, B);
    const { loss: policyLoss, entropy } = discreteSacActorLoss({ logits, minQ, n, alpha, dLogits });
    actor.backward(dLogits);
    actorOpt.step();
    stats.policyLoss = policyLoss;
    stats.entropy = entropy;
    if (c.autotune) {
      // d/d(log α) of α (H − H̄) is α (H − H̄): α shrinks while the policy is more random than H̄.
      const gap = stats.entropy - targetEntropy;
      stats.alphaLoss = alpha * gap;
      logAlpha.grads[0] = alpha * gap;
      alphaOpt.step();
      stats.alpha = Math.exp(logAlpha.params[0]);
    }
    polyakUpdate({ target: q1Target, source: q1, tau: c.tau });
    polyakUpdate({ target: q2Target, source: q2, tau: c.tau });
    stats.updates++;
    return stats.qLoss;
  }

  const nets = { actor, q1, q2 }; // saved; the targets restart as copies of the critics
  const agent: SacAgent = {
    name: c.name,
    kind: "sac",
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
    act(obs: Float64Array, options?: ActOptions): number {
      // Exploring before learning starts: uniform actions, as CleanRL does.
      if (options?.explore && step < c.learningStarts) return randInt(explore, 0, n - 1);
      const logits = actor.forward1(prep.prepare(obs, 1));
      return options?.explore ? sampleLogits(logits, explore) : argmax(logits, n);
    },
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Int32Array {
      if (actions.length !== rows) actions = new Int32Array(rows);
      const exploring = options?.explore ?? false;
      if (exploring && step < c.learningStarts) {
        for (let r = 0; r < rows; r++) actions[r] = randInt(explore, 0, n - 1);
        return actions;
      }
      const logits = actor.predict(prep.prepare(obs, rows), rows);
      for (let r = 0; r < rows; r++) {
        actions[r] = exploring ? sampleLogits(logits, explore, n, r * n) : argmax(logits, n, r * n);
      }
      return actions;
    },
    observe(t: Transition): number {
      single.fill(t);
      return agent.observeBatch(single.batch);
    },
    observeBatch(b: TransitionBatch): number {
      prep.update(b.obs, b.n);
      for (let r = 0; r < b.n; r++) replay.addRow(b, r);
      const from = step;
      step += b.n;
      let loss = 0, rounds = 0;
      forEachDue({ from, to: step, every: c.updateFrequency }, (k) => {
        if (k <= c.learningStarts) return;
        loss += update();
        rounds++;
      });
      return rounds > 0 ? loss / rounds : NaN;
    },
    probabilities(obs) {
      const logits = actor.forward1(prep.prepare(obs, 1));
      const z = logSumExp(logits, n);
      return Float64Array.from(logits, (l) => Math.exp(l - z));
    },
    state(): LearnerState {
      return {
        kind: "sac",
        config: c as unknown as Record<string, unknown>,
        networks: saveNetworks(nets),
        extra: { logAlpha: [logAlpha.params[0]] },
        normalizer: prep.normalizer?.state() ?? null,
        steps: step,
      };
    },
    load(s: LearnerState): void {
      const extra = { logAlpha: logAlpha.params };
      step = loadState({ kind: "sac", config: c as never, nets, extra, prep }, s);
      polyakUpdate({ target: q1Target, source: q1, tau: 1 });
      polyakUpdate({ target: q2Target, source: q2, tau: 1 });
      stats.alpha = Math.exp(logAlpha.params[0]);
    },
    dispose() {},
  };
  return agent;
}

/** The schema of {@linkcode SacConfig} (no rules between fields). */
export const SAC_SCHEMA: ConfigSchema<SacConfig> = {
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
  autotune: bool(),
  alpha: num(1e-12, 1e6),
  targetEntropyScale: num(0, 1),
  maxGradNorm: FIELDS.positiveOrInfinity,
  normalizeObs: FIELDS.normalizeObs,
  obsClip: FIELDS.obsClip,
};
