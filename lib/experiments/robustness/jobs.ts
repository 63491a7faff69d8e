/**
 * The robustness study (issue 11): the data of notebooks 03 and 06 (and the per-market sections of
 * 02, 04 and 05) on the spec's game (several orders per maker, the taker arriving at a random
 * step), with noise flow on (market randomness in every interval), the best fixed rule as the
 * reference baseline, every learner trained in the converging regime (`convergenceRegime` of
 * `lib/makers`: ε decaying per step, stopped once the convergence criterion has held, or at the
 * budget), and the headline comparisons repeated in every market of `STUDY_CONDITIONS`. Too long
 * for the reproduction, it runs as its own task (`deno task study:robustness`, an entry of
 * `lib/experiments/committed.ts`) and its tables are committed under `data/studies/robustness/`
 * by `lib/sweep/committed.ts`, with the hash of everything that determines them
 * ({@linkcode robustnessOutput}).
 *
 * ## Parts (each part's tables are written as soon as it is done)
 * 1. **best** (`lib/experiments/fixed_rules`): the best fixed rule (the family `config.family`,
 *    search seeds disjoint from the evaluation) per (game, taker, condition) for one maker: game 2
 *    and game 1 (Q = 8,000), notebook 03's four takers, every study condition; and for notebook
 *    06's three takers in game 1 under both order rules (`orders: "multi"` and `"single"`) with
 *    one maker and with two (symmetric). Tables `best`, `candidates`.
 * 2. **learn** (`lib/experiments/game_learning`): one learner per (game, taker, seed). In the
 *    headline market (`noise`): game 2 (size hidden) and game 1 at Q = 4,000, 8,000 and 12,000
 *    against the four takers; in every other condition game 2 and game 1 at Q = 8,000 (notebook
 *    02's game). Run in priority order: the headline's game 2, then part 3, then game 1 at the
 *    sizes, then the other conditions one by one. Each learner is tested with the baselines
 *    (replenisher, follower, random, no maker) and the cell's best fixed rule (`"best fixed"`),
 *    on the common test seeds `test:<seed>`. Tables `learn_tests`, `learn_runs` (with the
 *    regime's convergence: `converged`, `converged_episode`, `episodes`), `learn_curves`,
 *    `learn_maps` (headline market only: game 2, and game 1 at Q = 8,000), each with a
 *    `condition` column.
 * 3. **orders** (`lib/experiments/fixed_vs_dynamic`): notebook 06's populations in game 1 with
 *    noise, under each order rule (an `orders` column): 1R+1F, 2R+1F, 1R+2F (nothing learns) and
 *    1R+1Q (the Q-learner trained against the taker it plays). Tables `fd_makers`, `fd_steps`,
 *    `fd_train`.
 * 4. **competition** (`lib/experiments/fixed_vs_dynamic`, notebook 04 per market): one and two
 *    Q-learning makers (`1Q`, `2Q`) trained together in game 1 (Q = 8,000) against each of the
 *    three takers of notebook 04, in every condition, replayed greedily against the taker they
 *    trained with on the evaluation seeds `eval:<seed>:k` (common to both populations). Tables
 *    `comp_makers`, `comp_train`, with a `condition` column.
 *
 * ## The configuration hash
 * {@linkcode robustnessOutput} hashes the study's complete job lists ({@linkcode robustnessPlan}:
 * every job with its game settings, market condition applied, taker, seeds, budgets, the regime
 * with its defaults written out, and the fixed-rule family expanded), plus the resolved game,
 * background and state defaults. A change of any of these makes the committed tables stale;
 * {@linkcode ROBUSTNESS_VERSION} is bumped by hand only for a code change the job lists cannot
 * see (a fixed bug, a new column). The learn jobs are hashed without the best fixed rule they
 * are tested with: that rule is the output of part 1, whose jobs are hashed.
 *
 * The same configuration gives the same tables (the jobs are deterministic, and do not depend on
 * the number of workers).
 *
 * @module
 */
