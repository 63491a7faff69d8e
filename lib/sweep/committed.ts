/**
 * Committed outputs: a study too long for the reproduction runs as its own task (`deno task
 * study:<name>`), and its tables are committed under `data/` with the **configuration hash** they
 * were made from, so that the notebooks can load them and `deno task reproduce` can tell when the
 * code's configuration has moved on (the pattern of rl-baselines3-zoo: the trained artefacts are
 * committed with the exact settings that made them, one script makes them, another reads them).
 *
 * - The hash ({@linkcode outputHash}) is SHA-256 of the canonical JSON of `{name, version,
 *   config}`: `config` is the study's job list (or whatever fully determines its outputs, plain
 *   data) and `version` a number the study bumps when a change of code changes what the same jobs
 *   produce (a fixed bug, a new column), which the job list alone cannot see.
 * - {@linkcode writeCommitted} writes one Parquet file per table (atomically) and then
 *   `manifest.json`: the format tag, the name, the version, the hash, the command that makes the
 *   outputs, and each file with its row count and SHA-256. A study that writes its tables part by
 *   part (so that an interrupted run keeps what it finished) passes `{complete: false, parts}`
 *   until the last part; the check reports such an output as incomplete. `minutes` (the run's
 *   wall time, measured by the script: `lib/` reads no clock) is recorded for the notebooks.
 * - {@linkcode checkCommitted} compares a folder with the code's configuration: the manifest
 *   present and readable, made from the same hash, every file present with its recorded digest.
 *   Every problem is one sentence naming the file, and a stale or missing output says the
 *   command that regenerates it. It never throws for a problem with the files.
 * - {@linkcode loadCommitted} checks, then reads the tables (a `FileError` listing the problems
 *   otherwise).
 *
 * Any output made elsewhere (e.g. the RL checkpoints of `lib/training`, whose `checkModels` has its
 * own manifest) fits the same registry (`lib/experiments/committed.ts`) through its own check
 * function returning {@linkcode CommittedCheck}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { checkCommitted, writeCommitted } from "./committed.ts";
 * const dir = Deno.makeTempDirSync();
 * const spec = { name: "demo", dir, command: "deno task study:demo", version: 1, config: [{ seed: 1 }] };
 * await writeCommitted(spec, { runs: pl.DataFrame({ seed: [1], pnl: [2.5] }) });
 * if (!(await checkCommitted(spec)).ok) throw new Error("fresh outputs pass");
 * const stale = await checkCommitted({ ...spec, config: [{ seed: 2 }] });
 * if (stale.ok || !stale.problems[0].includes("deno task study:demo")) throw new Error();
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { arrayOf, bool, checkOptions, FileError, int, num, optional, str } from "../errors.ts";
import { writeFileAtomicSync } from "../io/atomic.ts";
import { canonicalJson, sha256 } from "../io/hash.ts";
import { readParquet, writeParquetAtomic } from "../io/parquet.ts";

/** The manifest's format tag. */
export const COMMITTED_FORMAT = "lobgame-study/1";

/** What identifies a committed output and how to regenerate it. */
export interface CommittedSpec {
  /** The study's name, e.g. `"convergence"`. */
  readonly name: string;
  /** Its folder, e.g. `"data/studies/convergence"`. */
  readonly dir: string;
  /** The command that regenerates it, e.g. `"deno task study:convergence"`. */
  readonly command: string;
  /** Bumped when a code change changes what the same configuration produces. */
  readonly version: number;
  /** Everything that determines the outputs, as plain data (usually the job list). */
  readonly config: unknown;
}

/** The result of a check: no problem, or one sentence per problem. */
export interface CommittedCheck {
  /** No problem found. */
  readonly ok: boolean;
  /** One sentence per problem, naming the file; stale or missing outputs say how to regenerate. */
  readonly problems: readonly string[];
}

/** One file of a manifest. */
export interface ManifestFile {
  /** File name inside the folder. */
  readonly file: string;
  /** The table it holds. */
  readonly table: string;
  /** Rows. */
  readonly rows: number;
  /** SHA-256 of its bytes. */
  readonly sha256: string;
}

/** `manifest.json` of a committed output. */
export interface Manifest {
  /** {@linkcode COMMITTED_FORMAT}. */
  readonly format: string;
  /** The study. */
  readonly name: string;
  /** The version of its code. */
  readonly version: number;
  /** {@linkcode outputHash} of the configuration. */
  readonly configHash: string;
  /** The command that made it. */
  readonly command: string;
  /** The tables' files. */
  readonly files: readonly ManifestFile[];
  /** False while a study written part by part is unfinished (absent: complete). */
  readonly complete?: boolean;
  /** The parts written so far (studies written part by part). */
  readonly parts?: readonly string[];
  /** Wall time of the run that made it, in minutes, when the script measured it. */
  readonly minutes?: number;
}

