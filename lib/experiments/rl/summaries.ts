/**
 * The numbers and small frames notebook 07 quotes, as pure functions of the study's frames
 * (`study.ts`): learning curves with a band over seeds ({@linkcode curveBands}), the maps pooled
 * over seeds ({@linkcode pnlHeatmap}, {@linkcode adverseHeatmap}, {@linkcode inventoryShares},
 * {@linkcode queueFillRates}, {@linkcode quoteShares}), and the comparison table. Means, sums
 * and intervals come from `lib/report`'s `aggregate` and `summarise`; paired differences from
 * its `pairedDiff`.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkInt, ConfigError } from "../../errors.ts";
import { type MarketMakingOptions, POISSON_FLOW_DEFAULTS } from "../../env/mod.ts";
import { int } from "../../report/format.ts";
import { aggregate, type Row, summarise } from "../../report/stats.ts";
import type { AgentCase } from "./jobs.ts";

function floatSeries(name: string, v: readonly (number | null)[]): pl.Series {
  return pl.Series(name, v.map((x) => (x !== null && Number.isFinite(x) ? x : null)), pl.Float64);
}

const column = (df: pl.DataFrame, c: string) =>
  (df.getColumn(c).toArray() as (number | null)[]).map((x) => (x === null ? NaN : Number(x)));

/** Options of {@linkcode curveBands}. */
export interface CurveBandOptions {
  /** Training episodes per block (each point of a curve is a block's mean). */
  readonly block: number;
  /** Metrics (columns of `curves`). */
  readonly metrics: readonly string[];
  /** Confidence level of the band over seeds. Default 0.95. */
  readonly level?: number;
}

/**
 * Learning curves with a band over seeds, in long form: for each metric, agent and block of
 * `block` training episodes, the mean over seeds of the per-seed block means, with a Student-t
 * interval (`lo`, `hi`; null with fewer than two seeds) and `n` seeds. Column `episode` is the
 * block's last episode (1-based), `step` the mean environment steps taken by then.
 *
 * @example
 * ```ts
 * import { curveBands } from "./summaries.ts";
 * import pl from "nodejs-polars";
 * const curves = pl.DataFrame({
 *   agent: ["a", "a", "a", "a"], seed: [0, 0, 1, 1], episode: [0, 1, 0, 1],
 *   step: [10, 20, 10, 20], pnl: [1, 3, 3, 5],
 * });
 * const b = curveBands(curves, { block: 2, metrics: ["pnl"] }).toRecords()[0];
 * // seed means 2 and 4: mean 3, sd √2, t(0.975, 1) = 12.706
 * if (b.mean !== 3 || b.n !== 2 || Math.abs(Number(b.hi) - 3 - 12.706) > 1e-3) throw new Error();
 * ```
 */
export function curveBands(curves: pl.DataFrame, options: CurveBandOptions): pl.DataFrame {
  const block = checkInt("block", options.block, 1, 1e6);
  const blocks = Int32Array.from(column(curves, "episode"), (e) => Math.floor(e / block));
  // Per agent, block and seed: the metrics' means, the block's last episode and mean steps.
  const cells = aggregate(curves.withColumns(pl.Series("block", blocks)), {
    by: ["agent", "block", "seed"],
    mean: [...options.metrics, "step"],
    max: ["episode"],
  });
  // Then per agent and block, over seeds.
  const band = aggregate(cells, { by: ["agent", "block"], mean: ["step"], max: ["episode"] });
  const frames = options.metrics.map((m) => {
    const s = summarise(cells, { by: ["agent", "block"], cols: [m], level: options.level });
    return pl.DataFrame([
      pl.Series("metric", new Array<string>(s.height).fill(m), pl.Utf8),
      s.getColumn("agent"),
      s.getColumn("block").cast(pl.Int32),
      pl.Series("episode", Int32Array.from(column(band, "episode"), (e) => e + 1)),
      floatSeries("step", column(band, "step")),
      floatSeries("mean", column(s, `${m}_mean`)),
      floatSeries("lo", column(s, `${m}_lo`)),
      floatSeries("hi", column(s, `${m}_hi`)),
      pl.Series("n", Int32Array.from(column(s, `${m}_n`))),
    ]);
  });
  return pl.concat(frames, { how: "vertical" });
}

