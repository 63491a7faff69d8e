/**
 * Readers for LOBSTER message and orderbook files (plain or gzip-compressed CSV).
 *
 * Rows go into typed arrays (struct of arrays, one array per column), never one object per row.
 * Every value is an exact integer: times are integer nanoseconds after midnight (a `Float64Array`
 * holds them exactly, since a day has fewer than 2^53 ns), prices are dollars × 10000.
 *
 * A malformed line throws a {@linkcode LobsterFormatError} naming the file, the line number
 * (1-based) and what was wrong; a truncated or corrupt `.gz` file throws a `FileError` naming the
 * file and the line where its readable text stops. Options objects are checked (unknown keys
 * rejected with a suggestion): `{file}` for the parsers, `{levels}` (an integer in [1, 1000])
 * for the orderbook readers.
 *
 * @module
 */
import { constants, gunzipSync } from "node:zlib";
import { checkOptions, ConfigError, FileError, int, optional, str } from "../errors.ts";

/** Event type 1: submission of a new limit order. */
export const SUBMIT = 1;
/** Event type 2: cancellation (partial deletion) of a limit order. */
export const CANCEL = 2;
/** Event type 3: deletion (total deletion) of a limit order. */
export const DELETE = 3;
/** Event type 4: execution of a visible limit order. */
export const EXECUTE = 4;
/** Event type 5: execution of a hidden limit order (the visible book does not change). */
export const HIDDEN = 5;
/** Event type 6: cross trade, e.g. an auction (the visible book does not change). */
export const CROSS = 6;
/** Event type 7: trading halt indicator (the visible book does not change). */
export const HALT = 7;

/** Price of an empty ask slot in an orderbook file. */
export const DUMMY_ASK = 9_999_999_999;
/** Price of an empty bid slot in an orderbook file. */
export const DUMMY_BID = -9_999_999_999;

/** Largest size accepted (sizes are stored in `Int32Array`s). */
export const MAX_SIZE = 0x7fffffff;

/** Nanoseconds per second. */
const NS = 1_000_000_000;
/** Largest integer value accepted in a column (15 digits: exact as a double). */
const MAX_DIGITS = 15;

/** A malformed line in a LOBSTER file; the message starts with `file:line`. */
export class LobsterFormatError extends ConfigError {
  /** The file name (as passed to the parser). */
  readonly file: string;
  /** The 1-based line number. */
  readonly line: number;
  constructor(
    options: { file: string; line: number; what: string; allowed: string; got: unknown },
  ) {
    super(`${options.file}:${options.line} ${options.what}`, options.allowed, options.got);
    this.name = "LobsterFormatError";
    this.file = options.file;
    this.line = options.line;
  }
}

/** A message file as parallel columns; row `i` is line `i + 1`. */
export interface Messages {
  /** The file name, for error messages and reports. */
  file: string;
  /** Number of rows. */
  count: number;
  /** Time in integer nanoseconds after midnight (exact; format with {@linkcode formatTime}). */
  timeNs: Float64Array;
  /** Event type, 1 to 7 (see {@linkcode SUBMIT} … {@linkcode HALT}). */
  type: Uint8Array;
  /** LOBSTER order id (0 on hidden executions and halts). */
  orderId: Float64Array;
  /** Size in shares. */
  size: Int32Array;
  /** Price in dollars × 10000 (−1, 0 or 1 on halt messages). */
  price: Float64Array;
  /** Side of the resting order the event refers to: 1 buy (bid), −1 sell (ask). */
  direction: Int8Array;
}

/**
 * An orderbook file as parallel columns. Level `k` (0 = best) of row `i` is at index
 * `i * levels + k`. Empty slots hold {@linkcode DUMMY_ASK} / {@linkcode DUMMY_BID} with size 0.
 */
export interface Orderbook {
  /** The file name, for error messages and reports. */
  file: string;
  /** Number of rows. */
  count: number;
  /** Levels per side in each row (N in the file name). */
  levels: number;
  /** Ask prices, dollars × 10000, best first. */
  askPrice: Float64Array;
  /** Ask sizes in shares. */
  askSize: Int32Array;
  /** Bid prices, dollars × 10000, best first. */
  bidPrice: Float64Array;
  /** Bid sizes in shares. */
  bidSize: Int32Array;
}

