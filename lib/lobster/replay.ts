/**
 * Replays a LOBSTER message file through the order-book engine and compares the engine's top N
 * levels with the orderbook file after every message, exactly, in integers.
 *
 * The procedure is the one in `data/lobster/README.md`:
 * 1. **Seed** from orderbook row 0: one synthetic order (owner {@linkcode SYNTH_OWNER}) per shown
 *    level, at the front of its queue. Messages are applied from message 1; rows compared from 1.
 * 2. **Apply** each message. Type 1 rests a limit order (owner {@linkcode REAL_OWNER}); LOBSTER
 *    order ids map to engine ids. Types 2, 3 and 4 reduce or cancel that order; an id never seen
 *    (pre-window quantity) reduces the synthetic order at that price. Types 5, 6 and 7 change
 *    nothing.
 * 3. **Reveal**, per side, when row i−1 showed all N levels: levels of row i strictly worse than
 *    row i−1's worst price W came from outside the window, so the engine's levels in that range
 *    are set to row i (by adjusting the level's synthetic order; real orders are kept) and the
 *    levels row i does not show there are dropped. Everything at W or better comes from the
 *    replay alone.
 * 4. **Compare** all N levels, prices and sizes, with row i.
 *
 * **Matching check** (option `checkMatching`, default on): a run of type-4 executions that share
 * a timestamp and a resting side (type-5 hidden executions in between are ignored) is one
 * aggressive order. At the run's first message the replay submits the rebuilt aggressor (the
 * opposite side, the sum of the sizes, an IOC limited at the worst price reached) to the engine
 * *instead of* applying the executions one by one, and checks that the engine filled the same
 * resting orders, in the same order and sizes, as the messages list: by id where the order is
 * known, by price and size for synthetic (pre-window or revealed) quantity. If it matched, the
 * book after the run is the one the individual executions would give. Rows inside the run are
 * compared against the engine plus the executions still to come (added back at their prices), and
 * levels the run reveals from beyond the window are reconciled before the aggressor is submitted
 * (they are known from the rows of the run; executions before a level is revealed cannot touch
 * it).
 *
 * Prices become ticks of one cent (`price / 100`); book-affecting prices must be whole cents. The
 * engine's ladder spans the data's price range plus a margin.
 *
 * @module
 */
import { ASK, BID, type BookOptions, NONE, OrderBook, type Side } from "../book/mod.ts";
import { ConfigError } from "../errors.ts";
import {
  CANCEL,
  CROSS,
  DELETE,
  DUMMY_ASK,
  DUMMY_BID,
  EXECUTE,
  formatTime,
  HALT,
  HIDDEN,
  type Messages,
  type Orderbook,
  SUBMIT,
} from "./reader.ts";

/** Owner id of orders submitted by type-1 messages. */
export const REAL_OWNER = 0;
/** Owner id of synthetic orders (seeded from row 0 or revealed from outside the window). */
export const SYNTH_OWNER = 1;
/** Owner id of the rebuilt aggressive orders of the matching check. */
export const AGGRESSOR_OWNER = 2;
/** Price units (dollars × 10000) per engine tick: one cent. */
export const PRICE_PER_TICK = 100;

/** Options for {@linkcode replay}. */
export interface ReplayOptions {
  /** The message file. */
  messages: Messages;
  /** The orderbook file (same number of rows). */
  orderbook: Orderbook;
  /** Replay runs of executions as one rebuilt aggressive order and check its fills. Default true. */
  checkMatching?: boolean;
  /** Ticks added below and above the data's price range for the engine's ladder. Default 1000. */
  marginTicks?: number;
  /** Makes the engine; default `new OrderBook(options)`. Tests pass a faulty one to see the checks fail. */
  makeBook?: (options: BookOptions) => OrderBook;
}

/** One message, for reports. */
export interface MessageInfo {
  /** 0-based row index (the file's line number is `index + 1`). */
  index: number;
  /** Time, seconds after midnight with 9 decimals. */
  time: string;
  /** Event type, 1 to 7. */
  type: number;
  /** LOBSTER order id. */
  orderId: number;
  /** Size in shares. */
  size: number;
  /** Price, dollars × 10000. */
  price: number;
  /** 1 buy (bid), −1 sell (ask). */
  direction: number;
}

/** Top-N levels as `[price × 10000, size]` pairs, best first; empty slots are LOBSTER dummies. */
export interface LevelsSnapshot {
  /** Ask levels. */
  ask: [number, number][];
  /** Bid levels. */
  bid: [number, number][];
}