import pl from "nodejs-polars";
import { fileURLToPath } from "node:url";
import {
  arrayOf,
  checkOptions,
  type Field,
  fn,
  int,
  object,
  oneOf,
  optional,
  str,
} from "../../errors.ts";
import {
  applyCondition,
  CONDITION_NAMES,
  type ConditionName,
  type GameSpec,
  type MakerPolicySpec,
  type OrdersRule,
  STUDY_CONDITIONS,
} from "../../game/mod.ts";
import { studyDefaults } from "../_defaults.ts";
import { REGIME_OPTIONS, type RegimeOptions } from "../../makers/mod.ts";
import {
  type CommittedSpec,
  loadCommitted,
  type Manifest,
  readManifest,
  type StudyRunOptions,
  writeCommitted,
} from "../../sweep/mod.ts";
import { STUDY_RUN_OPTIONS } from "../_fields.ts";
import {
  bestFixedRules,
  bestRuleJobs,
  type BestRuleOptions,
  DEFAULT_RULE_FAMILY,
  type FixedRuleFamily,
  fixedRuleList,
} from "../fixed_rules/mod.ts";
import {
  type BaselineCase,
  DEFAULT_BASELINES,
  type MakerLearnJob,
  makerLearnJobs,
  makerLearnStudy,
} from "../game_learning/mod.ts";
import {
  fixedDynamicJobs,
  type FixedDynamicOptions,
  fixedDynamicStudy,
  type Population,
} from "../fixed_vs_dynamic/mod.ts";
import type { TakerCase } from "../market/mod.ts";

/** Notebook 03's takers. */
export const LEARN_TAKERS: readonly TakerCase[] = Object.freeze([
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "passive", taker: { kind: "passive" } },
  { label: "reactive", taker: { kind: "reactive" } },
  { label: "almgren-chriss", taker: { kind: "almgren-chriss" } },
]);

/** Notebook 04's takers (the competition part). */
export const COMPETITION_TAKERS: readonly TakerCase[] = Object.freeze(LEARN_TAKERS.slice(0, 3));

/** Notebook 06's takers. */
export const ORDER_TAKERS: readonly TakerCase[] = Object.freeze([
  { label: "aggressive", taker: { kind: "aggressive", rate: 0.25 } },
  { label: "TWAP", taker: { kind: "passive", maxWalk: 3 } },
  {
    label: "reactive",
    taker: { kind: "reactive", near: 3, depressed: 5, catchUp: 10, maxWalk: 2 },
  },
]);

/** Notebook 06's populations in this study. */
export const ORDER_POPULATIONS: readonly Population[] = Object.freeze([
  { label: "1R+1F", kinds: ["replenisher", "follower"] },
  { label: "2R+1F", kinds: ["replenisher", "replenisher", "follower"] },
  { label: "1R+2F", kinds: ["replenisher", "follower", "follower"] },
  { label: "1R+1Q", kinds: ["replenisher", "q"] },
]);

/** Notebook 04's populations in this study: one learner, and two learning together. */
export const COMPETITION_POPULATIONS: readonly Population[] = Object.freeze([
  { label: "1Q", kinds: ["q"] },
  { label: "2Q", kinds: ["q", "q"] },
]);

/** The game labels of the study. */
export const GAME1 = "game 1", GAME2 = "game 2";

/** The sizes at which the maker that knows Q is compared (notebook 03). */
export const SIZES = Object.freeze([4_000, 8_000, 12_000]);

/** The label of the best fixed rule among the tested policies. */
export const BEST_FIXED = "best fixed";

/** A market: a label and the conditions applied together. */
export interface Market {
  /** E.g. `"noise+thin"`. */
  readonly label: string;
  /** E.g. `["noise", "thin"]`. */
  readonly conditions: readonly ConditionName[];
}

