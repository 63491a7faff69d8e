/**
 * The numbers and small frames notebook 07 quotes, as pure functions of the study's frames
 * (`study.ts`) and of the committed training curves (`data/models/`, `lib/training`):
 *
 * - the baseline search: the best configuration of each family per condition
 *   ({@linkcode bestBaselines});
 * - the comparison: per-set means ({@linkcode perSet}), means with 95% intervals by policy and
 *   condition ({@linkcode comparison}), each learner against the best baseline paired by set
 *   ({@linkcode versusBest}) and the target's verdict ({@linkcode targetVerdict});
 * - learning curves of the objective with a band over training seeds ({@linkcode curveBands})
 *   and whether they have flattened at the budget ({@linkcode flattening}); the training
 *   episodes' return from the first to the last part of the budget ({@linkcode trainingTrend});
 * - the volatility × time maps pooled over sets, with the adverse, zero and favourable markout
 *   rates and the mean markout side by side ({@linkcode volTimeMap}), the markout rates by policy
 *   ({@linkcode markoutTable}), the inventory distribution ({@linkcode inventoryShares}) and the
 *   queue sweep's fill rates ({@linkcode queueFillRates}, {@linkcode fillRateAt});
 * - a generic table of `mean [lo, hi]` cells ({@linkcode ciTable}).
 *
 * Means, sums and intervals come from `lib/report`'s `aggregate` and `summarise`, paired
 * differences from `pairedBySeed`, verdicts from `verdict`.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ConfigError } from "../../errors.ts";
import { aggregate, pairedBySeed, type Row, summarise, verdict } from "../../report/stats.ts";
import type { LabelledPolicy } from "./tuning.ts";
import { policyText } from "./jobs.ts";

const column = (df: pl.DataFrame, c: string) =>
  (df.getColumn(c).toArray() as (number | null)[]).map((x) => (x === null ? NaN : Number(x)));

function floatSeries(name: string, v: readonly number[]): pl.Series {
  return pl.Series(name, v.map((x) => (Number.isFinite(x) ? x : null)), pl.Float64);
}

/** The best baseline of a family on a condition, as {@linkcode bestBaselines} finds it. */
export interface BestBaseline extends LabelledPolicy {
  /** The condition. */
  readonly condition: string;
  /** Its configuration as text (`policyText`). */
  readonly config: string;
  /** Its mean objective on the search episodes. */
  readonly objective: number;
}

/**
 * For each condition and baseline family of the search (`episodes` rows of `tuneJobs`), the
 * configuration with the highest mean objective over all its search episodes; `grid` maps the
 * configuration text back to its policy. In condition order, then the grid's family order.
 *
 * @example
 * ```ts
 * import { bestBaselines } from "./summaries.ts";
 * import pl from "nodejs-polars";
 * const p = (h: number) => ({ kind: "skew", halfSpread: h, skew: 0, size: 1 }) as const;
 * const grid = [{ label: "fixed", policy: p(1) }, { label: "fixed", policy: p(2) }];
 * const episodes = pl.DataFrame({ label: ["fixed", "fixed", "fixed"], condition: ["calm", "calm", "calm"],
 *   config: ["h=1 κ=0 size=1", "h=2 κ=0 size=1", "h=2 κ=0 size=1"], objective: [5, 7, 1] });
 * const [b] = bestBaselines(episodes, grid); // h=2 averages 4
 * if (b.config !== "h=1 κ=0 size=1" || b.objective !== 5) throw new Error(b.config);
 * ```
 */
export function bestBaselines(
  episodes: pl.DataFrame,
  grid: readonly LabelledPolicy[],
): BestBaseline[] {
  const means = aggregate(episodes, { by: ["condition", "label", "config"], mean: ["objective"] })
    .toRecords() as Row[];
  const conditions = [...new Set(episodes.getColumn("condition").toArray() as string[])];
  const labels = [...new Set(grid.map((g) => g.label))];
  const out: BestBaseline[] = [];
  for (const condition of conditions) {
    for (const label of labels) {
      const rows = means.filter((r) => r.condition === condition && r.label === label);
      if (rows.length === 0) continue;
      const best = rows.reduce((a, r) => (Number(r.objective) > Number(a.objective) ? r : a));
      const g = grid.find((x) => x.label === label && policyText(x.policy) === best.config);
      if (g === undefined) {
        throw new ConfigError("grid", "the searched configurations", best.config);
      }
      out.push({ ...g, condition, config: String(best.config), objective: Number(best.objective) });
    }
  }
  return out;
}

