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
import { ci, fixed, int, median, pct, summarise } from "../../report/mod.ts";
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

/**
 * The convergence table of the notebooks, one row per (taker, n) of {@linkcode convergenceRates}:
 * runs that met the criterion with the rate's 95 % Wilson interval, the median episode where they
 * met it, the last check's policy change per maker (mean / largest over the makers, averaged over
 * runs), the non-converged runs' recurrence, and the share of greedy decisions in unvisited states.
 */
export function settledTable(rates: pl.DataFrame): pl.DataFrame {
  const rows = (rates.toRecords() as Row[]).map((r) => ({
    taker: r.taker,
    n: r.n,
    "criterion met": `${r.converged} of ${r.runs} (${pct(r.rate as number, 0)}, ${
      pct(r.rate_lo as number, 0)
    }–${pct(r.rate_hi as number, 0)})`,
    "median episode": r.median_episode === null ? "—" : int(r.median_episode as number),
    "last change, mean / max over makers": `${pct(r.path_mean as number)} / ${
      pct(r.path_max as number)
    }`,
    "not met: cycling / drifting": `${r.cycling} / ${r.drifting}`,
    "decisions in unvisited states": pct(r.unvisited as number, 2),
  }));
  return pl.readRecords(rows as Record<string, unknown>[]);
}

/** The exploitability table: per (taker, n), {@linkcode exploitSummary}'s row as text. */
export function exploitTable(summary: pl.DataFrame): pl.DataFrame {
  const rows = (summary.toRecords() as Row[]).map((r) => ({
    taker: r.taker,
    n: r.n,
    "tested runs": r.gain_n,
    "learned seat's PnL ($)": fixed(r.learned_mean as number),
    "best response's gain ($, 95% CI over runs)": ci(r as never, "gain"),
    "gain / |learned PnL|": ci(r as never, "rel"),
    "responses converged": pct(r.br_conv_mean as number, 0),
  }));
  return pl.readRecords(rows as Record<string, unknown>[]);
}

/**
 * The share of a cell's runs that had met the criterion by each check's episode (`episode`,
 * `share`, per variant, taker and n): the cumulative convergence curve, on the episodes
 * `every`, `2 · every`, … up to the longest run.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { convergedByEpisode } from "./summaries.ts";
 * const runs = pl.readRecords([
 *   { variant: "v", taker: "T", n: 1, episodes: 2000, converged_episode: 2000 },
 *   { variant: "v", taker: "T", n: 1, episodes: 3000, converged_episode: null },
 * ]);
 * const c = convergedByEpisode(runs, 1000).getColumn("share").toArray();
 * if (c.join() !== "0,0.5,0.5") throw new Error(c.join());
 * ```
 */
export function convergedByEpisode(runs: pl.DataFrame, every: number): pl.DataFrame {
  const rs = runs.toRecords() as Row[];
  const last = Math.max(...rs.map((r) => r.episodes as number));
  const cells = new Map<string, Row[]>();
  for (const r of rs) {
    const k = `${r.variant}\u0000${r.taker}\u0000${r.n}`;
    if (!cells.has(k)) cells.set(k, []);
    cells.get(k)!.push(r);
  }
  const out: Row[] = [];
  for (const c of cells.values()) {
    for (let e = every; e <= last; e += every) {
      const met = c.filter((r) =>
        r.converged_episode !== null && (r.converged_episode as number) <= e
      );
      out.push({
        variant: c[0].variant,
        taker: c[0].taker,
        n: c[0].n,
        episode: e,
        share: met.length / c.length,
      });
    }
  }
  return pl.readRecords(out as Record<string, unknown>[]);
}

/**
 * The deviation's effect on each episode's PnL per (variant, taker, n, role): `pnl` is
 * `pnl_dev − pnl_base` (the deviator's own, or its rivals' averaged within a run), mean and 95 %
 * interval over runs; `already` is the share of episodes where the deviator's greedy policy would
 * have played the forced action anyway.
 */
export function deviationSummary(deviation: pl.DataFrame): pl.DataFrame {
  const perRun = deviation
    .withColumns(
      pl.when(pl.col("deviator")).then(pl.lit("deviator")).otherwise(pl.lit("rivals")).alias(
        "role",
      ),
      pl.col("pnl_dev").minus(pl.col("pnl_base")).alias("pnl"),
    )
    .groupBy(["variant", "taker", "n", "seed", "role"])
    .agg(pl.col("pnl").mean(), pl.col("already").mean());
  return summarise(perRun, { by: ["variant", "taker", "n", "role"], cols: ["pnl", "already"] });
}

/** What {@linkcode impulseVerdict} reads from a cell's impulse response. */
export interface ImpulseFacts {
  /** The rivals' largest raise of their bids after the deviation (ticks; ≤ 0), and its step. */
  readonly raise: number;
  readonly raiseStep: number | null;
  /** Whether that raise's 95 % interval excludes 0. */
  readonly raiseSignificant: boolean;
  /** The rivals' mean bid change at the last step (ticks). */
  readonly end: number;
  /** Whether the last step's interval includes 0 (the rivals are back where they were). */
  readonly returned: boolean;
  /** What the pattern is: Calvano et al.'s punish-and-return, no reaction, or a lasting move. */
  readonly verdict:
    | "punishment and return"
    | "other reaction and return"
    | "no reaction"
    | "lasting move";
}

/**
 * The rivals' reaction to the deviation in one cell of {@linkcode impulseSummary}'s rows (one
 * taker, one n, steps after `step`): a significant raise of their bids (outbidding the deviator
 * back) followed by a return to the undisturbed bids is Calvano et al.'s reward–punishment
 * signature; a significant change that is not a raise (e.g. the rivals step back), followed by a
 * return, is another reaction; no significant change is no reaction; a change still significant
 * at the last step is a lasting move.
 */
export function impulseVerdict(rows: readonly Row[], step: number): ImpulseFacts {
  const after = rows
    .filter((r) => r.role === "rivals" && (r.step as number) > step)
    .sort((a, b) => (a.step as number) - (b.step as number));
  let raise = 0, raiseStep: number | null = null, sig = false;
  for (const r of after) {
    const m = r.offset_mean as number;
    if (m < raise) {
      raise = m;
      raiseStep = r.step as number;
      sig = (r.offset_hi as number | null) !== null && (r.offset_hi as number) < 0;
    }
  }
  const last = after[after.length - 1];
  const end = (last?.offset_mean as number) ?? 0;
  const lo = (last?.offset_lo as number | null) ?? end,
    hi = (last?.offset_hi as number | null) ?? end;
  const returned = lo <= 0 && hi >= 0;
  const anySig = after.some((r) =>
    r.offset_lo !== null && r.offset_hi !== null &&
    ((r.offset_hi as number) < 0 || (r.offset_lo as number) > 0)
  );
  const verdict = !anySig
    ? "no reaction"
    : !returned
    ? "lasting move"
    : sig
    ? "punishment and return"
    : "other reaction and return";
  return { raise, raiseStep, raiseSignificant: sig, end, returned, verdict };
}
