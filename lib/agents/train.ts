/**
 * The training and evaluation loops: any {@linkcode Agent} on any {@linkcode Env}, and any
 * {@linkcode VecAgent} on `N` environment copies ({@linkcode trainVec}).
 *
 * `train` runs the agent in exploring mode, feeds every transition to `agent.observe`, and reports
 * each finished episode's return, length and mean loss. It allocates nothing per step beyond what
 * the environment and the agent do, and copies the observation before each `env.step`, so an
 * environment may reuse one observation buffer. `trainVec` does the same with one `actBatch` and
 * one `observeBatch` per vector step. Runs are deterministic given the agent's seed,
 * `options.seed` (and the number of copies): the loops themselves draw no random numbers.
 *
 * @module
 */
import { bool, checkOptions, ConfigError, fn, int, intSeed, optional } from "../errors.ts";
import type { Action, Env } from "../env/types.ts";
import type { VecEnv } from "../env/vector.ts";
import type {
  ActionArray,
  ActOptions,
  Agent,
  Transition,
  TransitionBatch,
  VecAgent,
} from "./types.ts";
import { obsDimOf } from "./_common.ts";

/** What `train` reports after each finished episode. */
export interface EpisodeReport {
  /** Episode index, from 0. */
  readonly episode: number;
  /** Environment steps taken so far in this run, this episode's included. */
  readonly step: number;
  /** Undiscounted sum of the episode's rewards. */
  readonly return: number;
  /** Steps in the episode. */
  readonly length: number;
  /** Mean loss of the updates made during the episode (`NaN` if none). */
  readonly loss: number;
  /** The episode ended in a terminal state. */
  readonly terminated: boolean;
  /** The episode was cut off by time. */
  readonly truncated: boolean;
}

/** Options of {@linkcode train}. Give `steps`, `episodes`, or both (whichever comes first). */
export interface TrainOptions {
  /** Stop after this many environment steps; an unfinished last episode is not reported. */
  readonly steps?: number;
  /** Stop after this many finished episodes. */
  readonly episodes?: number;
  /** Seed of the first `env.reset` (later resets continue the environment's stream). */
  readonly seed?: number;
  /** Called after each finished episode; return `false` to stop. */
  readonly onEpisode?: (report: EpisodeReport) => void | boolean;
}

/** Per-episode results of a run. */
export interface TrainResult {
  /** Environment steps taken. */
  readonly steps: number;
  /** Episodes finished. */
  readonly episodes: number;
  /** Return of each finished episode. */
  readonly returns: Float64Array;
  /** Length of each finished episode. */
  readonly lengths: Int32Array;
  /** Mean loss of each finished episode (`NaN` where no update happened). */
  readonly losses: Float64Array;
}

const TRAIN_OPTIONS = {
  steps: optional(int(0, Number.MAX_SAFE_INTEGER)),
  episodes: optional(int(0, Number.MAX_SAFE_INTEGER)),
  seed: optional(intSeed()),
  onEpisode: optional(
    fn<(report: EpisodeReport) => void | boolean>("a function (report) => void | boolean"),
  ),
};

const EVALUATE_OPTIONS = {
  episodes: int(1, Number.MAX_SAFE_INTEGER),
  seed: optional(intSeed()),
  explore: optional(bool(), false),
};

const TRAIN_VEC_OPTIONS = {
  steps: int(0, Number.MAX_SAFE_INTEGER),
  seed: optional(intSeed()),
  reset: optional(bool(), true),
  onStep: optional(fn<(steps: number) => void | boolean>("a function (steps) => void | boolean")),
  onEpisode: optional(
    fn<(report: VecEpisodeReport) => void | boolean>("a function (report) => void | boolean"),
  ),
};

const EXPLORE: ActOptions = { explore: true };
const GREEDY: ActOptions = { explore: false };

/**
 * Trains `agent` on `env` until `options.steps` steps or `options.episodes` episodes.
 *
 * @example
 * ```ts
 * import { train } from "./train.ts";
 * import { randomAgent } from "./random.ts";
 * import type { Env } from "../env/types.ts";
 * const obs = new Float64Array(1);
 * const env: Env = {
 *   observationSpace: { kind: "box", shape: [1], low: new Float64Array(1), high: new Float64Array(1) },
 *   actionSpace: { kind: "discrete", n: 2 },
 *   reset: () => ({ obs, info: {} }),
 *   step: (a) => ({ obs, reward: a, terminated: true, truncated: false, info: {} }),
 * };
 * const r = train(env, randomAgent(env, { seed: 1 }), { episodes: 100, seed: 1 });
 * if (r.episodes !== 100 || r.steps !== 100) throw new Error("one step per episode");
 * ```
 */
