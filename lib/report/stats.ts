/**
 * The statistics the notebooks' prose quotes, one of each: per-group means with Student-t
 * confidence intervals ({@linkcode summarise}), plain group means and sums ({@linkcode aggregate}),
 * paired differences ({@linkcode pairedDiff}), where an interval lies ({@linkcode verdict}), and
 * a summarised column as text ({@linkcode ci}), a row found by its keys ({@linkcode rowOf}); and
 * for statements over many tests ("significant in k of m"): a t test's p-value from a
 * summarised row ({@linkcode pValue}), Holm's step-down correction ({@linkcode holm},
 * {@linkcode significantCount}) and how many of m tests would be significant by chance
 * ({@linkcode byChance}).
 *
 * Grouping and sums are done in plain JavaScript, in row order: Polars' parallel group-by sums
 * floats in a varying order, so its means can differ in the last bits from run to run, and the
 * same seed would not give byte-identical Parquet files. Groups come out sorted by their keys.
 *
 * @example
 * ```ts
 * import { runFrame } from "./frames.ts";
 * import { ci, pairedDiff, summarise, verdict } from "./stats.ts";
 * const df = runFrame({
 *   arm: ["a", "a", "a", "b", "b", "b"],
 *   seed: new Int32Array([0, 1, 2, 0, 1, 2]),
 *   reward: new Float64Array([1, 2, 3, 10, 10, 10]),
 * });
 * const [a, b] = summarise(df, { by: ["arm"], cols: ["reward"] }).toRecords();
 * if (a.reward_mean !== 2 || Number(a.reward_n) !== 3 || b.reward_sd !== 0) throw new Error();
 * const [d] = pairedDiff(df, {
 *   a: { arm: "b" }, b: { arm: "a" }, on: ["seed"], by: [], value: "reward",
 * }).toRecords();
 * if (d.diff_mean !== 8 || verdict(d, { col: "diff" }) !== "above") throw new Error();
 * if (ci(a, "reward") !== "2.00 ± 2.48") throw new Error(ci(a, "reward"));
 * ```
 * @module
 */
import pl from "nodejs-polars";
import {
  arrayOf,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  num,
  oneOf,
  optional,
  str,
  UnknownOptionError,
} from "../errors.ts";
import { checkFrame } from "../io/frame.ts";
import { studentTQuantile, studentTTwoSided } from "../metrics/mean_ci.ts";
import { fixed, pm } from "./format.ts";

/** A row of a frame, as `toRecords()` gives it. */
export type Row = Record<string, unknown>;

function checkColumns(df: pl.DataFrame, cols: readonly string[]): void {
  const have = new Set(df.columns);
  for (const c of cols) {
    if (!have.has(c)) throw new ConfigError("column", `one of ${df.columns.join(", ")}`, c);
  }
}

/** Sort order of group keys: nulls first, then numbers, booleans, strings (as Polars sorts). */
function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : 1;
  const x = Number(a), y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The rows of `df` grouped by `by`, each group's row indices in row order, groups sorted. */
function groupRows(df: pl.DataFrame, by: readonly string[]): number[][] {
  const keys = by.map((b) => df.getColumn(b).toArray() as unknown[]);
  const groups = new Map<string, number[]>();
  for (let r = 0; r < df.height; r++) {
    const k = JSON.stringify(keys.map((col) => {
      const v = col[r];
      return typeof v === "bigint" ? `${v}n` : v;
    }));
    const rows = groups.get(k);
    if (rows) rows.push(r);
    else groups.set(k, [r]);
  }
  const order = [...groups.values()].sort((a, b) => {
    for (const col of keys) {
      const c = compareKeys(col[a[0]], col[b[0]]);
      if (c !== 0) return c;
    }
    return 0;
  });
  if (by.length === 0 && order.length === 0) order.push([]);
  return order;
}

/** A numeric column as numbers or null (NaN counts as null). */
function values(df: pl.DataFrame, col: string): (number | null)[] {
  return (df.getColumn(col).cast(pl.Float64).toArray() as (number | null)[])
    .map((v) => (v === null || Number.isNaN(v) ? null : v));
}

