/**
 * The exact check: the optimal policy of a small, deterministic configuration of the game by
 * dynamic programming, and the value gap of a trained Q-learner's greedy policy.
 *
 * ## Why the DP is over the game's true state
 * The learner's state (`state.ts`) buckets a few features of the book; the game's future
 * depends on much more: the queue in front of the maker's bid, the background's quantity at
 * each level, the running cash and volumes that the PnL share is computed from. So the
 * learner's state is in general **not Markov**, and a DP over it would solve a different
 * problem. The DP here is over the **true state** of the game:
 *
 * - With one maker, a deterministic taker (passive, aggressive, Almgren–Chriss, or reactive)
 *   and a deterministic background (`refill: "fraction"`, no noise), the game draws no random
 *   number at all (the maker order stream is used only with n ≥ 2), so an episode is a function
 *   of the maker's actions. {@linkcode exactOptimum} checks this: a configuration that draws
 *   from any stream is rejected.
 * - The true state after a prefix of actions is the step index, every resting order in the
 *   book in queue order (owner and quantity, both sides), the maker's price, target and resting
 *   quantity, the views' flow fields, and the accounting (taker executed quantity and cash, the
 *   maker's volume), which is everything the game's future and rewards depend on (the
 *   background's state is its own quantity per level, read from the book; the taker's is its
 *   progress). Prefixes with equal true states are merged, level by level from the start
 *   (breadth-first, each state re-created by replaying one prefix that reaches it).
 * - The states and transitions form a finite-horizon MDP (`tabularMDP`, deterministic
 *   outcomes) solved by `backwardInduction` from `lib/learn`. Because the game is
 *   deterministic, the optimal value is the best episode return over all action sequences.
 *
 * Merging relies on the true state being complete; `verify` samples random pairs of merged
 * prefixes and checks that the same continuation gives the same rewards (it would catch a
 * missing component). The number of states grows about 3.7× per step in the test
 * configuration, so this is for horizons of 5 to 7 steps.
 *
 * ## What is compared
 * The learner is trained in the real game (`trainMakers`) and its greedy policy (over its own state)
 * is executed in the real game; its return is compared with the optimal value V*. The **value
 * gap** is `V* − V(greedy)`, never negative (a check on the DP itself). The report also says
 * whether the learner's state happens to be Markov on the reachable states (a deterministic
 * bisimulation: states with the same learner state have, for every action, the same reward and
 * the same next learner state); if it is not, the gap measures how much the aliasing (and the
 * learning) cost, not an error of the learner alone.
 *
 * @module
 */
import { ASK, BID } from "../book/mod.ts";
import {
  at,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  int,
  num,
  object,
  optional,
  underPath,
} from "../errors.ts";
import {
  createGame,
  type Game,
  type MakerPolicy,
  type MakerView,
  resolveConfig,
} from "../game/mod.ts";
import {
  backwardInduction,
  type FiniteHorizonSolution,
  type Outcome,
  type TabularMDP,
  tabularMDP,
} from "../learn/mod.ts";
import { stream } from "../rng.ts";
import { checkTakerSpec, type TakerSpec } from "../takers/mod.ts";
import { createQMaker, Q_MAKER_OPTIONS, type QMakerOptions } from "./q_maker.ts";
import { type MakerEncoder, makerEncoder } from "./state.ts";
import { type MakersTrainResult, type TrainGameConfig, trainMakers } from "./train.ts";

/** A small deterministic configuration: one maker, a fixed taker, no noise. */
export interface ExactConfig {
  /** The game (`makers` must be 1 or absent; keep `steps` small, ≤ 7). */
  game: TrainGameConfig;
  /** A deterministic taker strategy. Default `{kind: "passive"}`. */
  taker?: TakerSpec;
  /** Pairs of merged prefixes to verify by random continuations. Default 20. */
  verify?: number;
}

/** The game of an exact check: a training game with one maker (checked with its path). */
const EXACT_GAME = custom("a game config with one maker (TrainGameConfig)", (v, path) => {
  const g = checkObject(path, v, "a game config (TrainGameConfig)");
  for (const k of ["policy", "taker", "record"]) {
    if (k in g) throw new ConfigError(at(path, k), "absent (set by the exact check)", g[k]);
  }
  if (g.makers !== undefined && g.makers !== 1) {
    throw new ConfigError(at(path, "makers"), "1 (the exact check has one maker)", g.makers);
  }
  underPath(path, () => resolveConfig({ ...g, makers: 1 }));
  return g as TrainGameConfig;
});

