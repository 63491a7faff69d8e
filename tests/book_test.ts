import { assertEquals, assertThrows } from "./_assert.ts";
import fc from "fast-check";
import {
  ASK,
  BID,
  BookError,
  BookSnapshot,
  MAX_QTY,
  NONE,
  OrderBook,
  type Side,
} from "../lib/book/mod.ts";
import { GEN_MAX, SLOT_MASK, SLOT_SPACE } from "../lib/book/_layout.ts";

const mk = () => new OrderBook({ minTick: 90, maxTick: 110, capacity: 2 });

function fillsOf(b: OrderBook) {
  const f = b.fills;
  return Array.from({ length: f.count }, (_, k) => ({
    id: f.makerId[k],
    owner: f.makerOwner[k],
    taker: f.takerOwner[k],
    price: f.price[k],
    qty: f.qty[k],
    left: f.makerRemaining[k],
  }));
}

Deno.test("price-time priority: better price first, then arrival order", () => {
  const b = mk();
  const a1 = b.limit(BID, 100, 10, 1);
  const a2 = b.limit(BID, 101, 10, 2);
  const a3 = b.limit(BID, 100, 10, 3);
  assertEquals(b.bestBid(), 101);
  b.market(ASK, 25, 9);
  assertEquals(fillsOf(b), [
    { id: a2, owner: 2, taker: 9, price: 101, qty: 10, left: 0 },
    { id: a1, owner: 1, taker: 9, price: 100, qty: 10, left: 0 },
    { id: a3, owner: 3, taker: 9, price: 100, qty: 5, left: 5 },
  ]);
  assertEquals(b.lastFilled, 25);
  assertEquals(b.orderQty(a3), 5);
});

Deno.test("fills happen at the resting price; limit remainder rests", () => {
  const b = mk();
  b.limit(ASK, 103, 5, 1);
  b.limit(ASK, 104, 5, 2);
  const id = b.limit(BID, 105, 12, 3); // crosses both ask levels, rests 2 at 105
  assertEquals(fillsOf(b).map((f) => [f.price, f.qty]), [[103, 5], [104, 5]]);
  assertEquals(b.orderQty(id), 2);
  assertEquals(b.bestBid(), 105);
  assertEquals(b.bestAsk(), NONE);
});

Deno.test("a fully filled limit order returns NONE and rests nothing", () => {
  const b = mk();
  b.limit(ASK, 100, 10, 1);
  assertEquals(b.limit(BID, 100, 10, 2), NONE);
  assertEquals(b.size, 0);
  assertEquals(b.bestAsk(), NONE);
});

Deno.test("market order walks the book and stops when the side is empty", () => {
  const b = mk();
  b.limit(BID, 100, 3, 1);
  b.limit(BID, 95, 4, 1);
  assertEquals(b.market(ASK, 50, 2), 7);
  assertEquals(b.bestBid(), NONE);
  assertEquals(b.market(ASK, 5, 2), 0);
  assertEquals(b.fills.count, 0);
});

Deno.test("ioc sell with a price floor never trades below the floor and never rests", () => {
  const b = mk();
  b.limit(BID, 100, 5, 1);
  b.limit(BID, 99, 5, 1);
  b.limit(BID, 98, 5, 1);
  assertEquals(b.ioc(ASK, 99, 100, 2), 10);
  assertEquals(b.bestBid(), 98);
  assertEquals(b.bestAsk(), NONE);
  assertEquals(b.ioc(ASK, 99, 10, 2), 0);
});

Deno.test("cancel removes an order and updates the best price", () => {
  const b = mk();
  const a = b.limit(BID, 101, 5, 1);
  b.limit(BID, 99, 5, 1);
  assertEquals(b.cancel(a), 5);
  assertEquals(b.bestBid(), 99);
  assertEquals(b.isLive(a), false);
  assertThrows(() => b.cancel(a), BookError, "no live order");
});

Deno.test("a reused slot does not revive an old id", () => {
  const b = mk();
  const a = b.limit(BID, 100, 5, 1);
  b.cancel(a);
  const c = b.limit(BID, 100, 5, 1);
  assertEquals(a !== c, true);
  assertEquals(b.isLive(a), false);
  assertThrows(() => b.cancel(a), BookError);
  assertEquals(b.isLive(c), true);
});

