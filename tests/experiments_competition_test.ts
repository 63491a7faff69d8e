/**
 * Tests of `lib/experiments/competition/` (notebook 04): determinism of the learning and
 * fixed-rule jobs (also across worker counts), the accounting of their rows against the bare
 * game, the benchmarks and the profit gain Δ on a hand-made rule game, job order and validation.
 */
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { createGame } from "../lib/game/mod.ts";
import {
  benchmarkFacts,
  bidPhases,
  collusionEvidence,
  competitionJob,
  competitionJobs,
  type CompetitionRow,
  competitionStudy,
  competitionSummary,
  competitionTable,
  competitionVerdict,
  curveEnds,
  DEFAULT_FAMILY,
  deltaVerdict,
  fallsWithN,
  familyRules,
  indexGap,
  learnJob,
  meanAt,
  perMakerPoints,
  profitGain,
  profitGains,
  relativeCurves,
  ruleBenchmarks,
  rulesJob,
  RUN_COLUMNS,
  runCompetition,
  toleranceChanges,
} from "../lib/experiments/competition/mod.ts";
import { pl } from "../lib/report/mod.ts";

const REACTIVE = { label: "reactive", taker: { kind: "reactive" } } as const;
const TWAP = { label: "TWAP", taker: { kind: "passive" } } as const;
const SMALL = { steps: 20, game: { kind: "known", size: 2_000 } } as const;
const FAMILY = { offsets: [0, 1, 2], qtys: [100, 400] };

const table = (rows: CompetitionRow[], t: string) => rows.filter((r) => r.table === t);

Deno.test("learnJob: the same job gives identical rows; another seed trains differently", () => {
  const job = {
    kind: "learn",
    taker: REACTIVE,
    n: 2,
    seed: 3,
    episodes: 60,
    evalEpisodes: 3,
    checks: 6,
    game: SMALL,
  } as const;
  const a = learnJob(job), b = learnJob(job);
  assertEquals(a, b);
  const c = learnJob({ ...job, seed: 4 });
  const ch = (rows: CompetitionRow[]) => table(rows, "checks").map((r) => r.eval_makers_pnl);
  assertTrue(ch(a).join() !== ch(c).join(), "a different seed gives a different learning curve");
  assertEquals(table(a, "checks").length, 6);
  assertEquals(table(a, "steps").length, 20);
  assertEquals(table(a, "makers").length, 2);
  const [run] = table(a, "runs");
  assertEquals(run.episodes, 60);
  assertEquals(run.states, 9_216);
  assertTrue((run.visited as number) > 0 && (run.coverage as number) < 1);
});

Deno.test("learnJob: run, maker and step rows add up and match the game", () => {
  const rows = learnJob({
    kind: "learn",
    taker: TWAP,
    n: 3,
    seed: 1,
    episodes: 30,
    evalEpisodes: 4,
    game: SMALL,
  });
  const [run] = table(rows, "runs");
  const makers = table(rows, "makers");
  const pnl = makers.reduce((s, r) => s + (r.pnl as number), 0);
  const share = makers.reduce((s, r) => s + (r.share as number), 0);
  assertAlmostEquals(run.makers_pnl as number, pnl, 1e-9);
  assertAlmostEquals((run.maker_pnl as number) * 3, pnl, 1e-9);
  assertAlmostEquals(run.makers_share as number, share, 1e-12);
  assertAlmostEquals((run.makers_share as number) + (run.background_share as number), 1, 1e-12);
  assertEquals(run.taker_cost, -(run.taker_pnl as number));
  assertTrue((run.makers_pnl as number) <= (run.taker_cost as number) + 1e-9);
  assertEquals(run.pnl_min, Math.min(...makers.map((r) => r.pnl as number)));
  const steps = table(rows, "steps");
  // Everything is sold (deadline sweep): the taker's fills over the steps add up to Q.
  assertAlmostEquals(steps.reduce((s, r) => s + (r.sold as number), 0), 2_000, 1e-9);
  const meanOffset = steps.reduce((s, r) => s + (r.offset as number), 0) / steps.length;
  assertAlmostEquals(meanOffset, run.offset as number, 1e-9);
  assertTrue(steps.every((r) => (r.resting as number) >= 0 && (r.resting as number) <= 1));
});

