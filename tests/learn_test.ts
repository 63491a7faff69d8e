import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { readParquet, writeParquetAtomic } from "../lib/io/parquet.ts";
import { type Rng, stream } from "../lib/rng.ts";
import {
  backwardInduction,
  binIndex,
  checkSchedule,
  coverage,
  createQLearner,
  decodeState,
  encodeState,
  evaluatePolicy,
  evaluatePolicyDiscounted,
  greedyPolicy,
  loadQTable,
  type Outcome,
  policyChange,
  type QLearner,
  saveQTable,
  scheduleAt,
  stateCount,
  stateVisits,
  type TabularMDP,
  tabularMDP,
  TERMINAL,
  valueIteration,
} from "../lib/learn/mod.ts";

// ---------------------------------------------------------------------------------------------
// Test MDPs

/**
 * Sutton & Barto's cliff walking (Example 6.6): 4 x 12 grid, start at the bottom-left, goal at
 * the bottom-right, the cells between them are the cliff (-100, back to start). Every other move
 * costs -1; moves off the grid stay put. Actions: 0 up, 1 right, 2 down, 3 left.
 */
const CLIFF = { rows: 4, cols: 12, start: 36, goal: 47 } as const;

function cliffStep(s: number, a: number): { s2: number; r: number; done: boolean } {
  const { rows, cols, start, goal } = CLIFF;
  let row = Math.floor(s / cols);
  let col = s % cols;
  if (a === 0) row = Math.max(0, row - 1);
  else if (a === 1) col = Math.min(cols - 1, col + 1);
  else if (a === 2) row = Math.min(rows - 1, row + 1);
  else col = Math.max(0, col - 1);
  const s2 = row * cols + col;
  if (s2 === goal) return { s2, r: -1, done: true };
  if (row === rows - 1 && col > 0 && col < cols - 1) return { s2: start, r: -100, done: false };
  return { s2, r: -1, done: false };
}

function cliffMDP(): TabularMDP {
  return tabularMDP({
    nStates: CLIFF.rows * CLIFF.cols,
    nActions: 4,
    outcomes: (s, a) => {
      if (s === CLIFF.goal) return [[1, TERMINAL, 0]]; // never entered: reaching it ends episodes
      const { s2, r, done } = cliffStep(s, a);
      return [[1, done ? TERMINAL : s2, r]];
    },
  });
}

/**
 * A finite-horizon chain whose optimal policy depends on the time left: positions 0..3; action 0
 * "take" pays 0.5 and stays; action 1 "walk" moves right with probability 0.75 (pays nothing), and
 * at position 3 pays 2. Walking pays off only with enough steps left.
 */
const CHAIN = { n: 4, horizon: 5 } as const;

function chainOutcomes(s: number, a: number): Outcome[] {
  if (a === 0) return [[1, s, 0.5]];
  if (s === CHAIN.n - 1) return [[1, s, 2]];
  return [[0.75, s + 1, 0], [0.25, s, 0]];
}

function chainMDP(): TabularMDP {
  return tabularMDP({ nStates: CHAIN.n, nActions: 2, outcomes: chainOutcomes });
}

/** One random transition of the chain. */
function chainStep(s: number, a: number, rng: Rng): { s2: number; r: number } {
  const outs = chainOutcomes(s, a);
  let u = rng();
  for (const [p, s2, r] of outs) {
    if (u < p) return { s2, r };
    u -= p;
  }
  const [, s2, r] = outs[outs.length - 1];
  return { s2, r };
}

/** Trains on cliff walking; returns per-episode returns and the learner's |ΔQ| per episode. */
function trainCliff(learner: QLearner, episodes: number) {
  const returns = new Float64Array(episodes);
  const deltas = new Float64Array(episodes);
  const epsilons = new Float64Array(episodes);
  for (let e = 0; e < episodes; e++) {
    learner.resetDelta();
    epsilons[e] = learner.epsilon;
    let s: number = CLIFF.start;
    let ret = 0;
    for (let t = 0; t < 10_000; t++) {
      const a = learner.act(s);
      const { s2, r, done } = cliffStep(s, a);
      learner.update(s, a, r, s2, done);
      ret += r;
      if (done) break;
      s = s2;
    }
    returns[e] = ret;
    deltas[e] = learner.meanAbsDelta();
    learner.endEpisode();
  }
  return { returns, deltas, epsilons };
}

