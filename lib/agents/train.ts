/**
 * The training and evaluation loops: any {@linkcode Agent} on any {@linkcode Env}.
 *
 * `train` runs the agent in exploring mode, feeds every transition to `agent.observe`, and reports
 * each finished episode's return, length and mean loss. It allocates nothing per step beyond what
 * the environment and the agent do, and copies the observation before each `env.step`, so an
 * environment may reuse one observation buffer. Runs are deterministic given the agent's seed and
 * `options.seed`: the loop itself draws no random numbers.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { Env } from "../env/types.ts";
import type { ActOptions, Agent, Transition } from "./types.ts";
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
export function train(env: Env, agent: Agent, options: TrainOptions): TrainResult {
  const maxSteps = options.steps ?? Infinity;
  const maxEpisodes = options.episodes ?? Infinity;
  if (maxSteps === Infinity && maxEpisodes === Infinity) {
    throw new ConfigError("steps", "given (or episodes given)", options.steps);
  }
  if (!(maxSteps >= 0)) throw new ConfigError("steps", "a non-negative number", options.steps);
  if (!(maxEpisodes >= 0)) {
    throw new ConfigError("episodes", "a non-negative number", options.episodes);
  }
  const prev = new Float64Array(obsDimOf(env.observationSpace));
  const t: { -readonly [K in keyof Transition]: Transition[K] } = {
    obs: prev,
    action: 0,
    reward: 0,
    nextObs: prev,
    terminated: false,
    truncated: false,
  };
  const returns: number[] = [], lengths: number[] = [], losses: number[] = [];
  let obs = env.reset(options.seed === undefined ? undefined : { seed: options.seed }).obs;
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
      if (options.onEpisode?.(report) === false) break;
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
export function evaluate(env: Env, agent: Agent, options: EvaluateOptions): EvaluateResult {
  const episodes = options.episodes;
  if (!Number.isInteger(episodes) || episodes < 1) {
    throw new ConfigError("episodes", "a positive integer", episodes);
  }
  const mode = options.explore ? EXPLORE : GREEDY;
  const returns = new Float64Array(episodes);
  const lengths = new Int32Array(episodes);
  let obs = env.reset(options.seed === undefined ? undefined : { seed: options.seed }).obs;
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