/** The study's budgets and settings (plain data). */
export interface RobustnessConfig {
  /** Learner seeds in the headline market (`noise`), game 2. */
  readonly seeds: number;
  /** Learner seeds of game 1 at each size (headline market). */
  readonly sizeSeeds: number;
  /** Learner seeds of game 2 in each other condition. */
  readonly conditionSeeds: number;
  /** Learner seeds of game 1 (Q = 8,000, notebook 02's game) in each other condition. */
  readonly game1ConditionSeeds: number;
  /** Seeds of notebook 06's populations (per order rule). */
  readonly orderSeeds: number;
  /** Seeds of the competition part (per condition and taker, for 1Q and 2Q); 0: not run. */
  readonly competitionSeeds: number;
  /** The learners' regime (`convergenceRegime`'s options; missing fields take its defaults). */
  readonly regime: RegimeOptions;
  /** The fixed-rule family searched for the best fixed rule. */
  readonly family: FixedRuleFamily;
  /** Test episodes per (policy, test game, seed). */
  readonly testEpisodes: number;
  /** Evaluation episodes per (population, taker, seed) in parts 3 and 4. */
  readonly orderEvalEpisodes: number;
  /** Search episodes per rule. */
  readonly searchEpisodes: number;
  /** Held-out evaluation episodes of the best rule. */
  readonly evalEpisodes: number;
  /** The markets: `STUDY_CONDITIONS` (labels and the conditions applied); the first is the headline. */
  readonly conditions: readonly Market[];
  /** Steps per episode (undefined: the game's). Small in the tests. */
  readonly steps?: number;
}

/** The committed configuration (`deno task study:robustness`) and a small one (`quick`). */
export function robustnessConfig(quick = false): RobustnessConfig {
  return quick
    ? {
      seeds: 2,
      sizeSeeds: 2,
      conditionSeeds: 2,
      game1ConditionSeeds: 1,
      orderSeeds: 2,
      competitionSeeds: 1,
      regime: { decayEpisodes: 20, budget: 60, checkEvery: 20, evalEpisodes: 2, patience: 2 },
      family: { replenisher: { offsets: [0, 1, 2], qtys: [100, 200] } },
      testEpisodes: 3,
      orderEvalEpisodes: 2,
      searchEpisodes: 2,
      evalEpisodes: 3,
      conditions: STUDY_CONDITIONS.slice(0, 2),
      steps: 12,
    }
    : {
      seeds: 20,
      sizeSeeds: 10,
      conditionSeeds: 10,
      game1ConditionSeeds: 6,
      orderSeeds: 20,
      // One against two learning makers per market (notebook 04): 4 seeds per market and taker
      // (two learners often run to the regime's budget; ~7 min per market on 2 cores at load ~10).
      competitionSeeds: 4,
      regime: {},
      family: DEFAULT_RULE_FAMILY,
      testEpisodes: 30,
      orderEvalEpisodes: 10,
      searchEpisodes: 20,
      evalEpisodes: 40,
      conditions: STUDY_CONDITIONS,
    };
}

/**
 * Bumped only when a change of code changes what the same job lists produce (the hash covers the
 * jobs themselves: module doc).
 */
export const ROBUSTNESS_VERSION = 3;

/** The command that makes the committed outputs. */
export const ROBUSTNESS_COMMAND = "deno task study:robustness";

/** The committed study's folder, `data/studies/robustness` of the project. */
export const ROBUSTNESS_DIR: string = fileURLToPath(
  new URL("../../../data/studies/robustness", import.meta.url),
);

/** The tables of the study, by name (see the module doc). */
export type RobustnessTables = Record<string, pl.DataFrame>;

/** A batch of learners: one market, one kind of batch, its jobs (without the best fixed rule). */
export interface LearnBatch {
  /** The part's name, e.g. `"learn:noise"`, `"learn:noise:sizes"`. */
  readonly part: string;
  /** The market's label. */
  readonly condition: string;
  /** The jobs; each is tested with its cell's best fixed rule as well (added when it is known). */
  readonly jobs: readonly MakerLearnJob[];
}