/** Random MDP driver used by the determinism tests. */
function trainRandom(learner: QLearner, seed: number, steps: number): Int32Array {
  const env = stream(seed, "env");
  const actions = new Int32Array(steps);
  let s = 0;
  for (let i = 0; i < steps; i++) {
    const a = learner.act(s);
    actions[i] = a;
    const s2 = Math.floor(env() * learner.nStates);
    const r = Math.floor(env() * 3) - 1; // -1, 0, 1: many exact ties in the table
    const done = i % 10 === 9;
    learner.update(s, a, r, s2, done);
    if (done) learner.endEpisode();
    s = done ? 0 : s2;
  }
  return actions;
}

function bytes(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Schedules and encoding

Deno.test("schedules: constant, linear (both directions), exponential with floor", () => {
  assertEquals(scheduleAt({ kind: "constant", value: 0.3 }, 1234), 0.3);
  const lin = { kind: "linear", start: 1, end: 0.05, duration: 100 } as const;
  assertEquals(scheduleAt(lin, 0), 1);
  assertAlmostEquals(scheduleAt(lin, 50), 0.525, 1e-15);
  assertAlmostEquals(scheduleAt(lin, 99), 1 - 0.95 * 0.99, 1e-15);
  assertEquals(scheduleAt(lin, 100), 0.05);
  assertEquals(scheduleAt(lin, 10_000), 0.05);
  const up = { kind: "linear", start: 0, end: 1, duration: 4 } as const;
  assertEquals([0, 1, 2, 3, 4, 5].map((t) => scheduleAt(up, t)), [0, 0.25, 0.5, 0.75, 1, 1]);
  const exp = { kind: "exponential", start: 1, end: 0.1, rate: 0.5 } as const;
  assertEquals([0, 1, 2, 3, 4, 50].map((t) => scheduleAt(exp, t)), [1, 0.5, 0.25, 0.125, 0.1, 0.1]);
  const grow = { kind: "exponential", start: 0.1, end: 1, rate: 2 } as const;
  assertAlmostEquals(scheduleAt(grow, 3), 0.8, 1e-15);
  assertEquals(scheduleAt(grow, 4), 1);
});

Deno.test("schedules: bad values throw ConfigError naming the field", () => {
  assertThrows(() => checkSchedule("epsilon", 1.5, { lo: 0, hi: 1 }), ConfigError, "epsilon:");
  assertThrows(
    () =>
      checkSchedule("epsilon", { kind: "linear", start: 1, end: 0, duration: 0 }, { lo: 0, hi: 1 }),
    ConfigError,
    "epsilon.duration",
  );
  assertThrows(
    () =>
      checkSchedule("epsilon", { kind: "exponential", start: 1, end: 0, rate: -1 }, {
        lo: 0,
        hi: 1,
      }),
    ConfigError,
    "epsilon.rate",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => checkSchedule("epsilon", { kind: "cosine" } as any, { lo: 0, hi: 1 }),
    ConfigError,
    "epsilon.kind",
  );
  assertEquals(checkSchedule("x", 0.2, { lo: 0, hi: 1 }), { kind: "constant", value: 0.2 });
});

Deno.test("state encoding: mixed radix round trip, first feature most significant", () => {
  const radices = [3, 4, 5];
  assertEquals(stateCount(radices), 60);
  const seen = new Set<number>();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 4; j++) {
      for (let k = 0; k < 5; k++) {
        const s = encodeState(radices, [i, j, k]);
        assertEquals(s, (i * 4 + j) * 5 + k);
        assertEquals(Array.from(decodeState(radices, s)), [i, j, k]);
        seen.add(s);
      }
    }
  }
  assertEquals(seen.size, 60);
  assertThrows(() => encodeState(radices, [0, 4, 0]), ConfigError, "digits[1]");
  assertThrows(() => encodeState(radices, [0, 0]), ConfigError, "digits");
  assertThrows(() => decodeState(radices, 60), ConfigError, "s:");
  assertThrows(() => stateCount([2, 0]), ConfigError, "radices[1]");
  const edges = [-10, 0, 10];
  assertEquals([-11, -10, -1, 0, 9.9, 10, 1e9].map((x) => binIndex(edges, x)), [
    0,
    1,
    1,
    2,
    2,
    3,
    3,
  ]);
  assertEquals(binIndex([], 5), 0);
});

// ---------------------------------------------------------------------------------------------
// Learner

