/**
 * The fixed-rule benchmarks of notebook 04 (see `jobs.ts` for the game they come from): a family of
 * fixed rules, the collusive, competitive and Bertrand benchmarks per (taker, n)
 * ({@linkcode ruleBenchmarks}), and the profit gain Δ of Calvano et al. (2020)
 * ({@linkcode profitGain}, {@linkcode profitGains}).
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkNum, ConfigError } from "../../errors.ts";

/** A family of fixed rules: every offset × every quantity. */
export interface RuleFamily {
  /** Bid offsets below P0, in ticks (within the game's bid bounds). */
  readonly offsets: readonly number[];
  /** Target quantities (within the game's bid bounds). */
  readonly qtys: readonly number[];
}

/** The default family: offsets 0–6 ticks × quantities 100–1,600 (35 rules). */
export const DEFAULT_FAMILY: RuleFamily = Object.freeze({
  offsets: Object.freeze([0, 1, 2, 3, 4, 5, 6]),
  qtys: Object.freeze([100, 200, 400, 800, 1600]),
});

export function checkFamily(f: RuleFamily): RuleFamily {
  const ok = (a: unknown) =>
    Array.isArray(a) && a.length > 0 && a.every((x) => Number.isInteger(x) && x >= 0);
  if (typeof f !== "object" || f === null || !ok(f.offsets) || !ok(f.qtys)) {
    throw new ConfigError("family", "{offsets, qtys}: non-empty arrays of integers ≥ 0", f);
  }
  return f;
}

/** The rules of a family, offsets outer, quantities inner (the family's order). */
export function familyRules(family: RuleFamily): { offset: number; qty: number }[] {
  checkFamily(family);
  return family.offsets.flatMap((offset) => family.qtys.map((qty) => ({ offset, qty })));
}

/** Options of {@linkcode ruleBenchmarks}. */
export interface BenchmarkOptions {
  /**
   * A profile is an equilibrium if no maker gains more than `tol` (currency) by switching to
   * another rule of the family. Default 0.01 (one cent; payoffs are tens of currency units).
   */
  tol?: number;
}

/**
 * The benchmarks per (taker, n) from the `rules` frame (see the module doc). Columns: `taker`,
 * `n`; `pi_m`, `m_offset`, `m_qty` (best symmetric rule; ties to the first in family order);
 * `pi_n`, `n_offset`, `n_qty` (most profitable symmetric equilibrium; with n = 1 the monopolist's
 * best rule); `equilibria` (number of symmetric equilibria); `pi_b`, `b_qty`, `b_is_eq` (all at
 * P0 with the largest quantity, and whether that is an equilibrium); `pi_m_sd` (episode-to-episode
 * standard deviation of the collusive profile's payoff); `br_offset`, `br_qty`, `br_gain` (the
 * best deviation from the collusive rule and what it gains).
 */
