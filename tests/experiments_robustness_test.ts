import pl from "nodejs-polars";
import { assertEquals, assertThrows, assertTrue as assert } from "./_assert.ts";
import {
  BEST_FIXED,
  bestTakers,
  competitionRobustness,
  convergenceRateFindings,
  fixedAcrossMarkets,
  loadRobustness,
  marketsRobustness,
  pairedKinds,
  pairedPolicies,
  type RobustnessConfig,
  robustnessConfig,
  robustnessFindings,
  robustnessMatrix,
  robustnessOutput,
  robustnessTable,
  runRobustness,
  takerCostByN,
  takerRobustness,
  tally,
} from "../lib/experiments/robustness/mod.ts";
import { STUDY_CONDITIONS } from "../lib/game/mod.ts";
import { holm, pValue, summarise } from "../lib/report/stats.ts";
import { ConfigError, FileError } from "../lib/errors.ts";
import { outputHash, writeCommitted } from "../lib/sweep/mod.ts";

const diffs = (cells: Record<string, Record<string, number[]>>) => {
  const rows: Record<string, unknown>[] = [];
  for (const [finding, byCond] of Object.entries(cells)) {
    for (const [condition, xs] of Object.entries(byCond)) {
      xs.forEach((diff, seed) => rows.push({ finding, condition, seed, diff }));
    }
  }
  return pl.DataFrame(rows);
};

Deno.test("robustnessTable: holds, reverses, not distinguishable; the side from the reference", () => {
  const t = robustnessTable(diffs({
    up: { noise: [2, 3, 2.5, 3.5], thin: [-2, -3, -2.5, -3.5], deep: [1, -1, 2, -2] },
    down: { noise: [-2, -3, -2.5, -3.5], thin: [-1, -1.2, -0.9, -1.1], deep: [3, 2, 4, 3] },
  }));
  const r = t.toRecords() as Record<string, unknown>[];
  assertEquals(r.map((x) => `${x.finding}/${x.condition}/${x.outcome}`), [
    "up/noise/holds",
    "up/thin/reverses",
    "up/deep/not distinguishable",
    "down/noise/holds",
    "down/thin/holds",
    "down/deep/reverses",
  ]);
  assertEquals(r.map((x) => x.side), [1, 1, 1, -1, -1, -1]);
  // The numbers are summarise's and pValue's; the Holm column is holm over the table.
  const s = summarise(diffs({ up: { noise: [2, 3, 2.5, 3.5] } }), { by: [], cols: ["diff"] })
    .toRecords()[0];
  assertEquals(r[0].mean, s.diff_mean);
  assertEquals(r[0].lo, s.diff_lo);
  assertEquals(r[0].p, pValue(s, { col: "diff" }));
  const h = holm(r.map((x) => Number(x.p)));
  assertEquals(r.map((x) => x.p_holm), h.adjusted);
  assert(String(r[0].cell).startsWith("holds: +2.75 ± "), String(r[0].cell));
});

Deno.test("robustnessTable: Holm can make a cell not distinguishable; sides and order given", () => {
  // 20 findings, each with one weak effect (p just under 0.05): significant alone, not after Holm.
  const cells: Record<string, Record<string, number[]>> = {};
  for (let i = 0; i < 20; i++) cells[`f${i}`] = { a: [0.3, 1.9, 0.5, 1.4, 0.1, 1.2] };
  const t = robustnessTable(diffs(cells)).toRecords() as Record<string, unknown>[];
  assert(t.every((r) => Number(r.p) < 0.05 && r.outcome === "holds"), "each alone holds");
  assert(t.every((r) => r.outcome_holm === "not distinguishable"), "none after Holm");
  const g = robustnessTable(diffs({ f: { a: [1, 1.1, 0.9], b: [-1, -1.1, -0.9] } }), {
    conditions: ["b", "a"],
    sides: { f: 1 },
  }).toRecords() as Record<string, unknown>[];
  assertEquals(g.map((r) => `${r.condition}:${r.outcome}`), ["b:reverses", "a:holds"]);
  assertThrows(() => robustnessTable(diffs(cells), { value: "pnl" }), ConfigError, "column pnl");
});

Deno.test("robustnessMatrix and tally", () => {
  const t = robustnessTable(diffs({
    up: { noise: [2, 3, 2.5, 3.5], thin: [-2, -3, -2.5, -3.5], deep: [1, -1, 2, -2] },
  }));
  const m = robustnessMatrix(t);
  assertEquals(m.columns, ["finding", "noise", "thin", "deep"]);
  assert(String(m.getColumn("thin").toArray()[0]).startsWith("reverses: -2.75 ± "));
  const c = tally(t).up;
  assertEquals([c.holds, c.reverses, c.unclear], [["noise"], ["thin"], ["deep"]]);
});

