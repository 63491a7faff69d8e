/**
 * Tests of the market-making environments (`lib/env/`), their checker and runner, and the
 * baselines (`lib/agents/baselines.ts`, `lib/agents/tabular_q.ts`). Expected values in the
 * hand-built scenarios are worked out in the comments beside them.
 */
import { near, throwsConfig } from "./_assert.ts";
import { strict as assert } from "node:assert";
import { ASK, BID, NONE, OrderBook } from "../lib/book/mod.ts";
import { BUY, finalPnl, pnlSeries, SELL, spreadCapture } from "../lib/metrics/mod.ts";
import {
  actionTable,
  AS_ENV_DEFAULTS,
  BOOK_OBS,
  bookMid,
  bookSpread,
  checkEnv,
  createAsEnv,
  createMarketMakingEnv,
  describeAction,
  type Env,
  EnvCheckError,
  type FlowEvent,
  type MarketMakingOptions,
  metricsFrame,
  nearestQuoteAction,
  poissonFlow,
  queueFraction,
  type QuotingEnv,
  RollingWindow,
  runEpisode,
  runEpisodes,
  scriptedFlow,
  type ScriptOrder,
  type StepResult,
  topDepth,
  topImbalance,
} from "../lib/env/mod.ts";
import { asAgent, fixedSpreadAgent, randomQuoter } from "../lib/agents/baselines.ts";
import { tabularQAgent } from "../lib/agents/tabular_q.ts";

// ------------------------------------------------------------------ conformance checker

const BOOK_VARIANTS: [string, MarketMakingOptions][] = [
  ["defaults", {}],
  ["latency 0", { latency: 0 }],
  ["latency 5, quote size 3", { latency: 5, quoteSize: 3 }],
  ["terminate on inventory and loss", {
    inventoryLimit: "terminate",
    maxInventory: 3,
    maxLoss: 30,
  }],
  ["shaped reward", {
    reward: { pnl: 0.5, inventoryPenalty: 0.01, dampening: 0.6, spreadCapture: 0.3 },
  }],
  ["copied observations, fees, fast flow", {
    copyObs: true,
    makerRebate: -0.1,
    takerFee: 2,
    flow: { moveProb: 0.3, marketRate: 2, informedProb: 0.8 },
  }],
];

for (const [label, options] of BOOK_VARIANTS) {
  Deno.test(`checkEnv: book environment, ${label}`, () => {
    const r = checkEnv(() => createMarketMakingEnv({ episodeLength: 400, ...options }), {
      steps: 1_500,
      maxEpisodeSteps: 400,
      seed: 7,
    });
    assert.equal(r.checks.length, 7);
    assert.ok(r.episodes >= 3, `episodes: ${r.episodes}`);
    if (options.inventoryLimit === "terminate") assert.ok(r.terminated > 0, "terminations");
    else assert.equal(r.terminated, 0);
  });
}

Deno.test("checkEnv: book environment on a scripted flow (no randomness)", () => {
  const r = checkEnv(() => createMarketMakingEnv({ ...SCENARIO, episodeLength: 5 }), {
    steps: 40,
    expectSeedSensitivity: false,
  });
  assert.equal(r.truncated, 8);
});

for (
  const [label, options] of [
    ["defaults", {}],
    ["gaussian mid, latency 2, terminate", {
      model: { increment: "gaussian" as const },
      latency: 2,
      inventoryLimit: "terminate" as const,
      maxInventory: 4,
    }],
    ["shaped reward, rebate", {
      makerRebate: 0.05,
      reward: { inventoryPenalty: 0.1, dampening: 1, spreadCapture: 1 },
    }],
  ] as const
) {
  Deno.test(`checkEnv: Avellaneda–Stoikov environment, ${label}`, () => {
    const r = checkEnv(() => createAsEnv(options), { steps: 1_000, maxEpisodeSteps: 200 });
    assert.equal(r.checks.length, 7);
    assert.ok(r.episodes >= 5);
  });
}

/** A small env for breaking the checker: obs = [x], reward x, truncated after `len` steps. */
function toyEnv(
  behave: {
    len?: number;
    next: (t: number, seed: number) => number;
    high?: number;
    lax?: boolean;
  },
): Env {
  const obs = new Float64Array(1);
  let t = 0;
  let seed = 0;
  const result: StepResult<Float64Array> = {
    obs,
    reward: 0,
    terminated: false,
    truncated: false,
    info: {},
  };
  const len = behave.len ?? 10;
  return {
    observationSpace: {
      kind: "box",
      shape: [1],
      low: new Float64Array([-1e9]),
      high: new Float64Array([behave.high ?? 1e9]),
    },
    actionSpace: { kind: "discrete", n: 2 },
    reset(o) {
      if (o?.seed !== undefined) seed = o.seed;
      t = 0;
      obs[0] = 0;
      return { obs, info: {} };
    },
    step(a) {
      if (a !== 0 && a !== 1) throw new Error("bad action");
      if (t >= len && !behave.lax) throw new Error("ended");
      t++;
      obs[0] = behave.next(t, seed) + a;
      result.reward = obs[0];
      result.truncated = t >= len;
      return result;
    },
  };
}

