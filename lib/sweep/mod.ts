/**
 * Parallel sweeps and the study scaffold: run a list of JSON jobs through an experiment function
 * on Web Workers (or in this thread), merge the rows in job order (identical for any worker
 * count), split them into a study's declared tables (`study.ts`), shard a sweep across processes
 * or Kubernetes pods and read the shards back (`docs/kubernetes.md`); commit a long study's tables
 * with the configuration hash they were made from and check them (`committed.ts`).
 *
 * ## Inputs
 * `sweep`'s options (`module` a URL or path, `fn` a name, `jobs` an array of JSON values,
 * `workers` in [1, 1024], `shard` `{index, count}` with 0 ≤ index < count, `onResult` a function)
 * and the file helpers' options (`{shard, dir}`) are checked by schemas: unknown keys rejected
 * with a suggestion, paths in the messages (`shard.index`).
 *
 * @example
 * ```ts
 * import { parseShard, shardIndices } from "./mod.ts";
 * if (shardIndices(7, parseShard("1/3")).join() !== "1,4") throw new Error("bad shard");
 * ```
 * @module
 */
export * from "./sweep.ts";
export * from "./shards.ts";
export * from "./study.ts";
export * from "./committed.ts";