/** The first orderbook row whose levels differ from the engine's. */
export interface RowMismatch {
  /** 0-based row index. */
  row: number;
  /** The message applied just before the comparison. */
  message: MessageInfo;
  /** The orderbook row. */
  expected: LevelsSnapshot;
  /** The engine's levels. */
  got: LevelsSnapshot;
}

/** One fill (or several consecutive fills of one resting order) in a matching-check report. */
export interface FillEntry {
  /** LOBSTER id of the resting order, or `null` for synthetic (pre-window or revealed) quantity. */
  orderId: number | null;
  /** Fill price, dollars × 10000. */
  price: number;
  /** Shares filled. */
  size: number;
}

/** The first run of executions that the engine did not fill the way the messages list. */
export interface RunMismatch {
  /** The run's first message. */
  message: MessageInfo;
  /** The rebuilt aggressor: side (`"buy"` or `"sell"`), limit price (× 10000) and size. */
  aggressor: { side: "buy" | "sell"; price: number; size: number };
  /** Fills listed by the type-4 messages. */
  expected: FillEntry[];
  /** Fills made by the engine. */
  got: FillEntry[];
  /**
   * `"engine"`: the list follows price-time priority over the replayed queues, the engine's fills
   * differ; `"state"`: the list executes quantity the replayed queues do not hold; `"notFifo"`:
   * the list itself breaks price-time priority.
   */
  kind: "engine" | "state" | "notFifo";
  /** The evidence for `kind`. */
  why: string;
}

/** Result of the matching check. */
export interface MatchingReport {
  /** Runs of executions checked (each is one rebuilt aggressive order). */
  runs: number;
  /** Runs whose fills matched exactly. */
  matched: number;
  /** Runs with more than one execution message. */
  multiFill: number;
  /** Runs that reached more than one price level. */
  multiLevel: number;
  /** Type-4 messages covered by the runs. */
  executions: number;
  /** Of those, executions of known orders (checked by id, price and size). */
  byId: number;
  /** Of those, executions of synthetic quantity (checked by price and size only). */
  bySize: number;
  /** Type-5 messages interleaved in runs (ignored). */
  hiddenInRuns: number;
  /**
   * Runs that did not match although the messages list follows price-time priority over the
   * replayed queues: the engine's fault (or the replay's).
   */
  engine: number;
  /**
   * Runs that did not match because they execute quantity that the replayed queues do not hold
   * (an unknown order where no synthetic quantity rests, or more than an order has): the
   * replay's fault (or the data's).
   */
  state: number;
  /**
   * Runs that did not match because the messages list itself breaks price-time priority over the
   * replayed queues (e.g. an order executed while an order submitted earlier at the same price
   * still rests ahead of it): no price-time engine can match them. The replay applies their
   * executions one by one, as listed.
   */
  notFifo: number;
  /** The first mismatching runs (at most 100), in file order. */
  mismatches: RunMismatch[];
}

/** Something the replay could not apply as the message says (the replay goes on). */
export interface ReplayAnomaly {
  /** The message. */
  message: MessageInfo;
  /** What went wrong. */
  what: string;
}

/** Result of {@linkcode replay}. */
export interface ReplayReport {
  /** Levels per side compared (N). */
  levels: number;
  /** Orderbook rows compared (all but row 0). */
  rows: number;
  /** Rows whose N levels matched exactly. */
  matched: number;
  /** The first mismatching row, or `null`. */
  firstMismatch: RowMismatch | null;
  /** Messages applied (all but message 0). */
  messages: number;
  /** The engine's ladder, in ticks of one cent. */
  minTick: number;
  /** The engine's ladder, in ticks of one cent. */
  maxTick: number;
  /** Levels set by the reveal rule (quantity from outside the window). */
  revealed: number;
  /** Levels dropped by the reveal rule (not shown where row i shows the book). */
  dropped: number;
  /** Levels that left the window and were merged into one synthetic order. */
  merged: number;
  /** Reveals that had to shrink known real orders (their synthetic quantity did not suffice). */
  realShrunk: number;
  /** Messages the replay could not apply as written. */
  anomalies: number;
  /** The first of those, or `null`. */
  firstAnomaly: ReplayAnomaly | null;
  /** The matching check, or `null` when `checkMatching` is off. */
  matching: MatchingReport | null;
}

