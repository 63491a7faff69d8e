/**
 * Taker strategies: plain objects made by factories. Each sells its meta-order with one child
 * order per step, as a sell with an optional price floor.
 *
 * Schedules are written as a **cumulative target** where that is natural (passive,
 * Almgren–Chriss): the child is the target minus what has been executed, so quantity a floor left
 * unfilled is retried at the next step instead of being lost.
 *
 * @module
 */
import { BID, NONE } from "../book/mod.ts";
import { checkOneOf, ConfigError } from "../errors.ts";
import {
  checkKeys,
  checkObject,
  checkPositive,
  optInt,
  optNullableInt,
  optNum,
} from "../_validate.ts";
import {
  type AggressiveOptions,
  type AlmgrenChrissOptions,
  type PassiveOptions,
  type ReactiveOptions,
  TAKER_KINDS,
  type TakerContext,
  type TakerSpec,
  type TakerStrategy,
  type TakerView,
} from "./types.ts";

const MAX_TICKS = 1 << 22;

/** The price floor implied by a walk limit below the best bid and an absolute floor below P0. */
function floorOf(view: Readonly<TakerView>, maxWalk: number | null, floorTicks: number | null) {
  let f = NONE;
  if (maxWalk !== null && view.bestBid !== NONE) f = view.bestBid - maxWalk;
  if (floorTicks !== null) {
    const g = view.p0 - floorTicks;
    if (g > f) f = g;
  }
  return f;
}

/**
 * **Aggressive**: front-loads. Each step it sells `ceil(rate × remaining)` (everything at the last
 * step), at market unless `maxWalk`/`floorTicks` set a floor. With the default rate 0.25 it sells
 * a quarter of the order at t = 0 and 90% within the first 8 steps, accepting the impact.
 *
 * @example
 * ```ts
 * import { aggressive } from "./strategies.ts";
 * const s = aggressive({ rate: 0.5 });
 * const order = { qty: 0, floor: -1 };
 * const view = { t: 0, steps: 60, stepsLeft: 60, p0: 100, size: 1000, executed: 0, remaining: 1000,
 *   bestBid: 99, bestAsk: 101, lastQty: 0, lastFilled: 0, book: null! };
 * s.decide(view, order);
 * if (order.qty !== 500 || order.floor !== -1) throw new Error("half of what is left, at market");
 * ```
 */
export function aggressive(options: AggressiveOptions = {}): TakerStrategy {
  const o = checkObject("taker", options);
  checkKeys("taker", o, ["kind", "rate", "maxWalk", "floorTicks"]);
  const rate = checkPositive("taker.rate", o.rate, 0.25, 1);
  const maxWalk = optNullableInt("taker.maxWalk", o.maxWalk, null, [0, MAX_TICKS]);
  const floorTicks = optNullableInt("taker.floorTicks", o.floorTicks, null, [
    -MAX_TICKS,
    MAX_TICKS,
  ]);
  return {
    name: "aggressive",
    decide(view, order) {
      order.qty = view.stepsLeft <= 1 ? view.remaining : Math.ceil(rate * view.remaining);
      order.floor = floorOf(view, maxWalk, floorTicks);
    },
  };
}

/**
 * **Passive** (TWAP): the cumulative target after step `t` is `round(Q · (t+1) / N)`; the child is
 * the target minus what is executed (so a shortfall caused by the floor is retried). The floor is
 * `bestBid − maxWalk`: it never walks the book more than `maxWalk` ticks in one step.
 *
 * Default `maxWalk` 3: a resilient ladder refills its emptied top levels a little at a time
 * (`ceil(ρ·gap)` contracts each), so the best bid is often a thin level; a 1-tick limit then
 * starves the schedule (against the default background alone, half the order would be left for
 * the deadline), while 3 ticks keep pace with almost no leftover.
 *
 * @example
 * ```ts
 * import { passive } from "./strategies.ts";
 * const s = passive({ maxWalk: 1 });
 * const order = { qty: 0, floor: -1 };
 * const view = { t: 0, steps: 4, stepsLeft: 4, p0: 100, size: 1000, executed: 0, remaining: 1000,
 *   bestBid: 99, bestAsk: 101, lastQty: 0, lastFilled: 0, book: null! };
 * s.decide(view, order);
 * if (order.qty !== 250 || order.floor !== 98) throw new Error("a quarter, no lower than 98");
 * ```
 */
