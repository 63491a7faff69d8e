/**
 * Seeded random streams.
 *
 * One root seed per experiment is split into named streams (`"taker"`, `"maker:2"`,
 * `"background"`). Each stream is seeded from the root seed and its own name only, so adding an
 * agent never changes any other agent's draws. Streams use seedrandom's `alea` generator, which is
 * several times faster than its default ARC4 (see `bench/book_bench.ts` for the measurement).
 *
 * `lib/` never calls `Math.random`: every random draw comes through a `Rng` made here.
 *
 * **Seeds** follow one rule (`checkSeed` in `errors.ts`): a safe integer or a non-empty string.
 * NaN, fractions, `null`, objects and booleans are rejected with a `ConfigError` (as strings they
 * would silently collapse: `{a: 1}` and `{b: 2}` both read `"[object Object]"`).
 *
 * @example
 * ```ts
 * import { stream } from "./rng.ts";
 * const a = stream(42, "taker");
 * const b = stream(42, "taker");
 * if (a() !== b()) throw new Error("same seed and name must give the same draws");
 * ```
 * @module
 */
import seedrandom from "seedrandom";
import { checkSeed, ConfigError } from "./errors.ts";

/** A source of uniform draws in [0, 1). */
export type Rng = () => number;

/**
 * The stream called `name` under the root seed `seed` (a safe integer or a non-empty string;
 * `name` a string). Throws `ConfigError` on anything else.
 */
export function stream(seed: number | string, name: string): Rng {
  checkSeed("seed", seed);
  if (typeof name !== "string") throw new ConfigError("name", "a string", name);
  const g = seedrandom.alea(`${seed}/${name}`);
  return () => g();
}

/** Uniform integer in [lo, hi] (both inclusive). */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Poisson draw with mean `lambda` (Knuth's method for small means, normal approximation above 60). */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) {
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng();
  } while (p > l);
  return k - 1;
}

/** Standard normal draw (Box–Muller; one of the pair is discarded to keep streams stateless). */
export function normal(rng: Rng): number {
  let u = rng();
  while (u <= 1e-300) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
