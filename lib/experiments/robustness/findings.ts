/**
 * The headline findings of the robustness study as `key: value` lines (`deno task findings`),
 * computed from its committed tables only (nothing re-run), by the same functions the notebooks'
 * prose uses ({@linkcode learnerRobustness}, {@linkcode ordersRobustness}, {@linkcode valueOfKnowing},
 * {@linkcode marketsRobustness}); `fixed_markets` (notebook 06's `data/06_fixed_markets.parquet`)
 * is optional.
 * The keys are documented in the README ("What the study found").
 *
 * @module
 */
import pl from "nodejs-polars";
import { fixed, pct, pm } from "../../report/format.ts";
import { type Row, significantCount, summarise } from "../../report/stats.ts";
import { valueAtSize } from "../game_learning/summaries.ts";
import { BEST_FIXED, GAME2, SIZES } from "./jobs.ts";
import { pairedKinds, pairedPolicies, robustnessTable, tally } from "./summaries.ts";
import {
  bestTakers,
  competitionRobustness,
  gameOneRobustness,
  learnerConvergence,
} from "./notebooks.ts";
import { convergenceRates } from "../convergence/summaries.ts";

/** One finding: a dotted key and its value in words and numbers. */
export interface Finding {
  /** E.g. `learned_vs_best_fixed.game2.reactive.noise`. */
  readonly key: string;
  /** E.g. `holds: +1.20 ± 0.80 $/episode (20 seeds)`. */
  readonly value: string;
}

const tables = (t: Record<string, pl.DataFrame>, ...names: string[]) => {
  const missing = names.filter((n) => t[n] === undefined);
  if (missing.length > 0) throw new Error(`missing tables: ${missing.join(", ")}`);
};

/** The study's conditions in the order they were run (the headline market first). */
export function conditionsOf(tests: pl.DataFrame): string[] {
  return [...new Set(tests.getColumn("condition").toArray() as string[])];
}

/**
 * The learned game-2 maker against the best fixed rule (and the best fixed rule against the
 * spec's replenisher, P0 − 1 for 200), per taker, in every market: {@linkcode robustnessTable}
 * of the per-seed paired differences of the maker's PnL share (test `own`).
 */
export function learnerRobustness(tests: pl.DataFrame): pl.DataFrame {
  const where = { game: GAME2, test: "own" };
  const diffs = pl.concat([
    pairedPolicies(tests, {
      a: "learned",
      b: BEST_FIXED,
      where,
      finding: (r) => `learned − best fixed, ${r.taker}`,
    }),
    pairedPolicies(tests, {
      a: BEST_FIXED,
      b: "replenisher",
      where,
      finding: (r) => `best fixed − replenisher, ${r.taker}`,
    }),
  ]);
  return robustnessTable(diffs, { conditions: conditionsOf(tests) });
}

/**
 * Notebook 06's head-to-head findings under each order rule (the `orders` column as the
 * condition, `"multi"` the reference): per play taker, the Q-learner minus the replenisher
 * (1R+1Q) and the follower minus the replenisher (1R+1F), on own fills marked to P0 (`mtm`) and
 * on the share of the taker's volume.
 */
export function ordersRobustness(makers: pl.DataFrame): pl.DataFrame {
  const pair = (population: string, a: string, value: string, what: string) =>
    pairedKinds(makers, {
      population,
      a,
      b: "replenisher",
      value,
      finding: (t) => `${what}, ${t}`,
    });
  const diffs = pl.concat([
    pair("1R+1Q", "q", "mtm", "Q-learner − replenisher, own PnL (1R+1Q)"),
    pair("1R+1Q", "q", "share", "Q-learner − replenisher, fill share (1R+1Q)"),
    pair("1R+1F", "follower", "mtm", "follower − replenisher, own PnL (1R+1F)"),
  ]);
  return robustnessTable(diffs, { conditions: ["multi", "single"] });
}

/**
 * What knowing the size is worth in the headline market (notebook 03): per taker and size, the
 * maker trained in game 1 at Q minus the game-2 maker tested at Q (paired by seed), and the
 * Holm-corrected "significant in k of m".
 */
