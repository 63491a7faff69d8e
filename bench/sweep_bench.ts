/**
 * Speed-up of a sweep on 2 workers over 1, on a CPU-bound dummy experiment
 * (`tests/fixtures/sweep_dummy.ts`), and a check that both give byte-identical Parquet.
 *
 *   deno run --allow-read --allow-env --allow-sys --allow-ffi bench/sweep_bench.ts [jobs] [n]
 *
 * @module
 */
import { sweep } from "../lib/sweep/mod.ts";

const nJobs = Number(Deno.args[0] ?? 8);
const n = Number(Deno.args[1] ?? 200_000);
const module = new URL("../tests/fixtures/sweep_dummy.ts", import.meta.url);
const jobs = Array.from({ length: nJobs }, (_, i) => ({ seed: i, n, work: 20 }));

async function timed(workers: number) {
  const t0 = performance.now();
  const df = await sweep({ module, fn: "dummy", jobs, workers });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bytes: new Uint8Array(df.writeParquet()) };
}

await timed(2); // warm-up: module compilation and caches
const one = await timed(1);
const two = await timed(2);
const same = one.bytes.length === two.bytes.length && one.bytes.every((b, i) => b === two.bytes[i]);
console.log(`cores: ${navigator.hardwareConcurrency}, jobs: ${nJobs} x ${n} steps`);
console.log(`1 worker:  ${one.seconds.toFixed(2)} s`);
console.log(`2 workers: ${two.seconds.toFixed(2)} s`);
console.log(`speed-up:  ${(one.seconds / two.seconds).toFixed(2)}x`);
console.log(`identical Parquet: ${same}`);
if (!same) Deno.exit(1);