/** Options of {@link summarise}. */
export interface SummariseOptions {
  /** Grouping columns; `[]` summarises the whole frame as one group. */
  by: readonly string[];
  /** Numeric columns to summarise. */
  cols: readonly string[];
  /** Confidence level of the interval. Default 0.95. */
  level?: number;
}

/** A probability strictly between 0 and 1 (a confidence or significance level). */
const LEVEL = custom("a number in (0, 1)", (v, path) => {
  if (typeof v !== "number" || !(v > 0 && v < 1)) {
    throw new ConfigError(path, "a number in (0, 1)", v);
  }
  return v;
});

const SUMMARISE_OPTIONS = {
  by: arrayOf(str()),
  cols: arrayOf(str()),
  level: optional(LEVEL, 0.95),
};

/**
 * Mean, standard deviation (n − 1), count and a Student-t confidence interval for each of `cols`
 * in each group of `by`. For a column `x` the output has `x_mean`, `x_sd`, `x_n`, `x_lo`, `x_hi`
 * (nulls and NaN are left out of every statistic; `sd`, `lo`, `hi` are null when n < 2). Rows are
 * sorted by the `by` columns.
 */
export function summarise(df: pl.DataFrame, options: SummariseOptions): pl.DataFrame {
  checkFrame(df);
  const { by, cols, level } = checkOptions(options, SUMMARISE_OPTIONS, { owner: "summarise" });
  if (!(level > 0 && level < 1)) throw new ConfigError("level", "a number in (0, 1)", level);
  checkColumns(df, [...by, ...cols]);
  if (cols.length === 0) throw new ConfigError("cols", "a non-empty list of columns", cols);
  const order = groupRows(df, by);
  const q = (n: number) => (n >= 2 ? studentTQuantile(1 - (1 - level) / 2, n - 1) : NaN);
  const out: pl.Series[] = by.map((b) => df.getColumn(b).gather(order.map((rows) => rows[0])));
  for (const c of cols) {
    const v = values(df, c);
    const mean: (number | null)[] = [], sd: (number | null)[] = [], n: number[] = [];
    for (const rows of order) {
      const x = rows.map((r) => v[r]).filter((y): y is number => y !== null);
      let sum = 0;
      for (const y of x) sum += y;
      const m = x.length > 0 ? sum / x.length : null;
      let ss = 0;
      for (const y of x) ss += (y - m!) * (y - m!);
      mean.push(m);
      sd.push(x.length >= 2 ? Math.sqrt(ss / (x.length - 1)) : null);
      n.push(x.length);
    }
    const half = n.map((k, i) => (k >= 2 ? q(k) * sd[i]! / Math.sqrt(k) : null));
    out.push(
      pl.Series(`${c}_mean`, mean, pl.Float64),
      pl.Series(`${c}_sd`, sd, pl.Float64),
      pl.Series(`${c}_n`, BigInt64Array.from(n.map(BigInt))),
      pl.Series(`${c}_lo`, half.map((h, i) => (h === null ? null : mean[i]! - h)), pl.Float64),
      pl.Series(`${c}_hi`, half.map((h, i) => (h === null ? null : mean[i]! + h)), pl.Float64),
    );
  }
  return pl.DataFrame(out);
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /** Grouping columns; `[]` makes one group of the whole frame. */
  readonly by: readonly string[];
  /** Columns whose group mean is wanted (nulls and NaN left out; null if none is left). */
  readonly mean?: readonly string[];
  /** Columns whose group sum is wanted (nulls and NaN left out). */
  readonly sum?: readonly string[];
  /** Columns whose group maximum is wanted (nulls and NaN left out; null if none is left). */
  readonly max?: readonly string[];
}

const COLUMNS = arrayOf(str());
const AGGREGATE_OPTIONS = {
  by: COLUMNS,
  mean: optional(COLUMNS, []),
  sum: optional(COLUMNS, []),
  max: optional(COLUMNS, []),
} satisfies Record<keyof AggregateOptions, Field<unknown>>;

/**
 * Group means, sums and maxima: the `by` columns, then each `mean`, `sum` and `max` column under
 * its own name (Float64), one row per group, sorted by the `by` columns.
 *
 * @example
 * ```ts
 * import { runFrame } from "./frames.ts";
 * import { aggregate } from "./stats.ts";
 * const df = runFrame({ g: ["b", "a", "b"], x: [1, 2, 3], w: [1, 1, 1] });
 * const r = aggregate(df, { by: ["g"], mean: ["x"], sum: ["w"] }).toRecords();
 * if (r[1].g !== "b" || r[1].x !== 2 || r[1].w !== 2) throw new Error(JSON.stringify(r));
 * ```
 */
