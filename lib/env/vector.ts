/**
 * Vectorised environments: `N` copies of an environment stepped together, in the manner of
 * Gymnasium's `SyncVectorEnv`, so that an agent can choose `N` actions with one batched forward
 * pass (`actBatch` in `lib/agents`).
 *
 * - **Layout**: observations are one `N × obsDim` row-major `Float64Array`; actions are an
 *   `Int32Array` of `N` (discrete) or an `N × actionDim` `Float64Array` (box).
 * - **Seeding**: `reset({seed})` resets copy `i` with seed `seed · 4096 + i` (at most 4,096
 *   copies), so that runs with different seeds share no copy's stream, and the whole run is
 *   deterministic for a given seed and `N`. Copies are stepped in index order.
 * - **Autoreset** (Gymnasium ≤ 0.29's, as CleanRL uses): when copy `i`'s episode ends, its final
 *   observation goes to row `i` of `nextObs` (what a learner must bootstrap from), the copy is
 *   reset at once without a seed (its streams continue), and row `i` of `obs` holds the new
 *   episode's first observation. `onEpisodeEnd` sees the last step's result before the reset.
 *
 * @module
 */
import { checkInt, checkOptions, ConfigError, fn, int, optional } from "../errors.ts";
import { resetSeed } from "./_common.ts";
import {
  type Action,
  type ActionSpaceOf,
  boxSize,
  type BoxSpace,
  type Env,
  type StepResult,
} from "./types.ts";

/** Copies at most, and the stride of the per-copy seeds. */
export const MAX_COPIES = 4096;

/** What one vector step returns; the arrays are reused by the next step. */
export interface VecStepResult {
  /** Observations to act on next (a reset copy's first observation), `N × obsDim`. */
  readonly obs: Float64Array;
  /** Observations after the step: the final observation where an episode ended, `N × obsDim`. */
  readonly nextObs: Float64Array;
  /** Rewards. */
  readonly rewards: Float64Array;
  /** 1 where the copy's episode terminated. */
  readonly terminated: Uint8Array;
  /** 1 where it was truncated. */
  readonly truncated: Uint8Array;
}

/** Options of {@linkcode createVecEnv}. */
export interface VecEnvOptions<A extends Action> {
  /** Makes one copy; called `copies` times. */
  readonly make: () => Env<Float64Array, A>;
  /** Number of copies, in [1, 4096]. */
  readonly copies: number;
  /** Called when copy `copy`'s episode ends, with its last step's result, before the reset. */
  readonly onEpisodeEnd?: (copy: number, last: StepResult<Float64Array>) => void;
}

const VEC_ENV_OPTIONS = {
  make: fn<() => Env<Float64Array, Action>>("a function returning an environment"),
  copies: int(1, MAX_COPIES),
  onEpisodeEnd: optional(
    fn<(copy: number, last: StepResult<Float64Array>) => void>("a function (copy, last) => void"),
  ),
};

/** `N` copies of an environment (see the module doc). */
export interface VecEnv<A extends Action = number> {
  /** Number of copies. */
  readonly copies: number;
  /** The copies, in order. */
  readonly envs: readonly Env<Float64Array, A>[];
  /** One copy's observation space. */
  readonly observationSpace: BoxSpace;
  /** One copy's action space. */
  readonly actionSpace: ActionSpaceOf<A>;
  /** One observation's length. */
  readonly obsDim: number;
  /** One action's length: 1 for a discrete space. */
  readonly actionDim: number;
  /** The current observations (after the last `reset` or `step`), `N × obsDim`. */
  readonly obs: Float64Array;
  /** Resets every copy (copy `i` with seed `seed · 4096 + i` if a seed is given). */
  reset(options?: { seed?: number }): Float64Array;
  /** Steps every copy with its row of `actions`. */
  step(actions: A extends number ? Int32Array : Float64Array): VecStepResult;
}

