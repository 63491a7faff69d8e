/**
 * The numbers the notebook quotes from the state ablation (`jobs.ts`): per state and cell the
 * per-maker profit with its interval over seeds, the convergence rate with Wilson's interval,
 * states visited and the share of decisions in unvisited states ({@linkcode ablationSummary});
 * the decision rule ({@linkcode chooseState}); the exact check per state
 * ({@linkcode exactStateSummary}).
 *
 * ## The decision rule (stated before the committed study was run)
 * 1. A state is **eligible** if its runs meet the convergence criterion in at least `minRate`
 *    (90 %) of the seeds of every cell (taker × n).
 * 2. Its **score** is its per-maker PnL (greedy replay, mean over seeds) averaged over the cells,
 *    each cell weighted equally. The **best** state is the eligible state with the highest score.
 * 3. Every eligible state with fewer states than the best (`states`, the encoder's count, mean
 *    over its runs) is compared with the best in every cell: the paired difference
 *    best − state of the per-maker PnL over seeds (a run and its replay share the seed, so the
 *    market's noise is paired too), a t test, and Holm's correction over all these tests
 *    together (family-wise 5 %). A state is **significantly worse** if one of its tests rejects
 *    with the best ahead.
 * 4. The **chosen** state is the smallest of the best and the states not significantly worse
 *    (ties in size: the higher score). With no eligible state the rule picks none, and the
 *    default stays.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkOptions, ConfigError, num, optional } from "../../errors.ts";
import { ci, fixed, holm, int, pairedDiff, pct, pValue, summarise } from "../../report/mod.ts";
import { convergenceRates } from "../convergence/summaries.ts";

type Row = Record<string, unknown>;

/**
 * Per (variant, taker, n): the per-maker PnL over seeds (`pnl_mean`, `pnl_lo`, `pnl_hi`, `pnl_n`;
 * each run's value is its mean over the replay episodes, so the interval includes the market's
 * randomness and the learning's), with `states` (the encoder's count) and
 * `convergenceRates`' columns (`runs`, `converged`, `rate`, `rate_lo`, `rate_hi`,
 * `median_episode`, `cycling`, `drifting`, `visited`, `unvisited`).
 */
export function ablationSummary(runs: pl.DataFrame): pl.DataFrame {
  const by = ["variant", "taker", "n"];
  const pnl = summarise(
    runs.select(...by.map((c) => pl.col(c)), pl.col("maker_pnl").alias("pnl"), "states"),
    { by, cols: ["pnl", "states"] },
  ).select(
    ...by.map((c) => pl.col(c)),
    pl.col("pnl_mean"),
    pl.col("pnl_sd"),
    pl.col("pnl_n"),
    pl.col("pnl_lo"),
    pl.col("pnl_hi"),
    pl.col("states_mean").alias("states"),
  );
  const n = pl.col("n").cast(pl.Int32);
  return convergenceRates(runs).withColumns(n).join(pnl.withColumns(n), { on: by, how: "inner" });
}

/**
 * Each state's per-maker PnL minus the `base` state's (default `"spec"`), paired by seed within a
 * cell (same training seed, same replay episodes): per (variant, taker, n) `pairedDiff`'s
 * `a_mean` (the state), `b_mean` (the base), `diff_mean`, `diff_lo`, `diff_hi`, `diff_n`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { versusBase } from "./summaries.ts";
 * const runs = pl.readRecords([1, 2, 3].flatMap((seed) => [
 *   { variant: "spec", taker: "T", n: 1, seed, maker_pnl: seed },
 *   { variant: "rich", taker: "T", n: 1, seed, maker_pnl: seed + 2 },
 * ]));
 * const r = versusBase(runs).toRecords()[0];
 * if (r.variant !== "rich" || r.diff_mean !== 2 || r.diff_lo !== 2) throw new Error(JSON.stringify(r));
 * ```
 */
export function versusBase(runs: pl.DataFrame, o: { base?: string } = {}): pl.DataFrame {
  const base = o.base ?? "spec";
  const variants = [...new Set(runs.getColumn("variant").toArray() as string[])];
  if (!variants.includes(base)) {
    throw new ConfigError("base", `a variant of the runs (${variants.join(", ")})`, base);
  }
  const parts = variants.filter((v) => v !== base).map((v) =>
    pairedDiff(runs, {
      a: { variant: v },
      b: { variant: base },
      on: ["taker", "n", "seed"],
      by: ["taker", "n"],
      value: "maker_pnl",
    }).select(pl.lit(v).alias("variant"), pl.all())
  );
  return parts.length ? pl.concat(parts) : pl.DataFrame({ variant: [] as string[] });
}

/** Options of {@linkcode chooseState}. */
export interface ChooseStateOptions {
  /** Smallest convergence rate in every cell for a state to be eligible. Default 0.9. */
  readonly minRate?: number;
  /** Family-wise level of Holm's correction. Default 0.05. */
  readonly level?: number;
}

