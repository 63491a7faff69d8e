/**
 * The numbers the prose of notebook 04 quotes, as pure functions of the study's frames
 * (`jobs.ts`) and the benchmarks (`benchmarks.ts`): means over seeds by (taker, n), the tables,
 * the learning curves relative to the collusive benchmark, the bid levels before and during the
 * taker's catch-up, the maker-index check, and what the benchmarks say.
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
  type Verdict,
  verdict,
} from "../../report/stats.ts";

const records = (df: pl.DataFrame) => df.toRecords() as Row[];
const num = (r: Row | undefined, k: string) => (r === undefined ? NaN : Number(r[k] ?? NaN));

/** The columns of the `runs` frame that {@linkcode competitionSummary} summarises. */
export const RUN_COLUMNS: readonly string[] = Object.freeze([
  "maker_pnl",
  "makers_pnl",
  "taker_cost",
  "makers_share",
  "background_share",
  "offset",
  "final_offset",
  "resting",
  "pnl_min",
  "pnl_max",
  "late_change",
  "visited",
  "coverage",
  "shortfall_bps",
]);

/** Means over seeds with 95% intervals of the greedy play and learning, by (taker, n). */
export function competitionSummary(runs: pl.DataFrame): pl.DataFrame {
  return summarise(runs, { by: ["taker", "n"], cols: RUN_COLUMNS });
}

/** The mean of `col` for (taker, n) in summary records. */
export function meanAt(rows: readonly Row[], taker: string, n: number, col: string): number {
  return num(rowOf(rows, { taker, n }), `${col}_mean`);
}

/** A fraction summarised over seeds as `"12.3% ± 1.2 pp"`. */
function ciPct(r: Row, col: string): string {
  const { mean, half } = meanHalf(r, col);
  return `${pct(mean)} ± ${fixed(100 * (Number.isFinite(half) ? half : 0), 1)} pp`;
}

/** Section 1's table for one taker: per n, PnL, taker cost, shares and bid offsets (mean ± CI). */
export function competitionTable(summary: pl.DataFrame, taker: string): pl.DataFrame {
  return pl.DataFrame(
    records(summary).filter((r) => r.taker === taker).map((r) => ({
      n: r.n,
      "per-maker PnL ($)": ci(r, "maker_pnl"),
      "total maker PnL ($)": ci(r, "makers_pnl"),
      "taker cost ($)": ci(r, "taker_cost"),
      "makers' share": ciPct(r, "makers_share"),
      "mean bid offset (ticks)": ci(r, "offset"),
      "final bid offset (ticks)": ci(r, "final_offset"),
    })),
  );
}

/** Whether `col` falls with every n of `ns` (in order) against `taker`. */
export function fallsWithN(
  rows: readonly Row[],
  o: { taker: string; ns: readonly number[]; col: string },
): boolean {
  return o.ns.every((n, i) =>
    i === 0 || meanAt(rows, o.taker, n, o.col) < meanAt(rows, o.taker, o.ns[i - 1], o.col)
  );
}

/**
 * Whether competition "hurts the makers and helps the taker" against `taker`: from one maker to
 * `nMax`, the makers' total PnL and the taker's cost both fall.
 */
export function competitionVerdict(rows: readonly Row[], taker: string, nMax: number): string {
  const v = (n: number, c: string) => meanAt(rows, taker, n, c);
  return v(nMax, "makers_pnl") < v(1, "makers_pnl") && v(nMax, "taker_cost") < v(1, "taker_cost")
    ? "hurts the makers and helps the taker"
    : "does not simply hurt the makers and help the taker";
}

/**
 * The paired difference, over seeds, of maker 0's PnL minus maker 1's in the `n`-maker runs
 * against `taker` (`pairedDiff`'s row): a maker index that the game favoured would show here.
 */
export function indexGap(makers: pl.DataFrame, o: { taker: string; n: number }): Row {
  const duo = makers.filter(pl.col("n").eq(o.n).and(pl.col("taker").eq(pl.lit(o.taker))));
  return records(pairedDiff(duo, {
    a: { maker: 0 },
    b: { maker: 1 },
    on: ["seed"],
    by: [],
    value: "pnl",
  }))[0];
}

