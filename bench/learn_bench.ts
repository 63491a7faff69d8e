/**
 * Throughput of the tabular Q-learner (`deno task bench:learn`).
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
import { coverage, createQLearner, type QLearner, stateVisits } from "../lib/learn/mod.ts";
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
 * TODO(game): training throughput on the game. A later engineer adds here the same measurement
 * with the order-book game as the environment (makers' `act`/`update` inside full episodes), and
 * prints one line like `game: <value> updates/s`. Not built yet: the game does not exist.
 */
function gameThroughput(): void {}

bareMDP();
gameThroughput();
