/**
 * The registry of public entry points that `tests/strict_inputs_test.ts` feeds random junk to:
 * one entry per function (or method) that takes an options object (or a seed, or a series).
 *
 * An entry gives a valid input (made fresh on each call) and a call; the property test mutates
 * the input at one path (a wrong type, NaN, a typo of a real key, an extra key, an out-of-range
 * or empty value) and checks that the call throws a `ConfigError` naming that path, and, for
 * entries with `setup`/`snapshot`, that the live object (book, game, learner) is unchanged.
 *
 * To cover a new entry point, add one object to `ENTRY_POINTS`.
 *
 * @module
 */
import pl from "nodejs-polars";
import { BID, OrderBook } from "../lib/book/mod.ts";
import { checkSchedule, createPolicyTracker } from "../lib/learn/mod.ts";
import {
  backwardInduction,
  convergedAt,
  createQLearner,
  evaluatePolicy,
  evaluatePolicyDiscounted,
  greedyWithFallback,
  policyChange,
  tabularMDP,
  TERMINAL,
  valueIteration,
} from "../lib/learn/mod.ts";
import {
  actionSet,
  applyCondition,
  createGame,
  createPolicy,
  evaluateGame,
  type Game,
  playEpisodes,
  resolveConfig,
  saleCost,
} from "../lib/game/mod.ts";
import {
  aggressive,
  almgrenChriss,
  checkTakerSpec,
  createTaker,
  passive,
  reactive,
} from "../lib/takers/mod.ts";
import { createBackground, validateBackgroundOptions } from "../lib/market/mod.ts";
import {
  BUY,
  createFillLog,
  fillLogOf,
  fillRate,
  finalPnl,
  inventoryVariance,
  markouts,
  maxDrawdown,
  meanAbsInventory,
  meanCI,
  pnlSeries,
  SELL,
  sharpe,
  spreadCapture,
} from "../lib/metrics/mod.ts";
import {
  coLearn,
  convergenceRegime,
  exactCheck,
  exactOptimum,
  exploitability,
  greedyPolicies,
  impulseResponse,
  loadInto,
  makerEncoder,
  type MakersTrainResult,
  playDynamics,
  policyMap,
  qMaker,
  qTaker,
  smallExactConfig,
  takerEncoder,
  trainMakers,
} from "../lib/makers/mod.ts";
import {
  aggressiveFlow,
  parseMessages,
  parseOrderbook,
  readOrderbook,
} from "../lib/lobster/mod.ts";
import { checkShard, outputHash, parseShard, shardPath, sweep } from "../lib/sweep/mod.ts";
import {
  aggregate,
  ci,
  holm,
  markdownTable,
  pairedBySeed,
  pairedDiff,
  Plot,
  plot,
  progress,
  pValue,
  runFrame,
  saveFigure,
  significantCount,
  summarise,
  toPng,
  verdict,
} from "../lib/report/mod.ts";
import { stream } from "../lib/rng.ts";
import {
  asAgent,
  asQuoter,
  createNormalizer,
  createRewardScaler,
  dqn,
  encodeCheckpoint,
  evaluate,
  fixedSpreadAgent,
  loadCheckpoint,
  ppo,
  ppoContinuous,
  randomAgent,
  randomQuoter,
  sac,
  sacContinuous,
  saveCheckpoint,
  saveCheckpointSync,
  skewQuoter,
  tabularQAgent,
  train,
  trainVec,
  type VecAgent,
} from "../lib/agents/mod.ts";
import {
  actionTable,
  AS_PAPER,
  checkAsEnvConfig,
  checkEnv,
  checkMarketMakingConfig,
  createContinuousMarketMakingEnv,
  createMarketMakingEnv,
  createVecEnv,
  episodeMetrics,
  inventoryStrategy,
  marketCondition,
  type MarketMakingEnv,
  runEpisode,
  runEpisodes,
  simulateEpisode,
  simulateRuns,
  type VecEnv,
} from "../lib/env/mod.ts";
import {
  checkModels,
  checkPlan,
  checkSuiteAgent,
  quickPlan,
  REDUCED,
  trainSuite,
} from "../lib/training/mod.ts";
import {
  backgroundProfiles,
  lobsterReplay,
  marketJob,
  marketJobs,
  marketStudyDef,
  runRecovery,
  takerTable,
} from "../lib/experiments/market/mod.ts";
import {
  exactJobs,
  makerLearnJob,
  makerLearnJobs,
  testPolicies,
} from "../lib/experiments/game_learning/mod.ts";
import { takerJob, takerJobs } from "../lib/experiments/takers/mod.ts";
import { fixedDynamicJob, fixedDynamicJobs } from "../lib/experiments/fixed_vs_dynamic/mod.ts";
import {
  checkPolicySpec as rlCheckPolicySpec,
  compareJobs as rlCompareJobs,
  evalJob as rlEvalJob,
  tuneJobs as rlTuneJobs,
} from "../lib/experiments/rl/mod.ts";
import { signBandit } from "./_toy_envs.ts";
import { bestRuleJob, bestRuleJobs, fixedRuleList } from "../lib/experiments/fixed_rules/mod.ts";
import {
  fixedAcrossMarkets,
  pairedKinds,
  pairedPolicies,
  robustnessConfig,
  robustnessTable,
  runRobustness,
} from "../lib/experiments/robustness/mod.ts";
import { colearnJobs, planJobs, quickConvergencePlan } from "../lib/experiments/convergence/mod.ts";
import {
  ablationJobs,
  chooseState,
  quickAblationPlan,
} from "../lib/experiments/state_ablation/mod.ts";

/** One public entry point (see the module doc). */
export interface EntryPoint {
  /** Shown in failures: `"createQLearner"`, `"game.run(seed)"`. */
  readonly name: string;
  /** The folder it belongs to. */
  readonly module: string;
  /** A valid input; made fresh on every call (it may hold functions and typed arrays). */
  valid(): unknown;
  /** Calls the entry point with `input` (and the live object from `setup`, if any). */
  call(input: unknown, live: unknown): unknown;
  /** Path of the input in error messages (`"policy"` for `qMaker`'s options); default `""`. */
  readonly prefix?: string;
  /** Builds the live object whose state a failed call must not change. */
  setup?(): unknown;
  /** A comparable snapshot of the live object's state. */
  snapshot?(live: unknown): unknown;
  /**
   * Paths whose value may legitimately be of more than one type or take any value (a seed may
   * be a string, a label any string): junk there may be accepted, but an error must still name
   * the path. Paths inside are free too.
   */
  readonly free?: readonly string[];
  /** Objects whose keys are open (no typo or extra-key test inside them). */
  readonly open?: readonly string[];
  /** Mutate only inside these paths (the rest is checked elsewhere, e.g. by phase B). */
  readonly only?: readonly string[];
}

// ---------------------------------------------------------------- helpers

const rng = () => stream(1, "strict");
const mdp = () =>
  tabularMDP({
    nStates: 2,
    nActions: 2,
    outcomes: (s, a) => (s === 1 ? [[1, TERMINAL, 1]] : a === 0 ? [[1, 0, 0]] : [[1, 1, 0]]),
  });
const rules = {
  startOffset: 1,
  startQty: 200,
  increment: 100,
  maxQty: 2000,
  minOffset: 0,
  maxOffset: 10,
};
const makerCtx = () => ({
  index: 0,
  makers: 1,
  owner: 3,
  rng: rng(),
  actions: actionSet("spec"),
  rules,
  p0: 100,
  steps: 10,
  sizeVisible: true,
});
const takerCtx = () => ({ rng: rng(), steps: 10, p0: 100 });
const bookSnapshot = (book: OrderBook) => {
  const p = new Int32Array(64), q = new Float64Array(64);
  const n = book.levels(BID, 64, p, q);
  return { size: book.size, bid: [...p.subarray(0, n)], qty: [...q.subarray(0, n)] };
};
const gameSnapshot = (g: Game) => ({
  t: g.t,
  episode: g.episode,
  size: g.size,
  seed: g.config.seed,
  summary: g.summary(),
  book: bookSnapshot(g.book),
});
const fills = () => fillLogOf({ step: [0, 1], side: [BUY, SELL], price: [99, 102], qty: [1, 2] });
let smallRun: MakersTrainResult | undefined;
const run = () =>
  smallRun ??= trainMakers({
    game: { makers: 1, steps: 5, seed: 1, game: { kind: "known", size: 500 } },
    episodes: 4,
    evalEvery: 2,
    evalEpisodes: 1,
  });
