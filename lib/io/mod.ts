/**
 * File input and output shared by the project: atomic writes, Parquet DataFrames, and one frame
 * from named columns (`runFrame`).
 *
 * ## Inputs
 * Paths are non-empty strings; a file that is not complete Parquet (truncated, another
 * format) throws a `FileError` naming it, with Polars' reason. `runFrame`'s options (`length` an
 * integer ≥ 0, `constants` one value per column name) are checked by a schema: unknown keys are
 * rejected with a suggestion, columns are typed arrays or plain arrays of one type.
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