/** Per policy, condition and set: the mean of `cols` over the set's episodes. */
export function perSet(episodes: pl.DataFrame, cols: readonly string[]): pl.DataFrame {
  return aggregate(episodes, { by: ["label", "condition", "seed"], mean: cols });
}

/**
 * Means with Student-t 95% intervals over sets by policy and condition (`<col>_mean`, `_lo`,
 * `_hi`, `_n`), from the episode rows: each set's mean first (a learner's set is one training
 * seed, so the interval covers training seeds and the market's randomness).
 */
export function comparison(episodes: pl.DataFrame, cols: readonly string[]): pl.DataFrame {
  return summarise(perSet(episodes, cols), { by: ["label", "condition"], cols });
}

/** A learner's objective against the best baseline of a condition, paired by set. */
export interface VersusBest {
  /** The learner's label. */
  readonly label: string;
  /** The condition. */
  readonly condition: string;
  /** The best baseline's label (highest mean on the held-out sets among `baselines`). */
  readonly baseline: string;
  /** `pairedBySeed`'s row: `a_mean` (learner), `b_mean`, `diff_mean`, `diff_lo`, `diff_hi`. */
  readonly diff: Row;
  /** Where the difference's interval lies relative to 0. */
  readonly verdict: ReturnType<typeof verdict>;
}

/**
 * Each learner in `learners` against the best of `baselines` on each condition, by the held-out
 * mean of `metric` (default `"objective"`), paired by set: the learner of training seed `s`
 * against the baseline on the same episodes.
 */
export function versusBest(
  episodes: pl.DataFrame,
  o: { learners: readonly string[]; baselines: readonly string[]; metric?: string },
): VersusBest[] {
  const metric = o.metric ?? "objective";
  const sets = perSet(episodes, [metric]);
  const means = aggregate(sets, { by: ["label", "condition"], mean: [metric] })
    .toRecords() as Row[];
  const conditions = [...new Set(sets.getColumn("condition").toArray() as string[])];
  const out: VersusBest[] = [];
  for (const condition of conditions) {
    const base = means.filter((r) =>
      r.condition === condition && o.baselines.includes(String(r.label))
    );
    if (base.length === 0) continue;
    const best = String(
      base.reduce((a, r) => (Number(r[metric]) > Number(a[metric]) ? r : a)).label,
    );
    for (const label of o.learners) {
      if (!means.some((r) => r.condition === condition && r.label === label)) continue;
      const diff = pairedBySeed(sets, {
        a: { label, condition },
        b: { label: best, condition },
        value: metric,
      });
      out.push({ label, condition, baseline: best, diff, verdict: verdict(diff, { col: "diff" }) });
    }
  }
  return out;
}

/**
 * The target's verdict: the learners that beat the best baseline (paired interval above 0) in
 * at least `need` conditions, and per learner the conditions where they do.
 */
export function targetVerdict(
  rows: readonly VersusBest[],
  need = 2,
): { met: boolean; winners: string[]; wins: Record<string, string[]> } {
  const wins: Record<string, string[]> = {};
  for (const r of rows) {
    wins[r.label] ??= [];
    if (r.verdict === "above") wins[r.label].push(r.condition);
  }
  const winners = Object.keys(wins).filter((l) => wins[l].length >= need);
  return { met: winners.length > 0, winners, wins };
}

/**
 * Learning curves of the objective from the training runs' greedy evaluations
 * (`eval_curves.parquet`: `agent`, `condition`, `seed`, `step`, `pnl`, `inventorySquares`):
 * `objective = pnl − riskPenalty·inventorySquares` per episode, its mean per seed and step, then
 * by agent, condition and step the mean over seeds with a 95% interval (`mean`, `lo`, `hi`, `n`).
 *
 * @example
 * ```ts
 * import { curveBands } from "./summaries.ts";
 * import pl from "nodejs-polars";
 * const curves = pl.DataFrame({ agent: ["a", "a", "a", "a"], condition: ["calm", "calm", "calm", "calm"],
 *   seed: [0, 0, 1, 1], step: [0, 0, 0, 0], pnl: [10, 20, 30, 40], inventorySquares: [0, 0, 0, 0] });
 * const b = curveBands(curves, { riskPenalty: 1 }).toRecords()[0];
 * // seed means 15 and 35: mean 25
 * if (b.mean !== 25 || b.n !== 2) throw new Error(JSON.stringify(b));
 * ```
 */
