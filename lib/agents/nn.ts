/**
 * Small neural-network parts for the deep RL agents: a multilayer perceptron, an Adam optimiser
 * with global-norm gradient clipping, Polyak target updates, and helpers over logits.
 *
 * Weights are tfjs variables and losses are differentiated by tfjs autodiff
 * (`tf.variableGrads`), but the MLP itself runs as plain-JavaScript loops, because on tfjs's CPU
 * backend (generic strided kernels, one per matMul/add/relu) the network is the bottleneck:
 * - `Mlp.apply` (training batches) is one `tf.customGrad` op whose forward and backward passes
 *   are 2×2-blocked dot-product loops over Float64 copies of the weights. For a ReLU
 *   `[16, 64, 64, 3]` network on a batch of 64, forward+backward+Adam takes ~1.0 ms instead of
 *   ~3.4 ms with composed tfjs kernels (`kernel: "tfjs"`, kept as the reference; the tests check
 *   that both give the same values and gradients).
 * - `Mlp.forward` (acting, one observation per environment step) allocates nothing and creates
 *   no tensors: ~4 µs instead of ~30 µs for a tfjs forward.
 * - `Mlp.predict` (batches that need no gradient, such as TD targets) runs the same loops
 *   without a tensor round trip.
 * - Adam is one loop over the gradients with PyTorch's update rule and `clip_grad_norm_`
 *   semantics, instead of about ten element-wise tfjs kernels per variable.
 *
 * @module
 */
import { tf } from "./_tf.ts";
import { normal, type Rng } from "../rng.ts";
import { ConfigError } from "../errors.ts";

/** Hidden-layer non-linearity. */
export type Activation = "relu" | "tanh";

/**
 * Weight initialisation.
 * - `"uniform"`: PyTorch's `nn.Linear` default, weights and biases ~ U(±1/√fan_in).
 * - `"orthogonal"`: orthogonal weights scaled by a gain, zero biases (CleanRL's PPO `layer_init`).
 */
export type Init = "uniform" | "orthogonal";

/** Options of {@linkcode createMlp}. */
export interface MlpOptions {
  /** Layer widths from input to output, e.g. `[obsDim, 64, 64, nActions]`. */
  readonly sizes: readonly number[];
  /** Non-linearity after every hidden layer. */
  readonly activation: Activation;
  /** Also apply the activation to the output (for a trunk feeding other heads). Default false. */
  readonly activateOutput?: boolean;
  /** Weight initialisation. Default `"uniform"`. */
  readonly init?: Init;
  /** Orthogonal gain of the hidden layers. Default √2. */
  readonly hiddenGain?: number;
  /** Orthogonal gain of the output layer (e.g. 0.01 for a policy, 1 for a value). Default 1. */
  readonly outputGain?: number;
  /** Stream the initial weights are drawn from. */
  readonly rng: Rng;
  /** Whether autodiff may train the weights (false for target networks). Default true. */
  readonly trainable?: boolean;
  /**
   * How `apply` computes: `"js"` (default) runs the network as one custom-gradient tfjs op with
   * plain-JavaScript loops; `"tfjs"` composes tfjs kernels (matMul, add, relu/tanh) per layer.
   * Both give the same values and gradients (to float32 rounding).
   */
  readonly kernel?: "js" | "tfjs";
}

