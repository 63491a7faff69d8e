/**
 * The books of notebook 01 (sections 1 and 2): the background bid ladders' target sizes by level,
 * and the LOBSTER samples replayed through the order book with their depth profiles recomputed.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import pl from "nodejs-polars";
import { arrayOf, checkOptions, ConfigError, optional, str } from "../../errors.ts";
import { bidProfile, validateBackgroundOptions } from "../../market/mod.ts";
import {
  type DepthProfile,
  depthProfile,
  findSamples,
  loadDepthProfile,
  loadSample,
  replay,
  type ReplayReport,
} from "../../lobster/mod.ts";
import { BACKGROUND_CASE, type BackgroundCase, checkCases, P0 } from "./jobs.ts";

function repeated(name: string, values: string[]): pl.Series {
  return pl.Series(name, values, pl.Utf8);
}

/**
 * The background bid ladders' target sizes by level: one row per background and level,
 * `background`, `level` (`d`, 0 = the top level), `price` (ticks vs P0, `−gap − d`), `size`
 * (contracts), `share` (of the ladder's total) and `cum_share`.
 *
 * @example
 * ```ts
 * import { backgroundProfiles } from "./books.ts";
 * const f = backgroundProfiles([{ label: "flat", options: { profile: "flat", depthLevels: 4,
 *   totalDepth: 10 } }]);
 * if ((f.getColumn("size").toArray() as number[]).join() !== "3,3,2,2") throw new Error();
 * ```
 */
export function backgroundProfiles(backgrounds: readonly BackgroundCase[]): pl.DataFrame {
  checkCases("backgrounds", backgrounds);
  backgrounds.forEach((b, i) => BACKGROUND_CASE.check(b, `backgrounds[${i}]`));
  const label: string[] = [], level: number[] = [], price: number[] = [];
  const sizes: number[] = [], share: number[] = [], cum: number[] = [];
  for (const b of backgrounds) {
    const o = validateBackgroundOptions({ ...b.options, p0: P0 });
    const s = bidProfile(o);
    const total = s.reduce((a, x) => a + x, 0);
    let acc = 0;
    s.forEach((x, d) => {
      acc += x;
      label.push(b.label);
      level.push(d);
      price.push(-o.gap - d);
      sizes.push(x);
      share.push(total > 0 ? x / total : 0);
      cum.push(total > 0 ? acc / total : 0);
    });
  }
  return pl.DataFrame([
    repeated("background", label),
    pl.Series("level", Int32Array.from(level)),
    pl.Series("price", Int32Array.from(price)),
    pl.Series("size", Float64Array.from(sizes)),
    pl.Series("share", Float64Array.from(share)),
    pl.Series("cum_share", Float64Array.from(cum)),
  ]);
}

/** Options of {@linkcode lobsterReplay}. */
export interface LobsterReplayOptions {
  /** Folder of the samples. Default the project's `data/lobster/`. */
  dir?: string;
  /** Tickers to replay (in this order). Default: every sample found. */
  tickers?: readonly string[];
}

/** Frames of {@linkcode lobsterReplay}. */
export interface LobsterReplayResult {
  /**
   * One row per sample: `ticker`, `date`, `levels`, `messages` (replayed), `rows` (compared),
   * `rows_matched` (exactly equal, all levels), `runs` (aggressive runs checked by matching),
   * `runs_matched`, `runs_multi_level`, `executions`, `not_fifo` (runs whose listed executions
   * break price-time priority), `engine_mismatches`, `state_mismatches`, `anomalies`, `revealed`,
   * `dropped`, `merged` (levels handled by the reveal rule).
   */
  replay: pl.DataFrame;
  /**
   * One row per sample, side and distance `d` from the best: `ticker`, `side`, `d`,
   * `mean_size` (recomputed from the orderbook file; null if never observed), `coverage`, and
   * `stored_mean_size` (from `depth_profile_<TICKER>.json`, null if missing), so the profile the
   * background reads can be checked against the data.
   */
  profile: pl.DataFrame;
}

const LOBSTER_REPLAY_OPTIONS = {
  dir: optional(str()),
  tickers: optional(arrayOf(str())),
} satisfies Record<keyof LobsterReplayOptions, unknown>;

