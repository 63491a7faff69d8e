/**
 * The level replay (private to `lib/lobster/`): the engine's book driven by the messages, the
 * seed and reveal rules that reconcile it with the window of levels the orderbook file shows,
 * and the exact comparison of the top N levels with each row. Steps 1 to 4 of `replay.ts`'s
 * module doc; the matching check (`_matching.ts`) plugs into it through `pending` (executions
 * it already did in the engine but the replay has not reached).
 *
 * @module
 */
import { ASK, BID, NONE, type OrderBook, type Side } from "../book/mod.ts";
import { ConfigError } from "../errors.ts";
import {
  CANCEL,
  CROSS,
  DELETE,
  DUMMY_ASK,
  DUMMY_BID,
  formatTime,
  HALT,
  HIDDEN,
  type Messages,
  type Orderbook,
  SUBMIT,
} from "./reader.ts";
import type { LevelsSnapshot, MessageInfo, ReplayReport } from "./replay_types.ts";
import { IdMap } from "./_idmap.ts";

/** Owner id of orders submitted by type-1 messages. */
export const REAL_OWNER = 0;
/** Owner id of synthetic orders (seeded from row 0 or revealed from outside the window). */
export const SYNTH_OWNER = 1;
/** Owner id of the rebuilt aggressive orders of the matching check. */
export const AGGRESSOR_OWNER = 2;
/** Price units (dollars × 10000) per engine tick: one cent. */
export const PRICE_PER_TICK = 100;

/** Whether price `a` is better than `b` on `side`. */
export const better = (side: Side, a: number, b: number): boolean => side === BID ? a > b : a < b;

/** Copies `a` into the larger `b`. */
export function grow<T extends Int32Array | Float64Array>(a: T, b: T): T {
  b.set(a);
  return b;
}

/**
 * Executions of the current run that the matching check already did in the engine but the
 * replay has not reached (messages `msg[pos..end)`), on one side: the comparison adds them back.
 */
export class Pending {
  side: Side = BID;
  pos = 0;
  end = 0;
  msg = new Int32Array(64);
  tick = new Int32Array(64);
  qty = new Float64Array(64);
  /** Engine id of the resting order it executes (or of the synthetic order), or NONE. */
  key = new Float64Array(64);

  /** Starts a new run on `side`. */
  start(side: Side) {
    this.side = side;
    this.pos = 0;
    this.end = 0;
  }

  push(msg: number, tick: number, qty: number, key: number) {
    const k = this.end;
    if (k === this.msg.length) {
      this.msg = grow(this.msg, new Int32Array(2 * k));
      this.tick = grow(this.tick, new Int32Array(2 * k));
      this.qty = grow(this.qty, new Float64Array(2 * k));
      this.key = grow(this.key, new Float64Array(2 * k));
    }
    this.msg[k] = msg;
    this.tick[k] = tick;
    this.qty[k] = qty;
    this.key[k] = key;
    this.end = k + 1;
  }

  /** Pending quantity at `tick` on `side`. */
  at(side: Side, tick: number): number {
    if (side !== this.side) return 0;
    let q = 0;
    for (let j = this.pos; j < this.end; j++) if (this.tick[j] === tick) q += this.qty[j];
    return q;
  }
}

/** The book replayed from the messages and compared with the orderbook rows. */
export class LevelReplay {
  readonly m: Messages;
  readonly ob: Orderbook;
  /** Levels per side. */
  readonly n: number;
  readonly book: OrderBook;
  readonly minTick: number;
  readonly maxTick: number;
  private readonly nTicks: number;
  /** Engine id of the synthetic order per (side, tick), or NONE. */
  readonly synth: Float64Array;
  /** LOBSTER order id -> engine id (NONE: unknown). */
  readonly ids = new IdMap();
  private pruneAt = 4096;
  readonly pending = new Pending();
  readonly report: ReplayReport;

  /** Per side (BID, ASK): the rows' prices (dollars × 10000), sizes, occupied levels. */
  private readonly prices: [Float64Array, Float64Array];
  private readonly sizes: [Int32Array, Int32Array];
  private readonly counts: [Int32Array, Int32Array];

  // Levels read from the engine (plus pending executions), per side.
  private readonly gotP: [Int32Array, Int32Array];
  private readonly gotQ: [Float64Array, Float64Array];
  private readonly gotN = new Int32Array(2);
  private orderBuf = new Float64Array(64);

