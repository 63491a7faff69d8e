/**
 * The registry of outputs made by long tasks and committed under `data/` (`lib/sweep/committed.ts`
 * has the mechanism): each entry names the task that regenerates it, the notebooks that load it,
 * and its check against the code's configuration. `deno task reproduce` runs every check before
 * the notebooks ({@linkcode checkOutputs}): an output a notebook being run loads must be present
 * and current (otherwise the reproduction stops with the problem and the command to regenerate
 * it); the others are reported as notes.
 *
 * A new long study adds an entry here (its plan, its committed spec, its `run`) and a task line
 * `"study:<name>": "... scripts/study.ts <name>"` in `deno.json`.
 *
 * | output | task | loaded by |
 * |---|---|---|
 * | `data/studies/convergence/` | `deno task study:convergence` | notebooks 02, 04 |
 * | `data/studies/convergence_large/` | `deno task study:convergence-large` (n = 5, 10) | notebook 08 |
 * | `data/studies/convergence_long/` | `deno task study:convergence-long` | notebooks 04, 08 |
 * | `data/studies/state_ablation/` | `deno task study:state-ablation` | notebook 08 |
 * | `data/models/full/` | `deno task train:rl` (the full plan; its measured cost: `COMMITTED_RUN` in `lib/training/plan.ts`) | notebook 07 |
 * | `data/models/reduced/`, `data/models/ablation/` | `deno task train:rl --plan reduced` (`ablation`) | notebook 07 (the reward ablation) |
 * | `data/studies/robustness/` | `deno task study:robustness` | notebooks 02–06 |
 *
 * @module
 */
import { join } from "node:path";
import {
  ROBUSTNESS_COMMAND,
  robustnessConfig,
  robustnessOutput,
  writeRobustness,
} from "./robustness/mod.ts";
import { checkModels, PLANS } from "../training/mod.ts";
import {
  checkCommitted,
  type CommittedCheck,
  type CommittedSpec,
  type Manifest,
  type StudyRunOptions,
  writeCommitted,
} from "../sweep/mod.ts";
import {
  CONVERGENCE_PLAN,
  convergenceOutput,
  type ConvergencePlan,
  convergenceStudy,
  LARGE_N_PLAN,
  largeNOutput,
  LONG_BUDGET_PLAN,
  longBudgetOutput,
  planJobs,
  quickConvergencePlan,
  quickLargeNPlan,
  quickLongBudgetPlan,
} from "./convergence/mod.ts";
import {
  ABLATION_PLAN,
  ablationJobs,
  ablationOutput,
  ablationStudy,
  quickAblationPlan,
} from "./state_ablation/mod.ts";

/** How `deno task study:<name>` runs an entry. */
export interface CommittedRunOptions extends Pick<StudyRunOptions, "workers" | "progress"> {
  /** Small budgets (tests, a look at the pipeline); never the committed folder by default. */
  readonly quick: boolean;
  /** Output folder. */
  readonly dir: string;
  /** Milliseconds now (the script's clock), for a manifest's `minutes`; optional. */
  readonly clock?: () => number;
}

/** An output committed under `data/` by a long task. */
export interface CommittedOutput {
  /** Short name (`deno task study:<name>` for studies). */
  readonly name: string;
  /** Its folder, relative to the project root. */
  readonly dir: string;
  /** The command that regenerates it. */
  readonly command: string;
  /** Numbers of the notebooks that load it (`"04"`); none: reported, not required. */
  readonly notebooks: readonly string[];
  /** Checks the folder `dir` (absolute) against the code's configuration. */
  check(dir: string): Promise<CommittedCheck>;
  /** Runs the study and writes its tables and manifest into `o.dir` (studies only). */
  run?(o: CommittedRunOptions): Promise<Manifest>;
}

/**
 * The registry entry of a convergence plan's study (`deno task study:<name>`, into
 * `data/studies/<name with _>`): the full plan's tables, or `runs` and `checks` only when the plan
 * has no exploitability, impulse response or fixed-rule game (their tables would be empty).
 */
