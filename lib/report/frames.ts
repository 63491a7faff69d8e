/**
 * Polars frames for episode data: one `DataFrame` per run built from preallocated typed arrays
 * (`runFrame`, from `lib/io`; integer arrays keep their integer dtype), a Markdown table for
 * notebook prose, and frames saved to and read from `data/`. Summaries with confidence intervals
 * are in `stats.ts`.
 *
 * @example
 * ```ts
 * import { markdownTable, runFrame } from "./frames.ts";
 * const df = runFrame({ arm: new Int32Array([0, 1]), reward: new Float64Array([2, 10]) });
 * if (!markdownTable(df).endsWith("| 1 | 10 |")) throw new Error(markdownTable(df));
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { checkOptions, ConfigError, fn, int, optional, str } from "../errors.ts";
import { checkFrame } from "../io/frame.ts";
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
