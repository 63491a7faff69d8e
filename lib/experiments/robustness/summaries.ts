/**
 * The robustness table and the comparisons the notebooks and `deno task findings` quote.
 *
 * - {@linkcode robustnessTable}: finding × condition from per-seed paired differences: each
 *   cell's mean with its 95 % interval, its p-value and Holm-adjusted p-value (over the table's
 *   cells), and the outcome `"holds"` (the interval lies on the side the finding states),
 *   `"reverses"` (on the other side) or `"not distinguishable"`. The side a finding states is the
 *   sign of its mean in the reference condition (the first condition listed), or the one given.
 *   Generic: any study that produces one difference per (finding, condition, seed) can use it.
 * - {@linkcode robustnessMatrix}: the same as a finding-by-condition frame of short cells.
 * - {@linkcode pairedPolicies}: per-seed differences of two tested policies in the learning
 *   tables (e.g. the learner minus the best fixed rule), the rows `robustnessTable` takes.
 * - {@linkcode pairedKinds}: the same for two kinds of maker in notebook 06's populations.
 *
 * @module
 */
import pl from "nodejs-polars";
import { arrayOf, checkOptions, ConfigError, custom, fn, optional, str } from "../../errors.ts";
import { fixed, pm } from "../../report/format.ts";
import { holm, pValue, type Row, summarise } from "../../report/stats.ts";
import { NO_TRAINING } from "../takers/mod.ts";

/** What a finding does in one condition. */
export type Outcome = "holds" | "reverses" | "not distinguishable";

/** Options of {@linkcode robustnessTable}. */
export interface RobustnessTableOptions {
  /** The finding's column. Default `"finding"`. */
  readonly finding?: string;
  /** The condition's column. Default `"condition"`. */
  readonly condition?: string;
  /** The difference's column (one row per finding, condition and seed). Default `"diff"`. */
  readonly value?: string;
  /**
   * The conditions in order; the first is the reference whose sign states each finding. Default:
   * the order of first appearance.
   */
  readonly conditions?: readonly string[];
  /** The side each finding states (`1`: positive, `-1`: negative); default: the reference's sign. */
  readonly sides?: Readonly<Record<string, 1 | -1>>;
}

const OPTS = {
  finding: optional(str(), "finding"),
  condition: optional(str(), "condition"),
  value: optional(str(), "diff"),
  conditions: optional(arrayOf(str(), { minLength: 1 })),
  sides: optional(
    custom("an object: finding -> 1 or -1", (v, path) => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new ConfigError(path, "an object: finding -> 1 or -1", v);
      }
      for (const [k, x] of Object.entries(v)) {
        if (x !== 1 && x !== -1) throw new ConfigError(`${path}.${k}`, "1 or -1", x);
      }
      return v as Record<string, 1 | -1>;
    }),
  ),
};

/**
 * Finding × condition (see the module doc). Columns: the finding and condition columns, `side`
 * (1 or −1), `mean`, `sd`, `n`, `lo`, `hi` (95 % Student-t interval over seeds), `p` (two-sided t
 * test of 0), `p_holm` (Holm over every cell of the table), `outcome`, `outcome_holm` (the same
 * with the Holm-adjusted test: a cell holds or reverses only if `p_holm` < 0.05), `cell` (e.g.
 * `"holds: +3.20 ± 1.10"`). Rows: findings in order of first appearance, conditions in the given
 * order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { robustnessTable } from "./summaries.ts";
 * const diffs = pl.DataFrame({
 *   finding: Array(12).fill("L beats B"),
 *   condition: [...Array(4).fill("noise"), ...Array(4).fill("thin"), ...Array(4).fill("deep")],
 *   diff: [2, 3, 2.5, 3.5, -2, -3, -2.5, -3.5, 1, -1, 2, -2],
 * });
 * const t = robustnessTable(diffs).toRecords();
 * if (t.map((r) => r.outcome).join() !== "holds,reverses,not distinguishable") throw new Error();
 * ```
 */
