import fc from "fast-check";
import pl from "nodejs-polars";
import {
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  assertTrue,
  throwsUnknown,
} from "./_assert.ts";
import { ASK, BID, NONE, type OrderBook } from "../lib/book/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import { BACKGROUND } from "../lib/market/owners.ts";
import type { Rng } from "../lib/rng.ts";
import {
  actionSet,
  type BackgroundFactory,
  createGame,
  episodeFrame,
  evaluateGame,
  type GameConfig,
  type MakerPolicySpec,
  makerRow,
  playEpisode,
  playEpisodes,
  resolveConfig,
  summaryFrame,
} from "../lib/game/mod.ts";
import type { TakerSpec } from "../lib/takers/mod.ts";

const P0 = 10_000;

// ---------------------------------------------------------------------------------------------
// Helpers

/** A background of fixed bids `[offset, qty]` below P0 and one ask, with no refill. */
function staticBackground(bids: [number, number][], ask = P0 + 1): BackgroundFactory {
  return ({ p0 }) => ({
    init(book: OrderBook) {
      for (const [off, q] of bids) book.limit(BID, p0 - off, q, BACKGROUND);
      book.limit(ASK, ask, 100, BACKGROUND);
    },
    step() {},
  });
}

/** A maker that plays the named actions in order, then `keep_qty`. */
function script(names: string[]): MakerPolicySpec {
  return {
    kind: "custom",
    create: (ctx) => {
      const ids = names.map((n) => ctx.actions.index(n));
      const keep = ctx.actions.index("keep_qty");
      return { name: "script", act: (v) => (v.t < ids.length ? ids[v.t] : keep) };
    },
  };
}

/** A taker that sells `sells[t]` at market at step t (0 after the list). */
function sells(qty: number[]): TakerSpec {
  return {
    kind: "custom",
    name: "script",
    create: () => ({
      name: "script",
      decide(v, o) {
        o.qty = qty[v.t] ?? 0;
      },
    }),
  };
}

/**
 * Two makers at P0 − 1 behind 100 background contracts (maker 0 ahead of maker 1), 200 each,
 * increment 100, max 400, fixed order, no refill; plays `a0`/`a1` against the taker's `sold`.
 */
function two(a0: string[], a1: string[] = [], sold: number[] = [], extra: GameConfig = {}) {
  const g = createGame({
    makers: 2,
    steps: 5,
    game: { kind: "known", size: 1_000 },
    policy: [script(a0), script(a1)],
    taker: sells(sold),
    background: staticBackground([[1, 100], [5, 10_000]]),
    bid: { startOffset: 1, startQty: 200, increment: 100, maxQty: 400, maxOffset: 5 },
    makerOrder: "fixed",
    unsold: "drop",
    orders: "single",
    arrival: { kind: "fixed" },
    ...extra,
  });
  g.reset();
  return g;
}

const state = (g: ReturnType<typeof two>, i: number) => ({
  price: P0 - g.views[i].price,
  qty: g.views[i].qty,
  target: g.views[i].target,
  ahead: g.views[i].queueAhead(),
});

// ---------------------------------------------------------------------------------------------
// Actions

Deno.test("initial bids rest behind the background, in maker order", () => {
  const g = two([]);
  assertEquals(state(g, 0), { price: 1, qty: 200, target: 200, ahead: 100 });
  assertEquals(state(g, 1), { price: 1, qty: 200, target: 200, ahead: 300 });
});

Deno.test("up / down re-price by one tick and lose priority; blocked at a bound they are no-ops", () => {
  let g = two(["up"], ["down"]);
  g.step();
  assertEquals(state(g, 0), { price: 0, qty: 200, target: 200, ahead: 0 });
  assertEquals(state(g, 1), { price: 2, qty: 200, target: 200, ahead: 0 });
  // maker 1 moves up to maker 0's level: behind it.
  g = two(["keep_qty", "keep_qty"], ["down", "up"]);
  g.step();
  g.step();
  assertEquals(state(g, 1), { price: 1, qty: 200, target: 200, ahead: 300 });
  // Bounds: minOffset 0 (P0) and maxOffset 5; a blocked move keeps the queue position.
  g = two(["up", "up"], ["down", "down", "down", "down", "down"]);
  g.step();
  g.step();
  assertEquals(state(g, 0).price, 0);
  for (let k = 0; k < 3; k++) g.step();
  assertEquals(state(g, 1).price, 5);
  assertEquals(state(g, 1).ahead, 10_000, "joined P0 − 5 behind the background, then stayed");
});

Deno.test("bids are post-only: never at or above the best ask", () => {
  const g = createGame({
    makers: 1,
    steps: 2,
    policy: script(["up", "up"]),
    taker: sells([]),
    background: staticBackground([[3, 100]], P0),
    bid: { startOffset: 1 },
  });
  g.reset();
  g.step();
  assertEquals(g.views[0].price, P0 - 1, "P0 would cross the ask at P0");
  assertEquals(g.views[0].qty, 200);
});

