/**
 * Tests of the learners' numerical parts: the MLP's forward and backward passes (plain and noisy
 * layers) and every hand-written loss gradient of `lib/agents/losses.ts`, each against central
 * finite differences; Adam; orthogonal initialisation; the observation normaliser.
 */
import assert from "node:assert/strict";
import { createAdam, createMlp, createNormalizer, polyakUpdate } from "../lib/agents/mod.ts";
import {
  discreteSacActorLoss,
  duelingGrad,
  duelingQ,
  policyLogProb,
  ppoLoss,
  type PpoPolicy,
  sampleSquashed,
  squashedActorGrad,
  tdLoss,
} from "../lib/agents/losses.ts";
import { normal, stream } from "../lib/rng.ts";
import { gemm, GEMM_BACKEND, gemmJs } from "../lib/agents/_gemm.ts";
import { near, throwsConfig, throwsUnknown } from "./_assert.ts";

/** Central differences of `f` at `x` (changed in place and restored), entry by entry. */
function numericGrad(f: () => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const up = f();
    x[i] = v - h;
    const down = f();
    x[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Every entry of `a` within `tol` (relative to the larger magnitude, at least 1) of `b`. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(1, Math.abs(a[i]), Math.abs(b[i]));
    assert.ok(Math.abs(a[i] - b[i]) <= tol * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const randn = (n: number, rng: () => number, s = 1) =>
  Float64Array.from({ length: n }, () => s * normal(rng));

// ------------------------------------------------------------------------ the network

for (
  const [label, opts] of [
    ["relu", { activation: "relu" }],
    ["tanh, activated output", { activation: "tanh", activateOutput: true }],
    ["noisy relu", { activation: "relu", noisy: true }],
    ["orthogonal tanh", { activation: "tanh", init: "orthogonal" }],
  ] as const
) {
  Deno.test(`mlp (${label}): backward matches finite differences, for weights and input`, () => {
    const rng = stream(1, label);
    const net = createMlp({ sizes: [5, 7, 6, 3], rng, ...opts });
    if (net.noisy) net.resampleNoise(stream(2, "noise"));
    const rows = 4;
    const x = randn(rows * 5, rng);
    const w = randn(rows * 3, rng); // loss = Σ w ⊙ output²/2
    const loss = () => {
      const y = net.predict(x, rows);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += 0.5 * w[i] * y[i] * y[i];
      return s;
    };
    const y = net.forward(x, rows);
    const dy = Float64Array.from(y, (v, i) => w[i] * v);
    net.zeroGrad();
    const dx = net.backward(dy, { input: true })!.slice();
    // For noisy layers, perturbing μ or σ must go through the effective weights.
    const params = net.params;
    const numeric = numericGrad(() => {
      net.changed();
      return loss();
    }, params);
    net.changed();
    close(net.grads, numeric, 1e-6, "weights");
    close(dx, numericGrad(loss, x), 1e-6, "input");
    // The three forward paths agree.
    const one = net.forward1(x.subarray(5, 10));
    close(one, net.predict(x, rows).subarray(3, 6), 1e-12, "forward1 vs predict");
    close(net.forward(x, rows), net.predict(x, rows), 0, "forward vs predict");
  });
}

Deno.test("mlp: input-only backward leaves the gradients alone; noisy mean weights ignore ε", () => {
  const net = createMlp({ sizes: [3, 4, 2], activation: "relu", rng: stream(3, "a"), noisy: true });
  const x = Float64Array.from([0.5, -1, 2]);
  const mean = net.forward1(x, true).slice();
  net.resampleNoise(stream(3, "n"));
  assert.deepEqual([...net.forward1(x, true)], [...mean]);
  assert.notDeepEqual([...net.forward1(x, false)], [...mean]);
  net.forward(x, 1);
  net.backward(Float64Array.from([1, 1]), { params: false, input: true });
  assert.ok(net.grads.every((g) => g === 0));
  // Factorised noise: σ starts at σ0/√fan_in for weights and biases.
  assert.equal(net.params[3 * 4 + 4 + 1], 0.5 / Math.sqrt(3));
});

Deno.test("mlp: orthogonal initialisation gives WWᵀ = gain² I (out × in layout), zero biases", () => {
  const net = createMlp({
    sizes: [16, 16, 4],
    activation: "tanh",
    init: "orthogonal",
    outputGain: 0.01,
    rng: stream(5, "ortho"),
  });
  const w = net.params; // layer 0: W (16 × 16), b (16); layer 1: W (4 × 16), b (4)
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let dot = 0;
      for (let k = 0; k < 16; k++) dot += w[i * 16 + k] * w[j * 16 + k];
      near(dot, i === j ? 2 : 0, 1e-9);
    }
  }
  const o = 16 * 16 + 16;
  for (let r = 0; r < 4; r++) {
    let norm = 0;
    for (let k = 0; k < 16; k++) norm += w[o + r * 16 + k] ** 2;
    near(norm, 1e-4, 1e-12);
  }
  assert.ok(w.subarray(256, 272).every((b) => b === 0));
  throwsConfig(() => createMlp({ sizes: [3], activation: "relu", rng: stream(1, "x") }), "sizes");
});

Deno.test("adam: first step is lr per coordinate; clipping scales the global norm; zeroes grads", () => {
  const block = { params: Float64Array.from([3, -1]), grads: Float64Array.from([6, -2]) };
  const opt = createAdam([block], { learningRate: 0.1 });
  opt.step();
  near(opt.gradNorm, Math.hypot(6, 2), 1e-12);
  near(block.params[0], 2.9, 1e-9);
  near(block.params[1], -0.9, 1e-9);
  assert.deepEqual([...block.grads], [0, 0]);
  // Two blocks share one global norm: clipping to 1 rescales both by 1/5.
  const a = { params: Float64Array.from([0]), grads: Float64Array.from([3]) };
  const b = { params: Float64Array.from([0]), grads: Float64Array.from([4]) };
  const clipped = createAdam([a, b], { learningRate: 1, maxGradNorm: 1, beta1: 0, beta2: 0 });
  clipped.step();
  // beta1 = beta2 = 0: the step is lr · g / (|g| + ε) whatever the scale: −1 each.
  near(a.params[0], -1, 1e-6);
  near(b.params[0], -1, 1e-6);
  near(clipped.gradNorm, 5, 1e-12);
});

Deno.test("polyakUpdate moves the target part of the way; tau 1 copies", () => {
  const rng = stream(1, "polyak");
  const s = createMlp({ sizes: [2, 3, 1], activation: "relu", rng });
  const t = createMlp({ sizes: [2, 3, 1], activation: "relu", rng });
  const before = t.params.slice();
  polyakUpdate({ target: t, source: s, tau: 0.25 });
  for (let i = 0; i < before.length; i++) near(t.params[i], 0.25 * s.params[i] + 0.75 * before[i]);
  polyakUpdate({ target: t, source: s, tau: 1 });
  assert.deepEqual([...t.params], [...s.params]);
  const x = Float64Array.from([1, -1]);
  assert.equal(t.forward1(x)[0], s.forward1(x)[0]); // the cached weights were refreshed
});

// ------------------------------------------------------------------------ losses

Deno.test("tdLoss (huber and mse) and the dueling head: gradients match finite differences", () => {
  const rng = stream(2, "td");
  const rows = 6, n = 3;
  const va = randn(rows * (n + 1), rng, 1.5);
  const actions = Int32Array.from({ length: rows }, (_, i) => i % n);
  const targets = randn(rows, rng, 2);
  const weights = Float64Array.from({ length: rows }, () => 0.2 + rng());
  for (const kind of ["huber", "mse"] as const) {
    const q = new Float64Array(rows * n), dq = new Float64Array(rows * n);
    const td = new Float64Array(rows);
    const loss = () => {
      duelingQ(va, rows, n, q);
      return tdLoss({ q, n, actions, targets, weights, kind, dq, td });
    };
    loss();
    const dva = new Float64Array(rows * (n + 1));
    duelingGrad(dq, rows, n, dva);
    close(dva, numericGrad(loss, va), 1e-6, kind);
    for (let b = 0; b < rows; b++) near(td[b], targets[b] - q[b * n + actions[b]], 1e-12);
  }
});

/** A PPO minibatch whose ratios straddle the clip range and whose values straddle theirs. */
function ppoCase(policy: PpoPolicy, clipVloss: boolean) {
  const rng = stream(4, `ppo-${policy.kind}-${clipVloss}`);
  const rows = 12;
  const width = policy.kind === "categorical" ? policy.n : policy.k;
  const actDim = policy.kind === "categorical" ? 1 : policy.k;
  const out = randn(rows * width, rng);
  const actions = policy.kind === "categorical"
    ? Float64Array.from({ length: rows }, (_, i) => i % policy.n)
    : randn(rows * actDim, rng);
  // Old log-probabilities such that the ratios spread over [e^−0.45, e^0.45], across 1 ± ε.
  const oldLogp = Float64Array.from(
    { length: rows },
    (_, j) =>
      policyLogProb(policy, out, j * width, actions, j * actDim) - 0.9 * (j / (rows - 1) - 0.5),
  );
  return {
    policy,
    out,
    values: randn(rows, rng),
    actions,
    oldLogp,
    oldValues: randn(rows, rng),
    returns: randn(rows, rng),
    advantages: randn(rows, rng),
    clipCoef: 0.2,
    clipVloss,
    entCoef: 0.05,
    vfCoef: 0.5,
    dOut: new Float64Array(rows * width),
    dValues: new Float64Array(rows),
    dLogStd: new Float64Array(actDim),
  };
}

for (
  const policy of [
    { kind: "categorical", n: 4 },
    { kind: "gaussian", k: 3, logStd: Float64Array.from([-0.5, 0, 0.3]) },
  ] as PpoPolicy[]
) {
  for (const clipVloss of [true, false]) {
    Deno.test(`ppoLoss (${policy.kind}, clipVloss ${clipVloss}): gradients match finite differences`, () => {
      const c = ppoCase(policy, clipVloss);
      const f = () => ppoLoss({ ...c, dLogStd: new Float64Array(c.dLogStd.length) });
      const sums = new Float64Array(5);
      ppoLoss({ ...c, sums });
      assert.ok(sums[4] > 0.2 && sums[4] < 0.9, `some ratios clipped, some not: ${sums[4]}`);
      close(c.dOut, numericGrad(f, c.out), 1e-6, "dOut");
      close(c.dValues, numericGrad(f, c.values), 1e-6, "dValues");
      if (policy.kind === "gaussian") {
        close(c.dLogStd, numericGrad(f, policy.logStd), 1e-6, "dLogStd");
      }
    });
  }
}

Deno.test("discreteSacActorLoss: gradient matches finite differences; entropy of the policy", () => {
  const rng = stream(6, "sac-d");
  const rows = 5, n = 4;
  const logits = randn(rows * n, rng);
  const minQ = randn(rows * n, rng);
  const dLogits = new Float64Array(rows * n);
  const f = () => discreteSacActorLoss({ logits, minQ, n, alpha: 0.3, dLogits }).loss;
  f();
  close(dLogits.slice(), numericGrad(f, logits), 1e-6, "dLogits");
  const uniform = discreteSacActorLoss({
    logits: new Float64Array(n),
    minQ: new Float64Array(n),
    n,
    alpha: 1,
    dLogits: new Float64Array(n),
  });
  near(uniform.entropy, Math.log(n), 1e-12);
  near(uniform.loss, -Math.log(n), 1e-12); // Σ π α log π = −H
});

Deno.test("squashed Gaussian: log π is the change of variables; actor gradient by finite differences", () => {
  const rng = stream(7, "squash");
  const rows = 4, k = 3;
  const policy = {
    k,
    scale: Float64Array.from([1, 2, 0.5]),
    bias: Float64Array.from([0, 1, -0.25]),
    logStdMin: -5,
    logStdMax: 2,
  };
  const out = randn(rows * 2 * k, rng, 0.7);
  const sample = {
    eps: randn(rows * k, rng),
    tanh: new Float64Array(rows * k),
    std: new Float64Array(rows * k),
    logPi: new Float64Array(rows),
  };
  const acts = new Float64Array(rows * k);
  const centre = Float64Array.from([0.3, 1.5, -0.4]);
  const alpha = 0.4;
  // ℓ(a) = Σ (a − centre)² / rows stands in for −min Q.
  const loss = () => {
    sampleSquashed(policy, { out, rows, sample, acts, stride: k, offset: 0 });
    let s = 0;
    for (let r = 0; r < rows; r++) {
      s += alpha * sample.logPi[r] / rows;
      for (let i = 0; i < k; i++) s += (acts[r * k + i] - centre[i]) ** 2 / rows;
    }
    return s;
  };
  loss();
  // Change of variables: log π = Σ log N(x; μ, σ) − log(h (1 − tanh²x)) (the 1e-6 aside).
  for (let r = 0; r < rows; r++) {
    let lp = 0;
    for (let i = 0; i < k; i++) {
      const s = sample.std[r * k + i];
      const x = out[r * 2 * k + i] + s * sample.eps[r * k + i];
      const z = (x - out[r * 2 * k + i]) / s;
      lp += -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
      lp -= Math.log(policy.scale[i] * (1 - Math.tanh(x) ** 2) + 1e-6);
      assert.ok(acts[r * k + i] > policy.bias[i] - policy.scale[i]);
      assert.ok(acts[r * k + i] < policy.bias[i] + policy.scale[i]);
    }
    near(sample.logPi[r], lp, 1e-9);
  }
  const dLda = Float64Array.from(acts, (a, j) => 2 * (a - centre[j % k]) / rows);
  const dOut = new Float64Array(rows * 2 * k);
  squashedActorGrad(policy, { out, rows, sample, dLda, alpha, dOut });
  close(dOut, numericGrad(loss, out), 1e-6, "dOut");
});

// ------------------------------------------------------------------------ normaliser

Deno.test("normaliser: running mean and variance, batch or row by row; clip; freeze; state", () => {
  const rng = stream(8, "norm");
  const rows = 500, dim = 3;
  const x = Float64Array.from(
    { length: rows * dim },
    (_, i) => 5 * (i % dim) + (1 + i % dim) * normal(rng),
  );
  const a = createNormalizer({ dim }), b = createNormalizer({ dim });
  a.update(x, rows);
  for (let r = 0; r < rows; r += 7) b.update(x.subarray(r * dim), Math.min(7, rows - r));
  const sa = a.state(), sb = b.state();
  for (let i = 0; i < dim; i++) {
    let m = 0, v = 0;
    for (let r = 0; r < rows; r++) m += x[r * dim + i] / rows;
    for (let r = 0; r < rows; r++) v += (x[r * dim + i] - m) ** 2 / rows;
    // The pseudo-count 1e-4 of the prior (mean 0, variance 1) barely moves them.
    near(sa.mean[i], m, 1e-5 * Math.max(1, Math.abs(m)));
    near(sa.var[i], v, 1e-5 * Math.max(1, v));
    near(sb.mean[i], sa.mean[i], 1e-9);
    near(sb.var[i], sa.var[i], 1e-9);
  }
  near(a.count, rows + 1e-4, 1e-9);
  const out = a.normalize(x, new Float64Array(rows * dim), rows);
  let m0 = 0;
  for (let r = 0; r < rows; r++) m0 += out[r * dim] / rows;
  near(m0, 0, 1e-6);
  // Clipping.
  const far = a.normalize(Float64Array.from([1e9, -1e9, 5]), new Float64Array(3), 1);
  assert.deepEqual([far[0], far[1]], [10, -10]);
  // Frozen: no update.
  a.frozen = true;
  a.update(Float64Array.from([100, 100, 100]), 1);
  assert.deepEqual(a.state(), sa);
  // State round trip, and a bad state names the field.
  const c = createNormalizer({ dim, clip: 3 });
  c.load(sa);
  assert.deepEqual(c.state(), sa);
  throwsConfig(() => c.load({ ...sa, mean: [1, 2] }), "normalizer.mean");
  throwsConfig(() => c.load({ ...sa, var: [1, -1, 1] }), "normalizer.var[1]");
  throwsConfig(() => createNormalizer({ dim, clip: 0 }), "normalizer.clip");
  throwsUnknown(() => createNormalizer({ dim, clp: 3 } as never), "normalizer.clp", "clip");
});

Deno.test("gemm: the WebAssembly kernel agrees with the JavaScript one on every operand form", () => {
  assert.equal(GEMM_BACKEND, "wasm-simd");
  const rng = stream(9, "gemm");
  for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [64, 27, 19], [2, 64, 1], [9, 2, 64]]) {
    for (const aT of [false, true]) {
      for (const bT of [false, true]) {
        for (const mode of ["set", "bias", "accumulate"] as const) {
          const a = randn(m * k + 3, rng), b = randn(n * k + 5, rng), bias = randn(n + 2, rng);
          const c0 = randn(m * n + 4, rng);
          const args = {
            a,
            aOff: 3,
            aT,
            b,
            bOff: 5,
            bT,
            m,
            n,
            k,
            cOff: 4,
            ...(mode === "bias" ? { bias, biasOff: 2 } : {}),
            accumulate: mode === "accumulate",
          };
          const w = c0.slice(), j = c0.slice();
          gemm({ ...args, c: w });
          gemmJs({ ...args, c: j });
          close(w, j, 1e-12, `${m}×${n}×${k} aT ${aT} bT ${bT} ${mode}`);
          // Against the definition, entry by entry.
          for (let i = 0; i < m; i++) {
            for (let q = 0; q < n; q++) {
              let s = mode === "accumulate" ? c0[4 + i * n + q] : mode === "bias" ? bias[2 + q] : 0;
              for (let p = 0; p < k; p++) {
                const x = aT ? a[3 + p * m + i] : a[3 + i * k + p];
                const y = bT ? b[5 + p * n + q] : b[5 + q * k + p];
                s += x * y;
              }
              near(w[4 + i * n + q], s, 1e-12 * Math.max(1, Math.abs(s)));
            }
          }
          assert.deepEqual([...w.subarray(0, 4)], [...c0.subarray(0, 4)], "nothing before cOff");
        }
      }
    }
  }
});
