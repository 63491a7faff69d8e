/**
 * The game's episode engine (private to `lib/game/`): the mutable state of one game and the
 * step, in the order documented in `mod.ts`. Built by `createGame` (`game.ts`), which validates
 * the configuration and makes the agents; the engine only plays.
 *
 * Everything per step lives in typed arrays and reused objects, and scalars live in fields of
 * one class (unboxed doubles): no allocation in `step()`; recording writes into preallocated
 * arrays.
 *
 * @module
 */
import { ASK, BID, NONE, type OrderBook } from "../book/mod.ts";
import { checkSeed, ConfigError } from "../errors.ts";
import { BACKGROUND, MAKER0, TAKER as TAKER_OWNER } from "../market/owners.ts";
import { type Stream, stream } from "../rng.ts";
import type { TakerOrder, TakerStrategy, TakerView } from "../takers/types.ts";
import { type ActionSet, REFILL, REPOST } from "./actions.ts";
import type { ResolvedConfig } from "./config.ts";
import type { GameRecord } from "./record.ts";
import type { GameBackground, MakerPolicy, MakerView } from "./types.ts";

/**
 * The random streams of a game, re-seeded together and in place: each agent holds its stream
 * itself (one call per draw; a wrapper looking up the current generator cost two more: 2-maker
 * training is 1.03-1.04x as fast without, paired runs at load ~2).
 */
export class GameStreams {
  readonly taker: Stream;
  readonly background: Stream;
  readonly order: Stream;
  readonly size: Stream;
  readonly arrival: Stream;
  readonly maker: Stream[];
  /** Root seed of the current streams. */
  seed: number | string;

  constructor(seed: number | string, makers: number) {
    this.seed = seed;
    this.taker = stream(seed, "taker");
    this.background = stream(seed, "background");
    this.order = stream(seed, "order");
    this.size = stream(seed, "size");
    this.arrival = stream(seed, "arrival");
    this.maker = Array.from({ length: makers }, (_, i) => stream(seed, `maker:${i}`));
  }

  /** Every stream re-seeded from `seed` and its own name. */
  reseed(seed: number | string): void {
    this.seed = seed;
    this.taker.reseed(seed);
    this.background.reseed(seed);
    this.order.reseed(seed);
    this.size.reseed(seed);
    this.arrival.reseed(seed);
    for (const m of this.maker) m.reseed(seed);
  }
}

/** What the engine plays with, built and validated by `createGame`. */
export interface EngineParts {
  readonly cfg: ResolvedConfig;
  readonly actions: ActionSet;
  readonly book: OrderBook;
  readonly streams: GameStreams;
  readonly policies: readonly MakerPolicy[];
  readonly taker: TakerStrategy;
  /** Per maker: its initial bid price (ticks) and quantity. */
  readonly startPrice: Int32Array;
  readonly startQty: Float64Array;
  /** The background of the first episode, and how to make a fresh one (custom factories). */
  readonly background: GameBackground;
  readonly renewBackground: (() => GameBackground) | null;
  /** Whether anyone but the taker can trade (noise flow): then the tape reads the book's totals. */
  readonly bgTrades: boolean;
  readonly record: GameRecord | null;
}

/** The mutable state of a game and its step (see `mod.ts` for the order of a step). */
export class GameEngine {
  readonly cfg: ResolvedConfig;
  readonly book: OrderBook;
  readonly policies: readonly MakerPolicy[];
  readonly taker: TakerStrategy;
  readonly views: MakerView[] = [];
  readonly tv: TakerView;
  readonly rec: GameRecord | null;

  private readonly streams: GameStreams;
  private readonly n: number;
  private readonly N: number;
  private readonly p0: number;
  private readonly tickSize: number;
  private readonly nActions: number;
  private readonly dPrice: Int32Array;
  private readonly dQty: Int32Array;
  private readonly mode: Uint8Array;
  private readonly randomOrder: boolean;
  private readonly sweep: boolean;
  private readonly multi: boolean;
  private readonly window: number;
  private readonly visible: boolean;
  private readonly bgTrades: boolean;
  private readonly startPrice: Int32Array;
  private readonly startQty: Float64Array;
  private readonly renewBackground: (() => GameBackground) | null;
  private background: GameBackground;
  private bgFresh = true; // created and not yet initialised

