/**
 * Errors raised on bad input, and the one options checker that every public entry point of
 * `lib/` uses, so that a typo or a value of the wrong type never runs a different experiment.
 *
 * ## Messages
 * - A bad value names its full path and the allowed values, never coerces:
 *   `policy[0].alpha: must be a number in (0, 1], got "0.1"`.
 * - An unknown key names the object it was found in and the closest known key:
 *   `"epsilnon": unknown option of train's policy[0]; did you mean "epsilon"?` (or the list of
 *   known keys when none is close). Its `field` is the key's full path, `policy[0].epsilnon`.
 *
 * Both are {@linkcode ConfigError}s; `field` is the path (`game.steps`, `policy[0].alpha`,
 * `learner.epsilon.duration`, `fills.qty[3]`).
 *
 * ## The options checker
 * An options object is described by a **schema**: one {@linkcode Field} checker per key, built
 * from a few constructors ({@linkcode int}, {@linkcode num}, {@linkcode positive},
 * {@linkcode bool}, {@linkcode str}, {@linkcode oneOf}, {@linkcode fn}, {@linkcode seed},
 * {@linkcode intSeed}, {@linkcode numbers}, {@linkcode arrayOf}, {@linkcode object},
 * {@linkcode variant}, {@linkcode nullable}, {@linkcode optional}, {@linkcode custom},
 * {@linkcode anything}).
 * {@linkcode checkOptions} rejects unknown keys first (a misspelt option is the likeliest mistake,
 * and the other checks would only report it as a missing value), then checks every key in schema
 * order with its path, fills defaults and returns a new, typed object holding only the keys that
 * have a value. Nothing is coerced: `"2"` is not a number, `1` is not `true`.
 *
 * This is the shape of well-kept validators (zod's and valibot's strict objects, serde's
 * `deny_unknown_fields`) kept to what this project needs: no dependency, a plain function per
 * field type, and the project's one message format. Cross-field rules (a range that depends on
 * another field, a length that must match) stay in the code that follows the schema, with the
 * path helpers {@linkcode at} and {@linkcode item}. Check at construction, never in a hot loop.
 *
 * Seeds follow one rule everywhere ({@linkcode checkSeed}): a safe integer or a non-empty
 * string; never NaN, a fraction, null, an object or a boolean (`run({a: 1})` and `run({b: 2})`
 * would otherwise give the same episode). Where seeds are added to (the RL environments'
 * episode seeds `seed + e`, the vector environments' copies, the agents and their checkpoints)
 * they must be safe integers ({@linkcode checkIntSeed}, documented there).
 *
 * @example
 * ```ts
 * import { checkOptions, ConfigError, int, num, oneOf, optional } from "./errors.ts";
 * const LEARNER = {
 *   gamma: optional(num(0, 1), 1),
 *   epsilon: optional(num(0, 1), 0.1),
 *   unit: optional(oneOf(["episode", "step"] as const), "episode"),
 *   episodes: int(1, 1e9),
 * };
 * const o = checkOptions({ episodes: 10, epsilon: 0.2 }, LEARNER, { owner: "train", path: "learner" });
 * if (o.gamma !== 1 || o.epsilon !== 0.2 || o.unit !== "episode") throw new Error("defaults");
 * const message = (f: () => unknown) => {
 *   try { f(); } catch (e) { if (e instanceof ConfigError) return e.message; }
 *   return "no error";
 * };
 * const typo = message(() =>
 *   checkOptions({ episodes: 10, epsilnon: 0.2 }, LEARNER, { owner: "train", path: "learner" })
 * );
 * if (typo !== '"epsilnon": unknown option of train\'s learner; did you mean "epsilon"?') {
 *   throw new Error(typo);
 * }
 * const bad = message(() => checkOptions({ episodes: "10" }, LEARNER, { path: "learner" }));
 * if (bad !== 'learner.episodes: must be an integer in [1, 1000000000], got "10"') {
 *   throw new Error(bad);
 * }
 * ```
 *
 * @module
 */