export function aggregate(df: pl.DataFrame, options: AggregateOptions): pl.DataFrame {
  checkFrame(df);
  const { by, ...stats } = checkOptions(options, AGGREGATE_OPTIONS, { owner: "aggregate" });
  const seen = new Set(by);
  for (const stat of ["mean", "sum", "max"] as const) {
    stats[stat].forEach((c, i) => {
      if (seen.has(c)) {
        throw new ConfigError(`${stat}[${i}]`, "a column named once in by, mean, sum and max", c);
      }
      seen.add(c);
    });
  }
  checkColumns(df, [...by, ...stats.mean, ...stats.sum, ...stats.max]);
  const order = groupRows(df, by);
  const out: pl.Series[] = by.map((b) => df.getColumn(b).gather(order.map((rows) => rows[0])));
  for (const stat of ["mean", "sum", "max"] as const) {
    for (const c of stats[stat]) {
      const v = values(df, c);
      out.push(pl.Series(c, order.map((rows) => reduce(rows.map((r) => v[r]), stat)), pl.Float64));
    }
  }
  return pl.DataFrame(out);
}

/** The mean, sum or maximum of the present values (in order; null for a mean or max of none). */
function reduce(v: readonly (number | null)[], stat: "mean" | "sum" | "max"): number | null {
  let s = 0, n = 0, m = -Infinity;
  for (const x of v) {
    if (x === null) continue;
    s += x;
    n++;
    if (x > m) m = x;
  }
  if (stat === "sum") return s;
  return n === 0 ? null : stat === "mean" ? s / n : m;
}

/** A selection of rows: column → value (all must match). */
export type RowSelector = Readonly<Record<string, string | number | boolean>>;

/**
 * The rows of `df` that match `s` (every column named must exist; `path` names the selector in
 * errors: `a.arm`).
 */
export function select(df: pl.DataFrame, s: RowSelector, path = "selector"): pl.DataFrame {
  let out = df;
  for (const [k, v] of Object.entries(s)) {
    if (!df.columns.includes(k)) {
      throw new UnknownOptionError({ key: k, known: df.columns, value: v, path });
    }
    // A value of another type than the column's matches nothing: say so rather than select none.
    const variant = df.getColumn(k).dtype.variant;
    const want = variant === "String" || variant === "Utf8" || variant === "Categorical"
      ? "string"
      : variant === "Bool"
      ? "boolean"
      : "number";
    if (typeof v !== want && !(want === "number" && typeof v === "bigint")) {
      throw new ConfigError(`${path}.${k}`, `a ${want} (the column is ${variant})`, v);
    }
    out = out.filter(pl.col(k).eq(pl.lit(v)));
  }
  return out;
}

/** A {@linkcode RowSelector}: an object of column → string, finite number or boolean. */
const SELECTOR = custom<RowSelector>("an object of column: value", (v, path) => {
  const o = checkObject(path, v, "an object of column: value");
  for (const [k, x] of Object.entries(o)) {
    if (
      !(typeof x === "string" || typeof x === "boolean" || typeof x === "bigint" ||
        (typeof x === "number" && !isNaN(x)))
    ) {
      throw new ConfigError(`${path}.${k}`, "a string, number or boolean", x);
    }
  }
  return v as RowSelector;
});

/** Options of {@linkcode pairedDiff}. */
export interface PairedDiffOptions {
  /** The first arm's rows. */
  readonly a: RowSelector;
  /** The second arm's rows. */
  readonly b: RowSelector;
  /** Columns that pair a row of `a` with one of `b` (e.g. `["taker", "seed"]`). */
  readonly on: readonly string[];
  /** Grouping columns of the result, a subset of `on` (what is left, e.g. `seed`, is paired). */
  readonly by: readonly string[];
  /** The compared column. */
  readonly value: string;
  /** Confidence level. Default 0.95. */
  readonly level?: number;
}

