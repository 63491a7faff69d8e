/**
 * `deno task findings [--dir DIR]`: prints the headline findings of the committed study outputs
 * (`data/robustness/*.parquet`; nothing is re-run) as one `key: value` line each, with the
 * configuration hash they were made from. The keys are documented in the README; the notebooks'
 * prose reads the same functions (`lib/experiments/robustness/findings.ts`).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { flagsOrExit } from "./_flags.ts";
import { readParquet } from "../lib/io/mod.ts";
import { PROJECT_ROOT } from "../lib/report/io.ts";
import {
  loadRobustness,
  robustnessConfig,
  robustnessFindings,
  robustnessHash,
} from "../lib/experiments/robustness/mod.ts";

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
const { manifest, tables, stale, dir } = loaded;
console.log(
  `study: robustness (${dir}, made by \`${manifest.command}\` in ${manifest.minutes} min${
    manifest.complete === false ? `; INCOMPLETE: only ${manifest.parts.join(", ")}` : ""
  })`,
);
console.log(
  `config_hash: ${manifest.hash}${
    stale ? ` (STALE: the code's configuration is ${robustnessHash(robustnessConfig())})` : ""
  }`,
);
// Notebook 06's fixed head to head in every market, when its data is committed.
const markets = join(PROJECT_ROOT, "data", "06_fixed_markets.parquet");
if (existsSync(markets)) tables.fixed_markets = await readParquet(markets);
for (const f of robustnessFindings(tables)) console.log(`${f.key}: ${f.value}`);
