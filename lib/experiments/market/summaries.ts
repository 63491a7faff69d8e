/**
 * The numbers the prose of notebook 01 quotes, as pure functions of the study's frames: the
 * LOBSTER replay's verdicts ({@linkcode replayFacts}), the ladders' shapes
 * ({@linkcode ladderFacts}, {@linkcode storedFacts}), the cost of each taker strategy with and
 * without noise ({@linkcode takerTable}, {@linkcode takerSummaries}), the Almgren–Chriss sweep
 * ({@linkcode acSweepFacts}) and the ladder's recovery ({@linkcode recoverySummaries}).
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkOptions, custom, optional } from "../../errors.ts";
import { checkFrame } from "../../io/frame.ts";
import type { DepthProfile } from "../../lobster/mod.ts";
import { fixed, pm } from "../../report/format.ts";
import { type Row, rowOf, summarise } from "../../report/stats.ts";
import type { TakerRunResult } from "./jobs.ts";
import type { RecoveryResult } from "./recovery.ts";

const records = (df: pl.DataFrame) => df.toRecords() as Row[];
const num = (r: Row, k: string) => r[k] as number;

function repeated(name: string, values: string[]): pl.Series {
  return pl.Series(name, values, pl.Utf8);
}

/** Options of {@linkcode takerTable}. */
export interface TakerTableOptions {
  /** Episodes of {@linkcode runTakers} with randomness on (several seeds). */
  episodes: pl.DataFrame;
  /** Episodes of the same cases with nothing random (noise off), for the exact column. */
  exact?: pl.DataFrame;
}

/** A frame of {@linkcode runTakers}'s episodes. */
const EPISODES = custom<pl.DataFrame>("a DataFrame of runTakers' episodes", (v, path) => {
  checkFrame(v, path);
  return v as pl.DataFrame;
});
const TAKER_TABLE_OPTIONS = {
  episodes: EPISODES,
  exact: optional(EPISODES),
} satisfies Record<keyof TakerTableOptions, unknown>;

/**
 * A small display table of {@linkcode runTakers} episodes, one row per background and taker in
 * order of first appearance: implementation shortfall in bps as mean ± 95% CI half-width over the
 * seeds, the average execution price in currency, the peak impact in ticks, the quantity left to
 * the deadline sweep, and (with `exact`) the shortfall of the deterministic configuration, printed
 * as a single number when every seed gave the same value (else as mean ± CI, flagged).
 *
 * @example
 * ```ts
 * import { runTakers, takerTable } from "./mod.ts";
 * const r = await runTakers({ takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   backgrounds: [{ label: "linear", options: { noiseRate: 1 } }], seeds: 3, steps: 10,
 *   workers: 0 });
 * const t = takerTable({ episodes: r.episodes });
 * if (t.height !== 1 || !String(t.getColumn("IS, bps (95% CI)").get(0)).includes("±")) {
 *   throw new Error();
 * }
 * ```
 */
export function takerTable(options: TakerTableOptions): pl.DataFrame {
  checkOptions(options, TAKER_TABLE_OPTIONS, { owner: "takerTable" });
  const stats = (df: pl.DataFrame) => {
    const s = summarise(df, {
      by: ["background", "taker"],
      cols: ["shortfall_bps", "avg_price_usd", "peak_impact", "sweep_qty"],
    });
    const out = new Map<string, Record<string, number>>();
    for (const r of s.toRecords() as Record<string, number>[]) {
      out.set(`${r.background}\u0000${r.taker}`, r);
    }
    return out;
  };
  const half = (r: Record<string, number>, c: string) =>
    r[`${c}_hi`] === null ? 0 : r[`${c}_hi`] - r[`${c}_mean`];
  const main = stats(options.episodes);
  const exact = options.exact ? stats(options.exact) : undefined;
  const keys: string[] = [];
  const bg = options.episodes.getColumn("background").toArray() as string[];
  const tk = options.episodes.getColumn("taker").toArray() as string[];
  for (let i = 0; i < bg.length; i++) {
    const k = `${bg[i]}\u0000${tk[i]}`;
    if (!keys.includes(k)) keys.push(k);
  }
  const col = (f: (r: Record<string, number>, k: string) => string) =>
    keys.map((k) => f(main.get(k)!, k));
  const series = [
    repeated("background", keys.map((k) => k.split("\u0000")[0])),
    repeated("taker", keys.map((k) => k.split("\u0000")[1])),
    repeated("IS, bps (95% CI)", col((r) => pm(r.shortfall_bps_mean, half(r, "shortfall_bps"), 3))),
    repeated("avg price, $", col((r) => fixed(r.avg_price_usd_mean, 4))),
    repeated("peak impact, ticks", col((r) => pm(r.peak_impact_mean, half(r, "peak_impact"), 1))),
    repeated("swept, contracts", col((r) => fixed(r.sweep_qty_mean, 0))),
  ];
  if (exact) {
    series.push(repeated(
      "IS noise off, bps",
      col((_, k) => {
        const r = exact.get(k);
        if (!r) return "—";
        const h = half(r, "shortfall_bps");
        if (Number(r.shortfall_bps_n) < 2) return `${fixed(r.shortfall_bps_mean, 3)} (1 seed)`;
        return h === 0
          ? `${fixed(r.shortfall_bps_mean, 3)} (exact)`
          : `${pm(r.shortfall_bps_mean, h)} (varies)`;
      }),
    ));
  }
  return pl.DataFrame(series);
}

