/**
 * File input and output shared by the project: atomic writes and Parquet DataFrames.
 *
 * @module
 */
export { writeFileAtomic, writeFileAtomicSync } from "./atomic.ts";
export { parquetFrame, readParquet, writeParquetAtomic } from "./parquet.ts";
