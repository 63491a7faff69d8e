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

/** Options of {@linkcode createRewardScaler}. */
export interface RewardScalerOptions {
  /** Discount of the running return (the learner's γ). */
  readonly gamma: number;
  /** Scaled rewards are clipped to `[−clip, clip]`. Default 10 (CleanRL). */
  readonly clip?: number;
  /** Added to the variance before the square root. Default 1e-8. */
  readonly epsilon?: number;
}

/** One vector step's rewards and episode ends, one entry per copy (a `TransitionBatch` fits). */
export interface RewardStep {
  readonly rewards: ArrayLike<number>;
  readonly terminated: ArrayLike<number>;
  readonly truncated: ArrayLike<number>;
}

const REWARD_SCALER_OPTIONS = {
  gamma: num(0, 1),
  clip: optional(num(1e-6, 1e12), 10),
  epsilon: optional(num(0, 1), 1e-8),
};

/** Running scale of rewards (see {@linkcode createRewardScaler}). */
export interface RewardScaler {
  /**
   * Statistics `[count, mean, var]` of the discounted returns seen, in place (a learner saves
   * and restores them as a checkpoint extra).
   */
  readonly stats: Float64Array;
  /**
   * Updates the copies' discounted returns with a step's rewards (one per copy; a copy whose
   * episode ended, terminated or truncated, starts a new return) and the statistics, then writes
   * the scaled rewards into `out` (which may be `step.rewards`).
   */
  scale(step: RewardStep, out: Float64Array): Float64Array;
}

/**
 * Reward scaling as Gymnasium's `NormalizeReward` (used by CleanRL's continuous PPO): each
 * environment copy (one entry of a step's rewards; the number is fixed by the first step) keeps a discounted return `G ← γ·G + r` (reset after its episode ends), the variance of these
 * returns is tracked with the same running statistics as the observations (Chan et al., one
 * batch of `copies` returns per step), and a reward is divided by `√(var + ε)` and clipped to
 * `±clip`. The rewards are not shifted, so their sign and the optimal policy are unchanged.
 *
 * @example
 * ```ts
 * import { createRewardScaler } from "./normalizer.ts";
 * const s = createRewardScaler({ gamma: 0 });
 * const out = new Float64Array(1);
 * const step = (r: number) => ({ rewards: [r], terminated: [0], truncated: [0] });
 * for (const r of [10, -10, 10, -10]) s.scale(step(r), out);
 * // γ = 0: the returns are the rewards, variance ≈ 100, so 10 scales to ≈ 1
 * if (Math.abs(s.scale(step(10), out)[0] - 1) > 0.05) throw new Error(String(out[0]));
 * ```
 */
export function createRewardScaler(options: RewardScalerOptions): RewardScaler {
  const o = checkOptions(options, REWARD_SCALER_OPTIONS, {
    owner: "createRewardScaler",
    path: "rewardScaler",
  });
  const { gamma, clip, epsilon: eps } = o;
  let returns = new Float64Array(0);
  const stats = new Float64Array([1e-4, 0, 1]);
  return {
    stats,
    scale(step, out) {
      const { rewards, terminated, truncated } = step;
      const copies = rewards.length;
      if (returns.length !== copies) returns = new Float64Array(copies);
      let bMean = 0, bVar = 0;
      for (let i = 0; i < copies; i++) {
        returns[i] = returns[i] * gamma + rewards[i];
        bMean += returns[i] / copies;
      }
      for (let i = 0; i < copies; i++) bVar += (returns[i] - bMean) ** 2;
      // Chan et al., as the observation normaliser's update.
      const [count, mean, variance] = stats;
      const total = count + copies;
      const delta = bMean - mean;
      stats[0] = total;
      stats[1] = mean + delta * copies / total;
      stats[2] = (variance * count + bVar + delta * delta * count * copies / total) / total;
      const s = 1 / Math.sqrt(stats[2] + eps);
      for (let i = 0; i < copies; i++) {
        const v = rewards[i] * s;
        out[i] = v > clip ? clip : v < -clip ? -clip : v;
        if (terminated[i] || truncated[i]) returns[i] = 0;
      }
      return out;
    },
  };
}
