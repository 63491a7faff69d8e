/**
 * The learners' losses as pure functions of the networks' outputs: each returns the loss and
 * writes its gradient with respect to those outputs, which the agents then push through
 * `Mlp.backward`. Keeping them here, apart from the agents' bookkeeping, is what lets
 * `tests/agents_test.ts` check every hand-written gradient against finite differences.
 *
 * - {@linkcode tdLoss}: DQN's importance-weighted Huber (or squared) TD loss;
 *   {@linkcode duelingQ}, {@linkcode duelingGrad}: the dueling head `Q = V + A − mean(A)`.
 * - {@linkcode ppoLoss}: PPO's clipped surrogate, clipped value loss and entropy bonus, for a
 *   categorical or a diagonal Gaussian policy.
 * - {@linkcode discreteSacActorLoss}: `Σ_a π(a|s) [α log π(a|s) − min Q(s, a)]`.
 * - {@linkcode sampleSquashed}, {@linkcode squashedActorGrad}: the tanh-squashed Gaussian of
 *   continuous SAC, reparameterised.
 *
 * Rows are batch entries; every mean is over rows. Where a loss takes `max` or `min` of two
 * terms and they tie, each gets half the gradient, as PyTorch's `maximum` and `minimum` do.
 *
 * @module
 */
import { logSumExp } from "./nn.ts";

/** Inputs of {@linkcode tdLoss}. */
export interface TdLossInputs {
  /** Q-values, `rows × n`. */
  readonly q: Float64Array;
  /** Number of actions. */
  readonly n: number;
  /** Actions taken, one per row. */
  readonly actions: Int32Array;
  /** TD targets `y`, one per row. */
  readonly targets: Float64Array;
  /** Importance-sampling weights, one per row. */
  readonly weights: Float64Array;
  /** `"huber"` (δ = 1) or `"mse"` (`e²/2`). */
  readonly kind: "huber" | "mse";
  /** Output: `∂loss/∂q`, `rows × n` (overwritten). */
  readonly dq: Float64Array;
  /** Output: TD errors `y − Q(s, a)` per row. */
  readonly td: Float64Array;
}

/**
 * `mean_b w_b · ℓ(y_b − Q(s_b, a_b))` with `ℓ` Huber (δ = 1) or `e²/2`.
 *
 * @example
 * ```ts
 * import { tdLoss } from "./losses.ts";
 * const dq = new Float64Array(4), td = new Float64Array(2);
 * const loss = tdLoss({ q: Float64Array.from([0, 1, 2, 3]), n: 2, actions: Int32Array.from([1, 0]),
 *   targets: Float64Array.from([1.5, 0]), weights: Float64Array.from([1, 1]), kind: "huber", dq, td });
 * // errors 0.5 (quadratic part) and −2 (linear part): (0.125 + 1.5) / 2
 * if (loss !== 0.8125 || dq.join() !== "0,-0.25,0.5,0") throw new Error(`${loss} ${dq}`);
 * ```
 */
export function tdLoss(i: TdLossInputs): number {
  const { q, n, actions, targets, weights, dq, td } = i;
  const rows = targets.length;
  dq.fill(0);
  let loss = 0;
  for (let b = 0; b < rows; b++) {
    const j = b * n + actions[b];
    const e = targets[b] - q[j];
    td[b] = e;
    const w = weights[b], ae = Math.abs(e);
    if (i.kind === "huber") {
      loss += w * (ae <= 1 ? 0.5 * e * e : ae - 0.5);
      dq[j] = -w * (ae <= 1 ? e : Math.sign(e)) / rows;
    } else {
      loss += w * 0.5 * e * e;
      dq[j] = -w * e / rows;
    }
  }
  return loss / rows;
}

/**
 * Dueling head: from rows `[V, A_0..A_{n−1}]` (`rows × (n + 1)`) writes
 * `Q_a = V + A_a − mean(A)` into `q` (`rows × n`).
 */
export function duelingQ(va: Float64Array, rows: number, n: number, q: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * (n + 1);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += va[o + 1 + i];
    mean /= n;
    for (let i = 0; i < n; i++) q[r * n + i] = va[o] + va[o + 1 + i] - mean;
  }
}

/** The dueling head's backward pass: `∂/∂V = Σ_a ∂/∂Q_a`, `∂/∂A_k = ∂/∂Q_k − mean_a ∂/∂Q_a`. */
export function duelingGrad(dq: Float64Array, rows: number, n: number, dva: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += dq[r * n + i];
    const o = r * (n + 1);
    dva[o] = s;
    for (let i = 0; i < n; i++) dva[o + 1 + i] = dq[r * n + i] - s / n;
  }
}

