/**
 * Training that settles and the tests of collusion (issue 10): the per-step ε schedule, the
 * policy-change statistics and the stopping rule of `trainMakers`, the converging regime, the
 * richer maker state and the share of decisions in unvisited states, exploitability on a game
 * with a known best response, the impulse response on a hand-built pair of policies, and the
 * committed-output mechanism.
 */
import pl from "nodejs-polars";
import { assertAlmostEquals, assertEquals, assertTrue, throwsConfig } from "./_assert.ts";
import { BID, OrderBook } from "../lib/book/mod.ts";
import {
  createGame,
  evaluateGame,
  type GameConfig,
  type MakerPolicySpec,
  type MakerView,
} from "../lib/game/mod.ts";
import {
  createQLearner,
  expDecay,
  onPathChange,
  playRecurrence,
  scheduleAt,
} from "../lib/learn/mod.ts";
import {
  convergenceRegime,
  exploitability,
  impulseResponse,
  isQMaker,
  makerEncoder,
  qMaker,
  RICH_MAKER_STATE,
  trainMakers,
} from "../lib/makers/mod.ts";
import { checkCommitted, loadCommitted, outputHash, writeCommitted } from "../lib/sweep/mod.ts";
import { stream } from "../lib/rng.ts";
import {
  convergenceRates,
  convergenceStudy,
  deviationSummary,
  exploitSummary,
  impulseSummary,
  impulseVerdict,
  planJobs,
  quickConvergencePlan,
  wilson,
} from "../lib/experiments/convergence/mod.ts";

Deno.test("expDecay: ε_t = e^(−βt) counted per learner update", () => {
  const beta = 0.01;
  const eps = expDecay(beta);
  for (const t of [0, 1, 50, 300]) {
    assertAlmostEquals(scheduleAt(eps, t), Math.exp(-beta * t), 1e-12);
  }
  const q = createQLearner({
    nStates: 1,
    nActions: 2,
    gamma: 1,
    rng: stream(1, "t"),
    epsilon: eps,
    epsilonUnit: "step",
  });
  for (let i = 0; i < 120; i++) q.update(0, 0, 1, 0, true);
  q.endEpisode(); // episodes do not move a per-step schedule
  assertAlmostEquals(q.epsilon, Math.exp(-beta * 120), 1e-12);
  throwsConfig(() => expDecay(0), "beta");
});

Deno.test("convergenceRegime: β from the decay horizon and the game's steps; defaults", () => {
  const r = convergenceRegime({ steps: 30 }, { decayEpisodes: 500 });
  const eps = r.learner.epsilon as Parameters<typeof scheduleAt>[0];
  assertAlmostEquals(scheduleAt(eps, 30 * 500), 0.001, 1e-12);
  assertEquals(r.learner.alpha, { kind: "visits", omega: 0.7 });
  assertEquals(r.convergence, {
    patience: 5,
    tol: 0.02,
    margin: 0.05,
    statistic: "path",
    over: "max",
  });
  assertEquals([r.episodes, r.evalEvery, r.evalEpisodes, r.stopWhenConverged], [
    30_000,
    1_000,
    20,
    true,
  ]);
  throwsConfig(() => convergenceRegime({}, { statistic: "all" as never }), "statistic");
});

Deno.test("onPathChange: decisions weigh their states; a change off the path does not count", () => {
  const base = {
    prev: [0, 1, 0],
    now: [0, 0, 1],
    visited: [1, 1, 0],
    table: [1, 0, 2, 1, 0, 5],
    nActions: 2,
    margin: 0,
  };
  assertEquals(onPathChange({ ...base, onPath: [3, 1, 0] }), { change: 0.25, unvisited: 0 });
  // State 2 (changed, unvisited) now played twice: 3 of 6 decisions changed, 2 unvisited.
  assertEquals(onPathChange({ ...base, onPath: [3, 1, 2] }), { change: 0.5, unvisited: 1 / 3 });
  // A change within the margin does not count: Q(1, old) = 1 is 50 % below Q(1, new) = 2.
  assertEquals(onPathChange({ ...base, onPath: [0, 4, 0], margin: 0.6 }).change, 0);
  assertTrue(Number.isNaN(onPathChange({ ...base, onPath: [0, 0, 0] }).change));
});

