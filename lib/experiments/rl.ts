/**
 * Experiments of notebook 07 (reinforcement learning for market making): baselines and learners
 * (tabular Q, DQN, PPO, SAC) on the order-book environment of `lib/env/`, trained and evaluated
 * over several seeds in parallel Web Workers (`lib/sweep/`), and a quote-size sweep for the fill
 * rate by queue position. Plain functions; {@linkcode rlStudy} returns Polars frames.
 *
 * ## One agent job ({@linkcode rlJob} with `kind: "agent"`)
 * 1. A fresh environment from `env` and the agent for root seed `seed`.
 * 2. Learners only: `trainEpisodes` episodes in exploring mode, every transition fed to the
 *    agent (`runEpisode(..., {explore: true, learn: true})`); one `curve` row per episode.
 * 3. `evalEpisodes` greedy episodes on evaluation seeds shared by every agent (common random
 *    numbers); one `eval` row per episode, and per-step aggregates over all of them:
 *    - `pnl` cells: the step's change of mark-to-market PnL by the inventory at the start of the
 *      step (bucketed by `inventoryEdges`) and the quote *in effect* during the step: with latency
 *      `L` that is the action chosen `L` steps earlier (its half-spread, or cancel / flatten);
 *      the first `L` steps, with no instruction in effect yet, are left out;
 *    - `adverse` cells: fills by the time in the episode (`timeBuckets` equal slices) and the
 *      realised volatility before the fill (root mean square of the one-step mid changes over the
 *      last `volWindow` steps, ticks per step, bucketed by `volEdges`), with the number whose
 *      markout at `horizon` steps is negative (adverse) and the markout sum;
 *    - `inventory`: steps spent at each inventory (the rows after each step).
 *
 * ## One queue job (`kind: "queue"`)
 * The quote size is fixed within an environment (`quoteSize`), so the fill rate by order size is
 * measured across environments: a fixed-spread quoter (`halfSpread`, default 1: join the best
 * quotes, where queue position matters) runs `episodes` episodes with quote size `size` and an
 * inventory limit of `inventoryPerSize · size`. Before each step, each side with a resting order
 * is classed by its observed queue position (the observation's `bidQueue` / `askQueue`: the share
 * of its price level ahead of it), then the step's passive fills on that side are counted. The
 * position is the one the agent observes; an order re-priced at the start of the step (the
 * instruction of `latency` steps ago arriving) rejoins the back of its new level, which this
 * measure attributes to the observed position.
 *
 * ## Seeds
 * Agent `seed` is the agent's root seed (its streams are named by the agent). Training episode
 * `e` of seed `s` resets the environment with `s · 10^6 + e`; evaluation episode `k` with
 * `10^9 + s · 10^4 + k`; queue episode `k` with `2 · 10^9 + s · 10^4 + k`. Every job is
 * deterministic, and the sweep merges rows in job order, so the frames do not depend on the
 * number of workers.
 *
 * ## Summaries
 * Pure functions from the study's frames to the small frames the notebook shows:
 * {@linkcode seedMeans} (the unit of replication), {@linkcode agentSummary} (mean and interval
 * over seeds), {@linkcode curveBands} (learning curves with a
 * band over seeds), {@linkcode pairedDifference} (agent − baseline, paired by seed),
 * {@linkcode pnlHeatmap}, {@linkcode adverseHeatmap}, {@linkcode queueFillRates},
 * {@linkcode inventoryShares}, {@linkcode quoteShares} and {@linkcode comparisonTable}.
 *
 * @example
 * ```ts
 * import { rlJob } from "./rl.ts";
 * const rows = await rlJob({
 *   kind: "agent",
 *   case: { label: "fixed", agent: { kind: "fixed", config: { halfSpread: 2 } } },
 *   seed: 0,
 *   settings: { env: { episodeLength: 50 }, trainEpisodes: 0, evalEpisodes: 2 },
 * });
 * const evalRows = rows.filter((r) => r.table === "eval");
 * if (evalRows.length !== 2 || rows.some((r) => r.table === "curve")) throw new Error();
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { NONE } from "../book/mod.ts";
import { checkInt, checkNum, ConfigError } from "../errors.ts";
import {
  BOOK_OBS,
  createMarketMakingEnv,
  type EpisodeRun,
  type MarketMakingEnv,
  type MarketMakingOptions,
  runEpisode,
} from "../env/mod.ts";
import {
  type Agent,
  asAgent,
  type AsAgentConfig,
  dqn,
  type DqnConfig,
  fixedSpreadAgent,
  type FixedSpreadConfig,
  ppo,
  type PpoConfig,
  randomQuoter,
  type RandomQuoterConfig,
  sac,
  type SacConfig,
  tabularQAgent,
  type TabularQConfig,
} from "../agents/mod.ts";
import { BUY } from "../metrics/fills.ts";
import { type MeanCI, meanCI } from "../metrics/mean_ci.ts";
import { merge, sweep } from "../sweep/mod.ts";

/** Which agent to build, with its hyperparameters (JSON: it crosses to a worker). */
export type AgentSpec =
  | { readonly kind: "fixed"; readonly config?: Partial<FixedSpreadConfig> }
  | { readonly kind: "as"; readonly config?: Partial<AsAgentConfig> }
  | { readonly kind: "random"; readonly config?: Partial<Omit<RandomQuoterConfig, "seed">> }
  | { readonly kind: "tabular-q"; readonly config?: Partial<Omit<TabularQConfig, "seed">> }
  | { readonly kind: "dqn"; readonly config?: Partial<Omit<DqnConfig, "seed">> }
  | { readonly kind: "ppo"; readonly config?: Partial<Omit<PpoConfig, "seed">> }
  | { readonly kind: "sac"; readonly config?: Partial<Omit<SacConfig, "seed">> };

/** An agent with the label it carries in the frames. */
export interface AgentCase {
  /** Label, e.g. `"DQN"`; unique within a study. */
  readonly label: string;
  /** The agent. */
  readonly agent: AgentSpec;
  /** Training episodes of this learner, instead of the settings' `trainEpisodes`. */
  readonly trainEpisodes?: number;
}

/** The agent kinds that learn (they get training episodes and learning curves). */
export const LEARNER_KINDS: readonly AgentSpec["kind"][] = Object.freeze([
  "tabular-q",
  "dqn",
  "ppo",
  "sac",
]);

