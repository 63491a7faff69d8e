/**
 * Tests of `lib/experiments/takers/` (notebook 05): determinism and worker-count independence,
 * common evaluation episodes, accounting identities between the play and step rows, the
 * co-learning job, the summaries (`settingRows`, `bestOf`) on hand-made frames, and validation.
 * Tiny budgets (10-step games, small sizes).
 */
import {
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  assertTrue,
  throwsUnknown,
} from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { createGame } from "../lib/game/mod.ts";
import { pl } from "../lib/report/mod.ts";
import {
  ADAPTED,
  againstTaker,
  bestOf,
  coLearningFacts,
  crossFacts,
  crossSummary,
  crossText,
  LEARNING_TAKER,
  MISMATCHED,
  rankingFacts,
  settingRows,
  tailEvaluation,
  type TakerJob,
  takerJob,
  takerJobs,
  takerStudy,
  takerStudyDef,
  type TakerStudySettings,
  trainingTable,
  verdictTable,
} from "../lib/experiments/mod.ts";

const TAKERS = [
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "TWAP", taker: { kind: "passive" } },
  { label: "reactive", taker: { kind: "reactive" } },
] as const;
const GAME1 = { label: "game 1", game: { kind: "known", size: 600 } } as const;
const GAME2 = {
  label: "game 2",
  game: { kind: "hidden", size: { kind: "uniform", min: 300, max: 900 } },
} as const;
const SETTINGS: TakerStudySettings = {
  episodes: 60,
  evalEpisodes: 3,
  colearnEpisodes: 60,
  stepTakers: ["reactive", LEARNING_TAKER],
  game: { steps: 10 },
};
const learned = (seed: number, game: typeof GAME1 | typeof GAME2 = GAME1): TakerJob => ({
  kind: "learned",
  game,
  seed,
  train: TAKERS[1],
  play: TAKERS,
  settings: SETTINGS,
});

Deno.test("takerJob: the same job gives the same rows; another seed trains another maker", () => {
  const a = takerJob(learned(1));
  const b = takerJob(learned(1));
  assertEquals(a, b);
  const c = takerJob(learned(2));
  const pnl = (rows: typeof a) =>
    rows.filter((r) => r.table === "train").map((r) => r.final_maker_pnl);
  const play = (rows: typeof a) =>
    rows.filter((r) => r.table === "play").map((r) => [r.play_taker, r.cost_bps]);
  assertTrue(
    JSON.stringify(pnl(a)) !== JSON.stringify(pnl(c)) ||
      JSON.stringify(play(a)) !== JSON.stringify(play(c)),
    "seeds 1 and 2 should differ",
  );
  // One play row per play taker, steps only for the recorded one (reactive), one train row.
  assertEquals(a.filter((r) => r.table === "play").map((r) => r.play_taker), [
    "aggressive",
    "TWAP",
    "reactive",
  ]);
  const steps = a.filter((r) => r.table === "steps");
  assertEquals(steps.length, 10);
  assertTrue(steps.every((r) => r.play_taker === "reactive" && r.makers === "learned"));
  assertEquals(a.filter((r) => r.table === "train").length, 1);
});

Deno.test("takerJob: evaluation episodes are the game's own episodes with seeds eval:<seed>:<k>", () => {
  const rows = takerJob({
    kind: "baseline",
    game: GAME2,
    seed: 4,
    makers: { label: "replenisher", policy: [{ kind: "replenisher", offset: 2 }] },
    play: [TAKERS[0]],
    settings: SETTINGS,
  });
  const game = createGame({
    steps: 10,
    game: GAME2.game,
    makers: 1,
    policy: { kind: "replenisher", offset: 2 },
    taker: TAKERS[0].taker,
  });
  let pnl = 0, share = 0, size = 0;
  for (let k = 0; k < 3; k++) {
    const s = game.run(`eval:4:${k}`);
    pnl += s.takerPnl / 3;
    share += s.makerShare[0] / 3;
    size += s.size / 3;
  }
  const [play] = rows.filter((r) => r.table === "play");
  assertAlmostEquals(play.taker_pnl as number, pnl, 1e-9);
  assertAlmostEquals(play.maker_share as number, share, 1e-12);
  assertAlmostEquals(play.size as number, size, 1e-9);
  assertEquals(play.train_taker, "—");
});