Deno.test("qty_up adds an increment (back of the queue); qty_down removes one (keeps its place)", () => {
  let g = two(["qty_up"]);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 300, target: 300, ahead: 300 });
  assertEquals(state(g, 1).ahead, 100);
  g = two(["qty_down"]);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 100, target: 100, ahead: 100 });
  assertEquals(state(g, 1).ahead, 200);
  // To zero: the order is cancelled, the price setting stays.
  g = two(["qty_down", "qty_down", "qty_down"]);
  for (let k = 0; k < 3; k++) g.step();
  const s = state(g, 0);
  assertEquals([s.price, s.qty, s.target], [1, 0, 0]);
  assertTrue(Number.isNaN(s.ahead));
  assertEquals(g.book.depthAt(BID, P0 - 1), 300);
  // Capped at maxQty (400): the third qty_up changes nothing, priority kept.
  g = two(["qty_up", "qty_up", "qty_up"]);
  for (let k = 0; k < 3; k++) g.step();
  assertEquals(state(g, 0), { price: 1, qty: 400, target: 400, ahead: 300 });
  // qty_up from a depleted bid adds an increment to what rests, not to the target gap.
  g = two(["keep_qty", "qty_up"], [], [150]);
  g.step();
  assertEquals(state(g, 0).qty, 150);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 250, target: 300, ahead: 200 });
});

Deno.test("keep_qty holds everything; keep_price re-posts only a fully filled bid; replenish always refills", () => {
  // Taker sells 150: background 100, then 50 of maker 0.
  let g = two(["keep_qty", "keep_qty"], [], [150]);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 150, target: 200, ahead: 0 });
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 150, target: 200, ahead: 0 }, "depleted, first");
  g = two(["keep_qty", "keep_price"], [], [150]);
  g.step();
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 150, target: 200, ahead: 0 }, "partial: kept");
  g = two(["keep_qty", "replenish"], [], [150]);
  g.step();
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 200, target: 200, ahead: 200 }, "refilled: back");
  // Fully filled (taker sells 300): keep_qty stays out, keep_price and replenish re-post.
  for (
    const [a, qty, ahead] of [["keep_qty", 0, NaN], ["keep_price", 200, 200], [
      "replenish",
      200,
      200,
    ]] as const
  ) {
    g = two(["keep_qty", a], [], [300]);
    g.step();
    assertEquals(state(g, 0).qty, 0);
    g.step();
    const s = state(g, 0);
    assertEquals(s.qty, qty, a);
    assertTrue(Object.is(s.ahead, ahead) || s.ahead === ahead, `${a}: ahead ${s.ahead}`);
  }
  // A full bid: replenish changes nothing and keeps priority.
  g = two(["replenish"]);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 200, target: 200, ahead: 100 });
});

Deno.test("factored actions: price move × quantity move, plus replenish", () => {
  const set = actionSet("factored");
  assertEquals(set.n, 10);
  assertThrows(() => set.index("keep_price"), ConfigError, "action: must be one of");
  let g = two(["up/up"], [], [], { actions: "factored" });
  g.step();
  assertEquals(state(g, 0), { price: 0, qty: 300, target: 300, ahead: 0 });
  g = two(["down/down"], [], [], { actions: "factored" });
  g.step();
  assertEquals(state(g, 0), { price: 2, qty: 100, target: 100, ahead: 0 });
  g = two(["keep/keep", "replenish"], [], [150], { actions: "factored" });
  g.step();
  assertEquals(state(g, 0).qty, 150);
  g.step();
  assertEquals(state(g, 0), { price: 1, qty: 200, target: 200, ahead: 200 });
});

Deno.test("a policy returning an invalid action is an error naming the maker", () => {
  const g = createGame({
    makers: 2,
    policy: [{ kind: "replenisher" }, {
      kind: "custom",
      create: () => ({ name: "x", act: () => 7 }),
    }],
  });
  assertThrows(
    () => g.run(),
    ConfigError,
    "policy[1].act: must be an action index, an integer in [0, 6], got 7",
  );
});

// ---------------------------------------------------------------------------------------------
// Event order

