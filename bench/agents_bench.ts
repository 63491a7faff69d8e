/**
 * `deno task bench:agents [steps]`: training throughput of the deep RL agents on the real
 * environment (the order-book environment, 1,000-step episodes, default flow), in environment
 * steps per second of training, side by side with the implementation they replaced, in one run.
 *
 * The baseline is commit `c4f33ab`'s `lib/` (tfjs on its CPU backend, one environment),
 * extracted with `git archive c4f33ab lib | tar -x` into a temporary folder and imported from
 * there. Both train at their default hyperparameters (the same ones) on the same discrete
 * environment (bit-identical in both versions), after a warm-up past `learningStarts` (or one PPO
 * rollout) that is not timed. The old agent, the new one with one environment copy and the new
 * one with `N` copies (`trainVec`, one batched forward pass per vector step) then train in turn,
 * a chunk of steps each (whole PPO rollouts), for several rounds; each figure is its total steps
 * over its total time, so the machine's load, which other people share, falls on all three alike.
 * The continuous SAC and Gaussian PPO, which have no baseline, are measured the same way on the
 * continuous environment.
 *
 * The last table says where a new agent's training time goes: stepping the environments, acting
 * (batched forward passes) and learning (`observeBatch`: replay, targets, backward passes, Adam).
 *
 * Run: `deno task bench:agents [steps]` (needs `git` and `tar`; about 3,000 timed steps per
 * figure by default).
 *
 * @module
 */
import {
  dqn,
  ppo,
  ppoContinuous,
  sac,
  sacContinuous,
  trainVec,
  type VecAgent,
} from "../lib/agents/mod.ts";
import { GEMM_BACKEND } from "../lib/agents/_gemm.ts";
import {
  createContinuousMarketMakingEnv,
  createMarketMakingEnv,
  createVecEnv,
  type VecEnv,
} from "../lib/env/mod.ts";
import type { Action, Env } from "../lib/env/types.ts";

const BASELINE = "c4f33ab";
const STEPS = Number(Deno.args[0] ?? 3000);
const COPIES = 8;
const ENV = { episodeLength: 1000 };

/** Extracts the baseline's `lib/` into a temporary folder and imports its agents. */
async function baseline() {
  const dir = await Deno.makeTempDir({ prefix: "lobgame-baseline-" });
  const root = new URL("..", import.meta.url).pathname;
  const archive = new Deno.Command("git", {
    args: ["-C", root, "archive", BASELINE, "lib"],
    stdout: "piped",
  }).spawn();
  const tar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  await archive.stdout.pipeTo(tar.stdin);
  const [a, t] = await Promise.all([archive.status, tar.status]);
  if (!a.success || !t.success) throw new Error(`could not extract ${BASELINE}'s lib/ into ${dir}`);
  const agents = await import(`${dir}/lib/agents/mod.ts`);
  return { dir, agents };
}

interface OldAgent {
  dispose(): void;
}
type OldTrain = (env: Env, agent: OldAgent, o: { steps: number; seed?: number }) => unknown;

/** A contender: trains `steps` more steps when called (already warmed up). */
type Runner = (steps: number) => void;

/** The baseline's agent on the discrete environment, warmed up by `warm` steps. */
function oldRunner(train: OldTrain, make: (env: Env) => OldAgent, warm: number): Runner {
  const env = createMarketMakingEnv(ENV);
  const agent = make(env);
  train(env, agent, { steps: warm, seed: 1 });
  return (steps) => void train(env, agent, { steps });
}

/** A new agent on `copies` environment copies, warmed up by `warm` steps. */
function newRunner<A extends Action>(
  makeEnv: () => Env<Float64Array, A>,
  make: (vec: VecEnv<A>) => VecAgent<A>,
  o: { warm: number; copies: number },
): Runner {
  const vec = createVecEnv({ make: makeEnv, copies: o.copies });
  const agent = make(vec);
  trainVec(vec, agent, { steps: o.warm, seed: 1 });
  return (steps) => void trainVec(vec, agent, { steps });
}

/** Steps per second of each runner: `rounds` rounds, each runner training `chunk` steps in turn. */
function race(runners: Runner[], o: { chunk: number; rounds: number }): number[] {
  const time = runners.map(() => 0);
  for (let r = 0; r < o.rounds; r++) {
    runners.forEach((run, i) => {
      const t0 = performance.now();
      run(o.chunk);
      time[i] += performance.now() - t0;
    });
  }
  return time.map((t) => (o.chunk * o.rounds) / (t / 1000));
}

/** Chunks of whole multiples of `unit · COPIES` steps, about `STEPS` in all, in ≥ 3 rounds. */
function plan(unit: number): { chunk: number; rounds: number } {
  const block = unit * COPIES;
  const chunk = Math.max(1, Math.round(STEPS / 3 / block)) * block;
  return { chunk, rounds: Math.max(3, Math.round(STEPS / chunk)) };
}