export function ruleBenchmarks(rules: pl.DataFrame, options: BenchmarkOptions = {}): pl.DataFrame {
  const tol = checkNum("tol", options.tol ?? 0.01, 0, 1e12);
  const recs = rules.toRecords() as Record<string, number | string | null>[];
  const groups = new Map<string, typeof recs>();
  for (const r of recs) {
    const k = `${r.taker}\u0000${r.n}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: Record<string, number | string | boolean | null>[] = [];
  for (const g of groups.values()) {
    const n = g[0].n as number;
    const key = (o: unknown, q: unknown) => `${o}/${q}`;
    const sym = g.filter((r) => r.s_offset === r.d_offset && r.s_qty === r.d_qty);
    const dev = new Map<string, typeof g>();
    for (const r of g) {
      const k = key(r.s_offset, r.s_qty);
      if (!dev.has(k)) dev.set(k, []);
      dev.get(k)!.push(r);
    }
    let m = sym[0], best: (typeof g)[number] | null = null, eqs = 0;
    for (const s of sym) if ((s.sym_pnl as number) > (m.sym_pnl as number)) m = s;
    const gainOf = (s: (typeof g)[number]) => {
      const own = s.dev_pnl as number;
      let bestDev = own, arg = s;
      for (const d of dev.get(key(s.s_offset, s.s_qty))!) {
        if ((d.dev_pnl as number) > bestDev) {
          bestDev = d.dev_pnl as number;
          arg = d;
        }
      }
      return { gain: bestDev - own, arg };
    };
    for (const s of sym) {
      const isEq = n === 1 ? s === m : gainOf(s).gain <= tol;
      if (!isEq) continue;
      eqs++;
      if (best === null || (s.sym_pnl as number) > (best.sym_pnl as number)) best = s;
    }
    const maxQty = Math.max(...sym.filter((s) => s.s_offset === 0).map((s) => s.s_qty as number));
    const b = sym.find((s) => s.s_offset === 0 && s.s_qty === maxQty);
    const br = n === 1 ? null : gainOf(m);
    out.push({
      taker: g[0].taker as string,
      n,
      pi_m: m.sym_pnl as number,
      m_offset: m.s_offset as number,
      m_qty: m.s_qty as number,
      pi_m_sd: m.sym_pnl_sd as number | null,
      pi_n: best === null ? null : best.sym_pnl as number,
      n_offset: best === null ? null : best.s_offset as number,
      n_qty: best === null ? null : best.s_qty as number,
      equilibria: eqs,
      pi_b: b === undefined ? null : b.sym_pnl as number,
      b_qty: b === undefined ? null : maxQty,
      b_is_eq: b === undefined ? null : n === 1 ? b === m : gainOf(b).gain <= tol,
      br_offset: br === null ? null : br.arg.d_offset as number,
      br_qty: br === null ? null : br.arg.d_qty as number,
      br_gain: br === null ? null : br.gain,
    });
  }
  const cols = Object.keys(out[0] ?? { taker: "", n: 0 });
  const ints = new Set(["n", "m_offset", "m_qty", "n_offset", "n_qty", "equilibria", "b_qty"]);
  return pl.DataFrame(cols.map((c) => {
    const v = out.map((r) => r[c] ?? null);
    const type = c === "taker"
      ? pl.Utf8
      : c === "b_is_eq"
      ? pl.Bool
      : ints.has(c)
      ? pl.Int32
      : pl.Float64;
    return pl.Series(c, v, type);
  })).sort(["taker", "n"]);
}

/**
 * Calvano et al.'s profit gain `Δ = (π − π_N) / (π_M − π_N)`: 0 at the competitive benchmark,
 * 1 at the collusive one. NaN when the benchmarks coincide or are missing (`π_M ≤ π_N`).
 *
 * @example
 * ```ts
 * import { profitGain } from "./benchmarks.ts";
 * if (profitGain({ pi: 15, piN: 10, piM: 20 }) !== 0.5) throw new Error();
 * if (!Number.isNaN(profitGain({ pi: 15, piN: 20, piM: 20 }))) throw new Error("undefined");
 * ```
 */
export function profitGain(v: { pi: number; piN: number; piM: number }): number {
  const { pi, piN, piM } = v;
  if (![pi, piN, piM].every(Number.isFinite) || !(piM > piN)) return NaN;
  return (pi - piN) / (piM - piN);
}

/**
 * The profit gain of every learned run: the `runs` frame joined with the benchmarks of its
 * (taker, n), with `delta_n` (against `π_N`) and `delta_b` (against `π_B`), null where undefined
 * (n ≤ 1). Columns: `taker`, `n`, `seed`, `maker_pnl`, `pi_n`, `pi_b`, `pi_m`, `delta_n`,
 * `delta_b`. Summarise over seeds for a confidence interval.
 */
export function profitGains(runs: pl.DataFrame, benchmarks: pl.DataFrame): pl.DataFrame {
  const b = new Map<string, Record<string, unknown>>();
  for (const r of benchmarks.toRecords()) b.set(`${r.taker}\u0000${r.n}`, r);
  const rows = (runs.toRecords() as Record<string, number | string | null>[])
    .filter((r) => (r.n as number) > 0);
  const get = (r: Record<string, unknown> | undefined, k: string) =>
    r === undefined || r[k] === null || r[k] === undefined ? NaN : Number(r[k]);
  const col = (f: (r: (typeof rows)[number], bm: Record<string, unknown> | undefined) => number) =>
    rows.map((r) => {
      const v = f(r, b.get(`${r.taker}\u0000${r.n}`));
      return Number.isFinite(v) ? v : null;
    });
  return pl.DataFrame([
    pl.Series("taker", rows.map((r) => r.taker as string), pl.Utf8),
    pl.Series("n", rows.map((r) => r.n as number), pl.Int32),
    pl.Series("seed", rows.map((r) => r.seed as number), pl.Int32),
    pl.Series("maker_pnl", col((r) => r.maker_pnl as number), pl.Float64),
    pl.Series("pi_n", col((_, m) => get(m, "pi_n")), pl.Float64),
    pl.Series("pi_b", col((_, m) => get(m, "pi_b")), pl.Float64),
    pl.Series("pi_m", col((_, m) => get(m, "pi_m")), pl.Float64),
    pl.Series(
      "delta_n",
      col((r, m) =>
        profitGain({ pi: r.maker_pnl as number, piN: get(m, "pi_n"), piM: get(m, "pi_m") })
      ),
      pl.Float64,
    ),
    pl.Series(
      "delta_b",
      col((r, m) =>
        profitGain({ pi: r.maker_pnl as number, piN: get(m, "pi_b"), piM: get(m, "pi_m") })
      ),
      pl.Float64,
    ),
  ]);
}
