import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ASK, BID, NONE, OrderBook, type Side } from "../lib/book/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { type Rng, stream } from "../lib/rng.ts";
import {
  BACKGROUND,
  type BackgroundOptions,
  bidProfile,
  createBackground,
  makerOwner,
  midPrice,
  NOISE,
  spread,
  TAKER,
  validateBackgroundOptions,
} from "../lib/market/mod.ts";
import { lobsterProfile } from "../lib/lobster/mod.ts";

const P0 = 10_000;

function setup(options: Partial<BackgroundOptions> = {}, rng: Rng = stream(1, "background")) {
  const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
  const bg = createBackground({ p0: P0, ...options }, rng);
  bg.init(book);
  return { book, bg };
}

/** Background quantity at `price` on `side`, read from the queue itself. */
function bgQty(book: OrderBook, side: Side, price: number): number {
  let q = 0;
  book.forEachAt(side, price, (_id, owner, qty) => {
    if (owner === BACKGROUND) q += qty;
  });
  return q;
}

/** `[owner, qty]` of each order at a level, front of the queue first. */
function queue(book: OrderBook, side: Side, price: number): [number, number][] {
  const out: [number, number][] = [];
  book.forEachAt(side, price, (_id, owner, qty) => out.push([owner, qty]));
  return out;
}

/** Every level of both sides, best first, as `price:qty` strings. */
function snapshot(book: OrderBook): string {
  const n = 200;
  const p = new Int32Array(n);
  const q = new Float64Array(n);
  const side = (s: Side) => {
    const k = book.levels(s, n, p, q);
    return Array.from({ length: k }, (_, i) => `${p[i]}:${q[i]}`).join(" ");
  };
  return `${side(BID)} | ${side(ASK)} | ${JSON.stringify(book.stats())}`;
}

/** The gap recurrence of `refill: "fraction"`: g ← g − ceil(ρ·g). */
const nextGap = (g: number, rho: number) => g - Math.ceil(rho * g - 1e-9);

// ------------------------------------------------------------------ quotes

Deno.test("quotes: mid and spread, NONE when a side is empty", () => {
  const book = new OrderBook({ minTick: 0, maxTick: 100 });
  assertEquals([midPrice(book), spread(book)], [NONE, NONE]);
  book.limit(BID, 40, 5, 0);
  assertEquals([midPrice(book), spread(book)], [NONE, NONE]);
  book.limit(ASK, 45, 5, 0);
  assertEquals([midPrice(book), spread(book)], [42.5, 5]);
  book.market(BID, 5, 1);
  assertEquals([midPrice(book), spread(book)], [NONE, NONE]);
});

// ------------------------------------------------------------------ init and profiles

Deno.test("init: the ladder matches the profile, asks flat, mid p0, spread 2", () => {
  const { book, bg } = setup();
  const o = bg.options;
  assertEquals([o.depthLevels, o.totalDepth, o.gap, o.spreadTicks], [50, 17_000, 1, 1]);
  assertEquals(bg.profile.length, 50);
  assertEquals(bg.profile.reduce((a, b) => a + b, 0), 17_000);
  for (let d = 0; d < 50; d++) {
    assertEquals(book.depthAt(BID, P0 - 1 - d), bg.profile[d], `bid level ${d}`);
    assertEquals(queue(book, BID, P0 - 1 - d), [[BACKGROUND, bg.profile[d]]]);
  }
  assertEquals(book.depthAt(BID, P0 - 51), 0);
  for (let d = 0; d < 20; d++) assertEquals(book.depthAt(ASK, P0 + 1 + d), 200);
  assertEquals(book.depthAt(ASK, P0 + 21), 0);
  assertEquals([book.bestBid(), book.bestAsk(), midPrice(book), spread(book)], [
    P0 - 1,
    P0 + 1,
    P0,
    2,
  ]);
  assertEquals(book.ownerResting(BACKGROUND, BID), 17_000);
  assertEquals(book.ownerResting(BACKGROUND, ASK), 4_000);
});