/** Every job of the study, as plain data ({@linkcode robustnessPlan}). */
export interface RobustnessPlan {
  /** Part 1: the best-rule searches (notebook 03's cells, notebook 06's). */
  readonly best: { readonly learn: BestRuleOptions; readonly orders: BestRuleOptions };
  /** Part 2, in run order (the first is the headline's game 2). */
  readonly learn: readonly LearnBatch[];
  /** Part 3, per order rule. */
  readonly orders: readonly {
    readonly orders: OrdersRule;
    readonly options: FixedDynamicOptions;
  }[];
  /** Part 4, per market. */
  readonly competition: readonly {
    readonly condition: string;
    readonly options: FixedDynamicOptions;
  }[];
}

const COUNT = int(1, 1_000_000);
/** The markets: labelled lists of condition names (`conditions[1].conditions[0]`). */
const MARKETS = arrayOf(
  object(
    { label: str(), conditions: arrayOf(oneOf(CONDITION_NAMES), { minLength: 1 }) },
    "a market",
  ),
  { minLength: 1 },
);
const CONFIG: Field<RobustnessConfig> = object(
  {
    seeds: COUNT,
    sizeSeeds: COUNT,
    conditionSeeds: COUNT,
    game1ConditionSeeds: COUNT,
    orderSeeds: COUNT,
    competitionSeeds: int(0, 1_000_000),
    regime: object(REGIME_OPTIONS, "robustness config"),
    family: {
      allowed: "a fixed-rule family (lib/experiments/fixed_rules)",
      check: (v: unknown, path: string) => (fixedRuleList(v as FixedRuleFamily, path), v),
    } as Field<FixedRuleFamily>,
    testEpisodes: COUNT,
    orderEvalEpisodes: COUNT,
    searchEpisodes: COUNT,
    evalEpisodes: int(2, 1_000_000), // a held-out interval needs two (lib/experiments/fixed_rules)
    conditions: MARKETS,
    steps: optional(int(1, 1_000_000)),
  } satisfies Record<keyof RobustnessConfig, Field<unknown>>,
  "robustness config",
);

const known = (q: number): GameSpec => ({ kind: "known", size: q });
const hidden: GameSpec = { kind: "hidden" };
const hiddenAt = (q: number): GameSpec => ({ kind: "hidden", size: { kind: "fixed", value: q } });
const g1Label = (q: number) => (q === 8_000 ? GAME1 : `${GAME1}, Q=${q}`);

/**
 * Every job of the study for a configuration (checked first, with paths:
 * `config.conditions[1].conditions[0]`), the regime's defaults written out. Plain data: what
 * {@linkcode runRobustness} runs and {@linkcode robustnessOutput} hashes.
 */