Deno.test("pairedPolicies and pairedKinds pair by seed and condition", () => {
  const tests = pl.DataFrame({
    condition: ["n", "n", "n", "n", "t", "t"],
    game: ["g2", "g2", "g2", "g2", "g2", "g2"],
    taker: ["a", "a", "a", "a", "a", "a"],
    seed: [0, 0, 1, 1, 0, 0],
    policy: ["learned", BEST_FIXED, BEST_FIXED, "learned", "learned", "replenisher"],
    maker_pnl: [5, 3, 5, 6, 1, 2],
  });
  const d = pairedPolicies(tests, { a: "learned", b: BEST_FIXED, where: { game: "g2" } });
  assertEquals(d.getColumn("diff").toArray(), [2, 1]);
  assertEquals(d.getColumn("finding").toArray()[0], `learned − ${BEST_FIXED}, a`);
  const makers = pl.DataFrame({
    orders: ["multi", "multi", "single", "single", "multi", "multi"],
    population: ["1R+1Q", "1R+1Q", "1R+1Q", "1R+1Q", "1R+1Q", "1R+1Q"],
    train_taker: ["TWAP", "TWAP", "TWAP", "TWAP", "aggressive", "aggressive"],
    play_taker: ["TWAP", "TWAP", "TWAP", "TWAP", "TWAP", "TWAP"],
    seed: [0, 0, 0, 0, 0, 0],
    kind: ["replenisher", "q", "replenisher", "q", "replenisher", "q"],
    mtm: [10, 30, 20, 25, 0, 100],
  });
  // The learner trained against another taker (the last two rows) is left out.
  const k = pairedKinds(makers, { population: "1R+1Q", a: "q", b: "replenisher" });
  assertEquals(k.toRecords().map((r) => `${r.condition}:${r.diff}`), ["multi:20", "single:5"]);
});

Deno.test("runRobustness: every part, the conditions and the best fixed rule among the tests", async () => {
  const config = {
    ...robustnessConfig(true),
    seeds: 1,
    sizeSeeds: 1,
    conditionSeeds: 1,
    game1ConditionSeeds: 1,
    orderSeeds: 1,
    competitionSeeds: 1,
    regime: { decayEpisodes: 3, budget: 6, checkEvery: 3, evalEpisodes: 1, patience: 1 },
    testEpisodes: 2,
    searchEpisodes: 1,
    evalEpisodes: 2,
    steps: 8,
  };
  const parts: string[] = [];
  const t = await runRobustness({ config, workers: 0, onPart: (p) => void parts.push(p) });
  assertEquals(parts, [
    "best",
    "learn:noise",
    "orders",
    "learn:noise:sizes",
    `learn:${STUDY_CONDITIONS[1].label}`,
    "competition",
  ]);
  const conds = (df: pl.DataFrame) => [...new Set(df.getColumn("condition").toArray())].sort();
  assertEquals(conds(t.learn_tests), ["noise", STUDY_CONDITIONS[1].label].sort());
  // game 2 in both markets, game 1 at three sizes in the headline market, at Q = 8,000 in the
  // other; every learner trained in the regime (stopped at its budget of 6 or converged).
  const runs = t.learn_runs.toRecords() as Record<string, unknown>[];
  assertEquals(new Set(runs.map((r) => `${r.condition}|${r.game}`)).size, 6);
  assert(runs.every((r) => Number(r.episodes) <= 6 && typeof r.converged === "boolean"));
  // Notebook 04 per market: one and two learners in both markets, against three takers.
  const comp = t.comp_makers.toRecords() as Record<string, unknown>[];
  assertEquals(new Set(comp.map((r) => `${r.condition}|${r.population}`)).size, 4);
  assertEquals(t.comp_train.height, 2 * 3 * 2);
  const best = t.learn_tests.filter(pl.col("policy").eq(pl.lit(BEST_FIXED)));
  assert(best.height > 0, "the best fixed rule is tested beside the learner");
  assertEquals([...new Set(t.fd_makers.getColumn("orders").toArray())].sort(), ["multi", "single"]);
  assertEquals(t.best.filter(pl.col("study").eq(pl.lit("orders"))).height, 2 * 3 * 2);
  // Every finding's key is unique; the families the README documents are there.
  const f = robustnessFindings(t);
  assertEquals(new Set(f.map((x) => x.key)).size, f.length);
  for (
    const k of [
      "best_fixed_rule.game_2.aggressive.noise",
      "learned_vs_best_fixed.game2.reactive.noise",
      "learned_vs_best_fixed.game2.reactive.robust",
      "best_fixed_vs_replenisher.game2.passive.noise",
      "value_of_knowing.passive.Q=4000.noise",
      "value_of_knowing.significant.noise",
      "taker_cost.game2.aggressive.noise",
      "convergence.game_2.aggressive.noise",
      `convergence.game_1.passive.${STUDY_CONDITIONS[1].label}`,
      "game1.learned_vs_best_fixed.reactive.noise",
      `game1.learned_vs_follower.passive.${STUDY_CONDITIONS[1].label}`,
      "competition.taker_cost_1_vs_0.aggressive.noise",
      "competition.taker_cost_2_vs_1.passive.noise",
      `competition.total_pnl_2_vs_1.reactive.${STUDY_CONDITIONS[1].label}`,
      "best_taker.learned.noise",
      `best_taker.none.${STUDY_CONDITIONS[1].label}`,
      "orders.q_vs_replenisher.TWAP.single",
      "orders.q_vs_replenisher_share.TWAP.multi",
      "orders.follower_vs_replenisher.reactive.multi",
    ]
  ) assert(f.some((x) => x.key === k), k);
  assertThrows(() => robustnessFindings({ best: t.best }), Error, "missing tables");
});

