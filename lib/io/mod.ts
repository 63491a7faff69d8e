/**
 * File input and output shared by the project: atomic writes and Parquet DataFrames.
 *
 * @module
 */
export { writeFileAtomic } from "./atomic.ts";
export { readParquet, writeParquetAtomic } from "./parquet.ts";