/** The policy of {@linkcode ppoLoss}. */
export type PpoPolicy =
  /** Softmax over `n` logits. */
  | { readonly kind: "categorical"; readonly n: number }
  /** Diagonal Gaussian: `k` means from the network, a state-independent log std. */
  | { readonly kind: "gaussian"; readonly k: number; readonly logStd: Float64Array };

/** Inputs of {@linkcode ppoLoss}; per-row arrays have one entry per row. */
export interface PpoLossInputs {
  /** The policy. */
  readonly policy: PpoPolicy;
  /** Actor outputs (logits, or means), `rows × (n or k)`. */
  readonly out: Float64Array;
  /** Critic values `V(s)`. */
  readonly values: Float64Array;
  /** Actions taken: one per row (categorical) or `rows × k` (Gaussian, before clipping). */
  readonly actions: Float64Array;
  /** Log-probabilities of the actions when they were taken. */
  readonly oldLogp: Float64Array;
  /** Values when the actions were taken (for value clipping). */
  readonly oldValues: Float64Array;
  /** Return targets. */
  readonly returns: Float64Array;
  /** Advantages (already normalised if wanted). */
  readonly advantages: Float64Array;
  /** Surrogate (and value) clipping ε. */
  readonly clipCoef: number;
  /** Clip the value loss. */
  readonly clipVloss: boolean;
  /** Entropy bonus coefficient. */
  readonly entCoef: number;
  /** Value loss coefficient. */
  readonly vfCoef: number;
  /** Output: `∂loss/∂out`. */
  readonly dOut: Float64Array;
  /** Output: `∂loss/∂values`. */
  readonly dValues: Float64Array;
  /** Output: `∂loss/∂logStd` (Gaussian), added to. */
  readonly dLogStd?: Float64Array;
  /** Output: `[policy loss, value loss, entropy, approx KL (k3), clip fraction]`, added to. */
  readonly sums?: Float64Array;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Log-probability of action row `a` (from offset `ao`) under output row `o` of a policy.
 */
export function policyLogProb(
  policy: PpoPolicy,
  out: Float64Array,
  o: number,
  a: ArrayLike<number>,
  ao: number,
): number {
  if (policy.kind === "categorical") return out[o + a[ao]] - logSumExp(out, policy.n, o);
  let lp = 0;
  for (let i = 0; i < policy.k; i++) {
    const ls = policy.logStd[i];
    const z = (a[ao + i] - out[o + i]) / Math.exp(ls);
    lp += -0.5 * z * z - ls - HALF_LOG_2PI;
  }
  return lp;
}

/**
 * PPO's loss `mean[max(−A·r, −A·clip(r, 1 ± ε))] − c_H·mean[H] + c_V·0.5·mean[max((V − R)²,
 * (V_clip − R)²)]` with `r = π/π_old` (CleanRL's `ppo.py`); the value term is `0.5(V − R)²`
 * without clipping.
 *
 * @example
 * ```ts
 * import { ppoLoss } from "./losses.ts";
 * const one = (x: number) => Float64Array.of(x);
 * // a uniform 2-action policy, unchanged since the action was taken (ratio 1)
 * const dOut = new Float64Array(2), dValues = new Float64Array(1);
 * const loss = ppoLoss({ policy: { kind: "categorical", n: 2 }, out: new Float64Array(2),
 *   values: one(1), actions: one(0), oldLogp: one(Math.log(0.5)), oldValues: one(1),
 *   returns: one(3), advantages: one(2), clipCoef: 0.2, clipVloss: true, entCoef: 0,
 *   vfCoef: 0.5, dOut, dValues });
 * // −A·r = −2; value 0.5·(1 − 3)² = 2, times 0.5
 * if (loss !== -1 || dOut[0] !== -1 || dOut[1] !== 1 || dValues[0] !== -1) throw new Error();
 * ```
 */
export function ppoLoss(i: PpoLossInputs): number {
  const { policy, out, values, actions, oldLogp, oldValues, returns, advantages } = i;
  const { dOut, dValues } = i;
  const rows = values.length, eps = i.clipCoef;
  const categorical = policy.kind === "categorical";
  const width = categorical ? policy.n : policy.k;
  const actDim = categorical ? 1 : policy.k;
  let pgSum = 0, vSum = 0, entSum = 0, klSum = 0, clipSum = 0;
  let gaussEntropy = 0;
  if (!categorical) {
    for (let q = 0; q < policy.k; q++) gaussEntropy += 0.5 + HALF_LOG_2PI + policy.logStd[q];
  }
  for (let j = 0; j < rows; j++) {
    const o = j * width;
    const logRatio = policyLogProb(policy, out, o, actions, j * actDim) - oldLogp[j];
    const ratio = Math.exp(logRatio);
    const A = advantages[j];
    const pg1 = -A * ratio;
    const clipped = ratio < 1 - eps || ratio > 1 + eps;
    const pg2 = -A * (ratio < 1 - eps ? 1 - eps : ratio > 1 + eps ? 1 + eps : ratio);
    pgSum += pg1 > pg2 ? pg1 : pg2;
    // ∂max(pg1, pg2)/∂log π: the unclipped term's unless the clipped one is strictly larger (a
    // tie outside the clip range needs A = 0, where both gradients vanish).
    const g = (!clipped || pg1 > pg2 ? -A * ratio : 0) / rows;
    klSum += ratio - 1 - logRatio;
    if (clipped) clipSum++;
    if (categorical) {
      const n = policy.n, a = actions[j];
      const z = logSumExp(out, n, o);
      let h = 0;
      for (let q = 0; q < n; q++) {
        const lp = out[o + q] - z;
        h -= Math.exp(lp) * lp;
      }
      entSum += h;
      for (let q = 0; q < n; q++) {
        const lp = out[o + q] - z;
        const p = Math.exp(lp);
        // ∂log π_a/∂z_q = [q = a] − p_q; ∂H/∂z_q = −p_q (log p_q + H).
        dOut[o + q] = g * ((q === a ? 1 : 0) - p) + i.entCoef * p * (lp + h) / rows;
      }
    } else {
      entSum += gaussEntropy;
      for (let q = 0; q < policy.k; q++) {
        const sd = Math.exp(policy.logStd[q]);
        const z = (actions[j * actDim + q] - out[o + q]) / sd;
        dOut[o + q] = g * z / sd;
        if (i.dLogStd) i.dLogStd[q] += g * (z * z - 1);
      }
    }
    const V = values[j], R = returns[j], vOld = oldValues[j];
    if (i.clipVloss) {
      const dv = V - vOld;
      const inside = dv >= -eps && dv <= eps;
      const vc = vOld + (dv < -eps ? -eps : dv > eps ? eps : dv);
      const lu = (V - R) * (V - R), lc = (vc - R) * (vc - R);
      vSum += 0.5 * (lu > lc ? lu : lc);
      const gu = V - R, gc = inside ? vc - R : 0;
      dValues[j] = i.vfCoef * (lu > lc ? gu : lc > lu ? gc : 0.5 * (gu + gc)) / rows;
    } else {
      vSum += 0.5 * (V - R) * (V - R);
      dValues[j] = i.vfCoef * (V - R) / rows;
    }
  }
  if (!categorical && i.dLogStd) {
    for (let q = 0; q < policy.k; q++) i.dLogStd[q] -= i.entCoef;
  }
  const s = i.sums;
  if (s) {
    s[0] += pgSum / rows;
    s[1] += vSum / rows;
    s[2] += entSum / rows;
    s[3] += klSum / rows;
    s[4] += clipSum / rows;
  }
  return (pgSum - i.entCoef * entSum + i.vfCoef * vSum) / rows;
}

/** Inputs of {@linkcode discreteSacActorLoss}. */
export interface DiscreteSacActorInputs {
  /** Actor logits, `rows × n`. */
  readonly logits: Float64Array;
  /** `min(Q_1, Q_2)`, `rows × n`. */
  readonly minQ: Float64Array;
  /** Number of actions. */
  readonly n: number;
  /** Temperature α. */
  readonly alpha: number;
  /** Output: `∂loss/∂logits`. */
  readonly dLogits: Float64Array;
}

/**
 * Discrete SAC's actor loss `mean_s Σ_a π(a|s) [α log π(a|s) − minQ(s, a)]`; with
 * `f_a = α log π_a − minQ_a` its gradient is `∂/∂z_k = π_k (f_k − Σ_a π_a f_a)`. Returns the loss
 * and the mean entropy of the policy.
 */
export function discreteSacActorLoss(i: DiscreteSacActorInputs): { loss: number; entropy: number } {
  const { logits, minQ, n, alpha, dLogits } = i;
  const rows = logits.length / n;
  let loss = 0, entropy = 0;
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    const logZ = logSumExp(logits, n, o);
    let lb = 0;
    for (let a = o; a < o + n; a++) {
      const lp = logits[a] - logZ;
      const p = Math.exp(lp);
      const f = alpha * lp - minQ[a];
      dLogits[a] = f;
      lb += p * f;
      entropy -= p * lp;
    }
    loss += lb;
    for (let a = o; a < o + n; a++) {
      dLogits[a] = Math.exp(logits[a] - logZ) * (dLogits[a] - lb) / rows;
    }
  }
  return { loss: loss / rows, entropy: entropy / rows };
}

