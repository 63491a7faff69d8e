/**
 * Running a training plan and checking its outputs.
 *
 * {@linkcode trainSuite} runs every job of a plan on Web Workers (`lib/sweep`; the results do not
 * depend on the number of workers), and writes into its output folder:
 * - one checkpoint per job, `<label>_<condition>_s<seed>.json` (`lib/agents/checkpoint.ts`);
 * - `train_curves.parquet`: one row per training episode (`agent`, `condition`, `seed`,
 *   `episode`, `step`, `copy`, `return`, `pnl`, `length`);
 * - `eval_curves.parquet`: one row per greedy evaluation episode (`agent`, `condition`, `seed`,
 *   `step`, `episode`, `return`, `pnl`, `sharpe`, `maxDrawdown`, `inventoryVariance`,
 *   `meanAbsInventory`, `inventorySquares`, `fills`, `adverse5`, `zero5`, `markout5`);
 * - `manifest.json`: the plan's hash and each model's file and configuration hash.
 *
 * With `reuse` (the default), a job whose checkpoint is already in the folder, intact, trained
 * with the configuration hash the code gives now and present in both curve files is not trained
 * again: its checkpoint and curve rows are kept (training is deterministic, so retraining it
 * would give the same bytes). So adding seeds or learners to a plan trains only the new jobs.
 *
 * {@linkcode checkModels} verifies a folder against a plan (the code's configuration): every
 * checkpoint present, intact (checksum) and trained with the configuration hash the code gives
 * now, and the curves present for every job, so stale or missing models cannot pass silently.
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync } from "node:fs";
import { sweep } from "../sweep/mod.ts";
import { bool, checkOptions, custom, fn, int, optional, str } from "../errors.ts";
import { writeFileAtomicSync } from "../io/atomic.ts";
import { readParquet, writeParquetAtomic } from "../io/parquet.ts";
import { CheckpointError, configHash, readCheckpoint } from "../agents/mod.ts";
import { jobHash, modelName, type SuiteJob, suiteJobs, type SuitePlan } from "./plan.ts";

/** The manifest's format tag. */
export const MANIFEST_FORMAT = "lobgame-models";

/** Options of {@linkcode trainSuite}. */
export interface TrainSuiteOptions {
  /** The plan. */
  readonly plan: SuitePlan;
  /** Output folder (created if missing). */
  readonly outDir: string;
  /** Web Workers. Default `navigator.hardwareConcurrency`. */
  readonly workers?: number;
  /** Print a progress line per evaluation of each job (stderr). Default false. */
  readonly log?: boolean;
  /** Called after each job, in completion order. */
  readonly onJob?: (info: { done: number; total: number; job: SuiteJob }) => void;
  /** Keep the current models already in `outDir` (see the module doc). Default true. */
  readonly reuse?: boolean;
  /** Called once before training with the jobs kept from `outDir` (reuse). */
  readonly onReuse?: (jobs: readonly SuiteJob[]) => void;
}

/** A plan, checked by `suiteJobs` (`checkPlan`). */
const PLAN = custom<SuitePlan>("a SuitePlan (checked by checkPlan)", (v) => v as SuitePlan);

const TRAIN_SUITE_OPTIONS = {
  plan: PLAN,
  outDir: str(),
  workers: optional(int(0, 1024)),
  log: optional(bool(), false),
  onJob: optional(fn<NonNullable<TrainSuiteOptions["onJob"]>>("a function ({done, total, job})")),
  reuse: optional(bool(), true),
  onReuse: optional(fn<NonNullable<TrainSuiteOptions["onReuse"]>>("a function (jobs)")),
};

/** The two curve frames of a run. */
export interface SuiteCurves {
  /** One row per training episode. */
  readonly train: pl.DataFrame;
  /** One row per greedy evaluation episode. */
  readonly eval: pl.DataFrame;
}

const TRAIN_COLS = [
  "agent",
  "condition",
  "seed",
  "episode",
  "step",
  "copy",
  "return",
  "pnl",
  "length",
];
const EVAL_COLS = [
  "agent",
  "condition",
  "seed",
  "step",
  "episode",
  "return",
  "pnl",
  "sharpe",
  "maxDrawdown",
  "inventoryVariance",
  "meanAbsInventory",
  "inventorySquares",
  "fills",
  "adverse5",
  "zero5",
  "markout5",
];
const INT_COLS = ["seed", "episode", "step", "copy", "length", "fills"];