/**
 * `options.copies` copies of an environment, stepped together.
 *
 * @example
 * ```ts
 * import { createVecEnv } from "./vector.ts";
 * import { createMarketMakingEnv } from "./market_making_env.ts";
 * const vec = createVecEnv({ make: () => createMarketMakingEnv({ episodeLength: 5 }), copies: 3 });
 * vec.reset({ seed: 1 });
 * let r = vec.step(new Int32Array([12, 12, 12]));
 * for (let t = 1; t < 5; t++) r = vec.step(new Int32Array([12, 12, 12]));
 * // every copy truncated at step 5 and was reset: obs is a first observation (time left 1)
 * if (r.truncated.join() !== "1,1,1" || r.obs[2] !== 1 || r.nextObs[2] !== 0) throw new Error();
 * ```
 */
export function createVecEnv<A extends Action = number>(options: VecEnvOptions<A>): VecEnv<A> {
  const o = checkOptions(options, VEC_ENV_OPTIONS, { owner: "createVecEnv" });
  const copies = o.copies;
  const envs = Array.from({ length: copies }, () => o.make() as Env<Float64Array, A>);
  const first = envs[0];
  const obsDim = boxSize(first.observationSpace);
  const space = first.actionSpace as DiscreteOrBox;
  const discrete = space.kind === "discrete";
  const actionDim = discrete ? 1 : boxSize(space as BoxSpace);
  for (let i = 1; i < copies; i++) {
    const s = envs[i].actionSpace as DiscreteOrBox;
    if (boxSize(envs[i].observationSpace) !== obsDim || s.kind !== space.kind) {
      throw new ConfigError(`make() copy ${i}`, "the same spaces as copy 0", s.kind);
    }
  }
  const obs = new Float64Array(copies * obsDim);
  const nextObs = new Float64Array(copies * obsDim);
  const rewards = new Float64Array(copies);
  const terminated = new Uint8Array(copies);
  const truncated = new Uint8Array(copies);
  const result: VecStepResult = { obs, nextObs, rewards, terminated, truncated };
  const own = new Float64Array(discrete ? 0 : copies * actionDim);
  const views = Array.from(
    { length: discrete ? 0 : copies },
    (_, i) => own.subarray(i * actionDim, (i + 1) * actionDim),
  );
  const onEnd = o.onEpisodeEnd;
  let started = false;

  return {
    copies,
    envs,
    observationSpace: first.observationSpace,
    actionSpace: first.actionSpace,
    obsDim,
    actionDim,
    obs,
    reset(options) {
      const seed = resetSeed(options);
      if (seed !== undefined) checkInt("seed", seed, -(2 ** 40), 2 ** 40);
      for (let i = 0; i < copies; i++) {
        const r = seed === undefined
          ? envs[i].reset()
          : envs[i].reset({ seed: seed * MAX_COPIES + i });
        obs.set(r.obs, i * obsDim);
      }
      started = true;
      return obs;
    },
    step(actions) {
      if (!started) throw new Error("step: call reset() before the first step");
      const need = copies * actionDim;
      if (actions.length !== need) {
        throw new ConfigError("actions", `${need} values (copies × action length)`, actions.length);
      }
      if (!discrete) own.set(actions as Float64Array);
      for (let i = 0; i < copies; i++) {
        const env = envs[i];
        const r = discrete
          ? (env as Env<Float64Array, number>).step((actions as Int32Array)[i])
          : (env as Env<Float64Array, Float64Array>).step(views[i]);
        rewards[i] = r.reward;
        terminated[i] = r.terminated ? 1 : 0;
        truncated[i] = r.truncated ? 1 : 0;
        nextObs.set(r.obs, i * obsDim);
        if (r.terminated || r.truncated) {
          onEnd?.(i, r);
          obs.set(env.reset().obs, i * obsDim);
        } else obs.set(r.obs, i * obsDim);
      }
      return result;
    },
  };
}

type DiscreteOrBox = { readonly kind: "discrete" | "box" };
