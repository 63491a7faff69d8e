/**
 * Background order flow for the market-making environment: everyone but the maker.
 *
 * The environment needs two-sided flow around a mid that moves. `lib/market/background.ts` models
 * something else (a bid ladder anchored at `p0` that a large seller walks down, refilling toward
 * a depth profile), so the environment has its own model here, behind the {@linkcode OrderFlow}
 * interface so that tests and studies can swap it:
 *
 * - {@linkcode poissonFlow}: a zero-intelligence Poisson model in the spirit of Cont, Stoikov &
 *   Talreja (2010, "A stochastic model for order book dynamics", Operations Research), around a
 *   reference price that follows a random walk.
 * - {@linkcode scriptedFlow}: a fixed list of orders by step, for hand-built scenarios.
 *
 * ## The Poisson model, one step
 * 1. The reference price `f` (integer ticks) moves one tick up or down, each with probability
 *    `moveProb / 2` (it stays `levels` ticks inside the book's range; at the edge the move is
 *    dropped).
 * 2. Cancels, per side: each resting background order is cancelled with probability `cancelProb`
 *    (a Poisson number of attempts with mean `cancelProb ×` the side's pool of order ids, each on a
 *    uniformly chosen pool entry; entries already filled are dropped when drawn, so the expected
 *    number of live orders cancelled is `cancelProb ×` the live count).
 * 3. Limit orders, per side: a Poisson number with mean `limitRate`, each at distance
 *    `d ∈ [1, levels]` ticks from `f` (bids at `f − d`, asks at `f + d`), `P(d) ∝
 *    exp(−(d − 1) / distanceScale)`, size uniform in `[1, limitMaxSize]`. An order that crosses
 *    stale quotes on the other side (after `f` moved two ticks or more past them) trades first,
 *    as a marketable limit order: this is how the book follows `f`, and how stale quotes, the
 *    maker's included, get picked off.
 * 4. Market orders: a Poisson number with mean `marketRate`, size uniform in
 *    `[1, marketMaxSize]`. With probability `informedProb` an order is informed: it buys if `f`
 *    is above the mid, sells if below (a coin flip if equal); otherwise it buys with probability
 *    `buyProb`.
 *
 * At `init`, each side gets the model's expected stationary ladder (`limitRate · P(d) /
 * cancelProb` orders at distance `d`, rounded) and then `warmup` steps are run.
 *
 * Owners: limit orders are `BACKGROUND`, market orders `NOISE` (`lib/market/owners.ts`).
 * Randomness: four named streams under the episode seed, `flow:move`, `flow:limit`,
 * `flow:cancel`, `flow:market`. A step allocates nothing (the id pools grow by doubling, rarely).
 *
 * @module
 */
import { ASK, BID, NONE, type OrderBook, type Side } from "../book/mod.ts";
import { checkInt, checkKeys, checkNum, checkObject, ConfigError } from "../errors.ts";
import { BACKGROUND, NOISE } from "../market/owners.ts";
import { poisson, type Rng, stream } from "../rng.ts";

/**
 * Called by a flow after every book operation that can trade (`limit`, `market`, `ioc`), with the
 * aggressor's side; the fills are in `book.fills`. The environment settles the maker's fills and
 * counts the trade flow here.
 */
export type MatchHandler = (aggressor: Side) => void;

/**
 * Background order flow: swappable, see {@linkcode poissonFlow} and {@linkcode scriptedFlow}. A
 * flow keeps state between `init` and `step`: give each live environment its own.
 */
export interface OrderFlow {
  /** Short name for logs. */
  readonly name: string;
  /** Nominal volatility of the mid, ticks per √step (for agents' reference). */
  readonly sigma: number;
  /** Restarts the flow's random streams from `seed` (the environment's episode seed). */
  seed(seed: number): void;
  /** Populates a fresh, empty book around the reference price `p0` (ticks) for a new episode. */
  init(book: OrderBook, p0: number, onMatch: MatchHandler): void;
  /** One step of background activity. */
  step(book: OrderBook, onMatch: MatchHandler): void;
}

