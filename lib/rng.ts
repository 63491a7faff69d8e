/**
 * Seeded random streams.
 *
 * One root seed per experiment is split into named streams (`"taker"`, `"maker:2"`,
 * `"background"`). Each stream is seeded from the root seed and its own name only, so adding an
 * agent never changes any other agent's draws. Streams use Baagøe's Alea generator (several times
 * faster than seedrandom's default ARC4), written out here rather than called through seedrandom's
 * `alea` (whose draws it reproduces exactly: `tests/rng_test.ts`) so that a stream is one function
 * over a small state object that can be **re-seeded in place** (`reseed`): the game's agents hold
 * their stream itself, not a wrapper that looks up the current generator (two calls fewer per
 * draw; 2-maker training 1.03-1.04x as fast in paired runs). The state is an object's double
 * fields, as in seedrandom: kept in a `Float64Array` instead, a draw took 8.2-9.9 ns against
 * 6.4-6.9 ns and a Poisson draw of mean 20 (21 draws in a chain) 193-227 ns against 161-176 ns.
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
import { checkSeed, ConfigError } from "./errors.ts";

/** A source of uniform draws in [0, 1). */
export type Rng = () => number;

/** A named stream: draws in [0, 1), and can be re-seeded in place. */
export interface Stream extends Rng {
  /**
   * From now on, draws as `stream(seed, name)` would from its start (the same name, a new root
   * seed; checked like `stream`'s).
   */
  reseed(seed: number | string): void;
}

/**
 * The stream called `name` under the root seed `seed` (a safe integer or a non-empty string;
 * `name` a string). Throws `ConfigError` on anything else.
 *
 * @example
 * ```ts
 * import { stream } from "./rng.ts";
 * const a = stream(1, "maker:0");
 * const first = a();
 * a();
 * a.reseed(1);
 * if (a() !== first) throw new Error("re-seeded: the stream starts again");
 * ```
 */
export function stream(seed: number | string, name: string): Stream {
  checkSeed("seed", seed);
  if (typeof name !== "string") throw new ConfigError("name", "a string", name);
  const st = new AleaState();
  const g = (() => {
    const t = 2091639 * st.s0 + st.c * 2.3283064365386963e-10; // 2^-32
    st.s0 = st.s1;
    st.s1 = st.s2;
    return (st.s2 = t - (st.c = t | 0));
  }) as Stream;
  g.reseed = (s: number | string) => {
    checkSeed("seed", s);
    aleaSeed(st, `${s}/${name}`);
  };
  aleaSeed(st, `${seed}/${name}`);
  return g;
}

/** Alea's state: s0, s1, s2 and the carry c (an integer below 2^21). */
class AleaState {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  c = 1;
}

/** Baagøe's Alea seeding, as seedrandom's `alea(key)` does it. */
function aleaSeed(st: AleaState, key: string) {
  const mash = createMash();
  const b0 = mash(" "), b1 = mash(" "), b2 = mash(" ");
  st.s0 = b0 - mash(key);
  if (st.s0 < 0) st.s0 += 1;
  st.s1 = b1 - mash(key);
  if (st.s1 < 0) st.s1 += 1;
  st.s2 = b2 - mash(key);
  if (st.s2 < 0) st.s2 += 1;
  st.c = 1;
}

/** Baagøe's Mash hash (its state carries over from call to call). */
function createMash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data: string) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
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