Deno.test("takerJob: play and step rows add up (volumes, PnL, price)", () => {
  const rows = takerJob({
    kind: "baseline",
    game: { label: "game 1", game: { kind: "known", size: 4000 } },
    seed: 0,
    makers: { label: "0 makers", policy: [] },
    play: TAKERS,
    settings: { ...SETTINGS, stepTakers: TAKERS.map((t) => t.label) },
  });
  for (const t of TAKERS) {
    const play = rows.find((r) => r.table === "play" && r.play_taker === t.label)!;
    const steps = rows.filter((r) => r.table === "steps" && r.play_taker === t.label);
    assertEquals(steps.length, 10);
    const sold = steps.reduce((a, r) => a + (r.sold as number), 0);
    assertAlmostEquals(sold, play.executed as number, 1e-9, `${t.label}: sold = executed`);
    assertAlmostEquals(play.executed as number, 4000, 1e-9, "the sweep sells everything");
    const pnl = steps.reduce((a, r) => a + (r.step_pnl as number), 0);
    assertAlmostEquals(pnl, play.taker_pnl as number, 1e-9, `${t.label}: Σ step PnL = PnL`);
    // PnL = (average price − P0) × executed × tick, with one fixed size.
    assertAlmostEquals(play.taker_pnl as number, (play.avg_price as number) * 4000 * 0.01, 1e-9);
    assertAlmostEquals(steps[9].cum_frac as number, 1, 1e-12);
    // No maker: nothing for makers, no maker bid.
    assertEquals([play.maker_pnl, play.maker_share], [0, 0]);
    assertTrue(steps.every((r) => r.maker_offset === null));
    // Selling costs something without makers: the cost is positive.
    assertTrue((play.cost_bps as number) > 0);
  }
  // A replenisher in the book lowers every taker's cost.
  const withMaker = takerJob({
    kind: "baseline",
    game: { label: "game 1", game: { kind: "known", size: 4000 } },
    seed: 0,
    makers: { label: "replenisher", policy: [{ kind: "replenisher" }] },
    play: TAKERS,
    settings: SETTINGS,
  });
  const cost = (rs: typeof rows, l: string) =>
    rs.find((r) => r.table === "play" && r.play_taker === l)!.cost_bps as number;
  for (const t of TAKERS) assertTrue(cost(withMaker, t.label) < cost(rows, t.label), t.label);
});

Deno.test("takerJob: co-learning gives dynamics per check and side, a verdict, and the greedy replay", () => {
  const rows = takerJob({
    kind: "colearn",
    game: GAME1,
    seed: 3,
    play: TAKERS,
    settings: SETTINGS,
  });
  const st = takerStudyDef.fromRows(rows);
  const checks = st.dynamics.getColumn("check").max() + 1;
  assertEquals(st.dynamics.height, 2 * checks);
  assertEquals(
    [...new Set(st.dynamics.getColumn("side").toArray())].sort(),
    ["makers", "taker"],
  );
  assertEquals(st.verdict.height, 1);
  assertTrue(["settled", "cycling", "drifting"].includes(st.verdict.getColumn("outcome").get(0)));
  const takers = st.play.getColumn("play_taker").toArray();
  assertEquals(takers, [...TAKERS.map((t) => t.label), LEARNING_TAKER]);
  assertTrue(st.play.getColumn("makers").toArray().every((m) => m === "co-learned"));
  // The learning taker's steps are recorded; it sells everything.
  const steps = st.steps.filter(pl.col("play_taker").eq(pl.lit(LEARNING_TAKER)));
  assertEquals(steps.height, 10);
  assertAlmostEquals(steps.getColumn("cum_frac").get(9), 1, 1e-12);
  // Missing in a colearn job's rows: the train frame is empty but has its columns.
  assertEquals(st.train.height, 0);
  assertTrue(st.train.columns.includes("converged"));
});

