/**
 * `deno task study:<name>`: runs a long study of the registry (`lib/experiments/committed.ts`) on
 * Web Workers and commits its tables with the configuration hash they were made from.
 *
 * ```sh
 * deno task study:convergence            # the full study into data/studies/convergence/
 * deno task study:convergence --quick    # tiny budgets, into a new folder under /tmp (printed)
 * deno task study:convergence --check    # do the committed tables match the code's configuration?
 * deno task study:robustness             # the robustness study into data/studies/robustness/
 * ```
 *
 * Options: `--out DIR` (output folder; default the entry's folder under `data/`, or a temporary
 * folder with `--quick`), `--workers N` (default: the number of cores). The full study's wall time
 * is estimated in `lib/experiments/convergence/jobs.ts`.
 *
 * @module
 */
import { flagsOrExit, intFlag } from "./_flags.ts";
import { join } from "node:path";
import { COMMITTED_OUTPUTS } from "../lib/experiments/committed.ts";
import { progress } from "../lib/report/progress.ts";

const USAGE = "usage: deno task study:<name> [--quick] [--check] [--out DIR] [--workers N]";

async function main(): Promise<number> {
  const { values, positionals } = flagsOrExit(
    "study",
    Deno.args,
    {
      quick: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      out: { type: "string" },
      workers: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
    true,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const studies = COMMITTED_OUTPUTS.filter((o) => o.run !== undefined);
  const entry = studies.find((o) => o.name === positionals[0]);
  if (entry === undefined || positionals.length !== 1) {
    console.error(
      `study: name one study (${studies.map((s) => s.name).join(", ")}), got ${
        positionals.join(" ") || "none"
      }\n${USAGE}`,
    );
    return 2;
  }
  const root = new URL("..", import.meta.url).pathname;
  const dir = values.out ??
    (values.quick
      ? await Deno.makeTempDir({ prefix: `study-${entry.name}-quick-` })
      : join(root, entry.dir));
  if (values.check) {
    const r = await entry.check(dir);
    for (const p of r.problems) console.error(`  ${p}`);
    console.log(
      r.ok
        ? `study:${entry.name} --check: ${dir} matches the code's configuration`
        : `study:${entry.name} --check: ${r.problems.length} problem(s)`,
    );
    return r.ok ? 0 : 1;
  }
  let workers: number | undefined;
  try {
    workers = values.workers === undefined
      ? undefined
      : intFlag("--workers", values.workers, 1, 1024);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  console.log(`study:${entry.name}${values.quick ? " --quick" : ""} into ${dir}`);
  const t0 = performance.now();
  const m = await entry.run!({
    quick: values.quick,
    dir,
    workers,
    progress: (n) => progress(`study:${entry.name} jobs`, n),
    clock: () => performance.now(),
  });
  const minutes = (performance.now() - t0) / 60_000;
  console.log(
    `study:${entry.name}: ${m.files.map((f) => `${f.table} ${f.rows} rows`).join(", ")}; hash ${
      m.configHash.slice(0, 12)
    }… in ${dir} (${minutes.toFixed(1)} min)`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
