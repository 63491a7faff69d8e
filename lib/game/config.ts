/**
 * Validation of a game configuration: every field checked, defaults filled, errors naming the
 * field and its allowed values (`ConfigError`).
 *
 * Accepted inputs: the fields of `GameConfig` only (an unknown key is rejected with a suggestion,
 * at any level: `"makres": unknown option; did you mean "makers"?`, `"resiliance": unknown option
 * of background; ...`); `seed` a safe integer or a non-empty string; counts and ticks integers in
 * their ranges; strings one of their listed values; no coercion (`makers: "2"` is an error under
 * `makers`). Nested fields are named with their path (`game.size.max`, `bid.startOffset`,
 * `policy[1].alpha`, `taker.maxWalk`, `background.resilience`). The taker's and the built-in
 * policies' options are checked here too, before anything is built; a custom policy or taker is
 * checked for its `create` function (what it returns is checked when the game builds it).
 *
 * @module
 */
import { MAX_QTY } from "../book/mod.ts";
import { checkInt, checkNum, checkOneOf, checkSeed, ConfigError } from "../errors.ts";
import { validateBackgroundOptions } from "../market/options.ts";
import { normal, type Rng } from "../rng.ts";
import { checkKeys, checkObject, checkPositive, optInt } from "../_validate.ts";
import { checkTakerSpec } from "../takers/strategies.ts";
import type { TakerSpec } from "../takers/types.ts";
import { ACTION_SET_KINDS, actionSet, type ActionSetKind } from "./actions.ts";
import { createPolicy } from "./policies.ts";
import {
  ARRIVAL_KINDS,
  type BackgroundFactory,
  GAME_KINDS,
  type GameBackgroundOptions,
  type GameConfig,
  type MakerContext,
  type MakerOrder,
  type MakerPolicySpec,
  ORDERS_RULES,
  type OrdersRule,
  POLICY_KINDS,
  type ResolvedBidRules,
  type SizeDistribution,
  type UnsoldRule,
} from "./types.ts";

/** Largest number of makers. */
export const MAX_MAKERS = 64;

/** The default meta-order size (game 1) and mean size (game 2). */
export const DEFAULT_SIZE = 8_000;

/** A resolved game variant. */
export interface ResolvedGame {
  /** `"known"` (game 1) or `"hidden"` (game 2). */
  readonly kind: "known" | "hidden";
  /** Whether the makers see the taker's remaining size. */
  readonly sizeVisible: boolean;
  /** The size distribution (game 1: fixed). */
  readonly size: SizeDistribution;
  /** Draws the episode's size from the `"size"` stream (no draw for a fixed size). */
  drawSize(rng: Rng): number;
}

/** The taker's window when `steps` is not given (the spec's minute). */
export const DEFAULT_WINDOW = 60;

/** The latest start of the default uniform arrival when `steps` is not given. */
export const DEFAULT_LATEST = 30;

/** A resolved arrival rule (see `ArrivalSpec` (types.ts)). */
export interface ResolvedArrival {
  /** `"fixed"` or `"uniform"`. */
  readonly kind: "fixed" | "uniform";
  /** Earliest start (0 for uniform). */
  readonly earliest: number;
  /** Latest start (the fixed start for fixed). */
  readonly latest: number;
  /** The taker's window in steps: `steps − latest`. */
  readonly window: number;
  /** Draws the episode's start from the `"arrival"` stream (no draw for a fixed start). */
  drawStart(rng: Rng): number;
}

/** A validated configuration with every default filled. */
export interface ResolvedConfig {
  /** Root seed of the named streams. */
  readonly seed: number | string;
  /** Number of steps N. */
  readonly steps: number;
  /** Seconds per step. */
  readonly stepSeconds: number;
  /** P0 in ticks. */
  readonly p0: number;
  /** Currency per tick. */
  readonly tickSize: number;
  /** The book spans `[p0 − bookSpan, p0 + bookSpan]`. */
  readonly bookSpan: number;
  /** The game variant. */
  readonly game: ResolvedGame;
  /** The taker's spec (its options are validated when the strategy is built). */
  readonly taker: TakerSpec;
  /** Number of makers n. */
  readonly makers: number;
  /** One policy spec per maker. */
  readonly policies: readonly MakerPolicySpec[];
  /** The bid rules. */
  readonly bid: ResolvedBidRules;
  /** The action set. */
  readonly actions: ActionSetKind;
  /** Order of the makers' updates within a step. */
  readonly makerOrder: MakerOrder;
  /** Rule for quantity unsold at the deadline. */
  readonly unsold: UnsoldRule;
  /** One order or several per maker. */
  readonly orders: OrdersRule;
  /** When the taker starts, and its window. */
  readonly arrival: ResolvedArrival;
  /** Background options or factory. */
  readonly background: GameBackgroundOptions | BackgroundFactory;
  /** Whether steps are recorded. */
  readonly record: boolean;
}

