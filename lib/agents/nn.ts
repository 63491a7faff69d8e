/**
 * Neural-network parts of the deep RL agents, in plain JavaScript over `Float64Array`s: a
 * multilayer perceptron with an explicit backward pass (optionally with the noisy linear layers of
 * Fortunato et al. 2018), Adam with global-norm gradient clipping, Polyak target updates, and
 * helpers over logits.
 *
 * Why not tfjs: on tfjs's CPU backend every small op costs tens of microseconds of dispatch and a
 * float32 tensor round trip, which for these 2×64 networks is most of an update
 * (`bench:agents` compares this engine with the tfjs one it replaced). Here a layer is one matrix
 * product (`_gemm.ts`: a small WebAssembly SIMD kernel, plain JavaScript where that is missing),
 * the losses write their output gradients by hand (each checked against finite differences in
 * `tests/nn_test.ts`), and nothing allocates per step.
 *
 * Layout: the parameters of a network are one `Float64Array`, layer after layer, each layer its
 * weights `W` as `out × in` (row `j` holds the weights into unit `j`) followed by its biases; a
 * noisy layer holds `W_μ, b_μ, W_σ, b_σ`. Gradients have the same layout. Everything is float64,
 * so runs are bit-for-bit deterministic given the seeds.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { normal, type Rng } from "../rng.ts";
import { gemm } from "./_gemm.ts";

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
  /** Also apply the activation to the output. Default false. */
  readonly activateOutput?: boolean;
  /** Weight initialisation. Default `"uniform"` (ignored by noisy layers, which use it always). */
  readonly init?: Init;
  /** Orthogonal gain of the hidden layers. Default √2. */
  readonly hiddenGain?: number;
  /** Orthogonal gain of the output layer (e.g. 0.01 for a policy, 1 for a value). Default 1. */
  readonly outputGain?: number;
  /** Stream the initial weights are drawn from. */
  readonly rng: Rng;
  /**
   * Noisy linear layers with factorised Gaussian noise (Fortunato et al. 2018): every weight is
   * `μ + σ·ε`, `μ ~ U(±1/√in)`, `σ = sigma0/√in` at the start, `ε` redrawn by
   * {@linkcode Mlp.resampleNoise}. Default false.
   */
  readonly noisy?: boolean;
  /** The noise scale `σ_0` of noisy layers. Default 0.5 (the paper's). */
  readonly sigma0?: number;
}

/** A block of trainable parameters and their gradients (what {@linkcode createAdam} steps). */
export interface ParamBlock {
  /** The parameters. */
  readonly params: Float64Array;
  /** Their gradients, accumulated by backward passes; the optimiser zeroes them after a step. */
  readonly grads: Float64Array;
  /** Called after the optimiser (or a copy) changed `params`. */
  changed?(): void;
}

/** Options of {@linkcode Mlp.backward}. */
export interface BackwardOptions {
  /** Accumulate the parameters' gradients into `grads`. Default true. */
  readonly params?: boolean;
  /** Compute and return the gradient with respect to the input. Default false. */
  readonly input?: boolean;
}

/**
 * A fully connected network (see the module doc for the parameter layout). The arrays its
 * forward passes return are internal buffers, overwritten by the next call of the same method.
 */
export class Mlp implements ParamBlock {
  /** Layer widths from input to output. */
  readonly sizes: readonly number[];
  /** Whether the layers are noisy. */
  readonly noisy: boolean;
  /** All parameters (see the module doc). */
  readonly params: Float64Array;
  /** Their gradients. */
  readonly grads: Float64Array;
  private readonly nLayers: number;
  private readonly relu: boolean;
  private readonly activateOutput: boolean;
  /** Offsets of each layer's `W` and `b` in the effective weights `w`. */
  private readonly wOff: Int32Array;
  private readonly bOff: Int32Array;
  /** Offsets of each layer's block in `params`. */
  private readonly pOff: Int32Array;
  /** Effective weights: `params` itself, or `μ + σ·ε` for noisy layers. */
  private readonly w: Float64Array;
  /** Mean weights `μ` laid out as `w` (noisy layers only; `w` otherwise). */
  private readonly wMean: Float64Array;
  /** Gradient with respect to `w` (noisy layers only; `grads` otherwise). */
  private readonly gw: Float64Array;
  /** Factorised noise: `f(ε_in)` and `f(ε_out)` per layer. */
  private readonly epsIn: Float64Array[];
  private readonly epsOut: Float64Array[];
  // Forward caches: train (kept for backward), predict, single row.
  private trainActs: Float64Array[] = [];
  private trainRows = 0;
  private trainCap = 0;
  private trainInput: Float64Array = new Float64Array(0);
  private predActs: Float64Array[] = [];
  private predCap = 0;
  private readonly single: Float64Array[];
  // Backward scratch.
  private deltaA = new Float64Array(0);
  private deltaB = new Float64Array(0);