export function valueOfKnowing(tests: pl.DataFrame, condition: string) {
  const t = tests.filter(pl.col("condition").eq(pl.lit(condition)));
  const cells = valueAtSize(t, { sizes: SIZES.map((q) => `Q=${q}`), value: "maker_pnl" });
  const rows = cells.toRecords() as Row[];
  return { cells, rows, count: significantCount(rows, { col: "diff" }) };
}

const signed = (r: Row) => {
  const m = Number(r.mean), half = Number(r.hi) - m;
  return `${m >= 0 ? "+" : ""}${Number.isFinite(half) ? pm(m, half) : fixed(m)}`;
};

/** A finding's name `"<what>, <taker>"` split at its last comma. */
const split = (finding: unknown): [string, string] => {
  const f = String(finding), i = f.lastIndexOf(", ");
  return [f.slice(0, i), f.slice(i + 2)];
};

const slug = (s: string) => s.replace(/\s+/g, "_").replace(/[^A-Za-z0-9_=+.-]/g, "");

/** Short key names of the per-market findings of notebooks 02 and 04. */
const KEYS: Readonly<Record<string, string>> = {
  "learned − best fixed": "learned_vs_best_fixed",
  "learned − replenisher": "learned_vs_replenisher",
  "learned − follower": "learned_vs_follower",
  "taker cost (bps), 1 maker − none": "taker_cost_1_vs_0",
  "taker cost (bps), 2 makers − 1": "taker_cost_2_vs_1",
  "per-maker PnL, 2 makers − 1": "maker_pnl_2_vs_1",
  "makers' total PnL, 2 makers − 1": "total_pnl_2_vs_1",
};