Deno.test("update: constant α, bootstrap with γ, no bootstrap when terminal", () => {
  const q = createQLearner({
    nStates: 2,
    nActions: 2,
    gamma: 0.9,
    rng: stream(0, "t"),
    alpha: 0.5,
  });
  q.table[1 * 2 + 0] = 4; // Q(1, 0) = 4, Q(1, 1) = 0: max = 4
  q.update(0, 1, 1, 1, false); // target 1 + 0.9 * 4 = 4.6, Q = 0 + 0.5 * 4.6
  assertEquals(q.table[1], 2.3);
  q.update(0, 1, 1, 1, true); // target 1, Q = 2.3 + 0.5 * (1 - 2.3)
  assertAlmostEquals(q.table[1], 1.65, 1e-15);
  assertEquals(Array.from(q.visits), [0, 2, 0, 0]);
  assertEquals(q.steps, 2);
  assertAlmostEquals(q.meanAbsDelta(), (2.3 + 0.65) / 2, 1e-15);
  q.resetDelta();
  assertEquals(q.meanAbsDelta(), 0);
  q.update(0, 0, -2, 0, true);
  assertEquals(q.meanAbsDelta(), 1);
});

Deno.test("update: visit-count α: ω = 1 is the running mean, ω = 0.5 is 1/sqrt(N)", () => {
  const q = createQLearner({
    nStates: 1,
    nActions: 2,
    gamma: 1,
    rng: stream(0, "t"),
    alpha: { kind: "visits", omega: 1 },
    init: 100, // replaced at the first visit (α = 1)
  });
  for (const r of [1, 2, 3, 6]) q.update(0, 0, r, 0, true);
  assertAlmostEquals(q.table[0], 3, 1e-12);
  assertEquals(q.table[1], 100);
  const h = createQLearner({
    nStates: 1,
    nActions: 1,
    gamma: 1,
    rng: stream(0, "t"),
    alpha: { kind: "visits", omega: 0.5, min: 0.6 },
  });
  h.update(0, 0, 10, 0, true); // α = 1 -> 10
  h.update(0, 0, 0, 0, true); // α = max(0.6, 1/√2 ≈ 0.707) -> 10 (1 - 1/√2)
  assertAlmostEquals(h.table[0], 10 * (1 - Math.SQRT1_2), 1e-12);
  h.update(0, 0, 0, 0, true); // α = max(0.6, 1/√3 ≈ 0.577) = 0.6
  assertAlmostEquals(h.table[0], 10 * (1 - Math.SQRT1_2) * 0.4, 1e-12);
});

Deno.test("update: visit-count α is the same double with the α table grown and past its cap", () => {
  // The learner keeps N^−ω in a table that doubles as counts grow, up to 2^20 entries; a plain
  // loop computing Math.pow at every update must give the same bytes before, across and past it.
  const omega = 0.7, min = 1e-4;
  const q = createQLearner({
    nStates: 1,
    nActions: 1,
    gamma: 1,
    rng: stream(0, "t"),
    alpha: { kind: "visits", omega, min },
  });
  // Start near the cap: loaded visit counts, as a resumed learner has.
  const rewards = stream(1, "r");
  let v = 0;
  const check = (from: number, to: number) => {
    q.visits[0] = from - 1;
    for (let n = from; n <= to; n++) {
      const r = rewards();
      q.update(0, 0, r, 0, true);
      v += Math.max(min, Math.pow(n, -omega)) * (r - v);
    }
    assertEquals(q.table[0], v);
    assertEquals(q.visits[0], to);
  };
  q.table[0] = 0;
  check(1, 10_000); // the first 4,096 and two doublings
  check((1 << 20) - 50, (1 << 20) + 50); // the last entries and past the cap
});

Deno.test("ε follows its schedule per episode or per step", () => {
  const lin = { kind: "linear", start: 1, end: 0, duration: 4 } as const;
  const byEpisode = createQLearner({
    nStates: 1,
    nActions: 2,
    gamma: 1,
    rng: stream(0, "t"),
    epsilon: lin,
  });
  const byStep = createQLearner({
    nStates: 1,
    nActions: 2,
    gamma: 1,
    rng: stream(0, "t"),
    epsilon: lin,
    epsilonUnit: "step",
  });
  const seenE: number[] = [];
  const seenS: number[] = [];
  for (let e = 0; e < 3; e++) {
    for (let t = 0; t < 2; t++) {
      seenE.push(byEpisode.epsilon);
      seenS.push(byStep.epsilon);
      byEpisode.update(0, 0, 0, 0, t === 1);
      byStep.update(0, 0, 0, 0, t === 1);
    }
    byEpisode.endEpisode();
    byStep.endEpisode();
  }
  assertEquals(seenE, [1, 1, 0.75, 0.75, 0.5, 0.5]);
  assertEquals(seenS, [1, 0.75, 0.5, 0.25, 0, 0]);
  assertEquals(byEpisode.episodes, 3);
});

