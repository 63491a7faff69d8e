/**
 * `deno task bench:book`: the engine against the npm package `nodejs-order-book` (10.1.1) on the
 * same deterministic streams of 1,000,000 operations, in one process; the cost of the queries'
 * input checks; the LOBSTER replay. Figures are printed beside their targets and issue 15's
 * figures ("today"); see `_bench.ts` for the timing (medians of interleaved rounds, CPU time)
 * and `BENCH_BASELINE=<dir>` (a baseline checkout's engine side by side).
 *
 * - **Crossing stream**: 60% limit orders (either side, size 1–100, price uniform within ±20
 *   ticks of a 10,000-tick mid), 25% cancels of a uniformly chosen live order, 15% market orders
 *   (size 1–50).
 * - **Passive stream**: the same mix, but limit bids lie below the mid and asks above it, so they
 *   never cross and the book grows deep (27,000 live orders after the first tenth, 274,000 at
 *   the end); the cost per operation is printed per tenth of the stream. Target: the last tenth
 *   at most 1.5× the first, without slowing the crossing stream. The book starts with room for
 *   65,536 orders, as before, and doubles its order store when full (at 65,536, 131,072 and
 *   262,144 live orders, in tenths 3, 5 and 10: a one-off copy whose cost lands in that tenth);
 *   the growth is also printed with the store sized for the stream, which is the cost of depth
 *   alone, and the replay loop's own cost per tenth (a book that does nothing: the loop's random
 *   reads of the cancel targets' ids grow too), with the engine's growth net of it, and the loop
 *   with the engine's memory traffic alone: the loads and stores the engine makes in its order
 *   arrays, at the same slots (recorded from a run) and in the same dependency order, with no
 *   logic. What depth adds to that is the cost of random access into a larger working set (the
 *   order store and the loop's ids: 1.5 MB after the first tenth, 15 MB at the end), which no
 *   engine logic can remove; the last line says what first tenth 1.5× would need beside it.
 * - **Queries**: a mix of read-only queries (`best`, `depthAt`, `ordersAt`, `ownerResting`, the
 *   sides alternating) on the crossing stream's final book, through the book's methods, which
 *   check `side` and `owner` (and the price's range), against the same reads done directly on the
 *   book's arrays without the side and owner checks.
 * - **LOBSTER replay**: `bench/replay_bench.ts`, which `deno task bench:book` runs next in a
 *   process of its own.
 *
 * The streams are generated once (cancel targets are chosen among the orders live at that point,
 * found by running the engine untimed), then replayed into each engine; all must report the same
 * total traded volume. The peer takes minutes on the passive stream: `BENCH_PEER=0` skips it
 * there.
 *
 * @module
 */
import { OrderBook as PeerBook } from "nodejs-order-book";
import { ASK, BID, OrderBook, type Side } from "../lib/book/mod.ts";
import { L_HEAD, LSHIFT, SLOT_MASK } from "../lib/book/_layout.ts";
import { type Rng, stream } from "../lib/rng.ts";
import { baseline, conditions, cpuMs, int, interleave, median, QUICK, TODAY } from "./_bench.ts";

const N = Number(Deno.env.get("BENCH_OPS") ?? (QUICK ? 300_000 : 1_000_000));
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? (QUICK ? 3 : 7));
const PEER = Deno.env.get("BENCH_PEER") !== "0";
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

/** The engine's methods the streams use (the current book or a baseline checkout's). */
type Book = Pick<OrderBook, "limit" | "cancel" | "market" | "lastFilled">;
type BookClass = new (o: { minTick: number; maxTick: number; capacity?: number }) => Book;

/** A book that does nothing: times the replay loop itself (its reads of the stream and ids). */
class NoBook {
  lastFilled = 0;
  limit(_side: Side, _price: number, _qty: number, _owner: number) {
    return 0;
  }
  cancel(_id: number) {
    return 0;
  }
  market(_side: Side, _qty: number, _owner: number) {
    return 0;
  }
}

/**
 * The slots each operation of a stream touches in the engine's order store, recorded from the
 * engine's internals (untimed): per cancel its queue neighbours; per limit its slot and the old
 * tail of its level; per market the number of fills, of orders filled in full, and the queue
 * from the level's head (a market of at most 50 here nearly always stays within one level; the
 * rare one that does not is recorded within it).
 */
interface Touches {
  start: Int32Array;
  slots: Int32Array;
}

