/**
 * The per-market sections of notebooks 02, 04 and 05 (issue 11: every headline finding reported
 * per market condition in one robustness table), from the robustness study's committed tables:
 *
 * - {@linkcode gameOneRobustness} (notebook 02): the game-1 maker (Q = 8,000) against the best
 *   fixed rule and the spec's two baselines, per taker and market.
 * - {@linkcode competitionRobustness} (notebook 04): what a second learning maker changes, per
 *   taker and market: the taker's cost and the makers' PnL with two learners against one
 *   (`comp_makers`), and the taker's cost with one learner against none (`learn_tests`).
 * - {@linkcode bestTakers} and {@linkcode takerRobustness} (notebook 05): which taker strategy
 *   pays least against each maker setting, per market, and whether the headline market's ranking
 *   of the best two holds elsewhere.
 * - {@linkcode learnerConvergence}: the share of the learners that met the convergence criterion
 *   in each cell (the study trains every learner in the converging regime).
 *
 * Each robustness table is {@linkcode robustnessTable}'s: per-seed paired differences, the first
 * market listed (the headline's `noise`) states each finding's side, and each cell holds,
 * reverses or is not distinguishable (with the Holm-corrected outcome beside it).
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkOptions, fn, oneOf, optional, str } from "../../errors.ts";
import { median, type Row, summarise } from "../../report/stats.ts";
import { REGIME_OPTIONS, type RegimeOptions } from "../../makers/mod.ts";
import { BEST_FIXED, COMPETITION_TAKERS, GAME1 } from "./jobs.ts";
import { pairedPolicies, robustnessTable } from "./summaries.ts";

/** The study's markets in the order they were run (the headline first). */
const marketsOf = (df: pl.DataFrame): string[] => [
  ...new Set(df.getColumn("condition").toArray() as string[]),
];

/** Game 1 at Q = 8,000 (notebook 02's game) in every market. */
const gameOne = { game: GAME1, test: "Q=8000" };

/**
 * Notebook 02's headline comparisons per market: the learned game-1 maker minus the best fixed
 * rule, minus the spec's replenisher and minus the follower (PnL share per episode, paired by
 * seed on the common test seeds), per taker. A {@linkcode robustnessTable}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { gameOneRobustness } from "./notebooks.ts";
 * const row = (condition: string, seed: number, policy: string, maker_pnl: number) =>
 *   ({ condition, game: "game 1", test: "Q=8000", taker: "TWAP", seed, policy, maker_pnl });
 * const tests = pl.DataFrame([0, 1, 2].flatMap((s) => [
 *   row("noise", s, "learned", 10 + s), row("noise", s, "best fixed", 8),
 *   row("noise", s, "replenisher", 5), row("noise", s, "follower", 4),
 * ]));
 * const t = gameOneRobustness(tests).toRecords();
 * if (t.length !== 3 || t.some((r) => r.outcome !== "holds")) throw new Error();
 * ```
 */
export function gameOneRobustness(tests: pl.DataFrame): pl.DataFrame {
  const diffs = pl.concat(
    [BEST_FIXED, "replenisher", "follower"].map((b) =>
      pairedPolicies(tests, {
        a: "learned",
        b,
        where: gameOne,
        finding: (r) => `learned − ${b}, ${r.taker}`,
      })
    ),
    { how: "diagonal" },
  );
  return robustnessTable(diffs, { conditions: marketsOf(tests) });
}

/** Options of {@linkcode pairedPopulations}. */
export interface PairedPopulationsOptions {
  /** The first population (e.g. `"2Q"`) and the second (e.g. `"1Q"`). */
  readonly a: string;
  readonly b: string;
  /** The compared column of the `makers` rows. */
  readonly value: string;
  /** How a population's makers combine: `"sum"` (e.g. total PnL) or `"mean"`. */
  readonly over: "sum" | "mean";
  /** The finding's name, given the taker. */
  readonly finding: (taker: string) => string;
}