Deno.test("act explores with the per-step ε at the update count, as if by episode", () => {
  // A per-step schedule (computed in act) against the same schedule by episode with an episode
  // ended after every update: the same draws, actions and tables.
  const eps = { kind: "exponential", start: 1, end: 0.02, rate: 0.995 } as const;
  const mk = (epsilonUnit: "step" | "episode") =>
    createQLearner({
      nStates: 6,
      nActions: 3,
      gamma: 0.9,
      rng: stream(8, "t"),
      epsilon: eps,
      epsilonUnit,
    });
  const byStep = mk("step"), byEpisode = mk("episode");
  const env = stream(9, "env");
  let s = 0;
  for (let t = 0; t < 3000; t++) {
    assertEquals(byStep.epsilon, scheduleAt(eps, t));
    const a = byStep.act(s);
    assertEquals(byEpisode.act(s), a);
    const s2 = Math.floor(env() * 6), r = a === s % 3 ? 1 : env();
    byStep.update(s, a, r, s2, false);
    byEpisode.update(s, a, r, s2, false);
    byEpisode.endEpisode();
    s = s2;
  }
  assertEquals(byStep.table, byEpisode.table);
  assertTrue(byStep.epsilon < 0.03);
});

Deno.test("act: ε = 1 is uniform, ε = 0 never explores", () => {
  const q = createQLearner({ nStates: 1, nActions: 4, gamma: 1, rng: stream(3, "t"), epsilon: 1 });
  q.table.set([0, 0, 5, 0]);
  const counts = [0, 0, 0, 0];
  const n = 40_000;
  for (let i = 0; i < n; i++) counts[q.act(0)]++;
  for (const c of counts) assertTrue(Math.abs(c / n - 0.25) < 0.01, `uniform: ${counts}`);
  const g = createQLearner({ nStates: 1, nActions: 4, gamma: 1, rng: stream(3, "t"), epsilon: 0 });
  g.table.set([0, 0, 5, 0]);
  for (let i = 0; i < 1000; i++) assertEquals(g.act(0), 2);
});

Deno.test("tie-breaking: uniform among the maxima only, reproducible from the seed", () => {
  const mk = (seed: number) => {
    const q = createQLearner({
      nStates: 1,
      nActions: 5,
      gamma: 1,
      rng: stream(seed, "maker:0"),
      epsilon: 0,
    });
    q.table.set([1, 3, 0, 3, 3]);
    return q;
  };
  const a = mk(11);
  const counts = [0, 0, 0, 0, 0];
  const n = 30_000;
  const seq = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[seq[i] = a.greedy(0)]++;
  assertEquals([counts[0], counts[2]], [0, 0]);
  for (const k of [1, 3, 4]) assertTrue(Math.abs(counts[k] / n - 1 / 3) < 0.015, `${counts}`);
  const b = mk(11);
  const seqB = Int32Array.from({ length: n }, () => b.greedy(0));
  assertEquals(seqB, seq);
  const c = mk(12);
  const seqC = Int32Array.from({ length: n }, () => c.greedy(0));
  assertTrue(seqC.some((x, i) => x !== seq[i]), "another seed breaks ties differently");
});

Deno.test("determinism: same seed gives identical table bytes, another seed does not", () => {
  const run = (seed: number) => {
    const q = createQLearner({
      nStates: 30,
      nActions: 4,
      gamma: 0.95,
      rng: stream(seed, "maker:1"),
      epsilon: { kind: "exponential", start: 1, end: 0.05, rate: 0.99 },
      alpha: { kind: "visits", omega: 0.7 },
    });
    const actions = trainRandom(q, seed, 20_000);
    return { q, actions };
  };
  const x = run(5);
  const y = run(5);
  const z = run(6);
  assertEquals(bytes(y.q.table), bytes(x.q.table));
  assertEquals(bytes(y.q.visits), bytes(x.q.visits));
  assertEquals(y.actions, x.actions);
  assertTrue(!bytes(z.q.table).every((v, i) => v === bytes(x.q.table)[i]));
});

