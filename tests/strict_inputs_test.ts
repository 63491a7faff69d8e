/**
 * Strict inputs everywhere (issue 14): random junk at every path of every registered entry
 * point (`tests/_entry_points.ts`) must give a `ConfigError` naming the path, and leave the live
 * object (book, game, learner) untouched; plus the examples one by one.
 *
 * Junk, at one path of a valid input per run:
 * - **hard** (must be rejected): a value of another type (a string for a number, a number for a
 *   string, an object or array for a scalar, a scalar for an object, a non-function for a
 *   function), `NaN` for a number, a typo of a real key (rejected as unknown with a did-you-mean
 *   suggestion, or, for a required key, reported missing), an extra key at any nesting level;
 * - **soft** (may be valid: `null` for a nullable field, 0 for a count): `null`, absent, 0, −1,
 *   0.5, ±1e300, `""`, `[]`, `{}`. If rejected, the error is a `ConfigError` (a cross-field rule
 *   may name a sibling), never a `TypeError` or `RangeError`.
 *
 * @module
 */
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { ConfigError, FileError, UnknownOptionError } from "../lib/errors.ts";
import { createGame, playEpisodes } from "../lib/game/mod.ts";
import { readParquet } from "../lib/io/mod.ts";
import { maybeGunzip, readMessages } from "../lib/lobster/mod.ts";
import { loadRun, qMaker } from "../lib/makers/mod.ts";
import { markouts, maxDrawdown, sharpe } from "../lib/metrics/mod.ts";
import { readParquetFile } from "../lib/report/mod.ts";
import { stream } from "../lib/rng.ts";
import { competitionJobs, fixedDynamicJobs, marketJobs } from "../lib/experiments/mod.ts";
import { compareJobs, evalJob, tuneJobs } from "../lib/experiments/rl/mod.ts";
import { intFlag, parsedFlag, parseFlags } from "../scripts/_flags.ts";
import { parseShard } from "../lib/sweep/mod.ts";
import { assertEquals, assertThrows, assertTrue, throwsUnknown } from "./_assert.ts";
import { ENTRY_POINTS, type EntryPoint } from "./_entry_points.ts";

// ---------------------------------------------------------------- paths and mutations

type Seg = string | number;

function pathOf(segs: readonly Seg[]): string {
  let p = "";
  for (const s of segs) p = typeof s === "number" ? `${p}[${s}]` : p === "" ? s : `${p}.${s}`;
  return p;
}

/** `sub` under `prefix`, as `lib/errors.ts` joins paths. */
function join(prefix: string, sub: string): string {
  if (prefix === "") return sub;
  if (sub === "") return prefix;
  return sub.startsWith("[") ? prefix + sub : `${prefix}.${sub}`;
}

/** Whether `field` is `path` or inside it. */
function under(field: string, path: string): boolean {
  if (path === "") return field !== "";
  return field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) &&
  !(v instanceof URL);

interface Site {
  segs: Seg[];
  value: unknown;
}

/** Every path of `v` the entry lets us mutate (open objects, typed arrays, functions are leaves). */
function sitesOf(entry: EntryPoint, v: unknown): Site[] {
  const out: Site[] = [];
  const open = new Set(entry.open ?? []);
  const walk = (x: unknown, segs: Seg[]) => {
    out.push({ segs, value: x });
    if (open.has(pathOf(segs))) return;
    if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...segs, i]));
    else if (isPlainObject(x)) { for (const k of Object.keys(x)) walk(x[k], [...segs, k]); }
  };
  walk(v, []);
  return out;
}

function allowedAt(entry: EntryPoint, p: string, keyMutation: boolean): boolean {
  if (!entry.only) return true;
  if (keyMutation && p === "") return true;
  return entry.only.some((o) => under(p, o) || p === o);
}

const isFree = (entry: EntryPoint, p: string) =>
  (entry.free ?? []).some((f) => p === f || under(p, f) || f === "");

