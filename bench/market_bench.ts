/**
 * Cost of one background step (`lib/market/background.ts`), the budget being well under 1 µs so
 * that the game can reach 1,000,000 steps/s.
 *
 * Run: `deno run --allow-read=. --allow-env --allow-sys --allow-ffi bench/market_bench.ts`
 *
 * Two measurements per configuration:
 * - **episodes**: 8 fresh books per batch (built outside the timed phases) run in lockstep through
 *   the game's episode, 60 steps selling 8,000 evenly (133 or 134 per step); the taker's child
 *   orders and the background steps are timed as separate phases, each timer pair covering 8
 *   operations, and the cost of an empty timer pair is subtracted. Then the same without a sale.
 * - **steady state**: one book, a 133-contract sale and a background step 2,000,000 times in a
 *   row (hot caches; the sale's own cost is included).
 *
 * @module
 */
import { ASK, OrderBook } from "../lib/book/mod.ts";
import { stream } from "../lib/rng.ts";
import {
  type Background,
  type BackgroundOptions,
  createBackground,
  TAKER,
} from "../lib/market/mod.ts";

const K = 8;
const EPISODES = Number(Deno.env.get("BENCH_EPISODES") ?? 3_000);
const STEADY = Number(Deno.env.get("BENCH_STEPS") ?? 2_000_000);

function episodes(opts: Partial<BackgroundOptions>, n: number, sell: boolean) {
  let tSell = 0, tBg = 0, tEmpty = 0, ops = 0;
  const books: OrderBook[] = [];
  const bgs: Background[] = [];
  for (let e = 0; e < n; e++) {
    for (let k = 0; k < K; k++) {
      books[k] = new OrderBook({ minTick: 9_800, maxTick: 10_200, capacity: 256 });
      bgs[k] = createBackground({ p0: 10_000, ...opts }, stream(e * K + k, "background"));
      bgs[k].init(books[k]);
    }
    for (let t = 0; t < 60; t++) {
      const q = Math.floor(8_000 * (t + 1) / 60) - Math.floor(8_000 * t / 60);
      let t0 = performance.now();
      if (sell) { for (let k = 0; k < K; k++) books[k].market(ASK, q, TAKER); }
      tSell += performance.now() - t0;
      t0 = performance.now();
      for (let k = 0; k < K; k++) bgs[k].step(books[k], t);
      tBg += performance.now() - t0;
      t0 = performance.now();
      tEmpty += performance.now() - t0;
      ops += K;
    }
  }
  return { sell: (tSell - tEmpty) * 1e6 / ops, bg: (tBg - tEmpty) * 1e6 / ops };
}

function steady(opts: Partial<BackgroundOptions>, n: number) {
  const book = new OrderBook({ minTick: 8_000, maxTick: 12_000, capacity: 4096 });
  const bg = createBackground({ p0: 10_000, ...opts }, stream(1, "background"));
  bg.init(book);
  for (let t = 0; t < 10_000; t++) {
    book.market(ASK, 133, TAKER);
    bg.step(book, t);
  }
  const t0 = performance.now();
  for (let t = 0; t < n; t++) {
    book.market(ASK, 133, TAKER);
    bg.step(book, t);
  }
  return (performance.now() - t0) * 1e6 / n;
}

const configs: [string, Partial<BackgroundOptions>][] = [
  ["default", {}],
  ["refillOrder deepest", { refillOrder: "deepest" }],
  ["refill poisson", { refill: "poisson" }],
  ["noiseRate 0.5", { noiseRate: 0.5 }],
  ["recentre 0.5", { recentre: 0.5 }],
];
console.log(
  "ns per step          | episode: taker sell  background step  | no sale: background step " +
    "| steady: sell + step",
);
for (const [name, o] of configs) {
  episodes(o, EPISODES / 10, true); // warm-up
  episodes(o, EPISODES / 10, false);
  const a = episodes(o, EPISODES, true);
  const idle = episodes(o, EPISODES, false);
  const s = steady(o, STEADY);
  console.log(
    `${name.padEnd(20)} | ${a.sell.toFixed(0).padStart(18)} ${a.bg.toFixed(0).padStart(16)}  | ` +
      `${idle.bg.toFixed(0).padStart(24)} | ${s.toFixed(0).padStart(19)}`,
  );
}
