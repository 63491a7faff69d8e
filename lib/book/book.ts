/**
 * The central limit order book: integer ticks, integer quantities, price-time priority.
 *
 * Storage follows hftbacktest's dense ladder: every price level in `[minTick, maxTick]` has a slot
 * in typed arrays indexed by `tick - minTick`; each level's orders form an intrusive doubly linked
 * FIFO list in typed arrays indexed by order slot; a bitmap of non-empty levels per side finds the
 * next best price 32 levels at a time. No object is allocated per order or per fill.
 *
 * See `mod.ts` for the semantics of every operation.
 *
 * @module
 */

/** The bid (buy) side. */
export const BID = 0;
/** The ask (sell) side. */
export const ASK = 1;
/** A side of the book: `BID` (0) or `ASK` (1). */
export type Side = 0 | 1;

/** Returned for "no price" (an empty side) and "no order" (nothing rested). */
export const NONE = -1;

/** Largest quantity of one order. */
export const MAX_QTY = 0x7fffffff;
/** Largest owner id (owners are small non-negative integers: agents, not orders). */
export const MAX_OWNER = 0xffff;
/** Largest number of price levels a book may span. */
export const MAX_LEVELS = 1 << 22;

const SLOT_BITS = 24;
const SLOT_SPACE = 1 << SLOT_BITS; // 16,777,216 live orders at most
const SLOT_MASK = SLOT_SPACE - 1;

/** A rejected operation. The book is unchanged when this is thrown. */
export class BookError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "BookError";
  }
}

/** Options for {@linkcode OrderBook}. */
export interface BookOptions {
  /** Lowest valid price, in ticks (≥ 0). */
  minTick: number;
  /** Highest valid price, in ticks; at most `minTick + MAX_LEVELS - 1`. */
  maxTick: number;
  /** Initial order capacity (grows by doubling). Default 1024. */
  capacity?: number;
}

/**
 * The fills of the most recent matching operation, as parallel typed arrays of length ≥ `count`.
 * Overwritten by the next operation that can match (`limit`, `market`, `ioc`, `modify`). The arrays
 * are replaced when the log grows, so read them through the log (`book.fills.qty[k]`) rather than
 * keeping a reference to an array across operations.
 */
export interface FillLog {
  /** Number of fills recorded. */
  count: number;
  /** Id of the resting (maker) order. */
  makerId: Float64Array;
  /** Owner of the resting order. */
  makerOwner: Int32Array;
  /** Owner of the incoming (aggressor) order. */
  takerOwner: Int32Array;
  /** Fill price: always the resting order's price, in ticks. */
  price: Int32Array;
  /** Filled quantity. */
  qty: Float64Array;
  /** What remains of the resting order after this fill (0: it left the book). */
  makerRemaining: Float64Array;
}

/** Running totals, for conservation checks: `restedIn = resting + makerFilled + cancelled`. */
export interface BookStats {
  /** Quantity that entered the book as resting orders (after any immediate matching). */
  restedIn: number;
  /** Resting quantity that traded against aggressors. */
  makerFilled: number;
  /** Resting quantity removed by cancels and reductions. */
  cancelled: number;
  /** Resting quantity now in the book. */
  resting: number;
}

/** A price-time priority limit order book over a dense tick ladder. */
export class OrderBook {
  /** Lowest valid price in ticks. */
  readonly minTick: number;
  /** Highest valid price in ticks. */
  readonly maxTick: number;
  /** Fills of the last matching operation (see {@linkcode FillLog}). */
  readonly fills: FillLog;
  /** Quantity filled by the last matching operation. */
  lastFilled = 0;

  private readonly nLevels: number;
  // Levels: index side * nLevels + (tick - minTick).
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly levelQty: Float64Array;
  private readonly levelCount: Int32Array;
  // Bitmaps of non-empty levels, one per side.
  private readonly bits: [Uint32Array, Uint32Array];
  private bestIdx: Int32Array = new Int32Array([NONE, NONE]); // level index per side

