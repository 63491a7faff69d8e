/**
 * The order book: one instrument, integer ticks, integer quantities, price-time priority.
 *
 * ## Semantics
 * - **Prices** are integer ticks in `[minTick, maxTick]`; **quantities** are integers in
 *   `[1, MAX_QTY]`; **owners** are small integers (`[0, MAX_OWNER]`) naming agents, not orders;
 *   **sides** are `BID` (0) or `ASK` (1), numbers only. Anything else is rejected with a
 *   {@linkcode BookError} naming the argument and its allowed values, and the book is left
 *   unchanged; the read-only queries check `side` and `owner` the same way (a price off the
 *   ladder reads as an empty level).
 * - **Ids** are integers below 2^53, never reused while an order lives and never valid again
 *   once it left (by fill, cancel or `clear()`): an id is `generation · 2^24 + slot`, and a slot
 *   whose 29-bit generation is spent (2^29 − 1 reuses) is retired rather than wrapped
 *   (`retired` counts them; each costs one of the `MAX_ORDERS` slots).
 * - **Priority**: better price first; at one price, earlier arrival first (FIFO).
 * - **Fills** happen at the resting order's price. Each fill records the resting order's id and
 *   owner, the aggressor's owner, the price, the quantity and what remains of the resting order
 *   ({@linkcode MatchFills}, overwritten by the next matching call). Self-trades are not prevented.
 * - `limit` trades what crosses, then rests the remainder at the back of its level.
 *   `market` walks the opposite side and never rests. `ioc` is a marketable limit order with a
 *   price limit that never rests (a sell with a price floor is `ioc(ASK, floor, qty, owner)`).
 * - `cancel(id)` removes an order in O(1). `reduce` and `modify` to a smaller quantity at the same
 *   price keep the order's queue position; `modify` to a larger quantity or another price moves
 *   the order to the back of its (new) level, keeping its id (and may trade first at a crossing
 *   price). An unknown or dead id throws a {@linkcode BookError}; `isLive(id)` asks first.
 * - `clear()` empties the book for a new episode (all ids die; totals restart at zero).
 *   `snapshot()` keeps the resting orders and `restore(snapshot)` puts them back into an empty
 *   book, each in its place in its queue, with the ids that entering them again would give: a
 *   fresh market laid again at a fraction of the cost.
 * - `insertFront` rests quantity at the front of a level without matching: only for seeding a
 *   replay with quantity older than anything that follows.
 * - Queries: `bestBid`/`bestAsk` (`NONE` when the side is empty), `levels` (top N occupied
 *   levels), `depthAt`, `depthWithin`, `queueAhead(id)` (quantity ahead in the queue),
 *   `ownerResting(owner, side)`, `stats()` for conservation
 *   (`restedIn = resting + makerFilled + cancelled`), `version(side)` (changes whenever a
 *   level's quantity on that side does: a reader of the levels can skip re-reading them).
 * - The book is pure data: it reads no clock, draws no random number and logs nothing.
 *
 * ## Inputs
 * The arguments are numbers, checked in the hot path by one cold branch each: prices integer
 * ticks in `[minTick, maxTick]` (a query off the ladder reads an empty level), quantities integers in `[1, MAX_QTY]`, owners integers in
 * `[0, MAX_OWNER]`, sides `BID` or `ASK` (`"0"` is not a side), ids live ones. A bad argument is a
 * {@linkcode BookError} naming it and its allowed values, thrown before the book changes. The
 * constructor's `minTick`, `maxTick` and `capacity` are integers in their ranges; an unknown key
 * of its options is rejected with a suggestion (`"capcity"`: did you mean `"capacity"`).
 *
 * @example
 * ```ts
 * import { ASK, BID, NONE, OrderBook } from "./mod.ts";
 * const book = new OrderBook({ minTick: 9_900, maxTick: 10_100 });
 * const a = book.limit(BID, 9_999, 100, 1); // maker 1 bids 100 at 9,999
 * book.limit(BID, 9_999, 50, 2); // maker 2 queues behind
 * const filled = book.ioc(ASK, 9_999, 120, 0); // taker sells 120 with a floor at 9,999
 * if (filled !== 120 || book.fills.count !== 2) throw new Error("two fills expected");
 * if (book.isLive(a) || book.bestBid() !== 9_999 || book.depthAt(BID, 9_999) !== 30) {
 *   throw new Error("maker 1 filled in full, 30 of maker 2 left");
 * }
 * if (book.bestAsk() !== NONE) throw new Error("no asks");
 * ```
 * @module
 */
export * from "./book.ts";
