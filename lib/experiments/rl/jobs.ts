/**
 * The jobs of notebook 07 (reinforcement learning for market making): one policy played greedily
 * on one market condition for a set of episodes ({@linkcode evalJob}), and the quote-size sweep
 * (`queue.ts`). The aggregates of an evaluation are in `evaluation.ts`, the baseline grids in
 * `tuning.ts`, the study in `study.ts`, the summaries the notebook quotes in `summaries.ts`.
 *
 * ## Policies ({@linkcode PolicySpec})
 * - `skew`: a fixed spread with a linear inventory skew (`skewQuoter` of `lib/agents`; skew 0 is
 *   the fixed spread), on the continuous actions;
 * - `as`: the Avellaneda–Stoikov quoter (`asQuoter`), on the continuous actions;
 * - `model`: a trained learner of `deno task train:rl` (its `agent` checked, nested fields
 *   included, by `checkSuiteAgent` of `lib/training`), restored from its checkpoint in `dir`
 *   (`<label>_<condition>_s<seed>.json`) and played on the environment it was trained on
 *   (the plan's, the learner's reward, the condition; the grid for DQN, the continuous actions
 *   for PPO and SAC).
 *
 * Every policy trades the same market: the order-book environment under the job's condition,
 * with the study's environment options (a continuous action that decodes to a grid quote gives
 * the grid's trajectory, `tests/env_continuous_test.ts`). A policy's reward does not enter the
 * comparison: the objective is computed from the PnL and inventory path (`evaluation.ts`).
 *
 * ## Seeds
 * Episode `k` of evaluation set `s` is reset with `seedBase + s · EPISODE_STRIDE + k`. The
 * baseline search plays on {@linkcode TUNE_SEED_BASE}; the comparison on
 * {@linkcode TEST_SEED_BASE} (held out: no choice was made on them, and neither the training
 * environments, seeded `seed · 4096 + copy` and continued, nor the training-time evaluations,
 * seeded from 10⁹, reach them). Set `s` of a learner is played by the model of training seed
 * `s`, so an agent and a baseline are compared on the same episodes, seed by seed.
 *
 * @example
 * ```ts
 * import { evalJob } from "./jobs.ts";
 * const rows = evalJob({
 *   label: "fixed", condition: "calm", set: 0, episodes: 2, seedBase: 0, detail: false,
 *   policy: { kind: "skew", halfSpread: 2, skew: 0, size: 1 },
 *   settings: { env: { episodeLength: 50 }, riskPenalty: 0.005 },
 * });
 * if (rows.length !== 2 || rows[0].table !== "episodes") throw new Error();
 * ```
 * @module
 */
import {
  anything,
  bool,
  checkInt,
  checkKeys,
  checkNum,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  num,
  oneOf,
  optional,
  str,
  underPath,
} from "../../errors.ts";
import {
  checkMarketMakingConfig,
  createContinuousMarketMakingEnv,
  MARKET_CONDITION_NAMES,
  marketCondition,
  type MarketConditionName,
  type MarketMakingOptions,
  runEpisode,
} from "../../env/mod.ts";
import { type Agent, asQuoter, restoreLearner, skewQuoter } from "../../agents/mod.ts";
import type { Action } from "../../env/types.ts";
import { checkSuiteAgent, makeJobEnv, modelName, type SuiteAgent } from "../../training/mod.ts";
import {
  checkEdges,
  createEvalAccumulator,
  episodeRow,
  type EvalSettings,
  type RlRow,
} from "./evaluation.ts";

/** A policy to evaluate (JSON: it crosses to a worker). */
export type PolicySpec =
  | {
    readonly kind: "skew";
    /** Offset of both quotes at zero inventory, ticks. */
    readonly halfSpread: number;
    /** Skew per unit of inventory, ticks. */
    readonly skew: number;
    /** Quote size, units. */
    readonly size: number;
  }
  | {
    readonly kind: "as";
    /** Risk aversion γ. */
    readonly gamma: number;
    /** Fill-intensity decay k, per tick. */
    readonly k: number;
    /** Quote size, units. */
    readonly size: number;
  }
  | {
    readonly kind: "model";
    /** Folder of the checkpoints. */
    readonly dir: string;
    /** The learner as the plan describes it (`lib/training`). */
    readonly agent: SuiteAgent;
    /** Its training seed. */
    readonly seed: number;
  };

/** Settings shared by every evaluation job (JSON). */
export interface RlSettings {
  /**
   * Environment options (the training plan's: `SUITE.env`); the condition's flow is applied on
   * top. No `orderFlow`, no `Infinity` (JSON cannot carry them).
   */
  readonly env: MarketMakingOptions;
  /** `η` of the objective `J = PnL − η·Σq²` (`evaluation.ts`). Number ≥ 0. */
  readonly riskPenalty: number;
  /** Markout horizon of the adverse-selection figures, steps. Default 5. */
  readonly horizon?: number;
  /** Equal time slices of an episode in the heatmaps. Default 5. */
  readonly timeBuckets?: number;
  /** Realised-volatility window, steps. Default 20. */
  readonly volWindow?: number;
  /** Realised-volatility bucket edges, ticks per step. Default [0.4, 0.55, 0.75]. */
  readonly volEdges?: readonly number[];
}