/** A fully connected network. Weights are `[W0, b0, W1, b1, ...]` with `W` of shape `[in, out]`. */
export interface Mlp {
  /** Layer widths from input to output. */
  readonly sizes: readonly number[];
  /** Weights and biases, in layer order. */
  readonly vars: readonly tf.Variable[];
  /** Batched forward pass in tfjs: `[batch, sizes[0]] -> [batch, last]`, differentiable. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /**
   * Forward pass of one input in plain JavaScript, no tensors created. Returns an internal buffer
   * of length `last` that the next call overwrites.
   */
  forward(x: ArrayLike<number>): Float64Array;
  /**
   * Forward pass of `rows` inputs (row-major in `x`) in plain JavaScript, for values that need no
   * gradient (TD targets). Returns a new `rows × last` array.
   */
  predict(x: ArrayLike<number>, rows: number): Float64Array;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * A multilayer perceptron with weights drawn from `options.rng`.
 *
 * @example
 * ```ts
 * import { createMlp } from "./nn.ts";
 * import { stream } from "../rng.ts";
 * const net = createMlp({ sizes: [2, 8, 3], activation: "relu", rng: stream(1, "doc") });
 * const q = net.forward(new Float64Array([0.5, -1]));
 * if (q.length !== 3) throw new Error("three outputs");
 * net.dispose();
 * ```
 */
export function createMlp(options: MlpOptions): Mlp {
  const { sizes, activation, rng } = options;
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ConfigError("sizes", "at least two positive integer layer widths", sizes);
  }
  const init = options.init ?? "uniform";
  const trainable = options.trainable ?? true;
  const nLayers = sizes.length - 1;
  const activateOutput = options.activateOutput ?? false;
  const kernel = options.kernel ?? "js";
  const vars: tf.Variable[] = [];
  for (let l = 0; l < nLayers; l++) {
    const nIn = sizes[l], nOut = sizes[l + 1];
    let w: Float32Array, b: Float32Array;
    if (init === "orthogonal") {
      const gain = l === nLayers - 1 ? options.outputGain ?? 1 : options.hiddenGain ?? Math.SQRT2;
      w = orthogonal({ nIn, nOut, gain, rng });
      b = new Float32Array(nOut);
    } else {
      const bound = 1 / Math.sqrt(nIn);
      w = Float32Array.from({ length: nIn * nOut }, () => (2 * rng() - 1) * bound);
      b = Float32Array.from({ length: nOut }, () => (2 * rng() - 1) * bound);
    }
    vars.push(toVariable(w, [nIn, nOut], trainable), toVariable(b, [nOut], trainable));
  }

  const activated = (l: number) => l < nLayers - 1 || activateOutput;
  const relu = activation === "relu";

  // Float64 copies of the current weights, refreshed when a variable is reassigned (an optimiser
  // step or a target update gives it a new data id): `w[l]` is `[in, out]`, `wT[l]` `[out, in]`.
  const w = sizes.slice(1).map((s, l) => new Float64Array(sizes[l] * s));
  const wT = sizes.slice(1).map((s, l) => new Float64Array(sizes[l] * s));
  const bias = sizes.slice(1).map((s) => new Float64Array(s));
  const ids: unknown[] = vars.map(() => null);
  const refresh = (): void => {
    for (let l = 0; l < nLayers; l++) {
      const wv = vars[2 * l], bv = vars[2 * l + 1];
      if (wv.dataId !== ids[2 * l]) {
        const src = wv.dataSync(), nIn = sizes[l], nOut = sizes[l + 1];
        w[l].set(src);
        for (let i = 0; i < nIn; i++) {
          for (let j = 0; j < nOut; j++) wT[l][j * nIn + i] = src[i * nOut + j];
        }
        ids[2 * l] = wv.dataId;
      }
      if (bv.dataId !== ids[2 * l + 1]) {
        bias[l].set(bv.dataSync());
        ids[2 * l + 1] = bv.dataId;
      }
    }
  };

  /**
   * Forward pass of `rows = acts[0].length / sizes[1]` inputs (row-major) through the layers;
   * `acts[l]` receives layer `l`'s output after its activation.
   */
  const propagate = (input: Float64Array, acts: Float64Array[]): void => {
    refresh();
    const rows = acts[0].length / sizes[1];
    let a = input;
    for (let l = 0; l < nLayers; l++) {
      const h = acts[l];
      gemmNT({ a, b: wT[l], c: h, m: rows, n: sizes[l + 1], k: sizes[l], bias: bias[l] });
      if (activated(l)) {
        if (relu) { for (let k = 0; k < h.length; k++) if (h[k] < 0) h[k] = 0; }
        else for (let k = 0; k < h.length; k++) h[k] = Math.tanh(h[k]);
      }
      a = h;
    }
  };

