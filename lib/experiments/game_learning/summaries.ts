/**
 * The numbers the prose of notebooks 02 and 03 quotes, as pure functions of the study's frames
 * (`jobs.ts`): learning curves against the baselines, convergence, the learned policy's actions,
 * the comparison with the baselines (paired by seed), the exact check, and what knowing the size
 * is worth. Each returns small frames (to save and draw) and plain records keyed by taker.
 *
 * @module
 */
import pl from "nodejs-polars";
import { fixed, int, pct } from "../../report/format.ts";
import {
  ci,
  meanHalf,
  pairedDiff,
  type Row,
  rowOf,
  summarise,
  verdict,
} from "../../report/stats.ts";

/** The baselines whose PnL the learned maker must beat (the random maker is not a contender). */
export const CONTENDERS: readonly string[] = Object.freeze(["replenisher", "follower"]);

/** The baselines the learned maker is compared with, paired by seed. */
export const BASELINES: readonly string[] = Object.freeze(["replenisher", "follower", "random"]);

const records = (df: pl.DataFrame) => df.toRecords() as Row[];
const num = (r: Row | undefined, k: string) => (r === undefined ? NaN : Number(r[k] ?? NaN));

/** Per (taker, policy): test means with intervals over seeds of the columns the prose quotes. */
export function testMeans(tests: pl.DataFrame, cols: readonly string[]): pl.DataFrame {
  return summarise(tests, { by: ["taker", "policy"], cols });
}

/**
 * Of the {@linkcode CONTENDERS}, the one with the higher mean test PnL against `taker` (in a
 * {@linkcode testMeans} frame's records).
 */
export function bestBaseline(means: readonly Row[], taker: string): string {
  return [...CONTENDERS].sort((a, b) =>
    num(rowOf(means, { taker, policy: b }), "maker_pnl_mean") -
    num(rowOf(means, { taker, policy: a }), "maker_pnl_mean")
  )[0];
}

/** What the learning curve of one taker shows (notebook 02, section 1). */
export interface CurveFacts {
  /** Greedy evaluation PnL at the first check. */
  readonly first: number;
  /** Greedy evaluation PnL at the last check, and its 95% half-width. */
  readonly last: number;
  /** Half-width of `last`. */
  readonly lastHalf: number;
  /** The better contender and its test PnL. */
  readonly bestBase: string;
  /** Its test PnL. */
  readonly bestBasePnl: number;
  /** First check where the greedy curve is above that PnL (null if never). */
  readonly crossing: number | null;
  /** The curve's peak and its episode. */
  readonly peak: number;
  /** Episode of the peak. */
  readonly peakEpisode: number;
  /** Greedy minus training (ε-greedy) PnL at the first and the last check. */
  readonly gapFirst: number;
  /** At the last check. */
  readonly gapLast: number;
  /** Whether the last value is below the peak by more than its half-width. */
  readonly fell: boolean;
}

/**
 * Per taker, the learning-curve facts from `band` (summarised by taker and episode, columns
 * `eval_pnl`, `train_pnl`) and `means` ({@linkcode testMeans} records with `maker_pnl`).
 */
export function curveFacts(
  band: pl.DataFrame,
  means: readonly Row[],
  takers: readonly string[],
): Record<string, CurveFacts> {
  const rows = records(band);
  return Object.fromEntries(takers.map((t) => {
    const c = rows.filter((r) => r.taker === t).sort((a, b) =>
      num(a, "episode") - num(b, "episode")
    );
    const first = c[0], last = c[c.length - 1];
    const ev = (r: Row) => num(r, "eval_pnl_mean");
    const bestBase = bestBaseline(means, t);
    const bestBasePnl = num(rowOf(means, { taker: t, policy: bestBase }), "maker_pnl_mean");
    const peak = c.reduce((a, b) => (ev(b) > ev(a) ? b : a));
    const { half } = meanHalf(last, "eval_pnl");
    const gap = (r: Row) => ev(r) - num(r, "train_pnl_mean");
    return [t, {
      first: ev(first),
      last: ev(last),
      lastHalf: half,
      bestBase,
      bestBasePnl,
      crossing: num(c.find((r) => ev(r) > bestBasePnl), "episode") || null,
      peak: ev(peak),
      peakEpisode: num(peak, "episode"),
      gapFirst: gap(first),
      gapLast: gap(last),
      fell: ev(last) < ev(peak) - half,
    }];
  }));
}

/**
 * Convergence per `by` group from the `runs` frame: the share of runs that met the criterion
 * (`converged_share`), the episode met, the last policy change and the states visited (and, with
 * game 2's comparison, the final coverage), as `summarise` columns.
 */