Deno.test("robustnessOutput: the hash covers the budgets, the rule grid, the regime, the markets", () => {
  const c = robustnessConfig(true);
  const hash = (x: RobustnessConfig) => outputHash(robustnessOutput(x));
  const h = hash(c);
  assertEquals(h, hash(robustnessConfig(true)), "deterministic");
  const fam = c.family.replenisher!;
  const changed: [string, RobustnessConfig][] = [
    ["seeds", { ...c, seeds: 3 }],
    ["competition seeds", { ...c, competitionSeeds: 2 }],
    ["rule grid", { ...c, family: { replenisher: { ...fam, qtys: [...fam.qtys, 2_000] } } }],
    ["followers", { ...c, family: { ...c.family, follower: { offsets: [0], shares: [1] } } }],
    ["regime", { ...c, regime: { ...c.regime, margin: 0.1 } }],
    ["regime default written out", { ...c, regime: { ...c.regime, tol: 0.05 } }],
    ["markets", { ...c, conditions: STUDY_CONDITIONS.slice(0, 3) }],
    ["steps", { ...c, steps: 13 }],
  ];
  for (const [what, x] of changed) assert(hash(x) !== h, what);
  // The regime's defaults are written into the jobs: leaving one out or giving it is the same.
  const { patience: _p, ...rest } = c.regime;
  assertEquals(hash({ ...c, regime: { ...rest, patience: 2 } }), h);
  assert(hash({ ...c, regime: rest }) !== h, "patience 2 is not the default 5");
  assertEquals(hash({ ...c, regime: { ...c.regime, stop: true } }), h, "stop: true is the default");
  // The version is in the spec (bumped by hand for code changes the jobs cannot see).
  assert(outputHash({ ...robustnessOutput(c), version: 99 }) !== h);
  assertThrows(
    () => robustnessOutput({ ...c, family: { replenisher: { offsets: [], qtys: [1] } } }),
    ConfigError,
    "family.replenisher.offsets",
  );
});

Deno.test("loadRobustness: checked against the code's hash; missing, stale and incomplete name the command", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fail = async (what: string) => {
      const e = await loadRobustness(dir).then(() => undefined, (x) => x);
      assert(e instanceof FileError && e.message.includes("deno task study:robustness"), String(e));
      assert(e.message.includes(what), `${what}: ${e.message}`);
    };
    await fail("missing");
    const best = pl.DataFrame({ x: [1, 2] });
    await writeCommitted(robustnessOutput(robustnessConfig(true), dir), { best });
    await fail("stale");
    const spec = robustnessOutput(robustnessConfig(), dir);
    await writeCommitted(spec, { best }, { complete: false, parts: ["best"] });
    await fail("incomplete (only best written");
    await writeCommitted(spec, { best }, { parts: ["best"], minutes: 1.23 });
    const r = await loadRobustness(dir);
    assertEquals([r.tables.best.height, r.manifest.minutes, r.config.seeds], [2, 1.2, 20]);
    assertEquals(r.manifest.configHash, outputHash(spec));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fixedAcrossMarkets and marketsRobustness: 1R+1F in every market, one row per finding and market", async () => {
  const conditions = STUDY_CONDITIONS.slice(0, 3);
  const makers = await fixedAcrossMarkets({
    seeds: 2,
    evalEpisodes: 1,
    conditions,
    steps: 8,
    workers: 0,
  });
  assertEquals(
    [...new Set(makers.getColumn("condition").toArray())],
    conditions.map((c) => c.label),
  );
  assertEquals([...new Set(makers.getColumn("population").toArray())], ["1R+1F"]);
  const t = marketsRobustness(makers).toRecords() as Record<string, unknown>[];
  assertEquals(t.length, 3 * conditions.length);
  assertEquals(t.slice(0, 3).map((r) => r.condition), conditions.map((c) => c.label));
  assert(t.every((r) => r.n === 2), "two seeds per cell");
});

