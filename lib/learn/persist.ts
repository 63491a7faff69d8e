/**
 * Saving and loading Q-tables with their shape, visit counts and metadata.
 *
 * File format (little-endian): the 8 bytes `QTABLE01`, a `uint32` byte length `h` of a UTF-8 JSON
 * header `{nStates, nActions, hasVisits, meta}`, the header, zero padding to a multiple of 8
 * bytes, then `nStates * nActions` `float64` Q-values and, if `hasVisits`, as many `float64`
 * visit counts. Files are written atomically (temporary name, then rename).
 *
 * @module
 */
import { checkObject, ConfigError } from "../errors.ts";
import { writeFileAtomic } from "../io/atomic.ts";

const MAGIC = "QTABLE01";

/** A Q-table with its shape; a `QLearner` is one (its `visits` are saved too). */
export interface QTableData {
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** `Q(s, a)` at `s * nActions + a`. */
  readonly table: Float64Array;
  /** Optional update counts, same layout. */
  readonly visits?: Float64Array;
  /** Optional JSON-serialisable metadata (options, seed, episodes trained, ...). */
  readonly meta?: Record<string, unknown>;
}

/** What `loadQTable` returns. */
export interface LoadedQTable {
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** `Q(s, a)` at `s * nActions + a`. */
  readonly table: Float64Array;
  /** Update counts if they were saved. */
  readonly visits: Float64Array | undefined;
  /** The saved metadata (`{}` if none). */
  readonly meta: Record<string, unknown>;
}

/**
 * Saves a Q-table (and its visits and metadata, if any) to `path` atomically.
 *
 * @example
 * ```ts
 * import { createQLearner, loadQTable, saveQTable } from "./mod.ts";
 * import { stream } from "../rng.ts";
 * const learner = createQLearner({ nStates: 3, nActions: 2, gamma: 0.9, rng: stream(7, "doc") });
 * learner.update(1, 0, 2.5, 2, false);
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/maker0.qtable`;
 * await saveQTable(path, { ...learner, meta: { seed: 7 } });
 * const saved = await loadQTable(path);
 * const { nStates, nActions } = saved;
 * const resumed = createQLearner({ nStates, nActions, gamma: 0.9, rng: stream(7, "doc") });
 * resumed.table.set(saved.table);
 * if (resumed.table[2] !== 0.25 || saved.meta.seed !== 7) throw new Error("round trip");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveQTable(path: string, data: QTableData): Promise<void> {
  checkPath(path);
  // Not a strict options object: a learner itself is passed (`{...learner, meta}`).
  checkObject("data", data, "a Q-table (QTableData)");
  const { nStates, nActions, table, visits } = data;
  if (data.meta !== undefined) checkObject("meta", data.meta, "an object of JSON data");
  if (!Number.isInteger(nStates) || nStates < 1) {
    throw new ConfigError("nStates", "a positive integer", nStates);
  }
  if (!Number.isInteger(nActions) || nActions < 1) {
    throw new ConfigError("nActions", "a positive integer", nActions);
  }
  const n = nStates * nActions;
  if (!(table instanceof Float64Array) || table.length !== n) {
    throw new ConfigError("table", `a Float64Array of length ${n}`, table?.length);
  }
  if (visits !== undefined && (!(visits instanceof Float64Array) || visits.length !== n)) {
    throw new ConfigError("visits", `a Float64Array of length ${n}`, visits?.length);
  }
  let headerJson: string;
  try {
    headerJson = JSON.stringify({
      nStates,
      nActions,
      hasVisits: visits !== undefined,
      meta: data.meta ?? {},
    });
  } catch (e) {
    throw new ConfigError("meta", "JSON-serialisable", String(e));
  }
  const header = new TextEncoder().encode(headerJson);
  const start = align8(12 + header.length);
  const bytes = new Uint8Array(start + 8 * n * (visits ? 2 : 1));
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  for (let i = 0; i < n; i++) view.setFloat64(start + 8 * i, table[i], true);
  if (visits) {
    for (let i = 0; i < n; i++) view.setFloat64(start + 8 * (n + i), visits[i], true);
  }
  await writeFileAtomic(path, bytes);
}

/** Loads a Q-table saved by `saveQTable`; throws `ConfigError` on a file that is not one. */
export async function loadQTable(path: string): Promise<LoadedQTable> {
  const bytes = await Deno.readFile(checkPath(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string) => new ConfigError(path, `a Q-table file (${what})`, bytes.length);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw bad(`starting with ${MAGIC}`);
  }
  const h = view.getUint32(8, true);
  if (12 + h > bytes.length) throw bad("header longer than the file");
  let header: {
    nStates: number;
    nActions: number;
    hasVisits: boolean;
    meta: Record<string, unknown>;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h)));
  } catch {
    throw bad("JSON header");
  }
  const { nStates, nActions, hasVisits, meta } = header;
  if (!Number.isInteger(nStates) || !Number.isInteger(nActions) || nStates < 1 || nActions < 1) {
    throw bad("shape in header");
  }
  if (typeof hasVisits !== "boolean") throw bad("hasVisits in header");
  if (meta !== undefined && (typeof meta !== "object" || meta === null || Array.isArray(meta))) {
    throw bad("meta in header");
  }
  const n = nStates * nActions;
  const start = align8(12 + h);
  if (bytes.length !== start + 8 * n * (hasVisits ? 2 : 1)) throw bad("length matching the shape");
  const table = new Float64Array(n);
  for (let i = 0; i < n; i++) table[i] = view.getFloat64(start + 8 * i, true);
  let visits: Float64Array | undefined;
  if (hasVisits) {
    visits = new Float64Array(n);
    for (let i = 0; i < n; i++) visits[i] = view.getFloat64(start + 8 * (n + i), true);
  }
  return { nStates, nActions, table, visits, meta: meta ?? {} };
}

function checkPath(path: unknown): string {
  if (typeof path !== "string" || path === "") throw new ConfigError("path", "a file path", path);
  return path;
}

function align8(x: number): number {
  return (x + 7) & ~7;
}