Deno.test("event order: makers act on one snapshot, the taker sees their updates, then refill", () => {
  const seen: number[][] = [[], []];
  const takerSaw: number[] = [];
  const depth: number[] = [];
  const spy = (i: number, name: string): MakerPolicySpec => ({
    kind: "custom",
    create: (ctx) => ({
      name: "spy",
      act(v) {
        seen[i].push(v.bestBid);
        if (i === 1) depth.push(v.book.depthAt(BID, P0 - 1));
        return ctx.actions.index(v.t === 0 ? name : "keep_qty");
      },
    }),
  });
  const g = createGame({
    makers: 2,
    steps: 2,
    policy: [spy(0, "up"), spy(1, "keep_qty")],
    taker: {
      kind: "custom",
      create: () => ({
        name: "spy",
        decide(v, o) {
          takerSaw.push(v.bestBid);
          o.qty = v.t === 0 ? 250 : 0;
        },
      }),
    },
    background: { resilience: 1 },
    makerOrder: "fixed",
  });
  g.run();
  assertEquals(seen[0][0], P0 - 1);
  assertEquals(seen[1][0], P0 - 1, "maker 1 does not see maker 0's move of the same step");
  assertEquals(takerSaw[0], P0, "the taker hits the book after the makers' updates");
  // The child ate maker 0 (200 at P0) and 50 of the background at P0 − 1; resilience 1 refilled
  // the background level before the next observation: its depth is what it was, minus the
  // 200 maker 0 had there at t = 0.
  assertEquals(seen[1][1], P0 - 1);
  assertEquals(depth[1], depth[0] - 200);
});

Deno.test("maker order: seeded random by default, fixed on request", () => {
  const front = (order: "random" | "fixed") => {
    const g = createGame({
      makers: 2,
      steps: 1,
      policy: script(["up"]),
      taker: sells([]),
      background: staticBackground([[5, 100]]),
      makerOrder: order,
      unsold: "drop",
    });
    let first0 = 0;
    for (let s = 0; s < 200; s++) {
      g.reset(s);
      g.step();
      if (g.views[0].queueAhead() === 0) first0++;
    }
    return first0;
  };
  assertEquals(front("fixed"), 200);
  const r = front("random");
  assertTrue(r > 70 && r < 130, `maker 0 first in ${r} of 200`);
});

// ---------------------------------------------------------------------------------------------
// Unsold quantity

Deno.test("unsold rule: sweep sells the rest at market after the last child; drop leaves it", () => {
  const cfg: GameConfig = {
    makers: 0,
    steps: 3,
    arrival: { kind: "fixed" },
    game: { kind: "known", size: 1_000 },
    taker: sells([100, 0, 50]),
    background: staticBackground([[1, 400], [2, 400], [3, 400]]),
    record: true,
  };
  const g = createGame(cfg);
  const s = g.run();
  assertEquals([s.executed, s.unsold, s.sweepQty], [1_000, 0, 850]);
  // 100 + 50 + 250 at P0 − 1, 400 at P0 − 2, 200 at P0 − 3.
  assertAlmostEquals(s.takerPnl, -(400 * 1 + 400 * 2 + 200 * 3) * 0.01, 1e-9);
  const r = g.record();
  assertEquals(Array.from(r.takerFilled.slice(0, 3)), [100, 0, 900]);
  assertEquals(Array.from(r.childFilled.slice(0, 3)), [100, 0, 50]);
  assertAlmostEquals(s.shortfall, -s.takerPnl, 1e-9);

  const d = createGame({ ...cfg, unsold: "drop" }).run();
  assertEquals([d.executed, d.unsold, d.sweepQty], [150, 850, 0]);
  // Unsold marked at the final best bid P0 − 1: shortfall = 150 · 1 + 850 · 1 ticks.
  assertAlmostEquals(d.shortfall, (150 + 850) * 0.01, 1e-9);
  assertAlmostEquals(d.takerPnl, -1.5, 1e-9);

  // The sweep cannot sell more than the book holds.
  const e = createGame({ ...cfg, game: { kind: "known", size: 2_000 } }).run();
  assertEquals([e.executed, e.unsold], [1_200, 800]);
  assertEquals(e.finalBestBid, NONE);
  const lowest = P0 - 1_000; // the book's lowest tick marks the unsold part
  assertAlmostEquals(e.shortfall, (-e.takerPnl / 0.01 + 800 * (P0 - lowest)) * 0.01, 1e-6);
});

// ---------------------------------------------------------------------------------------------
// Accounting

