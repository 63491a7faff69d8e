/**
 * The agent jobs of notebook 07 (reinforcement learning for market making): baselines and learners
 * (tabular Q, DQN, PPO, SAC) on the order-book environment of `lib/env/`, built
 * ({@linkcode makeAgent}), trained and evaluated per (agent, seed); the quote-size sweep is in
 * `queue.ts`, the aggregates of the evaluation in `evaluation.ts`, the study in `study.ts` and
 * the summaries the notebook quotes in `summaries.ts`.
 *
 * ## One agent job ({@linkcode agentJob})
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
 * ## One queue job (`queueJob` in `queue.ts`)
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
 * deterministic, and the study scaffold merges rows in job order, so the frames do not depend on
 * the number of workers.
 *
 * @example
 * ```ts
 * import { agentJob } from "./jobs.ts";
 * const rows = agentJob(
 *   { label: "fixed", agent: { kind: "fixed", config: { halfSpread: 2 } } },
 *   { seed: 0, settings: { env: { episodeLength: 50 }, trainEpisodes: 0, evalEpisodes: 2 } },
 * );
 * const evalRows = rows.filter((r) => r.table === "evaluation");
 * if (evalRows.length !== 2 || rows.some((r) => r.table === "curves")) throw new Error();
 * ```
 * @module
 */
import { checkInt, ConfigError } from "../../errors.ts";
import {
  createMarketMakingEnv,
  type EpisodeRun,
  type MarketMakingEnv,
  type MarketMakingOptions,
  runEpisode,
} from "../../env/mod.ts";
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
} from "../../agents/mod.ts";
import {
  checkEdges,
  createEvalAccumulator,
  type EvalSettings,
  finite,
  type RlRow,
} from "./evaluation.ts";

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

/** Training episode `e` of seed `s` resets the environment with `s · TRAIN_SEED_STRIDE + e`. */
export const TRAIN_SEED_STRIDE = 1_000_000;
/** Evaluation episode `k` of seed `s`: `EVAL_SEED_BASE + s · EPISODE_STRIDE + k`. */
export const EVAL_SEED_BASE = 1_000_000_000;
/** Queue episode `k` of seed `s`: `QUEUE_SEED_BASE + s · EPISODE_STRIDE + k`. */
export const QUEUE_SEED_BASE = 2_000_000_000;
/** Episodes per seed, at most (see the seeds above). */
export const EPISODE_STRIDE = 10_000;

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

function checkSettings(s: RlSettings): EvalSettings {
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

/** Throws unless `seed` is an agent seed (an integer in [0, 999]). */
export function checkSeed(seed: unknown): number {
  return checkInt("seed", seed, 0, 999);
}

/**
 * Runs one agent job (see the module doc): trains a learner, then evaluates the agent greedily.
 * Rows of the `curves`, `evaluation`, `pnlCells`, `adverseCells` and `inventory` tables.
 */
export function agentJob(c: AgentCase, o: { seed: number; settings: RlSettings }): RlRow[] {
  const { seed, settings } = o;
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
    table: "curves",
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
    table: "evaluation",
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
