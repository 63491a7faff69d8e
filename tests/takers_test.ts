import pl from "nodejs-polars";
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ASK, BID, NONE, OrderBook } from "../lib/book/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { BACKGROUND } from "../lib/market/owners.ts";
import { stream } from "../lib/rng.ts";
import {
  acHoldings,
  acKappa,
  aggressive,
  almgrenChriss,
  createTaker,
  passive,
  reactive,
  type TakerSpec,
  type TakerStrategy,
  type TakerView,
} from "../lib/takers/mod.ts";
import { createGame, episodeFrame } from "../lib/game/mod.ts";

const P0 = 1_000;

/** A book with `qty` at each of the 50 levels below P0 and an ask at P0 + 1. */
function deepBook(qty: number): OrderBook {
  const b = new OrderBook({ minTick: 0, maxTick: 2 * P0 });
  for (let d = 1; d <= 50; d++) b.limit(BID, P0 - d, qty, BACKGROUND);
  b.limit(ASK, P0 + 1, 100, BACKGROUND);
  return b;
}

function view(book: OrderBook, size: number, steps: number): TakerView {
  return {
    t: 0,
    steps,
    stepsLeft: steps,
    p0: P0,
    size,
    executed: 0,
    remaining: size,
    bestBid: book.bestBid(),
    bestAsk: book.bestAsk(),
    lastQty: 0,
    lastFilled: 0,
    book,
  };
}

/**
 * Runs a strategy for `steps` steps where every child fills in full (a frictionless market):
 * returns the child quantities and floors.
 */
