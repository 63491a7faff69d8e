/**
 * The numbers the prose of notebook 06 quotes, as pure functions of the study's frames
 * (`jobs.ts`): per-kind summaries within a population ({@linkcode kindSummary}), their means over
 * seeds for the makers that trained against the taker they play (or nothing trained) and for
 * those that did not, fill shares, queue positions step by step, and the comparisons the prose
 * makes between kinds, mixes, takers and games.
 *
 * @module
 */
import pl from "nodejs-polars";
import { aggregate, average, type Row, rowOf, summarise, verdict } from "../../report/stats.ts";
import { NO_TRAINING } from "../takers/mod.ts";

const records = (df: pl.DataFrame) => df.toRecords() as Row[];
const num = (r: Row | undefined, k: string) => (r === undefined ? NaN : Number(r[k] ?? NaN));

/** The keys of a population run. */
const KEYS = ["population", "game", "train_taker", "play_taker", "seed"];

/**
 * Aggregates the `makers` frame by kind within each population run: one row per (population,
 * game, training taker, play taker, seed, kind) with `count` (makers of the kind), per-maker
 * means of `pnl`, `mtm`, `volume`, `share`, `early_volume`, `queue_ahead`, `at_best`,
 * `bid_offset`; the kind's totals `kind_share` and `kind_pnl`; per-unit values in ticks as
 * ratios of sums: `pnl_per_unit` (PnL share per contract bought from the taker), `mtm_per_unit`
 * (marked-to-P0 PnL per contract bought from anyone); `early_frac` (share of the kind's volume
 * from the taker bought in the first steps); `taker_cost_bps`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { kindSummary } from "./summaries.ts";
 * const one = { population: "p", game: "g", train_taker: "—", play_taker: "t", seed: 0 };
 * const makers = pl.DataFrame([
 *   { ...one, maker: 0, kind: "replenisher", pnl: 2, mtm: 1, volume: 100, other_volume: 0,
 *     share: 0.1, early_volume: 50, queue_ahead: 10, at_best: 1, bid_offset: 1, pnl_ticks: 200,
 *     mtm_ticks: 100, taker_cost_bps: 2 },
 *   { ...one, maker: 1, kind: "replenisher", pnl: 4, mtm: 3, volume: 300, other_volume: 0,
 *     share: 0.3, early_volume: 50, queue_ahead: 20, at_best: 1, bid_offset: 1, pnl_ticks: 400,
 *     mtm_ticks: 300, taker_cost_bps: 2 },
 * ]);
 * const [r] = kindSummary(makers).toRecords();
 * if (r.count !== 2 || r.pnl !== 3 || r.kind_share !== 0.4 || r.mtm_per_unit !== 1) {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function kindSummary(makers: pl.DataFrame): pl.DataFrame {
  const by = [...KEYS, "kind"];
  const means = ["pnl", "mtm", "volume", "share", "early_volume", "queue_ahead", "at_best"]
    .concat("bid_offset");
  return makers.groupBy(by).agg(
    pl.col("maker").count().cast(pl.Int32).alias("count"),
    ...means.map((c) => pl.col(c).mean().alias(c)),
    pl.col("share").sum().alias("kind_share"),
    pl.col("pnl").sum().alias("kind_pnl"),
    pl.col("pnl_ticks").sum().div(pl.col("volume").sum()).alias("pnl_per_unit"),
    pl.col("mtm_ticks").sum().div(pl.col("volume").sum().add(pl.col("other_volume").sum()))
      .alias("mtm_per_unit"),
    pl.col("early_volume").sum().div(pl.col("volume").sum()).alias("early_frac"),
    pl.col("taker_cost_bps").first().alias("taker_cost_bps"),
  ).sort(by);
}

/** The kind labels of the figures and tables. */
export const KIND_LABELS: Readonly<Record<string, string>> = Object.freeze({
  replenisher: "replenisher (R)",
  follower: "follower (F)",
  q: "Q-learner (Q)",
});

/** The per-kind metrics {@linkcode kindMeans} summarises over seeds. */
export const KIND_METRICS: readonly string[] = Object.freeze([
  "pnl",
  "mtm",
  "share",
  "kind_share",
  "pnl_per_unit",
  "mtm_per_unit",
  "early_frac",
  "queue_ahead",
  "at_best",
  "bid_offset",
  "taker_cost_bps",
]);