Deno.test("takerRobustness and competitionRobustness: the headline's ranking, paired by seed, in every market", () => {
  const rows: Record<string, unknown>[] = [];
  const cost: Record<string, Record<string, number>> = {
    noise: { a: 3, b: 5, c: 9 },
    thin: { a: 6, b: 4, c: 9 }, // the ranking of a and b reverses
  };
  for (const [condition, by] of Object.entries(cost)) {
    for (const [taker, c] of Object.entries(by)) {
      for (let seed = 0; seed < 4; seed++) {
        for (const policy of ["none", "learned"]) {
          const shortfall_bps = c + seed * 0.1 + (policy === "learned" ? -1 : 0);
          rows.push({
            condition,
            game: "game 1",
            test: "Q=8000",
            taker,
            seed,
            policy,
            shortfall_bps,
          });
        }
      }
    }
  }
  const tests = pl.DataFrame(rows);
  const best = bestTakers(tests).toRecords() as Record<string, unknown>[];
  assertEquals(best.map((r) => `${r.condition}/${r.setting}:${r.best}<${r.second}`), [
    "noise/none:a<b",
    "noise/learned:a<b",
    "thin/none:b<a",
    "thin/learned:b<a",
  ]);
  const t = takerRobustness(tests).toRecords() as Record<string, unknown>[];
  assertEquals(t.map((r) => `${r.finding}/${r.condition}:${r.outcome}`), [
    "b − a, vs none/noise:holds",
    "b − a, vs none/thin:reverses",
    "b − a, vs learned/noise:holds",
    "b − a, vs learned/thin:reverses",
  ]);
  // One learner against none: the cost falls by 1 bps for every taker in both markets.
  const makers = pl.DataFrame(
    [0, 1, 2].flatMap((seed) =>
      ["1Q", "2Q", "2Q"].map((population, i) => ({
        condition: "noise",
        population,
        train_taker: "a",
        play_taker: "a",
        seed,
        pnl: population === "1Q" ? 10 + seed : 4 + i + seed,
        taker_cost_bps: population === "1Q" ? 5 : 4 - seed * 0.1,
      }))
    ),
  );
  const c = competitionRobustness(makers, tests, ["a", "b", "c"]).toRecords() as Record<
    string,
    unknown
  >[];
  // Without the competition part, only one maker against none.
  const only = competitionRobustness(undefined, tests, ["a"]).toRecords() as Record<
    string,
    unknown
  >[];
  assertEquals(
    new Set(only.map((r) => r.finding)),
    new Set(["taker cost (bps), 1 maker − none, a"]),
  );
  const at = (f: string) => c.find((r) => r.finding === f && r.condition === "noise")!;
  assertEquals(at("taker cost (bps), 1 maker − none, a").mean, -1);
  assert(Math.abs(Number(at("taker cost (bps), 2 makers − 1, a").mean) + 1.1) < 1e-9);
  assertEquals(at("per-maker PnL, 2 makers − 1, a").mean, -4.5); // (5 + 6) / 2 + s − (10 + s)
  assertEquals(at("makers' total PnL, 2 makers − 1, a").mean, 2); // (5 + s) + (6 + s) − (10 + s)
});

Deno.test("convergenceRateFindings and takerCostByN: one key per taker and n", () => {
  const runs = pl.DataFrame({
    variant: ["default", "default", "default"],
    taker: ["passive", "passive", "passive"],
    n: [1, 1, 2],
    seed: [1, 2, 1],
    converged: [true, false, true],
    converged_episode: [7000, null, 12000],
    period: [1, 2, 1],
    returns: [0, 1, 0],
  });
  const f = convergenceRateFindings(runs);
  assertEquals(f.map((x) => x.key), [
    "convergence_rate.passive.n=1",
    "convergence_rate.passive.n=2",
  ]);
  assert(f[0].value.startsWith("1 of 2 (50%"), f[0].value);
  const cost = takerCostByN(
    pl.DataFrame({ taker: ["r", "r"], n: [10, 10], seed: [1, 2], taker_cost: [1, 3] }),
  );
  assertEquals(cost[0].key, "taker_cost_by_n.r.n=10");
  assert(cost[0].value.startsWith("$2.00 ± ") && cost[0].value.includes("2 seeds"), cost[0].value);
});
