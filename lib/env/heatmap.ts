/**
 * The data of the RL spec's heatmaps: per-step and per-fill figures of recorded episodes
 * (`runner.ts`), summed in cells of **realised volatility bucket × time of episode**.
 *
 * The step from row `s` to row `s + 1` of a record (`s ≥ 1`) falls in
 * - time bucket `⌊s · timeBuckets / episodeLength⌋` (equal slices of the episode), and
 * - the volatility bucket of the realised volatility known when the step starts: the root mean
 *   square of the one-step mid changes over the last `min(volWindow, s)` steps, ticks per step,
 *   bucketed by `volEdges` (bucket `j` holds values in `[edges[j−1], edges[j])`).
 *
 * Step 0 (no history) is left out. A cell sums, over its steps: the steps, the PnL change, the
 * reward, |inventory| after the step, the maker's passive fills in the step and their quantity;
 * and over those fills whose markout at `horizon` steps can be measured within the episode: the
 * count, the number with a negative markout (adverse), the number with a markout of exactly 0
 * (`zero`: neither adverse nor favourable) and the markout sum (ticks per fill,
 * `side · (mid[s + horizon] − mid[s])`, the `lib/metrics` convention). Means per cell are sums
 * over counts; the sums add up across episodes and seeds.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkInt, checkNum, ConfigError } from "../errors.ts";
import { checkConfigKeys } from "./_common.ts";
import type { FillLog } from "../metrics/fills.ts";
import type { EpisodeRecord } from "./runner.ts";

/** Options of {@linkcode createVolTimeGrid}. */
export interface VolTimeOptions {
  /** Steps per episode (the time axis). Integer ≥ 1. */
  readonly episodeLength: number;
  /** Equal time slices. Integer in [1, 1000]. Default 5. */
  readonly timeBuckets?: number;
  /** Look-back of the realised volatility, steps. Integer in [1, 10^6]. Default 20. */
  readonly volWindow?: number;
  /** Increasing cut points of the realised volatility, ticks per step. Default [0.4, 0.55, 0.75]. */
  readonly volEdges?: readonly number[];
  /** Markout horizon of the fills, steps. Integer ≥ 1. Default 5. */
  readonly horizon?: number;
}

/** Cells of volatility × time, filled episode by episode. */
export interface VolTimeGrid {
  /** Time buckets. */
  readonly timeBuckets: number;
  /** Volatility buckets (`volEdges.length + 1`). */
  readonly volBuckets: number;
  /** Adds one recorded episode. */
  add(run: { readonly record: EpisodeRecord; readonly fills: FillLog }): void;
  /**
   * One row per non-empty cell: `timeBucket`, `timeLabel`, `volBucket`, `volLabel`, `steps`,
   * `pnl`, `reward`, `absInventory`, `fills`, `filledQty`, `markoutFills`, `adverse`, `zero`,
   * `markoutSum` (sums; see the module doc).
   */
  frame(): pl.DataFrame;
}

const SUMS = [
  "steps",
  "pnl",
  "reward",
  "absInventory",
  "fills",
  "filledQty",
  "markoutFills",
  "adverse",
  "zero",
  "markoutSum",
] as const;

/**
 * An empty grid.
 *
 * @example
 * ```ts
 * import { createMarketMakingEnv } from "./market_making_env.ts";
 * import { runEpisode } from "./runner.ts";
 * import { createVolTimeGrid } from "./heatmap.ts";
 * const env = createMarketMakingEnv({ episodeLength: 200 });
 * const grid = createVolTimeGrid({ episodeLength: 200, timeBuckets: 4 });
 * grid.add(runEpisode(env, { act: () => 12 }, { seed: 1 }));
 * const f = grid.frame();
 * // every step but the first is in one cell
 * if (f.getColumn("steps").sum() !== 199) throw new Error();
 * ```
 */
