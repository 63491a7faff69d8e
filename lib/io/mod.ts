/**
 * File input and output shared by the project: atomic writes, Parquet DataFrames, and one frame
 * from named columns (`runFrame`).
 *
 * Inputs: paths are non-empty strings; a file that is not complete Parquet (truncated, another
 * format) throws a `FileError` naming it, with Polars' reason.
 *
 * @module
 */
export { writeFileAtomic, writeFileAtomicSync } from "./atomic.ts";
export {
  parquetFrame,
  readParquet,
  readParquetSync,
  writeParquetAtomic,
  writeParquetAtomicSync,
} from "./parquet.ts";
export * from "./frame.ts";