export function curveBands(curves: pl.DataFrame, o: { riskPenalty: number }): pl.DataFrame {
  const j = curves.withColumns(
    pl.col("pnl").sub(pl.col("inventorySquares").mul(pl.lit(o.riskPenalty))).alias("objective"),
  );
  const seeds = aggregate(j, { by: ["agent", "condition", "seed", "step"], mean: ["objective"] });
  const s = summarise(seeds, { by: ["agent", "condition", "step"], cols: ["objective"] });
  return pl.DataFrame([
    s.getColumn("agent"),
    s.getColumn("condition"),
    s.getColumn("step").cast(pl.Int32),
    floatSeries("mean", column(s, "objective_mean")),
    floatSeries("lo", column(s, "objective_lo")),
    floatSeries("hi", column(s, "objective_hi")),
    pl.Series("n", Int32Array.from(column(s, "objective_n"))),
  ]);
}

/** How a learning curve ends, from {@linkcode flattening}. */
export interface CurveEnd {
  readonly agent: string;
  readonly condition: string;
  /** Mean objective at the last evaluation (the budget) and at the one `back` points earlier. */
  readonly last: number;
  readonly before: number;
  /** Step counts of those two points. */
  readonly lastStep: number;
  readonly beforeStep: number;
  /**
   * The last point minus the earlier one, paired by seed, with its 95% interval; `flat` when
   * the interval contains 0 (no measurable gain over the last stretch of the budget), null
   * when there is no interval (fewer than 2 seeds).
   */
  readonly gain: number;
  readonly gainLo: number;
  readonly gainHi: number;
  readonly flat: boolean | null;
}

/**
 * Whether each curve has flattened at the budget: the objective at the last greedy evaluation
 * minus that `back` evaluations earlier, paired by training seed (`eval_curves.parquet` as in
 * {@linkcode curveBands}).
 */
export function flattening(
  curves: pl.DataFrame,
  o: { riskPenalty: number; back: number },
): CurveEnd[] {
  const j = curves.withColumns(
    pl.col("pnl").sub(pl.col("inventorySquares").mul(pl.lit(o.riskPenalty))).alias("objective"),
  );
  const seeds = aggregate(j, { by: ["agent", "condition", "seed", "step"], mean: ["objective"] });
  const pairs = [
    ...new Set(
      (seeds.select("agent", "condition").toRecords() as Row[]).map((r) =>
        `${r.agent}\u0000${r.condition}`
      ),
    ),
  ];
  return pairs.map((p) => {
    const [agent, condition] = p.split("\u0000");
    const mine = seeds.filter(
      pl.col("agent").eq(pl.lit(agent)).and(
        pl.col("condition").eq(pl.lit(condition)),
      ),
    );
    const steps = [...new Set(column(mine, "step"))].sort((a, b) => a - b);
    const lastStep = steps[steps.length - 1];
    const beforeStep = steps[Math.max(0, steps.length - 1 - o.back)];
    const d = pairedBySeed(mine, {
      a: { step: lastStep },
      b: { step: beforeStep },
      value: "objective",
    });
    const lo = Number(d.diff_lo ?? NaN), hi = Number(d.diff_hi ?? NaN);
    return {
      agent,
      condition,
      last: Number(d.a_mean),
      before: Number(d.b_mean),
      lastStep,
      beforeStep,
      gain: Number(d.diff_mean),
      gainLo: lo,
      gainHi: hi,
      flat: Number.isFinite(lo) && Number.isFinite(hi) ? lo <= 0 && hi >= 0 : null,
    };
  });
}

/** One row of {@linkcode trainingTrend}. */
export interface TrainingTrend {
  readonly agent: string;
  readonly condition: string;
  /** Mean training return over each seed's first `fraction` of episodes, mean over seeds. */
  readonly first: number;
  /** The same over the last `fraction`. */
  readonly last: number;
  /** `last − first`, paired by seed, with its 95% interval. */
  readonly gain: number;
  readonly gainLo: number;
  readonly gainHi: number;
  /** Seeds. */
  readonly n: number;
}