Deno.test("learnJob: n = 0 is the taker against the background alone", () => {
  const rows = learnJob({
    kind: "learn",
    taker: REACTIVE,
    n: 0,
    seed: 1,
    episodes: 10,
    evalEpisodes: 2,
  });
  assertEquals(table(rows, "makers").length, 0);
  assertEquals(table(rows, "checks").length, 0);
  const [run] = table(rows, "runs");
  assertEquals(run.makers_share, 0);
  assertEquals(run.background_share, 1);
  assertEquals(run.converged, false);
  assertEquals(run.maker_pnl, null);
  const s = createGame({ makers: 0, taker: REACTIVE.taker }).run("eval:1:0");
  assertAlmostEquals(run.taker_pnl as number, s.takerPnl, 1e-9);
  assertTrue(table(rows, "steps").every((r) => r.offset === null && r.best_offset !== null));
});

Deno.test("rulesJob: symmetric payoffs and deviations are the bare game's", () => {
  const rows = rulesJob({
    kind: "rules",
    taker: TWAP,
    n: 2,
    family: FAMILY,
    episodes: 2,
    seed: 1,
    game: SMALL,
  });
  const rules = familyRules(FAMILY);
  assertEquals(rows.length, rules.length ** 2);
  // Maker 0 on (2, 400) against a maker on (1, 100), replayed by hand.
  const row = rows.find((r) =>
    r.s_offset === 1 && r.s_qty === 100 && r.d_offset === 2 && r.d_qty === 400
  )!;
  const g = createGame({
    ...SMALL,
    makers: 2,
    seed: 1,
    taker: TWAP.taker,
    policy: [{ kind: "replenisher", offset: 2, qty: 400 }, {
      kind: "replenisher",
      offset: 1,
      qty: 100,
    }],
  });
  const want = (g.run("1:0").makerPnl[0] + g.run("1:1").makerPnl[0]) / 2;
  assertAlmostEquals(row.dev_pnl as number, want, 1e-12);
  assertEquals(row.sym_pnl, null);
  // All at P0 with enough quantity: the taker sells at P0, so nobody earns anything.
  const bertrand = rows.find((r) =>
    r.s_offset === 0 && r.d_offset === 0 && r.s_qty === 400 && r.d_qty === 400
  )!;
  assertAlmostEquals(bertrand.sym_pnl as number, 0, 1e-9);
  assertAlmostEquals(bertrand.taker_pnl as number, 0, 1e-9);
  // n = 1: only the diagonal.
  const one = rulesJob({
    kind: "rules",
    taker: TWAP,
    n: 1,
    family: FAMILY,
    episodes: 1,
    seed: 1,
    game: SMALL,
  });
  assertEquals(one.length, rules.length);
  assertEquals(
    rulesJob({
      kind: "rules",
      taker: TWAP,
      n: 2,
      family: FAMILY,
      episodes: 2,
      seed: 1,
      game: SMALL,
    }),
    rows,
  );
});

/** A hand-made rule game: two rules A = (1, 100) and B = (2, 100), n = 2. */
function handRules(): pl.DataFrame {
  // [s, d, dev_pnl, sym_pnl]
  const cells: [number, number, number, number | null][] = [
    [1, 1, 5, 5], // A against A: 5 each
    [1, 2, 3, null], // deviating from A to B gives 3 < 5: A is an equilibrium
    [2, 2, 8, 8], // B against B: 8 each (the best symmetric rule)
    [2, 1, 9, null], // deviating from B to A gives 9 > 8: B is not
  ];
  return pl.DataFrame([
    pl.Series("taker", cells.map(() => "hand"), pl.Utf8),
    pl.Series("n", cells.map(() => 2), pl.Int32),
    pl.Series("s_offset", cells.map((c) => c[0]), pl.Int32),
    pl.Series("s_qty", cells.map(() => 100), pl.Int32),
    pl.Series("d_offset", cells.map((c) => c[1]), pl.Int32),
    pl.Series("d_qty", cells.map(() => 100), pl.Int32),
    pl.Series("dev_pnl", cells.map((c) => c[2]), pl.Float64),
    pl.Series("sym_pnl", cells.map((c) => c[3]), pl.Float64),
    pl.Series("sym_pnl_sd", cells.map((c) => (c[3] === null ? null : 0)), pl.Float64),
    pl.Series("taker_pnl", cells.map((c) => (c[3] === null ? null : -20)), pl.Float64),
    pl.Series("makers_share", cells.map((c) => (c[3] === null ? null : 1)), pl.Float64),
  ]);
}

