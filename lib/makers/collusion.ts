/**
 * The tests a referee asks of learned play before calling it collusion (Calvano et al. 2020, §V):
 *
 * - **Exploitability** ({@linkcode exploitability}): freeze the other n − 1 makers at their learned
 *   greedy policies, train a fresh Q-learner for the remaining seat under the same regime (its best
 *   response within what tabular Q-learning finds), and compare what it earns with what the
 *   learned policy it replaces earns, on the same evaluation episodes (common random numbers):
 *   `gain = PnL(response) − PnL(learned)`, with a 95 % Student-t interval over the paired
 *   episodes. A gain near zero says the learned profile is close to an equilibrium of the learned
 *   game (no seat can do better against the others as they play); a large one says a maker was
 *   leaving money on the table, which is not what a stable cartel looks like. The response is
 *   itself a learner, so the gain is a lower bound on the true exploitability.
 * - **Deviation and punishment** ({@linkcode impulseResponse}): from the greedy play, force one maker
 *   (the deviator) to play a given action (default `up`: outbid by a tick, the bid side's
 *   undercut) at one step, then let every maker play its greedy policy again; the per-step bids
 *   and rewards of every maker, with and without the deviation, on the same episodes. A
 *   reward-punishment scheme shows as the rivals raising their bids after the deviation and the
 *   deviator losing from it, followed by a return to the pre-deviation bids; an immediate
 *   permanent move, or no reaction at all, is not one. In this game the book and the makers'
 *   states start afresh every episode, so a deviation's effect cannot outlast its episode under
 *   greedy play: the response is read over the steps after the deviation.
 *
 * @module
 */
import {
  arrayOf,
  at,
  checkInt,
  checkObject,
  checkOneOf,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  object,
  optional,
  seed,
  str,
  underPath,
} from "../errors.ts";
import {
  actionSet,
  createPolicy,
  evaluateGame,
  type GameConfig,
  type MakerPolicySpec,
  resolveConfig,
} from "../game/mod.ts";
import { meanCI } from "../metrics/mod.ts";
import type { TakerSpec } from "../takers/mod.ts";
import { greedyPolicies } from "./persist.ts";
import { Q_MAKER_OPTIONS, type QMakerOptions } from "./q_maker.ts";
import type { MakersTrainConfig, MakersTrainResult, TrainGameConfig } from "./train.ts";
import { trainMakers } from "./train.ts";

/** Options of {@linkcode exploitability}. */
export interface ExploitabilityOptions {
  /** The game the profile was learned in (its `makers` is n, ≥ 1). */
  readonly game: TrainGameConfig;
  /** The taker. */
  readonly taker: TakerSpec;
  /** The learned profile: one policy spec per maker (e.g. `greedyPolicies(run).policy`). */
  readonly policy: readonly MakerPolicySpec[];
  /** The seat whose policy is replaced by the fresh learner, in [0, n − 1]. */
  readonly seat: number;
  /**
   * The fresh learner's training: the `trainMakers` fields other than the game and the agents
   * (e.g. `convergenceRegime(game)`: the same budget rules as the learned profile's).
   */
  readonly train: Omit<MakersTrainConfig, "game" | "policy" | "taker" | "label" | "onProgress">;
  /** The fresh learner's own options (state edges, fallback), as the learned makers had. */
  readonly maker?: QMakerOptions;
  /** Evaluation episodes (paired: both profiles meet the same episodes), ≥ 2. */
  readonly episodes: number;
  /** Root of the evaluation seeds: episode `k` is seeded `"<evalSeed>:<k>"`. */
  readonly evalSeed: string;
  /** Root seed of the response's training game. Default `"br:<game.seed>:<seat>"`. */
  readonly seed?: number | string;
}

/** What {@linkcode exploitability} found. */
export interface Exploitability {
  /** The seat. */
  readonly seat: number;
  /** Mean PnL of the seat's learned policy against the others (evaluation episodes). */
  readonly learned: number;
  /** Mean PnL of the trained response in the same seat, on the same episodes. */
  readonly response: number;
  /** `response − learned`, the mean of the paired differences. */
  readonly gain: number;
  /** 95 % Student-t interval of `gain` over the paired episodes. */
  readonly lo: number;
  /** Upper end of the interval. */
  readonly hi: number;
  /** Standard deviation of the paired differences. */
  readonly sd: number;
  /** Evaluation episodes. */
  readonly episodes: number;
  /** The response's training run (whether it converged, when, its records). */
  readonly run: MakersTrainResult;
}