const TAKER = custom("a taker spec", (v) => checkTakerSpec(v));

const EXACT_CONFIG = {
  game: EXACT_GAME,
  taker: optional(TAKER),
  verify: optional(int(0, 1e6), 20),
};

const EXACT_CHECK_CONFIG = {
  ...EXACT_CONFIG,
  maker: optional(object(Q_MAKER_OPTIONS)),
  episodes: optional(int(1, 1e9), 20_000),
  tolerance: optional(num(0, 1), 0.01),
};

/** The optimum of a small configuration (from {@linkcode exactOptimum}). */
export interface ExactOptimum {
  /** V*: the optimal episode return of the maker (its PnL share), in currency. */
  readonly value: number;
  /** Q*(root, a) per action: the best return after taking `a` first. */
  readonly rootValues: Float64Array;
  /** An optimal action sequence (indices), one per step. */
  readonly actions: Int32Array;
  /** Distinct true states per depth 0 … N. */
  readonly statesPerDepth: readonly number[];
  /** The explicit MDP over true states (node ids; depth-N nodes absorb). */
  readonly mdp: TabularMDP;
  /** Its backward-induction solution. */
  readonly solution: FiniteHorizonSolution;
  /** Depth of each node. */
  readonly depth: Int32Array;
  /** A prefix of actions reaching each node. */
  readonly prefixes: readonly Int32Array[];
  /** Child node of `(node, a)` at `node * nActions + a` (−1 at depth N). */
  readonly child: Int32Array;
  /** Reward of `(node, a)`, same layout. */
  readonly reward: Float64Array;
  /** Merged pairs verified, and how many disagreed (must be 0). */
  readonly verified: { readonly pairs: number; readonly mismatches: number };
  /** Number of actions. */
  readonly nActions: number;
  /** Number of steps N. */
  readonly steps: number;
}

/** A scripted maker that plays a given action sequence and sums its rewards. */
interface Script {
  actions: number[];
  total: number;
  last: number;
}

function scriptedGame(config: ExactConfig): { game: Game; script: Script } {
  const script: Script = { actions: [], total: 0, last: 0 };
  const policy = (): MakerPolicy => ({
    name: "script",
    reset() {
      script.total = 0;
      script.last = 0;
    },
    act: (view: Readonly<MakerView>) => script.actions[view.t] ?? 0,
    learn(r: number) {
      script.last = r;
      script.total += r;
    },
  });
  const game = createGame({
    ...config.game,
    makers: 1,
    policy: { kind: "custom", create: policy },
    taker: config.taker ?? { kind: "passive" },
  });
  return { game, script };
}

/** The true state of the game as a string key (see the module doc). */
function trueStateKey(game: Game, lp: Int32Array, lq: Float64Array): string {
  const b = game.book;
  const parts: number[] = [game.t];
  const push = (_id: number, owner: number, qty: number) => {
    parts.push(owner, qty);
  };
  for (const side of [BID, ASK] as const) {
    const k = b.levels(side, lp.length, lp, lq);
    if (k === lp.length) throw new ConfigError("game.bookSpan", "a book with < 4096 levels", k);
    for (let j = 0; j < k; j++) {
      parts.push(-1, lp[j]);
      b.forEachAt(side, lp[j], push);
    }
    parts.push(-2);
  }
  const v = game.views[0];
  const s = game.summary();
  parts.push(
    v.price,
    v.target,
    v.qty,
    v.lastVolume,
    v.prevVolume,
    v.lastFills,
    v.lastOtherFills,
    s.executed,
    Math.round(s.takerPnl / s.tickSize),
    s.makerVolume[0],
  );
  return parts.join(",");
}

