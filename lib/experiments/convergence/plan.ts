/**
 * The plan of the committed convergence study (`deno task study:convergence`): its settings
 * ({@linkcode CONVERGENCE_PLAN}, and {@linkcode quickConvergencePlan} for tests and `--quick`), the
 * job list they make ({@linkcode planJobs}), and the committed-output spec whose hash ties the
 * tables under `data/studies/convergence/` to them ({@linkcode convergenceOutput}).
 *
 * The hash covers the job list with every regime default written out, the resolved game and
 * background defaults and the default state edges, so a change of any of those defaults makes the
 * committed tables stale; {@linkcode CONVERGENCE_VERSION} is bumped by hand for any other code
 * change that changes what the same jobs produce.
 *
 * @module
 */
import { studyDefaults } from "../_defaults.ts";
import { gameOptions, takerCase } from "../_fields.ts";
import { anything, arrayOf, checkOptions, int, object, optional, str } from "../../errors.ts";
import { applyCondition } from "../../game/mod.ts";
import { REGIME_OPTIONS, type RegimeOptions } from "../../makers/mod.ts";
import { type CommittedSpec, loadCommitted } from "../../sweep/mod.ts";
import { fileURLToPath } from "node:url";
import { DEFAULT_FAMILY, type RuleFamily } from "../competition/benchmarks.ts";
import type { CompetitionGame, CompetitionTaker } from "../competition/jobs.ts";
import type { ConvergenceFrames, ConvergenceJob, JobMaker } from "./jobs.ts";

/** Bumped when a code change changes what the same jobs produce. */
export const CONVERGENCE_VERSION = 1;

/** The settings of a convergence study. */
export interface ConvergencePlan {
  /** Maker counts. */
  readonly ns: readonly number[];
  /** Takers (labels distinct). */
  readonly takers: readonly CompetitionTaker[];
  /** Seeds `1 … seeds` per (taker, n). */
  readonly seeds: number;
  /** Fewer seeds for some maker counts (`{"5": 5}`: seeds 1 … 5 for n = 5). Default none. */
  readonly seedsFor?: Readonly<Record<string, number>>;
  /** Exploitability on the seeds `1 … exploitSeeds` only (its training costs as much as the run's). Default all. */
  readonly exploitSeeds?: number;
  /** The regime (missing fields take `convergenceRegime`'s defaults, written into the jobs). */
  readonly regime: RegimeOptions;
  /** Game settings (the market: e.g. noise flow). */
  readonly game: CompetitionGame;
  /** The learners' options (state, fallback) and the variant's label. */
  readonly maker?: JobMaker;
  /** Label of the state variant. Default `"default"`. */
  readonly variant?: string;
  /** Greedy replay episodes per run. */
  readonly evalEpisodes: number;
  /** Exploitability's paired episodes (0: not measured). */
  readonly exploitEpisodes: number;
  /** Impulse response: deviation step and episodes (episodes 0: not measured). */
  readonly impulse: { readonly step: number; readonly episodes: number };
  /** The fixed-rule family and its episodes per profile (for the profit gain Δ). */
  readonly rules?: { readonly family: RuleFamily; readonly episodes: number };
}

/** The three takers of the game's headline questions. */
export const TAKERS: readonly CompetitionTaker[] = Object.freeze([
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "passive", taker: { kind: "passive" } },
  { label: "reactive", taker: { kind: "reactive" } },
]);

/**
 * The committed study: n = 1, 2, 3 × the three takers × 20 seeds on the spec's game (several
 * orders per maker, random arrival) with the `noise` market condition, the regime's defaults; on
 * the converged runs the impulse response to a one-tick outbid at step 40 (the taker is in the
 * market from step 30 at the latest) and, on every converged run, the exploitability
 * of seat 0; the fixed-rule game for Δ.
 *
 * A first version (8 seeds, exploitability on seeds 1–3) took 14.4 minutes niced on two cores
 * shared with five other jobs (load about 15); this one's time is in the commit that made it.
 * n = 5 and 10 are measured by {@linkcode LARGE_N_PLAN} (its own folder, so these tables stay
 * valid). The previous committed round measured exploitability on seeds 1–5 only (3–5 runs per
 * cell, wide intervals); this one on every converged run (each test costs about as much as its
 * run).
 */
export const CONVERGENCE_PLAN: ConvergencePlan = Object.freeze({
  ns: [1, 2, 3],
  takers: TAKERS,
  seeds: 20,
  regime: {},
  game: applyCondition({}, ["noise"]),
  evalEpisodes: 100,
  exploitEpisodes: 100,
  impulse: { step: 40, episodes: 100 },
  rules: { family: DEFAULT_FAMILY, episodes: 20 },
});

/**
 * A plan small enough for tests and `--quick`: 10-step episodes, n = 1, 2, one taker, one seed.
 * Every call returns fresh objects (nothing shared with other callers or with {@linkcode TAKERS}),
 * so a caller may change its copy.
 *
 * @example
 * ```ts
 * import { quickConvergencePlan, TAKERS } from "./plan.ts";
 * const a = quickConvergencePlan(), b = quickConvergencePlan();
 * if (a.takers[0] === b.takers[0] || a.takers[0].taker === TAKERS[1].taker) throw new Error();
 * ```
 */