Deno.test("optimistic initialisation makes the greedy learner try every action first", () => {
  const rewards = [0.1, 0.2, 0.9, 0.3];
  const q = createQLearner({
    nStates: 1,
    nActions: 4,
    gamma: 1,
    rng: stream(2, "t"),
    epsilon: 0,
    alpha: { kind: "visits", omega: 1 },
    init: 1, // above every reward
  });
  const taken: number[] = [];
  for (let i = 0; i < 20; i++) {
    const a = q.act(0);
    taken.push(a);
    q.update(0, a, rewards[a], 0, true);
  }
  assertEquals([...taken.slice(0, 4)].sort(), [0, 1, 2, 3]);
  assertTrue(taken.slice(4).every((a) => a === 2), `${taken}`);
});

Deno.test("bad input throws ConfigError naming the field", () => {
  const rng = stream(0, "t");
  assertThrows(
    () => createQLearner({ nStates: 0, nActions: 2, gamma: 1, rng }),
    ConfigError,
    "nStates",
  );
  assertThrows(
    () => createQLearner({ nStates: 2, nActions: 2, gamma: 1.1, rng }),
    ConfigError,
    "gamma",
  );
  assertThrows(
    () => createQLearner({ nStates: 2, nActions: 2, gamma: 1, rng, alpha: 0 }),
    ConfigError,
    "alpha",
  );
  assertThrows(
    () =>
      createQLearner({
        nStates: 2,
        nActions: 2,
        gamma: 1,
        rng,
        alpha: { kind: "visits", omega: 2 },
      }),
    ConfigError,
    "alpha.omega",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => createQLearner({ nStates: 2, nActions: 2, gamma: 1, rng, epsilonUnit: "minute" as any }),
    ConfigError,
    "epsilonUnit",
  );
  const q = createQLearner({ nStates: 2, nActions: 3, gamma: 1, rng });
  assertThrows(() => q.act(2), ConfigError, "s: must be an integer in [0, 1], got 2");
  assertThrows(() => q.greedy(-1), ConfigError, "s:");
  assertThrows(() => q.update(0, 3, 0, 0, false), ConfigError, "a: must be an integer in [0, 2]");
  assertThrows(() => q.update(0, 0, NaN, 0, false), ConfigError, "r:");
  // A string is not coerced: the error shows what was given.
  const bad = (r: unknown) => () => q.update(0, 0, r as number, 0, false);
  assertThrows(bad("5"), ConfigError, 'r: must be a finite number, got "5"');
  assertThrows(bad("x"), ConfigError, 'r: must be a finite number, got "x"');
  assertThrows(() => q.update(0, 0, Infinity, 0, false), ConfigError, "r:");
  assertEquals(q.table[0], 0);
  assertThrows(() => q.update(0, 0, 0, 1.5, false), ConfigError, "s2:");
  q.update(0, 0, 1, 99, true); // s2 is ignored when terminal
  assertEquals(q.table[0], 0.1);
});

// ---------------------------------------------------------------------------------------------
// Diagnostics

Deno.test("diagnostics: greedy policy, state visits, coverage, policy change", () => {
  const table = new Float64Array([
    ...[0, 0, 0], // all tied: lowest index
    ...[1, 3, 3], // tie between 1 and 2: 1
    ...[-5, -1, -2],
    ...[2, 0, 1],
  ]);
  assertEquals(greedyPolicy(table, 3), new Int32Array([0, 1, 1, 0]));
  const visits = new Float64Array([0, 0, 0, 2, 1, 0, 0, 0, 4, 1, 0, 0]);
  const perState = stateVisits(visits, 3);
  assertEquals(perState, new Float64Array([0, 3, 4, 1]));
  assertEquals(coverage(perState), 0.75);
  const before = new Int32Array([0, 1, 1, 0]);
  const after = new Int32Array([2, 1, 0, 2]); // state 0 changed but unvisited
  assertAlmostEquals(policyChange({ before, after, visits: perState }), 2 / 3, 1e-15);
  assertEquals(policyChange({ before, after: before, visits: perState }), 0);
  assertEquals(policyChange({ before, after, visits: new Float64Array(4) }), 0);
  assertThrows(
    () => policyChange({ before, after: after.subarray(1), visits: perState }),
    ConfigError,
  );
  assertThrows(() => greedyPolicy(table, 5), ConfigError, "table.length");
});