/** Whether a `kindSummary` row is adapted: nothing trained, or trained against the taker it plays. */
const adapted = pl.col("train_taker").eq(pl.lit(NO_TRAINING))
  .or(pl.col("train_taker").eq(pl.col("play_taker")));

/**
 * Per (population, game, play taker, kind), the {@linkcode KIND_METRICS} of {@linkcode kindSummary}
 * summarised over seeds, for the adapted runs: baselines, or Q-learners replayed against the
 * taker they trained against.
 */
export function kindMeans(makers: pl.DataFrame): pl.DataFrame {
  return summarise(kindSummary(makers).filter(adapted), {
    by: ["population", "game", "play_taker", "kind"],
    cols: KIND_METRICS,
  });
}

/**
 * The same for the mismatched runs (Q-learners replayed against another taker than the one they
 * trained against): per seed the mean over those training takers, then over seeds (`mtm`,
 * `share`, `pnl`).
 */
export function mismatchedMeans(makers: pl.DataFrame): pl.DataFrame {
  const perSeed = aggregate(kindSummary(makers).filter(adapted.not()), {
    by: ["population", "game", "play_taker", "seed", "kind"],
    mean: ["mtm", "share", "pnl"],
  });
  return summarise(perSeed, {
    by: ["population", "game", "play_taker", "kind"],
    cols: ["mtm", "share", "pnl"],
  });
}

/** The row of a kind in a population, game and play taker (of {@linkcode kindMeans} records). */
export function kindRow(
  rows: readonly Row[],
  o: { population: string; game: string; taker: string; kind: string },
): Row {
  return rowOf(rows, { population: o.population, game: o.game, play_taker: o.taker, kind: o.kind });
}

/**
 * How two summarised rows compare on `col`: `"more than"` or `"less than"` when their 95%
 * intervals are apart, `"about as much as"` otherwise.
 */
export function compareWord(a: Row, b: Row, col: string): string {
  const v = verdict(a, { col, than: b });
  return v === "above" ? "more than" : v === "below" ? "less than" : "about as much as";
}

/**
 * The bar segments of the fill-share figure: each kind's total share of the taker's volume
 * (`value`, labelled `kindLabel`) and the background's, the rest, per population, game and taker.
 */
export function fillShares(kinds: pl.DataFrame): Row[] {
  const rows = records(kinds);
  const parts = rows.map((r) => ({
    ...r,
    kindLabel: KIND_LABELS[r.kind as string],
    value: r.kind_share_mean,
  }));
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify([r.population, r.game, r.play_taker]);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const background = [...groups.values()].map((g) => ({
    population: g[0].population,
    game: g[0].game,
    play_taker: g[0].play_taker,
    kindLabel: "background",
    value: 1 - g.reduce((a, r) => a + num(r, "kind_share_mean"), 0),
  }));
  return [...parts, ...background];
}

/**
 * Queue positions step by step in `game`: per (population, play taker, kind, step), the mean over
 * the kind's makers of the quantity ahead and the fills per seed, then over seeds.
 */
export function queueSummary(steps: pl.DataFrame, game: string): pl.DataFrame {
  const perSeed = aggregate(steps.filter(pl.col("game").eq(pl.lit(game))), {
    by: ["population", "play_taker", "seed", "kind", "step"],
    mean: ["queue_ahead", "fills"],
  });
  return summarise(perSeed, {
    by: ["population", "play_taker", "kind", "step"],
    cols: ["queue_ahead", "fills"],
  });
}

/** The makers' total share of the taker's volume in a population (of {@linkcode kindMeans} rows). */
export function totalShare(
  rows: readonly Row[],
  o: { population: string; game: string; taker: string },
): number {
  return rows.filter((r) =>
    r.population === o.population && r.game === o.game && r.play_taker === o.taker
  ).reduce((a, r) => a + num(r, "kind_share_mean"), 0);
}

/** Per taker, the relative change of a kind's `mtm` from game 1 to game 2 in a population. */
export function game2Change(
  rows: readonly Row[],
  o: {
    population: string;
    kind: string;
    takers: readonly string[];
    games: readonly [string, string];
  },
): number {
  const at = (g: string, t: string) =>
    num(kindRow(rows, { population: o.population, game: g, taker: t, kind: o.kind }), "mtm_mean");
  return average(o.takers.map((t) => at(o.games[1], t) / at(o.games[0], t) - 1));
}