const JUNK_KEY = "zzUnknownKey";

/** Hard junk for a value of this kind: never valid for it. */
function hardJunk(v: unknown): unknown[] {
  const obj = { [JUNK_KEY]: 1 };
  if (typeof v === "number") return [NaN, "\u0000junk", obj, [NaN], true];
  if (typeof v === "string") return [NaN, 12345, obj, [NaN], true];
  if (typeof v === "boolean") return [NaN, "\u0000junk", obj, [NaN], 0];
  if (typeof v === "function") return [NaN, "\u0000junk", obj, [NaN], true];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return [NaN, "\u0000junk", obj, true];
  if (isPlainObject(v)) return [NaN, "\u0000junk", [NaN], true];
  return [NaN];
}

const SOFT_JUNK: unknown[] = [null, undefined, 0, -1, 0.5, 1e300, -1e300, "", [], {}];

function typo(key: string, op: number, pos: number, ch: string): string {
  const i = pos % Math.max(1, key.length);
  switch (op % 4) {
    case 0: // swap two neighbours
      if (key.length >= 2) {
        const j = Math.min(i, key.length - 2);
        if (key[j] !== key[j + 1]) {
          return key.slice(0, j) + key[j + 1] + key[j] + key.slice(j + 2);
        }
      }
      return key + ch;
    case 1: // drop one
      return key.length >= 2 ? key.slice(0, i) + key.slice(i + 1) : key + ch;
    case 2: // insert one
      return key.slice(0, i) + ch + key.slice(i);
    default: // replace one
      return key.slice(0, i) + (key[i] === ch ? "q" : ch) + key.slice(i + 1);
  }
}

interface Choice {
  site: number;
  kind: number;
  pick: number;
  op: number;
  pos: number;
  ch: string;
}

type Expect =
  | { kind: "hard"; path: string; what: string }
  | { kind: "soft"; path: string; what: string }
  | { kind: "typo"; path: string; typo: string; original: string }
  | { kind: "extra"; path: string };

