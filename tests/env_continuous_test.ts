/**
 * Tests of the continuous order-book environment (`createContinuousMarketMakingEnv`): action
 * decoding and its bounds, the discrete grid as a wrapper over it, sizes and the inventory limit,
 * the target-tracking reward term, the conformance checker on box actions, the market conditions,
 * the volatility × time heatmap data, and the vectorised environment.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ASK, BID } from "../lib/book/mod.ts";
import {
  askTick,
  bidTick,
  type BoxEnv,
  checkContinuousActions,
  checkEnv,
  createContinuousMarketMakingEnv,
  createDecodedQuote,
  createMarketMakingEnv,
  createVecEnv,
  createVolTimeGrid,
  decodeAction,
  discretize,
  encodeQuote,
  EnvCheckError,
  MARKET_CONDITION_NAMES,
  marketCondition,
  type MarketMakingOptions,
  runEpisode,
  runEpisodes,
  scriptedFlow,
  type StepResult,
} from "../lib/env/mod.ts";
import { stream } from "../lib/rng.ts";
import { near, throwsConfig } from "./_assert.ts";

const C = { ...checkContinuousActions({}), maxTarget: 10 };

Deno.test("decodeAction: every action in the box decodes inside the configured ranges", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
      fc.record({
        minOffset: fc.double({ min: -5, max: 3, noNaN: true }),
        width: fc.double({ min: 0.5, max: 20, noNaN: true }),
        lotSize: fc.integer({ min: 1, max: 10 }),
        maxLots: fc.integer({ min: 1, max: 6 }),
        maxTarget: fc.double({ min: 0.5, max: 50, noNaN: true }),
      }),
      (a, r) => {
        const c = {
          ...checkContinuousActions({
            minOffset: r.minOffset,
            maxOffset: r.minOffset + r.width,
            lotSize: r.lotSize,
            maxLots: r.maxLots,
          }),
          maxTarget: r.maxTarget,
        };
        const q = decodeAction(c, a, createDecodedQuote());
        for (const off of [q.bidOffset, q.askOffset]) {
          assert.ok(off >= c.minOffset - 1e-12 && off <= c.maxOffset + 1e-12);
        }
        for (const size of [q.bidSize, q.askSize]) {
          assert.ok(size >= 0 && size <= c.maxLots * c.lotSize && size % c.lotSize === 0);
        }
        assert.ok(Math.abs(q.target) <= c.maxTarget + 1e-12);
        // Monotone in each coordinate, and the ends map to the ends.
        const e = decodeAction(c, [1, -1, 1, -1, 1], createDecodedQuote());
        near(e.bidOffset, c.maxOffset, 1e-12);
        near(e.askOffset, c.minOffset, 1e-12);
        assert.deepEqual([e.bidSize, e.askSize, e.target], [c.maxLots * c.lotSize, 0, c.maxTarget]);
      },
    ),
    { seed: 12, numRuns: 300 },
  );
});

Deno.test("decodeAction: defaults, encodeQuote inverts it on the grid, bad actions name the entry", () => {
  // The default box spans the discrete grid's offsets h ± s ∈ [−1, 7].
  for (const h of [1, 2, 3, 4, 5]) {
    for (const s of [-2, -1, 0, 1, 2]) {
      for (const [bs, as] of [[0, 0], [1, 2], [2, 1]]) {
        const want = { bidOffset: h + s, askOffset: h - s, bidSize: bs, askSize: as, target: -3 };
        const got = decodeAction(C, encodeQuote(C, want), createDecodedQuote());
        near(got.bidOffset, want.bidOffset, 1e-12);
        near(got.askOffset, want.askOffset, 1e-12);
        assert.deepEqual([got.bidSize, got.askSize], [bs, as]);
        near(got.target, -3, 1e-12);
      }
    }
  }
  // The middle of the box: 3 ticks, 1 unit each side (the discrete default size), target 0.
  const mid = decodeAction(C, [0, 0, 0, 0, 0], createDecodedQuote());
  assert.deepEqual([mid.bidOffset, mid.askOffset, mid.bidSize, mid.askSize, mid.target], [
    3,
    3,
    1,
    1,
    0,
  ]);
  throwsConfig(() => decodeAction(C, [0, 0, 0, 0], createDecodedQuote()), "action");
  throwsConfig(() => decodeAction(C, [0, 0, 1.01, 0, 0], createDecodedQuote()), "action[2]");
  throwsConfig(() => decodeAction(C, [0, NaN, 0, 0, 0], createDecodedQuote()), "action[1]");
  throwsConfig(() => checkContinuousActions({ maxOffset: -2 }), "continuous.maxOffset");
  throwsConfig(() => checkContinuousActions({ lots: 2 } as never), "continuous.lots");
  throwsConfig(() => checkContinuousActions({ lotSize: 1.5 }), "continuous.lotSize");
  throwsConfig(
    () => createContinuousMarketMakingEnv({ continuous: { maxLots: 0 } }),
    "continuous.maxLots",
  );
});

Deno.test("prices round to ticks toward the mid, robust to float error in the offset", () => {
  assert.equal(bidTick(100, 1), 99);
  assert.equal(bidTick(100.5, 1), 100); // joins a 1-tick book's best bid
  assert.equal(bidTick(100, 1.3), 99);
  assert.equal(bidTick(100, 2.9999999999999996), 97);
  assert.equal(bidTick(100, 3.0000000000000004), 97);
  assert.equal(askTick(100.5, 1), 101);
  assert.equal(askTick(100, 2.9999999999999996), 103);
  assert.equal(askTick(100, 0.7), 100);
});

/** The order-book env options of a test, with the continuous actions' defaults. */
const BOOK: MarketMakingOptions = { episodeLength: 300 };

