/**
 * The study scaffold: one way to declare a study's jobs, run them, and get its tables.
 *
 * A **study** is a module that exports a job function `(job) => rows` (plain JSON in, records
 * out) and declares, with {@linkcode defineStudy}, the tables its rows belong to. Every row
 * carries a `table` field naming its table; each table lists its columns in order with their kind
 * (`"str"`, `"int"` → Int32, `"float"` → Float64, `"bool"`). The scaffold:
 *
 * - runs the jobs on Web Workers (`sweep`), or in the calling thread with `workers: 0` (no
 *   start-up cost: small budgets and tests), or one shard of them (`shard`, for Kubernetes);
 * - merges the rows in job order, whatever the order in which jobs finish, so the tables are
 *   byte-identical for any number of workers (tested once, here, in `tests/sweep_test.ts`);
 * - splits them into one Polars frame per table, with the declared columns and kinds (a column
 *   no row sets is all null; a column a row sets that the table does not declare is an error
 *   naming it, unless the table is `open`), sorted by the table's `sort` columns if any;
 * - drives a progress line (`progress`, e.g. `lib/report`'s) and an `onResult` callback.
 *
 * A study module then reads: its job type, the job function, `defineStudy({module:
 * import.meta.url, fn, tables})`, a function that lists the jobs, and the summaries the notebook's
 * prose quotes (`docs/CONVENTIONS.md` has the pattern).
 *
 * @example
 * ```ts
 * import { defineStudy } from "./study.ts";
 * // Usually `module: import.meta.url` of the study's own file.
 * const module = "data:text/javascript,export const job = (j) => [" +
 *   "{ table: 'runs', seed: j.seed, pnl: 2 * j.seed }," +
 *   "{ table: 'steps', seed: j.seed, step: 0, qty: 1 }];";
 * const study = defineStudy({
 *   module,
 *   fn: "job",
 *   tables: {
 *     runs: { columns: { seed: "int", pnl: "float" } },
 *     steps: { columns: { seed: "int", step: "int", qty: "float" } },
 *   },
 * });
 * const { runs, steps } = await study.run([{ seed: 2 }, { seed: 1 }], { workers: 0 });
 * if (runs.getColumn("pnl").toArray().join() !== "4,2") throw new Error("job order");
 * if (steps.getColumn("step").dtype.variant !== "Int32") throw new Error("declared kinds");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { ConfigError } from "../errors.ts";
import { merge, type Shard, shardIndices, sweep } from "./sweep.ts";

/** The kind of a table column: `"str"` (String), `"int"` (Int32), `"float"` (Float64), `"bool"`. */
export type ColumnKind = "str" | "int" | "float" | "bool";

/** One table of a study. */
export interface TableSpec {
  /** The columns, in order, with their kinds. */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** Sort the rows by these columns (stable: job order within equal keys). Default: job order. */
  readonly sort?: readonly string[];
  /**
   * Keep the columns the rows carry beyond `columns`, after them in the order first seen, typed
   * as the rows give them (numbers Float64). Default false: such a column is an error.
   */
  readonly open?: boolean;
}

/** What {@linkcode defineStudy} takes. */
export interface StudySpec<T extends string> {
  /** The module exporting the job function: usually `import.meta.url` of the study's file. */
  readonly module: string | URL;
  /** Name of the exported job function, `(job) => rows` or a promise of rows. */
  readonly fn: string;
  /** The tables, by name; a row's `table` field names one of them. */
  readonly tables: Readonly<Record<T, TableSpec>>;
}

/** A running progress line (`lib/report`'s `progress(label, total)` returns one). */
export interface ProgressSink {
  /** One more job done. */
  tick(): void;
  /** All jobs done. */
  done(): void;
}

/** How to run a study's jobs. */
export interface StudyRunOptions {
  /**
   * Web Workers; 0 runs the jobs in this thread, one after another. Default
   * `navigator.hardwareConcurrency`. The tables do not depend on it.
   */
  readonly workers?: number;
  /** Run only this shard of the jobs (see `shards.ts`). Default: all. */
  readonly shard?: Shard;
  /** Called after each job, in completion order. */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
  /** Makes the progress line for the number of jobs to run, e.g. `(n) => progress("jobs", n)`. */
  readonly progress?: (total: number) => ProgressSink;
}

/** The keys of {@linkcode StudyRunOptions}, for run functions that check their options' keys. */
export const STUDY_RUN_KEYS: readonly string[] = Object.keys(
  { workers: 1, shard: 1, onResult: 1, progress: 1 } satisfies Record<keyof StudyRunOptions, 1>,
);

/** The tables of a study, one frame each. */
export type StudyFrames<T extends string> = { readonly [K in T]: pl.DataFrame };

