/**
 * The robustness study (issue 11): the data of notebooks 03 and 06 on the spec's game (several
 * orders per maker, the taker arriving at a random step), with noise flow on (market randomness
 * in every interval), the best fixed rule as the reference baseline, and the headline comparisons
 * repeated in every market of `STUDY_CONDITIONS`. Too long for the reproduction, it runs as its own
 * task (`deno task study:robustness`) and its tables are committed under `data/robustness/`
 * with the hash of the configuration that made them ({@linkcode robustnessHash}).
 *
 * ## Parts (each batch's tables are written as soon as it is done)
 * 1. **best** (`lib/experiments/fixed_rules`): the best fixed rule (44 replenishers and
 *    followers, search seeds disjoint from the evaluation) per (game, taker, condition) for one
 *    maker: game 2 and game 1 (Q = 8,000), notebook 03's four takers, every study condition;
 *    and for notebook 06's three takers in game 1 under both order rules (`orders: "multi"` and
 *    `"single"`) with one maker and with two (symmetric). Tables `best`, `candidates`.
 * 2. **learn** (`lib/experiments/game_learning`): notebook 03's learners. In the headline market
 *    (`noise`): game 2 (size hidden) and game 1 at Q = 4,000, 8,000 and 12,000 against the four
 *    takers; in every other condition game 2 only. Run in priority order: the headline's game 2,
 *    then part 3, then game 1 at the sizes, then the other conditions one by one. Each learner is tested with the baselines
 *    (replenisher, follower, random, no maker) and the cell's best fixed rule (`"best fixed"`),
 *    on the common test seeds `test:<seed>`. Tables `learn_tests`, `learn_runs`, `learn_curves`,
 *    `learn_maps` (headline market only), each with a `condition` column.
 * 3. **orders** (`lib/experiments/fixed_vs_dynamic`): notebook 06's populations in game 1 with
 *    noise, under each order rule (an `orders` column): 1R+1F, 2R+1F, 1R+2F (nothing learns) and
 *    1R+1Q (the Q-learner trained against the taker it plays). Tables `fd_makers`, `fd_steps`,
 *    `fd_train`.
 *
 * Everything is plain data ({@linkcode robustnessConfig}); the same configuration gives the same
 * tables (the jobs are deterministic, and do not depend on the number of workers).
 *
 * @module
 */
import pl from "nodejs-polars";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  arrayOf,
  checkOptions,
  type Field,
  FileError,
  fn,
  int,
  object,
  oneOf,
  optional,
  str,
} from "../../errors.ts";
import { readParquet } from "../../io/mod.ts";
import { PROJECT_ROOT } from "../../report/io.ts";
import {
  applyCondition,
  CONDITION_NAMES,
  type ConditionName,
  type GameSpec,
  type MakerPolicySpec,
  type OrdersRule,
  STUDY_CONDITIONS,
} from "../../game/mod.ts";
import type { StudyRunOptions } from "../../sweep/mod.ts";
import { STUDY_RUN_OPTIONS } from "../_fields.ts";
import { bestFixedRules } from "../fixed_rules/mod.ts";
import {
  type BaselineCase,
  DEFAULT_BASELINES,
  makerLearnJobs,
  makerLearnStudy,
} from "../game_learning/mod.ts";
import { fixedDynamicStudy, type Population } from "../fixed_vs_dynamic/mod.ts";
import type { TakerCase } from "../market/mod.ts";

/** Notebook 03's takers. */
export const LEARN_TAKERS: readonly TakerCase[] = Object.freeze([
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "passive", taker: { kind: "passive" } },
  { label: "reactive", taker: { kind: "reactive" } },
  { label: "almgren-chriss", taker: { kind: "almgren-chriss" } },
]);

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

/** The game labels of the study. */
export const GAME1 = "game 1", GAME2 = "game 2";

/** The sizes at which the maker that knows Q is compared (notebook 03). */
export const SIZES = Object.freeze([4_000, 8_000, 12_000]);

/** The label of the best fixed rule among the tested policies. */
export const BEST_FIXED = "best fixed";