/**
 * Per (condition, taker, seed): `value` of population `a` (combined over its makers) minus that
 * of population `b`, in `fixedDynamicStudy`'s `makers` rows with a `condition` column, the
 * learners replayed against the taker they trained with (the populations share the evaluation
 * seeds `eval:<seed>:k`, so the pair is on common random numbers). Rows `finding`,
 * `condition`, `taker`, `seed`, `a`, `b`, `diff` for {@linkcode robustnessTable}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { pairedPopulations } from "./notebooks.ts";
 * const makers = pl.DataFrame({
 *   condition: ["n", "n", "n"], population: ["1Q", "2Q", "2Q"], train_taker: ["t", "t", "t"],
 *   play_taker: ["t", "t", "t"], seed: [0, 0, 0], pnl: [10, 4, 5],
 * });
 * const r = pairedPopulations(makers, {
 *   a: "2Q", b: "1Q", value: "pnl", over: "sum", finding: (t) => `total, ${t}`,
 * }).toRecords()[0];
 * if (r.diff !== -1) throw new Error(String(r.diff));
 * ```
 */
export function pairedPopulations(
  makers: pl.DataFrame,
  options: PairedPopulationsOptions,
): pl.DataFrame {
  const o = checkOptions(options, {
    a: str(),
    b: str(),
    value: str(),
    over: oneOf(["sum", "mean"] as const),
    finding: fn<(t: string) => string>("a function of the taker"),
  }, { owner: "pairedPopulations" });
  const own = makers.filter(pl.col("train_taker").eq(pl.col("play_taker")));
  const side = (p: string, name: string) =>
    own.filter(pl.col("population").eq(pl.lit(p)))
      .groupBy(["condition", "play_taker", "seed"])
      .agg((o.over === "sum" ? pl.col(o.value).sum() : pl.col(o.value).mean()).alias(name));
  const j = side(o.a, "a").join(side(o.b, "b"), { on: ["condition", "play_taker", "seed"] })
    .sort(["condition", "play_taker", "seed"]);
  return pl.DataFrame((j.toRecords() as Row[]).map((r) => ({
    finding: o.finding(String(r.play_taker)),
    condition: r.condition,
    taker: r.play_taker,
    seed: r.seed,
    a: r.a,
    b: r.b,
    diff: Number(r.a) - Number(r.b),
  })));
}

/**
 * Notebook 04's headline findings per market, per taker (`takers`, default notebook 04's three):
 * the taker's cost (bps of Q·P0) with one learning maker minus with none (`learn_tests`, game 1 at
 * Q = 8,000, paired on the test seeds), and, when the study ran its competition part
 * (`comp_makers`), with two learners minus with one, the per-maker PnL and the makers' total PnL
 * with two minus with one. A {@linkcode robustnessTable} (the markets in `tests`' order).
 */
export function competitionRobustness(
  compMakers: pl.DataFrame | undefined,
  tests: pl.DataFrame,
  takers: readonly string[] = COMPETITION_TAKERS.map((t) => t.label),
): pl.DataFrame {
  const one = pairedPolicies(
    tests.filter(pl.col("taker").isIn(takers as string[])),
    {
      a: "learned",
      b: "none",
      value: "shortfall_bps",
      where: gameOne,
      finding: (r) => `taker cost (bps), 1 maker − none, ${r.taker}`,
    },
  );
  const two = (value: string, over: "sum" | "mean", what: string) =>
    pairedPopulations(compMakers!, {
      a: "2Q",
      b: "1Q",
      value,
      over,
      finding: (t) => `${what}, 2 makers − 1, ${t}`,
    });
  const diffs = compMakers === undefined ? one : pl.concat([
    one,
    two("taker_cost_bps", "mean", "taker cost (bps)"),
    two("pnl", "mean", "per-maker PnL"),
    two("pnl", "sum", "makers' total PnL"),
  ], { how: "diagonal" });
  return robustnessTable(diffs, { conditions: marketsOf(tests) });
}

/** The maker settings of notebook 05's per-market table, as labelled in `learn_tests`. */
export const TAKER_SETTINGS: readonly string[] = Object.freeze([
  "none",
  "replenisher",
  BEST_FIXED,
  "learned",
]);