  /** Gradients of the input and of every weight, given the output gradient `dy`. */
  const backprop = (
    { input, acts, ws, dy }: {
      input: Float64Array;
      acts: Float64Array[];
      ws: Float64Array[];
      dy: ArrayLike<number>;
    },
  ): tf.Tensor[] => {
    const rows = input.length / sizes[0];
    const grads: tf.Tensor[] = new Array(1 + vars.length);
    let delta = Float64Array.from(dy);
    for (let l = nLayers - 1; l >= 0; l--) {
      const nIn = sizes[l], nOut = sizes[l + 1];
      const h = acts[l], a = l === 0 ? input : acts[l - 1];
      if (activated(l)) {
        if (relu) { for (let k = 0; k < delta.length; k++) if (h[k] <= 0) delta[k] = 0; }
        else for (let k = 0; k < delta.length; k++) delta[k] *= 1 - h[k] * h[k];
      }
      // dW = aᵀ δ and db = Σ_rows δ (as dot products over rows of the transposes), dA = δ Wᵀ.
      const aT = transpose({ x: a, rows, cols: nIn });
      const deltaT = transpose({ x: delta, rows, cols: nOut });
      const gw = new Float64Array(nIn * nOut);
      gemmNT({ a: aT, b: deltaT, c: gw, m: nIn, n: nOut, k: rows });
      const gb = new Float32Array(nOut);
      for (let j = 0; j < nOut; j++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += deltaT[j * rows + r];
        gb[j] = sum;
      }
      const da = new Float64Array(rows * nIn);
      gemmNT({ a: delta, b: ws[l], c: da, m: rows, n: nIn, k: nOut });
      grads[1 + 2 * l] = tf.tensor2d(Float32Array.from(gw), [nIn, nOut]);
      grads[2 + 2 * l] = tf.tensor1d(gb);
      delta = da;
    }
    grads[0] = tf.tensor2d(Float32Array.from(delta), [rows, sizes[0]]);
    return grads;
  };

  // The whole network as one differentiable tfjs op whose forward and backward run in `propagate`
  // and `backprop`: a few blocked loops instead of a dozen small kernels per layer.
  const mlpOp = tf.customGrad((...args) => {
    const x = args[0] as tf.Tensor2D;
    const rows = x.shape[0];
    const input = Float64Array.from(x.dataSync());
    const acts = sizes.slice(1).map((s) => new Float64Array(rows * s));
    propagate(input, acts);
    const ws = w.map((m) => m.slice()); // this pass's weights, for its backward pass
    return {
      value: tf.tensor2d(Float32Array.from(acts[nLayers - 1]), [rows, sizes[nLayers]]),
      gradFunc: (dy: tf.Tensor) => backprop({ input, acts, ws, dy: dy.dataSync() }),
    };
  });

  const single = sizes.slice(1).map((s) => new Float64Array(s));
  return {
    sizes,
    vars,
    apply(x) {
      if (kernel === "js") return mlpOp(x, ...vars) as tf.Tensor2D;
      let h: tf.Tensor2D = x;
      for (let l = 0; l < nLayers; l++) {
        h = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]);
        if (activated(l)) h = relu ? tf.relu(h) : tf.tanh(h);
      }
      return h;
    },
    forward(x) {
      // One row: the per-step path, so no allocation and no blocking.
      refresh();
      let a: ArrayLike<number> = x;
      for (let l = 0; l < nLayers; l++) {
        const nIn = sizes[l], nOut = sizes[l + 1], wt = wT[l], b = bias[l], h = single[l];
        const act = activated(l);
        for (let j = 0; j < nOut; j++) {
          const o = j * nIn;
          let sum = b[j];
          for (let i = 0; i < nIn; i++) sum += a[i] * wt[o + i];
          h[j] = act ? (relu ? (sum > 0 ? sum : 0) : Math.tanh(sum)) : sum;
        }
        a = h;
      }
      return single[nLayers - 1];
    },
    predict(x, rows) {
      const acts = sizes.slice(1).map((s) => new Float64Array(rows * s));
      propagate(x instanceof Float64Array ? x : Float64Array.from(x), acts);
      return acts[nLayers - 1];
    },
    dispose() {
      for (const v of vars) v.dispose();
    },
  };
}

/** Operands of {@linkcode gemmNT}. */
interface Gemm {
  /** `m × k`, row-major. */
  readonly a: Float64Array;
  /** `n × k`, row-major (the right operand transposed). */
  readonly b: Float64Array;
  /** `m × n` output, row-major. */
  readonly c: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Added to every row of the output. */
  readonly bias?: Float64Array;
}