export function createVolTimeGrid(options: VolTimeOptions): VolTimeGrid {
  checkConfigKeys(options, {
    name: "VolTimeOptions",
    keys: ["episodeLength", "timeBuckets", "volWindow", "volEdges", "horizon"],
  });
  const L = checkInt("episodeLength", options.episodeLength, 1, 1e8);
  const T = checkInt("timeBuckets", options.timeBuckets ?? 5, 1, 1000);
  const W = checkInt("volWindow", options.volWindow ?? 20, 1, 1e6);
  const h = checkInt("horizon", options.horizon ?? 5, 1, 1e6);
  const edges = options.volEdges ?? [0.4, 0.55, 0.75];
  if (!Array.isArray(edges) || edges.length > 100) {
    throw new ConfigError("volEdges", "an array of at most 100 increasing numbers", edges);
  }
  edges.forEach((e, i) => {
    checkNum(`volEdges[${i}]`, e, i === 0 ? 0 : edges[i - 1] + 1e-12, 1e9);
  });
  const V = edges.length + 1;
  const sums = Object.fromEntries(SUMS.map((k) => [k, new Float64Array(T * V)])) as Record<
    (typeof SUMS)[number],
    Float64Array
  >;
  const bucketOf = (x: number) => {
    let j = 0;
    while (j < edges.length && x >= edges[j]) j++;
    return j;
  };
  const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
  const volLabels = Array.from(
    { length: V },
    (_, j) =>
      j === 0
        ? `<${fmt(edges[0] ?? Infinity)}`
        : j === V - 1
        ? `>=${fmt(edges[j - 1])}`
        : `${fmt(edges[j - 1])}-${fmt(edges[j])}`,
  );
  const timeLabels = Array.from({ length: T }, (_, b) => {
    const lo = Math.ceil((b * L) / T);
    const hi = Math.ceil(((b + 1) * L) / T) - 1;
    return `${lo}-${hi}`;
  });
  return {
    timeBuckets: T,
    volBuckets: V,
    add({ record, fills }) {
      const { mid, pnl, inventory } = record.info;
      const n = record.steps;
      // cell[s]: the cell of the step from row s to s + 1, −1 for s = 0.
      const cell = new Int32Array(n).fill(-1);
      for (let s = 1; s < n; s++) {
        const w = Math.min(W, s);
        let ss = 0;
        for (let i = s - w + 1; i <= s; i++) ss += (mid[i] - mid[i - 1]) ** 2;
        const tb = Math.min(T - 1, Math.floor((s * T) / L));
        const c = tb * V + bucketOf(Math.sqrt(ss / w));
        cell[s] = c;
        sums.steps[c]++;
        sums.pnl[c] += pnl[s + 1] - pnl[s];
        sums.reward[c] += record.reward[s + 1];
        sums.absInventory[c] += Math.abs(inventory[s + 1]);
      }
      for (let j = 0; j < fills.n; j++) {
        const s = fills.step[j];
        if (s < 1 || s >= n) continue;
        const c = cell[s];
        sums.fills[c]++;
        sums.filledQty[c] += fills.qty[j];
        if (s + h > n) continue;
        const markout = fills.side[j] * (mid[s + h] - mid[s]);
        sums.markoutFills[c]++;
        if (markout < 0) sums.adverse[c]++;
        else if (markout === 0) sums.zero[c]++;
        sums.markoutSum[c] += markout;
      }
    },
    frame() {
      const rows: Record<string, number | string>[] = [];
      for (let tb = 0; tb < T; tb++) {
        for (let v = 0; v < V; v++) {
          const c = tb * V + v;
          if (sums.steps[c] === 0) continue;
          const row: Record<string, number | string> = {
            timeBucket: tb,
            timeLabel: timeLabels[tb],
            volBucket: v,
            volLabel: volLabels[v],
          };
          for (const k of SUMS) row[k] = sums[k][c];
          rows.push(row);
        }
      }
      if (rows.length === 0) {
        return pl.DataFrame({
          timeBucket: [],
          timeLabel: [],
          volBucket: [],
          volLabel: [],
          ...Object.fromEntries(SUMS.map((k) => [k, []])),
        });
      }
      return pl.DataFrame(rows).withColumns(
        pl.col("timeBucket").cast(pl.Int32),
        pl.col("volBucket").cast(pl.Int32),
      );
    },
  };
}