/**
 * Enumerates the true states of a small deterministic configuration and solves it by backward
 * induction (see the module doc).
 *
 * @example
 * ```ts
 * import { exactOptimum } from "./exact.ts";
 * const opt = exactOptimum({
 *   game: {
 *     steps: 2, p0: 100, bookSpan: 50, game: { kind: "known", size: 200 },
 *     background: { depthLevels: 5, totalDepth: 500, askLevels: 2, askSize: 100 },
 *     bid: { maxQty: 200, maxOffset: 2 },
 *   },
 * });
 * if (opt.statesPerDepth[0] !== 1 || opt.actions.length !== 2) throw new Error();
 * if (!(opt.value >= 0)) throw new Error("a PnL share of a cost is not negative here");
 * ```
 */
export function exactOptimum(config: ExactConfig): ExactOptimum {
  // An ExactCheckConfig is an ExactConfig too: its extra fields are allowed (and checked).
  const verifyPairs = checkOptions(config, EXACT_CHECK_CONFIG, { owner: "exactOptimum" }).verify;
  const { game, script } = scriptedGame(config);
  const N = game.config.steps;
  if (N > 8) {
    throw new ConfigError("game.steps", "an integer in [1, 8] (the states grow ~4× per step)", N);
  }
  const run: Scripted = {
    game,
    script,
    N,
    nA: game.actions.n,
    seed: game.config.seed,
    lp: new Int32Array(4096),
    lq: new Float64Array(4096),
  };
  checkDeterministic(run);
  const tree = enumerateStates(run, verifyPairs);
  const verified = verifyMerges(run, tree.merged, verifyPairs);
  const { prefixes, child, reward } = tree;
  const nA = run.nA;
  const nNodes = prefixes.length;

  // The MDP over true states: stationary dynamics, depth-N nodes absorb with reward 0.
  const mdp = tabularMDP({
    nStates: nNodes,
    nActions: nA,
    outcomes: (s, a): readonly Outcome[] => {
      const c = child[s * nA + a];
      return c < 0 ? [[1, s, 0]] : [[1, c, reward[s * nA + a]]];
    },
  });
  const solution = backwardInduction({ mdp, horizon: N });
  const rootValues = new Float64Array(nA);
  for (let a = 0; a < nA; a++) rootValues[a] = reward[a] + solution.values[1 * nNodes + child[a]];
  const actions = new Int32Array(N);
  let node = 0;
  for (let t = 0; t < N; t++) {
    const a = solution.policy[t * nNodes + node];
    actions[t] = a;
    node = child[node * nA + a];
  }
  return {
    value: solution.values[0],
    rootValues,
    actions,
    statesPerDepth: tree.statesPerDepth,
    mdp,
    solution,
    depth: tree.depth,
    prefixes,
    child,
    reward,
    verified,
    nActions: nA,
    steps: N,
  };
}

/** The scripted game of an exact check and what replaying it needs. */
interface Scripted {
  readonly game: Game;
  readonly script: Script;
  /** Steps. */
  readonly N: number;
  /** Actions. */
  readonly nA: number;
  readonly seed: number | string;
  /** Scratch for {@linkcode trueStateKey}. */
  readonly lp: Int32Array;
  readonly lq: Float64Array;
}

/** Resets the game and plays the actions of `prefix`. */
function play(run: Scripted, prefix: ArrayLike<number>): void {
  run.script.actions = Array.from(prefix);
  run.game.reset(run.seed);
  for (let t = 0; t < prefix.length; t++) run.game.step();
}

/**
 * Determinism: the game must draw nothing. Wrap nothing; instead, replay a random sequence twice
 * under two different seeds and compare the true states at every step.
 */
function checkDeterministic(run: Scripted): void {
  const { game, script, N, nA, seed } = run;
  const r = stream(0, "exact:determinism");
  const seq = Array.from({ length: N }, () => Math.floor(r() * nA));
  const keys: string[] = [];
  for (const s of [seed, `${seed}:other`]) {
    script.actions = seq;
    game.reset(s);
    for (let t = 0; t < N; t++) {
      game.step();
      keys.push(trueStateKey(game, run.lp, run.lq));
    }
  }
  for (let t = 0; t < N; t++) {
    if (keys[t] !== keys[N + t]) {
      throw new ConfigError(
        "game",
        'a deterministic configuration (one maker, fixed taker, refill "fraction", no noise)',
        "the episode depends on the seed",
      );
    }
  }
}

