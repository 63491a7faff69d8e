/**
 * Mean depth profile of a LOBSTER sample: mean resting size by distance from the best price, in
 * ticks, per side. {@linkcode saveDepthProfile} stores it as a small JSON file (written to a
 * temporary name and renamed) so that code can use it without re-parsing the sample;
 * {@linkcode lobsterProfile} reads it back as the bid weights that the background-liquidity model
 * takes (`profile: lobsterProfile()`: the market takes the numbers, not the file).
 *
 * A LOBSTER row shows only the best N occupied levels, so a distance beyond a full side's worst
 * shown level is unobserved in that row, not empty. The mean at distance d is taken over the rows
 * where d is observed (a side with fewer than N levels shows everything); `coverage[d]` is the
 * fraction of rows where it is. A distance never observed has mean `null`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { DUMMY_ASK, DUMMY_BID, type Orderbook } from "./reader.ts";

/** One side of a {@linkcode DepthProfile}. */
export interface SideProfile {
  /** Mean resting size (shares) at distance d ticks from the best; `null` if never observed. */
  meanSize: (number | null)[];
  /** Fraction of rows (with a non-empty side) in which distance d lies inside the shown levels. */
  coverage: number[];
}

/** Mean depth by distance from the best, per side. */
export interface DepthProfile {
  /** Ticker, e.g. `"GOOG"` (empty if unknown). */
  ticker: string;
  /** Trading day, e.g. `"2012-06-21"` (empty if unknown). */
  date: string;
  /** Levels per side in the orderbook file. */
  levels: number;
  /** Price units (dollars × 10000) per tick: 100 is one cent. */
  tickSize: number;
  /** Orderbook rows averaged over. */
  rows: number;
  /** Number of distances: d = 0 (the best level) to `distances − 1` ticks. */
  distances: number;
  /** Bid side: distance d is `bestBid − d` ticks. */
  bid: SideProfile;
  /** Ask side: distance d is `bestAsk + d` ticks. */
  ask: SideProfile;
  /** Where the numbers come from. */
  source: string;
}

/** Options for {@linkcode depthProfile}. */
export interface DepthProfileOptions {
  /** Number of distances (0 to `distances − 1` ticks). Default 20. */
  distances?: number;
  /** Price units per tick. Default 100 (one cent). */
  tickSize?: number;
  /** Ticker to record. */
  ticker?: string;
  /** Trading day to record. */
  date?: string;
}

/**
 * Mean resting size by distance from the best, in ticks, per side, over all rows of `orderbook`.
 *
 * @example
 * ```ts
 * import { depthProfile, parseOrderbook } from "./mod.ts";
 * // Two rows, two levels: asks 10.01 × 100 and 10.03 × 50, then 10.01 × 300 and 10.02 × 10.
 * const text = "100100,100,100000,7,100300,50,99900,1\n100100,300,100000,7,100200,10,99900,1\n";
 * const p = depthProfile(parseOrderbook(new TextEncoder().encode(text)), { distances: 3 });
 * if (p.ask.meanSize[0] !== 200 || p.ask.meanSize[1] !== 5) throw new Error("means");
 * // Row 2 shows asks only up to 1 tick away: distance 2 is averaged over row 1 alone.
 * if (p.ask.meanSize[2] !== 50 || p.ask.coverage[2] !== 0.5) throw new Error("coverage");
 * ```
 */
export function depthProfile(ob: Orderbook, options: DepthProfileOptions = {}): DepthProfile {
  const d = options.distances ?? 20;
  if (!Number.isInteger(d) || d < 1 || d > 10_000) {
    throw new ConfigError("distances", "an integer in [1, 10000]", d);
  }
  const tick = options.tickSize ?? 100;
  if (!Number.isInteger(tick) || tick < 1) {
    throw new ConfigError("tickSize", "a positive integer", tick);
  }
  const sides = [0, 1].map((s) => {
    const prices = s === 0 ? ob.bidPrice : ob.askPrice;
    const sizes = s === 0 ? ob.bidSize : ob.askSize;
    const dummy = s === 0 ? DUMMY_BID : DUMMY_ASK;
    const sum = new Float64Array(d);
    const seen = new Float64Array(d);
    let rows = 0;
    for (let r = 0; r < ob.count; r++) {
      const base = r * ob.levels;
      const best = prices[base];
      if (best === dummy) continue;
      rows++;
      let c = 1;
      while (c < ob.levels && prices[base + c] !== dummy) c++;
      let reach = d - 1; // farthest observed distance in this row
      if (c === ob.levels) {
        reach = Math.min(reach, Math.abs(prices[base + c - 1] - best) / tick);
      }
      for (let k = 0; k < c; k++) {
        const dist = Math.abs(prices[base + k] - best) / tick;
        if (!Number.isInteger(dist)) {
          throw new ConfigError(
            `${ob.file}:${r + 1} ${s === 0 ? "bid" : "ask"} price ${k + 1}`,
            `a whole number of ticks (${tick}) from the best`,
            prices[base + k],
          );
        }
        if (dist < d) sum[dist] += sizes[base + k];
      }
      for (let j = 0; j <= reach; j++) seen[j]++;
    }
    return {
      meanSize: Array.from(sum, (x, j) => seen[j] > 0 ? x / seen[j] : null),
      coverage: Array.from(seen, (x) => rows > 0 ? x / rows : 0),
    };
  });
  return {
    ticker: options.ticker ?? "",
    date: options.date ?? "",
    levels: ob.levels,
    tickSize: tick,
    rows: ob.count,
    distances: d,
    bid: sides[0],
    ask: sides[1],
    source: `LOBSTER sample data (lobsterdata.com), ${ob.file}`,
  };
}

