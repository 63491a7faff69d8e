/**
 * Tests of `lib/agents/`: the sum-tree and replay, GAE, the training loops, and for each learner
 * (DQN with ε-greedy or noisy exploration, categorical and Gaussian PPO, discrete and continuous
 * SAC): learning a toy task with a known solution, determinism under a seed, batched acting and
 * vectorised training. Networks, losses and the normaliser are in `nn_test.ts`, checkpoints in
 * `checkpoint_test.ts`.
 */
import assert from "node:assert/strict";
import {
  type Agent,
  createBatch,
  createReplayBuffer,
  createRewardScaler,
  createSumTree,
  dqn,
  type DqnConfig,
  evaluate,
  gae,
  linearSchedule,
  ppo,
  type PpoConfig,
  ppoContinuous,
  randomAgent,
  sac,
  type SacConfig,
  sacContinuous,
  type SpacesLike,
  train,
  trainVec,
  type VecAgent,
} from "../lib/agents/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { throwsConfig, throwsUnknown } from "./_assert.ts";
import { createVecEnv } from "../lib/env/vector.ts";
import { stream } from "../lib/rng.ts";
import type { Env } from "../lib/env/types.ts";
import { chain, signBandit, targetBandit } from "./_toy_envs.ts";

// ---------------------------------------------------------------------------------------------
// Sum-tree and replay

Deno.test("sum-tree: prefix-sum search on a hand-made case, and after updates", () => {
  const t = createSumTree(5); // not a power of two
  [1, 2, 3, 4].forEach((p, i) => t.set(i, p)); // leaf 4 stays 0
  assert.equal(t.total(), 10);
  assert.equal(t.min(), 1); // the unset leaf does not count
  // Prefix sums 1, 3, 6, 10: find(u) is the first leaf whose running sum exceeds u.
  const cases: [number, number][] = [[0, 0], [0.999, 0], [1, 1], [2.999, 1], [3, 2], [5.999, 2], [
    6,
    3,
  ], [9.999, 3]];
  for (const [u, want] of cases) assert.equal(t.find(u), want, `find(${u})`);
  // u at or past the total (rounding) lands on the last non-zero leaf, never the empty one.
  assert.equal(t.find(10), 3);
  assert.equal(t.find(1e9), 3);
  t.set(1, 0); // prefix sums 1, 1, 4, 8
  assert.equal(t.total(), 8);
  assert.equal(t.find(1), 2);
  assert.equal(t.find(0.5), 0);
  t.set(0, 0.25);
  assert.equal(t.min(), 0); // leaf 1 was set to 0
  assert.equal(t.get(0), 0.25);
});

Deno.test("sum-tree: agrees with naive prefix sums under random updates", () => {
  const rng = stream(7, "sumtree-test");
  const cap = 13;
  const t = createSumTree(cap);
  const p = new Float64Array(cap);
  for (let round = 0; round < 500; round++) {
    const i = Math.floor(rng() * cap);
    p[i] = rng() < 0.2 ? 0 : rng() * 10;
    t.set(i, p[i]);
    const total = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(t.total() - total) < 1e-9);
    if (total === 0) continue;
    for (let k = 0; k < 5; k++) {
      const u = rng() * total;
      let j = 0, run = p[0];
      while (run <= u && j < cap - 1) run += p[++j];
      // Rounding at a boundary may pick the neighbour; both must have positive priority.
      const got = t.find(u);
      assert.ok(got === j || Math.abs(run - u) < 1e-9, `find(${u}) = ${got}, naive ${j}`);
      assert.ok(p[got] > 0);
    }
  }
});

const transition = (x: number, action: number) => ({
  obs: new Float64Array([x]),
  action,
  reward: x,
  nextObs: new Float64Array([x + 0.5]),
  terminated: x === 3,
  truncated: false,
});