/** Checks every accounting identity on one episode's summary and frame. */
function checkIdentities(config: GameConfig) {
  const g = createGame({ ...config, record: true });
  const s = g.run();
  const n = s.makers;
  const tol = 1e-6 * Math.max(1, Math.abs(s.takerPnl));
  const sumV = s.makerVolume.reduce((a, b) => a + b, 0);
  assertEquals(sumV + s.backgroundVolume, s.executed, "volumes add up");
  assertEquals(s.executed + s.unsold, s.size);
  const shares = s.makerPnl.reduce((a, b) => a + b, 0) + s.backgroundPnl;
  assertAlmostEquals(shares, -s.takerPnl, tol, `shares ${shares} vs −takerPnl ${-s.takerPnl}`);
  for (let i = 0; i < n; i++) {
    const expect = s.executed > 0 ? (-s.takerPnl * s.makerVolume[i]) / s.executed : 0;
    assertAlmostEquals(s.makerPnl[i], expect, tol);
  }
  if (s.executed > 0) {
    assertAlmostEquals(s.takerPnl, (s.avgPrice - s.p0) * s.executed * s.tickSize, tol);
  }
  if (s.unsold === 0) assertAlmostEquals(s.shortfall, -s.takerPnl, tol);
  // Frame: rewards sum to the final share; fills add up per step; the tape covers the taker.
  const r = g.record();
  const A = n + 2;
  for (let k = 0; k < A; k++) {
    let sum = 0;
    for (let t = 0; t < s.steps; t++) sum += r.reward[t * A + k];
    const last = r.cumPnl[(s.steps - 1) * A + k];
    assertAlmostEquals(sum, last, tol, `agent ${k}: Σ rewards ${sum} vs final ${last}`);
    if (k < n) assertAlmostEquals(last, s.makerPnl[k], tol);
  }
  assertAlmostEquals(r.cumPnl[(s.steps - 1) * A + n], s.backgroundPnl, tol);
  assertAlmostEquals(r.cumPnl[(s.steps - 1) * A + n + 1], s.takerPnl, tol);
  let executed = 0;
  for (let t = 0; t < s.steps; t++) {
    let f = 0;
    for (let k = 0; k <= n; k++) f += r.fills[t * A + k];
    assertEquals(f, r.takerFilled[t]);
    assertTrue(r.volume[t] >= r.takerFilled[t]);
    executed += r.takerFilled[t];
  }
  assertEquals(executed, s.executed);
  const stats = g.book.stats();
  assertEquals(stats.restedIn, stats.resting + stats.makerFilled + stats.cancelled);
  return s;
}

Deno.test("fills are attributed to the resting orders' owners, at their prices", () => {
  // Background 100 at P0 − 1 first, then maker 0 (200) and maker 1 (200); background 10,000 at
  // P0 − 5. The taker sells 450 at t = 0: 100 + 200 + 150 at P0 − 1.
  const g = two([], [], [450]);
  while (!g.step());
  const s = g.summary();
  assertEquals(s.makerVolume, [200, 150]);
  assertEquals(s.backgroundVolume, 100);
  assertEquals(s.makerFills, [1, 1]);
  assertAlmostEquals(s.takerPnl, -450 * 0.01, 1e-12);
  assertAlmostEquals(s.makerPnl[0], 2, 1e-12);
  assertAlmostEquals(s.makerPnl[1], 1.5, 1e-12);
  assertAlmostEquals(s.backgroundPnl, 1, 1e-12);
  assertEquals(s.makerMtm, [2, 1.5]);
  assertEquals(s.makerShare, [200 / 450, 150 / 450]);
  assertEquals(s.finalQty, [0, 50]);
});

Deno.test("accounting identities on the default game and each taker", () => {
  for (const kind of ["aggressive", "passive", "reactive", "almgren-chriss"] as const) {
    for (const makers of [0, 1, 2, 10]) {
      const s = checkIdentities({ makers, taker: { kind }, seed: 3 });
      assertEquals(s.executed, 8_000);
    }
  }
  const s = checkIdentities({ makers: 2, seed: 1 });
  // Both replenishers at P0 − 1: the taker pays one tick on everything.
  assertAlmostEquals(s.takerPnl, -80, 1e-9);
  assertAlmostEquals(s.makerMtm[0], s.makerPnl[0], 1e-9, "one price: mark-to-P0 = share");
});

Deno.test("accounting identities hold over random configurations (property)", () => {
  const policy = fc.constantFrom<MakerPolicySpec>(
    { kind: "replenisher" },
    { kind: "replenisher", offset: 3 },
    { kind: "follower" },
    { kind: "random" },
  );
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 1_000 }),
        steps: fc.integer({ min: 1, max: 40 }),
        policies: fc.array(policy, { minLength: 0, maxLength: 6 }),
        taker: fc.constantFrom<TakerSpec>(
          { kind: "aggressive" },
          { kind: "passive", maxWalk: 0 },
          { kind: "reactive" },
          { kind: "almgren-chriss", riskAversion: 1e-4 },
        ),
        hidden: fc.boolean(),
        unsold: fc.constantFrom("sweep" as const, "drop" as const),
        actions: fc.constantFrom("spec" as const, "factored" as const),
        noise: fc.constantFrom(0, 3),
        refill: fc.constantFrom("fraction" as const, "poisson" as const),
        orders: fc.constantFrom("single" as const, "multi" as const),
        uniform: fc.boolean(),
      }),
      (c) => {
        checkIdentities({
          orders: c.orders,
          arrival: c.uniform ? { kind: "uniform" } : { kind: "fixed" },
          seed: c.seed,
          steps: c.steps,
          makers: c.policies.length,
          policy: c.policies,
          taker: c.taker,
          game: c.hidden
            ? { kind: "hidden", size: { kind: "uniform", min: 1, max: 20_000 } }
            : { kind: "known", size: 5_000 },
          unsold: c.unsold,
          actions: c.actions,
          background: { noiseRate: c.noise, refill: c.refill },
        });
      },
    ),
    { numRuns: 60, seed: 42 },
  );
});