/** Writes `profile` as JSON to `path` (via a temporary file in the same folder, then renamed). */
export function saveDepthProfile(path: string | URL, profile: DepthProfile): void {
  const tmp = typeof path === "string"
    ? `${path}.${Deno.pid}.tmp`
    : new URL(`${path.href}.${Deno.pid}.tmp`);
  Deno.writeTextFileSync(tmp, JSON.stringify(profile, null, 2) + "\n");
  Deno.renameSync(tmp, path);
}

/** Reads a profile written by {@linkcode saveDepthProfile}; throws a `ConfigError` if malformed. */
export function loadDepthProfile(path: string | URL): DepthProfile {
  const name = String(path);
  let v: unknown;
  try {
    v = JSON.parse(Deno.readTextFileSync(path));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigError(name, "a JSON depth profile", e.message);
    throw e;
  }
  const p = v as DepthProfile;
  const ok = (s: SideProfile | undefined) =>
    s !== undefined && Array.isArray(s.meanSize) && Array.isArray(s.coverage) &&
    s.meanSize.length === p.distances && s.coverage.length === p.distances &&
    s.meanSize.every((x) => x === null || (typeof x === "number" && x >= 0)) &&
    s.coverage.every((x) => typeof x === "number" && x >= 0 && x <= 1);
  if (
    typeof p !== "object" || p === null || !Number.isInteger(p.distances) || p.distances < 1 ||
    !Number.isInteger(p.tickSize) || !ok(p.bid) || !ok(p.ask)
  ) {
    throw new ConfigError(
      name,
      "a depth profile ({distances, tickSize, bid: {meanSize, coverage}, ask: {…}})",
      "an object of another shape",
    );
  }
  return p;
}

/** Where `deno task replay` stores the GOOG depth profile (2012-06-21), as a file URL. */
export const DEFAULT_DEPTH_PROFILE: string =
  new URL("../../data/lobster/depth_profile_GOOG.json", import.meta.url).href;

/**
 * The bid side's mean sizes by distance as weights: a distance never observed (null) carries the
 * previous mean forward (leading nulls are dropped). Throws a `ConfigError` if no weight is
 * positive.
 *
 * @example
 * ```ts
 * import { bidWeights } from "./profile.ts";
 * const w = bidWeights({ bid: { meanSize: [4, null, 2, 1] } } as Parameters<typeof bidWeights>[0]);
 * if (w.join() !== "4,4,2,1") throw new Error(w.join());
 * ```
 */
export function bidWeights(profile: Pick<DepthProfile, "bid">): number[] {
  const out: number[] = [];
  let last = NaN;
  for (const v of profile.bid.meanSize) {
    if (v === null) {
      if (!Number.isNaN(last)) out.push(last);
      continue;
    }
    last = v;
    out.push(v);
  }
  if (!out.some((v) => v > 0)) {
    throw new ConfigError("bid.meanSize", "mean sizes with at least one positive", out);
  }
  return out;
}

/**
 * The background's depth profile from a stored LOBSTER depth profile (default
 * {@linkcode DEFAULT_DEPTH_PROFILE}): `{weights}`, the bid side's mean sizes by distance from the
 * best ({@linkcode bidWeights}), for `createBackground({profile})` or a game's `background`.
 */
export function lobsterProfile(path: string | URL = DEFAULT_DEPTH_PROFILE): { weights: number[] } {
  const where = typeof path === "string" && path.startsWith("file:") ? new URL(path) : path;
  try {
    return { weights: bidWeights(loadDepthProfile(where)) };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new ConfigError(
      "path",
      "an existing depth-profile JSON (written by `deno task replay` as " +
        "data/lobster/depth_profile_<TICKER>.json)",
      String(path),
    );
  }
}
