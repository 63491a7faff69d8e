/**
 * `deno task bench:book`: the engine against the npm package `nodejs-order-book` (10.1.1) on the
 * same deterministic streams of 1,000,000 operations, in one process.
 *
 * - crossing stream: 60% limit orders (either side, size 1–100, price uniform within ±20 ticks of a
 *   10,000-tick mid), 25% cancels of a uniformly chosen live order, 15% market orders (size 1–50);
 * - passive stream: the same mix, but limit bids lie below the mid and asks above it, so they never
 *   cross and the book grows deep; ops/s is printed per tenth of the stream to show whether the cost
 *   per operation grows with depth.
 *
 * The streams are generated once (cancel targets are chosen among the orders live at that point,
 * found by running the engine untimed), then replayed into each engine; both must report the same
 * total traded volume. Each timing is the median of several runs. Last, the LOBSTER replay speed
 * (messages/s, best of 3, each message applied and the top N levels compared exactly).
 *
 * @module
 */
import { OrderBook as PeerBook } from "nodejs-order-book";
import { ASK, BID, OrderBook } from "../lib/book/mod.ts";
import { type Rng, stream } from "../lib/rng.ts";
import { fileURLToPath } from "node:url";
import { findSamples, loadSample, replay } from "../lib/lobster/mod.ts";

const N = Number(Deno.env.get("BENCH_OPS") ?? 1_000_000);
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 5);
const MID = 10_000;
const LIMIT = 0, CANCEL = 1, MARKET = 2;

interface OpStream {
  kind: Uint8Array;
  side: Uint8Array;
  price: Int32Array;
  qty: Int32Array;
  /** For a cancel: the sequence number of the limit order to cancel. */
  target: Int32Array;
  /** Live orders after each tenth of the stream (from the generating run). */
  liveAt: number[];
  volume: number;
}

function makeStream(rng: Rng, passive: boolean): OpStream {
  const kind = new Uint8Array(N), side = new Uint8Array(N);
  const price = new Int32Array(N), qty = new Int32Array(N), target = new Int32Array(N).fill(-1);
  const book = new OrderBook({ minTick: MID - 100, maxTick: MID + 100, capacity: 1 << 16 });
  const idOfSeq = new Float64Array(N).fill(-1);
  // Live set with O(1) removal: seqs in an array, position by seq.
  const live = new Int32Array(N);
  const pos = new Int32Array(N).fill(-1);
  const seqOfSlot = new Map<number, number>();
  let nLive = 0;
  let volume = 0;
  const liveAt: number[] = [];
  const drop = (seq: number) => {
    const p = pos[seq];
    const last = live[--nLive];
    live[p] = last;
    pos[last] = p;
    pos[seq] = -1;
  };
  const removeFilled = () => {
    const f = book.fills;
    for (let k = 0; k < f.count; k++) {
      if (f.makerRemaining[k] === 0) {
        const seq = seqOfSlot.get(f.makerId[k])!;
        seqOfSlot.delete(f.makerId[k]);
        drop(seq);
      }
    }
  };
  for (let i = 0; i < N; i++) {
    const u = rng();
    if (u < 0.25 && nLive > 0) {
      const seq = live[Math.floor(rng() * nLive)];
      kind[i] = CANCEL;
      target[i] = seq;
      book.cancel(idOfSeq[seq]);
      seqOfSlot.delete(idOfSeq[seq]);
      drop(seq);
    } else if (u < 0.40) {
      kind[i] = MARKET;
      side[i] = rng() < 0.5 ? BID : ASK;
      qty[i] = 1 + Math.floor(rng() * 50);
      volume += book.market(side[i] as 0 | 1, qty[i], 0);
      removeFilled();
    } else {
      kind[i] = LIMIT;
      const s = rng() < 0.5 ? BID : ASK;
      side[i] = s;
      qty[i] = 1 + Math.floor(rng() * 100);
      const off = Math.floor(rng() * 41) - 20;
      price[i] = passive
        ? (s === BID ? MID - 1 - (Math.abs(off) % 20) : MID + 1 + (Math.abs(off) % 20))
        : MID + off;
      const id = book.limit(s, price[i], qty[i], 0);
      volume += book.lastFilled;
      removeFilled();
      if (id >= 0) {
        idOfSeq[i] = id;
        seqOfSlot.set(id, i);
        live[nLive] = i;
        pos[i] = nLive++;
      }
    }
    if ((i + 1) % (N / 10) === 0) liveAt.push(nLive);
  }
  return { kind, side, price, qty, target, liveAt, volume };
}

/** Runs ops [from, to) on the engine; returns traded volume. */
function runEngine(s: OpStream, book: OrderBook, ids: Float64Array, from: number, to: number) {
  let vol = 0;
  const { kind, side, price, qty, target } = s;
  for (let i = from; i < to; i++) {
    const k = kind[i];
    if (k === LIMIT) {
      ids[i] = book.limit(side[i] as 0 | 1, price[i], qty[i], 0);
      vol += book.lastFilled;
    } else if (k === CANCEL) {
      book.cancel(ids[target[i]]);
    } else {
      vol += book.market(side[i] as 0 | 1, qty[i], 0);
    }
  }
  return vol;
}

