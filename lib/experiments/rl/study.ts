/**
 * The study of notebook 07: every agent × seed and every quote size × seed as one job
 * ({@linkcode rlJob}), listed slowest first ({@linkcode rlJobs}), run through the study scaffold
 * (`lib/sweep/study.ts`) into the tables of {@linkcode RlStudy}.
 *
 * @example
 * ```ts
 * import { rlJob } from "./study.ts";
 * const rows = await rlJob({
 *   kind: "agent",
 *   case: { label: "fixed", agent: { kind: "fixed", config: { halfSpread: 2 } } },
 *   seed: 0,
 *   settings: { env: { episodeLength: 50 }, trainEpisodes: 0, evalEpisodes: 2 },
 * });
 * if (rows.filter((r) => r.table === "evaluation").length !== 2) throw new Error();
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import { checkInt, ConfigError } from "../../errors.ts";
import { defineStudy, type Study, type StudyRunOptions } from "../../sweep/mod.ts";
import {
  type AgentCase,
  agentJob,
  type AgentSpec,
  type QueueSettings,
  type RlJob,
  type RlSettings,
} from "./jobs.ts";
import type { RlRow } from "./evaluation.ts";
import { queueJob } from "./queue.ts";

/**
 * Runs one job (the sweep's experiment function; see the module doc) and returns its rows.
 * Invalid settings reject the promise with a `ConfigError`.
 */
// deno-lint-ignore require-await -- async so that a bad job rejects rather than throws
export async function rlJob(job: RlJob): Promise<RlRow[]> {
  switch (job.kind) {
    case "agent":
      return agentJob(job.case, job);
    case "queue":
      return queueJob(job);
    default: {
      const never: never = job;
      throw new ConfigError("job.kind", `"agent" or "queue"`, (never as { kind: unknown }).kind);
    }
  }
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
 * import { rlJobs } from "./study.ts";
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

const KEY = { agent: "str", seed: "int" } as const;

/** The study's tables (rows of {@linkcode rlJob}; see `jobs.ts` and `queue.ts`). */
export const rlStudyDef: Study<RlJob, keyof RlStudy> = defineStudy({
  module: import.meta.url,
  fn: "rlJob",
  tables: {
    curves: {
      columns: {
        ...KEY,
        episode: "int",
        step: "int",
        return: "float",
        pnl: "float",
        sharpe: "float",
        inventoryVariance: "float",
        adverse: "float",
        fills: "int",
        loss: "float",
      },
    },
    evaluation: {
      columns: {
        ...KEY,
        episode: "int",
        return: "float",
        pnl: "float",
        sharpe: "float",
        maxDrawdown: "float",
        inventoryVariance: "float",
        meanAbsInventory: "float",
        fillRate: "float",
        spreadCapture: "float",
        adverse: "float",
        markout: "float",
        fills: "int",
        fees: "float",
        cancelShare: "float",
        flattenShare: "float",
      },
    },
    pnlCells: {
      columns: {
        ...KEY,
        inventoryBucket: "int",
        inventoryLabel: "str",
        quote: "int",
        quoteLabel: "str",
        steps: "int",
        pnlSum: "float",
      },
    },
    adverseCells: {
      columns: {
        ...KEY,
        timeBucket: "int",
        timeLabel: "str",
        volBucket: "int",
        volLabel: "str",
        fills: "int",
        adverse: "int",
        markoutSum: "float",
      },
    },
    inventory: { columns: { ...KEY, inventory: "int", steps: "int" } },
    queue: {
      columns: {
        size: "int",
        seed: "int",
        queueBucket: "int",
        queueLabel: "str",
        orders: "int",
        filledOrders: "int",
        restingQty: "int",
        filledQty: "int",
      },
    },
  },
});

/** Options of {@linkcode rlStudy}: the study plus how to run it. */
export interface RlStudyRunOptions extends RlStudyOptions, StudyRunOptions {}

/** Runs the study's jobs ({@linkcode rlJobs}) and returns its frames. */
export function rlStudy(options: RlStudyRunOptions): Promise<RlStudy> {
  return rlStudyDef.run(rlJobs(options), options);
}