const snap = (a: number) => ({ policy: Int32Array.of(a), visited: Uint8Array.of(1) });
const messagesCsv = new TextEncoder().encode(
  "34200.05990197,4,15818974,300,5794000,1\n34200.18961782,1,16113575,18,5794300,-1\n",
);
const orderbookCsv = new TextEncoder().encode("5802300,100,5794000,496\n5802300,100,5794000,400\n");
let orderbookFile: string | undefined;
const orderbookPath = () => {
  if (orderbookFile === undefined) {
    orderbookFile = `${Deno.makeTempDirSync()}/X_2012-06-21_0_1_orderbook_1.csv`;
    Deno.writeFileSync(orderbookFile, orderbookCsv);
  }
  return orderbookFile;
};
let outDir: string | undefined;
const tempDir = () => (outDir ??= Deno.makeTempDirSync());
/** Two arms on three seeds: `arm`, `seed`, `ok`, `v`. */
const armsFrame = () =>
  runFrame({
    arm: ["a", "a", "a", "b", "b", "b"],
    seed: [1, 2, 3, 1, 2, 3],
    ok: [true, true, true, true, true, true],
    v: [1, 2, 4, 0, 1, 1],
  });
const frame = () => runFrame({ g: new Int32Array([0, 0, 1]), x: new Float64Array([1, 2, 3]) });
const learnerSettings = () => ({
  gamma: 0.9,
  alpha: { kind: "visits", omega: 0.7, min: 0.01 },
  epsilon: { kind: "linear", start: 1, end: 0.05, duration: 10 },
  epsilonUnit: "episode",
  init: 0,
});

const box = (d: number) => ({
  kind: "box" as const,
  shape: [d],
  low: new Float64Array(d).fill(-1),
  high: new Float64Array(d).fill(1),
});
const discreteSpaces = () => ({
  observationSpace: box(3),
  actionSpace: { kind: "discrete" as const, n: 3 },
});
const boxSpaces = () => ({ observationSpace: box(3), actionSpace: box(2) });
const tinyDqn = () => dqn(discreteSpaces(), { hidden: [4], bufferSize: 8, batchSize: 2 });
let quotingEnv: MarketMakingEnv | undefined;
/** A 5-step book environment, shared by the entries that only read its spaces or play it. */
const mmEnv = () => (quotingEnv ??= createMarketMakingEnv({ episodeLength: 5 }));
let continuousEnv: ReturnType<typeof createContinuousMarketMakingEnv> | undefined;
const boxEnv = () => (continuousEnv ??= createContinuousMarketMakingEnv({ episodeLength: 5 }));
/** An empty folder (emptied on each call): where a rejected save must leave nothing. */
let saveFolder: string | undefined;
const emptyFolder = () => {
  saveFolder ??= Deno.makeTempDirSync();
  for (const e of Deno.readDirSync(saveFolder)) Deno.removeSync(`${saveFolder}/${e.name}`);
  return saveFolder;
};
const folderSnapshot = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
/** A checkpoint of a `tinyDqn` whose weights differ from a fresh one's (so a load shows). */
let checkpointFile: string | undefined;
const checkpointPath = () => {
  if (checkpointFile === undefined) {
    const a = tinyDqn();
    const s = a.state();
    a.load({
      ...s,
      networks: Object.fromEntries(
        Object.entries(s.networks).map(([k, w]) => [k, w.map((x) => x + 0.5)]),
      ),
    });
    checkpointFile = `${Deno.makeTempDirSync()}/dqn.json`;
    saveCheckpointSync(checkpointFile, a, { env: discreteSpaces(), meta: { trainingSeed: 1 } });
  }
  return checkpointFile;
};
/** The smallest plan: one DQN, one condition, one seed, 8 steps on 5-step episodes. */
const tinyPlan = () => {
  const q = structuredClone(quickPlan());
  const dqnAgent = q.agents.find((a) => a.learner === "dqn")!;
  return {
    ...q,
    agents: [{ ...dqnAgent, copies: 1, steps: 8, config: { ...dqnAgent.config, hidden: [4] } }],
    conditions: [q.conditions[0]],
    env: { ...q.env, episodeLength: 5 },
    evalPoints: 1,
    evalEpisodes: 1,
  };
};
/** The committed plan's residual PPO (an agent with every nested field: config, reward, anchor). */
const residualAgent = () => {
  const a = structuredClone(REDUCED.agents.find((x) => x.anchor !== undefined)!);
  return { ...a, reward: { pnl: 1, inventoryPenalty: 0.005 }, seeds: [0, 1] };
};
/** A folder emptied on each call; `trainSuite` writes under `<it>/models`. */
let suiteFolder: string | undefined;
const emptySuiteFolder = () => {
  suiteFolder ??= Deno.makeTempDirSync();
  for (const e of Deno.readDirSync(suiteFolder)) {
    Deno.removeSync(`${suiteFolder}/${e.name}`, { recursive: true });
  }
  return suiteFolder;
};
/** Cases of notebook 01's study, small. */
const marketCases = () => ({
  takers: [
    { label: "twap", taker: { kind: "passive", maxWalk: 2 } },
    { label: "ac", taker: { kind: "almgren-chriss", riskAversion: 1e-4 } },
  ],
  backgrounds: [
    { label: "linear", options: { resilience: 0.3, depthLevels: 20 } },
    { label: "flat", options: { profile: "flat", totalDepth: 4000 } },
  ],
});
/** A one-sample LOBSTER folder (ticker X, two messages, one level). */
let lobsterFolder: string | undefined;
const lobsterDir = () => {
  if (lobsterFolder === undefined) {
    lobsterFolder = Deno.makeTempDirSync();
    const name = `${lobsterFolder}/X_2012-06-21_34200000_57600000`;
    Deno.writeTextFileSync(
      `${name}_message_1.csv`,
      "34200.1,1,1,100,5794000,1\n34200.2,1,2,50,5802300,-1\n",
    );
    Deno.writeTextFileSync(
      `${name}_orderbook_1.csv`,
      "9999999999,0,5794000,100\n5802300,50,5794000,100\n",
    );
  }
  return lobsterFolder;
};
let takerEpisodes: ReturnType<typeof marketStudyDef.fromRows>["episodes"] | undefined;
const marketEpisodes = () =>
  takerEpisodes ??= marketStudyDef.fromRows(
    marketJobs({ ...marketCases(), seeds: 2, steps: 5 } as never).flatMap(marketJob),
  ).episodes;
const envSnapshot = (e: MarketMakingEnv) => ({
  info: { ...e.info },
  fills: e.fills.n,
  orders: e.ordersPlaced,
});
const mmOptions = () => ({
  episodeLength: 20,
  latency: 2,
  quoteSize: 2,
  maxInventory: 5,
  inventoryLimit: "clip",
  makerRebate: 0.1,
  takerFee: 0.4,
  halfSpreads: [1, 2],
  skews: [-1, 0, 1],
  reward: { pnl: 1, inventoryPenalty: 0.1 },
  flow: { moveProb: 0.1, limitRate: 2 },
  continuous: { minOffset: 0, maxOffset: 5 },
  p0: 10_000,
  priceRange: 1_000,
  momentumWindow: 5,
  copyObs: true,
  seed: 4,
});

// ---------------------------------------------------------------- the registry

