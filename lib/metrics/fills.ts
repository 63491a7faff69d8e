/**
 * The fill log shared by the fill-based metrics, and fill rates.
 *
 * A {@linkcode FillLog} is a struct of typed arrays, preallocated to a capacity and filled in
 * place, so recording a fill allocates nothing:
 *
 * ```ts ignore
 * const i = log.n++;
 * log.step[i] = t; log.side[i] = BUY; log.price[i] = px; log.qty[i] = q;
 * ```
 *
 * Conventions: `side` is the maker's side (`BUY = 1`: the maker's bid was hit and inventory rose;
 * `SELL = -1`: its ask was lifted), so signed quantities are `side * qty`. `price` is in ticks for
 * the order book (or in price units for the Avellaneda–Stoikov model; pass `tickSize` to the
 * metrics to convert). `step` indexes the mid series the metrics are given: `mid[step]` must be
 * the mid prevailing when the fill happened, before the fill moved anything.
 *
 * @module
 */
import {
  checkInt,
  checkObject,
  ConfigError,
  custom,
  type Field,
  int,
  num,
  numbers,
} from "../errors.ts";
import { checkInputs, type Numbers } from "./_validate.ts";

/** The maker bought (its bid was filled). */
export const BUY = 1;
/** The maker sold (its ask was filled). */
export const SELL = -1;

/** Fills of one maker in one episode, column-wise; only the first `n` entries are meaningful. */
export interface FillLog {
  /** Number of fills recorded; the arrays may be longer (their length is the capacity). */
  n: number;
  /** Step at which each fill happened (an index into the mid series). */
  readonly step: Int32Array;
  /** Maker side of each fill: {@linkcode BUY} (1) or {@linkcode SELL} (-1). */
  readonly side: Int8Array;
  /** Fill price (ticks, or price units with a `tickSize`). */
  readonly price: Float64Array;
  /** Filled quantity (units of the asset, > 0). */
  readonly qty: Float64Array;
}

/**
 * An empty fill log with room for `capacity` fills.
 *
 * @example
 * ```ts
 * import { createFillLog } from "./fills.ts";
 * const log = createFillLog(8);
 * if (log.n !== 0 || log.price.length !== 8) throw new Error();
 * ```
 */
export function createFillLog(capacity: number): FillLog {
  checkInt("capacity", capacity, 0, 2 ** 31 - 1);
  return {
    n: 0,
    step: new Int32Array(capacity),
    side: new Int8Array(capacity),
    price: new Float64Array(capacity),
    qty: new Float64Array(capacity),
  };
}

/** Plain arrays to build a {@linkcode FillLog} from (tests, offline analysis). */
export interface FillColumns {
  readonly step: Numbers;
  readonly side: Numbers;
  readonly price: Numbers;
  readonly qty: Numbers;
}

const FILL_COLUMNS = {
  step: numbers({ integer: true, lo: 0, hi: 2 ** 31 - 1 }),
  side: numbers(),
  price: numbers(),
  qty: numbers(),
};

/**
 * A fill log holding exactly the given fills; throws `ConfigError` on unequal lengths or invalid
 * entries (see {@linkcode checkFillLog}).
 *
 * @example
 * ```ts
 * import { BUY, fillLogOf, SELL } from "./fills.ts";
 * const log = fillLogOf({ step: [0, 3], side: [BUY, SELL], price: [99, 101], qty: [1, 2] });
 * if (log.n !== 2 || log.side[1] !== -1) throw new Error();
 * ```
 */
export function fillLogOf(columns: FillColumns): FillLog {
  checkInputs(columns, FILL_COLUMNS, "fillLogOf");
  const n = columns.step.length;
  for (const f of ["side", "price", "qty"] as const) {
    if (columns[f].length !== n) {
      throw new ConfigError(`${f}.length`, `${n} (the length of step)`, columns[f].length);
    }
  }
  const log = createFillLog(n);
  log.step.set(columns.step);
  log.side.set(columns.side);
  log.price.set(columns.price);
  log.qty.set(columns.qty);
  log.n = n;
  checkFillLog(log);
  return log;
}

