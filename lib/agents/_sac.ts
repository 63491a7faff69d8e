/**
 * What the two SAC learners share (private to `lib/agents/`): the actor, the twin critics and
 * their Polyak targets, the learned temperature, their optimisers and diagnostics.
 *
 * @module
 */
import { stream } from "../rng.ts";
import { type Activation, createAdam, createMlp, polyakUpdate } from "./nn.ts";
import type { Action, ActionArray, ActOptions, LearnerKind, TransitionBatch } from "./types.ts";
import type { ReplayBuffer } from "./replay.ts";
import { FIELDS, type ObsPrep } from "./_common.ts";
import { int, num } from "../errors.ts";
import { assembleLearner, learnFromReplay, type StepCounter } from "./_learner.ts";

/** The hyperparameters both SAC learners have. */
export interface SacCommonConfig {
  readonly seed: number;
  readonly name: string;
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly policyLr: number;
  readonly qLr: number;
  readonly adamEpsilon: number;
  readonly maxGradNorm: number;
  readonly alpha: number;
  readonly updateFrequency: number;
  readonly learningStarts: number;
}

/** Layer widths of {@linkcode sacNetworks}' outer layers. */
export interface SacSizes {
  /** Input and output widths of the actor. */
  readonly actor: readonly [number, number];
  /** Input and output widths of each critic. */
  readonly critic: readonly [number, number];
}

/**
 * The actor, twin critics `q1`, `q2` and targets (copies of the critics; initialised in that
 * order from the stream `<name>/init`), `log α`, one Adam each for the actor, the critics and the
 * temperature, and the diagnostics.
 */
export function sacNetworks(c: SacCommonConfig, sizes: SacSizes) {
  const initRng = stream(c.seed, `${c.name}/init`);
  const net = { activation: c.activation, rng: initRng } as const;
  const [ai, ao] = sizes.actor, [qi, qo] = sizes.critic;
  const actor = createMlp({ ...net, sizes: [ai, ...c.hidden, ao] });
  const q1 = createMlp({ ...net, sizes: [qi, ...c.hidden, qo] });
  const q2 = createMlp({ ...net, sizes: [qi, ...c.hidden, qo] });
  const q1Target = createMlp({ ...net, sizes: [qi, ...c.hidden, qo] });
  const q2Target = createMlp({ ...net, sizes: [qi, ...c.hidden, qo] });
  /** Moves the targets towards the critics by `tau` (1: copies). */
  const syncTargets = (tau: number) => {
    polyakUpdate({ target: q1Target, source: q1, tau });
    polyakUpdate({ target: q2Target, source: q2, tau });
  };
  syncTargets(1);
  const logAlpha = { params: new Float64Array([Math.log(c.alpha)]), grads: new Float64Array(1) };
  const adam = { epsilon: c.adamEpsilon, maxGradNorm: c.maxGradNorm };
  const actorOpt = createAdam([actor], { ...adam, learningRate: c.policyLr });
  const qOpt = createAdam([q1, q2], { ...adam, learningRate: c.qLr });
  const alphaOpt = createAdam([logAlpha], { ...adam, learningRate: c.qLr });
  const stats = {
    alpha: c.alpha,
    entropy: NaN,
    qLoss: NaN,
    policyLoss: NaN,
    alphaLoss: NaN,
    updates: 0,
  };
  return {
    actor,
    q1,
    q2,
    q1Target,
    q2Target,
    actorOpt,
    qOpt,
    stats,
    syncTargets,
    /** One Adam step of `log α` given the temperature loss's gradient `g` (also the loss). */
    stepTemperature(g: number): void {
      stats.alphaLoss = g;
      logAlpha.grads[0] = g;
      alphaOpt.step();
      stats.alpha = Math.exp(logAlpha.params[0]);
    },
    /** Saved with the learner: the actor and critics (not the targets), and `log α`. */
    nets: { actor, q1, q2 },
    extra: { logAlpha: logAlpha.params },
    /** After a load: targets restart as copies of the critics, α from `log α`. */
    afterLoad(): void {
      syncTargets(1);
      stats.alpha = Math.exp(logAlpha.params[0]);
    },
  };
}

/** The networks and optimisers of a SAC learner. */
export type SacNetworks = ReturnType<typeof sacNetworks>;

/** What {@linkcode sacLearner} puts together. */
export interface SacParts<A extends Action, C extends SacCommonConfig> {
  readonly kind: LearnerKind;
  readonly config: C;
  readonly nets: SacNetworks;
  readonly replay: ReplayBuffer;
  readonly prep: ObsPrep;
  readonly counter: StepCounter;
  /** Observation length. */
  readonly d: number;
  /** Length of a vector action; 0 for an integer action. */
  readonly k: number;
  act(obs: Float64Array, options?: ActOptions): A;
  actBatch(obs: Float64Array, rows: number, options?: ActOptions): ActionArray<A>;
  /** One training round (critics, actor, temperature, targets); returns the critic loss. */
  readonly update: () => number;
}

/**
 * The SAC learner object: learns from replay every `updateFrequency` steps after
 * `learningStarts`, saves the actor, critics and `log α`, and has `alpha` and `more`'s properties.
 */
export function sacLearner<A extends Action, C extends SacCommonConfig, X extends object>(
  p: SacParts<A, C>,
  more: X,
) {
  const { config: c, nets, replay, prep, counter } = p;
  const stats = nets.stats;
  const withAlpha = Object.defineProperties(
    {
      get alpha(): number {
        return stats.alpha;
      },
    },
    Object.getOwnPropertyDescriptors(more),
  ) as { readonly alpha: number } & X;
  return assembleLearner({
    kind: p.kind,
    config: c,
    stats,
    prep,
    nets: nets.nets,
    extra: nets.extra,
    counter,
    d: p.d,
    k: p.k,
    act: p.act,
    actBatch: p.actBatch,
    observeBatch: (b: TransitionBatch<A>) =>
      learnFromReplay({
        batch: b,
        prep,
        replay,
        counter,
        every: c.updateFrequency,
        learningStarts: c.learningStarts,
        update: p.update,
      }),
    afterLoad: nets.afterLoad,
  }, withAlpha);
}

/** The schema fields both SAC learners share (in their configs' order; the rest is their own). */
export const SAC_FIELDS = {
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
} as const;