/** Parameters of {@linkcode poissonFlow}; rates are per step. */
export interface PoissonFlowConfig {
  /** Probability per step that the reference price moves one tick (up or down). Default 0.05. */
  readonly moveProb: number;
  /** Mean number of limit orders per side per step. Default 1. */
  readonly limitRate: number;
  /** Limit orders arrive 1 to `levels` ticks from the reference price. Default 10. */
  readonly levels: number;
  /** Distance profile `P(d) ∝ exp(−(d − 1) / distanceScale)`, ticks. Default 3. */
  readonly distanceScale: number;
  /** Probability per step that each resting background order is cancelled. Default 0.05. */
  readonly cancelProb: number;
  /** Mean number of market orders per step, both sides together. Default 0.6. */
  readonly marketRate: number;
  /** Probability that an uninformed market order buys. Default 0.5. */
  readonly buyProb: number;
  /** Probability that a market order trades toward the reference price. Default 0.2. */
  readonly informedProb: number;
  /** Limit order size: uniform integer in `[1, limitMaxSize]`. Default 3. */
  readonly limitMaxSize: number;
  /** Market order size: uniform integer in `[1, marketMaxSize]`. Default 4. */
  readonly marketMaxSize: number;
  /** Steps run at `init` after the stationary ladder is placed. Default 50. */
  readonly warmup: number;
}

/** Defaults of {@linkcode PoissonFlowConfig}. */
export const POISSON_FLOW_DEFAULTS: Readonly<PoissonFlowConfig> = Object.freeze({
  moveProb: 0.05,
  limitRate: 1,
  levels: 10,
  distanceScale: 3,
  cancelProb: 0.05,
  marketRate: 0.6,
  buyProb: 0.5,
  informedProb: 0.2,
  limitMaxSize: 3,
  marketMaxSize: 4,
  warmup: 50,
});

const FLOW_KEYS = Object.keys(POISSON_FLOW_DEFAULTS);

/**
 * Fills defaults and validates; throws `ConfigError` naming `<field>.<key>` for a bad value or an
 * unknown key.
 *
 * @example
 * ```ts
 * import { checkPoissonFlow } from "./flow.ts";
 * if (checkPoissonFlow({ levels: 5 }).levels !== 5) throw new Error();
 * try {
 *   checkPoissonFlow({ cancelProb: 2 });
 *   throw new Error("unreachable");
 * } catch (e) {
 *   if (!(e as Error).message.startsWith("flow.cancelProb: must be a number in [0, 1]")) throw e;
 * }
 * ```
 */
export function checkPoissonFlow(
  v: Partial<PoissonFlowConfig> | undefined,
  field = "flow",
): PoissonFlowConfig {
  if (v === undefined) return { ...POISSON_FLOW_DEFAULTS };
  checkObject(field, v, "an object of PoissonFlowConfig fields");
  checkKeys(v, FLOW_KEYS, { path: field });
  const c = { ...POISSON_FLOW_DEFAULTS, ...v };
  checkNum(`${field}.moveProb`, c.moveProb, 0, 1);
  checkNum(`${field}.limitRate`, c.limitRate, 0, 1000);
  checkInt(`${field}.levels`, c.levels, 1, 10_000);
  checkNum(`${field}.distanceScale`, c.distanceScale, 1e-3, 1e6);
  checkNum(`${field}.cancelProb`, c.cancelProb, 0, 1);
  checkNum(`${field}.marketRate`, c.marketRate, 0, 1000);
  checkNum(`${field}.buyProb`, c.buyProb, 0, 1);
  checkNum(`${field}.informedProb`, c.informedProb, 0, 1);
  checkInt(`${field}.limitMaxSize`, c.limitMaxSize, 1, 1e9);
  checkInt(`${field}.marketMaxSize`, c.marketMaxSize, 1, 1e9);
  checkInt(`${field}.warmup`, c.warmup, 0, 1e6);
  return c;
}