function convergenceEntry(o: {
  name: string;
  notebooks: readonly string[];
  plan: ConvergencePlan;
  quick: () => ConvergencePlan;
  output: (plan: ConvergencePlan, dir: string) => CommittedSpec;
}): CommittedOutput {
  const dir = `data/studies/${o.name.replaceAll("-", "_")}`;
  return {
    name: o.name,
    dir,
    command: `deno task study:${o.name}`,
    notebooks: o.notebooks,
    check: (d: string) => checkCommitted(o.output(o.plan, d)),
    async run(r: CommittedRunOptions) {
      const plan = r.quick ? o.quick() : o.plan;
      const frames = await convergenceStudy.run(planJobs(plan), {
        workers: r.workers,
        progress: r.progress,
      });
      const full = plan.rules !== undefined || plan.exploitEpisodes > 0 ||
        plan.impulse.episodes > 0;
      return writeCommitted(
        o.output(plan, r.dir),
        full ? frames : { runs: frames.runs, checks: frames.checks },
      );
    },
  };
}

/** The committed outputs (see the module doc). */
export const COMMITTED_OUTPUTS: readonly CommittedOutput[] = Object.freeze([
  convergenceEntry({
    name: "convergence",
    notebooks: ["02", "04"],
    plan: CONVERGENCE_PLAN,
    quick: quickConvergencePlan,
    output: convergenceOutput,
  }),
  convergenceEntry({
    name: "convergence-large",
    notebooks: ["08"],
    plan: LARGE_N_PLAN,
    quick: quickLargeNPlan,
    output: largeNOutput,
  }),
  convergenceEntry({
    name: "convergence-long",
    notebooks: ["04", "08"],
    plan: LONG_BUDGET_PLAN,
    quick: quickLongBudgetPlan,
    output: longBudgetOutput,
  }),
  {
    name: "state-ablation",
    dir: "data/studies/state_ablation",
    command: "deno task study:state-ablation",
    notebooks: ["08"],
    check: (dir: string) => checkCommitted(ablationOutput(ABLATION_PLAN, dir)),
    async run(o: CommittedRunOptions) {
      const plan = o.quick ? quickAblationPlan() : ABLATION_PLAN;
      const frames = await ablationStudy.run(ablationJobs(plan), {
        workers: o.workers,
        progress: o.progress,
      });
      return writeCommitted(ablationOutput(plan, o.dir), frames);
    },
  },
  {
    name: "robustness",
    dir: "data/studies/robustness",
    command: ROBUSTNESS_COMMAND,
    notebooks: ["02", "03", "04", "05", "06"],
    check: (dir: string) => checkCommitted(robustnessOutput(robustnessConfig(), dir)),
    run: (o: CommittedRunOptions) =>
      writeRobustness({
        config: robustnessConfig(o.quick),
        dir: o.dir,
        workers: o.workers,
        progress: o.progress,
        clock: o.clock,
      }),
  },
  ...(["reduced", "ablation", "full"] as const).map((plan): CommittedOutput => {
    const command = plan === "full" ? "deno task train:rl" : `deno task train:rl --plan ${plan}`;
    return {
      name: `rl-models-${plan}`,
      dir: `data/models/${plan}`,
      command,
      // Notebook 07 evaluates the full plan's models, and the ablation's with the reduced plan's
      // PPO as its middle arm.
      notebooks: ["07"],
      async check(dir: string) {
        const r = await checkModels({ plan: PLANS[plan], dir });
        return {
          ok: r.ok,
          problems: r.problems.map((p) => `${p}; regenerate with \`${command}\``),
        };
      },
    };
  }),
]);

/** One output's check in {@linkcode checkOutputs}. */
export interface OutputStatus {
  /** The entry. */
  readonly output: CommittedOutput;
  /** Whether a notebook being run loads it (then a problem stops the reproduction). */
  readonly required: boolean;
  /** The check. */
  readonly check: CommittedCheck;
}

/**
 * Checks every committed output under `root`; `notebooks` are the numbers of the notebooks about
 * to run (an output they load is `required`).
 *
 * @example
 * ```ts
 * import { checkOutputs } from "./committed.ts";
 * const status = await checkOutputs({ root: Deno.makeTempDirSync(), notebooks: ["04"] });
 * const conv = status.find((s) => s.output.name === "convergence")!;
 * if (conv.check.ok || !conv.required) throw new Error("missing, and notebook 04 loads it");
 * if (!conv.check.problems[0].includes("deno task study:convergence")) throw new Error();
 * ```
 */
export async function checkOutputs(
  o: { root: string; notebooks: readonly string[]; outputs?: readonly CommittedOutput[] },
): Promise<OutputStatus[]> {
  const out: OutputStatus[] = [];
  for (const output of o.outputs ?? COMMITTED_OUTPUTS) {
    const check = await output.check(join(o.root, output.dir));
    const required = output.notebooks.some((nb) => o.notebooks.includes(nb));
    out.push({ output, required, check });
  }
  return out;
}