Deno.test("ruleBenchmarks and profit gain on a hand case", () => {
  const [b] = ruleBenchmarks(handRules()).toRecords();
  assertEquals(b.pi_m, 8);
  assertEquals(b.m_offset, 2);
  assertEquals(b.pi_n, 5);
  assertEquals(b.n_offset, 1);
  assertEquals(b.equilibria, 1);
  assertEquals(b.br_offset, 1);
  assertEquals(b.br_gain, 1);
  // No offset-0 rule in this family: no Bertrand benchmark.
  assertEquals(b.pi_b, null);
  // With a tolerance of 1 the deviation from B no longer counts: B is an equilibrium too.
  const [loose] = ruleBenchmarks(handRules(), { tol: 1 }).toRecords();
  assertEquals([loose.equilibria, loose.pi_n], [2, 8]);

  assertEquals(profitGain({ pi: 6.5, piN: 5, piM: 8 }), 0.5);
  assertEquals(profitGain({ pi: 5, piN: 5, piM: 8 }), 0);
  assertEquals(profitGain({ pi: 9.5, piN: 5, piM: 8 }), 1.5);
  assertTrue(Number.isNaN(profitGain({ pi: 6, piN: 8, piM: 8 })), "undefined when π_M = π_N");
  const runs = pl.DataFrame([
    pl.Series("taker", ["hand", "hand", "hand"], pl.Utf8),
    pl.Series("n", [2, 2, 0], pl.Int32),
    pl.Series("seed", [1, 2, 1], pl.Int32),
    pl.Series("maker_pnl", [6.5, 3.5, null], pl.Float64),
  ]);
  const g = profitGains(runs, ruleBenchmarks(handRules())).toRecords();
  assertEquals(g.length, 2, "n = 0 has no makers and no Δ");
  assertEquals(g.map((r) => r.delta_n), [0.5, -0.5]);
  assertEquals(g.map((r) => r.delta_b), [null, null]);
});

Deno.test("ruleBenchmarks on the game: all at P0 earns nothing and is an equilibrium", () => {
  const rows = rulesJob({
    kind: "rules",
    taker: TWAP,
    n: 2,
    family: FAMILY,
    episodes: 1,
    seed: 1,
  });
  const [b] = ruleBenchmarks(competitionStudy.fromRows(rows).rules).toRecords();
  assertAlmostEquals(b.pi_b as number, 0, 1e-9);
  assertEquals(b.b_is_eq, true);
  assertEquals(b.b_qty, 400);
  assertTrue((b.pi_m as number) > 0 && (b.pi_m as number) >= (b.pi_n as number));
  // The collusive rule is not an equilibrium: undercutting it pays.
  assertTrue((b.br_gain as number) > 0);
});