/** Every finding of the study's tables (see the README for the keys). */
export function robustnessFindings(t: Record<string, pl.DataFrame>): Finding[] {
  tables(t, "best", "learn_tests", "learn_runs", "fd_makers");
  const out: Finding[] = [];
  const push = (key: string, value: string) => out.push({ key, value });
  const tests = t.learn_tests;
  const conds = conditionsOf(tests);
  const headline = conds[0];

  // The best fixed rule per cell, with its held-out evaluation.
  for (const r of t.best.toRecords() as Row[]) {
    const game = r.study === "learn" ? slug(String(r.game)) : `orders.${slug(String(r.game))}`;
    const half = Number(r.eval_hi) - Number(r.eval_mean);
    push(
      `best_fixed_rule.${game}.${r.taker}.${r.condition}${r.n === 1 ? "" : `.n=${r.n}`}`,
      `${r.rule}: $${
        pm(Number(r.eval_mean), half)
      } per maker and episode (held out, ${r.eval_n} episodes; ${r.candidates} rules searched)`,
    );
  }

  // The learner against the best fixed rule, per taker and market, and its tally.
  const lr = learnerRobustness(tests);
  for (const r of lr.toRecords() as Row[]) {
    const [what, taker] = split(r.finding);
    const key = what.startsWith("learned") ? "learned_vs_best_fixed" : "best_fixed_vs_replenisher";
    push(
      `${key}.game2.${taker}.${r.condition}`,
      `${r.outcome} (${r.side === 1 ? "+" : "−"} in ${headline}): ${
        signed(r)
      } $ per episode (${r.n} seeds; Holm over the table: ${r.outcome_holm})`,
    );
  }
  const sideOf = (f: string) => (lr.toRecords() as Row[]).find((r) => r.finding === f)?.side;
  for (const [finding, c] of Object.entries(tally(lr))) {
    const [what, taker] = split(finding);
    const key = what.startsWith("learned") ? "learned_vs_best_fixed" : "best_fixed_vs_replenisher";
    push(
      `${key}.game2.${taker}.robust`,
      `${
        sideOf(finding) === 1 ? "positive" : "negative"
      } in ${headline}; holds in ${c.holds.length} of ${conds.length} markets, reverses in ${c.reverses.length}${
        c.reverses.length ? ` (${c.reverses.join(", ")})` : ""
      }, not distinguishable in ${c.unclear.length}`,
    );
  }

  // The value of knowing the size, with the correction.
  const v = valueOfKnowing(tests, headline);
  v.rows.forEach((r, i) => {
    const m = Number(r.diff_mean), half = Number(r.diff_hi) - m;
    push(
      `value_of_knowing.${r.taker}.${r.test}.${headline}`,
      `${m >= 0 ? "+" : ""}${pm(m, half)} $ per episode (${r.diff_n} seeds; p = ${
        fixed(v.count.p[i], 3)
      }, Holm ${fixed(v.count.adjusted[i], 3)})`,
    );
  });
  push(
    `value_of_knowing.significant.${headline}`,
    `${v.count.rejected} of ${v.count.m} (Holm, family-wise 5%); ${v.count.unadjusted} uncorrected, chance alone gives ${
      fixed(v.count.chance.expected, 1)
    } on average`,
  );

  // The taker's cost per taker and market (game 2).
  const own = tests.filter(pl.col("game").eq(pl.lit(GAME2)).and(pl.col("test").eq(pl.lit("own"))));
  const cost = own.groupBy(["condition", "taker", "policy"]).agg(pl.col("taker_pnl").mean())
    .toRecords() as Row[];
  for (const c of conds) {
    for (const tk of [...new Set(cost.map((r) => String(r.taker)))]) {
      const at = (p: string) =>
        -Number(cost.find((r) => r.condition === c && r.taker === tk && r.policy === p)?.taker_pnl);
      push(
        `taker_cost.game2.${tk}.${c}`,
        `$${fixed(at("none"))} alone, $${fixed(at(BEST_FIXED))} with the best fixed rule, $${
          fixed(at("learned"))
        } with the learned maker (per episode)`,
      );
    }
  }
  // The learners' convergence per cell (every learner trained in the converging regime).
  for (const r of learnerConvergence(t.learn_runs).toRecords() as Row[]) {
    push(
      `convergence.${slug(String(r.game))}.${r.taker}.${r.condition}`,
      `${r.converged} of ${r.runs} runs met the criterion${
        r.median_episode === null ? "" : ` (median episode ${Number(r.median_episode)})`
      }; longest run ${Number(r.max_episodes)} episodes`,
    );
  }
  const cell = (prefix: string, table: pl.DataFrame, unit: string) => {
    for (const r of table.toRecords() as Row[]) {
      const [what, taker] = split(r.finding);
      push(
        `${prefix}.${KEYS[what] ?? slug(what)}.${slug(taker)}.${r.condition}`,
        `${r.outcome}: ${signed(r)}${
          what.includes("(bps)") ? " bps" : unit
        } (${r.n} seeds; Holm: ${r.outcome_holm})`,
      );
    }
  };
  // Notebook 02 per market: the game-1 maker against the best fixed rule and the baselines.
  cell("game1", gameOneRobustness(tests), " $ per episode");
  // Notebook 04 per market: one learner against none (and a second learner, when run).
  cell("competition", competitionRobustness(t.comp_makers, tests), " $ per episode");
  // Notebook 05 per market: the cheapest taker strategy against each maker setting.
  for (const r of bestTakers(tests).toRecords() as Row[]) {
    push(
      `best_taker.${slug(String(r.setting))}.${r.condition}`,
      `${r.best} (${fixed(Number(r.best_cost), 2)} bps), then ${r.second} (${
        fixed(Number(r.second_cost), 2)
      } bps); game 1, Q = 8,000, ${r.n} seeds`,
    );
  }
  // The committed outputs of notebook 04 and the convergence study, when given.
  if (t.competition_runs !== undefined) out.push(...takerCostByN(t.competition_runs));
  if (t.convergence_runs !== undefined) out.push(...convergenceRateFindings(t.convergence_runs));

  // Notebook 06: one order against several.
  const or = ordersRobustness(t.fd_makers);
  for (const r of or.toRecords() as Row[]) {
    const [what, taker] = split(r.finding);
    const share = what.includes("share");
    const key = what.startsWith("Q")
      ? (share ? "q_vs_replenisher_share" : "q_vs_replenisher")
      : "follower_vs_replenisher";
    push(
      `orders.${key}.${taker}.${r.condition}`,
      `${r.outcome}: ${
        share
          ? `${Number(r.mean) >= 0 ? "+" : ""}${pct(Number(r.mean))} ± ${
            pct(Number(r.hi) - Number(r.mean))
          }`
          : `${signed(r)} $`
      } (${r.n} seeds)`,
    );
  }
  // Notebook 06's fixed head to head in every market (its committed data/06_fixed_markets.parquet).
  if (t.fixed_markets !== undefined) {
    const mr = marketsRobustness(t.fixed_markets);
    for (const r of mr.toRecords() as Row[]) {
      push(
        `fixed_vs_dynamic.${split(r.finding)[1]}.${r.condition}`,
        `follower − replenisher (1R+1F, several orders), own PnL: ${r.outcome}: ${
          signed(r)
        } $ (${r.n} seeds)`,
      );
    }
  }
  return out;
}