Deno.test("the per-step reward of a learner sums to its PnL share; learn sees truncation last", () => {
  const rewards: number[] = [];
  const flags: boolean[] = [];
  const g = createGame({
    makers: 2,
    seed: 5,
    policy: [
      {
        kind: "custom",
        create: (ctx) => ({
          name: "learner",
          act: (v) => ctx.actions.index(v.qty < v.target ? "replenish" : "keep_qty"),
          learn(r, _next, truncated) {
            rewards.push(r);
            flags.push(truncated);
          },
        }),
      },
      { kind: "follower" },
    ],
  });
  const s = g.run();
  assertEquals(s.steps, 90, "the default game: 90 steps, the taker's 60 among them");
  assertEquals(rewards.length, 90);
  assertEquals(flags.indexOf(true), 89);
  assertAlmostEquals(rewards.reduce((a, b) => a + b, 0), s.makerPnl[0], 1e-9);
  assertAlmostEquals(g.views[0].share, s.makerPnl[0], 1e-9);
  assertEquals(g.views[0].t, 90);
});

// ---------------------------------------------------------------------------------------------
// Games 1 and 2

Deno.test("game 1 shows the taker's remaining size; game 2 draws a hidden size per episode", () => {
  const remaining: number[] = [];
  const watch: MakerPolicySpec = {
    kind: "custom",
    create: (ctx) => ({
      name: "watch",
      act(v) {
        remaining.push(v.takerRemaining);
        return ctx.actions.index("keep_qty");
      },
    }),
  };
  const g1 = createGame({ makers: 1, policy: watch, seed: 1, arrival: { kind: "fixed" } });
  g1.run();
  assertEquals(remaining[0], 8_000);
  assertEquals(remaining[1], 8_000 - Math.round(8_000 / 60));
  remaining.length = 0;
  const g2 = createGame({
    makers: 1,
    policy: watch,
    game: { kind: "hidden", size: { kind: "uniform", min: 2_000, max: 12_000 } },
    seed: 1,
  });
  const sizes = new Set<number>();
  for (let e = 0; e < 20; e++) {
    const s = g2.run(e === 0 ? 1 : undefined);
    assertTrue(s.size >= 2_000 && s.size <= 12_000);
    assertEquals(s.executed, s.size);
    sizes.add(s.size);
  }
  assertTrue(sizes.size > 10, "sizes vary by episode");
  assertTrue(remaining.every(Number.isNaN), "hidden from the makers");
  // Choice and lognormal distributions.
  const c = createGame({
    makers: 0,
    game: { kind: "hidden", size: { kind: "choice", values: [1_000, 9_000], weights: [1, 3] } },
  });
  let big = 0;
  for (let e = 0; e < 400; e++) if (c.run().size === 9_000) big++;
  assertTrue(big > 260 && big < 340, `9,000 drawn ${big} of 400 (expected 300)`);
  const ln = createGame({
    makers: 0,
    game: {
      kind: "hidden",
      size: { kind: "lognormal", median: 8_000, sigma: 0.5, min: 1_000, max: 20_000 },
    },
  });
  const draws = Array.from({ length: 200 }, () => ln.run().size).sort((a, b) => a - b);
  assertTrue(draws[0] >= 1_000 && draws[199] <= 20_000);
  assertTrue(Math.abs(draws[100] - 8_000) < 1_200, `median ${draws[100]}`);
});

// ---------------------------------------------------------------------------------------------
// Baseline policies

Deno.test("replenisher holds P0 − offset and refills; follower joins the best competing bid", () => {
  const { frame } = playEpisode({
    makers: 2,
    seed: 2,
    policy: [{ kind: "replenisher", offset: 3 }, { kind: "follower" }],
    makerOrder: "fixed",
  });
  const m0 = frame.filter(pl.col("agent").eq(pl.lit("maker:0")));
  assertTrue((m0.getColumn("bid_offset").toArray() as number[]).every((o) => o === 3));
  const names = m0.getColumn("action_name").toArray() as string[];
  const fills = m0.getColumn("fills").toArray() as number[];
  for (let t = 1; t < 60; t++) {
    if (fills[t - 1] > 0) assertEquals(names[t], "replenish", `after a fill at ${t - 1}`);
  }
  // The follower joins the best competing bid (the background's P0 − 1) and stays there.
  const m1 = frame.filter(pl.col("agent").eq(pl.lit("maker:1")));
  const offsets = m1.getColumn("bid_offset").toArray() as number[];
  assertTrue(offsets.every((o) => o === 1), offsets.join());
  // Alone at the top (P0), a follower does not chase itself: it goes back to the others' best.
  const g = createGame({
    makers: 1,
    steps: 3,
    policy: { kind: "follower" },
    taker: sells([]),
    background: staticBackground([[2, 100]]),
    bid: { startOffset: 0 },
  });
  g.run();
  assertEquals(g.views[0].price, P0 - 2);
});