/** The Poisson flow, with its resolved parameters. */
export interface PoissonFlow extends OrderFlow {
  /** The parameters in use. */
  readonly config: Readonly<PoissonFlowConfig>;
  /** The current reference price (ticks). */
  readonly reference: number;
}

/**
 * The zero-intelligence Poisson flow (see the module doc).
 *
 * @example
 * ```ts
 * import { OrderBook } from "../book/mod.ts";
 * import { bookMid } from "./features.ts";
 * import { poissonFlow } from "./flow.ts";
 * const flow = poissonFlow({ moveProb: 0 });
 * flow.seed(1);
 * const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
 * flow.init(book, 10_000, () => {});
 * for (let t = 0; t < 1_000; t++) flow.step(book, () => {});
 * // the reference never moved: the book stays centred on it
 * if (Math.abs(bookMid(book) - 10_000) > 3) throw new Error(String(bookMid(book)));
 * ```
 */
export function poissonFlow(config: Partial<PoissonFlowConfig> = {}): PoissonFlow {
  return new PoissonFlowImpl(checkPoissonFlow(config));
}

/** A growable pool of order ids with O(1) swap-remove. */
class IdPool {
  ids = new Float64Array(256);
  n = 0;
  clear() {
    this.n = 0;
  }
  push(id: number) {
    if (this.n === this.ids.length) {
      const a = new Float64Array(this.ids.length * 2);
      a.set(this.ids);
      this.ids = a;
    }
    this.ids[this.n++] = id;
  }
  removeAt(i: number) {
    this.ids[i] = this.ids[--this.n];
  }
}

class PoissonFlowImpl implements PoissonFlow {
  readonly name = "poisson";
  readonly config: Readonly<PoissonFlowConfig>;
  readonly sigma: number;
  reference = 0;
  private moveRng: Rng;
  private limitRng: Rng;
  private cancelRng: Rng;
  private marketRng: Rng;
  private readonly pools = [new IdPool(), new IdPool()];
  private readonly expLimit: number;
  private readonly expMarket: number;
  private readonly logRho: number;
  private readonly tailMass: number;
  private lo = 0;
  private hi = 0;

  constructor(c: PoissonFlowConfig) {
    this.config = Object.freeze(c);
    this.sigma = Math.sqrt(c.moveProb);
    this.expLimit = Math.exp(-c.limitRate);
    this.expMarket = Math.exp(-c.marketRate);
    const rho = Math.exp(-1 / c.distanceScale);
    this.logRho = Math.log(rho);
    this.tailMass = 1 - Math.pow(rho, c.levels);
    this.moveRng =
      this.limitRng =
      this.cancelRng =
      this.marketRng =
        () => 0;
    this.seed(0);
  }

  seed(seed: number): void {
    this.moveRng = stream(seed, "flow:move");
    this.limitRng = stream(seed, "flow:limit");
    this.cancelRng = stream(seed, "flow:cancel");
    this.marketRng = stream(seed, "flow:market");
  }

  init(book: OrderBook, p0: number, onMatch: MatchHandler): void {
    const c = this.config;
    this.lo = book.minTick + c.levels;
    this.hi = book.maxTick - c.levels;
    if (this.lo > this.hi || p0 < this.lo || p0 > this.hi) {
      throw new ConfigError(
        "p0",
        `a tick in [${this.lo}, ${this.hi}] (the book's range less ${c.levels} levels)`,
        p0,
      );
    }
    this.reference = p0;
    this.pools[BID].clear();
    this.pools[ASK].clear();
    if (c.cancelProb > 0) {
      const rho = Math.exp(this.logRho);
      for (let d = 1; d <= c.levels; d++) {
        const pd = Math.pow(rho, d - 1) * (1 - rho) / this.tailMass;
        const count = Math.round(c.limitRate * pd / c.cancelProb);
        for (let k = 0; k < count; k++) {
          this.place(book, BID, p0 - d, onMatch);
          this.place(book, ASK, p0 + d, onMatch);
        }
      }
    }
    for (let t = 0; t < c.warmup; t++) this.step(book, onMatch);
  }