/** Settings shared by every agent job (all JSON). */
export interface RlSettings {
  /**
   * Environment options (`createMarketMakingEnv`'s; no `orderFlow`, and no `Infinity`, which JSON
   * cannot carry).
   */
  readonly env: MarketMakingOptions;
  /** Training episodes per learner and seed. Integer in [0, 10^6]. */
  readonly trainEpisodes: number;
  /** Greedy evaluation episodes per agent and seed. Integer in [1, 10^4]. */
  readonly evalEpisodes: number;
  /** Markout horizon of the adverse-selection figures, steps. Default 5. */
  readonly horizon?: number;
  /** Inventory bucket edges, units (bucket `b` holds `edges[b−1] < q ≤ edges[b]`). */
  readonly inventoryEdges?: readonly number[];
  /** Number of equal time slices of an episode. Default 5. */
  readonly timeBuckets?: number;
  /** Realised-volatility window, steps. Default 20. */
  readonly volWindow?: number;
  /** Realised-volatility bucket edges, ticks per step. Default [0.4, 0.55, 0.75] (about the quartiles under the default flow). */
  readonly volEdges?: readonly number[];
}

/** Defaults of the optional {@linkcode RlSettings} fields. */
export const RL_SETTINGS_DEFAULTS = Object.freeze({
  horizon: 5,
  inventoryEdges: Object.freeze([-5.5, -2.5, -0.5, 0.5, 2.5, 5.5]),
  timeBuckets: 5,
  volWindow: 20,
  volEdges: Object.freeze([0.4, 0.55, 0.75]),
});

/** Settings of the quote-size × queue-position sweep. */
export interface QueueSettings {
  /** Environment options (quote size and inventory limit are set per job). */
  readonly env: MarketMakingOptions;
  /** Quote sizes, units. */
  readonly sizes: readonly number[];
  /** Episodes per size and seed. */
  readonly episodes: number;
  /** Half-spread of the fixed quoter, ticks. Default 1 (join the best quotes). */
  readonly halfSpread?: number;
  /** Inventory limit per unit of quote size. Default 10. */
  readonly inventoryPerSize?: number;
  /** Queue-position edges (share ahead; bucket `b` holds `edges[b−1] < x ≤ edges[b]`). */
  readonly queueEdges?: readonly number[];
}

/** Defaults of the optional {@linkcode QueueSettings} fields. */
export const QUEUE_SETTINGS_DEFAULTS = Object.freeze({
  halfSpread: 1,
  inventoryPerSize: 10,
  queueEdges: Object.freeze([0, 0.25, 0.5, 0.75]),
});

/** A sweep job: one agent and seed, or one quote size and seed. */
export type RlJob =
  | {
    readonly kind: "agent";
    readonly case: AgentCase;
    readonly seed: number;
    readonly settings: RlSettings;
  }
  | {
    readonly kind: "queue";
    readonly size: number;
    readonly seed: number;
    readonly settings: QueueSettings;
  };

/** One output row; `table` says which frame of {@linkcode RlStudy} it belongs to. */
export type RlRow = Record<string, number | string | null>;

const TRAIN_SEED_STRIDE = 1_000_000;
const EVAL_SEED_BASE = 1_000_000_000;
const QUEUE_SEED_BASE = 2_000_000_000;
const EPISODE_STRIDE = 10_000;

/**
 * Runs one job (the sweep's experiment function; see the module doc) and returns its rows.
 * Invalid settings reject the promise with a `ConfigError`.
 */
// deno-lint-ignore require-await -- async so that a bad job rejects rather than throws
export async function rlJob(job: RlJob): Promise<RlRow[]> {
  switch (job.kind) {
    case "agent":
      return agentJob(job.case, job.seed, job.settings);
    case "queue":
      return queueJob(job.size, job.seed, job.settings);
    default: {
      const never: never = job;
      throw new ConfigError("job.kind", `"agent" or "queue"`, (never as { kind: unknown }).kind);
    }
  }
}

/** Builds the agent of `spec` for `env` and root seed `seed`. */
export function makeAgent(spec: AgentSpec, env: MarketMakingEnv, seed: number): Agent {
  switch (spec.kind) {
    case "fixed":
      return fixedSpreadAgent(env, spec.config);
    case "as":
      return asAgent(env, spec.config);
    case "random":
      return randomQuoter(env, { ...spec.config, seed });
    case "tabular-q":
      return tabularQAgent(env, { ...spec.config, seed });
    case "dqn":
      return dqn(env, { ...spec.config, seed });
    case "ppo":
      return ppo(env, { ...spec.config, seed });
    case "sac":
      return sac(env, { ...spec.config, seed });
    default: {
      const never: never = spec;
      throw new ConfigError(
        "agent.kind",
        "one of fixed, as, random, tabular-q, dqn, ppo, sac",
        (never as { kind: unknown }).kind,
      );
    }
  }
}

/** `x` if finite, else null (so that summaries leave it out instead of returning NaN). */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function checkEdges(field: string, e: unknown): number[] {
  if (!Array.isArray(e) || e.length > 1000) {
    throw new ConfigError(field, "an array of at most 1000 increasing numbers", e);
  }
  e.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || (i > 0 && !(v > e[i - 1]))) {
      throw new ConfigError(`${field}[${i}]`, "a finite number above the previous edge", v);
    }
  });
  return e as number[];
}

/** Bucket of `x`: the number of edges strictly below it (so `edges[b−1] < x ≤ edges[b]`). */
function bucketOf(edges: readonly number[], x: number): number {
  let b = 0;
  while (b < edges.length && edges[b] < x) b++;
  return b;
}

/**
 * Labels of the integer buckets cut by `edges` (`"<= -6"`, `"-5 to -3"`, `"0"`, `">= 6"`), for
 * integer-valued quantities such as inventory.
 *
 * @example
 * ```ts
 * import { integerBucketLabels } from "./rl.ts";
 * const l = integerBucketLabels([-2.5, -0.5, 0.5, 2.5]);
 * if (l.join("|") !== "<= -3|-2 to -1|0|1 to 2|>= 3") throw new Error(l.join("|"));
 * ```
 */
export function integerBucketLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b <= edges.length; b++) {
    const lo = b === 0 ? -Infinity : Math.floor(edges[b - 1]) + 1;
    const hi = b === edges.length ? Infinity : Math.floor(edges[b]);
    if (lo === -Infinity) out.push(`<= ${hi}`);
    else if (hi === Infinity) out.push(`>= ${lo}`);
    else out.push(lo === hi ? `${lo}` : `${lo} to ${hi}`);
  }
  return out;
}

/**
 * Labels of the real-valued buckets cut by `edges`: `"<= a"`, `"a-b"`, ..., `"> z"`.
 *
 * @example
 * ```ts
 * import { rangeBucketLabels } from "./rl.ts";
 * if (rangeBucketLabels([0.2, 0.4]).join("|") !== "<= 0.2|0.2-0.4|> 0.4") throw new Error();
 * ```
 */