/** The study's budgets (plain data). */
export interface RobustnessConfig {
  /** Learner seeds in the headline market (`noise`), game 2. */
  readonly seeds: number;
  /** Learner seeds of game 1 at each size (headline market). */
  readonly sizeSeeds: number;
  /** Learner seeds in each other condition (game 2). */
  readonly conditionSeeds: number;
  /** Seeds of notebook 06's populations (per order rule). */
  readonly orderSeeds: number;
  /** Training episodes of every learner. */
  readonly episodes: number;
  /** Test episodes per (policy, test game, seed). */
  readonly testEpisodes: number;
  /** Evaluation episodes per (population, taker, seed) in part 3. */
  readonly orderEvalEpisodes: number;
  /** Search episodes per rule and held-out evaluation episodes of the best rule. */
  readonly searchEpisodes: number;
  /** Held-out evaluation episodes of the best rule. */
  readonly evalEpisodes: number;
  /** The markets: `STUDY_CONDITIONS` (labels and the conditions applied). */
  readonly conditions: readonly { label: string; conditions: readonly ConditionName[] }[];
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
      orderSeeds: 2,
      episodes: 40,
      testEpisodes: 3,
      orderEvalEpisodes: 2,
      searchEpisodes: 2,
      evalEpisodes: 3,
      conditions: STUDY_CONDITIONS.slice(0, 2),
      steps: 12,
    }
    : {
      seeds: 20,
      sizeSeeds: 20,
      conditionSeeds: 4,
      orderSeeds: 20,
      episodes: 5_000,
      testEpisodes: 30,
      orderEvalEpisodes: 10,
      searchEpisodes: 20,
      evalEpisodes: 40,
      conditions: STUDY_CONDITIONS,
    };
}

/** Bumped when a change of code changes what the same configuration produces. */
export const ROBUSTNESS_VERSION = 2;

/** The command that makes the committed outputs. */
export const ROBUSTNESS_COMMAND = "deno task study:robustness";

/** SHA-256 of the configuration's JSON and the version (what the committed manifest records). */
export function robustnessHash(config: RobustnessConfig, version = ROBUSTNESS_VERSION): string {
  return createHash("sha256").update(JSON.stringify({ version, config })).digest("hex");
}

/** The tables of the study, by name (see the module doc). */
export type RobustnessTables = Record<string, pl.DataFrame>;

/** Options of {@linkcode runRobustness}. */
export interface RunRobustnessOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** The budgets. */
  readonly config: RobustnessConfig;
  /** Called with each part's tables as soon as the part is done. */
  readonly onPart?: (part: string, tables: RobustnessTables) => Promise<void> | void;
  /** The parts to run (default all: `best`, `learn`, `orders`; `learn` needs `best`). */
  readonly parts?: readonly string[];
}

const withCol = (df: pl.DataFrame, name: string, value: string) =>
  df.withColumn(pl.lit(value).alias(name));

const concat = (dfs: pl.DataFrame[]) =>
  dfs.length === 1 ? dfs[0] : pl.concat(dfs.filter((d) => d.height > 0), { how: "diagonal" });

