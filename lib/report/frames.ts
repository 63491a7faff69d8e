/**
 * Polars frames for episode data: one `DataFrame` per run built from preallocated typed arrays
 * (integer arrays keep their integer dtype), per-group summaries with 95% confidence intervals,
 * and a Markdown table for notebook prose.
 *
 * @example
 * ```ts
 * import { runFrame, summarise } from "./frames.ts";
 * const df = runFrame({
 *   arm: new Int32Array([0, 0, 0, 1, 1, 1]),
 *   reward: new Float64Array([1, 2, 3, 10, 10, 10]),
 * });
 * const s = summarise(df, { by: ["arm"], cols: ["reward"] });
 * const [a, b] = s.toRecords();
 * if (a.reward_mean !== 2 || a.reward_n !== 3 || b.reward_sd !== 0) throw new Error("bad summary");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import {
  arrayOf,
  checkOptions,
  ConfigError,
  custom,
  fn,
  int,
  optional,
  str,
} from "../errors.ts";
import { studentTQuantile } from "../metrics/mean_ci.ts";
import { auto } from "./format.ts";
export {
  type Column,
  type Constant,
  runFrame,
  type RunFrameOptions,
  type TypedColumn,
} from "../io/frame.ts";
import { dataPath, outPath, readParquetFile, writeAtomic } from "./io.ts";

/** The nodejs-polars namespace, re-exported so notebooks import one module. */
export { pl };

/** A Polars data frame. */
export type DataFrame = pl.DataFrame;

/** Options of {@link summarise}. */
export interface SummariseOptions {
  /** Grouping columns; `[]` summarises the whole frame as one group. */
  by: string[];
  /** Numeric columns to summarise. */
  cols: string[];
  /** Confidence level of the interval. Default 0.95. */
  level?: number;
}

const SUMMARISE_OPTIONS = {
  by: arrayOf(str()),
  cols: arrayOf(str()),
  level: optional(
    custom("a number in (0, 1)", (v, path) => {
      if (typeof v !== "number" || !(v > 0 && v < 1)) {
        throw new ConfigError(path, "a number in (0, 1)", v);
      }
      return v;
    }),
    0.95,
  ),
};

function checkFrame(df: unknown): void {
  const f = df as { columns?: unknown; getColumn?: unknown } | null;
  if (typeof f !== "object" || f === null || !Array.isArray(f.columns)) {
    throw new ConfigError("df", "a Polars DataFrame", df);
  }
}

/**
 * Mean, standard deviation (n − 1), count and a Student-t confidence interval for each of `cols`
 * in each group of `by`. For a column `x` the output has `x_mean`, `x_sd`, `x_n`, `x_lo`, `x_hi`
 * (nulls are left out of every statistic; `sd`, `lo`, `hi` are null when n < 2). Rows are sorted by
 * the `by` columns, so the result does not depend on Polars' hash-grouping order.
 */
export function summarise(df: pl.DataFrame, options: SummariseOptions): pl.DataFrame {
  checkFrame(df);
  const { by, cols, level } = checkOptions(options, SUMMARISE_OPTIONS, { owner: "summarise" });
  if (!(level > 0 && level < 1)) throw new ConfigError("level", "a number in (0, 1)", level);
  const have = new Set(df.columns);
  for (const c of [...by, ...cols]) {
    if (!have.has(c)) throw new ConfigError("column", `one of ${df.columns.join(", ")}`, c);
  }
  if (cols.length === 0) throw new ConfigError("cols", "a non-empty list of columns", cols);
  // Grouping and sums in plain JavaScript, in row order: Polars' parallel group-by sums floats in
  // a varying order, so its means can differ in the last bits from run to run.
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
  const values = cols.map((c) => df.getColumn(c).cast(pl.Float64).toArray() as (number | null)[]);
  const stat = (ci: number) => {
    const mean: (number | null)[] = [], sd: (number | null)[] = [], n: number[] = [];
    for (const rows of order) {
      const x = rows.map((r) => values[ci][r]).filter((v): v is number => v !== null);
      let sum = 0;
      for (const v of x) sum += v;
      const m = x.length > 0 ? sum / x.length : null;
      let ss = 0;
      for (const v of x) ss += (v - m!) * (v - m!);
      mean.push(m);
      sd.push(x.length >= 2 ? Math.sqrt(ss / (x.length - 1)) : null);
      n.push(x.length);
    }
    return { mean, sd, n };
  };
  const q = (n: number) => (n >= 2 ? studentTQuantile(1 - (1 - level) / 2, n - 1) : NaN);
  const first = order.map((rows) => rows[0]);
  const out: pl.Series[] = by.map((b) => df.getColumn(b).gather(first));
  for (const [ci, c] of cols.entries()) {
    const { mean, sd, n } = stat(ci);
    const half = n.map((k, i) => (k >= 2 && sd[i] !== null ? q(k) * sd[i]! / Math.sqrt(k) : null));
    const sdOut = sd.map((s, i) => (n[i] >= 2 ? s : null));
    out.push(
      pl.Series(`${c}_mean`, mean, pl.Float64),
      pl.Series(`${c}_sd`, sdOut, pl.Float64),
      pl.Series(`${c}_n`, BigInt64Array.from(n.map(BigInt))),
      pl.Series(`${c}_lo`, half.map((h, i) => (h === null ? null : mean[i]! - h)), pl.Float64),
      pl.Series(`${c}_hi`, half.map((h, i) => (h === null ? null : mean[i]! + h)), pl.Float64),
    );
  }
  return pl.DataFrame(out);
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

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /** Formatter for numbers. Default {@link auto} (integers grouped, others 3 significant digits). */
  format?: (x: number) => string;
  /** At most this many rows; a final row says how many were left out. Default 50. */
  maxRows?: number;
}

