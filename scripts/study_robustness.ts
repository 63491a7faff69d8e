/**
 * `deno task study:robustness [--quick] [--out DIR] [--workers N] [--parts best,learn,orders]`:
 * runs the robustness study (`lib/experiments/robustness`) and writes its tables to `DIR`
 * (default `data/robustness`, the committed outputs; `--quick`: a small configuration into
 * `.out/robustness`) as `<table>.parquet`, then `manifest.json` with the configuration, its hash,
 * the command, and each file's rows and SHA-256. Each part's tables are written when it is done,
 * with the manifest (`parts` done so far, `complete` once all are), so an interrupted run keeps
 * what it finished and says so.
 *
 * @module
 */
import { flagsOrExit, intFlag } from "./_flags.ts";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomicSync, writeParquetAtomic } from "../lib/io/mod.ts";
import {
  ROBUSTNESS_COMMAND,
  ROBUSTNESS_VERSION,
  robustnessConfig,
  robustnessHash,
  runRobustness,
} from "../lib/experiments/robustness/mod.ts";
import { progress } from "../lib/report/mod.ts";

const USAGE =
  "usage: deno task study:robustness [--quick] [--out DIR] [--workers N] [--parts best,learn,orders]";
const { values } = flagsOrExit("study:robustness", Deno.args, {
  quick: { type: "boolean", default: false },
  out: { type: "string" },
  workers: { type: "string" },
  parts: { type: "string" },
}, USAGE);
const PARTS = ["best", "learn", "orders"];
const parts = values.parts?.split(",");
const bad = parts?.find((p) => !PARTS.includes(p));
if (bad !== undefined) {
  console.error(
    `--parts: must be a comma-separated list of ${PARTS.join(", ")}, got "${bad}"\n${USAGE}`,
  );
  Deno.exit(2);
}
let workers = navigator.hardwareConcurrency;
try {
  if (values.workers !== undefined) workers = intFlag("--workers", values.workers, 0, 1024);
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  Deno.exit(2);
}
const config = robustnessConfig(values.quick);
const dir = values.out ?? (values.quick ? ".out/robustness" : "data/robustness");
Deno.mkdirSync(dir, { recursive: true });
const files: Record<string, { rows: number; sha256: string }> = {};
const t0 = performance.now();
const done: string[] = [];
const writeManifest = (complete: boolean) =>
  writeFileAtomicSync(
    join(dir, "manifest.json"),
    JSON.stringify(
      {
        name: "robustness",
        version: ROBUSTNESS_VERSION,
        hash: robustnessHash(config),
        command: ROBUSTNESS_COMMAND + (values.quick ? " --quick" : ""),
        config,
        complete,
        parts: done,
        minutes: Number(((performance.now() - t0) / 60_000).toFixed(1)),
        files,
      },
      null,
      2,
    ) + "\n",
  );
await runRobustness({
  config,
  workers,
  parts,
  progress: (n) => progress("robustness jobs", n),
  onPart: async (part, tables) => {
    for (const [name, df] of Object.entries(tables)) {
      const file = join(dir, `${name}.parquet`);
      await writeParquetAtomic(df, file);
      files[`${name}.parquet`] = {
        rows: df.height,
        sha256: createHash("sha256").update(Deno.readFileSync(file)).digest("hex"),
      };
    }
    done.push(part);
    writeManifest(false);
    console.log(`${part}: done after ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
  },
});
writeManifest(true);