/**
 * The fixed head to head (follower − spec's replenisher, own PnL, 1R+1F, several orders) in every
 * market, from {@linkcode fixedAcrossMarkets}' rows: {@linkcode robustnessTable} with the markets
 * as conditions (the first market listed the reference).
 */
export function marketsRobustness(makers: pl.DataFrame): pl.DataFrame {
  const diffs = pairedKinds(makers, {
    population: "1R+1F",
    a: "follower",
    b: "replenisher",
    condition: "condition",
    finding: (t) => `follower − replenisher, own PnL (1R+1F), ${t}`,
  });
  return robustnessTable(diffs, { conditions: conditionsOf(makers) });
}

/** The market of notebook 04 §1's committed runs (`data/04_runs.parquet`). */
export const COMPETITION_RUNS_MARKET = "default market, taker from step 0, fixed budget";

/**
 * The taker's cost for n = 0, 1, 2, 3, 5, 10 makers (notebook 04 §1's committed runs,
 * `data/04_runs.parquet`: `taker`, `n`, `seed`, `taker_cost`), as findings
 * `taker_cost_by_n.<taker>.n=<n>`: the mean over seeds with its 95 % interval.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { takerCostByN } from "./findings.ts";
 * const runs = pl.DataFrame({ taker: ["r", "r", "r", "r"], n: [0, 0, 1, 1], seed: [1, 2, 1, 2], taker_cost: [10, 12, 8, 8] });
 * const f = takerCostByN(runs);
 * if (f[0].key !== "taker_cost_by_n.r.n=0" || !f[0].value.startsWith("$11.00 ± ")) throw new Error(f[0].value);
 * ```
 */
export function takerCostByN(runs: pl.DataFrame): Finding[] {
  const s = summarise(runs, { by: ["taker", "n"], cols: ["taker_cost"] }).sort(["taker", "n"]);
  return (s.toRecords() as Row[]).map((r) => ({
    key: `taker_cost_by_n.${slug(String(r.taker))}.n=${r.n}`,
    value: `$${
      pm(Number(r.taker_cost_mean), Number(r.taker_cost_hi) - Number(r.taker_cost_mean))
    } per episode (${r.taker_cost_n} seeds; notebook 04 §1: ${COMPETITION_RUNS_MARKET})`,
  }));
}

/**
 * The convergence rates of the committed convergence study (`data/studies/convergence/runs`):
 * per taker and n, the runs that met the criterion, with the Wilson interval and the median
 * episode, as findings `convergence_rate.<taker>.n=<n>` (`convergenceRates` of
 * `lib/experiments/convergence`).
 */
export function convergenceRateFindings(runs: pl.DataFrame): Finding[] {
  return (convergenceRates(runs).sort(["taker", "n"]).toRecords() as Row[]).map((r) => ({
    key: `convergence_rate.${slug(String(r.taker))}.n=${r.n}${
      r.variant === "default" ? "" : `.${slug(String(r.variant))}`
    }`,
    value: `${r.converged} of ${r.runs} (${pct(Number(r.rate), 0)}, 95% ${
      pct(Number(r.rate_lo), 0)
    }–${pct(Number(r.rate_hi), 0)})${
      r.median_episode === null ? "" : `, median episode ${Number(r.median_episode)}`
    }; noise market`,
  }));
}