export function passive(options: PassiveOptions = {}): TakerStrategy {
  const o = checkObject("taker", options);
  checkKeys("taker", o, ["kind", "maxWalk", "floorTicks"]);
  const maxWalk = optInt("taker.maxWalk", o.maxWalk, 3, 0, MAX_TICKS);
  const floorTicks = optNullableInt("taker.floorTicks", o.floorTicks, null, [
    -MAX_TICKS,
    MAX_TICKS,
  ]);
  return {
    name: "passive",
    decide(view, order) {
      const target = Math.round(view.size * (view.t + 1) / view.steps);
      order.qty = Math.max(0, Math.min(view.remaining, target - view.executed));
      order.floor = floorOf(view, maxWalk, floorTicks);
    },
  };
}

/**
 * **Reactive**: paces itself on what is left (`base = remaining / stepsLeft`) scaled by the
 * makers' response:
 *
 * - `ratio = depthNear / depthNear₀`, the bid quantity within `near` ticks below P0 now over its
 *   level at the start of the episode: replenished bids near P0 (ratio ≥ 1) make it sell more,
 *   thin depth less; the multiplier is `clamp(ratio, slow, boost)`;
 * - a depressed price (best bid ≤ P0 − `depressed`, or no bid at all) caps the multiplier at `slow`;
 * - in the last `catchUp` steps the multiplier is at least 1 and the floor is dropped (it sells at
 *   market), so what it held back is sold before the deadline; the last step sells everything.
 *
 * Outside catch-up the floor is `bestBid − maxWalk` (and `P0 − floorTicks` if set).
 */
export function reactive(options: ReactiveOptions = {}): TakerStrategy {
  const o = checkObject("taker", options);
  checkKeys("taker", o, [
    "kind",
    "near",
    "depressed",
    "slow",
    "boost",
    "catchUp",
    "maxWalk",
    "floorTicks",
  ]);
  const near = optInt("taker.near", o.near, 3, 0, MAX_TICKS);
  const depressed = optInt("taker.depressed", o.depressed, 5, 0, MAX_TICKS);
  const slow = checkPositive("taker.slow", o.slow, 0.25, 1);
  const boost = optNum("taker.boost", o.boost, 2, 1, 1e6);
  const catchUp = optInt("taker.catchUp", o.catchUp, 10, 0, 1e9);
  const maxWalk = optInt("taker.maxWalk", o.maxWalk, 2, 0, MAX_TICKS);
  const floorTicks = optNullableInt("taker.floorTicks", o.floorTicks, null, [
    -MAX_TICKS,
    MAX_TICKS,
  ]);
  let ref = -1;
  const depthNear = (view: Readonly<TakerView>) => {
    let s = 0;
    for (let j = 0; j <= near; j++) s += view.book.depthAt(BID, view.p0 - j);
    return s;
  };
  return {
    name: "reactive",
    reset(view) {
      ref = depthNear(view);
    },
    decide(view, order) {
      if (ref < 0) ref = depthNear(view);
      const rem = view.remaining;
      if (view.stepsLeft <= 1) {
        order.qty = rem;
        order.floor = NONE;
        return;
      }
      const base = rem / view.stepsLeft;
      const ratio = ref > 0 ? depthNear(view) / ref : 1;
      let m = ratio < slow ? slow : ratio > boost ? boost : ratio;
      const bb = view.bestBid;
      if ((bb === NONE || bb <= view.p0 - depressed) && m > slow) m = slow;
      const catching = view.stepsLeft <= catchUp;
      if (catching && m < 1) m = 1;
      order.qty = Math.min(rem, Math.round(m * base));
      order.floor = catching ? NONE : floorOf(view, maxWalk, floorTicks);
    },
  };
}