/** Per n: the makers' mean bid offset before and after step `lastStep` (from step summaries). */
export function bidPhases(
  steps: pl.DataFrame,
  o: { taker: string; ns: readonly number[]; lastStep: number },
): Record<number, { early: number; late: number }> {
  const s = records(steps);
  const phase = (n: number, late: boolean) => {
    const xs = s.filter((r) =>
      r.taker === o.taker && r.n === n && (num(r, "step") >= o.lastStep) === late
    )
      .map((r) => num(r, "offset_mean"));
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  return Object.fromEntries(o.ns.map((n) => [n, { early: phase(n, false), late: phase(n, true) }]));
}

/** Section 2's convergence table for one taker: per n, runs that met the criterion and more. */
export function convergenceByN(
  runs: pl.DataFrame,
  summary: pl.DataFrame,
  o: { taker: string; ns: readonly number[]; seeds: number; states: (n: number) => number },
): pl.DataFrame {
  const rs = records(runs), s = records(summary);
  return pl.DataFrame(o.ns.map((n) => {
    const met = rs.filter((r) => r.taker === o.taker && r.n === n && r.converged === true);
    return {
      n,
      "criterion met": `${met.length} of ${o.seeds}`,
      "met at episode": met.length
        ? met.map((x) => int(num(x, "converged_episode"))).join(", ")
        : "—",
      "policy change, last 20% of checks": ciPct(rowOf(s, { taker: o.taker, n }), "late_change"),
      "states visited (of)": `${int(meanAt(s, o.taker, n, "visited"))} (${int(o.states(n))})`,
      "joint action profiles 7^n": int(7 ** n),
    };
  }));
}

/** Runs that met the convergence criterion, against `taker`, summed over `ns`. */
export function convergedRuns(
  runs: pl.DataFrame,
  o: { taker: string; ns: readonly number[] },
): number {
  return records(runs).filter((r) =>
    r.taker === o.taker && o.ns.includes(r.n as number) && r.converged === true
  ).length;
}

/**
 * The learning curves relative to the collusive benchmark: per (taker, n, episode), the per-maker
 * evaluation PnL at each check divided by the `π_M` of its (taker, n), and the policy change,
 * summarised over seeds (`rel`, `policy_change`).
 */
export function relativeCurves(checks: pl.DataFrame, benchmarks: pl.DataFrame): pl.DataFrame {
  const piM = new Map(records(benchmarks).map((b) => [`${b.taker}|${b.n}`, num(b, "pi_m")]));
  const rows = records(checks).map((r) => ({
    ...r,
    rel: num(r, "eval_makers_pnl") / num(r, "n") / piM.get(`${r.taker}|${r.n}`)!,
  }));
  return summarise(pl.DataFrame(rows), {
    by: ["taker", "n", "episode"],
    cols: ["rel", "policy_change"],
  });
}

/** Per n: the relative learning curve's first and last points and its peak. */
export function curveEnds(
  curves: pl.DataFrame,
  o: { taker: string; ns: readonly number[] },
): Record<number, { first: number; last: number; peak: number; peakEpisode: number }> {
  const c = records(curves);
  return Object.fromEntries(o.ns.map((n) => {
    const r = c.filter((x) => x.taker === o.taker && x.n === n)
      .sort((a, b) => num(a, "episode") - num(b, "episode"));
    const peak = r.reduce((a, b) => (num(b, "rel_mean") > num(a, "rel_mean") ? b : a));
    return [n, {
      first: num(r[0], "rel_mean"),
      last: num(r[r.length - 1], "rel_mean"),
      peak: num(peak, "rel_mean"),
      peakEpisode: num(peak, "episode"),
    }];
  }));
}

/** The profit gains summarised over seeds by (taker, n): `maker_pnl`, `delta_n`, `delta_b`. */
export function gainSummary(gains: pl.DataFrame): pl.DataFrame {
  return summarise(gains, { by: ["taker", "n"], cols: ["maker_pnl", "delta_n", "delta_b"] });
}

/** A fixed rule as text: `(offset, qty)`, or `—`. */
export function ruleText(offset: unknown, qty: unknown): string {
  return offset === null || offset === undefined ? "—" : `(${offset}, ${int(Number(qty))})`;
}

/** Section 3's table for one taker: the benchmarks, the learned profit and Δ per n. */
export function benchmarkTable(
  benchmarks: pl.DataFrame,
  gains: pl.DataFrame,
  o: { taker: string; ns: readonly number[] },
): pl.DataFrame {
  const b = records(benchmarks), g = records(gains);
  return pl.DataFrame(o.ns.map((n) => {
    const r = rowOf(b, { taker: o.taker, n }), s = rowOf(g, { taker: o.taker, n });
    return {
      n,
      "π_B all at P0 ($)": `${fixed(num(r, "pi_b"), 2)}${r.b_is_eq ? " (eq.)" : ""}`,
      "π_N ($) (rule)": n === 1
        ? "= π_M"
        : `${fixed(num(r, "pi_n"), 2)} ${ruleText(r.n_offset, r.n_qty)}`,
      "π_M ($) (rule)": `${fixed(num(r, "pi_m"), 2)} ${ruleText(r.m_offset, r.m_qty)}`,
      "best deviation from π_M's rule (gain $)": n === 1
        ? "—"
        : `${ruleText(r.br_offset, r.br_qty)} +${fixed(num(r, "br_gain"), 2)}`,
      "learned π ($)": ci(s, "maker_pnl"),
      "Δ_N": ci(s, "delta_n"),
      "Δ_B": ci(s, "delta_b"),
    };
  }));
}

/** Where the learned profit lies against the competitive benchmark (`"undefined"` at n = 1). */
export function deltaVerdict(gain: Row): Verdict | "undefined" {
  return gain.delta_n_mean === null ? "undefined" : verdict(gain, { col: "delta_n" });
}

/** What the benchmarks say for one taker, over the maker counts `ns` (n ≥ 2). */
export interface BenchmarkFacts {
  /** The n whose only symmetric equilibria are at P0. */
  readonly atP0: readonly number[];
  /** The n with a symmetric equilibrium above P0 (a positive profit). */
  readonly above: readonly number[];
  /** Whether the collusive rule is the same for every n. */
  readonly sameRule: boolean;
  /** Whether every best deviation from the collusive rule steps in front of it. */
  readonly undercut: boolean;
}

/** {@linkcode BenchmarkFacts} of a `ruleBenchmarks` frame. */
export function benchmarkFacts(
  benchmarks: pl.DataFrame,
  o: { taker: string; ns: readonly number[] },
): BenchmarkFacts {
  const b = (n: number) => rowOf(records(benchmarks), { taker: o.taker, n });
  const first = b(o.ns[0]);
  return {
    atP0: o.ns.filter((n) => b(n).n_offset === 0),
    above: o.ns.filter((n) => b(n).n_offset !== null && num(b(n), "n_offset") > 0),
    sameRule: o.ns.every((n) => b(n).m_offset === first.m_offset && b(n).m_qty === first.m_qty),
    undercut: o.ns.every((n) => num(b(n), "br_offset") < num(b(n), "m_offset")),
  };
}

/**
 * The (taker, n ≥ 2) whose most profitable equilibrium moves when the tolerance changes: rows of
 * the two benchmark frames that differ in `pi_n`.
 */
export function toleranceChanges(strict: pl.DataFrame, loose: pl.DataFrame): Row[] {
  const s = records(strict);
  return records(loose).filter((l) => {
    const b = rowOf(s, { taker: l.taker, n: l.n });
    return num(l, "n") > 1 && Math.abs(Number(l.pi_n ?? 0) - Number(b.pi_n ?? 0)) > 1e-9;
  }).map((l) => ({ ...l, strict_pi_n: rowOf(s, { taker: l.taker, n: l.n }).pi_n }));
}

/**
 * The points of the per-maker figure: every maker of every run at its n's slot (makers of a run
 * spread side by side, ±0.3 around the slot), and the benchmarks `π_M` and (n ≥ 2) `π_N` at the
 * slot itself. Slots are the positions of the n in `ns`.
 */
export function perMakerPoints(
  makers: pl.DataFrame,
  benchmarks: pl.DataFrame,
  ns: readonly number[],
): { makers: Row[]; benchmarks: Row[] } {
  const slot = (n: number) => ns.indexOf(n);
  return {
    makers: records(makers).map((r) => {
      const n = num(r, "n");
      return { ...r, x: slot(n) + (n === 1 ? 0 : 0.6 * (num(r, "maker") / (n - 1) - 0.5)) };
    }),
    benchmarks: records(benchmarks).flatMap((b) => [
      { taker: b.taker, x: slot(num(b, "n")), bench: "π_M (collusive)", pnl: b.pi_m },
      ...(num(b, "n") > 1 && b.pi_n !== null
        ? [{ taker: b.taker, x: slot(num(b, "n")), bench: "π_N (competitive)", pnl: b.pi_n }]
        : []),
    ]),
  };
}

/** What the profit gain of the learned makers says about coordination (notebook 04, section 3). */
export interface CollusionEvidence {
  /** The n whose only equilibria are at P0 and whose Δ_N interval lies above 0. */
  readonly positiveAtP0: readonly number[];
  /** Whether, for some n, the learned profit lies above a positive-profit equilibrium. */
  readonly coordination: boolean;
  /** Whether Δ_B shrinks with every n among those whose only equilibria are at P0. */
  readonly shrinks: boolean;
  /** Whether the learners bid closer to P0 than the collusive rule for every n. */
  readonly closer: boolean;
}

/**
 * {@linkcode CollusionEvidence} for `taker` over the maker counts `ns` (n ≥ 2), from the gains
 * summarised by {@linkcode gainSummary}, the benchmarks, and the run summary
 * ({@linkcode competitionSummary}).
 */
export function collusionEvidence(
  o: {
    gains: pl.DataFrame;
    benchmarks: pl.DataFrame;
    summary: pl.DataFrame;
    taker: string;
    ns: readonly number[];
  },
): CollusionEvidence {
  const g = (n: number) => rowOf(records(o.gains), { taker: o.taker, n });
  const b = (n: number) => rowOf(records(o.benchmarks), { taker: o.taker, n });
  const atP0 = benchmarkFacts(o.benchmarks, { taker: o.taker, ns: o.ns }).atP0;
  const dB = (n: number) => num(g(n), "delta_b_mean");
  return {
    positiveAtP0: atP0.filter((n) => verdict(g(n), { col: "delta_n" }) === "above"),
    coordination: o.ns.some((n) => deltaVerdict(g(n)) === "above" && b(n).n_offset !== 0),
    shrinks: atP0.every((n, i) => i === 0 || dB(n) < dB(atP0[i - 1])),
    closer: o.ns.every((n) =>
      meanAt(records(o.summary), o.taker, n, "offset") < num(b(n), "m_offset")
    ),
  };
}