  // Orders, by slot.
  private cap: number;
  private oPrice: Int32Array;
  private oQty: Float64Array;
  private oOwner: Int32Array;
  private oSide: Uint8Array;
  private oPrev: Int32Array;
  private oNext: Int32Array;
  private oGen: Int32Array;
  private oLive: Uint8Array;
  private freeHead = NONE;
  private used = 0; // slots ever handed out
  private live = 0;

  private ownerQty = new Float64Array(2 * 16);

  private sRestedIn = 0;
  private sMakerFilled = 0;
  private sCancelled = 0;
  private sResting = 0;

  constructor(options: BookOptions) {
    const { minTick, maxTick } = options;
    if (!Number.isInteger(minTick) || minTick < 0 || minTick > 0x7fffffff) {
      throw new BookError(`minTick: must be an integer in [0, 2147483647], got ${minTick}`);
    }
    if (
      !Number.isInteger(maxTick) || maxTick < minTick || maxTick - minTick >= MAX_LEVELS ||
      maxTick > 0x7fffffff
    ) {
      throw new BookError(
        `maxTick: must be an integer in [minTick, minTick + ${MAX_LEVELS - 1}], got ${maxTick}`,
      );
    }
    const capacity = options.capacity ?? 1024;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > SLOT_SPACE) {
      throw new BookError(`capacity: must be an integer in [1, ${SLOT_SPACE}], got ${capacity}`);
    }
    this.minTick = minTick;
    this.maxTick = maxTick;
    const n = maxTick - minTick + 1;
    this.nLevels = n;
    this.head = new Int32Array(2 * n).fill(NONE);
    this.tail = new Int32Array(2 * n).fill(NONE);
    this.levelQty = new Float64Array(2 * n);
    this.levelCount = new Int32Array(2 * n);
    const words = (n + 31) >>> 5;
    this.bits = [new Uint32Array(words), new Uint32Array(words)];
    this.cap = capacity;
    this.oPrice = new Int32Array(capacity);
    this.oQty = new Float64Array(capacity);
    this.oOwner = new Int32Array(capacity);
    this.oSide = new Uint8Array(capacity);
    this.oPrev = new Int32Array(capacity);
    this.oNext = new Int32Array(capacity);
    this.oGen = new Int32Array(capacity);
    this.oLive = new Uint8Array(capacity);
    this.fills = {
      count: 0,
      makerId: new Float64Array(64),
      makerOwner: new Int32Array(64),
      takerOwner: new Int32Array(64),
      price: new Int32Array(64),
      qty: new Float64Array(64),
      makerRemaining: new Float64Array(64),
    };
  }

  // ---------------------------------------------------------------- queries

  /** Best bid in ticks, or `NONE` if the bid side is empty. */
  bestBid(): number {
    const i = this.bestIdx[BID];
    return i === NONE ? NONE : i + this.minTick;
  }

  /** Best ask in ticks, or `NONE` if the ask side is empty. */
  bestAsk(): number {
    const i = this.bestIdx[ASK];
    return i === NONE ? NONE : i + this.minTick;
  }

  /** Best price on `side`, or `NONE`. */
  best(side: Side): number {
    const i = this.bestIdx[side];
    return i === NONE ? NONE : i + this.minTick;
  }

  /** Total resting quantity at `price` on `side` (0 outside the ladder). */
  depthAt(side: Side, price: number): number {
    if (!Number.isInteger(price) || price < this.minTick || price > this.maxTick) return 0;
    return this.levelQty[side * this.nLevels + price - this.minTick];
  }

  /** Number of resting orders at `price` on `side`. */
  ordersAt(side: Side, price: number): number {
    if (!Number.isInteger(price) || price < this.minTick || price > this.maxTick) return 0;
    return this.levelCount[side * this.nLevels + price - this.minTick];
  }

  /**
   * Writes the best `n` occupied levels of `side` (best first) into `prices` and `qtys`; returns
   * how many were written (fewer when the side has fewer levels).
   */
  levels(
    side: Side,
    n: number,
    prices: Int32Array | number[],
    qtys: Float64Array | number[],
  ): number {
    let i = this.bestIdx[side];
    let k = 0;
    const base = side * this.nLevels;
    while (i !== NONE && k < n) {
      prices[k] = i + this.minTick;
      qtys[k] = this.levelQty[base + i];
      k++;
      i = side === BID ? this.prevSet(BID, i - 1) : this.nextSet(ASK, i + 1);
    }
    return k;
  }

  /** Total resting quantity on `side` within `ticks` ticks of its best price (inclusive). */
  depthWithin(side: Side, ticks: number): number {
    const b = this.bestIdx[side];
    if (b === NONE) return 0;
    const base = side * this.nLevels;
    let sum = 0;
    if (side === BID) {
      const lo = Math.max(0, b - ticks);
      for (let i = b; i >= lo; i--) sum += this.levelQty[base + i];
    } else {
      const hi = Math.min(this.nLevels - 1, b + ticks);
      for (let i = b; i <= hi; i++) sum += this.levelQty[base + i];
    }
    return sum;
  }

  /** Whether `id` names an order resting in the book. */
  isLive(id: number): boolean {
    return this.slotOf(id) !== NONE;
  }

  /** Remaining quantity of a live order; throws {@linkcode BookError} for an unknown id. */
  orderQty(id: number): number {
    return this.oQty[this.liveSlot(id)];
  }

  /** Price of a live order in ticks; throws for an unknown id. */
  orderPrice(id: number): number {
    return this.oPrice[this.liveSlot(id)];
  }

  /** Side of a live order; throws for an unknown id. */
  orderSide(id: number): Side {
    return this.oSide[this.liveSlot(id)] as Side;
  }

  /** Owner of a live order; throws for an unknown id. */
  orderOwner(id: number): number {
    return this.oOwner[this.liveSlot(id)];
  }

  /** Resting quantity ahead of a live order in its level's queue; throws for an unknown id. */
  queueAhead(id: number): number {
    let s = this.oPrev[this.liveSlot(id)];
    let sum = 0;
    while (s !== NONE) {
      sum += this.oQty[s];
      s = this.oPrev[s];
    }
    return sum;
  }

  /** Resting quantity of `owner` on `side`. */
  ownerResting(owner: number, side: Side): number {
    const k = 2 * owner + side;
    return k < this.ownerQty.length && k >= 0 ? this.ownerQty[k] : 0;
  }

  /** Number of live orders. */
  get size(): number {
    return this.live;
  }

  /** Running totals for conservation checks. */
  stats(): BookStats {
    return {
      restedIn: this.sRestedIn,
      makerFilled: this.sMakerFilled,
      cancelled: this.sCancelled,
      resting: this.sResting,
    };
  }

  // ---------------------------------------------------------------- operations

  /**
   * Submits a limit order. It first trades against the opposite side at prices that cross
   * (`ask ≤ price` for a bid, `bid ≥ price` for an ask), at the resting orders' prices, in
   * price-time order; the remainder rests at the back of its level. Returns the resting order's
   * id, or `NONE` if it was filled in full. Fills are in {@linkcode OrderBook.fills}.
   */
  limit(side: Side, price: number, qty: number, owner: number): number {
    this.checkSide(side);
    this.checkPrice(price);
    this.checkQty("qty", qty);
    this.checkOwner(owner);
    this.fills.count = 0;
    const rem = this.match(side, price - this.minTick, qty, owner);
    this.lastFilled = qty - rem;
    if (rem === 0) return NONE;
    const slot = this.alloc();
    this.oPrice[slot] = price;
    this.oQty[slot] = rem;
    this.oOwner[slot] = owner;
    this.oSide[slot] = side;
    this.append(slot, side * this.nLevels + price - this.minTick);
    this.sRestedIn += rem;
    return this.idOf(slot);
  }

  /**
   * Submits a market order: it walks the opposite side until `qty` is filled or the side is
   * empty; nothing rests. Returns the filled quantity.
   */
  market(side: Side, qty: number, owner: number): number {
    this.checkSide(side);
    this.checkQty("qty", qty);
    this.checkOwner(owner);
    this.fills.count = 0;
    const limitIdx = side === BID ? this.nLevels - 1 : 0;
    const filled = qty - this.match(side, limitIdx, qty, owner);
    this.lastFilled = filled;
    return filled;
  }

  /**
   * Immediate-or-cancel order with a price limit (a marketable limit order that never rests):
   * trades at prices no worse than `price` (for a sell, bids ≥ `price`: a price floor). Returns
   * the filled quantity; the rest is dropped.
   */
  ioc(side: Side, price: number, qty: number, owner: number): number {
    this.checkSide(side);
    this.checkPrice(price);
    this.checkQty("qty", qty);
    this.checkOwner(owner);
    this.fills.count = 0;
    const filled = qty - this.match(side, price - this.minTick, qty, owner);
    this.lastFilled = filled;
    return filled;
  }

  /** Cancels a live order; returns the quantity removed. Throws for an unknown id. */
  cancel(id: number): number {
    const slot = this.liveSlot(id);
    const q = this.oQty[slot];
    this.unlink(slot);
    this.sCancelled += q;
    this.release(slot);
    return q;
  }

  /**
   * Changes a live order's price and/or quantity.
   * - Same price, smaller quantity: reduced in place, keeps its queue position.
   * - Same price and quantity: nothing happens.
   * - Larger quantity, or another price: the order leaves its place and re-enters at the back of
   *   its (new) level, keeping its id; at a new price it may trade first, like a new limit order.
   *
   * Returns the id if the order still rests, `NONE` if a re-price filled it in full. Throws for an
   * unknown id or an invalid price or quantity (use `cancel` to remove an order).
   */
  modify(id: number, price: number, qty: number): number {
    const slot = this.liveSlot(id);
    this.checkPrice(price);
    this.checkQty("qty", qty);
    this.fills.count = 0;
    this.lastFilled = 0;
    const old = this.oQty[slot];
    const side = this.oSide[slot] as Side;
    if (price === this.oPrice[slot] && qty <= old) {
      if (qty < old) this.shrink(slot, old - qty);
      return id;
    }
    // Leaves its place: counts as a cancel of the old quantity and a new entry.
    this.unlink(slot);
    this.sCancelled += old;
    const owner = this.oOwner[slot];
    const rem = this.match(side, price - this.minTick, qty, owner);
    this.lastFilled = qty - rem;
    if (rem === 0) {
      this.release(slot);
      return NONE;
    }
    this.oPrice[slot] = price;
    this.oQty[slot] = rem;
    this.append(slot, side * this.nLevels + price - this.minTick);
    this.sRestedIn += rem;
    return id;
  }

  /** Reduces a live order by `by` (1 ≤ by < its quantity), keeping its queue position. */
  reduce(id: number, by: number): number {
    const slot = this.liveSlot(id);
    const q = this.oQty[slot];
    if (!Number.isInteger(by) || by < 1 || by >= q) {
      throw new BookError(
        `by: must be an integer in [1, ${q - 1}] (below the order's ${q}), got ${by}`,
      );
    }
    this.shrink(slot, by);
    return q - by;
  }

  /**
   * Rests an order at the **front** of its level without matching: for seeding or reconciling a
   * replay with quantity that is older than anything submitted later (e.g. LOBSTER levels that
   * enter from beyond the recorded window). Throws if the price would cross the opposite best.
   */
  insertFront(side: Side, price: number, qty: number, owner: number): number {
    this.checkSide(side);
    this.checkPrice(price);
    this.checkQty("qty", qty);
    this.checkOwner(owner);
    const opp = this.best((1 - side) as Side);
    if (opp !== NONE && (side === BID ? price >= opp : price <= opp)) {
      throw new BookError(`price: ${price} would cross the opposite best ${opp}`);
    }
    const slot = this.alloc();
    this.oPrice[slot] = price;
    this.oQty[slot] = qty;
    this.oOwner[slot] = owner;
    this.oSide[slot] = side;
    const lvl = side * this.nLevels + price - this.minTick;
    const h = this.head[lvl];
    this.oPrev[slot] = NONE;
    this.oNext[slot] = h;
    if (h === NONE) {
      this.tail[lvl] = slot;
      this.setLevel(side, price - this.minTick);
    } else this.oPrev[h] = slot;
    this.head[lvl] = slot;
    this.levelQty[lvl] += qty;
    this.levelCount[lvl]++;
    this.addOwner(owner, side, qty);
    this.sResting += qty;
    this.sRestedIn += qty;
    return this.idOf(slot);
  }

  /**
   * Empties the book: every order leaves (its id is never valid again), the fill log and the
   * running totals start from zero. Costs O(occupied levels + order slots ever used), far less
   * than cancelling order by order; for starting a new episode on the same book.
   */
  clear(): void {
    for (const side of [BID, ASK] as const) {
      const bits = this.bits[side];
      const base = side * this.nLevels;
      for (let w = 0; w < bits.length; w++) {
        let word = bits[w];
        while (word !== 0) {
          const lvl = base + (w << 5) + 31 - Math.clz32(word & -word);
          this.head[lvl] = NONE;
          this.tail[lvl] = NONE;
          this.levelQty[lvl] = 0;
          this.levelCount[lvl] = 0;
          word &= word - 1;
        }
        bits[w] = 0;
      }
      this.bestIdx[side] = NONE;
    }
    // Slots are handed out again from 0; bumping every generation keeps old ids dead.
    for (let s = 0; s < this.used; s++) {
      this.oGen[s] = (this.oGen[s] + 1) & 0x1fffffff;
      this.oLive[s] = 0;
    }
    this.used = 0;
    this.freeHead = NONE;
    this.live = 0;
    this.ownerQty.fill(0);
    this.fills.count = 0;
    this.lastFilled = 0;
    this.sRestedIn =
      this.sMakerFilled =
      this.sCancelled =
      this.sResting =
        0;
  }

  /**
   * Calls `fn(id, owner, qty)` for each order at `price` on `side`, front of the queue first.
   * For inspection and tests; not for the hot path.
   */
  forEachAt(side: Side, price: number, fn: (id: number, owner: number, qty: number) => void) {
    if (!Number.isInteger(price) || price < this.minTick || price > this.maxTick) return;
    let s = this.head[side * this.nLevels + price - this.minTick];
    while (s !== NONE) {
      fn(this.idOf(s), this.oOwner[s], this.oQty[s]);
      s = this.oNext[s];
    }
  }

  // ---------------------------------------------------------------- internals

  /** Matches an aggressor on `side` up to level index `limitIdx`; returns the unfilled rest. */
  private match(side: Side, limitIdx: number, qty: number, owner: number): number {
    const opp = 1 - side;
    const base = opp * this.nLevels;
    let rem = qty;
    let i = this.bestIdx[opp];
    const f = this.fills;
    while (rem > 0 && i !== NONE && (side === BID ? i <= limitIdx : i >= limitIdx)) {
      const lvl = base + i;
      const price = i + this.minTick;
      let s = this.head[lvl];
      while (rem > 0 && s !== NONE) {
        const q = this.oQty[s];
        const take = q < rem ? q : rem;
        const left = q - take;
        rem -= take;
        const mo = this.oOwner[s];
        let k = f.count;
        if (k === f.qty.length) this.growFills();
        k = f.count++;
        f.makerId[k] = this.idOf(s);
        f.makerOwner[k] = mo;
        f.takerOwner[k] = owner;
        f.price[k] = price;
        f.qty[k] = take;
        f.makerRemaining[k] = left;
        this.ownerQty[2 * mo + opp] -= take;
        this.levelQty[lvl] -= take;
        this.sMakerFilled += take;
        this.sResting -= take;
        const next = this.oNext[s];
        if (left === 0) {
          // Pop the head of the level.
          this.head[lvl] = next;
          if (next !== NONE) this.oPrev[next] = NONE;
          else this.tail[lvl] = NONE;
          this.levelCount[lvl]--;
          this.release(s);
        } else {
          this.oQty[s] = left;
        }
        s = next;
      }
      if (this.head[lvl] === NONE) {
        this.clearBit(opp as Side, i);
        i = opp === BID ? this.prevSet(BID, i - 1) : this.nextSet(ASK, i + 1);
        this.bestIdx[opp] = i;
      }
    }
    return rem;
  }

  private growFills() {
    const f = this.fills;
    const n = f.qty.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T, mk: (n: number) => T): T => {
      const b = mk(n);
      b.set(a);
      return b;
    };
    f.makerId = g(f.makerId, (n) => new Float64Array(n));
    f.makerOwner = g(f.makerOwner, (n) => new Int32Array(n));
    f.takerOwner = g(f.takerOwner, (n) => new Int32Array(n));
    f.price = g(f.price, (n) => new Int32Array(n));
    f.qty = g(f.qty, (n) => new Float64Array(n));
    f.makerRemaining = g(f.makerRemaining, (n) => new Float64Array(n));
  }

  private append(slot: number, lvl: number) {
    const t = this.tail[lvl];
    this.oPrev[slot] = t;
    this.oNext[slot] = NONE;
    const side = this.oSide[slot] as Side;
    if (t === NONE) {
      this.head[lvl] = slot;
      this.setLevel(side, lvl - side * this.nLevels);
    } else this.oNext[t] = slot;
    this.tail[lvl] = slot;
    const q = this.oQty[slot];
    this.levelQty[lvl] += q;
    this.levelCount[lvl]++;
    this.addOwner(this.oOwner[slot], side, q);
    this.sResting += q;
  }

  /** Takes a resting order out of its level (the slot stays allocated). */
  private unlink(slot: number) {
    const side = this.oSide[slot] as Side;
    const i = this.oPrice[slot] - this.minTick;
    const lvl = side * this.nLevels + i;
    const p = this.oPrev[slot];
    const n = this.oNext[slot];
    if (p === NONE) this.head[lvl] = n;
    else this.oNext[p] = n;
    if (n === NONE) this.tail[lvl] = p;
    else this.oPrev[n] = p;
    const q = this.oQty[slot];
    this.levelQty[lvl] -= q;
    this.levelCount[lvl]--;
    this.ownerQty[2 * this.oOwner[slot] + side] -= q;
    this.sResting -= q;
    if (this.head[lvl] === NONE) {
      this.clearBit(side, i);
      if (this.bestIdx[side] === i) {
        this.bestIdx[side] = side === BID ? this.prevSet(BID, i - 1) : this.nextSet(ASK, i + 1);
      }
    }
  }

  private shrink(slot: number, by: number) {
    const side = this.oSide[slot];
    this.oQty[slot] -= by;
    this.levelQty[side * this.nLevels + this.oPrice[slot] - this.minTick] -= by;
    this.ownerQty[2 * this.oOwner[slot] + side] -= by;
    this.sResting -= by;
    this.sCancelled += by;
  }

  private setLevel(side: Side, i: number) {
    this.bits[side][i >>> 5] |= 1 << (i & 31);
    const b = this.bestIdx[side];
    if (b === NONE || (side === BID ? i > b : i < b)) this.bestIdx[side] = i;
  }

  private clearBit(side: Side, i: number) {
    this.bits[side][i >>> 5] &= ~(1 << (i & 31));
  }

  /** Highest set level index ≤ i on `side`, or NONE. */
  private prevSet(side: Side, i: number): number {
    if (i < 0) return NONE;
    const bits = this.bits[side];
    let w = i >>> 5;
    let word = bits[w] & (0xffffffff >>> (31 - (i & 31)));
    while (word === 0) {
      if (w === 0) return NONE;
      word = bits[--w];
    }
    return (w << 5) + 31 - Math.clz32(word);
  }

  /** Lowest set level index ≥ i on `side`, or NONE. */
  private nextSet(side: Side, i: number): number {
    if (i >= this.nLevels) return NONE;
    const bits = this.bits[side];
    const last = bits.length - 1;
    let w = i >>> 5;
    let word = bits[w] & (0xffffffff << (i & 31));
    while (word === 0) {
      if (w === last) return NONE;
      word = bits[++w];
    }
    return (w << 5) + 31 - Math.clz32(word & -word);
  }

  private addOwner(owner: number, side: Side, q: number) {
    const k = 2 * owner + side;
    if (k >= this.ownerQty.length) {
      const a = new Float64Array(Math.max(2 * this.ownerQty.length, k + 2));
      a.set(this.ownerQty);
      this.ownerQty = a;
    }
    this.ownerQty[k] += q;
  }

  private alloc(): number {
    let slot = this.freeHead;
    if (slot !== NONE) {
      this.freeHead = this.oNext[slot];
      this.oGen[slot] = (this.oGen[slot] + 1) & 0x1fffffff;
    } else {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    }
    this.oLive[slot] = 1;
    this.live++;
    return slot;
  }

  private release(slot: number) {
    this.oLive[slot] = 0;
    this.oNext[slot] = this.freeHead;
    this.freeHead = slot;
    this.live--;
  }

  private grow() {
    if (this.cap >= SLOT_SPACE) {
      throw new BookError(`capacity: the book holds at most ${SLOT_SPACE} live orders`);
    }
    const n = Math.min(SLOT_SPACE, this.cap * 2);
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.oPrice = g(this.oPrice, new Int32Array(n));
    this.oQty = g(this.oQty, new Float64Array(n));
    this.oOwner = g(this.oOwner, new Int32Array(n));
    this.oSide = g(this.oSide, new Uint8Array(n));
    this.oPrev = g(this.oPrev, new Int32Array(n));
    this.oNext = g(this.oNext, new Int32Array(n));
    this.oGen = g(this.oGen, new Int32Array(n));
    this.oLive = g(this.oLive, new Uint8Array(n));
    this.cap = n;
  }

  private idOf(slot: number): number {
    return this.oGen[slot] * SLOT_SPACE + slot;
  }

  /** Slot of a live order id, or NONE. */
  private slotOf(id: number): number {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) return NONE;
    const slot = id & SLOT_MASK;
    if (slot >= this.used || this.oLive[slot] === 0) return NONE;
    return this.idOf(slot) === id ? slot : NONE;
  }

  private liveSlot(id: number): number {
    const s = this.slotOf(id);
    if (s === NONE) throw new BookError(`id: no live order with id ${id}`);
    return s;
  }

  private checkSide(side: number) {
    if (side !== BID && side !== ASK) {
      throw new BookError(`side: must be BID (0) or ASK (1), got ${side}`);
    }
  }

  private checkPrice(price: number) {
    if (!Number.isInteger(price) || price < this.minTick || price > this.maxTick) {
      throw new BookError(
        `price: must be an integer tick in [${this.minTick}, ${this.maxTick}], got ${price}`,
      );
    }
  }

  private checkQty(field: string, qty: number) {
    if (!Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) {
      throw new BookError(`${field}: must be an integer in [1, ${MAX_QTY}], got ${qty}`);
    }
  }

  private checkOwner(owner: number) {
    if (!Number.isInteger(owner) || owner < 0 || owner > MAX_OWNER) {
      throw new BookError(`owner: must be an integer in [0, ${MAX_OWNER}], got ${owner}`);
    }
  }
}
