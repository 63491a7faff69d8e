/**
 * Validation helpers shared by the taker and game configurations (internal to `lib/`: `lib/takers`
 * and `lib/game` import it, so it lives above both).
 *
 * @module
 */
import { checkInt, checkKeys as checkKnownKeys, checkNum, ConfigError } from "./errors.ts";

export { checkObject } from "./errors.ts";

/**
 * Throws an `UnknownOptionError` (with a did-you-mean suggestion) if `obj` has a key outside
 * `allowed`; `field` is the object's path (`""` at the top level).
 */
export function checkKeys(field: string, obj: object, allowed: readonly string[]): void {
  checkKnownKeys(obj, allowed, { path: field });
}

/** `v ?? def`, checked to be an integer in [lo, hi]. */
export function optInt(field: string, v: unknown, def: number, lo: number, hi: number): number {
  return v === undefined ? def : checkInt(field, v, lo, hi);
}

/** `v ?? def`, checked to be a finite number in [lo, hi]. */
export function optNum(field: string, v: unknown, def: number, lo: number, hi: number): number {
  return v === undefined ? def : checkNum(field, v, lo, hi);
}

/** `undefined` → `def`; `null` → `null`; otherwise an integer in [lo, hi]. */
export function optNullableInt(
  field: string,
  v: unknown,
  def: number | null,
  range: readonly [number, number],
): number | null {
  if (v === undefined) return def;
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < range[0] || v > range[1]) {
    throw new ConfigError(field, `null or an integer in [${range[0]}, ${range[1]}]`, v);
  }
  return v;
}

/** Throws unless `v` is a number > `lo` and ≤ `hi` (an open lower bound). */
export function checkPositive(field: string, v: unknown, def: number, hi: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > hi) {
    throw new ConfigError(field, `a number in (0, ${hi}]`, v);
  }
  return v;
}