Deno.test("competitionJobs: order, defaults and validation", () => {
  const jobs = competitionJobs({
    takers: [REACTIVE, TWAP],
    ns: [0, 1, 3],
    seeds: 2,
    episodes: [5, 6, 7],
    evalEpisodes: 1,
  });
  const names = jobs.map((j) => `${j.kind}:${j.taker.label}:${j.n}`);
  assertEquals(names.slice(0, 6), [
    "learn:reactive:3",
    "learn:reactive:3",
    "rules:reactive:3",
    "learn:TWAP:3",
    "learn:TWAP:3",
    "rules:TWAP:3",
  ]);
  assertEquals(jobs.length, 3 * 2 * 2 + 2 * 2);
  const learn = jobs.find((j) => j.kind === "learn" && j.n === 1)!;
  assertEquals(learn.kind === "learn" && learn.episodes, 6);
  const rules = jobs.find((j) => j.kind === "rules")!;
  assertEquals(rules.kind === "rules" && rules.family, DEFAULT_FAMILY);
  const base = { takers: [REACTIVE], ns: [1], seeds: 1, episodes: 1, evalEpisodes: 1 };
  const bad: [Record<string, unknown>, string][] = [
    [{ ns: [-1] }, "ns[0]"],
    [{ ns: [] }, "ns"],
    [{ seeds: 0 }, "seeds"],
    [{ episodes: [1, 2] }, "episodes"],
    [{ takers: [] }, "takers"],
    [{ takers: [REACTIVE, REACTIVE] }, "takers[].label"],
    [{ family: { offsets: [], qtys: [100] } }, "family"],
    [{ evalEpisodes: 0 }, "evalEpisodes"],
    [
      { takers: [{ label: "r", taker: { kind: "reactive", maxwalk: 2 } }] },
      "takers[0].taker.maxwalk",
    ],
    [{ takers: [{ label: "r", taker: { kind: "twap" } }] }, "takers[0].taker.kind"],
    [{ game: { steps: 0 } }, "game.steps"],
    [{ game: { stpes: 60 } }, "game.stpes"],
    [{ game: { makers: 2 } }, "game.makers"],
    [{ checks: 0 }, "checks"],
  ];
  for (const [patch, field] of bad) {
    const e = assertThrows(() => competitionJobs({ ...base, ...patch } as never), ConfigError);
    assertEquals((e as ConfigError).field, field);
  }
  const e = assertThrows(() => competitionJob({ kind: "nope" } as never), ConfigError);
  assertEquals((e as ConfigError).field, "job.kind");
});

Deno.test("competitionStudy: no rows gives every table with its columns", () => {
  const f = competitionStudy.fromRows([]);
  assertEquals(f.runs.height, 0);
  assertTrue(f.runs.columns.includes("maker_pnl") && f.rules.columns.includes("dev_pnl"));
  assertEquals(f.runs.getColumn("n").dtype.variant, "Int32");
});

Deno.test({
  name: "runCompetition: the tables, sorted, equal to the jobs run here",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const options = {
      takers: [TWAP],
      ns: [0, 2],
      seeds: 2,
      episodes: 20,
      evalEpisodes: 2,
      checks: 4,
      family: { offsets: [0, 1], qtys: [200] },
      ruleEpisodes: 1,
      game: SMALL,
    };
    const one = await runCompetition({ ...options, workers: 0 });
    assertEquals(one.runs.height, 4);
    assertEquals(one.runs.getColumn("n").toArray(), [0, 0, 2, 2]);
    assertEquals(one.rules.height, 4);
    // The worker's result equals the same job run here.
    const here = learnJob({
      kind: "learn",
      taker: TWAP,
      n: 2,
      seed: 2,
      episodes: 20,
      evalEpisodes: 2,
      checks: 4,
      game: SMALL,
    });
    const [run] = table(here, "runs");
    const [fromWorker] = one.runs.filter(pl.col("n").eq(2).and(pl.col("seed").eq(2))).toRecords();
    assertAlmostEquals(fromWorker.makers_pnl as number, run.makers_pnl as number, 1e-12);
  },
});

Deno.test("summaries: means by n, falls with n, the verdict and the tables", () => {
  const runs = pl.DataFrame({
    taker: ["t", "t", "t", "t", "t", "t"],
    n: [0, 0, 1, 1, 2, 2],
    seed: [1, 2, 1, 2, 1, 2],
    ...Object.fromEntries(RUN_COLUMNS.map((c) => [c, [0, 0, 1, 1, 2, 2].map(() => 1)])),
  }).withColumns(
    pl.Series("makers_pnl", [0, 0, 10, 12, 8, 8]),
    pl.Series("taker_cost", [30, 30, 20, 22, 15, 15]),
  );
  const s = competitionSummary(runs);
  const S = s.toRecords();
  assertEquals(meanAt(S, "t", 1, "makers_pnl"), 11);
  assertTrue(fallsWithN(S, { taker: "t", ns: [1, 2], col: "taker_cost" }));
  assertEquals(competitionVerdict(S, "t", 2), "hurts the makers and helps the taker");
  const table = competitionTable(s, "t").toRecords();
  assertEquals(table.length, 3);
  assertEquals(table[1]["total maker PnL ($)"], "11.00 ± 12.71");
});