/** A configuration or argument value outside its allowed set; the message names the field. */
export class ConfigError extends Error {
  /** The offending field's path, e.g. `"makers"`, `"taker.size"` or `"policy[0].alpha"`. */
  readonly field: string;
  /** The allowed values, in words (`"an integer in [0, 64]"`). */
  readonly allowed: string;
  /** The value given. */
  readonly got: unknown;
  constructor(field: string, allowed: string, got: unknown) {
    super(`${field}: must be ${allowed}, got ${fmt(got)}`);
    this.name = "ConfigError";
    this.field = field;
    this.allowed = allowed;
    this.got = got;
  }
}

/**
 * A key that the options object does not have (usually a typo). `field` is the key's path;
 * the message names the object and suggests the closest known key.
 *
 * @example
 * ```ts
 * import { UnknownOptionError } from "./errors.ts";
 * const e = new UnknownOptionError({ key: "stpes", known: ["steps", "seed"], value: 5 });
 * if (e.message !== '"stpes": unknown option; did you mean "steps"?' || e.field !== "stpes") {
 *   throw new Error(e.message);
 * }
 * ```
 */
export class UnknownOptionError extends ConfigError {
  /** Path of the object holding the key (`""`: the top level). */
  readonly path: string;
  /** The function whose options these are, if named. */
  readonly owner: string | undefined;
  /** The unknown key. */
  readonly key: string;
  /** The known keys of that object. */
  readonly known: readonly string[];
  /** The closest known key, if one is close (see {@linkcode closestKey}). */
  readonly suggestion: string | undefined;
  constructor(options: {
    /** The unknown key. */
    key: string;
    /** The known keys. */
    known: readonly string[];
    /** Its value. */
    value: unknown;
    /** Path of the object holding it (`""` or absent: the top level). */
    path?: string;
    /** The function whose options these are (`"train"`). */
    owner?: string;
  }) {
    const { key, known, path = "", owner } = options;
    super(at(path, key), `absent (unknown option; known: ${known.join(", ")})`, options.value);
    this.name = "ConfigError";
    this.path = path;
    this.owner = owner;
    this.key = key;
    this.known = known;
    this.suggestion = closestKey(key, known);
    const of = owner && path ? `${owner}'s ${path}` : owner || path;
    this.message = `${JSON.stringify(key)}: unknown option${of ? ` of ${of}` : ""}` +
      (this.suggestion === undefined
        ? ` (known: ${known.join(", ") || "none"})`
        : `; did you mean ${JSON.stringify(this.suggestion)}?`);
  }
}

/**
 * A file that cannot be read as what it should be (truncated, corrupt, another format). `field`
 * is the file, with `:line` when the line is known; `row` is the data row when known.
 *
 * @example
 * ```ts
 * import { FileError } from "./errors.ts";
 * const e = new FileError({ file: "a.csv.gz", line: 12, allowed: "a complete gzip file", got: "cut" });
 * if (e.message !== 'a.csv.gz:12: must be a complete gzip file, got "cut"') throw new Error(e.message);
 * ```
 */
export class FileError extends ConfigError {
  /** The file (path or name). */
  readonly file: string;
  /** 1-based line, if known. */
  readonly line: number | undefined;
  /** 0-based data row, if known. */
  readonly row: number | undefined;
  constructor(options: {
    /** The file. */
    file: string;
    /** 1-based line, if known. */
    line?: number;
    /** 0-based data row, if known. */
    row?: number;
    /** What the file must be. */
    allowed: string;
    /** What was found. */
    got: unknown;
  }) {
    const { file, line, row } = options;
    const where = line !== undefined
      ? `${file}:${line}`
      : row !== undefined
      ? `${file} row ${row}`
      : file;
    super(where, options.allowed, options.got);
    this.name = "FileError";
    this.file = file;
    this.line = line;
    this.row = row;
  }
}