/** A declared study (see the module doc). */
export interface Study<Job, T extends string> {
  /** The declaration. */
  readonly spec: StudySpec<T>;
  /** Runs `jobs` (see {@linkcode StudyRunOptions}) and returns the tables. */
  run(jobs: readonly Job[], options?: StudyRunOptions): Promise<StudyFrames<T>>;
  /** The tables of a merged sweep frame (a `table` column; e.g. shards read back). */
  split(merged: pl.DataFrame): StudyFrames<T>;
  /** The tables of rows already computed (one job's, in tests). */
  fromRows(rows: readonly Record<string, unknown>[]): StudyFrames<T>;
}

const DTYPE: Record<ColumnKind, pl.DataType> = {
  str: pl.Utf8,
  int: pl.Int32,
  float: pl.Float64,
  bool: pl.Bool,
};

function checkSpec<T extends string>(spec: StudySpec<T>): void {
  if (typeof spec?.fn !== "string" || spec.fn === "") {
    throw new ConfigError("fn", "the name of the module's job function", spec?.fn);
  }
  const names = Object.keys(spec.tables ?? {});
  if (names.length === 0) throw new ConfigError("tables", "at least one table", spec.tables);
  for (const name of names) {
    const t = (spec.tables as Record<string, TableSpec>)[name];
    for (const [c, kind] of Object.entries(t?.columns ?? {})) {
      if (!(kind in DTYPE)) {
        throw new ConfigError(
          `tables.${name}.columns.${c}`,
          '"str", "int", "float" or "bool"',
          kind,
        );
      }
    }
    for (const c of t.sort ?? []) {
      if (!(c in t.columns)) {
        throw new ConfigError(`tables.${name}.sort`, `columns of the table`, c);
      }
    }
  }
}

/** Declares a study: its job function and its tables (see the module doc). */
export function defineStudy<Job, T extends string>(spec: StudySpec<T>): Study<Job, T> {
  checkSpec(spec);
  const tables = spec.tables as Record<string, TableSpec>;
  const split = (df: pl.DataFrame): StudyFrames<T> => {
    const have = new Set(df.columns);
    if (df.height > 0 && !have.has("table")) {
      throw new ConfigError("rows", "records with a `table` field", df.columns);
    }
    if (have.has("table")) {
      for (const t of new Set(df.getColumn("table").toArray() as (string | null)[])) {
        if (t === null || !(t in tables)) {
          throw new ConfigError("rows[].table", `one of ${Object.keys(tables).join(", ")}`, t);
        }
      }
    }
    const out: Record<string, pl.DataFrame> = {};
    for (const [name, t] of Object.entries(tables)) {
      const part = have.has("table") ? df.filter(pl.col("table").eq(pl.lit(name))) : df.head(0);
      out[name] = tableFrame(name, t, part);
    }
    return out as StudyFrames<T>;
  };
  return {
    spec,
    split,
    fromRows: (rows) => split(merge([0], new Map([[0, rows]]))),
    async run(jobs, options = {}) {
      const total = shardIndices(jobs.length, options.shard).length;
      const bar = options.progress?.(total);
      const df = await sweep({
        module: spec.module,
        fn: spec.fn,
        jobs,
        workers: options.workers,
        shard: options.shard,
        onResult: (info) => {
          bar?.tick();
          options.onResult?.(info);
        },
      });
      bar?.done();
      return split(df);
    },
  };
}

/** One table from the rows of a merged frame that belong to it. */
function tableFrame(name: string, t: TableSpec, part: pl.DataFrame): pl.DataFrame {
  const declared = Object.keys(t.columns);
  const extra = part.columns.filter((c) =>
    c !== "job" && c !== "table" && !(c in t.columns) &&
    part.height > 0 && part.getColumn(c).nullCount() < part.height
  );
  if (extra.length > 0 && !t.open) {
    throw new ConfigError(`${name} rows`, `only the columns ${declared.join(", ")}`, extra);
  }
  const series = declared.map((c) => {
    const dtype = DTYPE[t.columns[c]];
    if (!part.columns.includes(c) || part.height === 0) {
      return pl.Series(c, new Array<null>(part.height).fill(null), dtype);
    }
    return part.getColumn(c).cast(dtype);
  });
  for (const c of extra) series.push(part.getColumn(c));
  const frame = pl.DataFrame(series);
  return t.sort && t.sort.length > 0 && frame.height > 0 ? stableSort(frame, t.sort) : frame;
}

/** Sorts by `by` keeping the current order within equal keys. */
function stableSort(df: pl.DataFrame, by: readonly string[]): pl.DataFrame {
  const order = pl.Series("__row", Int32Array.from({ length: df.height }, (_, i) => i));
  return df.withColumn(order).sort([...by, "__row"]).drop("__row");
}
