/**
 * The numbers the prose of notebook 05 quotes, as pure functions of the study's frames
 * (`jobs.ts`): the train-taker × play-taker cross-table and what it shows, the reactive taker's
 * pace and price by maker setting, the best taker per setting with its margin (paired by seed),
 * and the co-learning dynamics.
 *
 * @module
 */
import pl from "nodejs-polars";
import { fixed } from "../../report/format.ts";
import {
  aggregate,
  average,
  pairedDiff,
  type Row,
  rowOf,
  summarise,
  verdict,
} from "../../report/stats.ts";
import { LEARNING_TAKER } from "./jobs.ts";

const records = (df: pl.DataFrame) => df.toRecords() as Row[];
const num = (r: Row | undefined, k: string) => (r === undefined ? NaN : Number(r[k] ?? NaN));

/** The maker settings of {@linkcode settingRows}, derived from the learned rows. */
export const ADAPTED = "learned, trained vs this taker";
/** See {@linkcode ADAPTED}. */
export const MISMATCHED = "learned, trained vs other takers";

/**
 * One row per (game, setting, play taker, seed) with the `value` columns: baseline settings as
 * they are; learned makers split into {@linkcode ADAPTED} (trained against the taker that plays
 * them) and {@linkcode MISMATCHED} (the mean over the makers trained against the other takers of
 * the same seed); co-learned makers against the co-learned taker as `"co-learned"` (play taker
 * {@linkcode LEARNING_TAKER}).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { ADAPTED, MISMATCHED, settingRows } from "./summaries.ts";
 * const play = pl.DataFrame({
 *   game: ["g", "g", "g", "g"], makers: ["learned", "learned", "learned", "learned"],
 *   train_taker: ["A", "A", "B", "B"], play_taker: ["A", "B", "A", "B"], seed: [0, 0, 0, 0],
 *   cost_bps: [1, 2, 3, 4],
 * });
 * const r = settingRows(play, ["cost_bps"]).filter(pl.col("play_taker").eq(pl.lit("A")));
 * const by = Object.fromEntries(r.toRecords().map((x) => [x.setting, x.cost_bps]));
 * if (by[ADAPTED] !== 1 || by[MISMATCHED] !== 3) throw new Error(JSON.stringify(by));
 * ```
 */
export function settingRows(play: pl.DataFrame, values: readonly string[]): pl.DataFrame {
  const keys = ["game", "setting", "play_taker", "seed"];
  const v = values.map((c) => pl.col(c));
  const learned = play.filter(pl.col("makers").eq(pl.lit("learned")));
  const baseline = play.filter(
    pl.col("makers").neq(pl.lit("learned")).and(pl.col("makers").neq(pl.lit("co-learned"))),
  ).select(
    pl.col("game"),
    pl.col("makers").alias("setting"),
    pl.col("play_taker"),
    pl.col("seed"),
    ...v,
  );
  const adapted = learned.filter(pl.col("train_taker").eq(pl.col("play_taker")))
    .select(
      pl.col("game"),
      pl.lit(ADAPTED).alias("setting"),
      pl.col("play_taker"),
      pl.col("seed"),
      ...v,
    );
  const mismatched = learned.filter(pl.col("train_taker").neq(pl.col("play_taker")))
    .groupBy(["game", "play_taker", "seed"])
    .agg(...values.map((c) => pl.col(c).mean()))
    .select(
      pl.col("game"),
      pl.lit(MISMATCHED).alias("setting"),
      pl.col("play_taker"),
      pl.col("seed"),
      ...v,
    );
  const co = play.filter(
    pl.col("makers").eq(pl.lit("co-learned")).and(pl.col("play_taker").eq(pl.lit(LEARNING_TAKER))),
  ).select(
    pl.col("game"),
    pl.lit("co-learned").alias("setting"),
    pl.col("play_taker"),
    pl.col("seed"),
    ...v,
  );
  const parts = [baseline, adapted, mismatched, co].filter((d) => d.height > 0).map((d) =>
    d.select(...keys.map((k) => pl.col(k)), ...v).withColumns(pl.col("seed").cast(pl.Int32))
  );
  if (parts.length === 0) return pl.DataFrame({});
  return pl.concat(parts, { how: "vertical" }).sort(keys);
}