/** Applies one mutation to `input` (in place, or returns a new root). */
function mutate(
  entry: EntryPoint,
  input: unknown,
  c: Choice,
): { input: unknown; expect: Expect } | null {
  const sites = sitesOf(entry, input);
  const site = sites[c.site % sites.length];
  const p = pathOf(site.segs);
  const objectSite = isPlainObject(site.value) && !(entry.open ?? []).includes(p);
  const kinds: string[] = [];
  if (allowedAt(entry, p, false)) kinds.push("hard", "soft");
  if (objectSite && allowedAt(entry, p, true)) {
    if (Object.keys(site.value as object).length > 0) kinds.push("typo");
    kinds.push("extra");
  }
  if (kinds.length === 0) return null;
  const kind = kinds[c.kind % kinds.length];
  const set = (value: unknown): unknown => {
    if (site.segs.length === 0) return value;
    let parent = input as Record<Seg, unknown>;
    for (const s of site.segs.slice(0, -1)) parent = parent[s] as Record<Seg, unknown>;
    const last = site.segs[site.segs.length - 1];
    if (value === undefined && !Array.isArray(parent)) delete parent[last];
    else parent[last] = value;
    return input;
  };
  switch (kind) {
    case "hard":
    case "soft": {
      const pool = kind === "hard" ? hardJunk(site.value) : SOFT_JUNK;
      const junk = pool[c.pick % pool.length];
      const soft = kind === "soft" || isFree(entry, p);
      return {
        input: set(junk),
        expect: { kind: soft ? "soft" : "hard", path: p, what: describe(junk) },
      };
    }
    case "typo": {
      const obj = site.value as Record<string, unknown>;
      const keys = Object.keys(obj);
      const original = keys[c.pick % keys.length];
      const t = typo(original, c.op, c.pos, c.ch);
      if (t === original || t in obj) return null;
      const v = obj[original];
      delete obj[original];
      obj[t] = v;
      return { input, expect: { kind: "typo", path: p, typo: t, original } };
    }
    default: {
      (site.value as Record<string, unknown>)[JUNK_KEY] = 1;
      return { input, expect: { kind: "extra", path: p } };
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === "function") return "a function";
  if (typeof v === "number" || v === undefined) return String(v);
  return JSON.stringify(v);
}

/** Runs one mutated call and checks the outcome; returns a failure message or "". */
async function check(entry: EntryPoint, c: Choice): Promise<string> {
  const m = mutate(entry, entry.valid(), c);
  if (m === null) return "";
  const { expect } = m;
  const live = entry.setup?.();
  const before = entry.snapshot ? JSON.stringify(entry.snapshot(live)) : undefined;
  let err: unknown;
  try {
    await entry.call(m.input, live);
  } catch (e) {
    err = e;
  }
  const prefix = entry.prefix ?? "";
  const at = (p: string) => join(prefix, p);
  const what = expect.kind === "typo"
    ? `key ${JSON.stringify(expect.original)} → ${JSON.stringify(expect.typo)} at "${expect.path}"`
    : expect.kind === "extra"
    ? `extra key at "${expect.path}"`
    : `${expect.kind} ${expect.what} at "${expect.path}"`;
  if (err === undefined) {
    return expect.kind === "soft" ? "" : `${entry.name}: accepted ${what}`;
  }
  if (!(err instanceof ConfigError)) return `${entry.name}: ${what} threw ${err}`;
  const f = err.field;
  switch (expect.kind) {
    case "hard":
      if (!under(f, at(expect.path))) return `${entry.name}: ${what} reported as ${err.message}`;
      break;
    case "soft":
      break;
    case "typo": {
      const t = join(at(expect.path), expect.typo);
      const o = join(at(expect.path), expect.original);
      if (f === t) {
        if (!(err instanceof UnknownOptionError) || !err.message.includes("; did you mean ")) {
          return `${entry.name}: ${what} without a suggestion: ${err.message}`;
        }
      } else if (!under(f, o) && !under(f, t)) {
        // (under t: the typo happened to be another real key, whose value was then rejected)
        return `${entry.name}: ${what} reported as ${err.message}`;
      }
      break;
    }
    case "extra":
      if (f !== join(at(expect.path), JUNK_KEY)) {
        return `${entry.name}: ${what} reported as ${err.message}`;
      }
  }
  if (before !== undefined && JSON.stringify(entry.snapshot!(live)) !== before) {
    return `${entry.name}: ${what} threw but changed the state`;
  }
  return "";
}

/**
 * Runs per entry point and the seed (override with STRICT_RUNS / STRICT_SEED to search more);
 * STRICT_ONLY, a regular expression, keeps the entry points whose name or module it matches.
 */
const RUNS = Number(Deno.env.get("STRICT_RUNS") ?? 80);
const SEED = Number(Deno.env.get("STRICT_SEED") ?? 14);
const ONLY = new RegExp(Deno.env.get("STRICT_ONLY") ?? "");
const ENTRIES = ENTRY_POINTS.filter((e) => ONLY.test(e.name) || ONLY.test(e.module));

const CHOICE = fc.record({
  site: fc.nat(),
  kind: fc.nat(),
  pick: fc.nat(),
  op: fc.nat(),
  pos: fc.nat(),
  ch: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
});

// ---------------------------------------------------------------- the property

Deno.test("every registered entry point accepts its valid input", async () => {
  for (const e of ENTRIES) {
    try {
      await e.call(e.valid(), e.setup?.());
    } catch (err) {
      throw new Error(`${e.name}: its valid input was rejected: ${err}`);
    }
  }
});

Deno.test("junk at any path: a ConfigError naming the path, the state untouched", async (t) => {
  for (const entry of ENTRIES) {
    await t.step(entry.name, async () => {
      await fc.assert(
        fc.asyncProperty(CHOICE, async (c) => {
          const failure = await check(entry, c);
          if (failure) throw new Error(failure);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});

Deno.test("the property can fail: a lenient checker is caught", async () => {
  // An entry point that ignores unknown keys and coerces strings, as most did before.
  const lenient: EntryPoint = {
    name: "lenient",
    module: "tests",
    valid: () => ({ steps: 3 }),
    call: (o) => {
      const steps = Number((o as { steps?: unknown }).steps ?? 3);
      if (!(steps >= 1)) throw new ConfigError("steps", "an integer >= 1", steps);
    },
  };
  const failures = [];
  for (let k = 0; k < 6; k++) {
    failures.push(await check(lenient, { site: 0, kind: k, pick: 1, op: 0, pos: 0, ch: "x" }));
  }
  assertTrue(failures.some((f) => f.includes("accepted extra key")), failures.join("\n"));
  assertTrue(failures.some((f) => f.includes("accepted key")), failures.join("\n"));
});

// ---------------------------------------------------------------- the examples

Deno.test("issue 14 examples: typos, wrong types, seeds, crashes", () => {
  const msg = (f: () => unknown) => assertThrows(f, ConfigError).message;
  assertEquals(
    msg(() => qMaker({ epsilnon: 0.1 } as never)),
    '"epsilnon": unknown option of qMaker\'s policy; did you mean "epsilon"?',
  );
  assertEquals(
    msg(() => createGame({ makers: 1, policy: qMaker({ fallback: "stay" }) })),
    'policy.fallback: must be one of "up", "down", "keep_price", "qty_up", "qty_down", ' +
      '"keep_qty", "replenish", got "stay"',
  );
  assertEquals(
    msg(() => createGame({ makers: "2" as never })),
    'makers: must be an integer in [0, 64], got "2"',
  );
  assertEquals(
    msg(() => createGame({ makers: 1, policy: [{ kind: "follower", alpha: "0.3" as never }] })),
    'policy[0].alpha: must be a number in (0, 1], got "0.3"',
  );
  // Seeds: one rule, checked before anything changes.
  const g = createGame({ makers: 1, steps: 5, seed: 1 });
  const first = g.run(3);
  for (const bad of [NaN, 1.5, null, { a: 1 }, { b: 2 }, true, ""]) {
    assertEquals(
      msg(() => g.run(bad as never)),
      `seed: must be a safe integer or a non-empty string, got ${
        typeof bad === "number" || bad === null || typeof bad === "boolean"
          ? String(bad)
          : JSON.stringify(bad)
      }`,
    );
    assertEquals(g.summary(), first, "a rejected seed changes nothing");
  }
  assertThrows(() => stream(NaN, "x"), ConfigError, "seed:");
  assertThrows(() => playEpisodes({}, undefined as never), ConfigError, "options: must be");
  // Metrics: NaN is named, not averaged in or skipped.
  assertEquals(msg(() => sharpe([0, 1, NaN, 3])), "pnl[2]: must be a finite number, got NaN");
  assertEquals(msg(() => maxDrawdown([0, NaN, 1])), "pnl[1]: must be a finite number, got NaN");
  const fills = { n: 0, step: new Int32Array(0), side: new Int8Array(0) } as never;
  assertThrows(() => markouts({ fills, mid: [1, NaN], horizons: [1] }), ConfigError, "fills:");
});

Deno.test("files: a truncated .csv.gz, Parquet file or run.json names the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = "34200.05990197,4,15818974,300,5794000,1\n".repeat(5000);
    const gz = gzipSync(new TextEncoder().encode(text));
    const path = `${dir}/X_2012-06-21_0_1_message_1.csv.gz`;
    await Deno.writeFile(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const e = assertThrows(() => readMessages(path), FileError) as FileError;
    assertEquals(e.file, "X_2012-06-21_0_1_message_1.csv.gz");
    assertTrue(e.line !== undefined && e.line > 1 && e.line <= 5001, `line ${e.line}`);
    assertTrue(e.message.startsWith(`${e.file}:${e.line}: must be a complete gzip file`));
    assertThrows(() => maybeGunzip(gz.subarray(0, 30), "cut.gz"), FileError, "cut.gz");

    const buf = pl.DataFrame({ a: [1, 2, 3] }).writeParquet();
    const pq = `${dir}/cut.parquet`;
    await Deno.writeFile(pq, buf.subarray(0, buf.length - 8));
    const err = await readParquet(pq).then(() => null, (x) => x);
    assertTrue(err instanceof FileError && err.file === pq, String(err));
    assertThrows(() => readParquetFile(pq), FileError, `${pq}: must be a complete Parquet file`);

    await Deno.writeTextFile(
      `${dir}/run.json`,
      JSON.stringify({
        format: "makers-run/1",
        label: "x",
        config: {},
        episodes: 1,
        checks: 1,
        convergence: { changes: [] },
        final: { makerPnl: [], takerPnl: 0 },
      }),
    );
    const r = await loadRun(dir).then(() => null, (x) => x);
    assertTrue(r instanceof ConfigError && r.field === `${dir}/run.json: learners`, String(r));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scripts' flags: an unknown flag names it, the closest and the allowed flags", () => {
  const options = {
    quick: { type: "boolean" },
    out: { type: "string" },
    only: { type: "string", multiple: true },
  } as const;
  const msg = (args: string[]) => assertThrows(() => parseFlags("t", args, options), ConfigError);
  const { values } = parseFlags("t", ["--quick", "--only", "a", "--only", "b"], options);
  assertEquals([values.quick, values.out, values.only], [true, undefined, ["a", "b"]]);
  assertEquals(
    msg(["--quik"]).message,
    '"--quik": unknown option of t; did you mean "--quick"? (flags: --quick, --out, --only)',
  );
  assertEquals(
    msg(["--zz"]).message,
    '"--zz": unknown option of t (known: --quick, --out, --only)',
  );
  assertEquals(
    msg(["--out"]).message,
    "--out: must be followed by a value (--out <value>), got undefined",
  );
  assertEquals((msg(["--quick=1"]) as ConfigError).field, "--quick");
  assertEquals(
    msg(["x"]).message,
    'arguments: must be flags only (--quick, --out <value>, --only <value>), got "x"',
  );
  // A flag's value parsed into an object is named by the flag, not by the object's field.
  const shard = (text: string) => parsedFlag("--shard", text, '"i/n" with 0 <= i < n', parseShard);
  assertEquals(shard("1/3"), { index: 1, count: 3 });
  for (const bad of ["3/2", "1/0", "x", "-1/2"]) {
    const e = assertThrows(() => shard(bad), ConfigError) as ConfigError;
    assertEquals(e.message, `--shard: must be "i/n" with 0 <= i < n, got ${JSON.stringify(bad)}`);
  }
  assertEquals(intFlag("--workers", "3", 1, 8), 3);
  for (const bad of ["two", "1.5", "", "0x2", "9"]) {
    assertThrows(
      () => intFlag("--workers", bad, 1, 8),
      ConfigError,
      "--workers: must be an integer",
    );
  }
});

Deno.test("studies' options: an unknown key is named with a suggestion before anything runs", () => {
  throwsUnknown(() => marketJobs({ worker: 0 } as never), "worker", "workers");
  throwsUnknown(() => competitionJobs({ evalEpisode: 1 } as never), "evalEpisode", "evalEpisodes");
  throwsUnknown(() => fixedDynamicJobs({ setting: {} } as never), "setting", "settings");
  throwsUnknown(() => tuneJobs({ baseline: [] } as never), "baseline", "baselines");
  throwsUnknown(() => compareJobs({ polices: [] } as never), "polices", "policies");
  throwsUnknown(() => evalJob({ seedbase: 0 } as never), "job.seedbase", "seedBase");
});