Deno.test("prioritised replay: sampling frequencies and importance weights", () => {
  const buf = createReplayBuffer({
    capacity: 8,
    obsDim: 1,
    rng: stream(1, "per-test"),
    prioritized: true,
    alpha: 1,
    epsilon: 0,
  });
  for (let x = 0; x < 4; x++) buf.add(transition(x, x % 2));
  const b = createBatch(4, 1);
  // Give slots 0..3 priorities 1..4 through the TD-error path.
  b.indices.set([0, 1, 2, 3]);
  buf.updatePriorities(b, [1, -2, 3, -4]);
  const batch = createBatch(1000, 1);
  const counts = new Float64Array(4);
  for (let r = 0; r < 20; r++) {
    buf.sample(batch, 1);
    for (let k = 0; k < batch.size; k++) {
      const i = batch.indices[k];
      counts[i]++;
      // The row holds slot i's transition, weighted (p_i / p_min)^-β with β = 1.
      assert.equal(batch.obs[k], i);
      assert.equal(batch.nextObs[k], i + 0.5);
      assert.equal(batch.dones[k], i === 3 ? 1 : 0);
      assert.ok(Math.abs(batch.weights[k] - 1 / (i + 1)) < 1e-6);
    }
  }
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(counts[i] / 20000 - (i + 1) / 10) < 0.01, `slot ${i}: ${counts[i]}`);
  }
  // β = 0 switches the correction off.
  buf.sample(batch, 0);
  assert.ok(batch.weights.every((w) => w === 1));
});

Deno.test("uniform replay: ring buffer overwrites the oldest, weights are 1", () => {
  const buf = createReplayBuffer({ capacity: 3, obsDim: 1, rng: stream(1, "uniform-test") });
  for (let x = 0; x < 5; x++) buf.add(transition(x, 0)); // keeps 2, 3, 4
  assert.equal(buf.size, 3);
  assert.equal(buf.tree, null);
  const batch = createBatch(300, 1);
  buf.sample(batch, 0.4);
  const seen = new Set(batch.obs);
  assert.deepEqual([...seen].sort(), [2, 3, 4]);
  assert.ok(batch.weights.every((w) => w === 1));
});

// ---------------------------------------------------------------------------------------------
// GAE, schedules, networks, optimiser

Deno.test("gae: hand-computed case with an episode boundary", () => {
  // γ = 0.9, λ = 0.8. t=2: δ = 2 + 0.9·1.0 − 0.3 = 2.6 = A_2.
  // t=1 ends an episode: δ = 0 − 0.4, A_1 = −0.4.
  // t=0: δ = 1 + 0.9·0.4 − 0.5 = 0.86, A_0 = 0.86 + 0.72·(−0.4) = 0.572.
  const { advantages, returns } = gae({
    rewards: [1, 0, 2],
    values: [0.5, 0.4, 0.3],
    dones: [0, 1, 0],
    lastValue: 1,
    gamma: 0.9,
    lambda: 0.8,
  });
  const close = (a: ArrayLike<number>, b: number[]) =>
    b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-12, `${a[i]} vs ${v}`));
  close(advantages, [0.572, -0.4, 2.6]);
  close(returns, [1.072, 0, 2.9]);
  // λ = 1, γ = 1, no boundary: advantages are Monte Carlo returns minus values.
  const mc = gae({
    rewards: [1, 1, 1],
    values: [0.5, 0, 0],
    dones: [0, 0, 0],
    lastValue: 2,
    gamma: 1,
    lambda: 1,
  });
  close(mc.advantages, [4.5, 4, 3]);
});

Deno.test("linearSchedule: endpoints and midpoint", () => {
  const f = linearSchedule({ start: 0.4, end: 1, duration: 10 });
  assert.equal(f(0), 0.4);
  assert.ok(Math.abs(f(5) - 0.7) < 1e-12);
  assert.equal(f(10), 1);
  assert.equal(f(1e6), 1);
});

// ---------------------------------------------------------------------------------------------
// Training loop

