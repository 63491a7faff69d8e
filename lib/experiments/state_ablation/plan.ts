/**
 * The plan of the committed state ablation (`deno task study:state-ablation`): the state
 * variants ({@linkcode STATE_VARIANTS}), the settings ({@linkcode ABLATION_PLAN}, and
 * {@linkcode quickAblationPlan} for tests and `--quick`), the job list they make
 * ({@linkcode ablationJobs}) and the committed-output spec whose hash ties the tables under
 * `data/studies/state_ablation/` to them ({@linkcode ablationOutput}). The hash covers the jobs
 * (every regime default and every variant's edges written out) and the game, background and
 * default state edges, as the convergence study's does.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  anything,
  arrayOf,
  checkOptions,
  ConfigError,
  type Field,
  int,
  object,
  str,
} from "../../errors.ts";
import { applyCondition } from "../../game/mod.ts";
import {
  DEPTH_MAKER_STATE,
  MAKER_STATE,
  type MakerStateOptions,
  RICH_MAKER_STATE,
} from "../../makers/mod.ts";
import { type CommittedSpec, loadCommitted } from "../../sweep/mod.ts";
import { takerCase } from "../_fields.ts";
import type { CompetitionTaker } from "../competition/jobs.ts";
import {
  CONVERGENCE_VERSION,
  type ConvergencePlan,
  planJobs,
  quickConvergencePlan,
  studyDefaults,
  TAKERS,
} from "../convergence/plan.ts";
import type { AblationFrames, AblationJob, ExactStateJob } from "./jobs.ts";

/** A state variant: its label and the edges it adds to the spec's state. */
export interface StateVariant {
  /** Label, e.g. `"spec+depth"`. */
  readonly label: string;
  /** Edges spread over the defaults (`{}`: the spec's state). */
  readonly state: MakerStateOptions;
}

/**
 * The five states of the ablation, smallest first: the spec's, the spec's plus each of the
 * opt-in features of `lib/makers/state.ts` with {@linkcode RICH_MAKER_STATE}'s edges (4 bins
 * each, so 4 × the states), and all three (64 ×). `"spec+depth"` is the named preset
 * `DEPTH_MAKER_STATE` of `lib/makers/state.ts`.
 */
export const STATE_VARIANTS: readonly StateVariant[] = Object.freeze([
  { label: "spec", state: {} },
  { label: "spec+depth", state: { ...DEPTH_MAKER_STATE } },
  { label: "spec+resting", state: { resting: RICH_MAKER_STATE.resting } },
  { label: "spec+queue", state: { queue: RICH_MAKER_STATE.queue } },
  { label: "spec+all", state: { ...RICH_MAKER_STATE } },
]);

/** The exact check's part of the ablation. */
export interface ExactPart {
  /** Takers (deterministic strategies). */
  readonly takers: readonly CompetitionTaker[];
  /** Seeds `0 … seeds − 1`. */
  readonly seeds: number;
  /** Steps of the small game. */
  readonly steps: number;
  /** Training episodes per check. */
  readonly episodes: number;
}

/** The settings of the state ablation. */
export interface AblationPlan {
  /** The training runs' settings (a convergence plan; its `maker` and `variant` are set here). */
  readonly training: Omit<ConvergencePlan, "maker" | "variant">;
  /** The state variants (labels distinct). */
  readonly variants: readonly StateVariant[];
  /** The exact check with each variant's edges. */
  readonly exact: ExactPart;
}

/**
 * The committed ablation: the five states × n = 1, 2 × the aggressive, passive and reactive
 * takers × 20 seeds, the converging regime's defaults on the noise market (the convergence
 * study's game), 100 greedy replay episodes per run (their noise is part of each run's PnL); and
 * the exact check (6 steps, 20,000 episodes, as notebook 02) for each variant × the three takers ×
 * 10 seeds (a check takes about a second).
 *
 * A run takes 2.3 s (n = 1) and 4–5 s (n = 2) on a quiet core; the whole study took 9.6 min on 2
 * workers at load 0.3–3 (`deno task study:state-ablation --workers 2`). A first round at 10 seeds
 * (made on a machine at load 8–13) had the spec's state one converged run short of the rule's 90 %
 * in one cell (reactive, n = 2: 8 of 10) and so picked spec+depth; at 20 seeds the spec's state
 * meets the rule in every cell and is its pick.
 */
export const ABLATION_PLAN: AblationPlan = Object.freeze({
  training: {
    ns: [1, 2],
    takers: TAKERS,
    seeds: 20,
    regime: {},
    game: applyCondition({}, ["noise"]),
    evalEpisodes: 100,
    exploitEpisodes: 0,
    impulse: { step: 0, episodes: 0 },
  },
  variants: STATE_VARIANTS,
  exact: { takers: TAKERS, seeds: 10, steps: 6, episodes: 20_000 },
});