/**
 * Breadth-first enumeration of the true states with merging: each node's action prefix, depth,
 * child per action (−1 at depth N) and reward, the states per depth, and pairs of merged
 * prefixes (at most `10 · verifyPairs + 100`) for {@linkcode verifyMerges}.
 */
function enumerateStates(run: Scripted, verifyPairs: number) {
  const { N, nA } = run;
  const prefixes: Int32Array[] = [new Int32Array(0)];
  const depthList: number[] = [0];
  const childList: number[] = [];
  const rewardList: number[] = [];
  const statesPerDepth = [1];
  const merged: [Int32Array, Int32Array][] = [];
  let levelStart = 0, levelEnd = 1;
  for (let d = 0; d < N; d++) {
    const ids = new Map<string, number>();
    for (let node = levelStart; node < levelEnd; node++) {
      const pre = prefixes[node];
      for (let a = 0; a < nA; a++) {
        const p = new Int32Array(d + 1);
        p.set(pre);
        p[d] = a;
        play(run, p);
        const key = trueStateKey(run.game, run.lp, run.lq);
        let id = ids.get(key);
        if (id === undefined) {
          id = prefixes.length;
          ids.set(key, id);
          prefixes.push(p);
          depthList.push(d + 1);
        } else if (merged.length < 10 * verifyPairs + 100) {
          merged.push([prefixes[id], p]);
        }
        childList[node * nA + a] = id;
        rewardList[node * nA + a] = run.script.last;
      }
    }
    levelStart = levelEnd;
    levelEnd = prefixes.length;
    statesPerDepth.push(levelEnd - levelStart);
  }
  const child = new Int32Array(prefixes.length * nA).fill(-1);
  const reward = new Float64Array(prefixes.length * nA);
  for (let k = 0; k < childList.length; k++) {
    if (childList[k] !== undefined) {
      child[k] = childList[k];
      reward[k] = rewardList[k];
    }
  }
  return { prefixes, depth: Int32Array.from(depthList), child, reward, statesPerDepth, merged };
}

/** Verify merges: the same random continuation from two merged prefixes gives equal rewards. */
function verifyMerges(
  run: Scripted,
  merged: readonly [Int32Array, Int32Array][],
  verifyPairs: number,
): { pairs: number; mismatches: number } {
  const { game, script, N, nA, seed } = run;
  let mismatches = 0, pairs = 0;
  const vr = stream(0, "exact:verify");
  for (
    let k = 0;
    k < merged.length && pairs < verifyPairs;
    k += Math.max(1, Math.floor(merged.length / verifyPairs))
  ) {
    const [a, b] = merged[k];
    const rest = Array.from({ length: N - a.length }, () => Math.floor(vr() * nA));
    const out: number[][] = [];
    for (const pre of [a, b]) {
      script.actions = [...pre, ...rest];
      game.reset(seed);
      const rs: number[] = [];
      for (let t = 0; t < N; t++) {
        game.step();
        if (t >= pre.length) rs.push(script.last);
      }
      out.push(rs);
    }
    pairs++;
    for (let t = 0; t < out[0].length; t++) {
      if (Math.abs(out[0][t] - out[1][t]) > 1e-9) {
        mismatches++;
        break;
      }
    }
  }
  return { pairs, mismatches };
}

/**
 * The small configuration of the exact check used by the tests and notebook 02: one maker
 * against a deterministic taker (default passive) over `steps` steps (default 6) of a small
 * book (P0 = 100, an 8-level background of 800 contracts refilled at ρ = 0.5, two ask levels),
 * bids of 0 to 200 in steps of 100 within 2 ticks of P0, the taker selling 100 per step; and a
 * learner whose state has one bin per step, the market price, its own bid and its own target
 * quantity (the taker's remaining size, the volume and its velocity are constant here and
 * dropped). 6 steps give about 6,500 true states; the learner has 288 states.
 *
 * @example
 * ```ts
 * import { smallExactConfig } from "./exact.ts";
 * const cfg = smallExactConfig({ steps: 4 });
 * if (cfg.game.steps !== 4 || cfg.maker?.state?.time?.length !== 3) throw new Error();
 * ```
 */
