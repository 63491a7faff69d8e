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
import { bool, checkInt, num } from "../errors.ts";
import type { ActOptions, Learner, SpacesLike, Transition } from "./types.ts";
import { type Activation, argmax, logSumExp, sampleLogits } from "./nn.ts";
import { createBatch, createReplayBuffer, type ReplayBuffer } from "./replay.ts";
import { discreteSacActorLoss } from "./losses.ts";
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
  const nets = sacNetworks(c, { actor: [d, n], critic: [d, n] });
  const { actor } = nets;
  const replay = createReplayBuffer({
    capacity: c.bufferSize,
    obsDim: d,
    rng: stream(c.seed, `${c.name}/replay`),
  });
  const prep = new ObsPrep(c, d);
  const counter: StepCounter = { steps: 0 };
  const update = discreteSacUpdate({ c, n, nets, replay, prep });
  const explore = stream(c.seed, `${c.name}/explore`);
  let actions = new Int32Array(1);
  return sacLearner({
    kind: "sac",
    config: c,
    nets,
    replay,
    prep,
    counter,
    d,
    k: 0,
    update,
    act(obs: Float64Array, options?: ActOptions): number {
      // Exploring before learning starts: uniform actions, as CleanRL does.
      if (options?.explore && counter.steps < c.learningStarts) return randInt(explore, 0, n - 1);
      const logits = actor.forward1(prep.prepare(obs, 1));
      return options?.explore ? sampleLogits(logits, explore) : argmax(logits, n);
    },
    actBatch(obs: Float64Array, rows: number, options?: ActOptions): Int32Array {
      if (actions.length !== rows) actions = new Int32Array(rows);
      const exploring = options?.explore ?? false;
      if (exploring && counter.steps < c.learningStarts) {
        for (let r = 0; r < rows; r++) actions[r] = randInt(explore, 0, n - 1);
        return actions;
      }
      const logits = actor.predict(prep.prepare(obs, rows), rows);
      for (let r = 0; r < rows; r++) {
        actions[r] = exploring ? sampleLogits(logits, explore, n, r * n) : argmax(logits, n, r * n);
      }
      return actions;
    },
  }, {
    probabilities(obs: Float64Array): Float64Array {
      const logits = actor.forward1(prep.prepare(obs, 1));
      const z = logSumExp(logits, n);
      return Float64Array.from(logits, (l) => Math.exp(l - z));
    },
  });
}

/**
 * One update of critics, actor and temperature on a sampled batch, then of the targets; returns
 * the critic loss.
 */
function discreteSacUpdate(o: {
  readonly c: SacConfig;
  readonly n: number;
  readonly nets: SacNetworks;
  readonly replay: ReplayBuffer;
  readonly prep: ObsPrep;
}): () => number {
  const { c, n, replay, prep } = o;
  const { actor, q1, q2, q1Target, q2Target, actorOpt, qOpt, stats } = o.nets;
  const B = c.batchSize;
  const targetEntropy = c.targetEntropyScale * Math.log(n);
  const batch = createBatch(B, prep.dim);
  const y = new Float64Array(B);
  const dq1 = new Float64Array(B * n);
  const dq2 = new Float64Array(B * n);
  const dLogits = new Float64Array(B * n);
  const minQ = new Float64Array(B * n);
  return (): number => {
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
    // d/d(log α) of α (H − H̄) is α (H − H̄): α shrinks while the policy is more random than H̄.
    if (c.autotune) o.nets.stepTemperature(alpha * (stats.entropy - targetEntropy));
    o.nets.syncTargets(c.tau);
    stats.updates++;
    return stats.qLoss;
  };
}

/** The schema of {@linkcode SacConfig} (no rules between fields). */
export const SAC_SCHEMA: ConfigSchema<SacConfig> = {
  ...SAC_FIELDS,
  autotune: bool(),
  alpha: num(1e-12, 1e6),
  targetEntropyScale: num(0, 1),
  maxGradNorm: FIELDS.positiveOrInfinity,
  normalizeObs: FIELDS.normalizeObs,
  obsClip: FIELDS.obsClip,
};