Deno.test("playRecurrence: settled, cycling and drifting plays", () => {
  assertEquals(playRecurrence(["a", "b", "c", "c", "c", "c"], 4), {
    checks: 4,
    distinct: 1,
    period: 1,
    returns: 0,
  });
  assertEquals(playRecurrence(["a", "b", "a", "b", "a"], 5).period, 2);
  const drift = playRecurrence(["a", "b", "c", "d", "e", "f"], 6);
  assertEquals([drift.period, drift.distinct, drift.returns], [-1, 6, 0]);
  const cycle3 = playRecurrence(["a", "b", "c", "a", "b", "c", "a"], 7);
  assertEquals([cycle3.period, cycle3.distinct, cycle3.returns], [3, 3, 4]);
});

const small = { makers: 1, steps: 8, seed: 1, game: { kind: "known", size: 800 } } as const;

Deno.test("trainMakers: the stopping rule stops at the M-th passing check and says why", () => {
  // tol 1: every check but the first passes, so the criterion holds at check 3 (checks 1–3).
  const run = trainMakers({
    game: small,
    episodes: 1000,
    evalEvery: 10,
    evalEpisodes: 1,
    convergence: { tol: 1, patience: 3, statistic: "path" },
    stopWhenConverged: true,
  });
  assertEquals([run.convergence.met, run.convergence.check, run.episodes], [true, 3, 40]);
  assertEquals(run.convergence.stopped, "converged");
  assertEquals(run.convergence.statistic, "path");
  // A run whose criterion is never met plays its budget: with tol 0 and ε = 1 (random play whose
  // estimates keep moving) some visited state changes its greedy action at every check (the
  // "path" statistic of 2 evaluation episodes can be 0 by chance: it sees few states).
  const full = trainMakers({
    game: small,
    episodes: 200,
    evalEvery: 10,
    evalEpisodes: 2,
    learner: { epsilon: 1 },
    convergence: { tol: 0, patience: 3, statistic: "visited", margin: 0 },
    stopWhenConverged: true,
  });
  assertEquals([full.convergence.met, full.convergence.stopped, full.episodes], [
    false,
    "budget",
    200,
  ]);
  assertTrue(full.convergence.changes.slice(1).some((c) => c > 0), "random play keeps changing");
  throwsConfig(
    () =>
      trainMakers({
        game: small,
        episodes: 10,
        evalEpisodes: 0,
        convergence: { statistic: "path" },
      }),
    "convergence.statistic",
  );
});

Deno.test("trainMakers: both statistics per maker, their max and mean, and the play fingerprint", () => {
  const plays: string[] = [];
  const run = trainMakers({
    game: { ...small, makers: 2 },
    episodes: 300,
    evalEvery: 50,
    evalEpisodes: 2,
    convergence: { statistic: "path", over: "mean" },
    onProgress: (p) => {
      if (p.check) plays.push(p.check.play);
    },
  });
  const checks = run.records.filter(
    pl.col("check").isNotNull().and(pl.col("role").eq(pl.lit("maker"))),
  );
  assertEquals(checks.height, 6 * 2);
  const last = checks.filter(pl.col("check").eq(5)).toRecords();
  const path = last.map((r) => r.path_change as number);
  assertAlmostEquals(run.convergence.changes[5], (path[0] + path[1]) / 2, 1e-12, "over: mean");
  assertAlmostEquals(run.convergence.changesMax[5], Math.max(...path), 1e-12);
  assertTrue(
    run.convergence.changesMax.every((m, c) => c === 0 || m >= run.convergence.changesMean[c]),
  );
  for (const r of last) {
    assertTrue((r.unvisited_share as number) >= 0 && (r.policy_change as number) >= 0);
  }
  assertEquals(plays.length, 6);
  assertTrue(plays.every((p) => p.split(".").length === 2), "one hash per learner");
});

Deno.test("trainMakers: a fixed greedy policy has zero change on both statistics", () => {
  // A table whose best action is clear everywhere, ε = 0 and a tiny learning rate: nothing moves.
  const enc = makerEncoder({ makers: 1, sizeVisible: true });
  const table = new Float64Array(enc.nStates * 7);
  for (let s = 0; s < enc.nStates; s++) table[s * 7 + 2] = 1e6;
  const run = trainMakers({
    game: small,
    episodes: 60,
    evalEvery: 10,
    evalEpisodes: 2,
    policy: { kind: "q", epsilon: 0, alpha: 1e-9 },
    init: [{ agent: "maker:0", table, visits: new Float64Array(table.length).fill(1) }],
    convergence: { statistic: "path", tol: 0, margin: 0, patience: 5 },
  });
  assertEquals(run.convergence.changes.slice(1), [0, 0, 0, 0, 0]);
  assertEquals(run.convergence.met, true);
});