  // Bid bounds: the top is lowered to bestAsk − 1 each step (post-only).
  private readonly lo: number;
  private readonly hiP0: number;
  private readonly inc: number;
  private readonly maxQty: number;

  // Per maker.
  readonly owner: Int32Array;
  readonly price: Int32Array; // price setting
  readonly target: Float64Array; // quantity setting
  readonly rest: Float64Array; // resting quantity
  /** Per maker: its order (single) or its oldest order (multi), or `NONE`. */
  readonly orderId: Float64Array;
  // Multi: per maker a ring of its order ids, oldest first (all at its price, in queue order).
  private ring: Float64Array;
  private ringCap = 8; // a power of two
  private readonly ringHead: Int32Array;
  private readonly ringLen: Int32Array;
  readonly action: Int32Array;
  private readonly perm: Int32Array;
  readonly vol: Float64Array; // volume against the taker
  readonly mtm: Float64Array; // Σ (p0 − price) · qty over own fills, ticks
  readonly otherVol: Float64Array;
  readonly fillCount: Float64Array;
  readonly stepFills: Float64Array;
  readonly stepOther: Float64Array;
  /** Per maker: its orders the taker filled in full this step (the oldest in its ring). */
  private readonly filledOut: Int32Array;
  readonly share: Float64Array; // running PnL share, ticks
  readonly reward: Float64Array; // this step's reward, currency
  private readonly restBefore: Float64Array;

  // Scalars (fields of one object: stored unboxed).
  t = 0;
  episode = -1;
  size = 0;
  /** The taker's first step in this episode, and the step after its last. */
  start = 0;
  end = 0;
  executed = 0;
  takerCash = 0;
  stepCash = 0;
  stepFilled = 0;
  sweepQty = 0;
  takerFills = 0;
  bgVol = 0;
  bgMtm = 0;
  bgShare = 0;
  bgReward = 0;
  otherVolume = 0;
  tape = 0;
  private lastTape = 0;
  private prevTape = 0;
  private makersFilledStat = 0;
  private childFloor = NONE; // this step's child order floor, as recorded
  private childFilled = 0; // what it filled (before any deadline sweep)
  private readonly order: TakerOrder = { qty: 0, floor: NONE };

  constructor(parts: EngineParts) {
    const { cfg, actions, book } = parts;
    this.cfg = cfg;
    this.book = book;
    this.streams = parts.streams;
    this.policies = parts.policies;
    this.taker = parts.taker;
    this.rec = parts.record;
    const n = cfg.makers;
    this.n = n;
    this.N = cfg.steps;
    this.p0 = cfg.p0;
    this.tickSize = cfg.tickSize;
    this.nActions = actions.n;
    this.dPrice = Int32Array.from(actions.dPrice);
    this.dQty = Int32Array.from(actions.dQty);
    this.mode = Uint8Array.from(actions.mode);
    this.randomOrder = cfg.makerOrder === "random";
    this.sweep = cfg.unsold === "sweep";
    this.multi = cfg.orders === "multi";
    this.window = cfg.arrival.window;
    this.visible = cfg.game.sizeVisible;
    this.bgTrades = parts.bgTrades;
    this.startPrice = parts.startPrice;
    this.startQty = parts.startQty;
    this.background = parts.background;
    this.renewBackground = parts.renewBackground;
    const rules = cfg.bid;
    this.lo = cfg.p0 - rules.maxOffset;
    this.hiP0 = cfg.p0 - rules.minOffset;
    this.inc = rules.increment;
    this.maxQty = rules.maxQty;
    this.owner = new Int32Array(n);
    for (let i = 0; i < n; i++) this.owner[i] = MAKER0 + i;
    this.price = new Int32Array(n);
    this.target = new Float64Array(n);
    this.rest = new Float64Array(n);
    this.orderId = new Float64Array(n).fill(NONE);
    this.ring = new Float64Array(this.multi ? n * this.ringCap : 0);
    this.ringHead = new Int32Array(n);
    this.ringLen = new Int32Array(n);
    this.action = new Int32Array(n);
    this.perm = new Int32Array(n);
    this.vol = new Float64Array(n);
    this.mtm = new Float64Array(n);
    this.otherVol = new Float64Array(n);
    this.fillCount = new Float64Array(n);
    this.stepFills = new Float64Array(n);
    this.stepOther = new Float64Array(n);
    this.filledOut = new Int32Array(n);
    this.share = new Float64Array(n);
    this.reward = new Float64Array(n);
    this.restBefore = new Float64Array(n);
    this.makeViews();
    this.tv = {
      t: 0,
      steps: this.window,
      stepsLeft: this.window,
      p0: this.p0,
      size: 0,
      executed: 0,
      remaining: 0,
      bestBid: NONE,
      bestAsk: NONE,
      lastQty: 0,
      lastFilled: 0,
      book,
    };
  }