const CONFIG_KEYS = [
  "seed",
  "steps",
  "stepSeconds",
  "p0",
  "tickSize",
  "bookSpan",
  "game",
  "taker",
  "makers",
  "policy",
  "bid",
  "actions",
  "makerOrder",
  "unsold",
  "orders",
  "arrival",
  "background",
  "record",
];

const checkSize = (field: string, v: unknown) => checkInt(field, v, 1, MAX_QTY);

/** Validates a size distribution; returns a draw function. */
function resolveSize(field: string, v: unknown): [SizeDistribution, (rng: Rng) => number] {
  const o = checkObject(field, v);
  const kind = checkOneOf(`${field}.kind`, o.kind, ["fixed", "uniform", "choice", "lognormal"]);
  switch (kind) {
    case "fixed": {
      checkKeys(field, o, ["kind", "value"]);
      const value = checkSize(`${field}.value`, o.value);
      return [{ kind, value }, () => value];
    }
    case "uniform": {
      checkKeys(field, o, ["kind", "min", "max"]);
      const min = checkSize(`${field}.min`, o.min);
      const max = checkInt(`${field}.max`, o.max, min, MAX_QTY);
      return [{ kind, min, max }, (rng) => min + Math.floor(rng() * (max - min + 1))];
    }
    case "choice": {
      checkKeys(field, o, ["kind", "values", "weights"]);
      if (!Array.isArray(o.values) || o.values.length === 0) {
        throw new ConfigError(
          `${field}.values`,
          "a non-empty array of positive integers",
          o.values,
        );
      }
      const values = o.values.map((x, i) => checkSize(`${field}.values[${i}]`, x));
      let weights: number[];
      if (o.weights === undefined) weights = values.map(() => 1);
      else {
        if (!Array.isArray(o.weights) || o.weights.length !== values.length) {
          throw new ConfigError(
            `${field}.weights`,
            `an array of ${values.length} non-negative numbers`,
            o.weights,
          );
        }
        weights = o.weights.map((x, i) => checkNum(`${field}.weights[${i}]`, x, 0, 1e300));
      }
      const total = weights.reduce((a, b) => a + b, 0);
      if (!(total > 0)) {
        throw new ConfigError(`${field}.weights`, "weights with a positive sum", o.weights);
      }
      const cum = new Float64Array(values.length);
      let acc = 0;
      for (let i = 0; i < values.length; i++) cum[i] = acc += weights[i] / total;
      const dist: SizeDistribution = { kind, values, weights };
      return [dist, (rng) => {
        const u = rng();
        for (let i = 0; i < cum.length - 1; i++) if (u < cum[i]) return values[i];
        return values[values.length - 1];
      }];
    }
    case "lognormal": {
      checkKeys(field, o, ["kind", "median", "sigma", "min", "max"]);
      if (o.median === undefined) {
        throw new ConfigError(`${field}.median`, `a number in (0, ${MAX_QTY}]`, o.median);
      }
      const median = checkPositive(`${field}.median`, o.median, 0, MAX_QTY);
      const sigma = checkNum(`${field}.sigma`, o.sigma, 0, 10);
      const min = optInt(`${field}.min`, o.min, 1, 1, MAX_QTY);
      const max = optInt(`${field}.max`, o.max, MAX_QTY, min, MAX_QTY);
      return [{ kind, median, sigma, min, max }, (rng) => {
        const x = Math.round(median * Math.exp(sigma * normal(rng)));
        return x < min ? min : x > max ? max : x;
      }];
    }
  }
}