/** One state's line in {@linkcode StateChoice}. */
export interface StateLine {
  /** The variant's label. */
  readonly variant: string;
  /** Its state count (mean over its runs: the count at n = 1 and n = 2 differ). */
  readonly states: number;
  /** Its score: per-maker PnL averaged over the cells. */
  readonly score: number;
  /** Its lowest convergence rate over the cells. */
  readonly minRate: number;
  /** Whether every cell's rate reaches `minRate`. */
  readonly eligible: boolean;
  /** Cells where the best is significantly ahead after Holm (`"reactive n=2"`), if compared. */
  readonly worseIn: readonly string[];
  /** Whether it was compared with the best (eligible and smaller). */
  readonly compared: boolean;
}

/** What {@linkcode chooseState} decides. */
export interface StateChoice {
  /** The chosen state's label, or null when no state is eligible. */
  readonly chosen: string | null;
  /** The eligible state with the highest score, or null. */
  readonly best: string | null;
  /** Every state, in the order given. */
  readonly lines: readonly StateLine[];
  /**
   * The tests: per compared state and cell, best − state (`diff_mean`, `diff_lo`, `diff_hi`,
   * `diff_n`), `p`, Holm's `p_holm` and `worse` (rejected with the best ahead).
   */
  readonly tests: pl.DataFrame;
}

const CHOOSE = {
  minRate: optional(num(0, 1), 0.9),
  level: optional(num(1e-9, 0.5), 0.05),
};

/**
 * The decision rule of the module doc on a `runs` table (columns `variant`, `taker`, `n`,
 * `seed`, `maker_pnl`, `converged`, `states`); variants keep their order of first appearance.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { chooseState } from "./summaries.ts";
 * // "big" earns 1 more than "small" in every seed (a significant difference), "small" and
 * // "mid" the same up to noise: the rule picks "small" over "mid" only if it is not worse.
 * const rows = [];
 * for (let seed = 1; seed <= 10; seed++) {
 *   const e = (seed % 3) * 0.01;
 *   rows.push({ variant: "small", taker: "T", n: 1, seed, maker_pnl: 5 + e, converged: true, states: 10 });
 *   rows.push({ variant: "mid", taker: "T", n: 1, seed, maker_pnl: 5 - e, converged: true, states: 40 });
 *   rows.push({ variant: "big", taker: "T", n: 1, seed, maker_pnl: 6 + e, converged: seed > 2, states: 90 });
 * }
 * const c = chooseState(pl.readRecords(rows));
 * if (c.best !== "small" && c.best !== "mid") throw new Error(c.best ?? "none"); // big: 80 % < 90 %
 * if (c.chosen !== "small") throw new Error(c.chosen ?? "none");
 * ```
 */
export function chooseState(runs: pl.DataFrame, options: ChooseStateOptions = {}): StateChoice {
  const o = checkOptions(options, CHOOSE, { owner: "chooseState" });
  for (const c of ["variant", "taker", "n", "seed", "maker_pnl", "converged", "states"]) {
    if (!runs.columns.includes(c)) {
      throw new ConfigError("runs", `a runs table with ${c}`, runs.columns);
    }
  }
  const recs = runs.toRecords() as Row[];
  const variants = [...new Set(recs.map((r) => String(r.variant)))];
  const cellOf = (r: Row) => `${r.taker} n=${r.n}`;
  const cells = [...new Set(recs.map(cellOf))];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const base = variants.map((variant) => {
    const rs = recs.filter((r) => r.variant === variant);
    const per = cells.map((cell) => {
      const c = rs.filter((r) => cellOf(r) === cell);
      return {
        rate: c.length ? c.filter((r) => r.converged === true).length / c.length : 0,
        pnl: c.length ? mean(c.map((r) => Number(r.maker_pnl))) : NaN,
      };
    });
    const minRate = Math.min(...per.map((p) => p.rate));
    return {
      variant,
      states: mean(rs.map((r) => Number(r.states))),
      score: mean(per.map((p) => p.pnl)),
      minRate,
      eligible: minRate >= o.minRate - 1e-12,
    };
  });
  const eligible = base.filter((b) => b.eligible && Number.isFinite(b.score));
  const best = eligible.length ? eligible.reduce((a, b) => (b.score > a.score ? b : a)) : null;
  const compared = best === null
    ? []
    : eligible.filter((b) => b.variant !== best.variant && b.states < best.states);
  const testRows: Row[] = [];
  for (const v of compared) {
    const d = pairedDiff(runs, {
      a: { variant: best!.variant },
      b: { variant: v.variant },
      on: ["taker", "n", "seed"],
      by: ["taker", "n"],
      value: "maker_pnl",
    });
    for (const r of d.toRecords() as Row[]) {
      testRows.push({
        variant: v.variant,
        cell: cellOf(r),
        taker: r.taker,
        n: r.n,
        diff_mean: r.diff_mean,
        diff_lo: r.diff_lo,
        diff_hi: r.diff_hi,
        diff_n: r.diff_n,
        p: pValue(r, { col: "diff" }),
      });
    }
  }
  const h = holm(testRows.map((r) => r.p as number), { level: o.level });
  testRows.forEach((r, i) => {
    r.p_holm = h.adjusted[i];
    r.worse = h.reject[i] && (r.diff_mean as number) > 0;
  });
  const lines: StateLine[] = base.map((b) => ({
    ...b,
    compared: compared.some((c) => c.variant === b.variant),
    worseIn: testRows.filter((r) => r.variant === b.variant && r.worse).map((r) => String(r.cell)),
  }));
  const keep = best === null
    ? []
    : lines.filter((l) => l.variant === best.variant || (l.compared && l.worseIn.length === 0));
  keep.sort((a, b) => a.states - b.states || b.score - a.score);
  const tests = testRows.length
    ? pl.readRecords(testRows as Record<string, unknown>[])
    : pl.DataFrame({ variant: [] as string[], cell: [] as string[] });
  return { chosen: keep[0]?.variant ?? null, best: best?.variant ?? null, lines, tests };
}