/** Options for {@linkcode parseMessages}. */
export interface ParseOptions {
  /** Name used in error messages (default `"<input>"`). */
  file?: string;
}

/** Options for {@linkcode parseOrderbook}. */
export interface OrderbookParseOptions extends ParseOptions {
  /** Levels per side; default: the first line's column count / 4. */
  levels?: number;
}

/**
 * Formats integer nanoseconds after midnight as LOBSTER seconds with 9 decimals.
 *
 * @example
 * ```ts
 * import { formatTime } from "./reader.ts";
 * if (formatTime(34_200_015_105_074) !== "34200.015105074") throw new Error("format");
 * ```
 */
export function formatTime(ns: number): string {
  const s = Math.floor(ns / NS);
  return `${s}.${String(ns - s * NS).padStart(9, "0")}`;
}

/**
 * Gunzips `bytes` if they start with the gzip magic number; returns them unchanged otherwise. A
 * truncated or corrupt stream throws a {@linkcode FileError} naming `file` and the line where the
 * readable text stops.
 *
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { maybeGunzip } from "./reader.ts";
 * const gz = gzipSync(new TextEncoder().encode("1,2\n3,4\n".repeat(1000)));
 * let message = "";
 * try { maybeGunzip(gz.subarray(0, gz.length - 12), "x.csv.gz"); } catch (e) { message = (e as Error).message; }
 * if (!message.startsWith("x.csv.gz:")) throw new Error(message);
 * ```
 */
export function maybeGunzip(bytes: Uint8Array, file = "<input>"): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new ConfigError("bytes", "a Uint8Array", bytes);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let out: Uint8Array;
    try {
      out = gunzipSync(bytes);
    } catch (e) {
      // Decompress what can be read, to say where the text stops.
      let line: number | undefined;
      try {
        const part = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
        line = 1;
        for (let i = 0; i < part.length; i++) if (part[i] === 10) line++;
      } catch {
        line = undefined;
      }
      throw new FileError({
        file,
        line,
        allowed: "a complete gzip file",
        got: `${line === undefined ? "a corrupt stream" : "a stream cut short at this line"} (${
          (e as Error).message
        })`,
      });
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  return bytes;
}

const MESSAGE_COLUMNS = ["time", "event type", "order id", "size", "price", "direction"] as const;

function messageColumn(col: number): string {
  return `column ${col + 1} (${MESSAGE_COLUMNS[col]})`;
}

function orderbookColumn(col: number): string {
  const what = ["ask price", "ask size", "bid price", "bid size"][col % 4];
  return `column ${col + 1} (${what} ${Math.floor(col / 4) + 1})`;
}

/**
 * Parses a LOBSTER message file (6 columns: time, type, order id, size, price, direction).
 * Times keep up to 9 decimals exactly; a time with more decimals is rejected.
 *
 * @example
 * ```ts
 * import { parseMessages } from "./reader.ts";
 * const m = parseMessages(new TextEncoder().encode("34200.05990197,4,15818974,300,5794000,1\n"));
 * if (m.count !== 1 || m.timeNs[0] !== 34_200_059_901_970 || m.price[0] !== 5_794_000) {
 *   throw new Error("parse");
 * }
 * ```
 */
export function parseMessages(bytes: Uint8Array, options: ParseOptions = {}): Messages {
  if (!(bytes instanceof Uint8Array)) throw new ConfigError("bytes", "a Uint8Array", bytes);
  const { file } = checkOptions(options, PARSE_OPTIONS, { owner: "parseMessages" });
  const n = countLines(bytes);
  const m: Messages = {
    file,
    count: n,
    timeNs: new Float64Array(n),
    type: new Uint8Array(n),
    orderId: new Float64Array(n),
    size: new Int32Array(n),
    price: new Float64Array(n),
    direction: new Int8Array(n),
  };
  const sc = new Scanner({ bytes, file, width: 6, decimalCol: 0, name: messageColumn });
  let i = 0;
  while (sc.next()) {
    const v = sc.vals;
    const type = v[1];
    if (type < 1 || type > 7) sc.fail(messageColumn(1), "one of 1, 2, 3, 4, 5, 6, 7", type);
    const id = v[2];
    if (id < 0) sc.fail(messageColumn(2), "a non-negative integer", id);
    const size = v[3];
    if (size < 0 || size > MAX_SIZE) {
      sc.fail(messageColumn(3), `an integer in [0, ${MAX_SIZE}]`, size);
    }
    const dir = v[5];
    if (dir !== 1 && dir !== -1) sc.fail(messageColumn(5), "1 (buy) or -1 (sell)", dir);
    m.timeNs[i] = v[0];
    m.type[i] = type;
    m.orderId[i] = id;
    m.size[i] = size;
    m.price[i] = v[4];
    m.direction[i] = dir;
    i++;
  }
  return m;
}