  /** Use {@linkcode createMlp}. */
  constructor(options: MlpOptions) {
    const { sizes, activation } = options;
    if (
      !Array.isArray(sizes) || sizes.length < 2 ||
      !sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 65_536)
    ) {
      throw new ConfigError("sizes", "at least two integer layer widths in [1, 65536]", sizes);
    }
    if (activation !== "relu" && activation !== "tanh") {
      throw new ConfigError("activation", '"relu" or "tanh"', activation);
    }
    this.sizes = Object.freeze([...sizes]);
    this.noisy = options.noisy ?? false;
    this.nLayers = sizes.length - 1;
    this.relu = activation === "relu";
    this.activateOutput = options.activateOutput ?? false;
    const L = this.nLayers;
    this.wOff = new Int32Array(L);
    this.bOff = new Int32Array(L);
    this.pOff = new Int32Array(L);
    let nw = 0;
    for (let l = 0; l < L; l++) {
      this.wOff[l] = nw;
      this.bOff[l] = nw + sizes[l] * sizes[l + 1];
      this.pOff[l] = this.noisy ? 2 * nw : nw;
      nw += sizes[l + 1] * (sizes[l] + 1);
    }
    const np = this.noisy ? 2 * nw : nw;
    this.params = new Float64Array(np);
    this.grads = new Float64Array(np);
    this.w = this.noisy ? new Float64Array(nw) : this.params;
    this.wMean = this.noisy ? new Float64Array(nw) : this.params;
    this.gw = this.noisy ? new Float64Array(nw) : this.grads;
    this.epsIn = this.noisy ? sizes.slice(0, -1).map((s) => new Float64Array(s)) : [];
    this.epsOut = this.noisy ? sizes.slice(1).map((s) => new Float64Array(s)) : [];
    this.single = sizes.slice(1).map((s) => new Float64Array(s));
    this.init(options);
    this.changed();
  }

  private init(options: MlpOptions): void {
    const { sizes, rng } = options;
    const init = options.init ?? "uniform";
    const sigma0 = options.sigma0 ?? 0.5;
    const p = this.params;
    for (let l = 0; l < this.nLayers; l++) {
      const nIn = sizes[l], nOut = sizes[l + 1];
      const wo = this.pOff[l], bo = wo + nIn * nOut;
      // Weights are drawn in `in × out` order (as the tfjs engine drew them) and stored transposed.
      if (init === "orthogonal" && !this.noisy) {
        const last = l === this.nLayers - 1;
        const gain = last ? options.outputGain ?? 1 : options.hiddenGain ?? Math.SQRT2;
        const q = orthogonal({ nIn, nOut, gain, rng });
        for (let i = 0; i < nIn; i++) {
          for (let j = 0; j < nOut; j++) p[wo + j * nIn + i] = q[i * nOut + j];
        }
      } else {
        const bound = 1 / Math.sqrt(nIn);
        for (let i = 0; i < nIn; i++) {
          for (let j = 0; j < nOut; j++) p[wo + j * nIn + i] = (2 * rng() - 1) * bound;
        }
        for (let j = 0; j < nOut; j++) p[bo + j] = (2 * rng() - 1) * bound;
        if (this.noisy) {
          const so = bo + nOut;
          p.fill(sigma0 / Math.sqrt(nIn), so, so + nOut * (nIn + 1));
        }
      }
    }
  }

  /** Number of scalar parameters. */
  get size(): number {
    return this.params.length;
  }

  /** Recomputes the effective weights after `params` changed (the optimiser calls it). */
  changed(): void {
    if (!this.noisy) return;
    const p = this.params, w = this.w, m = this.wMean;
    for (let l = 0; l < this.nLayers; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const po = this.pOff[l], wo = this.wOff[l], n = nOut * (nIn + 1);
      const ei = this.epsIn[l], eo = this.epsOut[l];
      for (let j = 0; j < nOut; j++) {
        const e = eo[j], r = j * nIn;
        for (let i = 0; i < nIn; i++) {
          const mu = p[po + r + i];
          m[wo + r + i] = mu;
          w[wo + r + i] = mu + p[po + n + r + i] * e * ei[i];
        }
      }
      const bo = nIn * nOut;
      for (let j = 0; j < nOut; j++) {
        const mu = p[po + bo + j];
        m[wo + bo + j] = mu;
        w[wo + bo + j] = mu + p[po + n + bo + j] * eo[j];
      }
    }
  }

  /**
   * Draws new factorised noise `ε_ij = f(ε_i)·f(ε_j)`, `f(x) = sign(x)·√|x|`, for every layer
   * (inputs first, then outputs, layer by layer). No-op for a network without noisy layers.
   */
  resampleNoise(rng: Rng): void {
    if (!this.noisy) return;
    const f = (x: number) => (x < 0 ? -Math.sqrt(-x) : Math.sqrt(x));
    for (let l = 0; l < this.nLayers; l++) {
      const ei = this.epsIn[l], eo = this.epsOut[l];
      for (let i = 0; i < ei.length; i++) ei[i] = f(normal(rng));
      for (let j = 0; j < eo.length; j++) eo[j] = f(normal(rng));
    }
    this.changed();
  }

  /**
   * Forward pass of `rows` inputs (row-major in `x`), keeping what {@linkcode backward} needs.
   * `mean: true` uses the mean weights of noisy layers (no noise). Returns `rows × out`.
   */
  forward(x: Float64Array, rows: number, mean = false): Float64Array {
    if (rows > this.trainCap) {
      this.trainCap = Math.max(rows, 2 * this.trainCap);
      this.trainActs = this.sizes.slice(1).map((s) => new Float64Array(this.trainCap * s));
    }
    this.trainRows = rows;
    this.trainInput = x;
    this.propagate(x, rows, this.trainActs, mean ? this.wMean : this.w);
    return this.trainActs[this.nLayers - 1].subarray(0, rows * this.sizes[this.nLayers]);
  }

  /** Forward pass without keeping anything for backward (a separate buffer from `forward`'s). */
  predict(x: Float64Array, rows: number, mean = false): Float64Array {
    if (rows > this.predCap) {
      this.predCap = Math.max(rows, 2 * this.predCap);
      this.predActs = this.sizes.slice(1).map((s) => new Float64Array(this.predCap * s));
    }
    this.propagate(x, rows, this.predActs, mean ? this.wMean : this.w);
    return this.predActs[this.nLayers - 1].subarray(0, rows * this.sizes[this.nLayers]);
  }

  /** Forward pass of one input; allocation-free (its own buffer). */
  forward1(x: ArrayLike<number>, mean = false): Float64Array {
    const w = mean ? this.wMean : this.w;
    let a: ArrayLike<number> = x;
    for (let l = 0; l < this.nLayers; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const wo = this.wOff[l], bo = this.bOff[l], h = this.single[l];
      const act = l < this.nLayers - 1 || this.activateOutput;
      for (let j = 0; j < nOut; j++) {
        const o = wo + j * nIn;
        let sum = w[bo + j];
        for (let i = 0; i < nIn; i++) sum += a[i] * w[o + i];
        h[j] = act ? (this.relu ? (sum > 0 ? sum : 0) : Math.tanh(sum)) : sum;
      }
      a = h;
    }
    return this.single[this.nLayers - 1];
  }

  private propagate(x: Float64Array, rows: number, acts: Float64Array[], w: Float64Array): void {
    let a = x;
    for (let l = 0; l < this.nLayers; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1], h = acts[l];
      gemm({
        a,
        b: w,
        bOff: this.wOff[l],
        c: h,
        m: rows,
        n: nOut,
        k: nIn,
        bias: w,
        biasOff: this.bOff[l],
      });
      if (l < this.nLayers - 1 || this.activateOutput) {
        const end = rows * nOut;
        if (this.relu) { for (let q = 0; q < end; q++) if (h[q] < 0) h[q] = 0; }
        else for (let q = 0; q < end; q++) h[q] = Math.tanh(h[q]);
      }
      a = h;
    }
  }

  /**
   * Backward pass of the last {@linkcode forward} given `dy = ∂loss/∂output` (`rows × out`):
   * adds the parameters' gradients into `grads` and returns the input gradient if asked.
   */
  backward(dy: Float64Array, options: BackwardOptions = {}): Float64Array | null {
    const wantParams = options.params ?? true;
    const wantInput = options.input ?? false;
    const rows = this.trainRows, L = this.nLayers, sizes = this.sizes;
    const maxWidth = Math.max(...sizes);
    if (this.deltaA.length < rows * maxWidth) {
      this.deltaA = new Float64Array(rows * maxWidth);
      this.deltaB = new Float64Array(rows * maxWidth);
    }
    let delta = this.deltaA, other = this.deltaB;
    delta.set(dy.subarray(0, rows * sizes[L]));
    const gw = this.gw, w = this.w;
    for (let l = L - 1; l >= 0; l--) {
      const nIn = sizes[l], nOut = sizes[l + 1], n = rows * nOut;
      const h = this.trainActs[l];
      if (l < L - 1 || this.activateOutput) {
        if (this.relu) { for (let q = 0; q < n; q++) if (h[q] <= 0) delta[q] = 0; }
        else for (let q = 0; q < n; q++) delta[q] *= 1 - h[q] * h[q];
      }
      const a = l === 0 ? this.trainInput : this.trainActs[l - 1];
      if (wantParams) {
        // dW (out × in) += δᵀ a; db += Σ_rows δ.
        gemm({
          a: delta,
          aT: true,
          b: a,
          bT: true,
          c: gw,
          cOff: this.wOff[l],
          m: nOut,
          n: nIn,
          k: rows,
          accumulate: true,
        });
        const bo = this.bOff[l];
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < nOut; j++) gw[bo + j] += delta[r * nOut + j];
        }
      }
      if (l > 0 || wantInput) {
        // dA = δ W.
        gemm({ a: delta, b: w, bOff: this.wOff[l], bT: true, c: other, m: rows, n: nIn, k: nOut });
        const t = delta;
        delta = other;
        other = t;
      }
    }
    if (wantParams && this.noisy) this.distributeNoisyGrads();
    return wantInput ? delta.subarray(0, rows * sizes[0]) : null;
  }

  /** `∂/∂μ = ∂/∂w`, `∂/∂σ = ∂/∂w · ε`, then clears the scratch. */
  private distributeNoisyGrads(): void {
    const g = this.grads, gw = this.gw;
    for (let l = 0; l < this.nLayers; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const po = this.pOff[l], wo = this.wOff[l], n = nOut * (nIn + 1);
      const ei = this.epsIn[l], eo = this.epsOut[l];
      for (let j = 0; j < nOut; j++) {
        const e = eo[j], r = j * nIn;
        for (let i = 0; i < nIn; i++) {
          const d = gw[wo + r + i];
          g[po + r + i] += d;
          g[po + n + r + i] += d * e * ei[i];
        }
      }
      const bo = nIn * nOut;
      for (let j = 0; j < nOut; j++) {
        const d = gw[wo + bo + j];
        g[po + bo + j] += d;
        g[po + n + bo + j] += d * eo[j];
      }
    }
    gw.fill(0);
  }

  /** Sets every gradient to 0. */
  zeroGrad(): void {
    this.grads.fill(0);
  }

  /** Copies the parameters of `src` (same sizes). */
  copyFrom(src: Mlp): void {
    this.params.set(src.params);
    this.changed();
  }
}

