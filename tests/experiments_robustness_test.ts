import pl from "nodejs-polars";
import { assertEquals, assertThrows, assertTrue as assert } from "./_assert.ts";
import {
  BEST_FIXED,
  fixedAcrossMarkets,
  loadRobustness,
  marketsRobustness,
  pairedKinds,
  pairedPolicies,
  robustnessConfig,
  robustnessFindings,
  robustnessHash,
  robustnessMatrix,
  robustnessTable,
  runRobustness,
  tally,
} from "../lib/experiments/robustness/mod.ts";
import { STUDY_CONDITIONS } from "../lib/game/mod.ts";
import { holm, pValue, summarise } from "../lib/report/stats.ts";
import { ConfigError, FileError } from "../lib/errors.ts";
import { writeParquetAtomic } from "../lib/io/mod.ts";

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
    orderSeeds: 1,
    episodes: 6,
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
  ]);
  const conds = (df: pl.DataFrame) => [...new Set(df.getColumn("condition").toArray())].sort();
  assertEquals(conds(t.learn_tests), ["noise", STUDY_CONDITIONS[1].label].sort());
  // game 2 in both markets, game 1 at three sizes in the headline market only.
  const games = (t.learn_runs.toRecords() as Record<string, unknown>[])
    .map((r) => `${r.condition}|${r.game}`);
  assertEquals(new Set(games).size, 5);
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
      "convergence.game2.aggressive.noise",
      "orders.q_vs_replenisher.TWAP.single",
      "orders.q_vs_replenisher_share.TWAP.multi",
      "orders.follower_vs_replenisher.reactive.multi",
    ]
  ) assert(f.some((x) => x.key === k), k);
  assertThrows(() => robustnessFindings({ best: t.best }), Error, "missing tables");
  // The hash changes with the configuration and the version.
  assert(robustnessHash(config) !== robustnessHash({ ...config, seeds: 2 }));
  assert(robustnessHash(config) !== robustnessHash(config, 99));
});

Deno.test("loadRobustness: the manifest's tables, stale or not; a missing manifest names the command", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const e = await loadRobustness(dir).then(() => undefined, (x) => x);
    assert(e instanceof FileError && e.message.includes("deno task study:robustness"), String(e));
    await writeParquetAtomic(pl.DataFrame({ x: [1, 2] }), `${dir}/best.parquet`);
    const manifest = (hash: string) => ({
      hash,
      command: "c",
      config: robustnessConfig(),
      complete: true,
      parts: ["best"],
      minutes: 1,
      files: { "best.parquet": { rows: 2, sha256: "-" } },
    });
    Deno.writeTextFileSync(`${dir}/manifest.json`, JSON.stringify(manifest("old")));
    const a = await loadRobustness(dir);
    assertEquals([a.stale, a.tables.best.height], [true, 2]);
    const fresh = robustnessHash(robustnessConfig());
    Deno.writeTextFileSync(`${dir}/manifest.json`, JSON.stringify(manifest(fresh)));
    assertEquals((await loadRobustness(dir)).stale, false);
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