export function convergenceSummary(runs: pl.DataFrame, by: readonly string[]): pl.DataFrame {
  return summarise(
    runs.withColumns(pl.col("converged").cast(pl.Float64).alias("converged_share")),
    {
      by,
      cols: ["converged_share", "converged_episode", "final_policy_change", "visited"]
        .concat("final_coverage"),
    },
  );
}

/** What the convergence diagnostics show for one taker (notebook 02, section 2). */
export interface ConvergenceFacts {
  /** Runs that met the criterion. */
  readonly converged: number;
  /** Mean episode where it was met (null if none did). */
  readonly episode: number | null;
  /** Mean last policy change and its half-width. */
  readonly lastChange: number;
  /** Half-width of `lastChange`. */
  readonly lastChangeHalf: number;
  /** Mean states visited. */
  readonly visited: number;
  /** Mean coverage at the first and at the last check. */
  readonly coverageFirst: number;
  /** At the last check. */
  readonly coverageLast: number;
  /** Mean |ΔQ| at the last check relative to the first. */
  readonly dqRatio: number;
}

/**
 * Per taker, from the {@linkcode convergenceSummary} by taker and the curves summarised by taker
 * and episode (columns `coverage`, `mean_abs_dq`). `seeds` turns the share met into a count.
 */
export function convergenceFacts(
  conv: pl.DataFrame,
  diag: pl.DataFrame,
  o: { takers: readonly string[]; seeds: number },
): Record<string, ConvergenceFacts> {
  const cv = records(conv), d = records(diag);
  return Object.fromEntries(o.takers.map((t) => {
    const r = rowOf(cv, { taker: t });
    const c = d.filter((x) => x.taker === t).sort((a, b) => num(a, "episode") - num(b, "episode"));
    const change = meanHalf(r, "final_policy_change");
    return [t, {
      converged: Math.round(num(r, "converged_share_mean") * o.seeds),
      episode: Number(r.converged_episode_n) > 0 ? num(r, "converged_episode_mean") : null,
      lastChange: change.mean,
      lastChangeHalf: change.half,
      visited: num(r, "visited_mean"),
      coverageFirst: num(c[0], "coverage_mean"),
      coverageLast: num(c[c.length - 1], "coverage_mean"),
      dqRatio: num(c[c.length - 1], "mean_abs_dq_mean") / num(c[0], "mean_abs_dq_mean"),
    }];
  }));
}

/** The learned maker's actions by share of its test decisions, most frequent first. */
export function topActions(acts: readonly Row[], where: Readonly<Record<string, unknown>>) {
  const r = rowOf(acts, where);
  return Object.keys(r).filter((k) => k.startsWith("act_") && k.endsWith("_mean"))
    .map((k) => ({ action: k.slice(4, -5), share: num(r, k) }))
    .sort((a, b) => b.share - a.share);
}

/** What the policy map shows (notebook 02, section 3). */
export interface MapFacts {
  /** Decisive cells with the own bid 2 or more ticks below the best bid, and those with `up`. */
  readonly deep: number;
  /** Of those, the cells whose greedy action is `up`. */
  readonly deepUp: number;
  /** Decisive cells, and those with one action greedy in ≥ 90% / < 50% of their visits. */
  readonly decisive: number;
  /** Cells with one action greedy in at least 90% of their visits. */
  readonly firm: number;
  /** Cells with no action greedy in half of their visits. */
  readonly weak: number;
}

/** The facts of a `policyCells` frame (x `time`, y `ownBid`). */
export function mapFacts(cells: pl.DataFrame): MapFacts {
  const c = records(cells);
  const deep = c.filter((x) => x.ownBid === "≥ 2" && x.action !== "indifferent");
  const decisive = c.filter((x) => x.share !== null);
  return {
    deep: deep.length,
    deepUp: deep.filter((x) => x.action === "up").length,
    decisive: decisive.length,
    firm: decisive.filter((x) => num(x, "share") >= 0.9).length,
    weak: decisive.filter((x) => num(x, "share") < 0.5).length,
  };
}

/**
 * Whether, against `taker`, every map cell after the first time bin is indifferent and every
 * visited state there has nothing left to sell (`remaining` "≤ 0"): the taker was done early.
 */
export function doneEarly(cells: pl.DataFrame, maps: pl.DataFrame, taker: string): boolean {
  const late = records(cells).filter((c) => c.taker === taker && c.time !== "≥ 31");
  return late.length > 0 && late.every((c) => c.action === "indifferent") &&
    records(maps).filter((r) => r.taker === taker && r.time !== "≥ 31")
      .every((r) => r.remaining === "≤ 0");
}

/**
 * The learned maker minus each of `baselines` on `value`, paired by (taker, seed), one row per
 * (taker, baseline) (`pairedDiff`'s columns and `baseline`).
 */
