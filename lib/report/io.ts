/**
 * Atomic file writes and the project's output folders.
 *
 * Everything a notebook or script writes (`data/`, `figures/`) goes under one output root:
 *
 * - the folder named by the `REPORT_OUT_DIR` environment variable when it is set (the test suite
 *   and `deno task reproduce --quick` set a scratch folder; `deno task reproduce` sets the
 *   project root, which writes the committed results);
 * - otherwise, in a Jupyter kernel, `.out/` in the project root (ignored by git), so that running
 *   cells interactively, quick or not, never overwrites the committed `data/` and `figures/`;
 * - otherwise (scripts, tests) the project root.
 *
 * Paths are resolved from this module's location, not the working directory, so the same call
 * works from a notebook (whose working directory is `notebooks/`), a script or a test.
 *
 * @example
 * ```ts
 * import { writeAtomic } from "./io.ts";
 * const dir = Deno.makeTempDirSync();
 * writeAtomic(`${dir}/a.txt`, "hello");
 * if (Deno.readTextFileSync(`${dir}/a.txt`) !== "hello") throw new Error("not written");
 * ```
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pl from "nodejs-polars";
import { writeFileAtomicSync } from "../io/atomic.ts";
import { parquetFrame } from "../io/parquet.ts";
import { inKernel } from "./_kernel.ts";

/** Absolute path of the project root (the folder holding `deno.json`). */
export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(
  /\/$/,
  "",
);

/** Name of the environment variable that redirects all outputs (see the module doc). */
export const OUT_DIR_ENV = "REPORT_OUT_DIR";

/** The output root of interactive (kernel) runs: `<project root>/.out`. */
export const INTERACTIVE_OUT: string = join(PROJECT_ROOT, ".out");

/**
 * The output root (see the module doc): `$REPORT_OUT_DIR` (resolved against the working
 * directory) if set, else {@link INTERACTIVE_OUT} in a Jupyter kernel, else the project root.
 */
export function outRoot(): string {
  let env: string | undefined;
  try {
    env = Deno.env.get(OUT_DIR_ENV);
  } catch {
    env = undefined; // no --allow-env: outputs go to the project root
  }
  if (env) return resolve(env);
  return inKernel() ? INTERACTIVE_OUT : PROJECT_ROOT;
}

/**
 * Resolves `path` under the output root: `outPath("data", "x.parquet")` is
 * `<root>/data/x.parquet`. An absolute first segment is kept as is.
 */
export function outPath(...segments: string[]): string {
  if (segments.length > 0 && isAbsolute(segments[0])) return join(...segments);
  return join(outRoot(), ...segments);
}

/** `<output root>/data/<name>` (the folder is not created). */
export function dataPath(name: string): string {
  return outPath("data", name);
}

/** `<output root>/figures/<name>` (the folder is not created). */
export function figurePath(name: string): string {
  return outPath("figures", name);
}

/**
 * Writes `data` to `path` atomically (temporary name, then rename), creating the parent folder:
 * `writeFileAtomicSync` from `lib/io/`, under the name the report helpers use.
 */
export const writeAtomic: (path: string, data: string | Uint8Array) => void = writeFileAtomicSync;

/**
 * Reads a Parquet file through Deno's file API (so `--allow-read` applies; Polars reading a path
 * itself would bypass Deno's permissions).
 */
export function readParquetFile(path: string): pl.DataFrame {
  return parquetFrame(path, Deno.readFileSync(path));
}