/** Options of {@linkcode bestOf}. */
export interface BestOfOptions {
  /** Columns of a group (e.g. `["game", "setting"]`). */
  readonly by: readonly string[];
  /** The column naming the candidates (e.g. `"play_taker"`). */
  readonly item: string;
  /** The value to minimise (e.g. `"cost_bps"`). */
  readonly value: string;
  /** The replication column pairing candidates (default `"seed"`). */
  readonly pair?: string;
  /** Maximise instead of minimise. Default false. */
  readonly maximise?: boolean;
}

/**
 * Per group, the best candidate (lowest mean `value`, or highest with `maximise`) and the
 * runner-up, with their means and 95% intervals over the replications, and the paired difference
 * runner-up − best (per replication; for a minimised value a positive difference favours the
 * best) with its 95% interval. Columns: the `by` columns, `best`, `best_mean`, `best_lo`,
 * `best_hi`, `second`, `second_mean`, `second_lo`, `second_hi`, `gap_mean`, `gap_lo`, `gap_hi`,
 * `n` (replications), `candidates`. Groups with one candidate have null runner-up fields.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { bestOf } from "./summaries.ts";
 * const df = pl.DataFrame({
 *   g: ["x", "x", "x", "x"], t: ["a", "a", "b", "b"], seed: [0, 1, 0, 1], cost: [3, 4, 1, 3],
 * });
 * const [r] = bestOf(df, { by: ["g"], item: "t", value: "cost" }).toRecords();
 * if (r.best !== "b" || r.second !== "a" || r.gap_mean !== 1.5) throw new Error(JSON.stringify(r));
 * ```
 */
export function bestOf(df: pl.DataFrame, options: BestOfOptions): pl.DataFrame {
  const { by, item, value } = options;
  const pair = options.pair ?? "seed";
  const sign = options.maximise ? -1 : 1;
  const s = summarise(df, { by: [...by, item], cols: [value] }).toRecords();
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of s) {
    const key = JSON.stringify(by.map((b) => r[b]));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const out: Record<string, unknown>[] = [];
  for (const rs of groups.values()) {
    rs.sort((a, b) =>
      sign * ((a[`${value}_mean`] as number) - (b[`${value}_mean`] as number)) ||
      String(a[item]).localeCompare(String(b[item]))
    );
    const [b, r2] = rs;
    const row: Record<string, unknown> = {};
    for (const k of by) row[k] = b[k];
    row.best = b[item];
    for (const f of ["mean", "lo", "hi"]) row[`best_${f}`] = b[`${value}_${f}`];
    row.second = r2 ? r2[item] : null;
    for (const f of ["mean", "lo", "hi"]) row[`second_${f}`] = r2 ? r2[`${value}_${f}`] : null;
    let gap = { mean: null as number | null, lo: null as number | null, hi: null as number | null };
    if (r2) {
      const group = Object.fromEntries(by.map((k) => [k, b[k] as string | number]));
      const d = pairedDiff(df, {
        a: { ...group, [item]: r2[item] as string },
        b: { ...group, [item]: b[item] as string },
        on: [pair],
        by: [],
        value,
      }).toRecords()[0];
      if (d !== undefined && d.diff_mean !== null) {
        const m = d.diff_mean as number;
        gap = { mean: m, lo: (d.diff_lo ?? m) as number, hi: (d.diff_hi ?? m) as number };
      }
    }
    row.gap_mean = gap.mean;
    row.gap_lo = gap.lo;
    row.gap_hi = gap.hi;
    row.n = Number(b[`${value}_n`]);
    row.candidates = rs.length;
    out.push(row);
  }
  const cols = [
    ...by,
    "best",
    "best_mean",
    "best_lo",
    "best_hi",
    "second",
    "second_mean",
    "second_lo",
    "second_hi",
    "gap_mean",
    "gap_lo",
    "gap_hi",
    "n",
    "candidates",
  ];
  const strings = new Set([...by.filter((k) => typeof out[0]?.[k] === "string"), "best", "second"]);
  return pl.DataFrame(cols.map((c) => {
    const values = out.map((r) => (r[c] === undefined ? null : r[c]));
    if (strings.has(c)) return pl.Series(c, values, pl.Utf8);
    if (c === "n" || c === "candidates") return pl.Series(c, values, pl.Int32);
    return pl.Series(c, values, pl.Float64);
  }));
}

