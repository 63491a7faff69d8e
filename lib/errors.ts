/**
 * Errors raised on bad input.
 *
 * @module
 */

/** A configuration or argument value outside its allowed set; the message names the field. */
export class ConfigError extends Error {
  /** The offending field, e.g. `"makers"` or `"taker.size"`. */
  readonly field: string;
  constructor(field: string, allowed: string, got: unknown) {
    super(`${field}: must be ${allowed}, got ${fmt(got)}`);
    this.name = "ConfigError";
    this.field = field;
  }
}

function fmt(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v == null) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Throws unless `v` is an integer in [lo, hi]. */
export function checkInt(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ConfigError(field, `an integer in [${lo}, ${hi}]`, v);
  }
  return v;
}

/** Throws unless `v` is a finite number in [lo, hi]. */
export function checkNum(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
    throw new ConfigError(field, `a number in [${lo}, ${hi}]`, v);
  }
  return v;
}

/** Throws unless `v` is one of `allowed`. */
export function checkOneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, v);
  }
  return v as T;
}