Deno.test("train: step and episode budgets, reports, early stop, buffer reuse", () => {
  const env = chain({ length: 4, horizon: 6 });
  const reports: number[] = [];
  const r = train(env, randomAgent(env, { seed: 1 }), {
    episodes: 5,
    seed: 1,
    onEpisode: (e) => {
      reports.push(e.step);
      assert.ok(Math.abs(e.return - r0(e.length, e.terminated)) < 1e-9);
      assert.ok(Number.isNaN(e.loss)); // the random agent never learns
    },
  });
  assert.equal(r.episodes, 5);
  assert.equal(reports.length, 5);
  assert.equal(reports[4], r.steps);
  assert.equal(r.lengths.reduce((a, b) => a + b, 0), r.steps);
  const short = train(env, randomAgent(env, { seed: 1 }), { steps: 7 });
  assert.equal(short.steps, 7);
  const stopped = train(env, randomAgent(env, { seed: 1 }), {
    steps: 1000,
    onEpisode: (e) => e.episode < 2,
  });
  assert.equal(stopped.episodes, 3);
  assert.throws(() => train(env, randomAgent(env), {}), ConfigError);
});

/** Chain return for an episode of `length` steps: −0.01 per step, +1 on reaching the goal. */
function r0(length: number, reachedGoal: boolean): number {
  return -0.01 * length + (reachedGoal ? 1 : 0);
}

Deno.test("train: transitions carry the pre-step observation although the env reuses its buffer", () => {
  const env = chain({ length: 4, horizon: 50 });
  const seen: string[] = [];
  const spy: Agent = {
    name: "spy",
    stats: {},
    act: () => 1,
    observe(t) {
      seen.push(`${t.obs.indexOf(1)}->${t.nextObs.indexOf(1)}`);
      return NaN;
    },
    dispose() {},
  };
  train(env, spy, { episodes: 1 });
  assert.deepEqual(seen, ["0->1", "1->2", "2->3"]);
});

// ---------------------------------------------------------------------------------------------
// Agents: learning

type Make = (env: SpacesLike, seed: number) => Agent;

/** Greedy return of `agent` vs a random agent, on fresh copies of the environment. */
function compare(makeEnv: () => Env, agent: Agent) {
  const episodes = makeEnv === signBandit ? 400 : 50;
  const learned = evaluate(makeEnv(), agent, { episodes, seed: 99 }).mean;
  const random = evaluate(makeEnv(), randomAgent(makeEnv(), { seed: 99 }), { episodes, seed: 99 })
    .mean;
  return { learned, random };
}

const SMALL_DQN: Partial<DqnConfig> = {
  hidden: [32, 32],
  learningRate: 1e-3,
  batchSize: 32,
  trainFrequency: 2,
  targetNetworkFrequency: 100,
};

Deno.test("dqn (double, dueling, prioritised) learns the sign bandit and the chain", () => {
  const bandit = signBandit();
  const a = dqn(bandit, { ...SMALL_DQN, seed: 1, learningStarts: 200, explorationSteps: 400 });
  train(bandit, a, { steps: 1200, seed: 1 });
  const b = compare(signBandit, a);
  assert.ok(b.learned >= 0.85 && b.random < 0.2, JSON.stringify(b));
  a.dispose();

  const env = chain();
  const c = dqn(env, {
    ...SMALL_DQN,
    seed: 1,
    learningStarts: 300,
    explorationSteps: 1500,
    targetNetworkFrequency: 50,
  });
  const r = train(env, c, { steps: 3500, seed: 1 });
  const res = compare(chain, c);
  // Best return 0.93; random play rarely reaches the goal in 20 steps.
  assert.ok(res.learned > 0.9 && res.random < 0.3, JSON.stringify(res));
  assert.ok(Number.isFinite(r.losses[r.losses.length - 1]));
  assert.ok(c.stats.beta > 0.4 && c.stats.beta < 1);
  c.dispose();
});

Deno.test("dqn with double, dueling and prioritised replay all off still learns the bandit", () => {
  const env = signBandit();
  const a = dqn(env, {
    ...SMALL_DQN,
    seed: 2,
    learningStarts: 200,
    explorationSteps: 400,
    double: false,
    dueling: false,
    prioritized: false,
    loss: "mse",
  });
  train(env, a, { steps: 1200, seed: 2 });
  const res = compare(signBandit, a);
  assert.ok(res.learned >= 0.85, JSON.stringify(res));
  a.dispose();
});

