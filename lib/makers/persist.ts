/**
 * Saving and reloading training runs, so notebooks can reuse trained makers without retraining.
 *
 * A run is saved as a folder (under `data/`, e.g. `data/runs/02_passive`):
 *
 * - `records.parquet`: the per (episode, agent) training records;
 * - `maker0.qtable`, `maker1.qtable`, …, `taker.qtable`: each learner's Q-table and visit
 *   counts (`saveQTable`), with the learner's options in the file's metadata;
 * - `run.json`: label, configuration (plain data), episodes, checks, convergence verdict,
 *   final evaluation PnL, and the list of learners with their files.
 *
 * Every file is written atomically (temporary name, then rename).
 *
 * {@linkcode greedyPolicies} turns a run (trained or loaded) into game policy specs that replay
 * the learners' greedy policies, for `createGame`/`playEpisodes`; {@linkcode initialTables}
 * turns it into `trainMakers({init})` to continue training.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { writeFileAtomic } from "../io/atomic.ts";
import { readParquet, writeParquetAtomic } from "../io/parquet.ts";
import {
  arrayOf,
  at,
  bool,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  int,
  numbers,
  object,
  optional,
  str,
} from "../errors.ts";
import { type MakerPolicySpec, resolveConfig } from "../game/mod.ts";
import { loadQTable, saveQTable } from "../learn/mod.ts";
import type { TakerSpec } from "../takers/mod.ts";
import { qMaker, type QMakerOptions } from "./q_maker.ts";
import { qTaker, type QTakerOptions } from "./q_taker.ts";
import type {
  ConvergenceReport,
  InitialTable,
  MakersTrainResult,
  TrainGameConfig,
} from "./train.ts";

/** A learner as saved and reloaded. */
export interface SavedLearner {
  /** `"maker:<i>"` or `"taker"`. */
  readonly agent: string;
  /** Maker index, or −1 for the taker. */
  readonly index: number;
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** Action names. */
  readonly actionNames: readonly string[];
  /** The action played greedily in unvisited states. */
  readonly fallback: number;
  /** Options it was built with (state edges, learner settings, …). */
  readonly options: Record<string, unknown>;
  /** Q-table. */
  readonly table: Float64Array;
  /** Visit counts. */
  readonly visits: Float64Array;
}

/** A run reloaded by {@linkcode loadRun} (the same fields as a `MakersTrainResult` that matter). */
export interface LoadedRun {
  /** Label. */
  readonly label: string;
  /** The training configuration, as data. */
  readonly config: Record<string, unknown>;
  /** Training episodes played. */
  readonly episodes: number;
  /** Checks done. */
  readonly checks: number;
  /** Convergence verdict. */
  readonly convergence: ConvergenceReport;
  /** Mean evaluation PnL at the last check. */
  readonly final: { readonly makerPnl: readonly number[]; readonly takerPnl: number };
  /** Training records. */
  readonly records: pl.DataFrame;
  /** The learners. */
  readonly learners: readonly SavedLearner[];
}

/**
 * The schema of one `trainMakers({init})` entry ({@linkcode InitialTable}), for `trainMakers` to check its
 * `init` with (`init[0].tabel` is then an unknown key with a suggestion).
 */
export const INITIAL_TABLE = {
  agent: str(),
  table: numbers(),
  visits: optional(numbers({ lo: 0 })),
};

/** Throws `ConfigError` unless `run` looks like a `MakersTrainResult` or a `LoadedRun`. */
export function checkRun(run: unknown): MakersTrainResult | LoadedRun {
  const allowed = "a training run (from trainMakers, coLearn or loadRun)";
  const r = checkObject("run", run, allowed);
  if (!Array.isArray(r.learners) || typeof r.config !== "object" || r.config === null) {
    throw new ConfigError("run", allowed, run);
  }
  return run as MakersTrainResult | LoadedRun;
}

const fileOf = (agent: string) => `${agent.replace(":", "")}.qtable`;