const names = Array.from({ length: N }, (_, i) => `o${i}`);

/** Runs ops [from, to) on the peer; returns traded volume. */
function runPeer(s: OpStream, book: PeerBook, from: number, to: number) {
  let vol = 0;
  const { kind, side, price, qty, target } = s;
  for (let i = from; i < to; i++) {
    const k = kind[i];
    const sd = side[i] === BID ? "buy" : "sell";
    if (k === LIMIT) {
      const r = book.limit({ side: sd as "buy", id: names[i], size: qty[i], price: price[i] });
      vol += qty[i] - r.quantityLeft;
    } else if (k === CANCEL) {
      book.cancel(names[target[i]]);
    } else {
      const r = book.market({ side: sd as "buy", size: qty[i] });
      vol += qty[i] - r.quantityLeft;
    }
  }
  return vol;
}

function median(xs: number[]) {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.floor(a.length / 2)];
}

interface Timed {
  opsPerSec: number;
  volume: number;
  tenths: number[]; // ops/s per tenth of the stream (median over runs)
}

function timeIt(run: (from: number, to: number) => number, reset: () => void, runs: number): Timed {
  const per: number[][] = Array.from({ length: 10 }, () => []);
  const totals: number[] = [];
  let volume = 0;
  for (let r = 0; r < runs; r++) {
    reset();
    let total = 0;
    volume = 0;
    for (let t = 0; t < 10; t++) {
      const a = (t * N) / 10, b = ((t + 1) * N) / 10;
      const t0 = performance.now();
      volume += run(a, b);
      const dt = performance.now() - t0;
      total += dt;
      per[t].push((b - a) / (dt / 1000));
    }
    totals.push(N / (total / 1000));
  }
  return { opsPerSec: median(totals), volume, tenths: per.map(median) };
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

function bench(label: string, s: OpStream, peerRuns: number) {
  let book!: OrderBook;
  const ids = new Float64Array(N);
  const eng = timeIt(
    (a, b) => runEngine(s, book, ids, a, b),
    () => (book = new OrderBook({ minTick: MID - 100, maxTick: MID + 100, capacity: 1 << 16 })),
    RUNS,
  );
  let peer!: PeerBook;
  const p = timeIt(
    (a, b) => runPeer(s, peer, a, b),
    () => (peer = new PeerBook()),
    peerRuns,
  );
  const same = eng.volume === p.volume && eng.volume === s.volume;
  console.log(`\n${label} stream: ${fmt(N)} operations`);
  console.log(`  engine             ${fmt(eng.opsPerSec).padStart(12)} ops/s`);
  console.log(`  nodejs-order-book  ${fmt(p.opsPerSec).padStart(12)} ops/s`);
  console.log(`  ratio engine/peer  ${(eng.opsPerSec / p.opsPerSec).toFixed(1)}x`);
  console.log(
    `  traded volume      engine ${fmt(eng.volume)}, peer ${fmt(p.volume)}: ${
      same ? "same" : "DIFFERENT"
    }`,
  );
  return { eng, p, same };
}

console.log(`bench:book — ${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}`);
const crossing = makeStream(stream(1, "bench:crossing"), false);
const r1 = bench("crossing", crossing, 3);
const passive = makeStream(stream(1, "bench:passive"), true);
const r2 = bench("passive", passive, 1); // the peer needs minutes per run here
console.log("  by tenth of the stream (live orders at its end): engine ops/s | peer ops/s");
for (let t = 0; t < 10; t++) {
  console.log(
    `    ${String(t + 1).padStart(2)}  ${fmt(passive.liveAt[t]).padStart(9)} live  ${
      fmt(r2.eng.tenths[t]).padStart(12)
    } | ${fmt(r2.p.tenths[t]).padStart(12)}`,
  );
}
const growth = r2.eng.tenths[9] / r2.eng.tenths[0];
console.log(
  `  engine cost per op, last tenth vs first: ${(1 / growth).toFixed(2)}x ` +
    `(book ${fmt(passive.liveAt[0])} -> ${fmt(passive.liveAt[9])} live orders)`,
);

// LOBSTER replay speed: every message through the engine plus the top-N comparison after each.
console.log("\nLOBSTER replay (engine + exact top-N comparison after every message)");
for (const files of findSamples(fileURLToPath(new URL("../data/lobster/", import.meta.url)))) {
  const sample = loadSample(files);
  const n = sample.messages.count;
  const times: number[] = [];
  let exact = "";
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const rep = replay({ messages: sample.messages, orderbook: sample.orderbook });
    times.push(performance.now() - t0);
    exact = `${rep.matched}/${rep.rows} rows exact`;
  }
  const best = Math.min(...times) / 1000;
  console.log(
    `  ${files.ticker.padEnd(5)} ${fmt(n)} messages  ${
      fmt(n / best).padStart(10)
    } messages/s  (${exact})`,
  );
}

const ok = r1.same && r2.same;
if (!ok) {
  console.error("traded volumes differ between the engine and the peer");
  Deno.exit(1);
}
