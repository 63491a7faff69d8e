/**
 * Parquet files for Polars DataFrames, read and written through Deno's file API (so Deno's
 * `--allow-read`/`--allow-write` permissions apply), writes atomic.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { ConfigError, FileError } from "../errors.ts";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic.ts";

/**
 * Writes `df` as Parquet to `path` atomically (temporary name, then rename), creating missing
 * parent folders.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { readParquet, writeParquetAtomic } from "./parquet.ts";
 * const dir = await Deno.makeTempDir();
 * const df = pl.DataFrame({ episode: [0, 1, 2], ret: [-20.5, -14, -13] });
 * await writeParquetAtomic(df, `${dir}/runs/train.parquet`);
 * const back = await readParquet(`${dir}/runs/train.parquet`);
 * if (!back.frameEqual(df)) throw new Error("round trip");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeParquetAtomic(df: pl.DataFrame, path: string): Promise<void> {
  if (typeof (df as { writeParquet?: unknown })?.writeParquet !== "function") {
    throw new ConfigError("df", "a Polars DataFrame", df);
  }
  if (typeof path !== "string" || path === "") throw new ConfigError("path", "a file path", path);
  const buf = df.writeParquet();
  await writeFileAtomic(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

/**
 * Reads the Parquet file at `path` into a DataFrame. A file that is not complete Parquet
 * (truncated, another format) throws a `FileError` naming it, with Polars' reason.
 */
export async function readParquet(path: string): Promise<pl.DataFrame> {
  if (typeof path !== "string" || path === "") throw new ConfigError("path", "a file path", path);
  return parquetFrame(path, await Deno.readFile(path));
}

/** Parses Parquet `bytes` read from `file`; Polars' errors become a `FileError` naming the file. */
export function parquetFrame(file: string, bytes: Uint8Array): pl.DataFrame {
  try {
    return pl.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new FileError({
      file,
      allowed: "a complete Parquet file",
      got: `${bytes.length} bytes Polars cannot read (${(e as Error).message})`,
    });
  }
}

/** The synchronous sibling of {@linkcode writeParquetAtomic} (for notebook cells and scripts). */
export function writeParquetAtomicSync(df: pl.DataFrame, path: string): void {
  const buf = df.rechunk().writeParquet();
  writeFileAtomicSync(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

/** The synchronous sibling of {@linkcode readParquet}. */
export function readParquetSync(path: string): pl.DataFrame {
  if (typeof path !== "string" || path === "") throw new ConfigError("path", "a file path", path);
  return parquetFrame(path, Deno.readFileSync(path));
}