/** The best rule's policy spec from a `best` row. */
export function bestRuleSpec(row: Record<string, unknown>): MakerPolicySpec {
  return row.kind === "replenisher"
    ? { kind: "replenisher", offset: Number(row.offset), qty: Number(row.qty) }
    : { kind: "follower", offset: Number(row.offset), share: Number(row.share) };
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
    orderSeeds: COUNT,
    episodes: int(1, 1e9),
    testEpisodes: COUNT,
    orderEvalEpisodes: COUNT,
    searchEpisodes: COUNT,
    evalEpisodes: int(2, 1_000_000), // a held-out interval needs two (lib/experiments/fixed_rules)
    conditions: MARKETS,
    steps: optional(int(1, 1_000_000)),
  } satisfies Record<keyof RobustnessConfig, Field<unknown>>,
  "robustness config",
);
const RUN_OPTIONS = {
  config: CONFIG,
  onPart: optional(fn<NonNullable<RunRobustnessOptions["onPart"]>>("a function (part, tables)")),
  parts: optional(arrayOf(oneOf(["best", "learn", "orders"] as const), { minLength: 1 })),
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
  const c = options.config;
  const parts = new Set(options.parts ?? ["best", "learn", "orders"]);
  const run = { workers: options.workers, progress: options.progress };
  const base = c.steps === undefined ? {} : { steps: c.steps };
  const out: RobustnessTables = {};
  const game = (spec: GameSpec, orders: OrdersRule = "multi") => ({ ...base, orders, game: spec });
  const known = (q: number): GameSpec => ({ kind: "known", size: q });
  const hidden: GameSpec = { kind: "hidden" };

  // 1. The best fixed rules.
  if (parts.has("best") || parts.has("learn")) {
    const settings = { searchEpisodes: c.searchEpisodes, evalEpisodes: c.evalEpisodes };
    const learnCells = await bestFixedRules({
      games: [
        { label: GAME2, config: game(hidden) },
        { label: GAME1, config: game(known(8_000)) },
      ],
      takers: LEARN_TAKERS,
      conditions: c.conditions.map((x) => x.conditions),
      settings,
      ...run,
    });
    const orderCells = await bestFixedRules({
      games: [
        { label: `${GAME1}, multi`, config: game(known(8_000), "multi") },
        { label: `${GAME1}, single`, config: game(known(8_000), "single") },
      ],
      takers: ORDER_TAKERS,
      conditions: [c.conditions[0].conditions],
      ns: [1, 2],
      settings,
      ...run,
    });
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

  // 3. Notebook 06's populations under each order rule.
  const runOrders = async () => {
    const tables: Record<string, pl.DataFrame[]> = { makers: [], steps: [], train: [] };
    for (const orders of ["multi", "single"] as const) {
      const gameOpts = { ...applyCondition({ ...base }, c.conditions[0].conditions), orders };
      const f = await fixedDynamicStudy({
        populations: ORDER_POPULATIONS,
        takers: ORDER_TAKERS,
        games: [{ label: GAME1, game: known(8_000) }],
        seeds: c.orderSeeds,
        settings: {
          episodes: c.episodes,
          evalEpisodes: c.orderEvalEpisodes,
          stepTakers: ["aggressive", "TWAP"],
          game: gameOpts,
        },
        ...run,
      });
      for (const k of Object.keys(tables)) {
        tables[k].push(withCol(f[k as keyof typeof f], "orders", orders));
      }
    }
    const part = Object.fromEntries(
      Object.entries(tables).map(([k, v]) => [`fd_${k}`, concat(v)]),
    );
    Object.assign(out, part);
    await options.onPart?.("orders", part);
  };
  // 2. Notebook 03's learners: the headline market's game 2, then game 1 at each size, then game 2
  // in each other condition (each batch written when done).
  const learnTables: Record<string, pl.DataFrame[]> = { tests: [], runs: [], curves: [], maps: [] };
  const bestOf = (g: string, taker: string, cond: string): BaselineCase => {
    const r = (out.best.toRecords() as Record<string, unknown>[]).find((x) =>
      x.study === "learn" && x.game === g && x.taker === taker && x.condition === cond
    );
    if (!r) throw new Error(`no best rule for ${g}, ${taker}, ${cond}`);
    return { label: BEST_FIXED, spec: bestRuleSpec(r) };
  };
  const hiddenAt = (q: number): GameSpec => ({ kind: "hidden", size: { kind: "fixed", value: q } });
  const g1Label = (q: number) => (q === 8_000 ? GAME1 : `${GAME1}, Q=${q}`);
  const learnBatch = async (
    cond: RobustnessConfig["conditions"][number],
    kind: "game2" | "sizes",
  ) => {
    const headline = cond.label === c.conditions[0].label;
    const gameOptions = { ...applyCondition({ ...base }, cond.conditions) };
    const settings = { episodes: c.episodes, testEpisodes: c.testEpisodes, gameOptions };
    const baselines = (g: string, t: string) => [
      ...DEFAULT_BASELINES,
      ...(g === "" ? [] : [bestOf(g, t, cond.label)]),
    ];
    const jobs = kind === "game2"
      ? LEARN_TAKERS.flatMap((taker) =>
        makerLearnJobs({
          games: [{ label: GAME2, game: hidden }],
          takers: [taker],
          seeds: headline ? c.seeds : c.conditionSeeds,
          settings: { ...settings, baselines: baselines(GAME2, taker.label), map: headline },
          tests: {
            [GAME2]: [
              { label: "own", game: hidden },
              ...(headline ? SIZES.map((q) => ({ label: `Q=${q}`, game: hiddenAt(q) })) : []),
            ],
          },
        })
      )
      : SIZES.flatMap((q) =>
        LEARN_TAKERS.flatMap((taker) =>
          makerLearnJobs({
            games: [{ label: g1Label(q), game: known(q) }],
            takers: [taker],
            seeds: c.sizeSeeds,
            settings: { ...settings, baselines: baselines(q === 8_000 ? GAME1 : "", taker.label) },
            tests: { [g1Label(q)]: [{ label: `Q=${q}`, game: known(q) }] },
          })
        )
      );
    const f = await makerLearnStudy({ jobs, ...run });
    for (const k of Object.keys(learnTables)) {
      const df = f[k as keyof typeof f];
      if (df.height > 0) learnTables[k].push(withCol(df, "condition", cond.label));
    }
    const part = Object.fromEntries(
      Object.entries(learnTables).map(([k, v]) => [`learn_${k}`, concat(v)]),
    );
    Object.assign(out, part);
    await options.onPart?.(`learn:${cond.label}${kind === "sizes" ? ":sizes" : ""}`, part);
  };

  if (parts.has("learn")) await learnBatch(c.conditions[0], "game2");
  if (parts.has("orders")) await runOrders();
  if (parts.has("learn")) {
    await learnBatch(c.conditions[0], "sizes");
    for (const cond of c.conditions.slice(1)) await learnBatch(cond, "game2");
  }
  return out;
}

/** The committed outputs of the study, read back (see {@linkcode loadRobustness}). */
export interface LoadedRobustness {
  /** The tables, by name. */
  readonly tables: RobustnessTables;
  /** The manifest (`config`, `hash`, `command`, `complete`, `parts`, `minutes`, `files`). */
  readonly manifest: {
    readonly config: RobustnessConfig;
    readonly hash: string;
    readonly command: string;
    readonly complete: boolean;
    readonly parts: readonly string[];
    readonly minutes: number;
    readonly files: Readonly<Record<string, { rows: number; sha256: string }>>;
  };
  /** Whether the outputs were made from another configuration than the code's. */
  readonly stale: boolean;
  /** Where they were read from. */
  readonly dir: string;
}

/**
 * Reads the committed outputs (default `<project root>/data/robustness`): the manifest, then every
 * table it lists. `stale` says whether they were made from the code's configuration
 * (`robustnessConfig()`, {@linkcode ROBUSTNESS_VERSION}). A missing manifest is a `FileError`
 * that names the command regenerating it.
 */
export async function loadRobustness(dir?: string): Promise<LoadedRobustness> {
  const d = dir ?? join(PROJECT_ROOT, "data", "robustness");
  const path = join(d, "manifest.json");
  if (!existsSync(path)) {
    throw new FileError({
      file: path,
      allowed: `the study's manifest (run \`${ROBUSTNESS_COMMAND}\`)`,
      got: "no file",
    });
  }
  const manifest = JSON.parse(Deno.readTextFileSync(path)) as LoadedRobustness["manifest"];
  const tables: RobustnessTables = {};
  for (const file of Object.keys(manifest.files)) {
    tables[file.replace(/\.parquet$/, "")] = await readParquet(join(d, file));
  }
  return { tables, manifest, stale: manifest.hash !== robustnessHash(robustnessConfig()), dir: d };
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