export function rangeBucketLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b <= edges.length; b++) {
    if (b === 0) out.push(`<= ${edges[0]}`);
    else if (b === edges.length) out.push(`> ${edges[b - 1]}`);
    else out.push(`${edges[b - 1]}-${edges[b]}`);
  }
  return out;
}

/** Labels of the quote in effect: the half-spreads, then `cancel` and `flatten`. */
function quoteLabels(env: MarketMakingEnv): string[] {
  return [...Array.from(env.spec.actions.halfSpreads, (h) => `${h}`), "cancel", "flatten"];
}

/** Index into {@linkcode quoteLabels} of action `a`. */
function quoteIndex(env: MarketMakingEnv, a: number): number {
  const t = env.spec.actions;
  if (a < t.nQuotes) return Math.floor(a / t.skews.length);
  return a === t.cancel ? t.halfSpreads.length : t.halfSpreads.length + 1;
}

function checkSettings(s: RlSettings) {
  const horizon = checkInt("settings.horizon", s.horizon ?? RL_SETTINGS_DEFAULTS.horizon, 1, 1e6);
  const inventoryEdges = checkEdges(
    "settings.inventoryEdges",
    s.inventoryEdges ?? RL_SETTINGS_DEFAULTS.inventoryEdges,
  );
  const timeBuckets = checkInt(
    "settings.timeBuckets",
    s.timeBuckets ?? RL_SETTINGS_DEFAULTS.timeBuckets,
    1,
    1000,
  );
  const volWindow = checkInt(
    "settings.volWindow",
    s.volWindow ?? RL_SETTINGS_DEFAULTS.volWindow,
    1,
    1e6,
  );
  const volEdges = checkEdges("settings.volEdges", s.volEdges ?? RL_SETTINGS_DEFAULTS.volEdges);
  checkInt("settings.trainEpisodes", s.trainEpisodes, 0, TRAIN_SEED_STRIDE);
  checkInt("settings.evalEpisodes", s.evalEpisodes, 1, EPISODE_STRIDE);
  return { horizon, inventoryEdges, timeBuckets, volWindow, volEdges };
}

function checkSeed(seed: unknown): number {
  return checkInt("seed", seed, 0, 999);
}

function agentJob(c: AgentCase, seed: number, settings: RlSettings): RlRow[] {
  if (typeof c?.label !== "string" || c.label === "") {
    throw new ConfigError("case.label", "a non-empty string", c?.label);
  }
  checkSeed(seed);
  const s = checkSettings(settings);
  const env = createMarketMakingEnv(settings.env);
  const agent = makeAgent(c.agent, env, seed);
  const agentName = c.label;
  const horizons = [s.horizon];
  const rows: RlRow[] = [];
  try {
    if (LEARNER_KINDS.includes(c.agent.kind)) {
      const episodes = c.trainEpisodes === undefined
        ? settings.trainEpisodes
        : checkInt("case.trainEpisodes", c.trainEpisodes, 0, TRAIN_SEED_STRIDE);
      let step = 0;
      for (let e = 0; e < episodes; e++) {
        const run = runEpisode(env, agent, {
          seed: seed * TRAIN_SEED_STRIDE + e,
          explore: true,
          learn: true,
          horizons,
        });
        step += run.record.steps;
        rows.push(curveRow(agentName, seed, e, step, run));
      }
    }
    const acc = createEvalAccumulator(env, s);
    for (let k = 0; k < settings.evalEpisodes; k++) {
      const run = runEpisode(env, agent, {
        seed: EVAL_SEED_BASE + seed * EPISODE_STRIDE + k,
        horizons,
      });
      rows.push(evalRow(agentName, seed, k, run, env));
      acc.add(run);
    }
    rows.push(...acc.rows(agentName, seed));
  } finally {
    agent.dispose();
  }
  return rows;
}