/** A value for messages: strings quoted, short JSON for data, a name for the rest. */
function fmt(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v == null) return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (ArrayBuffer.isView(v)) {
    return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length})`;
  }
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

// ---------------------------------------------------------------- paths

/** The path of `key` inside the object at `path`: `at("policy[0]", "alpha")` → `policy[0].alpha`. */
export function at(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** The path of element `i` of the array at `path`: `item("values", 2)` → `values[2]`. */
export function item(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** `sub` (a path) under `prefix`: `join("game", "bid.maxQty")`, `join("policy", "[0].alpha")`. */
function join(prefix: string, sub: string): string {
  if (prefix === "") return sub;
  if (sub === "") return prefix;
  return sub.startsWith("[") ? prefix + sub : `${prefix}.${sub}`;
}

/**
 * Runs `f` and puts `path` in front of the field of any `ConfigError` it throws: for checks that
 * name their fields from the top of their own object (`steps`) when that object sits at `path`
 * in a larger config (`game.steps`). `owner` names the function for unknown-key messages.
 *
 * @example
 * ```ts
 * import { checkInt, underPath } from "./errors.ts";
 * try {
 *   underPath("game", () => checkInt("steps", 0, 1, 100));
 * } catch (e) {
 *   if ((e as Error).message !== "game.steps: must be an integer in [1, 100], got 0") throw e;
 * }
 * ```
 */
export function underPath<T>(path: string, f: () => T, owner?: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownOptionError) {
      throw new UnknownOptionError({
        key: e.key,
        known: e.known,
        value: e.got,
        path: join(path, e.path),
        owner: owner ?? e.owner,
      });
    }
    if (e instanceof ConfigError && e.constructor === ConfigError) {
      throw new ConfigError(join(path, e.field), e.allowed, e.got);
    }
    throw e;
  }
}

/**
 * Runs `f` and renames path `from` to `to` in the field of any `ConfigError` it throws whose
 * field is `from` or inside it (and not already inside `to`): for checks that name an object by a default path (`policy`)
 * when the caller knows the real one (`policy[1]`, `init[0]`). Other errors pass unchanged.
 *
 * @example
 * ```ts
 * import { checkInt, renamePath } from "./errors.ts";
 * try {
 *   renamePath("policy", "policy[1]", () => checkInt("policy.offset", -1, 0, 10));
 * } catch (e) {
 *   if ((e as Error).message !== "policy[1].offset: must be an integer in [0, 10], got -1") throw e;
 * }
 * ```
 */
export function renamePath<T>(from: string, to: string, f: () => T): T {
  const inside = (p: string) => p === from || p.startsWith(`${from}.`) || p.startsWith(`${from}[`);
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownOptionError && inside(e.path)) {
      throw new UnknownOptionError({
        key: e.key,
        known: e.known,
        value: e.got,
        path: to + e.path.slice(from.length),
        owner: e.owner,
      });
    }
    if (e instanceof ConfigError && e.constructor === ConfigError && inside(e.field)) {
      throw new ConfigError(to + e.field.slice(from.length), e.allowed, e.got);
    }
    throw e;
  }
}

// ---------------------------------------------------------------- did you mean

/**
 * The known key closest to `key` by edit distance (insertions, deletions, substitutions and
 * swaps of two neighbours; case ignored), if it is within a third of the key's length (at least
 * 1), as rustc and clap suggest names; `undefined` if none is that close.
 *
 * @example
 * ```ts
 * import { closestKey } from "./errors.ts";
 * const keys = ["epsilon", "epsilonUnit", "alpha", "gamma"];
 * if (closestKey("epsilnon", keys) !== "epsilon") throw new Error("one deletion");
 * if (closestKey("Gama", keys) !== "gamma") throw new Error("case and one insertion");
 * if (closestKey("beta", keys) !== undefined) throw new Error("nothing close");
 * ```
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const limit = Math.max(1, Math.floor(k.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const cand of known) {
    const d = editDistance(k, cand.toLowerCase());
    if (d <= limit && d < bestD) {
      best = cand;
      bestD = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of a span). */
function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

// ---------------------------------------------------------------- single values

/** Throws unless `v` is an integer in [lo, hi]. */
export function checkInt(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ConfigError(field, `an integer in [${lo}, ${hi}]`, v);
  }
  return v;
}

/** Throws unless `v` is a finite number in [lo, hi] (infinite bounds: any finite number). */
export function checkNum(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
    throw new ConfigError(field, numAllowed(lo, hi), v);
  }
  return v;
}

function numAllowed(lo: number, hi: number): string {
  if (lo === -Infinity && hi === Infinity) return "a finite number";
  if (hi === Infinity) return `a finite number >= ${lo}`;
  if (lo === -Infinity) return `a finite number <= ${hi}`;
  return `a number in [${lo}, ${hi}]`;
}

/** Throws unless `v` is one of `allowed`. */
export function checkOneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, v);
  }
  return v as T;
}

/** The allowed values of a seed, in words. */
export const SEED_ALLOWED = "a safe integer or a non-empty string";

/**
 * Throws unless `v` is a valid seed: a safe integer (`Number.isSafeInteger`) or a non-empty
 * string. The one seed rule of the project (see the module doc).
 *
 * @example
 * ```ts
 * import { checkSeed } from "./errors.ts";
 * if (checkSeed("seed", 7) !== 7 || checkSeed("seed", "eval:1") !== "eval:1") throw new Error();
 * for (const bad of [NaN, 1.5, null, {}, true, "", 2 ** 53]) {
 *   let threw = false;
 *   try { checkSeed("seed", bad); } catch { threw = true; }
 *   if (!threw) throw new Error(`accepted ${String(bad)}`);
 * }
 * ```
 */
export function checkSeed(field: string, v: unknown): number | string {
  if ((typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && v !== "")) {
    return v;
  }
  throw new ConfigError(field, SEED_ALLOWED, v);
}

/** The allowed values of an integer seed, in words. */
export const INT_SEED_ALLOWED = "a safe integer";

/**
 * Throws unless `v` is a safe integer: the seed rule where seeds are added to (an episode's seed
 * `seed + e`, a copy's `seed · 4096 + i`) or saved as numbers (the RL environments, agents and
 * checkpoints), as their docs say.
 */
export function checkIntSeed(field: string, v: unknown): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  throw new ConfigError(field, INT_SEED_ALLOWED, v);
}

/** Throws unless `v` is a plain object (not an array, not null, not a function). */
export function checkObject(
  field: string,
  v: unknown,
  allowed = "an object",
): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ConfigError(field, allowed, v);
  }
  return v as Record<string, unknown>;
}

/**
 * Throws an {@linkcode UnknownOptionError} if `obj` has an own key outside `known`; `path` is
 * the object's path (`""` at the top level), `owner` the function it belongs to.
 */
export function checkKeys(
  obj: object,
  known: readonly string[],
  where: Where = {},
): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) {
      throw new UnknownOptionError({
        key: k,
        known,
        value: (obj as Record<string, unknown>)[k],
        path: where.path,
        owner: where.owner,
      });
    }
  }
}

// ---------------------------------------------------------------- schemas

/** Checks one field: returns its value (possibly normalised) or throws naming `path`. */
export interface Field<T> {
  /** The allowed values, in words (`"an integer in [1, 10]"`). */
  readonly allowed: string;
  /** Checks `v`, the value at `path` (`undefined` when absent). */
  readonly check: (v: unknown, path: string) => T;
}

/** An options object's schema: a field checker per key. */
export type Schema = Readonly<Record<string, Field<unknown>>>;

/** The checked object a schema describes. */
export type Parsed<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never;
};

/** Where an options object sits: its path (`""` at the top) and the function it belongs to. */
export interface Where {
  /** Path of the object (`"policy[0]"`, `"game.bid"`); default `""`, the top level. */
  readonly path?: string;
  /** The function whose options these are, for unknown-key messages (`"train"`). */
  readonly owner?: string;
}

/**
 * Checks an options object against `schema` (see the module doc): unknown keys first, then each
 * key in schema order. Returns a new object with the checked values and defaults, without the
 * keys that are absent and have no default.
 */
export function checkOptions<S extends Schema>(
  value: unknown,
  schema: S,
  where: Where = {},
): Parsed<S> {
  const path = where.path ?? "";
  const o = checkObject(
    path || "options",
    value,
    where.owner ? `an object of ${where.owner}'s options` : "an object",
  );
  const known = Object.keys(schema);
  checkKeys(o, known, where);
  const out: Record<string, unknown> = {};
  for (const k of known) {
    const v = schema[k].check(o[k], at(path, k));
    if (v !== undefined) out[k] = v;
  }
  return out as Parsed<S>;
}