/** The row label of a maker setting in the cross-table. */
export function settingLabel(makers: string, trainTaker: string): string {
  return makers === "learned"
    ? `learned vs ${trainTaker}`
    : makers === "co-learned"
    ? "learned vs learning taker"
    : makers;
}

/**
 * The cross-table: the `play` frame summarised by (game, maker setting, play taker) over seeds
 * (cost, taker PnL, average price, the makers' share, PnL and marked PnL), with `row` (the
 * setting's label, {@linkcode settingLabel}).
 */
export function crossSummary(play: pl.DataFrame): pl.DataFrame {
  const s = summarise(play, {
    by: ["game", "makers", "train_taker", "play_taker"],
    cols: ["cost_bps", "taker_pnl", "avg_price", "maker_share", "maker_pnl", "maker_mtm"],
  });
  const rows = records(s);
  return s.withColumns(
    pl.Series("row", rows.map((r) => settingLabel(r.makers as string, r.train_taker as string))),
  );
}

/** The cross-table of one game as text (rows × play takers, `mean ± half` of the cost). */
export function crossText(
  cross: pl.DataFrame,
  o: { game: string; rows: readonly string[]; cols: readonly string[] },
): pl.DataFrame {
  const c = records(cross).filter((r) => r.game === o.game);
  return pl.DataFrame([
    pl.Series(`maker setting (${o.game})`, [...o.rows]),
    ...o.cols.map((col) =>
      pl.Series(
        col,
        o.rows.map((row) => {
          const r = c.find((x) => x.row === row && x.play_taker === col);
          return r
            ? `${fixed(num(r, "cost_bps_mean"), 2)} ± ${
              fixed(num(r, "cost_bps_hi") - num(r, "cost_bps_mean"), 2)
            }`
            : "";
        }),
      )
    ),
  ]);
}

/** What the cross-table shows in one game (notebook 05, section 1). */
export interface CrossFacts {
  /** Takers that pay more against their adapted maker than against the replenisher. */
  readonly hurts: readonly string[];
  /** Takers that pay less against their adapted maker than against the replenisher. */
  readonly helps: readonly string[];
  /** Takers that pay less against their adapted maker than with no maker. */
  readonly vsNone: readonly string[];
  /** Takers whose adapted maker costs them more than the mean of the other learned makers. */
  readonly diagHigher: readonly string[];
  /** Mean cost over the `patient` takers of a setting's row. */
  readonly patientCost: (row: string) => number;
  /** The learned makers cheapest and dearest for the patient takers. */
  readonly cheapest: string;
  /** See `cheapest`. */
  readonly dearest: string;
}

/**
 * {@linkcode CrossFacts} of one game of a {@linkcode crossSummary}; intervals apart count ("above"
 * in `verdict`'s sense), means elsewhere.
 */
