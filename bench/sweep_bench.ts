/**
 * Speed-up of a sweep on 2 workers over 1, on a CPU-bound dummy experiment
 * (`tests/fixtures/sweep_dummy.ts`), and a check that both give byte-identical Parquet. Each
 * configuration runs `repeats` times, interleaved; the best time of each is compared (other
 * processes on a shared machine only ever add time).
 *
 *   deno run --allow-read --allow-env --allow-sys --allow-ffi bench/sweep_bench.ts [jobs] [n] [repeats]
 *
 * @module
 */
import { sweep } from "../lib/sweep/mod.ts";

const nJobs = Number(Deno.args[0] ?? 8);
const n = Number(Deno.args[1] ?? 800_000);
const repeats = Number(Deno.args[2] ?? 3);
const module = new URL("../tests/fixtures/sweep_dummy.ts", import.meta.url);
const jobs = Array.from({ length: nJobs }, (_, i) => ({ seed: i, n, work: 20 }));

async function timed(workers: number) {
  const t0 = performance.now();
  const df = await sweep({ module, fn: "dummy", jobs, workers });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bytes: new Uint8Array(df.writeParquet()) };
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

await timed(2); // warm-up: module compilation and caches
const times: Record<number, number[]> = { 1: [], 2: [] };
let reference: Uint8Array | undefined;
let identical = true;
for (let r = 0; r < repeats; r++) {
  for (const workers of [1, 2]) {
    const t = await timed(workers);
    times[workers].push(t.seconds);
    reference ??= t.bytes;
    identical &&= same(reference, t.bytes);
  }
}
const best = (w: number) => Math.min(...times[w]);
const list = (w: number) => times[w].map((s) => s.toFixed(2)).join(", ");
console.log(`cores: ${navigator.hardwareConcurrency}, load: ${Deno.loadavg()[0].toFixed(2)}`);
console.log(`jobs: ${nJobs} x ${n} steps, ${repeats} runs each`);
console.log(`1 worker:  best ${best(1).toFixed(2)} s (${list(1)})`);
console.log(`2 workers: best ${best(2).toFixed(2)} s (${list(2)})`);
console.log(`speed-up:  ${(best(1) / best(2)).toFixed(2)}x`);
console.log(`identical Parquet across all runs: ${identical}`);
if (!identical) Deno.exit(1);