const SPEC_ALLOWED = "a maker policy spec ({kind, ...})";
const SPECS: Field<MakerPolicySpec[]> = arrayOf(
  custom(SPEC_ALLOWED, (v, path) => {
    const o = checkObject(path, v, SPEC_ALLOWED);
    if (typeof o.kind !== "string") {
      throw new ConfigError(at(path, "kind"), "a policy kind", o.kind);
    }
    return v as MakerPolicySpec;
  }),
  { minLength: 1 },
);

/** An object checked where it is used (a game config, a taker spec, training fields). */
const OBJECT = (what: string) =>
  custom(`an object (${what})`, (v, path) => checkObject(path, v, `an object (${what})`));

/** Throws unless `policy` has one spec per maker. */
function checkCount(policy: readonly unknown[], n: number): void {
  if (policy.length !== n) {
    throw new ConfigError("policy", `an array of ${n} specs (one per maker)`, policy.length);
  }
}

const EXPLOITABILITY = {
  game: OBJECT("a training game config"),
  taker: OBJECT("a taker spec"),
  policy: SPECS,
  seat: int(0, 63),
  train: OBJECT("trainMakers fields"),
  maker: optional(object(Q_MAKER_OPTIONS, "exploitability")),
  episodes: int(2, 1e7),
  evalSeed: str(),
  seed: optional(seed()),
};

/**
 * Trains a best response for one seat against the others' frozen policies and reports its gain
 * over the learned policy it replaces (see the module doc).
 *
 * @example
 * ```ts
 * import { exploitability } from "./collusion.ts";
 * // Against a fixed replenisher, seat 0's "learned" policy is a passive replenisher far below.
 * const game = { makers: 2, steps: 6, seed: 1, game: { kind: "known", size: 600 } } as const;
 * const x = exploitability({
 *   game,
 *   taker: { kind: "passive" },
 *   policy: [{ kind: "replenisher", offset: 8, qty: 100 }, { kind: "replenisher" }],
 *   seat: 0,
 *   train: { episodes: 300, evalEpisodes: 0 },
 *   episodes: 4,
 *   evalSeed: "x",
 * });
 * if (!(x.gain > 0)) throw new Error("bidding near the touch beats hiding 8 ticks down");
 * ```
 */
export function exploitability(options: ExploitabilityOptions): Exploitability {
  const o = checkOptions(options, EXPLOITABILITY, { owner: "exploitability" });
  const game = o.game as TrainGameConfig;
  const n = underPath("game", () => resolveConfig(game), "exploitability").makers;
  const policy = o.policy;
  checkCount(policy, n);
  checkInt("seat", o.seat, 0, n - 1);
  const seed = o.seed ?? `br:${game.seed ?? 0}:${o.seat}`;
  const run = trainMakers({
    ...options.train,
    label: `br:${o.seat}`,
    game: { ...game, seed },
    taker: options.taker,
    policy: policy.map((p, i) => (i === o.seat ? { kind: "q", ...(options.maker ?? {}) } : p)),
  });
  const response = greedyPolicies(run).policy[o.seat];
  const play = (specs: readonly MakerPolicySpec[]) =>
    evaluateGame({
      config: { ...game, policy: [...specs], taker: options.taker },
      episodes: o.episodes,
      seed: (k) => `${o.evalSeed}:${k}`,
      values: true,
    }).makerValues![o.seat].pnl;
  const learned = play(policy);
  const br = play(policy.map((p, i) => (i === o.seat ? response : p)));
  const diff = br.map((x, k) => x - learned[k]);
  const c = meanCI(diff);
  return {
    seat: o.seat,
    learned: mean(learned),
    response: mean(br),
    gain: c.mean,
    lo: c.lo,
    hi: c.hi,
    sd: c.sd,
    episodes: o.episodes,
    run,
  };
}

const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;

/** Options of {@linkcode impulseResponse}. */
export interface ImpulseOptions {
  /** The game: maker count, taker, market (every field but `policy` and `record`). */
  readonly config: Omit<GameConfig, "policy" | "record">;
  /** The profile: one policy spec per maker (e.g. greedy replays of learners). */
  readonly policy: readonly MakerPolicySpec[];
  /** The deviating maker, in [0, n − 1]. Default 0. */
  readonly deviator?: number;
  /** The step at which it deviates, in [0, N − 1]. */
  readonly step: number;
  /** The action it is forced to play there (a name of the game's action set). Default `"up"`. */
  readonly action?: string;
  /** Episodes (the same for both plays), ≥ 1. */
  readonly episodes: number;
  /** Root of the episode seeds: episode `k` is seeded `"<seed>:<k>"`. */
  readonly seed: string;
}