Deno.test("reducing keeps queue priority; increasing or re-pricing goes to the back", () => {
  const b = mk();
  const a = b.limit(BID, 100, 10, 1);
  const c = b.limit(BID, 100, 10, 2);
  assertEquals(b.modify(a, 100, 4), a);
  assertEquals(b.queueAhead(c), 4);
  b.reduce(a, 1);
  assertEquals(b.orderQty(a), 3);
  assertEquals(b.queueAhead(c), 3);
  assertEquals(b.modify(a, 100, 8), a); // increase: back of the queue
  assertEquals(b.queueAhead(a), 10);
  assertEquals(b.queueAhead(c), 0);
  assertEquals(b.modify(c, 99, 10), c); // re-price down
  assertEquals(b.modify(c, 100, 10), c); // and back: behind a
  assertEquals(b.queueAhead(c), 8);
});

Deno.test("a re-price that crosses trades first, like a new limit order", () => {
  const b = mk();
  b.limit(ASK, 102, 5, 1);
  const a = b.limit(BID, 100, 8, 2);
  assertEquals(b.modify(a, 102, 8), a);
  assertEquals(fillsOf(b).map((f) => [f.price, f.qty, f.taker]), [[102, 5, 2]]);
  assertEquals(b.orderQty(a), 3);
  const c = b.limit(BID, 99, 2, 3);
  b.limit(ASK, 104, 2, 4);
  assertEquals(b.modify(c, 104, 2), NONE); // filled in full
  assertEquals(b.isLive(c), false);
});

Deno.test("queries: levels, depth, queue position, per-owner totals", () => {
  const b = mk();
  b.limit(BID, 100, 10, 1);
  b.limit(BID, 100, 7, 2);
  const x = b.limit(BID, 100, 3, 1);
  b.limit(BID, 97, 1, 2);
  b.limit(ASK, 104, 6, 3);
  b.limit(ASK, 108, 2, 3);
  const p = new Int32Array(5), q = new Float64Array(5);
  assertEquals(b.levels(BID, 5, p, q), 2);
  assertEquals([...p.slice(0, 2)], [100, 97]);
  assertEquals([...q.slice(0, 2)], [20, 1]);
  assertEquals(b.levels(ASK, 1, p, q), 1);
  assertEquals([p[0], q[0]], [104, 6]);
  assertEquals(b.depthAt(BID, 100), 20);
  assertEquals(b.depthAt(BID, 1000), 0);
  assertEquals(b.ordersAt(BID, 100), 3);
  assertEquals(b.depthWithin(BID, 3), 21);
  assertEquals(b.depthWithin(BID, 2), 20);
  assertEquals(b.queueAhead(x), 17);
  assertEquals(b.ownerResting(1, BID), 13);
  assertEquals(b.ownerResting(2, BID), 8);
  assertEquals(b.ownerResting(3, ASK), 8);
  assertEquals(b.ownerResting(3, BID), 0);
  assertEquals(b.ownerResting(60000, BID), 0);
});

Deno.test("clear empties the book, kills every old id and leaves a working book", () => {
  const b = mk();
  const ids = [b.limit(BID, 100, 5, 1), b.limit(BID, 95, 5, 2), b.limit(ASK, 104, 5, 3)];
  b.cancel(ids[1]); // a freed slot, then cleared
  b.market(ASK, 2, 9);
  b.clear();
  assertEquals([b.bestBid(), b.bestAsk(), b.size, b.fills.count], [NONE, NONE, 0, 0]);
  assertEquals(b.stats(), { restedIn: 0, makerFilled: 0, cancelled: 0, resting: 0 });
  assertEquals(b.ownerResting(1, BID), 0);
  for (const id of ids) assertEquals(b.isLive(id), false);
  const again = [b.limit(BID, 99, 3, 1), b.limit(BID, 99, 4, 2), b.limit(BID, 98, 1, 1)];
  for (const id of again) assertEquals(ids.includes(id), false);
  assertEquals([b.bestBid(), b.depthAt(BID, 99), b.queueAhead(again[1])], [99, 7, 3]);
  assertEquals(b.market(ASK, 10, 9), 8);
  assertEquals(b.bestBid(), NONE);
});