Deno.test("profiles: each shape's sizes follow its weights and sum to totalDepth", () => {
  const shape = (o: Partial<BackgroundOptions>) =>
    bidProfile(validateBackgroundOptions({ p0: P0, depthLevels: 40, totalDepth: 10_000, ...o }));
  const check = (s: number[], w: (d: number) => number) => {
    let sw = 0;
    for (let d = 0; d < s.length; d++) sw += w(d);
    assertEquals(s.reduce((a, b) => a + b, 0), 10_000);
    for (let d = 0; d < s.length; d++) {
      assertTrue(Math.abs(s[d] - 10_000 * w(d) / sw) < 1, `level ${d}: ${s[d]}`);
    }
  };
  check(shape({ profile: "flat" }), () => 1);
  check(shape({ profile: "linear", linearSlope: 0.1 }), (d) => 1 + 0.1 * d);
  check(shape({ profile: "exponential", expRate: 0.05 }), (d) => Math.exp(0.05 * d));
  check(shape({ profile: "exponential", expRate: -0.2 }), (d) => Math.exp(-0.2 * d));
  // Linear default: the level 20 ticks away is twice the best level.
  const lin = bidProfile(validateBackgroundOptions({ p0: P0 }));
  assertAlmostEquals(lin[20] / lin[0], 2, 0.02);
  // Explicit sizes are used as given; totalDepth and depthLevels follow them.
  const o = validateBackgroundOptions({ p0: P0, profile: [5, 0, 7.4] });
  assertEquals([o.depthLevels, o.totalDepth, bidProfile(o)], [3, 12, [5, 0, 7]]);
  const { book } = setup({ profile: [5, 0, 7] });
  assertEquals([book.depthAt(BID, P0 - 1), book.depthAt(BID, P0 - 2), book.depthAt(BID, P0 - 3)], [
    5,
    0,
    7,
  ]);
  assertEquals(book.ordersAt(BID, P0 - 2), 0);
});

Deno.test("profiles: weights scale to the total depth and repeat the last weight", () => {
  const s = bidProfile(
    validateBackgroundOptions({
      p0: P0,
      profile: { weights: [4, 4, 2, 1] },
      depthLevels: 6,
      totalDepth: 1_100,
    }),
  );
  // Weights 4, 4, 2, 1, then 1, 1 (the last weight repeated): sum 13.
  assertEquals(s.reduce((a, b) => a + b, 0), 1_100);
  const w = [4, 4, 2, 1, 1, 1];
  for (let d = 0; d < 6; d++) assertTrue(Math.abs(s[d] - 1_100 * w[d] / 13) < 1);
  const bad = (weights: unknown[]) =>
    validateBackgroundOptions({ p0: P0, profile: { weights } as { weights: number[] } });
  assertThrows(() => bad([1, "x"]), ConfigError, "profile.weights[1]");
  assertThrows(() => bad([0, 0]), ConfigError, "at least one positive");
  assertThrows(() => bad([]), ConfigError, "profile.weights");
});