const DEFAULT_LOBSTER_DIR = fileURLToPath(new URL("../../../data/lobster/", import.meta.url));

/**
 * Replays LOBSTER samples through the order book (`lib/lobster`'s exact row-by-row comparison and
 * matching check) and recomputes their depth profiles.
 */
export function lobsterReplay(options: LobsterReplayOptions = {}): LobsterReplayResult {
  checkOptions(options, LOBSTER_REPLAY_OPTIONS, { owner: "lobsterReplay" });
  const dir = options.dir ?? DEFAULT_LOBSTER_DIR;
  const found = findSamples(dir);
  const wanted = options.tickers ?? found.map((f) => f.ticker);
  const tickers = found.map((x) => x.ticker).join(", ");
  const files = wanted.map((t, i) => {
    const f = found.find((x) => x.ticker === t);
    if (!f) {
      throw new ConfigError(`tickers[${i}]`, `one of the tickers of ${dir} (${tickers})`, t);
    }
    return f;
  });
  const reports: { ticker: string; date: string; r: ReplayReport }[] = [];
  const prof: { ticker: string; p: DepthProfile; stored: DepthProfile | null }[] = [];
  for (const f of files) {
    const sample = loadSample(f);
    reports.push({
      ticker: f.ticker,
      date: f.date,
      r: replay({ messages: sample.messages, orderbook: sample.orderbook }),
    });
    let stored: DepthProfile | null = null;
    try {
      stored = loadDepthProfile(
        `${dir}${dir.endsWith("/") ? "" : "/"}depth_profile_${f.ticker}.json`,
      );
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    prof.push({ ticker: f.ticker, p: depthProfile(sample.orderbook), stored });
  }
  const col = (fn: (r: ReplayReport) => number) => Float64Array.from(reports, (x) => fn(x.r));
  const replayFrame = pl.DataFrame([
    repeated("ticker", reports.map((x) => x.ticker)),
    repeated("date", reports.map((x) => x.date)),
    pl.Series("levels", Int32Array.from(reports, (x) => x.r.levels)),
    pl.Series("messages", col((r) => r.messages)),
    pl.Series("rows", col((r) => r.rows)),
    pl.Series("rows_matched", col((r) => r.matched)),
    pl.Series("runs", col((r) => r.matching?.runs ?? NaN)),
    pl.Series("runs_matched", col((r) => r.matching?.matched ?? NaN)),
    pl.Series("runs_multi_level", col((r) => r.matching?.multiLevel ?? NaN)),
    pl.Series("executions", col((r) => r.matching?.executions ?? NaN)),
    pl.Series("not_fifo", col((r) => r.matching?.notFifo ?? NaN)),
    pl.Series("engine_mismatches", col((r) => r.matching?.engine ?? NaN)),
    pl.Series("state_mismatches", col((r) => r.matching?.state ?? NaN)),
    pl.Series("anomalies", col((r) => r.anomalies)),
    pl.Series("revealed", col((r) => r.revealed)),
    pl.Series("dropped", col((r) => r.dropped)),
    pl.Series("merged", col((r) => r.merged)),
  ]);
  const ticker: string[] = [], side: string[] = [], d: number[] = [];
  const mean: (number | null)[] = [], cov: number[] = [], storedMean: (number | null)[] = [];
  for (const { ticker: tk, p, stored } of prof) {
    for (const s of ["bid", "ask"] as const) {
      for (let k = 0; k < p.distances; k++) {
        ticker.push(tk);
        side.push(s);
        d.push(k);
        mean.push(p[s].meanSize[k]);
        cov.push(p[s].coverage[k]);
        storedMean.push(stored?.[s].meanSize[k] ?? null);
      }
    }
  }
  const profile = pl.DataFrame([
    repeated("ticker", ticker),
    repeated("side", side),
    pl.Series("d", Int32Array.from(d)),
    pl.Series("mean_size", mean, pl.Float64),
    pl.Series("coverage", Float64Array.from(cov)),
    pl.Series("stored_mean_size", storedMean, pl.Float64),
  ]);
  return { replay: replayFrame, profile };
}