/**
 * Paired differences `a − b` of `value`, rows matched on `on`, summarised by `by` with a
 * Student-t interval: columns `by…`, `a_mean`, `b_mean`, `diff_mean`, `diff_sd`, `diff_n`,
 * `diff_lo`, `diff_hi`. Pairs where either value is missing (null or NaN) and rows of `a` without
 * a partner in `b` are left out; duplicates on `on` are an error.
 */
export function pairedDiff(df: pl.DataFrame, options: PairedDiffOptions): pl.DataFrame {
  checkFrame(df);
  checkOptions(options, PAIRED_DIFF_OPTIONS, { owner: "pairedDiff" });
  const { on, by, value } = options;
  for (const c of by) {
    if (!on.includes(c)) throw new ConfigError("by", `a subset of on (${on.join(", ")})`, c);
  }
  checkColumns(df, [...on, value]);
  const pick = (s: RowSelector, name: string) => {
    const part = select(df, s, name).select(
      ...on.map((c) => pl.col(c)),
      pl.col(value).cast(pl.Float64).alias(name),
    );
    if (part.unique({ subset: [...on] }).height !== part.height) {
      throw new ConfigError("on", `columns that identify one row per arm (${name})`, on);
    }
    return part;
  };
  const joined = pick(options.a, "a").join(pick(options.b, "b"), { on: [...on], how: "inner" })
    .filter(pl.col("a").isNotNull().and(pl.col("b").isNotNull()))
    .filter(pl.col("a").isNan().not().and(pl.col("b").isNan().not()))
    .withColumns(pl.col("a").sub(pl.col("b")).alias("diff"));
  const s = summarise(joined, { by, cols: ["a", "b", "diff"], level: options.level });
  return s.select(
    ...by.map((c) => pl.col(c)),
    pl.col("a_mean"),
    pl.col("b_mean"),
    pl.col("diff_mean"),
    pl.col("diff_sd"),
    pl.col("diff_n"),
    pl.col("diff_lo"),
    pl.col("diff_hi"),
  );
}

/**
 * One paired difference `a − b` of `value` over the rows of `df`, paired on `on` (default the
 * seed): {@linkcode pairedDiff}'s row (`a_mean`, `b_mean`, `diff_mean`, `diff_lo`, ...).
 */
export function pairedBySeed(
  df: pl.DataFrame,
  o: { a: RowSelector; b: RowSelector; value: string; on?: readonly string[] },
): Row {
  checkOptions(o, PAIRED_BY_SEED_OPTIONS, { owner: "pairedBySeed" });
  const on = o.on ?? ["seed"];
  return pairedDiff(df, { a: o.a, b: o.b, on, by: [], value: o.value }).toRecords()[0] as Row;
}

/** Where an interval lies relative to a value or another interval. */
export type Verdict = "above" | "below" | "not distinguishable from";

/** Options of {@linkcode verdict}. */
export interface VerdictOptions {
  /** The summarised column (`<col>_lo`, `<col>_hi`); default: the row's own `lo`, `hi`. */
  readonly col?: string;
  /** A value, or another summarised row (its interval, the same `col`). Default 0. */
  readonly than?: number | Row;
}

function bound(r: Row, col: string | undefined, end: "lo" | "hi"): number {
  const v = r[col === undefined ? end : `${col}_${end}`];
  return typeof v === "number" && Number.isFinite(v) ? v : end === "lo" ? -Infinity : Infinity;
}

/**
 * `"above"` when the whole interval of `row` lies above `than` (a value, default 0, or the whole
 * interval of another row), `"below"` when below, `"not distinguishable from"` otherwise (also when
 * an interval is missing: fewer than two values).
 *
 * @example
 * ```ts
 * import { verdict } from "./stats.ts";
 * if (verdict({ lo: 0.5, hi: 2 }) !== "above") throw new Error();
 * const a = { x_lo: 1, x_hi: 2 }, b = { x_lo: 1.5, x_hi: 3 };
 * if (verdict(a, { col: "x", than: b }) !== "not distinguishable from") throw new Error();
 * ```
 */
