/**
 * The project's one entry to nodejs-polars: `deno.json` maps the bare specifier `nodejs-polars`
 * here, so every `import pl from "nodejs-polars"` (in `lib/`, tests, workers and notebooks) goes
 * through this module.
 *
 * It pins Polars to one thread (`POLARS_MAX_THREADS=1`, unless the variable is already set)
 * before Polars first starts its thread pool. With several threads, a group-by on a large frame
 * sums each group's floats in an order that varies from run to run, so means differ in the last
 * bits and the same seed would not give byte-identical Parquet files (measured: 2 distinct results
 * in 300 repetitions of one group-by over 200,000 rows; 1 with one thread). The frames here are
 * small, so one thread costs little. Without `--allow-env` the variable cannot be set and Polars
 * keeps its default.
 *
 * @module
 */
// The import map sends the bare specifier here, so this module must name the package itself.
// deno-lint-ignore no-import-prefix
import pl from "npm:nodejs-polars@0.25.2";

try {
  if (Deno.env.get("POLARS_MAX_THREADS") === undefined) Deno.env.set("POLARS_MAX_THREADS", "1");
} catch {
  // no env permission: Polars keeps its default thread count
}

export default pl;