/**
 * Notebook 05 per market: for each market and maker setting (no maker, the spec's replenisher,
 * the best fixed rule, the learned maker trained against the taker it meets: each in game 1 at
 * Q = 8,000), the taker strategy with the lowest mean cost (`shortfall_bps`, bps of Q·P0) and the
 * runner-up. Columns `condition`, `setting`, `best`, `best_cost`, `second`, `second_cost`, `n`
 * (seeds of the best), in market order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { bestTakers } from "./notebooks.ts";
 * const tests = pl.DataFrame(["a", "b", "c"].flatMap((taker, i) =>
 *   [0, 1].map((seed) => ({
 *     condition: "noise", game: "game 1", test: "Q=8000", policy: "none", taker, seed,
 *     shortfall_bps: 5 - i + seed,
 *   }))
 * ));
 * const r = bestTakers(tests).toRecords()[0];
 * if (r.best !== "c" || r.second !== "b" || r.best_cost !== 3.5) throw new Error();
 * ```
 */
export function bestTakers(tests: pl.DataFrame): pl.DataFrame {
  const t = tests.filter(
    pl.col("game").eq(pl.lit(GAME1)).and(pl.col("test").eq(pl.lit(gameOne.test)))
      .and(pl.col("policy").isIn(TAKER_SETTINGS as string[])),
  );
  const s = summarise(t, { by: ["condition", "policy", "taker"], cols: ["shortfall_bps"] })
    .toRecords() as Row[];
  const out: Row[] = [];
  for (const c of marketsOf(t)) {
    for (const p of TAKER_SETTINGS) {
      const rs = s.filter((r) => r.condition === c && r.policy === p)
        .sort((x, y) => Number(x.shortfall_bps_mean) - Number(y.shortfall_bps_mean));
      if (rs.length < 2) continue;
      out.push({
        condition: c,
        setting: p,
        best: rs[0].taker,
        best_cost: rs[0].shortfall_bps_mean,
        second: rs[1].taker,
        second_cost: rs[1].shortfall_bps_mean,
        n: rs[0].shortfall_bps_n,
      });
    }
  }
  return pl.DataFrame(out);
}

/**
 * Notebook 05's ranking per market: for each maker setting, the cost (bps) of the headline
 * market's runner-up taker minus that of its best taker, paired by seed (the takers meet the same
 * test seeds `test:<seed>`), in every market: "holds" means the headline's best taker is still
 * cheaper than its runner-up there. A {@linkcode robustnessTable}.
 */
export function takerRobustness(tests: pl.DataFrame): pl.DataFrame {
  const best = bestTakers(tests).toRecords() as Row[];
  const head = marketsOf(tests)[0];
  const t = tests.filter(
    pl.col("game").eq(pl.lit(GAME1)).and(pl.col("test").eq(pl.lit(gameOne.test))),
  );
  const parts: pl.DataFrame[] = [];
  for (const r of best.filter((x) => x.condition === head)) {
    const side = (taker: unknown, name: string) =>
      t.filter(pl.col("policy").eq(pl.lit(r.setting)).and(pl.col("taker").eq(pl.lit(taker))))
        .select(pl.col("condition"), pl.col("seed"), pl.col("shortfall_bps").alias(name));
    const j = side(r.second, "a").join(side(r.best, "b"), { on: ["condition", "seed"] });
    parts.push(
      j.withColumns(
        pl.lit(`${r.second} − ${r.best}, vs ${r.setting}`).alias("finding"),
        pl.col("a").minus(pl.col("b")).alias("diff"),
      ),
    );
  }
  return robustnessTable(pl.concat(parts, { how: "diagonal" }), {
    conditions: marketsOf(tests),
  });
}

/** Options of {@linkcode learnerConvergence}. */
export interface LearnerConvergenceOptions {
  /** The game column's value to keep (default: every game). */
  readonly game?: string;
}

/**
 * The learners' convergence per cell of the study: per (condition, game, taker), `runs`,
 * `converged` (met the criterion before the regime's budget), `rate`, `median_episode` (of the
 * converged runs) and `max_episodes` (the most episodes a run trained), from `learn_runs`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { learnerConvergence } from "./notebooks.ts";
 * const runs = pl.DataFrame({
 *   condition: ["n", "n", "n"], game: ["g", "g", "g"], taker: ["t", "t", "t"],
 *   converged: [true, true, false], converged_episode: [7000, 9000, null],
 *   episodes: [7000, 9000, 30000],
 * });
 * const r = learnerConvergence(runs).toRecords()[0];
 * if (r.converged !== 2 || r.median_episode !== 8000 || r.max_episodes !== 30000) throw new Error();
 * ```
 */
