/**
 * Tests of `lib/experiments/rl/` (notebook 07's study) with tiny budgets: an evaluation job
 * against the episode runner on its documented seeds, a trained checkpoint played by the study,
 * the per-step aggregates' totals, the queue sweep's accounting, the job lists, the whole study
 * against a job run here, the baseline grid, the summaries on hand-made frames, and validation.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  baselineGrid,
  compareJobs,
  curveBands,
  EPISODE_STRIDE,
  type EvalJob,
  evalJob,
  flattening,
  inventoryShares,
  markoutTable,
  queueFillRates,
  queueJob,
  rlJob,
  type RlSettings,
  rlStudy,
  rlStudyDef,
  targetVerdict,
  TEST_SEED_BASE,
  trainingTrend,
  TUNE_SEED_BASE,
  tuneJobs,
  versusBest,
  volTimeMap,
} from "../lib/experiments/rl/mod.ts";
import { createContinuousMarketMakingEnv, marketCondition, runEpisode } from "../lib/env/mod.ts";
import { restoreLearner, skewQuoter } from "../lib/agents/mod.ts";
import { makeJobEnv, quickPlan, trainJob } from "../lib/training/mod.ts";

const ENV = { episodeLength: 40, reward: { pnl: 1, inventoryPenalty: 0.005 } };
const SETTINGS: RlSettings = { env: ENV, riskPenalty: 0.005 };
const FIXED = { kind: "skew", halfSpread: 1, skew: 0, size: 1 } as const;
const JOB: EvalJob = {
  label: "fixed",
  condition: "toxic",
  policy: FIXED,
  set: 2,
  episodes: 3,
  seedBase: TEST_SEED_BASE,
  detail: true,
  settings: SETTINGS,
};
const QUEUE = { env: { episodeLength: 40 }, sizes: [1, 3], episodes: 2 };

function sum(df: pl.DataFrame, col: string): number {
  return (df.getColumn(col).toArray() as number[]).reduce((a, b) => a + b, 0);
}

Deno.test("evalJob: a baseline's rows are the episode runner's on the documented seeds", () => {
  const rows = evalJob(JOB);
  assert.deepEqual(evalJob(JOB), rows, "deterministic");
  const st = rlStudyDef.fromRows(rows);
  const env = createContinuousMarketMakingEnv(marketCondition("toxic", ENV));
  const agent = skewQuoter(env, { halfSpread: 1, skew: 0, size: 1 });
  const ep = st.episodes.toRecords() as Record<string, number>[];
  for (let k = 0; k < 3; k++) {
    const seed = TEST_SEED_BASE + 2 * EPISODE_STRIDE + k;
    const m = runEpisode(env, agent, { seed, horizons: [5] }).metrics;
    assert.equal(ep[k].pnl, m.pnl);
    assert.equal(ep[k].objective, m.pnl - 0.005 * m.inventorySquares);
    assert.equal(ep[k].fills, m.fills);
    assert.equal(ep[k].adverse, m.adverseRate[0]);
    assert.equal(ep[k].zero, m.zeroRate[0]);
    assert.equal(ep[k].markout, m.markout[0]);
  }
  assert.deepEqual(st.episodes.getColumn("config").toArray(), Array(3).fill("h=1 κ=0 size=1"));
  // The search plays other episodes than the comparison.
  const tune = rlStudyDef.fromRows(evalJob({ ...JOB, seedBase: TUNE_SEED_BASE, detail: false }));
  assert.notDeepEqual(tune.episodes.getColumn("pnl").toArray(), ep.map((r) => r.pnl));
  assert.equal(tune.cells.height, 0);
});

Deno.test("evalJob: per-step aggregates add up to the episodes they come from", () => {
  const st = rlStudyDef.fromRows(evalJob(JOB));
  // Step 0 has no history: 39 steps per episode in the cells, 40 inventory rows.
  assert.equal(sum(st.cells, "steps"), 3 * 39);
  assert.equal(sum(st.inventory, "steps"), 3 * 40);
  const fills = sum(st.episodes, "fills");
  assert.ok(sum(st.cells, "fills") <= fills && sum(st.cells, "markoutFills") > 0);
  // Flat markouts exist on the tick grid and are neither adverse nor favourable.
  const m = markoutTable(st.cells).toRecords()[0] as Record<string, number>;
  assert.ok(m.zeroRate > 0);
  assert.ok(Math.abs(m.adverseRate + m.zeroRate + m.favourableRate - 1) < 1e-12);
  const map = volTimeMap(st.cells).toRecords() as Record<string, number>[];
  assert.equal(map.reduce((a, r) => a + r.steps, 0), 3 * 39);
  const shares = inventoryShares(st.inventory).getColumn("share").toArray() as number[];
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

Deno.test("evalJob: a trained checkpoint is restored and played greedily", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const plan = quickPlan();
    const agent = { ...plan.agents.find((a) => a.learner === "ppo-continuous")!, steps: 512 };
    const env = { ...plan.env, episodeLength: 40 };
    trainJob({
      agent,
      condition: "calm",
      seed: 1,
      env,
      evalPoints: 1,
      evalEpisodes: 1,
      evalSeed: 0,
      outDir: dir,
    });
    const job: EvalJob = {
      ...JOB,
      label: "PPO",
      condition: "calm",
      set: 1,
      episodes: 2,
      detail: false,
      policy: { kind: "model", dir, agent, seed: 1 },
      settings: { env, riskPenalty: 0.005 },
    };
    const rows = evalJob(job);
    assert.deepEqual(evalJob(job), rows, "greedy play is deterministic");
    const e = makeJobEnv({ agent, condition: "calm", env });
    const { learner } = restoreLearner(`${dir}/ppo_calm_s1.json`, e);
    const seed = TEST_SEED_BASE + EPISODE_STRIDE;
    const m = runEpisode(e as never, learner as never, { seed, horizons: [5] }).metrics;
    assert.equal(rows[0].pnl, m.pnl);
    assert.equal(rows[0].config, "ppo");
    // Box actions: the target figures are recorded.
    assert.equal(typeof rows[0].targetGap, "number");
    assert.throws(
      () => evalJob({ ...job, policy: { kind: "model", dir, agent, seed: 3 } }),
      /ppo_calm_s3\.json/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("queueJob: the queue sweep's accounting", () => {
  const one = rlStudyDef.fromRows(queueJob({ size: 1, seed: 0, settings: QUEUE }));
  const three = rlStudyDef.fromRows(queueJob({ size: 3, seed: 0, settings: QUEUE }));
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

Deno.test("job lists: the search's and the comparison's; the study equals a job run here", async () => {
  const grid = baselineGrid({
    sizes: [1],
    halfSpreads: [1, 2],
    skews: [0.1],
    gammas: [0.01],
    ks: [1],
  });
  const tune = tuneJobs({
    baselines: grid,
    conditions: ["calm", "toxic"],
    sets: 2,
    episodes: 1,
    settings: SETTINGS,
  });
  assert.equal(tune.length, 2 * grid.length * 2);
  assert.ok(tune.every((j) => j.kind === "eval" && j.seedBase === TUNE_SEED_BASE && !j.detail));
  const model = { kind: "model", dir: "/nowhere", agent: quickPlan().agents[0], seed: 0 } as const;
  const jobs = compareJobs({
    policies: [
      { label: "fixed", condition: "calm", policy: () => FIXED },
      { label: "DQN", condition: "calm", policy: (s) => ({ ...model, seed: s }) },
    ],
    sets: 2,
    episodes: 1,
    settings: SETTINGS,
    queue: { ...QUEUE, seeds: 1 },
  });
  // Models first (the slow ones), then baselines, then the queue sweep.
  assert.deepEqual(
    jobs.map((j) => j.kind === "eval" ? `${j.label} ${j.set}` : `queue ${j.size}`),
    ["DQN 0", "DQN 1", "fixed 0", "fixed 1", "queue 1", "queue 3"],
  );
  assert.throws(
    () =>
      compareJobs({
        policies: [
          { label: "fixed", condition: "calm", policy: () => FIXED },
          { label: "fixed", condition: "calm", policy: () => FIXED },
        ],
        sets: 1,
        episodes: 1,
        settings: SETTINGS,
      }),
    /policies: must be unique label × condition pairs/,
  );
  const st = await rlStudy(tune.slice(0, 4), { workers: 1 });
  assert.equal(st.episodes.height, 4);
  const here = rlStudyDef.fromRows(await rlJob(tune[3]));
  assert.deepEqual(
    st.episodes.tail(1).toRecords(),
    here.episodes.toRecords(),
  );
});

Deno.test("baselineGrid: families and sizes; bad grids name the field", () => {
  const g = baselineGrid();
  const labels = new Set(g.map((x) => x.label));
  assert.deepEqual([...labels], ["fixed spread", "skewed spread", "Avellaneda–Stoikov"]);
  // 8 offsets + 6 offsets ≥ 1 × 4 skews + 5 γ × 5 k, at 2 sizes
  assert.equal(g.length, 2 * (8 + 24 + 25));
  assert.throws(
    () =>
      baselineGrid({
        ...{ sizes: [1], halfSpreads: [1], skews: [0.1], gammas: [1], ks: [] },
        ks: [NaN],
      }),
    /grid\.ks/,
  );
});

Deno.test("tuneJobs and compareJobs: the nested options are checked with their paths first", () => {
  const tune = (over: Record<string, unknown>) => () =>
    tuneJobs({
      baselines: [{ label: "fixed", policy: FIXED }],
      conditions: ["calm"],
      sets: 1,
      episodes: 1,
      settings: SETTINGS,
      ...over,
    } as never);
  assert.throws(
    tune({ settings: { ...SETTINGS, riskPenlty: 1 } }),
    /"riskPenlty": unknown option of tuneJobs's settings; did you mean "riskPenalty"/,
  );
  assert.throws(
    tune({ settings: { ...SETTINGS, env: { episodeLength: 0 } } }),
    /settings\.env\.episodeLength: must be/,
  );
  assert.throws(
    tune({ baselines: [{ label: "f", policy: { ...FIXED, halfSpred: 1 } }] }),
    /"halfSpred": unknown option of .*baselines\[0\]\.policy; did you mean "halfSpread"/,
  );
  assert.throws(
    tune({ baselines: [{ label: "f", policy: { ...FIXED, size: "1" } }] }),
    /baselines\[0\]\.policy\.size: must be/,
  );
  assert.throws(tune({ conditions: ["stormy"] }), /conditions\[0\]: must be one of/);
  assert.throws(
    () =>
      compareJobs({
        policies: [{
          label: "f",
          condition: "calm",
          policy: (s: number) => ({ ...FIXED, skew: s ? NaN : 0 }),
        }],
        sets: 2,
        episodes: 1,
        settings: SETTINGS,
        queue: { ...QUEUE, seeds: 1 },
      } as never),
    /policies\[0\]\.policy\(1\)\.skew: must be/,
  );
  assert.throws(
    () =>
      compareJobs({
        policies: [{ label: "f", condition: "calm", policy: () => FIXED }],
        sets: 1,
        episodes: 1,
        settings: SETTINGS,
        queue: { ...QUEUE, seeds: 1, size: [1] },
      } as never),
    /"size": unknown option of compareJobs's queue; did you mean "sizes"/,
  );
});

Deno.test("rlJob: bad jobs are ConfigErrors naming the field", async () => {
  await assert.rejects(() => rlJob({ kind: "eval", ...JOB, episodes: 0 }), /job\.episodes/);
  await assert.rejects(() => rlJob({ kind: "eval", ...JOB, set: 1000 }), /job\.set/);
  await assert.rejects(
    () => rlJob({ kind: "eval", ...JOB, condition: "stormy" as never }),
    /job\.condition: must be one of calm, volatile, toxic/,
  );
  await assert.rejects(
    () => rlJob({ kind: "eval", ...JOB, settings: { ...SETTINGS, volEdges: [0.5, 0.2] } }),
    /settings\.volEdges\[1\]/,
  );
  await assert.rejects(
    () => rlJob({ kind: "eval", ...JOB, settings: { ...SETTINGS, riskPenalty: -1 } }),
    /settings\.riskPenalty/,
  );
  await assert.rejects(
    () => rlJob({ kind: "eval", ...JOB, policy: { kind: "nope" } as never }),
    /policy\.kind/,
  );
  await assert.rejects(
    () => rlJob({ kind: "queue", size: 0, seed: 0, settings: QUEUE }),
    /size: must be an integer/,
  );
});

Deno.test("versusBest and targetVerdict: paired by set against the best baseline", () => {
  // Two baselines and a learner on two conditions, 3 sets, one episode each.
  const rows: Record<string, unknown>[] = [];
  const add = (label: string, condition: string, xs: number[]) =>
    xs.forEach((objective, seed) => rows.push({ label, condition, seed, objective }));
  add("fixed", "calm", [10, 11, 12]);
  add("as", "calm", [20, 22, 21]);
  add("PPO", "calm", [30, 33, 31]); // beats the best (as) in every set
  add("fixed", "toxic", [5, 6, 7]);
  add("PPO", "toxic", [4, 9, 5]); // differences -1, 3, -2: not distinguishable
  const v = versusBest(pl.DataFrame(rows), { learners: ["PPO"], baselines: ["fixed", "as"] });
  assert.deepEqual(v.map((r) => [r.condition, r.baseline, r.verdict]), [
    ["calm", "as", "above"],
    ["toxic", "fixed", "not distinguishable from"],
  ]);
  assert.equal(v[0].diff.diff_mean, 31 / 3 + 0);
  const t = targetVerdict(v);
  assert.deepEqual(t, { met: false, winners: [], wins: { PPO: ["calm"] } });
  assert.equal(targetVerdict(v, 1).met, true);
});

Deno.test("curveBands and flattening on hand-made learning curves", () => {
  // Two seeds, evaluations at steps 0, 10, 20 (two episodes each); objective = pnl − Σq².
  const rows: Record<string, unknown>[] = [];
  const curve: Record<number, number[]> = { 0: [0, 10, 11], 1: [2, 14, 13] };
  for (const seed of [0, 1]) {
    [0, 10, 20].forEach((step, i) => {
      for (const e of [0, 1]) {
        rows.push({
          agent: "ppo",
          condition: "calm",
          seed,
          step,
          episode: e,
          pnl: curve[seed][i] + 1 + (e ? 1 : -1),
          inventorySquares: 1,
        });
      }
    });
  }
  const df = pl.DataFrame(rows);
  const b = curveBands(df, { riskPenalty: 1 }).toRecords() as Record<string, number>[];
  assert.deepEqual(b.map((r) => r.mean), [1, 12, 12]);
  assert.deepEqual(b.map((r) => r.n), [2, 2, 2]);
  const [end] = flattening(df, { riskPenalty: 1, back: 1 });
  // Step 20 − step 10 per seed: +1 and −1: flat; the whole curve rises.
  assert.equal(end.gain, 0);
  assert.ok(end.flat && end.lastStep === 20 && end.beforeStep === 10);
  const [rise] = flattening(df, { riskPenalty: 1, back: 2 });
  assert.equal(rise.gain, 11);
});

Deno.test("trainingTrend: first and last part of each run's training episodes, paired by seed", () => {
  // Two seeds, 10 episodes each: returns rise by 1 per episode (seed 0) and 2 (seed 1).
  const rows: Record<string, unknown>[] = [];
  for (const seed of [0, 1]) {
    for (let episode = 0; episode < 10; episode++) {
      rows.push({ agent: "ppo", condition: "calm", seed, episode, return: (seed + 1) * episode });
    }
  }
  // Episodes out of order must not matter.
  const [t] = trainingTrend(pl.DataFrame(rows.reverse()), { fraction: 0.2 });
  // Seed 0: first (0 + 1)/2 = 0.5, last (8 + 9)/2 = 8.5; seed 1: 1 and 17.
  assert.equal(t.first, 0.75);
  assert.equal(t.last, 12.75);
  assert.equal(t.gain, 12);
  assert.equal(t.n, 2);
  assert.ok(t.gainLo < 12 && t.gainHi > 12);
  assert.throws(() => trainingTrend(pl.DataFrame(rows), { fraction: 0.6 }), /fraction/);
});