function schedule(s: TakerStrategy, size: number, steps: number) {
  const book = deepBook(1e6);
  const v = view(book, size, steps);
  s.reset?.(v);
  const qty: number[] = [], floor: number[] = [];
  const order = { qty: 0, floor: NONE };
  for (let t = 0; t < steps; t++) {
    v.t = t;
    v.stepsLeft = steps - t;
    order.qty = 0;
    order.floor = NONE;
    s.decide(v, order);
    qty.push(order.qty);
    floor.push(order.floor);
    v.executed += order.qty;
    v.remaining = size - v.executed;
    v.lastQty = v.lastFilled = order.qty;
  }
  return { qty, floor };
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

Deno.test("aggressive: geometric front-loading, everything by the deadline, market by default", () => {
  const { qty, floor } = schedule(aggressive(), 8_000, 60);
  assertEquals(qty[0], 2_000);
  assertEquals(qty[1], 1_500);
  for (let t = 1; t < 60; t++) assertTrue(qty[t] <= qty[t - 1], `non-increasing at ${t}`);
  assertTrue(sum(qty.slice(0, 8)) >= 0.9 * 8_000, "90% within 8 steps");
  assertEquals(sum(qty), 8_000);
  assertTrue(floor.every((f) => f === NONE));
  const walk = schedule(aggressive({ rate: 0.5, maxWalk: 3 }), 1_000, 10);
  assertEquals(walk.qty[0], 500);
  assertEquals(walk.floor[0], P0 - 1 - 3);
});

Deno.test("passive: even TWAP slices, floor maxWalk below the best bid, retries shortfalls", () => {
  const { qty, floor } = schedule(passive({ maxWalk: 2 }), 8_000, 60);
  for (const q of qty) assertTrue(q === 133 || q === 134, `slice ${q}`);
  assertEquals(sum(qty), 8_000);
  assertTrue(floor.every((f) => f === P0 - 1 - 2));
  // A child that filled nothing is retried at the next step.
  const s = passive();
  const book = deepBook(100);
  const v = view(book, 600, 6);
  const order = { qty: 0, floor: NONE };
  s.decide(v, order);
  assertEquals(order.qty, 100);
  v.t = 1;
  v.stepsLeft = 5;
  s.decide(v, order); // nothing executed at t = 0
  assertEquals(order.qty, 200);
  const abs = schedule(passive({ maxWalk: 5, floorTicks: 2 }), 100, 4);
  assertEquals(abs.floor[0], P0 - 2, "the absolute floor binds above bestBid − maxWalk");
});

Deno.test("reactive: speeds up with depth near P0, slows when thin or depressed, catches up", () => {
  const s = reactive({ near: 2, depressed: 4, slow: 0.25, boost: 2, catchUp: 5, maxWalk: 1 });
  const book = deepBook(100);
  const v = view(book, 6_000, 60);
  s.reset!(v); // reference depth near P0: 2 levels × 100
  const order = { qty: 0, floor: NONE };
  s.decide(v, order);
  assertEquals(order.qty, 100, "even pace at the reference depth: 6000 / 60");
  assertEquals(order.floor, P0 - 2);
  book.limit(BID, P0 - 1, 200, 3); // bids replenished near P0: depth ×2
  s.decide(v, order);
  assertEquals(order.qty, 200, "boosted ×2");
  book.market(ASK, 450, 2); // thin: eats P0−1 (300) and P0−2 (100): nothing left near P0
  v.bestBid = book.bestBid();
  s.decide(v, order);
  assertEquals(order.qty, 25, "slowed to the lowest multiplier, 0.25");
  // Depressed price: no bid within 4 ticks → capped at slow even if deep further down.
  const deep = new OrderBook({ minTick: 0, maxTick: 2 * P0 });
  deep.limit(BID, P0 - 1, 100, BACKGROUND);
  deep.limit(BID, P0 - 2, 100, BACKGROUND);
  const s2 = reactive({ near: 2, depressed: 4 });
  const v2 = view(deep, 6_000, 60);
  s2.reset!(v2);
  deep.market(ASK, 200, 2);
  deep.limit(BID, P0 - 4, 1_000, BACKGROUND);
  v2.bestBid = deep.bestBid();
  s2.decide(v2, order);
  assertEquals(order.qty, 25);
  // Catch-up: in the last 5 steps at least the even pace, at market; the last step sells all.
  v.t = 56;
  v.stepsLeft = 4;
  v.remaining = 4_000;
  s.decide(v, order);
  assertEquals(order.qty, 1_000);
  assertEquals(order.floor, NONE);
  v.t = 59;
  v.stepsLeft = 1;
  s.decide(v, order);
  assertEquals(order.qty, 4_000);
  // Frictionless run: sells everything.
  assertEquals(sum(schedule(reactive(), 8_000, 60).qty), 8_000);
});

Deno.test("Almgren–Chriss: λ = 0 is TWAP, larger λ front-loads, holdings match sinh", () => {
  const twap = schedule(almgrenChriss({ riskAversion: 0 }), 8_000, 60).qty;
  assertEquals(twap, schedule(passive(), 8_000, 60).qty);
  const mid = schedule(almgrenChriss({ riskAversion: 1e-5 }), 8_000, 60).qty;
  const high = schedule(almgrenChriss({ riskAversion: 1e-3 }), 8_000, 60).qty;
  for (const q of [mid, high]) {
    assertEquals(sum(q), 8_000);
    for (let t = 1; t < 60; t++) assertTrue(q[t] <= q[t - 1] + 1, `decreasing (±rounding) at ${t}`);
  }
  assertTrue(twap[0] < mid[0] && mid[0] < high[0], "first child grows with λ");
  assertTrue(sum(high.slice(0, 10)) > 0.8 * 8_000, "high λ sells most early");
  const kappa = acKappa({ riskAversion: 1e-5, volatility: 1, impact: 0.01 });
  assertAlmostEquals(kappa, Math.acosh(1 + 1e-5 / 0.02), 1e-15);
  const x = acHoldings({ size: 8_000, steps: 60, kappa });
  for (let j = 0; j <= 60; j++) {
    const direct = (8_000 * Math.sinh(kappa * (60 - j))) / Math.sinh(kappa * 60);
    assertAlmostEquals(x[j], direct, 1e-6);
  }
  const huge = acHoldings({ size: 100, steps: 60, kappa: 50 });
  assertTrue(huge.every(Number.isFinite) && huge[0] === 100 && huge[1] < 1e-10, "no overflow");
});

Deno.test("taker options are validated field by field", () => {
  const cases: [() => unknown, string][] = [
    [() => aggressive({ rate: 0 }), "taker.rate: must be a number in (0, 1]"],
    [() => aggressive({ rate: 1.5 }), "taker.rate"],
    [() => aggressive({ maxWalk: -1 }), "taker.maxWalk: must be null or an integer"],
    [() => passive({ maxWalk: 1.5 }), "taker.maxWalk: must be an integer"],
    [() => passive({ floorTicks: "x" as unknown as number }), "taker.floorTicks"],
    [() => reactive({ near: -1 }), "taker.near"],
    [() => reactive({ slow: 0 }), "taker.slow"],
    [() => reactive({ boost: 0.5 }), "taker.boost"],
    [() => reactive({ catchUp: 1.5 }), "taker.catchUp"],
    [() => almgrenChriss({ riskAversion: -1 }), "taker.riskAversion"],
    [() => almgrenChriss({ volatility: 0 }), "taker.volatility"],
    [() => almgrenChriss({ impact: NaN }), "taker.impact"],
    [
      () => passive({ maxwalk: 2 } as unknown as object),
      '"maxwalk": unknown option of taker; did you mean "maxWalk"?',
    ],
  ];
  for (const [f, msg] of cases) assertThrows(f, ConfigError, msg);
  const ctx = { rng: stream(0, "taker"), steps: 60, p0: P0 };
  assertThrows(
    () => createTaker({ kind: "twap" } as unknown as TakerSpec, ctx),
    ConfigError,
    'taker.kind: must be one of "aggressive", "passive", "reactive", "almgren-chriss", "custom", got "twap"',
  );
  assertThrows(
    () => createTaker({ kind: "custom" } as unknown as TakerSpec, ctx),
    ConfigError,
    "taker.create",
  );
});

Deno.test("schedules in the game: child orders as recorded in the frame", () => {
  // A very deep, fast background: every child fills, so the frame shows the schedules.
  const background = { totalDepth: 5_000_000, resilience: 1 };
  const pick = (taker: TakerSpec) => {
    const g = createGame({
      makers: 2,
      taker,
      background,
      record: true,
      seed: 1,
      arrival: { kind: "fixed" },
    });
    const s = g.run();
    assertEquals(s.executed, 8_000);
    assertEquals(s.sweepQty, 0, "every child filled: nothing left for the deadline sweep");
    const f = episodeFrame(g);
    const rows = f.filter(pl.col("agent").eq(pl.lit("taker")));
    assertEquals(rows.height, 60);
    return rows.getColumn("child_qty").toArray() as number[];
  };
  const agg = pick({ kind: "aggressive" });
  const pas = pick({ kind: "passive" });
  const ac = pick({ kind: "almgren-chriss", riskAversion: 1e-4 });
  assertEquals(agg[0], 2_000);
  assertTrue(pas.every((q) => q === 133 || q === 134));
  assertTrue(ac[0] > pas[0] && ac[59] < pas[59]);
  assertEquals(sum(agg), 8_000);
});