/** Per maker, per step, the means over the episodes without and with the deviation. */
export interface ImpulseMaker {
  /** `P0 − bid price` after each step (ticks), without the deviation. */
  readonly offsetBase: Float64Array;
  /** The same with the deviation. */
  readonly offsetDev: Float64Array;
  /** Reward of each step (currency), without the deviation. */
  readonly rewardBase: Float64Array;
  /** The same with the deviation. */
  readonly rewardDev: Float64Array;
  /** Episode PnL without the deviation. */
  readonly pnlBase: number;
  /** Episode PnL with the deviation. */
  readonly pnlDev: number;
}

/** What {@linkcode impulseResponse} returns. */
export interface ImpulseResponse {
  /** The deviator. */
  readonly deviator: number;
  /** The deviation step. */
  readonly step: number;
  /** The forced action's index. */
  readonly action: number;
  /** Share of the episodes in which the deviator's greedy action at the step already was the forced one. */
  readonly alreadyPlayed: number;
  /** Per maker. */
  readonly makers: readonly ImpulseMaker[];
}

const IMPULSE = {
  config: OBJECT("a game config without policy"),
  policy: SPECS,
  deviator: optional(int(0, 63), 0),
  step: int(0, 1e8),
  action: optional(str(), "up"),
  episodes: int(1, 1e7),
  seed: str(),
};

/**
 * The impulse response of a profile to a one-step forced deviation (see the module doc).
 *
 * @example
 * ```ts
 * import { impulseResponse } from "./collusion.ts";
 * const ir = impulseResponse({
 *   config: { makers: 2, steps: 5, seed: 1 },
 *   policy: [{ kind: "replenisher" }, { kind: "replenisher" }],
 *   step: 2,
 *   episodes: 2,
 *   seed: "ir",
 * });
 * // A replenisher at P0 − 1 forced "up" bids at P0 after step 2, then keeps its new price.
 * const m = ir.makers[0];
 * if (m.offsetBase[2] !== 1 || m.offsetDev[2] !== 0) throw new Error();
 * ```
 */
export function impulseResponse(options: ImpulseOptions): ImpulseResponse {
  const o = checkOptions(options, IMPULSE, { owner: "impulseResponse" });
  const config = o.config as Omit<GameConfig, "policy" | "record">;
  if ("policy" in config) {
    throw new ConfigError("config.policy", "absent (set the profile in `policy`)", "set");
  }
  const resolved = underPath("config", () => resolveConfig(config), "impulseResponse");
  const n = resolved.makers, N = resolved.steps, p0 = resolved.p0;
  const policy = o.policy;
  checkCount(policy, n);
  checkInt("deviator", o.deviator, 0, n - 1);
  checkInt("step", o.step, 0, N - 1);
  checkOneOf("action", o.action, actionSet(resolved.actions).names);
  let action = -1, already = 0;
  const forced: MakerPolicySpec = {
    kind: "custom",
    create: (ctx) => {
      action = ctx.actions.index(o.action);
      const inner = createPolicy(policy[o.deviator], ctx, `policy[${o.deviator}]`);
      return {
        name: inner.name,
        start: inner.start,
        reset: inner.reset?.bind(inner),
        learn: inner.learn?.bind(inner),
        act(view) {
          const a = inner.act(view);
          if (view.t !== o.step) return a;
          if (a === action) already++;
          return action;
        },
      };
    },
  };
  const play = (specs: readonly MakerPolicySpec[]) =>
    evaluateGame({
      config: { ...config, policy: [...specs] },
      episodes: o.episodes,
      seed: (k) => `${o.seed}:${k}`,
      steps: true,
    });
  const base = play(policy);
  const dev = play(policy.map((p, i) => (i === o.deviator ? forced : p)));
  const makers = base.makers.map((m, i) => ({
    offsetBase: base.steps!.makers[i].bidPrice.map((x) => p0 - x),
    offsetDev: dev.steps!.makers[i].bidPrice.map((x) => p0 - x),
    rewardBase: base.steps!.makers[i].reward,
    rewardDev: dev.steps!.makers[i].reward,
    pnlBase: m.pnl,
    pnlDev: dev.makers[i].pnl,
  }));
  return {
    deviator: o.deviator,
    step: o.step,
    action,
    alreadyPlayed: already / o.episodes,
    makers,
  };
}
