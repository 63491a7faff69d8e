/**
 * Observation normalisation with running statistics, as Gymnasium's `NormalizeObservation` (and
 * Stable-Baselines3's `VecNormalize`) do it: each dimension is shifted by its running mean and
 * divided by its running standard deviation, then clipped to `±clip`.
 *
 * The statistics start at mean 0, variance 1 and a pseudo-count of `1e-4` (Gymnasium's
 * `RunningMeanStd`), and are merged batch by batch with Chan et al.'s parallel update, so updating
 * with one batch of N rows or with the N rows one at a time gives the same numbers up to
 * rounding. An agent updates them only in `observe` (training), never in `act`: evaluation sees
 * frozen statistics. `frozen: true` stops updates altogether.
 *
 * @module
 */
import { checkNum, checkOptions, ConfigError, int, num, optional } from "../errors.ts";

/** The state of a normaliser, as saved in a checkpoint. */
export interface NormalizerState {
  /** Pseudo-count of the rows seen (starts at `1e-4`). */
  readonly count: number;
  /** Running mean per dimension. */
  readonly mean: readonly number[];
  /** Running (population) variance per dimension. */
  readonly var: readonly number[];
}

/** Options of {@linkcode createNormalizer}. */
export interface NormalizerOptions {
  /** Observation length. */
  readonly dim: number;
  /** Normalised values are clipped to `[−clip, clip]`. Default 10 (Gymnasium's wrappers, CleanRL). */
  readonly clip?: number;
  /** Added to the variance before the square root. Default 1e-8. */
  readonly epsilon?: number;
}

const NORMALIZER_OPTIONS = {
  dim: int(1, 2 ** 20),
  clip: optional(num(1e-6, 1e12), 10),
  epsilon: optional(num(0, 1), 1e-8),
};

/** Running mean and variance of observations, and the normalisation they define. */
export interface Normalizer {
  /** Observation length. */
  readonly dim: number;
  /** No more updates while true (set it for evaluation, or restore a trained state). */
  frozen: boolean;
  /** Rows seen (a pseudo-count: `1e-4` before any). */
  readonly count: number;
  /** Adds `rows` observations (row-major in `x`) to the statistics, unless frozen. */
  update(x: ArrayLike<number>, rows: number): void;
  /** Writes the normalised `rows` observations of `x` into `out` (which may be `x`). */
  normalize(x: ArrayLike<number>, out: Float64Array, rows: number): Float64Array;
  /** A copy of the statistics. */
  state(): NormalizerState;
  /** Restores saved statistics (throws `ConfigError` naming the field if they do not fit). */
  load(state: NormalizerState): void;
}

/**
 * A running-statistics normaliser.
 *
 * @example
 * ```ts
 * import { createNormalizer } from "./normalizer.ts";
 * const n = createNormalizer({ dim: 1 });
 * n.update([2, 4, 6], 3); // mean ≈ 4, variance ≈ 8/3
 * const out = n.normalize([4 + Math.sqrt(8 / 3)], new Float64Array(1), 1);
 * if (Math.abs(out[0] - 1) > 1e-3) throw new Error(String(out[0]));
 * ```
 */
export function createNormalizer(options: NormalizerOptions): Normalizer {
  const { dim, clip, epsilon: eps } = checkOptions(options, NORMALIZER_OPTIONS, {
    owner: "createNormalizer",
    path: "normalizer",
  });
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim).fill(1);
  const scale = new Float64Array(dim);
  const bMean = new Float64Array(dim);
  const bVar = new Float64Array(dim);
  let count = 1e-4;
  const refresh = () => {
    for (let i = 0; i < dim; i++) scale[i] = 1 / Math.sqrt(variance[i] + eps);
  };
  refresh();
  const self: Normalizer = {
    dim,
    frozen: false,
    get count() {
      return count;
    },
    update(x, rows) {
      if (self.frozen || rows <= 0) return;
      bMean.fill(0);
      bVar.fill(0);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < dim; i++) bMean[i] += x[r * dim + i];
      }
      for (let i = 0; i < dim; i++) bMean[i] /= rows;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < dim; i++) {
          const d = x[r * dim + i] - bMean[i];
          bVar[i] += d * d;
        }
      }
      // Chan et al.: merge (count, mean, var) with the batch's (rows, bMean, bVar / rows).
      const total = count + rows;
      for (let i = 0; i < dim; i++) {
        const delta = bMean[i] - mean[i];
        const m2 = variance[i] * count + bVar[i] + delta * delta * count * rows / total;
        mean[i] += delta * rows / total;
        variance[i] = m2 / total;
      }
      count = total;
      refresh();
    },
    normalize(x, out, rows) {
      for (let r = 0; r < rows; r++) {
        const o = r * dim;
        for (let i = 0; i < dim; i++) {
          const v = (x[o + i] - mean[i]) * scale[i];
          out[o + i] = v > clip ? clip : v < -clip ? -clip : v;
        }
      }
      return out;
    },
    state() {
      return { count, mean: Array.from(mean), var: Array.from(variance) };
    },
    load(s) {
      if (s === null || typeof s !== "object") {
        throw new ConfigError("normalizer", "an object {count, mean, var}", s);
      }
      checkNum("normalizer.count", s.count, 0, Number.MAX_VALUE);
      for (const k of ["mean", "var"] as const) {
        const v = s[k];
        if (!Array.isArray(v) || v.length !== dim) {
          throw new ConfigError(`normalizer.${k}`, `an array of ${dim} numbers`, v?.length);
        }
        v.forEach((x, i) =>
          checkNum(`normalizer.${k}[${i}]`, x, -Number.MAX_VALUE, Number.MAX_VALUE)
        );
      }
      s.var.forEach((x, i) => checkNum(`normalizer.var[${i}]`, x, 0, Number.MAX_VALUE));
      count = s.count;
      mean.set(s.mean);
      variance.set(s.var);
      refresh();
    },
  };
  return self;
}