/**
 * The Almgren–Chriss urgency κ (per step) of risk aversion λ, volatility σ and temporary impact
 * η, from the discrete-time relation `cosh(κτ) = 1 + λσ²τ²/(2η)` with τ = 1 step (Almgren &
 * Chriss 2000, eq. 18, permanent impact left out).
 *
 * @example
 * ```ts
 * import { acKappa } from "./strategies.ts";
 * if (acKappa({ riskAversion: 0, volatility: 1, impact: 0.01 }) !== 0) throw new Error("TWAP");
 * ```
 */
export function acKappa(
  p: { riskAversion: number; volatility: number; impact: number },
): number {
  return Math.acosh(1 + p.riskAversion * p.volatility * p.volatility / (2 * p.impact));
}

/**
 * Writes the Almgren–Chriss holdings `x_j = Q · sinh(κ(N − j)) / sinh(κN)`, `j = 0..N`, into
 * `out` (length ≥ N + 1) and returns it; κ = 0 gives the straight line `Q · (N − j) / N` (TWAP).
 * Computed as `e^{−κj} (1 − e^{−2κ(N−j)}) / (1 − e^{−2κN})`, which does not overflow for large κ.
 *
 * @example
 * ```ts
 * import { acHoldings } from "./strategies.ts";
 * const x = acHoldings({ size: 100, steps: 4, kappa: 0 });
 * if (x.join() !== "100,75,50,25,0") throw new Error("linear");
 * ```
 */
export function acHoldings(
  p: { size: number; steps: number; kappa: number; out?: Float64Array },
): Float64Array {
  const { size, steps, kappa } = p;
  const out = p.out ?? new Float64Array(steps + 1);
  if (kappa * steps < 1e-9) {
    for (let j = 0; j <= steps; j++) out[j] = size * (steps - j) / steps;
    return out;
  }
  const den = -Math.expm1(-2 * kappa * steps);
  for (let j = 0; j <= steps; j++) {
    out[j] = size * Math.exp(-kappa * j) * -Math.expm1(-2 * kappa * (steps - j)) / den;
  }
  return out;
}

/**
 * **Almgren–Chriss**: the risk-averse optimal schedule under linear temporary impact. The
 * cumulative target after step `t` is `round(Q − x_{t+1})` (see {@linkcode acHoldings}); the child
 * is the target minus what is executed. λ = 0 is TWAP (passive); as λ grows the schedule
 * front-loads toward selling everything at once (aggressive). With the defaults (σ = 1 tick/√step,
 * η = 0.01 tick per contract) κ ≈ √(λ/0.01): λ = 1e-5 gives κN ≈ 1.9 over 60 steps (moderately
 * front-loaded), 1e-3 gives κN ≈ 19 (most of the order in the first few steps).
 */
export function almgrenChriss(options: AlmgrenChrissOptions = {}): TakerStrategy {
  const o = checkObject("taker", options);
  checkKeys("taker", o, [
    "kind",
    "riskAversion",
    "volatility",
    "impact",
    "maxWalk",
    "floorTicks",
  ]);
  const riskAversion = optNum("taker.riskAversion", o.riskAversion, 1e-5, 0, 1e12);
  const volatility = checkPositive("taker.volatility", o.volatility, 1, 1e9);
  const impact = checkPositive("taker.impact", o.impact, 0.01, 1e9);
  const maxWalk = optNullableInt("taker.maxWalk", o.maxWalk, null, [0, MAX_TICKS]);
  const floorTicks = optNullableInt("taker.floorTicks", o.floorTicks, null, [
    -MAX_TICKS,
    MAX_TICKS,
  ]);
  const kappa = acKappa({ riskAversion, volatility, impact });
  let x = new Float64Array(0);
  let forSize = -1;
  const plan = (size: number, steps: number) => {
    if (x.length !== steps + 1) x = new Float64Array(steps + 1);
    acHoldings({ size, steps, kappa, out: x });
    forSize = size;
  };
  return {
    name: "almgren-chriss",
    reset(view) {
      plan(view.size, view.steps);
    },
    decide(view, order) {
      if (forSize !== view.size || x.length !== view.steps + 1) plan(view.size, view.steps);
      const target = view.t + 1 >= view.steps ? view.size : Math.round(view.size - x[view.t + 1]);
      order.qty = Math.max(0, Math.min(view.remaining, target - view.executed));
      order.floor = floorOf(view, maxWalk, floorTicks);
    },
  };
}