Deno.test("random policy: uses every action, reproducibly from its own stream", () => {
  const run = () => {
    const { frame } = playEpisode({ makers: 1, seed: 9, policy: { kind: "random" } });
    return frame.filter(pl.col("agent").eq(pl.lit("maker:0"))).getColumn("action").toArray();
  };
  const a = run();
  assertEquals(new Set(a).size, 7);
  assertEquals(run(), a);
});

// ---------------------------------------------------------------------------------------------
// Determinism

Deno.test("same seed gives identical frames; reset(seed) restarts the same episode", () => {
  const cfg: GameConfig = {
    makers: 3,
    seed: 11,
    policy: { kind: "random" },
    game: { kind: "hidden" },
    background: { noiseRate: 2, refill: "poisson" },
  };
  const a = playEpisode(cfg).frame, b = playEpisode(cfg).frame;
  assertTrue(a.frameEqual(b));
  assertTrue(!a.frameEqual(playEpisode({ ...cfg, seed: 12 }).frame));
  const g = createGame({ ...cfg, record: true });
  g.run();
  const first = episodeFrame(g);
  g.run();
  assertTrue(!episodeFrame(g).frameEqual(first), "the streams continue");
  g.run(11);
  assertTrue(episodeFrame(g).frameEqual(first));
});

Deno.test("adding a maker does not change the taker's or the background's draws", () => {
  const draws = (n: number) => {
    const taker: number[] = [], background: number[] = [];
    const bg: BackgroundFactory = ({ p0, rng }) => {
      const inner = staticBackground([[1, 1_000], [2, 100_000]])({ p0, rng });
      return {
        init: inner.init,
        step() {
          background.push(rng());
        },
      };
    };
    createGame({
      makers: n,
      seed: 4,
      policy: { kind: "random" },
      background: bg,
      taker: {
        kind: "custom",
        create: (ctx) => ({
          name: "drawing",
          decide(_v, o) {
            taker.push(ctx.rng());
            o.qty = 100;
          },
        }),
      },
    }).run();
    return { taker, background };
  };
  const one = draws(1), three = draws(3);
  assertEquals(three.taker, one.taker);
  assertEquals(three.background, one.background);
  // On the real background with noise and Poisson refill: makers that never bid leave the
  // taker's and the background's history unchanged.
  const rows = (n: number) => {
    const { frame } = playEpisode({
      makers: n,
      seed: 4,
      policy: { kind: "random" },
      bid: { startQty: 0, increment: 1, maxQty: 0 },
      background: { noiseRate: 3, refill: "poisson" },
    });
    return frame.filter(pl.col("role").neq(pl.lit("maker")));
  };
  assertTrue(rows(0).frameEqual(rows(3)));
});

// ---------------------------------------------------------------------------------------------
// Data

Deno.test("episode frame: one row per step and agent, typed columns, nulls where not applicable", () => {
  const { frame, summary } = playEpisode({
    makers: 2,
    seed: 1,
    steps: 10,
    arrival: { kind: "fixed" },
  });
  assertEquals(frame.height, 10 * 4);
  assertEquals(frame.columns, [
    "episode",
    "step",
    "time",
    "agent",
    "role",
    "policy",
    "action",
    "action_name",
    "bid_price",
    "bid_offset",
    "bid_qty",
    "target_qty",
    "queue_ahead",
    "fills",
    "other_fills",
    "child_qty",
    "child_floor",
    "child_filled",
    "taker_filled",
    "best_bid",
    "best_ask",
    "mid",
    "volume",
    "reward",
    "cum_pnl",
    "mtm_pnl",
  ]);
  const taker = frame.filter(pl.col("agent").eq(pl.lit("taker")));
  assertEquals(taker.getColumn("action").nullCount(), 10);
  assertEquals(taker.getColumn("child_floor").toArray()[0], P0 - 4, "passive: best bid − 3");
  assertEquals(
    (frame.getColumn("fills").sum() as number) - (taker.getColumn("fills").sum() as number),
    summary.executed,
  );
  const sf = summaryFrame([summary]);
  assertEquals(sf.height, 1);
  for (const c of ["taker_pnl", "shortfall_bps", "maker0_pnl", "maker1_final_price"]) {
    assertTrue(sf.columns.includes(c), c);
  }
  assertAlmostEquals(sf.getColumn("maker1_pnl").toArray()[0] as number, summary.makerPnl[1]);
  const many = playEpisodes({ makers: 1, seed: 2, game: { kind: "hidden" } }, { episodes: 3 });
  assertEquals(many.frame.height, 3);
  assertEquals(many.frame.getColumn("episode").toArray(), [0, 1, 2]);
});