/** A multilayer perceptron with weights drawn from `options.rng` (see {@linkcode Mlp}). */
export function createMlp(options: MlpOptions): Mlp {
  return new Mlp(options);
}

/** `[nIn, nOut]` matrix with orthonormal rows or columns (whichever are fewer), times `gain`. */
function orthogonal(
  { nIn, nOut, gain, rng }: { nIn: number; nOut: number; gain: number; rng: Rng },
): Float64Array {
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
  const w = new Float64Array(nIn * nOut);
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

/** Adam over a fixed list of parameter blocks. */
export interface Adam {
  /** Current step size; may be changed between steps (annealing). */
  learningRate: number;
  /** Global gradient norm of the last step, before clipping. */
  readonly gradNorm: number;
  /** Steps taken. */
  readonly steps: number;
  /**
   * One step on the gradients accumulated in the blocks' `grads`, which it then zeroes; calls
   * each block's `changed`.
   */
  step(): void;
}

/**
 * Adam (Kingma & Ba 2015) with PyTorch's update rule and `clip_grad_norm_` semantics.
 *
 * @example
 * ```ts
 * import { createAdam } from "./nn.ts";
 * // minimise x² from x = 3: the gradient is 2x
 * const block = { params: new Float64Array([3]), grads: new Float64Array(1) };
 * const opt = createAdam([block], { learningRate: 0.1 });
 * for (let i = 0; i < 200; i++) {
 *   block.grads[0] = 2 * block.params[0];
 *   opt.step();
 * }
 * if (Math.abs(block.params[0]) > 0.05) throw new Error("should reach the minimum at 0");
 * ```
 */
export function createAdam(blocks: readonly ParamBlock[], options: AdamOptions): Adam {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.epsilon ?? 1e-8;
  const maxNorm = options.maxGradNorm ?? Infinity;
  const m = blocks.map((b) => new Float64Array(b.params.length));
  const s = blocks.map((b) => new Float64Array(b.params.length));
  const state = { learningRate: options.learningRate, gradNorm: 0, steps: 0 };
  return Object.assign(state, {
    step(): void {
      let sq = 0;
      for (const b of blocks) {
        const g = b.grads;
        for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
      }
      const norm = Math.sqrt(sq);
      state.gradNorm = norm;
      const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
      const t = ++state.steps;
      const stepSize = state.learningRate / (1 - beta1 ** t);
      const bc2 = Math.sqrt(1 - beta2 ** t);
      for (let k = 0; k < blocks.length; k++) {
        const { params: p, grads: g } = blocks[k];
        const mk = m[k], sk = s[k];
        for (let i = 0; i < p.length; i++) {
          const gi = g[i] * scale;
          mk[i] = beta1 * mk[i] + (1 - beta1) * gi;
          sk[i] = beta2 * sk[i] + (1 - beta2) * gi * gi;
          p[i] -= stepSize * mk[i] / (Math.sqrt(sk[i]) / bc2 + eps);
        }
        g.fill(0);
        blocks[k].changed?.();
      }
    },
  });
}

/** Options of {@linkcode polyakUpdate}. */
export interface PolyakOptions {
  /** Network to move (a target network). */
  readonly target: Mlp;
  /** Network to move towards, same sizes. */
  readonly source: Mlp;
  /** Fraction of the way to move: 1 copies (hard update). */
  readonly tau: number;
}

/** `target ← tau·source + (1 − tau)·target`, parameter by parameter. */
export function polyakUpdate({ target, source, tau }: PolyakOptions): void {
  const t = target.params, s = source.params;
  if (tau === 1) t.set(s);
  else for (let i = 0; i < t.length; i++) t[i] = tau * s[i] + (1 - tau) * t[i];
  target.changed();
}

/** Index of the largest of `values[from .. from + n − 1]`, relative to `from` (first on ties). */
export function argmax(values: ArrayLike<number>, n: number = values.length, from = 0): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[from + i] > values[from + best]) best = i;
  return best;
}

/** `log softmax(logits)[action]` over `logits[from .. from + n − 1]`, computed stably. */
export function logProb(
  logits: ArrayLike<number>,
  action: number,
  n: number = logits.length,
  from = 0,
): number {
  return logits[from + action] - logSumExp(logits, n, from);
}

/** `log Σ_k exp(v[from + k])` over `n` entries, computed stably. */
export function logSumExp(v: ArrayLike<number>, n: number = v.length, from = 0): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (v[from + i] > max) max = v[from + i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(v[from + i] - max);
  return max + Math.log(sum);
}

/** A draw from `softmax(logits[from .. from + n − 1])`, using one uniform from `rng`. */
export function sampleLogits(
  logits: ArrayLike<number>,
  rng: Rng,
  n: number = logits.length,
  from = 0,
): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[from + i] > max) max = logits[from + i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[from + i] - max);
  let u = rng() * sum;
  for (let i = 0; i < n - 1; i++) {
    u -= Math.exp(logits[from + i] - max);
    if (u < 0) return i;
  }
  return n - 1;
}