export function quickConvergencePlan(): ConvergencePlan {
  return {
    ns: [1, 2],
    takers: [structuredClone(TAKERS[1])],
    seeds: 1,
    regime: { decayEpisodes: 100, budget: 600, checkEvery: 50, evalEpisodes: 3 },
    game: applyCondition({ steps: 10, game: { kind: "known", size: 1000 } }, ["noise"]),
    evalEpisodes: 4,
    exploitEpisodes: 4,
    impulse: { step: 3, episodes: 4 },
    rules: { family: { offsets: [0, 1, 2], qtys: [100, 200] }, episodes: 2 },
  };
}

/**
 * The large-n plan (`deno task study:convergence-large`, into `data/studies/convergence_large`):
 * the measured convergence rate for n = 5 and 10 makers (issue 10: "for n = 5 and 10, the
 * measured rate"), same game, regime and stop rule as {@linkcode CONVERGENCE_PLAN}, 10 seeds per
 * taker at n = 5 and 5 at n = 10: a run of 5 makers to the 30,000-episode budget took 33 s and
 * one of 10 makers 41 s on the shared machine (load 2–6). The `runs` table's recurrence columns
 * (`period`, `distinct`, `returns`) say whether an unconverged run cycles or drifts. No
 * exploitability, impulse response or fixed-rule game.
 */
export const LARGE_N_PLAN: ConvergencePlan = Object.freeze({
  ns: [5, 10],
  takers: TAKERS,
  seeds: 10,
  seedsFor: { "10": 5 },
  regime: {},
  game: applyCondition({}, ["noise"]),
  evalEpisodes: 100,
  exploitEpisodes: 0,
  impulse: { step: 0, episodes: 0 },
});

/**
 * The long-budget plan (`deno task study:convergence-long`, into `data/studies/convergence_long`):
 * the two cells of {@linkcode CONVERGENCE_PLAN} below the 90 % target (n = 3 against the passive
 * and the reactive taker, 20 seeds), the same game, regime and stop rule with a budget of 300,000
 * episodes instead of 30,000: does the drift of the unconverged runs end with ten times the
 * episodes? The regime's ε and α schedules do not depend on the budget, so a run that converged
 * within 30,000 episodes is the same run here (tested), and the others continue past 30,000.
 */
export const LONG_BUDGET_PLAN: ConvergencePlan = Object.freeze({
  ns: [3],
  takers: Object.freeze(TAKERS.filter((t) => t.label !== "aggressive")),
  seeds: 20,
  regime: { budget: 300_000 },
  game: applyCondition({}, ["noise"]),
  evalEpisodes: 100,
  exploitEpisodes: 0,
  impulse: { step: 0, episodes: 0 },
});

/** {@linkcode LONG_BUDGET_PLAN} in miniature (tests and `--quick`). */
export function quickLongBudgetPlan(): ConvergencePlan {
  const q = quickLargeNPlan();
  return { ...q, regime: { ...q.regime, budget: 2 * (q.regime.budget ?? 30_000) } };
}

/** {@linkcode LARGE_N_PLAN} in miniature (tests and `--quick`): n = 3 on the quick game. */
export function quickLargeNPlan(): ConvergencePlan {
  const { rules: _rules, ...q } = quickConvergencePlan();
  return { ...q, ns: [3], exploitEpisodes: 0, impulse: { step: 0, episodes: 0 } };
}

const PLAN = {
  ns: arrayOf(int(1, 64), { minLength: 1 }),
  takers: arrayOf(takerCase("planJobs"), { minLength: 1 }),
  seeds: int(1, 10_000),
  seedsFor: optional(anything('seed counts by maker count, e.g. {"5": 5}')),
  exploitSeeds: optional(int(0, 10_000)),
  regime: anything("regime options (checked by convergenceRegime's schema)"),
  game: gameOptions(["makers", "seed", "policy", "taker", "record"]),
  maker: optional(anything("the learners' options {state, fallback}")),
  variant: optional(str()),
  evalEpisodes: int(1, 1e6),
  exploitEpisodes: int(0, 1e6),
  impulse: object({ step: int(0, 1e6), episodes: int(0, 1e6) }, "planJobs"),
  rules: optional(object({ family: anything("a rule family"), episodes: int(1, 1e6) }, "planJobs")),
};

/**
 * The jobs of a plan: a training job per (taker, n, seed), largest n first (the slowest go out
 * first), and a fixed-rule job per (taker, n) when the plan has `rules`.
 *
 * @example
 * ```ts
 * import { planJobs, quickConvergencePlan } from "./plan.ts";
 * const jobs = planJobs(quickConvergencePlan());
 * if (jobs.map((j) => `${j.kind}:${j.n}`).join() !== "train:2,rules:2,train:1,rules:1") {
 *   throw new Error();
 * }
 * ```
 */
