import assert from "node:assert/strict";
import { join } from "node:path";
import {
  defineStudy,
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
  await assert.rejects(() => sweep({ module, fn: "dummy", jobs, workers: -1 }), ConfigError);
  await assert.rejects(
    () => sweep({ module, fn: "broken", jobs: jobs.slice(0, 2), workers: 0 }),
    /job 0 \{"seed":100,"n":\d+\} failed:[\s\S]*broken job with seed/,
  );
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
  assert.throws(() => shardPath("../g", { dir: "/x" }), ConfigError);
  assert.throws(() => shardPath("g", { dir: "" }), /dir: must be a folder path/);
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

const study = defineStudy<typeof jobs[number], "runs" | "steps">({
  module,
  fn: "studyRows",
  tables: {
    runs: { columns: { seed: "int", mean: "float", last: "float" } },
    steps: { columns: { seed: "int", step: "int", x: "float" }, sort: ["step"] },
  },
});

Deno.test("study: 0 (in-thread), 1 and 2 workers give byte-identical tables", async () => {
  const ticks: number[] = [];
  const [zero, one, two] = [
    await study.run(jobs, { workers: 0 }),
    await study.run(jobs, { workers: 1 }),
    await study.run(jobs, {
      workers: 2,
      progress: (total) => ({ tick: () => ticks.push(total), done: () => ticks.push(-1) }),
    }),
  ];
  for (const t of ["runs", "steps"] as const) {
    assert.deepEqual(bytes(one[t]), bytes(zero[t]), t);
    assert.deepEqual(bytes(two[t]), bytes(zero[t]), t);
  }
  assert.deepEqual(ticks, [...jobs.map(() => jobs.length), -1]);
  assert.deepEqual(zero.runs.columns, ["seed", "mean", "last"]);
  assert.deepEqual(zero.runs.getColumn("seed").toArray(), jobs.map((j) => j.seed));
  assert.deepEqual(zero.steps.dtypes.map((d) => d.variant), ["Int32", "Int32", "Float64"]);
  // Sorted by step, job order within a step.
  const first = zero.steps.head(jobs.length).getColumn("seed").toArray();
  assert.deepEqual(first, jobs.map((j) => j.seed));
  // A shard's tables are the whole study's rows of its jobs; the merged shards split the same.
  const shard = await study.run(jobs, { workers: 0, shard: { index: 1, count: 3 } });
  assert.deepEqual(shard.runs.getColumn("seed").toArray(), [101, 104]);
  const merged = await sweep({ module, fn: "studyRows", jobs, workers: 2 });
  assert.deepEqual(bytes(study.split(merged).steps), bytes(zero.steps));
});

Deno.test("study: declared columns only, null where unset; bad tables and kinds are errors", () => {
  const f = study.fromRows([{ table: "runs", seed: 1, mean: 0.5 }]);
  assert.equal(f.runs.height, 1);
  assert.equal(f.runs.getColumn("last").get(0), null);
  assert.equal(f.steps.height, 0);
  assert.deepEqual(f.steps.columns, ["seed", "step", "x"]);
  assert.throws(
    () => study.fromRows([{ table: "run", seed: 1 }]),
    /rows\[\]\.table: must be one of runs, steps, got "run"/,
  );
  assert.throws(
    () => study.fromRows([{ table: "runs", seed: 1, mena: 2 }]),
    /runs rows: must be only the columns seed, mean, last, got \["mena"\]/,
  );
  const open = defineStudy({
    module,
    fn: "x",
    tables: { t: { columns: { a: "int" }, open: true } },
  });
  assert.deepEqual(open.fromRows([{ table: "t", a: 1, b: "x" }]).t.columns, ["a", "b"]);
  assert.throws(
    () => defineStudy({ module, fn: "x", tables: { t: { columns: { a: "integer" as "int" } } } }),
    /tables\.t\.columns\.a/,
  );
  assert.throws(() => defineStudy({ module, fn: "", tables: {} }), /fn: must be/);
});
