import assert from "node:assert/strict";
import { join } from "node:path";
import {
  merge,
  parseShard,
  readShards,
  saveSweep,
  shardIndices,
  shardPath,
  sweep,
} from "../lib/sweep/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { PROJECT_ROOT } from "../lib/report/io.ts";

const module = new URL("./fixtures/sweep_dummy.ts", import.meta.url);
// Uneven job sizes, so with 2 workers jobs finish out of order.
const jobs = Array.from({ length: 7 }, (_, i) => ({ seed: 100 + i, n: i % 2 ? 3000 : 200 }));

function bytes(df: { writeParquet(): Uint8Array }): Uint8Array {
  return new Uint8Array(df.writeParquet());
}

Deno.test("sweep: 1 and 2 workers give byte-identical Parquet, rows in job order", async () => {
  const completion: number[] = [];
  const one = await sweep({ module, fn: "dummy", jobs, workers: 1 });
  const two = await sweep({
    module,
    fn: "dummy",
    jobs,
    workers: 2,
    onResult: ({ index }) => completion.push(index),
  });
  assert.deepEqual(bytes(one), bytes(two));
  assert.deepEqual(one.columns, ["job", "step", "x"]);
  assert.deepEqual(one.dtypes.map((d) => d.variant), ["Int32", "Int32", "Float64"]);
  assert.equal(one.height, jobs.reduce((s, j) => s + j.n, 0));
  const jobCol = one.getColumn("job").toArray() as number[];
  assert.deepEqual([...new Set(jobCol)], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...completion].sort(), [0, 1, 2, 3, 4, 5, 6]);
  // Job 3's rows are job 3's random walk: same first value as running it directly.
  const { dummy } = await import(module.href);
  const direct = dummy(jobs[3]);
  const first3 = jobCol.indexOf(3);
  assert.equal(one.getColumn("x").get(first3), direct.x[0]);
});

Deno.test("sweep: record rows are typed from all jobs and merged in job order", async () => {
  const df = await sweep({ module, fn: "summaryRows", jobs, workers: 2 });
  assert.deepEqual(df.columns, ["job", "seed", "mean", "label"]);
  assert.deepEqual(df.getColumn("label").toArray(), jobs.map((j) => `s${j.seed}`));
  assert.deepEqual(df.dtypes.map((d) => d.variant), ["Int32", "Float64", "Float64", "String"]);
});

Deno.test("sweep: shards cover the jobs once and read back equal to the whole sweep", async () => {
  const dir = Deno.makeTempDirSync();
  const whole = await sweep({ module, fn: "dummy", jobs, workers: 2 });
  for (const index of [1, 0, 2]) {
    const shard = { index, count: 3 };
    const part = await sweep({ module, fn: "dummy", jobs, workers: 2, shard });
    assert.deepEqual(
      [...new Set(part.getColumn("job").toArray())],
      shardIndices(jobs.length, shard),
    );
    saveSweep("grid", part, { shard, dir });
  }
  assert.ok(Deno.statSync(join(dir, "grid.shard-2-of-3.parquet")).isFile);
  const back = readShards("grid", { dir });
  assert.deepEqual(bytes(back), bytes(whole));
  Deno.removeSync(join(dir, "grid.shard-1-of-3.parquet"));
  assert.throws(() => readShards("grid", { dir }), /missing.*1/);
  saveSweep("grid", whole, { shard: { index: 1, count: 4 }, dir });
  assert.throws(() => readShards("grid", { dir }), /one shard count/);
});

Deno.test("sweep: an experiment error names the job; bad options are ConfigErrors", async () => {
  await assert.rejects(
    () => sweep({ module, fn: "broken", jobs: jobs.slice(0, 2), workers: 2 }),
    /job [01] \{"seed":10[01],"n":\d+\} failed:[\s\S]*broken job with seed/,
  );
  await assert.rejects(() => sweep({ module, fn: "nope", jobs, workers: 1 }), /no exported/);
  await assert.rejects(() => sweep({ module, fn: "dummy", jobs, workers: 0 }), ConfigError);
  await assert.rejects(
    () => sweep({ module, fn: "dummy", jobs: [{ big: 1n }] }),
    /jobs\[0\]: must be a JSON-serialisable value/,
  );
});

Deno.test("sweep: no jobs gives an empty frame; merge checks shapes", async () => {
  const empty = await sweep({ module, fn: "dummy", jobs: [], workers: 2 });
  assert.equal(empty.height, 0);
  assert.deepEqual(empty.columns, ["job"]);
  assert.throws(
    () => merge([0, 1], new Map<number, unknown>([[0, [{ a: 1 }]], [1, { a: [1] }]])),
    /every job must return rows/,
  );
  assert.throws(
    () => merge([0, 1], new Map<number, unknown>([[0, [{ a: 1 }]], [1, [{ a: "x" }]]])),
    /rows\.a: must be one type on every row/,
  );
});

Deno.test("shards: parsing, indices and file names", () => {
  assert.deepEqual(parseShard("2/5"), { index: 2, count: 5 });
  assert.throws(() => parseShard("5/5"), /shard\.index: must be an integer in \[0, 4\]/);
  assert.throws(() => parseShard("1-5"), ConfigError);
  assert.deepEqual(shardIndices(10, { index: 2, count: 4 }), [2, 6]);
  assert.deepEqual(shardIndices(3), [0, 1, 2]);
  assert.equal(
    shardPath("g", { shard: { index: 0, count: 2 }, dir: "/x" }),
    "/x/g.shard-0-of-2.parquet",
  );
  assert.throws(() => shardPath("../g"), ConfigError);
});

Deno.test("scripts/sweep.ts: shards from JOB_COMPLETION_INDEX, then --merge", async () => {
  const out = Deno.makeTempDirSync();
  const jobsFile = join(out, "jobs.json");
  Deno.writeTextFileSync(jobsFile, JSON.stringify(jobs));
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-sys",
        "--allow-ffi",
        "scripts/sweep.ts",
        ...args,
      ],
      cwd: PROJECT_ROOT,
      env: { REPORT_OUT_DIR: out, ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const common = ["--module", "tests/fixtures/sweep_dummy.ts", "--fn", "dummy", "--jobs", jobsFile];
  for (const i of ["0", "1"]) {
    const r = await run([...common, "--name", "k8s", "--workers", "1"], {
      JOB_COMPLETION_INDEX: i,
      SHARD_COUNT: "2",
    });
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  }
  const m = await run(["--merge", "k8s"]);
  assert.equal(m.code, 0, new TextDecoder().decode(m.stderr));
  const merged = Deno.readFileSync(join(out, "data", "k8s.parquet"));
  const whole = await sweep({ module, fn: "dummy", jobs, workers: 2 });
  assert.deepEqual(merged, bytes(whole));
});
