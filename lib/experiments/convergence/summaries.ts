/**
 * The numbers the notebooks quote from the convergence study's tables (`jobs.ts`): the share of
 * runs that converged per cell with a Wilson interval ({@linkcode convergenceRates}), the
 * exploitability over the tested runs ({@linkcode exploitSummary}), the impulse response
 * averaged over runs ({@linkcode impulseSummary}), and the profit gain Δ of the converged runs
 * against the fixed-rule benchmarks ({@linkcode convergedGains}).
 *
 * @module
 */
import pl from "nodejs-polars";
import { summarise } from "../../report/mod.ts";
import { profitGains, ruleBenchmarks } from "../competition/benchmarks.ts";

type Row = Record<string, unknown>;

/**
 * Wilson's 95 % score interval of a proportion `k / n` (stays inside [0, 1], sensible at 0 and n
 * successes, unlike the normal approximation). NaN bounds for n = 0.
 *
 * @example
 * ```ts
 * import { wilson } from "./summaries.ts";
 * const w = wilson(20, 20);
 * if (w.hi !== 1 || Math.abs(w.lo - 0.8389) > 1e-4) throw new Error(JSON.stringify(w));
 * ```
 */
export function wilson(k: number, n: number, z = 1.959963984540054): { lo: number; hi: number } {
  if (n === 0) return { lo: NaN, hi: NaN };
  const p = k / n, z2 = z * z, d = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return { lo: Math.max(0, c - h), hi: Math.min(1, c + h) };
}

const median = (a: number[]): number | null => {
  if (a.length === 0) return null;
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Per (variant, taker, n): `runs`, `converged` (count), `rate` with Wilson's `rate_lo`,
 * `rate_hi`; `median_episode` (of the converged runs); the last check's policy change per maker
 * (`path_mean`, mean over runs of the makers' mean; `path_max`, of their largest); the joint
 * greedy play's recurrence over the last checks of the runs that did not converge: `cycling`
 * (a period ≥ 2 or returns to earlier plays) and `drifting` (neither); `unvisited` (mean share of
 * greedy decisions in unvisited states) and `visited` (mean states visited per maker).
 */
export function convergenceRates(runs: pl.DataFrame): pl.DataFrame {
  const groups = new Map<string, Row[]>();
  for (const r of runs.toRecords() as Row[]) {
    const k = `${r.variant}\u0000${r.taker}\u0000${r.n}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: Row[] = [];
  const mean = (rs: Row[], c: string) => {
    const v = rs.map((r) => r[c]).filter((x): x is number => typeof x === "number" && !isNaN(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  for (const rs of groups.values()) {
    const conv = rs.filter((r) => r.converged === true);
    const not = rs.filter((r) => r.converged !== true);
    const cyc = not.filter((r) => (r.period as number) >= 2 || (r.returns as number) > 0);
    const w = wilson(conv.length, rs.length);
    out.push({
      variant: rs[0].variant,
      taker: rs[0].taker,
      n: rs[0].n,
      runs: rs.length,
      converged: conv.length,
      rate: conv.length / rs.length,
      rate_lo: w.lo,
      rate_hi: w.hi,
      median_episode: median(conv.map((r) => r.converged_episode as number)),
      path_mean: mean(rs, "path_mean"),
      path_max: mean(rs, "path_max"),
      cycling: cyc.length,
      drifting: not.length - cyc.length,
      unvisited: mean(rs, "unvisited"),
      visited: mean(rs, "visited"),
    });
  }
  out.sort((a, b) =>
    String(a.variant).localeCompare(String(b.variant)) ||
    String(a.taker).localeCompare(String(b.taker)) || (a.n as number) - (b.n as number)
  );
  return pl.readRecords(out as Record<string, unknown>[]);
}

/**
 * Exploitability per (variant, taker, n) over the tested runs: the best response's `gain` (mean,
 * 95 % interval over runs: `gain_mean`, `gain_lo`, `gain_hi`, `gain_n`), the learned seat's PnL
 * (`learned_mean`), the gain relative to it (`rel_mean`, …), and how many responses converged
 * (`br_converged`).
 */
export function exploitSummary(exploit: pl.DataFrame): pl.DataFrame {
  const by = ["variant", "taker", "n"];
  const df = exploit.withColumns(
    pl.col("gain").div(pl.col("learned").abs()).alias("rel"),
    pl.col("br_converged").cast(pl.Float64).alias("br_conv"),
  );
  return summarise(df, { by, cols: ["gain", "learned", "rel", "br_conv"] });
}

/**
 * The impulse response per (variant, taker, n, role, step): the change the deviation made to the
 * bids (`offset`: `offset_dev − offset_base`, ticks below P0, so negative is a higher bid) and to
 * the step rewards (`reward`), for the deviator and for its rivals (each run's rivals averaged
 * first), mean and 95 % interval over runs; plus the levels `offset_base`, `offset_dev`.
 */
export function impulseSummary(impulse: pl.DataFrame): pl.DataFrame {
  const keys = ["variant", "taker", "n", "seed", "role", "step"];
  const perRun = impulse
    .withColumns(
      pl.when(pl.col("deviator")).then(pl.lit("deviator")).otherwise(pl.lit("rivals")).alias(
        "role",
      ),
      pl.col("offset_dev").minus(pl.col("offset_base")).alias("offset"),
      pl.col("reward_dev").minus(pl.col("reward_base")).alias("reward"),
    )
    .groupBy(keys)
    .agg(
      pl.col("offset").mean(),
      pl.col("reward").mean(),
      pl.col("offset_base").mean(),
      pl.col("offset_dev").mean(),
    );
  return summarise(perRun, {
    by: ["variant", "taker", "n", "role", "step"],
    cols: ["offset", "reward", "offset_base", "offset_dev"],
  });
}

/**
 * The profit gain Δ of the converged runs (all runs with `all: true`) against the fixed-rule
 * benchmarks of the study's `rules` table (`ruleBenchmarks` with tolerance `tol`, default
 * $0.01): one row per run as `profitGains`, for the default state variant.
 */
export function convergedGains(
  frames: { runs: pl.DataFrame; rules: pl.DataFrame },
  o: { all?: boolean; tol?: number } = {},
): pl.DataFrame {
  let runs = frames.runs.filter(pl.col("variant").eq(pl.lit("default")));
  if (o.all !== true) runs = runs.filter(pl.col("converged"));
  const bench = ruleBenchmarks(frames.rules, { tol: o.tol ?? 0.01 });
  return profitGains(runs, bench);
}
