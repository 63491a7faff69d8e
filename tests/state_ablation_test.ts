/**
 * The state ablation (issue 10 §2) and the large-n plan: the decision rule (`chooseState`) on
 * hand-built runs where the answer is known, the plan's jobs and their checks, the quick study
 * end to end (training and the exact check with a richer state), the summaries, and the
 * committed-output specs (distinct names and hashes, the convergence study's unchanged).
 */
import pl from "nodejs-polars";
import { assertAlmostEquals, assertEquals, assertTrue, throwsConfig } from "./_assert.ts";
import {
  ablationJobs,
  ablationOutput,
  ablationStudy,
  ablationSummary,
  ablationTable,
  choiceTable,
  chooseState,
  exactStateSummary,
  exactStateTable,
  quickAblationPlan,
  STATE_VARIANTS,
} from "../lib/experiments/state_ablation/mod.ts";
import {
  CONVERGENCE_PLAN,
  convergenceOutput,
  convergenceStudy,
  LARGE_N_PLAN,
  largeNOutput,
  LONG_BUDGET_PLAN,
  longBudgetOutput,
  planJobs,
  quickConvergencePlan,
  quickLargeNPlan,
  quickLongBudgetPlan,
  TAKERS,
} from "../lib/experiments/convergence/mod.ts";
import { outputHash } from "../lib/sweep/mod.ts";
import { DEFAULT_MAKER_STATE, DEPTH_MAKER_STATE, makerEncoder } from "../lib/makers/mod.ts";

type Rec = Record<string, unknown>;

/** Runs of one cell per (variant, taker): pnl(seed) and converged(seed) given per variant. */
function runs(
  spec: Record<
    string,
    { states: number; pnl: (s: number) => number; conv?: (s: number) => boolean }
  >,
  o: { seeds?: number; takers?: string[] } = {},
): pl.DataFrame {
  const rows: Rec[] = [];
  for (const taker of o.takers ?? ["T"]) {
    for (let seed = 1; seed <= (o.seeds ?? 10); seed++) {
      for (const [variant, v] of Object.entries(spec)) {
        rows.push({
          variant,
          taker,
          n: 1,
          seed,
          maker_pnl: v.pnl(seed),
          converged: v.conv ? v.conv(seed) : true,
          states: v.states,
        });
      }
    }
  }
  return pl.readRecords(rows);
}

const noise = (s: number) => ((s * 7919) % 13) / 13 - 0.5; // deterministic, mean about 0

Deno.test("chooseState: the smallest state not significantly worse than the best", () => {
  // "rich" earns 0.05 more on average, ± 0.5 per seed: not significant, so "spec" is kept.
  const c = chooseState(runs({
    spec: { states: 10, pnl: (s) => 5 + noise(s) },
    rich: { states: 40, pnl: (s) => 5.05 + noise(s) + 0.5 * (-1) ** s },
  }));
  assertEquals(c.best, "rich");
  assertEquals(c.chosen, "spec");
  assertEquals(c.tests.height, 1);
  assertEquals(c.lines.find((l) => l.variant === "spec")!.worseIn.length, 0);
});

Deno.test("chooseState: a significantly worse small state is not chosen; the best is", () => {
  const c = chooseState(runs({
    spec: { states: 10, pnl: (s) => 4 + 0.1 * noise(s) },
    rich: { states: 40, pnl: (s) => 6 + 0.1 * noise(s) },
  }));
  assertEquals(c.best, "rich");
  assertEquals(c.chosen, "rich");
  assertEquals(c.lines.find((l) => l.variant === "spec")!.worseIn, ["T n=1"]);
});

Deno.test("chooseState: convergence below 90% in any cell makes a state ineligible", () => {
  const c = chooseState(
    runs({
      spec: { states: 10, pnl: (s) => 4 + 0.1 * noise(s) },
      // Far ahead on profit, but 8 of 10 seeds converge against taker B.
      rich: { states: 40, pnl: (s) => 6 + 0.1 * noise(s), conv: (s) => s > 2 },
    }, { takers: ["A"] }).vstack(runs({
      spec: { states: 10, pnl: (s) => 4 + 0.1 * noise(s) },
      rich: { states: 40, pnl: (s) => 6 + 0.1 * noise(s), conv: (s) => s > 2 },
    }, { takers: ["B"] })),
  );
  assertEquals(c.best, "spec");
  assertEquals(c.chosen, "spec");
  const rich = c.lines.find((l) => l.variant === "rich")!;
  assertTrue(!rich.eligible && Math.abs(rich.minRate - 0.8) < 1e-12);
  // With a 75 % threshold both are eligible and "rich" wins.
  assertEquals(
    chooseState(
      runs({
        spec: { states: 10, pnl: (s) => 4 + 0.1 * noise(s) },
        rich: { states: 40, pnl: (s) => 6 + 0.1 * noise(s), conv: (s) => s > 2 },
      }),
      { minRate: 0.75 },
    ).chosen,
    "rich",
  );
  // No eligible state: no choice.
  const none = chooseState(runs({ spec: { states: 10, pnl: noise, conv: () => false } }));
  assertEquals(none.chosen, null);
  assertEquals(none.best, null);
});