/** Validates the game variant. Add a case here (and in `GameSpec`) for a new variant. */
export function resolveGame(v: unknown): ResolvedGame {
  const o = checkObject("game", v);
  const kind = checkOneOf("game.kind", o.kind, GAME_KINDS);
  switch (kind) {
    case "known": {
      checkKeys("game", o, ["kind", "size"]);
      const value = o.size === undefined ? DEFAULT_SIZE : checkSize("game.size", o.size);
      return { kind, sizeVisible: true, size: { kind: "fixed", value }, drawSize: () => value };
    }
    case "hidden": {
      checkKeys("game", o, ["kind", "size"]);
      const [size, drawSize] = resolveSize(
        "game.size",
        o.size ?? { kind: "uniform", min: DEFAULT_SIZE / 2, max: (DEFAULT_SIZE * 3) / 2 },
      );
      return { kind, sizeVisible: false, size, drawSize };
    }
    default: {
      const never: never = kind;
      throw new ConfigError("game.kind", GAME_KINDS.join(", "), never);
    }
  }
}

/**
 * Validates the arrival rule and sets the episode length: `steps` (given, or 60 plus the latest
 * start) and the taker's window `steps − latest start` (see `ArrivalSpec` (types.ts)).
 *
 * @example
 * ```ts
 * import { resolveArrival } from "./config.ts";
 * const a = resolveArrival({ kind: "uniform" }, undefined);
 * if (a.steps !== 90 || a.arrival.window !== 60 || a.arrival.latest !== 30) throw new Error();
 * const f = resolveArrival({ kind: "fixed" }, 10);
 * if (f.steps !== 10 || f.arrival.window !== 10 || f.arrival.drawStart(() => 0.9) !== 0) {
 *   throw new Error("the first version's game");
 * }
 * ```
 */
export function resolveArrival(
  v: unknown,
  steps: number | undefined,
): { steps: number; arrival: ResolvedArrival } {
  const o = checkObject("arrival", v);
  const kind = checkOneOf("arrival.kind", o.kind, ARRIVAL_KINDS);
  const MAX_STEPS = 100_000_000;
  switch (kind) {
    case "fixed": {
      checkKeys("arrival", o, ["kind", "start"]);
      const hi = steps === undefined ? MAX_STEPS - DEFAULT_WINDOW : steps - 1;
      const start = optInt("arrival.start", o.start, 0, 0, hi);
      const n = steps ?? DEFAULT_WINDOW + start;
      const arrival = { kind, earliest: start, latest: start, window: n - start };
      return { steps: n, arrival: { ...arrival, drawStart: () => start } };
    }
    case "uniform": {
      checkKeys("arrival", o, ["kind", "latest"]);
      const hi = steps === undefined ? MAX_STEPS - DEFAULT_WINDOW : steps - 1;
      const def = steps === undefined ? DEFAULT_LATEST : Math.floor(steps / 3);
      const latest = optInt("arrival.latest", o.latest, def, 0, hi);
      const n = steps ?? DEFAULT_WINDOW + latest;
      const arrival = { kind, earliest: 0, latest, window: n - latest };
      return {
        steps: n,
        arrival: { ...arrival, drawStart: (rng: Rng) => Math.floor(rng() * (latest + 1)) },
      };
    }
    default: {
      const never: never = kind;
      throw new ConfigError("arrival.kind", ARRIVAL_KINDS.join(", "), never);
    }
  }
}

/** Validates the bid rules against the book span. */
function resolveBid(v: unknown, bookSpan: number): ResolvedBidRules {
  const o = checkObject("bid", v);
  checkKeys("bid", o, ["startOffset", "startQty", "increment", "maxQty", "minOffset", "maxOffset"]);
  const maxQty = optInt("bid.maxQty", o.maxQty, 2_000, 0, MAX_QTY);
  const increment = optInt("bid.increment", o.increment, 100, 1, MAX_QTY);
  const startQty = optInt("bid.startQty", o.startQty, Math.min(200, maxQty), 0, maxQty);
  const minOffset = optInt("bid.minOffset", o.minOffset, 0, 0, bookSpan);
  const maxOffset = optInt(
    "bid.maxOffset",
    o.maxOffset,
    Math.max(10, minOffset),
    minOffset,
    bookSpan,
  );
  const startOffset = optInt(
    "bid.startOffset",
    o.startOffset,
    Math.min(Math.max(1, minOffset), maxOffset),
    minOffset,
    maxOffset,
  );
  return { startOffset, startQty, increment, maxQty, minOffset, maxOffset };
}

function checkPolicySpec(field: string, v: unknown): MakerPolicySpec {
  const o = checkObject(field, v);
  checkOneOf(`${field}.kind`, o.kind, POLICY_KINDS);
  return o as MakerPolicySpec;
}

