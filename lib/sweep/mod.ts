/**
 * Parallel sweeps: run a list of JSON jobs through an experiment function on Web Workers, merge
 * the rows in job order (identical for any worker count), shard a sweep across processes or
 * Kubernetes pods and read the shards back (`docs/kubernetes.md`).
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