function recordTouches(s: OpStream, capacity: number): Touches {
  const book = new OrderBook({ minTick: MID - 100, maxTick: MID + 100, capacity });
  const raw = book as unknown as {
    oPrev: Int32Array;
    oNext: Int32Array;
    lv: Int32Array;
    bestIdx: Int32Array;
    nLevels: number;
  };
  const start = new Int32Array(N + 1);
  let slots = new Int32Array(4 * N), n = 0;
  const push = (x: number) => {
    if (n === slots.length) {
      const t = new Int32Array(2 * n);
      t.set(slots);
      slots = t;
    }
    slots[n++] = x;
  };
  const ids = new Float64Array(N);
  const queue: number[] = [];
  for (let i = 0; i < N; i++) {
    start[i] = n;
    if (s.kind[i] === CANCEL) {
      const slot = ids[s.target[i]] & SLOT_MASK;
      push(raw.oPrev[slot]);
      push(raw.oNext[slot]);
      book.cancel(ids[s.target[i]]);
    } else if (s.kind[i] === LIMIT) {
      ids[i] = book.limit(s.side[i] as Side, s.price[i], s.qty[i], 0);
      const slot = ids[i] & SLOT_MASK;
      push(slot);
      push(raw.oPrev[slot]); // the old tail, whose next is written
    } else {
      const opp = 1 - s.side[i], best = raw.bestIdx[opp];
      const head = best === -1 ? -1 : raw.lv[((opp * raw.nLevels + best) << LSHIFT) + L_HEAD];
      queue.length = 0;
      for (let q = head;; q = raw.oNext[q]) {
        queue.push(q);
        if (q === -1 || queue.length > 64) break;
      }
      book.market(s.side[i] as Side, s.qty[i], 0);
      const f = book.fills;
      let full = 0;
      for (let k = 0; k < f.count; k++) if (f.makerRemaining[k] === 0) full++;
      push(f.count);
      push(full);
      for (let k = 0; k <= f.count && k < queue.length; k++) push(queue[k]);
    }
  }
  start[N] = n;
  return { start, slots };
}

/**
 * The engine's memory traffic alone: a "book" that makes, at the recorded slots, the loads and
 * stores the engine makes in its order fields, each slot depending on the read before it as in
 * the engine (the cancel's slot on its id, its neighbours on its record, a market's next order on
 * the one before), and nothing else: no levels, totals or fills, no checks. The six fields lie in
 * one array, field `f` of slot `s` at `s · sStride + f · fStride`: `(1, capacity)` is the
 * engine's layout (one array per field), `(6, 1)` one order per 24 bytes (one array of structs,
 * the same footprint).
 */
class TrafficBook {
  lastFilled = 0;
  private op = 0;
  private readonly o: Int32Array; // allocated once: reset() reuses it (no page faults, no GC)
  private readonly kGen: number;
  private readonly kKey: number; // stays 0: "+ key" makes a slot depend on a read
  private readonly kPrice: number;
  private readonly kQty: number;
  private readonly kPrev: number;
  private readonly kNext: number;
  constructor(
    private readonly t: Touches,
    capacity: number,
    private readonly sStride: number,
    fStride: number,
  ) {
    this.o = new Int32Array(6 * capacity);
    [this.kGen, this.kKey, this.kPrice, this.kQty, this.kPrev, this.kNext] = [0, 1, 2, 3, 4, 5]
      .map((f) => f * fStride);
  }
  /** Back to the start of the stream, the store zeroed. */
  reset(): this {
    this.op = 0;
    this.o.fill(0);
    return this;
  }
  limit(_side: Side, price: number, qty: number, _owner: number) {
    const at = this.t.start[this.op++], slots = this.t.slots, o = this.o;
    const s = slots[at], b = s * this.sStride;
    const tail = slots[at + 1] + o[b + this.kGen] + o[b + this.kNext]; // the free slot's fields
    o[b + this.kPrice] = price;
    o[b + this.kQty] = qty;
    o[b + this.kKey] = 0;
    o[b + this.kPrev] = 0;
    o[b + this.kNext] = 0;
    o[b + this.kGen] = 0;
    if (tail !== -1) o[tail * this.sStride + this.kNext] = 0;
    return s; // its "id": the slot
  }
  cancel(id: number) {
    const at = this.t.start[this.op++], slots = this.t.slots, o = this.o;
    const s = id | 0, b = s * this.sStride, z = o[b + this.kKey];
    const q = o[b + this.kGen] + o[b + this.kPrice] + o[b + this.kQty] + o[b + this.kPrev] +
      o[b + this.kNext];
    const p = slots[at] + z, n = slots[at + 1] + z;
    if (p !== -1) o[p * this.sStride + this.kNext] = n;
    if (n !== -1) o[n * this.sStride + this.kPrev] = p;
    o[b + this.kGen] = z;
    o[b + this.kNext] = z;
    return q;
  }
  market(_side: Side, qty: number, _owner: number) {
    const at = this.t.start[this.op], end = this.t.start[++this.op], slots = this.t.slots;
    const o = this.o, count = slots[at], full = slots[at + 1], avail = end - at - 2;
    let z = 0, x = 0;
    for (let k = 0; k < count && k < avail; k++) {
      const s = slots[at + 2 + k] + z, b = s * this.sStride;
      if (s < 0) break;
      z = o[b + this.kKey];
      x += o[b + this.kQty] + o[b + this.kGen] + o[b + this.kNext];
      if (k < full) {
        o[b + this.kGen] = 0;
        o[b + this.kNext] = 0;
      } else o[b + this.kQty] = qty;
    }
    if (full === count && count < avail) {
      const h = slots[at + 2 + count] + z;
      if (h !== -1) o[h * this.sStride + this.kPrev] = 0;
    }
    return x & 0; // trades nothing
  }
}