export function robustnessPlan(config: RobustnessConfig): RobustnessPlan {
  const c = checkOptions({ config }, { config: CONFIG }, { owner: "robustnessPlan" }).config;
  const regime = checkOptions(c.regime, REGIME_OPTIONS, {
    owner: "robustnessPlan",
    path: "config.regime",
  }) as RegimeOptions;
  const base = c.steps === undefined ? {} : { steps: c.steps };
  const game = (spec: GameSpec, orders: OrdersRule = "multi") => ({ ...base, orders, game: spec });
  const settings = {
    family: c.family,
    searchEpisodes: c.searchEpisodes,
    evalEpisodes: c.evalEpisodes,
  };
  const best = {
    learn: {
      games: [
        { label: GAME2, config: game(hidden) },
        { label: GAME1, config: game(known(8_000)) },
      ],
      takers: LEARN_TAKERS,
      conditions: c.conditions.map((x) => x.conditions),
      settings,
    },
    orders: {
      games: [
        { label: `${GAME1}, multi`, config: game(known(8_000), "multi") },
        { label: `${GAME1}, single`, config: game(known(8_000), "single") },
      ],
      takers: ORDER_TAKERS,
      conditions: [c.conditions[0].conditions],
      ns: [1, 2],
      settings,
    },
  };
  const head = c.conditions[0];
  const learnSettings = (m: Market) => ({
    regime,
    testEpisodes: c.testEpisodes,
    gameOptions: applyCondition({ ...base }, m.conditions),
  });
  const game2 = (m: Market, seeds: number, headline: boolean) =>
    makerLearnJobs({
      games: [{ label: GAME2, game: hidden }],
      takers: LEARN_TAKERS,
      seeds,
      settings: { ...learnSettings(m), map: headline },
      tests: {
        [GAME2]: [
          { label: "own", game: hidden },
          ...(headline ? SIZES.map((q) => ({ label: `Q=${q}`, game: hiddenAt(q) })) : []),
        ],
      },
    });
  // Policy maps of game 1 at Q = 8,000 in the headline market (notebook 03's section 4).
  const game1 = (m: Market, sizes: readonly number[], seeds: number, headline = false) =>
    sizes.flatMap((q) =>
      makerLearnJobs({
        games: [{ label: g1Label(q), game: known(q) }],
        takers: LEARN_TAKERS,
        seeds,
        settings: { ...learnSettings(m), map: headline && q === 8_000 },
        tests: { [g1Label(q)]: [{ label: `Q=${q}`, game: known(q) }] },
      })
    );
  const learn: LearnBatch[] = [
    { part: `learn:${head.label}`, condition: head.label, jobs: game2(head, c.seeds, true) },
    {
      part: `learn:${head.label}:sizes`,
      condition: head.label,
      jobs: game1(head, SIZES, c.sizeSeeds, true),
    },
    ...c.conditions.slice(1).map((m) => ({
      part: `learn:${m.label}`,
      condition: m.label,
      jobs: [...game2(m, c.conditionSeeds, false), ...game1(m, [8_000], c.game1ConditionSeeds)],
    })),
  ];
  const orders = (["multi", "single"] as const).map((rule) => ({
    orders: rule,
    options: {
      populations: ORDER_POPULATIONS,
      takers: ORDER_TAKERS,
      games: [{ label: GAME1, game: known(8_000) }],
      seeds: c.orderSeeds,
      settings: {
        regime,
        evalEpisodes: c.orderEvalEpisodes,
        stepTakers: ["aggressive", "TWAP"],
        game: { ...applyCondition({ ...base }, head.conditions), orders: rule },
      },
    },
  }));
  const competition = c.competitionSeeds === 0 ? [] : c.conditions.map((m) => ({
    condition: m.label,
    options: {
      populations: COMPETITION_POPULATIONS,
      takers: COMPETITION_TAKERS,
      games: [{ label: GAME1, game: known(8_000) }],
      seeds: c.competitionSeeds,
      settings: {
        regime,
        evalEpisodes: c.orderEvalEpisodes,
        stepTakers: [],
        game: applyCondition({ ...base }, m.conditions),
      },
    },
  }));
  return { best, learn, orders, competition };
}

/**
 * The committed-output spec of the study (`lib/sweep/committed.ts`) for a configuration, in `dir`
 * (default {@linkcode ROBUSTNESS_DIR}): its hash covers every job of {@linkcode robustnessPlan}
 * (expanded: the fixed rules, the learners with their regime, the populations) and the defaults
 * of each market's game (module doc).
 *
 * @example
 * ```ts
 * import { robustnessConfig, robustnessOutput } from "./jobs.ts";
 * import { outputHash } from "../../sweep/mod.ts";
 * const c = robustnessConfig(true);
 * const a = outputHash(robustnessOutput(c));
 * const fewer = { ...c, family: { replenisher: { offsets: [0, 1], qtys: [100, 200] } } };
 * if (a === outputHash(robustnessOutput(fewer))) throw new Error("the rule grid is hashed");
 * const slower = { ...c, regime: { ...c.regime, decayEpisodes: 40 } };
 * if (a === outputHash(robustnessOutput(slower))) throw new Error("the regime is hashed");
 * ```
 */