// ---------------------------------------------------------------------------------------------
// Dynamic programming on hand-computed cases

/** State 0: "stay" pays 1, "go" pays 0 and moves to 1; state 1 pays 3 per step, any action. */
const stayGo = () =>
  tabularMDP({
    nStates: 2,
    nActions: 2,
    outcomes: (s, a) => (s === 1 ? [[1, 1, 3]] : a === 0 ? [[1, 0, 1]] : [[1, 1, 0]]),
  });

Deno.test("backward induction: hand-computed values and a time-dependent policy", () => {
  const mdp = stayGo();
  const { values, policy } = backwardInduction({ mdp, horizon: 3 });
  // V_t(1) = 3 (3 - t); V_t(0) = max(1 + V_{t+1}(0), V_{t+1}(1)): t=2: 1, t=1: 3, t=0: 6.
  assertEquals(Array.from(values), [6, 9, 3, 6, 1, 3, 0, 0]);
  assertEquals(Array.from(policy), [1, 0, 1, 0, 0, 0]); // go, go, stay (at the last step)
  const disc = backwardInduction({ mdp, horizon: 2, gamma: 0.5 });
  // t=1: V(0) = 1, V(1) = 3; t=0: V(0) = max(1 + 0.5, 0 + 1.5) = 1.5 (tie -> lowest action 0)
  assertEquals(Array.from(disc.values.subarray(0, 2)), [1.5, 4.5]);
  assertEquals(disc.policy[0], 0);
});

Deno.test("policy evaluation: stationary and time-dependent policies, exact", () => {
  const mdp = stayGo();
  const stay = evaluatePolicy({ mdp, horizon: 3, policy: new Int32Array([0, 0]) });
  const go = evaluatePolicy({ mdp, horizon: 3, policy: new Int32Array([1, 0]) });
  assertEquals([stay[0], go[0]], [3, 6]);
  const opt = backwardInduction({ mdp, horizon: 3 });
  assertEquals(evaluatePolicy({ mdp, horizon: 3, policy: opt.policy }), opt.values);
  // stochastic: "go" succeeds with prob 0.5, else stays (reward 0)
  const coin = tabularMDP({
    nStates: 2,
    nActions: 2,
    outcomes: (
      s,
      a,
    ) => (s === 1 ? [[1, 1, 3]] : a === 0 ? [[1, 0, 1]] : [[0.5, 1, 0], [0.5, 0, 0]]),
  });
  // always go, H = 2: V_1(0) = 0, V_1(1) = 3; V_0(0) = 0.5 * 3 + 0.5 * 0 = 1.5
  assertEquals(evaluatePolicy({ mdp: coin, horizon: 2, policy: [1, 1] })[0], 1.5);
  assertThrows(() => evaluatePolicy({ mdp, horizon: 3, policy: [0, 2] }), ConfigError, "policy[1]");
  assertThrows(
    () => evaluatePolicy({ mdp, horizon: 3, policy: [0, 0, 0] }),
    ConfigError,
    "policy.length",
  );
});

Deno.test("non-stationary MDP: one set of dynamics per stage", () => {
  // The reward of the single action is t + 1 at stage t.
  const mdp = tabularMDP({
    nStates: 1,
    nActions: 1,
    stages: 3,
    outcomes: (_s, _a, t) => [[1, 0, t + 1]],
  });
  const { values } = backwardInduction({ mdp, horizon: 3 });
  assertEquals(Array.from(values), [6, 5, 3, 0]);
  assertThrows(() => backwardInduction({ mdp, horizon: 4 }), ConfigError, "mdp.stages");
});

