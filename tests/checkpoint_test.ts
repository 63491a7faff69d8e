/**
 * Tests of `lib/agents/checkpoint.ts`: every learner survives a save and load bit for bit
 * (networks, normaliser, temperature, log std), and every kind of bad file gets an error that
 * names the file and the problem.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  canonicalJson,
  CheckpointError,
  configHash,
  dqn,
  type Learner,
  loadCheckpoint,
  ppo,
  ppoContinuous,
  readCheckpoint,
  restoreLearner,
  sac,
  sacContinuous,
  saveCheckpoint,
  saveCheckpointSync,
  train,
} from "../lib/agents/mod.ts";
import { createContinuousMarketMakingEnv, createMarketMakingEnv } from "../lib/env/mod.ts";
import type { Action, Env } from "../lib/env/types.ts";
import { throwsUnknown } from "./_assert.ts";

const discreteEnv = () => createMarketMakingEnv({ episodeLength: 60 });
const boxEnv = () => createContinuousMarketMakingEnv({ episodeLength: 60 });
const SMALL = { hidden: [8, 8], normalizeObs: true };

// deno-lint-ignore no-explicit-any
type AnyLearner = Learner<any>;
const CASES: [string, () => Env<Float64Array, Action>, (env: never, seed: number) => AnyLearner][] =
  [
    ["dqn", discreteEnv, (e, s) => dqn(e, { ...SMALL, seed: s, learningStarts: 30, noisy: true })],
    ["ppo", discreteEnv, (e, s) => ppo(e, { ...SMALL, seed: s, numSteps: 32, numMinibatches: 2 })],
    ["sac", discreteEnv, (e, s) => sac(e, { ...SMALL, seed: s, learningStarts: 30 })],
    [
      "ppo-continuous",
      boxEnv,
      (e, s) =>
        ppoContinuous(e, {
          ...SMALL,
          seed: s,
          numSteps: 32,
          numMinibatches: 2,
          normalizeReward: true, // its running statistics are saved with the learner
        }),
    ],
    [
      "sac-continuous",
      boxEnv,
      (e, s) => sacContinuous(e, { ...SMALL, seed: s, learningStarts: 30 }),
    ],
  ];

function tmp(name: string): string {
  return `${Deno.makeTempDirSync()}/${name}`;
}

/** Greedy actions on a fixed set of observations from the environment. */
function probe(env: Env<Float64Array, Action>, agent: AnyLearner): string {
  const out: string[] = [];
  let obs = env.reset({ seed: 77 }).obs;
  for (let t = 0; t < 20; t++) {
    const a = agent.act(obs);
    out.push(typeof a === "number" ? String(a) : Array.from(a).join(","));
    const r = (env.step as (x: Action) => ReturnType<Env["step"]>)(a);
    obs = r.obs;
  }
  return out.join(";");
}

for (const [kind, makeEnv, make] of CASES) {
  Deno.test(`checkpoint round trip: ${kind} acts bit for bit as saved, normaliser included`, async () => {
    const env = makeEnv();
    const a = make(env as never, 3);
    train(env as Env, a as Learner<number>, { steps: 150, seed: 3 });
    const path = tmp(`${kind}.json`);
    const training = { env: { episodeLength: 60 }, steps: 150 };
    await saveCheckpoint(path, a, { env: env as never, meta: { trainingSeed: 3, training } });
    assert.deepEqual(Deno.readDirSync(path.replace(/\/[^/]+$/, "")).toArray().map((e) => e.name), [
      `${kind}.json`,
    ]); // nothing left behind by the atomic write
    // Into a fresh, untrained learner of the same configuration.
    const b = make(env as never, 3);
    const cp = loadCheckpoint(path, b, { env: env as never });
    assert.equal(cp.trainingSeed, 3);
    assert.deepEqual(cp.training, training);
    assert.equal(cp.configHash, configHash({ kind, config: a.config, training }));
    assert.equal(b.steps, a.steps);
    assert.deepEqual(b.normalizer!.state(), a.normalizer!.state());
    assert.deepEqual(b.state(), a.state());
    assert.equal(probe(makeEnv(), b), probe(makeEnv(), a));
    // restoreLearner builds it from the file alone.
    const { learner } = restoreLearner(path, env as never);
    assert.equal(probe(makeEnv(), learner as AnyLearner), probe(makeEnv(), a));
    assert.equal(learner.kind, kind);
  });
}

/** Saves a small DQN checkpoint and returns its path and text. */
function saved() {
  const env = discreteEnv();
  const a = dqn(env, { hidden: [4], seed: 1 });
  const path = tmp("dqn.json");
  saveCheckpointSync(path, a, { env, meta: { trainingSeed: 1, training: { steps: 0 } } });
  return { env, path, text: Deno.readTextFileSync(path) };
}