/**
 * How the training episodes' return (the exploring, stochastic policy's, from
 * `train_curves.parquet`: columns `agent`, `condition`, `seed`, `episode`, `return`) moved from
 * the first `fraction` of each run's episodes to the last, paired by seed. Beside
 * {@linkcode flattening}'s greedy curve it tells whether training improved the policy it acts
 * with while the greedy (mean) action did not.
 */
export function trainingTrend(train: pl.DataFrame, o: { fraction: number }): TrainingTrend[] {
  if (!(o.fraction > 0 && o.fraction <= 0.5)) {
    throw new ConfigError("trainingTrend.fraction", "a number in (0, 0.5]", o.fraction);
  }
  const rows = train.select("agent", "condition", "seed", "episode", "return").toRecords() as Row[];
  const runs = new Map<string, { ep: number; r: number }[]>();
  for (const r of rows) {
    const k = `${r.agent}\u0000${r.condition}\u0000${r.seed}`;
    if (!runs.has(k)) runs.set(k, []);
    runs.get(k)!.push({ ep: Number(r.episode), r: Number(r.return) });
  }
  const phases: Row[] = [];
  for (const [k, eps] of runs) {
    const [agent, condition, seed] = k.split("\u0000");
    eps.sort((a, b) => a.ep - b.ep);
    const m = Math.max(1, Math.floor(eps.length * o.fraction));
    const mean = (xs: { r: number }[]) => xs.reduce((s, x) => s + x.r, 0) / xs.length;
    phases.push({ agent, condition, seed: Number(seed), phase: "first", r: mean(eps.slice(0, m)) });
    phases.push({ agent, condition, seed: Number(seed), phase: "last", r: mean(eps.slice(-m)) });
  }
  const df = pl.DataFrame(phases);
  const pairs = [...new Set(phases.map((p) => `${p.agent}\u0000${p.condition}`))];
  return pairs.map((p) => {
    const [agent, condition] = p.split("\u0000");
    const mine = df.filter(
      pl.col("agent").eq(pl.lit(agent)).and(pl.col("condition").eq(pl.lit(condition))),
    );
    const d = pairedBySeed(mine, { a: { phase: "last" }, b: { phase: "first" }, value: "r" });
    return {
      agent,
      condition,
      first: Number(d.b_mean),
      last: Number(d.a_mean),
      gain: Number(d.diff_mean),
      gainLo: Number(d.diff_lo ?? NaN),
      gainHi: Number(d.diff_hi ?? NaN),
      n: Number(d.diff_n),
    };
  });
}

/**
 * The volatility × time maps by policy and condition, all sets pooled: `steps`, `pnl` (mean PnL
 * change per step), `fills`, and over the fills with a markout `adverseRate`, `zeroRate`,
 * `favourableRate` (markout < 0, = 0, > 0; they sum to 1) and `markout` (mean, ticks per fill).
 */
export function volTimeMap(cells: pl.DataFrame): pl.DataFrame {
  const k = ["label", "condition", "timeBucket", "timeLabel", "volBucket", "volLabel"];
  const s = aggregate(cells, {
    by: k,
    sum: ["steps", "pnl", "fills", "markoutFills", "adverse", "zero", "markoutSum"],
  });
  const c = (n: string) => column(s, n);
  const [steps, pnl, mf, adv, zero, ms] = [
    c("steps"),
    c("pnl"),
    c("markoutFills"),
    c("adverse"),
    c("zero"),
    c("markoutSum"),
  ];
  return pl.DataFrame([
    ...k.map((n) => s.getColumn(n)),
    pl.Series("steps", Int32Array.from(steps)),
    floatSeries("pnl", pnl.map((x, i) => x / steps[i])),
    pl.Series("fills", Int32Array.from(c("fills"))),
    floatSeries("adverseRate", adv.map((x, i) => x / mf[i])),
    floatSeries("zeroRate", zero.map((x, i) => x / mf[i])),
    floatSeries("favourableRate", adv.map((x, i) => (mf[i] - x - zero[i]) / mf[i])),
    floatSeries("markout", ms.map((x, i) => x / mf[i])),
  ]);
}

/**
 * Markout figures by policy and condition, pooled over every cell and set: fills, the adverse,
 * zero and favourable rates and the mean markout (ticks per fill), side by side.
 */