/** A book with bids at P0 − 3 … P0 + a maker view reading it. */
function bookView(): { view: MakerView; book: OrderBook } {
  const book = new OrderBook({ minTick: 9_900, maxTick: 10_100 });
  book.limit(BID, 10_000 - 5, 1_000, 1); // outside the window of 3 ticks
  book.limit(BID, 10_000 - 3, 250, 1);
  book.limit(BID, 10_000 - 1, 120, 1);
  const own = book.limit(BID, 10_000 - 1, 150, 2);
  const view = {
    index: 0,
    t: 0,
    steps: 60,
    stepsLeft: 60,
    p0: 10_000,
    bestBid: 9_999,
    bestAsk: -1,
    mid: NaN,
    price: 9_999,
    qty: 150,
    target: 200,
    makersQty: 150,
    lastFills: 0,
    lastOtherFills: 0,
    volume: 0,
    lastVolume: 0,
    prevVolume: 0,
    takerRemaining: 8_000,
    sizeVisible: true,
    share: 0,
    queueAhead: () => book.queueAhead(own),
    book,
  } as MakerView;
  return { view, book };
}

Deno.test("makerEncoder: depth within k ticks of P0, own resting quantity, queue position", () => {
  const { view } = bookView();
  const enc = makerEncoder({ makers: 1, sizeVisible: true, state: { ...RICH_MAKER_STATE } });
  const base = makerEncoder({ makers: 1, sizeVisible: true });
  assertEquals(enc.nStates, base.nStates * 64);
  const d = enc.describe(enc.encode(view));
  // depth 250 + 120 + 150 = 520 within P0 − 3 … P0; resting 150; 120 ahead of the own bid.
  assertEquals([d.depth, d.resting, d.queue], ["300–599", "100–199", "100–199"]);
  const wide = makerEncoder({
    makers: 1,
    sizeVisible: true,
    state: { depth: [600, 1000], depthTicks: 5 },
  });
  assertEquals(wide.describe(wide.encode(view)).depth, "≥ 1000"); // 1,520 within 5 ticks
  // No bid: the first queue bin (ownBid tells it apart).
  const none = enc.describe(enc.encode({ ...view, qty: 0 }));
  assertEquals([none.ownBid, none.queue, none.resting], ["none", "≤ 0", "≤ 99"]);
  // Switched off, the features leave the default encoding unchanged.
  assertEquals(
    makerEncoder({ makers: 1, sizeVisible: true, state: { depth: [], depthTicks: 2 } })
      .encode(view),
    base.encode(view),
  );
  throwsConfig(
    () => makerEncoder({ makers: 1, sizeVisible: true, state: { depthTicks: -1 } }),
    "state.depthTicks",
  );
  throwsConfig(
    () => makerEncoder({ makers: 1, sizeVisible: true, state: { queue: [5, 1] } }),
    "state.queue[1]",
  );
});

Deno.test("greedy makers count their decisions in unvisited states", () => {
  const enc = makerEncoder({ makers: 1, sizeVisible: true });
  const n = enc.nStates * 7;
  const fresh = qMaker({ mode: "greedy", table: new Float64Array(n), visits: new Float64Array(n) });
  const ev = evaluateGame({
    config: { ...small, policy: fresh },
    episodes: 2,
    seed: (k) => `u:${k}`,
  });
  const p = ev.game.policies[0];
  assertTrue(isQMaker(p));
  assertEquals([p.greedyDecisions, p.unvisitedDecisions], [16, 16]); // never visited: all fallback
  assertEquals(ev.unvisited, [1]); // evaluateGame reports the share
  const run = trainMakers({ game: small, episodes: 400, evalEpisodes: 0 });
  const l = run.learners[0];
  const trained = qMaker({ mode: "greedy", table: l.table, visits: l.visits });
  const ev2 = evaluateGame({
    config: { ...small, policy: trained },
    episodes: 2,
    seed: (k) => `u:${k}`,
  });
  const q = ev2.game.policies[0];
  assertTrue(isQMaker(q) && q.greedyDecisions === 16 && q.unvisitedDecisions < 16);
  assertEquals(ev2.unvisited, [q.unvisitedDecisions / 16]);
  // A baseline does not count: NaN.
  const base = evaluateGame({
    config: { ...small, policy: { kind: "replenisher" } },
    episodes: 1,
    seed: () => 1,
  });
  assertTrue(Number.isNaN(base.unvisited[0]));
});