export function robustnessOutput(
  config: RobustnessConfig = robustnessConfig(),
  dir: string = ROBUSTNESS_DIR,
): CommittedSpec {
  const plan = robustnessPlan(config);
  return {
    name: "robustness",
    dir,
    command: ROBUSTNESS_COMMAND,
    version: ROBUSTNESS_VERSION,
    config: {
      best: [...bestRuleJobs(plan.best.learn), ...bestRuleJobs(plan.best.orders)],
      learn: plan.learn,
      orders: plan.orders.map((o) => ({ orders: o.orders, jobs: fixedDynamicJobs(o.options) })),
      competition: plan.competition.map((o) => ({
        condition: o.condition,
        jobs: fixedDynamicJobs(o.options),
      })),
      defaults: config.conditions.map((m) => ({
        market: m.label,
        ...studyDefaults(
          applyCondition(config.steps === undefined ? {} : { steps: config.steps }, m.conditions),
        ),
      })),
    },
  };
}

/** Options of {@linkcode runRobustness}. */
export interface RunRobustnessOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** The budgets. */
  readonly config: RobustnessConfig;
  /** Called with each part's tables as soon as the part is done. */
  readonly onPart?: (part: string, tables: RobustnessTables) => Promise<void> | void;
  /** The parts to run (default all: `best`, `learn`, `orders`, `competition`; `learn` needs `best`). */
  readonly parts?: readonly string[];
}

const withCol = (df: pl.DataFrame, name: string, value: string) =>
  df.withColumn(pl.lit(value).alias(name));

const concat = (dfs: pl.DataFrame[]) => {
  const full = dfs.filter((d) => d.height > 0);
  if (full.length === 0) return dfs[0];
  return full.length === 1 ? full[0] : pl.concat(full, { how: "diagonal" });
};

/** The best rule's policy spec from a `best` row. */
export function bestRuleSpec(row: Record<string, unknown>): MakerPolicySpec {
  return row.kind === "replenisher"
    ? { kind: "replenisher", offset: Number(row.offset), qty: Number(row.qty) }
    : { kind: "follower", offset: Number(row.offset), share: Number(row.share) };
}

const PARTS = ["best", "learn", "orders", "competition"] as const;
const RUN_OPTIONS = {
  config: CONFIG,
  onPart: optional(fn<NonNullable<RunRobustnessOptions["onPart"]>>("a function (part, tables)")),
  parts: optional(arrayOf(oneOf(PARTS), { minLength: 1 })),
  workers: STUDY_RUN_OPTIONS.workers,
  progress: STUDY_RUN_OPTIONS.progress,
} satisfies Record<keyof RunRobustnessOptions, Field<unknown>>;

/**
 * Runs the study (see the module doc) and returns all its tables. The options are checked first
 * (unknown keys with a suggestion, counts in their ranges, market conditions by name, with their
 * paths: `config.conditions[1].conditions[0]`).
 */