Deno.test("chooseState: Holm's correction over the cells (one marginal cell of six is not enough)", () => {
  // Six cells; in one the best is ahead with p between 0.05/6 and 0.05 (differences 0.3 ± 0.36,
  // t = 2.5 on 9 df): significant alone, not after Holm. The others: 0 ± 0.36.
  const takers = ["A", "B", "C", "D", "E", "F"];
  const rows: Rec[] = [];
  for (const taker of takers) {
    for (let seed = 1; seed <= 10; seed++) {
      const d = (taker === "A" ? 0.3 : 0) + 0.36 * (-1) ** seed;
      rows.push({ variant: "small", taker, n: 1, seed, maker_pnl: 5, converged: true, states: 1 });
      rows.push({
        variant: "big",
        taker,
        n: 1,
        seed,
        maker_pnl: 5 + d,
        converged: true,
        states: 4,
      });
    }
  }
  const c = chooseState(pl.readRecords(rows));
  const a = (c.tests.toRecords() as Rec[]).find((r) => r.taker === "A")!;
  assertTrue((a.p as number) < 0.05 && (a.p_holm as number) > 0.05, JSON.stringify(a));
  assertEquals(c.chosen, "small");
  throwsConfig(() => chooseState(pl.DataFrame({ variant: ["a"] })), "runs");
  throwsConfig(() => chooseState(pl.readRecords(rows), { minRate: 2 }), "minRate");
});

Deno.test("ablationJobs: every variant's training jobs, largest n first, then the exact checks", () => {
  const plan = quickAblationPlan();
  const jobs = ablationJobs(plan);
  assertEquals(jobs.length, 2 * 2 + 2);
  const train = jobs.filter((j) => j.kind === "train");
  assertEquals(train.map((j) => j.kind === "train" && j.n), [2, 2, 1, 1]);
  const all = train.find((j) => j.variant === "spec+all")!;
  assertEquals(all.kind === "train" && all.maker?.state, STATE_VARIANTS[4].state);
  throwsConfig(
    () =>
      ablationJobs({
        ...plan,
        variants: [plan.variants[0], { ...plan.variants[1], label: "spec" }],
      }),
    "variants[1].label",
  );
  throwsConfig(
    () => ablationJobs({ ...plan, variants: [{ label: "x", state: { depth: [3, 1] } }] }),
    "variants[0].state.depth[1]",
  );
  throwsConfig(() => ablationJobs({ ...plan, exact: { ...plan.exact, steps: 9 } }), "exact.steps");
  // The committed plan (as the registry hashes it): 5 states × 2 n × 3 takers × 20 seeds, and
  // 5 states × 3 takers × 10 seeds of the exact check.
  const full = (ablationOutput().config as { jobs: { kind: string }[] }).jobs;
  assertEquals(full.filter((j) => j.kind === "train").length, 600);
  assertEquals(full.filter((j) => j.kind === "exact").length, 150);
});

Deno.test("the quick ablation runs end to end: summaries, the decision and the exact check", async () => {
  const f = await ablationStudy.run(ablationJobs(quickAblationPlan()), { workers: 0 });
  assertEquals(f.runs.height, 4);
  assertEquals(f.exact.height, 2);
  const s = ablationSummary(f.runs);
  assertEquals(s.height, 4);
  const rec = s.toRecords() as Rec[];
  const all = rec.find((r) => r.variant === "spec+all" && r.n === 2)!;
  const spec = rec.find((r) => r.variant === "spec" && r.n === 2)!;
  assertEquals((all.states as number) / (spec.states as number), 64);
  assertEquals(ablationTable(s).height, 4);
  const c = chooseState(f.runs);
  assertEquals(choiceTable(c).height, 2);
  const ex = exactStateSummary(f.exact).toRecords() as Rec[];
  assertEquals(ex.length, 2);
  const richer = ex.find((r) => r.variant === "spec+all")!;
  assertTrue(
    (richer.states_mean as number) > (ex.find((r) => r.variant === "spec")!.states_mean as number),
  );
  assertEquals(exactStateTable(exactStateSummary(f.exact)).height, 2);
});