/**
 * Parses a LOBSTER orderbook file: per level `k`, the columns ask price, ask size, bid price, bid
 * size. Occupied levels have a positive price and a positive size, asks strictly increasing and
 * bids strictly decreasing; empty slots (dummies, size 0) may only follow the occupied levels.
 *
 * @example
 * ```ts
 * import { DUMMY_ASK, parseOrderbook } from "./reader.ts";
 * const text = "5802300,100,5794000,496,9999999999,0,5787000,400\n";
 * const ob = parseOrderbook(new TextEncoder().encode(text));
 * if (ob.levels !== 2 || ob.askPrice[1] !== DUMMY_ASK || ob.bidSize[1] !== 400) {
 *   throw new Error("parse");
 * }
 * ```
 */
export function parseOrderbook(bytes: Uint8Array, options: OrderbookParseOptions = {}): Orderbook {
  if (!(bytes instanceof Uint8Array)) throw new ConfigError("bytes", "a Uint8Array", bytes);
  const o = checkOptions(options, { ...PARSE_OPTIONS, levels: optional(int(1, 1000)) }, {
    owner: "parseOrderbook",
  });
  const file = o.file;
  let levels = o.levels;
  if (levels === undefined) {
    const cols = firstLineColumns(bytes);
    if (cols === 0 || cols % 4 !== 0) {
      throw new LobsterFormatError({
        file,
        line: 1,
        what: "columns",
        allowed: "a positive multiple of 4 (ask price, ask size, bid price, bid size per level)",
        got: cols,
      });
    }
    levels = cols / 4;
  }
  const n = countLines(bytes);
  const ob: Orderbook = {
    file,
    count: n,
    levels,
    askPrice: new Float64Array(n * levels),
    askSize: new Int32Array(n * levels),
    bidPrice: new Float64Array(n * levels),
    bidSize: new Int32Array(n * levels),
  };
  const sc = new Scanner({ bytes, file, width: 4 * levels, decimalCol: -1, name: orderbookColumn });
  let i = 0;
  while (sc.next()) {
    const v = sc.vals;
    const base = i * levels;
    for (let side = 0; side < 2; side++) {
      const dummy = side === 0 ? DUMMY_ASK : DUMMY_BID;
      const name = side === 0 ? "ask" : "bid";
      let empty = false;
      let prev = 0;
      for (let k = 0; k < levels; k++) {
        const pc = 4 * k + 2 * side; // price column (0-based)
        const price = v[pc];
        const size = v[pc + 1];
        const where = `column ${pc + 1} (${name} price ${k + 1})`;
        if (price === dummy) {
          if (size !== 0) {
            sc.fail(
              `column ${pc + 2} (${name} size ${k + 1})`,
              "0 on an empty (dummy) level",
              size,
            );
          }
          empty = true;
        } else {
          if (empty) sc.fail(where, `${dummy} (no occupied level after an empty one)`, price);
          if (price <= 0) sc.fail(where, `a positive price or the dummy ${dummy}`, price);
          if (k > 0 && (side === 0 ? price <= prev : price >= prev)) {
            sc.fail(
              where,
              `${
                side === 0 ? "above" : "below"
              } level ${k}'s ${prev} (levels are distinct, best first)`,
              price,
            );
          }
          if (size < 1 || size > MAX_SIZE) {
            sc.fail(
              `column ${pc + 2} (${name} size ${k + 1})`,
              `an integer in [1, ${MAX_SIZE}]`,
              size,
            );
          }
          prev = price;
        }
        if (side === 0) {
          ob.askPrice[base + k] = price;
          ob.askSize[base + k] = size;
        } else {
          ob.bidPrice[base + k] = price;
          ob.bidSize[base + k] = size;
        }
      }
    }
    i++;
  }
  return ob;
}