const SMALL_PPO: Partial<PpoConfig> = { hidden: [32, 32], learningRate: 3e-3 };

Deno.test("ppo learns the sign bandit and the chain", () => {
  const bandit = signBandit();
  const a = ppo(bandit, { ...SMALL_PPO, seed: 1, numSteps: 64, numMinibatches: 2 });
  train(bandit, a, { steps: 1280, seed: 1 });
  const b = compare(signBandit, a);
  assert.ok(b.learned >= 0.85, JSON.stringify(b));
  assert.ok(a.stats.entropy < Math.log(2)); // the policy sharpened
  a.dispose();

  const env = chain();
  const c = ppo(env, { ...SMALL_PPO, seed: 1 });
  train(env, c, { steps: 2560, seed: 1 });
  const res = compare(chain, c);
  assert.ok(res.learned > 0.9, JSON.stringify(res));
  c.dispose();
});

const SMALL_SAC: Partial<SacConfig> = {
  hidden: [32, 32],
  batchSize: 32,
  policyLr: 1e-3,
  qLr: 1e-3,
  updateFrequency: 2,
};

Deno.test("sac (discrete) learns the sign bandit and the chain", () => {
  const bandit = signBandit();
  const a = sac(bandit, { ...SMALL_SAC, seed: 1, learningStarts: 200 });
  train(bandit, a, { steps: 1000, seed: 1 });
  const b = compare(signBandit, a);
  assert.ok(b.learned >= 0.85, JSON.stringify(b));
  a.dispose();

  // Two actions and a goal that ends the episode: a lower target entropy, else the entropy bonus
  // outweighs the step cost and the soft-optimal policy dawdles.
  const env = chain();
  const c = sac(env, { ...SMALL_SAC, seed: 1, learningStarts: 300, targetEntropyScale: 0.3 });
  train(env, c, { steps: 2500, seed: 1 });
  const res = compare(chain, c);
  assert.ok(res.learned > 0.9, JSON.stringify(res));
  assert.ok(c.alpha < 0.2); // the temperature fell towards the target entropy
  c.dispose();
});

Deno.test("dqn with noisy networks (ε = 0) learns the sign bandit and the chain", () => {
  const bandit = signBandit();
  const a = dqn(bandit, { ...SMALL_DQN, seed: 1, learningStarts: 200, noisy: true });
  assert.equal(a.stats.epsilon, 0);
  train(bandit, a, { steps: 1200, seed: 1 });
  const b = compare(signBandit, a);
  assert.ok(b.learned >= 0.85, JSON.stringify(b));
  a.dispose();
  // Exploring through the noise reaches the chain's goal; greedy play uses the mean weights.
  const env = chain();
  const c = dqn(env, {
    ...SMALL_DQN,
    seed: 1,
    learningStarts: 300,
    targetNetworkFrequency: 50,
    noisy: true,
    sigma0: 1,
  });
  train(env, c, { steps: 3500, seed: 1 });
  const res = compare(chain, c);
  assert.ok(res.learned > 0.9, JSON.stringify(res));
  c.dispose();
});

Deno.test("dqn with observation normalisation learns the chain; statistics frozen at evaluation", () => {
  const env = chain();
  const c = dqn(env, {
    ...SMALL_DQN,
    seed: 1,
    learningStarts: 300,
    explorationSteps: 1500,
    targetNetworkFrequency: 50,
    normalizeObs: true,
  });
  train(env, c, { steps: 3500, seed: 1 });
  const count = c.normalizer!.count;
  assert.ok(Math.abs(count - 3500) < 1e-3, String(count));
  const res = compare(chain, c);
  assert.ok(res.learned > 0.9, JSON.stringify(res));
  assert.equal(c.normalizer!.count, count); // evaluation acted only: no update
  c.dispose();
});

/** Greedy mean reward on the target bandit (best 0, random about −0.87). */
function targetScore(agent: Agent<Float64Array>): number {
  return evaluate(targetBandit(), agent, { episodes: 400, seed: 99 }).mean;
}

