/**
 * Number formatting for prose and tables. Locale-free (the same text on every machine), ASCII
 * minus sign, no `-0`.
 *
 * @example
 * ```ts
 * import { auto, fixed, int, pct, pm, sig } from "./format.ts";
 * const got = [auto(1234567), auto(0.012345), fixed(-0.0001, 2), int(-9876.4), pct(0.1234),
 *   pm(1.5, 0.25), sig(123456, 2)];
 * const want = ["1,234,567", "0.0123", "0.00", "-9,876", "12.3%", "1.50 ± 0.25", "120,000"];
 * if (got.join() !== want.join()) throw new Error(got.join(" / "));
 * ```
 * @module
 */

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  return undefined;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function noNegZero(s: string): string {
  return /^-[0.]*$/.test(s) ? s.slice(1) : s;
}

function grouped(s: string): string {
  const neg = s.startsWith("-");
  const [i, f] = (neg ? s.slice(1) : s).split(".");
  return `${neg ? "-" : ""}${group(i)}${f === undefined ? "" : `.${f}`}`;
}

/** `x` rounded to an integer, with thousands separators: `int(12345.6)` is `"12,346"`. */
export function int(x: number): string {
  return special(x) ?? noNegZero(grouped(Math.round(x).toFixed(0)));
}

/** `x` with `digits` decimals and thousands separators: `fixed(3.14159, 2)` is `"3.14"`. */
export function fixed(x: number, digits = 2): string {
  return special(x) ?? noNegZero(grouped(x.toFixed(digits)));
}

/**
 * `x` to `digits` significant digits, never in exponent form above 1e-4:
 * `sig(0.0012345, 3)` is `"0.00123"`, `sig(123456, 2)` is `"120,000"`.
 */
export function sig(x: number, digits = 3): string {
  const s = special(x);
  if (s !== undefined) return s;
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (ax < 1e-4) return noNegZero(x.toExponential(digits - 1));
  const magnitude = Math.floor(Math.log10(ax));
  const decimals = Math.max(0, digits - 1 - magnitude);
  if (decimals > 0) return noNegZero(grouped(x.toFixed(decimals)));
  const unit = 10 ** (magnitude - digits + 1);
  return noNegZero(grouped((Math.round(x / unit) * unit).toFixed(0)));
}

/** A fraction as a percentage: `pct(0.1234)` is `"12.3%"`. */
export function pct(x: number, digits = 1): string {
  return `${fixed(100 * x, digits)}%`;
}

/** `mean ± half`, both with `digits` decimals: `pm(1.5, 0.25)` is `"1.50 ± 0.25"`. */
export function pm(mean: number, half: number, digits = 2): string {
  return `${fixed(mean, digits)} ± ${fixed(half, digits)}`;
}

/** An interval: `interval(0.1, 0.25)` is `"[0.10, 0.25]"`. */
export function interval(lo: number, hi: number, digits = 2): string {
  return `[${fixed(lo, digits)}, ${fixed(hi, digits)}]`;
}

/**
 * The default for numbers in prose and tables: integers grouped (`"12,345"`), other values to 3
 * significant digits without trailing zeros (`"0.123"`, `"0.5"`, `"45.7"`), and values of 1,000 or
 * more rounded to integers (`"1,235"`).
 */
export function auto(x: number): string {
  if (Number.isInteger(x) || Math.abs(x) >= 1000) return int(x);
  const s = sig(x, 3);
  return /^[^e]*\.\d*$/.test(s) ? s.replace(/\.?0+$/, "") : s;
}
