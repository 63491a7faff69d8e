/**
 * `deno task bench:game`: game steps per second for n = 0, 1, 2 and 10 makers on the baseline
 * policies (makers alternate fixed-price replenisher and dynamic follower; passive taker; default
 * background; recording off). A step is one full game step: every maker observes and acts, the
 * taker's child order executes, the background refills, rewards are computed. Episodes are 60
 * steps, so the rate includes the per-episode reset (fresh ladder, new background).
 *
 * Each figure is the best of several timed runs after a warm-up. Also printed: the rate of the step
 * loop alone (the time in `reset` taken out) and the reset's cost per episode (clearing the book,
 * a new background instance and its ladder, the makers' initial bids).
 *
 * @module
 */
import { createGame, type MakerPolicySpec } from "../lib/game/mod.ts";

const EPISODES = Number(Deno.env.get("BENCH_EPISODES") ?? 20_000);
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 5);

function bench(n: number) {
  const policy: MakerPolicySpec[] = Array.from(
    { length: n },
    (_, i) => (i % 2 === 0 ? { kind: "replenisher" } : { kind: "follower" }),
  );
  const game = createGame({ makers: n, policy, taker: { kind: "passive", maxWalk: 3 }, seed: 7 });
  const N = game.config.steps;
  let check = 0;
  /** Seconds for `episodes` episodes, and the part spent in `reset`. */
  const once = (episodes: number) => {
    let inReset = 0;
    const t0 = performance.now();
    for (let e = 0; e < episodes; e++) {
      const r0 = performance.now();
      game.reset();
      inReset += performance.now() - r0;
      while (!game.step());
      check += game.book.bestBid();
    }
    return { total: (performance.now() - t0) / 1000, reset: inReset / 1000 };
  };
  once(Math.max(1, EPISODES / 10)); // warm-up
  let best = { total: Infinity, reset: 0 };
  for (let r = 0; r < RUNS; r++) {
    const x = once(EPISODES);
    if (x.total < best.total) best = x;
  }
  const steps = EPISODES * N;
  return {
    rate: steps / best.total,
    loopRate: steps / (best.total - best.reset),
    resetMicros: (best.reset / EPISODES) * 1e6,
    steps,
    check,
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
for (const n of [0, 1, 2, 10]) {
  const b = bench(n);
  console.log(
    `${n} makers: ${fmt(b.rate)} steps/s (resets included; step loop alone ` +
      `${fmt(b.loopRate)} steps/s, reset ${b.resetMicros.toFixed(1)} µs per episode; ` +
      `${fmt(b.steps)} steps per run, best of ${RUNS})`,
  );
}