Deno.test("restore lays a snapshot's market again: the same ids as entering it again", () => {
  const orders: [Side, number, number, number][] = [
    [BID, 99, 5, 1],
    [BID, 98, 7, 2],
    [BID, 99, 3, 3],
    [ASK, 102, 4, 1],
    [ASK, 104, 6, 2],
  ];
  const a = mk(), b = mk();
  for (const [s, p, q, o] of orders) a.limit(s, p, q, o);
  const snap = a.snapshot();
  assertEquals(snap.size, 5);
  b.limit(BID, 100, 1, 4); // b has a history: used slots, totals
  b.market(ASK, 1, 9);
  for (const book of [a, b]) book.clear();
  const entered = orders.map(([s, p, q, o]) => a.limit(s, p, q, o));
  const ids = new Float64Array(5);
  b.restore(snap, ids);
  // a's second market entered order by order, b's restored: the same ids (each book's slots
  // have the same generations here), queues, totals and state.
  const c = mk();
  c.limit(BID, 100, 1, 4);
  c.market(ASK, 1, 9);
  c.clear();
  assertEquals(Array.from(ids), orders.map(([s, p, q, o]) => c.limit(s, p, q, o)));
  assertEquals(entered.map((id) => id & SLOT_MASK), Array.from(ids, (id) => id & SLOT_MASK));
  for (const book of [a, b]) {
    assertEquals([book.bestBid(), book.bestAsk(), book.size], [99, 102, 5]);
    assertEquals(book.stats(), { restedIn: 25, makerFilled: 0, cancelled: 0, resting: 25 });
    assertEquals([book.ownerResting(1, BID), book.ownerResting(2, ASK)], [5, 6]);
    assertEquals([book.fills.count, book.lastFilled], [0, 0]);
  }
  assertEquals(b.queueAhead(ids[2]), 5);
  assertEquals(b.market(ASK, 9, 9), 9);
  assertEquals(fillsOf(b).map((f) => [f.owner, f.price, f.qty]), [[1, 99, 5], [3, 99, 3], [
    2,
    98,
    1,
  ]]);
  // Errors: a book with orders, another ladder, a short ids array.
  assertThrows(() => b.restore(snap), BookError, "restore: the book must be empty");
  const other = new OrderBook({ minTick: 90, maxTick: 111 });
  assertThrows(() => other.restore(snap), BookError, "snapshot:");
  assertThrows(() => other.restore({} as BookSnapshot), BookError, "snapshot:");
  assertThrows(() => c.restore(snap, new Float64Array(2)), BookError, "ids:");
});

Deno.test("property: a restored snapshot is the same book, queue by queue, and trades alike", () => {
  const p = fc.record({ side, price, qty, owner, dp: fc.integer({ min: -2, max: 2 }) });
  fc.assert(
    fc.property(fc.array(p, { maxLength: 60 }), fc.array(p, { maxLength: 30 }), (ops, after) => {
      // A book with holes and re-queued orders: limits, every third order re-priced or grown.
      const a = mk();
      const ids: number[] = [];
      ops.forEach((o, k) => {
        const id = a.limit(o.side, o.price, o.qty, o.owner);
        if (id !== NONE) ids.push(id);
        const pick = ids[k % Math.max(1, ids.length)];
        if (k % 3 === 2 && pick !== undefined && a.isLive(pick)) {
          a.modify(pick, Math.min(110, Math.max(90, a.orderPrice(pick) + o.dp)), o.qty + 1);
        }
      });
      const snap = a.snapshot();
      const b = mk();
      b.limit(BID, 95, 3, 1); // another history, emptied
      b.market(ASK, 5, 2);
      const newIds = new Float64Array(snap.size);
      b.restore(snap, newIds);
      const queues = (book: OrderBook) => {
        const out: number[][] = [];
        for (const s of [BID, ASK] as Side[]) {
          for (let px = 90; px <= 110; px++) {
            const q: number[] = [s, px];
            book.forEachAt(s, px, (_id, o, n) => q.push(o, n));
            if (q.length > 2) out.push(q);
          }
        }
        return out;
      };
      assertEquals(queues(b), queues(a));
      assertEquals([b.bestBid(), b.bestAsk(), b.size], [a.bestBid(), a.bestAsk(), a.size]);
      // A cleared book takes the snapshot's arrays as they are (restore's fast path): the same.
      const c = mk();
      c.limit(BID, 95, 3, 1);
      c.clear();
      const cIds = new Float64Array(snap.size);
      c.restore(snap, cIds);
      assertEquals(queues(c), queues(a));
      assertEquals([c.stats().resting, c.size], [a.stats().resting, a.size]);
      for (let j = 0; j < snap.size; j++) {
        assertEquals(c.queueAhead(cIds[j]), b.queueAhead(newIds[j]));
      }
      for (let o = 0; o <= 4; o++) {
        assertEquals(b.ownerResting(o, BID), a.ownerResting(o, BID));
        assertEquals(b.ownerResting(o, ASK), a.ownerResting(o, ASK));
      }
      for (let j = 0; j < snap.size; j++) {
        assertEquals(b.orderQty(newIds[j]), a.orderQty(snap.ids[j]));
        assertEquals(b.queueAhead(newIds[j]), a.queueAhead(snap.ids[j]));
      }
      // Then both trade alike.
      for (const o of after) {
        a.limit(o.side, o.price, o.qty, o.owner);
        b.limit(o.side, o.price, o.qty, o.owner);
        const f = (book: OrderBook) => fillsOf(book).map((x) => [x.owner, x.price, x.qty, x.left]);
        assertEquals(f(b), f(a));
      }
      assertEquals(queues(b), queues(a));
    }),
    { numRuns: 200 },
  );
});

