/**
 * Tabular Q-learning over integer states and actions (Watkins' Q-learning, Sutton & Barto §6.5).
 *
 * The Q-table is a `Float64Array(nStates * nActions)` with `Q(s, a)` at `s * nActions + a`.
 * `act(s)` is ε-greedy with seeded tie-breaking among equal greedy actions; `update(s, a, r, s2,
 * terminal)` applies
 *
 *     Q(s,a) ← Q(s,a) + α · (r + γ · max_a' Q(s2,a') − Q(s,a))   (no γ·max term if terminal)
 *
 * Both are allocation-free: mutable numbers live in typed arrays, nothing is created per call.
 * They take positional arguments (not an options object) for that reason.
 *
 * @module
 */
import {
  anything,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  num,
  oneOf,
  optional,
  positive,
  variant,
} from "../errors.ts";
import type { Rng } from "../rng.ts";
import { compileSchedule, type Schedule, scheduleAt, scheduleField } from "./schedule.ts";

/**
 * Learning rate α.
 *
 * - `constant`: `α = value`, in (0, 1].
 * - `visits`: `α = max(min, 1 / N(s,a)^omega)` where `N(s,a)` counts updates of `(s, a)`
 *   including the current one (so the first update has `α = 1` and replaces the initial value).
 *   `omega` in (0, 1]; `omega = 1` makes `Q(s,a)` the running mean of its targets (exact for
 *   bandits and for the last step of a finite horizon); `omega` in (1/2, 1) is the polynomial
 *   rate of Even-Dar & Mansour (2003), which converges faster than `1/N` when γ is near 1.
 *   `min` (default 0) floors α, e.g. to keep tracking a non-stationary opponent.
 */
export type LearningRate =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "visits"; readonly omega: number; readonly min?: number };

/** Options of `createQLearner`. Only `nStates`, `nActions`, `gamma` and `rng` are required. */
export interface QLearnerOptions {
  /** Number of states; states are the integers `0 .. nStates-1` (see `encodeState`). */
  nStates: number;
  /** Number of actions; actions are the integers `0 .. nActions-1`. */
  nActions: number;
  /** Discount factor γ in [0, 1]. With a fixed horizon and time in the state, 1 is natural. */
  gamma: number;
  /** Random stream for exploration and tie-breaking, one per learner: `stream(seed, "maker:2")`. */
  rng: Rng;
  /** Exploration rate ε in [0, 1]: a `Schedule` over `epsilonUnit`, or a constant. Default 0.1. */
  epsilon?: Schedule | number;
  /**
   * What the ε schedule counts: `"episode"` (calls to `endEpisode`) or `"step"` (calls to
   * `update`). Default `"episode"`.
   */
  epsilonUnit?: "episode" | "step";
  /** Learning rate α; a number is a constant in (0, 1]. Default 0.1. */
  alpha?: LearningRate | number;
  /**
   * Initial value of every `Q(s, a)`. Default 0. Optimistic initialisation: an upper bound on the
   * return, e.g. `rMax * horizon` or `rMax / (1 - γ)`, which makes the greedy policy try every
   * action before settling.
   */
  init?: number;
}

/** A tabular Q-learner: a plain object made by `createQLearner`. */
export interface QLearner {
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** The Q-table, `Q(s, a)` at `s * nActions + a`; live: `table.set(saved)` restores a table. */
  readonly table: Float64Array;
  /** Update counts `N(s, a)`, same layout as `table`. Live, like `table`. */
  readonly visits: Float64Array;
  /** The current exploration rate ε. */
  readonly epsilon: number;
  /** Number of `endEpisode` calls so far. */
  readonly episodes: number;
  /** Number of `update` calls so far. */
  readonly steps: number;
  /**
   * ε-greedy action in state `s`: with probability ε a uniform action, otherwise `greedy(s)`.
   * Draws from the learner's `rng` (none at all when ε = 0 and the greedy action is unique).
   */
  act(s: number): number;
  /** A greedy action in state `s`; equal maxima are broken uniformly at random with the `rng`. */
  greedy(s: number): number;
  /**
   * One Q-learning update for the transition `(s, a, r, s2)`. `terminal`: no bootstrap, the
   * target is `r` alone (and `s2` is ignored). Pass `true` when the MDP terminated, and also at
   * the last step of a fixed-length episode when the state contains the time remaining (the
   * project's makers): that state has no future. Pass `false` for a time-out of an environment
   * whose state does not contain the time (Gymnasium's truncation), so that `s2` is bootstrapped.
   */
  update(s: number, a: number, r: number, s2: number, terminal: boolean): void;
  /** Ends an episode: advances the episode counter (and ε if `epsilonUnit` is `"episode"`). */
  endEpisode(): void;
  /** Mean `|ΔQ|` (the change `α·δ` made to the table) over updates since `resetDelta`, or 0. */
  meanAbsDelta(): number;
  /** Starts a new window for `meanAbsDelta`. */
  resetDelta(): void;
}