  private makeViews() {
    const { book, orderId } = this;
    for (let i = 0; i < this.n; i++) {
      this.views.push({
        index: i,
        t: 0,
        steps: this.N,
        stepsLeft: this.N,
        p0: this.p0,
        bestBid: NONE,
        bestAsk: NONE,
        mid: NaN,
        price: 0,
        qty: 0,
        target: 0,
        makersQty: 0,
        lastFills: 0,
        lastOtherFills: 0,
        volume: 0,
        lastVolume: 0,
        prevVolume: 0,
        takerRemaining: NaN,
        sizeVisible: this.visible,
        share: 0,
        queueAhead: () => (orderId[i] === NONE ? NaN : book.queueAhead(orderId[i])),
        book,
      });
    }
  }

  /** Brings the makers' and the taker's views up to date (after a reset or a step). */
  private updateViews() {
    const { book, n, views, rest } = this;
    const bb = book.bestBid(), ba = book.bestAsk();
    const mid = bb === NONE || ba === NONE ? NaN : (bb + ba) / 2;
    let mq = 0;
    for (let i = 0; i < n; i++) mq += rest[i];
    const t = this.t, left = this.N - t;
    const remaining = this.visible ? this.size - this.executed : NaN;
    const lastTape = this.lastTape, prevTape = this.prevTape, tickSize = this.tickSize;
    for (let i = 0; i < n; i++) {
      const v = views[i];
      v.t = t;
      v.stepsLeft = left;
      v.bestBid = bb;
      v.bestAsk = ba;
      v.mid = mid;
      v.price = this.price[i];
      v.qty = rest[i];
      v.target = this.target[i];
      v.makersQty = mq;
      v.lastFills = this.stepFills[i];
      v.lastOtherFills = this.stepOther[i];
      v.volume = this.vol[i];
      v.lastVolume = lastTape;
      v.prevVolume = prevTape;
      v.takerRemaining = remaining;
      v.share = this.share[i] * tickSize;
    }
    const tv = this.tv; // in the taker's own time (negative before it arrives: not shown to it)
    tv.t = t - this.start;
    tv.stepsLeft = this.end - t;
    tv.size = this.size;
    tv.executed = this.executed;
    tv.remaining = this.size - this.executed;
    tv.bestBid = bb;
    tv.bestAsk = ba;
  }

