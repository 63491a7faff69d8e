/**
 * File input and output shared by the project: atomic writes and Parquet DataFrames.
 *
 * @module
 */
export { writeFileAtomic, writeFileAtomicSync } from "./atomic.ts";
export { readParquet, writeParquetAtomic } from "./parquet.ts";
