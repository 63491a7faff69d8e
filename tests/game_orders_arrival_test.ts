/**
 * Makers with several orders and the taker's random arrival: the one-order rule and the fixed
 * start reproduce the first version's episodes byte for byte; the several-orders rule keeps the
 * resting orders' places (unit cases and a property test on the book's invariants); the arrival
 * draw (distribution, determinism, its own stream), what the makers can and cannot see, and the
 * accounting.
 */
import fc from "fast-check";
import { assertAlmostEquals, assertEquals, assertTrue } from "./_assert.ts";
import { ASK, BID, NONE, type OrderBook } from "../lib/book/mod.ts";
import { BACKGROUND, makerOwner } from "../lib/market/owners.ts";
import {
  type BackgroundFactory,
  createGame,
  type GameConfig,
  type MakerPolicySpec,
  type MakerView,
  resolveConfig,
} from "../lib/game/mod.ts";
import type { TakerSpec, TakerView } from "../lib/takers/mod.ts";
import { stream } from "../lib/rng.ts";
import { caseDigests, GOLDEN_CASES, GOLDEN_FILE } from "./_game_golden.ts";

const P0 = 10_000;

// ---------------------------------------------------------------------------------------------
// The first version's game, byte for byte

Deno.test('orders: "single" and a fixed start reproduce the episodes of f906fd7 byte for byte', () => {
  const want = JSON.parse(Deno.readTextFileSync(GOLDEN_FILE)) as Record<string, string[]>;
  for (const c of GOLDEN_CASES) {
    const got = caseDigests(createGame, c, { orders: "single", arrival: { kind: "fixed" } });
    assertEquals(got, want[c.name], c.name);
  }
  // The new defaults play another game (so the comparison can fail).
  const moved = GOLDEN_CASES.filter((c) =>
    caseDigests(createGame, c, { arrival: { kind: "fixed" } }).join() !== want[c.name].join()
  );
  assertTrue(moved.length >= 5, `several orders change ${moved.length} of the cases`);
});

// ---------------------------------------------------------------------------------------------
// Several orders per maker: the rules

function staticBackground(bids: [number, number][], ask = P0 + 1): BackgroundFactory {
  return ({ p0 }) => ({
    init(book: OrderBook) {
      for (const [off, q] of bids) book.limit(BID, p0 - off, q, BACKGROUND);
      book.limit(ASK, ask, 100, BACKGROUND);
    },
    step() {},
  });
}

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

function sells(qty: number[]): TakerSpec {
  return {
    kind: "custom",
    create: () => ({
      name: "script",
      decide(v, o) {
        o.qty = qty[v.t] ?? 0;
      },
    }),
  };
}

/** Two makers at P0 − 1 behind 100 background (maker 0 first), 200 each; several orders. */
function two(a0: string[], a1: string[] = [], sold: number[] = [], extra: GameConfig = {}) {
  const g = createGame({
    makers: 2,
    steps: 6,
    arrival: { kind: "fixed" },
    game: { kind: "known", size: 1_000 },
    policy: [script(a0), script(a1)],
    taker: sells(sold),
    background: staticBackground([[1, 100], [5, 10_000]]),
    bid: { startOffset: 1, startQty: 200, increment: 100, maxQty: 400, maxOffset: 5 },
    makerOrder: "fixed",
    unsold: "drop",
    orders: "multi",
    ...extra,
  });
  g.reset();
  return g;
}

/** The queue at `P0 − offset`: `"bg:100 m0:200 …"`. */
function queue(book: OrderBook, offset: number): string {
  const out: string[] = [];
  book.forEachAt(BID, P0 - offset, (_id, owner, qty) => {
    out.push(`${owner === BACKGROUND ? "bg" : `m${owner - makerOwner(0)}`}:${qty}`);
  });
  return out.join(" ");
}