Deno.test("checkEnv catches what it claims to catch", () => {
  const ok = toyEnv({ next: (t, seed) => t * 10 + seed });
  assert.equal(checkEnv(() => ok, { steps: 50 }).truncated, 5);
  // Diverges only after the first step of the second episode: a first-step check would pass.
  let calls = 0;
  const drift = () => toyEnv({ next: (t, s) => (t === 3 && ++calls > 7 ? 99 : t + s) });
  assert.throws(
    () => checkEnv(drift, { steps: 50 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "determinism",
  );
  // Ignores its seed.
  assert.throws(
    () => checkEnv(() => toyEnv({ next: (t) => t }), { steps: 30 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "seed sensitivity",
  );
  // Observation above the declared bound at step 5.
  assert.throws(
    () => checkEnv(() => toyEnv({ next: (t) => t, high: 4.5 }), { steps: 30 }),
    (e: unknown) =>
      e instanceof EnvCheckError && e.check === "trajectory" &&
      /step 3: obs\[0\] = 5 outside/.test(e.message),
  );
  // Episodes longer than allowed.
  assert.throws(
    () => checkEnv(() => toyEnv({ next: (t, s) => t + s, len: 20 }), { maxEpisodeSteps: 10 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "trajectory",
  );
  // State that survives reset: a counter that the seeded reset does not clear.
  const leaky = () => {
    let k = 0;
    return toyEnv({ next: (t, s) => t + s + (k++ > 60 ? 1 : 0) });
  };
  assert.throws(
    () => checkEnv(leaky, { steps: 60 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "reset restores",
  );
  // Stepping after the end must throw; this one keeps going.
  assert.throws(
    () => checkEnv(() => toyEnv({ next: (t, s) => t + s, lax: true }), { steps: 30 }),
    (e: unknown) => e instanceof EnvCheckError && e.check === "after the end",
  );
});

// ------------------------------------------------------------------ features on hand-built books

Deno.test("features: mid, spread, imbalance, queue position and depth on hand-built books", () => {
  const book = new OrderBook({ minTick: 0, maxTick: 200 });
  assert.ok(Number.isNaN(bookMid(book)) && Number.isNaN(bookSpread(book)));
  assert.equal(topImbalance(book), 0);
  book.limit(BID, 99, 3, 0);
  assert.equal(topImbalance(book), 1); // bid only
  const mine = book.limit(BID, 99, 2, 3);
  book.limit(BID, 99, 5, 0);
  book.limit(BID, 97, 7, 0);
  book.limit(ASK, 102, 4, 0);
  book.limit(ASK, 103, 1, 0);
  book.limit(ASK, 105, 6, 0);
  assert.equal(bookMid(book), 100.5);
  assert.equal(bookSpread(book), 3);
  // best levels: bid 99 holds 3 + 2 + 5 = 10, ask 102 holds 4: (10 - 4) / 14
  near(topImbalance(book), 6 / 14);
  // 3 ahead of my 2 at a level of 10
  assert.equal(queueFraction(book, mine), 0.3);
  // a market sell of 2 takes 2 of the 3 ahead: 1 ahead of a level of 8
  book.market(ASK, 2, 1);
  assert.equal(queueFraction(book, mine), 1 / 8);
  // the last unit ahead leaves: at the front
  book.market(ASK, 1, 1);
  assert.equal(queueFraction(book, mine), 0);
  book.cancel(mine);
  assert.equal(queueFraction(book, mine), 1);
  assert.equal(queueFraction(book, NONE), 1);
  const out = new Float64Array(12).fill(-1);
  // bids: 99 (5), 97 (7); asks: 102 (4), 103 (1), 105 (6); scale 2, 5 levels each
  assert.equal(topDepth(book, { side: BID, n: 5, out, offset: 1, scale: 2 }), 2);
  assert.equal(topDepth(book, { side: ASK, n: 5, out, offset: 6, scale: 2 }), 3);
  assert.deepEqual(Array.from(out), [-1, 2.5, 3.5, 0, 0, 0, 2, 0.5, 3, 0, 0, -1]);
  assert.equal(topImbalance(new OrderBook({ minTick: 0, maxTick: 9 })), 0);
  const askOnly = new OrderBook({ minTick: 0, maxTick: 9 });
  askOnly.limit(ASK, 5, 1, 0);
  assert.equal(topImbalance(askOnly), -1);
});

Deno.test("RollingWindow keeps the last n values, their sum and the oldest", () => {
  const w = new RollingWindow(3);
  w.clear(2);
  assert.equal(w.sum, 6);
  for (const x of [1, 4, 5, 7]) w.push(x);
  // window 4, 5, 7
  assert.equal(w.sum, 16);
  assert.equal(w.oldest(), 4);
  throwsConfig(() => new RollingWindow(0), "length");
});

// ------------------------------------------------------------------ actions

Deno.test("action table: grid order, special actions, nearest action, validation", () => {
  const t = actionTable({ halfSpreads: [1, 2, 4], skews: [-1, 0, 1], minHalfSpread: 1 });
  assert.equal(t.n, 11);
  assert.equal(t.nQuotes, 9);
  // action 7 = half 4 (i = 2), skew 0 (j = 1)
  assert.deepEqual(describeAction(t, 7), {
    kind: "quote",
    halfSpread: 4,
    skew: 0,
    bidOffset: 4,
    askOffset: 4,
  });
  assert.deepEqual(describeAction(t, 9), { kind: "cancel" });
  assert.deepEqual(describeAction(t, 10), { kind: "flatten" });
  // wanted 3.1 below, 1.2 above: half 2, skew 1 (offsets 3, 1) = action 5
  assert.equal(nearestQuoteAction(t, 3.1, 1.2), 5);
  throwsConfig(() => describeAction(t, 11), "action", "an integer in [0, 10]");
  throwsConfig(
    () => actionTable({ halfSpreads: [1, 0.5], skews: [0], minHalfSpread: 1 }),
    "halfSpreads[1]",
  );
  throwsConfig(() => actionTable({ halfSpreads: [], skews: [0], minHalfSpread: 1 }), "halfSpreads");
  throwsConfig(() => actionTable({ halfSpreads: [1], skews: [NaN], minHalfSpread: 1 }), "skews[0]");
});

// ------------------------------------------------------------------ a scripted scenario

/** Book around 100: bids 99 (5), 98 (3), 97 (2); asks 101 (4), 102 (6), 104 (1). */
const INITIAL: ScriptOrder[] = [
  { side: BID, price: 99, qty: 5 },
  { side: BID, price: 98, qty: 3 },
  { side: BID, price: 97, qty: 2 },
  { side: ASK, price: 101, qty: 4 },
  { side: ASK, price: 102, qty: 6 },
  { side: ASK, price: 104, qty: 1 },
];
/** Step 1: a market buy of 6 (takes 101's 5 units, then 1 at 102). */
const EVENTS: FlowEvent[] = [{ kind: "market", step: 1, side: BID, qty: 6 }];
const SCENARIO: MarketMakingOptions = {
  p0: 100,
  priceRange: 50,
  latency: 0,
  episodeLength: 10,
  makerRebate: 0.2,
  takerFee: 0.5,
  pnlScale: 10,
  depthScale: 2,
  orderFlow: scriptedFlow({ initial: INITIAL, events: EVENTS }),
};
/** Half-spread 1, skew 0 in the default grid (i = 0, j = 2). */
const JOIN = 2;

Deno.test("book env: observations, fills, rebates and fees in a hand-built scenario", () => {
  const env = createMarketMakingEnv(SCENARIO);
  const flatten = env.spec.actions.flatten;
  assert.equal(flatten, 26);
  const r0 = env.reset({ seed: 1 });
  // reset: mid 100, spread 2, imbalance (5 - 4) / 9, no quotes, depth / 2
  assert.deepEqual(Array.from(r0.obs), [
    0,
    0,
    1,
    1 / 9,
    2,
    1,
    1,
    0,
    0,
    2.5,
    1.5,
    1,
    0,
    0,
    2,
    3,
    0.5,
    0,
    0,
  ]);
  // Step 0: quotes at ceil(100 - 1) = 99 and floor(100 + 1) = 101, behind 5 and 4.
  let r = env.step(JOIN);
  assert.equal(r.info.bidPrice, 99);
  assert.equal(r.info.askPrice, 101);
  assert.equal(env.ordersPlaced, 2);
  const o = r.obs;
  near(o[BOOK_OBS.time], 0.9);
  near(o[BOOK_OBS.bidQueue], 5 / 6);
  near(o[BOOK_OBS.askQueue], 4 / 5);
  near(o[BOOK_OBS.imbalance], (6 - 5) / 11);
  assert.deepEqual(Array.from(o.subarray(BOOK_OBS.bidDepth, BOOK_OBS.bidDepth + 5)), [
    3,
    1.5,
    1,
    0,
    0,
  ]);
  assert.equal(r.reward, 0);
  // Step 1: same quotes (kept, same queue); the market buy of 6 takes 4 ahead, then the maker's
  // ask (sold 1 at 101, rebate 0.2), then 1 at 102. Mid (99 + 102) / 2 = 100.5.
  const askBefore = env.askId;
  r = env.step(JOIN);
  assert.equal(env.ordersPlaced, 2, "unchanged quotes are kept");
  assert.notEqual(askBefore, NONE);
  assert.equal(env.askId, NONE);
  assert.equal(r.info.inventory, -1);
  near(r.info.cash, 101.2);
  near(r.info.fees, -0.2);
  assert.equal(r.info.mid, 100.5);
  near(r.info.pnl, 0.7); // 101.2 - 100.5
  assert.equal(r.info.passiveFills, 1);
  near(r.obs[BOOK_OBS.inventory], -0.1);
  near(r.obs[BOOK_OBS.pnl], 0.07);
  assert.equal(r.obs[BOOK_OBS.spread], 3);
  assert.equal(r.obs[BOOK_OBS.askQueue], 1, "no ask resting");
  assert.equal(r.obs[BOOK_OBS.momentum], 0.5, "100.5 - 100 (the reset mid)");
  assert.equal(r.obs[BOOK_OBS.flow], 1, "6 bought, 0 sold");
  near(r.reward, 0.7);
  near(r.info.rewardPnl, 0.7);
  // Step 2: flatten: cancel the bid, buy 1 at 102 paying 0.5. Cash 101.2 - 102 - 0.5 = -1.3.
  r = env.step(flatten);
  assert.equal(r.info.inventory, 0);
  near(r.info.cash, -1.3);
  near(r.info.fees, 0.3);
  assert.equal(r.info.takerQty, 1);
  assert.ok(Number.isNaN(r.info.bidPrice) && Number.isNaN(r.info.askPrice));
  near(r.reward, -2); // pnl 0.7 -> -1.3
  assert.equal(r.obs[BOOK_OBS.flow], 1, "the maker's own taker order is not in the flow");
  assert.equal(r.obs[BOOK_OBS.bidQueue], 1);
  // The fill log: one passive sell in step 1 at 101.
  assert.equal(env.fills.n, 1);
  assert.deepEqual(
    [env.fills.step[0], env.fills.side[0], env.fills.price[0], env.fills.qty[0]],
    [1, SELL, 101, 1],
  );
  // Cancel keeps the maker out; the episode ends by truncation at step 10.
  let last = r;
  for (let t = 3; t < 10; t++) last = env.step(env.spec.actions.cancel);
  assert.equal(last.truncated, true);
  assert.equal(last.terminated, false);
  assert.throws(() => env.step(JOIN), /call reset\(\) first/);
  throwsConfig(() => env.reset() && env.step(27), "action", "an integer in [0, 26]");
  throwsConfig(() => env.step(-1), "action");
  throwsConfig(() => env.step(1.5), "action");
});

Deno.test("book env: a quote that would cross is posted one tick inside (post-only)", () => {
  const env = createMarketMakingEnv(SCENARIO);
  env.reset();
  // half-spread 1, skew -2: bid offset -1 (ceil(101) = 101, crosses the 101 ask -> 100),
  // ask offset 3 (103)
  const a = nearestQuoteAction(env.spec.actions, -1, 3);
  const r = env.step(a);
  assert.equal(r.info.bidPrice, 100);
  assert.equal(r.info.askPrice, 103);
  assert.equal(r.info.passiveFills + r.info.takerQty, 0, "no trade on placement");
  near(r.obs[BOOK_OBS.bidQueue], 0, 0, "alone at a new level");
});

Deno.test("book env: latency delays instructions, priced at the mid the agent saw", () => {
  // Step 1: a bid of 2 at 100 moves the mid to 100.5.
  const env = createMarketMakingEnv({
    ...SCENARIO,
    latency: 2,
    orderFlow: scriptedFlow({
      initial: INITIAL,
      events: [{ kind: "limit", step: 1, side: BID, price: 100, qty: 2 }],
    }),
  });
  env.reset();
  const bids: number[] = [];
  const asks: number[] = [];
  for (let t = 0; t < 5; t++) {
    const r = env.step(JOIN);
    bids.push(r.info.bidPrice);
    asks.push(r.info.askPrice);
  }
  // Steps 0, 1: nothing arrived yet. Step 2: the step-0 instruction, priced at mid 100 (99/101).
  // Step 3: the step-1 instruction, priced at mid 100 too (the agent acted before step 1's
  // flow). Step 4: the step-2 instruction, priced at mid 100.5 (100/101).
  assert.deepEqual(bids, [NaN, NaN, 99, 99, 100]);
  assert.deepEqual(asks, [NaN, NaN, 101, 101, 101]);
});

Deno.test("book env: clip keeps |inventory| <= maxInventory; sizes are cut at the limit", () => {
  // Market sells of 3 every step hit the maker's bid (joined at the best bid, behind 5 at first).
  const events: FlowEvent[] = [];
  for (let t = 0; t < 30; t++) {
    events.push({ kind: "market", step: t, side: ASK, qty: 3 });
    events.push({ kind: "limit", step: t, side: BID, price: 99, qty: 3 });
  }
  const env = createMarketMakingEnv({
    ...SCENARIO,
    episodeLength: 30,
    quoteSize: 2,
    maxInventory: 3,
    orderFlow: scriptedFlow({ initial: INITIAL, events }),
  });
  env.reset();
  let maxQ = 0;
  let sawCut = false;
  let sawNoBid = false;
  for (let t = 0; t < 30; t++) {
    const r = env.step(JOIN);
    maxQ = Math.max(maxQ, r.info.inventory);
    assert.ok(r.info.inventory <= 3);
    if (env.bidId !== NONE && env.book.orderQty(env.bidId) === 1) sawCut = true;
    if (r.info.inventory === 3) {
      sawNoBid ||= Number.isNaN(r.info.bidPrice);
      assert.ok(Number.isNaN(r.info.bidPrice), "no bid at the limit");
    }
    assert.equal(r.terminated, false);
  }
  assert.equal(maxQ, 3);
  assert.ok(sawCut, "a bid of 1 when 1 unit of room was left");
  assert.ok(sawNoBid);
});

Deno.test("book env: terminate mode ends the episode when the inventory passes the limit", () => {
  const events: FlowEvent[] = [{ kind: "market", step: 1, side: ASK, qty: 20 }];
  const make = (o: MarketMakingOptions) =>
    createMarketMakingEnv({
      ...SCENARIO,
      orderFlow: scriptedFlow({ initial: INITIAL, events }),
      ...o,
    });
  // quote size 2 over a limit of 1: the sell of 20 fills the bid of 2 -> inventory 2 > 1
  let env = make({ inventoryLimit: "terminate", maxInventory: 1, quoteSize: 2 });
  env.reset();
  env.step(JOIN);
  let r = env.step(JOIN);
  assert.equal(r.terminated, true);
  assert.equal(r.truncated, false);
  assert.equal(r.info.stop, "inventory");
  assert.equal(r.obs[BOOK_OBS.inventory], 2);
  assert.ok(r.obs[0] <= env.observationSpace.high[0], "within the declared bound 1 + 2/1");
  assert.throws(() => env.step(JOIN), /call reset\(\) first/);
  // the same flow under "clip": the bid is cut to 1 unit, inventory 1, no termination
  env = make({ maxInventory: 1, quoteSize: 2 });
  env.reset();
  env.step(JOIN);
  r = env.step(JOIN);
  assert.equal(r.terminated, false);
  assert.equal(r.info.inventory, 1);
});

Deno.test("book env: maxLoss terminates when the PnL reaches -maxLoss", () => {
  // Step 1: a sell of 20 fills the maker's bid (long 1 at 99, +0.2 rebate: cash -98.8) and
  // sweeps the bids. Step 2: a bid at 90, a buy of 11 sweeping the asks (101, 102, 104), an ask
  // at 91: mid 90.5, pnl -98.8 + 90.5 = -8.3 <= -5.
  const events: FlowEvent[] = [
    { kind: "market", step: 1, side: ASK, qty: 20 },
    { kind: "limit", step: 2, side: BID, price: 90, qty: 1 },
    { kind: "market", step: 2, side: BID, qty: 11 },
    { kind: "limit", step: 2, side: ASK, price: 91, qty: 1 },
  ];
  const env = createMarketMakingEnv({
    ...SCENARIO,
    maxLoss: 5,
    orderFlow: scriptedFlow({ initial: INITIAL, events }),
  });
  env.reset();
  env.step(JOIN);
  let r = env.step(JOIN);
  assert.equal(r.info.inventory, 1);
  r = env.step(env.spec.actions.cancel);
  assert.equal(r.info.mid, 90.5);
  near(r.info.pnl, -8.3);
  assert.equal(r.terminated, true);
  assert.equal(r.info.stop, "maxLoss");
});

// ------------------------------------------------------------------ rewards

Deno.test("reward terms: each as specified, and the reward is their sum", () => {
  const w = { pnl: 0.7, inventoryPenalty: 0.02, dampening: 0.6, spreadCapture: 0.4 };
  const env = createMarketMakingEnv({ episodeLength: 600, reward: w });
  const agent = randomQuoter(env, { seed: 2 });
  let obs = env.reset({ seed: 3 }).obs;
  let wealth = 0;
  let mid = env.info.mid;
  let q = 0;
  let dampened = 0;
  let captureSum = 0;
  for (;;) {
    const r = env.step(agent.act(obs));
    const i = r.info;
    near(r.reward, i.rewardPnl + i.rewardInventory + i.rewardDampening + i.rewardSpreadCapture);
    near(i.rewardPnl, w.pnl * (i.pnl - wealth), 1e-6);
    near(i.rewardInventory, -w.inventoryPenalty * i.inventory * i.inventory);
    near(i.rewardDampening, -Math.max(0, w.dampening * i.inventory * (i.mid - mid)));
    if (i.rewardDampening < 0) dampened++;
    captureSum += i.rewardSpreadCapture;
    wealth = i.pnl;
    mid = i.mid;
    q = i.inventory;
    if (r.terminated || r.truncated) break;
    obs = r.obs;
  }
  assert.ok(dampened > 0, "some speculative gains were dampened");
  assert.ok(q === env.info.inventory);
  // Spread capture over the episode = w_sc × the fill log's capture against the step-start mid
  // (rebuilt here from the fills: each step's mid before it).
  const run = runEpisode(env, randomQuoter(env, { seed: 2 }), { seed: 3 });
  const sc = spreadCapture({ fills: run.fills, mid: run.record.info.mid });
  let sum = 0;
  for (let s = 1; s <= run.record.steps; s++) sum += run.record.info.rewardSpreadCapture[s];
  near(sum, w.spreadCapture * sc.total, 1e-6);
  assert.ok(run.fills.n > 10);
  near(captureSum, sum, 1e-6, "same seeds, same episode");
});

// ------------------------------------------------------------------ validation

Deno.test("book env config: every field validated, errors name the field", () => {
  const bad: [string, MarketMakingOptions][] = [
    ["episodeLength", { episodeLength: 0 }],
    ["latency", { latency: -1 }],
    ["quoteSize", { quoteSize: 1.5 }],
    ["maxInventory", { maxInventory: 0 }],
    ["inventoryLimit", { inventoryLimit: "stop" as "clip" }],
    ["maxLoss", { maxLoss: 0 }],
    ["makerRebate", { makerRebate: NaN }],
    ["takerFee", { takerFee: -1 }],
    ["halfSpreads[0]", { halfSpreads: [0.5] }],
    ["halfSpreads", { halfSpreads: [] }],
    ["skews[1]", { skews: [0, Infinity] }],
    ["reward.pnl", { reward: { pnl: "1" as unknown as number } }],
    ["reward.dampening", { reward: { dampening: -1 } }],
    ["reward.bonus", { reward: { bonus: 1 } as never }],
    ["p0", { p0: 5 }],
    ["priceRange", { priceRange: 3 }],
    ["flow.moveProb", { flow: { moveProb: 2 } }],
    ["flow.levels", { flow: { levels: 0 } }],
    ["flow.warmup", { flow: { warmup: -1 } }],
    ["flow.speed", { flow: { speed: 1 } as never }],
    ["pnlScale", { pnlScale: 0 }],
    ["depthScale", { depthScale: -1 }],
    ["spreadClip", { spreadClip: 0 }],
    ["momentumWindow", { momentumWindow: 0 }],
    ["flowWindow", { flowWindow: 0.5 }],
    ["copyObs", { copyObs: "yes" as unknown as boolean }],
    ["seed", { seed: 0.5 }],
    ["orderFlow", { orderFlow: {} as never }],
    ["colour", { colour: 1 } as never],
  ];
  for (const [field, options] of bad) {
    throwsConfig(() => createMarketMakingEnv(options), field);
  }
  assert.throws(
    () => createMarketMakingEnv({ latency: 20_000 }),
    /^ConfigError: latency: must be an integer in \[0, 10000\], got 20000$/,
  );
  const env = createMarketMakingEnv();
  assert.throws(() => env.step(0), /call reset\(\) before the first step/);
  throwsConfig(() => env.reset({ seed: 1.5 }), "seed");
});

Deno.test("AS env config: every field validated, errors name the field", () => {
  const bad: [string, Record<string, unknown>][] = [
    ["model.sigma", { model: { sigma: -1 } }],
    ["model.dt", { model: { dt: 0.3 } }],
    ["model.k", { model: { k: 0 } }],
    ["model.A", { model: { A: -1 } }],
    ["model.increment", { model: { increment: "levy" } }],
    ["model.drift", { model: { drift: 1 } }],
    ["latency", { latency: 1.5 }],
    ["quoteSize", { quoteSize: 0 }],
    ["maxInventory", { maxInventory: -3 }],
    ["inventoryLimit", { inventoryLimit: "x" }],
    ["maxLoss", { maxLoss: -1 }],
    ["makerRebate", { makerRebate: Infinity }],
    ["takerFee", { takerFee: -0.1 }],
    ["halfSpreads[0]", { halfSpreads: [0] }],
    ["skews", { skews: "0" }],
    ["reward.inventoryPenalty", { reward: { inventoryPenalty: -1 } }],
    ["pnlScale", { pnlScale: 0 }],
    ["momentumWindow", { momentumWindow: 0 }],
    ["copyObs", { copyObs: 1 }],
    ["seed", { seed: "a" }],
    ["flow", { flow: {} }],
  ];
  for (const [field, options] of bad) throwsConfig(() => createAsEnv(options as never), field);
  assert.equal(createAsEnv().actionSpace.n, AS_ENV_DEFAULTS.halfSpreads.length * 17 + 2);
});

Deno.test("flow and script validation", () => {
  throwsConfig(() => poissonFlow({ cancelProb: -0.1 }), "flow.cancelProb");
  throwsConfig(() => poissonFlow({ limitMaxSize: 0 }), "flow.limitMaxSize");
  throwsConfig(
    () => scriptedFlow({ initial: [{ side: 2 as 0, price: 1, qty: 1 }] }),
    "initial[0].side",
  );
  throwsConfig(
    () =>
      scriptedFlow({
        events: [
          { kind: "market", step: 3, side: BID, qty: 1 },
          { kind: "market", step: 2, side: BID, qty: 1 },
        ],
      }),
    "events[1].step",
  );
  throwsConfig(
    () => scriptedFlow({ events: [{ kind: "cancel", step: 0, ref: 0 }] }),
    "events[0].ref",
  );
  // a flow whose p0 leaves no room for its levels
  const flow = poissonFlow({ levels: 40 });
  throwsConfig(
    () => createMarketMakingEnv({ p0: 100, priceRange: 30, flow: { levels: 40 } }).reset(),
    "p0",
  );
  assert.equal(flow.config.levels, 40);
});

// ------------------------------------------------------------------ the Poisson flow

Deno.test("Poisson flow: seeded, two-sided, follows its reference price", () => {
  const run = (seed: number) => {
    const flow = poissonFlow({ moveProb: 0.2 });
    flow.seed(seed);
    const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
    let trades = 0;
    flow.init(book, 10_000, () => trades++);
    let maxGap = 0;
    let twoSided = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < 3_000; t++) {
      flow.step(book, () => trades++);
      lo = Math.min(lo, flow.reference);
      hi = Math.max(hi, flow.reference);
      const m = bookMid(book);
      if (m === m) {
        twoSided++;
        maxGap = Math.max(maxGap, Math.abs(m - flow.reference));
      }
    }
    return { mid: bookMid(book), range: hi - lo, trades, maxGap, twoSided, size: book.size };
  };
  const a = run(1);
  assert.deepEqual(run(1), a, "same seed, same book");
  assert.notDeepEqual(run(2), a);
  assert.ok(a.twoSided >= 2_950, `two-sided ${a.twoSided}`);
  assert.ok(a.maxGap <= 10, `the mid stays within the flow's levels of f: ${a.maxGap}`);
  // 600 moves of ±1 expected: a range of a few tens of ticks
  assert.ok(a.range > 10, `the reference moved over ${a.range} ticks`);
  // stationary size: about 2 × limitRate / cancelProb = 40 orders, whatever the run length
  assert.ok(a.size > 20 && a.size < 80, `live orders ${a.size}`);
  assert.ok(a.trades > 1_000, `trades ${a.trades}`);
});

Deno.test("Poisson flow: informed market orders trade toward the reference price", () => {
  const flow = poissonFlow({
    informedProb: 1,
    moveProb: 0,
    limitRate: 0,
    cancelProb: 0,
    warmup: 0,
  });
  flow.seed(1);
  const book = new OrderBook({ minTick: 0, maxTick: 1_000 });
  flow.init(book, 500, () => {});
  // reference 500, book mid 495.5: informed orders buy
  book.limit(BID, 495, 10_000, 0);
  book.limit(ASK, 496, 10_000, 0);
  let buys = 0;
  let sells = 0;
  for (let t = 0; t < 200; t++) {
    flow.step(book, (side) => (side === BID ? buys++ : sells++));
  }
  assert.ok(buys > 80, `buys ${buys}`); // about 0.6 × 200 orders
  assert.equal(sells, 0);
});

// ------------------------------------------------------------------ runner and metrics

Deno.test("runner: records, DataFrame and metrics of a hand-built episode", () => {
  // The scenario above, 3 steps: join, join (sell 1 at 101), flatten (buy 1 at 102, fee 0.5).
  const env = createMarketMakingEnv({ ...SCENARIO, episodeLength: 3 });
  const actions = [JOIN, JOIN, env.spec.actions.flatten];
  let k = 0;
  const run = runEpisode(env, { act: () => actions[k++] }, { horizons: [1, 2] });
  const { record, metrics } = run;
  assert.equal(record.steps, 3);
  assert.deepEqual(Array.from(record.action), [-1, JOIN, JOIN, 26]);
  assert.deepEqual(Array.from(record.info.mid), [100, 100, 100.5, 100.5]);
  assert.deepEqual(Array.from(record.info.inventory), [0, 0, -1, 0]);
  near(record.info.pnl[2], 0.7);
  near(record.info.pnl[3], -1.3);
  assert.equal(record.truncated, true);
  // pnl path 0, 0, 0.7, -1.3: final -1.3, drawdown 2, changes 0, 0.7, -2
  near(metrics.pnl, -1.3);
  near(metrics.maxDrawdown, 2);
  near(
    metrics.sharpe,
    (-1.3 / 3) / Math.sqrt(((13 / 30) ** 2 + (0.7 + 1.3 / 3) ** 2 + (-2 + 1.3 / 3) ** 2) / 2),
  );
  near(metrics.return, -1.3);
  // inventory 0, 0, -1, 0: mean -1/4, variance (3 × 1/16 + 9/16) / 4 = 3/16
  near(metrics.inventoryVariance, 3 / 16);
  near(metrics.meanAbsInventory, 0.25);
  // 2 orders of 1 quoted, 1 filled; sold at 101 against a mid of 100: capture 1 tick
  assert.equal(metrics.fills, 1);
  assert.equal(metrics.fillRate, 0.5);
  assert.equal(metrics.fillsPerOrder, 0.5);
  assert.equal(metrics.spreadCapture, 1);
  near(metrics.fees, 0.3);
  // markouts of the sell at step 1 (mid 100): h = 1: -(100.5 - 100) = -0.5, adverse;
  // h = 2: mid[3] = 100.5, same
  assert.deepEqual(metrics.markout, [-0.5, -0.5]);
  assert.deepEqual(metrics.adverseRate, [1, 1]);
  // the frame: one row per record row, one column per field
  assert.equal(run.frame.height, 4);
  assert.deepEqual(run.frame.getColumn("inventory").toArray(), [0, 0, -1, 0]);
  assert.deepEqual(run.frame.getColumn("action").toArray(), [-1, 2, 2, 26]);
  assert.ok(run.frame.columns.includes("rewardDampening"));
  // PnL series from lib/metrics agrees with the recorded pnl
  const series = pnlSeries({
    cash: record.info.cash,
    inventory: record.info.inventory,
    mark: record.info.mid,
  });
  assert.deepEqual(Array.from(series), Array.from(record.info.pnl));
});

Deno.test("runner: metrics of a recorded random episode agree with lib/metrics", () => {
  const env = createMarketMakingEnv();
  const run = runEpisode(env, randomQuoter(env, { seed: 1 }), { seed: 4 });
  const { record, metrics, fills } = run;
  assert.equal(record.steps, 1_000);
  assert.equal(metrics.pnl, env.info.pnl);
  near(
    metrics.pnl,
    finalPnl({ cash: record.info.cash, inventory: record.info.inventory, mark: record.info.mid }),
    1e-6,
  );
  near(metrics.return, metrics.pnl, 1e-6, "reward = PnL by default");
  assert.equal(metrics.fills, fills.n);
  assert.ok(fills.n > 50);
  for (let j = 0; j < fills.n; j++) {
    // each fill's side and the inventory change of its step agree in sign
    const s = fills.step[j];
    const dq = record.info.inventory[s + 1] - record.info.inventory[s];
    assert.ok(fills.side[j] === BUY ? dq >= -1 : dq <= 1);
  }
  assert.ok(metrics.fillRate > 0 && metrics.fillRate <= 1);
  assert.equal(metrics.horizons.length, 4);
  assert.ok(metrics.adverseRate.every((x) => x >= 0 && x <= 1));
});

Deno.test("runEpisodes: one row per episode, seeds in order, common random numbers", () => {
  const env = createMarketMakingEnv({ episodeLength: 200 });
  const fixed = runEpisodes(env, fixedSpreadAgent(env), { episodes: 3, seed: 10 });
  assert.equal(fixed.frame.height, 3);
  assert.deepEqual(fixed.frame.getColumn("seed").toArray(), [10, 11, 12]);
  for (const c of ["pnl", "sharpe", "fillRate", "markout_5", "adverse_100", "stop"]) {
    assert.ok(fixed.frame.columns.includes(c), c);
  }
  const again = runEpisodes(env, fixedSpreadAgent(env), { episodes: 3, seed: 10 });
  assert.deepEqual(again.metrics, fixed.metrics);
  assert.equal(metricsFrame(fixed.metrics).height, 3);
  throwsConfig(() => runEpisodes(env, fixedSpreadAgent(env), { episodes: 0 }), "episodes");
});

// ------------------------------------------------------------------ baselines and tabular Q

Deno.test("AS environment with the AS baseline lands near the paper's table", () => {
  // Avellaneda & Stoikov (2008), γ = 0.1, inventory strategy: profit 65.0 (sd 6.6), final
  // inventory sd 2.9. On the action grid (half-spreads by 0.125, skews by 0.25) over 400 runs.
  const env = createAsEnv();
  const as = runEpisodes(env, asAgent(env), { episodes: 400, seed: 1 }).metrics;
  const sym = runEpisodes(env, fixedSpreadAgent(env, { halfSpread: 0.75 }), {
    episodes: 400,
    seed: 1,
  }).metrics;
  const stats = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { mean: m, sd: Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) };
  };
  const p = stats(as.map((m) => m.pnl));
  const q = stats(as.map((m) => m.finalInventory));
  assert.ok(p.mean > 62 && p.mean < 67, `profit mean ${p.mean}`);
  assert.ok(p.sd > 5.5 && p.sd < 8.5, `profit sd ${p.sd}`);
  assert.ok(q.sd > 2.3 && q.sd < 4, `inventory sd ${q.sd}`);
  // the fixed symmetric spread carries much more inventory risk
  const qs = stats(sym.map((m) => m.finalInventory));
  assert.ok(qs.sd > 2 * q.sd, `fixed spread inventory sd ${qs.sd}`);
});

Deno.test("baselines: fixed spread is constant, AS skews against inventory, validation", () => {
  const env = createMarketMakingEnv();
  const t = env.spec.actions;
  const fixed = fixedSpreadAgent(env, { halfSpread: 3, skew: 1 });
  const obs = env.reset({ seed: 1 }).obs;
  const a = fixed.act(obs);
  assert.deepEqual([t.bidOffset[a], t.askOffset[a]], [4, 2]);
  const as = asAgent(env, { gamma: 0.01, k: 1, sigma: 1 });
  const view = new Float64Array(obs);
  // long 4 (0.4 × 10) with half the episode left (τ = 500): shift 4 × 0.01 × 500 = 20 -> skew 2
  view[0] = 0.4;
  view[2] = 0.5;
  const long = as.act(view);
  assert.equal(t.skews[long % 5], 2);
  view[0] = -0.4;
  assert.equal(t.skews[as.act(view) % 5], -2);
  // flat at the end: spread (2/γ)ln(1 + γ/k) = 1.99: half-spread 1, no skew
  view[0] = 0;
  view[2] = 0;
  assert.equal(as.act(view), 2);
  throwsConfig(() => asAgent(env, { gamma: 0 }), "gamma");
  throwsConfig(() => asAgent(env, { k: -1 }), "k");
  throwsConfig(() => fixedSpreadAgent(env, { halfSpread: -1 }), "halfSpread");
  throwsConfig(() => randomQuoter(env, { special: 1 as unknown as boolean }), "special");
  const rnd = randomQuoter(env, { special: true, seed: 5 });
  const seen = new Set<number>();
  for (let i = 0; i < 2_000; i++) seen.add(rnd.act(obs));
  assert.equal(seen.size, t.n, "special actions included");
});

Deno.test("tabular Q agent: state encoding, terminal updates, learning through the runner", () => {
  const env = createAsEnv();
  const agent = tabularQAgent(env, {
    seed: 1,
    alpha: 1,
    features: [{ index: 3, edges: [0] }],
  });
  assert.deepEqual(Array.from(agent.radices), [4, 7, 2]);
  // time 0.6 -> bin 2; inventory 0.3 -> bin 5; momentum -1 -> bin 0: (2·7 + 5)·2 + 0 = 38
  assert.equal(agent.stateOf(Float64Array.of(0.3, 0, 0.6, -1)), 38);
  // a terminal transition with α = 1 sets Q(s, a) to the reward
  const obs = Float64Array.of(0, 0, 0.1, 1);
  const loss = agent.observe!({
    obs,
    action: 3,
    reward: 2.5,
    nextObs: obs,
    terminated: false,
    truncated: true,
  });
  const s = agent.stateOf(obs);
  assert.equal(agent.learner.table[s * env.actionSpace.n + 3], 2.5);
  assert.equal(loss, 2.5);
  assert.equal(agent.learner.episodes, 1);
  // learning through the runner: one update per step, one episode
  const run = runEpisode(env, agent, { seed: 2, explore: true, learn: true });
  assert.equal(agent.learner.steps, 1 + run.record.steps);
  assert.equal(agent.learner.episodes, 2);
  assert.ok(run.record.loss.subarray(1).every((x) => Number.isFinite(x) && x >= 0));
  throwsConfig(() => tabularQAgent(env, { timeEdges: [0.5, 0.2] }), "timeEdges[1]");
  throwsConfig(
    () => tabularQAgent(env, { features: [{ index: 9, edges: [] }] }),
    "features[0].index",
  );
});

Deno.test("tabular Q learns to beat random quoting in the AS environment", () => {
  const env = createAsEnv({ halfSpreads: [0.25, 0.75, 1.5], skews: [-1, 0, 1] });
  const agent = tabularQAgent(env, {
    seed: 3,
    epsilon: { kind: "linear", start: 1, end: 0.05, duration: 150 },
    alpha: 0.1,
  });
  runEpisodes(env, agent, { episodes: 200, seed: 100, explore: true, learn: true });
  const greedy = runEpisodes(env, agent, { episodes: 100, seed: 1 }).metrics;
  const random = runEpisodes(env, randomQuoter(env, { seed: 1, special: true }), {
    episodes: 100,
    seed: 1,
  }).metrics;
  const mean = (ms: readonly { pnl: number }[]) => ms.reduce((s, m) => s + m.pnl, 0) / ms.length;
  assert.ok(
    mean(greedy) > mean(random) + 5,
    `greedy ${mean(greedy).toFixed(1)} vs random ${mean(random).toFixed(1)}`,
  );
});

Deno.test("environments are reproducible across instances and reset restores state", () => {
  const play = (env: QuotingEnv, seed: number) => {
    const agent = randomQuoter(env, { seed: 9, special: true });
    const out: number[] = [];
    let obs = env.reset({ seed }).obs;
    for (let t = 0; t < 300; t++) {
      const r = env.step(agent.act(obs));
      out.push(r.reward, ...r.obs);
      if (r.terminated || r.truncated) obs = env.reset().obs;
      else obs = r.obs;
    }
    return out;
  };
  const env = createMarketMakingEnv({ episodeLength: 120 });
  const a = play(env, 5);
  assert.deepEqual(play(createMarketMakingEnv({ episodeLength: 120 }), 5), a);
  assert.deepEqual(play(env, 5), a);
  assert.notDeepEqual(play(env, 6), a);
});
