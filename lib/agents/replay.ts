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
  readonly obs: Float64Array;
  /** Next observations, `size × obsDim`. */
  readonly nextObs: Float64Array;
  /** Actions taken (discrete buffers; 0 for a box). */
  readonly actions: Int32Array;
  /** Vector actions, `size × actionDim` (box buffers; empty for a discrete one). */
  readonly actionValues: Float64Array;
  /** Rewards received. */
  readonly rewards: Float64Array;
  /** 1 where `nextObs` is terminal, else 0. */
  readonly dones: Float64Array;
  /** Importance-sampling weights (all 1 for uniform sampling). */
  readonly weights: Float64Array;
  /** Buffer slots the transitions came from (for priority updates). */
  readonly indices: Int32Array;
}

/** An empty batch of `size` transitions with `obsDim`-long observations (and vector actions). */
export function createBatch(size: number, obsDim: number, actionDim = 0): Batch {
  return {
    size,
    obs: new Float64Array(size * obsDim),
    nextObs: new Float64Array(size * obsDim),
    actions: new Int32Array(size),
    actionValues: new Float64Array(size * actionDim),
    rewards: new Float64Array(size),
    dones: new Float64Array(size),
    weights: new Float64Array(size),
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
  /** Length of a vector action (box action space); 0 (default) for integer actions. */
  readonly actionDim?: number;
}

/** One transition as {@linkcode ReplayBuffer.addRow} takes it: row `row` of a batch. */
export interface RowSource {
  /** Observations, row-major. */
  readonly obs: ArrayLike<number>;
  /** Next observations, row-major. */
  readonly nextObs: ArrayLike<number>;
  /** Integer actions (discrete) or vector actions, row-major (box). */
  readonly actions: ArrayLike<number>;
  /** Rewards. */
  readonly rewards: ArrayLike<number>;
  /** Terminal flags (1: terminal; truncation is not terminal). */
  readonly terminated: ArrayLike<number>;
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
  add(t: Transition<number> | Transition<Float64Array>): void;
  /** Stores a copy of row `row` of `src`. */
  addRow(src: RowSource, row: number): void;
  /** Fills `batch` with a sample; `beta` is the importance-sampling exponent (ignored if uniform). */
  sample(batch: Batch, beta: number): void;
  /** Sets the priorities of the batch's transitions from their TD errors (no-op if uniform). */
  updatePriorities(batch: Batch, tdErrors: ArrayLike<number>): void;
}

/**
 * A replay buffer: observations stored as `Float32Array`s (half the memory of float64; batches
 * are float64), rewards as float64.
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
  const k = checkInt("actionDim", options.actionDim ?? 0, 0, 2 ** 16);
  const rng = options.rng;
  const obs = new Float32Array(capacity * d);
  const nextObs = new Float32Array(capacity * d);
  const actions = new Int32Array(k === 0 ? capacity : 0);
  const actionValues = new Float32Array(capacity * k);
  const rewards = new Float64Array(capacity);
  const dones = new Uint8Array(capacity);
  const tree = options.prioritized ? createSumTree(capacity) : null;
  let maxPriority = 1;
  let next = 0;
  let size = 0;
  const one = {
    obs: new Float64Array(d),
    nextObs: new Float64Array(d),
    actions: new Float64Array(Math.max(k, 1)),
    rewards: new Float64Array(1),
    terminated: new Uint8Array(1),
  };

  function copyRow(b: Batch, row: number, i: number): void {
    b.indices[row] = i;
    b.rewards[row] = rewards[i];
    b.dones[row] = dones[i];
    const o = i * d, r = row * d;
    for (let j = 0; j < d; j++) {
      b.obs[r + j] = obs[o + j];
      b.nextObs[r + j] = nextObs[o + j];
    }
    if (k === 0) b.actions[row] = actions[i];
    else for (let j = 0; j < k; j++) b.actionValues[row * k + j] = actionValues[i * k + j];
  }

  function addRow(src: RowSource, row: number): void {
    const i = next;
    const o = i * d, r = row * d;
    for (let j = 0; j < d; j++) {
      obs[o + j] = src.obs[r + j];
      nextObs[o + j] = src.nextObs[r + j];
    }
    if (k === 0) actions[i] = src.actions[row];
    else for (let j = 0; j < k; j++) actionValues[i * k + j] = src.actions[row * k + j];
    rewards[i] = src.rewards[row];
    dones[i] = src.terminated[row] ? 1 : 0;
    if (tree) tree.set(i, maxPriority ** alpha);
    next = (next + 1) % capacity;
    if (size < capacity) size++;
  }

  return {
    capacity,
    get size() {
      return size;
    },
    tree,
    add(t) {
      one.obs.set(t.obs.subarray(0, d));
      one.nextObs.set(t.nextObs.subarray(0, d));
      if (typeof t.action === "number") one.actions[0] = t.action;
      else one.actions.set(t.action.subarray(0, k));
      one.rewards[0] = t.reward;
      one.terminated[0] = t.terminated ? 1 : 0;
      addRow(one, 0);
    },
    addRow,
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