Deno.test("value iteration and discounted policy evaluation: hand-computed fixed points", () => {
  const mdp = stayGo();
  const vi = valueIteration({ mdp, gamma: 0.9, tol: 1e-12 });
  assertTrue(vi.converged);
  // V(1) = 3 / 0.1 = 30; V(0) = max(1 + 0.9 V(0) -> 10, 0.9 * 30 = 27) = 27
  assertAlmostEquals(vi.values[1], 30, 1e-9);
  assertAlmostEquals(vi.values[0], 27, 1e-9);
  assertEquals(Array.from(vi.policy), [1, 0]);
  const stay = evaluatePolicyDiscounted({ mdp, gamma: 0.9, tol: 1e-12, policy: [0, 0] });
  assertAlmostEquals(stay.values[0], 10, 1e-9);
  // geometric ending: V = 0.5 * 2 + 0.5 * 0.9 V = 1 / 0.55
  const ending = tabularMDP({
    nStates: 1,
    nActions: 1,
    outcomes: () => [[0.5, TERMINAL, 2], [0.5, 0, 0]],
  });
  assertAlmostEquals(valueIteration({ mdp: ending, gamma: 0.9 }).values[0], 1 / 0.55, 1e-8);
  // an improper policy under γ = 1 does not converge, and says so
  const loop = evaluatePolicyDiscounted({ mdp, gamma: 1, policy: [0, 0], maxIterations: 50 });
  assertEquals([loop.converged, loop.iterations], [false, 50]);
  assertThrows(
    () => tabularMDP({ nStates: 1, nActions: 1, outcomes: () => [[0.5, 0, 0], [0.4, 0, 1]] }),
    ConfigError,
    "probabilities",
  );
  assertThrows(
    () => tabularMDP({ nStates: 1, nActions: 1, outcomes: () => [[1, 1, 0]] }),
    ConfigError,
    ".next",
  );
});

// ---------------------------------------------------------------------------------------------
// Learning known optimal policies

Deno.test("cliff walking: DP finds -13, Q-learning's greedy policy attains it", () => {
  const mdp = cliffMDP();
  const vi = valueIteration({ mdp, gamma: 1 });
  assertTrue(vi.converged);
  assertEquals(vi.values[CLIFF.start], -13);
  const bi = backwardInduction({ mdp, horizon: 40 });
  assertEquals(bi.values[CLIFF.start], -13);

  // Sutton & Barto's setting: ε = 0.1, α = 0.5, γ = 1.
  const learner = createQLearner({
    nStates: mdp.nStates,
    nActions: 4,
    gamma: 1,
    rng: stream(2024, "cliff"),
    epsilon: 0.1,
    alpha: 0.5,
  });
  const { returns } = trainCliff(learner, 500);
  const policy = greedyPolicy(learner.table, 4);
  const value = evaluatePolicy({ mdp, horizon: 40, policy });
  assertEquals(bi.values[CLIFF.start] - value[CLIFF.start], 0, "value gap at the start");
  // The greedy path is the one along the cliff edge: up, 11 x right, down.
  const path: number[] = [];
  let s: number = CLIFF.start;
  for (let t = 0; t < 20 && s !== CLIFF.goal; t++) {
    path.push(policy[s]);
    s = cliffStep(s, policy[s]).s2;
  }
  assertEquals(path, [0, ...Array(11).fill(1), 2]);
  // Exploration keeps the online return below the optimum (the classic figure): mean of the last
  // 100 episodes lies between the safe-path return and -13.
  const last = returns.subarray(400).reduce((x, y) => x + y, 0) / 100;
  assertTrue(last < -13 && last > -80, `online return ${last}`);
  // Cliff cells are never states of the learner; the goal is terminal.
  const cov = coverage(stateVisits(learner.visits, 4));
  assertTrue(cov <= 37 / 48 && cov > 0.7, `coverage ${cov}`);
});

Deno.test("finite horizon with time in the state: learns the time-dependent optimum", () => {
  const mdp = chainMDP();
  const { horizon, n } = CHAIN;
  const opt = backwardInduction({ mdp, horizon });
  // The optimum depends on the time left: at position 0 walk with 5 steps left, take with 1.
  assertEquals(opt.policy[0 * n + 0], 1);
  assertEquals(opt.policy[(horizon - 1) * n + 0], 0);
  const learner = createQLearner({
    nStates: horizon * n,
    nActions: 2,
    gamma: 1,
    rng: stream(7, "chain:learner"),
    epsilon: { kind: "linear", start: 1, end: 0.1, duration: 2000 },
    alpha: { kind: "visits", omega: 0.8 },
  });
  const env = stream(7, "chain:env");
  let snapshot: Int32Array = new Int32Array(0);
  for (let e = 0; e < 20_000; e++) {
    if (e === 19_000) snapshot = greedyPolicy(learner.table, 2);
    let pos = 0;
    for (let t = 0; t < horizon; t++) {
      const s = encodeState([horizon, n], [t, pos]);
      const a = learner.act(s);
      const { s2, r } = chainStep(pos, a, env);
      const last = t === horizon - 1;
      learner.update(s, a, r, last ? 0 : encodeState([horizon, n], [t + 1, s2]), last);
      pos = s2;
    }
    learner.endEpisode();
  }
  const policy = greedyPolicy(learner.table, 2); // layout t * n + s, as backwardInduction's
  const value = evaluatePolicy({ mdp, horizon, policy });
  assertAlmostEquals(opt.values[0] - value[0], 0, 1e-12, `value gap ${opt.values[0] - value[0]}`);
  // Q at the last step is the mean reward: exact for "take" (deterministic 0.5).
  assertAlmostEquals(learner.table[((horizon - 1) * n + 0) * 2 + 0], 0.5, 1e-12);
  const perState = stateVisits(learner.visits, 2);
  assertTrue(policyChange({ before: snapshot, after: policy, visits: perState }) < 0.1);
  // A stationary policy cannot do as well: the best one is worse than the optimum.
  let bestStationary = -Infinity;
  for (let code = 0; code < 1 << n; code++) {
    const p = Int32Array.from({ length: n }, (_, s) => (code >> s) & 1);
    bestStationary = Math.max(bestStationary, evaluatePolicy({ mdp, horizon, policy: p })[0]);
  }
  assertTrue(bestStationary < opt.values[0] - 1e-3, `${bestStationary} vs ${opt.values[0]}`);
});