/** The squashed Gaussian policy's shape (see {@linkcode sampleSquashed}). */
export interface SquashedPolicy {
  /** Action dimensions `k`; the actor outputs `2k` numbers per row: `μ`, then raw log std. */
  readonly k: number;
  /** Half-widths `h` of the box. */
  readonly scale: Float64Array;
  /** Centres `c` of the box. */
  readonly bias: Float64Array;
  /** Log std bounds: `log σ = min + (max − min)·(tanh(raw) + 1)/2`. */
  readonly logStdMin: number;
  readonly logStdMax: number;
}

/** A batch of reparameterised samples, `rows × k` unless noted. */
export interface SquashedSample {
  /** The noise `ε`. */
  readonly eps: Float64Array;
  /** `tanh(μ + σε)`. */
  readonly tanh: Float64Array;
  /** `σ`. */
  readonly std: Float64Array;
  /** `log π(a|s)`, one per row. */
  readonly logPi: Float64Array;
}

/**
 * For `rows` actor outputs `out` and given noise `sample.eps`, writes the actions
 * `a = c + h·tanh(μ + σε)` into `acts` (row `r` at `r·stride + offset`) and fills `sample`'s
 * `tanh`, `std` and `logPi` (`Σ_i log N(ε_i) − log σ_i − log(h_i (1 − tanh²) + 10⁻⁶)`).
 */