export function crossFacts(
  cross: pl.DataFrame,
  o: { game: string; takers: readonly string[]; patient: readonly string[] },
): CrossFacts {
  const c = records(cross).filter((r) => r.game === o.game);
  const at = (row: string, col: string) => rowOf(c, { row, play_taker: col });
  const dearer = (a: Row, b: Row) => verdict(a, { col: "cost_bps", than: b }) === "above";
  const adapted = (p: string) => at(`learned vs ${p}`, p);
  const patientCost = (row: string) =>
    average(o.patient.map((p) => num(at(row, p), "cost_bps_mean")));
  const learned = o.takers.map((t) => `learned vs ${t}`);
  return {
    hurts: o.takers.filter((p) => dearer(adapted(p), at("replenisher", p))),
    helps: o.takers.filter((p) => dearer(at("replenisher", p), adapted(p))),
    vsNone: o.takers.filter((p) => dearer(at("0 makers", p), adapted(p))),
    diagHigher: o.takers.filter((p) =>
      num(adapted(p), "cost_bps_mean") >
        average(
          o.takers.filter((t) => t !== p).map((t) =>
            num(at(`learned vs ${t}`, p), "cost_bps_mean")
          ),
        )
    ),
    patientCost,
    cheapest: learned.reduce((b, r) => (patientCost(r) < patientCost(b) ? r : b)),
    dearest: learned.reduce((b, r) => (patientCost(r) > patientCost(b) ? r : b)),
  };
}

/**
 * The rows of `df` (a `play` or `steps` frame) of one play taker against the no-maker and baseline
 * settings and the maker trained against it, with `setting` (the baseline's label or
 * `learned vs <taker>`); co-learned makers are left out.
 */
export function againstTaker(df: pl.DataFrame, taker: string): pl.DataFrame {
  return df.filter(pl.col("play_taker").eq(pl.lit(taker)))
    .filter(pl.col("makers").neq(pl.lit("learned")).or(pl.col("train_taker").eq(pl.lit(taker))))
    .filter(pl.col("makers").neq(pl.lit("co-learned")))
    .withColumns(
      pl.when(pl.col("makers").eq(pl.lit("learned"))).then(pl.lit(`learned vs ${taker}`))
        .otherwise(pl.col("makers")).alias("setting"),
    );
}

/**
 * The play taker's outcomes against each setting ({@linkcode againstTaker}) with the share of
 * its size sold by step `step` (`sold_before_catch_up`), summarised by (game, setting) over
 * seeds: average price, cost, that share, the makers' share, fills per step.
 */
export function paceSummary(
  play: pl.DataFrame,
  steps: pl.DataFrame,
  o: { taker: string; step: number },
): pl.DataFrame {
  const sold = againstTaker(steps, o.taker).filter(pl.col("step").eq(pl.lit(o.step)))
    .select("game", "setting", "seed", pl.col("cum_frac").alias("sold_before_catch_up"));
  const p = againstTaker(play, o.taker).join(sold, { on: ["game", "setting", "seed"] });
  return summarise(p, {
    by: ["game", "setting"],
    cols: ["avg_price", "cost_bps", "sold_before_catch_up", "maker_share", "fills_per_step"],
  });
}

/** Per (game, seed): mean and sd of the taker's greedy evaluation PnL over the last `checks` checks. */
export function tailEvaluation(dynamics: pl.DataFrame, checks: number): pl.DataFrame {
  const last = Math.max(...(dynamics.getColumn("check").toArray() as number[]));
  const tail = dynamics.filter(
    pl.col("side").eq(pl.lit("taker")).and(pl.col("check").gt(pl.lit(last - checks))),
  );
  return summarise(tail, { by: ["game", "seed"], cols: ["eval_pnl"] })
    .select(
      "game",
      "seed",
      pl.col("eval_pnl_mean").alias("mean"),
      pl.col("eval_pnl_sd").alias("sd"),
    );
}

/** The training runs by (game, training taker): runs that converged, runs, mean coverage. */
export function trainingTable(train: pl.DataFrame): pl.DataFrame {
  const t = train.withColumns(pl.col("converged").cast(pl.Float64), pl.lit(1).alias("runs"));
  return aggregate(t, {
    by: ["game", "train_taker"],
    sum: ["converged", "runs"],
    mean: ["coverage"],
  })
    .select(
      "game",
      "train_taker",
      pl.col("converged").cast(pl.Int32).alias("converged runs"),
      pl.col("runs").cast(pl.Int32),
      pl.col("coverage").round(3).alias("state coverage"),
    );
}