export function verdict(row: Row, options: VerdictOptions = {}): Verdict {
  checkOptions(options, VERDICT_OPTIONS, { owner: "verdict" });
  const { col } = options;
  const than = options.than ?? 0;
  const lo = bound(row, col, "lo"), hi = bound(row, col, "hi");
  // Above: the interval starts beyond the other's top; below: it ends under the other's bottom.
  const [top, bottom] = typeof than === "number"
    ? [than, than]
    : [bound(than, col, "hi"), bound(than, col, "lo")];
  if (lo > top) return "above";
  if (hi < bottom) return "below";
  return "not distinguishable from";
}

/** The mean and half-width of a summarised column (`<col>_mean`, `<col>_hi`); NaN if missing. */
export function meanHalf(row: Row, col: string): { mean: number; half: number } {
  const m = row[`${col}_mean`], hi = row[`${col}_hi`];
  const mean = typeof m === "number" ? m : NaN;
  return { mean, half: typeof hi === "number" ? hi - mean : NaN };
}

/** Options of {@linkcode ci}. */
export interface CiOptions {
  /** Decimals. Default 2. */
  readonly digits?: number;
  /** `"pm"` (default): `mean ± half`; `"interval"`: `mean [lo, hi]`. */
  readonly style?: "pm" | "interval";
  /**
   * Written after the mean instead of an interval when every value was the same (sd 0), e.g.
   * `" (the same in every seed)"`. Default: the interval, `± 0.00`.
   */
  readonly same?: string;
}

/**
 * A summarised column (`summarise`'s `<col>_mean`, `_sd`, `_lo`, `_hi`) as text: `"2.00 ± 0.25"`;
 * `"—"` without a mean; a missing interval (one value) counts as ± 0.
 *
 * @example
 * ```ts
 * import { ci } from "./stats.ts";
 * const r = { x_mean: 2, x_sd: 0.5, x_lo: 1.5, x_hi: 2.5 };
 * if (ci(r, "x") !== "2.00 ± 0.50" || ci(r, "x", { style: "interval", digits: 1 }) !== "2.0 [1.5, 2.5]") {
 *   throw new Error();
 * }
 * if (ci({ x_mean: 3, x_sd: 0 }, "x", { same: " (exact)" }) !== "3.00 (exact)") throw new Error();
 * ```
 */
export function ci(row: Row, col: string, options: CiOptions = {}): string {
  checkOptions(options, CI_OPTIONS, { owner: "ci" });
  const d = options.digits ?? 2;
  const { mean, half } = meanHalf(row, col);
  if (!Number.isFinite(mean)) return "—";
  const sd = row[`${col}_sd`];
  if (options.same !== undefined && (sd === 0 || sd === null)) {
    return `${fixed(mean, d)}${options.same}`;
  }
  const h = Number.isFinite(half) ? half : 0;
  if (options.style === "interval") {
    return `${fixed(mean, d)} [${fixed(mean - h, d)}, ${fixed(mean + h, d)}]`;
  }
  return pm(mean, h, d);
}

/** The row of `rows` whose columns equal `where`; an error naming them if there is none. */
export function rowOf(rows: readonly Row[], where: Readonly<Record<string, unknown>>): Row {
  const r = rows.find((x) => Object.entries(where).every(([k, v]) => x[k] === v));
  if (r === undefined) throw new ConfigError("where", "the keys of a row of the frame", where);
  return r;
}

