/**
 * Tests of `lib/experiments/game_learning/` (notebooks 02 and 03): determinism of a learning
 * job, the study's tables, common random numbers in the tests of policies,
 * learning-curve block means against the training records, saved runs that replay to the same
 * test result, the exact check against the DP, paired differences, policy cells and agreement,
 * and input validation. Tiny budgets (10-step games, tens of episodes).
 */
import {
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  assertTrue,
  throwsUnknown,
} from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { plot } from "../lib/report/mod.ts";
import { playEpisodes } from "../lib/game/mod.ts";
import {
  exactOptimum,
  greedyPolicies,
  loadRun,
  smallExactConfig,
  trainMakers,
} from "../lib/makers/mod.ts";
import {
  bestBaseline,
  comparisonFacts,
  convergenceFacts,
  convergenceSummary,
  convergenceTable,
  curveFacts,
  DEFAULT_BASELINES,
  exactJob,
  exactJobs,
  exactStudy,
  type MakerLearnJob,
  makerLearnJob,
  makerLearnJobs,
  type MakerLearnJobsOptions,
  makerLearnStudy,
  mapFacts,
  policyAgreement,
  policyCells,
  policyMapPlot,
  type StudyRow,
  takerCostFacts,
  testMeans,
  testPolicies,
  testTable,
  valueAtSize,
  versusBaselines,
} from "../lib/experiments/mod.ts";
import { pl } from "../lib/report/mod.ts";

const SMALL = { steps: 10 } as const;
const GAME1 = { kind: "known", size: 1_000 } as const;
const GAME2 = { kind: "hidden", size: { kind: "uniform", min: 500, max: 1_500 } } as const;
const AGGRESSIVE = { label: "aggressive", taker: { kind: "aggressive" } } as const;
const PASSIVE = { label: "passive", taker: { kind: "passive" } } as const;

const job = (over: Partial<MakerLearnJob> = {}): MakerLearnJob => ({
  game: "game 1",
  spec: GAME1,
  taker: AGGRESSIVE,
  seed: 3,
  episodes: 60,
  evalEvery: 20,
  evalEpisodes: 2,
  testEpisodes: 3,
  gameOptions: SMALL,
  ...over,
});

const of = (rows: StudyRow[], table: string) => rows.filter((r) => r.table === table);