Deno.test("profiles: a LOBSTER sample's mean sizes, read by lib/lobster, give a ladder", () => {
  const dir = Deno.makeTempDirSync();
  try {
    // lobsterProfile: nulls carry forward; a missing file is an error naming it.
    const path = `${dir}/profile.json`;
    const side = { meanSize: [4, null, 2, 1], coverage: [1, 1, 1, 1] };
    Deno.writeTextFileSync(
      path,
      JSON.stringify({ distances: 4, tickSize: 100, bid: side, ask: side }),
    );
    assertEquals(lobsterProfile(path).weights, [4, 4, 2, 1]);
    assertThrows(() => lobsterProfile(`${dir}/nope.json`), ConfigError, "deno task replay");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  let present = true;
  try {
    Deno.statSync(new URL("../data/lobster/depth_profile_GOOG.json", import.meta.url));
  } catch {
    present = false;
  }
  if (!present) return; // written by `deno task replay`
  const { book, bg } = setup({ profile: lobsterProfile() });
  assertEquals(bg.profile.reduce((a, b) => a + b, 0), 17_000);
  // GOOG's best level is several times the deeper ones.
  assertTrue(bg.profile[0] > 3 * bg.profile[5], `${bg.profile[0]} vs ${bg.profile[5]}`);
  assertEquals(book.depthAt(BID, P0 - 1), bg.profile[0]);
});

// ------------------------------------------------------------------ refill

Deno.test("refill: after a full sweep every level follows g ← g − ceil(ρ·g) to its target", () => {
  for (const rho of [0.2, 0.5, 1]) {
    const { book, bg } = setup({ resilience: rho, askLevels: 0 });
    assertEquals(book.market(ASK, 17_000, TAKER), 17_000);
    assertEquals(book.bestBid(), NONE);
    const gaps = [...bg.profile];
    for (let t = 0; t < 60; t++) {
      bg.step(book, t);
      for (let d = 0; d < 50; d++) {
        gaps[d] = nextGap(gaps[d], rho);
        assertEquals(
          bgQty(book, BID, P0 - 1 - d),
          bg.profile[d] - gaps[d],
          `ρ=${rho} t=${t} d=${d}`,
        );
      }
    }
    assertEquals(gaps.every((g) => g === 0), true);
    // One order per level: new quantity merged into the background's own last order.
    for (let d = 0; d < 50; d++) assertEquals(book.ordersAt(BID, P0 - 1 - d), 1);
  }
});

Deno.test("refill: ρ = 0 never refills; a partial sale refills only what was taken", () => {
  const a = setup({ resilience: 0 });
  a.book.market(ASK, 1_000, TAKER);
  const before = snapshot(a.book);
  for (let t = 0; t < 10; t++) a.bg.step(a.book, t);
  assertEquals(snapshot(a.book), before);

  const { book, bg } = setup();
  const s0 = bg.profile[0];
  book.market(ASK, s0 + 10, TAKER); // level 0 in full, 10 of level 1
  bg.step(book, 0);
  assertEquals(bgQty(book, BID, P0 - 1), Math.ceil(0.2 * s0));
  assertEquals(bgQty(book, BID, P0 - 2), bg.profile[1] - 10 + 2);
  assertEquals(bgQty(book, BID, P0 - 3), bg.profile[2]);
});

Deno.test("refill: Poisson mode shrinks the gaps by (1 − ρ) per step on average", () => {
  const rho = 0.3;
  const { book, bg } = setup({ resilience: rho, refill: "poisson", askLevels: 0 });
  book.market(ASK, 17_000, TAKER);
  for (let t = 0; t < 3; t++) bg.step(book, t);
  let gap = 0;
  for (let d = 0; d < 50; d++) gap += bg.profile[d] - bgQty(book, BID, P0 - 1 - d);
  const expected = 17_000 * (1 - rho) ** 3; // 5,831
  assertTrue(Math.abs(gap - expected) < 0.03 * expected, `gap ${gap}, expected ≈ ${expected}`);
  for (let t = 3; t < 200; t++) bg.step(book, t);
  for (let d = 0; d < 50; d++) assertEquals(bgQty(book, BID, P0 - 1 - d), bg.profile[d]);
});

Deno.test("refill: deepest order fills the total gap from the deepest level up", () => {
  const rho = 0.2;
  const { book, bg } = setup({ refillOrder: "deepest", resilience: rho, askLevels: 0 });
  const sold = book.market(ASK, 5_000, TAKER);
  let deficit = sold;
  const bottom = book.bestBid();
  for (let t = 0; t < 80; t++) {
    bg.step(book, t);
    deficit = nextGap(deficit, rho);
    let missing = 0;
    for (let d = 0; d < 50; d++) missing += bg.profile[d] - bgQty(book, BID, P0 - 1 - d);
    assertEquals(missing, deficit, `t=${t}`);
    // Only one level is ever partly filled: the best bid recovers gradually toward p0 − 1.
    const bb = book.bestBid();
    if (deficit > 0) assertTrue(bb <= P0 - 1 && bb >= bottom);
    for (let p = bb - 1; p >= P0 - 50; p--) {
      assertEquals(bgQty(book, BID, p), bg.profile[P0 - 1 - p]);
    }
  }
  assertEquals([deficit, book.bestBid()], [0, P0 - 1]);
});

Deno.test("refill: new quantity queues behind a maker order at its level", () => {
  const { book, bg } = setup();
  const s0 = bg.profile[0];
  const maker = makerOwner(0);
  // The background keeps s0 - 10 at p0 - 1, a maker joins behind it, the refill goes behind both.
  book.market(ASK, 10, TAKER);
  const m = book.limit(BID, P0 - 1, 50, maker);
  bg.step(book, 0);
  assertEquals(queue(book, BID, P0 - 1), [[BACKGROUND, s0 - 10], [maker, 50], [BACKGROUND, 2]]);
  assertEquals(book.queueAhead(m), s0 - 10);
  // The level swept out, the maker bids first, the refill queues behind it.
  book.market(ASK, s0 - 10 + 50 + 2, TAKER);
  assertEquals(queue(book, BID, P0 - 1), []);
  const m2 = book.limit(BID, P0 - 1, 30, maker);
  bg.step(book, 1);
  assertEquals(queue(book, BID, P0 - 1), [[maker, 30], [BACKGROUND, Math.ceil(0.2 * s0)]]);
  assertEquals(book.queueAhead(m2), 0);
  // The next sale hits the maker first.
  book.market(ASK, 20, TAKER);
  assertEquals(book.fills.makerOwner[0], maker);
  assertEquals(book.orderQty(m2), 10);
  // Later refills at that level keep landing behind the maker.
  bg.step(book, 2);
  bg.step(book, 3);
  const q = queue(book, BID, P0 - 1);
  assertEquals(q[0], [maker, 10]);
  assertTrue(q.slice(1).every(([o]) => o === BACKGROUND) && q.length >= 2);
});

Deno.test("refill: accounting stays exact when a maker bids above a swept ladder", () => {
  // The sale sweeps 10 levels; before the background's step a maker bids at p0 - 1, so the best
  // bid no longer shows how deep the sale went. The refill must still reach every swept level.
  const { book, bg } = setup({ resilience: 1 });
  book.market(ASK, 3_000, TAKER);
  book.limit(BID, P0 - 1, 5, makerOwner(1));
  bg.step(book, 0);
  for (let d = 0; d < 50; d++) assertEquals(bgQty(book, BID, P0 - 1 - d), bg.profile[d]);
});

Deno.test("refill: random sales, maker orders and noise never push a level past its target", () => {
  const r = stream(7, "test");
  const { book, bg } = setup({ noiseRate: 1, noiseMaxSize: 60 }, stream(7, "background"));
  const live: number[] = [];
  for (let t = 0; t < 3_000; t++) {
    if (r() < 0.6) book.market(ASK, 1 + Math.floor(r() * 400), TAKER);
    if (r() < 0.5) {
      live.push(book.limit(BID, P0 - 1 - Math.floor(r() * 8), 1 + Math.floor(r() * 50), 3));
    }
    if (live.length > 0 && r() < 0.4) {
      const id = live.splice(Math.floor(r() * live.length), 1)[0];
      if (book.isLive(id)) book.cancel(id);
    }
    bg.step(book, t);
    if (t % 50 === 0) {
      for (let d = 0; d < 50; d++) assertTrue(bgQty(book, BID, P0 - 1 - d) <= bg.profile[d]);
      for (let d = 0; d < 20; d++) assertTrue(bgQty(book, ASK, P0 + 1 + d) <= 200);
    }
  }
  // Quiet again (noise off is not an option here, so check right after steps with no sales):
  // the ladder is back to its profile within the convergence time of the gap recurrence.
  const quiet = setup({}, stream(7, "background"));
  quiet.book.market(ASK, 9_000, TAKER);
  quiet.book.market(BID, 3_000, TAKER);
  for (let t = 0; t < 40; t++) quiet.bg.step(quiet.book, t);
  for (let d = 0; d < 50; d++) {
    assertEquals(quiet.book.depthAt(BID, P0 - 1 - d), quiet.bg.profile[d]);
  }
  for (let d = 0; d < 20; d++) assertEquals(quiet.book.depthAt(ASK, P0 + 1 + d), 200);
  assertEquals(quiet.book.stats().resting, 21_000);
});

// ------------------------------------------------------------------ anchored vs recentring

Deno.test("anchored: after a large sale the ladder rebuilds at p0 and the mid returns to p0", () => {
  const { book, bg } = setup();
  book.market(ASK, 8_000, TAKER);
  assertTrue(book.bestBid() < P0 - 20);
  for (let t = 0; t < 100; t++) bg.step(book, t);
  assertEquals([bg.reference(), book.bestBid(), book.bestAsk(), midPrice(book)], [
    P0,
    P0 - 1,
    P0 + 1,
    P0,
  ]);
  for (let d = 0; d < 50; d++) assertEquals(book.depthAt(BID, P0 - 1 - d), bg.profile[d]);
});

Deno.test("recentring: the ladders follow the mid and the impact becomes permanent", () => {
  const { book, bg } = setup({ recentre: 1 });
  book.market(ASK, 8_000, TAKER);
  const bottom = book.bestBid();
  const anchor = Math.round((bottom + P0 + 1) / 2); // the mid after the sale
  for (let t = 0; t < 100; t++) bg.step(book, t);
  assertEquals(bg.reference(), anchor);
  assertTrue(anchor < P0 - 10);
  assertEquals([book.bestBid(), book.bestAsk(), midPrice(book)], [anchor - 1, anchor + 1, anchor]);
  // Emptied levels are rebuilt to the profile around the new anchor; the deeper ones keep their
  // older, larger quantity (the background never cancels).
  for (let d = 0; d < 50; d++) {
    const q = bgQty(book, BID, anchor - 1 - d);
    if (anchor - 1 - d > bottom) assertEquals(q, bg.profile[d], `d=${d}`);
    else assertTrue(q >= bg.profile[d]);
  }
  for (let d = 0; d < 20; d++) assertEquals(book.depthAt(ASK, anchor + 1 + d), 200);

  // Half-way recentring moves the reference part of the way each step and ends in between.
  const half = setup({ recentre: 0.5 });
  half.book.market(ASK, 8_000, TAKER);
  half.bg.step(half.book, 0);
  const r1 = half.bg.reference();
  assertTrue(r1 < P0 && r1 > anchor, `${r1}`);
});

// ------------------------------------------------------------------ noise

Deno.test("noise: same seed, same book; another seed, another book", () => {
  const run = (seed: number) => {
    const { book, bg } = setup({ noiseRate: 2 }, stream(seed, "background"));
    for (let t = 0; t < 500; t++) {
      if (t % 3 === 0) book.market(ASK, 100, TAKER);
      bg.step(book, t);
    }
    return snapshot(book);
  };
  assertEquals(run(11), run(11));
  assertTrue(run(11) !== run(12));
});

Deno.test("noise: Poisson(λ) orders per step, buy share and sizes as stated", () => {
  const lambda = 1.5;
  const { book, bg } = setup({ noiseRate: lambda, noiseMaxSize: 20, noiseBuyProb: 0.3 });
  let orders = 0;
  let buys = 0;
  let size = 0;
  const market = book.market.bind(book);
  book.market = (side, qty, owner) => {
    assertEquals(owner, NOISE);
    orders++;
    if (side === BID) buys++;
    size += qty;
    assertTrue(qty >= 1 && qty <= 20 && Number.isInteger(qty));
    return market(side, qty, owner);
  };
  const T = 10_000;
  for (let t = 0; t < T; t++) bg.step(book, t);
  // Mean 1.5 per step: standard error of the mean over 10,000 steps is 0.012.
  assertAlmostEquals(orders / T, lambda, 0.05);
  assertAlmostEquals(buys / orders, 0.3, 0.02);
  assertAlmostEquals(size / orders, 10.5, 0.3);
  // Off by default: no draw, no order.
  const quiet = setup({}, () => {
    throw new Error("no draw expected");
  });
  quiet.book.market(ASK, 500, TAKER);
  for (let t = 0; t < 100; t++) quiet.bg.step(quiet.book, t);
});

// ------------------------------------------------------------------ impact (documented figures)

/** Sells 8,000 in `steps` equal child orders against background alone. */
function sale(steps: number, options: Partial<BackgroundOptions> = {}) {
  const { book, bg } = setup(options);
  let cash = 0;
  let sold = 0;
  let maxDrop = 0;
  for (let t = 0; t < steps; t++) {
    const q = Math.floor(8_000 * (t + 1) / steps) - Math.floor(8_000 * t / steps);
    sold += book.market(ASK, q, TAKER);
    for (let k = 0; k < book.fills.count; k++) cash += book.fills.price[k] * book.fills.qty[k];
    maxDrop = Math.max(maxDrop, P0 - book.bestBid());
    bg.step(book, t);
  }
  return { sold, shortfall: Math.round((P0 - cash / sold) * 100) / 100, maxDrop };
}

Deno.test("impact: 8,000 at once vs evenly over 60 steps (figures in the module doc)", () => {
  // At once: the best bid ends where the cumulative profile first reaches 8,000.
  const { bg } = setup();
  let cum = 0;
  let d = 0;
  while (cum + bg.profile[d] < 8_000) cum += bg.profile[d++];
  const once = sale(1);
  assertEquals(once, { sold: 8_000, shortfall: 17.83, maxDrop: 1 + d });
  assertEquals(d, 30);
  const twap = sale(60);
  assertEquals(twap, { sold: 8_000, shortfall: 2.5, maxDrop: 5 });
  // Slower resilience or deepest-first refill makes the same sale dearer.
  assertTrue(sale(60, { resilience: 0.1 }).shortfall > twap.shortfall);
  assertTrue(sale(60, { refillOrder: "deepest" }).shortfall > twap.shortfall);
});

// ------------------------------------------------------------------ validation

Deno.test("validation: each bad field is named with its allowed values", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ depthLevels: -1 }, "depthLevels", "must be an integer in [1, 1000000], got -1"],
    [{ depthLevels: 2.5 }, "depthLevels", "got 2.5"],
    [{ gap: 0 }, "gap", "must be an integer in [1, 1000000], got 0"],
    [{ spreadTicks: -2 }, "spreadTicks", "got -2"],
    [{ totalDepth: -5 }, "totalDepth", "got -5"],
    [{ resilience: 1.5 }, "resilience", "must be a number in [0, 1], got 1.5"],
    [{ resilience: -0.1 }, "resilience", "got -0.1"],
    [{ resilience: NaN }, "resilience", "got NaN"],
    [{ askResilience: 2 }, "askResilience", "in [0, 1]"],
    [{ recentre: -1 }, "recentre", "in [0, 1]"],
    [{ profile: "cubic" }, "profile", 'one of "flat", "linear", "exponential"'],
    [{ profile: [1, -2] }, "profile[1]", "got -2"],
    [{ profile: [] }, "profile", "non-empty array"],
    [{ profile: [1, 2], depthLevels: 3 }, "depthLevels", "2 (the length of the explicit"],
    [{ profile: [1, 2], totalDepth: 4 }, "totalDepth", "3 (the sum of the explicit profile)"],
    [{ linearSlope: -1 }, "linearSlope", "in [0, 100]"],
    [{ expRate: 9 }, "expRate", "in [-5, 5]"],
    [{ refill: "random" }, "refill", 'one of "fraction", "poisson"'],
    [{ refillOrder: "up" }, "refillOrder", 'one of "level", "deepest"'],
    [{ askLevels: -1 }, "askLevels", "got -1"],
    [{ askSize: 0.5 }, "askSize", "got 0.5"],
    [{ noiseRate: -1 }, "noiseRate", "in [0, 1000]"],
    [{ noiseMaxSize: 0 }, "noiseMaxSize", "got 0"],
    [{ noiseBuyProb: 1.1 }, "noiseBuyProb", "in [0, 1]"],
    [{ resiliance: 0.2 }, "resiliance", 'did you mean "resilience"?'],
    [{ p0: undefined }, "p0", "got undefined"],
    [{ p0: 10 }, "p0", "an integer tick in [50, "],
    [{ p0: 10_000.5 }, "p0", "got 10000.5"],
  ];
  for (const [o, field, msg] of cases) {
    const e = assertThrows(
      () => validateBackgroundOptions({ p0: P0, ...o }),
      ConfigError,
    ) as ConfigError;
    assertEquals(e.field, field);
    assertTrue(e.message.includes(msg), `${JSON.stringify(o)}: ${e.message}`);
    // createBackground validates the same way.
    assertThrows(
      () => createBackground({ p0: P0, ...o } as { p0: number }, stream(1, "b")),
      ConfigError,
    );
  }
  assertEquals(
    (assertThrows(() => validateBackgroundOptions(null), ConfigError) as ConfigError).field,
    "options",
  );
  // Validation is idempotent: a validated object passes again unchanged.
  const weights = { p0: P0, profile: { weights: [2, 1] } };
  for (
    const x of [{ p0: P0 }, { p0: P0, profile: [3, 4, 5] }, { p0: P0, profile: "flat" }, weights]
  ) {
    const v = validateBackgroundOptions(x);
    assertEquals(validateBackgroundOptions(v), v);
  }
  // Defaults are filled and the result is complete.
  const o = validateBackgroundOptions({ p0: P0 });
  assertEquals(Object.keys(o).length, 18);
  assertEquals([o.profile, o.refill, o.refillOrder, o.recentre, o.noiseRate], [
    "linear",
    "fraction",
    "level",
    0,
    0,
  ]);
});