export function learnerConvergence(
  runs: pl.DataFrame,
  options: LearnerConvergenceOptions = {},
): pl.DataFrame {
  const o = checkOptions(options, { game: optional(str()) }, { owner: "learnerConvergence" });
  const rows = (runs.toRecords() as Row[]).filter((r) => o.game === undefined || r.game === o.game);
  const cells = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.condition}\u0000${r.game}\u0000${r.taker}`;
    cells.set(k, [...(cells.get(k) ?? []), r]);
  }
  return pl.DataFrame([...cells.values()].map((rs) => {
    const conv = rs.filter((r) => r.converged === true);
    return {
      condition: rs[0].condition,
      game: rs[0].game,
      taker: rs[0].taker,
      runs: rs.length,
      converged: conv.length,
      rate: conv.length / rs.length,
      median_episode: median(conv.map((r) => Number(r.converged_episode))),
      max_episodes: Math.max(...rs.map((r) => Number(r.episodes))),
    };
  }));
}

/**
 * The learners' regime in words, for the notebooks' parameter tables: the resolved options of
 * `convergenceRegime` (`lib/makers/regime.ts`).
 *
 * @example
 * ```ts
 * import { regimeText } from "./notebooks.ts";
 * if (!regimeText({}).includes("budget of 30,000 episodes")) throw new Error(regimeText({}));
 * ```
 */
export function regimeText(regime: RegimeOptions): string {
  const r = checkOptions(regime, REGIME_OPTIONS, { owner: "regimeText" });
  const n = (x: number) => x.toLocaleString("en-US");
  return `the converging regime (\`convergenceRegime\`: ε = e^(−βt) per step, down to 0.001 after ${
    n(r.decayEpisodes!)
  } episodes; a check every ${
    n(r.checkEvery!)
  } episodes; stopped once the "${r.statistic}" policy change is ≤ ${r.tol} at ${r.patience} consecutive checks (margin ${r.margin}), or at the budget of ${
    n(r.budget!)
  } episodes)`;
}

/**
 * One Markdown bullet per finding of a {@linkcode robustnessTable}: its value in the reference
 * market (the table's first condition) and in how many markets it holds, reverses (named) or
 * cannot be told; the Holm-corrected count of markets where it holds beside it.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { robustnessTable } from "./summaries.ts";
 * import { tallyText } from "./notebooks.ts";
 * const t = robustnessTable(pl.DataFrame({
 *   finding: Array(8).fill("L − B, x"),
 *   condition: [...Array(4).fill("noise"), ...Array(4).fill("thin")],
 *   diff: [2, 3, 2.5, 3.5, -2, -3, -2.5, -3.5],
 * }));
 * const s = tallyText(t);
 * if (!s.startsWith("- **L − B, x**: +2.75 ± ") || !s.includes("reverses in 1 (thin)")) throw new Error(s);
 * ```
 */
export function tallyText(table: pl.DataFrame): string {
  const rows = table.toRecords() as Row[];
  const conds = [...new Set(rows.map((r) => String(r.condition)))];
  const findings = [...new Set(rows.map((r) => String(r.finding)))];
  return findings.map((f) => {
    const rs = rows.filter((r) => r.finding === f);
    const head = rs.find((r) => r.condition === conds[0]);
    const of = (o: string, col = "outcome") =>
      rs.filter((r) => r[col] === o).map((r) => String(r.condition));
    const rev = of("reverses");
    const value = head ? String(head.cell).replace(/^[^:]*: /, "") : "n/a";
    return `- **${f}**: ${value} in ${conds[0]} (${head?.outcome ?? "not run"}); holds in ${
      of("holds").length
    } of ${rs.length} markets (${
      of("holds", "outcome_holm").length
    } after Holm), reverses in ${rev.length}${
      rev.length ? ` (${rev.join(", ")})` : ""
    }, not distinguishable in ${of("not distinguishable").length}.`;
  }).join("\n");
}