/**
 * `c = a bᵀ (+ bias)`: every output is a dot product of two contiguous rows, computed in 2×2
 * blocks so that each loaded value is used twice (about twice as fast as a plain loop in V8).
 */
function gemmNT({ a, b, c, m, n, k, bias }: Gemm): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k, a1 = a0 + k, c0 = i * n, c1 = c0 + n;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], y0 = b[b0 + p], y1 = b[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const bj0 = bias ? bias[j] : 0, bj1 = bias ? bias[j + 1] : 0;
      c[c0 + j] = s00 + bj0;
      c[c0 + j + 1] = s01 + bj1;
      c[c1 + j] = s10 + bj0;
      c[c1 + j + 1] = s11 + bj1;
    }
    if (j < n) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[b0 + p];
        s1 += a[a1 + p] * b[b0 + p];
      }
      const bj = bias ? bias[j] : 0;
      c[c0 + j] = s0 + bj;
      c[c1 + j] = s1 + bj;
    }
  }
  if (i < m) {
    const a0 = i * k, c0 = i * n;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[c0 + j] = s + (bias ? bias[j] : 0);
    }
  }
}

/** The `cols × rows` transpose of the row-major `rows × cols` matrix `x`. */
function transpose(
  { x, rows, cols }: { x: Float64Array; rows: number; cols: number },
): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) t[q * rows + r] = x[r * cols + q];
  }
  return t;
}

function toVariable(values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"), trainable));
}

/** `[nIn, nOut]` matrix with orthonormal rows or columns (whichever are fewer), times `gain`. */
function orthogonal(
  { nIn, nOut, gain, rng }: { nIn: number; nOut: number; gain: number; rng: Rng },
): Float32Array {
  // Gram–Schmidt on k = min(nIn, nOut) Gaussian vectors of length m = max(nIn, nOut).
  const m = Math.max(nIn, nOut), k = Math.min(nIn, nOut);
  const q = new Float64Array(k * m);
  for (let c = 0; c < k; c++) {
    const v = q.subarray(c * m, (c + 1) * m);
    for (;;) {
      for (let i = 0; i < m; i++) v[i] = normal(rng);
      for (let p = 0; p < c; p++) {
        const u = q.subarray(p * m, (p + 1) * m);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= dot * u[i];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let i = 0; i < m; i++) v[i] /= norm;
        break;
      }
    }
  }
  const w = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      // If nIn >= nOut the columns of w are the vectors, otherwise its rows are.
      w[i * nOut + j] = gain * (nIn >= nOut ? q[j * m + i] : q[i * m + j]);
    }
  }
  return w;
}

/** Options of {@linkcode createAdam}. */
export interface AdamOptions {
  /** Step size. */
  readonly learningRate: number;
  /** Decay of the first-moment estimate. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  readonly beta2?: number;
  /** Added to the root of the second moment. Default 1e-8. */
  readonly epsilon?: number;
  /** Rescale gradients whose global L2 norm exceeds this (PyTorch `clip_grad_norm_`). Default ∞. */
  readonly maxGradNorm?: number;
}

/** Adam over a fixed list of variables. */
export interface Adam {
  /** Current step size; may be changed between steps (annealing). */
  learningRate: number;
  /** Global gradient norm of the last step, before clipping. */
  readonly gradNorm: number;
  /**
   * One step on the gradient of `loss` with respect to the optimiser's variables. Every tensor
   * made while computing it is freed. Returns the loss value.
   */
  minimize(loss: () => tf.Scalar): number;
}

/**
 * Adam (Kingma & Ba 2015) with PyTorch's update rule, over `vars`.
 *
 * @example
 * ```ts
 * import { createAdam } from "./nn.ts";
 * import { tf } from "./_tf.ts";
 * const x = tf.tidy(() => tf.variable(tf.scalar(3)));
 * const opt = createAdam([x], { learningRate: 0.1 });
 * for (let i = 0; i < 200; i++) opt.minimize(() => tf.square(x));
 * if (Math.abs(x.dataSync()[0]) > 0.05) throw new Error("should reach the minimum at 0");
 * x.dispose();
 * ```
 */