Deno.test("insertFront seeds ahead of the queue and refuses to cross", () => {
  const b = mk();
  const a = b.limit(BID, 100, 5, 1);
  const s = b.insertFront(BID, 100, 9, 0);
  assertEquals(b.queueAhead(a), 9);
  assertEquals(b.queueAhead(s), 0);
  b.limit(ASK, 103, 1, 2);
  assertThrows(() => b.insertFront(BID, 103, 1, 0), BookError, "cross");
});

Deno.test("the constructor's options: unknown keys with a suggestion, no coercion", () => {
  const msg = (o: unknown) => assertThrows(() => new OrderBook(o as never), BookError).message;
  assertEquals(
    msg({ minTick: 0, maxTick: 10, capcity: 8 }),
    '"capcity": unknown option of OrderBook; did you mean "capacity"?',
  );
  assertEquals(
    msg({ minTick: 0, maxTick: 10, zz: 1 }),
    '"zz": unknown option of OrderBook; known: minTick, maxTick, capacity',
  );
  assertEquals(
    msg({ minTick: "0", maxTick: 10 }),
    'minTick: must be an integer in [0, 2147483647], got "0"',
  );
  assertEquals(msg(null), "options: must be an object {minTick, maxTick, capacity?}, got null");
});

Deno.test("bad input is rejected with the field named, and the book is unchanged", () => {
  const b = mk();
  const a = b.limit(BID, 100, 5, 1);
  const before = JSON.stringify([b.stats(), b.bestBid(), b.bestAsk(), b.size]);
  const bad: Array<[() => unknown, string]> = [
    [() => b.limit(BID, 100.5, 5, 1), "price"],
    [() => b.limit(BID, 89, 5, 1), "price"],
    [() => b.limit(BID, 111, 5, 1), "price"],
    [() => b.limit(BID, NaN, 5, 1), "price"],
    [() => b.limit(BID, 100, 0, 1), "qty"],
    [() => b.limit(BID, 100, -3, 1), "qty"],
    [() => b.limit(BID, 100, 2.5, 1), "qty"],
    [() => b.limit(BID, 100, NaN, 1), "qty"],
    [() => b.limit(BID, 100, MAX_QTY + 1, 1), "qty"],
    [() => b.limit(BID, 100, 5, -1), "owner"],
    [() => b.limit(2 as Side, 100, 5, 1), "side"],
    [() => b.market(ASK, 0, 1), "qty"],
    [() => b.ioc(ASK, 120, 5, 1), "price"],
    [() => b.cancel(12345), "id"],
    [() => b.cancel(-1), "id"],
    [() => b.cancel(1.5), "id"],
    [() => b.modify(a, 100, 0), "qty"],
    [() => b.modify(a, 200, 5), "price"],
    [() => b.modify(999, 100, 5), "id"],
    [() => b.reduce(a, 5), "by"],
    [() => b.reduce(a, 0), "by"],
    // Every argument of every operation, with values of the wrong type or just out of range
    // (the operations test them all in one condition and name the first bad one).
    ...([ASK, BID] as Side[]).flatMap((s) =>
      [
        [() => b.limit(s, "100" as never, 5, 1), "price"],
        [() => b.limit(s, 2 ** 31, 5, 1), "price"],
        [() => b.limit(s, 100, "5" as never, 1), "qty"],
        [() => b.limit(s, 100, 2 ** 32 + 5, 1), "qty"],
        [() => b.limit(s, 100, 5, "1" as never), "owner"],
        [() => b.limit(s, 100, 5, 0x10000), "owner"],
        [() => b.limit(s, 100, 5, 1.5), "owner"],
        [() => b.ioc(s, 100, null as never, 1), "qty"],
        [() => b.ioc(s, 100, 5, 0x10001), "owner"],
        [() => b.market(s, 5, -0.5), "owner"],
        [() => b.market(s, true as never, 1), "qty"],
        [() => b.insertFront(s, 100.5, 5, 1), "price"],
        [() => b.insertFront(s, 100, 5, 2 ** 16), "owner"],
      ] as Array<[() => unknown, string]>
    ),
    [() => b.limit("0" as never, 100, 5, 1), "side"],
    [() => b.ioc(0.5 as Side, 100, 5, 1), "side"],
    [() => b.market(null as never, 5, 1), "side"],
    [() => b.modify(a, "100" as never, 5), "price"],
    [() => b.modify(a, 100, 2 ** 31), "qty"],
  ];
  for (const [f, field] of bad) assertThrows(f, BookError, `${field}:`);
  assertEquals(JSON.stringify([b.stats(), b.bestBid(), b.bestAsk(), b.size]), before);
  assertEquals(b.orderQty(a), 5);
  assertThrows(() => new OrderBook({ minTick: -1, maxTick: 5 }), BookError, "minTick");
  assertThrows(() => new OrderBook({ minTick: 5, maxTick: 4 }), BookError, "maxTick");
});