export function smallExactConfig(
  options: { steps?: number; taker?: TakerSpec; episodes?: number } = {},
): ExactCheckConfig {
  const o = checkOptions(options, SMALL_EXACT, { owner: "smallExactConfig" });
  const steps = o.steps;
  return {
    game: {
      steps,
      p0: 100,
      bookSpan: 50,
      seed: 0,
      arrival: { kind: "fixed" }, // deterministic: the taker starts at step 0
      game: { kind: "known", size: 100 * steps },
      background: { depthLevels: 8, totalDepth: 800, askLevels: 2, askSize: 100, resilience: 0.5 },
      bid: { startOffset: 1, startQty: 100, increment: 100, maxQty: 200, maxOffset: 2 },
    },
    taker: o.taker ?? { kind: "passive" },
    maker: {
      state: {
        time: Array.from({ length: steps - 1 }, (_, i) => i + 2),
        remaining: [],
        bestBid: [1, 2, 3],
        ownBid: [1, 2],
        volume: [],
        velocity: [],
        ownQty: [100, 200],
      },
    },
    episodes: o.episodes,
    tolerance: 0.01,
  };
}

const SMALL_EXACT = {
  steps: optional(int(1, 8), 6),
  taker: optional(TAKER),
  episodes: optional(int(1, 1e9), 20_000),
};

/** Whether the learner's state is Markov on the reachable true states. */
export interface MarkovReport {
  /** True if no two true states with the same learner state disagree (see the module doc). */
  readonly isMarkov: boolean;
  /** Distinct learner states over the reachable true states (before the last depth). */
  readonly learnerStates: number;
  /** Reachable true states (before the last depth). */
  readonly trueStates: number;
  /** Learner states that alias several true states. */
  readonly aliased: number;
  /** Learner states whose true states disagree on a reward or next learner state. */
  readonly conflicts: number;
}

/** Options of {@linkcode markovReport}. */
export interface MarkovReportOptions {
  /** The configuration `opt` was computed for. */
  config: ExactConfig;
  /** Its optimum (true states, transitions, rewards). */
  opt: ExactOptimum;
  /** The learner's encoder. */
  encoder: MakerEncoder;
}

/**
 * Checks whether `encoder`'s state is a deterministic bisimulation of the true states of
 * `opt`: every true state with the same learner state has, for every action, the same reward
 * and the same next learner state.
 */
export function markovReport(options: MarkovReportOptions): MarkovReport {
  const { config, opt, encoder } = checkOptions(options, {
    config: custom("an ExactConfig", (v, path) => checkObject(path, v) as unknown as ExactConfig),
    opt: custom("an ExactOptimum (from exactOptimum)", (v, path) => {
      const o = checkObject(path, v, "an ExactOptimum (from exactOptimum)");
      if (!(o.depth instanceof Int32Array) || !(o.child instanceof Int32Array)) {
        throw new ConfigError(path, "an ExactOptimum (from exactOptimum)", v);
      }
      return o as unknown as ExactOptimum;
    }),
    encoder: custom("a MakerEncoder (from makerEncoder)", (v, path) => {
      const o = checkObject(path, v, "a MakerEncoder (from makerEncoder)");
      if (typeof o.encode !== "function") {
        throw new ConfigError(path, "a MakerEncoder (from makerEncoder)", v);
      }
      return o as unknown as MakerEncoder;
    }),
  }, { owner: "markovReport" });
  const { game, script } = scriptedGame(config);
  const nA = opt.nActions;
  const nNodes = opt.depth.length;
  const lstate = new Int32Array(nNodes);
  for (let node = 0; node < nNodes; node++) {
    script.actions = Array.from(opt.prefixes[node]);
    game.reset(game.config.seed);
    for (let t = 0; t < opt.prefixes[node].length; t++) game.step();
    lstate[node] = encoder.encode(game.views[0]);
  }
  const groups = new Map<number, number[]>();
  let trueStates = 0;
  for (let node = 0; node < nNodes; node++) {
    if (opt.depth[node] >= opt.steps) continue;
    trueStates++;
    const g = groups.get(lstate[node]);
    if (g) g.push(node);
    else groups.set(lstate[node], [node]);
  }
  let aliased = 0, conflicts = 0;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    aliased++;
    const first = g[0];
    let bad = false;
    for (let j = 1; j < g.length && !bad; j++) {
      for (let a = 0; a < nA && !bad; a++) {
        const k0 = first * nA + a, k1 = g[j] * nA + a;
        const c0 = opt.child[k0], c1 = opt.child[k1];
        const last = opt.depth[first] === opt.steps - 1;
        if (Math.abs(opt.reward[k0] - opt.reward[k1]) > 1e-9) bad = true;
        else if (!last && lstate[c0] !== lstate[c1]) bad = true;
      }
    }
    if (bad) conflicts++;
  }
  return { isMarkov: conflicts === 0, learnerStates: groups.size, trueStates, aliased, conflicts };
}