/** What the LOBSTER replay establishes (rows of `lobsterReplay`'s `replay` frame). */
export interface ReplayFacts {
  /** The replay's rows. */
  readonly rows: readonly Row[];
  /** Every compared orderbook row matches exactly. */
  readonly allRows: boolean;
  /** No mismatch is attributed to the engine or to the replay's state. */
  readonly noEngine: boolean;
  /** Every unmatched aggressive run is one whose listed executions break price-time priority. */
  readonly onlyNotFifo: boolean;
}

/**
 * The verdicts of the LOBSTER replay.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { replayFacts } from "./summaries.ts";
 * const f = replayFacts(pl.DataFrame([{ rows: 5, rows_matched: 5, runs: 4, runs_matched: 3,
 *   not_fifo: 1, engine_mismatches: 0, state_mismatches: 0 }]));
 * if (!f.allRows || !f.noEngine || !f.onlyNotFifo) throw new Error();
 * ```
 */
export function replayFacts(replay: pl.DataFrame): ReplayFacts {
  const rows = records(replay);
  return {
    rows,
    allRows: rows.every((r) => r.rows_matched === r.rows),
    noEngine: rows.every((r) => r.engine_mismatches === 0 && r.state_mismatches === 0),
    onlyNotFifo: rows.every((r) => num(r, "runs") - num(r, "runs_matched") === r.not_fifo),
  };
}

/** The shape of one background ladder ({@linkcode ladderFacts}). */
export interface LadderFacts {
  /** Size of the top level. */
  readonly top: number;
  /** Its share of the ladder. */
  readonly topShare: number;
  /** Size of the bottom level. */
  readonly bottom: number;
  /** Smallest and largest size behind the top level. */
  readonly behind: readonly [number, number];
  /** Size of the top five levels. */
  readonly top5: number;
  /** Ticks below P0 that selling `size` at once walks the ladder (its last level if it is all). */
  readonly walk: number;
}

/**
 * The shape of the ladder `label` of `backgroundProfiles`' frame, and how far a sale of `size`
 * at once walks it (`totalDepth`: the ladder's size).
 *
 * @example
 * ```ts
 * import { backgroundProfiles, ladderFacts } from "./mod.ts";
 * const f = ladderFacts(backgroundProfiles([{ label: "flat", options: { profile: "flat",
 *   depthLevels: 6, totalDepth: 60 } }]), { label: "flat", size: 25, totalDepth: 60 });
 * if (f.top !== 10 || f.top5 !== 50 || f.walk !== 3) throw new Error(JSON.stringify(f));
 * ```
 */
export function ladderFacts(
  profiles: pl.DataFrame,
  o: { label: string; size: number; totalDepth: number },
): LadderFacts {
  const rows = records(profiles).filter((r) => r.background === o.label);
  const sizes = rows.map((r) => num(r, "size"));
  const rest = sizes.slice(1);
  const reached = rows.find((r) => num(r, "cum_share") * o.totalDepth >= o.size);
  return {
    top: sizes[0],
    topShare: num(rows[0], "share"),
    bottom: sizes[sizes.length - 1],
    behind: [Math.min(...rest), Math.max(...rest)],
    top5: sizes.slice(0, 5).reduce((a, x) => a + x, 0),
    walk: -num(reached ?? rows[rows.length - 1], "price"),
  };
}