/**
 * Throws `ConfigError` unless `log.n` fits the arrays, every side is ±1, every quantity is a
 * finite number > 0, every price is finite and every step is >= 0 (and < `steps` when given).
 */
export function checkFillLog(log: FillLog, steps = Infinity): void {
  const allowed = "a FillLog (createFillLog, fillLogOf)";
  const o = checkObject("fills", log, allowed);
  if (
    !(o.step instanceof Int32Array) || !(o.side instanceof Int8Array) ||
    !(o.price instanceof Float64Array) || !(o.qty instanceof Float64Array)
  ) throw new ConfigError("fills", allowed, log);
  const cap = Math.min(log.step.length, log.side.length, log.price.length, log.qty.length);
  checkInt("fills.n", log.n, 0, cap);
  for (let i = 0; i < log.n; i++) {
    const s = log.side[i];
    if (s !== BUY && s !== SELL) throw new ConfigError(`fills.side[${i}]`, "1 or -1", s);
    const q = log.qty[i];
    if (!(q > 0 && q < Infinity)) throw new ConfigError(`fills.qty[${i}]`, "a number > 0", q);
    const p = log.price[i];
    if (!Number.isFinite(p)) throw new ConfigError(`fills.price[${i}]`, "a finite number", p);
    const t = log.step[i];
    if (t < 0 || t >= steps) {
      const hi = steps === Infinity ? "" : `, ${steps - 1}`;
      throw new ConfigError(`fills.step[${i}]`, `an integer in [0${hi}] (an index into mid)`, t);
    }
  }
}

/** The field checker of a {@linkcode FillLog} (its entries are checked by `checkFillLog`). */
export const FILL_LOG: Field<FillLog> = custom("a FillLog (createFillLog, fillLogOf)", (v) => {
  checkFillLog(v as FillLog);
  return v as FillLog;
});

const FILL_RATE_INPUTS = {
  fills: FILL_LOG,
  quotedQty: num(0, Infinity),
  ordersPlaced: int(0, Number.MAX_SAFE_INTEGER),
};

/** Total filled quantity of a fill log (units). */
export function filledQty(log: FillLog): number {
  let s = 0;
  for (let i = 0; i < log.n; i++) s += log.qty[i];
  return s;
}

/** Options of {@linkcode fillRate}. */
export interface FillRateInputs {
  /** The maker's fills in the episode. */
  readonly fills: FillLog;
  /**
   * Total quantity quoted (units): the size of every order placed, counted once when placed (a
   * resting order counts once however long it rests; a requote counts again).
   */
  readonly quotedQty: number;
  /** Number of orders placed (each requote is a new order). */
  readonly ordersPlaced: number;
}

/** What {@linkcode fillRate} returns. */
export interface FillRate {
  /** Filled quantity / quoted quantity, in [0, 1] for consistent inputs; NaN if nothing quoted. */
  readonly byQty: number;
  /**
   * Fill events / orders placed; NaN if no order placed. Partial fills each count, so this can
   * exceed 1 when orders are filled in pieces.
   */
  readonly fillsPerOrder: number;
}

/**
 * Fill rates of one maker: by quantity and by events per order.
 *
 * @example
 * ```ts
 * import { BUY, fillLogOf, fillRate } from "./fills.ts";
 * const fills = fillLogOf({ step: [1, 2], side: [BUY, BUY], price: [99, 99], qty: [1, 3] });
 * const r = fillRate({ fills, quotedQty: 16, ordersPlaced: 8 });
 * if (r.byQty !== 0.25 || r.fillsPerOrder !== 0.25) throw new Error();
 * ```
 */
export function fillRate(inputs: FillRateInputs): FillRate {
  const { fills, quotedQty, ordersPlaced } = checkInputs(inputs, FILL_RATE_INPUTS, "fillRate");
  return {
    byQty: quotedQty === 0 ? NaN : filledQty(fills) / quotedQty,
    fillsPerOrder: ordersPlaced === 0 ? NaN : fills.n / ordersPlaced,
  };
}