export function markoutTable(cells: pl.DataFrame): pl.DataFrame {
  const pooled = cells.withColumns(
    pl.lit(0).alias("timeBucket"),
    pl.lit("all").alias("timeLabel"),
    pl.lit(0).alias("volBucket"),
    pl.lit("all").alias("volLabel"),
  );
  return volTimeMap(pooled).drop("timeBucket", "timeLabel", "volBucket", "volLabel", "pnl");
}

/** Share of evaluation steps at each inventory, by policy and condition, sets pooled. */
export function inventoryShares(inventory: pl.DataFrame): pl.DataFrame {
  const s = aggregate(inventory, { by: ["label", "condition", "inventory"], sum: ["steps"] });
  const tot = aggregate(inventory, { by: ["label", "condition"], sum: ["steps"] })
    .rename({ steps: "total" });
  return s.join(tot, { on: ["label", "condition"] }).withColumns(
    pl.col("inventory").cast(pl.Int32),
    pl.col("steps").div(pl.col("total")).alias("share"),
  ).drop("total");
}

/**
 * Fill rates by quote size and queue-position bucket, pooled over seeds: `orders` (order-steps
 * observed), `fillProb` (share of them with a fill in the step) and `fillRate` (filled / resting
 * quantity per step).
 */
export function queueFillRates(queue: pl.DataFrame): pl.DataFrame {
  const k = ["size", "queueBucket", "queueLabel"];
  const s = aggregate(queue, { by: k, sum: ["orders", "filledOrders", "restingQty", "filledQty"] });
  const c = (n: string) => column(s, n);
  const orders = c("orders"), resting = c("restingQty");
  return pl.DataFrame([
    ...k.map((n) => s.getColumn(n)),
    pl.Series("orders", Int32Array.from(orders)),
    floatSeries("fillProb", c("filledOrders").map((x, i) => x / orders[i])),
    floatSeries("fillRate", c("filledQty").map((x, i) => x / resting[i])),
  ]);
}

/** The fill rate of a quote size at a queue-position bucket ({@linkcode queueFillRates}). */
export function fillRateAt(rates: pl.DataFrame, o: { size: number; bucket: number }): number {
  const r = rates.filter(
    pl.col("size").eq(pl.lit(o.size)).and(pl.col("queueBucket").eq(pl.lit(o.bucket))),
  ).toRecords()[0];
  return r === undefined ? NaN : Number(r.fillRate);
}

/** Options of {@linkcode ciTable}. */
export interface CiTableOptions {
  /** Row key column (e.g. `"label"`). */
  readonly row: string;
  /** Column key column (e.g. `"condition"`), one table column per value, in this order. */
  readonly cols: readonly string[];
  /** The column key's name in the summary. */
  readonly colKey: string;
  /** The summarised metric (`<metric>_mean`, `_lo`, `_hi`). */
  readonly metric: string;
  /** Row order. */
  readonly order: readonly string[];
  /** Decimals. Default 0. */
  readonly digits?: number;
}

/**
 * A table for the prose from a `summarise` frame: one row per `row` value, one column per
 * `colKey` value, each cell `mean [lo, hi]` (`—` where missing).
 *
 * @example
 * ```ts
 * import { ciTable } from "./summaries.ts";
 * import pl from "nodejs-polars";
 * const s = pl.DataFrame({ label: ["a"], condition: ["calm"], j_mean: [1.5], j_lo: [1], j_hi: [2] });
 * const t = ciTable(s, { row: "label", colKey: "condition", cols: ["calm"], metric: "j",
 *   order: ["a"], digits: 1 }).toRecords()[0];
 * if (t.calm !== "1.5 [1.0, 2.0]") throw new Error(String(t.calm));
 * ```
 */
export function ciTable(summary: pl.DataFrame, o: CiTableOptions): pl.DataFrame {
  const d = o.digits ?? 0;
  const recs = summary.toRecords() as Row[];
  const f = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "—");
  const series = [pl.Series(o.row, [...o.order], pl.Utf8)];
  for (const c of o.cols) {
    series.push(pl.Series(
      c,
      o.order.map((r) => {
        const x = recs.find((y) => y[o.row] === r && y[o.colKey] === c);
        return x
          ? `${f(x[`${o.metric}_mean`])} [${f(x[`${o.metric}_lo`])}, ${f(x[`${o.metric}_hi`])}]`
          : "—";
      }),
      pl.Utf8,
    ));
  }
  return pl.DataFrame(series);
}
