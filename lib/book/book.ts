/**
 * The central limit order book: integer ticks, integer quantities, price-time priority.
 *
 * Storage follows hftbacktest's dense ladder: every price level in `[minTick, maxTick]` has a slot
 * in typed arrays indexed by `tick - minTick`; each level's orders form an intrusive doubly linked
 * FIFO list over order slots; a bitmap of non-empty levels per side finds the next best price 32
 * levels at a time. An order's fields are parallel typed arrays indexed by its slot, six of them
 * (the live flag shares the generation's word, the side the owner's: see the fields), so a
 * deep book's cancel touches six cache lines for the order. No object is allocated per order or
 * per fill.
 *
 * See `mod.ts` for the semantics of every operation.
 *
 * @module
 */
import {
  GEN_MAX,
  L_COUNT,
  L_HEAD,
  L_TAIL,
  LSHIFT,
  orderId,
  RETIRED,
  SLOT_MASK,
  SLOT_SPACE,
} from "./_layout.ts";
import { closestKey } from "../errors.ts";

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
/** Largest number of live orders (order slots; see `clear` and the id rules in `mod.ts`). */
export const MAX_ORDERS = SLOT_SPACE;

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

/** A value as a message quotes it: strings in quotes (`"0"` is not 0). */
const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** The keys of {@linkcode BookOptions} (the compiler keeps the list complete). */
const BOOK_OPTION_KEYS = Object.keys(
  { minTick: 1, maxTick: 1, capacity: 1 } satisfies Record<keyof BookOptions, 1>,
);

/**
 * The fills of the most recent matching operation, as parallel typed arrays of length ≥ `count`.
 * Overwritten by the next operation that can match (`limit`, `market`, `ioc`, `modify`). The arrays
 * are replaced when the log grows, so read them through the log (`book.fills.qty[k]`) rather than
 * keeping a reference to an array across operations.
 */
export interface MatchFills {
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

/**
 * The resting orders of a book, taken by {@linkcode OrderBook.snapshot} and put back by
 * {@linkcode OrderBook.restore}: for starting many episodes from the same market without
 * entering its orders one by one. Read `size` and `ids`; the other fields are the book's.
 */
export class BookSnapshot {
  constructor(
    /** Ticks of the book it was taken from (a snapshot fits only a book with the same). */
    readonly minTick: number,
    readonly maxTick: number,
    /** Number of orders. */
    readonly size: number,
    /** The orders' ids when the snapshot was taken (order `j` is `ids[j]`). */
    readonly ids: Float64Array,
    /** Per order `j`: side, price, quantity, owner, and its neighbours in its queue (`j`s). */
    readonly side: Int32Array,
    readonly price: Int32Array,
    readonly qty: Int32Array,
    readonly owner: Int32Array,
    readonly prev: Int32Array,
    readonly next: Int32Array,
    /** Per occupied level: its index, first and last order (`j`s), order count and quantity. */
    readonly level: Int32Array,
    readonly head: Int32Array,
    readonly tail: Int32Array,
    readonly count: Int32Array,
    readonly levelQty: Float64Array,
    /** Best level index per side. */
    readonly best: Int32Array,
    /** Resting quantity per (owner, side) entry `2 · owner + side` that has any: keys, sums. */
    readonly ownerKey: Int32Array,
    readonly ownerQty: Float64Array,
  ) {}
}

/** A price-time priority limit order book over a dense tick ladder. */
export class OrderBook {
  /** Lowest valid price in ticks. */
  readonly minTick: number;
  /** Highest valid price in ticks. */
  readonly maxTick: number;
  /** Fills of the last matching operation (see {@linkcode MatchFills}). */
  readonly fills: MatchFills;
  /** Quantity filled by the last matching operation. */
  lastFilled = 0;

  private readonly nLevels: number;
  // Levels: index side * nLevels + (tick - minTick); `lv` holds 1 << LSHIFT ints per level.
  private readonly lv: Int32Array;
  private readonly levelQty: Float64Array;
  // Bitmaps of non-empty levels: words [0, words) for bids, [words, 2 words) for asks.
  private readonly bits: Uint32Array;
  private readonly words: number;
  private readonly bestIdx: Int32Array = new Int32Array([NONE, NONE]); // level index per side
  // Per side, bumped whenever a level's total quantity on that side changes (see `version`).
  private readonly edits = new Uint32Array(2);