/**
 * {@linkcode learnerConvergence}'s rows as a taker × market frame of `"converged/runs"` cells
 * (with the median episode of the converged runs), for a notebook's table.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { convergenceMatrix } from "./notebooks.ts";
 * const m = convergenceMatrix(pl.DataFrame({
 *   condition: ["noise"], game: ["g"], taker: ["t"], runs: [4], converged: [3],
 *   rate: [0.75], median_episode: [8000], max_episodes: [30000],
 * }));
 * if (m.getColumn("noise").toArray()[0] !== "3/4 (8,000)") throw new Error();
 * ```
 */
export function convergenceMatrix(conv: pl.DataFrame): pl.DataFrame {
  const rows = conv.toRecords() as Row[];
  const conds = [...new Set(rows.map((r) => String(r.condition)))];
  const takers = [...new Set(rows.map((r) => String(r.taker)))];
  return pl.DataFrame(takers.map((t) => ({
    taker: t,
    ...Object.fromEntries(conds.map((c) => {
      const r = rows.find((x) => x.taker === t && x.condition === c);
      const med = r?.median_episode == null
        ? ""
        : ` (${Number(r.median_episode).toLocaleString("en-US")})`;
      return [c, r ? `${r.converged}/${r.runs}${med}` : "–"];
    })),
  })));
}

/**
 * One line for a summary: the findings whose name starts with `prefix` (`"<prefix>, <taker>"`),
 * each with its value in the reference market and the number of markets where it holds.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { robustnessTable } from "./summaries.ts";
 * import { tallyLine } from "./notebooks.ts";
 * const t = robustnessTable(pl.DataFrame({
 *   finding: Array(8).fill("L − B, x"),
 *   condition: [...Array(4).fill("noise"), ...Array(4).fill("thin")],
 *   diff: [2, 3, 2.5, 3.5, -2, -3, -2.5, -3.5],
 * }));
 * if (!/^x \+2\.75 ± [\d.]+ \(holds in 1 of 2 markets\)$/.test(tallyLine(t, "L − B"))) throw new Error();
 * ```
 */
export function tallyLine(table: pl.DataFrame, prefix: string): string {
  const rows = (table.toRecords() as Row[]).filter((r) =>
    String(r.finding).startsWith(`${prefix}, `)
  );
  const conds = [...new Set(rows.map((r) => String(r.condition)))];
  const findings = [...new Set(rows.map((r) => String(r.finding)))];
  return findings.map((f) => {
    const rs = rows.filter((r) => r.finding === f);
    const head = rs.find((r) => r.condition === conds[0]);
    const value = head ? String(head.cell).replace(/^[^:]*: /, "") : "n/a";
    const holds = rs.filter((r) => r.outcome === "holds").length;
    return `${f.slice(prefix.length + 2)} ${value} (holds in ${holds} of ${rs.length} markets)`;
  }).join(", ");
}

/**
 * {@linkcode bestTakers}' rows in words: per maker setting, in how many markets each strategy is
 * the cheapest, and in how many the best two tie (mean costs within 0.005 bps).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { bestTakerText } from "./notebooks.ts";
 * const rows = pl.DataFrame({
 *   condition: ["a", "b", "c"], setting: ["none", "none", "none"], best: ["x", "x", "y"],
 *   best_cost: [1, 2, 1], second: ["y", "y", "x"], second_cost: [2, 3, 1], n: [5, 5, 5],
 * });
 * const s = bestTakerText(rows);
 * if (s !== "against none: x in 2 of 3 markets, y in 1 (tied with the runner-up in 1)") throw new Error(s);
 * ```
 */
export function bestTakerText(best: pl.DataFrame): string {
  const rows = best.toRecords() as Row[];
  const settings = [...new Set(rows.map((r) => String(r.setting)))];
  return settings.map((s) => {
    const rs = rows.filter((r) => r.setting === s);
    const counts = new Map<string, number>();
    for (const r of rs) counts.set(String(r.best), (counts.get(String(r.best)) ?? 0) + 1);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const ties = rs.filter((r) => Math.abs(Number(r.second_cost) - Number(r.best_cost)) < 0.005);
    return `against ${s}: ${
      sorted.map(([t, k], i) => (i === 0 ? `${t} in ${k} of ${rs.length} markets` : `${t} in ${k}`))
        .join(", ")
    }${ties.length ? ` (tied with the runner-up in ${ties.length})` : ""}`;
  }).join("; ");
}
