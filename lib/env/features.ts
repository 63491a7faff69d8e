/**
 * Observation features of the order-book environment, as pure functions of an
 * {@linkcode OrderBook} (and of two rolling windows the environment keeps). Each is tested on
 * hand-built books; all are O(levels) or better and allocate nothing.
 *
 * - {@linkcode bookMid}, {@linkcode bookSpread}: NaN when a side is empty.
 * - {@linkcode topImbalance}: `(Vb − Va) / (Vb + Va)` with `V` the quantity at each side's best
 *   level; `±1` when one side is empty, 0 when both are.
 * - {@linkcode queueFraction}: the share of its level's quantity that rests ahead of an order,
 *   in [0, 1); 1 when the order is not live (nothing of ours in any queue).
 * - {@linkcode topDepth}: quantities of the best `n` occupied levels of a side, best first, 0 past
 *   the last level.
 * - {@linkcode RollingWindow}: the last `n` values and their sum, for momentum (the mid `n` steps
 *   ago) and trade flow (signed market volume over `n` steps).
 *
 * @module
 */
import { ASK, BID, NONE, type OrderBook, type Side } from "../book/mod.ts";
import { checkInt } from "../errors.ts";

/**
 * Mid price `(bestBid + bestAsk) / 2` in ticks (may end in .5); NaN if a side is empty.
 *
 * @example
 * ```ts
 * import { ASK, BID, OrderBook } from "../book/mod.ts";
 * import { bookMid } from "./features.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 5, 0);
 * if (!Number.isNaN(bookMid(book))) throw new Error("one side: no mid");
 * book.limit(ASK, 102, 5, 0);
 * if (bookMid(book) !== 100.5) throw new Error();
 * ```
 */
export function bookMid(book: OrderBook): number {
  const b = book.bestBid();
  const a = book.bestAsk();
  return b === NONE || a === NONE ? NaN : (b + a) / 2;
}

/**
 * Spread `bestAsk − bestBid` in ticks; NaN if a side is empty.
 *
 * @example
 * ```ts
 * import { ASK, BID, OrderBook } from "../book/mod.ts";
 * import { bookSpread } from "./features.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 5, 0);
 * book.limit(ASK, 102, 5, 0);
 * if (bookSpread(book) !== 3) throw new Error();
 * ```
 */
export function bookSpread(book: OrderBook): number {
  const b = book.bestBid();
  const a = book.bestAsk();
  return b === NONE || a === NONE ? NaN : a - b;
}

/**
 * Top-of-book imbalance `(Vb − Va) / (Vb + Va)`, `V` the quantity at each side's best price:
 * in [−1, 1], positive when the bid is heavier. 1 (−1) when only the bid (ask) side has orders;
 * 0 for an empty book.
 *
 * @example
 * ```ts
 * import { ASK, BID, OrderBook } from "../book/mod.ts";
 * import { topImbalance } from "./features.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 6, 0);
 * book.limit(BID, 98, 50, 0); // below the best: not counted
 * book.limit(ASK, 101, 2, 0);
 * if (topImbalance(book) !== 0.5) throw new Error("(6 - 2) / 8");
 * ```
 */
export function topImbalance(book: OrderBook): number {
  const b = book.bestBid();
  const a = book.bestAsk();
  const vb = b === NONE ? 0 : book.depthAt(BID, b);
  const va = a === NONE ? 0 : book.depthAt(ASK, a);
  const s = vb + va;
  return s === 0 ? 0 : (vb - va) / s;
}

/**
 * Queue position of a resting order as the share of its level's quantity ahead of it:
 * `queueAhead(id) / depthAt(level)`, in [0, 1) (0: at the front). 1 if `id` is `NONE` or not
 * live, so that "no order" reads as "at the very back".
 *
 * @example
 * ```ts
 * import { BID, NONE, OrderBook } from "../book/mod.ts";
 * import { queueFraction } from "./features.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 3, 0);
 * const mine = book.limit(BID, 99, 1, 3);
 * book.limit(BID, 99, 4, 0);
 * if (queueFraction(book, mine) !== 3 / 8) throw new Error();
 * if (queueFraction(book, NONE) !== 1) throw new Error();
 * ```
 */
