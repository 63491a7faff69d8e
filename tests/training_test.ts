/**
 * Tests of `lib/training/` (the `train:rl` plan, job, suite and check): the quick plan trains and
 * passes the check, and a restored model evaluates as its last curve point; a job is
 * deterministic (rows and checkpoint bytes); the check catches changed configurations, missing
 * and corrupt files; plans are validated with the field's path. (That sweeps do not depend on
 * the number of workers is tested once, for `lib/sweep`.)
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  checkModels,
  checkPlan,
  checkSuiteAgent,
  jobEnvConfig,
  jobHash,
  PLANS,
  quickPlan,
  SUITE,
  suiteJobs,
  type SuitePlan,
  trainJob,
  trainSuite,
} from "../lib/training/mod.ts";
import { asQuoter, residualEnv, restoreLearner, skewQuoter } from "../lib/agents/mod.ts";
import {
  createContinuousMarketMakingEnv,
  createDecodedQuote,
  decodeAction,
  marketCondition,
  runEpisode,
  runEpisodes,
} from "../lib/env/mod.ts";
import { checkPolicySpec } from "../lib/experiments/rl/mod.ts";
import { throwsConfig, throwsUnknown } from "./_assert.ts";

Deno.test("train:rl quick plan: trains, writes checkpoints and curves, passes the check; the check catches problems", async () => {
  const plan = quickPlan();
  const dir = Deno.makeTempDirSync();
  const curves = await trainSuite({ plan, outDir: dir, workers: 2 });
  // 4 learners (DQN, PPO, SAC, the residual PPO) × 3 conditions × 1 seed.
  assert.equal(curves.eval.height, 12 * (plan.evalPoints + 1) * plan.evalEpisodes);
  assert.ok(curves.train.height >= 12 * 2, `${curves.train.height} training episodes`);
  assert.deepEqual(
    [...new Set(curves.eval.getColumn("agent").toArray())].sort(),
    ["dqn", "ppo", "ppo-residual", "sac"],
  );
  const ok = await checkModels({ plan, dir });
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.models, 12);
  // A restored model evaluates as the run's last evaluation did.
  const file = `${dir}/sac_toxic_s0.json`;
  const env = createContinuousMarketMakingEnv(marketCondition("toxic", plan.env));
  const { learner } = restoreLearner(file, env);
  const r = runEpisodes<Float64Array>(env, learner as never, { episodes: 1, seed: plan.evalSeed });
  const last = curves.eval.filter(
    pl.col("agent").eq(pl.lit("sac")).and(pl.col("condition").eq(pl.lit("toxic"))),
  ).tail(1).toRecords()[0];
  assert.equal(r.metrics[0].pnl, last.pnl);
  // A changed hyperparameter makes the models stale; a missing file and a corrupt one are named.
  const changed: SuitePlan = {
    ...plan,
    agents: plan.agents.map((a) =>
      a.label === "ppo" ? { ...a, config: { ...a.config, learningRate: 1e-3 } } : a
    ),
  };
  const stale = await checkModels({ plan: changed, dir });
  assert.equal(
    stale.problems.filter((p) => p.includes("stale")).length,
    3,
    stale.problems.join("\n"),
  );
  assert.ok(stale.problems.some((p) => p.includes("plan hash")));
  Deno.removeSync(`${dir}/dqn_calm_s0.json`);
  const text = Deno.readTextFileSync(`${dir}/sac_calm_s0.json`);
  Deno.writeTextFileSync(`${dir}/sac_calm_s0.json`, text.replace('"steps":', '"steps": 1, "x":'));
  const bad = await checkModels({ plan, dir });
  assert.ok(
    bad.problems.some((p) => p === `${dir}/dqn_calm_s0.json: missing`),
    bad.problems.join("\n"),
  );
  assert.ok(bad.problems.some((p) => p.startsWith(`${dir}/sac_calm_s0.json: checksum mismatch`)));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("train:rl job: deterministic rows and checkpoint; the configuration hash follows the code", () => {
  const plan = quickPlan();
  const run = () => {
    const dir = Deno.makeTempDirSync();
    const [job] = suiteJobs({ ...plan, agents: [plan.agents[0]], conditions: ["volatile"] }, dir);
    const rows = trainJob(job);
    const text = Deno.readTextFileSync(`${dir}/dqn_volatile_s0.json`);
    Deno.removeSync(dir, { recursive: true });
    return { rows, text, hash: jobHash(job) };
  };
  const a = run(), b = run();
  assert.deepEqual(a.rows, b.rows);
  assert.equal(a.text, b.text);
  assert.equal(JSON.parse(a.text).configHash, a.hash);
  // Every job of the full plan has its own hash; a default is part of it.
  const jobs = suiteJobs(SUITE, "/tmp/x");
  assert.equal(jobs.length, 60);
  assert.equal(new Set(jobs.map(jobHash)).size, 60);
});

Deno.test("train:rl plans are validated, errors name the path", () => {
  const plan = quickPlan();
  throwsConfig(() => checkPlan({ ...plan, seeds: [] }), "plan.seeds");
  throwsConfig(
    () => checkPlan({ ...plan, conditions: ["calm", "stormy" as never] }),
    "plan.conditions[1]",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [{ ...plan.agents[0], steps: 0 }] }),
    "plan.agents[0].steps",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [plan.agents[0], plan.agents[0]] }),
    "plan.agents[1].label",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [{ ...plan.agents[0], config: { seed: 3 } }] }),
    "plan.agents[0].config.seed",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [{ ...plan.agents[0], seeds: [0, -1] }] }),
    "plan.agents[0].seeds[1]",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [{ ...plan.agents[0], reward: { pnll: 1 } as never }] }),
    "plan.agents[0].reward.pnll",
  );
  throwsConfig(() => checkPlan({ ...plan, evalpoints: 3 } as never), "plan.evalpoints");
  throwsConfig(() => checkPlan({ ...plan, env: { episodeLength: 0 } }), "plan.env.episodeLength");
  // A typo in a learner's hyperparameters is named with its path before any job is built.
  const typo = { ...plan, agents: [{ ...plan.agents[0], config: { learningrate: 1 } }] };
  throwsUnknown(
    () => suiteJobs(typo, "/tmp/x"),
    "plan.agents[0].config.learningrate",
    "learningRate",
  );
  throwsConfig(
    () => checkPlan({ ...plan, agents: [{ ...plan.agents[0], config: { gamma: "0.9" } }] }),
    "plan.agents[0].config.gamma",
  );
});

Deno.test("train:rl named plans: a learner's own seeds and reward change its jobs and hashes", () => {
  for (const p of Object.values(PLANS)) checkPlan(p);
  const jobs = suiteJobs(PLANS.reduced, "/tmp/x");
  const count = (label: string) => jobs.filter((j) => j.agent.label === label).length;
  // Every learner on the plan's 5 seeds, each on 3 conditions.
  assert.deepEqual(
    [count("ppo"), count("sac"), count("dqn"), count("ppo-residual")],
    [15, 15, 15, 15],
  );
  const ablation = suiteJobs(PLANS.ablation, "/tmp/x");
  const pnl = ablation.find((j) => j.agent.label === "ppo-pnl" && j.condition === "toxic")!;
  const ppo = jobs.find((j) => j.agent.label === "ppo" && j.condition === "toxic" && j.seed === 0)!;
  // The ablation arm differs from the reduced plan's PPO by its reward only.
  assert.deepEqual(pnl.agent.config, ppo.agent.config);
  assert.equal(jobEnvConfig(pnl).reward.inventoryPenalty, 0);
  assert.equal(jobEnvConfig(ppo).reward.inventoryPenalty, 0.005);
  assert.notEqual(jobHash(pnl), jobHash({ ...pnl, agent: { ...pnl.agent, reward: undefined } }));
});

Deno.test("residual actions: the zero action plays the base policy; a unit action moves it by the scale, clipped to the box", () => {
  const options = marketCondition("toxic", { episodeLength: 200 });
  const plain = createContinuousMarketMakingEnv(options);
  const env = createContinuousMarketMakingEnv(options);
  const base = { gamma: 0.001, k: 0.5, size: 2 };
  const r = residualEnv(env, { base: asQuoter(env, base), scale: 0.25 });
  const zero = { name: "zero", stats: {}, act: () => new Float64Array(5) };
  const a = runEpisode(plain as never, asQuoter(plain, base) as never, { seed: 7 });
  const b = runEpisode(r as never, zero as never, { seed: 7 });
  assert.equal(b.metrics.pnl, a.metrics.pnl);
  assert.equal(b.metrics.fills, a.metrics.fills);
  assert.ok(a.metrics.fills > 10);
  // +1 on the bid offset with scale 0.25: a quarter of the 8-tick range, 1 tick wider.
  const skew = createContinuousMarketMakingEnv({ episodeLength: 5, latency: 0 });
  const quoter = skewQuoter(skew, { halfSpread: 2, skew: 0, size: 1 });
  const played: Float64Array[] = [];
  const spy = {
    ...skew,
    reset: (o?: { seed?: number }) => skew.reset(o),
    step: (x: Float64Array) => (played.push(x.slice()), skew.step(x)),
  };
  const w = residualEnv(spy, { base: quoter, scale: [0.25, 0.25, 0.25, 2, 0] });
  w.reset({ seed: 1 });
  w.step(Float64Array.of(1, -1, 1, -1, 1));
  const q = decodeAction(skew.continuous, played[0], createDecodedQuote());
  assert.deepEqual([q.bidOffset, q.askOffset, q.bidSize, q.askSize, q.target], [3, 1, 1, 0, 0]);
  w.step(Float64Array.of(0, 0, 0, 1, 0)); // the ask size clipped at the box's 2 lots
  assert.equal(played[1][3], 1);
  // Bad input is named.
  throwsConfig(() => residualEnv(skew, { base: quoter, scale: 3 }), "scale");
  throwsConfig(() => residualEnv(skew, { base: quoter, scale: [0, 0, 0, 0, -1] }), "scale[4]");
  throwsConfig(() => residualEnv(skew, { base: {} as never, scale: 1 }), "base");
  throwsConfig(() => w.step(Float64Array.of(0, 0, 2, 0, 0)), "action[2]");
});

Deno.test("train:rl residual learner: the plan's anchor is checked, hashed and played (the untrained policy is the baseline)", () => {
  const plan = PLANS.reduced;
  const res = plan.agents.find((a) => a.label === "ppo-residual")!;
  // Each condition's anchor is in that condition's job hash, and only there.
  const jobs = suiteJobs(plan, "/tmp/x").filter((j) => j.agent.label === "ppo-residual");
  assert.equal(new Set(jobs.map(jobHash)).size, 15);
  const j = jobs.find((x) => x.condition === "calm" && x.seed === 0)!;
  const other = { ...res.anchor!.baselines, calm: res.anchor!.baselines.toxic };
  assert.notEqual(
    jobHash(j),
    jobHash({ ...j, agent: { ...res, anchor: { ...res.anchor!, baselines: other } } }),
  );
  // Nested fields are checked with their path.
  throwsConfig(
    () => checkSuiteAgent({ ...res, anchor: { ...res.anchor!, scale: 5 } }),
    "agent.anchor.scale",
  );
  throwsUnknown(
    () =>
      checkSuiteAgent({
        ...res,
        anchor: {
          ...res.anchor!,
          baselines: {
            ...other,
            calm: { kind: "as", gamma: 0.1, k: 1, size: 1, sise: 2 } as never,
          },
        },
      }),
    "agent.anchor.baselines.calm.sise",
    "size",
  );
  throwsConfig(
    () => checkSuiteAgent({ ...res, anchor: { scale: 0.5, baselines: { calm: other.calm } } }),
    "agent.anchor.baselines.volatile",
  );
  throwsConfig(
    () => checkSuiteAgent({ ...plan.agents.find((a) => a.learner === "dqn")!, anchor: res.anchor }),
    "agent.anchor",
  );
  throwsConfig(
    () =>
      checkPlan({
        ...plan,
        agents: [{
          ...res,
          anchor: {
            ...res.anchor!,
            baselines: { ...other, calm: { kind: "as", gamma: -1, k: 1, size: 1 } },
          },
        }],
      }),
    "plan.agents[0].anchor.baselines.calm.gamma",
  );
  // The rl study checks a model policy's agent the same way (nested keys were not checked).
  const env = () => createContinuousMarketMakingEnv();
  const spec = (agent: unknown) => ({ kind: "model", dir: "/x", agent, seed: 0 });
  throwsUnknown(
    () =>
      checkPolicySpec(spec({ ...res, config: { ...res.config, learningrate: 1 } }), "policy", env),
    "policy.agent.config.learningrate",
    "learningRate",
  );
  throwsConfig(
    () => checkPolicySpec(spec({ ...res, reward: { pnll: 1 } }), "policy", env),
    "policy.agent.reward.pnll",
  );
  throwsConfig(
    () => checkPolicySpec(spec({ ...res, extra: 1 }), "policy", env),
    "policy.agent.extra",
  );
});

Deno.test("train:rl reuse: a current model already in the folder is kept, only new jobs train", async () => {
  const q = quickPlan();
  const ppo = q.agents.find((a) => a.learner === "ppo-continuous")!;
  const one: SuitePlan = { ...q, agents: [ppo], conditions: ["calm"], evalPoints: 1 };
  const dir = Deno.makeTempDirSync();
  await trainSuite({ plan: one, outDir: dir, workers: 0 });
  const before = Deno.readTextFileSync(`${dir}/ppo_calm_s0.json`);
  const trained: string[] = [];
  let kept: string[] = [];
  const two = { ...one, seeds: [0, 1] };
  const curves = await trainSuite({
    plan: two,
    outDir: dir,
    workers: 0,
    onJob: ({ job }) => trained.push(`${job.seed}`),
    onReuse: (jobs) => (kept = jobs.map((j) => `${j.seed}`)),
  });
  assert.deepEqual([kept, trained], [["0"], ["1"]]);
  assert.equal(Deno.readTextFileSync(`${dir}/ppo_calm_s0.json`), before);
  assert.deepEqual([...new Set(curves.eval.getColumn("seed").toArray())].sort(), [0, 1]);
  assert.deepEqual((await checkModels({ plan: two, dir })).problems, []);
  // A plan cut to another learner (`--only`) leaves these models' curves in place, so the whole
  // plan then trains nothing.
  const sac = q.agents.find((a) => a.learner === "sac-continuous")!;
  await trainSuite({ plan: { ...two, agents: [sac] }, outDir: dir, workers: 0 });
  const both = { ...two, agents: [ppo, sac] };
  trained.length = 0;
  await trainSuite({
    plan: both,
    outDir: dir,
    workers: 0,
    onJob: ({ job }) => trained.push(`${job.seed}`),
  });
  assert.equal(trained.length, 0);
  assert.deepEqual((await checkModels({ plan: both, dir })).problems, []);
  // A changed configuration, or reuse: false, trains again.
  trained.length = 0;
  const changed = { ...two, agents: [{ ...ppo, config: { ...ppo.config, learningRate: 1e-3 } }] };
  await trainSuite({
    plan: changed,
    outDir: dir,
    workers: 0,
    onJob: ({ job }) => trained.push(`${job.seed}`),
  });
  assert.deepEqual(trained.sort(), ["0", "1"]);
  trained.length = 0;
  await trainSuite({
    plan: changed,
    outDir: dir,
    workers: 0,
    reuse: false,
    onJob: ({ job }) => trained.push(`${job.seed}`),
  });
  assert.equal(trained.length, 2);
  Deno.removeSync(dir, { recursive: true });
});
