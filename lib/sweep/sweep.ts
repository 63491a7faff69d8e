/**
 * Parallel parameter sweeps on Web Workers.
 *
 * A sweep is a list of jobs (plain JSON configs such as `{seed, params}`) and an experiment: a
 * function exported by a module, `(job) => rows`. Each worker imports the module once and runs
 * the jobs it is handed, one at a time (a free worker takes the next job, so uneven jobs balance
 * out). Results are merged in job order, never in completion order, so the frame is identical
 * whatever the number of workers. The merged frame starts with an Int32 `job` column (the job's
 * index in the full list) so that shards can be put back in order (`shards.ts`).
 *
 * An experiment returns either
 * - rows: an array of records (numbers → Float64, bigints → Int64, strings, booleans; use this
 *   for small per-job summaries), or
 * - columns: a record of typed arrays or plain arrays (as for `runFrame`; integer typed arrays
 *   keep their dtype; use this for per-step data).
 *
 * Workers inherit the caller's permissions. `lib/` code reads no clock: time a sweep in the
 * caller (see `bench/sweep_bench.ts`).
 *
 * @example
 * ```ts
 * import { sweep } from "./sweep.ts";
 * // Usually a file path or `new URL("./experiment.ts", import.meta.url)`.
 * const module = "data:text/javascript,export const twice = (j) => [{ x: 2 * j.seed }];";
 * const jobs = [{ seed: 1 }, { seed: 2 }, { seed: 3 }];
 * const df = await sweep({ module, fn: "twice", jobs, workers: 2 });
 * if (df.getColumn("x").toArray().join() !== "2,4,6") throw new Error("not in job order");
 * ```
 * @module
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import {
  checkInt,
  checkOptions,
  ConfigError,
  custom,
  fn,
  int,
  object,
  optional,
  str,
} from "../errors.ts";
import pl from "nodejs-polars";
import { type Column, runFrame } from "../io/frame.ts";
import type { FromWorker, ToWorker } from "./_worker.ts";

/** A job: a plain JSON value (it crosses to a worker, and to a Kubernetes pod via a file). */
export type Job = unknown;

/** What an experiment returns for one job (see the module doc). */
export type Rows = Record<string, unknown>[] | Record<string, Column>;

/** Which part of the job list this process runs: jobs whose index ≡ `index` (mod `count`). */
export interface Shard {
  /** This shard, in [0, count). */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** The experiment module: a URL, or a file path resolved against the working directory. */
  module: string | URL;
  /** Name of the experiment function the module exports. */
  fn: string;
  /** The jobs, in order. Each must survive `JSON.stringify` unchanged in meaning. */
  jobs: readonly Job[];
  /**
   * Number of workers. Default `navigator.hardwareConcurrency`; never more than the jobs run.
   * 0 runs the jobs in this thread, one after another (no start-up cost; the same frame).
   */
  workers?: number;
  /** Run only this shard of the jobs. Default: all jobs. */
  shard?: Shard;
  /** Called after each job finishes, in completion order (for a progress line). */
  onResult?: (info: { index: number; done: number; total: number }) => void;
}

const SHARD = { index: int(0, 999_999), count: int(1, 1_000_000) };

const SWEEP_OPTIONS = {
  module: custom("a module URL or file path", (v, path) => {
    if (!(v instanceof URL) && (typeof v !== "string" || v === "")) {
      throw new ConfigError(path, "a module URL or file path", v);
    }
    return v as string | URL;
  }),
  fn: str({ allowed: "a function name" }),
  jobs: custom("an array of JSON jobs", (v, path) => {
    if (!Array.isArray(v)) throw new ConfigError(path, "an array of JSON jobs", v);
    return v as readonly Job[];
  }),
  workers: optional(int(0, 1024)),
  shard: optional(object(SHARD)),
  onResult: optional(fn<NonNullable<SweepOptions["onResult"]>>()),
};

/** The indices of the jobs that shard `shard` runs, out of `total`. */
export function shardIndices(total: number, shard?: Shard): number[] {
  checkInt("total", total, 0, 2 ** 32 - 1);
  const out: number[] = [];
  if (!shard) {
    for (let i = 0; i < total; i++) out.push(i);
    return out;
  }
  checkShard(shard);
  for (let i = shard.index; i < total; i += shard.count) out.push(i);
  return out;
}

/** Throws `ConfigError` unless `shard` is `{index, count}` with 0 ≤ index < count. */
export function checkShard(shard: Shard): Shard {
  checkOptions(shard, SHARD, { path: "shard" });
  checkInt("shard.index", shard.index, 0, shard.count - 1);
  return shard;
}

function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m;
  return pathToFileURL(resolve(m)).href;
}

/** Runs the jobs (or one shard of them) on workers and returns the merged frame (module doc). */
export async function sweep(options: SweepOptions): Promise<pl.DataFrame> {
  checkOptions(options, SWEEP_OPTIONS, { owner: "sweep" });
  const { fn } = options;
  const module = moduleUrl(options.module);
  const jobs = options.jobs.map((j, i) => {
    try {
      return JSON.parse(JSON.stringify(j ?? null));
    } catch (e) {
      throw new ConfigError(`jobs[${i}]`, "a JSON-serialisable value", String(e));
    }
  });
  const indices = shardIndices(jobs.length, options.shard);
  const wanted = Math.min(1024, options.workers ?? navigator.hardwareConcurrency ?? 1);
  const nWorkers = Math.min(wanted, Math.max(1, indices.length));
  const results = new Map<number, unknown>();
  if (wanted === 0) {
    await runInThread({ module, fn, jobs, indices, results, onResult: options.onResult });
  } else if (indices.length > 0) {
    await runOnWorkers({
      module,
      fn,
      jobs,
      indices,
      nWorkers,
      results,
      onResult: options.onResult,
    });
  }
  return merge(indices, results);
}