export function sampleSquashed(
  p: SquashedPolicy,
  io: {
    readonly out: Float64Array;
    readonly rows: number;
    readonly sample: SquashedSample;
    readonly acts: Float64Array;
    readonly stride: number;
    readonly offset: number;
  },
): void {
  const { k, scale, bias } = p;
  const { out, rows, sample, acts, stride, offset } = io;
  const span = p.logStdMax - p.logStdMin;
  for (let r = 0; r < rows; r++) {
    let lp = 0;
    for (let i = 0; i < k; i++) {
      const ls = p.logStdMin + 0.5 * span * (Math.tanh(out[r * 2 * k + k + i]) + 1);
      const s = Math.exp(ls);
      const e = sample.eps[r * k + i];
      const t = Math.tanh(out[r * 2 * k + i] + s * e);
      sample.tanh[r * k + i] = t;
      sample.std[r * k + i] = s;
      lp += -0.5 * e * e - ls - HALF_LOG_2PI - Math.log(scale[i] * (1 - t * t) + 1e-6);
      acts[r * stride + offset + i] = bias[i] + scale[i] * t;
    }
    sample.logPi[r] = lp;
  }
}

/**
 * Gradient of the continuous SAC actor loss `mean_r [α log π(a_r|s_r) + ℓ(a_r)]` with respect to
 * the actor outputs (`μ` and raw log std), through the reparameterised sample of
 * {@linkcode sampleSquashed}; `dLda` (`rows × k`) is `∂(Σ_r ℓ(a_r)/rows)/∂a`, e.g. from
 * `ℓ = −min(Q_1, Q_2)` through the critic. Writes `dOut` (`rows × 2k`).
 */
export function squashedActorGrad(
  p: SquashedPolicy,
  io: {
    readonly out: Float64Array;
    readonly rows: number;
    readonly sample: SquashedSample;
    readonly dLda: Float64Array;
    readonly alpha: number;
    readonly dOut: Float64Array;
  },
): void {
  const { k, scale } = p;
  const { out, rows, sample, dLda, alpha, dOut } = io;
  const span = p.logStdMax - p.logStdMin;
  const a = alpha / rows;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const j = r * k + i;
      const t = sample.tanh[j], s = sample.std[j], e = sample.eps[j];
      const oneMinus = 1 - t * t;
      // x = μ + σε: ∂ℓ/∂x through a = c + h·tanh(x); ∂(−log(h(1 − t²) + δ))/∂x.
      const dx = dLda[j] * scale[i] * oneMinus +
        a * 2 * t * scale[i] * oneMinus / (scale[i] * oneMinus + 1e-6);
      const th = Math.tanh(out[r * 2 * k + k + i]);
      dOut[r * 2 * k + i] = dx;
      // ∂/∂log σ: through x (σε) and the −log σ term; then the squashing of log σ.
      dOut[r * 2 * k + k + i] = (dx * s * e - a) * 0.5 * span * (1 - th * th);
    }
  }
}