/**
 * Saves a training run to folder `dir` (created if missing).
 *
 * @example
 * ```ts
 * import { loadRun, saveRun, trainMakers } from "./mod.ts";
 * const run = trainMakers({ game: { makers: 1, steps: 5, seed: 1 }, episodes: 20, evalEpisodes: 1 });
 * const dir = await Deno.makeTempDir();
 * await saveRun(dir, run);
 * const back = await loadRun(dir);
 * if (back.records.height !== run.records.height) throw new Error("records");
 * if (back.learners[0].table.join() !== run.learners[0].table.join()) throw new Error("table");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveRun(dir: string, run: MakersTrainResult | LoadedRun): Promise<void> {
  if (typeof dir !== "string" || dir === "") throw new ConfigError("dir", "a folder path", dir);
  checkRun(run);
  await writeParquetAtomic(run.records, `${dir}/records.parquet`);
  const learners = [];
  for (const l of run.learners) {
    const file = fileOf(l.agent);
    await saveQTable(`${dir}/${file}`, {
      nStates: l.nStates,
      nActions: l.nActions,
      table: l.table,
      visits: l.visits,
      meta: { agent: l.agent, options: l.options },
    });
    learners.push({
      agent: l.agent,
      index: l.index,
      nStates: l.nStates,
      nActions: l.nActions,
      actionNames: l.actionNames,
      fallback: l.fallback,
      options: l.options,
      file,
    });
  }
  const meta = {
    format: "makers-run/1",
    label: run.label,
    config: run.config,
    episodes: run.episodes,
    checks: run.checks,
    convergence: run.convergence,
    final: run.final,
    learners,
  };
  const json = JSON.stringify(
    meta,
    (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
    1,
  );
  await writeFileAtomic(`${dir}/run.json`, new TextEncoder().encode(json));
}

const NUMBER_OR_NULL = custom("a number or null", (v, path) => {
  if (v !== null && typeof v !== "number") throw new ConfigError(path, "a number or null", v);
  return v as number | null;
});

/** The schema of `run.json` (errors name the file and the path inside it). */
const RUN_JSON = {
  format: custom('"makers-run/1" (a run saved by saveRun)', (v, path) => {
    if (v !== "makers-run/1") {
      throw new ConfigError(path, '"makers-run/1" (a run saved by saveRun)', v);
    }
    return v;
  }),
  label: str({ empty: true }),
  config: custom("an object", (v, path) => checkObject(path, v)),
  episodes: int(0, Number.MAX_SAFE_INTEGER),
  checks: int(0, Number.MAX_SAFE_INTEGER),
  convergence: custom("a convergence report", (v, path) => {
    const c = checkObject(path, v, "a convergence report");
    arrayOf(NUMBER_OR_NULL).check(c.changes, at(path, "changes"));
    return c;
  }),
  final: object({ makerPnl: arrayOf(NUMBER_OR_NULL), takerPnl: NUMBER_OR_NULL }),
  learners: arrayOf(object({
    agent: str(),
    index: int(-1, 63),
    nStates: int(1, 0x7fffffff),
    nActions: int(1, 0xffff),
    actionNames: arrayOf(str()),
    fallback: int(0, 0xffff),
    options: custom("an object", (v, path) => checkObject(path, v)),
    file: str(),
  })),
};