export function versusBaselines(
  tests: pl.DataFrame,
  o: { baselines?: readonly string[]; value?: string } = {},
): pl.DataFrame {
  return pl.concat((o.baselines ?? BASELINES).map((b) =>
    pairedDiff(tests, {
      a: { policy: "learned" },
      b: { policy: b },
      on: ["taker", "seed"],
      by: ["taker"],
      value: o.value ?? "maker_pnl",
    }).withColumns(pl.lit(b).alias("baseline"))
  ));
}

/** How the learned maker does against the baselines for one taker (notebooks 02 and 03). */
export interface ComparisonFacts {
  /** The better contender. */
  readonly bestBase: string;
  /** Whether the learned maker beats it (paired interval above 0). */
  readonly beats: boolean;
  /** Paired differences learned − baseline, by baseline: mean and half-width. */
  readonly diff: Readonly<Record<string, { mean: number; half: number }>>;
}

/** Per taker, from {@linkcode testMeans} records and a {@linkcode versusBaselines} frame. */
export function comparisonFacts(
  means: readonly Row[],
  diffs: pl.DataFrame,
  takers: readonly string[],
): Record<string, ComparisonFacts> {
  const d = records(diffs);
  return Object.fromEntries(takers.map((t) => {
    const bestBase = bestBaseline(means, t);
    const rows = d.filter((r) => r.taker === t);
    return [t, {
      bestBase,
      beats: verdict(rowOf(rows, { baseline: bestBase }), { col: "diff" }) === "above",
      diff: Object.fromEntries(rows.map((r) => [r.baseline as string, meanHalf(r, "diff")])),
    }];
  }));
}

/**
 * The exact check summarised by taker (means over seeds of the value, the gap, the share within
 * tolerance, the state counts).
 */
export function exactSummary(exact: pl.DataFrame): pl.DataFrame {
  return summarise(
    exact.withColumns(pl.col("within_tolerance").cast(pl.Float64).alias("within")),
    {
      by: ["taker"],
      cols: ["optimal", "learned", "gap", "relative_gap", "within", "true_states"]
        .concat("learner_states", "conflicts"),
    },
  );
}

/** The seed of the worst miss of the tolerance against `taker` (largest relative gap). */
export function worstExact(exact: pl.DataFrame, taker: string): Row {
  return records(exact).filter((r) => r.taker === taker)
    .sort((a, b) => num(b, "relative_gap") - num(a, "relative_gap"))[0];
}

/**
 * What knowing the size is worth (notebook 03): per taker and test size, the maker trained in
 * game 1 at that size minus the game-2 maker tested at it, paired by seed, on `value`.
 */
export function valueAtSize(tests: pl.DataFrame, o: { sizes: readonly string[]; value: string }) {
  return pairedDiff(tests.filter(pl.col("test").isIn([...o.sizes])), {
    a: { size_visible: true, policy: "learned" },
    b: { size_visible: false, policy: "learned" },
    on: ["taker", "test", "seed"],
    by: ["taker", "test"],
    value: o.value,
  });
}

/**
 * Game 1 against game 2 as played (notebook 03): per policy and taker, the policy's PnL in game
 * 1 minus in game 2 (test `own`), paired by seed.
 */
export function valueAsPlayed(
  tests: pl.DataFrame,
  o: { policies: readonly string[]; game1: string; game2: string },
): pl.DataFrame {
  return pl.concat(o.policies.map((p) =>
    pairedDiff(tests, {
      a: { game: o.game1, policy: p },
      b: { game: o.game2, test: "own", policy: p },
      on: ["taker", "seed"],
      by: ["taker"],
      value: "maker_pnl",
    }).withColumns(pl.lit(p).alias("policy"))
  ));
}

/** Options of {@linkcode convergenceTable}. */
export interface ConvergenceTableOptions {
  /** Takers, in row order. */
  readonly takers: readonly string[];
  /** Games, in row order within a taker (the summary then has a `game` column). */
  readonly games?: readonly string[];
  /** Seeds per (taker, game). */
  readonly seeds: number;
  /** The learner's state count in a game. */
  readonly states: (game: string | undefined) => number;
}

/**
 * The convergence table of notebooks 02 and 03 from a {@linkcode convergenceSummary}: runs that
 * met the criterion, the mean episode it was met at, the last policy change (mean ± 95%
 * half-width), and the states visited (with the coverage).
 */