/**
 * Replays `messages` through a fresh {@linkcode OrderBook} and compares it with `orderbook` after
 * every message (see the module doc for the procedure). Throws a {@linkcode ConfigError} if the
 * files do not fit together (row counts) or a book-affecting price is not a whole cent.
 *
 * @example
 * ```ts
 * import { parseMessages, parseOrderbook, replay } from "./mod.ts";
 * const enc = (s: string) => new TextEncoder().encode(s);
 * // One level: a bid of 100 at $10.00 is hit for 40, then for the remaining 60 by a new order.
 * const messages = parseMessages(enc("1.0,1,7,100,100000,1\n2.0,4,7,40,100000,1\n"));
 * const orderbook = parseOrderbook(enc("100100,5,100000,100\n100100,5,100000,60\n"));
 * const r = replay({ messages, orderbook });
 * if (r.matched !== 1 || r.rows !== 1 || r.matching?.matched !== 1) throw new Error("replay");
 * ```
 */
export function replay(options: ReplayOptions): ReplayReport {
  return new Replayer(options).run();
}

/** The price range (dollars × 10000) of a sample's book-affecting prices, and the ladder. */
export function tickRange(
  options: { messages: Messages; orderbook: Orderbook; marginTicks?: number },
): { minTick: number; maxTick: number } {
  const { messages: m, orderbook: ob } = options;
  const margin = options.marginTicks ?? 1000;
  if (!Number.isInteger(margin) || margin < 0 || margin > 1_000_000) {
    throw new ConfigError("marginTicks", "an integer in [0, 1000000]", margin);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.count; i++) {
    const t = m.type[i];
    if (t < SUBMIT || t > EXECUTE) continue;
    const p = m.price[i];
    if (p <= 0 || !Number.isInteger(p / PRICE_PER_TICK)) {
      throw new ConfigError(
        `${m.file}:${i + 1} column 5 (price)`,
        `a positive whole cent (multiple of ${PRICE_PER_TICK}) on event type ${t}`,
        p,
      );
    }
    if (m.size[i] < 1) {
      throw new ConfigError(
        `${m.file}:${i + 1} column 4 (size)`,
        `≥ 1 on event type ${t}`,
        m.size[i],
      );
    }
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  const n = ob.count * ob.levels;
  for (let s = 0; s < 2; s++) {
    const prices = s === 0 ? ob.askPrice : ob.bidPrice;
    const dummy = s === 0 ? DUMMY_ASK : DUMMY_BID;
    for (let j = 0; j < n; j++) {
      const p = prices[j];
      if (p === dummy) continue;
      if (!Number.isInteger(p / PRICE_PER_TICK)) {
        const row = Math.floor(j / ob.levels);
        throw new ConfigError(
          `${ob.file}:${row + 1} column ${4 * (j - row * ob.levels) + 2 * s + 1}`,
          `a whole cent (multiple of ${PRICE_PER_TICK})`,
          p,
        );
      }
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
  }
  if (lo === Infinity) return { minTick: 0, maxTick: 2 * margin };
  return {
    minTick: Math.max(0, lo / PRICE_PER_TICK - margin),
    maxTick: hi / PRICE_PER_TICK + margin,
  };
}

// ---------------------------------------------------------------- internals

const MAX_MISMATCHES = 100;

const better = (side: Side, a: number, b: number) => side === BID ? a > b : a < b;

class Replayer {
  private readonly m: Messages;
  private readonly ob: Orderbook;
  private readonly n: number; // levels per side
  private readonly checkMatching: boolean;
  private readonly book: OrderBook;
  private readonly minTick: number;
  private readonly maxTick: number;
  private readonly nTicks: number;
  /** Engine id of the synthetic order per (side, tick), or NONE. */
  private readonly synth: Float64Array;
  /** LOBSTER order id -> engine id. */
  private readonly ids = new Map<number, number>();

  /** Occupied levels per orderbook row, per side. */
  private readonly counts: [Int32Array, Int32Array];

  // Levels read from the engine (plus pending executions), per side.
  private readonly gotP: [Int32Array, Int32Array];
  private readonly gotQ: [Float64Array, Float64Array];
  private readonly gotN = new Int32Array(2);
  private orderBuf = new Float64Array(64);

  // Executions of the current run not yet reached by the replay (already done in the engine).
  private runEnd = -1;
  private pendSide: Side = BID;
  private pendPos = 0;
  private pendEnd = 0;
  private pendMsg = new Int32Array(64);
  private pendTick = new Int32Array(64);
  private pendQty = new Float64Array(64);
  private pendKey = new Float64Array(64);

  // Fill groups (expected, got): key (engine id), tick, qty.
  private readonly grp = {
    key: [new Float64Array(64), new Float64Array(64)],
    tick: [new Int32Array(64), new Int32Array(64)],
    qty: [new Float64Array(64), new Float64Array(64)],
    n: new Int32Array(2),
  };

  // Copy of the levels an aggressor may touch: id, qty, owner, tick, in priority order.
  private snapN = 0;
  private snapAt = 0;
  private snapId = new Float64Array(64);
  private snapQty = new Float64Array(64);
  private snapOwner = new Int32Array(64);
  private snapTick = new Int32Array(64);

  private readonly report: ReplayReport;
  private readonly matching: MatchingReport;

  constructor(options: ReplayOptions) {
    const { messages, orderbook } = options;
    if (messages.count !== orderbook.count) {
      throw new ConfigError(
        `${orderbook.file}: rows`,
        `as many rows as ${messages.file} (${messages.count})`,
        orderbook.count,
      );
    }
    if (messages.count < 1) {
      throw new ConfigError(`${messages.file}: rows`, "at least 1 (row 0 seeds the book)", 0);
    }
    this.m = messages;
    this.ob = orderbook;
    this.n = orderbook.levels;
    this.checkMatching = options.checkMatching ?? true;
    const { minTick, maxTick } = tickRange(options);
    this.minTick = minTick;
    this.maxTick = maxTick;
    this.nTicks = maxTick - minTick + 1;
    const bookOptions = { minTick, maxTick, capacity: 4096 };
    this.book = options.makeBook ? options.makeBook(bookOptions) : new OrderBook(bookOptions);
    this.synth = new Float64Array(2 * this.nTicks).fill(NONE);
    this.counts = [BID, ASK].map((side) => {
      const prices = side === BID ? orderbook.bidPrice : orderbook.askPrice;
      const dummy = side === BID ? DUMMY_BID : DUMMY_ASK;
      const c = new Int32Array(orderbook.count);
      for (let r = 0; r < orderbook.count; r++) {
        let k = 0;
        while (k < this.n && prices[r * this.n + k] !== dummy) k++;
        c[r] = k;
      }
      return c;
    }) as [Int32Array, Int32Array];
    this.gotP = [new Int32Array(this.n), new Int32Array(this.n)];
    this.gotQ = [new Float64Array(this.n), new Float64Array(this.n)];
    this.matching = {
      runs: 0,
      matched: 0,
      multiFill: 0,
      multiLevel: 0,
      executions: 0,
      byId: 0,
      bySize: 0,
      hiddenInRuns: 0,
      engine: 0,
      state: 0,
      notFifo: 0,
      mismatches: [],
    };
    this.report = {
      levels: this.n,
      rows: 0,
      matched: 0,
      firstMismatch: null,
      messages: 0,
      minTick,
      maxTick,
      revealed: 0,
      dropped: 0,
      merged: 0,
      realShrunk: 0,
      anomalies: 0,
      firstAnomaly: null,
      matching: this.checkMatching ? this.matching : null,
    };
  }

  run(): ReplayReport {
    this.seed();
    const rows = this.m.count;
    for (let i = 1; i < rows; i++) {
      let ok: boolean;
      try {
        this.apply(i);
        this.reveal(i, BID);
        this.reveal(i, ASK);
        ok = this.compare(i);
        this.leave(i, BID);
        this.leave(i, ASK);
      } catch (e) {
        if (e instanceof ConfigError) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        throw new Error(`${this.m.file}:${i + 1}: the replay failed: ${msg}`, { cause: e });
      }
      this.report.messages++;
      this.report.rows++;
      if (ok) this.report.matched++;
      else if (this.report.firstMismatch === null) {
        this.report.firstMismatch = {
          row: i,
          message: this.info(i),
          expected: this.rowSnapshot(i),
          got: this.gotSnapshot(),
        };
      }
    }
    return this.report;
  }

  // ------------------------------------------------------------ rows

  private rowPrice(side: Side, row: number, k: number): number {
    return (side === BID ? this.ob.bidPrice : this.ob.askPrice)[row * this.n + k];
  }

  private rowSize(side: Side, row: number, k: number): number {
    return (side === BID ? this.ob.bidSize : this.ob.askSize)[row * this.n + k];
  }

  /** Occupied levels of `side` in `row` (dummies only follow occupied levels). */
  private rowCount(side: Side, row: number): number {
    return this.counts[side][row];
  }

  private seed() {
    for (let s = 0; s < 2; s++) {
      const side = s as Side;
      const c = this.rowCount(side, 0);
      for (let k = 0; k < c; k++) {
        const tick = this.rowPrice(side, 0, k) / PRICE_PER_TICK;
        const id = this.book.insertFront(side, tick, this.rowSize(side, 0, k), SYNTH_OWNER);
        this.synth[this.lvl(side, tick)] = id;
      }
    }
  }

  private lvl(side: Side, tick: number): number {
    return side * this.nTicks + tick - this.minTick;
  }

  // ------------------------------------------------------------ messages

  private apply(i: number) {
    const m = this.m;
    const type = m.type[i];
    switch (type) {
      case SUBMIT:
        return this.submit(i);
      case CANCEL:
      case DELETE:
        return this.remove(i);
      case EXECUTE:
        if (!this.checkMatching) return this.remove(i);
        if (i > this.runEnd) this.startRun(i);
        while (this.pendPos < this.pendEnd && this.pendMsg[this.pendPos] <= i) this.pendPos++;
        return;
      case HIDDEN:
      case CROSS:
      case HALT:
        return;
      default:
        throw new ConfigError(`${m.file}:${i + 1} column 2 (event type)`, "1 to 7", type);
    }
  }

  private sideOf(i: number): Side {
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
      if (old !== undefined && this.book.isLive(old)) {
        this.anomaly(i, "the order id is already resting");
      }
      this.ids.set(m.orderId[i], id);
    }
  }

  /** Types 2, 3 and 4 applied one by one: reduce or cancel the order (or the synthetic one). */
  private remove(i: number) {
    const m = this.m;
    const type = m.type[i];
    const side = this.sideOf(i);
    const tick = m.price[i] / PRICE_PER_TICK;
    const size = m.size[i];
    const e = this.ids.get(m.orderId[i]);
    if (e === undefined || !this.book.isLive(e)) return this.reduceSynth(i, side, tick, size);
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

  private anomaly(i: number, what: string) {
    this.report.anomalies++;
    if (this.report.firstAnomaly === null) {
      this.report.firstAnomaly = { message: this.info(i), what };
    }
  }

  // ------------------------------------------------------------ matching check

  /** Runs the aggressor rebuilt from the run of executions starting at message `i`. */
  private startRun(i: number) {
    const m = this.m;
    const t = m.timeNs[i];
    const dir = m.direction[i];
    let end = i;
    let hidden = 0;
    for (let j = i + 1; j < m.count && m.timeNs[j] === t; j++) {
      if (m.type[j] === EXECUTE && m.direction[j] === dir) end = j;
      else if (m.type[j] === HIDDEN) hidden++;
      else break;
    }
    const side = this.sideOf(i);
    // Levels that the run's rows reveal from beyond the window: set them first (no execution
    // before a level is revealed can touch it).
    for (let row = i; row <= end; row++) this.reveal(row, side);

    // Expected fills, grouped by resting order; and the pending executions.
    const g = this.grp;
    g.n[0] = 0;
    this.pendSide = side;
    this.pendPos = 0;
    this.pendEnd = 0;
    let sum = 0;
    let worst = side === BID ? Infinity : -Infinity;
    let byId = 0;
    let count = 0;
    for (let j = i; j <= end; j++) {
      if (m.type[j] !== EXECUTE) continue;
      const tick = m.price[j] / PRICE_PER_TICK;
      const size = m.size[j];
      const e = this.ids.get(m.orderId[j]);
      let key: number;
      if (e !== undefined && this.book.isLive(e)) {
        key = e;
        byId++;
      } else {
        const s = this.synth[this.lvl(side, tick)];
        key = s !== NONE && this.book.isLive(s) ? s : NONE;
      }
      this.pushGroup(0, key, tick, size);
      this.pushPending(j, tick, size, key);
      sum += size;
      if (better(side, worst, tick)) worst = tick;
      count++;
    }
    this.runEnd = end;
    const mr = this.matching;
    mr.runs++;
    mr.executions += count;
    mr.byId += byId;
    mr.bySize += count - byId;
    mr.hiddenInRuns += hidden;
    if (count > 1) mr.multiFill++;

    // The aggressor, and the engine's fills grouped the same way. The levels it may touch are
    // copied first, so that a mismatch can be undone.
    const book = this.book;
    this.snapshot(side, worst);
    book.ioc((1 - side) as Side, worst, sum, AGGRESSOR_OWNER);
    const f = book.fills;
    g.n[1] = 0;
    for (let k = 0; k < f.count; k++) this.pushGroup(1, f.makerId[k], f.price[k], f.qty[k]);
    if (g.tick[0][0] !== worst) mr.multiLevel++;
    let ok = g.n[0] === g.n[1] && book.lastFilled === sum;
    for (let k = 0; ok && k < g.n[0]; k++) {
      ok = g.key[0][k] !== NONE && g.key[0][k] === g.key[1][k] &&
        g.tick[0][k] === g.tick[1][k] && g.qty[0][k] === g.qty[1][k];
    }
    if (ok) {
      mr.matched++;
      return;
    }
    const breach = this.priorityBreach();
    const kind = breach === null ? "engine" : breach.kind;
    mr[kind]++;
    if (mr.mismatches.length < MAX_MISMATCHES) {
      mr.mismatches.push({
        message: this.info(i),
        aggressor: {
          side: side === BID ? "sell" : "buy",
          price: worst * PRICE_PER_TICK,
          size: sum,
        },
        expected: this.expectedEntries(),
        got: this.engineEntries(),
        kind,
        why: breach?.why ?? "the messages list follows price-time priority; the engine did not",
      });
    }
    // Undo the aggressor and apply the executions one by one, as the messages list them.
    this.restore(side);
    for (let j = i; j <= end; j++) if (m.type[j] === EXECUTE) this.remove(j);
  }

  /** Copies the orders of `side` from its best price to `worst`, in priority order. */
  private snapshot(side: Side, worst: number) {
    const book = this.book;
    this.snapN = 0;
    const best = book.best(side);
    if (best === NONE) return;
    const step = side === BID ? -1 : 1;
    for (let p = best; side === BID ? p >= worst : p <= worst; p += step) {
      if (book.ordersAt(side, p) === 0) continue;
      this.snapAt = p;
      book.forEachAt(side, p, this.snapVisit);
    }
  }

  private readonly snapVisit = (id: number, owner: number, qty: number) => {
    const k = this.snapN;
    if (k === this.snapId.length) {
      this.snapId = grow(this.snapId, new Float64Array(2 * k));
      this.snapQty = grow(this.snapQty, new Float64Array(2 * k));
      this.snapOwner = grow(this.snapOwner, new Int32Array(2 * k));
      this.snapTick = grow(this.snapTick, new Int32Array(2 * k));
    }
    this.snapId[k] = id;
    this.snapQty[k] = qty;
    this.snapOwner[k] = owner;
    this.snapTick[k] = this.snapAt;
    this.snapN = k + 1;
  };

  /** Puts the snapshot's levels back, in the same queue order (engine ids change). */
  private restore(side: Side) {
    const book = this.book;
    const lobsterOf = new Map<number, number>();
    for (const [lob, e] of this.ids) lobsterOf.set(e, lob);
    for (let k = 0; k < this.snapN; k++) {
      const p = this.snapTick[k];
      if (k > 0 && this.snapTick[k - 1] === p) continue;
      let c = 0;
      book.forEachAt(side, p, (id) => {
        if (c === this.orderBuf.length) {
          this.orderBuf = grow(this.orderBuf, new Float64Array(2 * c));
        }
        this.orderBuf[c++] = id;
      });
      for (let j = 0; j < c; j++) book.cancel(this.orderBuf[j]);
      this.synth[this.lvl(side, p)] = NONE;
    }
    for (let k = 0; k < this.snapN; k++) {
      const p = this.snapTick[k];
      const owner = this.snapOwner[k];
      const id = book.limit(side, p, this.snapQty[k], owner);
      if (owner === SYNTH_OWNER) this.synth[this.lvl(side, p)] = id;
      const lob = lobsterOf.get(this.snapId[k]);
      if (lob !== undefined) this.ids.set(lob, id);
    }
  }

  /**
   * Whether the run's executions, in the order the messages list them, break price-time priority
   * over the queues copied before the aggressor (`"notFifo"`: then no price-time engine could
   * match them), or name quantity those queues do not hold (`"state"`). Returns what breaks it,
   * or `null` if the list is consistent with price-time priority over the replayed queues.
   */
  private priorityBreach(): { kind: "notFifo" | "state"; why: string } | null {
    const rem = this.snapQty.slice(0, this.snapN);
    for (let j = 0; j < this.pendEnd; j++) {
      const key = this.pendKey[j];
      const msg = this.pendMsg[j];
      const lob = this.m.orderId[msg];
      let at = NONE;
      for (let k = 0; k < this.snapN; k++) if (this.snapId[k] === key) at = k;
      if (key === NONE || at === NONE) {
        return {
          kind: "state",
          why: `message ${msg} executes order ${lob}; the replay has no quantity for it there`,
        };
      }
      for (let k = 0; k < at; k++) {
        if (rem[k] === 0) continue;
        const same = this.snapTick[k] === this.snapTick[at];
        const ahead = this.snapOwner[k] === SYNTH_OWNER
          ? `${rem[k]} shares of unidentified quantity (pre-window or rested out of view${
            same ? "; older than any known order at that price" : ""
          })`
          : `${rem[k]} shares of order ${this.lobsterIdOf(this.snapId[k])}${
            same ? " (submitted earlier)" : ""
          }`;
        return {
          kind: "notFifo",
          why: `message ${msg} executes order ${lob} at ${
            this.snapTick[at] * PRICE_PER_TICK
          } while ${ahead} rest ahead of it at ${this.snapTick[k] * PRICE_PER_TICK}`,
        };
      }
      if (this.pendQty[j] > rem[at]) {
        return {
          kind: "state",
          why: `message ${msg} executes ${this.pendQty[j]} of order ${lob}, which has ${rem[at]}`,
        };
      }
      rem[at] -= this.pendQty[j];
    }
    return null;
  }

  private lobsterIdOf(engineId: number): number | null {
    for (const [lob, e] of this.ids) if (e === engineId) return lob;
    return null;
  }

  private pushGroup(which: 0 | 1, key: number, tick: number, qty: number) {
    const g = this.grp;
    const k = g.n[which];
    if (k > 0 && g.key[which][k - 1] === key && g.tick[which][k - 1] === tick && key !== NONE) {
      g.qty[which][k - 1] += qty;
      return;
    }
    if (k === g.key[which].length) {
      g.key[which] = grow(g.key[which], new Float64Array(2 * k));
      g.tick[which] = grow(g.tick[which], new Int32Array(2 * k));
      g.qty[which] = grow(g.qty[which], new Float64Array(2 * k));
    }
    g.key[which][k] = key;
    g.tick[which][k] = tick;
    g.qty[which][k] = qty;
    g.n[which] = k + 1;
  }

  private pushPending(msg: number, tick: number, qty: number, key: number) {
    const k = this.pendEnd;
    if (k === this.pendMsg.length) {
      this.pendMsg = grow(this.pendMsg, new Int32Array(2 * k));
      this.pendTick = grow(this.pendTick, new Int32Array(2 * k));
      this.pendQty = grow(this.pendQty, new Float64Array(2 * k));
      this.pendKey = grow(this.pendKey, new Float64Array(2 * k));
    }
    this.pendMsg[k] = msg;
    this.pendTick[k] = tick;
    this.pendQty[k] = qty;
    this.pendKey[k] = key;
    this.pendEnd = k + 1;
  }

  /** The run's executions as report entries (LOBSTER id `null` where the order is unknown). */
  private expectedEntries(): FillEntry[] {
    const out: FillEntry[] = [];
    for (let j = 0; j < this.pendEnd; j++) {
      const key = this.pendKey[j];
      const known = key !== NONE && this.synth[this.lvl(this.pendSide, this.pendTick[j])] !== key;
      out.push({
        orderId: known ? this.m.orderId[this.pendMsg[j]] : null,
        price: this.pendTick[j] * PRICE_PER_TICK,
        size: this.pendQty[j],
      });
    }
    return out;
  }

  /** The engine's last fills as report entries (LOBSTER id `null` for synthetic orders). */
  private engineEntries(): FillEntry[] {
    const lobsterOf = new Map<number, number>();
    for (const [lob, e] of this.ids) lobsterOf.set(e, lob);
    const f = this.book.fills;
    const out: FillEntry[] = [];
    for (let k = 0; k < f.count; k++) {
      out.push({
        orderId: f.makerOwner[k] === SYNTH_OWNER ? null : lobsterOf.get(f.makerId[k]) ?? null,
        price: f.price[k] * PRICE_PER_TICK,
        size: f.qty[k],
      });
    }
    return out;
  }

  /** Pending (not yet replayed) execution quantity at `tick` on `side`. */
  private pendingAt(side: Side, tick: number): number {
    if (side !== this.pendSide) return 0;
    let q = 0;
    for (let j = this.pendPos; j < this.pendEnd; j++) {
      if (this.pendTick[j] === tick) q += this.pendQty[j];
    }
    return q;
  }

  // ------------------------------------------------------------ reveal

  /** The reveal rule for row `i` on `side` (see the module doc). */
  private reveal(i: number, side: Side) {
    const n = this.n;
    if (this.rowCount(side, i - 1) < n) return;
    const w = this.rowPrice(side, i - 1, n - 1) / PRICE_PER_TICK;
    const c = this.rowCount(side, i);
    const step = side === BID ? -1 : 1;
    let hi: number;
    if (c === n) {
      hi = this.rowPrice(side, i, n - 1) / PRICE_PER_TICK;
      if (!better(side, w, hi)) return;
    } else hi = side === BID ? this.minTick : this.maxTick;
    let k = 0;
    while (k < c && !better(side, w, this.rowPrice(side, i, k) / PRICE_PER_TICK)) k++;
    for (let p = w + step; side === BID ? p >= hi : p <= hi; p += step) {
      let target = 0;
      if (k < c && this.rowPrice(side, i, k) / PRICE_PER_TICK === p) {
        target = this.rowSize(side, i, k);
        k++;
      }
      const cur = this.book.depthAt(side, p) + this.pendingAt(side, p);
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
  private leave(i: number, side: Side) {
    const n = this.n;
    if (this.rowCount(side, i) < n) return;
    const w = this.rowPrice(side, i, n - 1) / PRICE_PER_TICK;
    const pc = this.rowCount(side, i - 1);
    if (pc === 0) return;
    const wp = this.rowPrice(side, i - 1, pc - 1) / PRICE_PER_TICK;
    if (!better(side, w, wp)) return;
    const book = this.book;
    const step = side === BID ? -1 : 1;
    for (let p = w + step; side === BID ? p >= wp : p <= wp; p += step) {
      const q = book.depthAt(side, p);
      if (q === 0) continue;
      const k = this.lvl(side, p);
      const s = this.synth[k];
      if (book.ordersAt(side, p) === 1 && s !== NONE && book.isLive(s)) continue;
      let c = 0;
      book.forEachAt(side, p, (id) => {
        if (c === this.orderBuf.length) {
          this.orderBuf = grow(this.orderBuf, new Float64Array(2 * c));
        }
        this.orderBuf[c++] = id;
      });
      for (let j = 0; j < c; j++) book.cancel(this.orderBuf[j]);
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
    let n = 0;
    book.forEachAt(side, tick, (id) => {
      if (n === this.orderBuf.length) this.orderBuf = grow(this.orderBuf, new Float64Array(2 * n));
      this.orderBuf[n++] = id;
    });
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

  /** Reads the engine's top N levels (plus pending executions) and compares them with row i. */
  private compare(i: number): boolean {
    let ok = true;
    for (let s = 0; s < 2; s++) {
      const side = s as Side;
      const c = this.viewLevels(side);
      if (c !== this.rowCount(side, i)) ok = false;
      const P = this.gotP[side];
      const Q = this.gotQ[side];
      for (let k = 0; ok && k < c; k++) {
        ok = P[k] * PRICE_PER_TICK === this.rowPrice(side, i, k) &&
          Q[k] === this.rowSize(side, i, k);
      }
      if (!ok) {
        if (s === 0) this.viewLevels(ASK); // keep both sides current for the report
        return false;
      }
    }
    return true;
  }

  private viewLevels(side: Side): number {
    const n = this.n;
    const P = this.gotP[side];
    const Q = this.gotQ[side];
    let c = this.book.levels(side, n, P, Q);
    if (side === this.pendSide) {
      for (let j = this.pendPos; j < this.pendEnd; j++) {
        const p = this.pendTick[j];
        const q = this.pendQty[j];
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

  private info(i: number): MessageInfo {
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

  private rowSnapshot(i: number): LevelsSnapshot {
    const side = (s: Side) =>
      Array.from(
        { length: this.n },
        (_, k) => [this.rowPrice(s, i, k), this.rowSize(s, i, k)] as [number, number],
      );
    return { ask: side(ASK), bid: side(BID) };
  }

  private gotSnapshot(): LevelsSnapshot {
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

function grow<T extends Int32Array | Float64Array>(a: T, b: T): T {
  b.set(a);
  return b;
}