Deno.test("sac (continuous) learns the target bandit; the temperature falls", () => {
  const env = targetBandit();
  const a = sacContinuous(env, {
    seed: 1,
    hidden: [32, 32],
    learningStarts: 200,
    batchSize: 32,
    policyLr: 1e-3,
    qLr: 1e-3,
  });
  const early = targetScore(a);
  train(env, a, { steps: 2000, seed: 1 });
  const learned = targetScore(a);
  assert.ok(early < -0.2 && learned > -0.02, JSON.stringify({ early, learned }));
  assert.ok(a.alpha < 0.2, String(a.alpha));
  assert.ok(a.stats.updates === 1800);
});

Deno.test("ppo (Gaussian) learns the target bandit; its standard deviation shrinks", () => {
  const env = targetBandit();
  const a = ppoContinuous(env, {
    seed: 1,
    hidden: [32, 32],
    numSteps: 256,
    numMinibatches: 4,
    learningRate: 3e-3,
  });
  const early = targetScore(a);
  train(env, a, { steps: 4096, seed: 1 });
  const learned = targetScore(a);
  assert.ok(early < -0.2 && learned > -0.02, JSON.stringify({ early, learned }));
  const std = a.policy(new Float64Array(2)).std;
  assert.ok(std[0] < 0.5 && std[1] < 0.5, String(std));
});

Deno.test("reward scaling: divides by the running sd of the discounted return, reset at episode ends", () => {
  const rng = stream(5, "rewards");
  const s = createRewardScaler({ gamma: 0.9, clip: 3 });
  const G = [0, 0], returns: number[] = [];
  const out = new Float64Array(2);
  for (let t = 0; t < 2000; t++) {
    const rewards = [rng() * 4 - 1, rng() * 100];
    const terminated = [rng() < 0.05 ? 1 : 0, 0];
    const truncated = [0, t % 50 === 49 ? 1 : 0];
    s.scale({ rewards, terminated, truncated }, out);
    for (let i = 0; i < 2; i++) {
      G[i] = 0.9 * G[i] + rewards[i];
      returns.push(G[i]);
      if (terminated[i] || truncated[i]) G[i] = 0;
    }
    const m = returns.reduce((a, b) => a + b, 0) / returns.length;
    const v = returns.reduce((a, b) => a + (b - m) ** 2, 0) / returns.length;
    if (t === 1999) assert.ok(Math.abs(s.stats[2] / v - 1) < 1e-3, `${s.stats[2]} vs ${v}`);
    for (let i = 0; i < 2; i++) {
      const want = Math.max(-3, Math.min(3, rewards[i] / Math.sqrt(s.stats[2] + 1e-8)));
      assert.ok(Math.abs(out[i] - want) < 1e-12);
    }
  }
  throwsConfig(() => createRewardScaler({ gamma: 1.5 }), "rewardScaler.gamma");
  throwsConfig(() => createRewardScaler({ gamma: 0.9, clip: 0 }), "rewardScaler.clip");
});

Deno.test("ppo (Gaussian) with reward scaling learns the target bandit at a reward scale of 1000", () => {
  const base = targetBandit();
  const env = {
    ...base,
    step: (a: Float64Array) => {
      const r = base.step(a);
      return { ...r, reward: 1000 * r.reward };
    },
  } as typeof base;
  const a = ppoContinuous(env, {
    seed: 1,
    hidden: [32, 32],
    numSteps: 256,
    numMinibatches: 4,
    learningRate: 3e-3,
    normalizeReward: true,
  });
  train(env, a, { steps: 4096, seed: 1 });
  const learned = targetScore(a);
  assert.ok(learned > -0.02, String(learned));
  throwsConfig(() => ppoContinuous(base, { normalizeReward: 1 as never }), "normalizeReward");
});

// ---------------------------------------------------------------------------------------------
// Agents: determinism and memory

