/**
 * `deno task findings [--dir DIR]`: prints the headline findings of the committed study outputs
 * (`data/studies/robustness/*.parquet`, checked against the code's configuration hash; notebook
 * 04 §1's `data/04_runs.parquet`; the convergence study's runs; nothing is re-run) as one
 * `key: value` line each, with the configuration hash they were made from. The keys are documented in the README; the notebooks'
 * prose reads the same functions (`lib/experiments/robustness/findings.ts`).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { flagsOrExit } from "./_flags.ts";
import { readParquet } from "../lib/io/mod.ts";
import { PROJECT_ROOT } from "../lib/report/io.ts";
import { loadRobustness, robustnessFindings } from "../lib/experiments/robustness/mod.ts";
import { loadConvergence } from "../lib/experiments/convergence/mod.ts";

const { values } = flagsOrExit(
  "findings",
  Deno.args,
  { dir: { type: "string" } },
  "usage: deno task findings [--dir DIR]",
);
let loaded;
try {
  loaded = await loadRobustness(values.dir);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  Deno.exit(1);
}
const { manifest, tables, dir } = loaded;
console.log(
  `study: robustness (${dir}, made by \`${manifest.command}\`${
    manifest.minutes === undefined ? "" : ` in ${manifest.minutes} min`
  })`,
);
console.log(`config_hash: ${manifest.configHash}`);
// Notebook 06's fixed head to head in every market and notebook 04 §1's runs (the taker's cost
// for n = 0 … 10), when their data is committed; the convergence study's runs (checked).
const optional = { fixed_markets: "06_fixed_markets", competition_runs: "04_runs" };
for (const [table, file] of Object.entries(optional)) {
  const path = join(PROJECT_ROOT, "data", `${file}.parquet`);
  if (existsSync(path)) tables[table] = await readParquet(path);
}
try {
  tables.convergence_runs = (await loadConvergence()).runs;
} catch (e) {
  console.log(`convergence_rate: unavailable (${(e as Error).message})`);
}
for (const f of robustnessFindings(tables)) console.log(`${f.key}: ${f.value}`);
