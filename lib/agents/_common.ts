/**
 * Helpers shared by the agents' factories (private to `lib/agents/`).
 *
 * @module
 */
import { checkInt, ConfigError } from "../errors.ts";
import type { BoxSpace } from "../env/types.ts";

/** Length of a flattened box observation. */
export function obsDimOf(space: BoxSpace): number {
  const d = space.shape.reduce((p, s) => p * s, 1);
  return checkInt("observationSpace.shape (product)", d, 1, 2 ** 20);
}

/** Throws unless `hidden` is a list of at least `min` positive integer widths. */
export function checkHidden(hidden: readonly number[], min: number): void {
  if (!Array.isArray(hidden) || hidden.length < min) {
    throw new ConfigError("hidden", `a list of at least ${min} layer widths`, hidden);
  }
  hidden.forEach((h, i) => checkInt(`hidden[${i}]`, h, 1, 2 ** 16));
}

/** Throws unless `v` is a number in (0, ∞]: a positive bound that may be `Infinity`. */
export function checkPositiveOrInfinity(field: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0)) {
    throw new ConfigError(field, "a positive number or Infinity", v);
  }
  return v;
}