Deno.test("read-only queries reject a bad side or owner like the operations do", () => {
  const b = mk();
  b.limit(BID, 100, 5, 1);
  b.limit(ASK, 104, 5, 2);
  const before = JSON.stringify([b.stats(), b.bestBid(), b.bestAsk(), b.size]);
  const p = new Int32Array(4), q = new Float64Array(4);
  const badSides: unknown[] = [2, -1, 0.5, NaN, "0", "1", null, undefined, true];
  for (const s of badSides) {
    const side = s as Side;
    const calls: Array<() => unknown> = [
      () => b.best(side),
      () => b.depthAt(side, 100),
      () => b.ordersAt(side, 100),
      () => b.levels(side, 2, p, q),
      () => b.depthWithin(side, 3),
      () => b.forEachAt(side, 100, () => {}),
      () => b.ownerResting(1, side),
    ];
    for (const f of calls) assertThrows(f, BookError, "side: must be BID (0) or ASK (1)");
  }
  for (const o of [-1, 1.5, NaN, 0x10000, "1", null]) {
    assertThrows(() => b.ownerResting(o as number, BID), BookError, "owner: must be an integer");
  }
  assertThrows(() => b.levels(BID, NaN, p, q), BookError, "n:");
  assertThrows(() => b.depthWithin(BID, -1), BookError, "ticks:");
  assertThrows(() => b.forEachAt(BID, 100, "f" as never), BookError, "fn:");
  assertEquals(JSON.stringify([b.stats(), b.bestBid(), b.bestAsk(), b.size]), before);
  // Valid owners without orders read 0; prices off the ladder read 0 (no error).
  assertEquals([b.ownerResting(0xffff, ASK), b.depthAt(BID, 5), b.ordersAt(ASK, 1e9)], [0, 0, 0]);
});

Deno.test("growing the last order of a level in place keeps the totals and the queue", () => {
  const b = mk();
  const a = b.limit(BID, 100, 5, 1);
  const c = b.limit(BID, 100, 7, 2);
  assertEquals(b.modify(c, 100, 10), c); // last: grows in place
  assertEquals([b.queueAhead(c), b.depthAt(BID, 100), b.ownerResting(2, BID)], [5, 15, 10]);
  assertEquals(b.modify(a, 100, 6), a); // not last: to the back
  assertEquals([b.queueAhead(a), b.queueAhead(c)], [10, 0]);
  assertEquals(b.stats(), {
    restedIn: 5 + 7 + 10 + 6,
    makerFilled: 0,
    cancelled: 5 + 7,
    resting: 16,
  });
  assertEquals(b.makerFilled, 0);
  b.market(ASK, 12, 9);
  assertEquals([b.makerFilled, b.stats().makerFilled], [12, 12]);
});