export async function runRobustness(options: RunRobustnessOptions): Promise<RobustnessTables> {
  checkOptions(options, RUN_OPTIONS, { owner: "runRobustness" });
  const plan = robustnessPlan(options.config);
  const parts = new Set(options.parts ?? PARTS);
  const run = { workers: options.workers, progress: options.progress };
  const out: RobustnessTables = {};

  // 1. The best fixed rules.
  if (parts.has("best") || parts.has("learn")) {
    const learnCells = await bestFixedRules({ ...plan.best.learn, ...run });
    const orderCells = await bestFixedRules({ ...plan.best.orders, ...run });
    out.best = concat([
      withCol(learnCells.best, "study", "learn"),
      withCol(orderCells.best, "study", "orders"),
    ]);
    out.candidates = concat([
      withCol(learnCells.candidates, "study", "learn"),
      withCol(orderCells.candidates, "study", "orders"),
    ]);
    if (parts.has("best")) {
      await options.onPart?.("best", { best: out.best, candidates: out.candidates });
    }
  }

  // 3 and 4: fixedDynamicStudy batches, each labelled by a column.
  const fdPart = async (
    part: string,
    prefix: string,
    col: string,
    batches: readonly { label: string; options: FixedDynamicOptions }[],
  ) => {
    const tables: Record<string, pl.DataFrame[]> = { makers: [], steps: [], train: [] };
    for (const b of batches) {
      const f = await fixedDynamicStudy({ ...b.options, ...run });
      for (const k of Object.keys(tables)) {
        tables[k].push(withCol(f[k as keyof typeof f], col, b.label));
      }
    }
    const done = Object.fromEntries(
      Object.entries(tables)
        .filter(([k]) => prefix === "fd" || k !== "steps")
        .map(([k, v]) => [`${prefix}_${k}`, concat(v)]),
    );
    Object.assign(out, done);
    await options.onPart?.(part, done);
  };

  // 2. The learners, batch by batch (each batch written when done).
  const learnTables: Record<string, pl.DataFrame[]> = { tests: [], runs: [], curves: [], maps: [] };
  const bestOf = (g: string, taker: string, cond: string): BaselineCase | undefined => {
    const r = (out.best.toRecords() as Record<string, unknown>[]).find((x) =>
      x.study === "learn" && x.game === g && x.taker === taker && x.condition === cond
    );
    return r ? { label: BEST_FIXED, spec: bestRuleSpec(r) } : undefined;
  };
  const learnBatch = async (b: LearnBatch) => {
    const jobs = b.jobs.map((j) => {
      const best = bestOf(j.game, j.taker.label, b.condition);
      return best ? { ...j, baselines: [...(j.baselines ?? DEFAULT_BASELINES), best] } : j;
    });
    const f = await makerLearnStudy({ jobs, ...run });
    for (const k of Object.keys(learnTables)) {
      const df = f[k as keyof typeof f];
      if (df.height > 0) learnTables[k].push(withCol(df, "condition", b.condition));
    }
    const part = Object.fromEntries(
      Object.entries(learnTables).map(([k, v]) => [`learn_${k}`, concat(v)]),
    );
    Object.assign(out, part);
    await options.onPart?.(b.part, part);
  };

  if (parts.has("learn")) await learnBatch(plan.learn[0]);
  if (parts.has("orders")) {
    await fdPart(
      "orders",
      "fd",
      "orders",
      plan.orders.map((o) => ({ label: o.orders, options: o.options })),
    );
  }
  if (parts.has("learn")) { for (const b of plan.learn.slice(1)) await learnBatch(b); }
  if (parts.has("competition") && plan.competition.length > 0) {
    await fdPart(
      "competition",
      "comp",
      "condition",
      plan.competition.map((o) => ({ label: o.condition, options: o.options })),
    );
  }
  return out;
}

/** Options of {@linkcode writeRobustness}. */
export interface WriteRobustnessOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** The configuration. Default `robustnessConfig()`. */
  readonly config?: RobustnessConfig;
  /** The output folder. Default {@linkcode ROBUSTNESS_DIR}. */
  readonly dir?: string;
  /** Milliseconds now (the script's clock: `lib/` reads none), for the manifest's `minutes`. */
  readonly clock?: () => number;
}

/**
 * Runs the study and commits its tables in `dir` (`lib/sweep/committed.ts`): after each part,
 * every table so far with a manifest marked incomplete (`parts` done so far), so an interrupted
 * run keeps what it finished and `deno task reproduce` says it is incomplete; after the last,
 * the complete manifest. Returns it.
 */