Deno.test("several orders: replenish adds the missing quantity at the back, keeping the resting order's place", () => {
  // The taker sells 150: the background's 100, then 50 of maker 0.
  const g = two(["keep_qty", "replenish"], [], [150]);
  g.step();
  assertEquals(queue(g.book, 1), "m0:150 m1:200");
  g.step();
  assertEquals(queue(g.book, 1), "m0:150 m1:200 m0:50");
  assertEquals([g.views[0].qty, g.views[0].queueAhead()], [200, 0], "its oldest order is first");
  // One order: the same top-up moves the whole 200 behind maker 1.
  const s = two(["keep_qty", "replenish"], [], [150], { orders: "single" });
  s.step();
  s.step();
  assertEquals(queue(s.book, 1), "m1:200 m0:200");
  assertEquals(s.views[0].queueAhead(), 200);
});

Deno.test("several orders: qty_up adds a new order; qty_down cancels from the back, then reduces", () => {
  const g = two(["qty_up", "qty_up", "qty_down", "qty_down", "qty_down"]);
  g.step();
  assertEquals(queue(g.book, 1), "bg:100 m0:200 m1:200 m0:100");
  assertEquals([g.views[0].qty, g.views[0].target, g.views[1].queueAhead()], [300, 300, 300]);
  g.step();
  assertEquals(queue(g.book, 1), "bg:100 m0:200 m1:200 m0:100 m0:100");
  g.step();
  assertEquals(queue(g.book, 1), "bg:100 m0:200 m1:200 m0:100", "the newest goes first");
  g.step();
  g.step();
  assertEquals(queue(g.book, 1), "bg:100 m0:100 m1:200", "then the oldest is reduced in place");
  assertEquals([g.views[0].qty, g.views[0].target, g.views[0].queueAhead()], [100, 100, 100]);
});

Deno.test("several orders: a re-price moves all of them to the back of the new level", () => {
  const g = two(["qty_up", "down", "up"], ["down"]);
  g.step();
  g.step();
  assertEquals(queue(g.book, 1), "bg:100");
  assertEquals(queue(g.book, 2), "m1:200 m0:300", "one order of the total, behind maker 1");
  g.step();
  assertEquals(queue(g.book, 1), "bg:100 m0:300");
  // Fills take the oldest orders first; the view follows the oldest that is left.
  const f = two(["qty_up", "keep_qty"], [], [0, 250]);
  f.step();
  f.step();
  assertEquals(queue(f.book, 1), "m0:50 m1:200 m0:100");
  assertEquals([f.views[0].qty, f.views[0].queueAhead()], [150, 0]);
  // Fully filled, then re-posted by keep_price: one new order.
  const k = two(["keep_qty", "keep_price"], [], [300]);
  k.step();
  assertEquals(queue(k.book, 1), "m1:200");
  k.step();
  assertEquals(queue(k.book, 1), "m1:200 m0:200");
});

// ---------------------------------------------------------------------------------------------
// Several orders: the book's invariants over random play (property)

/** A reference of the quantity rule: the resting total after action `a` (before any fill). */
function expectedRest(
  name: string,
  before: { price: number; qty: number; target: number },
  o: { increment: number; maxQty: number; lo: number; hi: number },
): { price: number; qty: number; target: number } {
  const dp = name.startsWith("up") ? 1 : name.startsWith("down") ? -1 : 0;
  const dq = name === "qty_up" || name.endsWith("/up")
    ? 1
    : name === "qty_down" || name.endsWith("/down")
    ? -1
    : 0;
  const clamp = (x: number, a: number, b: number) => Math.min(b, Math.max(a, x));
  const price = clamp(before.price + dp, o.lo, o.hi);
  const target = clamp(before.target + dq * o.increment, 0, o.maxQty);
  let qty = clamp(before.qty + dq * o.increment, 0, o.maxQty);
  if (name === "replenish" || (name === "keep_price" && qty === 0)) qty = target;
  return { price, qty, target };
}

