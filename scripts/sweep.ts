/**
 * Command-line sweep runner: the entry point for one process or one Kubernetes pod.
 *
 *   deno run --allow-read --allow-write --allow-env --allow-sys --allow-ffi scripts/sweep.ts \
 *     --module lib/experiments/grid.ts --fn run --jobs jobs.json --name grid \
 *     [--shard i/n] [--workers k]
 *
 * writes `data/<name>.parquet`, or `data/<name>.shard-i-of-n.parquet` with `--shard`. Without
 * `--shard`, the shard is taken from `$JOB_COMPLETION_INDEX` (set by a Kubernetes Indexed Job)
 * when `$SHARD_COUNT` is set too.
 *
 *   deno run ... scripts/sweep.ts --merge grid
 *
 * reads all `data/grid.shard-*-of-n.parquet` and writes `data/grid.parquet` in job order.
 *
 * `--jobs` is a JSON file holding an array of jobs (`-` reads standard input).
 *
 * @module
 */
import { flagsOrExit, intFlag, parsedFlag } from "./_flags.ts";
import { parseShard, readShards, saveSweep, type Shard, sweep } from "../lib/sweep/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { dataPath } from "../lib/report/io.ts";

const USAGE = `usage: scripts/sweep.ts --module FILE --fn NAME --jobs FILE.json --name NAME
                      [--shard i/n] [--workers k]
       scripts/sweep.ts --merge NAME`;

const SHARD = 'of the form "i/n" with 0 <= i < n';

function shardFromEnv(): Shard | undefined {
  const index = Deno.env.get("JOB_COMPLETION_INDEX");
  const count = Deno.env.get("SHARD_COUNT");
  if (index === undefined || count === undefined) return undefined;
  return parsedFlag(
    "$JOB_COMPLETION_INDEX/$SHARD_COUNT",
    `${index}/${count}`,
    "two integers with 0 <= index < count",
    parseShard,
  );
}

async function main(): Promise<number> {
  const { values } = flagsOrExit(
    "scripts/sweep.ts",
    Deno.args,
    {
      module: { type: "string" },
      fn: { type: "string" },
      jobs: { type: "string" },
      name: { type: "string" },
      shard: { type: "string" },
      workers: { type: "string" },
      merge: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.merge) {
    const t0 = performance.now();
    const df = readShards(values.merge, { dir: dataPath("") });
    const path = saveSweep(values.merge, df, { dir: dataPath("") });
    console.log(`merged ${df.height} rows into ${path} (${elapsed(t0)})`);
    return 0;
  }
  if (!values.module || !values.fn || !values.jobs || !values.name) {
    console.error(USAGE);
    return 2;
  }
  const jobs = await readJobs(values.jobs);
  const shard = values.shard
    ? parsedFlag("--shard", values.shard, SHARD, parseShard)
    : shardFromEnv();
  const workers = values.workers === undefined
    ? undefined
    : intFlag("--workers", values.workers, 1, 1024);
  const t0 = performance.now();
  const label = shard ? `shard ${shard.index}/${shard.count} of ` : "";
  console.log(`sweep ${values.name}: ${label}${jobs.length} jobs`);
  const df = await sweep({
    module: values.module,
    fn: values.fn,
    jobs,
    workers,
    shard,
    onResult: ({ done, total }) => {
      if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) {
        console.log(`  ${done}/${total} jobs (${elapsed(t0)})`);
      }
    },
  });
  const path = saveSweep(values.name, df, { shard, dir: dataPath("") });
  console.log(`wrote ${df.height} rows to ${path} (${elapsed(t0)})`);
  return 0;
}

/** The jobs of `--jobs FILE` (`-`: stdin), an array; a missing file or bad JSON names the flag. */
async function readJobs(file: string): Promise<unknown[]> {
  const allowed = "a file holding a JSON array of jobs (- for stdin)";
  let jobs: unknown;
  try {
    const text = file === "-"
      ? await new Response(Deno.stdin.readable).text()
      : Deno.readTextFileSync(file);
    jobs = JSON.parse(text);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof SyntaxError) {
      throw new ConfigError("--jobs", allowed, `${file} (${(e as Error).message})`);
    }
    throw e;
  }
  if (!Array.isArray(jobs)) throw new ConfigError("--jobs", allowed, `${file} (${typeof jobs})`);
  return jobs;
}

function elapsed(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    // Bad input: the message (it names the flag), not a stack trace.
    if (!(e instanceof ConfigError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    Deno.exit(2);
  }
}