/** Options of {@linkcode exactCheck}. */
export interface ExactCheckConfig extends ExactConfig {
  /** The learner (state edges and settings); its `mode` is forced to `"learn"`. */
  maker?: QMakerOptions;
  /** Training episodes. Default 20,000. */
  episodes?: number;
  /** Allowed gap as a fraction of |V*| (the tolerance). Default 0.01. */
  tolerance?: number;
}

/** The outcome of {@linkcode exactCheck}. */
export interface ExactCheckResult {
  /** V*, the optimal value (true-state DP). */
  readonly optimal: number;
  /** The return of the learner's greedy policy executed in the real game. */
  readonly learned: number;
  /** `optimal − learned` (≥ 0 up to rounding). */
  readonly gap: number;
  /** `gap / |optimal|`. */
  readonly relativeGap: number;
  /** The tolerance (fraction of |V*|). */
  readonly tolerance: number;
  /** Whether `relativeGap ≤ tolerance`. */
  readonly withinTolerance: boolean;
  /** Whether the learner's state is Markov here, and how far it is from it. */
  readonly markov: MarkovReport;
  /** An optimal action sequence, by name. */
  readonly optimalActions: readonly string[];
  /** The actions the greedy learner played, by name. */
  readonly learnedActions: readonly string[];
  /** The optimum in full. */
  readonly optimum: ExactOptimum;
  /** The training run. */
  readonly run: MakersTrainResult;
}

/**
 * Trains a Q-learning maker on a small deterministic configuration, solves the configuration
 * exactly, and reports the value gap of the learner's greedy policy (see the module doc).
 */
export function exactCheck(config: ExactCheckConfig): ExactCheckResult {
  const { episodes, tolerance } = checkOptions(config, EXACT_CHECK_CONFIG, {
    owner: "exactCheck",
  });
  const opt = exactOptimum(config);
  const makerOptions: QMakerOptions = { ...(config.maker ?? {}), mode: "learn" };
  const run = trainMakers({
    label: "exact",
    game: { ...config.game, makers: 1 },
    taker: config.taker ?? { kind: "passive" },
    policy: { kind: "q", ...makerOptions },
    episodes,
    evalEvery: Math.max(1, Math.round(episodes / 20)),
    evalEpisodes: 1,
  });
  const l = run.learners[0];
  // Execute the greedy policy (the last snapshot) in the real game, recording its actions.
  const played: number[] = [];
  const g = createGame({
    ...config.game,
    makers: 1,
    taker: config.taker ?? { kind: "passive" },
    policy: {
      kind: "custom",
      create: (ctx) => {
        const q = createQMaker(ctx, {
          ...makerOptions,
          mode: "greedy",
          table: l.table,
          visits: l.visits,
        });
        return {
          name: "greedy",
          act(view) {
            const a = q.act(view);
            played.push(a);
            return a;
          },
        };
      },
    },
  });
  const learned = g.run(g.config.seed).makerPnl[0];
  const encoder = makerEncoder({
    state: makerOptions.state,
    makers: 1,
    sizeVisible: g.config.game.sizeVisible,
  });
  const markov = markovReport({ config, opt, encoder });
  const gap = opt.value - learned;
  const relativeGap = opt.value === 0 ? Math.abs(gap) : gap / Math.abs(opt.value);
  const names = g.actions.names;
  return {
    optimal: opt.value,
    learned,
    gap,
    relativeGap,
    tolerance,
    withinTolerance: relativeGap <= tolerance,
    markov,
    optimalActions: Array.from(opt.actions, (a) => names[a]),
    learnedActions: played.map((a) => names[a]),
    optimum: opt,
    run,
  };
}