// ---------------------------------------------------------------------------------------------
// Persistence

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("Q-table save/load round trip with shape, visits and metadata; atomic", async () => {
  const dir = await Deno.makeTempDir({ prefix: "learn_test_" });
  try {
    const q = createQLearner({ nStates: 17, nActions: 3, gamma: 0.9, rng: stream(1, "persist") });
    trainRandom(q, 1, 5000);
    q.table[5] = -0; // signed zero and extremes survive
    q.table[6] = Number.MAX_VALUE;
    const path = `${dir}/tables/maker0.qtable`;
    const meta = { seed: 1, role: "maker:0", episodes: q.episodes };
    await saveQTable(path, { ...q, meta: { ...meta, episodes: 0 } });
    await saveQTable(path, { ...q, meta }); // replaces the first file
    const back = await loadQTable(path);
    assertEquals([back.nStates, back.nActions], [17, 3]);
    assertEquals(bytes(back.table), bytes(q.table));
    assertEquals(bytes(back.visits!), bytes(q.visits));
    assertEquals(back.meta, { seed: 1, role: "maker:0", episodes: 500 });
    assertEquals(await listDir(`${dir}/tables`), ["maker0.qtable"]);

    const bare = `${dir}/bare.qtable`;
    await saveQTable(bare, { nStates: 1, nActions: 2, table: new Float64Array([1.5, -2]) });
    const b = await loadQTable(bare);
    assertEquals([Array.from(b.table), b.visits, b.meta], [[1.5, -2], undefined, {}]);

    await Deno.writeTextFile(`${dir}/junk.qtable`, "not a table");
    await assert.rejects(() => loadQTable(`${dir}/junk.qtable`), ConfigError);
    const truncated = (await Deno.readFile(path)).subarray(0, 200);
    await Deno.writeFile(`${dir}/cut.qtable`, truncated);
    await assert.rejects(() => loadQTable(`${dir}/cut.qtable`), ConfigError);
    await assert.rejects(
      () => saveQTable(`${dir}/x.qtable`, { nStates: 2, nActions: 2, table: new Float64Array(3) }),
      ConfigError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("training records: Parquet round trip of a real run, written atomically", async () => {
  const dir = await Deno.makeTempDir({ prefix: "learn_test_" });
  try {
    const learner = createQLearner({
      nStates: 48,
      nActions: 4,
      gamma: 1,
      rng: stream(3, "cliff"),
      epsilon: { kind: "exponential", start: 0.5, end: 0.05, rate: 0.97 },
      alpha: 0.5,
    });
    const episodes = 60;
    const { returns, deltas, epsilons } = trainCliff(learner, episodes);
    const df = pl.DataFrame({
      episode: Int32Array.from({ length: episodes }, (_, i) => i),
      return: returns,
      meanAbsDelta: deltas,
      epsilon: epsilons,
      role: Array(episodes).fill("maker:0"),
    });
    const path = `${dir}/runs/cliff.parquet`;
    await writeParquetAtomic(df, path);
    const back = await readParquet(path);
    assertTrue(back.frameEqual(df), "frame round trip");
    assertEquals(back.getColumn("return").toArray(), Array.from(returns));
    assertEquals(back.dtypes.map(String), df.dtypes.map(String));
    assertEquals(await listDir(`${dir}/runs`), ["cliff.parquet"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
