/**
 * Tests of `lib/experiments/competition.ts` (notebook 04): determinism of the learning and
 * fixed-rule jobs (also across worker counts), the accounting of their rows against the bare
 * game, the benchmarks and the profit gain Δ on a hand-made rule game, job order and validation.
 */
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { createGame } from "../lib/game/mod.ts";
import {
  competitionJob,
  competitionJobs,
  type CompetitionRow,
  DEFAULT_FAMILY,
  familyRules,
  learnJob,
  profitGain,
  profitGains,
  ruleBenchmarks,
  rulesJob,
  runCompetition,
  splitCompetition,
} from "../lib/experiments/competition.ts";
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
  const ch = (rows: CompetitionRow[]) => table(rows, "check").map((r) => r.eval_makers_pnl);
  assertTrue(ch(a).join() !== ch(c).join(), "a different seed gives a different learning curve");
  assertEquals(table(a, "check").length, 6);
  assertEquals(table(a, "step").length, 20);
  assertEquals(table(a, "maker").length, 2);
  const [run] = table(a, "run");
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
  const [run] = table(rows, "run");
  const makers = table(rows, "maker");
  const pnl = makers.reduce((s, r) => s + (r.pnl as number), 0);
  const share = makers.reduce((s, r) => s + (r.share as number), 0);
  assertAlmostEquals(run.makers_pnl as number, pnl, 1e-9);
  assertAlmostEquals((run.maker_pnl as number) * 3, pnl, 1e-9);
  assertAlmostEquals(run.makers_share as number, share, 1e-12);
  assertAlmostEquals((run.makers_share as number) + (run.background_share as number), 1, 1e-12);
  assertEquals(run.taker_cost, -(run.taker_pnl as number));
  assertTrue((run.makers_pnl as number) <= (run.taker_cost as number) + 1e-9);
  assertEquals(run.pnl_min, Math.min(...makers.map((r) => r.pnl as number)));
  const steps = table(rows, "step");
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
  assertEquals(table(rows, "maker").length, 0);
  assertEquals(table(rows, "check").length, 0);
  const [run] = table(rows, "run");
  assertEquals(run.makers_share, 0);
  assertEquals(run.background_share, 1);
  assertEquals(run.converged, false);
  assertEquals(run.maker_pnl, null);
  const s = createGame({ makers: 0, taker: REACTIVE.taker }).run("eval:1:0");
  assertAlmostEquals(run.taker_pnl as number, s.takerPnl, 1e-9);
  assertTrue(table(rows, "step").every((r) => r.offset === null && r.best_offset !== null));
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
  const [b] = ruleBenchmarks(splitCompetition(pl.DataFrame(rows)).rules).toRecords();
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
  ];
  for (const [patch, field] of bad) {
    const e = assertThrows(() => competitionJobs({ ...base, ...patch } as never), ConfigError);
    assertEquals((e as ConfigError).field, field);
  }
  const e = assertThrows(() => competitionJob({ kind: "nope" } as never), ConfigError);
  assertEquals((e as ConfigError).field, "job.kind");
});

Deno.test("splitCompetition: an empty frame keeps every table's columns", () => {
  const f = splitCompetition(pl.DataFrame([pl.Series("job", new Int32Array(0))]));
  assertEquals(f.runs.height, 0);
  assertTrue(f.runs.columns.includes("maker_pnl") && f.rules.columns.includes("dev_pnl"));
  assertEquals(f.runs.getColumn("n").dtype.variant, "Int32");
});

Deno.test({
  name: "runCompetition: the frames are identical with 1 and 2 workers",
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
    const one = await runCompetition({ ...options, workers: 1 });
    const two = await runCompetition({ ...options, workers: 2 });
    for (const k of ["runs", "makers", "checks", "steps", "rules"] as const) {
      assertEquals(one[k].toRecords(), two[k].toRecords(), k);
    }
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
    const [run] = table(here, "run");
    const [fromWorker] = one.runs.filter(pl.col("n").eq(2).and(pl.col("seed").eq(2))).toRecords();
    assertAlmostEquals(fromWorker.makers_pnl as number, run.makers_pnl as number, 1e-12);
  },
});