  step(book: OrderBook, onMatch: MatchHandler): void {
    const c = this.config;
    // 1. Reference price.
    const u = this.moveRng();
    if (u < c.moveProb) {
      const f = u < 0.5 * c.moveProb ? this.reference - 1 : this.reference + 1;
      if (f >= this.lo && f <= this.hi) this.reference = f;
    }
    // 2. Cancels.
    if (c.cancelProb > 0) {
      this.cancels(book, BID);
      this.cancels(book, ASK);
    }
    // 3. Limit orders.
    this.arrivals(book, BID, onMatch);
    this.arrivals(book, ASK, onMatch);
    // 4. Market orders.
    const rng = this.marketRng;
    const m = knuth(rng, this.expMarket);
    for (let i = 0; i < m; i++) {
      let side: Side;
      if (rng() < c.informedProb) {
        const b = book.bestBid();
        const a = book.bestAsk();
        const twiceMid = b === NONE || a === NONE ? 2 * this.reference : a + b;
        const d = 2 * this.reference - twiceMid;
        side = d > 0 ? BID : d < 0 ? ASK : rng() < 0.5 ? BID : ASK;
      } else {
        side = rng() < c.buyProb ? BID : ASK;
      }
      const qty = 1 + Math.floor(rng() * c.marketMaxSize);
      if (book.market(side, qty, NOISE) > 0) onMatch(side);
    }
  }

  private cancels(book: OrderBook, side: Side) {
    const pool = this.pools[side];
    const rng = this.cancelRng;
    const k = poisson(rng, this.config.cancelProb * pool.n);
    for (let j = 0; j < k && pool.n > 0; j++) {
      const i = Math.floor(rng() * pool.n);
      const id = pool.ids[i];
      pool.removeAt(i);
      if (book.isLive(id)) book.cancel(id);
    }
  }

  private arrivals(book: OrderBook, side: Side, onMatch: MatchHandler) {
    const rng = this.limitRng;
    const n = knuth(rng, this.expLimit);
    for (let i = 0; i < n; i++) {
      let d = 1 + Math.floor(Math.log(1 - rng() * this.tailMass) / this.logRho);
      if (d > this.config.levels) d = this.config.levels;
      this.place(book, side, side === BID ? this.reference - d : this.reference + d, onMatch);
    }
  }

  private place(book: OrderBook, side: Side, price: number, onMatch: MatchHandler) {
    const qty = 1 + Math.floor(this.limitRng() * this.config.limitMaxSize);
    const id = book.limit(side, price, qty, BACKGROUND);
    if (book.fills.count > 0) onMatch(side);
    if (id !== NONE) this.pools[side].push(id);
  }
}

/** Poisson draw by Knuth's method with `l = exp(−mean)` precomputed. */
function knuth(rng: Rng, l: number): number {
  let k = 0;
  let p = rng();
  while (p > l) {
    k++;
    p *= rng();
  }
  return k;
}

/** A resting order placed by a script. */
export interface ScriptOrder {
  readonly side: Side;
  /** Price in ticks. */
  readonly price: number;
  /** Quantity (integer ≥ 1). */
  readonly qty: number;
}

/** One scripted event, executed during step `step` (0-based, the episode's steps). */
export type FlowEvent =
  | {
    readonly kind: "limit";
    readonly step: number;
    readonly side: Side;
    readonly price: number;
    readonly qty: number;
  }
  | { readonly kind: "market"; readonly step: number; readonly side: Side; readonly qty: number }
  /** Cancels the order placed by the `limit` event at index `ref` of `events`, if still live. */
  | { readonly kind: "cancel"; readonly step: number; readonly ref: number };