  // Orders, by slot (see _layout.ts for ids and generations). One array per field: measured
  // faster than one interleaved array on the game's and the crossing stream's small books, and
  // no better on the deep passive stream: with one Int32Array of 8 or 6 ints per slot (one cache
  // line per order instead of six) its cost per op grew 2.55-2.90x and 2.39-2.64x from the first
  // tenth to the last against 2.35-2.51x (min of 13 rounds, three runs, load ~2). A cancel's
  // loads of its fields run in parallel; what depth adds is the latency of reaching a random
  // order and its neighbours in a larger working set (bench:book's memory-traffic rows).
  private oPrice: Int32Array;
  private oQty: Int32Array;
  // 2 · owner + side, which is also the order's entry in ownerQty: one array read where unlink,
  // match and shrink need both (a deep book's cancel touches one cache line fewer: passive
  // stream 1.06x, crossing 1.00x against separate owner and side arrays).
  private oKey: Int32Array;
  private oPrev: Int32Array;
  private oNext: Int32Array;
  // 2 · generation + 1 while the slot holds a live order (RETIRED for a retired slot): the live
  // test and the id come from one array (a deep book's lookup touches one cache line fewer:
  // passive stream 1.05x, crossing 1.01x, bench:book paired with the two-array layout).
  private oGen: Int32Array;
  private cap: number;
  private freeHead = NONE;
  private used = 0; // slots handed out fresh since the last clear
  private live = 0;
  private retiredCount = 0;

  private ownerQty = new Float64Array(2 * 16);
  private restoreSlots = new Int32Array(0); // restore's scratch: the slot of each order

  // Running totals: restedIn, makerFilled, cancelled, resting.
  private readonly tot = new Float64Array(4);