export function createAdam(vars: readonly tf.Variable[], options: AdamOptions): Adam {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.epsilon ?? 1e-8;
  const maxNorm = options.maxGradNorm ?? Infinity;
  const m = vars.map((v) => new Float64Array(v.size));
  const s = vars.map((v) => new Float64Array(v.size));
  const grads: (Float32Array | null)[] = vars.map(() => null);
  let t = 0;
  const opt: Adam = {
    learningRate: options.learningRate,
    gradNorm: 0,
    minimize(loss) {
      let value = NaN;
      tf.tidy(() => {
        const r = tf.variableGrads(loss, vars as tf.Variable[]);
        value = r.value.dataSync()[0];
        let sq = 0;
        for (let k = 0; k < vars.length; k++) {
          const g = r.grads[vars[k].name];
          const gd = g ? g.dataSync() as Float32Array : null;
          grads[k] = gd;
          if (gd) { for (let i = 0; i < gd.length; i++) sq += gd[i] * gd[i]; }
        }
        const norm = Math.sqrt(sq);
        (opt as { gradNorm: number }).gradNorm = norm;
        const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
        t++;
        const stepSize = opt.learningRate / (1 - beta1 ** t);
        const bc2 = Math.sqrt(1 - beta2 ** t);
        for (let k = 0; k < vars.length; k++) {
          const gd = grads[k];
          if (!gd) continue;
          const v = vars[k], mk = m[k], sk = s[k];
          const cur = v.dataSync() as Float32Array;
          const next = new Float32Array(cur.length);
          for (let i = 0; i < cur.length; i++) {
            const g = gd[i] * scale;
            mk[i] = beta1 * mk[i] + (1 - beta1) * g;
            sk[i] = beta2 * sk[i] + (1 - beta2) * g * g;
            next[i] = cur[i] - stepSize * mk[i] / (Math.sqrt(sk[i]) / bc2 + eps);
          }
          v.assign(tf.tensor(next, v.shape, "float32"));
          grads[k] = null;
        }
      });
      return value;
    },
  };
  return opt;
}

/** Options of {@linkcode polyakUpdate}. */
export interface PolyakOptions {
  /** Variables to move (a target network). */
  readonly target: readonly tf.Variable[];
  /** Variables to move towards, same shapes and order. */
  readonly source: readonly tf.Variable[];
  /** Fraction of the way to move: 1 copies (hard update). */
  readonly tau: number;
}

/** `target ← tau·source + (1 − tau)·target`, variable by variable. */
export function polyakUpdate({ target, source, tau }: PolyakOptions): void {
  tf.tidy(() => {
    for (let k = 0; k < target.length; k++) {
      const src = source[k].dataSync() as Float32Array;
      const next = new Float32Array(src.length);
      if (tau === 1) next.set(src);
      else {
        const cur = target[k].dataSync() as Float32Array;
        for (let i = 0; i < next.length; i++) next[i] = tau * src[i] + (1 - tau) * cur[i];
      }
      target[k].assign(tf.tensor(next, target[k].shape, "float32"));
    }
  });
}

/** Index of the largest of `values[0..n-1]` (the first on ties). */
export function argmax(values: ArrayLike<number>, n: number = values.length): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** `log softmax(logits)[action]`, computed stably. */
export function logProb(logits: ArrayLike<number>, action: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  return logits[action] - max - Math.log(sum);
}

/** A draw from the categorical distribution `softmax(logits)`, using one uniform from `rng`. */
export function sampleLogits(logits: ArrayLike<number>, rng: Rng): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  let u = rng() * sum;
  for (let i = 0; i < logits.length - 1; i++) {
    u -= Math.exp(logits[i] - max);
    if (u < 0) return i;
  }
  return logits.length - 1;
}

/** One-hot rows into `out` (`actions.length × n`): `out[b * n + actions[b]] = 1`, zeros elsewhere. */
export function oneHotInto(actions: Int32Array, out: Float32Array): Float32Array {
  const n = out.length / actions.length;
  out.fill(0);
  for (let b = 0; b < actions.length; b++) out[b * n + actions[b]] = 1;
  return out;
}