Deno.test("takerStudy: the jobs and their tables", async () => {
  const options = {
    takers: TAKERS.slice(0, 2),
    baselines: [{ label: "0 makers", policy: [] }],
    games: [GAME1],
    seeds: 2,
    settings: { ...SETTINGS, episodes: 30, colearnEpisodes: 30 },
  };
  assertEquals(takerJobs(options).length, 2 * (1 + 2 + 1));
  const one = await takerStudy({ ...options, workers: 0 });
  assertEquals(one.play.height, 2 * (3 + 2 * 2 + 2));
  assertEquals(one.play.getColumn("seed").dtype.variant, "Int32");
});

Deno.test("takerStudyDef: every frame has its columns, even without rows", () => {
  const st = takerStudyDef.fromRows([{ table: "verdict", outcome: "drifting" }]);
  assertEquals(st.verdict.columns, ["game", "seed", "episodes", "outcome", "settled_at", "period"]);
  assertEquals(st.verdict.getColumn("outcome").get(0), "drifting");
  assertEquals(st.verdict.getColumn("period").dtype.variant, "Int32");
  assertEquals(st.play.height, 0);
  assertTrue(st.play.columns.includes("cost_bps"));
});

Deno.test("settingRows: adapted, mismatched (mean of the others), baselines and co-learned", () => {
  const rows = [];
  for (const seed of [0, 1]) {
    for (const tr of ["A", "B", "C"]) {
      for (const p of ["A", "B", "C"]) {
        const cost = 10 * (tr.charCodeAt(0) - 64) + (p.charCodeAt(0) - 64) + seed;
        rows.push({ game: "g", makers: "learned", train_taker: tr, play_taker: p, seed, cost });
      }
    }
    rows.push({ game: "g", makers: "none", train_taker: "—", play_taker: "A", seed, cost: 99 });
    rows.push({
      game: "g",
      makers: "co-learned",
      train_taker: LEARNING_TAKER,
      play_taker: "A",
      seed,
      cost: 77,
    });
    rows.push({
      game: "g",
      makers: "co-learned",
      train_taker: LEARNING_TAKER,
      play_taker: LEARNING_TAKER,
      seed,
      cost: 55,
    });
  }
  const sr = settingRows(pl.DataFrame(rows), ["cost"]);
  const at = (setting: string, p: string, seed = 0) =>
    sr.toRecords().find((r) => r.setting === setting && r.play_taker === p && r.seed === seed)
      ?.cost;
  assertEquals(at(ADAPTED, "B"), 22);
  assertEquals(at(MISMATCHED, "B"), (12 + 32) / 2);
  assertEquals(at(MISMATCHED, "B", 1), (12 + 32) / 2 + 1);
  assertEquals(at("none", "A"), 99);
  assertEquals(at("co-learned", LEARNING_TAKER), 55);
  // Co-learned makers against fixed takers are not a setting of their own.
  assertEquals(at("co-learned", "A"), undefined);
  assertEquals(sr.height, 2 * (3 + 3 + 1 + 1));
});

Deno.test("bestOf: best, runner-up and the paired margin with its interval; ties; maximise", () => {
  const df = pl.DataFrame({
    g: ["x", "x", "x", "x", "x", "x", "y", "y", "y", "y"],
    t: ["a", "a", "a", "b", "b", "b", "a", "a", "b", "b"],
    seed: [0, 1, 2, 0, 1, 2, 0, 1, 0, 1],
    cost: [3, 4, 5, 1, 3, 2, 2, 2, 2, 2],
  });
  const [x, y] = bestOf(df, { by: ["g"], item: "t", value: "cost" }).toRecords();
  assertEquals([x.best, x.second, x.candidates, x.n], ["b", "a", 2, 3]);
  assertAlmostEquals(x.best_mean as number, 2);
  // Paired differences a − b per seed: 2, 1, 3 → mean 2, sd 1, t(0.975, 2) = 4.3027.
  assertAlmostEquals(x.gap_mean as number, 2);
  assertAlmostEquals(x.gap_lo as number, 2 - 4.302653 / Math.sqrt(3), 1e-5);
  assertTrue((x.gap_lo as number) < 0, "three seeds: the margin's interval still includes 0");
  // A tie: equal means, the margin is 0 with a zero-width interval; labels break the tie.
  assertEquals([y.best, y.second, y.gap_mean, y.gap_lo, y.gap_hi], ["a", "b", 0, 0, 0]);
  const [mx] = bestOf(df.filter(pl.col("g").eq(pl.lit("x"))), {
    by: ["g"],
    item: "t",
    value: "cost",
    maximise: true,
  }).toRecords();
  assertEquals([mx.best, mx.gap_mean], ["a", -2]);
});