/**
 * The ablation table of the notebook: one row per (variant, taker, n) of
 * {@linkcode ablationSummary}, as text.
 */
export function ablationTable(summary: pl.DataFrame): pl.DataFrame {
  const rows = (summary.toRecords() as Row[]).map((r) => ({
    state: r.variant,
    taker: r.taker,
    n: r.n,
    states: int(r.states as number),
    "per-maker PnL ($, 95% CI over seeds)": ci(r as never, "pnl"),
    "criterion met (95% Wilson)": `${r.converged}/${r.runs} (${pct(r.rate_lo as number, 0)}–${
      pct(r.rate_hi as number, 0)
    })`,
    "states visited": int(r.visited as number),
    "decisions in unvisited states": pct(r.unvisited as number, 2),
  }));
  return pl.readRecords(rows as Record<string, unknown>[]);
}

/** The decision's lines as a table (one row per state). */
export function choiceTable(choice: StateChoice): pl.DataFrame {
  const rows = choice.lines.map((l) => ({
    state: l.variant,
    "states (mean over its runs)": int(l.states),
    "lowest convergence rate": pct(l.minRate, 0),
    eligible: l.eligible ? "yes" : "no",
    "score: per-maker PnL, mean over cells ($)": fixed(l.score),
    "compared with the best": l.variant === choice.best ? "(best)" : l.compared ? "yes" : "no",
    "significantly worse than the best in": l.compared
      ? (l.worseIn.length ? l.worseIn.join(", ") : "no cell")
      : "—",
    chosen: l.variant === choice.chosen ? "◀" : "",
  }));
  return pl.readRecords(rows as Record<string, unknown>[]);
}

/**
 * The exact check per (variant, taker) over seeds: `gap` (relative value gap, mean with its
 * interval: `rel_mean`, `rel_lo`, `rel_hi`), `within` (share within the tolerance), `markov`
 * (share of seeds where the learner's state is Markov on the reachable states, the same for all
 * seeds of a variant and taker), `learner_states` (mean), `true_states`, `aliased`, `states`.
 */
export function exactStateSummary(exact: pl.DataFrame): pl.DataFrame {
  const df = exact.withColumns(
    pl.col("relative_gap").alias("rel"),
    pl.col("within_tolerance").cast(pl.Float64).alias("within"),
    pl.col("markov").cast(pl.Float64).alias("markov_f"),
  );
  return summarise(df, {
    by: ["variant", "taker"],
    cols: ["rel", "within", "markov_f", "learner_states", "true_states", "aliased", "states"],
  });
}

/** {@linkcode exactStateSummary}'s rows as the notebook's table. */
export function exactStateTable(summary: pl.DataFrame): pl.DataFrame {
  const rows = (summary.toRecords() as Row[]).map((r) => ({
    state: r.variant,
    taker: r.taker,
    "learner states (of the encoder's)": `${int(r.learner_states_mean as number)} (${
      int(r.states_mean as number)
    })`,
    "reachable true states": int(r.true_states_mean as number),
    "aliased learner states": int(r.aliased_mean as number),
    Markov: (r.markov_f_mean as number) === 1
      ? "yes"
      : (r.markov_f_mean as number) === 0
      ? "no"
      : pct(r.markov_f_mean as number, 0),
    "value gap, % of V* (95% CI over seeds)": `${fixed(100 * (r.rel_mean as number), 2)} [${
      fixed(100 * ((r.rel_lo as number | null) ?? (r.rel_mean as number)), 2)
    }, ${fixed(100 * ((r.rel_hi as number | null) ?? (r.rel_mean as number)), 2)}]`,
    "within 1%": `${Math.round((r.within_mean as number) * (r.rel_n as number))}/${r.rel_n}`,
  }));
  return pl.readRecords(rows as Record<string, unknown>[]);
}
