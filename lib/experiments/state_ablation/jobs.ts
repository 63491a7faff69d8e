/**
 * The state ablation's jobs (`deno task study:state-ablation`): the convergence study's training
 * jobs (`trainJob` of `lib/experiments/convergence`) with the makers' state varied, and the exact
 * check of `lib/makers/exact.ts` repeated with the same state additions
 * ({@linkcode exactStateJob}).
 *
 * ## Tables
 * - `runs`, `checks`: the convergence study's (`lib/experiments/convergence/jobs.ts`), one row per
 *   training job and per check; `variant` labels the state.
 * - `exact` (one per exact-check job): `variant`, `taker`, `seed`, `steps`, `episodes` (trained),
 *   `learner_states` (the learner's state count over the reachable true states), `true_states`
 *   (reachable), `aliased`, `conflicts`, `markov` (`markovReport`), `optimal` (V*), `learned`
 *   (the greedy policy's return), `gap`, `relative_gap`, `within_tolerance`, `converged`.
 *
 * @example
 * ```ts
 * import { ablationStudy, exactStateJob } from "./jobs.ts";
 * const rows = exactStateJob({
 *   kind: "exact", variant: "spec+resting", state: { resting: [100, 200] },
 *   taker: { label: "TWAP", taker: { kind: "passive" } }, seed: 0, steps: 3, episodes: 300,
 * });
 * const f = ablationStudy.fromRows(rows);
 * if (f.exact.height !== 1 || !(Number(rows[0].gap) >= -1e-9)) throw new Error();
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import { anything, checkOneOf, checkOptions, type Field, int, str } from "../../errors.ts";
import {
  exactCheck,
  makerEncoder,
  type MakerStateOptions,
  smallExactConfig,
} from "../../makers/mod.ts";
import { defineStudy, type Study } from "../../sweep/mod.ts";
import { takerCase } from "../_fields.ts";
import type { CompetitionTaker } from "../competition/jobs.ts";
import {
  type ConvergenceRow,
  convergenceStudy,
  type TrainJob,
  trainJob,
} from "../convergence/jobs.ts";

/** One exact-check job: the small game of `smallExactConfig` with the learner's state extended. */
export interface ExactStateJob {
  /** Job kind. */
  readonly kind: "exact";
  /** Label of the state variant. */
  readonly variant: string;
  /** Edges added to (or replacing) the small game's state (`lib/makers/state.ts`). */
  readonly state: MakerStateOptions;
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Root seed (only the learner's exploration depends on it). */
  readonly seed: number;
  /** Steps of the small game, in [1, 8]. */
  readonly steps: number;
  /** Training episodes. */
  readonly episodes: number;
}

/** A job of the ablation: a training run or an exact check. */
export type AblationJob = TrainJob | ExactStateJob;

const EXACT_STATE_JOB = {
  kind: str(),
  variant: str(),
  state: anything("bucket edges (checked by lib/makers/state.ts)"),
  taker: takerCase("exactStateJob"),
  seed: int(0, 2 ** 31 - 1),
  steps: int(1, 8),
  episodes: int(1, 1e9),
} satisfies Record<keyof ExactStateJob, Field<unknown>>;

/**
 * The exact check (`exactCheck(smallExactConfig(...))`) with the learner's state edges `state`
 * spread over the small game's own: one `exact` row (module doc).
 */
export function exactStateJob(job: ExactStateJob): ConvergenceRow[] {
  checkOptions(job, EXACT_STATE_JOB, { owner: "exactStateJob" });
  const cfg = smallExactConfig({
    steps: job.steps,
    taker: job.taker.taker,
    episodes: job.episodes,
  });
  const state = { ...(cfg.maker?.state ?? {}), ...job.state };
  const r = exactCheck({
    ...cfg,
    game: { ...cfg.game, seed: job.seed },
    maker: { ...cfg.maker, state },
  });
  const enc = makerEncoder({ state, makers: 1, sizeVisible: true });
  return [{
    table: "exact",
    variant: job.variant,
    taker: job.taker.label,
    seed: job.seed,
    steps: r.optimum.steps,
    episodes: r.run.episodes,
    states: enc.nStates,
    learner_states: r.markov.learnerStates,
    true_states: r.markov.trueStates,
    aliased: r.markov.aliased,
    conflicts: r.markov.conflicts,
    markov: r.markov.isMarkov,
    optimal: r.optimal,
    learned: r.learned,
    gap: r.gap,
    relative_gap: r.relativeGap,
    within_tolerance: r.withinTolerance,
    converged: r.run.convergence.met,
  }];
}

/** Runs one job of either kind (the scaffold's job function). */
export function ablationJob(job: AblationJob): ConvergenceRow[] {
  const kind = checkOneOf("job.kind", (job as { kind?: unknown })?.kind, ["train", "exact"]);
  return kind === "train" ? trainJob(job as TrainJob) : exactStateJob(job as ExactStateJob);
}

const T = convergenceStudy.spec.tables;

/** The ablation's tables (columns as in the module doc). */
export const ablationStudy: Study<AblationJob, keyof AblationFrames> = defineStudy({
  module: import.meta.url,
  fn: "ablationJob",
  tables: {
    runs: T.runs,
    checks: T.checks,
    exact: {
      columns: {
        variant: "str",
        taker: "str",
        seed: "int",
        steps: "int",
        episodes: "int",
        states: "int",
        learner_states: "int",
        true_states: "int",
        aliased: "int",
        conflicts: "int",
        markov: "bool",
        optimal: "float",
        learned: "float",
        gap: "float",
        relative_gap: "float",
        within_tolerance: "bool",
        converged: "bool",
      },
      sort: ["variant", "taker", "seed"],
    },
  },
});

/** The ablation's frames. */
export interface AblationFrames {
  /** One row per training job. */
  readonly runs: pl.DataFrame;
  /** One row per check of every training job. */
  readonly checks: pl.DataFrame;
  /** One row per exact-check job. */
  readonly exact: pl.DataFrame;
}
