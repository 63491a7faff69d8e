/**
 * The uniformly random agent: the floor every learner must beat.
 *
 * @module
 */
import { randInt, stream } from "../rng.ts";
import { checkInt, checkOptions, optional } from "../errors.ts";
import { FIELDS } from "./_common.ts";
import type { Agent, SpacesLike } from "./types.ts";

/** Options of {@linkcode randomAgent}. */
export interface RandomAgentOptions {
  /** Root seed of the agent's stream. Default 0. */
  readonly seed?: number;
  /** Agent name and stream name. Default `"random"`. */
  readonly name?: string;
}

const RANDOM_AGENT_OPTIONS = {
  seed: optional(FIELDS.seed, 0),
  name: optional(FIELDS.name, "random"),
};

/**
 * An agent that picks each action uniformly at random, greedy or not, and never learns.
 *
 * @example
 * ```ts
 * import { randomAgent } from "./random.ts";
 * const spaces = {
 *   observationSpace: { kind: "box", shape: [1], low: new Float64Array(1), high: new Float64Array(1) },
 *   actionSpace: { kind: "discrete", n: 4 },
 * } as const;
 * const a = randomAgent(spaces, { seed: 7 });
 * const b = randomAgent(spaces, { seed: 7 });
 * const obs = new Float64Array(1);
 * for (let i = 0; i < 10; i++) if (a.act(obs) !== b.act(obs)) throw new Error("same seed, same draws");
 * ```
 */
export function randomAgent(env: SpacesLike, options: RandomAgentOptions = {}): Agent {
  const o = checkOptions(options, RANDOM_AGENT_OPTIONS, { owner: "randomAgent" });
  const n = checkInt("actionSpace.n", env.actionSpace.n, 1, 2 ** 31);
  const name = o.name;
  const rng = stream(o.seed, name);
  return {
    name,
    stats: {},
    act: () => randInt(rng, 0, n - 1),
    dispose() {},
  };
}
