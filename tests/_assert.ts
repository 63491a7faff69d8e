/**
 * Small assertion helpers for the test suite (JSR's `@std/assert` is not reachable here).
 * @module
 */
import assert from "node:assert/strict";
import { ConfigError, UnknownOptionError } from "../lib/errors.ts";

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg);
}

/** `|actual - expected| <= tol`; `what` labels the failure message. */
export function assertAlmostEquals(actual: number, expected: number, tol = 1e-9, what = "") {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new assert.AssertionError({
      message: `${what ? `${what}: ` : ""}expected ${expected} ± ${tol}, got ${actual}`,
      actual,
      expected,
    });
  }
}

/** Short name of {@linkcode assertAlmostEquals}. */
export const near = assertAlmostEquals;

/**
 * `f` throws a `ConfigError` on `field` whose message starts `<field>: must be <allowed>`
 * (any allowed values when `allowed` is not given; then an unknown key at `field`, an
 * `UnknownOptionError`, passes too: see {@linkcode throwsUnknown}).
 */
export function throwsConfig(f: () => unknown, field: string, allowed?: string): void {
  assert.throws(
    f,
    (e: unknown) =>
      e instanceof ConfigError && e.field === field &&
      (e.message.startsWith(`${field}: must be ${allowed ?? ""}`) ||
        (allowed === undefined && e instanceof UnknownOptionError)),
    `expected a ConfigError on ${field}`,
  );
}

/**
 * `f` throws an `UnknownOptionError` for the key at `field` (its full path), suggesting
 * `suggestion` if given.
 */
export function throwsUnknown(f: () => unknown, field: string, suggestion?: string): void {
  assert.throws(
    f,
    (e: unknown) =>
      e instanceof UnknownOptionError && e.field === field &&
      (suggestion === undefined || e.suggestion === suggestion),
    `expected an unknown-option error on ${field}${
      suggestion ? ` (did you mean ${suggestion})` : ""
    }`,
  );
}

/** Truthiness. */
export function assertTrue(cond: unknown, msg = "expected a true condition"): asserts cond {
  assert.ok(cond, msg);
}

/**
 * `fn` throws an instance of `cls` (if given) whose message includes `includes` (if given).
 * Returns the error.
 */
export function assertThrows(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  cls?: new (...args: any[]) => Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    if (cls && !(e instanceof cls)) {
      throw new assert.AssertionError({ message: `expected ${cls.name}, got ${e}` });
    }
    if (includes && !(e instanceof Error && e.message.includes(includes))) {
      throw new assert.AssertionError({
        message: `expected message containing ${JSON.stringify(includes)}, got ${e}`,
      });
    }
    return e as Error;
  }
  throw new assert.AssertionError({ message: "expected the function to throw" });
}