/** Defaults of the optional {@linkcode RlSettings} fields. */
export const RL_SETTINGS_DEFAULTS = Object.freeze({
  horizon: 5,
  timeBuckets: 5,
  volWindow: 20,
  volEdges: Object.freeze([0.4, 0.55, 0.75]),
});

/** One evaluation job (JSON). */
export interface EvalJob {
  /** The policy's label in the frames (e.g. `"PPO"`, `"fixed"`). */
  readonly label: string;
  /** The market condition. */
  readonly condition: MarketConditionName;
  /** The policy. */
  readonly policy: PolicySpec;
  /** Evaluation set (the frames' `seed` column). Integer in [0, 999]. */
  readonly set: number;
  /** Episodes of the set. Integer in [1, EPISODE_STRIDE]. */
  readonly episodes: number;
  /** Episode `k` is reset with `seedBase + set · EPISODE_STRIDE + k`. */
  readonly seedBase: number;
  /** Also record the volatility × time cells and the inventory distribution. */
  readonly detail: boolean;
  /** Shared settings. */
  readonly settings: RlSettings;
}

/** The keys of an {@linkcode EvalJob} (and the study's `kind`). */
const EVAL_JOB_KEYS = [
  "kind",
  ...Object.keys(
    {
      label: 1,
      condition: 1,
      policy: 1,
      set: 1,
      episodes: 1,
      seedBase: 1,
      detail: 1,
      settings: 1,
    } satisfies Record<keyof EvalJob, 1>,
  ),
];

/** Episodes per evaluation set, at most. */
export const EPISODE_STRIDE = 10_000;
/** Seed base of the baseline search's episodes. */
export const TUNE_SEED_BASE = 500_000_000;
/** Seed base of the held-out comparison's episodes. */
export const TEST_SEED_BASE = 3_000_000_000;
/** Seed base of the queue sweep's episodes. */
export const QUEUE_SEED_BASE = 2_000_000_000;

/** Throws unless `seed` is an evaluation set (an integer in [0, 999]). */
export function checkSet(seed: unknown, field = "set"): number {
  return checkInt(field, seed, 0, 999);
}

/** The validated aggregate settings of {@linkcode RlSettings}. */
export function evalSettings(s: RlSettings): EvalSettings & { riskPenalty: number } {
  if (s === null || typeof s !== "object") {
    throw new ConfigError("settings", "an RlSettings object", s);
  }
  const d = RL_SETTINGS_DEFAULTS;
  return {
    episodeLength: checkInt("settings.env.episodeLength", s.env?.episodeLength ?? 1000, 1, 1e8),
    riskPenalty: checkNum("settings.riskPenalty", s.riskPenalty, 0, 1e6),
    horizon: checkInt("settings.horizon", s.horizon ?? d.horizon, 1, 1e6),
    timeBuckets: checkInt("settings.timeBuckets", s.timeBuckets ?? d.timeBuckets, 1, 1000),
    volWindow: checkInt("settings.volWindow", s.volWindow ?? d.volWindow, 1, 1e6),
    volEdges: checkEdges("settings.volEdges", s.volEdges ?? d.volEdges),
  };
}

/** Environment options, checked by `lib/env` with their path (`settings.env.episodeLength`). */
export const ENV_OPTIONS: Field<MarketMakingOptions> = custom(
  "environment options (lib/env)",
  (v, path) => {
    checkObject(path, v, "environment options (lib/env)");
    underPath(path, () => checkMarketMakingConfig(v as MarketMakingOptions));
    return v as MarketMakingOptions;
  },
);

/** Increasing bucket edges (`checkEdges`). */
export const EDGES: Field<number[]> = custom(
  "an array of at most 1000 increasing numbers",
  (v, path) => checkEdges(path, v),
);

/** The schema of {@linkcode RlSettings} (the compiler keeps its keys complete). */
export const RL_SETTINGS = {
  env: ENV_OPTIONS,
  riskPenalty: num(0, 1e6),
  horizon: optional(int(1, 1e6)),
  timeBuckets: optional(int(1, 1000)),
  volWindow: optional(int(1, 1e6)),
  volEdges: optional(EDGES),
} satisfies Record<keyof RlSettings, Field<unknown>>;

/** A market condition's name. */
export const CONDITION: Field<MarketConditionName> = oneOf(MARKET_CONDITION_NAMES);