/** A small deterministic two-maker game (fixed update order, no noise): a best response is exact. */
const DET: GameConfig = {
  makers: 2,
  steps: 3,
  p0: 100,
  bookSpan: 50,
  seed: 0,
  makerOrder: "fixed",
  game: { kind: "known", size: 300 },
  background: { depthLevels: 8, totalDepth: 800, askLevels: 2, askSize: 100, resilience: 0.5 },
  bid: { startOffset: 1, startQty: 100, increment: 100, maxQty: 200, maxOffset: 2 },
};

/** The best return of seat 0 over every action sequence (the game is deterministic). */
function bruteForceBest(other: MakerPolicySpec): number {
  let best = -Infinity;
  const seq = [0, 0, 0];
  const game = createGame({
    ...DET,
    taker: { kind: "passive" },
    policy: [{ kind: "custom", create: () => ({ name: "seq", act: (v) => seq[v.t] }) }, other],
  });
  for (let k = 0; k < 7 ** 3; k++) {
    seq[0] = k % 7;
    seq[1] = Math.floor(k / 7) % 7;
    seq[2] = Math.floor(k / 49);
    best = Math.max(best, game.run(0).makerPnl[0]);
  }
  return best;
}

Deno.test("exploitability: the trained response reaches the known best response", () => {
  const other: MakerPolicySpec = { kind: "replenisher", offset: 1, qty: 100 };
  const learned: MakerPolicySpec = { kind: "replenisher", offset: 2, qty: 100 };
  const best = bruteForceBest(other);
  const x = exploitability({
    game: { ...DET },
    taker: { kind: "passive" },
    policy: [learned, other],
    seat: 0,
    train: {
      episodes: 3000,
      evalEvery: 100,
      evalEpisodes: 1,
      learner: { epsilon: expDecay(Math.log(1000) / (3 * 2000)), epsilonUnit: "step" },
    },
    maker: { state: { time: [2, 3], remaining: [], volume: [], velocity: [], ownQty: [100, 200] } },
    episodes: 3,
    evalSeed: "x",
  });
  const learnedValue = evaluateGame({
    config: { ...DET, taker: { kind: "passive" }, policy: [learned, other] },
    episodes: 1,
    seed: () => 0,
  }).makers[0].pnl;
  assertAlmostEquals(x.learned, learnedValue, 1e-9, "the learned policy's PnL");
  assertTrue(x.response <= best + 1e-9, "no policy beats the best response");
  assertAlmostEquals(x.response, best, 0.01 * Math.abs(best), "the response finds it");
  assertAlmostEquals(x.gain, best - learnedValue, 0.01 * Math.abs(best));
  assertTrue(x.gain > 0 && x.sd === 0, "deterministic: every paired episode gains the same");
});

/** Holds at P0 − 1; after being outbid, matches for one step, then comes back (a punisher). */
const punisher: MakerPolicySpec = {
  kind: "custom",
  create: (ctx) => {
    const [keep, up, down] = ["keep_price", "up", "down"].map((a) => ctx.actions.index(a));
    const home = ctx.p0 - 1;
    return {
      name: "punisher",
      act: (v) => (v.bestBid > v.price ? up : v.price > home ? down : keep),
    };
  },
};
/** Holds at P0 − 1 whatever happens. */
const passiveHolder: MakerPolicySpec = {
  kind: "custom",
  create: (ctx) => {
    const keep = ctx.actions.index("keep_price");
    return { name: "holder", act: () => keep };
  },
};
/** The deviator's own policy: back to P0 − 1 when above it. */
const returner: MakerPolicySpec = {
  kind: "custom",
  create: (ctx) => {
    const [keep, down] = ["keep_price", "down"].map((a) => ctx.actions.index(a));
    return { name: "returner", act: (v) => (v.price > ctx.p0 - 1 ? down : keep) };
  },
};