Deno.test("the discrete grid is a wrapper: the continuous env replays it exactly", () => {
  // Each quote action of the grid (and cancel), encoded as a box action; flatten has no box
  // counterpart and is left out.
  for (const opts of [{ latency: 0 }, { latency: 2, maxInventory: 3 }, marketCondition("toxic")]) {
    const options = { ...BOOK, ...opts };
    const grid = createMarketMakingEnv(options);
    const cont = createContinuousMarketMakingEnv(options);
    const tb = grid.spec.actions;
    const encoded = Array.from(
      { length: tb.nQuotes + 1 },
      (_, a) =>
        a === tb.cancel
          ? encodeQuote(cont.continuous, {
            bidOffset: 3,
            askOffset: 3,
            bidSize: 0,
            askSize: 0,
            target: 0,
          })
          : encodeQuote(cont.continuous, {
            bidOffset: tb.bidOffset[a],
            askOffset: tb.askOffset[a],
            bidSize: 1,
            askSize: 1,
            target: 0,
          }),
    );
    const wrapped = discretize(cont, encoded);
    const rng = stream(5, "grid-wrapper");
    let steps = 0;
    for (let episode = 0; episode < 4; episode++) {
      const x = grid.reset({ seed: episode }), y = wrapped.reset({ seed: episode });
      assert.deepEqual([...x.obs], [...y.obs]);
      for (;;) {
        const a = Math.floor(rng() * (tb.nQuotes + 1));
        const r = grid.step(a), s = wrapped.step(a);
        steps++;
        assert.deepEqual([...r.obs], [...s.obs], `step ${steps}`);
        assert.equal(r.reward, s.reward);
        assert.deepEqual({ ...r.info }, { ...s.info });
        if (r.terminated || r.truncated) break;
      }
    }
    assert.equal(steps, 1200);
  }
});