/** The co-learning verdict per (game, seed) beside the taker's late evaluation PnL. */
export function verdictTable(
  verdict: pl.DataFrame,
  tail: pl.DataFrame,
  checks: number,
): pl.DataFrame {
  return verdict.join(tail, { on: ["game", "seed"] }).select(
    "game",
    "seed",
    "outcome",
    pl.col("mean").round(1).alias(`taker eval PnL, last ${checks} checks ($)`),
    pl.col("sd").round(1).alias("sd over those checks ($)"),
  );
}

/** How the taker strategies rank across the settings (notebook 05, section 3). */
export interface RankingFacts {
  /** The largest spread of mean cost among the patient strategies in any setting. */
  readonly patientSpread: number;
  /** The smallest margin of the cheapest urgent strategy over the dearest patient one. */
  readonly urgentGap: number;
  /** Whether the dearest strategy of every setting is an urgent one. */
  readonly worstIsUrgent: boolean;
  /** Settings where `favourite` is best or not distinguishable from the best (paired margin). */
  readonly favouriteBestOrTied: number;
}

/**
 * {@linkcode RankingFacts} from the mean costs by (game, setting, play taker) and the
 * {@linkcode bestOf} rows by (game, setting), over `cells` (game, setting pairs).
 */
export function rankingFacts(
  costs: readonly Row[],
  best: readonly Row[],
  o: {
    cells: readonly (readonly [string, string])[];
    takers: readonly string[];
    patient: readonly string[];
    urgent: readonly string[];
    favourite: string;
  },
): RankingFacts {
  const c = (g: string, s: string, p: string) =>
    num(rowOf(costs, { game: g, setting: s, play_taker: p }), "cost_bps_mean");
  const over = (g: string, s: string, ps: readonly string[]) => ps.map((p) => c(g, s, p));
  return {
    patientSpread: Math.max(
      ...o.cells.map(([g, s]) =>
        Math.max(...over(g, s, o.patient)) - Math.min(...over(g, s, o.patient))
      ),
    ),
    urgentGap: Math.min(
      ...o.cells.map(([g, s]) =>
        Math.min(...over(g, s, o.urgent)) - Math.max(...over(g, s, o.patient))
      ),
    ),
    worstIsUrgent: o.cells.every(([g, s]) =>
      o.urgent.includes(o.takers.reduce((x, p) => (c(g, s, p) > c(g, s, x) ? p : x)))
    ),
    favouriteBestOrTied: o.cells.filter(([g, s]) => {
      const r = rowOf(best, { game: g, setting: s });
      return r.best === o.favourite || (r.second === o.favourite && num(r, "gap_lo") <= 0);
    }).length,
  };
}

/** How the two sides of a co-learning game move in one game (notebook 05, section 4). */
export interface CoLearningFacts {
  /** Mean policy change at the first comparison, by side. */
  readonly first: Readonly<Record<"makers" | "taker", number>>;
  /** Mean policy change over the last `checks` checks, by side. */
  readonly tail: Readonly<Record<"makers" | "taker", number>>;
  /** The taker's evaluation PnL over those checks: sd across checks and mean, means over seeds. */
  readonly takerSd: number;
  /** See `takerSd`. */
  readonly takerMean: number;
}

/**
 * {@linkcode CoLearningFacts} of `game` from the dynamics summarised by (game, side, episode)
 * (`change`) and {@linkcode tailEvaluation}'s rows.
 */
export function coLearningFacts(
  dynamics: pl.DataFrame,
  tail: pl.DataFrame,
  o: { game: string; checks: number },
): CoLearningFacts {
  const d = records(dynamics).filter((r) => r.game === o.game);
  const side = (s: string) => d.filter((r) => r.side === s).map((r) => num(r, "change_mean"));
  const t = records(tail).filter((r) => r.game === o.game);
  return {
    first: { makers: side("makers")[0], taker: side("taker")[0] },
    tail: {
      makers: average(side("makers").slice(-o.checks)),
      taker: average(side("taker").slice(-o.checks)),
    },
    takerSd: average(t.map((r) => num(r, "sd"))),
    takerMean: average(t.map((r) => num(r, "mean"))),
  };
}