Deno.test("validation: init and step check the book", () => {
  const bg = createBackground({ p0: P0 }, stream(1, "b"));
  const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
  assertEquals(
    (assertThrows(() => bg.step(book, 0), ConfigError, "before init") as ConfigError)
      .field,
    "book",
  );
  const small = new OrderBook({ minTick: 9_990, maxTick: 10_010 });
  assertEquals(
    (assertThrows(() => bg.init(small), ConfigError, "[9950, 10020]") as ConfigError).field,
    "p0",
  );
  const busy = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
  busy.limit(BID, 9_000, 1, 5);
  assertThrows(() => bg.init(busy), ConfigError, "an empty OrderBook");
  bg.init(book);
  assertThrows(() => bg.init(book), ConfigError, "an empty OrderBook"); // not cleared
  assertThrows(() => bg.step(busy, 0), ConfigError, "another book");
});

Deno.test("re-initialising on the cleared book replays an episode exactly", () => {
  const play = (bg: ReturnType<typeof createBackground>, book: OrderBook) => {
    bg.init(book);
    const out: number[] = [];
    const p = new Int32Array(10), q = new Float64Array(10);
    for (let t = 0; t < 30; t++) {
      book.market(ASK, 400, TAKER);
      bg.step(book, t);
      const k = book.levels(BID, 10, p, q);
      out.push(k, ...p.slice(0, k), ...q.slice(0, k));
    }
    return out;
  };
  const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
  const bg = createBackground({ p0: 10_000 }, stream(3, "background"));
  const first = play(bg, book);
  book.clear();
  const second = play(bg, book);
  const fresh = play(
    createBackground({ p0: 10_000 }, stream(3, "background")),
    new OrderBook({ minTick: 9_000, maxTick: 11_000 }),
  );
  assertEquals(second, first);
  assertEquals(fresh, first);
});