async function rejects(p: () => Promise<unknown>, field: string): Promise<void> {
  try {
    await p();
  } catch (e) {
    assertTrue(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    assertTrue((e as ConfigError).field === field, `field ${(e as ConfigError).field}`);
    return;
  }
  throw new Error(`expected a ConfigError on ${field}`);
}

Deno.test("makerLearnJob: the same job gives identical rows; another seed learns differently", async () => {
  const a = await makerLearnJob(job());
  const b = await makerLearnJob(job());
  assertEquals(a, b);
  const c = await makerLearnJob(job({ seed: 4 }));
  assertTrue(
    JSON.stringify(of(a, "curves").map((r) => r.train_pnl)) !==
      JSON.stringify(of(c, "curves").map((r) => r.train_pnl)),
    "a different seed explores differently",
  );
  // Every table is there, with the keys on every row.
  assertEquals([...new Set(a.map((r) => r.table))].sort(), ["curves", "maps", "runs", "tests"]);
  for (const r of a) {
    assertEquals([r.game, r.size_visible, r.taker, r.seed], ["game 1", true, "aggressive", 3]);
  }
  assertEquals(of(a, "curves").map((r) => r.episode), [20, 40, 60]);
  assertEquals(of(a, "tests").map((r) => r.policy), [
    "learned",
    ...DEFAULT_BASELINES.map((b) => b.label),
  ]);
});

Deno.test("makerLearnJob: curve rows are block means of the training records", async () => {
  const rows = await makerLearnJob(job({ map: false }));
  const run = trainMakers({
    label: "x",
    game: { ...SMALL, makers: 1, seed: 3, game: GAME1 },
    taker: AGGRESSIVE.taker,
    policy: { kind: "q" },
    episodes: 60,
    evalEvery: 20,
    evalEpisodes: 2,
  });
  const maker = run.records.filter(pl.col("agent").eq(pl.lit("maker:0")));
  const pnl = maker.getColumn("pnl").toArray() as number[];
  const curve = of(rows, "curves");
  for (let c = 0; c < 3; c++) {
    const block = pnl.slice(20 * c, 20 * (c + 1));
    assertAlmostEquals(curve[c].train_pnl as number, block.reduce((s, x) => s + x, 0) / 20, 1e-9);
  }
  assertAlmostEquals(curve[2].eval_pnl as number, run.final.makerPnl[0], 1e-12);
  const [r] = of(rows, "runs");
  assertEquals(r.converged, run.convergence.met);
  assertEquals(r.checks, 3);
  assertEquals(r.final_eval_pnl, run.final.makerPnl[0]);
  assertTrue((r.visited as number) > 0 && (r.visited as number) <= (r.states as number));
});

Deno.test("testPolicies: common seeds, order-independent, no-maker row, means of the summaries", () => {
  const game = { ...SMALL, game: GAME2 };
  const both = testPolicies({
    game,
    taker: PASSIVE.taker,
    policies: DEFAULT_BASELINES,
    episodes: 4,
    seed: "test:1",
  });
  const alone = testPolicies({
    game,
    taker: PASSIVE.taker,
    policies: [DEFAULT_BASELINES[1]],
    episodes: 4,
    seed: "test:1",
  });
  assertEquals(alone[0], both[1], "a policy's result does not depend on the others tested");
  // The replenisher's means equal playEpisodes' summaries on the same seed.
  const ref = playEpisodes({
    ...game,
    makers: 1,
    seed: "test:1",
    policy: { kind: "replenisher" },
    taker: PASSIVE.taker,
  }, { episodes: 4 });
  const mean = (f: (s: (typeof ref.summaries)[number]) => number) =>
    ref.summaries.reduce((s, x) => s + f(x), 0) / 4;
  assertAlmostEquals(both[0].maker_pnl as number, mean((s) => s.makerPnl[0]), 1e-9);
  assertAlmostEquals(both[0].taker_pnl as number, mean((s) => s.takerPnl), 1e-9);
  assertTrue((both[0].maker_pnl_sd as number) > 0, "game 2 sizes vary: so does the PnL");
  // No maker: the taker against the background alone.
  const none = both[3];
  assertEquals([none.policy, none.maker_pnl, none.bid_offset, none.act_up], [
    "none",
    null,
    null,
    null,
  ]);
  const alone0 = playEpisodes({ ...game, makers: 0, seed: "test:1", taker: PASSIVE.taker }, {
    episodes: 4,
  });
  assertAlmostEquals(
    none.taker_pnl as number,
    alone0.summaries.reduce((s, x) => s + x.takerPnl, 0) / 4,
    1e-9,
  );
  // Action shares sum to one; the replenisher never moves its price from its start.
  const acts = Object.keys(both[0]).filter((k) => k.startsWith("act_"));
  assertEquals(acts.length, 7);
  assertAlmostEquals(acts.reduce((s, k) => s + (both[0][k] as number), 0), 1, 1e-12);
  assertEquals([both[0].act_up, both[0].act_down, both[0].bid_offset], [0, 0, 1]);
});

Deno.test("testPolicies: game 1 with the default market is deterministic", () => {
  const [r] = testPolicies({
    game: { ...SMALL, game: GAME1 },
    taker: AGGRESSIVE.taker,
    policies: [DEFAULT_BASELINES[0]],
    episodes: 5,
    seed: 9,
  });
  assertEquals(r.maker_pnl_sd, 0);
  assertTrue((r.maker_pnl as number) > 0);
});

Deno.test("makerLearnJob: tests in other games, sizes, and a saved run that replays the same", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = await makerLearnJob(job({
      game: "game 2",
      spec: GAME2,
      tests: [
        { label: "own", game: GAME2 },
        { label: "Q=800", game: { kind: "hidden", size: { kind: "fixed", value: 800 } } },
      ],
      baselines: [DEFAULT_BASELINES[0]],
      save: `${dir}/run`,
    }));
    const tests = of(rows, "tests");
    assertEquals(tests.map((r) => `${r.test}|${r.size}|${r.policy}`), [
      "own|null|learned",
      "own|null|replenisher",
      "Q=800|800|learned",
      "Q=800|800|replenisher",
    ]);
    assertTrue(rows.every((r) => r.size_visible === false));
    // A baseline does not see the size: hidden and known games of one size are the same to it.
    const [known] = testPolicies({
      game: { ...SMALL, game: { kind: "known", size: 800 } },
      taker: AGGRESSIVE.taker,
      policies: [DEFAULT_BASELINES[0]],
      episodes: 3,
      seed: "test:3",
    });
    const {
      table: _t,
      test: _s,
      size: _z,
      game: _g,
      size_visible: _v,
      taker: _k,
      seed: _d,
      ...hidden
    } = tests[3];
    assertEquals(hidden, known, "the replenisher ignores the size's visibility");
    // The game-2 map has no remaining-size feature.
    assertTrue(of(rows, "maps").every((r) => !("remaining" in r)));
    // The saved run: records at the checks only, and its greedy policy replays the test.
    const back = await loadRun(`${dir}/run`);
    assertEquals(back.records.height, 3 * 2);
    const { policy } = greedyPolicies(back);
    const [replay] = testPolicies({
      game: { ...SMALL, game: GAME2 },
      taker: AGGRESSIVE.taker,
      policies: [{ label: "learned", spec: policy[0] }],
      episodes: 3,
      seed: "test:3",
    });
    assertEquals(replay.maker_pnl, tests[0].maker_pnl);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("makerLearnStudy: jobs in order, one table per kind of row", async () => {
  const jobs = makerLearnJobs({
    games: [{ label: "game 1", game: GAME1 }, { label: "game 2", game: GAME2 }],
    takers: [AGGRESSIVE, PASSIVE],
    seeds: 2,
    settings: {
      episodes: 30,
      evalEvery: 10,
      evalEpisodes: 1,
      testEpisodes: 2,
      gameOptions: SMALL,
    },
  });
  assertEquals(jobs.length, 8);
  assertEquals(
    jobs.map((j) => `${j.game}/${j.taker.label}/${j.seed}`).slice(0, 3),
    ["game 1/aggressive/0", "game 1/aggressive/1", "game 1/passive/0"],
  );
  const one = await makerLearnStudy({ jobs, workers: 0 });
  assertEquals(one.runs.height, 8);
  assertEquals(one.runs.getColumn("seed").dtype.variant, "Int32");
  assertEquals(one.tests.height, 8 * 5);
  assertEquals(one.curves.height, 8 * 3);
  assertTrue(!one.curves.columns.includes("test"), "columns of other tables are dropped");
  // Game 2 maps carry no remaining size; game 1 maps do.
  const g2 = one.maps.filter(pl.col("game").eq(pl.lit("game 2")));
  assertEquals(g2.getColumn("remaining").nullCount(), g2.height);
  assertThrows(
    () =>
      makerLearnJobs({
        games: [{ label: "g", game: GAME1 }],
        takers: [AGGRESSIVE, AGGRESSIVE],
        seeds: 1,
        settings: { episodes: 1 },
      }),
    ConfigError,
    "takers[1].label",
  );
});

Deno.test("makerLearnJobs: the nested settings are checked with their paths before any job runs", () => {
  const base = () => ({
    games: [{ label: "g", game: GAME1 }],
    takers: [AGGRESSIVE],
    seeds: 1,
    settings: { episodes: 1 } as MakerLearnJobsOptions["settings"],
  });
  const bad = (over: Record<string, unknown>) => () =>
    makerLearnJobs({ ...base(), ...over } as MakerLearnJobsOptions);
  throwsUnknown(
    bad({ takers: [{ label: "t", taker: { kind: "passive", maxwalk: 2 } }] }),
    "takers[0].taker.maxwalk",
    "maxWalk",
  );
  throwsUnknown(bad({ settings: { episodes: 1, lerner: {} } }), "settings.lerner", "learner");
  throwsUnknown(
    bad({ settings: { episodes: 1, learner: { epsilnon: 0.1 } } }),
    "settings.learner.epsilnon",
    "epsilon",
  );
  assertThrows(
    bad({ settings: { episodes: 1, gameOptions: { steps: 0 } } }),
    ConfigError,
    "settings.gameOptions.steps: must be",
  );
  assertThrows(
    bad({ settings: { episodes: 1, gameOptions: { seed: 1 } } }),
    ConfigError,
    "settings.gameOptions.seed: must be absent",
  );
  assertThrows(
    bad({ settings: { episodes: 1, baselines: [{ label: "r", spec: { kind: "replenishr" } }] } }),
    ConfigError,
    "settings.baselines[0].spec.kind",
  );
  assertThrows(
    bad({ games: [{ label: "g", game: { kind: "known", size: "1" } }] }),
    ConfigError,
    "games[0].game.size",
  );
  assertThrows(bad({ tests: { h: [] } }), ConfigError, "tests.h: must be a training game's label");
  assertThrows(
    () => exactJobs({ takers: [{ label: "t", taker: { kind: "pasive" } }], seeds: 1 } as never),
    ConfigError,
    "takers[0].taker.kind",
  );
});

Deno.test("exactJob: the optimum is the DP's for every seed; the gap is never negative", async () => {
  const rows = await exactStudy({
    takers: [PASSIVE],
    seeds: 2,
    steps: 3,
    episodes: 400,
    workers: 0,
  });
  const opt = exactOptimum(smallExactConfig({ steps: 3 }));
  assertEquals(rows.height, 2);
  for (const r of rows.toRecords()) {
    assertAlmostEquals(r.optimal as number, opt.value, 1e-12);
    assertTrue((r.gap as number) >= -1e-9, "V* ≥ the learner's value");
    assertAlmostEquals((r.optimal as number) - (r.learned as number), r.gap as number, 1e-12);
    assertEquals((r.optimal_actions as string).split(" ").length, 3);
    assertEquals(r.verify_mismatches, 0);
  }
  const { table, ...row } = exactJob({ taker: PASSIVE, seed: 1, steps: 3, episodes: 400 })[0];
  assertEquals([table, row], ["exact", rows.toRecords()[1]]);
});

Deno.test("policyCells and policyAgreement on hand-built maps", () => {
  const maps = pl.DataFrame({
    game: ["g1", "g1", "g1", "g1", "g2", "g2", "g2"],
    seed: [0, 0, 1, 1, 0, 0, 1],
    time: ["late", "late", "late", "early", "late", "early", "late"],
    ownBid: ["none", "none", "none", "none", "none", "none", "none"],
    remaining: ["0", "9", "9", "9", null, null, null],
    visits: [10, 30, 20, 40, 5, 5, 5],
    action_name: ["up", "down", "up", "keep_qty", "down", "up", "up"],
    q_margin: [0, 1, 1, 1, 1, 1, 0],
  });
  const cells = policyCells(maps, { x: "time", y: "ownBid", by: ["game"] }).toRecords();
  const late = cells.find((c) => c.game === "g1" && c.time === "late")!;
  // Decisive visits: 30 down (seed 0), 20 up (seed 1); the indifferent 10 count in visits only.
  assertEquals([late.action, late.share, late.visits, late.decisive, late.states], [
    "down",
    0.6,
    60,
    50 / 60,
    3,
  ]);
  const g2late = cells.find((c) => c.game === "g2" && c.time === "late")!;
  assertEquals([g2late.action, g2late.share], ["down", 1]);
  assertEquals(cells.map((c) => `${c.game}:${c.time}`), [
    "g1:early",
    "g1:late",
    "g2:early",
    "g2:late",
  ]);
  const agree = policyAgreement(maps, {
    a: { game: "g1" },
    b: { game: "g2" },
    on: ["seed"],
    features: ["time", "ownBid"],
  }).toRecords();
  // Seed 0: the decisive g1 state (late, 30 visits) matches g2's "down": full agreement.
  // Seed 1: late (20, "up") meets an indifferent g2 state; early (40) has no g2 state at all.
  assertEquals(agree, [
    { seed: 0, matched: 1, agreement: 1 },
    { seed: 1, matched: 0, agreement: null },
  ]);
  assertThrows(() => policyCells(maps, { x: "nope", y: "ownBid", by: [] }), ConfigError, "maps");
});

Deno.test("makerLearnJob: bad input names the field", async () => {
  await rejects(
    () => makerLearnJob(job({ tests: [{ label: "x", game: GAME2 }] })),
    "tests[0].game.kind",
  );
  await rejects(() => makerLearnJob(job({ seed: -1 })), "seed");
  await rejects(() => makerLearnJob(job({ episodes: 0 })), "episodes");
  await rejects(() => makerLearnJob(job({ testEpisodes: 0 })), "testEpisodes");
  await rejects(
    () =>
      makerLearnJob(job({ gameOptions: { ...SMALL, makers: 2 } as MakerLearnJob["gameOptions"] })),
    "gameOptions.makers",
  );
  await rejects(
    () => makerLearnJob(job({ taker: { label: 3 } as unknown as MakerLearnJob["taker"] })),
    "taker.label",
  );
  assertThrows(
    () => testPolicies({ game: SMALL, taker: PASSIVE.taker, policies: [], episodes: 0, seed: 0 }),
    ConfigError,
    "episodes",
  );
});

Deno.test("summaries: curve facts, best baseline, crossing, peak and the fall below it", () => {
  const band = pl.DataFrame({
    taker: ["a", "a", "a"],
    episode: [10, 20, 30],
    eval_pnl_mean: [5, 9, 7],
    eval_pnl_hi: [6, 10, 7.5],
    train_pnl_mean: [1, 8, 7],
  });
  const means = [
    { taker: "a", policy: "replenisher", maker_pnl_mean: 6 },
    { taker: "a", policy: "follower", maker_pnl_mean: 4 },
  ];
  const f = curveFacts(band, means, ["a"]).a;
  assertEquals([f.bestBase, f.bestBasePnl, f.crossing, f.peak, f.peakEpisode], [
    "replenisher",
    6,
    20,
    9,
    20,
  ]);
  assertEquals([f.first, f.last, f.lastHalf, f.gapFirst, f.gapLast, f.fell], [
    5,
    7,
    0.5,
    4,
    0,
    true,
  ]);
});

Deno.test("summaries: comparison with the baselines paired by seed, and the tables", () => {
  const tests = pl.DataFrame({
    taker: ["a", "a", "a", "a", "a", "a", "a", "a"],
    seed: [0, 1, 0, 1, 0, 1, 0, 1],
    policy: ["learned", "learned", "replenisher", "replenisher", "follower", "follower", "random"]
      .concat("random"),
    maker_pnl: [10, 12, 9, 9, 11, 13, 1, 2],
    taker_pnl: [-20, -20, -10, -10, -15, -15, -5, -5],
    maker_share: [0.5, 0.5, 0.6, 0.6, 0.4, 0.4, 0.1, 0.1],
  });
  const means = testMeans(tests, ["maker_pnl", "taker_pnl", "maker_share"]).toRecords();
  assertEquals(bestBaseline(means, "a"), "follower");
  const f = comparisonFacts(means, versusBaselines(tests), ["a"]).a;
  // learned − follower: −1 in both seeds (sd 0): a tight interval below 0.
  assertEquals([f.bestBase, f.beats, f.diff.follower.mean, f.diff.replenisher.mean], [
    "follower",
    false,
    -1,
    2,
  ]);
  const t = testTable([{ rows: means }], {
    takers: ["a"],
    policies: ["learned", "random"],
    cols: { "PnL": "maker_pnl" },
  }).toRecords();
  assertEquals(t, [{ taker: "a", maker: "learned", PnL: "11.00 ± 12.71" }, {
    taker: "a",
    maker: "random",
    PnL: "1.50 ± 6.35",
  }]);
  // The learned maker takes a smaller share and the taker pays more than with the replenisher.
  assertEquals(takerCostFacts(means, ["a"]), { larger: [], smaller: ["a"], cheaper: [] });
});

Deno.test("summaries: convergence facts and table; map facts; what the size is worth", () => {
  const runs = pl.DataFrame({
    taker: ["a", "a"],
    converged: [true, false],
    converged_episode: [40, null],
    final_policy_change: [0.01, 0.09],
    visited: [10, 14],
    final_coverage: [0.1, 0.14],
  });
  const conv = convergenceSummary(runs, ["taker"]);
  const diag = pl.DataFrame({
    taker: ["a", "a"],
    episode: [10, 20],
    coverage_mean: [0.05, 0.12],
    mean_abs_dq_mean: [2, 0.5],
  });
  const v = convergenceFacts(conv, diag, { takers: ["a"], seeds: 2 }).a;
  assertEquals([v.converged, v.episode, v.visited, v.dqRatio], [1, 40, 12, 0.25]);
  assertAlmostEquals(v.lastChange, 0.05, 1e-12);
  assertEquals(convergenceTable(conv, { takers: ["a"], seeds: 2, states: () => 100 }).toRecords(), [
    {
      taker: "a",
      "runs converged": "1 of 2",
      "episode met (mean)": "40",
      "last policy change": "5.0% ± 50.8%",
      "states visited": "12 of 100 (12.0%)",
    },
  ]);
  const cells = pl.DataFrame({
    ownBid: ["≥ 2", "≥ 2", "1", "none"],
    action: ["up", "down", "up", "indifferent"],
    share: [0.95, 0.4, 0.6, null],
  });
  assertEquals(mapFacts(cells), { deep: 2, deepUp: 1, decisive: 3, firm: 1, weak: 1 });
  const tests = pl.DataFrame({
    taker: ["a", "a", "a", "a"],
    test: ["Q=1", "Q=1", "Q=1", "Q=1"],
    seed: [0, 1, 0, 1],
    size_visible: [true, true, false, false],
    policy: ["learned", "learned", "learned", "learned"],
    maker_pnl: [5, 7, 4, 4],
  });
  const [r] = valueAtSize(tests, { sizes: ["Q=1"], value: "maker_pnl" }).toRecords();
  assertEquals([r.a_mean, r.b_mean, r.diff_mean], [6, 4, 2]);
});

Deno.test("policyMapPlot: one facet per taker (and game), a cell and a share per map cell", () => {
  const cells = pl.DataFrame({
    taker: ["a", "b"],
    time: ["≥ 31", "≤ 1"],
    ownBid: ["none", "at best"],
    action: ["up", "indifferent"],
    share: [0.75, null],
  });
  const svg = plot(policyMapPlot(cells, { takers: ["a", "b"], seeds: 2, title: "map" })).svg;
  assertTrue(svg.includes(">75%<") && svg.includes(">map<"), "the share and the title are drawn");
});