/** A plan small enough for tests and `--quick` (fresh objects on every call). */
export function quickAblationPlan(): AblationPlan {
  const { rules: _r, ...q } = quickConvergencePlan();
  return {
    training: { ...q, exploitEpisodes: 0, impulse: { step: 0, episodes: 0 } },
    variants: structuredClone(STATE_VARIANTS.filter((v) => ["spec", "spec+all"].includes(v.label))),
    exact: { takers: [structuredClone(TAKERS[1])], seeds: 1, steps: 3, episodes: 300 },
  };
}

const VARIANT = object({ label: str(), state: anything("bucket edges") }, "ablationJobs");
const PLAN = {
  training: anything("a convergence plan (checked by planJobs)"),
  variants: arrayOf(VARIANT, { minLength: 1 }),
  exact: object({
    takers: arrayOf(takerCase("ablationJobs"), { minLength: 0 }),
    seeds: int(0, 1000),
    steps: int(1, 8),
    episodes: int(1, 1e9),
  }, "ablationJobs"),
} satisfies Record<keyof AblationPlan, Field<unknown>>;

/**
 * The jobs of a plan: the training jobs of every variant (largest n first, then variants in
 * order, then takers and seeds), then the exact checks (variant, taker, seed).
 *
 * @example
 * ```ts
 * import { ablationJobs, quickAblationPlan } from "./plan.ts";
 * const jobs = ablationJobs(quickAblationPlan());
 * const key = jobs.map((j) => j.kind === "train" ? `${j.variant}:${j.n}` : `exact:${j.variant}`);
 * if (key.join() !== "spec:2,spec+all:2,spec:1,spec+all:1,exact:spec,exact:spec+all") {
 *   throw new Error(key.join());
 * }
 * ```
 */
export function ablationJobs(plan: AblationPlan): AblationJob[] {
  checkOptions(plan, PLAN, { owner: "ablationJobs" });
  const labels = plan.variants.map((v) => v.label);
  plan.variants.forEach((v, i) => MAKER_STATE.check(v.state, `variants[${i}].state`));
  labels.forEach((l, i) => {
    if (labels.indexOf(l) !== i) {
      throw new ConfigError(`variants[${i}].label`, "a label not used by another variant", l);
    }
  });
  const train = plan.variants.flatMap((v) =>
    planJobs({ ...plan.training, maker: { state: v.state }, variant: v.label })
      .filter((j) => j.kind === "train")
  );
  const byN = [...new Set(train.map((j) => j.n))].sort((a, b) => b - a);
  const jobs: AblationJob[] = byN.flatMap((n) => train.filter((j) => j.n === n)) as AblationJob[];
  const e = plan.exact;
  for (const v of plan.variants) {
    for (const taker of e.takers) {
      for (let seed = 0; seed < e.seeds; seed++) {
        const job: ExactStateJob = {
          kind: "exact",
          variant: v.label,
          state: v.state,
          taker,
          seed,
          steps: e.steps,
          episodes: e.episodes,
        };
        jobs.push(job);
      }
    }
  }
  return jobs;
}

/** The command that makes the ablation's outputs. */
export const ABLATION_COMMAND = "deno task study:state-ablation";

/** Bumped when a code change changes what the same ablation jobs produce. */
export const ABLATION_VERSION = 1;

/**
 * The committed-output spec of a plan's ablation in `dir` (default
 * `data/studies/state_ablation`): the hash covers the jobs and the defaults (module doc), and the
 * convergence study's code version.
 */
export function ablationOutput(
  plan: AblationPlan = ABLATION_PLAN,
  dir = "data/studies/state_ablation",
): CommittedSpec {
  return {
    name: "state-ablation",
    dir,
    command: ABLATION_COMMAND,
    version: ABLATION_VERSION,
    config: {
      jobs: ablationJobs(plan),
      defaults: studyDefaults(plan.training.game),
      convergenceVersion: CONVERGENCE_VERSION,
    },
  };
}

/** The committed ablation's folder, `data/studies/state_ablation` of the project. */
export const ABLATION_DIR: string = fileURLToPath(
  new URL("../../../data/studies/state_ablation", import.meta.url),
);

/**
 * The committed ablation's tables, checked against the code's configuration first; a missing or
 * stale output throws a `FileError` naming the file and `deno task study:state-ablation`.
 */
export async function loadAblation(dir: string = ABLATION_DIR): Promise<AblationFrames> {
  return (await loadCommitted(ablationOutput(ABLATION_PLAN, dir))) as unknown as AblationFrames;
}