/** What {@linkcode writeCommitted} records beside the tables (none of it is hashed). */
export interface CommittedInfo {
  /** False for a partial write (default true). */
  readonly complete?: boolean;
  /** The parts written so far. */
  readonly parts?: readonly string[];
  /** Wall time so far, minutes. */
  readonly minutes?: number;
}

const INFO = {
  complete: optional(bool()),
  parts: optional(arrayOf(str())),
  minutes: optional(num(0, 1e9)),
};

const SPEC = {
  name: str(),
  dir: str(),
  command: str(),
  version: int(0, 1e9),
  config: { allowed: "plain data (JSON)", check: (v: unknown) => v },
};

/**
 * The configuration hash of a committed output: SHA-256 of the canonical JSON of `{name, version,
 * config}` (key order does not matter).
 */
export function outputHash(spec: CommittedSpec): string {
  const s = checkOptions(spec, SPEC, { owner: "outputHash" });
  return sha256(canonicalJson({ name: s.name, version: s.version, config: s.config ?? null }));
}

/** Writes the tables and then the manifest (see the module doc); returns the manifest. */
export async function writeCommitted(
  spec: CommittedSpec,
  tables: Readonly<Record<string, pl.DataFrame>>,
  info: CommittedInfo = {},
): Promise<Manifest> {
  const s = checkOptions(spec, SPEC, { owner: "writeCommitted" });
  checkOptions(info, INFO, { owner: "writeCommitted", path: "info" });
  Deno.mkdirSync(s.dir, { recursive: true });
  const files: ManifestFile[] = [];
  for (const [table, df] of Object.entries(tables)) {
    const file = `${table}.parquet`;
    await writeParquetAtomic(df, join(s.dir, file));
    const bytes = Deno.readFileSync(join(s.dir, file));
    files.push({ file, table, rows: df.height, sha256: sha256(bytes) });
  }
  const manifest: Manifest = {
    format: COMMITTED_FORMAT,
    name: s.name,
    version: s.version,
    configHash: outputHash(spec),
    command: s.command,
    files,
    ...(info.complete === false ? { complete: false } : {}),
    ...(info.parts === undefined ? {} : { parts: info.parts }),
    ...(info.minutes === undefined ? {} : { minutes: Number(info.minutes.toFixed(1)) }),
  };
  writeFileAtomicSync(join(s.dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Reads `manifest.json` of `dir`, or says why it cannot (a sentence). */
export function readManifest(dir: string): Manifest | string {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) return `${path}: missing`;
  try {
    const m = JSON.parse(Deno.readTextFileSync(path)) as Manifest;
    if (m?.format !== COMMITTED_FORMAT || !Array.isArray(m.files)) {
      return `${path}: not a manifest of committed outputs (format "${m?.format}")`;
    }
    return m;
  } catch (e) {
    return `${path}: not valid JSON: ${(e as Error).message}`;
  }
}

/** Checks a folder against the code's configuration (see the module doc). */
export function checkCommitted(spec: CommittedSpec): Promise<CommittedCheck> {
  const s = checkOptions(spec, SPEC, { owner: "checkCommitted" });
  const redo = `regenerate with \`${s.command}\``;
  const m = readManifest(s.dir);
  if (typeof m === "string") return Promise.resolve({ ok: false, problems: [`${m}; ${redo}`] });
  const problems: string[] = [];
  const want = outputHash(spec);
  if (m.configHash !== want) {
    problems.push(
      `${join(s.dir, "manifest.json")}: stale: made from configuration ${
        String(m.configHash).slice(0, 12)
      }… (version ${m.version}), the code's is ${want.slice(0, 12)}… (version ${s.version}); ` +
        redo,
    );
  }
  if (m.complete === false) {
    problems.push(
      `${join(s.dir, "manifest.json")}: incomplete (only ${
        (m.parts ?? []).join(", ") || "no part"
      } written: the run was interrupted); ${redo}`,
    );
  }
  for (const f of m.files) {
    const path = join(s.dir, f.file);
    if (!existsSync(path)) {
      problems.push(`${path}: missing; ${redo}`);
      continue;
    }
    if (sha256(Deno.readFileSync(path)) !== f.sha256) {
      problems.push(`${path}: its bytes differ from the manifest's digest (edited?); ${redo}`);
    }
  }
  return Promise.resolve({ ok: problems.length === 0, problems });
}

/** Checks and reads a committed output's tables, by name; throws `FileError` if it fails. */
export async function loadCommitted(spec: CommittedSpec): Promise<Record<string, pl.DataFrame>> {
  const r = await checkCommitted(spec);
  if (!r.ok) {
    throw new FileError({
      file: join(spec.dir, "manifest.json"),
      allowed: `outputs made from the code's configuration (\`${spec.command}\`)`,
      got: r.problems.join("; "),
    });
  }
  const m = readManifest(spec.dir) as Manifest;
  const out: Record<string, pl.DataFrame> = {};
  for (const f of m.files) out[f.table] = await readParquet(join(spec.dir, f.file));
  return out;
}