function throwsCheckpoint(f: () => unknown, path: string, includes: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, String(e));
    assert.equal(e.path, path);
    assert.ok(e.message.startsWith(`${path}: `), e.message);
    assert.ok(e.message.includes(includes), `${e.message} lacks ${JSON.stringify(includes)}`);
    return true;
  });
}

Deno.test("checkpoint errors name the file and what is wrong", () => {
  const { env, path, text } = saved();
  const learner = () => dqn(env, { hidden: [4], seed: 1 });
  const write = (t: string) => {
    const p = tmp("bad.json");
    Deno.writeTextFileSync(p, t);
    return p;
  };
  const missing = `${path}.missing`;
  throwsCheckpoint(() => readCheckpoint(missing), missing, "cannot read the file");
  let p = write(text.slice(0, text.length / 2));
  throwsCheckpoint(() => readCheckpoint(p), p, "not valid JSON (truncated or corrupt?)");
  p = write("[1, 2]");
  throwsCheckpoint(() => readCheckpoint(p), p, "not a JSON object");
  p = write(JSON.stringify({ format: "something-else" }));
  throwsCheckpoint(() => readCheckpoint(p), p, 'not a checkpoint: format is "something-else"');
  const obj = JSON.parse(text);
  p = write(JSON.stringify({ ...obj, version: 2 }));
  throwsCheckpoint(() => readCheckpoint(p), p, "format version 2 is not supported");
  // One parameter changed (a flipped base64 character): the checksum catches it.
  const nets = obj.networks.online.float64 as string;
  const flipped = nets.slice(0, 10) + (nets[10] === "A" ? "B" : "A") + nets.slice(11);
  p = write(
    JSON.stringify({
      ...obj,
      networks: { ...obj.networks, online: { ...obj.networks.online, float64: flipped } },
    }),
  );
  throwsCheckpoint(
    () => readCheckpoint(p),
    p,
    "checksum mismatch: the file is corrupt or was edited",
  );
  // A consistent file (checksum recomputed) with a wrong parameter count.
  const { checksum: _, ...rest } = obj;
  const resum = (o: Record<string, unknown>) => {
    const body = JSON.parse(canonicalJson(o));
    return JSON.stringify({ ...body, checksum: sha(JSON.stringify(body)) });
  };
  p = write(
    resum({
      ...rest,
      networks: { ...rest.networks, online: { ...rest.networks.online, length: 3 } },
    }),
  );
  throwsCheckpoint(() => readCheckpoint(p), p, "networks.online: ");
  p = write(resum({ ...rest, kind: "a2c" }));
  throwsCheckpoint(() => readCheckpoint(p), p, "kind: expected one of dqn, ppo");
  const { steps: __, ...noSteps } = rest;
  p = write(resum(noSteps));
  throwsCheckpoint(() => readCheckpoint(p), p, "missing field steps");
  // Mismatches on loading.
  throwsCheckpoint(
    () => loadCheckpoint(path, ppo(env, { hidden: [4] }), { env }),
    path,
    'holds a "dqn" learner, cannot load it into a "ppo" learner',
  );
  throwsCheckpoint(
    () => loadCheckpoint(path, dqn(env, { hidden: [4], seed: 1, learningRate: 1e-3 }), { env }),
    path,
    "configuration differs from the learner's: learningRate (file 0.00025, learner 0.001)",
  );
  const other = createMarketMakingEnv({ episodeLength: 60, halfSpreads: [1, 2] });
  throwsCheckpoint(() => loadCheckpoint(path, learner(), { env: other }), path, "spaces differ");
  throwsCheckpoint(() => restoreLearner(path, boxEnv()), path, "needs a discrete action space");
  throwsUnknown(
    () =>
      saveCheckpointSync(tmp("x.json"), learner(), {
        env,
        meta: { trainingSeed: 1, seed: 2 } as never,
      }),
    "meta.seed",
  );
  // The good file still loads.
  loadCheckpoint(path, learner(), { env });
});

Deno.test("canonicalJson and configHash: key order free, Infinity kept, sensitive to values", () => {
  assert.equal(
    canonicalJson({ z: { b: 2, a: 1 }, y: -Infinity }),
    '{"y":{"$number":"-Infinity"},"z":{"a":1,"b":2}}',
  );
  const base = {
    kind: "dqn",
    config: { maxGradNorm: Infinity, gamma: 0.99 },
    training: { steps: 5 },
  };
  const h = configHash(base);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(configHash({ ...base, config: { gamma: 0.99, maxGradNorm: Infinity } }), h);
  assert.notEqual(configHash({ ...base, config: { gamma: 0.99, maxGradNorm: 10 } }), h);
  assert.notEqual(configHash({ ...base, training: { steps: 6 } }), h);
});

function sha(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