Deno.test("several orders keep the book's invariants over random play (property)", () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 10_000 }),
        makers: fc.integer({ min: 1, max: 4 }),
        actions: fc.constantFrom("spec" as const, "factored" as const),
        sells: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 12, maxLength: 12 }),
        noise: fc.constantFrom(0, 2),
        weights: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 10, maxLength: 10 }),
      }),
      (c) => {
        const steps = 12, inc = 50, maxQty = 400, maxOffset = 4;
        const nA = c.actions === "spec" ? 7 : 10;
        const w = c.weights.slice(0, nA).map((x) => x + 0.5);
        const config: GameConfig = {
          seed: c.seed,
          steps,
          makers: c.makers,
          actions: c.actions,
          orders: "multi",
          arrival: { kind: "fixed" },
          game: { kind: "known", size: 100_000 },
          policy: { kind: "random", weights: w },
          taker: sells(c.sells),
          bid: { increment: inc, maxQty, maxOffset, startQty: 100 },
          background: { depthLevels: 8, totalDepth: 1_200, noiseRate: c.noise },
          record: true,
        };
        const g = createGame(config);
        const names = g.actions.names;
        const book = g.book;
        const lists = (i: number, price: number) => {
          const ids: number[] = [];
          book.forEachAt(BID, price, (id, owner) => owner === makerOwner(i) && ids.push(id));
          return ids;
        };
        g.reset();
        const prev = g.views.map((v) => {
          const ids = lists(v.index, v.price);
          const ahead = new Map(ids.map((id) => [id, book.queueAhead(id)]));
          return { price: v.price, qty: v.qty, target: v.target, ids, ahead };
        });
        for (let t = 0; t < steps; t++) {
          g.step();
          const r = g.record();
          const bb = book.bestBid(), ba = book.bestAsk();
          if (bb !== NONE && ba !== NONE) assertTrue(bb < ba, "never crossed");
          const st = book.stats();
          assertEquals(st.restedIn, st.resting + st.makerFilled + st.cancelled, "volumes");
          for (let i = 0; i < c.makers; i++) {
            const v = g.views[i] as MakerView;
            const ids = lists(i, v.price);
            // Per-owner totals: all of its quantity rests at its price, in its orders.
            let atPrice = 0;
            for (const id of ids) atPrice += book.orderQty(id);
            assertEquals(atPrice, v.qty, "its orders add up to its resting quantity");
            assertEquals(book.ownerResting(makerOwner(i), BID), v.qty, "nothing elsewhere");
            assertTrue(v.qty <= v.target, "never more than its target");
            if (v.qty > 0) assertTrue(ba === NONE || v.price < ba, "post-only");
            // The quantity rule (checked on what rests plus what was filled this step).
            const a = names[r.action[t * (c.makers + 2) + i]];
            const want = expectedRest(a, prev[i], {
              increment: inc,
              maxQty,
              lo: P0 - maxOffset,
              hi: P0,
            });
            assertEquals(v.target, want.target, `target after ${a}`);
            // (Bids stay at or below P0, under the ask ladder, so nothing is held back.)
            const row = t * (c.makers + 2) + i;
            const filled = r.fills[row] + r.otherFills[row];
            assertEquals(v.price, want.price, `price after ${a}`);
            assertEquals(v.qty + filled, want.qty, `resting after ${a} (${filled} filled)`);
            // FIFO: at an unchanged price its surviving orders keep their order and places
            // (a prefix filled, a suffix cut) and at most one new order joins behind them.
            if (v.price === prev[i].price) {
              const old = prev[i].ids;
              const kept = ids.filter((id) => old.includes(id));
              const k0 = kept.length === 0 ? 0 : old.indexOf(kept[0]);
              assertEquals(kept, old.slice(k0, k0 + kept.length), "a contiguous run, in order");
              assertTrue(ids.length - kept.length <= 1, "at most one new order");
              if (ids.length > kept.length) {
                assertEquals(ids.slice(0, kept.length), kept, "the new one is the newest");
              }
              // ...and never lose their places: what is ahead of them only shrinks.
              for (const id of kept) {
                assertTrue(book.queueAhead(id) <= prev[i].ahead.get(id)!, "kept its place");
              }
            } else assertTrue(ids.length <= 1, "a re-price leaves one order");
            const ahead = new Map(ids.map((id) => [id, book.queueAhead(id)]));
            prev[i] = { price: v.price, qty: v.qty, target: v.target, ids, ahead };
          }
        }
      },
    ),
    { numRuns: 80, seed: 7 },
  );
});

