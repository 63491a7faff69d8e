/**
 * `deno task train:rl`: trains every learner of a plan (`lib/training/plan.ts`: DQN with noisy
 * networks on the quote grid, Gaussian PPO and SAC on the continuous actions) on every market
 * condition (calm, volatile, toxic) and training seed, on Web Workers, and writes checkpoints,
 * learning curves (Parquet) and a manifest with the configuration hashes to `data/models/<plan>`.
 *
 * ```sh
 * deno task train:rl                  # the full plan into data/models/full (committed; its cost: COMMITTED_RUN)
 * deno task train:rl --plan reduced   # the reduced plan, data/models/reduced (the ablation's middle arm)
 * deno task train:rl --plan ablation  # the reward ablation, data/models/ablation
 * deno task train:rl --quick          # tiny budgets, into a new folder under /tmp (printed)
 * deno task train:rl --plan reduced --check   # do the models match the code's configuration?
 * ```
 *
 * Options: `--plan full|reduced|ablation` (default full), `--out DIR` (output folder; the default
 * is `data/models/<plan>`, or a temporary folder with `--quick`), `--workers N` (default: the number of cores), `--only LABEL` (repeatable: train only
 * these learners, for experiments; the committed models come from the whole plan), `--fresh`
 * (retrain every job; by default a job whose current model, same configuration hash, is already
 * in the folder with its curves is kept, so adding seeds trains only the new ones). Progress: a
 * line per finished job, and one per evaluation of each job (greedy return and PnL).
 *
 * @module
 */
import { flagsOrExit } from "./_flags.ts";
import {
  checkModels,
  PLANS,
  quickPlan,
  suiteJobs,
  type SuitePlan,
  trainSuite,
} from "../lib/training/mod.ts";

const USAGE =
  "usage: deno task train:rl [--plan full|reduced|ablation] [--quick] [--check] [--out DIR] " +
  "[--workers N] [--only LABEL]... [--fresh]";

const { values } = flagsOrExit(
  "train:rl",
  Deno.args,
  {
    plan: { type: "string", default: "full" },
    quick: { type: "boolean", default: false },
    check: { type: "boolean", default: false },
    out: { type: "string" },
    workers: { type: "string" },
    only: { type: "string", multiple: true },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
  USAGE,
);
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}

const name = values.plan as keyof typeof PLANS;
if (!Object.hasOwn(PLANS, name)) {
  console.error(`--plan: one of ${Object.keys(PLANS).join(", ")}, got ${values.plan}`);
  Deno.exit(2);
}
let plan: SuitePlan = values.quick ? quickPlan() : PLANS[name];
if (values.only?.length) {
  const unknown = values.only.filter((l) => !plan.agents.some((a) => a.label === l));
  if (unknown.length > 0) {
    console.error(
      `--only: unknown learner ${unknown.join(", ")} (the plan has ${
        plan.agents.map((a) => a.label).join(", ")
      })`,
    );
    Deno.exit(2);
  }
  plan = { ...plan, agents: plan.agents.filter((a) => values.only!.includes(a.label)) };
}
const root = new URL("..", import.meta.url).pathname;
const outDir = values.out ??
  (values.quick
    ? await Deno.makeTempDir({ prefix: "train-rl-quick-" })
    : `${root}data/models/${name}`);

if (values.check) {
  const r = await checkModels({ plan, dir: outDir });
  for (const p of r.problems) console.error(`  ${p}`);
  console.log(
    r.ok
      ? `train:rl --check: ${r.models} models in ${outDir} match the code's configuration`
      : `train:rl --check: ${r.problems.length} problem(s) in ${outDir}`,
  );
  Deno.exit(r.ok ? 0 : 1);
}

const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
  console.error(`--workers: must be an integer >= 1, got ${values.workers}`);
  Deno.exit(2);
}
const planned = suiteJobs(plan, outDir);
const jobs = planned.length;
const steps = planned.reduce((s, j) => s + j.agent.steps, 0);
console.log(
  `train:rl ${values.quick ? "--quick" : name}: ${jobs} jobs (${
    plan.agents.map((a) => `${a.label} ${a.steps.toLocaleString("en-US")} steps`).join(", ")
  }; ` +
    `${plan.conditions.join(", ")}; seeds ${
      plan.seeds.join(", ")
    } unless a learner has its own), ` +
    `${steps.toLocaleString("en-US")} environment steps in all, into ${outDir}`,
);
const t0 = performance.now();
const curves = await trainSuite({
  plan,
  outDir,
  workers,
  log: true,
  reuse: !values.fresh,
  onReuse: (kept) => {
    if (kept.length > 0) {
      const left = planned.length - kept.length;
      const keptSteps = kept.reduce((s, j) => s + j.agent.steps, 0);
      console.log(
        `train:rl: ${kept.length} current model(s) kept from ${outDir} (--fresh retrains them); ` +
          `${left} job(s), ${
            (steps - keptSteps).toLocaleString("en-US")
          } environment steps to train`,
      );
    }
  },
  onJob: ({ done, total, job }) => {
    const s = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(
      `train:rl job ${done}/${total} done (${job.agent.label}/${job.condition}/s${job.seed}), ${s} s`,
    );
  },
});
const minutes = (performance.now() - t0) / 60_000;
console.log(
  `train:rl: ${jobs} checkpoints, ${curves.train.height} training episodes, ` +
    `${curves.eval.height} evaluation episodes in ${outDir} (${minutes.toFixed(1)} min)`,
);
