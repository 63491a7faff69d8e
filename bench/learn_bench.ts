/**
 * Throughput of the tabular Q-learner (`deno task bench:learn`): on a bare MDP, and training a
 * maker on the game (`gameThroughput`).
 *
 * Bare MDP: 1,000 states x 7 actions, each (s, a) with 4 equally likely (next state, reward)
 * outcomes drawn once into typed arrays; episodes of 100 steps, the last one terminal. One step
 * is `act(s)` (ε-greedy, ε = 0.1) + an outcome draw + `update(s, a, r, s2, terminal)`, so the
 * figure includes the cost of two seeded random streams, as in a real training loop.
 *
 * Allocation: `act` and `update` allocate nothing (checked with `--v8-flags=--trace-gc`: no
 * scavenge in a loop of either alone, or of both). In this full loop V8 runs out of inlining
 * budget before `update` (each inlined copy of the seedrandom generator costs ~120 bytecodes), so
 * the caller boxes the float reward argument: a short-lived heap number per call, V8's calling
 * convention rather than the learner's doing. Details go to stderr; stdout has the one result line.
 *
 * @module
 */
import { createGame } from "../lib/game/mod.ts";
import { coverage, createQLearner, type QLearner, stateVisits } from "../lib/learn/mod.ts";
import { train } from "../lib/makers/mod.ts";
import { stream } from "../lib/rng.ts";

const N_STATES = 1_000;
const N_ACTIONS = 7;
const OUTCOMES = 4;
const HORIZON = 100;

interface RandomMDP {
  next: Int32Array;
  reward: Float64Array;
}

function randomMDP(seed: number): RandomMDP {
  const rng = stream(seed, "bench:mdp");
  const n = N_STATES * N_ACTIONS * OUTCOMES;
  const next = new Int32Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = Math.floor(rng() * N_STATES);
    reward[i] = rng() * 2 - 1;
  }
  return { next, reward };
}

/** Runs `steps` learner steps on the bare MDP; returns a checksum so the work is not dead code. */
function run(learner: QLearner, mdp: RandomMDP, steps: number): number {
  const env = stream(2, "bench:env");
  const { next, reward } = mdp;
  let s = 0;
  let t = 0;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const a = learner.act(s);
    const o = (s * N_ACTIONS + a) * OUTCOMES + Math.floor(env() * OUTCOMES);
    const s2 = next[o];
    const r = reward[o];
    const last = ++t === HORIZON;
    learner.update(s, a, r, s2, last);
    sum += a;
    if (last) {
      learner.endEpisode();
      t = 0;
      s = 0;
    } else {
      s = s2;
    }
  }
  return sum;
}

function bareMDP(): void {
  const mdp = randomMDP(1);
  const learner = createQLearner({
    nStates: N_STATES,
    nActions: N_ACTIONS,
    gamma: 0.99,
    rng: stream(3, "bench:learner"),
    epsilon: 0.1,
    alpha: 0.1,
  });
  run(learner, mdp, 2_000_000); // warm-up: let the JIT optimise
  const steps = 20_000_000;
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    const heapBefore = Deno.memoryUsage().heapUsed;
    const t0 = performance.now();
    const check = run(learner, mdp, steps);
    const seconds = (performance.now() - t0) / 1000;
    const heapGrowth = Deno.memoryUsage().heapUsed - heapBefore;
    const rate = steps / seconds;
    if (rate > best) best = rate;
    console.error(
      `  rep ${rep}: ${(rate / 1e6).toFixed(2)} M updates/s, heap +${
        (heapGrowth / 1024).toFixed(0)
      } KiB, checksum ${check}`,
    );
  }
  const cov = coverage(stateVisits(learner.visits, N_ACTIONS));
  console.error(`  best of 3 runs of ${steps} steps; state coverage ${cov.toFixed(3)}`);
  console.log(`bare MDP: ${Math.round(best)} updates/s`);
}

/**
 * Training throughput on the game: one Q-learning maker (`lib/makers`, default state and
 * learner) trained by `train` for 10,000 episodes of 60 steps against the passive taker, default
 * background. Target: under 2 s. Timed twice: as a notebook runs it (a check every 200
 * episodes with 5 greedy evaluation episodes, i.e. 250 more episodes), and training alone
 * (checks without evaluation). For the breakdown, the same episodes with a fixed baseline maker
 * (`bench:game`'s workload) give the cost of the game itself; the difference is the learner
 * (encoding, ε-greedy action, update), the per-episode records (`game.summary()`, which
 * allocates its arrays) and the exploring maker's extra book operations. Best of 3 after a
 * warm-up run.
 *
 * Measured on this 2-core machine: 0.9 s for training alone, 0.93 s with evaluation, against
 * 0.55 s for the game with a replenisher. A CPU profile of training puts the learner (`update`,
 * `act`, the encoder's `binIndex`, the policy's `learn`) at about 10 % of the time, the
 * per-episode summary and the garbage it leaves at about 9 %, and the rest in the game, the
 * book and the background's per-episode rebuild (`createBackground`, `init`: about 11 %).
 */
function gameThroughput(): void {
  const EPISODES = 10_000;
  const game = { makers: 1, seed: 1 } as const;
  const time = (f: () => void) => {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return best;
  };
  const trainRun = (evalEpisodes: number) => () => {
    train({ game, taker: { kind: "passive" }, episodes: EPISODES, evalEvery: 200, evalEpisodes });
  };
  trainRun(5)(); // warm-up
  const withEval = time(trainRun(5));
  const alone = time(trainRun(0));
  const baseline = time(() => {
    const g = createGame({ ...game, policy: { kind: "replenisher" }, taker: { kind: "passive" } });
    g.reset(1);
    for (let e = 0; e < EPISODES; e++) {
      if (e > 0) g.reset();
      while (!g.step());
    }
  });
  const steps = EPISODES * 60;
  console.error(
    `  ${EPISODES} episodes x 60 steps: training with evaluation ${withEval.toFixed(2)} s, ` +
      `training alone ${alone.toFixed(2)} s, the same game with a fixed replenisher ` +
      `${baseline.toFixed(2)} s (learner, records and the exploring maker's book operations: ${
        ((alone - baseline) / steps * 1e9).toFixed(0)
      } ns per step)`,
  );
  console.log(
    `game: ${Math.round(steps / alone)} updates/s (one maker, ${EPISODES} episodes of 60 steps ` +
      `in ${alone.toFixed(2)} s, ${Math.round(EPISODES / alone)} episodes/s; with greedy ` +
      `evaluation every 200 episodes ${withEval.toFixed(2)} s; target < 2 s)`,
  );
}

bareMDP();
gameThroughput();