/** Options of {@linkcode scriptedFlow}. */
export interface FlowScript {
  /** Orders rested at `init`, in this order (background owner). */
  readonly initial?: readonly ScriptOrder[];
  /** Events by step, in non-decreasing `step` order; several may share a step. */
  readonly events?: readonly FlowEvent[];
}

/**
 * A flow that replays a script: `initial` orders at `init` (the `p0` argument is ignored), then at
 * each step the events of that step in order. Limit orders are owned by `BACKGROUND`, market
 * orders by `NOISE`. Validates the script (`ConfigError` naming `events[i].<field>`).
 *
 * @example
 * ```ts
 * import { ASK, BID, OrderBook } from "../book/mod.ts";
 * import { scriptedFlow } from "./flow.ts";
 * const flow = scriptedFlow({
 *   initial: [{ side: BID, price: 99, qty: 5 }, { side: ASK, price: 101, qty: 5 }],
 *   events: [{ kind: "market", step: 1, side: BID, qty: 2 }],
 * });
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * let trades = 0;
 * flow.init(book, 100, () => trades++);
 * flow.step(book, () => trades++); // step 0: nothing
 * flow.step(book, () => trades++); // step 1: buys 2 at 101
 * if (trades !== 1 || book.depthAt(ASK, 101) !== 3) throw new Error();
 * ```
 */
export function scriptedFlow(script: FlowScript): OrderFlow {
  const initial = script.initial ?? [];
  const events = script.events ?? [];
  initial.forEach((o, i) => checkOrder(`initial[${i}]`, o));
  let last = 0;
  events.forEach((e, i) => {
    const f = `events[${i}]`;
    checkInt(`${f}.step`, e.step, last, 2 ** 31 - 1);
    last = e.step;
    switch (e.kind) {
      case "limit":
        checkOrder(f, e);
        break;
      case "market":
        checkSide(`${f}.side`, e.side);
        checkInt(`${f}.qty`, e.qty, 1, 2 ** 31 - 1);
        break;
      case "cancel":
        checkInt(`${f}.ref`, e.ref, 0, i - 1);
        if (events[e.ref].kind !== "limit") {
          throw new ConfigError(`${f}.ref`, "the index of an earlier limit event", e.ref);
        }
        break;
      default:
        throw new ConfigError(
          `${f}.kind`,
          '"limit", "market" or "cancel"',
          (e as { kind?: unknown }).kind,
        );
    }
  });
  const ids = new Float64Array(events.length).fill(NONE);
  let t = 0;
  let next = 0;
  return {
    name: "scripted",
    sigma: 0,
    seed() {},
    init(book, _p0, onMatch) {
      t = 0;
      next = 0;
      ids.fill(NONE);
      for (const o of initial) {
        book.limit(o.side, o.price, o.qty, BACKGROUND);
        if (book.fills.count > 0) onMatch(o.side);
      }
    },
    step(book, onMatch) {
      while (next < events.length && events[next].step === t) {
        const i = next++;
        const e = events[i];
        switch (e.kind) {
          case "limit":
            ids[i] = book.limit(e.side, e.price, e.qty, BACKGROUND);
            if (book.fills.count > 0) onMatch(e.side);
            break;
          case "market":
            if (book.market(e.side, e.qty, NOISE) > 0) onMatch(e.side);
            break;
          case "cancel":
            if (book.isLive(ids[e.ref])) book.cancel(ids[e.ref]);
            break;
          default: {
            const never: never = e;
            throw new ConfigError("kind", "a FlowEvent kind", never);
          }
        }
      }
      t++;
    },
  };
}

function checkSide(field: string, side: unknown): void {
  if (side !== BID && side !== ASK) throw new ConfigError(field, "BID (0) or ASK (1)", side);
}

function checkOrder(field: string, o: ScriptOrder): void {
  checkSide(`${field}.side`, o.side);
  checkInt(`${field}.price`, o.price, 0, 2 ** 31 - 1);
  checkInt(`${field}.qty`, o.qty, 1, 2 ** 31 - 1);
}