function table(df: pl.DataFrame, name: string, cols: string[]): pl.DataFrame {
  const rows = df.filter(pl.col("table").eq(pl.lit(name))).select(...cols);
  return rows.withColumns(
    ...cols.filter((c) => INT_COLS.includes(c)).map((c) => pl.col(c).cast(pl.Int32)),
  );
}

/** The manifest of a plan's models: the plan hash and each job's file and hash. */
export function manifest(plan: SuitePlan, outDir: string) {
  const jobs = suiteJobs(plan, outDir);
  const models = jobs.map((j) => ({
    file: modelName(j),
    agent: j.agent.label,
    learner: j.agent.learner,
    condition: j.condition,
    seed: j.seed,
    steps: j.agent.steps,
    configHash: jobHash(j),
  }));
  const planHash = configHash({ kind: "plan", config: models.map((m) => [m.file, m.configHash]) });
  return { format: MANIFEST_FORMAT, version: 1, planHash, models };
}

/** The key of a job's curve rows and checkpoint: `<label>_<condition>_s<seed>.json`. */
const rowKey = (r: Record<string, unknown>) => `${r.agent}_${r.condition}_s${r.seed}.json`;

/** Reads a curve file, or null if missing or unreadable. */
async function readCurves(path: string): Promise<pl.DataFrame | null> {
  if (!existsSync(path)) return null;
  try {
    return await readParquet(path);
  } catch {
    return null;
  }
}

/** The rows of `df` whose job key is in `keys` or not in `jobs`. */
function rowsOf(
  df: pl.DataFrame,
  keys: ReadonlySet<string>,
  jobs: ReadonlySet<string>,
): pl.DataFrame {
  const mask = (df.select("agent", "condition", "seed").toRecords() as Record<string, unknown>[])
    .map((r) => keys.has(rowKey(r)) || !jobs.has(rowKey(r)));
  return df.filter(pl.Series("keep", mask));
}

/**
 * The jobs of `jobs` whose current model is already in `outDir` (see the module doc), and the
 * old curve frames (null when none is kept).
 */
async function reusable(jobs: readonly SuiteJob[], outDir: string) {
  const train = await readCurves(`${outDir}/train_curves.parquet`);
  const evals = await readCurves(`${outDir}/eval_curves.parquet`);
  if (train === null || evals === null) return { kept: new Set<string>(), train, evals };
  const keysOf = (df: pl.DataFrame) =>
    new Set(
      (df.select("agent", "condition", "seed").unique().toRecords() as Record<string, unknown>[])
        .map(rowKey),
    );
  const inTrain = keysOf(train), inEval = keysOf(evals);
  const kept = new Set<string>();
  for (const j of jobs) {
    const file = modelName(j);
    const path = `${outDir}/${file}`;
    if (!existsSync(path) || !inTrain.has(file) || !inEval.has(file)) continue;
    try {
      const cp = readCheckpoint(path);
      if (cp.configHash === jobHash(j) && cp.state.steps >= j.agent.steps) kept.add(file);
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
    }
  }
  return { kept, train, evals };
}

/** Trains every job of `options.plan` and writes the outputs (see the module doc). */
export async function trainSuite(options: TrainSuiteOptions): Promise<SuiteCurves> {
  const { plan, outDir, ...o } = checkOptions(options, TRAIN_SUITE_OPTIONS, {
    owner: "trainSuite",
  });
  const all = suiteJobs(plan, outDir).map((j) => ({ ...j, log: o.log }));
  const old = o.reuse
    ? await reusable(all, outDir)
    : { kept: new Set<string>(), train: null, evals: null };
  const jobs = all.filter((j) => !old.kept.has(modelName(j)));
  o.onReuse?.(all.filter((j) => old.kept.has(modelName(j))));
  Deno.mkdirSync(outDir, { recursive: true });
  const df = jobs.length === 0 ? null : await sweep({
    module: new URL("./job.ts", import.meta.url),
    fn: "trainJob",
    jobs,
    workers: o.workers,
    onResult: ({ index, done, total }) => o.onJob?.({ done, total, job: jobs[index] }),
  });
  // The old rows kept: those of the jobs kept, and those of jobs outside this call (a plan cut
  // with `--only` leaves the other learners' models and curves as they were).
  const inCall = new Set(all.map(modelName));
  const keep = (df: pl.DataFrame) => rowsOf(df, old.kept, inCall);
  const merge = (name: string, cols: string[], before: pl.DataFrame | null) => {
    const parts = [
      ...(before !== null ? [keep(before.select(...cols))] : []).filter((d) => d.height > 0),
      ...(df === null ? [] : [table(df, name, cols)]),
    ];
    return parts.length === 1 ? parts[0] : pl.concat(parts, { how: "vertical" });
  };
  const curves = {
    train: merge("train", TRAIN_COLS, old.train),
    eval: merge("eval", EVAL_COLS, old.evals),
  };
  await writeParquetAtomic(curves.train, `${outDir}/train_curves.parquet`);
  await writeParquetAtomic(curves.eval, `${outDir}/eval_curves.parquet`);
  writeFileAtomicSync(
    `${outDir}/manifest.json`,
    JSON.stringify(manifest(plan, outDir), null, 2) + "\n",
  );
  return curves;
}

