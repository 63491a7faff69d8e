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
 * The code is in two parts: the level replay (steps 1 to 4, `_levels.ts`) and the matching
 * check (`_matching.ts`), which hands the level replay the executions it already did in the
 * engine so that the comparison can add them back.
 *
 * @module
 */
import { ASK, BID, type BookOptions, OrderBook } from "../book/mod.ts";
import { ConfigError } from "../errors.ts";
import { DUMMY_ASK, DUMMY_BID, EXECUTE, type Messages, type Orderbook, SUBMIT } from "./reader.ts";
import { LevelReplay, PRICE_PER_TICK } from "./_levels.ts";
import { MatchingCheck } from "./_matching.ts";

import type { ReplayReport } from "./replay_types.ts";

export { AGGRESSOR_OWNER, PRICE_PER_TICK, REAL_OWNER, SYNTH_OWNER } from "./_levels.ts";
export type * from "./replay_types.ts";

/** Options for {@linkcode replay}. */
export interface LobsterReplayOptions {
  /** The message file. */
  messages: Messages;
  /** The orderbook file (same number of rows). */
  orderbook: Orderbook;
  /** Replay runs of executions as one rebuilt aggressive order and check its fills. Default true. */
  checkMatching?: boolean;
  /**
   * Compare the engine's top N levels with every row (step 4). Default true; false only replays
   * (rows and matches are then not counted), to time the comparison's cost.
   */
  compare?: boolean;
  /** Ticks added below and above the data's price range for the engine's ladder. Default 1000. */
  marginTicks?: number;
  /** Makes the engine; default `new OrderBook(options)`. Tests pass a faulty one to see the checks fail. */
  makeBook?: (options: BookOptions) => OrderBook;
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
export function replay(options: LobsterReplayOptions): ReplayReport {
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
  const checkMatching = options.checkMatching ?? true;
  const compare = options.compare ?? true;
  if (typeof checkMatching !== "boolean") {
    throw new ConfigError("checkMatching", "true or false", checkMatching);
  }
  if (typeof compare !== "boolean") throw new ConfigError("compare", "true or false", compare);
  const { minTick, maxTick } = tickRange(options);
  const bookOptions = { minTick, maxTick, capacity: 4096 };
  const book = options.makeBook ? options.makeBook(bookOptions) : new OrderBook(bookOptions);
  const report: ReplayReport = {
    levels: orderbook.levels,
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
    matching: null,
  };
  const lr = new LevelReplay({ messages, orderbook, book, report });
  const mc = checkMatching ? new MatchingCheck(lr) : null;
  report.matching = mc === null ? null : mc.report;
  lr.seed();
  for (let i = 1; i < messages.count; i++) {
    let ok: boolean;
    try {
      if (messages.type[i] !== EXECUTE) lr.apply(i);
      else if (mc !== null) mc.execute(i);
      else lr.remove(i);
      lr.reveal(i, BID);
      lr.reveal(i, ASK);
      ok = compare && lr.compare(i);
      lr.leave(i, BID);
      lr.leave(i, ASK);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${messages.file}:${i + 1}: the replay failed: ${msg}`, { cause: e });
    }
    report.messages++;
    if (!compare) continue;
    report.rows++;
    if (ok) report.matched++;
    else if (report.firstMismatch === null) {
      report.firstMismatch = {
        row: i,
        message: lr.info(i),
        expected: lr.rowSnapshot(i),
        got: lr.gotSnapshot(),
      };
    }
  }
  return report;
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