Deno.test("impulseResponse: a punisher answers the deviation and returns, a holder does not", () => {
  // A small sale (50 a step) leaves the bids at the touch standing.
  const config = {
    makers: 2,
    steps: 12,
    seed: 1,
    taker: { kind: "passive" },
    game: { kind: "known", size: 600 },
  } as const;
  const play = (rival: MakerPolicySpec) =>
    impulseResponse({ config, policy: [returner, rival], step: 4, episodes: 2, seed: "ir" });
  const pun = play(punisher), hold = play(passiveHolder);
  const d0 = pun.makers[0], r = pun.makers[1];
  // The deviator bids at P0 after step 4 only; the punisher matches after step 5, then returns.
  assertEquals(Array.from(d0.offsetDev.slice(3, 8)), [1, 0, 1, 1, 1]);
  assertEquals(Array.from(r.offsetDev.slice(3, 8)), [1, 1, 0, 1, 1]);
  assertEquals(Array.from(r.offsetBase), new Array(12).fill(1));
  // The holder never moves.
  assertEquals(Array.from(hold.makers[1].offsetDev), new Array(12).fill(1));
  assertEquals(pun.alreadyPlayed, 0);
  // Without the deviation both plays are the same; before it, so are the deviation plays.
  assertEquals(pun.makers[0].pnlBase, hold.makers[0].pnlBase);
  assertEquals(Array.from(r.rewardDev.slice(0, 4)), Array.from(r.rewardBase.slice(0, 4)));
  throwsConfig(
    () => impulseResponse({ config, policy: [returner], step: 4, episodes: 1, seed: "x" }),
    "policy",
  );
  throwsConfig(
    () =>
      impulseResponse({ config, policy: [returner, punisher], step: 12, episodes: 1, seed: "x" }),
    "step",
  );
});

Deno.test("committed outputs: fresh, stale, missing and edited files are told apart", async () => {
  const dir = Deno.makeTempDirSync();
  const spec = {
    name: "t",
    dir,
    command: "deno task study:t",
    version: 1,
    config: { jobs: [1, 2] },
  };
  const runs = pl.DataFrame({ seed: [1, 2], pnl: [1.5, 2.5] });
  const m = await writeCommitted(spec, { runs });
  assertEquals(m.configHash, outputHash(spec));
  assertEquals((await checkCommitted(spec)).ok, true);
  assertEquals((await loadCommitted(spec)).runs.getColumn("pnl").toArray(), [1.5, 2.5]);
  // Key order does not change the hash; the version and the configuration do.
  assertEquals(outputHash({ ...spec, config: { jobs: [1, 2] } }), m.configHash);
  const bumped = await checkCommitted({ ...spec, version: 2 });
  assertTrue(
    !bumped.ok && bumped.problems[0].includes("stale") &&
      bumped.problems[0].includes("deno task study:t"),
  );
  Deno.writeFileSync(`${dir}/runs.parquet`, new Uint8Array([1, 2, 3]));
  assertTrue((await checkCommitted(spec)).problems[0].includes("differ"));
  Deno.removeSync(`${dir}/runs.parquet`);
  assertTrue((await checkCommitted(spec)).problems[0].includes("runs.parquet: missing"));
  Deno.removeSync(`${dir}/manifest.json`);
  const gone = await checkCommitted(spec);
  assertTrue(
    gone.problems[0].includes("manifest.json: missing; regenerate with `deno task study:t`"),
  );
  let threw = false;
  try {
    await loadCommitted(spec);
  } catch (e) {
    threw = (e as Error).message.includes("manifest.json");
  }
  assertTrue(threw, "loading a missing output names it");
});

