/**
 * A learning taker (beyond the spec): the same tabular Q-learner drives the seller.
 *
 * - **Action**: how much to sell this step, as a multiple `m` of the even pace
 *   `remaining / stepsLeft` (default `m ∈ {0, 0.5, 1, 1.5, 2, 3}`: pause, slow, TWAP-like,
 *   faster, …); the child is `round(m · pace)`, at market (or with a walk limit `maxWalk`).
 *   At the last step it sells everything left, as every strategy does (then the game's unsold
 *   rule applies).
 * - **Reward**: its own PnL of the step against P0, `Σ (price − P0) × qty × tickSize` (the
 *   game's taker reward); the episode's rewards sum to the taker PnL, deadline sweep included,
 *   so holding back is paid for at the deadline.
 * - **State** ({@linkcode takerEncoder}): time left; inventory against the even schedule
 *   (`remaining / (Q · stepsLeft / N)`: 1 on the TWAP line, < 1 ahead, > 1 behind); the
 *   depression of the best bid `P0 − bestBid`; the bid depth within 2 ticks of the best (what
 *   the makers and the background show). Default 4 · 5 · 4 · 3 = 240 states.
 *
 * Its view at `decide` is the book after the makers' moves of the step, which differs from the
 * view passed to `learn` (before them), so the update of a step is applied at the next `decide`,
 * with the state the next action is actually chosen in (at the last step, at once, terminal).
 *
 * @module
 */
import { BID, NONE } from "../book/mod.ts";
import {
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  nullable,
  numbers,
  optional,
  str,
} from "../errors.ts";
import { binIndex, decodeState, stateCount } from "../learn/mod.ts";
import type { TakerSpec, TakerStrategy, TakerView } from "../takers/mod.ts";
import { TABULAR_AGENT_OPTIONS, type TabularAgent, type TabularAgentOptions } from "./_tabular.ts";
import { resolveEdges } from "./state.ts";
import { createTabularLearner, greedyState } from "./_tabular.ts";

/** Bucket edges of the learning taker's state. */
export interface TakerStateOptions {
  /** Edges on steps left. Default `[2, 11, 31]`. */
  time?: readonly number[];
  /** Edges on `remaining / (Q · stepsLeft / N)`. Default `[0.5, 0.9, 1.1, 1.5]`. */
  inventory?: readonly number[];
  /** Edges on `P0 − bestBid` in ticks (no bid: last bin). Default `[2, 3, 5]`. */
  bestBid?: readonly number[];
  /** Edges on the bid depth within 2 ticks of the best bid. Default `[300, 600]`. */
  depth?: readonly number[];
}

/** The taker's features, most significant first. */
export const TAKER_FEATURES = ["time", "inventory", "bestBid", "depth"] as const;

/** The default edges of the taker's state. */
export const DEFAULT_TAKER_STATE: Readonly<Required<TakerStateOptions>> = Object.freeze({
  time: [2, 11, 31],
  inventory: [0.5, 0.9, 1.1, 1.5],
  bestBid: [2, 3, 5],
  depth: [300, 600],
});

/** The field checker of the taker's bucket edges (a {@linkcode TakerStateOptions}). */
export const TAKER_STATE: Field<Record<typeof TAKER_FEATURES[number], number[]>> = custom(
  `an object of bucket edges (${TAKER_FEATURES.join(", ")})`,
  (v, path) =>
    resolveEdges({
      state: v as TakerStateOptions,
      features: TAKER_FEATURES,
      defaults: DEFAULT_TAKER_STATE,
      field: path,
    }),
);

/** The learning taker's pure state encoder. */
export interface TakerEncoder {
  /** Number of states. */
  readonly nStates: number;
  /** Bins per feature, in {@linkcode TAKER_FEATURES} order. */
  readonly radices: Int32Array;
  /** The edges used. */
  readonly edges: Readonly<Record<typeof TAKER_FEATURES[number], readonly number[]>>;
  /** The state of a view (reads `view.book.depthWithin`). Allocation-free. */
  encode(view: Readonly<TakerView>): number;
  /** The bin of each feature of state `s`. */
  digits(s: number): Int32Array;
}

/**
 * Builds the taker's encoder.
 *
 * @example
 * ```ts
 * import { takerEncoder } from "./q_taker.ts";
 * if (takerEncoder().nStates !== 240) throw new Error("4 · 5 · 4 · 3");
 * ```
 */
export function takerEncoder(state: TakerStateOptions = {}, path = "taker.state"): TakerEncoder {
  const e = TAKER_STATE.check(state, path);
  const radices = Int32Array.from(TAKER_FEATURES, (f) => e[f].length + 1);
  const nStates = stateCount(radices);
  const eT = Float64Array.from(e.time), eI = Float64Array.from(e.inventory);
  const eB = Float64Array.from(e.bestBid), eD = Float64Array.from(e.depth);
  const [, rI, rB, rD] = radices;
  return {
    nStates,
    radices,
    edges: e,
    encode(view) {
      let s = binIndex(eT, view.stepsLeft);
      const even = view.size * view.stepsLeft / view.steps;
      s = s * rI + binIndex(eI, even > 0 ? view.remaining / even : 0);
      const bb = view.bestBid;
      s = s * rB + binIndex(eB, bb === NONE ? Infinity : view.p0 - bb);
      s = s * rD + binIndex(eD, view.book.depthWithin(BID, 2));
      return s;
    },
    digits: (s) => decodeState(radices, s),
  };
}