/** Every public entry point covered so far. */
export const ENTRY_POINTS: readonly EntryPoint[] = [
  // ------------------------------------------------------------ lib/learn
  {
    name: "createQLearner",
    module: "lib/learn",
    valid: () => ({ nStates: 3, nActions: 2, rng: rng(), ...learnerSettings() }),
    call: (o) => createQLearner(o as never),
  },
  {
    name: "createQLearner (exponential ε, constant α)",
    module: "lib/learn",
    valid: () => ({
      nStates: 3,
      nActions: 2,
      gamma: 1,
      rng: rng(),
      epsilon: { kind: "exponential", start: 1, end: 0.1, rate: 0.9 },
      epsilonUnit: "step",
      alpha: { kind: "constant", value: 0.5 },
    }),
    call: (o) => createQLearner(o as never),
  },
  {
    name: "checkSchedule",
    module: "lib/learn",
    prefix: "epsilon",
    valid: () => ({ kind: "linear", start: 1, end: 0.05, duration: 10 }),
    call: (o) => checkSchedule("epsilon", o as never, { lo: 0, hi: 1 }),
  },
  {
    name: "createPolicyTracker",
    module: "lib/learn",
    valid: () => ({ nStates: 2, nActions: 3, fallback: 1, margin: 0.01 }),
    call: (o) => createPolicyTracker(o as never),
  },
  {
    name: "greedyWithFallback",
    module: "lib/learn",
    valid: () => ({
      table: new Float64Array([0, 2, 0, 0]),
      visits: [1, 1, 0, 0],
      nActions: 2,
      fallback: 0,
      out: new Int32Array(2),
    }),
    call: (o) => greedyWithFallback(o as never),
  },
  {
    name: "convergedAt",
    module: "lib/learn",
    prefix: "criterion",
    valid: () => ({ patience: 2, tol: 0.05 }),
    call: (o) => convergedAt([NaN, 0.1, 0, 0], o as never),
  },
  {
    name: "policyChange",
    module: "lib/learn",
    valid: () => ({ before: [0, 1], after: [1, 1], visits: [1, 0] }),
    call: (o) => policyChange(o as never),
  },
  {
    name: "tabularMDP",
    module: "lib/learn",
    valid: () => ({
      nStates: 1,
      nActions: 2,
      stages: 1,
      outcomes: (_s: number, a: number) => (a === 0 ? [[1, TERMINAL, 1]] : [[1, 0, 0]]),
    }),
    call: (o) => tabularMDP(o as never),
  },
  {
    name: "backwardInduction",
    module: "lib/learn",
    valid: () => ({ mdp: mdp(), horizon: 3, gamma: 1 }),
    call: (o) => backwardInduction(o as never),
    open: ["mdp"],
  },
  {
    name: "evaluatePolicy",
    module: "lib/learn",
    valid: () => ({ mdp: mdp(), horizon: 3, policy: [0, 1], gamma: 0.5 }),
    call: (o) => evaluatePolicy(o as never),
    open: ["mdp"],
  },
  {
    name: "valueIteration",
    module: "lib/learn",
    valid: () => ({ mdp: mdp(), gamma: 0.9, tol: 1e-8, maxIterations: 1000 }),
    call: (o) => valueIteration(o as never),
    open: ["mdp"],
  },
  {
    name: "evaluatePolicyDiscounted",
    module: "lib/learn",
    valid: () => ({ mdp: mdp(), gamma: 0.9, policy: [1, 0], maxIterations: 1000 }),
    call: (o) => evaluatePolicyDiscounted(o as never),
    open: ["mdp"],
  },
  // ------------------------------------------------------------ lib/game
  {
    name: "resolveConfig",
    module: "lib/game",
    valid: () => ({
      seed: 3,
      steps: 10,
      stepSeconds: 1,
      p0: 10_000,
      tickSize: 0.01,
      bookSpan: 500,
      game: { kind: "hidden", size: { kind: "uniform", min: 100, max: 300 } },
      taker: { kind: "reactive", near: 3, slow: 0.25, maxWalk: 2 },
      makers: 2,
      policy: [{ kind: "follower", alpha: 0.3, share: 0.5 }, { kind: "replenisher", offset: 2 }],
      bid: { startOffset: 1, maxQty: 1000, maxOffset: 5 },
      actions: "spec",
      makerOrder: "random",
      unsold: "sweep",
      background: { resilience: 0.3, depthLevels: 20, totalDepth: 4000 },
      record: false,
    }),
    call: (o) => resolveConfig(o as never),
    free: ["seed"],
  },
  {
    name: "createGame",
    module: "lib/game",
    valid: () => ({
      makers: 2,
      steps: 5,
      seed: "s",
      game: { kind: "known", size: 400 },
      policy: [{ kind: "random", weights: [1, 1, 1, 1, 1, 1, 2] }, { kind: "follower" }],
      taker: { kind: "almgren-chriss", riskAversion: 1e-5, floorTicks: null },
      background: { depthLevels: 10, totalDepth: 2000 },
    }),
    call: (o) => createGame(o as never),
    free: ["seed"],
  },
  {
    name: "game.run(seed)",
    module: "lib/game",
    prefix: "seed",
    valid: () => 7,
    setup: () => {
      const g = createGame({ makers: 1, steps: 5, seed: 1 });
      g.run(2);
      return g;
    },
    call: (seed, g) => (g as Game).run(seed as never),
    snapshot: (g) => gameSnapshot(g as Game),
    free: [""],
  },
  {
    name: "playEpisodes options",
    module: "lib/game",
    valid: () => ({ episodes: 2 }),
    call: (o) => playEpisodes({ makers: 1, steps: 3 }, o as never),
  },
  {
    name: "evaluateGame",
    module: "lib/game",
    valid: () => ({
      config: {
        makers: 2,
        steps: 4,
        seed: 1,
        policy: [{ kind: "follower", alpha: 0.3 }, { kind: "replenisher", offset: 2 }],
        taker: { kind: "passive", maxWalk: 2 },
        game: { kind: "known", size: 300 },
      },
      episodes: 2,
      seed: (k: number) => `e:${k}`,
      steps: true,
      decisions: true,
      values: true,
    }),
    call: (o) => evaluateGame(o as never),
    free: ["config.seed"],
  },
  {
    name: "createPolicy",
    module: "lib/game",
    prefix: "policy[1]",
    valid: () => ({ kind: "follower", offset: 1, share: 0.5, alpha: 0.3, minQty: 100 }),
    call: (o) => createPolicy(o as never, makerCtx(), "policy[1]"),
  },
  {
    name: "applyCondition (config)",
    module: "lib/game",
    prefix: "config",
    valid: () => ({
      makers: 1,
      steps: 10,
      orders: "multi",
      arrival: { kind: "uniform", latest: 3 },
      background: { resilience: 0.3, askSize: 50 },
    }),
    call: (o) => applyCondition(o as never, "noise"),
  },
  {
    name: "applyCondition (condition)",
    module: "lib/game",
    prefix: "condition",
    valid: () => ["noise", "thin"],
    call: (o) => applyCondition({ makers: 1 }, o as never),
  },
  {
    name: "saleCost",
    module: "lib/game",
    valid: () => ({ condition: ["noise", "fast"], schedule: "once", episodes: 1, seed: "s" }),
    call: (o) => saleCost(o as never),
    free: ["seed"],
  },
  // ------------------------------------------------------------ lib/takers
  {
    name: "aggressive",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ rate: 0.25, maxWalk: 3, floorTicks: 20 }),
    call: (o) => aggressive(o as never),
  },
  {
    name: "passive",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ maxWalk: 3, floorTicks: null }),
    call: (o) => passive(o as never),
  },
  {
    name: "reactive",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ near: 3, depressed: 5, slow: 0.25, boost: 2, catchUp: 10, maxWalk: 2 }),
    call: (o) => reactive(o as never),
  },
  {
    name: "almgrenChriss",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ riskAversion: 1e-5, volatility: 1, impact: 0.01, maxWalk: null }),
    call: (o) => almgrenChriss(o as never),
  },
  {
    name: "createTaker",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ kind: "passive", maxWalk: 2 }),
    call: (o) => createTaker(o as never, takerCtx()),
  },
  {
    name: "checkTakerSpec (custom)",
    module: "lib/takers",
    prefix: "taker",
    valid: () => ({ kind: "custom", name: "mine", create: () => passive() }),
    call: (o) => checkTakerSpec(o),
  },
  // ------------------------------------------------------------ lib/market
  {
    name: "createBackground + init",
    module: "lib/market",
    valid: () => ({
      p0: 1000,
      depthLevels: 10,
      totalDepth: 1000,
      profile: "exponential",
      expRate: -0.1,
      refill: "poisson",
      resilience: 0.5,
      noiseRate: 1,
      askLevels: 5,
      askSize: 100,
    }),
    setup: () => new OrderBook({ minTick: 0, maxTick: 2000 }),
    call: (o, book) => createBackground(o as never, rng()).init(book as OrderBook),
    snapshot: (book) => bookSnapshot(book as OrderBook),
  },
  {
    name: "validateBackgroundOptions (explicit profile)",
    module: "lib/market",
    prefix: "background",
    valid: () => ({ p0: 1000, profile: [100, 200, 300], refillOrder: "deepest" }),
    call: (o) => validateBackgroundOptions(o, { path: "background" }),
  },
  // ------------------------------------------------------------ lib/makers
  {
    name: "qMaker",
    module: "lib/makers",
    prefix: "policy",
    valid: () => ({
      ...learnerSettings(),
      mode: "learn",
      state: { time: [2, 5], bestBid: [1, 2], ownQty: [] },
      fallback: "keep_qty",
      name: "q",
    }),
    call: (o) => createGame({ makers: 2, steps: 3, policy: qMaker(o as never) }),
  },
  {
    name: "qMaker (greedy, from a table)",
    module: "lib/makers",
    prefix: "policy",
    valid: () => {
      const n = makerEncoder({ makers: 1, sizeVisible: true }).nStates * 7;
      return {
        mode: "greedy",
        table: new Float64Array(n),
        visits: new Float64Array(n),
        alpha: 0.1,
      };
    },
    call: (o) => createGame({ makers: 1, steps: 3, policy: qMaker(o as never) }),
  },
  {
    name: "qTaker",
    module: "lib/makers",
    prefix: "taker",
    valid: () => ({
      ...learnerSettings(),
      state: { time: [2, 11], depth: [300] },
      multiples: [0, 1, 2],
      maxWalk: 3,
      fallback: 1,
      name: "learner",
    }),
    call: (o) => createGame({ makers: 0, steps: 3, taker: qTaker(o as never) }),
  },
  {
    name: "makerEncoder",
    module: "lib/makers",
    valid: () => ({ makers: 2, sizeVisible: false, state: { velocity: [0] }, path: "state" }),
    call: (o) => makerEncoder(o as never),
    free: ["path"],
  },
  {
    name: "takerEncoder",
    module: "lib/makers",
    prefix: "taker.state",
    valid: () => ({ time: [2, 5], inventory: [1] }),
    call: (o) => takerEncoder(o as never),
  },
  {
    name: "loadInto",
    module: "lib/makers",
    prefix: "init",
    valid: () => ({ table: [1, 2, 3, 4, 5, 6], visits: new Float64Array(6) }),
    setup: () => createQLearner({ nStates: 3, nActions: 2, gamma: 1, rng: rng() }),
    call: (o, l) => {
      const plain = typeof o === "object" && o !== null && !Array.isArray(o);
      loadInto(l as never, (plain ? { ...o, field: "init" } : o) as never);
    },
    snapshot: (l) => {
      const q = l as ReturnType<typeof createQLearner>;
      return [[...q.table], [...q.visits]];
    },
  },
  {
    name: "policyMap",
    module: "lib/makers",
    valid: () => ({ agent: "maker:0", all: true }),
    call: (o) => policyMap(run(), o as never),
    free: ["agent"],
  },
  {
    name: "greedyPolicies",
    module: "lib/makers",
    valid: () => ({ learn: false }),
    call: (o) => greedyPolicies(run(), o as never),
  },
  {
    name: "playDynamics",
    module: "lib/makers",
    valid: () => ({
      sides: [[[snap(0), snap(1), snap(0), snap(1)]]],
      tol: 0.05,
      patience: 2,
      window: 3,
      margin: 0,
    }),
    call: (o) => playDynamics(o as never),
  },
  {
    name: "trainMakers",
    module: "lib/makers",
    valid: () => ({
      label: "strict",
      game: { makers: 2, steps: 3, seed: 1, game: { kind: "known", size: 400 } },
      policy: [{ kind: "q", alpha: 0.2, state: { time: [2] } }, { kind: "follower", share: 0.5 }],
      taker: { kind: "aggressive", rate: 0.5 },
      learner: { gamma: 1, epsilon: { kind: "linear", start: 1, end: 0.1, duration: 2 } },
      episodes: 2,
      evalEvery: 1,
      evalEpisodes: 1,
      evalSeed: "e",
      convergence: { patience: 2, tol: 0.1, margin: 0 },
      stopWhenConverged: false,
      keepSnapshots: true,
      init: [{
        agent: "maker:0",
        table: new Float64Array(
          makerEncoder({ makers: 2, sizeVisible: true, state: { time: [2] } }).nStates * 7,
        ),
      }],
      progressEvery: 1,
      onProgress: () => {},
    }),
    call: (o) => trainMakers(o as never),
    free: ["game.seed", "evalSeed"],
  },
  {
    name: "trainMakers (one spec, learning taker)",
    module: "lib/makers",
    valid: () => ({
      game: { makers: 1, steps: 3 },
      policy: { kind: "q", epsilon: 0.3, fallback: "keep_qty" },
      taker: { kind: "q", multiples: [0, 1, 2], epsilon: 0.2 },
      episodes: 2,
      evalEpisodes: 0,
    }),
    call: (o) => trainMakers(o as never),
  },
  {
    name: "coLearn",
    module: "lib/makers",
    valid: () => ({
      game: { makers: 1, steps: 3, seed: 1 },
      episodes: 4,
      evalEvery: 2,
      evalEpisodes: 1,
      window: 2,
      taker: { kind: "q", epsilon: 0.2, multiples: [0, 1, 2] },
    }),
    call: (o) => coLearn(o as never),
    free: ["game.seed"],
  },
  {
    name: "convergenceRegime",
    module: "lib/makers",
    valid: () => ({ decayEpisodes: 100, budget: 500, checkEvery: 50, evalEpisodes: 2, tol: 0.02 }),
    call: (o) => convergenceRegime({ steps: 10 }, o as never),
  },
  {
    name: "impulseResponse",
    module: "lib/makers",
    valid: () => ({
      config: { makers: 1, steps: 5, seed: 1, game: { kind: "known", size: 500 } },
      policy: [{ kind: "replenisher", offset: 1, qty: 100 }],
      step: 2,
      deviator: 0,
      action: "up",
      episodes: 1,
      seed: "ir",
    }),
    call: (o) => impulseResponse(o as never),
    free: ["seed"],
    only: ["step", "deviator", "action", "episodes", "seed"],
  },
  {
    name: "exploitability",
    module: "lib/makers",
    valid: () => ({
      game: { makers: 2, steps: 5, seed: 1, game: { kind: "known", size: 500 } },
      taker: { kind: "passive" },
      policy: [{ kind: "replenisher", offset: 1, qty: 100 }, { kind: "replenisher", offset: 2 }],
      seat: 0,
      train: { episodes: 2, evalEpisodes: 0 },
      episodes: 2,
      evalSeed: "x",
    }),
    call: (o) => exploitability(o as never),
    free: ["evalSeed"],
    only: ["seat", "episodes", "evalSeed"],
  },
  {
    name: "smallExactConfig",
    module: "lib/makers",
    valid: () => ({ steps: 3, taker: { kind: "aggressive", rate: 0.5 }, episodes: 10 }),
    call: (o) => smallExactConfig(o as never),
  },
  {
    name: "exactOptimum",
    module: "lib/makers",
    valid: () => {
      const c = smallExactConfig({ steps: 2, episodes: 20 });
      return { game: c.game, taker: { kind: "passive" }, verify: 2 };
    },
    call: (o) => exactOptimum(o as never),
    free: ["game.seed"],
  },
  {
    name: "exactCheck",
    module: "lib/makers",
    valid: () => {
      const c = smallExactConfig({ steps: 2, episodes: 20 });
      return { ...c, maker: { ...c.maker, epsilon: 0.3 }, verify: 1 };
    },
    call: (o) => exactCheck(o as never),
    free: ["game.seed"],
  },
  // ------------------------------------------------------------ lib/metrics
  {
    name: "pnlSeries",
    module: "lib/metrics",
    valid: () => ({ cash: [0, -99, 3], inventory: [0, 1, 0], mark: new Float64Array([100, 1, 1]) }),
    call: (o) => pnlSeries(o as never),
  },
  {
    name: "finalPnl",
    module: "lib/metrics",
    valid: () => ({ cash: [0, -99], inventory: [0, 1], mark: [100, 98] }),
    call: (o) => finalPnl(o as never),
  },
  {
    name: "sharpe",
    module: "lib/metrics",
    prefix: "pnl",
    valid: () => [0, 1, 4, 3],
    call: (o) => sharpe(o as never),
  },
  {
    name: "maxDrawdown",
    module: "lib/metrics",
    prefix: "pnl",
    valid: () => [0, 3, 1, 2],
    call: (o) => maxDrawdown(o as never),
  },
  {
    name: "inventoryVariance",
    module: "lib/metrics",
    prefix: "inventory",
    valid: () => [0, 2, 0, 2],
    call: (o) => inventoryVariance(o as never),
  },
  {
    name: "meanAbsInventory",
    module: "lib/metrics",
    prefix: "inventory",
    valid: () => [0, -2, 1],
    call: (o) => meanAbsInventory(o as never),
  },
  {
    name: "spreadCapture",
    module: "lib/metrics",
    valid: () => ({ fills: fills(), mid: [100, 101, 101], tickSize: 1 }),
    call: (o) => spreadCapture(o as never),
    open: ["fills"],
  },
  {
    name: "markouts",
    module: "lib/metrics",
    valid: () => ({ fills: fills(), mid: [100, 99, 97], horizons: [1, 2], tickSize: 0.5 }),
    call: (o) => markouts(o as never),
    open: ["fills"],
  },
  {
    name: "fillRate",
    module: "lib/metrics",
    valid: () => ({ fills: fills(), quotedQty: 16, ordersPlaced: 8 }),
    call: (o) => fillRate(o as never),
    open: ["fills"],
  },
  {
    name: "fillLogOf",
    module: "lib/metrics",
    valid: () => ({ step: [0, 3], side: [BUY, SELL], price: [99, 101], qty: [1, 2] }),
    call: (o) => fillLogOf(o as never),
  },
  {
    name: "meanCI",
    module: "lib/metrics",
    prefix: "values",
    valid: () => [1, 2, 3],
    call: (o) => meanCI(o as never),
  },
  {
    name: "createFillLog",
    module: "lib/metrics",
    prefix: "capacity",
    valid: () => 4,
    call: (o) => createFillLog(o as never),
  },
  // ------------------------------------------------------------ lib/lobster
  {
    name: "parseMessages options",
    module: "lib/lobster",
    valid: () => ({ file: "m.csv" }),
    call: (o) => parseMessages(messagesCsv, o as never),
    free: ["file"],
  },
  // ------------------------------------------------------------ lib/experiments/fixed_rules
  {
    name: "fixedRuleList",
    module: "lib/experiments",
    prefix: "family",
    valid: () => ({
      replenisher: { offsets: [1, 2], qtys: [100] },
      follower: { offsets: [0], shares: [0.5] },
    }),
    call: (o) => fixedRuleList(o as never),
  },
  {
    name: "bestRuleJob",
    module: "lib/experiments",
    valid: () => ({
      game: { label: "g", config: { steps: 3, game: { kind: "known", size: 100 } } },
      taker: { label: "t", taker: { kind: "passive" } },
      condition: ["noise"],
      n: 1,
      family: { replenisher: { offsets: [1], qtys: [100] } },
      searchEpisodes: 1,
      evalEpisodes: 2,
      searchSeed: "s",
      evalSeed: "e",
    }),
    call: (o) => bestRuleJob(o as never),
    free: ["searchSeed", "evalSeed", "game.label", "taker.label"],
  },
  {
    name: "bestRuleJobs",
    module: "lib/experiments",
    valid: () => ({
      games: [{ label: "g", config: { steps: 4, game: { kind: "known", size: 300 } } }],
      takers: [{ label: "t", taker: { kind: "passive", maxWalk: 2 } }],
      conditions: ["default", ["noise", "thin"]],
      ns: [2],
      settings: {
        searchEpisodes: 1,
        evalEpisodes: 2,
        family: { follower: { offsets: [0], shares: [1] } },
        others: [{ kind: "replenisher", offset: 2 }],
        searchSeed: "s",
        evalSeed: "e",
      },
    }),
    call: (o) => bestRuleJobs(o as never),
    free: ["games[0].label", "takers[0].label", "settings.searchSeed", "settings.evalSeed"],
  },
  {
    name: "robustnessTable",
    module: "lib/experiments",
    valid: () => ({
      finding: "f",
      condition: "c",
      value: "d",
      conditions: ["a", "b"],
      sides: { x: 1 },
    }),
    call: (o) =>
      robustnessTable(pl.DataFrame({ f: ["x", "x"], c: ["a", "b"], d: [1, 2] }), o as never),
    free: ["finding", "condition", "value", "conditions"],
    open: ["sides"],
  },
  {
    name: "pairedPolicies",
    module: "lib/experiments",
    valid: () => ({ a: "learned", b: "best fixed", value: "v", where: {}, finding: () => "f" }),
    call: (o) =>
      pairedPolicies(
        pl.DataFrame({ condition: ["c"], taker: ["t"], seed: [0], policy: ["learned"], v: [1] }),
        o as never,
      ),
    free: ["a", "b", "value"],
    open: ["where", "finding"],
  },
  {
    name: "pairedKinds",
    module: "lib/experiments",
    valid: () => ({
      population: "1R+1Q",
      a: "q",
      b: "replenisher",
      value: "mtm",
      condition: "orders",
    }),
    call: (o) =>
      pairedKinds(
        pl.DataFrame({
          orders: ["m"],
          population: ["1R+1Q"],
          train_taker: ["t"],
          play_taker: ["t"],
          seed: [0],
          kind: ["q"],
          mtm: [1],
        }),
        o as never,
      ),
    free: ["population", "a", "b", "value", "condition"],
  },
  {
    name: "aggressiveFlow options",
    module: "lib/lobster",
    valid: () => ({ from: 34_200, to: 34_300 }),
    call: (o) => aggressiveFlow(parseMessages(messagesCsv), o as never),
  },
  {
    name: "parseOrderbook options",
    module: "lib/lobster",
    valid: () => ({ file: "o.csv", levels: 1 }),
    call: (o) => parseOrderbook(orderbookCsv, o as never),
    free: ["file"],
  },
  {
    name: "readOrderbook options",
    module: "lib/lobster",
    valid: () => ({ levels: 1 }),
    call: (o) => readOrderbook(orderbookPath(), o as never),
  },
  // ------------------------------------------------------------ lib/sweep
  {
    name: "sweep",
    module: "lib/sweep",
    valid: () => ({
      module: "data:text/javascript,export const f = (j) => [j];",
      fn: "f",
      jobs: [],
      workers: 1,
      shard: { index: 0, count: 2 },
      onResult: () => {},
    }),
    call: (o) => sweep(o as never),
    free: ["module", "fn", "jobs"],
  },
  {
    name: "checkShard",
    module: "lib/sweep",
    prefix: "shard",
    valid: () => ({ index: 1, count: 3 }),
    call: (o) => checkShard(o as never),
  },
  {
    name: "shardPath",
    module: "lib/sweep",
    valid: () => ({ shard: { index: 0, count: 2 }, dir: "/tmp/x" }),
    call: (o) => shardPath("grid", o as never),
    free: ["dir"],
  },
  {
    name: "parseShard",
    module: "lib/sweep",
    prefix: "shard",
    valid: () => "1/4",
    call: (o) => parseShard(o as never),
  },
  {
    name: "outputHash",
    module: "lib/sweep",
    valid: () => ({
      name: "s",
      dir: "/tmp/s",
      command: "deno task study:s",
      version: 1,
      config: {},
    }),
    call: (o) => outputHash(o as never),
    free: ["name", "dir", "command", "config"],
    open: ["config"],
  },
  {
    name: "runRobustness",
    module: "lib/experiments",
    valid: () => ({
      config: {
        ...robustnessConfig(true),
        seeds: 1,
        conditionSeeds: 1,
        conditions: [{ label: "noise", conditions: ["noise"] }],
        searchEpisodes: 1,
        evalEpisodes: 2,
      },
      parts: ["best"],
      workers: 0,
    }),
    call: (o) => runRobustness(o as never),
    free: ["config.conditions"],
  },
  {
    name: "fixedAcrossMarkets",
    module: "lib/experiments",
    valid: () => ({
      seeds: 1,
      evalEpisodes: 1,
      steps: 6,
      conditions: [{ label: "noise", conditions: ["noise"] }],
      workers: 0,
    }),
    call: (o) => fixedAcrossMarkets(o as never),
    free: ["conditions"],
  },
  {
    name: "planJobs",
    module: "lib/experiments",
    valid: () => structuredClone(quickConvergencePlan()),
    call: (o) => planJobs(o as never),
    only: ["seeds", "evalEpisodes", "exploitEpisodes", "ns", "takers", "game"],
  },
  {
    name: "ablationJobs",
    module: "lib/experiments",
    valid: () => quickAblationPlan(),
    call: (o) => ablationJobs(o as never),
    only: ["variants", "exact"],
    free: ["variants"],
  },
  {
    name: "chooseState",
    module: "lib/experiments",
    valid: () => ({ minRate: 0.9, level: 0.05 }),
    call: (o) =>
      chooseState(
        pl.readRecords([1, 2].map((seed) => ({
          variant: "spec",
          taker: "T",
          n: 1,
          seed,
          maker_pnl: seed,
          converged: true,
          states: 1,
        }))),
        o as never,
      ),
  },
  {
    name: "colearnConverging",
    module: "lib/experiments",
    valid: () => ({
      games: [{ label: "g", game: { kind: "known", size: 1000 } }],
      seeds: 1,
      settings: { steps: 10 },
      regime: { budget: 100 },
    }),
    call: (o) => colearnJobs(o as never),
  },
  // ------------------------------------------------------------ lib/report
  {
    name: "runFrame options",
    module: "lib/report",
    valid: () => ({ length: 2, constants: { seed: 1, label: "a" } }),
    call: (o) => runFrame({ x: new Float64Array([1, 2, 3]) }, o as never),
    open: ["constants"],
  },
  {
    name: "summarise",
    module: "lib/report",
    valid: () => ({ by: ["g"], cols: ["x"], level: 0.9 }),
    call: (o) => summarise(frame(), o as never),
  },
  {
    name: "aggregate",
    module: "lib/report",
    valid: () => ({ by: ["arm"], mean: ["v"], sum: ["seed"], max: [] }),
    call: (o) => aggregate(armsFrame(), o as never),
  },
  {
    name: "pairedDiff",
    module: "lib/report",
    valid: () => ({
      a: { arm: "a" },
      b: { arm: "b" },
      on: ["seed"],
      by: [],
      value: "v",
      level: 0.9,
    }),
    call: (o) => pairedDiff(armsFrame(), o as never),
  },
  {
    name: "pairedBySeed",
    module: "lib/report",
    valid: () => ({
      a: { arm: "a", ok: true },
      b: { arm: "b", ok: true },
      value: "v",
      on: ["seed"],
    }),
    call: (o) => pairedBySeed(armsFrame(), o as never),
  },
  {
    name: "verdict",
    module: "lib/report",
    valid: () => ({ col: "diff", than: { diff_lo: -1, diff_hi: 1 } }),
    call: (o) => verdict({ diff_lo: 2, diff_hi: 3 }, o as never),
    open: ["than"],
  },
  {
    name: "ci",
    module: "lib/report",
    valid: () => ({ digits: 1, style: "interval", same: " (exact)" }),
    call: (o) => ci({ x_mean: 1, x_sd: 0.5, x_lo: 0.5, x_hi: 1.5 }, "x", o as never),
    free: ["same"],
  },
  {
    name: "holm options",
    module: "lib/report",
    valid: () => ({ level: 0.05 }),
    call: (o) => holm([0.01, 0.2], o as never),
  },
  {
    name: "pValue options",
    module: "lib/report",
    valid: () => ({ col: "x", than: 1 }),
    call: (o) => pValue({ x_mean: 2, x_sd: 1, x_n: 3 }, o as never),
  },
  {
    name: "significantCount options",
    module: "lib/report",
    valid: () => ({ col: "x", than: 0, level: 0.1 }),
    call: (o) => significantCount([{ x_mean: 2, x_sd: 1, x_n: 3 }], o as never),
  },
  {
    name: "markdownTable",
    module: "lib/report",
    valid: () => ({ format: (x: number) => x.toFixed(1), maxRows: 2 }),
    call: (o) => markdownTable(frame(), o as never),
  },
  {
    name: "toPng",
    module: "lib/report",
    valid: () => ({ scale: 1, background: "white" }),
    call: (o) =>
      toPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>', o as never),
    free: ["background"],
  },
  {
    name: "saveFigure",
    module: "lib/report",
    valid: () => ({ dir: tempDir(), scale: 0.5 }),
    call: (o) => saveFigure("strict", plot({ marks: [Plot.ruleY([0])] }), o as never),
    only: ["scale"], // never a missing dir: that would write into figures/
  },
  {
    name: "progress",
    module: "lib/report",
    valid: () => ({ every: 0.5, sink: (_line: string) => {} }),
    call: (o) => progress("p", 10, o as never).tick(),
  },
  // ------------------------------------------------------------ lib/agents
  {
    name: "dqn",
    module: "lib/agents",
    valid: () => ({
      seed: 1,
      name: "d",
      hidden: [4],
      activation: "tanh",
      learningRate: 1e-3,
      bufferSize: 16,
      batchSize: 4,
      learningStarts: 4,
      double: true,
      prioritized: true,
      alpha: 0.6,
      maxGradNorm: 10,
      loss: "mse",
      normalizeObs: true,
      obsClip: 5,
    }),
    call: (o) => dqn(discreteSpaces(), o as never),
  },
  {
    name: "ppo",
    module: "lib/agents",
    valid: () => ({
      seed: 2,
      hidden: [4],
      numSteps: 8,
      numMinibatches: 2,
      updateEpochs: 1,
      clipCoef: 0.2,
      clipVloss: false,
      entCoef: 0.01,
    }),
    call: (o) => ppo(discreteSpaces(), o as never),
  },
  {
    name: "ppoContinuous",
    module: "lib/agents",
    valid: () => ({ hidden: [4], numSteps: 8, numMinibatches: 2, initLogStd: -0.5 }),
    call: (o) => ppoContinuous(boxSpaces(), o as never),
  },
  {
    name: "sac",
    module: "lib/agents",
    valid: () => ({ hidden: [4], bufferSize: 16, batchSize: 4, autotune: false, qLr: 1e-3 }),
    call: (o) => sac(discreteSpaces(), o as never),
  },
  {
    name: "sacContinuous",
    module: "lib/agents",
    valid: () => ({
      hidden: [4],
      bufferSize: 16,
      batchSize: 4,
      targetEntropy: null,
      logStdMin: -5,
      logStdMax: 2,
    }),
    call: (o) => sacContinuous(boxSpaces(), o as never),
  },
  {
    name: "tabularQAgent",
    module: "lib/agents",
    valid: () => ({
      seed: 1,
      name: "tq",
      timeEdges: [0.5],
      inventoryEdges: [-1, 1],
      features: [{ index: 3, edges: [0] }],
      gamma: 0.9,
      alpha: { kind: "constant", value: 0.1 },
      epsilon: { kind: "linear", start: 1, end: 0.1, duration: 5 },
      epsilonUnit: "step",
      init: 0,
      bootstrapOnTruncation: true,
    }),
    call: (o) => tabularQAgent(mmEnv(), o as never),
  },
  {
    name: "randomAgent",
    module: "lib/agents",
    valid: () => ({ seed: 3, name: "r" }),
    call: (o) => randomAgent(discreteSpaces(), o as never),
  },
  {
    name: "fixedSpreadAgent",
    module: "lib/agents",
    valid: () => ({ name: "fixed", halfSpread: 2, skew: 0 }),
    call: (o) => fixedSpreadAgent(mmEnv(), o as never),
  },
  {
    name: "asAgent",
    module: "lib/agents",
    valid: () => ({ name: "as", gamma: 0.1, k: 1.5, sigma: 1 }),
    call: (o) => asAgent(mmEnv(), o as never),
  },
  {
    name: "randomQuoter",
    module: "lib/agents",
    valid: () => ({ name: "rq", seed: 1, special: true }),
    call: (o) => randomQuoter(mmEnv(), o as never),
  },
  {
    name: "skewQuoter",
    module: "lib/agents",
    valid: () => ({ name: "skew", halfSpread: 1.5, skew: 0.1, size: 2 }),
    call: (o) => skewQuoter(boxEnv(), o as never),
  },
  {
    name: "asQuoter",
    module: "lib/agents",
    valid: () => ({ name: "asq", gamma: 0.01, k: 0.5, sigma: 1, size: 2 }),
    call: (o) => asQuoter(boxEnv(), o as never),
  },
  {
    name: "createRewardScaler",
    module: "lib/agents",
    prefix: "rewardScaler",
    valid: () => ({ gamma: 0.99, clip: 10, epsilon: 1e-8 }),
    call: (o) => createRewardScaler(o as never),
  },
  {
    name: "createNormalizer",
    module: "lib/agents",
    prefix: "normalizer",
    valid: () => ({ dim: 3, clip: 5, epsilon: 1e-8 }),
    call: (o) => createNormalizer(o as never),
  },
  {
    name: "train",
    module: "lib/agents",
    valid: () => ({ steps: 5, episodes: 3, seed: 1, onEpisode: () => {} }),
    call: (o) => train(signBandit(), randomAgent(signBandit()), o as never),
  },
  {
    name: "evaluate",
    module: "lib/agents",
    valid: () => ({ episodes: 2, seed: 1, explore: true }),
    call: (o) => evaluate(signBandit(), randomAgent(signBandit()), o as never),
  },
  {
    name: "trainVec",
    module: "lib/agents",
    valid: () => ({ steps: 4, seed: 1, reset: true, onStep: () => {}, onEpisode: () => {} }),
    call: (o) => {
      const vec = createVecEnv({ make: signBandit, copies: 2 });
      const agent = dqn(vec, { hidden: [4], bufferSize: 8, batchSize: 2 }) as VecAgent;
      return trainVec(vec, agent, o as never);
    },
  },
  {
    name: "encodeCheckpoint",
    module: "lib/agents",
    valid: () => ({ env: discreteSpaces(), meta: { trainingSeed: 1, training: { a: [1] } } }),
    call: (o) => encodeCheckpoint(tinyDqn(), o as never),
    open: ["env", "meta.training"],
    free: ["meta.training"],
  },
  {
    name: "saveCheckpoint (nothing written when rejected)",
    module: "lib/agents",
    valid: () => ({ env: discreteSpaces(), meta: { trainingSeed: 1, training: { a: [1] } } }),
    setup: emptyFolder,
    call: (o, dir) => saveCheckpoint(`${dir}/dqn.json`, tinyDqn(), o as never),
    snapshot: (dir) => folderSnapshot(dir as string),
    open: ["env", "meta.training"],
    free: ["meta.training"],
  },
  {
    name: "saveCheckpointSync (nothing written when rejected)",
    module: "lib/agents",
    valid: () => ({ env: discreteSpaces(), meta: { trainingSeed: 2 } }),
    setup: emptyFolder,
    call: (o, dir) => saveCheckpointSync(`${dir}/dqn.json`, tinyDqn(), o as never),
    snapshot: (dir) => folderSnapshot(dir as string),
    open: ["env"],
  },
  {
    name: "loadCheckpoint (the learner untouched when rejected)",
    module: "lib/agents",
    valid: () => ({ env: discreteSpaces() }),
    setup: tinyDqn,
    call: (o, learner) => loadCheckpoint(checkpointPath(), learner as never, o as never),
    snapshot: (learner) =>
      Object.values((learner as ReturnType<typeof tinyDqn>).state().networks)
        .map((w) => [...w]),
    open: ["env"],
  },
  // ------------------------------------------------------------ lib/env
  {
    name: "checkMarketMakingConfig",
    module: "lib/env",
    valid: mmOptions,
    call: (o) => checkMarketMakingConfig(o as never),
  },
  {
    name: "createMarketMakingEnv",
    module: "lib/env",
    valid: () => ({ episodeLength: 5, halfSpreads: [1, 3], reward: { dampening: 0.5 } }),
    call: (o) => createMarketMakingEnv(o as never),
  },
  {
    name: "marketCondition options",
    module: "lib/env",
    valid: mmOptions,
    call: (o) => marketCondition("toxic", o as never),
  },
  {
    name: "checkAsEnvConfig",
    module: "lib/env",
    valid: () => ({
      model: { sigma: 1, k: 1.5, increment: "gaussian" },
      latency: 0,
      halfSpreads: [0.5, 1],
      skews: [0],
      reward: { inventoryPenalty: 0.1 },
      maxLoss: 100,
      seed: 2,
    }),
    call: (o) => checkAsEnvConfig(o as never),
  },
  {
    name: "env.reset(options)",
    module: "lib/env",
    valid: () => ({ seed: 3 }),
    setup: () => {
      const e = createMarketMakingEnv({ episodeLength: 5 });
      e.reset({ seed: 1 });
      e.step(0);
      return e;
    },
    call: (o, e) => (e as MarketMakingEnv).reset(o as never),
    snapshot: (e) => envSnapshot(e as MarketMakingEnv),
  },
  {
    name: "actionTable",
    module: "lib/env",
    valid: () => ({ halfSpreads: [1, 2], skews: [-1, 0], minHalfSpread: 0.5 }),
    call: (o) => actionTable(o as never),
  },
  {
    name: "runEpisode options",
    module: "lib/env",
    valid: () => ({ seed: 1, explore: true, learn: false, horizons: [1, 2] }),
    call: (o) => runEpisode(mmEnv(), randomAgent(mmEnv()), o as never),
  },
  {
    name: "runEpisodes options",
    module: "lib/env",
    valid: () => ({ episodes: 2, seed: 1, horizons: [1], onEpisode: () => {} }),
    call: (o) => runEpisodes(mmEnv(), randomAgent(mmEnv()), o as never),
  },
  {
    name: "episodeMetrics",
    module: "lib/env",
    valid: () => {
      const r = runEpisode(mmEnv(), randomAgent(mmEnv()), { seed: 2 });
      return {
        record: r.record,
        fills: r.fills,
        ordersPlaced: 4,
        quotedQty: 8,
        tickSize: 1,
        horizons: [1],
      };
    },
    call: (o) => episodeMetrics(o as never),
    open: ["record", "fills"],
  },
  {
    name: "createVecEnv",
    module: "lib/env",
    valid: () => ({ make: signBandit, copies: 2, onEpisodeEnd: () => {} }),
    call: (o) => createVecEnv(o as never),
  },
  {
    name: "vec.reset(options)",
    module: "lib/env",
    valid: () => ({ seed: 5 }),
    setup: () => {
      const v = createVecEnv({
        make: () => createMarketMakingEnv({ episodeLength: 5 }),
        copies: 2,
      });
      v.reset({ seed: 1 });
      return v;
    },
    call: (o, v) => (v as VecEnv).reset(o as never),
    snapshot: (v) => [...(v as VecEnv).obs],
  },
  {
    name: "checkEnv options",
    module: "lib/env",
    valid: () => ({
      seed: 1,
      steps: 12,
      maxEpisodeSteps: 10,
      strictEnd: true,
      expectSeedSensitivity: true,
      policy: (_t: number, u: number) => Math.floor(u * 3),
    }),
    call: (o) => checkEnv(() => createMarketMakingEnv({ episodeLength: 5 }), o as never),
  },
  {
    name: "simulateEpisode",
    module: "lib/env",
    valid: () => ({
      params: { ...AS_PAPER },
      quoter: inventoryStrategy(AS_PAPER),
      seed: 1,
      run: 2,
    }),
    call: (o) => simulateEpisode(o as never),
    open: ["quoter"],
    free: ["seed"],
  },
  {
    name: "simulateRuns",
    module: "lib/env",
    valid: () => ({ params: { ...AS_PAPER }, strategy: "symmetric", runs: 2, seed: "s" }),
    call: (o) => simulateRuns(o as never),
    free: ["seed"],
  },
  // ------------------------------------------------------------ lib/experiments/market
  {
    name: "runTakers (marketJobs)",
    module: "lib/experiments",
    valid: () => ({
      ...marketCases(),
      seeds: 2,
      firstSeed: 3,
      game: { kind: "hidden", size: { kind: "uniform", min: 100, max: 300 } },
      steps: 5,
      workers: 0,
      progress: () => ({ tick() {}, done() {} }),
    }),
    call: (o) => marketJobs(o as never),
  },
  {
    name: "runRecovery",
    module: "lib/experiments",
    valid: () => ({
      backgrounds: marketCases().backgrounds,
      seeds: 1,
      firstSeed: 2,
      size: 500,
      steps: 3,
      workers: 0,
      progress: () => ({ tick() {}, done() {} }),
    }),
    call: (o) => runRecovery(o as never),
  },
  {
    name: "backgroundProfiles",
    module: "lib/experiments",
    prefix: "backgrounds",
    valid: () => marketCases().backgrounds,
    call: (o) => backgroundProfiles(o as never),
  },
  {
    name: "lobsterReplay",
    module: "lib/experiments",
    valid: () => ({ dir: lobsterDir(), tickers: ["X"] }),
    call: (o) => lobsterReplay(o as never),
  },
  {
    name: "takerTable",
    module: "lib/experiments",
    valid: () => ({ episodes: marketEpisodes(), exact: marketEpisodes() }),
    call: (o) => takerTable(o as never),
    open: ["episodes", "exact"],
  },
  // ------------------------------------------------------------ lib/experiments/game_learning
  {
    name: "makerLearnJobs",
    module: "lib/experiments",
    valid: () => ({
      games: [
        { label: "g1", game: { kind: "known", size: 500 } },
        { label: "g2", game: { kind: "hidden", size: { kind: "uniform", min: 100, max: 300 } } },
      ],
      takers: [{ label: "t", taker: { kind: "passive", maxWalk: 2 } }],
      seeds: 2,
      settings: {
        episodes: 10,
        evalEvery: 5,
        evalEpisodes: 1,
        tests: [{ label: "own", game: { kind: "known", size: 400 } }],
        testEpisodes: 2,
        baselines: [
          { label: "r", spec: { kind: "replenisher", offset: 1 } },
          { label: "none", spec: null },
        ],
        gameOptions: { steps: 5, bid: { maxQty: 1000 } },
        learner: { gamma: 0.9, alpha: 0.1, epsilon: 0.2 },
        map: false,
      },
      tests: {
        g2: [{ label: "h", game: { kind: "hidden", size: { kind: "fixed", value: 200 } } }],
      },
      save: () => undefined,
    }),
    call: (o) => makerLearnJobs(o as never),
    free: ["games[0].label", "games[1].label", "takers[0].label", "settings.tests[0].label"],
  },
  {
    name: "makerLearnJob",
    module: "lib/experiments",
    valid: () => ({
      game: "g",
      spec: { kind: "known", size: 300 },
      taker: { label: "t", taker: { kind: "aggressive" } },
      seed: 1,
      episodes: 2,
      evalEvery: 1,
      evalEpisodes: 1,
      testEpisodes: 1,
      baselines: [{ label: "none", spec: null }],
      gameOptions: { steps: 3 },
      learner: { epsilon: 0.5 },
      map: false,
    }),
    call: (o) => makerLearnJob(o as never),
    free: ["game", "taker.label"],
  },
  {
    name: "exactStudy (exactJobs)",
    module: "lib/experiments",
    valid: () => ({
      takers: [{ label: "t", taker: { kind: "passive" } }],
      seeds: 2,
      steps: 3,
      episodes: 100,
      workers: 0,
      shard: { index: 0, count: 2 },
      onResult: () => {},
      progress: () => ({ tick() {}, done() {} }),
    }),
    call: (o) => exactJobs(o as never),
    free: ["takers[0].label"],
  },
  {
    name: "testPolicies",
    module: "lib/experiments",
    valid: () => ({
      game: { steps: 3, game: { kind: "known", size: 300 } },
      taker: { kind: "aggressive" },
      policies: [{ label: "r", spec: { kind: "follower" } }, { label: "none", spec: null }],
      episodes: 1,
      seed: "s",
    }),
    call: (o) => testPolicies(o as never),
    free: ["seed", "policies[0].label", "policies[1].label"],
  },
  // ------------------------------------------------------------ lib/experiments/takers
  {
    name: "takerStudy (takerJobs)",
    module: "lib/experiments",
    valid: () => ({
      takers: [
        { label: "a", taker: { kind: "aggressive" } },
        { label: "r", taker: { kind: "reactive" } },
      ],
      baselines: [
        { label: "none", policy: [] },
        { label: "2R", policy: [{ kind: "replenisher" }, { kind: "replenisher", offset: 2 }] },
      ],
      games: [{ label: "g", game: { kind: "known", size: 500 } }],
      seeds: 2,
      settings: {
        episodes: 10,
        evalEpisodes: 2,
        colearnEpisodes: 10,
        trainEvalEpisodes: 1,
        learnedMakers: 2,
        learner: { gamma: 0.9 },
        stepTakers: ["r"],
        game: { steps: 5 },
      },
      workers: 0,
      shard: { index: 0, count: 1 },
      onResult: () => {},
      progress: () => ({ tick() {}, done() {} }),
    }),
    call: (o) => takerJobs(o as never),
    free: ["takers[0].label", "baselines[0].label", "baselines[1].label", "games[0].label"],
  },
  {
    name: "takerJob",
    module: "lib/experiments",
    prefix: "job",
    valid: () => ({
      kind: "baseline",
      game: { label: "g", game: { kind: "known", size: 300 } },
      seed: 1,
      makers: { label: "R", policy: [{ kind: "replenisher", offset: 2 }] },
      play: [{ label: "a", taker: { kind: "aggressive" } }],
      settings: { episodes: 1, evalEpisodes: 1, stepTakers: ["a"], game: { steps: 3 } },
    }),
    call: (o) => takerJob(o as never),
    free: ["kind", "game.label", "makers.label", "play[0].label"],
  },
  // ------------------------------------------------------------ lib/experiments/fixed_vs_dynamic
  {
    name: "fixedDynamicStudy (fixedDynamicJobs)",
    module: "lib/experiments",
    valid: () => ({
      populations: [
        { label: "1R+1F", kinds: ["replenisher", "follower"] },
        { label: "1R+1Q", kinds: ["replenisher", "q"] },
      ],
      takers: [{ label: "a", taker: { kind: "aggressive" } }],
      games: [{ label: "g", game: { kind: "known", size: 500 } }],
      seeds: 2,
      settings: {
        episodes: 10,
        evalEpisodes: 2,
        earlySteps: 2,
        trainEvalEpisodes: 1,
        replenisher: { offset: 1, qty: 200 },
        follower: { offset: 0, share: 0.5 },
        learner: { gamma: 0.9 },
        stepTakers: ["a"],
        game: { steps: 5 },
      },
      workers: 0,
      shard: { index: 0, count: 1 },
      onResult: () => {},
      progress: () => ({ tick() {}, done() {} }),
    }),
    call: (o) => fixedDynamicJobs(o as never),
    free: ["populations[0].label", "populations[1].label", "takers[0].label", "games[0].label"],
  },
  {
    name: "fixedDynamicJob",
    module: "lib/experiments",
    prefix: "job",
    valid: () => ({
      population: { label: "1R+1F", kinds: ["replenisher", "follower"] },
      game: { label: "g", game: { kind: "known", size: 300 } },
      train: null,
      play: [{ label: "a", taker: { kind: "aggressive" } }],
      seed: 1,
      settings: {
        episodes: 1,
        evalEpisodes: 1,
        replenisher: { offset: 2 },
        stepTakers: ["a"],
        game: { steps: 3 },
      },
    }),
    call: (o) => fixedDynamicJob(o as never),
    free: ["population.label", "game.label", "play[0].label", "train"],
  },
  // ------------------------------------------------------------ lib/experiments/rl
  {
    name: "tuneJobs (rl)",
    module: "lib/experiments",
    valid: () => ({
      baselines: [
        { label: "fixed", policy: { kind: "skew", halfSpread: 1, skew: 0, size: 1 } },
        { label: "as", policy: { kind: "as", gamma: 0.1, k: 1, size: 2 } },
      ],
      conditions: ["calm", "toxic"],
      sets: 2,
      episodes: 3,
      settings: {
        env: { episodeLength: 40 },
        riskPenalty: 0.005,
        horizon: 3,
        timeBuckets: 4,
        volWindow: 10,
        volEdges: [0.4, 0.6],
      },
    }),
    call: (o) => rlTuneJobs(o as never),
    free: ["baselines[0].label", "baselines[1].label"],
  },
  {
    name: "compareJobs (rl)",
    module: "lib/experiments",
    valid: () => ({
      policies: [{
        label: "fixed",
        condition: "calm",
        policy: () => ({ kind: "skew", halfSpread: 1, skew: 0, size: 1 }),
      }],
      sets: 2,
      episodes: 3,
      settings: { env: { episodeLength: 40 }, riskPenalty: 0.005 },
      queue: {
        env: { episodeLength: 40 },
        sizes: [1, 3],
        episodes: 2,
        halfSpread: 1,
        inventoryPerSize: 10,
        queueEdges: [0, 0.5],
        seeds: 1,
      },
    }),
    call: (o) => rlCompareJobs(o as never),
    free: ["policies[0].label"],
  },
  {
    name: "evalJob (rl)",
    module: "lib/experiments",
    prefix: "job",
    valid: () => ({
      label: "fixed",
      condition: "calm",
      policy: { kind: "skew", halfSpread: 1, skew: 0, size: 1 },
      set: 1,
      episodes: 1,
      seedBase: 0,
      detail: false,
      settings: { env: { episodeLength: 10 }, riskPenalty: 0 },
    }),
    call: (o) => rlEvalJob(o as never),
    free: ["label"],
  },
  {
    // A model policy's nested fields (its agent's config, reward and anchor) are checked before
    // any job runs (they were checked only as "an object" before).
    name: "checkPolicySpec (rl, a model)",
    module: "lib/experiments",
    prefix: "policy",
    valid: () => ({ kind: "model", dir: "/nowhere", agent: residualAgent(), seed: 0 }),
    call: (o) => rlCheckPolicySpec(o, "policy", boxEnv),
    free: ["dir", "agent.label"],
  },
  // ------------------------------------------------------------ lib/training
  {
    name: "checkPlan",
    module: "lib/training",
    prefix: "plan",
    valid: () => structuredClone(quickPlan()),
    call: (o) => checkPlan(o as never),
  },
  {
    name: "checkSuiteAgent",
    module: "lib/training",
    prefix: "agent",
    valid: () => residualAgent(),
    call: (o) => checkSuiteAgent(o as never),
  },
  {
    name: "trainSuite (nothing written when rejected)",
    module: "lib/training",
    valid: () => ({
      plan: tinyPlan(),
      outDir: `${emptySuiteFolder()}/models`,
      workers: 0,
      log: false,
      onJob: () => {},
      reuse: true,
      onReuse: () => {},
    }),
    setup: emptySuiteFolder,
    call: (o) => trainSuite(o as never),
    snapshot: (dir) => folderSnapshot(dir as string),
    // The plan's own fields are checkPlan's (above); here: that it is checked before any write.
    only: ["plan", "outDir", "workers", "log", "onJob", "reuse", "onReuse"],
    open: ["plan"],
  },
  {
    name: "checkModels",
    module: "lib/training",
    valid: () => ({ plan: tinyPlan(), dir: emptySuiteFolder() }),
    call: (o) => checkModels(o as never),
    open: ["plan"],
  },
];