/**
 * A stored depth profile's bid side: the mean size at the best, the smallest and largest behind
 * it (distances never observed left out), and the largest gap between the means recomputed from
 * the orderbook file and the stored ones (`lobsterReplay`'s `profile` frame; NaN if `ticker` was
 * not replayed).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { storedFacts } from "./summaries.ts";
 * const stored = { bid: { meanSize: [9, 2, null, 4] } };
 * const f = storedFacts(stored, pl.DataFrame([{ ticker: "X", side: "bid", mean_size: 9,
 *   stored_mean_size: 9 }]), "X");
 * if (f.best !== 9 || f.behind.join() !== "2,4" || f.gap !== 0) throw new Error(JSON.stringify(f));
 * ```
 */
export function storedFacts(
  stored: { readonly bid: Pick<DepthProfile["bid"], "meanSize"> },
  recomputed: pl.DataFrame,
  ticker: string,
): { best: number; behind: [number, number]; gap: number } {
  const sb = stored.bid.meanSize.map((x) => x ?? NaN);
  const rest = sb.slice(1).filter((x) => !Number.isNaN(x));
  const mine = records(recomputed).filter((r) => r.ticker === ticker && r.side === "bid");
  const gaps = mine.map((r) => Math.abs(num(r, "mean_size") - num(r, "stored_mean_size")));
  return {
    best: sb[0],
    behind: [Math.min(...rest), Math.max(...rest)],
    gap: gaps.length ? Math.max(...gaps) : NaN,
  };
}

/** The summaries of a taker run with noise on and its noise-off twin ({@linkcode takerSummaries}). */
export interface TakerSummaries {
  /** `shortfall_bps` and `peak_impact` by (background, taker), noise on. */
  readonly cost: pl.DataFrame;
  /** `shortfall_bps` by (background, taker), noise off. */
  readonly exact: pl.DataFrame;
  /** `post_sale_bid`, `cum_frac`, `deficit`, `best_bid` by (background, taker, step). */
  readonly paths: pl.DataFrame;
  /** Every noise-off case gives the same shortfall in every seed. */
  readonly exactSame: boolean;
  /** Share of the steps after whose refill the best bid is at `bestBid` (noise on). */
  readonly atTop: number;
  /** The cost row of a case, noise on. */
  cost1(background: string, taker: string): Row;
  /** The cost row of a case, noise off. */
  exact1(background: string, taker: string): Row;
  /** The means of `last_sale_step` and `sweep_qty` of a case (noise on). */
  sale(background: string, taker: string): Row;
  /** The path row of a case at a step. */
  pathAt(background: string, taker: string, step: number): Row;
  /** The path row of a case where the mean of `col` is largest (`sign` 1) or smallest (−1). */
  extreme(background: string, taker: string, col: string, sign: 1 | -1): Row;
}

const BY = ["background", "taker"];

/**
 * Means and 95% intervals of a taker run (`runs`, noise on) and of the same cases with nothing
 * random (`exact`), with accessors by case for the prose. `bestBid` is the ladder's top level
 * (ticks vs P0, e.g. `−gap`).
 *
 * @example
 * ```ts
 * import { runTakers, takerSummaries } from "./mod.ts";
 * const cases = { takers: [{ label: "TWAP", taker: { kind: "passive" as const } }], steps: 10,
 *   workers: 0 };
 * const runs = await runTakers({ ...cases, backgrounds: [{ label: "l", options: { noiseRate: 1 } }],
 *   seeds: 3 });
 * const exact = await runTakers({ ...cases, backgrounds: [{ label: "l", options: {} }], seeds: 2 });
 * const s = takerSummaries(runs, exact, -1);
 * if (!s.exactSame || s.pathAt("l", "TWAP", 9).cum_frac_mean !== 1) throw new Error();
 * ```
 */