Deno.test("convergence summaries: rates with Wilson intervals, exploitability, impulse response", () => {
  assertEquals(wilson(0, 0).lo, NaN);
  const w = wilson(9, 10);
  assertAlmostEquals(w.lo, 0.5958, 1e-4); // the textbook value for 9 of 10
  assertAlmostEquals(w.hi, 0.9821, 1e-4);
  const base = { variant: "default", taker: "T", n: 2, unvisited: 0, visited: 10 };
  const runs = pl.readRecords([
    {
      ...base,
      seed: 1,
      converged: true,
      converged_episode: 3000,
      period: 1,
      returns: 0,
      path_mean: 0,
      path_max: 0,
    },
    {
      ...base,
      seed: 2,
      converged: true,
      converged_episode: 5000,
      period: 1,
      returns: 0,
      path_mean: 0.01,
      path_max: 0.02,
    },
    {
      ...base,
      seed: 3,
      converged: false,
      converged_episode: null,
      period: 2,
      returns: 3,
      path_mean: 0.2,
      path_max: 0.3,
    },
    {
      ...base,
      seed: 4,
      converged: false,
      converged_episode: null,
      period: -1,
      returns: 0,
      path_mean: 0.1,
      path_max: 0.1,
    },
  ]);
  const r = convergenceRates(runs).toRecords()[0];
  assertEquals([r.runs, r.converged, r.rate, r.median_episode, r.cycling, r.drifting], [
    4,
    2,
    0.5,
    4000,
    1,
    1,
  ]);
  assertAlmostEquals(r.path_max as number, 0.105, 1e-12);
  const x = exploitSummary(pl.readRecords([
    { variant: "default", taker: "T", n: 2, seed: 1, gain: 1, learned: 10, br_converged: true },
    { variant: "default", taker: "T", n: 2, seed: 2, gain: 3, learned: -10, br_converged: false },
  ])).toRecords()[0];
  assertEquals([x.gain_mean, x.rel_mean, x.br_conv_mean], [2, 0.2, 0.5]);
  // Two runs; in run 1 the rivals (makers 1, 2) raise their bids by 1 and 0 ticks at step 1.
  const imp = [];
  for (const seed of [1, 2]) {
    for (const maker of [0, 1, 2]) {
      for (const step of [0, 1]) {
        const up = step === 1 && seed === 1 && maker === 1 ? -1 : 0;
        imp.push({
          variant: "default",
          taker: "T",
          n: 3,
          seed,
          maker,
          deviator: maker === 0,
          step,
          offset_base: 1,
          offset_dev: 1 + up + (maker === 0 && step === 1 ? -1 : 0),
          reward_base: 1,
          reward_dev: 1,
        });
      }
    }
  }
  const s = impulseSummary(pl.readRecords(imp)).toRecords();
  const at = (role: string, step: number) => s.find((q) => q.role === role && q.step === step)!;
  assertEquals([
    at("rivals", 1).offset_mean,
    at("deviator", 1).offset_mean,
    at("rivals", 0).offset_mean,
  ], [-0.25, -1, 0]);
});

Deno.test("the quick convergence study runs end to end and its tables have their columns", async () => {
  const frames = await convergenceStudy.run(planJobs(quickConvergencePlan()), { workers: 0 });
  assertEquals(frames.runs.height, 2);
  const rates = convergenceRates(frames.runs);
  assertEquals(rates.height, 2);
  assertTrue(frames.rules.height > 0);
});

Deno.test("impulseVerdict and deviationSummary: punishment and return, no reaction, lasting move", () => {
  const rows = (xs: [number, number, number][]) =>
    xs.map(([m, lo, hi], k) => ({
      role: "rivals",
      step: 5 + k,
      offset_mean: m,
      offset_lo: lo,
      offset_hi: hi,
    }));
  const pun = impulseVerdict(
    rows([[0, 0, 0], [-1, -1.5, -0.5], [-0.2, -0.6, 0.2], [0, -0.1, 0.1]]),
    5,
  );
  assertEquals([pun.verdict, pun.raise, pun.raiseStep, pun.returned], [
    "punishment and return",
    -1,
    6,
    true,
  ]);
  assertEquals(impulseVerdict(rows([[0, 0, 0], [0.1, -0.1, 0.3]]), 5).verdict, "no reaction");
  assertEquals(impulseVerdict(rows([[0, 0, 0], [-1, -1.2, -0.8]]), 5).verdict, "lasting move");
  assertEquals(
    impulseVerdict(rows([[0, 0, 0], [0.5, 0.2, 0.8], [0, -0.1, 0.1]]), 5).verdict,
    "other reaction and return",
  );
  const dev = deviationSummary(pl.readRecords([1, 2].flatMap((seed) =>
    [0, 1, 2].map((maker) => ({
      variant: "v",
      taker: "T",
      n: 3,
      seed,
      maker,
      deviator: maker === 0,
      pnl_base: 10,
      pnl_dev: maker === 0 ? 8 : 10 + maker,
      already: 0.25,
    }))
  ))).toRecords();
  const d = dev.find((r) => r.role === "deviator")!, r = dev.find((x) => x.role === "rivals")!;
  assertEquals([d.pnl_mean, r.pnl_mean, d.already_mean], [-2, 1.5, 0.25]);
});