/** A field checked by a function (the building block of the others). */
export function custom<T>(allowed: string, check: (v: unknown, path: string) => T): Field<T> {
  return { allowed, check };
}

/** Any value, unchecked here (checked where it is used; say where in `allowed`). */
export function anything(allowed = "any value"): Field<unknown> {
  return { allowed, check: (v) => v };
}

/** An integer in [lo, hi]. */
export function int(lo: number, hi: number): Field<number> {
  return { allowed: `an integer in [${lo}, ${hi}]`, check: (v, p) => checkInt(p, v, lo, hi) };
}

/** A finite number in [lo, hi] (infinite bounds: any finite number). */
export function num(lo = -Infinity, hi = Infinity): Field<number> {
  return { allowed: numAllowed(lo, hi), check: (v, p) => checkNum(p, v, lo, hi) };
}

/** A finite number in (0, hi] (default: any finite number > 0). */
export function positive(hi = Infinity): Field<number> {
  const allowed = hi === Infinity ? "a finite number > 0" : `a number in (0, ${hi}]`;
  return {
    allowed,
    check: (v, p) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > hi) {
        throw new ConfigError(p, allowed, v);
      }
      return v;
    },
  };
}

/** `true` or `false`. */
export function bool(): Field<boolean> {
  return {
    allowed: "true or false",
    check: (v, p) => {
      if (typeof v !== "boolean") throw new ConfigError(p, "true or false", v);
      return v;
    },
  };
}