/** Sums of `cols` by `keys`, with each group's share of its first key's `weight` sum. */
function pooled(
  df: pl.DataFrame,
  o: { keys: readonly string[]; cols: readonly string[]; weight?: string },
): { sums: pl.DataFrame; share: number[] } {
  const sums = aggregate(df, { by: o.keys, sum: o.cols });
  const share: number[] = [];
  if (o.weight !== undefined) {
    const first = sums.getColumn(o.keys[0]).toArray() as unknown[];
    const w = column(sums, o.weight);
    const totals = new Map<unknown, number>();
    first.forEach((k, i) => totals.set(k, (totals.get(k) ?? 0) + w[i]));
    first.forEach((k, i) => share.push(w[i] / totals.get(k)!));
  }
  return { sums, share };
}

const keys = (sums: pl.DataFrame, names: readonly string[]) => names.map((k) => sums.getColumn(k));
const ints = (sums: pl.DataFrame, c: string) => pl.Series(c, Int32Array.from(column(sums, c)));
const ratio = (sums: pl.DataFrame, a: string, b: string) => {
  const x = column(sums, a), y = column(sums, b);
  return x.map((v, i) => v / y[i]);
};

/**
 * PnL per step by agent, inventory bucket and quote in effect, pooled over seeds: `steps`, `pnl`
 * (mean change of mark-to-market PnL per step, ticks) and `share` (the share of the agent's steps
 * spent in the cell).
 */
export function pnlHeatmap(pnlCells: pl.DataFrame): pl.DataFrame {
  const k = ["agent", "inventoryBucket", "inventoryLabel", "quote", "quoteLabel"];
  const { sums, share } = pooled(pnlCells, { keys: k, cols: ["steps", "pnlSum"], weight: "steps" });
  return pl.DataFrame([
    ...keys(sums, k),
    ints(sums, "steps"),
    floatSeries("pnl", ratio(sums, "pnlSum", "steps")),
    floatSeries("share", share),
  ]);
}

/**
 * Adverse selection by agent, time bucket and volatility bucket, pooled over seeds: `fills`,
 * `adverseRate` (share of fills with a negative markout) and `markout` (mean, ticks).
 */
export function adverseHeatmap(adverseCells: pl.DataFrame): pl.DataFrame {
  const k = ["agent", "timeBucket", "timeLabel", "volBucket", "volLabel"];
  const { sums } = pooled(adverseCells, { keys: k, cols: ["fills", "adverse", "markoutSum"] });
  return pl.DataFrame([
    ...keys(sums, k),
    ints(sums, "fills"),
    floatSeries("adverseRate", ratio(sums, "adverse", "fills")),
    floatSeries("markout", ratio(sums, "markoutSum", "fills")),
  ]);
}

/** Share of evaluation steps at each inventory, by agent, pooled over seeds. */
export function inventoryShares(inventory: pl.DataFrame): pl.DataFrame {
  const k = ["agent", "inventory"];
  const { sums, share } = pooled(inventory, { keys: k, cols: ["steps"], weight: "steps" });
  return pl.DataFrame([...keys(sums, k), ints(sums, "steps"), floatSeries("share", share)]);
}

/**
 * Fill rates by quote size and queue-position bucket, pooled over seeds: `orders` (order-steps
 * observed), `fillProb` (share of them with a fill in the step) and `fillRate` (filled / resting
 * quantity per step).
 */
export function queueFillRates(queue: pl.DataFrame): pl.DataFrame {
  const k = ["size", "queueBucket", "queueLabel"];
  const { sums } = pooled(queue, {
    keys: k,
    cols: ["orders", "filledOrders", "restingQty", "filledQty"],
  });
  return pl.DataFrame([
    ...keys(sums, k),
    ints(sums, "orders"),
    floatSeries("fillProb", ratio(sums, "filledOrders", "orders")),
    floatSeries("fillRate", ratio(sums, "filledQty", "restingQty")),
  ]);
}

/**
 * Share of each agent's evaluation steps by the quote in effect (half-spread, cancel, flatten),
 * pooled over seeds and inventories: what the policy does.
 */
export function quoteShares(pnlCells: pl.DataFrame): pl.DataFrame {
  const k = ["agent", "quote", "quoteLabel"];
  const { sums, share } = pooled(pnlCells, { keys: k, cols: ["steps"], weight: "steps" });
  return pl.DataFrame([...keys(sums, k), ints(sums, "steps"), floatSeries("share", share)]);
}

