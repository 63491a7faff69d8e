/**
 * Confidence intervals over seeds: the mean of a sample with a Student-t half-width, the
 * Student-t quantile it needs, and the two-sided tail probability (a t test's p-value).
 *
 * The quantile inverts the t distribution function, computed exactly from the regularised
 * incomplete beta function (continued fraction, Numerical Recipes §6.4), by bisection; it agrees
 * with printed tables to all their digits (see `tests/metrics_test.ts`).
 *
 * @module
 */
import { checkFinite, ConfigError } from "../errors.ts";
import type { Numbers } from "./_validate.ts";

/** What {@linkcode meanCI} returns. */
export interface MeanCI {
  /** Sample mean; NaN for an empty sample. */
  readonly mean: number;
  /** Sample standard deviation (divisor `n - 1`); NaN when `n < 2`. */
  readonly sd: number;
  /** Sample size. */
  readonly n: number;
  /** Confidence level of the interval, e.g. 0.95. */
  readonly level: number;
  /** `t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n)`; NaN when `n < 2`. */
  readonly halfWidth: number;
  /** `mean - halfWidth`. */
  readonly lo: number;
  /** `mean + halfWidth`. */
  readonly hi: number;
}

/**
 * Mean of `values` (one per seed) with a two-sided Student-t confidence interval at `level`.
 * Throws `ConfigError` if `level` is not in (0, 1) or a value is not finite.
 *
 * @example
 * ```ts
 * import { meanCI } from "./mean_ci.ts";
 * // mean 2, sd 1, n 3: half-width 4.303 / sqrt(3)
 * const ci = meanCI([1, 2, 3]);
 * if (Math.abs(ci.halfWidth - 2.4841) > 1e-4) throw new Error(String(ci.halfWidth));
 * ```
 */
export function meanCI(values: Numbers, level = 0.95): MeanCI {
  checkFinite("values", values);
  if (!(level > 0 && level < 1)) throw new ConfigError("level", "a number in (0, 1)", level);
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = n < 2 ? NaN : Math.sqrt(ss / (n - 1));
  const halfWidth = n < 2 ? NaN : studentTQuantile(0.5 + level / 2, n - 1) * sd / Math.sqrt(n);
  return { mean, sd, n, level, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth };
}

/**
 * The `p`-quantile of Student's t distribution with `df` degrees of freedom (`df` may be
 * fractional). Accurate to about 1e-9 relative; throws `ConfigError` if `p` is not in (0, 1) or
 * `df` is not > 0.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./mean_ci.ts";
 * if (studentTQuantile(0.975, 1).toFixed(3) !== "12.706") throw new Error();
 * if (studentTQuantile(0.975, 10).toFixed(3) !== "2.228") throw new Error();
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new ConfigError("p", "a number in (0, 1)", p);
  if (!(df > 0 && df < Infinity)) throw new ConfigError("df", "a finite number > 0", df);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  let lo = 0;
  let hi = 1;
  while (upperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (upperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** P(T > t) for t >= 0 and T ~ Student t with `df` degrees of freedom. */
function upperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
}

/**
 * The two-sided tail probability `P(|T| ≥ |t|)` of Student's t distribution with `df` degrees of
 * freedom (the p-value of a t statistic); `t` may be ±Infinity (p = 0). Throws `ConfigError` if
 * `t` is NaN or `df` is not > 0.
 *
 * @example
 * ```ts
 * import { studentTTwoSided } from "./mean_ci.ts";
 * if (Math.abs(studentTTwoSided(2.228139, 10) - 0.05) > 1e-6) throw new Error();
 * if (studentTTwoSided(0, 4) !== 1) throw new Error();
 * ```
 */
export function studentTTwoSided(t: number, df: number): number {
  if (typeof t !== "number" || Number.isNaN(t)) throw new ConfigError("t", "a number", t);
  if (!(df > 0 && df < Infinity)) throw new ConfigError("df", "a finite number > 0", df);
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * upperTail(Math.abs(t), df));
}

/** Regularised incomplete beta function I_x(a, b). */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  return x < (a + 1) / (a + b + 2)
    ? front * betaContinuedFraction(a, b, x) / a
    : 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}
