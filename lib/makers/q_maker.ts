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
import { at, checkOneOf, checkOptions, num, numbers, oneOf, optional, str } from "../errors.ts";
import {
  type MakerContext,
  type MakerPolicy,
  type MakerPolicySpec,
  type MakerView,
} from "../game/mod.ts";
import {
  LEARNING_RATE,
  type LearningRate,
  type QLearner,
  type Schedule,
  scheduleField,
} from "../learn/mod.ts";
import { MAKER_STATE, type MakerEncoder, makerEncoder, type MakerStateOptions } from "./state.ts";
import { createTabularLearner, greedyState } from "./_tabular.ts";

export { loadInto } from "./_tabular.ts";

/** The learner's hyperparameters (CleanRL-style: one commented field each). */
export interface LearnerSettings {
  /** Discount γ. Default 1: a fixed window with the time in the state; rewards sum to the PnL. */
  gamma?: number;
  /**
   * Learning rate. Default `{kind: "visits", omega: 0.7}`: `α = N(s,a)^−0.7`, the polynomial
   * rate of Even-Dar & Mansour (2003). On 10,000-episode runs of one maker (seed 1, greedy
   * evaluation PnL) it did better than a constant 0.1 against the passive taker (81 vs 70) and
   * worse against the aggressive (137 vs 142) and reactive ones (69 vs 80), but its greedy
   * policy settled (the convergence criterion was met against passive and aggressive), while
   * with a constant rate the estimates of equivalent actions keep swapping places and it never
   * was. With other learners in the book, whose moves make the problem non-stationary, a floor
   * (`min`) or a constant rate keeps tracking them.
   */
  alpha?: LearningRate | number;
  /** Exploration ε: a number or a schedule over episodes. Default 0.1 (`trainMakers` sets a decay). */
  epsilon?: Schedule | number;
  /** What the ε schedule counts. Default `"episode"`. */
  epsilonUnit?: "episode" | "step";
  /** Initial Q-value. Default 0. */
  init?: number;
}

/** The options of a tabular agent, the Q-learning maker or the learning taker. */
export interface TabularAgentOptions extends LearnerSettings {
  /** `"learn"` (default) or `"greedy"` (play the greedy snapshot, no learning). */
  mode?: "learn" | "greedy";
  /** Initial Q-table (e.g. `loadQTable(...).table`), length `nStates × nActions`. */
  table?: ArrayLike<number>;
  /** Initial visit counts, same layout (needed for the greedy fallback of a loaded table). */
  visits?: ArrayLike<number>;
}

/** The schema of {@linkcode LearnerSettings} (also `train`'s `learner`). */
export const LEARNER_SETTINGS = {
  gamma: optional(num(0, 1)),
  alpha: optional(LEARNING_RATE),
  epsilon: optional(scheduleField({ lo: 0, hi: 1 })),
  epsilonUnit: optional(oneOf(["episode", "step"] as const)),
  init: optional(num()),
};

/** The schema of {@linkcode TabularAgentOptions}. */
export const TABULAR_AGENT_OPTIONS = {
  ...LEARNER_SETTINGS,
  mode: optional(oneOf(["learn", "greedy"] as const)),
  table: optional(numbers()),
  visits: optional(numbers({ lo: 0 })),
};

/** What a tabular agent, the Q-learning maker or the learning taker, exposes. */
export interface TabularAgent {
  /** Its learner (table, visits, ε, |ΔQ|). */
  readonly learner: QLearner;
  /** The action index played greedily in states never visited (see the options' `fallback`). */
  readonly fallback: number;
  /** `"learn"` or `"greedy"`; may be switched between episodes. */
  mode: "learn" | "greedy";
  /** The greedy snapshot played in greedy mode (refreshed by `snapshot()`). */
  readonly policy: Int32Array;
  /** Recomputes `policy` from the current table and visits; returns it. */
  snapshot(): Int32Array;
  /** Sum of the rewards received in the current (or last) episode. */
  readonly episodeReward: number;
  /** Number of distinct states it has acted in while learning. */
  readonly visited: number;
}

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
  const f = new Float64Array(4); // 0 state, 1 action, 2 cached next state (-1: none), 3 reward
  f[2] = -1;
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
    reset() {
      f[2] = -1;
      f[3] = 0;
    },
    act(view: Readonly<MakerView>): number {
      const s = f[2] >= 0 ? f[2] : encode(view);
      f[2] = -1;
      if (self.mode === "greedy") return policy[s];
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