// ---------------------------------------------------------------------------------------------
// Validation

Deno.test("every configuration field is validated, naming the field and the allowed values", () => {
  const bad: [GameConfig | unknown, string][] = [
    [{ makers: -1 }, "makers: must be an integer in [0, 64], got -1"],
    [{ makers: 2.5 }, "makers: must be an integer in [0, 64]"],
    [{ steps: 0 }, "steps: must be an integer in [1, 100000000], got 0"],
    [{ seed: NaN }, "seed: must be a safe integer or a non-empty string, got NaN"],
    [{ stepSeconds: 0 }, "stepSeconds: must be a number in (0,"],
    [{ p0: -5 }, "p0: must be an integer in [1000,"],
    [{ tickSize: -1 }, "tickSize: must be a number in (0,"],
    [{ bookSpan: 0 }, "bookSpan: must be an integer in [1,"],
    [{ bookSpan: 30 }, "bookSpan: must be an integer ≥ 50"],
    [{ game: { kind: "game3" } }, 'game.kind: must be one of "known", "hidden", got "game3"'],
    [{ game: { kind: "known", size: 0 } }, "game.size: must be an integer in [1, 2147483647]"],
    [{ game: { kind: "known", size: 10.5 } }, "game.size: must be an integer"],
    [{ game: { kind: "hidden", size: { kind: "poisson" } } }, "game.size.kind: must be one of"],
    [{ game: { kind: "hidden", size: { kind: "uniform", min: 5, max: 2 } } }, "game.size.max"],
    [{ game: { kind: "hidden", size: { kind: "choice", values: [] } } }, "game.size.values"],
    [
      { game: { kind: "hidden", size: { kind: "choice", values: [1], weights: [-1] } } },
      "game.size.weights[0]",
    ],
    [{ game: { kind: "hidden", size: { kind: "lognormal", median: 10 } } }, "game.size.sigma"],
    [{ taker: { kind: "twap" } }, 'taker.kind: must be one of "aggressive", "passive"'],
    [{ taker: { kind: "passive", maxWalk: -2 } }, "taker.maxWalk"],
    [{ taker: "passive" }, "taker: must be an object"],
    [{ policy: { kind: "greedy" } }, 'policy.kind: must be one of "replenisher", "follower"'],
    [{ makers: 2, policy: [{ kind: "random" }] }, "policy: must be one spec or an array of 2"],
    [{ makers: 1, policy: [{ kind: "replenisher", offset: 50 }] }, "policy[0].offset"],
    [{ policy: { kind: "follower", share: 0 } }, "policy.share"],
    [{ policy: { kind: "random", weights: [1, 2] } }, "policy.weights: must be an array of 7"],
    [{ policy: { kind: "custom" } }, "policy.create"],
    [{ bid: { maxQty: -1 } }, "bid.maxQty"],
    [{ bid: { increment: 0 } }, "bid.increment: must be an integer in [1,"],
    [{ bid: { startQty: 5_000 } }, "bid.startQty: must be an integer in [0, 2000]"],
    [{ bid: { minOffset: 3, maxOffset: 2 } }, "bid.maxOffset: must be an integer in [3,"],
    [{ bid: { startOffset: 20 } }, "bid.startOffset: must be an integer in [0, 10]"],
    [{ bid: { step: 1 } }, '"step": unknown option of bid (known: startOffset'],
    [{ actions: "flat" }, 'actions: must be one of "spec", "factored"'],
    [{ makerOrder: "alphabetical" }, 'makerOrder: must be one of "random", "fixed"'],
    [{ unsold: "carry" }, 'unsold: must be one of "sweep", "drop"'],
    [{ orders: "many" }, 'orders: must be one of "single", "multi", got "many"'],
    [{ arrival: "random" }, "arrival: must be an object"],
    [{ arrival: { kind: "poisson" } }, 'arrival.kind: must be one of "fixed", "uniform"'],
    [{ arrival: { kind: "fixed", start: -1 } }, "arrival.start: must be an integer in [0,"],
    [
      { steps: 10, arrival: { kind: "fixed", start: 10 } },
      "arrival.start: must be an integer in [0, 9]",
    ],
    [
      { steps: 10, arrival: { kind: "uniform", latest: 10 } },
      "arrival.latest: must be an integer in [0, 9]",
    ],
    [
      { arrival: { kind: "uniform", lastest: 3 } },
      '"lastest": unknown option of arrival; did you mean "latest"?',
    ],
    [{ background: { resilience: 2 } }, "background.resilience: must be a number in [0, 1]"],
    [{ background: { p0: 5 } }, "background.p0: must be absent"],
    [{ record: "yes" }, "record: must be true or false"],
    [{ makres: 2 }, '"makres": unknown option; did you mean "makers"?'],
    [
      { background: { resiliance: 0.3 } },
      '"resiliance": unknown option of background; did you mean "resilience"?',
    ],
    [{ seed: 1.5 }, "seed: must be a safe integer or a non-empty string, got 1.5"],
    [{ seed: {} }, "seed: must be a safe integer or a non-empty string, got {}"],
    [null, "config: must be an object"],
  ];
  for (const [cfg, msg] of bad) {
    assertThrows(() => createGame(cfg as GameConfig), ConfigError, msg);
  }
  assertEquals(resolveConfig({}).makers, 2);
  assertThrows(
    () => playEpisodes({}, { episodes: 0 }),
    ConfigError,
    "episodes: must be an integer",
  );
});