const TINY: Record<string, Make> = {
  dqn: (env, seed) =>
    dqn(env, {
      seed,
      hidden: [16, 16],
      batchSize: 16,
      learningStarts: 50,
      trainFrequency: 1,
      targetNetworkFrequency: 40,
      explorationSteps: 200,
    }),
  ppo: (env, seed) => ppo(env, { seed, hidden: [16, 16], numSteps: 64, numMinibatches: 2 }),
  sac: (env, seed) =>
    sac(env, { seed, hidden: [16, 16], batchSize: 16, learningStarts: 50, updateFrequency: 1 }),
};

for (const [name, make] of Object.entries(TINY)) {
  Deno.test(`${name}: same seed, same actions and returns; another seed differs`, () => {
    const run = (seed: number) => {
      const env = chain({ length: 5, horizon: 12 });
      const agent = make(env, seed);
      const probe = new Float64Array(5);
      const first: number[] = [];
      for (let i = 0; i < 5; i++) {
        probe.fill(0);
        probe[i] = 1;
        first.push(agent.act(probe, { explore: true }));
      }
      const r = train(env, agent, { steps: 300, seed });
      const after = JSON.stringify(agent.stats);
      agent.dispose();
      return { first, returns: [...r.returns], losses: [...r.losses], after };
    };
    const a = run(11), b = run(11), c = run(12);
    assert.deepEqual(a.first, b.first);
    assert.deepEqual(a.returns, b.returns);
    assert.deepEqual(a.losses, b.losses); // bit-identical updates, NaN where none
    assert.equal(a.after, b.after);
    assert.ok(a.losses.some(Number.isFinite), "some updates happened");
    assert.notDeepEqual([a.first, a.returns, a.after], [c.first, c.returns, c.after]);
  });

  Deno.test(`${name}: actBatch row by row equals act, with the same draws`, () => {
    const env = chain({ length: 5, horizon: 12 });
    const a = make(env, 5) as VecAgent, b = make(env, 5) as VecAgent;
    train(env, a, { steps: 200, seed: 5 });
    train(env, b, { steps: 200, seed: 5 });
    const obs = new Float64Array(5 * 5);
    for (let i = 0; i < 5; i++) obs[i * 5 + i] = 1;
    for (const explore of [false, true]) {
      const batch = [...a.actBatch(obs, 5, { explore })];
      const one = [0, 1, 2, 3, 4].map((i) => b.act(obs.subarray(i * 5, i * 5 + 5), { explore }));
      assert.deepEqual(batch, one, `explore ${explore}`);
    }
  });
}

const TINY_BOX: Record<
  string,
  (env: SpacesLike<Float64Array>, seed: number) => VecAgent<Float64Array>
> = {
  "sac-continuous": (env, seed) =>
    sacContinuous(env, { seed, hidden: [16, 16], batchSize: 16, learningStarts: 50 }),
  "ppo-continuous": (env, seed) =>
    ppoContinuous(env, { seed, hidden: [16, 16], numSteps: 64, numMinibatches: 2 }),
};

for (const [name, make] of Object.entries(TINY_BOX)) {
  Deno.test(`${name}: same seed, same run; another seed differs; actBatch equals act`, () => {
    const run = (seed: number) => {
      const env = targetBandit();
      const agent = make(env, seed);
      const r = train(env, agent, { steps: 300, seed });
      return { returns: [...r.returns], losses: [...r.losses], after: JSON.stringify(agent.stats) };
    };
    const a = run(11), b = run(11), c = run(12);
    assert.deepEqual(a, b);
    assert.ok(a.losses.some(Number.isFinite), "some updates happened");
    assert.notDeepEqual(a.returns, c.returns);
    const x = make(targetBandit(), 4), y = make(targetBandit(), 4);
    train(targetBandit(), x, { steps: 120, seed: 4 });
    train(targetBandit(), y, { steps: 120, seed: 4 });
    const obs = Float64Array.from({ length: 6 }, (_, i) => Math.sin(i));
    for (const explore of [false, true]) {
      const batch = [...x.actBatch(obs, 3, { explore })];
      const one = [0, 1, 2].flatMap((i) => [...y.act(obs.subarray(2 * i, 2 * i + 2), { explore })]);
      assert.deepEqual(batch, one, `explore ${explore}`);
      assert.ok(batch.every((v) => v >= -1 && v <= 1));
    }
  });
}