/** A string (non-empty unless `empty` is true). */
export function str(options: { empty?: boolean; allowed?: string } = {}): Field<string> {
  const allowed = options.allowed ?? (options.empty ? "a string" : "a non-empty string");
  return {
    allowed,
    check: (v, p) => {
      if (typeof v !== "string" || (!options.empty && v === "")) {
        throw new ConfigError(p, allowed, v);
      }
      return v;
    },
  };
}

/** One of the given strings. */
export function oneOf<T extends string>(values: readonly T[]): Field<T> {
  return {
    allowed: `one of ${values.map((a) => JSON.stringify(a)).join(", ")}`,
    check: (v, p) => checkOneOf(p, v, values),
  };
}

/** A function; `allowed` describes it (`"a function () => number"`). */
export function fn<T = (...args: never[]) => unknown>(allowed = "a function"): Field<T> {
  return {
    allowed,
    check: (v, p) => {
      if (typeof v !== "function") throw new ConfigError(p, allowed, v);
      return v as T;
    },
  };
}

/** A seed ({@linkcode checkSeed}). */
export function seed(): Field<number | string> {
  return { allowed: SEED_ALLOWED, check: (v, p) => checkSeed(p, v) };
}

/** A seed that must be a safe integer ({@linkcode checkIntSeed}). */
export function intSeed(): Field<number> {
  return { allowed: INT_SEED_ALLOWED, check: (v, p) => checkIntSeed(p, v) };
}

/** `null` or a value of `f`. */
export function nullable<T>(f: Field<T>): Field<T | null> {
  return {
    allowed: `null or ${f.allowed}`,
    check: (v, p) => {
      if (v === null) return null;
      try {
        return f.check(v, p);
      } catch (e) {
        if (e instanceof ConfigError && e.field === p) {
          throw new ConfigError(p, `null or ${f.allowed}`, v);
        }
        throw e;
      }
    },
  };
}

/** `f`, which may be absent: `undefined` gives `def` (or stays `undefined` without one). */
export function optional<T>(f: Field<T>): Field<T | undefined>;
/** `f`, which may be absent: `undefined` gives `def`. */
export function optional<T>(f: Field<T>, def: T): Field<T>;
export function optional<T>(f: Field<T>, def?: T): Field<T | undefined> {
  return { allowed: f.allowed, check: (v, p) => (v === undefined ? def : f.check(v, p)) };
}

/**
 * Numbers as a plain array or a typed array (returned as given, not copied): each finite (or
 * NaN-free but possibly infinite with `infinite: true`), within `[lo, hi]`, integers with
 * `integer: true`; the length within `[minLength, maxLength]`.
 */