Deno.test("increase: back of the queue like modify to a larger quantity, in place when last", () => {
  const twin = () => {
    const b = mk();
    const ids = [b.limit(BID, 100, 5, 1), b.limit(BID, 100, 7, 2), b.limit(BID, 99, 3, 1)];
    return { b, ids };
  };
  const x = twin(), y = twin();
  assertEquals(x.b.increase(x.ids[0], 4), 9);
  assertEquals(y.b.modify(y.ids[0], 100, 9), y.ids[0]);
  assertEquals(x.b.increase(x.ids[0], 1), 10); // now last: grows in place
  y.b.modify(y.ids[0], 100, 10);
  for (const { b, ids } of [x, y]) {
    assertEquals([b.queueAhead(ids[0]), b.queueAhead(ids[1]), b.depthAt(BID, 100)], [7, 0, 17]);
    assertEquals(b.ownerResting(1, BID), 13);
    b.market(ASK, 8, 9);
  }
  assertEquals(fillsOf(x.b), fillsOf(y.b));
  assertEquals(x.b.stats(), y.b.stats());
  assertThrows(() => x.b.increase(x.ids[0], 0), BookError, "by:");
  assertThrows(() => x.b.increase(x.ids[0], MAX_QTY), BookError, "by:");
  assertThrows(() => x.b.increase(12345, 1), BookError, "id:");
});

Deno.test("a slot whose generation is spent is retired: an old id never comes back", () => {
  const b = mk();
  // Start slot 0 two generations before the last (tests reach the generations directly).
  const gen = b["oGen"] as Int32Array;
  gen[0] = 2 * (GEN_MAX - 1); // 2 · generation (+ 1 while live: see _layout.ts)
  const ids: number[] = [];
  for (let k = 0; k < 4; k++) {
    const id = b.limit(BID, 100, 5, 1);
    ids.push(id);
    b.cancel(id);
  }
  assertEquals(ids.map((id) => id & SLOT_MASK), [0, 0, 1, 1]); // slot 0 retired after GEN_MAX
  assertEquals(Math.floor(ids[1] / SLOT_SPACE), GEN_MAX);
  assertEquals(b.retired, 1);
  assertEquals(new Set(ids).size, ids.length);
  for (const id of ids) assertEquals(Number.isSafeInteger(id) && !b.isLive(id), true);
  // clear() retires a spent slot too, and never hands a retired one out again.
  gen[1] = 2 * GEN_MAX; // free
  b.clear();
  assertEquals(b.retired, 2);
  const next = [b.limit(BID, 100, 1, 1), b.limit(BID, 99, 1, 1)];
  assertEquals(next.map((id) => id & SLOT_MASK), [2, 3]);
  for (const id of ids) assertEquals(b.isLive(id), false);
  assertEquals(b.size, 2);
});

Deno.test("the fill log grows without losing fills", () => {
  const b = new OrderBook({ minTick: 0, maxTick: 1000 });
  for (let i = 0; i < 300; i++) b.limit(BID, 500 + (i % 7), 1, i % 5);
  assertEquals(b.market(ASK, 1000, 9), 300);
  assertEquals(b.fills.count, 300);
  let sum = 0;
  for (let k = 0; k < 300; k++) sum += b.fills.qty[k];
  assertEquals(sum, 300);
  assertEquals(b.fills.price[0], 506);
  assertEquals(b.fills.price[299], 500);
});

Deno.test("best-price search spans bitmap words at the ladder's edges", () => {
  const b = new OrderBook({ minTick: 0, maxTick: 200 });
  b.limit(BID, 0, 1, 1);
  b.limit(BID, 200, 1, 1);
  b.limit(ASK, 200, 1, 1); // crosses 200 bid
  assertEquals(b.bestBid(), 0);
  b.limit(ASK, 199, 1, 1);
  b.limit(ASK, 64, 1, 1);
  assertEquals(b.bestAsk(), 64);
  b.market(BID, 1, 2);
  assertEquals(b.bestAsk(), 199);
  b.market(BID, 1, 2);
  assertEquals(b.bestAsk(), NONE);
  b.market(ASK, 1, 2);
  assertEquals(b.bestBid(), NONE);
});

// ------------------------------------------------------------------ property tests