export function convergenceTable(conv: pl.DataFrame, o: ConvergenceTableOptions): pl.DataFrame {
  const rows = records(conv);
  return pl.DataFrame(o.takers.flatMap((t) =>
    (o.games ?? [undefined]).map((g) => {
      const r = rowOf(rows, g === undefined ? { taker: t } : { taker: t, game: g });
      const change = meanHalf(r, "final_policy_change");
      return {
        taker: t,
        ...(g === undefined ? {} : { game: g }),
        "runs converged": `${Math.round(num(r, "converged_share_mean") * o.seeds)} of ${o.seeds}`,
        "episode met (mean)": Number(r.converged_episode_n) > 0
          ? int(num(r, "converged_episode_mean"))
          : "—",
        "last policy change": `${pct(change.mean, 1)} ± ${pct(change.half || 0, 1)}`,
        "states visited": `${int(num(r, "visited_mean"))} of ${int(o.states(g))} ` +
          `(${pct(num(r, "final_coverage_mean"), 1)})`,
      };
    })
  ));
}

/** Options of {@linkcode testTable}. */
export interface TestTableOptions {
  /** Takers, in row order. */
  readonly takers: readonly string[];
  /** Policies, in row order within a taker (`"none"` is shown as `"(no maker)"`). */
  readonly policies: readonly string[];
  /** Column heading → summarised column of {@linkcode testMeans}. */
  readonly cols: Readonly<Record<string, string>>;
}

/**
 * The test table of notebooks 02 and 03: one row per (taker, policy), one `mean ± half` column per
 * entry of `cols` and per frame of `means` (each {@linkcode testMeans} records, with a label
 * prefixing its headings when there are several).
 */
export function testTable(
  means: readonly { readonly label?: string; readonly rows: readonly Row[] }[],
  o: TestTableOptions,
): pl.DataFrame {
  return pl.DataFrame(o.takers.flatMap((t) =>
    o.policies.map((p) => {
      const out: Record<string, string> = { taker: t, maker: p === "none" ? "(no maker)" : p };
      for (const m of means) {
        const r = rowOf(m.rows, { taker: t, policy: p });
        for (const [heading, col] of Object.entries(o.cols)) {
          out[m.label ? `${m.label}: ${heading}` : heading] = ci(r, col);
        }
      }
      return out;
    })
  ));
}

/** A learned maker's action shares (`act_<name>_mean` of a summary row) as percentages. */
export function actionShares(row: Row): Record<string, string> {
  return Object.fromEntries(
    Object.keys(row).filter((k) => k.startsWith("act_") && k.endsWith("_mean"))
      .map((k) => [k.slice(4, -5), pct(num(row, k), 0)]),
  );
}

/**
 * The exact check's table (notebook 02): per taker V*, the learner's value and relative gap (mean
 * ± 95% half-width), the seeds within tolerance, the state counts, and the DP's action sequence.
 */
export function exactTable(
  exact: pl.DataFrame,
  o: { takers: readonly string[]; seeds: number },
): pl.DataFrame {
  const s = records(exactSummary(exact)), e = records(exact);
  return pl.DataFrame(o.takers.map((t) => {
    const r = rowOf(s, { taker: t });
    const gap = meanHalf(r, "relative_gap");
    return {
      taker: t,
      "V* ($)": fixed(num(r, "optimal_mean"), 2),
      "learned ($)": ci(r, "learned"),
      "relative gap": `${pct(gap.mean, 1)} ± ${pct(gap.half || 0, 1)}`,
      "within 1%": `${int(num(r, "within_mean") * o.seeds)} of ${o.seeds}`,
      "true states": int(num(r, "true_states_mean")),
      "learner states (aliased with conflicts)": `${int(num(r, "learner_states_mean"))} ` +
        `(${int(num(r, "conflicts_mean"))})`,
      "optimal actions (DP)": rowOf(e, { taker: t }).optimal_actions as string,
    };
  }));
}

/** Per taker: the learned maker's share of the sale and the taker's cost against the replenisher. */
export interface TakerCostFacts {
  /** Takers against which the learned maker takes a larger share and the taker pays less. */
  readonly larger: readonly string[];
  /** Takers against which it takes a smaller share and the taker pays more. */
  readonly smaller: readonly string[];
  /** Takers who pay less with the learned maker than with the replenisher. */
  readonly cheaper: readonly string[];
}

/** {@linkcode TakerCostFacts} from {@linkcode testMeans} records (`maker_share`, `taker_pnl`). */
export function takerCostFacts(means: readonly Row[], takers: readonly string[]): TakerCostFacts {
  const v = (t: string, p: string, c: string) => num(rowOf(means, { taker: t, policy: p }), c);
  const share = (t: string, p: string) => v(t, p, "maker_share_mean");
  const cost = (t: string, p: string) => -v(t, p, "taker_pnl_mean");
  return {
    larger: takers.filter((t) =>
      share(t, "learned") > share(t, "replenisher") && cost(t, "learned") < cost(t, "replenisher")
    ),
    smaller: takers.filter((t) =>
      share(t, "learned") < share(t, "replenisher") && cost(t, "learned") > cost(t, "replenisher")
    ),
    cheaper: takers.filter((t) => cost(t, "learned") < cost(t, "replenisher")),
  };
}