export function robustnessTable(
  diffs: pl.DataFrame,
  options: RobustnessTableOptions = {},
): pl.DataFrame {
  const o = checkOptions(options, OPTS, { owner: "robustnessTable" });
  const F = o.finding, C = o.condition, V = o.value;
  for (const c of [F, C, V]) {
    if (!diffs.columns.includes(c)) {
      throw new ConfigError(`column ${c}`, diffs.columns.join(", "), c);
    }
  }
  const firstSeen = (col: string) => [...new Set(diffs.getColumn(col).toArray() as string[])];
  const findings = firstSeen(F);
  const conditions = (o.conditions as string[] | undefined) ?? firstSeen(C);
  const s = summarise(diffs, { by: [F, C], cols: [V] }).toRecords() as Row[];
  const cell = (f: string, c: string) => s.find((r) => r[F] === f && r[C] === c);
  const sides = (o.sides ?? {}) as Record<string, 1 | -1>;
  const rows: Row[] = [];
  for (const f of findings) {
    const ref = cell(f, conditions[0]);
    const side = sides[f] ?? (Number(ref?.[`${V}_mean`]) < 0 ? -1 : 1);
    for (const c of conditions) {
      const r = cell(f, c);
      if (r === undefined) continue;
      rows.push({
        [F]: f,
        [C]: c,
        side,
        mean: r[`${V}_mean`],
        sd: r[`${V}_sd`],
        n: Number(r[`${V}_n`]),
        lo: r[`${V}_lo`],
        hi: r[`${V}_hi`],
        p: pValue(r, { col: V }),
      });
    }
  }
  const h = holm(rows.map((r) => (Number.isFinite(r.p) ? (r.p as number) : NaN)));
  const outcome = (r: Row, significant: boolean): Outcome => {
    if (!significant) return "not distinguishable";
    return Math.sign(Number(r.mean)) === r.side ? "holds" : "reverses";
  };
  rows.forEach((r, i) => {
    r.p_holm = h.adjusted[i];
    r.outcome = outcome(r, Number(r.p) < 0.05);
    r.outcome_holm = outcome(r, h.adjusted[i] < 0.05);
    const half = Number(r.hi) - Number(r.mean);
    r.cell = `${r.outcome}: ${Number(r.mean) >= 0 ? "+" : ""}${
      Number.isFinite(half) ? pm(Number(r.mean), half) : fixed(Number(r.mean))
    }`;
  });
  return pl.DataFrame(rows.map((r) => ({ ...r, p: nanNull(r.p), p_holm: nanNull(r.p_holm) })));
}

const nanNull = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);

/**
 * A finding-by-condition frame of {@linkcode robustnessTable}'s `cell` strings (one column per
 * condition, in the table's order), for display.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { robustnessMatrix, robustnessTable } from "./summaries.ts";
 * const diffs = pl.DataFrame({ finding: ["f", "f", "f", "f"], condition: ["a", "a", "b", "b"], diff: [1, 1.2, -1, -1.1] });
 * const m = robustnessMatrix(robustnessTable(diffs));
 * if (m.columns.join() !== "finding,a,b" || !String(m.row(0)[2]).startsWith("reverses")) throw new Error();
 * ```
 */
export function robustnessMatrix(
  table: pl.DataFrame,
  o: { finding?: string; condition?: string; cell?: string } = {},
): pl.DataFrame {
  const F = o.finding ?? "finding", C = o.condition ?? "condition", K = o.cell ?? "cell";
  const rows = table.toRecords() as Row[];
  const conds = [...new Set(rows.map((r) => String(r[C])))];
  const findings = [...new Set(rows.map((r) => String(r[F])))];
  return pl.DataFrame(findings.map((f) => ({
    [F]: f,
    ...Object.fromEntries(
      conds.map((c) => [c, String(rows.find((r) => r[F] === f && r[C] === c)?.[K] ?? "—")]),
    ),
  })));
}

/** How one finding fares over the conditions of a robustness table. */
export interface FindingTally {
  /** Conditions where it holds, reverses, is not distinguishable. */
  readonly holds: string[];
  readonly reverses: string[];
  readonly unclear: string[];
  /** The same with the Holm-adjusted outcome. */
  readonly holdsHolm: string[];
  readonly reversesHolm: string[];
}