  constructor(
    options: { messages: Messages; orderbook: Orderbook; book: OrderBook; report: ReplayReport },
  ) {
    const { messages, orderbook, book } = options;
    this.m = messages;
    this.ob = orderbook;
    this.n = orderbook.levels;
    this.book = book;
    this.report = options.report;
    this.minTick = book.minTick;
    this.maxTick = book.maxTick;
    this.nTicks = this.maxTick - this.minTick + 1;
    this.synth = new Float64Array(2 * this.nTicks).fill(NONE);
    const n = this.n, rows = orderbook.count;
    const count = (prices: Float64Array, dummy: number) => {
      const c = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        if (prices[r * n + n - 1] !== dummy) { // a full row (most rows)
          c[r] = n;
          continue;
        }
        let k = 0;
        while (k < n && prices[r * n + k] !== dummy) k++;
        c[r] = k;
      }
      return c;
    };
    this.prices = [orderbook.bidPrice, orderbook.askPrice];
    this.sizes = [orderbook.bidSize, orderbook.askSize];
    this.counts = [count(orderbook.bidPrice, DUMMY_BID), count(orderbook.askPrice, DUMMY_ASK)];
    this.gotP = [new Int32Array(n), new Int32Array(n)];
    this.gotQ = [new Float64Array(n), new Float64Array(n)];
  }

  /** Per side, the book's `version` the view was read at, or -1 (it holds pending executions). */
  private readonly viewAt = new Float64Array([-1, -1]);

  // ------------------------------------------------------------ rows

  /**
   * Price of level `k` of `side` in `row`, in ticks (occupied levels only: their prices are
   * whole cents, checked by `tickRange`, so the division is exact).
   */
  rowTick(side: Side, row: number, k: number): number {
    return this.prices[side][row * this.n + k] / PRICE_PER_TICK;
  }

  /** Size of level `k` of `side` in `row`. */
  rowSize(side: Side, row: number, k: number): number {
    return this.sizes[side][row * this.n + k];
  }

  /** Occupied levels of `side` in `row` (dummies only follow occupied levels). */
  rowCount(side: Side, row: number): number {
    return this.counts[side][row];
  }

  /** Step 1: one synthetic order per level of row 0, at the front of its queue. */
  seed() {
    for (let s = 0; s < 2; s++) {
      const side = s as Side;
      const c = this.rowCount(side, 0);
      for (let k = 0; k < c; k++) {
        const tick = this.rowTick(side, 0, k);
        const id = this.book.insertFront(side, tick, this.rowSize(side, 0, k), SYNTH_OWNER);
        this.synth[this.lvl(side, tick)] = id;
      }
    }
  }

  lvl(side: Side, tick: number): number {
    return side * this.nTicks + tick - this.minTick;
  }

  // ------------------------------------------------------------ messages

  /** Step 2 for every type but executions under the matching check (see `replay.ts`). */
  apply(i: number) {
    const m = this.m;
    const type = m.type[i];
    switch (type) {
      case SUBMIT:
        return this.submit(i);
      case CANCEL:
      case DELETE:
        return this.remove(i);
      case HIDDEN:
      case CROSS:
      case HALT:
        return;
      default:
        throw new ConfigError(`${m.file}:${i + 1} column 2 (event type)`, "1 to 7", type);
    }
  }

  sideOf(i: number): Side {
    return this.m.direction[i] === 1 ? BID : ASK;
  }

  private submit(i: number) {
    const m = this.m;
    const side = this.sideOf(i);
    const tick = m.price[i] / PRICE_PER_TICK;
    const id = this.book.limit(side, tick, m.size[i], REAL_OWNER);
    if (this.book.fills.count > 0) {
      this.anomaly(i, `the submission traded ${this.book.lastFilled} in the engine (it crossed)`);
    }
    if (id !== NONE) {
      const old = this.ids.get(m.orderId[i]);
      if (old !== NONE && this.book.isLive(old)) {
        this.anomaly(i, "the order id is already resting");
      }
      this.ids.set(m.orderId[i], id);
      if (this.ids.size > this.pruneAt) this.prune();
    }
  }

  /**
   * Drops the ids of orders no longer in the book (filled by a matching-check aggressor, merged
   * away by `leave`, shrunk by `adjust`): every use treats a dead id like an unknown one, and the
   * map then stays about as small as the book (a large map slows every lookup).
   */
  private prune() {
    this.ids.filter((_lob, e) => this.book.isLive(e));
    this.pruneAt = 2 * this.ids.size + 4096;
  }

  /** Types 2, 3 and 4 applied one by one: reduce or cancel the order (or the synthetic one). */
  remove(i: number) {
    const m = this.m;
    const type = m.type[i];
    const side = this.sideOf(i);
    const tick = m.price[i] / PRICE_PER_TICK;
    const size = m.size[i];
    const e = this.ids.get(m.orderId[i]);
    if (e === NONE || !this.book.isLive(e)) return this.reduceSynth(i, side, tick, size);
    const book = this.book;
    if (book.orderPrice(e) !== tick || book.orderSide(e) !== side) {
      this.anomaly(i, `the order rests at tick ${book.orderPrice(e)} on side ${book.orderSide(e)}`);
    }
    const q = book.orderQty(e);
    if (type === DELETE ? q !== size : size > q) {
      this.anomaly(i, `the order has ${q} left; the message says ${size}`);
    }
    if (size < q && type !== DELETE) book.reduce(e, size);
    else {
      book.cancel(e);
      this.ids.delete(m.orderId[i]);
    }
  }

  private reduceSynth(i: number, side: Side, tick: number, size: number) {
    const k = this.lvl(side, tick);
    const s = this.synth[k];
    if (s === NONE || !this.book.isLive(s)) {
      this.anomaly(i, "unknown order id and no synthetic quantity at its price");
      return;
    }
    const q = this.book.orderQty(s);
    if (size < q) this.book.reduce(s, size);
    else {
      if (size > q) this.anomaly(i, `unknown order id; the synthetic quantity is only ${q}`);
      this.book.cancel(s);
      this.synth[k] = NONE;
    }
  }

  anomaly(i: number, what: string) {
    this.report.anomalies++;
    if (this.report.firstAnomaly === null) {
      this.report.firstAnomaly = { message: this.info(i), what };
    }
  }

  /** The ids of the orders at `tick` on `side`, front first, in `orderBuf[0..count)`. */
  private idsAt(side: Side, tick: number): number {
    let c = 0;
    this.book.forEachAt(side, tick, (id) => {
      if (c === this.orderBuf.length) this.orderBuf = grow(this.orderBuf, new Float64Array(2 * c));
      this.orderBuf[c++] = id;
    });
    return c;
  }

  /** Cancels every order at `tick` on `side`; returns the quantity removed. */
  clearLevel(side: Side, tick: number): number {
    const c = this.idsAt(side, tick);
    let q = 0;
    for (let j = 0; j < c; j++) q += this.book.cancel(this.orderBuf[j]);
    return q;
  }

  // ------------------------------------------------------------ reveal

  /** The reveal rule for row `i` on `side` (step 3 in `replay.ts`). */
  reveal(i: number, side: Side) {
    const n = this.n;
    if (this.rowCount(side, i - 1) < n) return;
    const w = this.rowTick(side, i - 1, n - 1);
    const c = this.rowCount(side, i);
    const step = side === BID ? -1 : 1;
    let hi: number;
    if (c === n) {
      hi = this.rowTick(side, i, n - 1);
      if (!better(side, w, hi)) return;
    } else hi = side === BID ? this.minTick : this.maxTick;
    let k = 0;
    while (k < c && !better(side, w, this.rowTick(side, i, k))) k++;
    for (let p = w + step; side === BID ? p >= hi : p <= hi; p += step) {
      let target = 0;
      if (k < c && this.rowTick(side, i, k) === p) {
        target = this.rowSize(side, i, k);
        k++;
      }
      const cur = this.book.depthAt(side, p) + this.pending.at(side, p);
      if (cur === target) continue;
      if (target === 0) this.report.dropped++;
      else this.report.revealed++;
      this.adjust(i, side, p, target - cur);
    }
  }

  /**
   * Levels that row `i` pushed out of the window (strictly worse than its worst level, but shown
   * in row i−1) may change unseen until they come back: their orders merge into one synthetic
   * order at the front, and their LOBSTER ids are forgotten (later messages naming them reduce
   * the synthetic order). Everything at such a level is older than any order submitted after it
   * comes back, so the front is the right place.
   */
  leave(i: number, side: Side) {
    const n = this.n;
    if (this.rowCount(side, i) < n) return;
    const w = this.rowTick(side, i, n - 1);
    const pc = this.rowCount(side, i - 1);
    if (pc === 0) return;
    const wp = this.rowTick(side, i - 1, pc - 1);
    if (!better(side, w, wp)) return;
    const book = this.book;
    const step = side === BID ? -1 : 1;
    for (let p = w + step; side === BID ? p >= wp : p <= wp; p += step) {
      const q = book.depthAt(side, p);
      if (q === 0) continue;
      const k = this.lvl(side, p);
      const s = this.synth[k];
      if (book.ordersAt(side, p) === 1 && s !== NONE && book.isLive(s)) continue;
      this.clearLevel(side, p);
      this.synth[k] = book.insertFront(side, p, q, SYNTH_OWNER);
      this.report.merged++;
    }
  }

  /** Changes the quantity at `tick` by `delta` through its synthetic order (real ones last). */
  private adjust(i: number, side: Side, tick: number, delta: number) {
    const book = this.book;
    const k = this.lvl(side, tick);
    const s = this.synth[k];
    const live = s !== NONE && book.isLive(s);
    if (delta > 0) {
      const opp = book.best((1 - side) as Side);
      if (opp !== NONE && !better(side, opp, tick)) {
        this.anomaly(i, `the reveal rule cannot rest ${delta} at tick ${tick}: crosses ${opp}`);
        return;
      }
      const q = live ? book.cancel(s) : 0;
      this.synth[k] = book.insertFront(side, tick, q + delta, SYNTH_OWNER);
      return;
    }
    let need = -delta;
    if (live) {
      const q = book.orderQty(s);
      if (q > need) {
        book.reduce(s, need);
        return;
      }
      book.cancel(s);
      this.synth[k] = NONE;
      need -= q;
      if (need === 0) return;
    }
    // Known orders changed out of view: shrink them from the back of the queue.
    const n = this.idsAt(side, tick);
    if (n > 0) this.report.realShrunk++;
    for (let j = n - 1; j >= 0 && need > 0; j--) {
      const id = this.orderBuf[j];
      const q = book.orderQty(id);
      if (q > need) {
        book.reduce(id, need);
        need = 0;
      } else {
        book.cancel(id);
        need -= q;
      }
    }
    if (need > 0) this.anomaly(i, `the reveal rule cannot remove ${need} at tick ${tick}`);
  }

  // ------------------------------------------------------------ compare

  /** Step 4: the engine's top N levels (plus pending executions) against row `i`. */
  compare(i: number): boolean {
    for (let s = 0; s < 2; s++) {
      const side = s as Side;
      const c = this.viewLevels(side);
      let ok = c === this.rowCount(side, i);
      const P = this.gotP[side], Q = this.gotQ[side];
      const X = this.prices[side], S = this.sizes[side];
      const base = i * this.n;
      for (let k = 0; ok && k < c; k++) {
        ok = P[k] * PRICE_PER_TICK === X[base + k] && Q[k] === S[base + k];
      }
      if (!ok) {
        if (s === 0) this.viewLevels(ASK); // keep both sides current for the report
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the engine's top N levels of `side` into `gotP`/`gotQ` (plus pending executions);
   * returns their number. A view without pending executions is kept while the side's levels
   * are unchanged (the book's `version`): most messages change one side.
   */
  private viewLevels(side: Side): number {
    const pd = this.pending;
    const pendingHere = side === pd.side && pd.pos < pd.end;
    const version = this.book.version(side);
    if (!pendingHere && this.viewAt[side] === version) return this.gotN[side];
    this.viewAt[side] = pendingHere ? -1 : version;
    const n = this.n;
    const P = this.gotP[side];
    const Q = this.gotQ[side];
    let c = this.book.levels(side, n, P, Q);
    if (side === pd.side) {
      for (let j = pd.pos; j < pd.end; j++) {
        const p = pd.tick[j];
        const q = pd.qty[j];
        let k = 0;
        while (k < c && P[k] !== p && !better(side, p, P[k])) k++;
        if (k < c && P[k] === p) {
          Q[k] += q;
          continue;
        }
        if (k >= n) continue;
        for (let t = c < n ? c : n - 1; t > k; t--) {
          P[t] = P[t - 1];
          Q[t] = Q[t - 1];
        }
        P[k] = p;
        Q[k] = q;
        if (c < n) c++;
      }
    }
    this.gotN[side] = c;
    return c;
  }

  // ------------------------------------------------------------ reports

  info(i: number): MessageInfo {
    const m = this.m;
    return {
      index: i,
      time: formatTime(m.timeNs[i]),
      type: m.type[i],
      orderId: m.orderId[i],
      size: m.size[i],
      price: m.price[i],
      direction: m.direction[i],
    };
  }

  /** Row `i` of the orderbook file, as the file has it. */
  rowSnapshot(i: number): LevelsSnapshot {
    const ob = this.ob, n = this.n;
    const side = (prices: Float64Array, sizes: Int32Array) =>
      Array.from(
        { length: n },
        (_, k) => [prices[i * n + k], sizes[i * n + k]] as [number, number],
      );
    return { ask: side(ob.askPrice, ob.askSize), bid: side(ob.bidPrice, ob.bidSize) };
  }

  /** The engine's levels as last read by `compare`. */
  gotSnapshot(): LevelsSnapshot {
    const side = (s: Side) =>
      Array.from(
        { length: this.n },
        (_, k) =>
          (k < this.gotN[s]
            ? [this.gotP[s][k] * PRICE_PER_TICK, this.gotQ[s][k]]
            : [s === BID ? DUMMY_BID : DUMMY_ASK, 0]) as [number, number],
      );
    return { ask: side(ASK), bid: side(BID) };
  }
}
