/**
 * Quote helpers over an {@linkcode OrderBook}: mid price and spread, with the book's `NONE`
 * sentinel when a side is empty. O(1); no allocation.
 *
 * @module
 */
import { NONE, type OrderBook } from "../book/mod.ts";

/**
 * Mid price in ticks, `(bestBid + bestAsk) / 2` (may end in .5), or `NONE` if either side is
 * empty.
 *
 * @example
 * ```ts
 * import { ASK, BID, NONE, OrderBook } from "../book/mod.ts";
 * import { midPrice } from "./quotes.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(BID, 99, 10, 0);
 * if (midPrice(book) !== NONE) throw new Error("one side only: no mid");
 * book.limit(ASK, 102, 10, 0);
 * if (midPrice(book) !== 100.5) throw new Error("mid of 99 and 102");
 * ```
 */
export function midPrice(book: OrderBook): number {
  const b = book.bestBid();
  const a = book.bestAsk();
  return b === NONE || a === NONE ? NONE : (b + a) / 2;
}

/**
 * Spread in ticks, `bestAsk − bestBid`, or `NONE` if either side is empty.
 *
 * @example
 * ```ts
 * import { ASK, BID, NONE, OrderBook } from "../book/mod.ts";
 * import { spread } from "./quotes.ts";
 * const book = new OrderBook({ minTick: 0, maxTick: 200 });
 * book.limit(ASK, 102, 10, 0);
 * if (spread(book) !== NONE) throw new Error("one side only: no spread");
 * book.limit(BID, 99, 10, 0);
 * if (spread(book) !== 3) throw new Error("102 - 99");
 * ```
 */
export function spread(book: OrderBook): number {
  const b = book.bestBid();
  const a = book.bestAsk();
  return b === NONE || a === NONE ? NONE : a - b;
}