/**
 * Validates `config` and fills its defaults. Throws `ConfigError` naming the first bad field,
 * e.g. `makers: must be an integer in [0, 64], got -1`.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * const c = resolveConfig({ makers: 3 });
 * if (c.steps !== 90 || c.arrival.window !== 60 || c.orders !== "multi") throw new Error();
 * if (c.policies.length !== 3 || c.game.kind !== "known") throw new Error();
 * let message = "";
 * try { resolveConfig({ steps: 0 }); } catch (e) { message = (e as Error).message; }
 * if (message !== "steps: must be an integer in [1, 100000000], got 0") throw new Error(message);
 * ```
 */
export function resolveConfig(config: GameConfig = {}): ResolvedConfig {
  const c = checkObject("config", config);
  checkKeys("", c, CONFIG_KEYS);
  const seed = c.seed === undefined ? 0 : checkSeed("seed", c.seed);
  const given = c.steps === undefined ? undefined : optInt("steps", c.steps, 60, 1, 100_000_000);
  const { steps, arrival } = resolveArrival(c.arrival ?? { kind: "uniform" }, given);
  const stepSeconds = checkPositive("stepSeconds", c.stepSeconds, 1, 1e9);
  const bookSpan = optInt("bookSpan", c.bookSpan, 1_000, 1, (1 << 21) - 1);
  const p0 = optInt("p0", c.p0, 10_000, bookSpan, 0x7fffffff - bookSpan);
  const tickSize = checkPositive("tickSize", c.tickSize, 0.01, 1e9);
  const game = resolveGame(c.game ?? { kind: "known" });
  const takerSpec = checkTakerSpec(c.taker ?? { kind: "passive" });
  const makers = optInt("makers", c.makers, 2, 0, MAX_MAKERS);
  let policies: MakerPolicySpec[];
  const p = c.policy ?? { kind: "replenisher" };
  if (Array.isArray(p)) {
    if (p.length !== makers) {
      throw new ConfigError(
        "policy",
        `one spec or an array of ${makers} (one per maker)`,
        p.length,
      );
    }
    policies = p.map((x, i) => checkPolicySpec(`policy[${i}]`, x));
  } else {
    const one = checkPolicySpec("policy", p);
    policies = Array.from({ length: makers }, () => one);
  }
  const bid = resolveBid(c.bid ?? {}, bookSpan);
  const actions = c.actions === undefined
    ? "spec"
    : checkOneOf("actions", c.actions, ACTION_SET_KINDS);
  const makerOrder = c.makerOrder === undefined
    ? "random"
    : checkOneOf("makerOrder", c.makerOrder, ["random", "fixed"] as const);
  // The built-in policies' options, checked now with their paths (a custom one is built, and
  // checked, by the game).
  const ctx = (index: number): MakerContext => ({
    index,
    makers,
    owner: 0,
    rng: () => 0,
    actions: actionSet(actions),
    rules: bid,
    p0,
    steps,
    sizeVisible: game.sizeVisible,
  });
  const specs = Array.isArray(p) ? policies : policies.slice(0, 1);
  specs.forEach((spec, i) => {
    if (spec.kind !== "custom") {
      createPolicy(spec, ctx(i), Array.isArray(p) ? `policy[${i}]` : "policy");
    }
  });
  const unsold = c.unsold === undefined
    ? "sweep"
    : checkOneOf("unsold", c.unsold, ["sweep", "drop"] as const);
  const orders = c.orders === undefined ? "multi" : checkOneOf("orders", c.orders, ORDERS_RULES);
  let background: GameBackgroundOptions | BackgroundFactory = {};
  if (c.background !== undefined) {
    if (typeof c.background === "function") background = c.background as BackgroundFactory;
    else {
      const b = checkObject("background", c.background);
      if ("p0" in b) {
        throw new ConfigError("background.p0", "absent (the background uses the game's p0)", b.p0);
      }
      // Checked here, with its path, so that a bad background fails before anything is built.
      validateBackgroundOptions({ ...b, p0 }, { path: "background" });
      background = b as GameBackgroundOptions;
    }
  }
  if (c.record !== undefined && typeof c.record !== "boolean") {
    throw new ConfigError("record", "true or false", c.record);
  }
  return {
    seed,
    steps,
    stepSeconds,
    p0,
    tickSize,
    bookSpan,
    game,
    taker: takerSpec,
    makers,
    policies,
    bid,
    actions,
    makerOrder,
    unsold,
    orders,
    arrival,
    background,
    record: c.record === true,
  };
}