function meanLoss(loss: Float64Array): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < loss.length; i++) {
    if (Number.isFinite(loss[i])) {
      sum += loss[i];
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

function curveRow(agent: string, seed: number, e: number, step: number, run: EpisodeRun): RlRow {
  const m = run.metrics;
  return {
    table: "curve",
    agent,
    seed,
    episode: e,
    step,
    return: m.return,
    pnl: m.pnl,
    sharpe: finite(m.sharpe),
    inventoryVariance: m.inventoryVariance,
    adverse: finite(m.adverseRate[0]),
    fills: m.fills,
    loss: meanLoss(run.record.loss),
  };
}

function evalRow(
  agent: string,
  seed: number,
  k: number,
  run: EpisodeRun,
  env: MarketMakingEnv,
): RlRow {
  const m = run.metrics;
  const t = env.spec.actions;
  let cancels = 0;
  let flattens = 0;
  const a = run.record.action;
  for (let i = 1; i < a.length; i++) {
    if (a[i] === t.cancel) cancels++;
    else if (a[i] === t.flatten) flattens++;
  }
  return {
    table: "eval",
    agent,
    seed,
    episode: k,
    return: m.return,
    pnl: m.pnl,
    sharpe: finite(m.sharpe),
    maxDrawdown: m.maxDrawdown,
    inventoryVariance: m.inventoryVariance,
    meanAbsInventory: m.meanAbsInventory,
    fillRate: finite(m.fillRate),
    spreadCapture: finite(m.spreadCapture),
    adverse: finite(m.adverseRate[0]),
    markout: finite(m.markout[0]),
    fills: m.fills,
    fees: m.fees,
    cancelShare: cancels / m.steps,
    flattenShare: flattens / m.steps,
  };
}

interface EvalAccumulator {
  add(run: EpisodeRun): void;
  rows(agent: string, seed: number): RlRow[];
}

/** Per-step aggregates of the evaluation episodes (module doc), in typed arrays. */
function createEvalAccumulator(
  env: MarketMakingEnv,
  s: ReturnType<typeof checkSettings>,
): EvalAccumulator {
  const L = env.config.latency;
  const episodeLength = env.config.episodeLength;
  const qLabels = quoteLabels(env);
  const nQ = qLabels.length;
  const invLabels = integerBucketLabels(s.inventoryEdges);
  const nI = invLabels.length;
  const pnlSteps = new Float64Array(nI * nQ);
  const pnlSum = new Float64Array(nI * nQ);
  const T = s.timeBuckets;
  const volLabels = rangeBucketLabels(s.volEdges);
  const nV = volLabels.length;
  const advFills = new Float64Array(T * nV);
  const advCount = new Float64Array(T * nV);
  const advMarkout = new Float64Array(T * nV);
  const inventorySteps = new Map<number, number>();
  const h = s.horizon;
  const W = s.volWindow;
  return {
    add(run) {
      const { action } = run.record;
      const { pnl, inventory, mid } = run.record.info;
      const n = run.record.steps;
      for (let i = 1; i <= n; i++) {
        const q = inventory[i];
        inventorySteps.set(q, (inventorySteps.get(q) ?? 0) + 1);
        if (i - L < 1) continue;
        const cell = bucketOf(s.inventoryEdges, inventory[i - 1]) * nQ +
          quoteIndex(env, action[i - L]);
        pnlSteps[cell]++;
        pnlSum[cell] += pnl[i] - pnl[i - 1];
      }
      const f = run.fills;
      for (let j = 0; j < f.n; j++) {
        const t = f.step[j];
        if (t < 1 || t + h > n) continue;
        const w = Math.min(W, t);
        let ss = 0;
        for (let i = t - w + 1; i <= t; i++) ss += (mid[i] - mid[i - 1]) ** 2;
        const vol = Math.sqrt(ss / w);
        const tb = Math.min(T - 1, Math.floor((t * T) / episodeLength));
        const cell = tb * nV + bucketOf(s.volEdges, vol);
        const markout = f.side[j] * (mid[t + h] - mid[t]);
        advFills[cell]++;
        if (markout < 0) advCount[cell]++;
        advMarkout[cell] += markout;
      }
    },
    rows(agent, seed) {
      const out: RlRow[] = [];
      for (let b = 0; b < nI; b++) {
        for (let a = 0; a < nQ; a++) {
          const k = b * nQ + a;
          if (pnlSteps[k] === 0) continue;
          out.push({
            table: "pnl",
            agent,
            seed,
            inventoryBucket: b,
            inventoryLabel: invLabels[b],
            quote: a,
            quoteLabel: qLabels[a],
            steps: pnlSteps[k],
            pnlSum: pnlSum[k],
          });
        }
      }
      const timeLabels = Array.from({ length: T }, (_, b) => {
        const lo = Math.ceil((b * episodeLength) / T);
        const hi = Math.ceil(((b + 1) * episodeLength) / T) - 1;
        return `${lo}-${hi}`;
      });
      for (let tb = 0; tb < T; tb++) {
        for (let v = 0; v < nV; v++) {
          const k = tb * nV + v;
          if (advFills[k] === 0) continue;
          out.push({
            table: "adverse",
            agent,
            seed,
            timeBucket: tb,
            timeLabel: timeLabels[tb],
            volBucket: v,
            volLabel: volLabels[v],
            fills: advFills[k],
            adverse: advCount[k],
            markoutSum: advMarkout[k],
          });
        }
      }
      for (const q of [...inventorySteps.keys()].sort((x, y) => x - y)) {
        out.push({ table: "inventory", agent, seed, inventory: q, steps: inventorySteps.get(q)! });
      }
      return out;
    },
  };
}

function queueJob(size: number, seed: number, settings: QueueSettings): RlRow[] {
  checkSeed(seed);
  checkInt("size", size, 1, 1e6);
  const episodes = checkInt("settings.episodes", settings.episodes, 1, EPISODE_STRIDE);
  const half = checkNum(
    "settings.halfSpread",
    settings.halfSpread ?? QUEUE_SETTINGS_DEFAULTS.halfSpread,
    1,
    1e6,
  );
  const perSize = checkInt(
    "settings.inventoryPerSize",
    settings.inventoryPerSize ?? QUEUE_SETTINGS_DEFAULTS.inventoryPerSize,
    1,
    1e6,
  );
  const edges = checkEdges(
    "settings.queueEdges",
    settings.queueEdges ?? QUEUE_SETTINGS_DEFAULTS.queueEdges,
  );
  const env = createMarketMakingEnv({
    ...settings.env,
    quoteSize: size,
    maxInventory: perSize * size,
  });
  const agent = fixedSpreadAgent(env, { halfSpread: half });
  const nB = edges.length + 1;
  const orders = new Float64Array(nB);
  const filledOrders = new Float64Array(nB);
  const resting = new Float64Array(nB);
  const filled = new Float64Array(nB);
  for (let k = 0; k < episodes; k++) {
    let obs = env.reset({ seed: QUEUE_SEED_BASE + seed * EPISODE_STRIDE + k }).obs;
    for (;;) {
      const bidQty = env.bidId === NONE ? 0 : env.book.orderQty(env.bidId);
      const askQty = env.askId === NONE ? 0 : env.book.orderQty(env.askId);
      const bidB = bucketOf(edges, obs[BOOK_OBS.bidQueue]);
      const askB = bucketOf(edges, obs[BOOK_OBS.askQueue]);
      const n0 = env.fills.n;
      const r = env.step(agent.act(obs));
      let bidFilled = 0;
      let askFilled = 0;
      const f = env.fills;
      for (let j = n0; j < f.n; j++) {
        if (f.side[j] === BUY) bidFilled += f.qty[j];
        else askFilled += f.qty[j];
      }
      if (bidQty > 0) {
        orders[bidB]++;
        resting[bidB] += bidQty;
        filled[bidB] += Math.min(bidFilled, bidQty);
        if (bidFilled > 0) filledOrders[bidB]++;
      }
      if (askQty > 0) {
        orders[askB]++;
        resting[askB] += askQty;
        filled[askB] += Math.min(askFilled, askQty);
        if (askFilled > 0) filledOrders[askB]++;
      }
      if (r.terminated || r.truncated) break;
      obs = r.obs;
    }
  }
  agent.dispose();
  const labels = queueLabels(edges);
  const rows: RlRow[] = [];
  for (let b = 0; b < nB; b++) {
    rows.push({
      table: "queue",
      size,
      seed,
      queueBucket: b,
      queueLabel: labels[b],
      orders: orders[b],
      filledOrders: filledOrders[b],
      restingQty: resting[b],
      filledQty: filled[b],
    });
  }
  return rows;
}

/** Labels of queue-position buckets (share of the level ahead), in percent. */
function queueLabels(edges: readonly number[]): string[] {
  const p = (x: number) => `${Math.round(100 * x)}%`;
  return Array.from({ length: edges.length + 1 }, (_, b) => {
    if (b === 0) return edges[0] === 0 ? "front" : `<= ${p(edges[0])}`;
    if (b === edges.length) return `> ${p(edges[b - 1])}`;
    return `${p(edges[b - 1])}-${p(edges[b])}`;
  });
}

/** Options of {@linkcode rlJobs} and {@linkcode rlStudy}. */
export interface RlStudyOptions {
  /** Agents, baselines and learners (labels unique). */
  readonly agents: readonly AgentCase[];
  /** Seeds `0 .. seeds − 1` per agent. Integer in [1, 1000]. */
  readonly seeds: number;
  /** Settings of the agent jobs. */
  readonly settings: RlSettings;
  /** Settings of the queue-position × quote-size sweep; omit to skip it. */
  readonly queue?: QueueSettings;
}

/** Relative cost of an agent job, to hand the slowest out first. */
const COST: Record<AgentSpec["kind"], number> = {
  sac: 6,
  dqn: 5,
  ppo: 4,
  "tabular-q": 3,
  random: 2,
  as: 1,
  fixed: 0,
};

/**
 * The study's jobs: every agent × seed (slowest kinds first, so that the workers finish
 * together), then every quote size × seed of the queue sweep.
 *
 * @example
 * ```ts
 * import { rlJobs } from "./rl.ts";
 * const jobs = rlJobs({
 *   agents: [
 *     { label: "fixed", agent: { kind: "fixed" } },
 *     { label: "DQN", agent: { kind: "dqn" } },
 *   ],
 *   seeds: 2,
 *   settings: { env: {}, trainEpisodes: 1, evalEpisodes: 1 },
 * });
 * const order = jobs.map((j) => j.kind === "agent" ? `${j.case.label}:${j.seed}` : "");
 * if (order.join() !== "DQN:0,DQN:1,fixed:0,fixed:1") throw new Error(order.join());
 * ```
 */
export function rlJobs(options: RlStudyOptions): RlJob[] {
  const seeds = checkInt("seeds", options.seeds, 1, 1000);
  const labels = options.agents.map((a) => a.label);
  if (new Set(labels).size !== labels.length) {
    throw new ConfigError("agents[].label", "unique labels", labels);
  }
  const agents = [...options.agents].sort((a, b) => COST[b.agent.kind] - COST[a.agent.kind]);
  const jobs: RlJob[] = [];
  for (const c of agents) {
    for (let seed = 0; seed < seeds; seed++) {
      jobs.push({ kind: "agent", case: c, seed, settings: options.settings });
    }
  }
  if (options.queue) {
    for (const size of options.queue.sizes) {
      for (let seed = 0; seed < seeds; seed++) {
        jobs.push({ kind: "queue", size, seed, settings: options.queue });
      }
    }
  }
  return jobs;
}

/** The frames of a study (see the module doc for what each row is). */
export interface RlStudy {
  /** One row per learner, seed and training episode. */
  readonly curves: pl.DataFrame;
  /** One row per agent, seed and evaluation episode. */
  readonly evaluation: pl.DataFrame;
  /** Step counts and PnL sums by agent, seed, inventory bucket and quote in effect. */
  readonly pnlCells: pl.DataFrame;
  /** Fill counts, adverse fills and markout sums by agent, seed, time and volatility bucket. */
  readonly adverseCells: pl.DataFrame;
  /** Steps at each inventory, by agent and seed. */
  readonly inventory: pl.DataFrame;
  /** Resting and filled orders and quantity by quote size, seed and queue-position bucket. */
  readonly queue: pl.DataFrame;
}

const TABLES: Record<keyof RlStudy, { table: string; cols: string[]; ints: string[] }> = {
  curves: {
    table: "curve",
    cols: [
      "agent",
      "seed",
      "episode",
      "step",
      "return",
      "pnl",
      "sharpe",
      "inventoryVariance",
      "adverse",
      "fills",
      "loss",
    ],
    ints: ["seed", "episode", "step", "fills"],
  },
  evaluation: {
    table: "eval",
    cols: [
      "agent",
      "seed",
      "episode",
      "return",
      "pnl",
      "sharpe",
      "maxDrawdown",
      "inventoryVariance",
      "meanAbsInventory",
      "fillRate",
      "spreadCapture",
      "adverse",
      "markout",
      "fills",
      "fees",
      "cancelShare",
      "flattenShare",
    ],
    ints: ["seed", "episode", "fills"],
  },
  pnlCells: {
    table: "pnl",
    cols: [
      "agent",
      "seed",
      "inventoryBucket",
      "inventoryLabel",
      "quote",
      "quoteLabel",
      "steps",
      "pnlSum",
    ],
    ints: ["seed", "inventoryBucket", "quote", "steps"],
  },
  adverseCells: {
    table: "adverse",
    cols: [
      "agent",
      "seed",
      "timeBucket",
      "timeLabel",
      "volBucket",
      "volLabel",
      "fills",
      "adverse",
      "markoutSum",
    ],
    ints: ["seed", "timeBucket", "volBucket", "fills", "adverse"],
  },
  inventory: {
    table: "inventory",
    cols: ["agent", "seed", "inventory", "steps"],
    ints: ["seed", "inventory", "steps"],
  },
  queue: {
    table: "queue",
    cols: [
      "size",
      "seed",
      "queueBucket",
      "queueLabel",
      "orders",
      "filledOrders",
      "restingQty",
      "filledQty",
    ],
    ints: ["size", "seed", "queueBucket", "orders", "filledOrders", "restingQty", "filledQty"],
  },
};

/**
 * Splits the rows of {@linkcode rlJob} (a sweep's merged frame, or `pl.DataFrame(rows)`) into the
 * study's frames, with integer columns as Int32. A frame with no rows has its columns and no
 * rows.
 */
export function splitStudy(df: pl.DataFrame): RlStudy {
  const have = new Set(df.columns);
  const out = {} as Record<keyof RlStudy, pl.DataFrame>;
  for (const [key, spec] of Object.entries(TABLES) as [keyof RlStudy, typeof TABLES.curves][]) {
    const part = have.has("table") ? df.filter(pl.col("table").eq(pl.lit(spec.table))) : df.head(0);
    out[key] = pl.DataFrame(spec.cols.map((c) => {
      const isInt = spec.ints.includes(c);
      if (!have.has(c) || part.height === 0) {
        const labels = /Label$|^agent$/.test(c);
        const nulls = new Array<null>(part.height).fill(null);
        return pl.Series(c, nulls, labels ? pl.Utf8 : isInt ? pl.Int32 : pl.Float64);
      }
      const s = part.getColumn(c);
      return isInt ? s.cast(pl.Int32) : s;
    }));
  }
  return out;
}

/** The study's frames from rows of {@linkcode rlJob} run in this thread (for tests and scripts). */
export function studyFromRows(rows: readonly RlRow[]): RlStudy {
  return splitStudy(merge([0], new Map([[0, rows]])));
}

/** Options of {@linkcode rlStudy}: the study plus how to run it. */
export interface RlStudyRunOptions extends RlStudyOptions {
  /** Workers. Default: `navigator.hardwareConcurrency`. The frames do not depend on it. */
  readonly workers?: number;
  /** Called after each job (for a progress line). */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/**
 * Runs the study's jobs ({@linkcode rlJobs}) on Web Workers and returns its frames.
 */
export async function rlStudy(options: RlStudyRunOptions): Promise<RlStudy> {
  const jobs = rlJobs(options);
  const df = await sweep({
    module: new URL(import.meta.url),
    fn: "rlJob",
    jobs,
    workers: options.workers,
    onResult: options.onResult,
  });
  return splitStudy(df);
}

// ---------------------------------------------------------------------------------------------
// Summaries for the notebook: pure functions from the study's frames to small frames.
//
// They aggregate in JavaScript, row by row in frame order, rather than with Polars' group-by:
// Polars may sum a group's floats in a different order from one run to the next (its parallel
// group-by), which changes the last bits of a mean and so the bytes of a saved frame. Here the
// order is fixed, so the same input gives byte-identical output.

/** A group of rows: its key values and the row indices, in frame order. */
interface Group {
  readonly keys: readonly (string | number)[];
  readonly rows: number[];
}

function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** Rows of `df` grouped by the `keys` columns, groups sorted by their key values. */
function groupRows(df: pl.DataFrame, keys: readonly string[]): Group[] {
  for (const k of keys) {
    if (!df.columns.includes(k)) {
      throw new ConfigError("column", `one of ${df.columns.join(", ")}`, k);
    }
  }
  const cols = keys.map((k) => df.getColumn(k).toArray() as (string | number | bigint)[]);
  const groups = new Map<string, Group>();
  for (let i = 0; i < df.height; i++) {
    const vals = cols.map((
      c,
    ) => (typeof c[i] === "bigint" ? Number(c[i]) : c[i] as string | number));
    const id = JSON.stringify(vals);
    let g = groups.get(id);
    if (!g) {
      g = { keys: vals, rows: [] };
      groups.set(id, g);
    }
    g.rows.push(i);
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.keys, b.keys));
}

/** A numeric column as numbers, nulls and NaN as NaN. */
function numbers(df: pl.DataFrame, col: string): Float64Array {
  if (!df.columns.includes(col)) {
    throw new ConfigError("column", `one of ${df.columns.join(", ")}`, col);
  }
  const v = df.getColumn(col).toArray() as (number | bigint | null)[];
  return Float64Array.from(v, (x) => (x === null ? NaN : Number(x)));
}

function sumOf(x: Float64Array, rows: readonly number[]): number {
  let s = 0;
  for (const i of rows) s += x[i];
  return s;
}

/** Mean of the finite values at `rows` (null if none). */
function meanOf(x: Float64Array, rows: readonly number[]): number | null {
  let s = 0;
  let n = 0;
  for (const i of rows) {
    if (Number.isFinite(x[i])) {
      s += x[i];
      n++;
    }
  }
  return n > 0 ? s / n : null;
}

/** Key columns of `groups` as Series (strings stay strings, numbers become Int32). */
function keySeries(names: readonly string[], groups: readonly Group[]): pl.Series[] {
  return names.map((name, j) => {
    const v = groups.map((g) => g.keys[j]);
    return typeof v[0] === "string"
      ? pl.Series(name, v as string[], pl.Utf8)
      : pl.Series(name, Int32Array.from(v as number[]));
  });
}

function floatSeries(name: string, v: readonly (number | null)[]): pl.Series {
  return pl.Series(name, v.map((x) => (x !== null && Number.isFinite(x) ? x : null)), pl.Float64);
}

/**
 * Per-seed means of `cols` over the evaluation episodes (one row per agent and seed, sorted): the
 * unit of replication for confidence intervals over seeds. Missing values are left out of a mean.
 *
 * @example
 * ```ts
 * import { seedMeans } from "./rl.ts";
 * import pl from "nodejs-polars";
 * const ev = pl.DataFrame({ agent: ["a", "a", "a"], seed: [0, 0, 1], pnl: [1, 3, null] });
 * const m = seedMeans(ev, ["pnl"]).getColumn("pnl").toArray();
 * if (m[0] !== 2 || m[1] !== null) throw new Error(String(m));
 * ```
 */
export function seedMeans(evaluation: pl.DataFrame, cols: readonly string[]): pl.DataFrame {
  const keys = ["agent", "seed"];
  const groups = groupRows(evaluation, keys);
  return pl.DataFrame([
    ...keySeries(keys, groups),
    ...cols.map((c) => {
      const x = numbers(evaluation, c);
      return floatSeries(c, groups.map((g) => meanOf(x, g.rows)));
    }),
  ]);
}

/**
 * Mean over seeds by agent with a Student-t confidence interval: for each column `c` of `cols`,
 * `c_mean`, `c_sd`, `c_n`, `c_lo`, `c_hi` (the layout of `lib/report`'s `summarise`; sd and the
 * interval are null with fewer than two values). Rows sorted by agent.
 *
 * @example
 * ```ts
 * import { agentSummary } from "./rl.ts";
 * import pl from "nodejs-polars";
 * const perSeed = pl.DataFrame({ agent: ["a", "a", "a"], seed: [0, 1, 2], pnl: [1, 2, 3] });
 * const r = agentSummary(perSeed, ["pnl"]).toRecords()[0];
 * // mean 2, sd 1, half-width t(0.975, 2) / √3 = 2.484
 * if (r.pnl_mean !== 2 || r.pnl_n !== 3 || Math.abs(Number(r.pnl_hi) - 4.4841) > 1e-4) {
 *   throw new Error();
 * }
 * ```
 */
export function agentSummary(
  perSeed: pl.DataFrame,
  cols: readonly string[],
  level = 0.95,
): pl.DataFrame {
  const groups = groupRows(perSeed, ["agent"]);
  const out: pl.Series[] = keySeries(["agent"], groups);
  for (const c of cols) {
    const x = numbers(perSeed, c);
    const cis = groups.map((g) => {
      const v = g.rows.map((i) => x[i]).filter((y) => Number.isFinite(y));
      return v.length > 0 ? meanCI(v, level) : null;
    });
    const two = (ci: MeanCI | null, k: "sd" | "lo" | "hi") => (ci && ci.n >= 2 ? ci[k] : null);
    out.push(
      floatSeries(`${c}_mean`, cis.map((ci) => ci?.mean ?? null)),
      floatSeries(`${c}_sd`, cis.map((ci) => two(ci, "sd"))),
      pl.Series(`${c}_n`, Int32Array.from(cis, (ci) => ci?.n ?? 0)),
      floatSeries(`${c}_lo`, cis.map((ci) => two(ci, "lo"))),
      floatSeries(`${c}_hi`, cis.map((ci) => two(ci, "hi"))),
    );
  }
  return pl.DataFrame(out);
}

/** Options of {@linkcode curveBands}. */
export interface CurveBandOptions {
  /** Training episodes per block (each point of a curve is a block's mean). */
  readonly block: number;
  /** Metrics (columns of `curves`). */
  readonly metrics: readonly string[];
  /** Confidence level of the band over seeds. Default 0.95. */
  readonly level?: number;
}

/**
 * Learning curves with a band over seeds, in long form: for each metric, agent and block of
 * `block` training episodes, the mean over seeds of the per-seed block means, with a Student-t
 * interval (`lo`, `hi`; null with fewer than two seeds) and `n` seeds. Column `episode` is the
 * block's last episode (1-based), `step` the mean environment steps taken by then.
 *
 * @example
 * ```ts
 * import { curveBands } from "./rl.ts";
 * import pl from "nodejs-polars";
 * const curves = pl.DataFrame({
 *   agent: ["a", "a", "a", "a"], seed: [0, 0, 1, 1], episode: [0, 1, 0, 1],
 *   step: [10, 20, 10, 20], pnl: [1, 3, 3, 5],
 * });
 * const b = curveBands(curves, { block: 2, metrics: ["pnl"] }).toRecords()[0];
 * // seed means 2 and 4: mean 3, sd √2, t(0.975, 1) = 12.706
 * if (b.mean !== 3 || b.n !== 2 || Math.abs(Number(b.hi) - 3 - 12.706) > 1e-3) throw new Error();
 * ```
 */
export function curveBands(curves: pl.DataFrame, options: CurveBandOptions): pl.DataFrame {
  const block = checkInt("block", options.block, 1, 1e6);
  const episodes = numbers(curves, "episode");
  const steps = numbers(curves, "step");
  const withBlock = curves.withColumns(
    pl.Series("block", Int32Array.from(episodes, (e) => Math.floor(e / block))),
  );
  // Per agent, seed and block: the block's last episode, mean steps and the metrics' means.
  const cells = groupRows(withBlock, ["agent", "block", "seed"]);
  const metrics = options.metrics.map((m) => numbers(curves, m));
  const cellMeans = cells.map((g) => metrics.map((x) => meanOf(x, g.rows)));
  const cellLast = cells.map((g) => Math.max(...g.rows.map((i) => episodes[i])));
  const cellStep = Float64Array.from(cells, (g) => meanOf(steps, g.rows) ?? NaN);
  // Then per agent and block, over seeds (cells are sorted, so a block's seeds are contiguous).
  const bands: { agent: string; block: number; cells: number[] }[] = [];
  cells.forEach((g, k) => {
    const last = bands[bands.length - 1];
    if (last && last.agent === g.keys[0] && last.block === g.keys[1]) last.cells.push(k);
    else bands.push({ agent: g.keys[0] as string, block: g.keys[1] as number, cells: [k] });
  });
  const frames = options.metrics.map((m, j) => {
    const cis = bands.map((b) => {
      const v = b.cells.map((k) => cellMeans[k][j]).filter((y): y is number => y !== null);
      return v.length > 0 ? meanCI(v, options.level ?? 0.95) : null;
    });
    const two = (ci: MeanCI | null, k: "lo" | "hi") => (ci && ci.n >= 2 ? ci[k] : null);
    return pl.DataFrame([
      pl.Series("metric", new Array<string>(bands.length).fill(m), pl.Utf8),
      pl.Series("agent", bands.map((b) => b.agent), pl.Utf8),
      pl.Series("block", Int32Array.from(bands, (b) => b.block)),
      pl.Series(
        "episode",
        Int32Array.from(bands, (b) => Math.max(...b.cells.map((k) => cellLast[k])) + 1),
      ),
      floatSeries("step", bands.map((b) => meanOf(cellStep, b.cells))),
      floatSeries("mean", cis.map((ci) => ci?.mean ?? null)),
      floatSeries("lo", cis.map((ci) => two(ci, "lo"))),
      floatSeries("hi", cis.map((ci) => two(ci, "hi"))),
      pl.Series("n", Int32Array.from(cis, (ci) => ci?.n ?? 0)),
    ]);
  });
  return pl.concat(frames, { how: "vertical" });
}

/** Sums of `cols` by the `keys` columns, with each group's share of its agent's `weight` sum. */
function pooled(
  df: pl.DataFrame,
  options: { keys: readonly string[]; cols: readonly string[]; weight?: string },
): { groups: Group[]; sums: number[][]; share: number[] } {
  const groups = groupRows(df, options.keys);
  const sums = options.cols.map((c) => {
    const x = numbers(df, c);
    return groups.map((g) => sumOf(x, g.rows));
  });
  const share: number[] = [];
  if (options.weight !== undefined) {
    const w = sums[options.cols.indexOf(options.weight)];
    const totals = new Map<unknown, number>();
    groups.forEach((g, k) => totals.set(g.keys[0], (totals.get(g.keys[0]) ?? 0) + w[k]));
    groups.forEach((g, k) => share.push(w[k] / totals.get(g.keys[0])!));
  }
  return { groups, sums, share };
}

/**
 * PnL per step by agent, inventory bucket and quote in effect, pooled over seeds: `steps`, `pnl`
 * (mean change of mark-to-market PnL per step, ticks) and `share` (the share of the agent's steps
 * spent in the cell).
 */
export function pnlHeatmap(pnlCells: pl.DataFrame): pl.DataFrame {
  const keys = ["agent", "inventoryBucket", "inventoryLabel", "quote", "quoteLabel"];
  const { groups, sums, share } = pooled(pnlCells, {
    keys,
    cols: ["steps", "pnlSum"],
    weight: "steps",
  });
  const [steps, pnl] = sums;
  return pl.DataFrame([
    ...keySeries(keys, groups),
    pl.Series("steps", Int32Array.from(steps)),
    floatSeries("pnl", pnl.map((p, k) => p / steps[k])),
    floatSeries("share", share),
  ]);
}

/**
 * Adverse selection by agent, time bucket and volatility bucket, pooled over seeds: `fills`,
 * `adverseRate` (share of fills with a negative markout) and `markout` (mean, ticks).
 */
export function adverseHeatmap(adverseCells: pl.DataFrame): pl.DataFrame {
  const keys = ["agent", "timeBucket", "timeLabel", "volBucket", "volLabel"];
  const { groups, sums } = pooled(adverseCells, { keys, cols: ["fills", "adverse", "markoutSum"] });
  const [fills, adverse, markout] = sums;
  return pl.DataFrame([
    ...keySeries(keys, groups),
    pl.Series("fills", Int32Array.from(fills)),
    floatSeries("adverseRate", adverse.map((a, k) => a / fills[k])),
    floatSeries("markout", markout.map((m, k) => m / fills[k])),
  ]);
}

/** Share of evaluation steps at each inventory, by agent, pooled over seeds. */
export function inventoryShares(inventory: pl.DataFrame): pl.DataFrame {
  const keys = ["agent", "inventory"];
  const { groups, sums, share } = pooled(inventory, { keys, cols: ["steps"], weight: "steps" });
  return pl.DataFrame([
    ...keySeries(keys, groups),
    pl.Series("steps", Int32Array.from(sums[0])),
    floatSeries("share", share),
  ]);
}

/**
 * Fill rates by quote size and queue-position bucket, pooled over seeds: `orders` (order-steps
 * observed), `fillProb` (share of them with a fill in the step) and `fillRate` (filled / resting
 * quantity per step).
 */
export function queueFillRates(queue: pl.DataFrame): pl.DataFrame {
  const keys = ["size", "queueBucket", "queueLabel"];
  const { groups, sums } = pooled(queue, {
    keys,
    cols: ["orders", "filledOrders", "restingQty", "filledQty"],
  });
  const [orders, filledOrders, resting, filled] = sums;
  return pl.DataFrame([
    ...keySeries(keys, groups),
    pl.Series("orders", Int32Array.from(orders)),
    floatSeries("fillProb", filledOrders.map((f, k) => f / orders[k])),
    floatSeries("fillRate", filled.map((f, k) => f / resting[k])),
  ]);
}

/**
 * Share of each agent's evaluation steps by the quote in effect (half-spread, cancel, flatten),
 * pooled over seeds and inventories: what the policy does.
 */
export function quoteShares(pnlCells: pl.DataFrame): pl.DataFrame {
  const keys = ["agent", "quote", "quoteLabel"];
  const { groups, sums, share } = pooled(pnlCells, { keys, cols: ["steps"], weight: "steps" });
  return pl.DataFrame([
    ...keySeries(keys, groups),
    pl.Series("steps", Int32Array.from(sums[0])),
    floatSeries("share", share),
  ]);
}

/** Options of {@linkcode comparisonTable}. */
export interface ComparisonTableOptions {
  /** Metrics, as summarised (`<m>_mean`, `<m>_lo`, `<m>_hi` columns), in column order. */
  readonly metrics: readonly string[];
  /** Column headings, one per metric. Default: the metric names. */
  readonly headings?: readonly string[];
  /** Row order by agent label. Default: the summary's order. */
  readonly order?: readonly string[];
  /** Number formatter. Default: 3 significant digits. */
  readonly format?: (x: number) => string;
}

/**
 * A table for the prose: one row per agent, one column per metric, each cell `mean [lo, hi]`
 * from a `summarise` frame grouped by `agent` (`—` for a missing value).
 *
 * @example
 * ```ts
 * import { comparisonTable } from "./rl.ts";
 * import pl from "nodejs-polars";
 * const s = pl.DataFrame({ agent: ["a"], pnl_mean: [1.5], pnl_lo: [1], pnl_hi: [2] });
 * const t = comparisonTable(s, { metrics: ["pnl"], headings: ["PnL"] }).toRecords()[0];
 * if (t.PnL !== "1.5 [1, 2]") throw new Error(String(t.PnL));
 * ```
 */
export function comparisonTable(
  summary: pl.DataFrame,
  options: ComparisonTableOptions,
): pl.DataFrame {
  const fmt = options.format ?? ((x: number) => {
    const v = Number(x.toPrecision(3));
    return Object.is(v, -0) ? "0" : String(v);
  });
  const headings = options.headings ?? options.metrics;
  if (headings.length !== options.metrics.length) {
    throw new ConfigError("headings", `${options.metrics.length} headings`, headings);
  }
  const recs = summary.toRecords() as Record<string, unknown>[];
  const byAgent = new Map(recs.map((r) => [String(r.agent), r]));
  const order = options.order ?? recs.map((r) => String(r.agent));
  const cell = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? fmt(v) : "—");
  const cols: pl.Series[] = [pl.Series("agent", [...order], pl.Utf8)];
  options.metrics.forEach((m, j) => {
    cols.push(pl.Series(
      headings[j],
      order.map((a) => {
        const r = byAgent.get(a);
        if (!r) throw new ConfigError("order", "agent labels present in the summary", a);
        return `${cell(r[`${m}_mean`])} [${cell(r[`${m}_lo`])}, ${cell(r[`${m}_hi`])}]`;
      }),
      pl.Utf8,
    ));
  });
  return pl.DataFrame(cols);
}

/** Options of {@linkcode pairedDifference}. */
export interface PairedDifferenceOptions {
  /** Column of the per-seed frame. */
  readonly metric: string;
  /** Agent label. */
  readonly agent: string;
  /** Agent label it is compared with. */
  readonly baseline: string;
  /** Confidence level. Default 0.95. */
  readonly level?: number;
}

/**
 * Mean and confidence interval over seeds of `agent − baseline` on `metric`, paired by seed (the
 * evaluation episodes of a seed are the same for every agent, so the pairing removes the episodes'
 * common noise). Seeds where either value is missing are left out; `n` says how many remain.
 *
 * @example
 * ```ts
 * import { pairedDifference } from "./rl.ts";
 * import pl from "nodejs-polars";
 * const perSeed = pl.DataFrame({
 *   agent: ["a", "a", "a", "b", "b", "b"], seed: [0, 1, 2, 0, 1, 2], pnl: [5, 7, 9, 4, 5, 6],
 * });
 * const d = pairedDifference(perSeed, { metric: "pnl", agent: "a", baseline: "b" });
 * // differences 1, 2, 3: mean 2, sd 1, half-width t(0.975, 2) / √3 = 2.484
 * if (d.mean !== 2 || d.n !== 3 || Math.abs(d.halfWidth - 2.4841) > 1e-4) throw new Error();
 * ```
 */
export function pairedDifference(perSeed: pl.DataFrame, options: PairedDifferenceOptions): MeanCI {
  const values = (label: string) => {
    const rows = perSeed.filter(pl.col("agent").eq(pl.lit(label))).toRecords();
    if (rows.length === 0) throw new ConfigError("agent", "a label in the frame", label);
    return new Map(rows.map((r) => [Number(r.seed), r[options.metric] as number | null]));
  };
  const a = values(options.agent);
  const b = values(options.baseline);
  const diffs: number[] = [];
  for (const [seed, x] of [...a.entries()].sort((p, q) => p[0] - q[0])) {
    const y = b.get(seed);
    if (typeof x === "number" && typeof y === "number" && Number.isFinite(x - y)) diffs.push(x - y);
  }
  return meanCI(diffs, options.level);
}
