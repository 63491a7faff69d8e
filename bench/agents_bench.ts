/**
 * Training throughput of the deep RL agents on the toy chain environment (`tests/_toy_envs.ts`),
 * at their default hyperparameters (2×64 MLPs): environment steps per second of `train`, after a
 * warm-up past `learningStarts`, and of greedy acting alone.
 *
 * Run: `deno run --allow-read --allow-env --allow-sys --allow-ffi bench/agents_bench.ts [steps]`
 *
 * @module
 */
import { type Agent, dqn, evaluate, ppo, randomAgent, sac, train } from "../lib/agents/mod.ts";
import type { Env } from "../lib/env/types.ts";
import { chain } from "../tests/_toy_envs.ts";

const steps = Number(Deno.args[0] ?? 4000);

/** Steps per second of `train` over `n` steps, after `warm` steps not timed. */
function trainRate(make: (env: Env) => Agent, warm: number, n: number): number {
  const env = chain({ length: 16, horizon: 64 });
  const agent = make(env);
  train(env, agent, { steps: warm, seed: 1 });
  const t0 = performance.now();
  const r = train(env, agent, { steps: n });
  const rate = r.steps / ((performance.now() - t0) / 1000);
  agent.dispose();
  return rate;
}

/** Steps per second of greedy acting (no learning). */
function actRate(make: (env: Env) => Agent): number {
  const env = chain({ length: 16, horizon: 64 });
  const agent = make(env);
  evaluate(env, agent, { episodes: 200, seed: 1 });
  const t0 = performance.now();
  const r = evaluate(env, agent, { episodes: 2000 });
  const total = r.lengths.reduce((a, b) => a + b, 0);
  const rate = total / ((performance.now() - t0) / 1000);
  agent.dispose();
  return rate;
}

const rows: [string, (env: Env) => Agent, number][] = [
  ["random", (env) => randomAgent(env), 0],
  ["dqn (defaults: trainFrequency 4, batch 64)", (env) => dqn(env, { seed: 1 }), 1100],
  ["dqn (trainFrequency 1)", (env) => dqn(env, { seed: 1, trainFrequency: 1 }), 1100],
  [
    "dqn (plain: no double/dueling/PER)",
    (env) => dqn(env, { seed: 1, double: false, dueling: false, prioritized: false }),
    1100,
  ],
  ["ppo (defaults: 128 steps, 4×4 minibatches of 32)", (env) => ppo(env, { seed: 1 }), 256],
  ["sac (defaults: updateFrequency 4, batch 64)", (env) => sac(env, { seed: 1 }), 1100],
];
console.log(`chain(16), ${steps} timed steps; steps/s`);
for (const [name, make, warm] of rows) {
  const t = trainRate(make, warm, steps);
  const a = actRate(make);
  console.log(
    `${name.padEnd(52)} train ${t.toFixed(0).padStart(8)}   act ${a.toFixed(0).padStart(8)}`,
  );
}