  constructor(options: BookOptions) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new BookError(
        `options: must be an object {minTick, maxTick, capacity?}, got ${options}`,
      );
    }
    for (const key of Object.keys(options)) {
      if (!BOOK_OPTION_KEYS.includes(key)) {
        const near = closestKey(key, BOOK_OPTION_KEYS);
        throw new BookError(
          `${JSON.stringify(key)}: unknown option of OrderBook; ` +
            (near
              ? `did you mean ${JSON.stringify(near)}?`
              : `known: ${BOOK_OPTION_KEYS.join(", ")}`),
        );
      }
    }
    const { minTick, maxTick } = options;
    if (!Number.isInteger(minTick) || minTick < 0 || minTick > 0x7fffffff) {
      throw new BookError(`minTick: must be an integer in [0, 2147483647], got ${show(minTick)}`);
    }
    if (
      !Number.isInteger(maxTick) || maxTick < minTick || maxTick - minTick >= MAX_LEVELS ||
      maxTick > 0x7fffffff
    ) {
      throw new BookError(
        `maxTick: must be an integer in [minTick, minTick + ${MAX_LEVELS - 1}], got ${
          show(maxTick)
        }`,
      );
    }
    const capacity = options.capacity ?? 1024;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > SLOT_SPACE) {
      throw new BookError(
        `capacity: must be an integer in [1, ${SLOT_SPACE}], got ${show(capacity)}`,
      );
    }
    this.minTick = minTick;
    this.maxTick = maxTick;
    const n = maxTick - minTick + 1;
    this.nLevels = n;
    this.lv = new Int32Array((2 * n) << LSHIFT);
    for (let l = 0; l < 2 * n; l++) {
      this.lv[(l << LSHIFT) + L_HEAD] = NONE;
      this.lv[(l << LSHIFT) + L_TAIL] = NONE;
    }
    this.levelQty = new Float64Array(2 * n);
    this.words = (n + 31) >>> 5;
    this.bits = new Uint32Array(2 * this.words);
    this.cap = capacity;
    this.oPrice = new Int32Array(capacity);
    this.oQty = new Int32Array(capacity);
    this.oKey = new Int32Array(capacity);
    this.oPrev = new Int32Array(capacity);
    this.oNext = new Int32Array(capacity);
    this.oGen = new Int32Array(capacity);
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

  /**
   * A number that changes whenever the total quantity at any of `side`'s levels changes (an
   * order entering, leaving, filling, shrinking or growing; `clear`, `restore`); compare it for
   * equality only. A reader that keeps a view of the side's levels can skip re-reading them
   * while it stays the same (the LOBSTER replay's comparison does). Throws
   * {@linkcode BookError} for a bad side.
   *
   * @example
   * ```ts
   * import { ASK, BID, OrderBook } from "./mod.ts";
   * const book = new OrderBook({ minTick: 90, maxTick: 110 });
   * const bids = book.version(BID), asks = book.version(ASK);
   * book.limit(BID, 99, 5, 0);
   * if (book.version(BID) === bids || book.version(ASK) !== asks) throw new Error("version");
   * ```
   */
  version(side: Side): number {
    if (side !== BID && side !== ASK) badSide(side);
    return this.edits[side];
  }

  /** Best price on `side`, or `NONE`. Throws {@linkcode BookError} for a bad side. */
  best(side: Side): number {
    if ((side & 1) !== side) badSide(side);
    const i = this.bestIdx[side];
    return i === NONE ? NONE : i + this.minTick;
  }

  /** Total resting quantity at `price` on `side` (0 outside the ladder). */
  depthAt(side: Side, price: number): number {
    if ((side & 1) !== side) badSide(side);
    const i = price - this.minTick;
    if ((price | 0) !== price || (i >>> 0) >= this.nLevels) return 0;
    return this.levelQty[side * this.nLevels + i];
  }

  /** Number of resting orders at `price` on `side` (0 outside the ladder). */
  ordersAt(side: Side, price: number): number {
    if ((side & 1) !== side) badSide(side);
    const i = price - this.minTick;
    if ((price | 0) !== price || (i >>> 0) >= this.nLevels) return 0;
    return this.lv[((side * this.nLevels + i) << LSHIFT) + L_COUNT];
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
    if (side !== BID && side !== ASK) badSide(side);
    if (!(n >= 0)) throw new BookError(`n: must be a number ≥ 0, got ${n}`);
    const best = this.bestIdx[side];
    if (best === NONE || !(n > 0)) return 0;
    const base = side * this.nLevels, minTick = this.minTick, levelQty = this.levelQty;
    const bits = this.bits, w0 = side * this.words;
    // Walks the side's bitmap from the best level, one word at a time.
    let w = best >>> 5;
    let k = 0;
    if (side === BID) {
      let word = bits[w0 + w] & (0xffffffff >>> (31 - (best & 31)));
      for (;;) {
        while (word === 0) {
          if (w === 0) return k;
          word = bits[w0 + --w];
        }
        const b = 31 - Math.clz32(word);
        word ^= 1 << b;
        const i = (w << 5) + b;
        prices[k] = i + minTick;
        qtys[k] = levelQty[base + i];
        if (++k >= n) return k;
      }
    }
    const last = this.words - 1;
    let word = bits[w0 + w] & (0xffffffff << (best & 31));
    for (;;) {
      while (word === 0) {
        if (w === last) return k;
        word = bits[w0 + ++w];
      }
      const low = word & -word;
      word ^= low;
      const i = (w << 5) + 31 - Math.clz32(low);
      prices[k] = i + minTick;
      qtys[k] = levelQty[base + i];
      if (++k >= n) return k;
    }
  }

  /** Total resting quantity on `side` within `ticks` ticks of its best price (inclusive). */
  depthWithin(side: Side, ticks: number): number {
    if (side !== BID && side !== ASK) badSide(side);
    if (!(ticks >= 0)) throw new BookError(`ticks: must be a number ≥ 0, got ${ticks}`);
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
    return (this.oKey[this.liveSlot(id)] & 1) as Side;
  }

  /** Owner of a live order; throws for an unknown id. */
  orderOwner(id: number): number {
    return this.oKey[this.liveSlot(id)] >> 1;
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

  /** Resting quantity of `owner` on `side`. Throws {@linkcode BookError} for a bad owner or side. */
  ownerResting(owner: number, side: Side): number {
    if ((owner & MAX_OWNER) !== owner || (side & 1) !== side) badQuery(owner, side);
    const k = 2 * owner + side;
    return k < this.ownerQty.length ? this.ownerQty[k] : 0;
  }

  /** Number of live orders. */
  get size(): number {
    return this.live;
  }

  /** Number of order slots retired after 2^29 − 1 reuses (see `mod.ts`, ids). */
  get retired(): number {
    return this.retiredCount;
  }

  /** Running totals for conservation checks. */
  stats(): BookStats {
    const t = this.tot;
    return { restedIn: t[0], makerFilled: t[1], cancelled: t[2], resting: t[3] };
  }

  /** Resting quantity that has traded against aggressors since the last `clear` (no allocation). */
  get makerFilled(): number {
    return this.tot[1];
  }

  // ---------------------------------------------------------------- operations

  /**
   * Submits a limit order. It first trades against the opposite side at prices that cross
   * (`ask ≤ price` for a bid, `bid ≥ price` for an ask), at the resting orders' prices, in
   * price-time order; the remainder rests at the back of its level. Returns the resting order's
   * id, or `NONE` if it was filled in full. Fills are in {@linkcode OrderBook.fills}.
   */
  limit(side: Side, price: number, qty: number, owner: number): number {
    const i = price - this.minTick;
    if (
      (side & 1) !== side || (price | 0) !== price || (i >>> 0) >= this.nLevels ||
      (qty | 0) !== qty || qty < 1 || (owner & MAX_OWNER) !== owner
    ) this.badOrder(side, price, qty, owner);
    this.fills.count = 0;
    // Nothing to match unless the opposite best crosses.
    const ob = this.bestIdx[1 - side];
    const rem = ob === NONE || (side === BID ? ob > i : ob < i)
      ? qty
      : this.match(side, i, qty, owner);
    this.lastFilled = qty - rem;
    if (rem === 0) return NONE;
    const slot = this.alloc();
    this.oPrice[slot] = price;
    this.oQty[slot] = rem;
    this.oKey[slot] = 2 * owner + side;
    this.append(slot, side, i, rem, owner);
    this.tot[0] += rem;
    return orderId(this.oGen[slot], slot);
  }

  /**
   * Submits a market order: it walks the opposite side until `qty` is filled or the side is
   * empty; nothing rests. Returns the filled quantity.
   */
  market(side: Side, qty: number, owner: number): number {
    if ((side & 1) !== side || (qty | 0) !== qty || qty < 1 || (owner & MAX_OWNER) !== owner) {
      this.badOrder(side, this.minTick, qty, owner);
    }
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
    const i = price - this.minTick;
    if (
      (side & 1) !== side || (price | 0) !== price || (i >>> 0) >= this.nLevels ||
      (qty | 0) !== qty || qty < 1 || (owner & MAX_OWNER) !== owner
    ) this.badOrder(side, price, qty, owner);
    this.fills.count = 0;
    const filled = qty - this.match(side, i, qty, owner);
    this.lastFilled = filled;
    return filled;
  }

  /** Cancels a live order; returns the quantity removed. Throws for an unknown id. */
  cancel(id: number): number {
    const slot = this.liveSlot(id);
    const q = this.oQty[slot];
    this.unlink(slot);
    this.tot[2] += q;
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
    const i = price - this.minTick;
    if ((price | 0) !== price || (i >>> 0) >= this.nLevels || (qty | 0) !== qty || qty < 1) {
      this.badOrder(BID, price, qty, 0);
    }
    this.fills.count = 0;
    this.lastFilled = 0;
    const old = this.oQty[slot];
    const key = this.oKey[slot];
    const side = (key & 1) as Side;
    const samePrice = price === this.oPrice[slot];
    if (samePrice && qty <= old) {
      if (qty < old) this.shrink(slot, old - qty);
      return id;
    }
    const owner = key >> 1;
    if (samePrice && this.oNext[slot] === NONE) {
      // Already last in its queue: growing it in place is the same as leaving and re-entering.
      const lvl = side * this.nLevels + i;
      const add = qty - old;
      this.oQty[slot] = qty;
      this.levelQty[lvl] += add;
      this.edits[side]++;
      this.ownerQty[2 * owner + side] += add;
      const t = this.tot;
      t[2] += old;
      t[0] += qty;
      t[3] += add;
      return id;
    }
    // Leaves its place: counts as a cancel of the old quantity and a new entry.
    this.unlink(slot);
    this.tot[2] += old;
    const ob = this.bestIdx[1 - side];
    const rem = ob === NONE || (side === BID ? ob > i : ob < i)
      ? qty
      : this.match(side, i, qty, owner);
    this.lastFilled = qty - rem;
    if (rem === 0) {
      this.release(slot);
      return NONE;
    }
    this.oPrice[slot] = price;
    this.oQty[slot] = rem;
    this.append(slot, side, i, rem, owner);
    this.tot[0] += rem;
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
   * Increases a live order by `by` (≥ 1; the total at most `MAX_QTY`): like `modify` to a larger
   * quantity at the same price, the order goes to the back of its level's queue, keeping its id
   * (if it is already last, it simply grows). Returns its new quantity. Never trades.
   */
  increase(id: number, by: number): number {
    const slot = this.liveSlot(id);
    const old = this.oQty[slot];
    if (!Number.isInteger(by) || by < 1 || by > MAX_QTY - old) {
      throw new BookError(
        `by: must be an integer in [1, ${MAX_QTY - old}] (the order has ${old}), got ${by}`,
      );
    }
    this.fills.count = 0;
    this.lastFilled = 0;
    const qty = old + by;
    const key = this.oKey[slot];
    const side = (key & 1) as Side;
    const owner = key >> 1;
    const i = this.oPrice[slot] - this.minTick;
    const t = this.tot;
    if (this.oNext[slot] === NONE) {
      // Already last in its queue: growing it in place is the same as leaving and re-entering.
      this.oQty[slot] = qty;
      this.levelQty[side * this.nLevels + i] += by;
      this.edits[side]++;
      this.ownerQty[2 * owner + side] += by;
      t[2] += old;
      t[0] += qty;
      t[3] += by;
      return qty;
    }
    // Leaves its place (a cancel of the old quantity) and re-enters at the back (a new entry).
    this.unlink(slot);
    t[2] += old;
    this.oQty[slot] = qty;
    this.append(slot, side, i, qty, owner);
    t[0] += qty;
    return qty;
  }

  /**
   * Rests an order at the **front** of its level without matching: for seeding or reconciling a
   * replay with quantity that is older than anything submitted later (e.g. LOBSTER levels that
   * enter from beyond the recorded window). Throws if the price would cross the opposite best.
   */
  insertFront(side: Side, price: number, qty: number, owner: number): number {
    this.badOrder(side, price, qty, owner); // throws for a bad argument (a cold path)
    const opp = this.best((1 - side) as Side);
    if (opp !== NONE && (side === BID ? price >= opp : price <= opp)) {
      throw new BookError(`price: ${price} would cross the opposite best ${opp}`);
    }
    const slot = this.alloc();
    this.oPrice[slot] = price;
    this.oQty[slot] = qty;
    this.oKey[slot] = 2 * owner + side;
    const i = price - this.minTick;
    const lvl = side * this.nLevels + i;
    const lb = lvl << LSHIFT;
    const lv = this.lv;
    const h = lv[lb + L_HEAD];
    this.oPrev[slot] = NONE;
    this.oNext[slot] = h;
    if (h === NONE) {
      lv[lb + L_TAIL] = slot;
      this.setLevel(side, i);
    } else this.oPrev[h] = slot;
    lv[lb + L_HEAD] = slot;
    this.levelQty[lvl] += qty;
    this.edits[side]++;
    lv[lb + L_COUNT]++;
    this.addOwner(owner, side, qty);
    this.tot[3] += qty;
    this.tot[0] += qty;
    return orderId(this.oGen[slot], slot);
  }

  /**
   * Empties the book: every order leaves (its id is never valid again), the fill log and the
   * running totals start from zero. Costs O(occupied levels + order slots ever used), far less
   * than cancelling order by order; for starting a new episode on the same book.
   */
  clear(): void {
    this.edits[BID]++;
    this.edits[ASK]++;
    const lv = this.lv;
    const bits = this.bits;
    const words = this.words;
    for (let side = 0; side < 2; side++) {
      const base = side * this.nLevels;
      const w0 = side * words;
      for (let w = 0; w < words; w++) {
        let word = bits[w0 + w];
        while (word !== 0) {
          const lvl = base + (w << 5) + 31 - Math.clz32(word & -word);
          const lb = lvl << LSHIFT;
          lv[lb + L_HEAD] = NONE;
          lv[lb + L_TAIL] = NONE;
          lv[lb + L_COUNT] = 0;
          this.levelQty[lvl] = 0;
          word &= word - 1;
        }
        bits[w0 + w] = 0;
      }
      this.bestIdx[side] = NONE;
    }
    // Slots are handed out again from 0; bumping every generation keeps old ids dead.
    for (let s = 0; s < this.used; s++) {
      const g = this.oGen[s];
      if (g === RETIRED) continue;
      if (g >> 1 === GEN_MAX) {
        this.oGen[s] = RETIRED;
        this.retiredCount++;
      } else this.oGen[s] = ((g >> 1) + 1) << 1; // the next generation, not live
    }
    this.used = 0;
    this.freeHead = NONE;
    this.live = 0;
    this.ownerQty.fill(0);
    this.fills.count = 0;
    this.lastFilled = 0;
    this.tot.fill(0);
  }

  /**
   * The resting orders, each with its place in its queue, for {@linkcode OrderBook.restore}.
   * Orders are numbered in the order of their slots, which is the order they entered the book
   * when nothing left it since the last `clear()` (as after seeding a fresh market).
   */
  snapshot(): BookSnapshot {
    const n = this.live, used = this.used;
    const jOf = new Int32Array(used).fill(NONE);
    const slots = new Int32Array(n);
    let j = 0;
    for (let s = 0; s < used; s++) {
      if ((this.oGen[s] & 1) === 1) {
        jOf[s] = j;
        slots[j++] = s;
      }
    }
    const ids = new Float64Array(n), side = new Int32Array(n), price = new Int32Array(n);
    const qty = new Int32Array(n), owner = new Int32Array(n);
    const prev = new Int32Array(n), next = new Int32Array(n);
    for (j = 0; j < n; j++) {
      const s = slots[j];
      ids[j] = orderId(this.oGen[s], s);
      side[j] = this.oKey[s] & 1;
      price[j] = this.oPrice[s];
      qty[j] = this.oQty[s];
      owner[j] = this.oKey[s] >> 1;
      prev[j] = this.oPrev[s] === NONE ? NONE : jOf[this.oPrev[s]];
      next[j] = this.oNext[s] === NONE ? NONE : jOf[this.oNext[s]];
    }
    const levels: number[] = [];
    for (let w = 0; w < this.bits.length; w++) {
      let word = this.bits[w];
      const side = w < this.words ? BID : ASK;
      while (word !== 0) {
        const i = ((w - side * this.words) << 5) + 31 - Math.clz32(word & -word);
        levels.push(side * this.nLevels + i);
        word &= word - 1;
      }
    }
    const L = levels.length;
    const level = Int32Array.from(levels), head = new Int32Array(L), tail = new Int32Array(L);
    const count = new Int32Array(L), lq = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      const lb = level[k] << LSHIFT;
      head[k] = jOf[this.lv[lb + L_HEAD]];
      tail[k] = jOf[this.lv[lb + L_TAIL]];
      count[k] = this.lv[lb + L_COUNT];
      lq[k] = this.levelQty[level[k]];
    }
    const keys: number[] = [], sums: number[] = [];
    this.ownerQty.forEach((q, k) => {
      if (q !== 0) {
        keys.push(k);
        sums.push(q);
      }
    });
    return new BookSnapshot(
      this.minTick,
      this.maxTick,
      n,
      ids,
      side,
      price,
      qty,
      owner,
      prev,
      next,
      level,
      head,
      tail,
      count,
      lq,
      Int32Array.from(this.bestIdx),
      Int32Array.from(keys),
      Float64Array.from(sums),
    );
  }

  /**
   * Enters the orders of `snapshot` (taken from a book with the same ticks) into this book, which
   * must be empty, each in its place in its queue, without matching: the queues are the
   * snapshot's, and the slots, ids and totals those that entering the orders one at a time in
   * the snapshot's order would give (after a fresh market was laid on a cleared book, that is
   * laying it again: the same book, ids included), at a fraction of the cost. If `ids` is given,
   * `ids[j]` receives the new id of the snapshot's order `j` (whose old id is `snapshot.ids[j]`).
   */
  restore(snapshot: BookSnapshot, ids?: Float64Array): void {
    const sn = snapshot;
    if (
      !(sn instanceof BookSnapshot) || sn.minTick !== this.minTick || sn.maxTick !== this.maxTick
    ) {
      throw new BookError(
        `snapshot: must be a BookSnapshot of a book with ticks [${this.minTick}, ${this.maxTick}]`,
      );
    }
    const n = sn.size;
    if (ids !== undefined && !(ids instanceof Float64Array && ids.length >= n)) {
      throw new BookError(`ids: must be a Float64Array of length ≥ ${n}`);
    }
    if (this.live !== 0) {
      throw new BookError(`restore: the book must be empty (${this.live} orders)`);
    }
    this.edits[BID]++;
    this.edits[ASK]++;
    if (this.restoreSlots.length < n) this.restoreSlots = new Int32Array(n);
    // Slots as entering the orders one by one would take them.
    const slots = this.restoreSlots;
    let resting = 0;
    if (this.used === 0 && this.freeHead === NONE && this.retiredCount === 0) {
      // Just cleared (a new episode): they would take slots 0 … n − 1, so the snapshot's arrays
      // are copied as they are (with the background restoring only its orders' quantities, the
      // 2-maker game's reset took 1.55 µs instead of 1.95, paired).
      while (this.cap < n) this.grow();
      this.oPrice.set(sn.price);
      this.oQty.set(sn.qty);
      this.oPrev.set(sn.prev);
      this.oNext.set(sn.next);
      this.used = this.live = n;
      for (let j = 0; j < n; j++) {
        slots[j] = j;
        this.oGen[j] |= 1;
        this.oKey[j] = 2 * sn.owner[j] + sn.side[j];
        resting += sn.qty[j];
        if (ids !== undefined) ids[j] = orderId(this.oGen[j], j);
      }
    } else resting = this.restoreSlow(sn, slots, ids);
    this.restoreLevels(sn, slots, resting);
  }

  /** `restore` into a book that is empty but not just cleared: slot by slot. */
  private restoreSlow(sn: BookSnapshot, slots: Int32Array, ids?: Float64Array): number {
    const n = sn.size;
    for (let j = 0; j < n; j++) slots[j] = this.alloc();
    const { oPrice, oQty, oKey, oPrev, oNext, oGen } = this;
    let resting = 0;
    for (let j = 0; j < n; j++) {
      const s = slots[j], q = sn.qty[j], p = sn.prev[j], x = sn.next[j];
      oPrice[s] = sn.price[j];
      oQty[s] = q;
      oKey[s] = 2 * sn.owner[j] + sn.side[j];
      oPrev[s] = p === NONE ? NONE : slots[p];
      oNext[s] = x === NONE ? NONE : slots[x];
      resting += q;
      if (ids !== undefined) ids[j] = orderId(oGen[s], s);
    }
    return resting;
  }

  /** `restore`'s levels, owners and totals, the orders being in `slots`. */
  private restoreLevels(sn: BookSnapshot, slots: Int32Array, resting: number) {
    const lv = this.lv;
    for (let k = 0; k < sn.level.length; k++) {
      const lvl = sn.level[k], lb = lvl << LSHIFT;
      lv[lb + L_HEAD] = slots[sn.head[k]];
      lv[lb + L_TAIL] = slots[sn.tail[k]];
      lv[lb + L_COUNT] = sn.count[k];
      this.levelQty[lvl] = sn.levelQty[k];
      const side = lvl >= this.nLevels ? ASK : BID, i = lvl - side * this.nLevels;
      this.bits[side * this.words + (i >>> 5)] |= 1 << (i & 31);
    }
    this.bestIdx[BID] = sn.best[BID];
    this.bestIdx[ASK] = sn.best[ASK];
    for (let k = 0; k < sn.ownerKey.length; k++) {
      const key = sn.ownerKey[k];
      this.addOwner(key >>> 1, (key & 1) as Side, sn.ownerQty[k]);
    }
    this.tot[0] += resting;
    this.tot[3] += resting;
    this.fills.count = 0;
    this.lastFilled = 0;
  }

  /**
   * Calls `fn(id, owner, qty)` for each order at `price` on `side`, front of the queue first.
   * For inspection and tests; not for the hot path.
   */
  forEachAt(side: Side, price: number, fn: (id: number, owner: number, qty: number) => void) {
    if (side !== BID && side !== ASK) badSide(side);
    if (typeof fn !== "function") throw new BookError(`fn: must be a function, got ${fn}`);
    if (!Number.isInteger(price) || price < this.minTick || price > this.maxTick) return;
    let s = this.lv[((side * this.nLevels + price - this.minTick) << LSHIFT) + L_HEAD];
    while (s !== NONE) {
      fn(orderId(this.oGen[s], s), this.oKey[s] >> 1, this.oQty[s]);
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
    const lv = this.lv;
    const levelQty = this.levelQty;
    const ownerQty = this.ownerQty;
    let filled = 0;
    while (rem > 0 && i !== NONE && (side === BID ? i <= limitIdx : i >= limitIdx)) {
      const lvl = base + i;
      const lb = lvl << LSHIFT;
      const price = i + this.minTick;
      let s = lv[lb + L_HEAD];
      while (rem > 0 && s !== NONE) {
        const q = this.oQty[s];
        const take = q < rem ? q : rem;
        const left = q - take;
        rem -= take;
        filled += take;
        const key = this.oKey[s];
        const mo = key >> 1;
        let k = f.count;
        if (k === f.qty.length) this.growFills();
        k = f.count++;
        f.makerId[k] = orderId(this.oGen[s], s);
        f.makerOwner[k] = mo;
        f.takerOwner[k] = owner;
        f.price[k] = price;
        f.qty[k] = take;
        f.makerRemaining[k] = left;
        ownerQty[key] -= take; // its side is opp
        levelQty[lvl] -= take;
        const next = this.oNext[s];
        if (left === 0) {
          // Pop the head of the level.
          lv[lb + L_HEAD] = next;
          if (next !== NONE) this.oPrev[next] = NONE;
          else lv[lb + L_TAIL] = NONE;
          lv[lb + L_COUNT]--;
          this.release(s);
        } else {
          this.oQty[s] = left;
        }
        s = next;
      }
      if (lv[lb + L_HEAD] === NONE) {
        this.clearBit(opp as Side, i);
        i = opp === BID ? this.prevSet(BID, i - 1) : this.nextSet(ASK, i + 1);
        this.bestIdx[opp] = i;
      }
    }
    if (filled > 0) this.edits[opp]++;
    const t = this.tot;
    t[1] += filled;
    t[3] -= filled;
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

  /** Appends slot (holding `q` of `owner`) at the back of level index `i` of `side`. */
  private append(slot: number, side: Side, i: number, q: number, owner: number) {
    const lv = this.lv;
    const lvl = side * this.nLevels + i;
    const lb = lvl << LSHIFT;
    const t = lv[lb + L_TAIL];
    this.oPrev[slot] = t;
    this.oNext[slot] = NONE;
    if (t === NONE) {
      lv[lb + L_HEAD] = slot;
      this.setLevel(side, i);
    } else this.oNext[t] = slot;
    lv[lb + L_TAIL] = slot;
    this.levelQty[lvl] += q;
    this.edits[side]++;
    lv[lb + L_COUNT]++;
    this.addOwner(owner, side, q);
    this.tot[3] += q;
  }

  /** Takes a resting order out of its level (the slot stays allocated). */
  private unlink(slot: number) {
    const lv = this.lv;
    const key = this.oKey[slot];
    const side = (key & 1) as Side;
    const i = this.oPrice[slot] - this.minTick;
    const lvl = side * this.nLevels + i;
    const lb = lvl << LSHIFT;
    const p = this.oPrev[slot];
    const n = this.oNext[slot];
    if (p === NONE) lv[lb + L_HEAD] = n;
    else this.oNext[p] = n;
    if (n === NONE) lv[lb + L_TAIL] = p;
    else this.oPrev[n] = p;
    const q = this.oQty[slot];
    this.levelQty[lvl] -= q;
    this.edits[side]++;
    lv[lb + L_COUNT]--;
    this.ownerQty[key] -= q;
    this.tot[3] -= q;
    if (lv[lb + L_HEAD] === NONE) {
      this.clearBit(side, i);
      if (this.bestIdx[side] === i) {
        this.bestIdx[side] = side === BID ? this.prevSet(BID, i - 1) : this.nextSet(ASK, i + 1);
      }
    }
  }

  private shrink(slot: number, by: number) {
    const key = this.oKey[slot];
    this.oQty[slot] -= by;
    this.levelQty[(key & 1) * this.nLevels + this.oPrice[slot] - this.minTick] -= by;
    this.edits[key & 1]++;
    this.ownerQty[key] -= by;
    this.tot[3] -= by;
    this.tot[2] += by;
  }

  private setLevel(side: Side, i: number) {
    this.bits[side * this.words + (i >>> 5)] |= 1 << (i & 31);
    const b = this.bestIdx[side];
    if (b === NONE || (side === BID ? i > b : i < b)) this.bestIdx[side] = i;
  }

  private clearBit(side: Side, i: number) {
    this.bits[side * this.words + (i >>> 5)] &= ~(1 << (i & 31));
  }

  /** Highest set level index ≤ i on `side`, or NONE. */
  private prevSet(side: Side, i: number): number {
    if (i < 0) return NONE;
    const bits = this.bits;
    const w0 = side * this.words;
    let w = i >>> 5;
    let word = bits[w0 + w] & (0xffffffff >>> (31 - (i & 31)));
    while (word === 0) {
      if (w === 0) return NONE;
      word = bits[w0 + --w];
    }
    return (w << 5) + 31 - Math.clz32(word);
  }

  /** Lowest set level index ≥ i on `side`, or NONE. */
  private nextSet(side: Side, i: number): number {
    if (i >= this.nLevels) return NONE;
    const bits = this.bits;
    const w0 = side * this.words;
    const last = this.words - 1;
    let w = i >>> 5;
    let word = bits[w0 + w] & (0xffffffff << (i & 31));
    while (word === 0) {
      if (w === last) return NONE;
      word = bits[w0 + ++w];
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
      const g = this.oGen[slot];
      if (g >> 1 !== GEN_MAX) {
        this.freeHead = this.oNext[slot];
        this.oGen[slot] = g + 3; // the next generation, live
        this.live++;
        return slot;
      }
    } else if (this.used < this.cap && this.oGen[this.used] !== RETIRED) {
      // A fresh slot (every slot after a clear()).
      slot = this.used++;
      this.oGen[slot] |= 1;
      this.live++;
      return slot;
    }
    return this.allocSlow();
  }

  /** A fresh slot, retiring free slots whose generation is spent on the way. */
  private allocSlow(): number {
    let slot = this.freeHead;
    while (slot !== NONE) {
      this.freeHead = this.oNext[slot];
      const g = this.oGen[slot];
      if (g >> 1 !== GEN_MAX) {
        this.oGen[slot] = g + 3;
        this.live++;
        return slot;
      }
      this.oGen[slot] = RETIRED; // its ids could otherwise come back: never reuse it
      this.retiredCount++;
      slot = this.freeHead;
    }
    do {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    } while (this.oGen[slot] === RETIRED);
    this.oGen[slot] |= 1;
    this.live++;
    return slot;
  }

  private release(slot: number) {
    this.oGen[slot] &= ~1;
    this.oNext[slot] = this.freeHead;
    this.freeHead = slot;
    this.live--;
  }

  private grow() {
    if (this.cap >= SLOT_SPACE) {
      throw new BookError(`capacity: the book holds at most ${SLOT_SPACE} live orders`);
    }
    const n = Math.min(SLOT_SPACE, this.cap * 2);
    const g = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.oPrice = g(this.oPrice);
    this.oQty = g(this.oQty);
    this.oKey = g(this.oKey);
    this.oPrev = g(this.oPrev);
    this.oNext = g(this.oNext);
    this.oGen = g(this.oGen);
    this.cap = n;
  }

  /** Slot of a live order id, or NONE. */
  private slotOf(id: number): number {
    // The last comparison also rejects a negative, fractional or non-finite id (none can equal
    // the live order's id, a non-negative integer): only the type needs a test of its own.
    if (typeof id !== "number") return NONE;
    const slot = id & SLOT_MASK;
    if (slot >= this.used) return NONE;
    const g = this.oGen[slot];
    return (g & 1) === 1 && orderId(g, slot) === id ? slot : NONE;
  }

  private liveSlot(id: number): number {
    const s = this.slotOf(id);
    if (s === NONE) throw new BookError(`id: no live order with id ${id}`);
    return s;
  }

  /**
   * Throws for the first bad argument of an order, in the order side, price, qty, owner (returns
   * if all are good). The hot methods test all of them in one condition and call this only when
   * it fails, so that the checks cost a few compares and the methods stay small.
   */
  private badOrder(side: unknown, price: unknown, qty: unknown, owner: unknown) {
    if (side !== BID && side !== ASK) badSide(side);
    if (
      !Number.isInteger(price) || price as number < this.minTick || price as number > this.maxTick
    ) {
      throw new BookError(
        `price: must be an integer tick in [${this.minTick}, ${this.maxTick}], got ${price}`,
      );
    }
    if (!Number.isInteger(qty) || qty as number < 1 || qty as number > MAX_QTY) badQty(qty);
    if ((owner as number >>> 0) !== owner || owner as number > MAX_OWNER) badOwner(owner);
  }
}

// Cold paths: one call each, so the checks in the hot methods stay small.
function badSide(side: unknown): never {
  throw new BookError(`side: must be BID (0) or ASK (1), got ${side}`);
}

function badQty(qty: unknown): never {
  throw new BookError(`qty: must be an integer in [1, ${MAX_QTY}], got ${qty}`);
}

function badOwner(owner: unknown): never {
  throw new BookError(`owner: must be an integer in [0, ${MAX_OWNER}], got ${owner}`);
}

function badQuery(owner: unknown, side: unknown): never {
  if ((owner as number >>> 0) !== owner || owner as number > MAX_OWNER) badOwner(owner);
  badSide(side);
}