/**
 * Per finding: in which conditions it holds, reverses or cannot be told (plain and Holm).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { robustnessTable, tally } from "./summaries.ts";
 * const diffs = pl.DataFrame({
 *   finding: Array(6).fill("f"),
 *   condition: ["a", "a", "a", "b", "b", "b"],
 *   diff: [1, 1.2, 1.1, -1, -1.1, -0.9],
 * });
 * const t = tally(robustnessTable(diffs)).f;
 * if (t.holds.join() !== "a" || t.reverses.join() !== "b") throw new Error();
 * ```
 */
export function tally(
  table: pl.DataFrame,
  o: { finding?: string; condition?: string } = {},
): Record<string, FindingTally> {
  const F = o.finding ?? "finding", C = o.condition ?? "condition";
  const out: Record<string, FindingTally> = {};
  for (const r of table.toRecords() as Row[]) {
    const t = out[String(r[F])] ??= {
      holds: [],
      reverses: [],
      unclear: [],
      holdsHolm: [],
      reversesHolm: [],
    };
    const c = String(r[C]);
    if (r.outcome === "holds") t.holds.push(c);
    else if (r.outcome === "reverses") t.reverses.push(c);
    else t.unclear.push(c);
    if (r.outcome_holm === "holds") t.holdsHolm.push(c);
    if (r.outcome_holm === "reverses") t.reversesHolm.push(c);
  }
  return out;
}

const EMPTY_DIFFS = () =>
  pl.DataFrame({
    finding: pl.Series("finding", [], pl.Utf8),
    condition: pl.Series("condition", [], pl.Utf8),
    taker: pl.Series("taker", [], pl.Utf8),
    seed: pl.Series("seed", [], pl.Float64),
    a: pl.Series("a", [], pl.Float64),
    b: pl.Series("b", [], pl.Float64),
    diff: pl.Series("diff", [], pl.Float64),
  });

/** Options of {@linkcode pairedPolicies}. */
export interface PairedPoliciesOptions {
  /** The first policy (e.g. `"learned"`). */
  readonly a: string;
  /** The second (e.g. `"best fixed"`). */
  readonly b: string;
  /** The compared column. Default `"maker_pnl"`. */
  readonly value?: string;
  /** Rows to keep first (e.g. `{ game: "game 2", test: "own" }`). */
  readonly where?: Readonly<Record<string, string | number | boolean>>;
  /** The finding's name, given the row's keys (default: `"<a> − <b>, <taker>"`). */
  readonly finding?: (r: Row) => string;
}

/**
 * Per (condition, taker, seed): `value` of policy `a` minus that of policy `b` in a learning
 * study's `tests` table (both tested on the same seeds: common random numbers), as rows
 * `finding`, `condition`, `taker`, `seed`, `a`, `b`, `diff` for {@linkcode robustnessTable}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { pairedPolicies } from "./summaries.ts";
 * const tests = pl.DataFrame({
 *   condition: ["n", "n", "n", "n"], taker: ["t", "t", "t", "t"], seed: [0, 0, 1, 1],
 *   policy: ["learned", "best fixed", "learned", "best fixed"], maker_pnl: [5, 3, 6, 5],
 * });
 * const d = pairedPolicies(tests, { a: "learned", b: "best fixed" }).getColumn("diff").toArray();
 * if (d.join() !== "2,1") throw new Error(d.join());
 * ```
 */
export function pairedPolicies(
  tests: pl.DataFrame,
  options: PairedPoliciesOptions,
): pl.DataFrame {
  const o = checkOptions(options, {
    a: str(),
    b: str(),
    value: optional(str(), "maker_pnl"),
    where: optional(
      custom("an object: column -> value", (v, path) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) {
          throw new ConfigError(path, "an object: column -> value", v);
        }
        return v as Record<string, string | number | boolean>;
      }),
    ),
    finding: optional(fn<(r: Row) => string>("a function of the row")),
  }, { owner: "pairedPolicies" }) as PairedPoliciesOptions;
  const value = o.value ?? "maker_pnl";
  let df = tests;
  for (const [k, v] of Object.entries(o.where ?? {})) df = df.filter(pl.col(k).eq(pl.lit(v)));
  const side = (p: string, name: string) =>
    df.filter(pl.col("policy").eq(pl.lit(p))).select(
      pl.col("condition"),
      pl.col("taker"),
      pl.col("seed"),
      pl.col(value).cast(pl.Float64).alias(name),
    );
  const j = side(o.a, "a").join(side(o.b, "b"), { on: ["condition", "taker", "seed"] })
    .sort(["condition", "taker", "seed"]);
  const name = o.finding ?? ((r: Row) => `${o.a} − ${o.b}, ${r.taker}`);
  const rows = (j.toRecords() as Row[]).map((r) => ({
    finding: name(r),
    ...r,
    diff: Number(r.a) - Number(r.b),
  }));
  return rows.length > 0 ? pl.DataFrame(rows) : EMPTY_DIFFS();
}

