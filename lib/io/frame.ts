/**
 * One Polars frame from named columns: typed arrays keep their dtype (Int32Array → Int32, ...),
 * plain arrays become Float64, String or Bool, and constant columns (run metadata such as the seed)
 * come first. The frames of a sweep (`lib/sweep`) and of a notebook (`lib/report`) are built here.
 *
 * @example
 * ```ts
 * import { runFrame } from "./frame.ts";
 * const df = runFrame({ step: new Int32Array([0, 1]), x: [0.5, 1.5] }, { constants: { seed: 7 } });
 * if (df.columns.join() !== "seed,step,x" || df.getColumn("step").dtype.variant !== "Int32") {
 *   throw new Error(df.columns.join());
 * }
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { checkObject, checkOptions, ConfigError, custom, int, optional } from "../errors.ts";

/** A typed array Polars stores with the matching dtype (Int32Array → Int32, ...). */
export type TypedColumn =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A column: a typed array, or a plain array of numbers (Float64), strings or booleans. */
export type Column = TypedColumn | readonly number[] | readonly string[] | readonly boolean[];

/** A constant column value (see {@link RunFrameOptions.constants}). */
export type Constant = number | bigint | string | boolean;

/** Options of {@link runFrame}. */
export interface RunFrameOptions {
  /**
   * Rows to keep: the first `length` entries of every column (preallocated arrays filled up to
   * step `length`). Default: the common length of the columns, which must then all agree.
   */
  length?: number;
  /**
   * Columns with one value on every row, placed first (run metadata such as the seed). An integer
   * in the Int32 range gives an Int32 column, another number Float64, a bigint Int64, a string
   * String and a boolean Bool.
   */
  constants?: Record<string, Constant>;
}

const RUN_FRAME_OPTIONS = {
  length: optional(int(0, 2 ** 32 - 1)),
  constants: optional(
    custom("an object of constants", (v, path) => checkObject(path, v) as Record<string, Constant>),
  ),
};

function isTyped(c: Column): c is TypedColumn {
  return ArrayBuffer.isView(c);
}

/**
 * One frame for one run, from named columns. Typed arrays keep their dtype (Int32Array → Int32,
 * BigInt64Array → Int64, Float64Array → Float64, ...); plain number arrays become Float64.
 * Column order is `constants` first, then `columns` in insertion order.
 */
export function runFrame(
  columns: Record<string, Column>,
  options: RunFrameOptions = {},
): pl.DataFrame {
  checkObject("columns", columns, "an object of named columns");
  const o = checkOptions(options, RUN_FRAME_OPTIONS, { owner: "runFrame" });
  const names = Object.keys(columns);
  names.forEach((n) => {
    const c = columns[n] as unknown;
    if (!Array.isArray(c) && !(ArrayBuffer.isView(c) && !(c instanceof DataView))) {
      throw new ConfigError(`columns.${n}`, "a typed array or a plain array", c);
    }
  });
  const lengths = names.map((n) => columns[n].length);
  let length = o.length;
  if (length === undefined) {
    length = lengths.length ? lengths[0] : 0;
    names.forEach((n, i) => {
      if (lengths[i] !== length) {
        throw new ConfigError(`columns.${n}`, `of length ${length} like the first column`, {
          length: lengths[i],
        });
      }
    });
  } else {
    if (!Number.isInteger(length) || length < 0) {
      throw new ConfigError("length", "a non-negative integer", length);
    }
    names.forEach((n, i) => {
      if (lengths[i] < length!) {
        throw new ConfigError(`columns.${n}`, `of length at least ${length}`, {
          length: lengths[i],
        });
      }
    });
  }
  const n = length;
  const series: pl.Series[] = [];
  for (const [name, v] of Object.entries(o.constants ?? {})) {
    series.push(constantSeries(name, v, n));
  }
  for (const name of names) {
    const c = columns[name];
    if (isTyped(c)) {
      // slice() copies exactly the rows kept (a subarray view of a larger buffer is safe too).
      series.push(pl.Series(name, c.slice(0, n)));
    } else {
      series.push(plainSeries(name, c.slice(0, n)));
    }
  }
  return pl.DataFrame(series);
}

function plainSeries(name: string, values: readonly unknown[]): pl.Series {
  if (values.every((v) => typeof v === "number")) {
    return pl.Series(name, Float64Array.from(values as number[]));
  }
  if (values.every((v) => typeof v === "string")) return pl.Series(name, values, pl.Utf8);
  if (values.every((v) => typeof v === "boolean")) return pl.Series(name, values, pl.Bool);
  throw new ConfigError(`columns.${name}`, "all numbers, all strings or all booleans", "mixed");
}

function constantSeries(name: string, v: Constant, n: number): pl.Series {
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31
        ? pl.Series(name, new Int32Array(n).fill(v))
        : pl.Series(name, new Float64Array(n).fill(v));
    case "bigint":
      return pl.Series(name, new BigInt64Array(n).fill(v));
    case "string":
      return pl.Series(name, new Array<string>(n).fill(v), pl.Utf8);
    case "boolean":
      return pl.Series(name, new Array<boolean>(n).fill(v), pl.Bool);
    default:
      throw new ConfigError(`constants.${name}`, "a number, bigint, string or boolean", v);
  }
}

/** Throws a `ConfigError` naming `df` unless it is a Polars DataFrame (has a `columns` array). */
export function checkFrame(df: unknown, field = "df"): void {
  const f = df as { columns?: unknown } | null;
  if (typeof f !== "object" || f === null || !Array.isArray(f.columns)) {
    throw new ConfigError(field, "a Polars DataFrame", df);
  }
}