// Slots of the learner's Float64Array of mutable numbers.
const EPS = 0;
const SUM_DELTA = 1;
const DELTA_FROM = 2; // STEPS at the last resetDelta
const EPISODES = 3;
const STEPS = 4;
const REWARD = 5; // the reward of the update under way

/**
 * Visit counts below this take α from a table (see `QTable`), which starts at 4,096 entries and
 * doubles as counts grow (at most 8 MB per learner).
 */
const ALPHA_TABLE_MAX = 1 << 20;

/**
 * A tabular Q-learner.
 *
 * @example
 * ```ts
 * import { createQLearner } from "./q_learner.ts";
 * import { stream } from "../rng.ts";
 * // Two-armed bandit as a one-state, terminal-every-step problem: arm 1 pays 1, arm 0 pays 0.
 * const rng = stream(1, "doc");
 * const q = createQLearner({ nStates: 1, nActions: 2, gamma: 1, rng, epsilon: 0.2 });
 * for (let i = 0; i < 200; i++) {
 *   const a = q.act(0);
 *   q.update(0, a, a === 1 ? 1 : 0, 0, true);
 *   q.endEpisode();
 * }
 * if (q.greedy(0) !== 1) throw new Error("should prefer arm 1");
 * if (!(q.table[1] > 0.99)) throw new Error("Q(0, 1) -> 1");
 * ```
 */
export function createQLearner(options: QLearnerOptions): QLearner {
  const o = checkQLearnerOptions(options);
  if (o.nStates * o.nActions > 0x7fffffff) {
    throw new ConfigError("nStates * nActions", "at most 2^31 - 1", o.nStates * o.nActions);
  }
  return new QTable(o);
}

/**
 * The learner of `createQLearner`. A class rather than closures over the factory's variables:
 * inlined into a caller's loop, its methods read their numbers from the object (one map check,
 * then fields the optimiser can keep) instead of from each closure's context. On bench:learn's
 * repeated game (section 2, run alone, load average 3.7–3.9 on 2 cores) that took the learner
 * from 0.74–0.75× to 0.83–0.92× the hand-inlined loop, same tables. The fields that change are in
 * a typed array (`#f`), so updating them never allocates a heap number.
 *
 * The hot methods are shaped for V8's inliner, which inlines a caller's callees by call count over
 * bytecode size, within about 920 bytes of bytecode per optimised function. `update` is a small
 * wrapper (always inlined) around `#update`; `#update` is kept small enough that both learners'
 * updates of bench:learn's repeated game fit the budget (344 bytes: the row maximum written out,
 * the per-step ε computed in `act` rather than here, one cold call for all the checks), while
 * `act` carries its argmax (as a separate method it was called, not inlined: the loop is compiled
 * early, when ε ≈ 1 and the greedy branch is rare) and runs as a call of its own. That took the
 * learner from 0.84–0.86× to 0.90–0.96× the hand-inlined loop (paired, load 2.1–2.4).
 */
class QTable implements QLearner {
  readonly nStates: number;
  readonly nActions: number;
  readonly table: Float64Array;
  readonly visits: Float64Array;
  readonly #gamma: number;
  readonly #rng: Rng;
  /** ε, Σ|ΔQ|, the step count at `resetDelta`, episodes, steps, reward (`EPS` … `REWARD`). */
  readonly #f = new Float64Array(6);
  readonly #epsAt: (t: number) => number;
  readonly #perStep: boolean;
  /** Whether ε changes per step (a constant ε never does: no per-step recomputation). */
  readonly #epsPerStep: boolean;
  /** The constant α, or 0 for α by visit counts. */
  readonly #alphaConst: number;
  readonly #omega: number;
  readonly #alphaMin: number;
  /**
   * α = max(min, N^−ω) of the visit counts, kept once computed (Math.pow was the update's largest
   * cost); the same doubles as computing it each time. 0 marks "not yet". Grown by doubling: with
   * a fixed 4,096 entries, 41% of the updates of a 10,000-episode default training (one maker,
   * passive taker) still called Math.pow.
   */
  #alphaTable: Float64Array;