/**
 * A GitHub-flavoured Markdown table of a (small) frame: numbers right-aligned, nulls as `—`,
 * `|` escaped.
 *
 * @example
 * ```ts
 * import { markdownTable, runFrame } from "./frames.ts";
 * const t = markdownTable(runFrame({ k: new Int32Array([1, 2000]), x: [0.5, 1 / 3] }));
 * if (t !== "| k | x |\n| ---: | ---: |\n| 1 | 0.5 |\n| 2,000 | 0.333 |") throw new Error(t);
 * ```
 */
export function markdownTable(df: pl.DataFrame, options: MarkdownTableOptions = {}): string {
  checkFrame(df);
  const { format, maxRows } = checkOptions(options, {
    format: optional(fn<(x: number) => string>("a function (x: number) => string"), auto),
    maxRows: optional(int(0, 2 ** 32 - 1), 50),
  }, { owner: "markdownTable" });
  const cols = df.columns;
  const numeric = cols.map((c) => isNumericDtype(df.getColumn(c).dtype));
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return "—";
    if (typeof v === "number") return format(v);
    if (typeof v === "bigint") return format(Number(v));
    return String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");
  };
  const head = `| ${cols.map((c) => cell(c)).join(" | ")} |`;
  const rule = `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`;
  const shown = df.height > maxRows ? df.head(maxRows) : df;
  const columns = cols.map((c) => shown.getColumn(c).toArray() as unknown[]);
  const rows: string[] = [];
  for (let i = 0; i < shown.height; i++) {
    rows.push(`| ${columns.map((col) => cell(col[i])).join(" | ")} |`);
  }
  if (df.height > maxRows) {
    rows.push(`| … ${df.height - maxRows} more rows |${" |".repeat(Math.max(0, cols.length - 1))}`);
  }
  return [head, rule, ...rows].join("\n");
}

function isNumericDtype(dtype: pl.DataType): boolean {
  return /^(Int|UInt|Float)/.test(dtype.variant);
}

/** Options of {@link saveFrame} and {@link readFrame}. */
export interface FrameFileOptions {
  /** Folder. Default `data` under the output root (see `io.ts`); relative folders too. */
  dir?: string;
}

function framePath(name: string, options: FrameFileOptions): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ConfigError("name", "letters, digits, '_', '-' or '.', not starting with one", name);
  }
  const { dir } = checkOptions(options, { dir: optional(str()) }, { owner: "saveFrame/readFrame" });
  const file = `${name}.parquet`;
  return dir === undefined ? dataPath(file) : outPath(dir, file);
}

/**
 * Writes `df` to `data/<name>.parquet` (atomically) and returns the path.
 *
 * @example
 * ```ts
 * import { readFrame, runFrame, saveFrame } from "./frames.ts";
 * const dir = Deno.makeTempDirSync();
 * saveFrame("00_demo", runFrame({ k: new Int32Array([1, 2]) }), { dir });
 * if (readFrame("00_demo", { dir }).getColumn("k").dtype.variant !== "Int32") throw new Error();
 * ```
 */
export function saveFrame(name: string, df: pl.DataFrame, options: FrameFileOptions = {}): string {
  const path = framePath(name, options);
  checkFrame(df);
  writeAtomic(path, new Uint8Array(df.rechunk().writeParquet()));
  return path;
}

/** Reads `data/<name>.parquet` written by {@link saveFrame}. */
export function readFrame(name: string, options: FrameFileOptions = {}): pl.DataFrame {
  return readParquetFile(framePath(name, options));
}