Deno.test("re-initialising restores the fresh market: queues, totals and bookkeeping", () => {
  // Sales, maker bids queued at the background's levels (so levels hold several background
  // orders) and each option that changes the bookkeeping; the random stream is re-seeded for
  // every episode, so a re-initialised background must play exactly as a fresh one.
  const configs: Partial<BackgroundOptions>[] = [
    {},
    { refillOrder: "deepest" },
    { refill: "poisson" },
    { noiseRate: 0.7 },
    { recentre: 0.4 },
  ];
  for (const options of configs) {
    let g = stream(5, "background");
    const rng = () => g();
    const play = (bg: ReturnType<typeof createBackground>, book: OrderBook) => {
      g = stream(5, "background");
      bg.init(book);
      const out: string[] = [snapshot(book)];
      for (let t = 0; t < 40; t++) {
        if (t % 3 === 0) book.limit(BID, P0 - 1 - (t % 2), 50, makerOwner(t % 2));
        book.market(ASK, 150 + 10 * (t % 4), TAKER);
        bg.step(book, t);
        out.push(snapshot(book), JSON.stringify(queue(book, BID, P0 - 1)));
      }
      return out;
    };
    const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
    const bg = createBackground({ p0: P0, ...options }, rng);
    const first = play(bg, book);
    for (let e = 0; e < 2; e++) {
      book.clear();
      assertEquals(play(bg, book), first, JSON.stringify(options));
    }
    const fresh = createBackground({ p0: P0, ...options }, rng);
    assertEquals(play(fresh, new OrderBook({ minTick: 9_000, maxTick: 11_000 })), first);
  }
});