/** Options of {@linkcode comparisonTable}. */
export interface ComparisonTableOptions {
  /** Metrics, as summarised (`<m>_mean`, `<m>_lo`, `<m>_hi` columns), in column order. */
  readonly metrics: readonly string[];
  /** Column headings, one per metric. Default: the metric names. */
  readonly headings?: readonly string[];
  /** Row order by agent label. Default: the summary's order. */
  readonly order?: readonly string[];
  /** Number formatter. Default: 3 significant digits. */
  readonly format?: (x: number) => string;
}

/**
 * A table for the prose: one row per agent, one column per metric, each cell `mean [lo, hi]`
 * from a `summarise` frame grouped by `agent` (`—` for a missing value).
 *
 * @example
 * ```ts
 * import { comparisonTable } from "./summaries.ts";
 * import pl from "nodejs-polars";
 * const s = pl.DataFrame({ agent: ["a"], pnl_mean: [1.5], pnl_lo: [1], pnl_hi: [2] });
 * const t = comparisonTable(s, { metrics: ["pnl"], headings: ["PnL"] }).toRecords()[0];
 * if (t.PnL !== "1.5 [1, 2]") throw new Error(String(t.PnL));
 * ```
 */
export function comparisonTable(
  summary: pl.DataFrame,
  options: ComparisonTableOptions,
): pl.DataFrame {
  const fmt = options.format ?? ((x: number) => {
    const v = Number(x.toPrecision(3));
    return Object.is(v, -0) ? "0" : String(v);
  });
  const headings = options.headings ?? options.metrics;
  if (headings.length !== options.metrics.length) {
    throw new ConfigError("headings", `${options.metrics.length} headings`, headings);
  }
  const recs = summary.toRecords() as Record<string, unknown>[];
  const byAgent = new Map(recs.map((r) => [String(r.agent), r]));
  const order = options.order ?? recs.map((r) => String(r.agent));
  const cell = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? fmt(v) : "—");
  const cols: pl.Series[] = [pl.Series("agent", [...order], pl.Utf8)];
  options.metrics.forEach((m, j) => {
    cols.push(pl.Series(
      headings[j],
      order.map((a) => {
        const r = byAgent.get(a);
        if (!r) throw new ConfigError("order", "agent labels present in the summary", a);
        return `${cell(r[`${m}_mean`])} [${cell(r[`${m}_lo`])}, ${cell(r[`${m}_hi`])}]`;
      }),
      pl.Utf8,
    ));
  });
  return pl.DataFrame(cols);
}

/** The row of an agent in a summary frame's records (an error naming it if none). */
export function agentRow(rows: readonly Row[], agent: string): Row {
  const r = rows.find((x) => x.agent === agent);
  if (r === undefined) throw new ConfigError("agent", "a label in the frame", agent);
  return r;
}

/** The agent with the highest mean `metric` among `agents` (summary records by agent). */
export function bestAgent(rows: readonly Row[], agents: readonly string[], metric: string): string {
  const v = (a: string) => Number(agentRow(rows, a)[`${metric}_mean`]);
  return agents.reduce((b, a) => (v(a) > v(b) ? a : b));
}

/** How a learning curve moved from its first block to its last. */
export interface CurveTrend {
  /** Mean of the first block. */
  readonly first: number;
  /** Mean of the last block. */
  readonly last: number;
  /** The last block's last episode (1-based). */
  readonly episode: number;
  /** `"rise"` / `"fall"` when the two blocks' intervals are apart, else `"overlap"`. */
  readonly trend: "rise" | "fall" | "overlap";
}

/** The {@linkcode CurveTrend} of `agent` on `metric` in a {@linkcode curveBands} frame. */
export function curveTrend(bands: pl.DataFrame, o: { agent: string; metric: string }): CurveTrend {
  const c = bands.filter(
    pl.col("agent").eq(pl.lit(o.agent)).and(pl.col("metric").eq(pl.lit(o.metric))),
  )
    .toRecords();
  const [first, last] = [c[0], c[c.length - 1]];
  const n = (r: Row, k: string) => Number(r[k] ?? NaN);
  return {
    first: n(first, "mean"),
    last: n(last, "mean"),
    episode: n(last, "episode"),
    trend: n(last, "lo") > n(first, "hi")
      ? "rise"
      : n(last, "hi") < n(first, "lo")
      ? "fall"
      : "overlap",
  };
}