export function train<A extends Action = number>(
  env: Env<Float64Array, A>,
  agent: Agent<A>,
  options: TrainOptions,
): TrainResult {
  const o = checkOptions(options, TRAIN_OPTIONS, { owner: "train" });
  const maxSteps = o.steps ?? Infinity;
  const maxEpisodes = o.episodes ?? Infinity;
  if (maxSteps === Infinity && maxEpisodes === Infinity) {
    throw new ConfigError("steps", "given (or episodes given)", options.steps);
  }
  const prev = new Float64Array(obsDimOf(env.observationSpace));
  const t: { -readonly [K in keyof Transition<A>]: Transition<A>[K] } = {
    obs: prev,
    action: 0 as A,
    reward: 0,
    nextObs: prev,
    terminated: false,
    truncated: false,
  };
  const returns: number[] = [], lengths: number[] = [], losses: number[] = [];
  let obs = env.reset(o.seed === undefined ? undefined : { seed: o.seed }).obs;
  let steps = 0, epReturn = 0, epLength = 0, lossSum = 0, lossCount = 0;
  while (steps < maxSteps && returns.length < maxEpisodes) {
    const action = agent.act(obs, EXPLORE);
    prev.set(obs);
    const r = env.step(action);
    steps++;
    epReturn += r.reward;
    epLength++;
    if (agent.observe) {
      t.action = action;
      t.reward = r.reward;
      t.nextObs = r.obs;
      t.terminated = r.terminated;
      t.truncated = r.truncated;
      const loss = agent.observe(t);
      if (!Number.isNaN(loss)) {
        lossSum += loss;
        lossCount++;
      }
    }
    if (r.terminated || r.truncated) {
      const report: EpisodeReport = {
        episode: returns.length,
        step: steps,
        return: epReturn,
        length: epLength,
        loss: lossCount > 0 ? lossSum / lossCount : NaN,
        terminated: r.terminated,
        truncated: r.truncated,
      };
      returns.push(epReturn);
      lengths.push(epLength);
      losses.push(report.loss);
      epReturn =
        epLength =
        lossSum =
        lossCount =
          0;
      if (o.onEpisode?.(report) === false) break;
      obs = env.reset().obs;
    } else {
      obs = r.obs;
    }
  }
  return {
    steps,
    episodes: returns.length,
    returns: Float64Array.from(returns),
    lengths: Int32Array.from(lengths),
    losses: Float64Array.from(losses),
  };
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** Episodes to play. */
  readonly episodes: number;
  /** Seed of the first `env.reset`. */
  readonly seed?: number;
  /** Act as during training instead of greedily. Default false. */
  readonly explore?: boolean;
}

/** Results of {@linkcode evaluate}. */
export interface EvaluateResult {
  /** Return of each episode. */
  readonly returns: Float64Array;
  /** Length of each episode. */
  readonly lengths: Int32Array;
  /** Mean return. */
  readonly mean: number;
}

/** Plays `options.episodes` episodes without learning (greedy unless `explore`). */
export function evaluate<A extends Action = number>(
  env: Env<Float64Array, A>,
  agent: Agent<A>,
  options: EvaluateOptions,
): EvaluateResult {
  const o = checkOptions(options, EVALUATE_OPTIONS, { owner: "evaluate" });
  const episodes = o.episodes;
  const mode = o.explore ? EXPLORE : GREEDY;
  const returns = new Float64Array(episodes);
  const lengths = new Int32Array(episodes);
  let obs = env.reset(o.seed === undefined ? undefined : { seed: o.seed }).obs;
  for (let e = 0; e < episodes; e++) {
    if (e > 0) obs = env.reset().obs;
    for (;;) {
      const r = env.step(agent.act(obs, mode));
      returns[e] += r.reward;
      lengths[e]++;
      if (r.terminated || r.truncated) break;
      obs = r.obs;
    }
  }
  return { returns, lengths, mean: returns.reduce((a, b) => a + b, 0) / episodes };
}

/** What `trainVec` reports after each finished episode: `train`'s report and the copy. */
export interface VecEpisodeReport extends EpisodeReport {
  /** The environment copy whose episode ended. */
  readonly copy: number;
}