export function planJobs(plan: ConvergencePlan): ConvergenceJob[] {
  checkOptions(plan, PLAN, { owner: "planJobs" });
  const regime = checkOptions(plan.regime, REGIME_OPTIONS, { owner: "planJobs", path: "regime" });
  const jobs: ConvergenceJob[] = [];
  for (const n of [...plan.ns].sort((a, b) => b - a)) {
    for (const taker of plan.takers) {
      const seeds = plan.seedsFor?.[String(n)] ?? plan.seeds;
      for (let seed = 1; seed <= seeds; seed++) {
        const exploit = plan.exploitEpisodes > 0 && seed <= (plan.exploitSeeds ?? Infinity);
        jobs.push({
          kind: "train",
          variant: plan.variant ?? "default",
          taker,
          n,
          seed,
          regime,
          ...(plan.maker ? { maker: plan.maker } : {}),
          game: plan.game,
          evalEpisodes: plan.evalEpisodes,
          ...(exploit ? { exploit: { episodes: plan.exploitEpisodes } } : {}),
          ...(plan.impulse.episodes > 0 ? { impulse: plan.impulse } : {}),
        });
      }
      if (plan.rules) {
        jobs.push({
          kind: "rules",
          taker,
          n,
          family: plan.rules.family,
          episodes: plan.rules.episodes,
          seed: 1,
          game: plan.game,
        });
      }
    }
  }
  return jobs;
}

/** The defaults a study's outputs depend on besides its jobs (`lib/experiments/_defaults.ts`). */
export { studyDefaults };

/** A convergence plan's committed-output spec: name, folder, command (`deno task study:<name>`). */
function planOutput(name: string, plan: ConvergencePlan, dir: string): CommittedSpec {
  return {
    name,
    dir,
    command: `deno task study:${name}`,
    version: CONVERGENCE_VERSION,
    config: { jobs: planJobs(plan), defaults: studyDefaults(plan.game) },
  };
}

/**
 * The committed-output spec of a plan's study in `dir` (default `data/studies/convergence`): its
 * hash covers the jobs and the game, background and state defaults (module doc).
 */
export function convergenceOutput(
  plan: ConvergencePlan = CONVERGENCE_PLAN,
  dir = "data/studies/convergence",
): CommittedSpec {
  return planOutput("convergence", plan, dir);
}

/** The command that makes the large-n outputs. */
export const LARGE_N_COMMAND = "deno task study:convergence-large";

/**
 * The committed-output spec of the large-n plan's study in `dir` (default
 * `data/studies/convergence_large`): as {@linkcode convergenceOutput}, its own name and command.
 */
export function largeNOutput(
  plan: ConvergencePlan = LARGE_N_PLAN,
  dir = "data/studies/convergence_large",
): CommittedSpec {
  return planOutput("convergence-large", plan, dir);
}

/** The command that makes the long-budget outputs. */
export const LONG_BUDGET_COMMAND = "deno task study:convergence-long";

/**
 * The committed-output spec of the long-budget plan's study in `dir` (default
 * `data/studies/convergence_long`): as {@linkcode convergenceOutput}, its own name and command.
 */
export function longBudgetOutput(
  plan: ConvergencePlan = LONG_BUDGET_PLAN,
  dir = "data/studies/convergence_long",
): CommittedSpec {
  return planOutput("convergence-long", plan, dir);
}

/** The committed study's folder, `data/studies/convergence` of the project. */
export const CONVERGENCE_DIR: string = fileURLToPath(
  new URL("../../../data/studies/convergence", import.meta.url),
);

/**
 * The committed convergence study's tables (what the notebooks read): checked against the code's
 * configuration first; a missing or stale output throws a `FileError` naming the file and
 * `deno task study:convergence`, the command that regenerates it.
 */
export async function loadConvergence(dir: string = CONVERGENCE_DIR): Promise<ConvergenceFrames> {
  return (await loadCommitted(
    convergenceOutput(CONVERGENCE_PLAN, dir),
  )) as unknown as ConvergenceFrames;
}

/** The large-n study's folder, `data/studies/convergence_large` of the project. */
export const LARGE_N_DIR: string = fileURLToPath(
  new URL("../../../data/studies/convergence_large", import.meta.url),
);

/**
 * The committed large-n tables (`runs`, `checks`; the other tables empty): checked first, as
 * {@linkcode loadConvergence}; a missing or stale output names `deno task study:convergence-large`.
 */
export async function loadLargeN(dir: string = LARGE_N_DIR): Promise<ConvergenceFrames> {
  return (await loadCommitted(largeNOutput(LARGE_N_PLAN, dir))) as unknown as ConvergenceFrames;
}

/** The long-budget study's folder, `data/studies/convergence_long` of the project. */
export const LONG_BUDGET_DIR: string = fileURLToPath(
  new URL("../../../data/studies/convergence_long", import.meta.url),
);

/**
 * The committed long-budget tables (`runs`, `checks`; the other tables empty): checked first, as
 * {@linkcode loadConvergence}; a missing or stale output names `deno task study:convergence-long`.
 */
export async function loadLongBudget(dir: string = LONG_BUDGET_DIR): Promise<ConvergenceFrames> {
  return (await loadCommitted(
    longBudgetOutput(LONG_BUDGET_PLAN, dir),
  )) as unknown as ConvergenceFrames;
}