export function numbers(options: {
  lo?: number;
  hi?: number;
  integer?: boolean;
  infinite?: boolean;
  minLength?: number;
  maxLength?: number;
  increasing?: boolean;
} = {}): Field<ArrayLike<number>> {
  const lo = options.lo ?? -Infinity, hi = options.hi ?? Infinity;
  const minLength = options.minLength ?? 0;
  const maxLength = options.maxLength ?? 2 ** 32 - 1;
  const one = options.integer ? "integer" : options.infinite ? "number" : "finite number";
  const range = lo === -Infinity && hi === Infinity ? "" : ` in [${lo}, ${hi}]`;
  const len = minLength === maxLength
    ? ` (length ${minLength})`
    : maxLength < 2 ** 32 - 1
    ? ` (${minLength} to ${maxLength})`
    : minLength > 0
    ? ` (at least ${minLength})`
    : "";
  const order = options.increasing ? "increasing " : "";
  const allowed = `an array of ${order}${one}s${range}${len}`;
  const article = /^[aeiou]/.test(one) ? "an" : "a";
  return {
    allowed,
    check: (v, p) => {
      if (!isNumberArray(v) || v.length < minLength || v.length > maxLength) {
        throw new ConfigError(p, allowed, v);
      }
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const ok = typeof x === "number" && !Number.isNaN(x) &&
          (options.infinite || Number.isFinite(x)) && x >= lo && x <= hi &&
          (!options.integer || Number.isInteger(x));
        if (!ok) throw new ConfigError(item(p, i), `${article} ${one}${range}`, x);
        if (options.increasing && i > 0 && !(x > v[i - 1])) {
          throw new ConfigError(item(p, i), `${article} ${one} above ${v[i - 1]} (increasing)`, x);
        }
      }
      return v;
    },
  };
}

/** A plain or typed array of numbers, returned as given; its entries are not checked. */
export function numberArray(allowed = "an array of numbers"): Field<ArrayLike<number>> {
  return custom(allowed, (v, path) => {
    if (!isNumberArray(v)) throw new ConfigError(path, allowed, v);
    return v;
  });
}

/** Whether `v` is a plain array or a numeric typed array (not a DataView). */
export function isNumberArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) &&
    !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

/** Throws unless every entry of `a` is a number that is not NaN (infinities pass); names `a[i]`. */
export function checkNoNaN(field: string, a: ArrayLike<number>): void {
  if (!isNumberArray(a)) throw new ConfigError(field, "an array of numbers", a);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== "number" || x !== x) throw new ConfigError(item(field, i), "a number", x);
  }
}

/** Throws unless every entry of `a` is a finite number; names `a[i]`. */
export function checkFinite(field: string, a: ArrayLike<number>): void {
  if (!isNumberArray(a)) throw new ConfigError(field, "an array of finite numbers", a);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new ConfigError(item(field, i), "a finite number", x);
    }
  }
}

/** A plain array (of `minLength` to `maxLength` entries) whose entries are checked by `f`. */
export function arrayOf<T>(
  f: Field<T>,
  options: { minLength?: number; maxLength?: number } = {},
): Field<T[]> {
  const min = options.minLength ?? 0, max = options.maxLength ?? 2 ** 32 - 1;
  const count = max === min
    ? ` of ${min} entries`
    : max >= 2 ** 32 - 1
    ? min === 0 ? "" : ` of at least ${min} entries`
    : ` of ${min} to ${max} entries`;
  const allowed = `an array${count} (each ${f.allowed})`;
  return {
    allowed,
    check: (v, p) => {
      if (!Array.isArray(v) || v.length < min || v.length > max) {
        throw new ConfigError(p, allowed, v);
      }
      return v.map((x, i) => f.check(x, item(p, i)));
    },
  };
}

/** A nested options object checked by `schema` (unknown keys rejected with its path). */
export function object<S extends Schema>(schema: S, owner?: string): Field<Parsed<S>> {
  return {
    allowed: `an object with keys ${Object.keys(schema).join(", ")}`,
    check: (v, p) => checkOptions(v, schema, { path: p, owner }),
  };
}

/**
 * A discriminated union: an object whose `tag` key (e.g. `kind`) names one of `cases`, each a
 * schema that must list the tag too. An unknown tag names `<path>.<tag>` and the allowed tags.
 */
export function variant<C extends Record<string, Schema>>(
  tag: string,
  cases: C,
  owner?: string,
): Field<{ [K in keyof C]: Parsed<C[K]> }[keyof C]> {
  const tags = Object.keys(cases);
  return {
    allowed: `an object with ${tag} ${tags.map((t) => JSON.stringify(t)).join(", ")}`,
    check: (v, p) => {
      const o = checkObject(p || "options", v, `an object with a ${tag}`);
      const t = checkOneOf(at(p, tag), o[tag], tags);
      return checkOptions(o, cases[t], { path: p, owner }) as never;
    },
  };
}
