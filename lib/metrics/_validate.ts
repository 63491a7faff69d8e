/**
 * Input checks shared by the metrics (internal).
 *
 * @module
 */
import { checkFinite, checkOptions, ConfigError, numbers } from "../errors.ts";

export { checkFinite };

/** A read-only numeric sequence: a typed array or a plain `number[]`. */
export type Numbers = ArrayLike<number>;

/** Throws unless `a.length === n`; `field` names `a`, `ref` names the array that fixed `n`. */
export function checkLength(field: string, a: Numbers, n: number, ref: string): void {
  if (a.length !== n) {
    throw new ConfigError(`${field}.length`, `${n} (the length of ${ref})`, a.length);
  }
}

/** A numeric series: a plain or typed array of finite numbers (NaN and ±Infinity rejected). */
export const SERIES = numbers();

/**
 * Checks the metric's inputs object against `schema` (unknown keys rejected, paths in messages;
 * `owner` names the metric).
 */
export function checkInputs<S extends Parameters<typeof checkOptions>[1]>(
  inputs: unknown,
  schema: S,
  owner: string,
): ReturnType<typeof checkOptions<S>> {
  return checkOptions(inputs, schema, { owner });
}

/** Arithmetic mean of `a[lo..hi)`; NaN when the range is empty. */
export function meanOf(a: Numbers, lo = 0, hi = a.length): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i];
  return s / (hi - lo);
}
