/**
 * The study of notebook 07: evaluation jobs (`jobs.ts`) and the quote-size sweep (`queue.ts`)
 * as one job function ({@linkcode rlJob}) on the study scaffold (`lib/sweep/study.ts`), the job
 * lists of its two passes, and its tables ({@linkcode RlStudy}):
 *
 * 1. the baseline search ({@linkcode tuneJobs}): every baseline of a grid on every condition, on
 *    the search episodes, `episodes` rows only;
 * 2. the comparison ({@linkcode compareJobs}): the chosen baselines and the trained models on the
 *    held-out episodes, with the volatility × time cells and the inventory distribution.
 *
 * @example
 * ```ts
 * import { rlStudy, tuneJobs } from "./study.ts";
 * const jobs = tuneJobs({
 *   baselines: [{ label: "fixed", policy: { kind: "skew", halfSpread: 1, skew: 0, size: 1 } }],
 *   conditions: ["calm", "toxic"], sets: 1, episodes: 1,
 *   settings: { env: { episodeLength: 30 }, riskPenalty: 0.005 },
 * });
 * const { episodes } = await rlStudy(jobs, { workers: 0 });
 * if (episodes.height !== 2) throw new Error();
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import {
  arrayOf,
  checkInt,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  num,
  object,
  optional,
  str,
} from "../../errors.ts";
import { createContinuousMarketMakingEnv } from "../../env/mod.ts";
import { defineStudy, type Study, type StudyRunOptions } from "../../sweep/mod.ts";
import type { MarketConditionName } from "../../env/mod.ts";
import {
  checkPolicySpec,
  CONDITION,
  EDGES,
  ENV_OPTIONS,
  EPISODE_STRIDE,
  type EvalJob,
  evalJob,
  type PolicySpec,
  RL_SETTINGS,
  type RlSettings,
  TEST_SEED_BASE,
  TUNE_SEED_BASE,
} from "./jobs.ts";
import { CELL_COLUMNS, type RlRow } from "./evaluation.ts";
import { queueJob, type QueueSettings } from "./queue.ts";
import type { LabelledPolicy } from "./tuning.ts";

/** A job of the study: an evaluation, or one quote size and seed of the queue sweep. */
export type RlJob =
  | ({ readonly kind: "eval" } & EvalJob)
  | {
    readonly kind: "queue";
    readonly size: number;
    readonly seed: number;
    readonly settings: QueueSettings;
  };

/**
 * Runs one job (the scaffold's job function) and returns its rows. Invalid settings reject the
 * promise with a `ConfigError`.
 */
// deno-lint-ignore require-await -- async so that a bad job rejects rather than throws
export async function rlJob(job: RlJob): Promise<RlRow[]> {
  switch (job.kind) {
    case "eval":
      return evalJob(job);
    case "queue":
      return queueJob(job);
    default: {
      const never: never = job;
      throw new ConfigError("job.kind", `"eval" or "queue"`, (never as { kind: unknown }).kind);
    }
  }
}

/** Options of {@linkcode tuneJobs}. */
export interface TuneJobsOptions {
  /** The baselines to search (`tuning.ts`' `baselineGrid`). */
  readonly baselines: readonly LabelledPolicy[];
  /** Market conditions. */
  readonly conditions: readonly MarketConditionName[];
  /** Evaluation sets `0 .. sets − 1` per baseline and condition. Integer in [1, 1000]. */
  readonly sets: number;
  /** Episodes per set. */
  readonly episodes: number;
  /** Shared settings. */
  readonly settings: RlSettings;
}

/** The settings' environment, made once (to check the baselines' fields on it). */
function envOf(settings: RlSettings) {
  let env: ReturnType<typeof createContinuousMarketMakingEnv> | undefined;
  return () => (env ??= createContinuousMarketMakingEnv(settings.env));
}

/** The schema of {@linkcode TuneJobsOptions} (the compiler keeps its keys complete). */
const TUNE_OPTIONS = {
  baselines: arrayOf(
    object({ label: str(), policy: custom("a policy spec", (v) => v) }, "tuneJobs"),
    { minLength: 1 },
  ),
  conditions: arrayOf(CONDITION, { minLength: 1 }),
  sets: int(1, 1000),
  episodes: int(1, EPISODE_STRIDE),
  settings: object(RL_SETTINGS, "tuneJobs"),
} satisfies Record<keyof TuneJobsOptions, Field<unknown>>;

/** The baseline search's jobs: every baseline × condition × set, on the search episodes. */
export function tuneJobs(o: TuneJobsOptions): RlJob[] {
  // Every option is checked here, before any job runs (checks only: the values are used as
  // given): the settings' environment by lib/env, the baselines' fields by lib/agents.
  checkOptions(o, TUNE_OPTIONS, { owner: "tuneJobs" });
  const env = envOf(o.settings);
  o.baselines.forEach((b, i) => checkPolicySpec(b.policy, `baselines[${i}].policy`, env));
  const sets = o.sets;
  return o.conditions.flatMap((condition) =>
    o.baselines.flatMap((b) =>
      Array.from({ length: sets }, (_, set): RlJob => ({
        kind: "eval",
        label: b.label,
        condition,
        policy: b.policy,
        set,
        episodes: o.episodes,
        seedBase: TUNE_SEED_BASE,
        detail: false,
        settings: o.settings,
      }))
    )
  );
}