/** Runs the jobs one after another in this thread (as a worker would, on a JSON copy). */
async function runInThread(
  s: Omit<RunState, "nWorkers">,
): Promise<void> {
  const mod = await import(s.module);
  const f = mod[s.fn];
  if (typeof f !== "function") {
    throw new Error(`sweep: ${s.module} has no exported function ${JSON.stringify(s.fn)}`);
  }
  let done = 0;
  for (const index of s.indices) {
    try {
      s.results.set(index, await f(s.jobs[index]));
    } catch (e) {
      const what = `job ${index} ${JSON.stringify(s.jobs[index])}`;
      throw new Error(`sweep: ${what} failed:\n${e instanceof Error ? e.stack : e}`, { cause: e });
    }
    s.onResult?.({ index, done: ++done, total: s.indices.length });
  }
}

interface RunState {
  module: string;
  fn: string;
  jobs: unknown[];
  indices: number[];
  nWorkers: number;
  results: Map<number, unknown>;
  onResult?: SweepOptions["onResult"];
}

function runOnWorkers(s: RunState): Promise<void> {
  const url = new URL("./_worker.ts", import.meta.url);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let settled = false;
  return new Promise<void>((resolvePromise, reject) => {
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) w.terminate();
      if (err) reject(err);
      else resolvePromise();
    };
    const feed = (w: Worker) => {
      if (next >= s.indices.length) return;
      const index = s.indices[next++];
      w.postMessage({ kind: "job", index, job: s.jobs[index] } satisfies ToWorker);
    };
    for (let k = 0; k < s.nWorkers; k++) {
      const w = new Worker(url, { type: "module" });
      workers.push(w);
      w.onerror = (e) => {
        e.preventDefault();
        finish(new Error(`sweep worker failed: ${e.message}`));
      };
      w.onmessage = (ev: MessageEvent<FromWorker>) => {
        const msg = ev.data;
        switch (msg.kind) {
          case "ready":
            feed(w);
            break;
          case "result":
            s.results.set(msg.index, msg.rows);
            done++;
            s.onResult?.({ index: msg.index, done, total: s.indices.length });
            if (done === s.indices.length) finish();
            else feed(w);
            break;
          case "error": {
            const what = msg.index < 0
              ? `loading ${s.module}#${s.fn}`
              : `job ${msg.index} ${JSON.stringify(s.jobs[msg.index])}`;
            finish(new Error(`sweep: ${what} failed:\n${msg.message}`));
            break;
          }
          default: {
            const never: never = msg;
            finish(new Error(`sweep: unknown message ${JSON.stringify(never)}`));
          }
        }
      };
      w.postMessage({ kind: "init", module: s.module, fn: s.fn } satisfies ToWorker);
    }
  });
}

/** Builds the frame for `indices` (job order) from the per-job results. */
export function merge(indices: readonly number[], results: Map<number, unknown>): pl.DataFrame {
  if (indices.length === 0) return pl.DataFrame([pl.Series("job", new Int32Array(0))]);
  const all = indices.map((i) => {
    if (!results.has(i)) throw new Error(`sweep: no result for job ${i}`);
    return results.get(i);
  });
  if (all.every((r) => Array.isArray(r))) {
    return mergeRecords(indices, all as Record<string, unknown>[][]);
  }
  if (all.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    const frames = indices.map((index, k) =>
      runFrame(all[k] as Record<string, Column>, { constants: { job: index } })
    );
    try {
      return pl.concat(frames, { how: "vertical" }).rechunk();
    } catch (e) {
      throw new Error(`sweep: jobs returned columns of different names or types: ${e}`);
    }
  }
  throw new Error("sweep: every job must return rows (an array) or columns (an object)");
}

function mergeRecords(indices: readonly number[], all: Record<string, unknown>[][]): pl.DataFrame {
  const keys: string[] = [];
  const seen = new Set<string>(["job"]);
  const jobCol: number[] = [];
  all.forEach((rows, k) => {
    for (const row of rows) {
      jobCol.push(indices[k]);
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
    }
  });
  const rows = all.flat();
  const series: pl.Series[] = [pl.Series("job", Int32Array.from(jobCol))];
  for (const key of keys) {
    const values = rows.map((r) => (r[key] === undefined ? null : r[key]));
    const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
    if (kinds.size > 1) {
      throw new ConfigError(`rows.${key}`, "one type on every row", [...kinds].join(" and "));
    }
    const kind = [...kinds][0] ?? "number";
    switch (kind) {
      case "number":
        series.push(pl.Series(key, values, pl.Float64));
        break;
      case "bigint":
        series.push(pl.Series(key, values, pl.Int64));
        break;
      case "string":
        series.push(pl.Series(key, values, pl.Utf8));
        break;
      case "boolean":
        series.push(pl.Series(key, values, pl.Bool));
        break;
      default:
        throw new ConfigError(`rows.${key}`, "numbers, bigints, strings or booleans", kind);
    }
  }
  return pl.DataFrame(series);
}