/** Runs ops [from, to) on the engine; returns traded volume. */
function runEngine(s: OpStream, book: Book, ids: Float64Array, from: number, to: number) {
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

interface Tenths {
  /** Median CPU ms of each tenth. */
  tenth: number[];
  /** Median CPU ms of the whole stream. */
  total: number;
  volume: number;
}

/**
 * Runs the stream through `make()`'s books (a fresh one per round), every book round by round
 * with the others (interleaved), timing each tenth; returns per book the medians.
 */
function timeBooks(s: OpStream, makes: (() => Book)[], rounds: number): Tenths[] {
  const per = makes.map(() => Array.from({ length: 10 }, () => [] as number[]));
  const totals = makes.map(() => [] as number[]);
  const volumes = makes.map(() => 0);
  const ids = new Float64Array(N);
  for (let r = 0; r <= rounds; r++) {
    for (let j = 0; j < makes.length; j++) {
      const k = r % 2 === 0 ? j : makes.length - 1 - j;
      const book = makes[k]();
      let total = 0, vol = 0;
      for (let t = 0; t < 10; t++) {
        const a = (t * N) / 10, b = ((t + 1) * N) / 10;
        const c0 = cpuMs();
        vol += runEngine(s, book, ids, a, b);
        const dt = cpuMs() - c0;
        total += dt;
        if (r > 0) per[k][t].push(dt); // round 0 warms up
      }
      if (r > 0) totals[k].push(total);
      volumes[k] = vol;
    }
  }
  return makes.map((_, k) => ({
    tenth: per[k].map(median),
    total: median(totals[k]),
    volume: volumes[k],
  }));
}

/** The peer on the stream, `runs` times; median ms per tenth and in total (wall clock). */
function timePeer(s: OpStream, runs: number): Tenths {
  const per = Array.from({ length: 10 }, () => [] as number[]);
  const totals: number[] = [];
  let volume = 0;
  for (let r = 0; r < runs; r++) {
    const peer = new PeerBook();
    let total = 0;
    volume = 0;
    for (let t = 0; t < 10; t++) {
      const a = (t * N) / 10, b = ((t + 1) * N) / 10;
      const c0 = cpuMs();
      volume += runPeer(s, peer, a, b);
      const dt = cpuMs() - c0;
      total += dt;
      per[t].push(dt);
    }
    totals.push(total);
  }
  return { tenth: per.map(median), total: median(totals), volume };
}

const opsPerSec = (ms: number, ops = N) => ops / (ms / 1000);
const nsPerOp = (ms: number, ops = N / 10) => (ms * 1e6) / ops;

const base = await baseline<{ OrderBook: BookClass }>("lib/book/mod.ts");
const BASE_NAME = Deno.env.get("BENCH_BASELINE");
console.log(`bench:book — ${conditions(RUNS)}`);
const bookOf = (C: BookClass, capacity = 1 << 16) => () =>
  new C({ minTick: MID - 100, maxTick: MID + 100, capacity });
let ok = true;

// ---------------------------------------------------------------- crossing

const crossing = makeStream(stream(1, "bench:crossing"), false);
{
  const makes = [bookOf(OrderBook)];
  if (base) makes.push(bookOf(base.OrderBook));
  const [eng, old] = timeBooks(crossing, makes, RUNS);
  const peer = timePeer(crossing, QUICK ? 1 : 3);
  ok &&= eng.volume === crossing.volume && peer.volume === crossing.volume;
  console.log(`\ncrossing stream: ${int(N)} operations`);
  console.log(`  engine             ${int(opsPerSec(eng.total)).padStart(12)} ops/s`);
  if (old) {
    console.log(
      `  baseline engine    ${int(opsPerSec(old.total)).padStart(12)} ops/s ` +
        `(${BASE_NAME}; engine/baseline ${(old.total / eng.total).toFixed(2)}×)`,
    );
    ok &&= old.volume === crossing.volume;
  }
  console.log(`  nodejs-order-book  ${int(opsPerSec(peer.total)).padStart(12)} ops/s`);
  console.log(`  ratio engine/peer  ${(peer.total / eng.total).toFixed(1)}×`);
  console.log(`  traded volume      ${eng.volume === peer.volume ? "same" : "DIFFERENT"}`);
}

// ---------------------------------------------------------------- passive

{
  const passive = makeStream(stream(1, "bench:passive"), true);
  const makes = [bookOf(OrderBook), bookOf(OrderBook, 1 << 19), () => new NoBook()];
  if (base) makes.push(bookOf(base.OrderBook));
  const [eng, sized, loop, old] = timeBooks(passive, makes, RUNS);
  // The memory-traffic rows, timed after the engines' rounds (their memory is not yet alive
  // there), each on one store reused round after round (fresh stores' first-touch page faults
  // weighed on the first tenth unevenly).
  const touches = recordTouches(passive, 1 << 19);
  const soaTraffic = new TrafficBook(touches, 1 << 19, 1, 1 << 19);
  const aosTraffic = new TrafficBook(touches, 1 << 19, 6, 1);
  const [traffic, aos] = timeBooks(
    passive,
    [() => soaTraffic.reset(), () => aosTraffic.reset()],
    RUNS,
  );
  const peer = PEER ? timePeer(passive, 1) : null;
  ok &&= eng.volume === passive.volume && sized.volume === passive.volume;
  if (peer) ok &&= peer.volume === passive.volume;
  if (old) ok &&= old.volume === passive.volume;
  console.log(`\npassive stream: ${int(N)} operations`);
  console.log(`  engine             ${int(opsPerSec(eng.total)).padStart(12)} ops/s`);
  if (old) console.log(`  baseline engine    ${int(opsPerSec(old.total)).padStart(12)} ops/s`);
  if (peer) {
    console.log(`  nodejs-order-book  ${int(opsPerSec(peer.total)).padStart(12)} ops/s`);
    console.log(`  ratio engine/peer  ${(peer.total / eng.total).toFixed(1)}×`);
  }
  console.log(
    "  ns per operation by tenth of the stream (live orders at its end): engine | " +
      "engine, store sized for the stream | the replay loop alone (a book that does nothing) | " +
      "the loop and the engine's memory traffic alone | the same with 24-byte orders" +
      (old ? " | baseline" : "") + (peer ? " | peer" : ""),
  );
  for (let t = 0; t < 10; t++) {
    const cells = [eng.tenth[t], sized.tenth[t], loop.tenth[t], traffic.tenth[t], aos.tenth[t]]
      .concat(old ? [old.tenth[t]] : [])
      .map((ms) => nsPerOp(ms).toFixed(0).padStart(6));
    if (peer) cells.push(nsPerOp(peer.tenth[t]).toFixed(0).padStart(8));
    console.log(
      `    ${String(t + 1).padStart(2)}  ${int(passive.liveAt[t]).padStart(9)} live  ${
        cells.join(" |")
      }`,
    );
  }
  const g = (x: Tenths) => (x.tenth[9] / x.tenth[0]).toFixed(2);
  console.log(
    `  cost per op, last tenth over first (${int(passive.liveAt[0])} -> ${
      int(passive.liveAt[9])
    } live orders): ${g(sized)}× with the store sized for the stream, ${g(eng)}× with its ` +
      `doublings (tenths 3, 5, 10)${old ? `, baseline ${g(old)}×` : ""}; ` +
      `target ≤ 1.5×, today ${TODAY.deepBookGrowth}×`,
  );
  const net = (x: Tenths) => (x.tenth[9] - loop.tenth[9]) / (x.tenth[0] - loop.tenth[0]);
  console.log(
    `  the replay loop alone grows ${g(loop)}× (its random reads of the cancel targets' ids); ` +
      `the sized engine net of it ${net(sized).toFixed(2)}×` +
      (old ? `, baseline ${net(old).toFixed(2)}×` : ""),
  );
  // What depth adds, in ns per operation, and the first tenth 1.5x would need with that.
  const add = (x: Tenths) => nsPerOp(x.tenth[9] - x.tenth[0]);
  console.log(
    `  from the first tenth to the last, the sized engine adds ${add(sized).toFixed(0)} ns per ` +
      `operation; the loop with the engine's memory traffic alone (the same loads and stores at ` +
      `the same slots, recorded, no logic) adds ${add(traffic).toFixed(0)} ns, with one ` +
      `24-byte record per order ${add(aos).toFixed(0)} ns (the loop alone ${add(loop).toFixed(0)}` +
      `): at 1.5× the first tenth would have to cost ≥ twice that, ` +
      `${(2 * Math.min(add(traffic), add(aos))).toFixed(0)} ns (the sized ` +
      `engine's first tenth: ${nsPerOp(sized.tenth[0]).toFixed(0)} ns)`,
  );
}

// ---------------------------------------------------------------- queries

{
  // The crossing stream's book at its end, queried after each of its operations.
  const book = bookOf(OrderBook)() as OrderBook;
  const ids = new Float64Array(N);
  runEngine(crossing, book, ids, 0, N);
  const M = QUICK ? 1_000_000 : 5_000_000;
  const checked = () => {
    let x = 0;
    for (let i = 0; i < M; i++) {
      const side = (i & 1) as Side;
      const b = book.best(side);
      x += b + book.depthAt(side, b) + book.ordersAt(side, b - 1 + 2 * side) +
        book.ownerResting(i & 3, side);
    }
    return x;
  };
  // The same reads on the book's arrays, without any check (its internals, for the comparison).
  const raw = book as unknown as {
    bestIdx: Int32Array;
    levelQty: Float64Array;
    lv: Int32Array;
    ownerQty: Float64Array;
    nLevels: number;
  };
  const unchecked = () => {
    const { bestIdx, levelQty, lv, ownerQty, nLevels } = raw;
    const min = book.minTick, max = book.maxTick;
    let x = 0;
    for (let i = 0; i < M; i++) {
      const side = i & 1;
      const bi = bestIdx[side];
      const b = bi === -1 ? -1 : bi + min;
      const base = side * nLevels;
      const p2 = b - 1 + 2 * side;
      x += b + (b >= min && b <= max ? levelQty[base + b - min] : 0) +
        (p2 >= min && p2 <= max ? lv[((base + p2 - min) << 2) + 2] : 0) +
        ownerQty[2 * (i & 3) + side];
    }
    return x;
  };
  // The baseline's methods (no side or owner checks) on the same book, if given.
  let oldBook: OrderBook | null = null;
  if (base) {
    oldBook = bookOf(base.OrderBook)() as OrderBook;
    runEngine(crossing, oldBook, new Float64Array(N), 0, N);
  }
  const checkedOld = () => {
    const b0 = oldBook!;
    let x = 0;
    for (let i = 0; i < M; i++) {
      const side = (i & 1) as Side;
      const b = b0.best(side);
      x += b + b0.depthAt(side, b) + b0.ordersAt(side, b - 1 + 2 * side) +
        b0.ownerResting(i & 3, side);
    }
    return x;
  };
  let xc = 0, xu = 0, xo = 0;
  const qcases = [() => (xc = checked()), () => (xu = unchecked())];
  if (oldBook) qcases.push(() => (xo = checkedOld()));
  const [tc, tu, to] = interleave(qcases, RUNS);
  const c = median(tc.cpu), u = median(tu.cpu);
  const paired = median(tc.cpu.map((x, k) => x / tu.cpu[k]));
  console.log(
    `\nqueries: ${int(M)} mixes of 4 read-only queries (best, depthAt, ordersAt, ownerResting; ` +
      `sides alternating) on the crossing stream's book`,
  );
  console.log(
    `  through the checked methods ${(c * 1e6 / M).toFixed(1)} ns per mix, the same reads ` +
      `unchecked ${(u * 1e6 / M).toFixed(1)} ns (checked / unchecked ${paired.toFixed(2)}× ` +
      `paired); same results: ${xc === xu ? "yes" : "NO"}`,
  );
  if (to) {
    console.log(
      `  the baseline's methods (no side or owner checks) ${
        (median(to.cpu) * 1e6 / M).toFixed(1)
      } ns per mix (now / baseline ${median(tc.cpu.map((x, k) => x / to.cpu[k])).toFixed(2)}× ` +
        `paired); same results: ${xo === xc ? "yes" : "NO"}`,
    );
    ok &&= xo === xc;
  }
  ok &&= xc === xu;
}

if (!ok) {
  console.error("traded volumes or query results differ");
  Deno.exit(1);
}