/** Loads a run saved by {@linkcode saveRun}; a file that is not one names the file and field. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  if (typeof dir !== "string" || dir === "") throw new ConfigError("dir", "a folder path", dir);
  const file = `${dir}/run.json`;
  let meta: ReturnType<typeof checkOptions<typeof RUN_JSON>>;
  try {
    meta = checkOptions(JSON.parse(await Deno.readTextFile(file)), RUN_JSON);
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigError(file, "a JSON file", e.message);
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(`${file}: ${e.field}`, e.allowed, e.got);
  }
  const records = await readParquet(`${dir}/records.parquet`);
  const learners: SavedLearner[] = [];
  for (const l of meta.learners) {
    const q = await loadQTable(`${dir}/${l.file}`);
    if (q.nStates !== l.nStates || q.nActions !== l.nActions || q.visits === undefined) {
      throw new ConfigError(
        `${dir}/${l.file}`,
        `a ${l.nStates} × ${l.nActions} table with visits`,
        [
          q.nStates,
          q.nActions,
        ],
      );
    }
    learners.push({ ...l, table: q.table, visits: q.visits });
  }
  const nan = (x: number | null) => (x === null ? NaN : x);
  const convergence = meta.convergence as unknown as ConvergenceReport;
  return {
    label: meta.label,
    config: meta.config,
    episodes: meta.episodes,
    checks: meta.checks,
    convergence: {
      ...convergence,
      changes: (convergence.changes as (number | null)[]).map(nan),
    },
    final: { makerPnl: meta.final.makerPnl.map(nan), takerPnl: nan(meta.final.takerPnl) },
    records,
    learners,
  };
}

/**
 * Game policy specs that replay a run's agents: each Q-learning maker as its greedy policy
 * (`mode: "greedy"`, fallback in unvisited states), each baseline maker as its spec; the taker
 * likewise if it learned (otherwise `taker` is undefined: choose any strategy). With `learn:
 * true`, the learners keep learning from their tables instead.
 *
 * @example
 * ```ts
 * import { playEpisodes } from "../game/mod.ts";
 * import { greedyPolicies, trainMakers } from "./mod.ts";
 * const game = { makers: 2, steps: 10, seed: 3 };
 * const run = trainMakers({ game, policy: [{ kind: "q" }, { kind: "replenisher" }], episodes: 30 });
 * const { policy } = greedyPolicies(run);
 * const res = playEpisodes({ ...game, policy, taker: { kind: "aggressive" } }, { episodes: 2 });
 * if (res.summaries[0].makerPolicy.join() !== "q,replenisher") throw new Error();
 * ```
 */
export function greedyPolicies(
  run: MakersTrainResult | LoadedRun,
  options: { learn?: boolean } = {},
): { policy: MakerPolicySpec[]; taker: TakerSpec | undefined } {
  checkRun(run);
  const { learn } = checkOptions(options, { learn: optional(bool(), false) }, {
    owner: "greedyPolicies",
  });
  const mode = learn ? "learn" : "greedy";
  const cfg = run.config as { game?: TrainGameConfig; policy?: unknown };
  const n = resolveConfig(cfg.game ?? {}).makers;
  const specs = Array.isArray(cfg.policy)
    ? cfg.policy
    : Array.from({ length: n }, () => cfg.policy ?? { kind: "q" });
  const policy: MakerPolicySpec[] = specs.map((spec, i) => {
    const l = run.learners.find((x) => x.agent === `maker:${i}`);
    if (l === undefined) {
      if (spec === null || typeof spec !== "object" || (spec as { kind?: string }).kind === "q") {
        throw new ConfigError(`policy[${i}]`, "a saved baseline spec or a saved learner", spec);
      }
      return spec as MakerPolicySpec;
    }
    // The saved options carry the spec's `kind: "q"`, which the maker's options do not have; runs
    // saved before the game's context carried the maker count also saved it here.
    const { kind: _kind, makers: _n, ...o } = l.options as unknown as QMakerOptions & {
      makers?: number;
      kind?: string;
    };
    return qMaker({ ...o, mode, table: l.table, visits: l.visits });
  });
  const t = run.learners.find((x) => x.agent === "taker");
  const { kind: _kind, ...tOptions } = (t?.options ?? {}) as QTakerOptions & { kind?: string };
  const taker = t === undefined
    ? undefined
    : qTaker({ ...tOptions, mode, table: t.table, visits: t.visits });
  return { policy, taker };
}

/** A run's learners as `trainMakers({init})` tables, to continue training from them. */
export function initialTables(run: MakersTrainResult | LoadedRun): InitialTable[] {
  checkRun(run);
  return run.learners.map((l) => ({ agent: l.agent, table: l.table, visits: l.visits }));
}
