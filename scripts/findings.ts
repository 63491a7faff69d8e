/**
 * `deno task findings [--dir DIR]`: prints the headline findings of the committed study outputs
 * (`data/robustness/*.parquet`; nothing is re-run) as one `key: value` line each, with the
 * configuration hash they were made from. The keys are documented in the README; the notebooks'
 * prose reads the same functions (`lib/experiments/robustness/findings.ts`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readParquet } from "../lib/io/mod.ts";
import type pl from "nodejs-polars";
import {
  ROBUSTNESS_COMMAND,
  robustnessConfig,
  robustnessFindings,
  robustnessHash,
} from "../lib/experiments/robustness/mod.ts";

const { values } = parseArgs({ args: Deno.args, options: { dir: { type: "string" } } });
const dir = values.dir ?? "data/robustness";
const manifestPath = join(dir, "manifest.json");
if (!existsSync(manifestPath)) {
  console.error(`${manifestPath} is missing: run \`${ROBUSTNESS_COMMAND}\` first.`);
  Deno.exit(1);
}
const manifest = JSON.parse(Deno.readTextFileSync(manifestPath));
const t: Record<string, pl.DataFrame> = {};
for (const file of Object.keys(manifest.files)) {
  t[file.replace(/\.parquet$/, "")] = await readParquet(join(dir, file));
}
const current = robustnessHash(robustnessConfig(false));
console.log(
  `study: robustness (${dir}, made by \`${manifest.command}\` in ${manifest.minutes} min)`,
);
console.log(
  `config_hash: ${manifest.hash}${
    manifest.hash === current ? " (the code's configuration)" : ` (STALE: the code's is ${current})`
  }`,
);
for (const f of robustnessFindings(t)) console.log(`${f.key}: ${f.value}`);