export function queueFraction(book: OrderBook, id: number): number {
  if (id === NONE || !book.isLive(id)) return 1;
  const depth = book.depthAt(book.orderSide(id), book.orderPrice(id));
  return book.queueAhead(id) / depth;
}

/** Options of {@linkcode topDepth}. */
export interface TopDepthOptions {
  /** Side to read. */
  readonly side: Side;
  /** Number of levels. */
  readonly n: number;
  /** Where to write: `out[offset + i]` is level `i`'s quantity divided by `scale`. */
  readonly out: Float64Array;
  /** First index written. Default 0. */
  readonly offset?: number;
  /** Divisor of the quantities. Default 1. */
  readonly scale?: number;
  /** Scratch prices of length ≥ `n` (pass one to stay allocation-free). */
  readonly prices?: Int32Array;
  /** Scratch quantities of length ≥ `n`. */
  readonly qtys?: Float64Array;
}

/**
 * Writes the quantities of the best `n` occupied levels of `side` (best first, divided by
 * `scale`) into `out`, and 0 for missing levels. Returns the number of occupied levels found.
 * Allocation-free when `prices` and `qtys` scratch arrays are given.
 *
 * @example
 * ```ts
 * import { BID, OrderBook } from "../book/mod.ts";
 * import { topDepth } from "./features.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 4, 0);
 * book.limit(BID, 97, 6, 0); // 98 is empty: the second occupied level is 97
 * const out = new Float64Array(3);
 * if (topDepth(book, { side: BID, n: 3, out, scale: 2 }) !== 2) throw new Error();
 * if (out.join() !== "2,3,0") throw new Error(out.join());
 * ```
 */
export function topDepth(book: OrderBook, options: TopDepthOptions): number {
  const { side, n, out } = options;
  const offset = options.offset ?? 0;
  const scale = options.scale ?? 1;
  const prices = options.prices ?? new Int32Array(n);
  const qtys = options.qtys ?? new Float64Array(n);
  const k = book.levels(side, n, prices, qtys);
  for (let i = 0; i < n; i++) out[offset + i] = i < k ? qtys[i] / scale : 0;
  return k;
}

/**
 * The last `length` values pushed and their running sum (exact for integers below 2^53). Before
 * `length` values have been pushed, the missing ones read as the `fill` value given to `clear`.
 *
 * @example
 * ```ts
 * import { RollingWindow } from "./features.ts";
 * const w = new RollingWindow(3);
 * w.clear(10); // as if 10 had been pushed 3 times
 * w.push(11);
 * w.push(13);
 * // window 10, 11, 13: the oldest value is 10, the sum 34
 * if ([w.oldest(), w.sum].join() !== "10,34") throw new Error();
 * w.push(14); // 11, 13, 14
 * if ([w.oldest(), w.sum].join() !== "11,38") throw new Error();
 * ```
 */
export class RollingWindow {
  /** Number of values kept. */
  readonly length: number;
  /** Sum of the values in the window. */
  sum = 0;
  private readonly buf: Float64Array;
  private next = 0;

  /** A window of `length` values (an integer in [1, 2^24]; `ConfigError` otherwise), all 0. */
  constructor(length: number) {
    this.length = checkInt("length", length, 1, 2 ** 24);
    this.buf = new Float64Array(length);
  }

  /** Sets every value of the window to `fill` (default 0). */
  clear(fill = 0): void {
    this.buf.fill(fill);
    this.sum = fill * this.length;
    this.next = 0;
  }

  /** Pushes `x`, dropping the oldest value. */
  push(x: number): void {
    const i = this.next;
    this.sum += x - this.buf[i];
    this.buf[i] = x;
    this.next = i + 1 === this.length ? 0 : i + 1;
  }

  /** The oldest value in the window (pushed `length` pushes ago). */
  oldest(): number {
    return this.buf[this.next];
  }
}