Deno.test("exactStateSummary: the relative gap per state and taker over seeds", () => {
  const rows = [0, 1, 2].map((seed) => ({
    variant: "v",
    taker: "T",
    seed,
    relative_gap: seed === 0 ? 0.03 : 0,
    within_tolerance: seed !== 0,
    markov: false,
    learner_states: 40,
    true_states: 300,
    aliased: 30,
    states: 288,
  }));
  const s = exactStateSummary(pl.readRecords(rows)).toRecords()[0] as Rec;
  assertAlmostEquals(s.rel_mean as number, 0.01);
  assertAlmostEquals(s.within_mean as number, 2 / 3);
  const t = exactStateTable(exactStateSummary(pl.readRecords(rows))).toRecords()[0] as Rec;
  assertEquals(t["within 1%"], "2/3");
  assertEquals(t.Markov, "no");
});

Deno.test("committed specs: the large-n and ablation outputs have their own names and hashes", () => {
  const conv = convergenceOutput();
  const large = largeNOutput();
  const abl = ablationOutput();
  assertEquals(new Set([conv, large, abl].map((s) => s.name)).size, 3);
  assertEquals(new Set([conv, large, abl].map((s) => outputHash(s))).size, 3);
  // The large-n plan: 10 seeds × 3 takers at n = 5, 5 × 3 at n = 10, the convergence plan's game.
  const jobs = planJobs(LARGE_N_PLAN);
  assertEquals(jobs.filter((j) => j.n === 5).length, 30);
  assertEquals(jobs.filter((j) => j.n === 10).length, 15);
  assertEquals(JSON.stringify(LARGE_N_PLAN.game), JSON.stringify(CONVERGENCE_PLAN.game));
  assertEquals(planJobs(quickLargeNPlan()).map((j) => j.n), [3]);
});

type Train = Record<string, unknown> & {
  n: number;
  taker: { label: string };
  regime: { budget?: number };
};

Deno.test("the long-budget plan: the committed study's n = 3 passive and reactive runs, 10 × the budget", () => {
  const key = (j: Record<string, unknown>) => {
    const { exploit: _x, impulse: _i, regime, ...rest } = j as Record<string, unknown> & {
      regime: Record<string, unknown>;
    };
    const { budget: _b, ...r } = regime;
    return JSON.stringify({ ...rest, regime: r });
  };
  const train = (p: typeof CONVERGENCE_PLAN) =>
    planJobs(p).filter((j) => j.kind === "train") as unknown as Train[];
  const long = train(LONG_BUDGET_PLAN);
  const base = train(CONVERGENCE_PLAN).filter((j) => j.n === 3 && j.taker.label !== "aggressive");
  assertEquals(long.length, 40);
  assertEquals(long.map(key), base.map(key));
  assertTrue(long.every((j) => j.regime.budget === 300_000 && base[0].regime.budget === 30_000));
  assertTrue(outputHash(longBudgetOutput()) !== outputHash(largeNOutput()));
  assertEquals(quickLongBudgetPlan().regime.budget, 2 * quickLargeNPlan().regime.budget!);
});

Deno.test("a larger budget leaves a run that converged within the smaller one unchanged", async () => {
  const a = quickConvergencePlan();
  const b = { ...a, regime: { ...a.regime, budget: 3 * a.regime.budget! } };
  const cols = ["n", "seed", "converged", "episodes", "maker_pnl", "visited"];
  const ra = (await convergenceStudy.run(planJobs(a), { workers: 0 })).runs;
  const rb = (await convergenceStudy.run(planJobs(b), { workers: 0 })).runs;
  assertTrue(ra.filter(pl.col("converged")).height > 0);
  assertEquals(rb.select(...cols).toRecords(), ra.select(...cols).toRecords());
});

Deno.test("quickConvergencePlan: fresh objects on every call, nothing shared with TAKERS", () => {
  const a = quickConvergencePlan(), b = quickConvergencePlan();
  (a.takers[0].taker as { maxWalk?: number }).maxWalk = 9;
  (a.regime as { budget?: number }).budget = 1;
  assertEquals((b.takers[0].taker as { maxWalk?: number }).maxWalk, undefined);
  assertEquals((TAKERS[1].taker as { maxWalk?: number }).maxWalk, undefined);
  assertEquals(b.regime.budget, 600);
  assertTrue(a.game !== b.game && a.takers !== b.takers);
});

Deno.test("DEPTH_MAKER_STATE: the ablation's spec+depth state, a named preset, not the default", () => {
  assertEquals(STATE_VARIANTS.find((v) => v.label === "spec+depth")!.state, {
    ...DEPTH_MAKER_STATE,
  });
  assertEquals(DEFAULT_MAKER_STATE.depth, []);
  const spec = makerEncoder({ makers: 2, sizeVisible: true });
  const depth = makerEncoder({ state: DEPTH_MAKER_STATE, makers: 2, sizeVisible: true });
  assertEquals(depth.nStates, 4 * spec.nStates);
});