/** The quote an agent is in most often ({@linkcode quoteShares}'s label and share). */
export function topQuote(shares: pl.DataFrame, agent: string): { label: string; share: number } {
  const top = shares.filter(pl.col("agent").eq(pl.lit(agent))).sort("share", true).toRecords()[0];
  return { label: String(top.quoteLabel), share: Number(top.share) };
}

/** Share of an agent's evaluation steps at the inventory limit ±`limit` ({@linkcode inventoryShares}). */
export function timeAtLimit(shares: pl.DataFrame, o: { agent: string; limit: number }): number {
  const at = shares.filter(
    pl.col("agent").eq(pl.lit(o.agent)).and(pl.col("inventory").abs().gtEq(pl.lit(o.limit))),
  );
  return (at.getColumn("share").toArray() as number[]).reduce((x, y) => x + y, 0);
}

/** The fill rate of a quote size at a queue-position bucket ({@linkcode queueFillRates}). */
export function fillRateAt(rates: pl.DataFrame, o: { size: number; bucket: number }): number {
  const r =
    rates.filter(pl.col("size").eq(pl.lit(o.size)).and(pl.col("queueBucket").eq(pl.lit(o.bucket))))
      .toRecords()[0];
  return r === undefined ? NaN : Number(r.fillRate);
}

/** The adverse-selection rate by volatility bucket, all agents and times pooled. */
export function adverseByVolatility(adverseCells: pl.DataFrame): number[] {
  const pooled = adverseHeatmap(adverseCells.withColumns(
    pl.lit("all").alias("agent"),
    pl.lit(0).alias("timeBucket"),
    pl.lit("all").alias("timeLabel"),
  ));
  return pooled.getColumn("adverseRate").toArray() as number[];
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * The environment and reward settings of a study as a table (`setting`, `value`, `meaning`): the
 * options that shape the market-making problem, the background flow's defaults, the reward's
 * weights.
 */
export function environmentTable(env: MarketMakingOptions): pl.DataFrame {
  const r = env.reward ?? {};
  const rows: [string, unknown, string][] = [
    ["episodeLength", env.episodeLength, "steps per episode (the end is truncation)"],
    ["latency", env.latency, "steps before an instruction reaches the book"],
    ["quoteSize", env.quoteSize, "units per quote (the fill-rate sweep varies it)"],
    ["maxInventory", env.maxInventory, "inventory limit, units; quotes are clipped to respect it"],
    ["makerRebate", env.makerRebate, "ticks earned per unit filled passively"],
    ["takerFee", env.takerFee, "ticks paid per unit of a flatten order"],
    ["halfSpreads", env.halfSpreads, "half-spreads of the action grid, ticks"],
    ["skews", env.skews, "skews of the action grid, ticks (positive lowers both quotes)"],
    ...Object.entries(POISSON_FLOW_DEFAULTS).map(([k, v]) =>
      [`flow.${k}`, v, "background flow (default)"] as [string, unknown, string]
    ),
    ["reward.pnl", r.pnl, "weight of the mark-to-market PnL change"],
    ["reward.inventoryPenalty", r.inventoryPenalty, "η_q of −η_q·q² per step"],
    ["reward.dampening", r.dampening, "η_d of −max(0, η_d·q·Δmid) (Spooner et al. 2018)"],
    ["reward.spreadCapture", r.spreadCapture, "weight of the spread captured by fills"],
  ];
  return pl.DataFrame(
    rows.map(([setting, value, meaning]) => ({ setting, value: show(value), meaning })),
  );
}

/**
 * The agents of a study as a table (`agent`, `kind`, `training`, `hyperparameters`): the training
 * budget of the learners (`trains`), their own `trainEpisodes` or the settings', and every
 * hyperparameter set.
 */
export function agentTable(
  agents: readonly AgentCase[],
  o: { trainEpisodes: number; episodeLength: number; trains: (a: AgentCase) => boolean },
): pl.DataFrame {
  return pl.DataFrame(agents.map((a) => {
    const episodes = a.trainEpisodes ?? o.trainEpisodes;
    return {
      agent: a.label,
      kind: a.agent.kind,
      training: o.trains(a)
        ? `${int(episodes)} episodes, ${int(episodes * o.episodeLength)} steps`
        : "none",
      hyperparameters: Object.entries(a.agent.config ?? {}).map(([k, v]) => `${k} ${show(v)}`)
        .join(", "),
    };
  }));
}