/** What {@linkcode checkModels} found. */
export interface ModelsCheck {
  /** No problem found. */
  readonly ok: boolean;
  /** One sentence per problem, naming the file. */
  readonly problems: readonly string[];
  /** Checkpoints checked. */
  readonly models: number;
}

/**
 * Checks the models in `dir` against `plan` (see the module doc). Never throws for a problem
 * with the files: each becomes a sentence of `problems`.
 */
export async function checkModels(options: { plan: SuitePlan; dir: string }): Promise<ModelsCheck> {
  const { plan, dir } = checkOptions(options, { plan: PLAN, dir: str() }, { owner: "checkModels" });
  const problems: string[] = [];
  const want = manifest(plan, dir);
  const mPath = `${dir}/manifest.json`;
  if (!existsSync(mPath)) problems.push(`${mPath}: missing`);
  else {
    try {
      const m = JSON.parse(Deno.readTextFileSync(mPath));
      if (m.planHash !== want.planHash) {
        problems.push(
          `${mPath}: plan hash ${String(m.planHash).slice(0, 12)}… differs from the code's ` +
            `${want.planHash.slice(0, 12)}…: the plan changed since the models were trained`,
        );
      }
    } catch (e) {
      problems.push(`${mPath}: not valid JSON: ${(e as Error).message}`);
    }
  }
  for (const m of want.models) {
    const path = `${dir}/${m.file}`;
    if (!existsSync(path)) {
      problems.push(`${path}: missing`);
      continue;
    }
    try {
      const cp = readCheckpoint(path);
      if (cp.configHash !== m.configHash) {
        problems.push(
          `${path}: stale: trained with configuration hash ${cp.configHash.slice(0, 12)}…, ` +
            `the code's configuration gives ${m.configHash.slice(0, 12)}…`,
        );
      } else if (cp.state.steps < m.steps) {
        problems.push(`${path}: trained for ${cp.state.steps} steps, the plan asks ${m.steps}`);
      }
    } catch (e) {
      if (e instanceof CheckpointError) problems.push(e.message);
      else throw e;
    }
  }
  for (
    const [file, final] of [["train_curves.parquet", false], ["eval_curves.parquet", true]] as const
  ) {
    const path = `${dir}/${file}`;
    if (!existsSync(path)) {
      problems.push(`${path}: missing`);
      continue;
    }
    let df: pl.DataFrame;
    try {
      df = await readParquet(path);
    } catch (e) {
      problems.push(`${path}: not readable as Parquet: ${(e as Error).message}`);
      continue;
    }
    const keys = new Set(
      (df.select("agent", "condition", "seed").unique().toRecords() as Record<string, unknown>[])
        .map((r) => `${r.agent}_${r.condition}_s${r.seed}.json`),
    );
    for (const m of want.models) {
      if (!keys.has(m.file)) problems.push(`${path}: no rows for ${m.file}`);
    }
    if (final && df.height > 0) {
      const last = df.groupBy("agent", "condition", "seed").agg(pl.col("step").max().alias("last"));
      for (const r of last.toRecords() as Record<string, number | string>[]) {
        const m = want.models.find((x) =>
          x.agent === r.agent && x.condition === r.condition && x.seed === r.seed
        );
        if (m && Number(r.last) < m.steps) {
          problems.push(
            `${path}: ${m.file} was last evaluated at step ${r.last}, before the end (${m.steps})`,
          );
        }
      }
    }
  }
  return { ok: problems.length === 0, problems, models: want.models.length };
}