/** Reads (and gunzips, if compressed) a message file; errors name the file (and line). */
export function readMessages(path: string): Messages {
  checkPath(path);
  const file = baseName(path);
  return parseMessages(maybeGunzip(Deno.readFileSync(path), file), { file });
}

/** Reads (and gunzips, if compressed) an orderbook file; errors name the file (and line). */
export function readOrderbook(path: string, options: { levels?: number } = {}): Orderbook {
  checkPath(path);
  const { levels } = checkOptions(options, { levels: optional(int(1, 1000)) }, {
    owner: "readOrderbook",
  });
  const file = baseName(path);
  return parseOrderbook(maybeGunzip(Deno.readFileSync(path), file), { file, levels });
}

const PARSE_OPTIONS = { file: optional(str(), "<input>") };

function checkPath(path: unknown): void {
  if (typeof path !== "string" || path === "") throw new ConfigError("path", "a file path", path);
}

/** The two files of one LOBSTER sample, as found by {@linkcode findSamples}. */
export interface SampleFiles {
  /** Ticker, e.g. `"GOOG"`. */
  ticker: string;
  /** Trading day, e.g. `"2012-06-21"`. */
  date: string;
  /** Levels per side (N in the file names). */
  levels: number;
  /** Path of the message file. */
  messagePath: string;
  /** Path of the orderbook file. */
  orderbookPath: string;
}

/** A loaded LOBSTER sample: message file and orderbook file with the same number of rows. */
export interface Sample extends Omit<SampleFiles, "messagePath" | "orderbookPath"> {
  /** The message file. */
  messages: Messages;
  /** The orderbook file. */
  orderbook: Orderbook;
}

const NAME = /^([A-Za-z0-9.]+)_(\d{4}-\d{2}-\d{2})_(\d+)_(\d+)_message_(\d+)\.csv(\.gz)?$/;

/**
 * Lists the LOBSTER samples in `dir`: every `TICKER_DATE_START_END_message_N.csv[.gz]` with its
 * matching `orderbook` file, sorted by ticker, date and levels.
 */
export function findSamples(dir: string): SampleFiles[] {
  if (typeof dir !== "string" || dir === "") throw new ConfigError("dir", "a folder path", dir);
  const names = new Set<string>();
  for (const e of Deno.readDirSync(dir)) if (e.isFile) names.add(e.name);
  const out: SampleFiles[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const ob = name.replace("_message_", "_orderbook_");
    const obName = names.has(ob)
      ? ob
      : names.has(ob.replace(/\.gz$/, ""))
      ? ob.replace(/\.gz$/, "")
      : names.has(`${ob}.gz`)
      ? `${ob}.gz`
      : undefined;
    if (!obName) continue;
    const sep = dir.endsWith("/") ? "" : "/";
    out.push({
      ticker: m[1],
      date: m[2],
      levels: Number(m[5]),
      messagePath: `${dir}${sep}${name}`,
      orderbookPath: `${dir}${sep}${obName}`,
    });
  }
  out.sort((a, b) =>
    a.ticker < b.ticker
      ? -1
      : a.ticker > b.ticker
      ? 1
      : a.date < b.date
      ? -1
      : a.date > b.date
      ? 1
      : a.levels - b.levels
  );
  return out;
}

const SAMPLE_FILES = {
  ticker: str(),
  date: str(),
  levels: int(1, 1000),
  messagePath: str(),
  orderbookPath: str(),
};

/** Reads both files of a sample and checks that they have the same number of rows. */
export function loadSample(files: SampleFiles): Sample {
  checkOptions(files, SAMPLE_FILES, { owner: "loadSample" });
  const messages = readMessages(files.messagePath);
  const orderbook = readOrderbook(files.orderbookPath, { levels: files.levels });
  if (messages.count !== orderbook.count) {
    throw new ConfigError(
      `${orderbook.file}: rows`,
      `as many rows as ${messages.file} (${messages.count})`,
      orderbook.count,
    );
  }
  return {
    ticker: files.ticker,
    date: files.date,
    levels: files.levels,
    messages,
    orderbook,
  };
}

// ---------------------------------------------------------------- internals

function baseName(path: string): string {
  const k = path.lastIndexOf("/");
  return k < 0 ? path : path.slice(k + 1);
}

