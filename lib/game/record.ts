/**
 * Per-step, per-agent records of a game's episode in preallocated typed arrays (no Polars here,
 * so the engine does not load it). Rows are step-major: at step `t`, makers `0 .. n-1`, then the
 * background, then the taker. Per-step values (the taker's child order, quotes, volume) are
 * stored once per step. Read a row through {@linkcode makerRow}, {@linkcode backgroundRow} and
 * {@linkcode takerRow}, not by computing offsets.
 *
 * @example
 * ```ts
 * import { backgroundRow, makerRow, newRecord, takerRow } from "./record.ts";
 * const r = newRecord(3, 2); // 3 steps, 2 makers: 4 rows a step
 * if (makerRow(r, 1, 1) !== 5 || backgroundRow(r, 1) !== 6 || takerRow(r, 2) !== 11) {
 *   throw new Error("step-major rows");
 * }
 * ```
 * @module
 */

/** An episode's raw records (see the module doc for the layout). */
export interface GameRecord {
  /** Number of makers n. */
  readonly makers: number;
  /** Capacity in steps (the game's N). */
  readonly capacity: number;
  /** Steps recorded so far in this episode. */
  steps: number;
  /** Episode index. */
  episode: number;
  /** The episode's meta-order size. */
  size: number;
  /** The step at which the taker arrived (its first child order). */
  start: number;
  /** Action index (-1 for background and taker rows). */
  readonly action: Int32Array;
  /** Bid price setting in ticks after the step (-1: not a maker). */
  readonly bidPrice: Int32Array;
  /** Resting bid quantity after the step (background: its total resting bid quantity). */
  readonly bidQty: Float64Array;
  /** Target quantity (makers). */
  readonly target: Float64Array;
  /** Quantity ahead in the queue after the step (`NaN`: no order). */
  readonly queueAhead: Float64Array;
  /** Quantity traded with the taker this step (taker row: its executed quantity). */
  readonly fills: Float64Array;
  /** Makers: quantity bought from others (noise) this step. */
  readonly otherFills: Float64Array;
  /** Reward of the step (currency). */
  readonly reward: Float64Array;
  /** Running PnL after the step: PnL share (makers, background) or taker PnL (currency). */
  readonly cumPnl: Float64Array;
  /** Cumulative own fills marked to P0 (currency). */
  readonly mtm: Float64Array;
  /** Per step: child order quantity. */
  readonly childQty: Float64Array;
  /** Per step: child order floor in ticks (-1: none). */
  readonly childFloor: Int32Array;
  /** Per step: quantity the child order filled (before any deadline sweep). */
  readonly childFilled: Float64Array;
  /** Per step: quantity the taker executed (child order and deadline sweep). */
  readonly takerFilled: Float64Array;
  /** Per step: best bid after the step (-1: none). */
  readonly bestBid: Int32Array;
  /** Per step: best ask after the step (-1: none). */
  readonly bestAsk: Int32Array;
  /** Per step: traded volume (the tape: taker, sweep and noise). */
  readonly volume: Float64Array;
}

/** Allocates the records of an `steps`-step episode with `makers` makers. */
export function newRecord(steps: number, makers: number): GameRecord {
  const rows = steps * (makers + 2);
  return {
    makers,
    capacity: steps,
    steps: 0,
    episode: 0,
    size: 0,
    start: 0,
    action: new Int32Array(rows),
    bidPrice: new Int32Array(rows),
    bidQty: new Float64Array(rows),
    target: new Float64Array(rows),
    queueAhead: new Float64Array(rows),
    fills: new Float64Array(rows),
    otherFills: new Float64Array(rows),
    reward: new Float64Array(rows),
    cumPnl: new Float64Array(rows),
    mtm: new Float64Array(rows),
    childQty: new Float64Array(steps),
    childFloor: new Int32Array(steps),
    childFilled: new Float64Array(steps),
    takerFilled: new Float64Array(steps),
    bestBid: new Int32Array(steps),
    bestAsk: new Int32Array(steps),
    volume: new Float64Array(steps),
  };
}

/** Row of maker `i` at step `t`. */
export function makerRow(r: GameRecord, t: number, i: number): number {
  return t * (r.makers + 2) + i;
}

/** Row of the background at step `t`. */
export function backgroundRow(r: GameRecord, t: number): number {
  return t * (r.makers + 2) + r.makers;
}

/** Row of the taker at step `t`. */
export function takerRow(r: GameRecord, t: number): number {
  return t * (r.makers + 2) + r.makers + 1;
}