Deno.test("summaries: index gap, bid phases, relative curves and their ends", () => {
  const makers = pl.DataFrame({
    taker: ["t", "t", "t", "t"],
    n: [2, 2, 2, 2],
    seed: [1, 1, 2, 2],
    maker: [0, 1, 0, 1],
    pnl: [5, 3, 6, 3],
  });
  const gap = indexGap(makers, { taker: "t", n: 2 });
  assertEquals([gap.diff_mean, Number(gap.diff_n)], [2.5, 2]);
  const steps = pl.DataFrame({
    taker: ["t", "t", "t"],
    n: [1, 1, 1],
    step: [0, 1, 2],
    offset_mean: [1, 2, 4],
  });
  assertEquals(bidPhases(steps, { taker: "t", ns: [1], lastStep: 2 }), {
    1: { early: 1.5, late: 4 },
  });
  const checks = pl.DataFrame({
    taker: ["t", "t", "t", "t"],
    n: [2, 2, 2, 2],
    seed: [1, 1, 2, 2],
    episode: [10, 20, 10, 20],
    eval_makers_pnl: [4, 8, 4, 4],
    policy_change: [0.5, 0.1, 0.5, 0.1],
  });
  const bench = pl.DataFrame({ taker: ["t"], n: [2], pi_m: [4] });
  const curves = relativeCurves(checks, bench);
  assertEquals(curves.getColumn("rel_mean").toArray(), [0.5, 0.75]);
  assertEquals(curveEnds(curves, { taker: "t", ns: [2] })[2], {
    first: 0.5,
    last: 0.75,
    peak: 0.75,
    peakEpisode: 20,
  });
});

Deno.test("summaries: benchmark facts, tolerance changes, Δ verdicts and the evidence", () => {
  const bench = pl.DataFrame({
    taker: ["t", "t"],
    n: [2, 3],
    m_offset: [3, 3],
    m_qty: [100, 100],
    n_offset: [1, 0],
    pi_n: [2, 0],
    br_offset: [1, 2],
  });
  const f = benchmarkFacts(bench, { taker: "t", ns: [2, 3] });
  assertEquals([f.atP0, f.above, f.sameRule, f.undercut], [[3], [2], true, true]);
  const loose = bench.withColumns(pl.Series("pi_n", [2, 0.5]));
  assertEquals(toleranceChanges(bench, loose).map((r) => [r.n, r.strict_pi_n, r.pi_n]), [[
    3,
    0,
    0.5,
  ]]);
  assertEquals(deltaVerdict({ delta_n_mean: null }), "undefined");
  assertEquals(deltaVerdict({ delta_n_mean: 0.5, delta_n_lo: 0.1, delta_n_hi: 0.9 }), "above");
  const gains = pl.DataFrame({
    taker: ["t", "t"],
    n: [2, 3],
    delta_n_mean: [0.5, 0.3],
    delta_n_lo: [0.1, 0.2],
    delta_n_hi: [0.9, 0.4],
    delta_b_mean: [0.6, 0.3],
  });
  const summary = pl.DataFrame({ taker: ["t", "t"], n: [2, 3], offset_mean: [0.8, 0.9] });
  assertEquals(
    collusionEvidence({ gains, benchmarks: bench, summary, taker: "t", ns: [2, 3] }),
    { positiveAtP0: [3], coordination: true, shrinks: true, closer: true },
  );
  const points = perMakerPoints(
    pl.DataFrame({ taker: ["t", "t"], n: [2, 2], maker: [0, 1], pnl: [1, 2] }),
    bench.withColumns(pl.Series("pi_m", [5, 6])),
    [1, 2, 3],
  );
  assertEquals(points.makers.map((r) => r.x), [0.7, 1.3]);
  assertEquals(points.benchmarks.map((r) => [r.x, r.bench]), [
    [1, "π_M (collusive)"],
    [1, "π_N (competitive)"],
    [2, "π_M (collusive)"],
    [2, "π_N (competitive)"],
  ]);
});