/** Options of {@linkcode pairedKinds}. */
export interface PairedKindsOptions {
  /** The population, e.g. `"1R+1Q"`. */
  readonly population: string;
  /** The first kind (e.g. `"q"`) and the second (e.g. `"replenisher"`). */
  readonly a: string;
  readonly b: string;
  /** The compared column (per-maker mean over the makers of a kind). Default `"mtm"`. */
  readonly value?: string;
  /** The column used as the condition. Default `"orders"`. */
  readonly condition?: string;
  /** The finding's name, given the play taker. Default `"<a> − <b> (<population>), <taker>"`. */
  readonly finding?: (taker: string) => string;
}

/**
 * Per (condition, play taker, seed): the per-maker `value` of kind `a` minus that of kind `b` in
 * one population of notebook 06's `makers` table (the learners trained against the taker they
 * play), as rows `finding`, `condition`, `taker`, `seed`, `a`, `b`, `diff`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { pairedKinds } from "./summaries.ts";
 * const makers = pl.DataFrame({
 *   orders: ["multi", "multi", "multi"], population: ["1R+1F", "1R+1F", "1R+1F"], game: ["g", "g", "g"],
 *   train_taker: ["—", "—", "—"], play_taker: ["TWAP", "TWAP", "TWAP"], seed: [0, 0, 0],
 *   kind: ["replenisher", "follower", "follower"], mtm: [10, 4, 6],
 * });
 * const r = pairedKinds(makers, { population: "1R+1F", a: "follower", b: "replenisher" }).toRecords()[0];
 * if (r.diff !== -5) throw new Error(String(r.diff));
 * ```
 */
export function pairedKinds(makers: pl.DataFrame, options: PairedKindsOptions): pl.DataFrame {
  const o = checkOptions(options, {
    population: str(),
    a: str(),
    b: str(),
    value: optional(str(), "mtm"),
    condition: optional(str(), "orders"),
    finding: optional(fn<(t: string) => string>("a function of the taker")),
  }, { owner: "pairedKinds" }) as PairedKindsOptions;
  const value = o.value ?? "mtm", C = o.condition ?? "orders";
  const rows = (makers.filter(pl.col("population").eq(pl.lit(o.population))).toRecords() as Row[])
    .filter((r) => r.train_taker === NO_TRAINING || r.train_taker === r.play_taker);
  const key = (r: Row) => `${r[C]}|${r.play_taker}|${r.seed}`;
  const acc = new Map<string, { r: Row; a: number[]; b: number[] }>();
  for (const r of rows) {
    const e = acc.get(key(r)) ?? { r, a: [], b: [] };
    if (r.kind === o.a) e.a.push(Number(r[value]));
    if (r.kind === o.b) e.b.push(Number(r[value]));
    acc.set(key(r), e);
  }
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const name = o.finding ?? ((t: string) => `${o.a} − ${o.b} (${o.population}), ${t}`);
  const out = [...acc.values()].filter((e) => e.a.length > 0 && e.b.length > 0).map((e) => ({
    finding: name(String(e.r.play_taker)),
    condition: String(e.r[C]),
    taker: String(e.r.play_taker),
    seed: Number(e.r.seed),
    a: mean(e.a),
    b: mean(e.b),
    diff: mean(e.a) - mean(e.b),
  }));
  return out.length > 0 ? pl.DataFrame(out) : EMPTY_DIFFS();
}
