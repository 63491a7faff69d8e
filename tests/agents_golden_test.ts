/**
 * Golden digests of the five deep learners: each is trained for a few hundred steps on a toy
 * environment with a fixed seed, once through `trainVec` (2 copies: `actBatch`/`observeBatch`) and
 * once through `train` (one copy: `act`/`observe`), and a SHA-256 is taken of its checkpoint, its
 * stats, the losses, and the actions and policy outputs it then gives on fixed observations
 * (greedy and exploring). The pinned digests were computed before the factories were split into
 * pieces (issue 9); a refactor must keep them (same seed → same actions, weights, checkpoints).
 * A changed digest after a deliberate change of behaviour is re-pinned with
 * `GOLDEN_PRINT=1 deno task test tests/agents_golden_test.ts` (it prints the new table).
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  dqn,
  type DqnConfig,
  encodeCheckpoint,
  type Learner,
  ppo,
  ppoContinuous,
  sac,
  sacContinuous,
  train,
  trainVec,
} from "../lib/agents/mod.ts";
import type { Action, Env } from "../lib/env/types.ts";
import { createVecEnv } from "../lib/env/vector.ts";
import { stream } from "../lib/rng.ts";
import { chain, targetBandit } from "./_toy_envs.ts";

type Make<A extends Action> = (env: Env<Float64Array, A>) => Learner<A>;

interface Case<A extends Action> {
  readonly env: () => Env<Float64Array, A>;
  readonly make: Make<A>;
  /** Learner-specific read-outs at one observation. */
  readonly probe: (agent: Learner<A>, obs: Float64Array) => unknown;
}

const arr = (x: ArrayLike<number>) => Array.from(x);
const T = { seed: 3, hidden: [16, 16] } as const;
const chainEnv = () => chain({ length: 5, horizon: 12 });
const boxEnv = () => targetBandit({ dim: 2 });

const DQN_BASE: Partial<DqnConfig> = {
  ...T,
  learningStarts: 60,
  batchSize: 16,
  trainFrequency: 2,
  targetNetworkFrequency: 20,
  explorationSteps: 200,
};

// deno-lint-ignore no-explicit-any
const probeOf = (f: (a: any, obs: Float64Array) => unknown) => f;
const discrete = (c: Case<number>) => c;
const box = (c: Case<Float64Array>) => c;

const CASES: Record<string, Case<number> | Case<Float64Array>> = {
  dqn: discrete({
    env: chainEnv,
    make: (env) => dqn(env, DQN_BASE),
    probe: probeOf((a, o) => arr(a.qValues(o))),
  }),
  "dqn-dueling-per-noisy": discrete({
    env: chainEnv,
    make: (env) =>
      dqn(env, {
        ...DQN_BASE,
        dueling: true,
        prioritized: true,
        noisy: true,
        betaSteps: 300,
        gradientSteps: 2,
        tau: 0.5,
        loss: "mse",
        normalizeObs: true,
      }),
    probe: probeOf((a, o) => arr(a.qValues(o))),
  }),
  ppo: discrete({
    env: chainEnv,
    make: (env) =>
      ppo(env, {
        ...T,
        numSteps: 32,
        numMinibatches: 4,
        updateEpochs: 3,
        annealSteps: 2_000,
        normalizeObs: true,
        targetKl: 0.02,
      }),
    probe: probeOf((a, o) => [arr(a.probabilities(o)), a.value(o)]),
  }),
  "ppo-continuous": box({
    env: boxEnv,
    make: (env) =>
      ppoContinuous(env, {
        ...T,
        numSteps: 32,
        numMinibatches: 4,
        updateEpochs: 3,
        entCoef: 0.01,
        initLogStd: -0.5,
      }),
    probe: probeOf((a, o) => {
      const p = a.policy(o);
      return [arr(p.mean), arr(p.std), a.value(o)];
    }),
  }),
  sac: discrete({
    env: chainEnv,
    make: (env) =>
      sac(env, { ...T, learningStarts: 60, batchSize: 16, updateFrequency: 2, tau: 0.05 }),
    probe: probeOf((a, o) => [arr(a.probabilities(o)), a.alpha]),
  }),
  "sac-continuous": box({
    env: boxEnv,
    make: (env) =>
      sacContinuous(env, {
        ...T,
        learningStarts: 60,
        batchSize: 16,
        policyFrequency: 2,
        targetNetworkFrequency: 2,
        normalizeObs: true,
      }),
    probe: probeOf((a, o) => {
      const p = a.policy(o);
      return [arr(p.mean), arr(p.std), a.qValue(o, new Float64Array([0.25, -0.5])), a.alpha];
    }),
  }),
};

/** Everything a learner shows after training, as JSON (doubles round-trip exactly). */
function readOut<A extends Action>(
  c: Case<A>,
  agent: Learner<A>,
  losses: ArrayLike<number>,
): unknown {
  const env = c.env();
  const d = env.observationSpace.shape.reduce((p, s) => p * s, 1);
  const rng = stream(11, "golden/obs");
  const obs = Float64Array.from({ length: 4 * d }, () => rng());
  const acts = (explore: boolean) => {
    const batch = agent.actBatch(obs, 4, { explore });
    const one = agent.act(obs.subarray(0, d), { explore });
    return [arr(batch), typeof one === "number" ? one : arr(one)];
  };
  const probes = [0, 1, 2, 3].map((r) => c.probe(agent, obs.slice(r * d, (r + 1) * d)));
  const checkpoint = encodeCheckpoint(agent, { env, meta: { trainingSeed: 1 } });
  return {
    losses: arr(losses),
    stats: agent.stats,
    steps: agent.steps,
    checkpoint,
    greedy: acts(false),
    explore: acts(true),
    probes,
  };
}

/** The digest of one case: trained with 2 copies, and (a second learner) with one. */
function digest<A extends Action>(c: Case<A>): string {
  const vec = createVecEnv({ make: c.env, copies: 2 });
  const a = c.make(vec as unknown as Env<Float64Array, A>);
  const rv = trainVec(vec, a, { steps: 320, seed: 5 });
  const env = c.env();
  const b = c.make(env);
  const rs = train(env, b, { steps: 256, seed: 7 });
  // Both learners learned (a digest of untrained networks would pin too little).
  assert.ok(a.stats.updates > 0 && b.stats.updates > 0, "updates made");
  const text = JSON.stringify([
    readOut(c, a, rv.losses),
    arr(rv.returns),
    readOut(c, b, rs.losses),
    arr(rs.returns),
  ]);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Digests computed on main before the split of the factories (commit 5f63801). */
const GOLDEN: Record<string, string> = {
  dqn: "92a30bc41e663e32",
  "dqn-dueling-per-noisy": "df783f5c1a295f9a",
  ppo: "98eda019441d09fd",
  "ppo-continuous": "f2077dfd1ef8e244",
  sac: "bdb5b4a02e4ba641",
  "sac-continuous": "42b3ac4d37aaded8",
};

const got: Record<string, string> = {};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`golden: ${name} trains to the pinned digest`, () => {
    got[name] = digest(c as Case<Action>);
    if (Deno.env.get("GOLDEN_PRINT")) console.log(`  ${JSON.stringify(name)}: "${got[name]}",`);
    assert.equal(got[name], GOLDEN[name]);
  });
}

Deno.test("golden: the digest sees a changed hyperparameter", () => {
  const c = CASES.dqn as Case<number>;
  const changed = digest({ ...c, make: (env) => dqn(env, { ...DQN_BASE, gamma: 0.98 }) });
  assert.notEqual(changed, GOLDEN.dqn);
  assert.match(changed, /^[0-9a-f]{16}$/);
});