/** A deliberately naive reference book: arrays of orders, scanned in full. */
class NaiveBook {
  orders: { id: number; side: Side; price: number; qty: number; owner: number; seq: number }[] = [];
  seq = 0;
  best(side: Side) {
    const ps = this.orders.filter((o) => o.side === side).map((o) => o.price);
    return ps.length === 0 ? NONE : side === BID ? Math.max(...ps) : Math.min(...ps);
  }
  queue(side: Side) {
    return this.orders.filter((o) => o.side === side).sort((a, b) =>
      (side === BID ? b.price - a.price : a.price - b.price) || a.seq - b.seq
    );
  }
  match(side: Side, limit: number, qty: number) {
    const fills: [number, number, number][] = [];
    for (const o of this.queue((1 - side) as Side)) {
      if (qty === 0 || (side === BID ? o.price > limit : o.price < limit)) break;
      const t = Math.min(o.qty, qty);
      o.qty -= t;
      qty -= t;
      fills.push([o.id, o.price, t]);
    }
    this.orders = this.orders.filter((o) => o.qty > 0);
    return { fills, rem: qty };
  }
}

type Op =
  | { kind: "limit"; side: Side; price: number; qty: number; owner: number }
  | { kind: "market"; side: Side; qty: number; owner: number }
  | { kind: "ioc"; side: Side; price: number; qty: number; owner: number }
  | { kind: "cancel"; pick: number }
  | { kind: "modify"; pick: number; dp: number; qty: number }
  | { kind: "clear" };

const side = fc.constantFrom<Side>(BID, ASK);
const price = fc.integer({ min: 90, max: 110 });
const qty = fc.integer({ min: 1, max: 20 });
const owner = fc.integer({ min: 0, max: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("limit" as const), side, price, qty, owner }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("market" as const), side, qty, owner }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("ioc" as const), side, price, qty, owner }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(1000) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("modify" as const),
      pick: fc.nat(1000),
      dp: fc.integer({ min: -3, max: 3 }),
      qty,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

Deno.test("property: the engine matches a naive reference book and keeps its invariants", () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const b = mk();
      const ref = new NaiveBook();
      const live: number[] = [];
      let submitted = 0, filledAsMaker = 0, cancelled = 0;
      for (const o of ops) {
        let got: [number, number, number][] = [];
        let want: [number, number, number][] = [];
        switch (o.kind) {
          case "limit": {
            const r = ref.match(o.side, o.price, o.qty);
            want = r.fills;
            const id = b.limit(o.side, o.price, o.qty, o.owner);
            got = fillsOf(b).map((f) => [f.id, f.price, f.qty]);
            if (r.rem > 0) {
              ref.orders.push({
                id,
                side: o.side,
                price: o.price,
                qty: r.rem,
                owner: o.owner,
                seq: ref.seq++,
              });
              live.push(id);
              submitted += r.rem;
            } else if (id !== NONE) throw new Error("rested although filled");
            break;
          }
          case "market":
          case "ioc": {
            const limit = o.kind === "ioc" ? o.price : o.side === BID ? 110 : 90;
            const r = ref.match(o.side, limit, o.qty);
            want = r.fills;
            const n = o.kind === "ioc"
              ? b.ioc(o.side, o.price, o.qty, o.owner)
              : b.market(o.side, o.qty, o.owner);
            got = fillsOf(b).map((f) => [f.id, f.price, f.qty]);
            assertEquals(n, o.qty - r.rem);
            break;
          }
          case "cancel": {
            const alive = live.filter((id) => b.isLive(id));
            if (alive.length === 0) continue;
            const id = alive[o.pick % alive.length];
            const ro = ref.orders.find((x) => x.id === id)!;
            assertEquals(b.cancel(id), ro.qty);
            cancelled += ro.qty;
            ref.orders = ref.orders.filter((x) => x.id !== id);
            break;
          }
          case "clear": {
            b.clear();
            for (const id of live) assertEquals(b.isLive(id), false);
            live.length = 0;
            ref.orders = [];
            submitted = filledAsMaker = cancelled = 0;
            break;
          }
          case "modify": {
            const alive = live.filter((id) => b.isLive(id));
            if (alive.length === 0) continue;
            const id = alive[o.pick % alive.length];
            const ro = ref.orders.find((x) => x.id === id)!;
            const np = Math.min(110, Math.max(90, ro.price + o.dp));
            if (np === ro.price && o.qty <= ro.qty) {
              cancelled += ro.qty - o.qty;
              ro.qty = o.qty;
            } else {
              cancelled += ro.qty;
              ref.orders = ref.orders.filter((x) => x.id !== id);
              const r = ref.match(ro.side, np, o.qty);
              want = r.fills;
              if (r.rem > 0) {
                ref.orders.push({ ...ro, price: np, qty: r.rem, seq: ref.seq++ });
                submitted += r.rem;
              }
            }
            b.modify(id, np, o.qty);
            got = fillsOf(b).map((f) => [f.id, f.price, f.qty]);
            break;
          }
        }
        assertEquals(got, want);
        for (const [, , q] of want) filledAsMaker += q;
        // Invariants after every operation.
        const bb = b.bestBid(), ba = b.bestAsk();
        assertEquals(bb, ref.best(BID));
        assertEquals(ba, ref.best(ASK));
        if (bb !== NONE && ba !== NONE && bb >= ba) throw new Error("book crossed at rest");
        const s = b.stats();
        const resting = ref.orders.reduce((a, x) => a + x.qty, 0);
        assertEquals(s.resting, resting);
        assertEquals(s.restedIn, submitted);
        assertEquals(s.makerFilled, filledAsMaker);
        assertEquals(s.cancelled, cancelled);
        assertEquals(submitted, resting + filledAsMaker + cancelled);
        for (let w = 0; w <= 4; w++) {
          for (const sd of [BID, ASK] as Side[]) {
            const want = ref.orders.filter((x) => x.owner === w && x.side === sd)
              .reduce((a, x) => a + x.qty, 0);
            assertEquals(b.ownerResting(w, sd), want);
          }
        }
        // FIFO within each level: the engine's queue order equals the reference's.
        for (const sd of [BID, ASK] as Side[]) {
          for (let p = 90; p <= 110; p++) {
            const ids: number[] = [];
            b.forEachAt(sd, p, (id) => ids.push(id));
            const want = ref.queue(sd).filter((x) => x.price === p).map((x) => x.id);
            assertEquals(ids, want);
          }
        }
      }
      assertEquals(b.size, ref.orders.length);
    }),
    { numRuns: 300, seed: 20261121 },
  );
});

