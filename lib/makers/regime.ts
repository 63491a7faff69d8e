/**
 * The training regime that lets the makers' learning settle ({@linkcode convergenceRegime}): the
 * settings of `trainMakers` for runs that stop when the convergence criterion has held, or at a
 * budget, as used by the convergence study (`lib/experiments/convergence`).
 *
 * | setting | default | why |
 * |---|---|---|
 * | exploration ε | `ε_t = e^{−βt}` per learner update (Calvano et al. 2020), `β = ln(1000) / (N · decayEpisodes)`: ε = 0.001 after `decayEpisodes` = 5,000 episodes of N steps | a floor on ε (the linear schedule of `trainMakers` ends at 0.05) keeps the greedy policy moving for ever: every twentieth decision is random, and the learners answer each other's random moves. Decaying to (near) zero lets the greedy play settle; 5,000 episodes of 90 steps are 450,000 updates per maker, with ε > 0.1 for the first third of them (each of the states the greedy play reaches is visited hundreds of times) |
 * | learning rate α | `N(s,a)^−0.7` (visit counts, no floor) | a rate that keeps falling lets the estimates of the greedy actions settle under the noise of their returns; a floor (`{kind: "visits", omega, min}`) or a constant rate stay options for tracking a changing opponent. In the pilots ω = 1 (sample means) settled no faster than ω = 0.7 |
 * | checks | every `checkEvery` = 1,000 episodes, with `evalEpisodes` = 20 greedy evaluation episodes on fixed seeds | a check compares the greedy snapshot with the previous one; 20 × N decisions per maker make the `"path"` statistic's resolution 1/(20 N) |
 * | criterion | the `"path"` statistic ≤ `tol` = 0.02 for every maker (`over: "max"`) at `patience` = 5 consecutive checks, a change counting when the old action is worse than the new by more than `margin` = 5 % of its value | the share of the greedy evaluation's decisions taken in states whose greedy action changed materially: rarely visited states, whose estimates move most, weigh as little as they are played. The margin is measured (pilots below): with noise flow and random arrival, the returns are noisy and in most states several actions are worth nearly the same; with a 1 % margin their estimates keep swapping places, and the statistic stays at 3–8 % for one maker even with ε at 10⁻¹⁸, while with 5 % it falls below 1 % within a few checks of ε reaching 0.001 |
 * | budget | `budget` = 30,000 episodes; training stops at the check where the criterion is met | six times the decay horizon; the pilots converged within 7,000–12,000 |
 *
 * **Pilots** (the spec's game with noise flow, reactive taker, seed 1, `decayEpisodes` 5,000,
 * measured 6 Dec 2026): with `margin` 0.01 the statistic for one maker stayed at 0.004–0.08
 * through 34,000 episodes (not met); with `margin` 0.05 the criterion was met at 7,000 episodes
 * (one maker) and 12,000 (two makers), with 0.1 at 6,000 and 7,000; with α = 1/N and either
 * margin at 6,000 and 7,000.
 *
 * The numbers in the table are the defaults of {@linkcode RegimeOptions}. The convergence study
 * records both the chosen statistic and its per-maker mean and largest value at every check, so
 * that a stricter reading can be judged from the same runs.
 *
 * @module
 */
import { bool, checkOptions, int, num, oneOf, optional, positive } from "../errors.ts";
import { expDecay, LEARNING_RATE, type LearningRate } from "../learn/mod.ts";
import { resolveConfig } from "../game/mod.ts";
import {
  type MakersTrainConfig,
  POLICY_CHANGE_STATISTICS,
  type PolicyChangeStatistic,
  type TrainGameConfig,
} from "./train.ts";

/** Options of {@linkcode convergenceRegime} (every field has the default of the module doc). */
export interface RegimeOptions {
  /** Episodes after which ε = e^{−βt} has fallen to 0.001. Default 5,000. */
  decayEpisodes?: number;
  /** Most training episodes (the budget). Default 30,000. */
  budget?: number;
  /** Learning rate. Default `{kind: "visits", omega: 0.7}`. */
  alpha?: LearningRate | number;
  /** Episodes between checks (K). Default 1,000. */
  checkEvery?: number;
  /** Greedy evaluation episodes per check. Default 20. */
  evalEpisodes?: number;
  /** M: consecutive checks the criterion must hold. Default 5. */
  patience?: number;
  /** Largest policy change a passing check allows. Default 0.02. */
  tol?: number;
  /** Relative margin of a material change. Default 0.05. */
  margin?: number;
  /** The policy-change statistic. Default `"path"`. */
  statistic?: PolicyChangeStatistic;
  /** How the makers' statistics combine. Default `"max"`. */
  over?: "max" | "mean";
  /** Stop at the check where the criterion is met. Default true. */
  stop?: boolean;
}

/** The schema of {@linkcode RegimeOptions}. */
export const REGIME_OPTIONS = {
  decayEpisodes: optional(positive(1e9), 5_000),
  budget: optional(int(1, 1e9), 30_000),
  alpha: optional(LEARNING_RATE, { kind: "visits", omega: 0.7 } as LearningRate),
  checkEvery: optional(int(1, 1e9), 1_000),
  evalEpisodes: optional(int(1, 1e6), 20),
  patience: optional(int(1, 1e6), 5),
  tol: optional(num(0, 1), 0.02),
  margin: optional(num(0, 1), 0.05),
  statistic: optional(oneOf(POLICY_CHANGE_STATISTICS), "path"),
  over: optional(oneOf(["max", "mean"] as const), "max"),
  stop: optional(bool(), true),
};

/** The training fields a regime sets. */
export type RegimeSettings = Required<
  Pick<
    MakersTrainConfig,
    "learner" | "episodes" | "evalEvery" | "evalEpisodes" | "convergence" | "stopWhenConverged"
  >
>;

/**
 * The `trainMakers` fields of the converging regime for a game (its step count sets β). Spread
 * them into a training config: `trainMakers({game, taker, ...convergenceRegime(game)})`.
 *
 * @example
 * ```ts
 * import { convergenceRegime } from "./regime.ts";
 * import { scheduleAt } from "../learn/mod.ts";
 * const r = convergenceRegime({ steps: 60 }, { decayEpisodes: 1000, budget: 5000 });
 * const eps = r.learner.epsilon as Parameters<typeof scheduleAt>[0];
 * // ε = 0.001 after 1,000 episodes of 60 steps (60,000 learner updates)
 * if (Math.abs(scheduleAt(eps, 60_000) - 0.001) > 1e-9) throw new Error();
 * if (r.learner.epsilonUnit !== "step" || r.episodes !== 5000 || !r.stopWhenConverged) {
 *   throw new Error();
 * }
 * ```
 */
export function convergenceRegime(
  game: TrainGameConfig = {},
  options: RegimeOptions = {},
): RegimeSettings {
  const o = checkOptions(options, REGIME_OPTIONS, { owner: "convergenceRegime" });
  const steps = resolveConfig(game).steps;
  const beta = Math.log(1000) / (steps * o.decayEpisodes);
  return {
    learner: { epsilon: expDecay(beta), epsilonUnit: "step", alpha: o.alpha },
    episodes: o.budget,
    evalEvery: Math.min(o.checkEvery, o.budget),
    evalEpisodes: o.evalEpisodes,
    convergence: {
      patience: o.patience,
      tol: o.tol,
      margin: o.margin,
      statistic: o.statistic,
      over: o.over,
    },
    stopWhenConverged: o.stop,
  };
}
