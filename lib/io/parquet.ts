/**
 * Parquet files for Polars DataFrames, read and written through Deno's file API (so Deno's
 * `--allow-read`/`--allow-write` permissions apply), writes atomic.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { writeFileAtomic } from "./atomic.ts";

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
  const buf = df.writeParquet();
  await writeFileAtomic(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

/** Reads the Parquet file at `path` into a DataFrame. */
export async function readParquet(path: string): Promise<pl.DataFrame> {
  const bytes = await Deno.readFile(path);
  return pl.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