Deno.test("custom background draws from the background stream only", () => {
  const seen: Rng[] = [];
  const g = createGame({
    makers: 1,
    background: ({ p0, rng }) => {
      seen.push(rng);
      return staticBackground([[1, 10_000]])({ p0, rng });
    },
  });
  g.run();
  g.run();
  assertEquals(seen.length, 2, "one at creation (used by the first episode), one per later one");
});

Deno.test("evaluateGame: means of the game's own episodes on named seeds; per-step and decisions", () => {
  const config: GameConfig = {
    makers: 2,
    steps: 12,
    policy: [{ kind: "replenisher" }, { kind: "random" }],
    taker: { kind: "aggressive" },
    game: { kind: "hidden", size: { kind: "uniform", min: 500, max: 1500 } },
    background: { noiseRate: 0.5 },
  };
  const E = 4;
  const ev = evaluateGame({
    config,
    episodes: E,
    seed: (k) => `eval:7:${k}`,
    steps: true,
    decisions: true,
  });
  const game = createGame({ ...config, record: true });
  let pnl1 = 0, shortfall = 0, sold5 = 0, price0 = 0, frac = 0;
  const shortfalls: number[] = [];
  const actions = new Float64Array(game.actions.n);
  for (let k = 0; k < E; k++) {
    const s = game.run(`eval:7:${k}`);
    const r = game.record();
    pnl1 += s.makerPnl[1] / E;
    shortfall += s.shortfallBps / E;
    shortfalls.push(s.shortfallBps);
    sold5 += r.takerFilled[5] / E;
    price0 += r.bidPrice[makerRow(r, 3, 0)] / E;
    let cum = 0;
    for (let t = 0; t <= 3; t++) cum += r.takerFilled[t];
    frac += cum / s.size / E;
    for (let t = 0; t < r.steps; t++) actions[r.action[makerRow(r, t, 1)]]++;
  }
  assertAlmostEquals(ev.makers[1].pnl, pnl1, 1e-9);
  assertAlmostEquals(ev.mean.shortfallBps, shortfall, 1e-9);
  const m = shortfall;
  const sd = Math.sqrt(shortfalls.reduce((a, x) => a + (x - m) ** 2, 0) / (E - 1));
  assertAlmostEquals(ev.sd.shortfallBps, sd, 1e-9);
  assertAlmostEquals(ev.steps!.takerFilled[5], sold5, 1e-9);
  assertAlmostEquals(ev.steps!.makers[0].bidPrice[3], price0, 1e-9);
  assertAlmostEquals(ev.steps!.soldFrac[3], frac, 1e-9);
  assertAlmostEquals(ev.mean.makersPnl, ev.makers[0].pnl + ev.makers[1].pnl, 1e-9);
  const d = ev.decisions![1];
  assertEquals(d.decisions, E * 12);
  assertEquals(Array.from(d.actions), Array.from(actions, (a) => a / (E * 12)));
  // The replenisher holds P0 − 1 at every decision.
  assertEquals(ev.decisions![0].offset, 1);
  // Continuing streams: the first episode is the configuration's seed, as playEpisodes plays.
  const cont = evaluateGame({ config: { ...config, seed: 3 }, episodes: 3, seed: () => undefined });
  const ref = playEpisodes({ ...config, seed: 3 }, { episodes: 3 }).summaries;
  assertAlmostEquals(cont.mean.takerPnl, ref.reduce((a, s) => a + s.takerPnl, 0) / 3, 1e-9);
  assertThrows(() => evaluateGame({ config, episodes: 0, seed: () => 0 }), ConfigError, "episodes");
  // Unknown keys, at the top and in the config, with their paths and a suggestion.
  const o = { config, episodes: 1, seed: () => 0 };
  throwsUnknown(() => evaluateGame({ ...o, decision: true } as never), "decision", "decisions");
  throwsUnknown(
    () => evaluateGame({ ...o, config: { ...config, makres: 1 } as never }),
    "config.makres",
    "makers",
  );
  assertThrows(() => evaluateGame({ ...o, steps: 1 as never }), ConfigError, "steps: must be");
});
