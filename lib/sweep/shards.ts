/**
 * Sweep results on disk: `<dir>/<name>.parquet` for a whole sweep, or
 * `<dir>/<name>.shard-<i>-of-<n>.parquet` for shard i of n (one Kubernetes Indexed Job pod each,
 * see `docs/kubernetes.md`), and reading the shards back as one frame in job order. The folder is
 * the caller's (`scripts/sweep.ts` passes the project's `data/`).
 *
 * @example
 * ```ts
 * import { parseShard, shardPath } from "./shards.ts";
 * const s = parseShard("1/4");
 * if (shardPath("grid", { shard: s, dir: "/d" }) !== "/d/grid.shard-1-of-4.parquet") {
 *   throw new Error("unexpected shard path");
 * }
 * ```
 * @module
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import { checkOptions, ConfigError, custom, optional } from "../errors.ts";
import { readParquetSync, writeParquetAtomicSync } from "../io/parquet.ts";
import { checkShard, type Shard } from "./sweep.ts";

/** Options naming where a sweep's files live. */
export interface SweepFileOptions {
  /** The shard this file holds; omit for a whole sweep. */
  shard?: Shard;
  /** The folder. */
  dir: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkName(name: string): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new ConfigError("name", "letters, digits, '_', '-' or '.', not starting with one", name);
  }
  return name;
}

const SWEEP_FILE_OPTIONS = {
  shard: optional(custom("a shard {index, count}", (v) => checkShard(v as Shard))),
  dir: custom("a folder path", (v) => checkDir(v)),
};

/** Parses `"i/n"` (as given to `--shard`) into a {@link Shard}. */
export function parseShard(text: string): Shard {
  if (typeof text !== "string") throw new ConfigError("shard", 'a string "i/n"', text);
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ConfigError("shard", 'of the form "i/n" with 0 <= i < n', text);
  return checkShard({ index: Number(m[1]), count: Number(m[2]) });
}

/** The file for `name` (and `options.shard`, if any). */
export function shardPath(name: string, options: SweepFileOptions): string {
  checkName(name);
  checkOptions(options, SWEEP_FILE_OPTIONS, { owner: "shardPath" });
  const file = options.shard
    ? `${name}.shard-${checkShard(options.shard).index}-of-${options.shard.count}.parquet`
    : `${name}.parquet`;
  return join(checkDir(options?.dir), file);
}

function checkDir(dir: unknown): string {
  if (typeof dir !== "string" || dir === "") throw new ConfigError("dir", "a folder path", dir);
  return dir;
}

/** Writes `frame` as Parquet to {@link shardPath} atomically and returns the path. */
export function saveSweep(name: string, frame: pl.DataFrame, options: SweepFileOptions): string {
  const path = shardPath(name, options);
  writeParquetAtomicSync(frame, path);
  return path;
}

/**
 * Reads every `<name>.shard-i-of-n.parquet` in the folder and returns them as one frame in job
 * order (by the `job` column, rows within a job in their original order). Throws if the shards
 * disagree on n or any is missing.
 */
export function readShards(name: string, options: { dir: string }): pl.DataFrame {
  checkName(name);
  checkOptions(options, { dir: SWEEP_FILE_OPTIONS.dir }, { owner: "readShards" });
  const dir = checkDir(options.dir);
  const re = new RegExp(`^${name.replace(/\./g, "\\.")}\\.shard-(\\d+)-of-(\\d+)\\.parquet$`);
  const found = new Map<number, string>();
  const counts = new Set<number>();
  for (const e of Deno.readDirSync(dir)) {
    const m = re.exec(e.name);
    if (!m || !e.isFile) continue;
    found.set(Number(m[1]), join(dir, e.name));
    counts.add(Number(m[2]));
  }
  if (counts.size !== 1) {
    throw new ConfigError(
      `${name} shards in ${dir}`,
      "files of one shard count",
      counts.size === 0 ? "none" : [...counts].sort((a, b) => a - b).join(", "),
    );
  }
  const n = [...counts][0];
  const missing = [];
  for (let i = 0; i < n; i++) if (!found.has(i)) missing.push(i);
  if (missing.length) {
    throw new ConfigError(`${name} shards in ${dir}`, `all of 0..${n - 1}`, { missing });
  }
  const frames = [];
  for (let i = 0; i < n; i++) frames.push(readParquetSync(found.get(i)!));
  const all = pl.concat(frames, { how: "vertical" });
  const order = pl.Series("__row", Int32Array.from({ length: all.height }, (_, i) => i));
  return all.withColumn(order).sort(["job", "__row"]).drop("__row").rechunk();
}