Deno.test("takerJobs and takerJob: bad input is a ConfigError naming the field", () => {
  assertThrows(
    () =>
      takerJobs({
        takers: [TAKERS[0], TAKERS[0]],
        baselines: [],
        seeds: 1,
        settings: SETTINGS,
      }),
    ConfigError,
    "takers",
  );
  assertThrows(
    () => takerJobs({ takers: TAKERS, baselines: [], seeds: 0, settings: SETTINGS }),
    ConfigError,
    "seeds",
  );
  assertThrows(
    () => takerJob({ ...learned(0), settings: { ...SETTINGS, evalEpisodes: 0 } }),
    ConfigError,
    "settings.evalEpisodes",
  );
  assertThrows(
    () =>
      takerJob({
        kind: "colearn",
        game: GAME1,
        seed: 0,
        play: TAKERS,
        settings: { ...SETTINGS, colearnEpisodes: 0 },
      }),
    ConfigError,
    "settings.colearnEpisodes",
  );
  assertThrows(
    () => takerJob({ ...learned(0), kind: "nope" } as unknown as TakerJob),
    ConfigError,
    "job.kind",
  );
});

Deno.test("takerJobs: the nested options are checked with their paths before any job runs", () => {
  const base = { takers: TAKERS, baselines: [], seeds: 1, settings: SETTINGS };
  const bad = (over: Record<string, unknown>) => () => takerJobs({ ...base, ...over } as never);
  throwsUnknown(bad({ settings: { ...SETTINGS, episode: 3 } }), "settings.episode", "episodes");
  throwsUnknown(
    bad({ settings: { ...SETTINGS, learner: { gama: 0.9 } } }),
    "settings.learner.gama",
    "gamma",
  );
  throwsUnknown(
    bad({ takers: [{ label: "t", taker: { kind: "passive", maxwalk: 2 } }] }),
    "takers[0].taker.maxwalk",
    "maxWalk",
  );
  assertThrows(
    bad({ settings: { ...SETTINGS, game: { steps: 0 } } }),
    ConfigError,
    "settings.game.steps: must be",
  );
  assertThrows(
    bad({ settings: { ...SETTINGS, game: { makers: 2 } } }),
    ConfigError,
    "settings.game.makers: must be absent",
  );
  throwsUnknown(
    bad({ baselines: [{ label: "r", policy: [{ kind: "replenisher", offst: 1 }] }] }),
    "baselines[0].policy[0].offst",
    "offset",
  );
  assertThrows(
    bad({ games: [{ label: "g", game: { kind: "hiden" } }] }),
    ConfigError,
    "games[0].game.kind",
  );
  throwsUnknown(bad({ worker: 0 }), "worker", "workers");
});