/** The mean of `xs` (NaN if empty). */
export function average(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * The median of `xs` (the mean of the middle two for an even count; null if empty).
 *
 * @example
 * ```ts
 * import { median } from "./stats.ts";
 * if (median([3, 1, 2]) !== 2 || median([4, 1, 2, 3]) !== 2.5 || median([]) !== null) {
 *   throw new Error();
 * }
 * ```
 */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A dollar amount for prose, the sign before the symbol: `usd(-1.5)` is `"-$1.50"`, with a
 * half-width `usd(2, 0.5)` is `"$2.00 ± 0.50"`.
 */
export function usd(x: number, half?: number): string {
  const a = Math.abs(x);
  return `${x < 0 ? "-" : ""}$${half === undefined ? fixed(a) : pm(a, half)}`;
}

// ---------------------------------------------------------------- many tests

/** Options of {@linkcode pValue}. */
export interface PValueOptions {
  /** The summarised column (`<col>_mean`, `<col>_sd`, `<col>_n`); default: `mean`, `sd`, `n`. */
  readonly col?: string;
  /** The value tested against. Default 0. */
  readonly than?: number;
}

const P_OPTIONS = { col: optional(str()), than: optional(num(), 0) };

/**
 * The two-sided p-value of a one-sample (or paired) t test that the mean of a summarised column
 * equals `than` (default 0): `t = (mean − than) / (sd / √n)` with `n − 1` degrees of freedom,
 * the same Student-t model as the rows' intervals (so p < 0.05 exactly when the 95 % interval
 * excludes `than`). With sd 0 the p-value is 0 if the mean differs from `than` and 1 if not; NaN
 * with fewer than two values.
 *
 * @example
 * ```ts
 * import { pValue } from "./stats.ts";
 * // mean 1, sd 1, n 4: t = 2, 3 df.
 * if (Math.abs(pValue({ x_mean: 1, x_sd: 1, x_n: 4 }, { col: "x" }) - 0.1393) > 1e-4) throw new Error();
 * ```
 */
export function pValue(row: Row, options: PValueOptions = {}): number {
  const o = checkOptions(options, P_OPTIONS, { owner: "pValue" });
  const k = (f: string) => (o.col === undefined ? f : `${o.col}_${f}`);
  const mean = Number(row[k("mean")]), sd = Number(row[k("sd")]), n = Number(row[k("n")]);
  const than = o.than;
  if (!(n >= 2) || !Number.isFinite(mean) || !(sd >= 0)) return NaN;
  if (sd === 0) return mean === than ? 1 : 0;
  return studentTTwoSided((mean - than) / (sd / Math.sqrt(n)), n - 1);
}

/** What {@linkcode holm} returns, in the order of the p-values given. */
export interface HolmResult {
  /** Holm-adjusted p-values (`min(1, max_{j ≤ i} (m − j + 1) p_(j))` in sorted order). */
  readonly adjusted: number[];
  /** Whether each hypothesis is rejected at the level (adjusted p ≤ level). */
  readonly reject: boolean[];
  /** How many are rejected. */
  readonly rejected: number;
  /** How many would be rejected without a correction (p ≤ level). */
  readonly unadjusted: number;
  /** Tests counted (NaN p-values are left out of m, and never rejected). */
  readonly m: number;
  /** The family-wise level. */
  readonly level: number;
}

/**
 * Holm's (1979) step-down correction of m p-values at family-wise level `level` (default 0.05):
 * sort them, reject the smallest while `p_(i) ≤ level / (m − i + 1)`, stop at the first that is
 * not. It controls the probability of any false rejection at `level` whatever the dependence
 * between the tests, and rejects at least what Bonferroni rejects. NaN p-values (tests that could
 * not be made) are not counted.
 *
 * @example
 * ```ts
 * import { holm } from "./stats.ts";
 * // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
 * const h = holm([0.01, 0.04, 0.03, 0.005]);
 * if (h.adjusted.map((p) => p.toFixed(2)).join() !== "0.03,0.06,0.06,0.02") throw new Error();
 * if (h.rejected !== 2 || h.unadjusted !== 4) throw new Error();
 * ```
 */
export function holm(pValues: readonly number[], options: { level?: number } = {}): HolmResult {
  const { level } = checkOptions(options, { level: optional(LEVEL, 0.05) }, { owner: "holm" });
  if (!Array.isArray(pValues)) throw new ConfigError("pValues", "an array of p-values", pValues);
  pValues.forEach((p, i) => {
    if (typeof p !== "number" || !(Number.isNaN(p) || (p >= 0 && p <= 1))) {
      throw new ConfigError(`pValues[${i}]`, "a number in [0, 1] (or NaN: no test)", p);
    }
  });
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]));
  idx.sort((a, b) => pValues[a] - pValues[b] || a - b);
  const m = idx.length;
  const adjusted = pValues.map(() => NaN);
  let running = 0;
  idx.forEach((i, r) => {
    running = Math.max(running, Math.min(1, (m - r) * pValues[i]));
    adjusted[i] = running;
  });
  const reject = adjusted.map((p) => p <= level);
  return {
    adjusted,
    reject,
    rejected: reject.filter(Boolean).length,
    unadjusted: pValues.filter((p) => p <= level).length,
    m,
    level,
  };
}