/** Options of {@linkcode trainVec}. */
export interface TrainVecOptions {
  /**
   * Environment steps (transitions) to train for, rounded up to a multiple of the number of
   * copies; unfinished episodes at the end are not reported.
   */
  readonly steps: number;
  /** Seed of the first `reset` (copy `i` gets `seed · 4096 + i`). Default: no seed. */
  readonly seed?: number;
  /**
   * Reset the copies first (default true). `false` continues from their current observations
   * (`vec.obs`), e.g. to train in several calls; episodes running at the start are then reported
   * with only the part played in this call.
   */
  readonly reset?: boolean;
  /**
   * Called after each vector step with the steps taken so far in this call (after the episode
   * reports of that step); return `false` to stop. The agent may be evaluated here (greedy
   * acting changes no learner state).
   */
  readonly onStep?: (steps: number) => void | boolean;
  /**
   * Called after each finished episode (in copy order within a vector step); return `false` to
   * stop after the current step.
   */
  readonly onEpisode?: (report: VecEpisodeReport) => void | boolean;
}

/**
 * Trains `agent` on the copies of `vec` for `options.steps` transitions: one batched
 * `actBatch(obs, N, {explore: true})` and one `observeBatch` per vector step. A learning
 * step's loss counts towards every copy's running episode.
 *
 * @example
 * ```ts
 * import { trainVec } from "./train.ts";
 * import { dqn } from "./dqn.ts";
 * import { createVecEnv } from "../env/vector.ts";
 * import { createMarketMakingEnv } from "../env/market_making_env.ts";
 * const vec = createVecEnv({ make: () => createMarketMakingEnv({ episodeLength: 50 }), copies: 4 });
 * const agent = dqn(vec, { seed: 1, learningStarts: 100 });
 * const r = trainVec(vec, agent, { steps: 400, seed: 1 });
 * if (r.steps !== 400 || r.episodes !== 8 || agent.stats.updates !== 75) throw new Error();
 * ```
 */
export function trainVec<A extends Action = number>(
  vec: VecEnv<A>,
  agent: VecAgent<A>,
  options: TrainVecOptions,
): TrainResult {
  const o = checkOptions(options, TRAIN_VEC_OPTIONS, { owner: "trainVec" });
  const steps = o.steps;
  const N = vec.copies, d = vec.obsDim;
  const epReturn = new Float64Array(N), epLength = new Int32Array(N);
  const lossSum = new Float64Array(N), lossCount = new Int32Array(N);
  const returns: number[] = [], lengths: number[] = [], losses: number[] = [];
  const obs = new Float64Array(N * d);
  if (o.reset) {
    obs.set(vec.reset(o.seed === undefined ? undefined : { seed: o.seed }));
  } else obs.set(vec.obs);
  const batch: { -readonly [K in keyof TransitionBatch<A>]: TransitionBatch<A>[K] } = {
    n: N,
    obs,
    actions: null as unknown as ActionArray<A>,
    rewards: new Float64Array(0),
    nextObs: new Float64Array(0),
    terminated: new Uint8Array(0),
    truncated: new Uint8Array(0),
  };
  let done = 0;
  let stop = false;
  while (done < steps && !stop) {
    const actions = agent.actBatch(obs, N, EXPLORE);
    const r = vec.step(actions);
    batch.actions = actions;
    batch.rewards = r.rewards;
    batch.nextObs = r.nextObs;
    batch.terminated = r.terminated;
    batch.truncated = r.truncated;
    const loss = agent.observeBatch(batch);
    done += N;
    for (let i = 0; i < N; i++) {
      epReturn[i] += r.rewards[i];
      epLength[i]++;
      if (!Number.isNaN(loss)) {
        lossSum[i] += loss;
        lossCount[i]++;
      }
      if (!r.terminated[i] && !r.truncated[i]) continue;
      const report: VecEpisodeReport = {
        episode: returns.length,
        step: done,
        return: epReturn[i],
        length: epLength[i],
        loss: lossCount[i] > 0 ? lossSum[i] / lossCount[i] : NaN,
        terminated: r.terminated[i] === 1,
        truncated: r.truncated[i] === 1,
        copy: i,
      };
      returns.push(report.return);
      lengths.push(report.length);
      losses.push(report.loss);
      epReturn[i] =
        epLength[i] =
        lossSum[i] =
        lossCount[i] =
          0;
      if (o.onEpisode?.(report) === false) stop = true;
    }
    obs.set(r.obs);
    if (o.onStep?.(done) === false) stop = true;
  }
  return {
    steps: done,
    episodes: returns.length,
    returns: Float64Array.from(returns),
    lengths: Int32Array.from(lengths),
    losses: Float64Array.from(losses),
  };
}
