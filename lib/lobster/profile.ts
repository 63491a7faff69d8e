/**
 * Mean depth profile of a LOBSTER sample: mean resting size by distance from the best price, in
 * ticks, per side. It feeds the "depth profile from LOBSTER" option of the background-liquidity
 * model; {@linkcode saveDepthProfile} stores it as a small JSON file (written to a temporary name
 * and renamed) so that code can use it without re-parsing the sample.
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