Deno.test("checkEnv passes on the continuous env, and catches a box env that accepts bad actions", () => {
  const variants: MarketMakingOptions[] = [
    {},
    { latency: 3, continuous: { lotSize: 2, maxLots: 3 }, maxInventory: 6 },
    { inventoryLimit: "terminate", maxInventory: 3, reward: { targetTracking: 0.1 } },
    marketCondition("volatile", { copyObs: true }),
  ];
  for (const v of variants) {
    const r = checkEnv(() => createContinuousMarketMakingEnv({ episodeLength: 200, ...v }), {
      steps: 1_000,
      maxEpisodeSteps: 200,
      seed: 3,
    });
    assert.equal(r.checks.length, 7);
    assert.ok(r.episodes >= 4);
  }
  // A box env that clips instead of rejecting fails the invalid-action check.
  const lax = (): BoxEnv => {
    const obs = new Float64Array(1);
    let t = 0, seed = 0;
    const res: StepResult<Float64Array> = {
      obs,
      reward: 0,
      terminated: false,
      truncated: false,
      info: {},
    };
    return {
      observationSpace: {
        kind: "box",
        shape: [1],
        low: Float64Array.of(-1e9),
        high: Float64Array.of(1e9),
      },
      actionSpace: {
        kind: "box",
        shape: [2],
        low: Float64Array.of(-1, -1),
        high: Float64Array.of(1, 1),
      },
      reset(o) {
        if (o?.seed !== undefined) seed = o.seed;
        t = 0;
        obs[0] = seed;
        return { obs, info: {} };
      },
      step(a) {
        if (t >= 5) throw new Error("ended");
        t++;
        obs[0] = seed + t + Math.max(-1, Math.min(1, a[0] || 0));
        res.reward = obs[0];
        res.truncated = t >= 5;
        return res;
      },
    };
  };
  assert.throws(
    () => checkEnv(lax, { steps: 20 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "invalid actions",
  );
});

/** A quiet book: bids at 99 (5), asks at 101 (5); step 1: a market sell of 3 hits the bids. */
function quiet(extra: MarketMakingOptions = {}) {
  return createContinuousMarketMakingEnv({
    p0: 100,
    priceRange: 50,
    latency: 0,
    episodeLength: 6,
    orderFlow: scriptedFlow({
      initial: [{ side: BID, price: 99, qty: 5 }, { side: ASK, price: 101, qty: 5 }],
      events: [{ kind: "market", step: 1, side: ASK, qty: 3 }],
    }),
    ...extra,
  });
}

Deno.test("sizes in lots, the size rules of a kept order, and the inventory clip", () => {
  const env = quiet({ continuous: { lotSize: 2, maxLots: 2 }, maxInventory: 3 });
  const c = env.continuous;
  env.reset();
  // Join both sides (1 tick from mid 100) with 2 lots = 4 units: the bid is clipped to 3.
  const join = (bidSize: number, askSize: number, target = 0) =>
    encodeQuote(c, { bidOffset: 1, askOffset: 1, bidSize, askSize, target });
  let r = env.step(join(4, 4));
  assert.deepEqual([r.info.bidPrice, r.info.bidQty, r.info.askPrice, r.info.askQty], [
    99,
    3,
    101,
    3,
  ]);
  const bidId = env.bidId;
  // Step 1: the sell of 3 hits the 5 background bids first (time priority): no fill. Asking 1 lot
  // (2 units) reduces the kept order in place.
  r = env.step(join(2, 4));
  assert.equal(env.bidId, bidId, "kept: same price, not a larger size");
  assert.equal(r.info.bidQty, 2);
  assert.equal(r.info.passiveQty, 0);
  // Asking 2 lots again is an increase: re-placed (a new id at the back), clipped to 3.
  r = env.step(join(4, 4));
  assert.notEqual(env.bidId, bidId);
  assert.equal(r.info.bidQty, 3);
  assert.equal(env.ordersPlaced, 3);
  // Size 0 on a side cancels it.
  r = env.step(join(0, 4));
  assert.ok(Number.isNaN(r.info.bidPrice));
  assert.equal(r.info.bidQty, 0);
});

Deno.test("target tracking: −η·(inventory − target)², logged with the target; terms sum to the reward", () => {
  const env = createContinuousMarketMakingEnv({
    ...BOOK,
    reward: { inventoryPenalty: 0.01, dampening: 0.3, targetTracking: 0.05 },
  });
  env.reset({ seed: 4 });
  const rng = stream(4, "target");
  const a = new Float64Array(5);
  let seen = 0;
  for (let t = 0; t < 300; t++) {
    for (let i = 0; i < 5; i++) a[i] = 2 * rng() - 1;
    const r = env.step(a);
    const info = r.info;
    near(info.inventoryTarget, a[4] * 10, 1e-12); // maxTarget defaults to maxInventory
    near(info.rewardTarget, -0.05 * (info.inventory - info.inventoryTarget) ** 2, 1e-12);
    const sum = info.rewardPnl + info.rewardInventory + info.rewardDampening +
      info.rewardSpreadCapture + info.rewardTarget;
    near(r.reward, sum, 1e-12);
    if (info.rewardTarget < 0) seen++;
    if (r.truncated) break;
  }
  assert.ok(seen > 250);
  // In the discrete grid the target is 0: the term is a second inventory penalty.
  const grid = createMarketMakingEnv({ ...BOOK, reward: { targetTracking: 0.05 } });
  grid.reset({ seed: 4 });
  for (let t = 0; t < 100; t++) {
    const r = grid.step(2);
    near(r.info.rewardTarget, -0.05 * r.info.inventory ** 2, 1e-12);
    assert.equal(r.info.inventoryTarget, 0);
  }
  throwsConfig(
    () => createContinuousMarketMakingEnv({ reward: { targetTracking: -1 } }),
    "reward.targetTracking",
  );
});

Deno.test("runEpisode records box actions as columns", () => {
  const env = createContinuousMarketMakingEnv({ episodeLength: 20 });
  const act = Float64Array.of(-0.5, 0.25, 0, 1, -0.2);
  const run = runEpisode(env, { act: () => act }, { seed: 2 });
  assert.equal(run.record.action[5], -1);
  assert.deepEqual([...run.record.actionVectors!.subarray(5, 10)], [...act]);
  assert.equal(run.frame.getColumn("action_askSize").get(3), 1);
  assert.ok(Number.isNaN(run.frame.getColumn("action_bidOffset").get(0)));
  near(run.frame.getColumn("inventoryTarget").get(7), -2, 1e-12);
});

Deno.test("market conditions differ as documented", () => {
  const stats = (opts: MarketMakingOptions, half: number) => {
    const env = createMarketMakingEnv({ ...opts, episodeLength: 1000 });
    const a = 5 * (half - 1) + 2; // half-spread `half`, no skew
    let vol = 0, adverse = 0, pnl = 0;
    const episodes = 8;
    runEpisodes(env, { act: () => a }, {
      episodes,
      seed: 100,
      horizons: [5],
      onEpisode: (e) => {
        const mid = e.record.info.mid;
        let ss = 0;
        for (let i = 1; i < mid.length; i++) ss += (mid[i] - mid[i - 1]) ** 2;
        vol += Math.sqrt(ss / (mid.length - 1)) / episodes;
        adverse += e.metrics.adverseRate[0] / episodes;
        pnl += e.metrics.pnl / episodes;
      },
    });
    return { vol, adverse, pnl };
  };
  const base = { 1: stats({}, 1), 3: stats({}, 3) };
  const calm = stats(marketCondition("calm"), 1);
  const volatile = stats(marketCondition("volatile"), 1);
  const toxic = { 1: stats(marketCondition("toxic"), 1), 3: stats(marketCondition("toxic"), 3) };
  assert.ok(volatile.vol > base[1].vol + 0.05, JSON.stringify({ volatile, base }));
  assert.ok(
    calm.pnl > base[1].pnl && calm.adverse < base[1].adverse,
    JSON.stringify({ calm, base }),
  );
  assert.ok(volatile.pnl < base[1].pnl, "stale quotes are picked off");
  // Toxic: less volatile than the default, but the wider quote is hit more adversely.
  assert.ok(toxic[1].vol < base[1].vol, JSON.stringify(toxic));
  assert.ok(toxic[3].adverse > base[3].adverse + 0.05, JSON.stringify({ toxic, base }));
  assert.ok(toxic[3].adverse > toxic[1].adverse + 0.03);
  assert.deepEqual([...MARKET_CONDITION_NAMES], ["calm", "volatile", "toxic"]);
  throwsConfig(
    () => marketCondition("quiet" as never),
    "condition",
    "one of calm, volatile, toxic",
  );
  // The condition's flow wins over the options' flow; the rest is kept.
  const o = marketCondition("calm", { latency: 3, flow: { moveProb: 0.5, levels: 7 } });
  assert.deepEqual([o.latency, o.flow?.moveProb, o.flow?.levels], [3, 0.02, 7]);
});

Deno.test("vol × time grid: cells partition the steps and fills of hand-computed episodes", () => {
  const env = createMarketMakingEnv({ episodeLength: 400 });
  const grid = createVolTimeGrid({
    episodeLength: 400,
    timeBuckets: 4,
    volEdges: [0.5, 1],
    horizon: 5,
  });
  let steps = 0, fills = 0, pnl = 0;
  for (let e = 0; e < 3; e++) {
    const run = runEpisode(env, { act: () => 2 }, { seed: e });
    grid.add(run);
    steps += run.record.steps - 1;
    pnl += run.record.info.pnl[run.record.steps] - run.record.info.pnl[1];
    for (let j = 0; j < run.fills.n; j++) if (run.fills.step[j] >= 1) fills++;
  }
  const f = grid.frame();
  const sum = (c: string) => (f.getColumn(c).toArray() as number[]).reduce((a, b) => a + b, 0);
  assert.equal(sum("steps"), steps);
  assert.equal(sum("fills"), fills);
  near(sum("pnl"), pnl, 1e-6);
  assert.ok(sum("markoutFills") <= fills && sum("adverse") + sum("zero") <= sum("markoutFills"));
  // The tick grid makes flat 5-step markouts common: counted apart from favourable ones.
  assert.ok(sum("zero") > 0);
  // Each time slice holds its 100 steps per episode (99 in the first, which starts at step 1).
  const bySlice = new Map<number, number>();
  const tb = f.getColumn("timeBucket").toArray() as number[];
  const st = f.getColumn("steps").toArray() as number[];
  tb.forEach((b, i) => bySlice.set(b, (bySlice.get(b) ?? 0) + st[i]));
  assert.deepEqual([...bySlice.entries()].sort((a, b) => a[0] - b[0]), [[0, 297], [1, 300], [
    2,
    300,
  ], [3, 300]]);
  assert.deepEqual(
    [...new Set(f.getColumn("volLabel").toArray())].sort(),
    ["0.5-1", "<0.5", ">=1"].filter((l) => f.getColumn("volLabel").toArray().includes(l)).sort(),
  );
  throwsConfig(() => createVolTimeGrid({ episodeLength: 10, volEdges: [1, 0.5] }), "volEdges[1]");
  throwsConfig(
    () => createVolTimeGrid({ episodeLength: 10, timebuckets: 3 } as never),
    "timebuckets",
  );
});

Deno.test("vector env over the continuous env: copies seeded apart, autoreset, deterministic", () => {
  const make = () => createContinuousMarketMakingEnv({ episodeLength: 7 });
  const run = () => {
    const ends: string[] = [];
    const vec = createVecEnv({
      make,
      copies: 3,
      onEpisodeEnd: (i, last) => void ends.push(`${i}:${last.info.step}`),
    });
    const obs0 = vec.reset({ seed: 9 }).slice();
    const acts = new Float64Array(15).fill(-0.4);
    let sum = 0;
    for (let t = 0; t < 20; t++) {
      const r = vec.step(acts);
      for (const x of r.rewards) sum += x;
      if (t === 6) {
        assert.deepEqual([...r.truncated], [1, 1, 1]);
        assert.equal(r.obs[2], 1); // a first observation again (time remaining 1)
        assert.equal(r.nextObs[2], 0); // the final observation (no time left)
      }
    }
    return { obs0, ends, sum };
  };
  const a = run(), b = run();
  assert.deepEqual(a, b);
  assert.deepEqual(a.ends, ["0:7", "1:7", "2:7", "0:7", "1:7", "2:7"]);
  // Copy i starts from seed 9·4096 + i: the copies' first observations differ from each other.
  const d = createContinuousMarketMakingEnv({ episodeLength: 7 }).observationSpace.low.length;
  assert.notDeepEqual([...a.obs0.subarray(0, d)], [...a.obs0.subarray(d, 2 * d)]);
  const single = make();
  assert.deepEqual([...single.reset({ seed: 9 * 4096 + 1 }).obs], [...a.obs0.subarray(d, 2 * d)]);
  const vec = createVecEnv({ make, copies: 2 });
  throwsConfig(() => vec.reset({ seed: 2 ** 41 }), "seed");
  vec.reset();
  throwsConfig(() => vec.step(new Float64Array(9)), "actions");
  throwsConfig(() => createVecEnv({ make, copies: 0 }), "copies");
  throwsConfig(() => createVecEnv({ make, copies: 2, copy: 1 } as never), "copy");
});
