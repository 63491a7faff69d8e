/**
 * Hashes of configurations and files: the canonical JSON of a value (keys sorted, so equal
 * configurations hash equally whatever their key order) and SHA-256 digests, used to tie
 * committed outputs to the configuration that made them (`lib/sweep/committed.ts`, trained
 * models' checkpoints).
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * The canonical JSON of `value`: object keys sorted at every level, non-finite numbers as
 * `{"$number": "Infinity"}`, typed arrays as arrays, `undefined` fields left out.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./hash.ts";
 * if (canonicalJson({ b: 1, a: [Infinity, 2] }) !== '{"a":[{"$number":"Infinity"},2],"b":1}') {
 *   throw new Error();
 * }
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

/** The value {@linkcode canonicalJson} writes: keys sorted, non-finite numbers tagged. */
export function canonicalValue(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : { $number: String(v) };
  if (v === null || typeof v !== "object") return v;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, canonicalValue);
  if (Array.isArray(v)) return v.map(canonicalValue);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = canonicalValue(x);
  }
  return out;
}

/**
 * SHA-256 (hex) of a string (UTF-8) or bytes.
 *
 * @example
 * ```ts
 * import { sha256 } from "./hash.ts";
 * if (!sha256("abc").startsWith("ba7816bf")) throw new Error("the FIPS 180-2 test vector");
 * ```
 */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