/**
 * Checks a policy spec at `path` before any job runs: its kind, a baseline's fields by
 * `lib/agents` (as `skewQuoter` and `asQuoter` check them, on the settings' environment: made
 * once by `env()`), a model's fields here (its agent is checked by `lib/training` when loaded).
 */
export function checkPolicySpec(
  spec: unknown,
  path: string,
  env: () => ReturnType<typeof createContinuousMarketMakingEnv>,
): PolicySpec {
  const o = checkObject(path, spec, "a policy spec");
  const kind = oneOf(["skew", "as", "model"] as const).check(o.kind, `${path}.kind`);
  if (kind === "model") {
    checkOptions(o, {
      kind: anything(),
      dir: str(),
      agent: custom(
        "a suite agent (lib/training)",
        (v, p) => checkSuiteAgent(v as SuiteAgent, { path: p }),
      ),
      seed: int(0, 2 ** 31 - 1),
    }, { path, owner: "evalJob" });
  } else {
    const { kind: _, ...config } = o;
    underPath(path, () => (kind === "skew" ? skewQuoter : asQuoter)(env(), config));
  }
  return spec as PolicySpec;
}

/** A policy and the environment it plays on, for a condition. */
export function makePolicy(
  spec: PolicySpec,
  o: { condition: MarketConditionName; env: MarketMakingOptions },
): { env: ReturnType<typeof makeJobEnv>; agent: Agent<Action> } {
  switch (spec.kind) {
    case "skew":
    case "as": {
      const env = createContinuousMarketMakingEnv(marketCondition(o.condition, o.env));
      const { kind: _, ...config } = spec;
      const agent = spec.kind === "skew" ? skewQuoter(env, config) : asQuoter(env, config);
      return { env, agent: agent as Agent<Action> };
    }
    case "model": {
      const job = { agent: spec.agent, condition: o.condition, env: o.env, seed: spec.seed };
      const env = makeJobEnv(job);
      const { learner } = restoreLearner(`${spec.dir}/${modelName(job)}`, env);
      return { env, agent: learner as Agent<Action> };
    }
    default: {
      const never: never = spec;
      throw new ConfigError(
        "policy.kind",
        `"skew", "as" or "model"`,
        (never as { kind: unknown }).kind,
      );
    }
  }
}

/**
 * Runs one evaluation job (see the module doc): an `episodes` row per episode, and with `detail`
 * the `cells` and `inventory` rows of its episodes.
 */
export function evalJob(job: EvalJob): RlRow[] {
  checkKeys(checkObject("job", job), EVAL_JOB_KEYS, { owner: "evalJob", path: "job" });
  if (typeof job?.label !== "string" || job.label === "") {
    throw new ConfigError("job.label", "a non-empty string", job?.label);
  }
  if (!MARKET_CONDITION_NAMES.includes(job.condition)) {
    throw new ConfigError(
      "job.condition",
      `one of ${MARKET_CONDITION_NAMES.join(", ")}`,
      job.condition,
    );
  }
  const set = checkSet(job.set, "job.set");
  const episodes = checkInt("job.episodes", job.episodes, 1, EPISODE_STRIDE);
  const seedBase = checkInt("job.seedBase", job.seedBase, 0, 2 ** 40);
  bool().check(job.detail, "job.detail");
  checkOptions(job.settings, RL_SETTINGS, { path: "job.settings", owner: "evalJob" });
  checkPolicySpec(
    job.policy,
    "job.policy",
    () => createContinuousMarketMakingEnv(job.settings.env),
  );
  const s = evalSettings(job.settings);
  const { env, agent } = makePolicy(job.policy, {
    condition: job.condition,
    env: job.settings.env ?? {},
  });
  const key = { label: job.label, condition: job.condition, seed: set };
  const acc = job.detail ? createEvalAccumulator(s) : null;
  const rows: RlRow[] = [];
  for (let k = 0; k < episodes; k++) {
    const run = runEpisode(env as never, agent as never, {
      seed: seedBase + set * EPISODE_STRIDE + k,
      horizons: [s.horizon],
    });
    rows.push({
      table: "episodes",
      ...key,
      episode: k,
      ...episodeRow(run, s),
      config: job.policy.kind === "model" ? job.policy.agent.label : policyText(job.policy),
    });
    acc?.add(run);
  }
  agent.dispose?.();
  if (acc) rows.push(...acc.rows(key));
  return rows;
}

/**
 * A baseline policy as a short text, the frames' `config` column: `"h=2 κ=0.1 size=2"` or
 * `"γ=0.01 k=1 size=2"`.
 */
export function policyText(p: PolicySpec): string {
  switch (p.kind) {
    case "skew":
      return `h=${p.halfSpread} κ=${p.skew} size=${p.size}`;
    case "as":
      return `γ=${p.gamma} k=${p.k} size=${p.size}`;
    case "model":
      return p.agent.label;
  }
}