export function takerSummaries(
  runs: TakerRunResult,
  exact: TakerRunResult,
  bestBid: number,
): TakerSummaries {
  const cost = summarise(runs.episodes, { by: BY, cols: ["shortfall_bps", "peak_impact"] });
  const costExact = summarise(exact.episodes, { by: BY, cols: ["shortfall_bps"] });
  const paths = summarise(runs.steps, {
    by: [...BY, "step"],
    cols: ["post_sale_bid", "cum_frac", "deficit", "best_bid"],
  });
  const sales = records(
    summarise(runs.episodes, { by: BY, cols: ["last_sale_step", "sweep_qty"] }),
  );
  const first = new Map<string, number>();
  const exactSame = records(exact.episodes).every((r) => {
    const k = `${r.background}\u0000${r.taker}`, x = num(r, "shortfall_bps");
    if (!first.has(k)) first.set(k, x);
    return first.get(k) === x;
  });
  const bb = runs.steps.getColumn("best_bid").toArray() as number[];
  const costRows = records(cost), exactRows = records(costExact), pathRows = records(paths);
  const key = (background: string, taker: string) => ({ background, taker });
  return {
    cost,
    exact: costExact,
    paths,
    exactSame,
    atTop: bb.filter((x) => x === bestBid).length / bb.length,
    cost1: (b, t) => rowOf(costRows, key(b, t)),
    exact1: (b, t) => rowOf(exactRows, key(b, t)),
    sale: (b, t) => rowOf(sales, key(b, t)),
    pathAt: (b, t, step) => rowOf(pathRows, { ...key(b, t), step }),
    extreme: (b, t, col, sign) =>
      pathRows.filter((r) => r.background === b && r.taker === t)
        .reduce((m, r) => (sign * num(r, col) > sign * num(m, col) ? r : m)),
  };
}

/**
 * The Almgren–Chriss sweep: the shortfall row of risk aversion `i` (`labels[i]` its taker label)
 * on a background; for a background, whether the cost never falls as urgency rises, and the
 * last index up to which it stays at `floor` (the half-spread) from the first (−1 if not at 0).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { acSweepFacts } from "./summaries.ts";
 * const e = pl.DataFrame({ background: ["b", "b", "b"], taker: ["x", "y", "z"], seed: [0, 0, 0],
 *   shortfall_bps: [1, 1, 3] });
 * const f = acSweepFacts(e, ["x", "y", "z"], 1);
 * if (!f.rising("b") || f.flatUpTo("b") !== 1 || f.at("b", 2).shortfall_bps_mean !== 3) {
 *   throw new Error();
 * }
 * ```
 */
export function acSweepFacts(episodes: pl.DataFrame, labels: readonly string[], floor: number) {
  const rows = records(summarise(episodes, { by: BY, cols: ["shortfall_bps"] }));
  const at = (b: string, i: number) => rowOf(rows, { background: b, taker: labels[i] });
  const mean = (b: string, i: number) => num(at(b, i), "shortfall_bps_mean");
  return {
    at,
    rising: (b: string) => labels.every((_, i) => i === 0 || mean(b, i) >= mean(b, i - 1)),
    flatUpTo: (b: string) =>
      labels.reduce((k, _, i) => (k === i - 1 && mean(b, i) === floor ? i : k), -1),
  };
}

/**
 * The recovery's summaries: `path` (`remaining` and `theory` by background and refills, saved),
 * `summary` (block impact, initial deficit, half-life, t90, theory by background), the row of a
 * background (`of`), the path row after `k` refills (`after`), and whether the half-life is the
 * same in every seed on every background.
 *
 * @example
 * ```ts
 * import { recoverySummaries, runRecovery } from "./mod.ts";
 * const r = await runRecovery({ backgrounds: [{ label: "l", options: {} }], seeds: 2, workers: 0 });
 * const s = recoverySummaries(r);
 * if (s.of("l").half_life_mean !== 4 || !s.sameHalf || s.after("l", 1).theory_mean !== 0.8) {
 *   throw new Error();
 * }
 * ```
 */
export function recoverySummaries(rec: RecoveryResult) {
  const path = summarise(rec.steps, {
    by: ["background", "refills"],
    cols: ["remaining", "theory"],
  });
  const summary = summarise(rec.episodes, {
    by: ["background"],
    cols: ["block_impact", "initial_deficit", "half_life", "t90", "theory_half_life"],
  });
  const rows = records(summary), pathRows = records(path);
  return {
    path,
    summary,
    of: (b: string) => rowOf(rows, { background: b }),
    after: (b: string, k: number) => rowOf(pathRows, { background: b, refills: k }),
    sameHalf: rows.every((r) => (r.half_life_sd ?? 0) === 0),
  };
}
