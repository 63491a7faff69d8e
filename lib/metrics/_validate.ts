/**
 * Input checks shared by the metrics (internal).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/** A read-only numeric sequence: a typed array or a plain `number[]`. */
export type Numbers = ArrayLike<number>;

/** Throws unless `a.length === n`; `field` names `a`, `ref` names the array that fixed `n`. */
export function checkLength(field: string, a: Numbers, n: number, ref: string): void {
  if (a.length !== n) {
    throw new ConfigError(`${field}.length`, `${n} (the length of ${ref})`, a.length);
  }
}

/** Arithmetic mean of `a[lo..hi)`; NaN when the range is empty. */
export function meanOf(a: Numbers, lo = 0, hi = a.length): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i];
  return s / (hi - lo);
}
