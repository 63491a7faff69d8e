/**
 * bench:learn section 2's loop of two learners (`lib/learn`) on the repeated game, in a module of
 * its own: `learn_bench.ts` imports it once for the current learner and once more, as a separate
 * module instance (`./_two_learners.ts#baseline`), for a baseline's. Sharing one loop made its
 * call sites see two learner classes (polymorphic), which slowed both and hid the current one's
 * speed when `BENCH_BASELINE` was set.
 *
 * @module
 */
import type { createQLearner, QLearner, Schedule } from "../lib/learn/mod.ts";
import { stream } from "../lib/rng.ts";

/** The repeated game's sizes and parameters (see `learn_bench.ts`). */
export interface TwoLearnersGame {
  /** Prices (actions); states are pairs of prices. */
  np: number;
  gamma: number;
  alpha: number;
  /** Each agent's ε schedule (per step). */
  eps: readonly Schedule[];
  periods: number;
  /** Profits of agent 0 and 1 for each pair of prices. */
  r0: Float64Array;
  r1: Float64Array;
}

/** Plays `g.periods` periods with two learners; returns a checksum of the tables. */
export function gameWithLearners(
  create: typeof createQLearner,
  g: TwoLearnersGame,
  seed: number,
): number {
  const { np: NP, r0, r1 } = g;
  const mk = (k: number): QLearner =>
    create({
      nStates: NP * NP,
      nActions: NP,
      gamma: g.gamma,
      alpha: g.alpha,
      epsilon: g.eps[k],
      epsilonUnit: "step",
      rng: stream(seed, `agent:${k}`),
    });
  const A = mk(0), B = mk(1);
  let s = 0;
  for (let t = 0; t < g.periods; t++) {
    const a = A.act(s), b = B.act(s);
    const s2 = a * NP + b;
    A.update(s, a, r0[s2], s2, false);
    B.update(s, b, r1[s2], s2, false);
    s = s2;
  }
  return checksum(A.table, B.table, s);
}

/** A checksum of two tables and the last state (the same in the hand-inlined loop). */
export function checksum(a: Float64Array, b: Float64Array, s: number): number {
  let x = s;
  for (let i = 0; i < a.length; i++) x += a[i] * (1 + (i % 7)) - b[i] * (1 + (i % 5));
  return x;
}