  constructor(o: ReturnType<typeof checkQLearnerOptions>) {
    const { nStates: nS, nActions: nA, epsilon: eps, alpha: rate } = o;
    this.nStates = nS;
    this.nActions = nA;
    this.table = new Float64Array(nS * nA).fill(o.init);
    this.visits = new Float64Array(nS * nA);
    this.#gamma = o.gamma;
    this.#rng = o.rng;
    this.#f[EPS] = scheduleAt(eps, 0);
    this.#epsAt = compileSchedule(eps);
    this.#perStep = o.epsilonUnit === "step";
    this.#epsPerStep = this.#perStep && eps.kind !== "constant";
    this.#alphaConst = rate.kind === "constant" ? rate.value : 0;
    this.#omega = rate.kind === "visits" ? rate.omega : 1;
    this.#alphaMin = rate.kind === "visits" ? rate.min ?? 0 : 0;
    this.#alphaTable = new Float64Array(rate.kind === "visits" ? 4096 : 0);
  }

  get epsilon(): number {
    const f = this.#f;
    return this.#epsPerStep ? this.#epsAt(f[STEPS]) : f[EPS];
  }

  get episodes(): number {
    return this.#f[EPISODES];
  }

  get steps(): number {
    return this.#f[STEPS];
  }

  act(s: number): number {
    if ((s >>> 0) !== s || s >= this.nStates) this.#badState(s);
    const f = this.#f;
    // A per-step ε at the update count, computed here rather than in `#update` (see the class).
    const e = this.#epsPerStep ? this.#epsAt(f[STEPS]) : f[EPS];
    const rng = this.#rng;
    const nA = this.nActions;
    if (e > 0 && rng() < e) return Math.floor(rng() * nA);
    // `#argmax` written out (see the class).
    const q = this.table, base = s * nA;
    let best = q[base];
    let bestA = 0;
    let ties = 1;
    for (let a = 1; a < nA; a++) {
      const v = q[base + a];
      if (v > best) {
        best = v;
        bestA = a;
        ties = 1;
      } else if (v === best) {
        ties++;
      }
    }
    return ties === 1 ? bestA : this.#breakTie(base, bestA, ties);
  }

  greedy(s: number): number {
    if ((s >>> 0) !== s || s >= this.nStates) this.#badState(s);
    return this.#argmax(s * this.nActions);
  }

  update(s: number, a: number, r: number, s2: number, terminal: boolean): void {
    // The reward goes through the typed array, the rest as small integers: a call to the update
    // proper, where a caller does not inline it (its inlining budget spent), boxes no heap number.
    const f = this.#f;
    f[REWARD] = r;
    // Not a number (a string the typed array would coerce, or NaN): the check below must see it.
    if (f[REWARD] !== r) this.#badReward(r);
    this.#update(s, a, s2, terminal);
  }

  #update(s: number, a: number, s2: number, terminal: boolean): void {
    const nS = this.nStates, nA = this.nActions, q = this.table, f = this.#f;
    const r = f[REWARD];
    // One cold call for all checks: more throwing call sites here made V8 allocate per update.
    if (
      (s >>> 0) !== s || s >= nS || (a >>> 0) !== a || a >= nA || !(r - r === 0) ||
      (!terminal && ((s2 >>> 0) !== s2 || s2 >= nS))
    ) this.#badUpdate(s, a, s2);
    let target = r;
    if (!terminal) {
      const base = s2 * nA;
      let m = q[base];
      for (let b = 1; b < nA; b++) {
        const v = q[base + b];
        if (v > m) m = v;
      }
      target = r + this.#gamma * m;
    }
    const k = s * nA + a;
    const c = this.#alphaConst; // 0: α by visit counts
    const d = (c > 0 ? c : this.#visitsAlpha(k)) * (target - q[k]);
    this.visits[k]++;
    q[k] += d;
    f[SUM_DELTA] += d < 0 ? -d : d;
    f[STEPS]++;
  }