/** What {@linkcode byChance} returns. */
export interface ByChance {
  /** Tests. */
  readonly m: number;
  /** Level of each test. */
  readonly level: number;
  /** Expected number significant when no effect is real: `m · level`. */
  readonly expected: number;
  /** Probability that at least one is, for independent tests: `1 − (1 − level)^m`. */
  readonly atLeastOne: number;
  /**
   * The count that chance alone exceeds with probability below 5 % (independent tests: the
   * smallest k with `P(Binomial(m, level) > k) < 0.05`).
   */
  readonly upper95: number;
}

/**
 * How many of `m` tests at `level` would be significant by chance alone (every null true), for
 * the sentence a notebook writes next to "significant in k of m".
 *
 * @example
 * ```ts
 * import { byChance } from "./stats.ts";
 * const c = byChance(12, 0.05);
 * if (c.expected.toFixed(1) !== "0.6" || c.atLeastOne.toFixed(2) !== "0.46" || c.upper95 !== 2) {
 *   throw new Error(JSON.stringify(c));
 * }
 * ```
 */
export function byChance(m: number, level = 0.05): ByChance {
  if (!Number.isInteger(m) || m < 0 || m > 1e6) {
    throw new ConfigError("m", "an integer in [0, 1000000]", m);
  }
  if (!(level > 0 && level < 1)) throw new ConfigError("level", "a number in (0, 1)", level);
  // Binomial(m, level) tail, term by term.
  let pk = Math.pow(1 - level, m), cdf = pk, k = 0;
  while (1 - cdf >= 0.05 && k < m) {
    pk *= ((m - k) / (k + 1)) * (level / (1 - level));
    k++;
    cdf += pk;
  }
  return { m, level, expected: m * level, atLeastOne: 1 - Math.pow(1 - level, m), upper95: k };
}

/**
 * "k of m" for summarised rows tested against `than` (default 0): the Holm-corrected count and
 * the uncorrected one, with what chance alone would give (see {@linkcode holm},
 * {@linkcode byChance}).
 *
 * @example
 * ```ts
 * import { significantCount } from "./stats.ts";
 * const rows = [{ d_mean: 5, d_sd: 1, d_n: 5 }, { d_mean: 0.5, d_sd: 1, d_n: 5 }];
 * const s = significantCount(rows, { col: "d" });
 * if (s.rejected !== 1 || s.m !== 2 || s.chance.expected !== 0.1) throw new Error();
 * ```
 */
export function significantCount(
  rows: readonly Row[],
  options: PValueOptions & { level?: number } = {},
): HolmResult & { p: number[]; chance: ByChance } {
  const o = checkOptions(options, { ...P_OPTIONS, level: optional(LEVEL, 0.05) }, {
    owner: "significantCount",
  });
  const p = rows.map((r) => pValue(r, { col: o.col, than: o.than }));
  const h = holm(p, { level: o.level });
  return { ...h, p, chance: byChance(h.m, h.level) };
}

// ---------------------------------------------------------------- the helpers' schemas
// (declared last: function declarations are hoisted, these constants are read only when called)

const PAIRED_DIFF_OPTIONS = {
  a: SELECTOR,
  b: SELECTOR,
  on: COLUMNS,
  by: COLUMNS,
  value: str(),
  level: optional(LEVEL),
} satisfies Record<keyof PairedDiffOptions, Field<unknown>>;

const PAIRED_BY_SEED_OPTIONS = {
  a: SELECTOR,
  b: SELECTOR,
  value: str(),
  on: optional(COLUMNS),
} satisfies Record<keyof Parameters<typeof pairedBySeed>[1], Field<unknown>>;

const VERDICT_OPTIONS = {
  col: optional(str()),
  than: optional(
    custom<number | Row>("a finite number or a summarised row", (v, path) => {
      if (typeof v === "number" && Number.isFinite(v)) return v;
      return checkObject(path, v, "a finite number or a summarised row");
    }),
  ),
} satisfies Record<keyof VerdictOptions, Field<unknown>>;

const CI_OPTIONS = {
  digits: optional(int(0, 20)),
  style: optional(oneOf(["pm", "interval"] as const)),
  same: optional(str({ empty: true })),
} satisfies Record<keyof CiOptions, Field<unknown>>;