export async function writeRobustness(o: WriteRobustnessOptions = {}): Promise<Manifest> {
  const config = o.config ?? robustnessConfig();
  const spec = robustnessOutput(config, o.dir ?? ROBUSTNESS_DIR);
  const t0 = o.clock?.();
  const minutes = () => (t0 === undefined ? undefined : (o.clock!() - t0) / 60_000);
  const parts: string[] = [];
  let all: RobustnessTables = {};
  await runRobustness({
    config,
    workers: o.workers,
    progress: o.progress,
    onPart: async (part, tables) => {
      all = { ...all, ...tables };
      parts.push(part);
      await writeCommitted(spec, all, { complete: false, parts, minutes: minutes() });
    },
  });
  return writeCommitted(spec, all, { parts, minutes: minutes() });
}

/** The committed outputs of the study, read back (see {@linkcode loadRobustness}). */
export interface LoadedRobustness {
  /** The tables, by name. */
  readonly tables: RobustnessTables;
  /** The configuration that made them (the code's: they were checked against its hash). */
  readonly config: RobustnessConfig;
  /** The manifest (`configHash`, `command`, `minutes`, `files`, …). */
  readonly manifest: Manifest;
  /** Where they were read from. */
  readonly dir: string;
}

/**
 * Reads the committed outputs (default {@linkcode ROBUSTNESS_DIR}) after checking them against
 * the code's configuration ({@linkcode robustnessOutput}): a missing, stale, incomplete or
 * edited output is a `FileError` naming the file and `deno task study:robustness`.
 */
export async function loadRobustness(dir: string = ROBUSTNESS_DIR): Promise<LoadedRobustness> {
  const config = robustnessConfig();
  const tables = await loadCommitted(robustnessOutput(config, dir));
  return { tables, config, manifest: readManifest(dir) as Manifest, dir };
}

/** Options of {@linkcode fixedAcrossMarkets}. */
export interface FixedAcrossMarketsOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** Seeds per (market, play taker). */
  readonly seeds: number;
  /** Evaluation episodes per seed. */
  readonly evalEpisodes: number;
  /** The markets. Default `STUDY_CONDITIONS`. */
  readonly conditions?: readonly { label: string; conditions: readonly ConditionName[] }[];
  /** Steps per episode (undefined: the game's). Small in the tests. */
  readonly steps?: number;
}

const ACROSS_OPTIONS = {
  seeds: COUNT,
  evalEpisodes: COUNT,
  conditions: optional(MARKETS),
  steps: optional(int(1, 1_000_000)),
  workers: STUDY_RUN_OPTIONS.workers,
  progress: STUDY_RUN_OPTIONS.progress,
} satisfies Record<keyof FixedAcrossMarketsOptions, Field<unknown>>;

/**
 * Notebook 06's fixed head to head (1R+1F: the spec's replenisher against the follower; nothing
 * learns, so it is cheap enough to run in the notebook) in every market, game 1 with several
 * orders: `fixedDynamicStudy`'s `makers` rows with a `condition` column.
 */
export async function fixedAcrossMarkets(o: FixedAcrossMarketsOptions): Promise<pl.DataFrame> {
  checkOptions(o, ACROSS_OPTIONS, { owner: "fixedAcrossMarkets" });
  const base = o.steps === undefined ? {} : { steps: o.steps };
  const out: pl.DataFrame[] = [];
  for (const cond of o.conditions ?? STUDY_CONDITIONS) {
    const f = await fixedDynamicStudy({
      populations: [ORDER_POPULATIONS[0]],
      takers: ORDER_TAKERS,
      games: [{ label: GAME1, game: { kind: "known", size: 8_000 } }],
      seeds: o.seeds,
      settings: {
        episodes: 1,
        evalEpisodes: o.evalEpisodes,
        stepTakers: [],
        game: applyCondition({ ...base }, cond.conditions),
      },
      workers: o.workers,
      progress: o.progress,
    });
    out.push(withCol(f.makers, "condition", cond.label));
  }
  return concat(out);
}