  endEpisode(): void {
    const f = this.#f;
    f[EPISODES]++;
    if (!this.#perStep) f[EPS] = this.#epsAt(f[EPISODES]);
  }

  meanAbsDelta(): number {
    const f = this.#f;
    const n = f[STEPS] - f[DELTA_FROM];
    return n === 0 ? 0 : f[SUM_DELTA] / n;
  }

  resetDelta(): void {
    const f = this.#f;
    f[SUM_DELTA] = 0;
    f[DELTA_FROM] = f[STEPS];
  }

  /** Argmax of row `base`; equal maxima broken uniformly with one `rng` draw. */
  #argmax(base: number): number {
    const q = this.table, nA = this.nActions;
    let best = q[base];
    let bestA = 0;
    let ties = 1;
    for (let a = 1; a < nA; a++) {
      const v = q[base + a];
      if (v > best) {
        best = v;
        bestA = a;
        ties = 1;
      } else if (v === best) {
        ties++;
      }
    }
    return ties === 1 ? bestA : this.#breakTie(base, bestA, ties);
  }

  /** One of the `ties` actions of row `base` worth as much as `bestA`, the first, drawn. */
  #breakTie(base: number, bestA: number, ties: number): number {
    const q = this.table, nA = this.nActions, best = q[base + bestA];
    let k = Math.floor(this.#rng() * ties);
    for (let a = bestA; a < nA; a++) {
      if (q[base + a] === best) {
        if (k === 0) return a;
        k--;
      }
    }
    return bestA; // unreachable: rng() < 1
  }

  /**
   * α = max(min, N^−ω) for the update of entry `k`, whose count `N` it is about to become (its
   * count + 1), from `#alphaTable` once computed.
   */
  #visitsAlpha(k: number): number {
    const n = this.visits[k] + 1;
    const j = n | 0;
    if (j === n && j >= this.#alphaTable.length && j < ALPHA_TABLE_MAX) this.#growAlphaTable(j);
    const table = this.#alphaTable;
    const cached = j === n && (j >>> 0) < table.length;
    let alpha = cached ? table[j] : 0;
    if (alpha === 0) {
      alpha = this.#omega === 1 ? 1 / n : Math.pow(n, -this.#omega);
      if (alpha < this.#alphaMin) alpha = this.#alphaMin;
      if (cached) table[j] = alpha;
    }
    return alpha;
  }

  /** Doubles `#alphaTable` until it holds index `j` (< ALPHA_TABLE_MAX). */
  #growAlphaTable(j: number): void {
    let size = this.#alphaTable.length;
    while (size <= j) size *= 2;
    const t = new Float64Array(size);
    t.set(this.#alphaTable);
    this.#alphaTable = t;
  }

  #badState(s: number, field = "s"): never {
    throw new ConfigError(field, `an integer in [0, ${this.nStates - 1}]`, s);
  }

  #badReward(r: unknown): never {
    throw new ConfigError("r", "a finite number", r);
  }

  #badUpdate(s: number, a: number, s2: number): never {
    const r = this.#f[REWARD];
    if ((s >>> 0) !== s || s >= this.nStates) this.#badState(s);
    if ((a >>> 0) !== a || a >= this.nActions) {
      throw new ConfigError("a", `an integer in [0, ${this.nActions - 1}]`, a);
    }
    if (!Number.isFinite(r)) this.#badReward(r);
    this.#badState(s2, "s2");
  }
}

/** The checked options of `createQLearner` (defaults filled). */
function checkQLearnerOptions(options: QLearnerOptions) {
  return checkOptions(options, Q_LEARNER_OPTIONS, { owner: "createQLearner" });
}

/**
 * The field checker of a learning rate: a number in (0, 1] (a constant) or a
 * {@linkcode LearningRate} object, unknown keys rejected; errors name the path (`alpha.omega`).
 */
export const LEARNING_RATE: Field<LearningRate> = (() => {
  const unit = positive(1);
  const kind = anything("the rate's kind");
  const rate = variant("kind", {
    constant: { kind, value: unit },
    visits: { kind, omega: unit, min: optional(num(0, 1)) },
  });
  const allowed = "a number in (0, 1] or a LearningRate";
  return custom(allowed, (v, path) => {
    if (typeof v === "number") return { kind: "constant", value: unit.check(v, path) };
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new ConfigError(path, allowed, v);
    }
    return rate.check(v, path) as LearningRate;
  });
})();

/** The schema of {@linkcode QLearnerOptions}. */
export const Q_LEARNER_OPTIONS = {
  nStates: int(1, 0x7fffffff),
  nActions: int(1, 0xffff),
  gamma: num(0, 1),
  rng: fn<Rng>("a function () => number"),
  epsilon: optional(scheduleField({ lo: 0, hi: 1 }), { kind: "constant", value: 0.1 }),
  epsilonUnit: optional(oneOf(["episode", "step"] as const), "episode"),
  alpha: optional(LEARNING_RATE, { kind: "constant", value: 0.1 }),
  init: optional(num(), 0),
};
