/**
 * Experience replay: a ring buffer of transitions in typed arrays, sampled uniformly or with
 * proportional prioritisation (Schaul et al. 2016, "Prioritized Experience Replay").
 *
 * Prioritised sampling draws transition `i` with probability `P(i) = p_i^α / Σ_k p_k^α`, where
 * `p_i = |δ_i| + ε` is its last absolute TD error (new transitions get the largest priority seen so
 * far). A sum-tree gives the prefix-sum search in O(log N); a min-tree beside it gives the smallest
 * priority, which normalises the importance-sampling weights
 * `w_i = (N·P(i))^-β / max_k (N·P(k))^-β = (p_i^α / min_k p_k^α)^-β`, all ≤ 1.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { checkInt, checkNum } from "../errors.ts";
import type { Transition } from "./types.ts";

/** A sum-tree (and min-tree) over `capacity` non-negative leaf priorities. */
export interface SumTree {
  /** Number of leaves. */
  readonly capacity: number;
  /** Sum of all leaves. */
  total(): number;
  /** Smallest leaf set so far (`Infinity` if none was set). */
  min(): number;
  /** Leaf `i`. */
  get(i: number): number;
  /** Sets leaf `i` to `p ≥ 0` and updates the sums above it in O(log capacity). */
  set(i: number, p: number): void;
  /**
   * The leaf where the running sum of leaves `0..i` first exceeds `u`, for `u` in `[0, total)`:
   * the inverse of the prefix-sum. Never returns a zero-priority leaf while `total() > 0`.
   */
  find(u: number): number;
}

/**
 * A sum-tree over `capacity` leaves, all zero, stored as two `Float64Array` heaps.
 *
 * @example
 * ```ts
 * import { createSumTree } from "./replay.ts";
 * const t = createSumTree(4);
 * [1, 2, 3, 4].forEach((p, i) => t.set(i, p));
 * // prefix sums: 1, 3, 6, 10
 * if (t.total() !== 10 || t.find(0.5) !== 0 || t.find(3) !== 2 || t.find(9.9) !== 3) {
 *   throw new Error("prefix-sum search");
 * }
 * ```
 */
export function createSumTree(capacity: number): SumTree {
  checkInt("capacity", capacity, 1, 2 ** 26);
  let size = 1;
  while (size < capacity) size *= 2;
  const sum = new Float64Array(2 * size);
  const mn = new Float64Array(2 * size).fill(Infinity);
  return {
    capacity,
    total: () => sum[1],
    min: () => mn[1],
    get: (i) => sum[size + i],
    set(i, p) {
      let k = size + i;
      sum[k] = p;
      mn[k] = p;
      for (k >>= 1; k >= 1; k >>= 1) {
        const l = 2 * k;
        // Recomputed from the children (not adjusted by a delta), so rounding never accumulates.
        sum[k] = sum[l] + sum[l + 1];
        mn[k] = mn[l] < mn[l + 1] ? mn[l] : mn[l + 1];
      }
    },
    find(u) {
      let k = 1;
      while (k < size) {
        const l = 2 * k;
        if (u < sum[l] || sum[l + 1] <= 0) k = l;
        else {
          u -= sum[l];
          k = l + 1;
        }
      }
      return k - size;
    },
  };
}

/** A sampled minibatch in preallocated typed arrays (row-major observations). */
export interface Batch {
  /** Number of transitions. */
  readonly size: number;
  /** Observations, `size × obsDim`. */
  readonly obs: Float32Array;
  /** Next observations, `size × obsDim`. */
  readonly nextObs: Float32Array;
  /** Actions taken. */
  readonly actions: Int32Array;
  /** Rewards received. */
  readonly rewards: Float32Array;
  /** 1 where `nextObs` is terminal, else 0. */
  readonly dones: Float32Array;
  /** Importance-sampling weights (all 1 for uniform sampling). */
  readonly weights: Float32Array;
  /** Buffer slots the transitions came from (for priority updates). */
  readonly indices: Int32Array;
}

/** An empty batch of `size` transitions with `obsDim`-long observations. */
export function createBatch(size: number, obsDim: number): Batch {
  return {
    size,
    obs: new Float32Array(size * obsDim),
    nextObs: new Float32Array(size * obsDim),
    actions: new Int32Array(size),
    rewards: new Float32Array(size),
    dones: new Float32Array(size),
    weights: new Float32Array(size),
    indices: new Int32Array(size),
  };
}