Deno.test("property: a side's version changes whenever its levels' quantities do", () => {
  // Every mutating method, on random books: wherever `version(side)` stayed the same across an
  // operation, the side's levels (prices and total quantities) must be the same too.
  const any = fc.oneof(
    op,
    fc.record({
      kind: fc.constantFrom("reduce" as const, "increase" as const),
      pick: fc.nat(1000),
      qty,
    }),
    fc.record({ kind: fc.constant("front" as const), side, price, qty, owner }),
    fc.constant({ kind: "restore" as const }),
  );
  fc.assert(
    fc.property(fc.array(any, { maxLength: 150 }), (ops) => {
      const b = mk();
      const live: number[] = [];
      const view = (sd: Side) => {
        const p: number[] = [], q: number[] = [];
        const n = b.levels(sd, 21, p, q);
        return [p.slice(0, n), q.slice(0, n)];
      };
      for (const o of ops) {
        const before = [BID, ASK].map((sd) => [b.version(sd as Side), view(sd as Side)] as const);
        const alive = live.filter((id) => b.isLive(id));
        const target = "pick" in o && alive.length > 0 ? alive[o.pick % alive.length] : NONE;
        switch (o.kind) {
          case "limit":
            live.push(b.limit(o.side, o.price, o.qty, o.owner));
            break;
          case "front":
            if (b.best((1 - o.side) as Side) === NONE) {
              live.push(b.insertFront(o.side, o.price, o.qty, o.owner));
            }
            break;
          case "market":
            b.market(o.side, o.qty, o.owner);
            break;
          case "ioc":
            b.ioc(o.side, o.price, o.qty, o.owner);
            break;
          case "cancel":
            if (target !== NONE) b.cancel(target);
            break;
          case "modify":
            if (target !== NONE) {
              const np = Math.min(110, Math.max(90, b.orderPrice(target) + o.dp));
              b.modify(target, np, o.qty);
            }
            break;
          case "reduce":
            if (target !== NONE && b.orderQty(target) > 1) {
              b.reduce(target, Math.min(o.qty, b.orderQty(target) - 1));
            }
            break;
          case "increase":
            if (target !== NONE) b.increase(target, o.qty);
            break;
          case "clear":
            b.clear();
            break;
          case "restore": {
            const snap = b.snapshot();
            b.clear();
            b.restore(snap);
            live.length = 0;
            break;
          }
        }
        for (const [sd, [v, levels]] of before.entries()) {
          if (b.version(sd as Side) === v) assertEquals(view(sd as Side), levels, o.kind);
        }
      }
    }),
    { numRuns: 300, seed: 20261206 },
  );
});