/**
 * Checks a {@linkcode TakerSpec} without building anything a custom spec would create: the
 * built-in kinds' options are validated (errors name `taker.<option>`), a custom spec must have a
 * `create` function. Returns the spec.
 *
 * @example
 * ```ts
 * import { checkTakerSpec } from "./strategies.ts";
 * let message = "";
 * try { checkTakerSpec({ kind: "passive", maxWlak: 2 } as never); } catch (e) { message = (e as Error).message; }
 * if (message !== '"maxWlak": unknown option of taker; did you mean "maxWalk"?') throw new Error(message);
 * ```
 */
export function checkTakerSpec(spec: unknown): TakerSpec {
  const o = checkObject("taker", spec);
  const kind = checkOneOf("taker.kind", o.kind, TAKER_KINDS);
  if (kind === "custom") {
    checkKeys("taker", o, ["kind", "name", "create"]);
    if (typeof o.create !== "function") {
      throw new ConfigError("taker.create", "a function (ctx) => TakerStrategy", o.create);
    }
    if (o.name !== undefined && typeof o.name !== "string") {
      throw new ConfigError("taker.name", "a string", o.name);
    }
  } else BUILT_IN[kind](o);
  return spec as TakerSpec;
}

const BUILT_IN: Record<Exclude<TakerSpec["kind"], "custom">, (o: object) => TakerStrategy> = {
  aggressive: (o) => aggressive(o as AggressiveOptions),
  passive: (o) => passive(o as PassiveOptions),
  reactive: (o) => reactive(o as ReactiveOptions),
  "almgren-chriss": (o) => almgrenChriss(o as AlmgrenChrissOptions),
};

/**
 * Builds the strategy a {@linkcode TakerSpec} names, validating every option (errors name the
 * field as `taker.<option>`).
 *
 * @example
 * ```ts
 * import { createTaker } from "./strategies.ts";
 * import { stream } from "../rng.ts";
 * const s = createTaker({ kind: "passive", maxWalk: 2 }, { rng: stream(1, "taker"), steps: 60, p0: 100 });
 * if (s.name !== "passive") throw new Error("passive");
 * ```
 */
export function createTaker(spec: TakerSpec, ctx: TakerContext): TakerStrategy {
  const o = checkObject("taker", spec);
  const kind = checkOneOf("taker.kind", o.kind, TAKER_KINDS);
  switch (kind) {
    case "aggressive":
      return aggressive(o as AggressiveOptions);
    case "passive":
      return passive(o as PassiveOptions);
    case "reactive":
      return reactive(o as ReactiveOptions);
    case "almgren-chriss":
      return almgrenChriss(o as AlmgrenChrissOptions);
    case "custom": {
      checkTakerSpec(o);
      const s = (o.create as (c: TakerContext) => TakerStrategy)(ctx);
      if (typeof s !== "object" || s === null || typeof s.decide !== "function") {
        throw new ConfigError("taker.create", "a function returning a TakerStrategy", s);
      }
      return s;
    }
    default: {
      const never: never = kind;
      throw new ConfigError("taker.kind", TAKER_KINDS.join(", "), never);
    }
  }
}
