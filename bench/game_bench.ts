/**
 * `deno task bench:game`: game steps per second for n = 0, 1, 2 and 10 makers on the baseline
 * policies (makers alternate fixed-price replenisher and dynamic follower; passive taker; default
 * background; recording off). A step is one full game step: every maker observes and acts, the
 * taker's child order executes, the background refills, rewards are computed. Episodes are 60
 * steps, and the rate includes the per-episode reset (a fresh ladder, the makers' initial bids).
 *
 * Target (issue 15): at least 2.5 M steps/s with 2 makers (today 1.0–1.5 M). Timing: see
 * `_bench.ts` (median of interleaved rounds, CPU time; `BENCH_BASELINE=<dir>` runs a baseline
 * checkout's game side by side). Also printed: the reset's cost per episode, timed around each
 * reset (wall clock, so a rough figure), and beside a baseline the speed ratio both as the ratio of
 * the medians and paired (the median of the rounds' ratios, steadier under load). The current
 * library plays its own defaults (game 1, several orders per maker, random arrival: 90-step
 * episodes) unless `BENCH_GAME` adds options as JSON, e.g.
 * `BENCH_GAME='{"orders":"single","arrival":{"kind":"fixed"}}'` for the first version's game, the
 * one a baseline checkout plays; rates count each game's own steps.
 *
 * `deno task bench:game` runs each maker count in its own process (`bench/game_bench.ts 2` runs
 * one; `BENCH_MAKERS=2` keeps only the counts listed), so that their figures owe nothing to the
 * JIT state the other counts leave behind.
 *
 * @module
 */
import { baseline, conditions, int, interleave, median, mega, QUICK, TODAY } from "./_bench.ts";
import { createGame, type Game, type GameConfig } from "../lib/game/mod.ts";

const EPISODES = Number(Deno.env.get("BENCH_EPISODES") ?? (QUICK ? 4_000 : 20_000));
const ROUNDS = Number(Deno.env.get("BENCH_RUNS") ?? (QUICK ? 3 : 7));

type Lib = { createGame: (c: GameConfig) => Game };

/** Options added to the current library's games (`BENCH_GAME`, JSON). */
const EXTRA: GameConfig = JSON.parse(Deno.env.get("BENCH_GAME") ?? "{}");

function makeGame(lib: Lib, n: number, extra: GameConfig = {}): Game {
  return lib.createGame({
    ...extra,
    makers: n,
    policy: Array.from({ length: n }, (_, i) => ({
      kind: i % 2 === 0 ? "replenisher" : "follower",
    })),
    taker: { kind: "passive", maxWalk: 3 },
    seed: 7,
  });
}

/** Plays `EPISODES` episodes; returns a checksum (the sum of final best bids). */
function play(game: Game): number {
  let check = 0;
  for (let e = 0; e < EPISODES; e++) {
    game.reset();
    while (!game.step());
    check += game.book.bestBid();
  }
  return check;
}

/** Mean reset cost in µs over `episodes` episodes (wall clock around each reset). */
function resetMicros(game: Game, episodes: number): number {
  let t = 0;
  for (let e = 0; e < episodes; e++) {
    const t0 = performance.now();
    game.reset();
    t += performance.now() - t0;
    while (!game.step());
  }
  return (t / episodes) * 1000;
}

const base = await baseline<Lib>("lib/game/mod.ts");
/**
 * The maker counts to run: the arguments (the task runs one process per count), else all four;
 * `BENCH_MAKERS=2` keeps only those (so `BENCH_MAKERS=2 deno task bench:game` runs 2 alone).
 * One process per count, so that its figure owes nothing to the JIT state the other counts leave
 * behind (which moved the 2-maker figure of one code between about 2.2 M and 2.6 M across runs).
 */
const KEEP = Deno.env.get("BENCH_MAKERS")?.split(",").map(Number);
const MAKER_COUNTS = (Deno.args.length > 0 ? Deno.args.join(",") : "0,1,2,10").split(",")
  .map(Number).filter((n) => KEEP === undefined || KEEP.includes(n));
if (MAKER_COUNTS.length === 0) Deno.exit(0);
console.log(`bench:game — ${conditions(ROUNDS)}`);
console.log(
  `${int(EPISODES)} episodes per round` +
    (Deno.env.get("BENCH_GAME") ? `; BENCH_GAME ${JSON.stringify(EXTRA)}` : "") +
    (base ? `; baseline ${Deno.env.get("BENCH_BASELINE")} side by side` : ""),
);
for (const n of MAKER_COUNTS) {
  const games = [makeGame({ createGame }, n, EXTRA)];
  if (base) games.push(makeGame(base, n));
  const checks: number[] = [];
  const times = interleave(games.map((g, k) => () => (checks[k] = play(g))), ROUNDS);
  const rate = (k: number) => EPISODES * games[k].config.steps / (median(times[k].cpu) / 1000);
  const reset = resetMicros(games[0], Math.min(EPISODES, 2_000));
  const target = n === 2
    ? `; target ≥ 2.5 M, today ${mega(TODAY.gameStep2[0])}–${mega(TODAY.gameStep2[1])}`
    : "";
  let line = `${String(n).padStart(2)} makers: ${mega(rate(0))} steps/s ` +
    `(${(1e9 / rate(0)).toFixed(0)} ns per step, reset ${reset.toFixed(1)} µs per episode` +
    `${target})`;
  if (base) {
    // Paired: the median of the per-round ratios (each round times both games back to back).
    const paired = median(times[1].cpu.map((x, k) => x / times[0].cpu[k])) *
      games[0].config.steps / games[1].config.steps;
    line += `; baseline ${mega(rate(1))} steps/s (${(rate(0) / rate(1)).toFixed(2)}×, ` +
      `${paired.toFixed(2)}× paired` +
      `${checks[0] === checks[1] ? ", same episodes" : ", DIFFERENT episodes"})`;
  }
  console.log(line);
}