Deno.test("summaries: the cross-table, its facts and the rows against one taker", () => {
  const keys = (makers: string, train: string, play: string, seed: number) => ({
    game: "g",
    makers,
    train_taker: train,
    play_taker: play,
    seed,
  });
  const rows = [
    ...["A", "B"].flatMap((p) =>
      [0, 1].map((seed) => ({ ...keys("0 makers", "—", p, seed), cost_bps: 10 }))
    ),
    ...["A", "B"].flatMap((p) =>
      [0, 1].map((seed) => ({ ...keys("replenisher", "—", p, seed), cost_bps: 2 }))
    ),
    // Learned vs A: dearer than the replenisher against A; learned vs B: cheaper against B.
    ...[0, 1].map((seed) => ({ ...keys("learned", "A", "A", seed), cost_bps: 4 + seed / 5 })),
    ...[0, 1].map((seed) => ({ ...keys("learned", "A", "B", seed), cost_bps: 1.5 })),
    ...[0, 1].map((seed) => ({ ...keys("learned", "B", "A", seed), cost_bps: 3 })),
    ...[0, 1].map((seed) => ({ ...keys("learned", "B", "B", seed), cost_bps: 1 })),
  ].map((r) => ({ ...r, taker_pnl: 0, avg_price: 0, maker_share: 0, maker_pnl: 0, maker_mtm: 0 }));
  const play = pl.DataFrame(rows);
  const cross = crossSummary(play);
  const f = crossFacts(cross, { game: "g", takers: ["A", "B"], patient: ["A", "B"] });
  assertEquals([f.hurts, f.helps, f.vsNone, f.diagHigher], [["A"], ["B"], ["A", "B"], ["A"]]);
  assertEquals([f.cheapest, f.dearest, f.patientCost("replenisher")], [
    "learned vs B",
    "learned vs A",
    2,
  ]);
  const text = crossText(cross, { game: "g", rows: ["learned vs A"], cols: ["A", "B"] })
    .toRecords();
  assertEquals(text, [{ "maker setting (g)": "learned vs A", A: "4.10 ± 1.27", B: "1.50 ± 0.00" }]);
  const against = againstTaker(play, "A");
  assertEquals([...new Set(against.getColumn("setting").toArray())], [
    "0 makers",
    "replenisher",
    "learned vs A",
  ]);
});

Deno.test("summaries: rankings, co-learning, training and verdict tables", () => {
  const costs = [
    ["A", 1],
    ["B", 1.5],
    ["U", 5],
  ].map(([p, v]) => ({ game: "g", setting: "s", play_taker: p, cost_bps_mean: v }));
  const best = [{ game: "g", setting: "s", best: "A", second: "B", gap_lo: -0.1 }];
  assertEquals(
    rankingFacts(costs, best, {
      cells: [["g", "s"]],
      takers: ["A", "B", "U"],
      patient: ["A", "B"],
      urgent: ["U"],
      favourite: "B",
    }),
    { patientSpread: 0.5, urgentGap: 3.5, worstIsUrgent: true, favouriteBestOrTied: 1 },
  );
  const dynamics = pl.DataFrame({
    game: ["g", "g", "g", "g", "g", "g"],
    seed: [0, 0, 0, 1, 1, 1],
    check: [1, 2, 3, 1, 2, 3],
    side: ["taker", "taker", "taker", "taker", "taker", "taker"],
    eval_pnl: [5, 1, 3, 0, 2, 4],
  });
  const tail = tailEvaluation(dynamics, 2);
  assertEquals(tail.toRecords().map((r) => [r.seed, r.mean]), [[0, 2], [1, 3]]);
  const dyn = pl.DataFrame({
    game: ["g", "g", "g", "g"],
    side: ["makers", "makers", "taker", "taker"],
    change_mean: [0.5, 0.1, 0.4, 0.3],
  });
  const c = coLearningFacts(dyn, tail, { game: "g", checks: 1 });
  assertEquals([c.first, c.tail, c.takerMean], [{ makers: 0.5, taker: 0.4 }, {
    makers: 0.1,
    taker: 0.3,
  }, 2.5]);
  const train = pl.DataFrame({
    game: ["g", "g"],
    train_taker: ["A", "A"],
    converged: [true, false],
    coverage: [0.1, 0.3],
  });
  assertEquals(trainingTable(train).toRecords(), [{
    game: "g",
    train_taker: "A",
    "converged runs": 1,
    runs: 2,
    "state coverage": 0.2,
  }]);
  const verdict = pl.DataFrame({
    game: ["g", "g"],
    seed: [0, 1],
    outcome: ["settled", "drifting"],
  });
  assertEquals(verdictTable(verdict, tail, 2).columns, [
    "game",
    "seed",
    "outcome",
    "taker eval PnL, last 2 checks ($)",
    "sd over those checks ($)",
  ]);
});