/** Number of lines (a final line without `\n` counts; a trailing `\n` adds no empty line). */
function countLines(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  if (b.length > 0 && b[b.length - 1] !== 10) n++;
  return n;
}

function firstLineColumns(b: Uint8Array): number {
  if (b.length === 0 || b[0] === 10 || b[0] === 13) return 0;
  let cols = 1;
  for (let i = 0; i < b.length && b[i] !== 10; i++) if (b[i] === 44) cols++;
  return cols;
}

/**
 * Reads comma-separated integer lines into `vals`, one line per `next()`. Column `decimalCol`
 * (if ≥ 0) holds non-negative seconds with up to 9 decimals and is stored as integer nanoseconds.
 */
class Scanner {
  /** The values of the current line. */
  readonly vals: Float64Array;
  /** 1-based number of the current line. */
  line = 0;
  private pos = 0;
  private lineStart = 0;

  private readonly b: Uint8Array;
  private readonly file: string;
  private readonly width: number;
  private readonly decimalCol: number;
  private readonly name: (col: number) => string;

  constructor(options: {
    bytes: Uint8Array;
    file: string;
    width: number;
    decimalCol: number;
    name: (col: number) => string;
  }) {
    this.b = options.bytes;
    this.file = options.file;
    this.width = options.width;
    this.decimalCol = options.decimalCol;
    this.name = options.name;
    this.vals = new Float64Array(options.width);
  }

  /** Parses the next line; returns false at the end of the input. */
  next(): boolean {
    const b = this.b;
    const len = b.length;
    let p = this.pos;
    if (p >= len) return false;
    this.line++;
    this.lineStart = p;
    if (b[p] === 10 || (b[p] === 13 && b[p + 1] === 10)) {
      this.fail("columns", `${this.width} comma-separated integers`, "an empty line");
    }
    for (let col = 0; col < this.width; col++) {
      if (col > 0) {
        if (p >= len || b[p] !== 44) this.failColumns();
        p++;
      }
      const start = p;
      let neg = false;
      if (b[p] === 45) {
        neg = true;
        p++;
      }
      let v = 0;
      let nd = 0;
      let c = 0;
      while (p < len && (c = b[p]) >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        nd++;
        p++;
      }
      if (col === this.decimalCol) {
        if (neg || nd === 0 || nd > 6) this.badValue(col, start, "seconds with up to 9 decimals");
        let frac = 0;
        let nf = 0;
        if (p < len && b[p] === 46) {
          p++;
          while (p < len && (c = b[p]) >= 48 && c <= 57) {
            frac = frac * 10 + (c - 48);
            nf++;
            p++;
          }
          if (nf === 0 || nf > 9) this.badValue(col, start, "seconds with up to 9 decimals");
        }
        for (let k = nf; k < 9; k++) frac *= 10;
        v = v * NS + frac;
      } else if (nd === 0 || nd > MAX_DIGITS) {
        this.badValue(col, start, `an integer of at most ${MAX_DIGITS} digits`);
      } else if (neg) v = -v;
      if (p < len && b[p] !== 44 && b[p] !== 10 && b[p] !== 13) {
        this.badValue(
          col,
          start,
          col === this.decimalCol
            ? "seconds with up to 9 decimals"
            : `an integer of at most ${MAX_DIGITS} digits`,
        );
      }
      this.vals[col] = v;
    }
    if (p < len && b[p] === 13) p++;
    if (p < len) {
      if (b[p] !== 10) this.failColumns();
      p++;
    }
    this.pos = p;
    return true;
  }

  /** Throws a {@linkcode LobsterFormatError} for the current line. */
  fail(what: string, allowed: string, got: unknown): never {
    throw new LobsterFormatError({ file: this.file, line: this.line, what, allowed, got });
  }

  private failColumns(): never {
    let cols = 1;
    const b = this.b;
    for (let i = this.lineStart; i < b.length && b[i] !== 10; i++) if (b[i] === 44) cols++;
    this.fail("columns", `${this.width} comma-separated values`, cols);
  }

  private badValue(col: number, start: number, allowed: string): never {
    const b = this.b;
    let end = start;
    while (end < b.length && b[end] !== 44 && b[end] !== 10 && b[end] !== 13) end++;
    const text = new TextDecoder().decode(b.subarray(start, end));
    this.fail(this.name(col), allowed, text);
  }
}
