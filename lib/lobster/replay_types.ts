/**
 * The reports of the LOBSTER replay (`replay.ts`): rows compared, the first mismatch, the
 * matching check, anomalies.
 *
 * @module
 */

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
  /** Orderbook rows compared (all but row 0; none with `compare: false`). */
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