/** Options of the learning taker. */
export interface QTakerOptions extends TabularAgentOptions {
  /** Bucket edges of its state. */
  state?: TakerStateOptions;
  /** Sell multiples of the even pace, one action each. Default `[0, 0.5, 1, 1.5, 2, 3]`. */
  multiples?: readonly number[];
  /** Greatest walk below the best bid per child (an `ioc` floor); `null` (default): market. */
  maxWalk?: number | null;
  /** Action index played greedily in unvisited states. Default: the multiple closest to 1. */
  fallback?: number;
  /** Strategy name in records. Default `"q-taker"`. */
  name?: string;
}

/** The schema of {@linkcode QTakerOptions}. */
export const Q_TAKER_OPTIONS = {
  ...TABULAR_AGENT_OPTIONS,
  state: optional(TAKER_STATE),
  multiples: optional(numbers({ lo: 0, minLength: 1, maxLength: 64 })),
  maxWalk: optional(nullable(int(0, 1 << 22))),
  fallback: optional(int(0, 63)),
  name: optional(str()),
};

/** A learning taker (made by {@linkcode createQTaker}). */
export interface QTakerPolicy extends TakerStrategy, TabularAgent {
  /** Tag for type guards. */
  readonly kind: "q-taker";
  /** Its encoder. */
  readonly encoder: TakerEncoder;
  /** The sell multiples, by action. */
  readonly multiples: Float64Array;
}

/** Whether a taker strategy is a learning taker. */
export function isQTaker(s: TakerStrategy): s is QTakerPolicy {
  return (s as Partial<QTakerPolicy>).kind === "q-taker";
}

/**
 * Builds a learning taker drawing from `rng` (the game passes the `"taker"` stream).
 *
 * @example
 * ```ts
 * import { createGame } from "../game/mod.ts";
 * import { isQTaker, qTaker } from "./q_taker.ts";
 * const game = createGame({ makers: 0, taker: qTaker({ epsilon: 0.2 }), steps: 20, seed: 1 });
 * for (let e = 0; e < 5; e++) game.run();
 * if (!isQTaker(game.taker) || game.taker.learner.episodes !== 5) throw new Error("learned");
 * if (game.summary().executed !== 8000) throw new Error("sold everything by the deadline");
 * ```
 */
export function createQTaker(rng: () => number, options: QTakerOptions = {}): QTakerPolicy {
  checkOptions(options, Q_TAKER_OPTIONS, { path: "taker" });
  if (typeof rng !== "function") throw new ConfigError("rng", "a function () => number", rng);
  const encoder = takerEncoder(options.state);
  const multiples = Float64Array.from(options.multiples ?? [0, 0.5, 1, 1.5, 2, 3]);
  const nA = multiples.length;
  const maxWalk = options.maxWalk ?? null;
  if (maxWalk !== null && (!Number.isInteger(maxWalk) || maxWalk < 0)) {
    throw new ConfigError("taker.maxWalk", "null or a non-negative integer", maxWalk);
  }
  let fallback = options.fallback ?? -1;
  if (fallback === -1) {
    fallback = 0;
    for (let a = 1; a < nA; a++) {
      if (Math.abs(multiples[a] - 1) < Math.abs(multiples[fallback] - 1)) fallback = a;
    }
  } else if (!Number.isInteger(fallback) || fallback < 0 || fallback >= nA) {
    throw new ConfigError("taker.fallback", `an integer in [0, ${nA - 1}]`, fallback);
  }
  const learner = createTabularLearner({
    ...options,
    nStates: encoder.nStates,
    nActions: nA,
    rng,
    field: "taker",
  });
  const greedy = greedyState({ learner, fallback, mode: options.mode, field: "taker" });
  const policy = greedy.policy;
  // 0 state, 1 action, 2 pending reward, 3 pending (1) or not (0), 4 episode reward
  const f = new Float64Array(5);
  const self: QTakerPolicy = {
    kind: "q-taker",
    name: options.name ?? "q-taker",
    learner,
    encoder,
    multiples,
    fallback,
    mode: greedy.mode,
    policy,
    snapshot: greedy.snapshot,
    get episodeReward() {
      return f[4];
    },
    get visited() {
      return greedy.visited;
    },
    reset() {
      f[3] = 0;
      f[4] = 0;
    },
    decide(view, order) {
      const s = encoder.encode(view);
      let a: number;
      if (self.mode === "greedy") a = policy[s];
      else {
        if (f[3] === 1) learner.update(f[0], f[1], f[2], s, false);
        f[3] = 0;
        a = learner.act(s);
        greedy.visit(s);
        f[0] = s;
        f[1] = a;
      }
      const rem = view.remaining;
      if (view.stepsLeft <= 1) order.qty = rem;
      else {
        const q = Math.round(multiples[a] * rem / view.stepsLeft);
        order.qty = q < rem ? q : rem;
      }
      order.floor = maxWalk === null || view.bestBid === NONE ? NONE : view.bestBid - maxWalk;
    },
    learn(reward, _next, truncated) {
      f[4] += reward;
      if (self.mode === "greedy") return;
      if (truncated) {
        learner.update(f[0], f[1], reward, 0, true);
        learner.endEpisode();
        f[3] = 0;
      } else {
        f[2] = reward;
        f[3] = 1;
      }
    },
  };
  return self;
}

/** A game taker spec for a learning taker (`{kind: "custom", create}`). */
export function qTaker(options: QTakerOptions = {}): TakerSpec {
  checkOptions(options, Q_TAKER_OPTIONS, { owner: "qTaker", path: "taker" }); // at once
  return {
    kind: "custom",
    name: options.name ?? "q-taker",
    create: (ctx) => createQTaker(ctx.rng, options),
  };
}