Deno.test("trainVec: deterministic for a seed and N; N copies see N streams; steps counted", () => {
  const run = (seed: number, copies: number) => {
    const vec = createVecEnv({ make: () => chain({ length: 5, horizon: 12 }), copies });
    const agent = TINY.dqn(vec, 3) as VecAgent;
    const eps: string[] = [];
    const r = trainVec(vec, agent, {
      steps: 400,
      seed,
      onEpisode: (e) => void eps.push(`${e.copy}:${e.length}`),
    });
    return {
      returns: [...r.returns],
      losses: [...r.losses],
      eps,
      stats: JSON.stringify(agent.stats),
      steps: r.steps,
    };
  };
  const a = run(1, 4), b = run(1, 4);
  assert.deepEqual(a, b);
  assert.equal(a.steps, 400);
  assert.ok(a.losses.some(Number.isFinite));
  assert.notDeepEqual(run(1, 3).eps, a.eps); // another N is another run
  // 3 copies and 400 steps: rounded up to 402.
  assert.equal(run(1, 3).steps, 402);
  const vec = createVecEnv({ make: () => chain(), copies: 2 });
  throwsUnknown(
    () => trainVec(vec, TINY.dqn(vec, 1) as VecAgent, { steps: 10, sead: 1 } as never),
    "sead",
    "seed",
  );
});

Deno.test("DQN schedules count transitions: N copies make the same number of updates", () => {
  for (const copies of [1, 4, 7]) {
    const vec = createVecEnv({ make: () => chain({ length: 5, horizon: 12 }), copies });
    const agent = dqn(vec, {
      seed: 1,
      learningStarts: 100,
      trainFrequency: 4,
      batchSize: 8,
      hidden: [8],
    });
    trainVec(vec, agent, { steps: 700, seed: 1 });
    const steps = Math.ceil(700 / copies) * copies;
    assert.equal(agent.steps, steps);
    assert.equal(agent.stats.updates, Math.floor(steps / 4) - 25, `copies ${copies}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Configuration errors

Deno.test("bad hyperparameters throw ConfigError naming the field", () => {
  const env = signBandit();
  const field = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.field;
    }
    assert.fail("expected a ConfigError");
  };
  assert.equal(field(() => dqn(env, { batchSize: 0 })), "batchSize");
  assert.equal(field(() => dqn(env, { gamma: 1.5 })), "gamma");
  assert.equal(field(() => dqn(env, { dueling: true, hidden: [] })), "hidden");
  assert.equal(field(() => ppo(env, { numSteps: 100, numMinibatches: 3 })), "numMinibatches");
  assert.equal(field(() => sac(env, { maxGradNorm: -1 })), "maxGradNorm");
  // Unknown keys are rejected, named, with the closest known key.
  const bad = { learningrate: 1 } as unknown as Partial<DqnConfig>;
  throwsUnknown(() => dqn(env, bad), "learningrate", "learningRate");
  throwsUnknown(() => ppo(env, { clipcoef: 1 } as never), "clipcoef", "clipCoef");
  throwsUnknown(() => sac(env, { qlr: 1 } as never), "qlr", "qLr");
  throwsConfig(() => dqn(env, { seed: 0.5 }), "seed");
  throwsConfig(() => dqn(env, { noisy: 1 as never }), "noisy");
  throwsConfig(() => dqn(env, { normalizeObs: "yes" as never }), "normalizeObs");
  const box = targetBandit();
  throwsConfig(() => sacContinuous(box, { policyFrequency: 0 }), "policyFrequency");
  throwsConfig(() => sacContinuous(box, { logStdMax: -10 }), "logStdMax");
  throwsConfig(() => ppoContinuous(box, { initLogStd: NaN }), "initLogStd");
  throwsUnknown(() => ppoContinuous(box, { numsteps: 4 } as never), "numsteps", "numSteps");
  const unbounded = {
    ...box,
    actionSpace: { ...box.actionSpace, high: new Float64Array([1, Infinity]) },
  };
  throwsConfig(() => sacContinuous(unbounded), "actionSpace.low/high[1]");
});
