/**
 * State encoding: pure functions that turn a few small integer features (e.g. time remaining,
 * inventory bin) into one integer state `0..n-1` and back, by mixed-radix numbering with the first
 * feature most significant: with `radices = [T, S]`, `(t, s)` maps to `t * S + s`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/** Features and radices: any array-like of integers (a plain array or a typed array). */
export type IntLike = ArrayLike<number>;

/**
 * Number of states for features with these radices (their product). Throws `ConfigError` if a
 * radix is not a positive integer or the product exceeds 2^31 - 1.
 *
 * @example
 * ```ts
 * import { stateCount } from "./encoding.ts";
 * if (stateCount([10, 7, 3]) !== 210) throw new Error("product");
 * ```
 */
export function stateCount(radices: IntLike): number {
  let n = 1;
  for (let i = 0; i < radices.length; i++) {
    const r = radices[i];
    if (!Number.isInteger(r) || r < 1) {
      throw new ConfigError(`radices[${i}]`, "a positive integer", r);
    }
    n *= r;
  }
  if (n > 0x7fffffff) throw new ConfigError("radices", "a product of at most 2^31 - 1", n);
  return n;
}

/**
 * The state index of `digits` (each `digits[i]` in `[0, radices[i])`). Allocation-free; throws
 * `ConfigError` on a digit out of range or a length mismatch.
 *
 * @example
 * ```ts
 * import { decodeState, encodeState } from "./encoding.ts";
 * const radices = [5, 3]; // e.g. time remaining 0..4, inventory bin 0..2
 * const s = encodeState(radices, [2, 1]);
 * if (s !== 7) throw new Error("2 * 3 + 1");
 * if (decodeState(radices, s).join() !== "2,1") throw new Error("round trip");
 * ```
 */
export function encodeState(radices: IntLike, digits: IntLike): number {
  if (digits.length !== radices.length) {
    throw new ConfigError("digits", `an array of length ${radices.length}`, digits.length);
  }
  let s = 0;
  for (let i = 0; i < radices.length; i++) {
    const d = digits[i];
    const r = radices[i];
    if ((d >>> 0) !== d || d >= r) {
      throw new ConfigError(`digits[${i}]`, `an integer in [0, ${r - 1}]`, d);
    }
    s = s * r + d;
  }
  return s;
}

/** The digits of state `s` (inverse of `encodeState`). Allocates the result. */
export function decodeState(radices: IntLike, s: number): Int32Array {
  const n = stateCount(radices);
  if ((s >>> 0) !== s || s >= n) throw new ConfigError("s", `an integer in [0, ${n - 1}]`, s);
  const out = new Int32Array(radices.length);
  for (let i = radices.length - 1; i >= 0; i--) {
    const r = radices[i];
    out[i] = s % r;
    s = (s - out[i]) / r;
  }
  return out;
}

/**
 * The bin of `x` given increasing cut points `edges`: 0 if `x < edges[0]`, `i` if
 * `edges[i-1] <= x < edges[i]`, `edges.length` if `x >= edges[edges.length - 1]`. So `k` edges
 * make `k + 1` bins. Binary search; allocation-free. NaN falls in the last bin.
 *
 * @example
 * ```ts
 * import { binIndex } from "./encoding.ts";
 * const edges = [-10, 0, 10]; // inventory: < -10, [-10, 0), [0, 10), >= 10
 * if (binIndex(edges, -20) !== 0 || binIndex(edges, 0) !== 2 || binIndex(edges, 50) !== 3) {
 *   throw new Error("bins");
 * }
 * ```
 */
export function binIndex(edges: IntLike, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
