/**
 * The parts every deep learner's factory shares (private to `lib/agents/`): the learner object
 * itself (name, kind, step count, normaliser, single-transition `observe`, `state`/`load`) around
 * the factory's own acting and learning, and the replay loop of the off-policy learners.
 *
 * @module
 */
import type {
  Action,
  ActionArray,
  ActOptions,
  LearnerKind,
  LearnerState,
  TransitionBatch,
} from "./types.ts";
import type { Transition } from "../env/types.ts";
import type { Mlp } from "./nn.ts";
import type { ReplayBuffer } from "./replay.ts";
import { forEachDue, loadState, ObsPrep, saveNetworks, singleBatch } from "./_common.ts";

/** Environment steps a learner has learned from, shared by its pieces. */
export interface StepCounter {
  steps: number;
}

/** What {@linkcode assembleLearner} puts together. */
export interface LearnerParts<A extends Action, C extends { readonly name: string }, S> {
  readonly kind: LearnerKind;
  /** The resolved hyperparameters. */
  readonly config: C;
  /** The diagnostics object, updated in place by the learner's pieces. */
  readonly stats: S;
  readonly prep: ObsPrep;
  /** The networks a state saves, by name (target networks are not saved). */
  readonly nets: Record<string, Mlp>;
  /** Learned vectors saved besides the networks (e.g. `logAlpha`), by name. */
  readonly extra: Record<string, Float64Array>;
  readonly counter: StepCounter;
  /** Observation length. */
  readonly d: number;
  /** Length of a vector action; 0 for an integer action. */
  readonly k: number;
  act(obs: Float64Array, options?: ActOptions): A;
  actBatch(obs: Float64Array, rows: number, options?: ActOptions): ActionArray<A>;
  observeBatch(b: TransitionBatch<A>): number;
  /** Runs after `load` copied a state in (e.g. to restart target networks from the online ones). */
  readonly afterLoad?: () => void;
}

/** The learner object {@linkcode assembleLearner} returns, before the factory's own methods. */
export interface AssembledLearner<A extends Action, C, S> {
  readonly name: string;
  readonly kind: LearnerKind;
  readonly config: C;
  readonly stats: S;
  readonly normalizer: ObsPrep["normalizer"];
  readonly steps: number;
  act(obs: Float64Array, options?: ActOptions): A;
  actBatch(obs: Float64Array, rows: number, options?: ActOptions): ActionArray<A>;
  observe(t: Transition<A>): number;
  observeBatch(b: TransitionBatch<A>): number;
  state(): LearnerState;
  load(state: LearnerState): void;
  dispose(): void;
}

/**
 * The learner object of `parts`, with the properties of `more` (getters kept as getters) added:
 * `observe` passes one transition to `observeBatch`, `state` copies the saved networks, extras,
 * normaliser and step count, and `load` checks and copies them back (`loadState`).
 */
export function assembleLearner<
  A extends Action,
  C extends { readonly name: string },
  S,
  X extends object,
>(parts: LearnerParts<A, C, S>, more: X): AssembledLearner<A, C, S> & X {
  const { kind, config, prep, nets, extra, counter } = parts;
  const single = singleBatch(parts.d, parts.k);
  const base: AssembledLearner<A, C, S> = {
    name: config.name,
    kind,
    config,
    stats: parts.stats,
    get normalizer() {
      return prep.normalizer;
    },
    get steps() {
      return counter.steps;
    },
    act: parts.act,
    actBatch: parts.actBatch,
    observe(t: Transition<A>): number {
      single.fill(t as Transition<number>);
      return parts.observeBatch(single.batch as unknown as TransitionBatch<A>);
    },
    observeBatch: parts.observeBatch,
    state(): LearnerState {
      return {
        kind,
        config: config as unknown as Record<string, unknown>,
        networks: saveNetworks(nets),
        extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Array.from(v)])),
        normalizer: prep.normalizer?.state() ?? null,
        steps: counter.steps,
      };
    },
    load(s: LearnerState): void {
      counter.steps = loadState({ kind, config: config as never, nets, extra, prep }, s);
      parts.afterLoad?.();
    },
    dispose() {},
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(more)) as
    & AssembledLearner<A, C, S>
    & X;
}

/** Options of {@linkcode learnFromReplay}. */
export interface ReplayLearning<A extends Action> {
  readonly batch: TransitionBatch<A>;
  readonly prep: ObsPrep;
  readonly replay: ReplayBuffer;
  readonly counter: StepCounter;
  /** Environment steps between training rounds. */
  readonly every: number;
  /** No round falls due at or before this step count. */
  readonly learningStarts: number;
  /** Gradient steps per round. Default 1. */
  readonly updatesPerRound?: number;
  /** Runs before each round's gradient steps (e.g. to redraw noisy weights). */
  readonly beforeRound?: () => void;
  /** One gradient step at step count `k` (the round's); returns its loss. */
  readonly update: (k: number) => number;
}

/**
 * The off-policy `observeBatch`: adds the batch's observations to the normaliser and its
 * transitions to the replay, advances the step count by `batch.n`, and runs the training rounds
 * that fall due (after `learningStarts`). Returns the mean loss of the gradient steps, or `NaN`.
 */
export function learnFromReplay<A extends Action>(o: ReplayLearning<A>): number {
  const { batch: b, counter } = o;
  const perRound = o.updatesPerRound ?? 1;
  o.prep.update(b.obs, b.n);
  for (let r = 0; r < b.n; r++) o.replay.addRow(b, r);
  const from = counter.steps;
  counter.steps += b.n;
  let loss = 0, rounds = 0;
  forEachDue({ from, to: counter.steps, every: o.every }, (k) => {
    if (k <= o.learningStarts) return;
    o.beforeRound?.();
    for (let g = 0; g < perRound; g++) loss += o.update(k);
    rounds += perRound;
  });
  return rounds > 0 ? loss / rounds : NaN;
}
