/**
 * Tests of `lib/experiments/rl/` (notebook 07's experiment) with tiny budgets: determinism of a
 * job, the whole study's tables, agreement with the episode runner, the
 * per-step aggregates' totals, the queue sweep's accounting, the summaries on hand-made frames,
 * and validation.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  adverseByVolatility,
  adverseHeatmap,
  type AgentCase,
  agentRow,
  agentTable,
  bestAgent,
  comparisonTable,
  curveBands,
  curveTrend,
  environmentTable,
  fillRateAt,
  integerBucketLabels,
  inventoryShares,
  pnlHeatmap,
  queueFillRates,
  quoteShares,
  rangeBucketLabels,
  rlJob,
  rlJobs,
  type RlSettings,
  rlStudy,
  rlStudyDef,
  timeAtLimit,
  topQuote,
} from "../lib/experiments/rl/mod.ts";
import { aggregate, summarise } from "../lib/report/stats.ts";
import { createMarketMakingEnv, runEpisode } from "../lib/env/mod.ts";
import { fixedSpreadAgent } from "../lib/agents/mod.ts";
import { ConfigError } from "../lib/errors.ts";

const ENV = { episodeLength: 40, reward: { inventoryPenalty: 0.01, dampening: 0.5 } };
const SETTINGS: RlSettings = { env: ENV, trainEpisodes: 2, evalEpisodes: 2 };
const TINY_DEEP = { learningStarts: 16, batchSize: 8, hidden: [8] };
const AGENTS: AgentCase[] = [
  { label: "fixed", agent: { kind: "fixed", config: { halfSpread: 2 } } },
  { label: "AS", agent: { kind: "as" } },
  { label: "random", agent: { kind: "random" } },
  { label: "tabular Q", agent: { kind: "tabular-q" } },
  { label: "tabular Q long", agent: { kind: "tabular-q" }, trainEpisodes: 3 },
  { label: "DQN", agent: { kind: "dqn", config: { ...TINY_DEEP, explorationSteps: 40 } } },
  { label: "PPO", agent: { kind: "ppo", config: { hidden: [8], numSteps: 16 } } },
  { label: "SAC", agent: { kind: "sac", config: TINY_DEEP } },
];
const QUEUE = { env: { episodeLength: 40 }, sizes: [1, 3], episodes: 2 };

function bytes(df: pl.DataFrame): Uint8Array {
  return new Uint8Array(df.writeParquet());
}

function sum(df: pl.DataFrame, col: string): number {
  return (df.getColumn(col).toArray() as number[]).reduce((a, b) => a + b, 0);
}

Deno.test("rlJob: a learner's job is deterministic and has the rows it should", async () => {
  for (const c of AGENTS.filter((a) => ["DQN", "PPO", "SAC", "tabular Q"].includes(a.label))) {
    const job = { kind: "agent", case: c, seed: 3, settings: SETTINGS } as const;
    const a = await rlJob(job);
    const b = await rlJob(job);
    assert.deepEqual(a, b, c.label);
    const curves = a.filter((r) => r.table === "curves");
    assert.deepEqual(curves.map((r) => r.episode), [0, 1], c.label);
    assert.deepEqual(curves.map((r) => r.step), [40, 80], c.label);
    assert.equal(a.filter((r) => r.table === "evaluation").length, 2, c.label);
    // Another seed trains and evaluates differently.
    const other = await rlJob({ ...job, seed: 4 });
    assert.notDeepEqual(
      other.filter((r) => r.table === "evaluation"),
      a.filter((r) => r.table === "evaluation"),
    );
  }
});

Deno.test("rlJob: evaluation equals the episode runner on the documented seeds", async () => {
  const rows = await rlJob({ kind: "agent", case: AGENTS[0], seed: 2, settings: SETTINGS });
  const env = createMarketMakingEnv(ENV);
  const agent = fixedSpreadAgent(env, { halfSpread: 2 });
  const evalRows = rows.filter((r) => r.table === "evaluation");
  for (let k = 0; k < 2; k++) {
    const run = runEpisode(env, agent, { seed: 1_000_000_000 + 2 * 10_000 + k, horizons: [5] });
    assert.equal(evalRows[k].pnl, run.metrics.pnl);
    assert.equal(evalRows[k].fills, run.metrics.fills);
    assert.equal(evalRows[k].maxDrawdown, run.metrics.maxDrawdown);
    assert.equal(evalRows[k].adverse, run.metrics.adverseRate[0]);
  }
  // A baseline does not train: no curve rows.
  assert.equal(rows.filter((r) => r.table === "curves").length, 0);
});

Deno.test("rlJob: per-step aggregates add up to the episodes they come from", async () => {
  const settings: RlSettings = { ...SETTINGS, evalEpisodes: 3 };
  const rows = await rlJob({ kind: "agent", case: AGENTS[2], seed: 1, settings });
  const st = rlStudyDef.fromRows(rows);
  // Latency 1: every step but the first has a quote in effect.
  assert.equal(sum(st.pnlCells, "steps"), 3 * 39);
  assert.equal(sum(st.inventory, "steps"), 3 * 40);
  const pnls = st.evaluation.getColumn("pnl").toArray() as number[];
  // PnL is 0 after the first step (quotes not yet in the book), so the cells hold it all.
  assert.ok(Math.abs(sum(st.pnlCells, "pnlSum") - pnls.reduce((a, b) => a + b, 0)) < 1e-9);
  // Every fill far enough from the end is in an adverse cell; adverse ones are a subset.
  const fills = sum(st.evaluation, "fills");
  const cellFills = sum(st.adverseCells, "fills");
  assert.ok(cellFills > 0 && cellFills <= fills, `${cellFills} of ${fills}`);
  assert.ok(sum(st.adverseCells, "adverse") <= cellFills);
  // The random quoter uses all five half-spreads.
  assert.deepEqual(
    [...new Set(st.pnlCells.getColumn("quoteLabel").toArray())].sort(),
    ["1", "2", "3", "4", "5"],
  );
  const shares = quoteShares(st.pnlCells).getColumn("share").toArray() as number[];
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

Deno.test("rlJob: the queue sweep's accounting", async () => {
  const one = rlStudyDef.fromRows(
    await rlJob({ kind: "queue", size: 1, seed: 0, settings: QUEUE }),
  );
  const three = rlStudyDef.fromRows(
    await rlJob({ kind: "queue", size: 3, seed: 0, settings: QUEUE }),
  );
  for (const st of [one, three]) {
    assert.equal(st.queue.height, 5); // front, 0-25%, 25-50%, 50-75%, > 75%
    const r = st.queue.toRecords() as Record<string, number>[];
    for (const b of r) assert.ok(b.filledQty <= b.restingQty && b.filledOrders <= b.orders);
    assert.ok(sum(st.queue, "filledQty") > 0);
  }
  // Size 1: an order fills entirely or not at all, so both rates agree; size 3 rests 3 a side.
  const f1 = queueFillRates(one.queue).toRecords() as Record<string, number>[];
  for (const b of f1) if (b.orders > 0) assert.equal(b.fillProb, b.fillRate);
  const q3 = three.queue.toRecords() as Record<string, number>[];
  assert.ok(q3.some((b) => b.restingQty > b.orders), "some orders of 3 units");
  assert.deepEqual(one.queue.getColumn("queueLabel").toArray(), [
    "front",
    "0%-25%",
    "25%-50%",
    "50%-75%",
    "> 75%",
  ]);
});

Deno.test("rlStudy: the tables, equal to running a job here", async () => {
  const agents = AGENTS.filter((a) => ["fixed", "tabular Q long", "DQN"].includes(a.label));
  const options = { agents, seeds: 2, settings: SETTINGS, queue: QUEUE };
  const one = await rlStudy({ ...options, workers: 0 });
  assert.equal(one.curves.filter(pl.col("agent").eq(pl.lit("tabular Q long"))).height, 2 * 3);
  assert.equal(one.curves.filter(pl.col("agent").eq(pl.lit("DQN"))).height, 2 * 2);
  assert.equal(one.evaluation.height, 3 * 2 * 2);
  assert.deepEqual(one.queue.getColumn("size").toArray(), [
    ...Array(10).fill(1),
    ...Array(10).fill(3),
  ]);
  // The DQN seed-1 job run here gives the same rows as in a worker.
  const job = rlJobs(options).find((j) =>
    j.kind === "agent" && j.case.label === "DQN" && j.seed === 1
  )!;
  const here = rlStudyDef.fromRows(await rlJob(job));
  const there = one.evaluation.filter(
    pl.col("agent").eq(pl.lit("DQN")).and(pl.col("seed").eq(pl.lit(1))),
  );
  assert.deepEqual(bytes(here.evaluation), bytes(there));
});

Deno.test("rlJobs: slowest kinds first, then the queue sweep; validation", () => {
  const jobs = rlJobs({ agents: AGENTS, seeds: 1, settings: SETTINGS, queue: QUEUE });
  assert.deepEqual(
    jobs.map((j) => (j.kind === "agent" ? j.case.label : `queue ${j.size}`)),
    [
      "SAC",
      "DQN",
      "PPO",
      "tabular Q",
      "tabular Q long",
      "random",
      "AS",
      "fixed",
      "queue 1",
      "queue 3",
    ],
  );
  assert.throws(
    () => rlJobs({ agents: [AGENTS[0], AGENTS[0]], seeds: 1, settings: SETTINGS }),
    /agents\[\]\.label: must be unique labels/,
  );
  assert.throws(() => rlJobs({ agents: AGENTS, seeds: 0, settings: SETTINGS }), ConfigError);
});

Deno.test("rlJob: bad settings are ConfigErrors naming the field", async () => {
  const job = { kind: "agent", case: AGENTS[0], seed: 0, settings: SETTINGS } as const;
  await assert.rejects(
    () => rlJob({ ...job, settings: { ...SETTINGS, evalEpisodes: 0 } }),
    /settings\.evalEpisodes: must be an integer in \[1, 10000\], got 0/,
  );
  await assert.rejects(
    () => rlJob({ ...job, settings: { ...SETTINGS, volEdges: [0.5, 0.2] } }),
    /settings\.volEdges\[1\]/,
  );
  await assert.rejects(() => rlJob({ ...job, seed: -1 }), /seed: must be an integer/);
  await assert.rejects(
    () => rlJob({ ...job, case: { label: "x", agent: { kind: "nope" } as never } }),
    /agent\.kind: must be one of/,
  );
  await assert.rejects(
    () => rlJob({ kind: "queue", size: 0, seed: 0, settings: QUEUE }),
    /size: must be an integer/,
  );
});

Deno.test("labels of buckets", () => {
  assert.deepEqual(integerBucketLabels([-5.5, -2.5, -0.5, 0.5, 2.5, 5.5]), [
    "<= -6",
    "-5 to -3",
    "-2 to -1",
    "0",
    "1 to 2",
    "3 to 5",
    ">= 6",
  ]);
  assert.deepEqual(integerBucketLabels([0]), ["<= 0", ">= 1"]);
  assert.deepEqual(rangeBucketLabels([0.4, 0.55, 0.75]), [
    "<= 0.4",
    "0.4-0.55",
    "0.55-0.75",
    "> 0.75",
  ]);
});

Deno.test("summaries on hand-made frames", () => {
  const cells = pl.DataFrame({
    agent: ["a", "a", "a", "b"],
    seed: [0, 1, 1, 0],
    inventoryBucket: [3, 3, 4, 3],
    inventoryLabel: ["0", "0", "1 to 2", "0"],
    quote: [0, 0, 1, 0],
    quoteLabel: ["1", "1", "2", "1"],
    steps: [10, 30, 10, 5],
    pnlSum: [4, 8, -1, 2],
  });
  const h = pnlHeatmap(cells).toRecords() as Record<string, number | string>[];
  // a at (0, "1"): 40 steps, PnL 12: 0.3 a step, 80% of a's 50 steps
  assert.deepEqual(
    h.map((r) => [r.agent, r.inventoryLabel, r.quoteLabel, r.steps, r.pnl, r.share]),
    [["a", "0", "1", 40, 0.3, 0.8], ["a", "1 to 2", "2", 10, -0.1, 0.2], [
      "b",
      "0",
      "1",
      5,
      0.4,
      1,
    ]],
  );
  const adv = adverseHeatmap(pl.DataFrame({
    agent: ["a", "a"],
    seed: [0, 1],
    timeBucket: [0, 0],
    timeLabel: ["0-59", "0-59"],
    volBucket: [2, 2],
    volLabel: ["x", "x"],
    fills: [3, 5],
    adverse: [1, 3],
    markoutSum: [-2, 6],
  })).toRecords()[0];
  assert.equal(adv.fills, 8);
  assert.equal(adv.adverseRate, 0.5);
  assert.equal(adv.markout, 0.5);
  const inv = inventoryShares(pl.DataFrame({
    agent: ["a", "a", "a"],
    seed: [0, 1, 0],
    inventory: [-1, -1, 2],
    steps: [1, 2, 1],
  })).toRecords();
  assert.deepEqual(inv.map((r) => [r.inventory, r.share]), [[-1, 0.75], [2, 0.25]]);
  const q = queueFillRates(pl.DataFrame({
    size: [2, 2],
    seed: [0, 1],
    queueBucket: [0, 0],
    queueLabel: ["front", "front"],
    orders: [10, 10],
    filledOrders: [2, 3],
    restingQty: [20, 20],
    filledQty: [3, 4],
  })).toRecords()[0];
  assert.equal(q.fillProb, 0.25);
  assert.equal(q.fillRate, 7 / 40);
});

Deno.test("per-seed means and their summary (lib/report), curveBands and comparisonTable", () => {
  const ev = pl.DataFrame({
    agent: ["b", "a", "a", "a", "a"],
    seed: [0, 1, 1, 0, 0],
    pnl: [9, 5, 7, 1, 3],
    sharpe: [null, 0.1, 0.3, null, null],
  });
  const sm = aggregate(ev, { by: ["agent", "seed"], mean: ["pnl", "sharpe"] });
  assert.deepEqual(sm.getColumn("agent").toArray(), ["a", "a", "b"]);
  assert.deepEqual(sm.getColumn("seed").toArray(), [0, 1, 0]);
  assert.deepEqual(sm.getColumn("pnl").toArray(), [2, 6, 9]);
  assert.deepEqual(sm.getColumn("sharpe").toArray(), [null, 0.2, null]);
  const s = summarise(sm, { by: ["agent"], cols: ["pnl", "sharpe"] }).toRecords();
  // a: seed means 2 and 6, sd 2√2, t(0.975, 1) = 12.7062; b: one seed, no interval
  assert.equal(s[0].pnl_mean, 4);
  assert.ok(Math.abs(Number(s[0].pnl_hi) - 4 - 12.7062 * 2) < 1e-3);
  assert.deepEqual([s[0].sharpe_mean, Number(s[0].sharpe_n), s[0].sharpe_lo], [0.2, 1, null]);
  assert.deepEqual([s[1].agent, s[1].pnl_mean, Number(s[1].pnl_n), s[1].pnl_sd], ["b", 9, 1, null]);
  // The same input gives byte-identical output (aggregation in a fixed order).
  const big = pl.DataFrame({
    agent: Array.from({ length: 5000 }, (_, i) => `x${i % 7}`),
    seed: Array.from({ length: 5000 }, (_, i) => i % 5),
    pnl: Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3 + 1 / (i + 1)),
  });
  const runs = Array.from(
    { length: 3 },
    () =>
      bytes(
        summarise(aggregate(big, { by: ["agent", "seed"], mean: ["pnl"] }), {
          by: ["agent"],
          cols: ["pnl"],
        }),
      ),
  );
  assert.deepEqual(runs[0], runs[1]);
  assert.deepEqual(runs[0], runs[2]);
  const curves = pl.DataFrame({
    agent: ["a", "a", "a", "a", "a", "a"],
    seed: [0, 0, 0, 1, 1, 1],
    episode: [0, 1, 2, 0, 1, 2],
    step: [10, 20, 30, 10, 20, 30],
    pnl: [1, 3, 10, 3, 5, 20],
  });
  const b = curveBands(curves, { block: 2, metrics: ["pnl"] }).toRecords();
  // block 0: seed means 2 and 4 (mean 3, sd √2, n 2: t(0.975, 1) = 12.7062); block 1: 10 and 20
  assert.deepEqual(b.map((r) => [r.episode, r.step, r.mean, r.n]), [[2, 15, 3, 2], [3, 30, 15, 2]]);
  assert.ok(Math.abs(Number(b[0].hi) - 3 - 12.7062) < 1e-3);
  const summary = pl.DataFrame({
    agent: ["a", "b"],
    pnl_mean: [1.23456, -0.5],
    pnl_lo: [1, null],
    pnl_hi: [1.5, null],
  });
  const t = comparisonTable(summary, { metrics: ["pnl"], headings: ["PnL"], order: ["b", "a"] });
  assert.deepEqual(t.getColumn("PnL").toArray(), ["-0.5 [—, —]", "1.23 [1, 1.5]"]);
  assert.throws(() => comparisonTable(summary, { metrics: ["pnl"], order: ["c"] }), ConfigError);
});

Deno.test("rlStudyDef: no rows gives empty frames with their columns", () => {
  const st = rlStudyDef.fromRows([]);
  assert.equal(st.curves.height, 0);
  assert.ok(st.evaluation.columns.includes("sharpe"));
  assert.equal(st.queue.getColumn("queueLabel").dtype.variant, "String");
});

Deno.test("prose summaries: best agent, curve trend, top quote, limit, fill rate, tables", () => {
  const rows = [{ agent: "a", pnl_mean: 1 }, { agent: "b", pnl_mean: 3 }, {
    agent: "c",
    pnl_mean: 2,
  }];
  assert.equal(bestAgent(rows, ["a", "c"], "pnl"), "c");
  assert.throws(() => agentRow(rows, "z"), ConfigError);
  const bands = pl.DataFrame({
    metric: ["pnl", "pnl", "pnl"],
    agent: ["a", "a", "a"],
    episode: [4, 8, 12],
    mean: [1, 2, 5],
    lo: [0.5, 1, 4],
    hi: [1.5, 3, 6],
  });
  assert.deepEqual(curveTrend(bands, { agent: "a", metric: "pnl" }), {
    first: 1,
    last: 5,
    episode: 12,
    trend: "rise",
  });
  const shares = pl.DataFrame({
    agent: ["a", "a"],
    quoteLabel: ["1", "cancel"],
    share: [0.3, 0.7],
  });
  assert.deepEqual(topQuote(shares, "a"), { label: "cancel", share: 0.7 });
  const inv = pl.DataFrame({
    agent: ["a", "a", "a"],
    inventory: [-10, 0, 10],
    share: [0.1, 0.7, 0.2],
  });
  assert.ok(Math.abs(timeAtLimit(inv, { agent: "a", limit: 10 }) - 0.3) < 1e-12);
  const rates = pl.DataFrame({ size: [1, 1], queueBucket: [0, 1], fillRate: [0.4, 0.1] });
  assert.equal(fillRateAt(rates, { size: 1, bucket: 1 }), 0.1);
  assert.ok(Number.isNaN(fillRateAt(rates, { size: 2, bucket: 0 })));
  const adverse = pl.DataFrame({
    agent: ["a", "b", "a"],
    seed: [0, 0, 0],
    timeBucket: [0, 1, 0],
    timeLabel: ["0-9", "10-19", "0-9"],
    volBucket: [0, 0, 1],
    volLabel: ["low", "low", "high"],
    fills: [2, 2, 4],
    adverse: [1, 0, 3],
    markoutSum: [0, 0, 0],
  });
  assert.deepEqual(adverseByVolatility(adverse), [0.25, 0.75]);
  const env = environmentTable({ episodeLength: 50, reward: { inventoryPenalty: 0.01 } })
    .toRecords();
  assert.equal(env[0].value, "50");
  assert.equal(env.find((r) => r.setting === "reward.inventoryPenalty")?.value, "0.01");
  const agents = agentTable(AGENTS.slice(2, 4), {
    trainEpisodes: 2,
    episodeLength: 40,
    trains: (a) => a.agent.kind === "tabular-q",
  }).toRecords();
  assert.deepEqual(agents.map((r) => r.training), ["none", "2 episodes, 80 steps"]);
});