/** Seconds spent stepping, acting and learning over about `STEPS` steps on `copies` copies. */
function split<A extends Action>(
  makeEnv: () => Env<Float64Array, A>,
  make: (vec: VecEnv<A>) => VecAgent<A>,
  o: { warm: number; copies: number; steps: number },
): { env: number; act: number; learn: number } {
  const vec = createVecEnv({ make: makeEnv, copies: o.copies });
  const agent = make(vec);
  trainVec(vec, agent, { steps: o.warm, seed: 1 });
  const obs = vec.reset({ seed: 2 }).slice();
  const time = { env: 0, act: 0, learn: 0 };
  for (let done = 0; done < o.steps; done += o.copies) {
    let t = performance.now();
    const actions = agent.actBatch(obs, o.copies, { explore: true });
    time.act += performance.now() - t;
    t = performance.now();
    const r = vec.step(actions);
    time.env += performance.now() - t;
    t = performance.now();
    agent.observeBatch({
      n: o.copies,
      obs,
      actions,
      rewards: r.rewards,
      nextObs: r.nextObs,
      terminated: r.terminated,
      truncated: r.truncated,
    });
    time.learn += performance.now() - t;
    obs.set(r.obs);
  }
  return { env: time.env / 1000, act: time.act / 1000, learn: time.learn / 1000 };
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US").padStart(8);

console.log(
  `bench:agents — ${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}, ` +
    `${navigator.hardwareConcurrency} cores, matrix kernel ${GEMM_BACKEND}; book env, ` +
    `${ENV.episodeLength}-step episodes; about ${STEPS} timed steps per figure, in turns`,
);
const { dir, agents: old } = await baseline();
try {
  const discrete = () => createMarketMakingEnv(ENV);
  const continuous = () => createContinuousMarketMakingEnv(ENV);
  const rows: {
    name: string;
    old: (env: Env) => OldAgent;
    make: (vec: VecEnv) => VecAgent;
    warm: number;
    unit: number;
  }[] = [
    {
      name: "DQN (double, dueling, PER)",
      old: (e) => old.dqn(e, { seed: 1 }),
      make: (v) => dqn(v, { seed: 1 }),
      warm: 1100,
      unit: 1,
    },
    {
      name: "PPO (categorical)",
      old: (e) => old.ppo(e, { seed: 1 }),
      make: (v) => ppo(v, { seed: 1 }),
      warm: 128,
      unit: 128,
    },
    {
      name: "SAC (discrete)",
      old: (e) => old.sac(e, { seed: 1 }),
      make: (v) => sac(v, { seed: 1 }),
      warm: 1100,
      unit: 1,
    },
  ];
  console.log(
    `\nsteps/s                      old (${BASELINE}, tfjs)  new, 1 copy  new, ${COPIES} copies` +
      `   new/old (1 copy, ${COPIES} copies)`,
  );
  for (const r of rows) {
    const [o, n1, nN] = race([
      oldRunner(old.train, r.old, r.warm),
      newRunner(discrete, r.make, { warm: r.warm, copies: 1 }),
      newRunner(discrete, r.make, { warm: r.warm * COPIES, copies: COPIES }),
    ], plan(r.unit));
    console.log(
      `${r.name.padEnd(28)} ${fmt(o)}               ${fmt(n1)}     ${fmt(nN)}` +
        `        ${(n1 / o).toFixed(1)}×, ${(nN / o).toFixed(1)}×`,
    );
  }
  console.log(`\ncontinuous env (no baseline)                 1 copy  ${COPIES} copies`);
  const box: [string, (v: VecEnv<Float64Array>) => VecAgent<Float64Array>, number][] = [
    ["SAC (continuous, defaults)", (v) => sacContinuous(v, { seed: 1 }), 1],
    [
      "SAC (continuous, updateFrequency 4)",
      (v) => sacContinuous(v, { seed: 1, updateFrequency: 4 }),
      1,
    ],
    ["PPO (Gaussian, defaults: 2,048-step rollouts)", (v) => ppoContinuous(v, { seed: 1 }), 2048],
  ];
  for (const [name, make, unit] of box) {
    const warm = Math.max(1100, unit);
    const [n1, nN] = race([
      newRunner(continuous, make, { warm, copies: 1 }),
      newRunner(continuous, make, { warm: warm * COPIES, copies: COPIES }),
    ], plan(unit));
    console.log(`${name.padEnd(46)} ${fmt(n1)}  ${fmt(nN)}`);
  }
  console.log(
    `\nwhere the time goes (new, ${COPIES} copies): environment / acting / learning, ` +
      `share of the training loop`,
  );
  const copies = COPIES, steps = STEPS;
  const where: [string, () => { env: number; act: number; learn: number }][] = [
    [
      "DQN",
      () => split(discrete, (v) => dqn(v, { seed: 1 }), { warm: 1100 * copies, copies, steps }),
    ],
    [
      "PPO (categorical)",
      () => split(discrete, (v) => ppo(v, { seed: 1 }), { warm: 128 * copies, copies, steps }),
    ],
    [
      "SAC (discrete)",
      () => split(discrete, (v) => sac(v, { seed: 1 }), { warm: 1100 * copies, copies, steps }),
    ],
    ["SAC (continuous)", () =>
      split(continuous, (v) => sacContinuous(v, { seed: 1 }), {
        warm: 1100 * copies,
        copies,
        steps,
      })],
    ["PPO (Gaussian)", () =>
      split(continuous, (v) => ppoContinuous(v, { seed: 1 }), {
        warm: 2048 * copies,
        copies,
        steps: 2048 * copies,
      })],
  ];
  for (const [name, f] of where) {
    const t = f();
    const total = t.env + t.act + t.learn;
    const pct = (x: number) => `${((100 * x) / total).toFixed(0)}%`.padStart(4);
    console.log(
      `${name.padEnd(28)} ${pct(t.env)} / ${pct(t.act)} / ${pct(t.learn)}   (${
        total.toFixed(2)
      } s)`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