// ---------------------------------------------------------------------------------------------
// Random arrival

Deno.test("arrival: the start is uniform on 0 … latest, from its own stream, and reproducible", () => {
  const cfg = resolveConfig({});
  assertEquals([cfg.steps, cfg.arrival.kind, cfg.arrival.latest, cfg.arrival.window], [
    90,
    "uniform",
    30,
    60,
  ]);
  const g = createGame({ makers: 0, seed: 3 });
  const counts = new Array(31).fill(0);
  const starts: number[] = [];
  for (let e = 0; e < 3_100; e++) {
    g.reset(e === 0 ? 3 : undefined);
    starts.push(g.summary().takerStart);
    counts[g.summary().takerStart]++;
  }
  // Chi-square goodness of fit, 30 degrees of freedom: the 0.999 quantile is 59.7.
  const chi = counts.reduce((s, k) => s + (k - 100) ** 2 / 100, 0);
  assertTrue(chi < 59.7, `chi-square ${chi.toFixed(1)}`);
  assertEquals(Math.min(...starts), 0);
  assertEquals(Math.max(...starts), 30);
  // Its own named stream: the start is the first draw of stream(seed, "arrival").
  const r = stream(3, "arrival");
  assertEquals(starts[0], Math.floor(r() * 31));
  assertEquals(starts[1], Math.floor(r() * 31));
  // Same seed, same starts; other latest starts and fixed starts.
  const again = createGame({ makers: 0, seed: 3 });
  for (let e = 0; e < 5; e++) {
    again.reset(e === 0 ? 3 : undefined);
    assertEquals(again.summary().takerStart, starts[e]);
  }
  const small = resolveConfig({ steps: 10 });
  assertEquals([small.arrival.latest, small.arrival.window], [3, 7]);
  const fixed = createGame({ makers: 0, arrival: { kind: "fixed", start: 4 }, steps: 20 });
  fixed.run();
  assertEquals([fixed.summary().takerStart, fixed.summary().takerSteps], [4, 16]);
  assertEquals(resolveConfig({ arrival: { kind: "fixed", start: 5 } }).steps, 65);
});

Deno.test("arrival: adding the draw changes no other stream", () => {
  // Game 2's sizes, the makers' random actions and update order, the taker's and the
  // background's draws are the same with a fixed start and with a random one.
  const run = (arrival: GameConfig["arrival"]) => {
    const taker: number[] = [];
    const g = createGame({
      makers: 3,
      seed: 8,
      steps: 40,
      arrival,
      game: { kind: "hidden" },
      policy: { kind: "random" },
      background: { noiseRate: 2, refill: "poisson" },
      taker: {
        kind: "custom",
        create: (ctx) => ({
          name: "draws",
          decide(_v, o) {
            taker.push(ctx.rng());
            o.qty = 10;
          },
        }),
      },
      record: true,
    });
    const sizes: number[] = [], actions: number[][] = [];
    for (let e = 0; e < 4; e++) {
      const s = g.run(e === 0 ? 8 : undefined);
      sizes.push(s.size);
      actions.push(Array.from(g.record().action));
    }
    return { sizes, actions, taker, start: g.summary().takerStart };
  };
  const a = run({ kind: "fixed", start: 13 }), b = run({ kind: "uniform", latest: 13 });
  assertEquals(b.sizes, a.sizes);
  assertEquals(b.actions, a.actions, "the makers' draws (and so their actions) are unchanged");
  assertEquals(b.taker, a.taker, "the taker draws once per step of its window either way");
});

/** A maker that keeps a copy of every view it is shown. */
function watcher(seen: string[][]): MakerPolicySpec {
  return {
    kind: "custom",
    create: (ctx) => {
      const mine: string[] = [];
      seen.push(mine);
      return {
        name: "watch",
        act(v) {
          const { book: _b, queueAhead: _q, ...rest } = v;
          mine.push(JSON.stringify({ ...rest, ahead: v.queueAhead() }));
          return ctx.actions.index("replenish");
        },
      };
    },
  };
}

