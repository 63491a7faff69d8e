/**
 * A Q-learning maker: a {@linkcode MakerPolicy} that encodes its view with a
 * {@linkcode MakerEncoder}, acts ε-greedily with its own {@linkcode QLearner} (seeded from the
 * maker's own stream `"maker:<i>"`), and learns from the game's per-step reward (the change of
 * its running PnL share). Plugs into the game as `{kind: "custom", create}` ({@linkcode qMaker}).
 *
 * - **Learning** (`mode: "learn"`): `act(view)` encodes the state and draws an ε-greedy action;
 *   `learn(reward, next, truncated)` applies `update(s, a, r, s', terminal = truncated)`: the
 *   state contains the time left, so the end of the window has no future (see `QLearner`).
 *   `endEpisode` is called at the last step, so ε follows its schedule per episode.
 * - **Greedy** (`mode: "greedy"`): plays `policy[state]`, a snapshot of the greedy policy
 *   ({@linkcode greedyWithFallback}: the lowest-index best action, the `fallback` action in
 *   states never visited); draws no random number and changes nothing. This is how trained
 *   makers are evaluated and replayed.
 *
 * Several makers each get their own learner and stream; moves are simultaneous because the game
 * asks every maker for its action on the same snapshot before applying any.
 *
 * @module
 */
import { at, checkOneOf, checkOptions, optional, str } from "../errors.ts";
import type { MakerContext, MakerPolicy, MakerPolicySpec, MakerView } from "../game/mod.ts";
import { MAKER_STATE, type MakerEncoder, makerEncoder, type MakerStateOptions } from "./state.ts";
import {
  createTabularLearner,
  greedyState,
  TABULAR_AGENT_OPTIONS,
  type TabularAgent,
  type TabularAgentOptions,
} from "./_tabular.ts";

export { LEARNER_SETTINGS, loadInto, TABULAR_AGENT_OPTIONS } from "./_tabular.ts";
export type { LearnerSettings, TabularAgent, TabularAgentOptions } from "./_tabular.ts";

/** Options of a Q-learning maker. */
export interface QMakerOptions extends TabularAgentOptions {
  /** Bucket edges of the state (see `state.ts`). */
  state?: MakerStateOptions;
  /**
   * Action played greedily in a state never visited. Default `"keep_price"` (`"keep/keep"` with
   * the factored set): stay put, rather than the arbitrary action 0 of an all-zero row.
   */
  fallback?: string;
  /** Policy name in records. Default `"q"`. */
  name?: string;
}

/** The schema of {@linkcode QMakerOptions} with the game's maker count (`qMaker`'s options). */
export const Q_MAKER_OPTIONS = {
  ...TABULAR_AGENT_OPTIONS,
  state: optional(MAKER_STATE),
  fallback: optional(str()),
  name: optional(str()),
};

/** A Q-learning maker as built by {@linkcode createQMaker}. */
export interface QMakerPolicy extends MakerPolicy, TabularAgent {
  /** Tag for type guards ({@linkcode isQMaker}). */
  readonly kind: "q-maker";
  /** Its state encoder. */
  readonly encoder: MakerEncoder;
  /** Decisions taken in greedy mode since it was built (or since `resetCounts`). */
  readonly greedyDecisions: number;
  /** Of those, the decisions taken in states it never visited (where it plays `fallback`). */
  readonly unvisitedDecisions: number;
  /** Restarts both counts. */
  resetCounts(): void;
}

/** Whether a maker policy is a Q-learning maker. */
export function isQMaker(p: MakerPolicy): p is QMakerPolicy {
  return (p as Partial<QMakerPolicy>).kind === "q-maker";
}

/**
 * Builds a Q-learning maker for the game's maker context: its stream, the action set, and the
 * game's facts its state depends on (the number of makers decides whether the `competition`
 * feature exists; game 1 or 2 whether the remaining size does). `field` names the policy in error
 * messages (default `"policy"`).
 */
export function createQMaker(
  ctx: MakerContext,
  options: QMakerOptions & { field?: string } = {},
): QMakerPolicy {
  const field = options?.field ?? "policy";
  checkOptions(options, { ...Q_MAKER_OPTIONS, field: optional(str()) }, { path: field });
  if (options.fallback !== undefined) {
    checkOneOf(at(field, "fallback"), options.fallback, ctx.actions.names);
  }
  const encoder = makerEncoder({
    state: options.state,
    makers: ctx.makers,
    sizeVisible: ctx.sizeVisible,
    path: at(field, "state"),
  });
  const learner = createTabularLearner({
    ...options,
    nStates: encoder.nStates,
    nActions: ctx.actions.n,
    rng: ctx.rng,
    field,
  });
  const fallbackName = options.fallback ??
    (ctx.actions.kind === "spec" ? "keep_price" : "keep/keep");
  const fallback = ctx.actions.index(fallbackName);
  const greedy = greedyState({ learner, fallback, mode: options.mode, field });
  const policy = greedy.policy;
  // Mutable numbers in a typed array: no heap numbers in the step loop.
  // 0 state, 1 action, 2 cached next state (-1: none), 3 reward, 4 greedy decisions,
  // 5 greedy decisions in unvisited states
  const f = new Float64Array(6);
  f[2] = -1;
  const seen = greedy.seen;
  const encode = encoder.encode;

  const self: QMakerPolicy = {
    kind: "q-maker",
    name: options.name ?? "q",
    learner,
    encoder,
    fallback,
    mode: greedy.mode,
    policy,
    snapshot: greedy.snapshot,
    get episodeReward() {
      return f[3];
    },
    get visited() {
      return greedy.visited;
    },
    get greedyDecisions() {
      return f[4];
    },
    get unvisitedDecisions() {
      return f[5];
    },
    resetCounts() {
      f[4] = f[5] = 0;
    },
    reset() {
      f[2] = -1;
      f[3] = 0;
    },
    act(view: Readonly<MakerView>): number {
      const s = f[2] >= 0 ? f[2] : encode(view);
      f[2] = -1;
      if (self.mode === "greedy") {
        f[4]++;
        if (seen[s] === 0) f[5]++;
        return policy[s];
      }
      const a = learner.act(s);
      greedy.visit(s);
      f[0] = s;
      f[1] = a;
      return a;
    },
    learn(reward: number, next: Readonly<MakerView>, truncated: boolean): void {
      f[3] += reward;
      if (self.mode === "greedy") return;
      if (truncated) {
        learner.update(f[0], f[1], reward, 0, true);
        learner.endEpisode();
      } else {
        const s2 = encode(next);
        learner.update(f[0], f[1], reward, s2, false);
        f[2] = s2;
      }
    },
  };
  return self;
}

/**
 * A game policy spec for a Q-learning maker (`{kind: "custom", create}`); it takes the number of
 * makers and the game variant from the game it is placed in.
 *
 * @example
 * ```ts
 * import { createGame } from "../game/mod.ts";
 * import { isQMaker, qMaker } from "./q_maker.ts";
 * const game = createGame({ makers: 1, policy: qMaker(), steps: 20, seed: 1 });
 * for (let e = 0; e < 5; e++) game.run();
 * const p = game.policies[0];
 * if (!isQMaker(p) || p.learner.episodes !== 5 || p.visited === 0) throw new Error("learned");
 * ```
 */
export function qMaker(options: QMakerOptions = {}): MakerPolicySpec {
  checkOptions(options, Q_MAKER_OPTIONS, { owner: "qMaker", path: "policy" }); // at once
  return { kind: "custom", create: (ctx) => createQMaker(ctx, options) };
}