  /** The order in which the makers' updates are applied this step (`perm`). */
  private shuffleOrder() {
    const perm = this.perm, n = this.n;
    for (let i = 0; i < n; i++) perm[i] = i;
    if (this.randomOrder) {
      const g = this.streams.order;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(g() * (i + 1));
        const x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
      }
    }
  }

  /** Starts an episode (see `Game.reset`). */
  reset(s?: number | string): void {
    if (s !== undefined) {
      checkSeed("seed", s); // before anything changes
      this.streams.reseed(s);
      this.episode = 0;
    } else this.episode++;
    this.size = this.cfg.game.drawSize(this.streams.size);
    this.start = this.cfg.arrival.drawStart(this.streams.arrival);
    this.end = this.start + this.window;
    this.t = 0;
    this.executed =
      this.takerCash =
      this.stepCash =
      this.stepFilled =
        0;
    this.sweepQty = this.takerFills = 0;
    this.bgVol =
      this.bgMtm =
      this.bgShare =
      this.bgReward =
      this.otherVolume =
        0;
    this.tape = this.lastTape = this.prevTape = 0;
    for (let i = 0; i < this.n; i++) {
      this.vol[i] =
        this.mtm[i] =
        this.otherVol[i] =
        this.fillCount[i] =
          0;
      this.stepFills[i] =
        this.stepOther[i] =
        this.share[i] =
        this.reward[i] =
          0;
      this.orderId[i] = NONE;
      this.ringHead[i] = this.ringLen[i] = 0;
    }
    const book = this.book;
    book.clear();
    // A built-in background re-initialises on the same book; a custom one is built afresh.
    if (!this.bgFresh && this.renewBackground !== null) this.background = this.renewBackground();
    this.background.init(book);
    this.bgFresh = false;
    // Makers' initial bids, behind the background at their level, in the step's order rule.
    this.shuffleOrder();
    for (let k = 0; k < this.n; k++) {
      const i = this.perm[k];
      const p = this.startPrice[i], q = this.startQty[i];
      this.price[i] = p;
      this.target[i] = q;
      this.rest[i] = 0;
      if (q > 0) {
        // Post-only: never at or above the best ask.
        const ba = book.bestAsk();
        if (ba === NONE || p < ba) {
          const id = book.limit(BID, p, q, this.owner[i]);
          this.orderId[i] = id;
          if (this.multi) this.pushOrder(i, id);
          this.rest[i] = q;
        }
      }
    }
    this.makersFilledStat = book.makerFilled;
    this.tv.lastQty = 0;
    this.tv.lastFilled = 0;
    this.updateViews();
    for (let i = 0; i < this.n; i++) this.policies[i].reset?.(this.views[i]);
    // The taker starts its episode when it arrives (at step 0: now, as in the first version).
    if (this.start === 0) this.taker.reset?.(this.tv);
  }

  /** Applies action `a` to maker `i` (see the table in `mod.ts`). */
  private apply(i: number, a: number, hi: number, ba: number) {
    const oldP = this.price[i], oldR = this.rest[i];
    let p = oldP + this.dPrice[a];
    if (p > hi) p = hi;
    if (p < this.lo) p = this.lo;
    let tq = this.target[i], r = oldR;
    const dq = this.dQty[a];
    if (dq !== 0) {
      const inc = this.inc, maxQty = this.maxQty;
      tq += dq * inc;
      tq = tq < 0 ? 0 : tq > maxQty ? maxQty : tq;
      r += dq * inc;
      r = r < 0 ? 0 : r > maxQty ? maxQty : r;
    }
    const m = this.mode[a];
    if (m === REFILL || (m === REPOST && r === 0)) r = tq;
    if (ba !== NONE && p >= ba) r = 0; // cannot rest without crossing
    this.price[i] = p;
    this.target[i] = tq;
    if (this.multi) {
      this.applyMulti(i, p, r, oldP, oldR);
      return;
    }
    const id = this.orderId[i];
    if (id === NONE) {
      if (r > 0) {
        this.orderId[i] = this.book.limit(BID, p, r, this.owner[i]);
        this.rest[i] = r;
      }
    } else if (r === 0) {
      this.book.cancel(id);
      this.orderId[i] = NONE;
      this.rest[i] = 0;
    } else if (p !== oldP || r !== oldR) {
      // Same price and smaller: keeps priority; larger or re-priced: back of the queue.
      this.book.modify(id, p, r);
      this.rest[i] = r;
    }
  }

  /**
   * Moves maker `i`'s orders from (`oldP`, `oldR`) to price `p` and resting total `r` under the
   * several-orders rule: more quantity is a new order at the back (the resting ones keep their
   * places); less is cancelled from the newest order back; a new price moves everything, as one
   * order at the back of the new level (the same queue position as moving each in turn).
   */
  private applyMulti(i: number, p: number, r: number, oldP: number, oldR: number) {
    const book = this.book;
    if (r === 0) {
      if (this.ringLen[i] > 0) this.cancelFrom(i, 0);
    } else if (this.ringLen[i] === 0) {
      this.pushOrder(i, book.limit(BID, p, r, this.owner[i]));
    } else if (p !== oldP) {
      this.cancelFrom(i, 1);
      book.modify(this.ring[i * this.ringCap + this.ringHead[i]], p, r);
    } else if (r > oldR) {
      this.pushOrder(i, book.limit(BID, p, r - oldR, this.owner[i]));
    } else if (r < oldR) {
      this.reduceBack(i, oldR - r);
    }
    this.rest[i] = r;
    this.orderId[i] = this.ringLen[i] === 0 ? NONE : this.ring[i * this.ringCap + this.ringHead[i]];
  }

  /** Appends an order id to maker `i`'s ring (grows every ring when one is full). */
  private pushOrder(i: number, id: number) {
    if (this.ringLen[i] === this.ringCap) this.growRings();
    const cap = this.ringCap;
    this.ring[i * cap + ((this.ringHead[i] + this.ringLen[i]) & (cap - 1))] = id;
    this.ringLen[i]++;
  }

  /** Cancels maker `i`'s orders from the `keep`-th oldest on (0: all of them). */
  private cancelFrom(i: number, keep: number) {
    const cap = this.ringCap, base = i * cap, h = this.ringHead[i];
    for (let k = keep; k < this.ringLen[i]; k++) {
      this.book.cancel(this.ring[base + ((h + k) & (cap - 1))]);
    }
    this.ringLen[i] = keep;
    if (keep === 0) this.ringHead[i] = 0;
  }

  /** Removes `by` contracts from maker `i`'s newest orders (cancels, then reduces one). */
  private reduceBack(i: number, by: number) {
    const book = this.book, cap = this.ringCap, base = i * cap;
    while (by > 0) {
      const id = this.ring[base + ((this.ringHead[i] + this.ringLen[i] - 1) & (cap - 1))];
      const q = book.orderQty(id);
      if (q <= by) {
        book.cancel(id);
        this.ringLen[i]--;
        by -= q;
      } else {
        book.reduce(id, by);
        by = 0;
      }
    }
  }

  /** After fills: drops maker `i`'s filled orders (the oldest: fills follow the queue). */
  private dropFilled(i: number) {
    const book = this.book, cap = this.ringCap, base = i * cap;
    let h = this.ringHead[i], len = this.ringLen[i];
    while (len > 0 && !book.isLive(this.ring[base + h])) {
      h = (h + 1) & (cap - 1);
      len--;
    }
    this.ringHead[i] = len === 0 ? 0 : h;
    this.ringLen[i] = len;
    this.orderId[i] = len === 0 ? NONE : this.ring[base + h];
  }

  /** Drops maker `i`'s `k` oldest orders (filled in full; `k` < its number of orders). */
  private dropFront(i: number, k: number) {
    if (k === 0) return;
    const h = (this.ringHead[i] + k) & (this.ringCap - 1);
    this.ringHead[i] = h;
    this.ringLen[i] -= k;
    this.orderId[i] = this.ring[i * this.ringCap + h];
  }

  /** Doubles every maker's ring (rare: a maker adds at most one order per step). */
  private growRings() {
    const cap = this.ringCap, next = cap * 2, ring = new Float64Array(this.n * next);
    for (let j = 0; j < this.n; j++) {
      for (let k = 0; k < this.ringLen[j]; k++) {
        ring[j * next + k] = this.ring[j * cap + ((this.ringHead[j] + k) & (cap - 1))];
      }
      this.ringHead[j] = 0;
    }
    this.ring = ring;
    this.ringCap = next;
  }

  /** Books the fills of the taker's last order. */
  private takerFillsIn() {
    const f = this.book.fills;
    const c = f.count, n = this.n, p0 = this.p0;
    const price = f.price, qty = f.qty, makerOwner = f.makerOwner;
    const vol = this.vol, stepFills = this.stepFills, mtm = this.mtm, fillCount = this.fillCount;
    const left = f.makerRemaining, filledOut = this.filledOut;
    // Integers in doubles: the sums are exact in any order.
    let cash = 0, filled = 0, bgVol = 0, bgMtm = 0;
    for (let k = 0; k < c; k++) {
      const p = price[k], q = qty[k];
      const i = makerOwner[k] - MAKER0;
      cash += (p - p0) * q;
      filled += q;
      if (i >= 0 && i < n) {
        vol[i] += q;
        stepFills[i] += q;
        mtm[i] += (p0 - p) * q;
        fillCount[i]++;
        if (left[k] === 0) filledOut[i]++;
      } else {
        bgVol += q;
        bgMtm += (p0 - p) * q;
      }
    }
    this.bgVol += bgVol;
    this.bgMtm += bgMtm;
    this.stepCash += cash;
    this.stepFilled += filled;
    this.takerFills += c;
  }

  /** Plays one step (see `Game.step`); returns true when the window is over. */
  step(): boolean {
    if (this.episode < 0) this.reset();
    const N = this.N, n = this.n;
    if (this.t >= N) {
      throw new ConfigError("step", `called at most ${N} times per episode (call reset)`, this.t);
    }
    // 1. Makers observe (views are current) and choose, simultaneously.
    for (let i = 0; i < n; i++) {
      const a = this.policies[i].act(this.views[i]);
      if ((a >>> 0) !== a || a >= this.nActions) badAction(i, a, this.nActions);
      this.action[i] = a;
    }
    // 2. Their bids are updated in the book, in a seeded random (or fixed) order.
    const book = this.book;
    if (n > 0) {
      this.shuffleOrder();
      const ba = book.bestAsk();
      let hi = this.hiP0;
      if (ba !== NONE && ba - 1 < hi) hi = ba - 1;
      for (let k = 0; k < n; k++) {
        const i = this.perm[k];
        this.stepFills[i] = 0;
        this.stepOther[i] = 0;
        this.apply(i, this.action[i], hi, ba);
      }
    }
    // 3. The taker's child order executes (and, at its deadline, the unsold rule), if it is
    // there: from its arrival to the end of its window.
    const t0 = this.t;
    const active = t0 >= this.start && t0 < this.end;
    let q = 0;
    if (active) q = this.takerStep();
    else {
      this.stepCash = this.stepFilled = this.childFilled = 0;
      this.childFloor = NONE;
    }
    // 4. Background refills and noise arrives.
    this.backgroundStep();
    // 5. Rewards: the change of each running PnL share.
    const total = this.executed, cash = this.takerCash, tickSize = this.tickSize;
    for (let i = 0; i < n; i++) {
      const s = total > 0 ? (-cash * this.vol[i]) / total : 0;
      this.reward[i] = (s - this.share[i]) * tickSize;
      this.share[i] = s;
    }
    const sb = total > 0 ? (-cash * this.bgVol) / total : 0;
    this.bgReward = (sb - this.bgShare) * tickSize;
    this.bgShare = sb;
    if (this.rec !== null) this.recordStep(q);
    const t = ++this.t;
    this.prevTape = this.lastTape;
    this.lastTape = this.tape;
    const tv = this.tv;
    tv.lastQty = q;
    tv.lastFilled = this.stepFilled;
    this.updateViews();
    const done = t === N;
    for (let i = 0; i < n; i++) this.policies[i].learn?.(this.reward[i], this.views[i], done);
    if (active) this.taker.learn?.(this.stepCash * tickSize, tv, t === this.end);
    else if (t === this.start) this.taker.reset?.(tv); // it arrives at the coming step
    return done;
  }

  /** Step 3: the taker decides, its child order executes, and the deadline rule; returns qty. */
  private takerStep(): number {
    const book = this.book, tv = this.tv, order = this.order;
    tv.bestBid = book.bestBid();
    tv.bestAsk = book.bestAsk();
    order.qty = 0;
    order.floor = NONE;
    this.taker.decide(tv, order);
    const remaining = this.size - this.executed;
    let q = Math.trunc(order.qty);
    if (!(q >= 0)) q = 0; // NaN or negative
    if (q > remaining) q = remaining;
    let floor = order.floor;
    if (floor !== NONE) {
      if (!Number.isInteger(floor)) {
        throw new ConfigError(
          "taker.decide",
          "a floor that is NONE (-1) or an integer tick",
          floor,
        );
      }
      if (floor < book.minTick) floor = NONE;
      else if (floor > book.maxTick) q = 0;
    }
    this.childFloor = order.floor === NONE ? NONE : floor;
    this.stepCash = 0;
    this.stepFilled = 0;
    if (q > 0) {
      if (floor === NONE) book.market(ASK, q, TAKER_OWNER);
      else book.ioc(ASK, floor, q, TAKER_OWNER);
      this.takerFillsIn();
    }
    this.childFilled = this.stepFilled;
    const left = this.size - this.executed - this.stepFilled;
    if (this.t === this.end - 1 && this.sweep && left > 0) {
      book.market(ASK, left, TAKER_OWNER);
      const before = this.stepFilled;
      this.takerFillsIn();
      this.sweepQty += this.stepFilled - before;
    }
    this.executed += this.stepFilled;
    this.takerCash += this.stepCash;
    return q;
  }

  /** Step 4: the background's refill and noise; the makers' fills by others; the tape. */
  private backgroundStep() {
    const book = this.book, n = this.n, owner = this.owner;
    // Only noise flow can fill a maker during the background's step.
    if (this.bgTrades) {
      for (let i = 0; i < n; i++) this.restBefore[i] = book.ownerResting(owner[i], BID);
    }
    this.background.step(book, this.t);
    if (this.bgTrades) {
      const filledNow = book.makerFilled;
      this.tape = filledNow - this.makersFilledStat;
      this.makersFilledStat = filledNow;
    } else this.tape = this.stepFilled;
    this.otherVolume += this.tape - this.stepFilled;
    const p0 = this.p0;
    for (let i = 0; i < n; i++) {
      const r = book.ownerResting(owner[i], BID);
      if (this.bgTrades) {
        const other = this.restBefore[i] - r;
        if (other > 0) {
          this.stepOther[i] = other;
          this.otherVol[i] += other;
          this.mtm[i] += (p0 - this.price[i]) * other;
        }
      }
      // Only fills take a maker's orders out during steps 3 and 4: with its resting total
      // unchanged, every order in its ring is still live.
      const filled = r !== this.rest[i];
      this.rest[i] = r;
      if (r === 0) {
        this.orderId[i] = NONE;
        if (this.multi) this.ringHead[i] = this.ringLen[i] = 0;
      } else if (this.multi && filled) {
        // Without noise only the taker's fills took orders out, and the fill log counted them:
        // dropping that many from the ring's front spares `isLive` (a book lookup with a boxed
        // id) per order, 2.35 per step with 2 makers: 1.08-1.14x steps/s (2 makers, paired, load ~4).
        if (this.bgTrades) this.dropFilled(i);
        else this.dropFront(i, this.filledOut[i]);
      }
      this.filledOut[i] = 0;
    }
  }

  /** Writes step `t`'s records (see `record.ts` for the layout). */
  private recordStep(q: number) {
    const r = this.rec!, n = this.n, t = this.t, book = this.book, tickSize = this.tickSize;
    const base = t * (n + 2);
    let makersFilled = 0;
    for (let i = 0; i < n; i++) {
      const k = base + i;
      r.action[k] = this.action[i];
      r.bidPrice[k] = this.price[i];
      r.bidQty[k] = this.rest[i];
      r.target[k] = this.target[i];
      r.queueAhead[k] = this.orderId[i] === NONE ? NaN : book.queueAhead(this.orderId[i]);
      r.fills[k] = this.stepFills[i];
      makersFilled += this.stepFills[i];
      r.otherFills[k] = this.stepOther[i];
      r.reward[k] = this.reward[i];
      r.cumPnl[k] = this.share[i] * tickSize;
      r.mtm[k] = this.mtm[i] * tickSize;
    }
    let k = base + n; // background
    r.action[k] = NONE;
    r.bidPrice[k] = NONE;
    r.bidQty[k] = book.ownerResting(BACKGROUND, BID);
    r.target[k] = NaN;
    r.queueAhead[k] = NaN;
    r.fills[k] = this.stepFilled - makersFilled;
    r.otherFills[k] = NaN;
    r.reward[k] = this.bgReward;
    r.cumPnl[k] = this.bgShare * tickSize;
    r.mtm[k] = this.bgMtm * tickSize;
    k = base + n + 1; // taker
    r.action[k] = NONE;
    r.bidPrice[k] = NONE;
    r.bidQty[k] = NaN;
    r.target[k] = NaN;
    r.queueAhead[k] = NaN;
    r.fills[k] = this.stepFilled;
    r.otherFills[k] = NaN;
    r.reward[k] = this.stepCash * tickSize;
    r.cumPnl[k] = this.takerCash * tickSize;
    r.mtm[k] = this.takerCash * tickSize;
    r.childQty[t] = q;
    r.childFloor[t] = this.childFloor;
    r.childFilled[t] = this.childFilled;
    r.takerFilled[t] = this.stepFilled;
    r.bestBid[t] = book.bestBid();
    r.bestAsk[t] = book.bestAsk();
    r.volume[t] = this.tape;
    r.steps = t + 1;
    r.episode = this.episode;
    r.size = this.size;
    r.start = this.start;
  }
}

function badAction(i: number, a: number, nActions: number): never {
  throw new ConfigError(
    `policy[${i}].act`,
    `an action index, an integer in [0, ${nActions - 1}]`,
    a,
  );
}