Deno.test("arrival: the makers cannot tell when the taker will start (nor, in game 2, its size)", () => {
  for (const game of [{ kind: "known" }, { kind: "hidden", size: { kind: "fixed" } }] as const) {
    const views = (start: number, size: number) => {
      const seen: string[][] = [];
      createGame({
        makers: 2,
        seed: 1,
        policy: watcher(seen),
        arrival: { kind: "fixed", start },
        steps: 80,
        game: game.kind === "known"
          ? { kind: "known", size: 8_000 }
          : { kind: "hidden", size: { kind: "fixed", value: size } },
        background: { noiseRate: 1 },
        taker: { kind: "reactive" },
      }).run();
      return seen;
    };
    const early = views(5, 8_000), late = views(20, game.kind === "known" ? 8_000 : 3_000);
    for (let i = 0; i < 2; i++) {
      // Up to and including the arrival step, a maker's views are identical: nothing in them
      // depends on the start (or on the hidden size).
      assertEquals(late[i].slice(0, 6), early[i].slice(0, 6), `${game.kind}, maker ${i}`);
      assertTrue(late[i][6] !== early[i][6], "the first child order shows in the next view");
    }
  }
});

Deno.test("arrival: the taker plays its own window in its own time; accounting holds", () => {
  const calls: string[] = [];
  const taker: TakerSpec = {
    kind: "custom",
    create: (ctx) => ({
      name: "log",
      reset: (v: Readonly<TakerView>) => calls.push(`reset ${v.t}/${v.stepsLeft}/${ctx.steps}`),
      decide(v, o) {
        calls.push(`decide ${v.t}/${v.stepsLeft}`);
        o.qty = v.stepsLeft === 1 ? 0 : 100; // leaves the rest for the deadline sweep
      },
      learn: (_r, v, truncated) => calls.push(`learn ${v.t}${truncated ? " end" : ""}`),
    }),
  };
  const g = createGame({
    makers: 2,
    seed: 2,
    steps: 12,
    arrival: { kind: "fixed", start: 3 },
    game: { kind: "known", size: 1_000 },
    taker,
    record: true,
  });
  const s = g.run();
  assertEquals([s.takerStart, s.takerSteps, s.steps], [3, 9, 12]);
  assertEquals(calls[0], "reset 0/9/9", "reset when it arrives, with its own clock");
  assertEquals(calls[1], "decide 0/9");
  assertEquals(calls.filter((c) => c.startsWith("decide")).length, 9);
  assertEquals(calls.filter((c) => c.startsWith("learn")).length, 9);
  assertEquals(calls.at(-1), "learn 9 end", "truncated at its last step");
  const r = g.record();
  assertEquals(Array.from(r.childQty.slice(0, 3)), [0, 0, 0], "nothing before it arrives");
  assertEquals(Array.from(r.takerFilled.slice(3, 5)), [100, 100]);
  assertEquals(r.takerFilled[11], 1_000 - 8 * 100, "the deadline sweep at its last step");
  assertEquals(r.start, 3);
  assertEquals([s.executed, s.unsold, s.sweepQty], [1_000, 0, 200]);
  const shares = s.makerPnl.reduce((a, b) => a + b, 0) + s.backgroundPnl;
  assertAlmostEquals(shares, -s.takerPnl, 1e-9, "maker + background shares = −taker PnL");
  // A window ending before the episode: the last steps have no taker and no reward.
  const h = createGame({
    makers: 1,
    seed: 1,
    steps: 30,
    arrival: { kind: "uniform", latest: 10 },
    record: true,
  });
  for (let e = 0; e < 5; e++) {
    const x = h.run();
    const rec = h.record();
    for (let t = 0; t < 30; t++) {
      const inside = t >= x.takerStart && t < x.takerStart + 20;
      if (!inside) {
        assertEquals([rec.childQty[t], rec.takerFilled[t], rec.reward[t * 3]], [0, 0, 0]);
      }
    }
    assertEquals(x.executed, 8_000);
    assertAlmostEquals(x.makerPnl[0] + x.backgroundPnl, -x.takerPnl, 1e-9);
  }
});
