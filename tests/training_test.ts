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
import { restoreLearner } from "../lib/agents/mod.ts";
import { createContinuousMarketMakingEnv, marketCondition, runEpisodes } from "../lib/env/mod.ts";
import { throwsConfig, throwsUnknown } from "./_assert.ts";

Deno.test("train:rl quick plan: trains, writes checkpoints and curves, passes the check; the check catches problems", async () => {
  const plan = quickPlan();
  const dir = Deno.makeTempDirSync();
  const curves = await trainSuite({ plan, outDir: dir, workers: 2 });
  assert.equal(curves.eval.height, 9 * (plan.evalPoints + 1) * plan.evalEpisodes);
  assert.ok(curves.train.height >= 9 * 2, `${curves.train.height} training episodes`);
  assert.deepEqual(
    [...new Set(curves.eval.getColumn("agent").toArray())].sort(),
    ["dqn", "ppo", "sac"],
  );
  const ok = await checkModels({ plan, dir });
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.models, 9);
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
  assert.equal(jobs.length, 45);
  assert.equal(new Set(jobs.map(jobHash)).size, 45);
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
  // PPO on the plan's 5 seeds, SAC and DQN on their own 2, each on 3 conditions.
  assert.deepEqual([count("ppo"), count("sac"), count("dqn")], [15, 6, 6]);
  const ablation = suiteJobs(PLANS.ablation, "/tmp/x");
  const pnl = ablation.find((j) => j.agent.label === "ppo-pnl" && j.condition === "toxic")!;
  const ppo = jobs.find((j) => j.agent.label === "ppo" && j.condition === "toxic" && j.seed === 0)!;
  // The ablation arm differs from the reduced plan's PPO by its reward only.
  assert.deepEqual(pnl.agent.config, ppo.agent.config);
  assert.equal(jobEnvConfig(pnl).reward.inventoryPenalty, 0);
  assert.equal(jobEnvConfig(ppo).reward.inventoryPenalty, 0.005);
  assert.notEqual(jobHash(pnl), jobHash({ ...pnl, agent: { ...pnl.agent, reward: undefined } }));
});