/** Options of {@linkcode createReplayBuffer}. */
export interface ReplayOptions {
  /** Transitions kept; the oldest is overwritten first. */
  readonly capacity: number;
  /** Length of an observation. */
  readonly obsDim: number;
  /** Stream the sampling draws come from. */
  readonly rng: Rng;
  /** Proportional prioritised sampling instead of uniform. Default false. */
  readonly prioritized?: boolean;
  /** Priority exponent α: 0 is uniform, 1 fully proportional. Default 0.6. */
  readonly alpha?: number;
  /** ε added to |TD error| so that no transition has zero priority. Default 1e-6. */
  readonly epsilon?: number;
}

/** A replay buffer; see the module doc for the prioritised variant. */
export interface ReplayBuffer {
  /** Maximum number of transitions kept. */
  readonly capacity: number;
  /** Transitions currently stored. */
  readonly size: number;
  /** The priority tree, or `null` for uniform sampling. */
  readonly tree: SumTree | null;
  /** Stores a copy of `t` (its `terminated` flag is the done flag; truncation bootstraps). */
  add(t: Transition): void;
  /** Fills `batch` with a sample; `beta` is the importance-sampling exponent (ignored if uniform). */
  sample(batch: Batch, beta: number): void;
  /** Sets the priorities of the batch's transitions from their TD errors (no-op if uniform). */
  updatePriorities(batch: Batch, tdErrors: ArrayLike<number>): void;
}

/**
 * A replay buffer over `Float32Array` storage.
 *
 * @example
 * ```ts
 * import { createBatch, createReplayBuffer } from "./replay.ts";
 * import { stream } from "../rng.ts";
 * const buf = createReplayBuffer({ capacity: 2, obsDim: 1, rng: stream(1, "doc") });
 * const t = { obs: new Float64Array([1]), action: 0, reward: 1, nextObs: new Float64Array([2]),
 *   terminated: false, truncated: false };
 * buf.add(t); buf.add(t); buf.add(t);
 * const b = createBatch(4, 1);
 * buf.sample(b, 1);
 * if (buf.size !== 2 || b.nextObs[3] !== 2 || b.weights[0] !== 1) throw new Error();
 * ```
 */
export function createReplayBuffer(options: ReplayOptions): ReplayBuffer {
  const capacity = checkInt("capacity", options.capacity, 1, 2 ** 26);
  const d = checkInt("obsDim", options.obsDim, 1, 2 ** 20);
  const alpha = checkNum("alpha", options.alpha ?? 0.6, 0, 1);
  const eps = checkNum("epsilon", options.epsilon ?? 1e-6, 0, Infinity);
  const rng = options.rng;
  const obs = new Float32Array(capacity * d);
  const nextObs = new Float32Array(capacity * d);
  const actions = new Int32Array(capacity);
  const rewards = new Float32Array(capacity);
  const dones = new Float32Array(capacity);
  const tree = options.prioritized ? createSumTree(capacity) : null;
  let maxPriority = 1;
  let next = 0;
  let size = 0;

  function copyRow(b: Batch, row: number, i: number): void {
    b.indices[row] = i;
    b.actions[row] = actions[i];
    b.rewards[row] = rewards[i];
    b.dones[row] = dones[i];
    b.obs.set(obs.subarray(i * d, (i + 1) * d), row * d);
    b.nextObs.set(nextObs.subarray(i * d, (i + 1) * d), row * d);
  }

  return {
    capacity,
    get size() {
      return size;
    },
    tree,
    add(t) {
      const i = next;
      const o = i * d;
      for (let k = 0; k < d; k++) {
        obs[o + k] = t.obs[k];
        nextObs[o + k] = t.nextObs[k];
      }
      actions[i] = t.action;
      rewards[i] = t.reward;
      dones[i] = t.terminated ? 1 : 0;
      if (tree) tree.set(i, maxPriority ** alpha);
      next = (next + 1) % capacity;
      if (size < capacity) size++;
    },
    sample(batch, beta) {
      if (size === 0) throw new Error("replay: cannot sample from an empty buffer");
      const n = batch.size;
      if (!tree) {
        for (let row = 0; row < n; row++) {
          copyRow(batch, row, Math.floor(rng() * size));
          batch.weights[row] = 1;
        }
        return;
      }
      // Stratified: one draw in each of n equal slices of the total priority mass.
      const total = tree.total();
      const pMin = tree.min();
      const segment = total / n;
      for (let row = 0; row < n; row++) {
        let i = tree.find((row + rng()) * segment);
        if (i >= size) i = size - 1;
        copyRow(batch, row, i);
        batch.weights[row] = (tree.get(i) / pMin) ** -beta;
      }
    },
    updatePriorities(batch, tdErrors) {
      if (!tree) return;
      for (let row = 0; row < batch.size; row++) {
        const p = Math.abs(tdErrors[row]) + eps;
        tree.set(batch.indices[row], p ** alpha);
        if (p > maxPriority) maxPriority = p;
      }
    },
  };
}