/** A policy of the comparison: a label, a condition and a policy per evaluation set. */
export interface ComparedPolicy {
  /** Label in the frames. */
  readonly label: string;
  /** Condition. */
  readonly condition: MarketConditionName;
  /** The policy of set `s` (a trained model of seed `s`, or the same baseline for every set). */
  readonly policy: (set: number) => PolicySpec;
}

/** Options of {@linkcode compareJobs}. */
export interface CompareJobsOptions {
  /** The policies. */
  readonly policies: readonly ComparedPolicy[];
  /** Evaluation sets `0 .. sets − 1` (a learner's training seeds). Integer in [1, 1000]. */
  readonly sets: number;
  /** Episodes per set. */
  readonly episodes: number;
  /** Shared settings. */
  readonly settings: RlSettings;
  /** Settings of the queue-position × quote-size sweep; omit to skip it. */
  readonly queue?: QueueSettings & { readonly seeds: number };
}

/** The schema of {@linkcode CompareJobsOptions} (the compiler keeps its keys complete). */
const COMPARE_OPTIONS = {
  policies: arrayOf(
    object({
      label: str(),
      condition: CONDITION,
      policy: fn<ComparedPolicy["policy"]>("a function (set) => policy spec"),
    }, "compareJobs"),
    { minLength: 1 },
  ),
  sets: int(1, 1000),
  episodes: int(1, EPISODE_STRIDE),
  settings: object(RL_SETTINGS, "compareJobs"),
  queue: optional(object({
    env: ENV_OPTIONS,
    sizes: arrayOf(int(1, 1e6), { minLength: 1 }),
    episodes: int(1, EPISODE_STRIDE),
    halfSpread: optional(num(1, 1e6)),
    inventoryPerSize: optional(int(1, 1e6)),
    queueEdges: optional(EDGES),
    seeds: int(1, 1000),
  }, "compareJobs")),
} satisfies Record<keyof CompareJobsOptions, Field<unknown>>;

/**
 * The comparison's jobs: every policy × set on the held-out episodes with the cells (models
 * first: they are the slow ones), then the queue sweep's sizes × seeds.
 */
export function compareJobs(o: CompareJobsOptions): RlJob[] {
  // Every option is checked here, before any job runs (checks only: the values are used as
  // given), each policy of each set included.
  checkOptions(o, COMPARE_OPTIONS, { owner: "compareJobs" });
  const env = envOf(o.settings);
  o.policies.forEach((p, i) => {
    for (let set = 0; set < o.sets; set++) {
      checkPolicySpec(p.policy(set), `policies[${i}].policy(${set})`, env);
    }
  });
  const sets = o.sets;
  const keys = o.policies.map((p) => `${p.label}/${p.condition}`);
  if (new Set(keys).size !== keys.length) {
    throw new ConfigError("policies", "unique label × condition pairs", keys);
  }
  const jobs: RlJob[] = [];
  for (const p of o.policies) {
    for (let set = 0; set < sets; set++) {
      jobs.push({
        kind: "eval",
        label: p.label,
        condition: p.condition,
        policy: p.policy(set),
        set,
        episodes: o.episodes,
        seedBase: TEST_SEED_BASE,
        detail: true,
        settings: o.settings,
      });
    }
  }
  const cost = (j: RlJob) => j.kind === "eval" && j.policy.kind === "model" ? 0 : 1;
  jobs.sort((a, b) => cost(a) - cost(b));
  if (o.queue) {
    const seeds = checkInt("queue.seeds", o.queue.seeds, 1, 1000);
    const { seeds: _, ...settings } = o.queue;
    for (const size of o.queue.sizes) {
      for (let seed = 0; seed < seeds; seed++) jobs.push({ kind: "queue", size, seed, settings });
    }
  }
  return jobs;
}

/** The frames of a study (see `evaluation.ts` and `queue.ts` for what each row is). */
export interface RlStudy {
  /** One row per policy, condition, set and episode. */
  readonly episodes: pl.DataFrame;
  /** Volatility × time cells by policy, condition and set (the comparison only). */
  readonly cells: pl.DataFrame;
  /** Steps at each inventory by policy, condition and set (the comparison only). */
  readonly inventory: pl.DataFrame;
  /** Resting and filled orders and quantity by quote size, seed and queue-position bucket. */
  readonly queue: pl.DataFrame;
}

const KEY = { label: "str", condition: "str", seed: "int" } as const;

/** The study's tables (rows of {@linkcode rlJob}). */
export const rlStudyDef: Study<RlJob, keyof RlStudy> = defineStudy({
  module: import.meta.url,
  fn: "rlJob",
  tables: {
    episodes: {
      columns: {
        ...KEY,
        episode: "int",
        config: "str",
        objective: "float",
        return: "float",
        pnl: "float",
        inventorySq: "float",
        sharpe: "float",
        maxDrawdown: "float",
        inventoryVariance: "float",
        meanAbsInventory: "float",
        fills: "int",
        filledQty: "float",
        spreadCapture: "float",
        adverse: "float",
        zero: "float",
        markout: "float",
        targetGap: "float",
        targetCorr: "float",
      },
    },
    cells: { columns: { ...KEY, ...CELL_COLUMNS } },
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

/** Runs a list of the study's jobs and returns its frames. */
export function rlStudy(jobs: readonly RlJob[], run: StudyRunOptions = {}): Promise<RlStudy> {
  return rlStudyDef.run([...jobs], run);
}
