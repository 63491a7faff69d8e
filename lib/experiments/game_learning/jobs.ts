/**
 * The jobs of notebooks 02 and 03 (one Q-learning maker in game 1 and game 2): train one maker per
 * (game, taker, seed), test it and the baseline makers on common evaluation seeds, and compare
 * with the exact optimum of a small configuration.
 *
 * ## One learning job ({@linkcode makerLearnJob})
 * 1. **Train** (`lib/makers` `trainMakers`): one maker `{kind: "q"}` (learner defaults unless
 *    `learner` is set) in the game `game` (a {@linkcode GameSpec}: game 1 `known`, game 2
 *    `hidden`) plus `gameOptions`, root seed `seed`, against `taker`, for `episodes` episodes,
 *    with a check every `evalEvery` episodes (`evalEpisodes` greedy evaluation episodes on the
 *    fixed seeds `"<seed>:eval:k"`); or, with `regime`, in the converging regime of `lib/makers`
 *    (`convergenceRegime`: ε decaying per step, stopped once the criterion has held).
 * 2. **Test**: the trained maker's greedy policy (`greedyPolicies`) and every baseline in
 *    `baselines` (default replenisher, follower, random, and no maker) each play `testEpisodes`
 *    episodes of every test game in `tests` (default: the training game; of the same kind, since
 *    the learner's state has the remaining size in game 1 only), seeded once with
 *    `"test:<seed>"` and continuing: the same seed for every policy, so they meet the same
 *    background and noise draws and, in game 2, the same sizes (common random numbers). Test
 *    seeds never overlap the training or check seeds.
 * 3. **Rows**, one table each ({@linkcode makerLearnStudyDef}; keys `game`, `size_visible`,
 *    `taker`, `seed` on every row):
 *    - `curves`, one per check: `episode` (training episodes done), `epsilon` (at the check's
 *      episode), `train_pnl` and `train_taker_pnl` (means over the episodes since the previous
 *      check, exploration included), `eval_pnl` and `eval_taker_pnl` (greedy, mean over the
 *      check's evaluation episodes), `policy_change`, `coverage`, `mean_abs_dq` (mean over the
 *      block), `converged` (criterion met by then);
 *    - `tests`, one per (test game, policy): `test`, `size` (the test game's fixed size, or null
 *      for a drawn size), `policy` (`"learned"` or the baseline's label; `"none"` for no maker),
 *      `episodes`, `maker_pnl_sd` (over the test episodes), and means over the test episodes of
 *      `maker_pnl` (the PnL share, the learning reward), `maker_mtm`,
 *      `maker_share`, `maker_volume`, `maker_fills`, `taker_pnl`, `shortfall_bps`,
 *      `background_share`, plus the maker's average bid over its decisions: `bid_offset`
 *      (P0 − price, ticks), `bid_qty` (resting), `bid_target`, and `act_<name>` (the share of
 *      decisions that chose each action);
 *    - `maps`, one per state the learner visited: `state`, each state feature's bin label
 *      (`time`, `remaining` in game 1 only, `bestBid`, `ownBid`, `volume`, `velocity`),
 *      `visits`, `action_name`, `q_margin` (`policyMap`);
 *    - `runs`, one per job: `converged`, `converged_episode` (null if never), `checks`,
 *      `states`, `visited`, `final_coverage`, `final_policy_change`, `final_eval_pnl`.
 * 4. **Save** (optional `save`, an absolute folder): the run with `saveRun`, its records kept at
 *    the check episodes only (the learning curve at every check; the Q-tables in full), so
 *    later notebooks can replay the maker without retraining and the files stay small.
 *
 * ## The exact check ({@linkcode exactJob})
 * `exactCheck(smallExactConfig({taker, steps, episodes}))` with the game's root seed set to
 * `seed`: the configuration is deterministic, so the optimum is the same for every seed and only
 * the learner's exploration stream changes. One row: V*, the learned greedy value, the gap, the
 * Markov report, both action sequences and the convergence verdict.
 *
 * ## Parallel and deterministic
 * {@linkcode makerLearnStudy} and {@linkcode exactStudy} run their jobs through the study scaffold
 * (`lib/sweep/study.ts`): on Web Workers, or in the calling thread with `workers: 0`; every job
 * depends on its own JSON only, so the frames do not depend on the number of workers.
 *
 * @example
 * ```ts
 * import { makerLearnJob } from "./jobs.ts";
 * const rows = await makerLearnJob({
 *   game: "g1",
 *   spec: { kind: "known", size: 1000 },
 *   taker: { label: "twap", taker: { kind: "passive" } },
 *   seed: 1, episodes: 20, evalEvery: 10, evalEpisodes: 1, testEpisodes: 2,
 *   gameOptions: { steps: 10 },
 * });
 * const kinds = [...new Set(rows.map((r) => r.table))].sort().join();
 * if (kinds !== "curves,maps,runs,tests") throw new Error(kinds);
 * if (rows.filter((r) => r.table === "curves").length !== 2) throw new Error("two checks");
 * const tests = rows.filter((r) => r.table === "tests");
 * if (tests.length !== 5) throw new Error("learned, 3 baselines, none");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import {
  arrayOf,
  bool,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  nullable,
  object,
  optional,
  seed as seedField,
  str,
} from "../../errors.ts";
import {
  evaluateGame,
  type GameConfig,
  type GameSpec,
  type MakerPolicySpec,
} from "../../game/mod.ts";
import {
  convergenceRegime,
  exactCheck,
  greedyPolicies,
  LEARNER_SETTINGS,
  type LearnerSettings,
  type MakersTrainResult,
  policyMap,
  REGIME_OPTIONS,
  type RegimeOptions,
  saveRun,
  smallExactConfig,
  type TrainGameConfig,
  trainMakers,
} from "../../makers/mod.ts";
import {
  defineStudy,
  type Study,
  type StudyFrames,
  type StudyRunOptions,
} from "../../sweep/mod.ts";
import type { TakerSpec } from "../../takers/mod.ts";
import {
  checkMakerSpec,
  GAME_SPEC,
  gameOptions,
  gameVariant,
  MAKER_SPEC,
  STUDY_RUN_OPTIONS,
  TAKER_SPEC,
  takerCase,
} from "../_fields.ts";

/** A taker strategy with a label for tables and figures (plain data: no `custom` taker). */
export interface LearnTaker {
  /** Label, e.g. `"aggressive"`. */
  readonly label: string;
  /** The strategy. */
  readonly taker: TakerSpec;
}

/** A baseline maker with a label (plain data: no `custom` policy). */
export interface BaselineCase {
  /** Label, e.g. `"replenisher"`. */
  readonly label: string;
  /** The policy, or `null` for no maker at all (the taker against the background alone). */
  readonly spec: MakerPolicySpec | null;
}

/** A game in which trained makers and baselines are tested. */
export interface TestGame {
  /** Label, e.g. `"own"` or `"Q=4000"`. */
  readonly label: string;
  /** The game variant (size and visibility). */
  readonly game: GameSpec;
}

/**
 * The baselines of the game (`lib/game/policies.ts`) with their default options, and `"none"`:
 * no maker in the book (the taker's cost against the background alone).
 */
export const DEFAULT_BASELINES: readonly BaselineCase[] = Object.freeze([
  { label: "replenisher", spec: { kind: "replenisher" } },
  { label: "follower", spec: { kind: "follower" } },
  { label: "random", spec: { kind: "random" } },
  { label: "none", spec: null },
]);

/** A {@linkcode LearnTaker}: its spec checked by `lib/takers` (`takers[0].taker.maxWalk`). */
const LEARN_TAKER = takerCase("makerLearnJobs");
/** A {@linkcode BaselineCase}: its spec checked by `lib/game` (`baselines[0].spec.offset`). */
const BASELINE_CASE = object({ label: str(), spec: nullable(MAKER_SPEC) }, "makerLearnJobs");
/** A {@linkcode TestGame}: its variant checked by `lib/game` (`tests[0].game.size`). */
const TEST_GAME = gameVariant("makerLearnJobs");

/** The schema of {@linkcode MakerLearnJobsOptions}'s settings (the compiler keeps its keys complete). */
const LEARN_SETTINGS = {
  episodes: optional(int(1, 1e9)),
  regime: optional(object(REGIME_OPTIONS, "makerLearnJobs")),
  evalEvery: optional(int(1, 1e9)),
  evalEpisodes: optional(int(0, 1e6)),
  tests: optional(arrayOf(TEST_GAME)),
  testEpisodes: optional(int(1, 1e7)),
  baselines: optional(arrayOf(BASELINE_CASE)),
  gameOptions: optional(gameOptions(["game", "seed", "makers", "policy", "taker", "record"])),
  learner: optional(object(LEARNER_SETTINGS, "makerLearnJobs")),
  map: optional(bool()),
} satisfies Record<keyof MakerLearnJobsOptions["settings"], Field<unknown>>;

/** One learning job (plain JSON, so it can cross to a worker). See the module doc. */
export interface MakerLearnJob {
  /** Label of the training game, e.g. `"game 1"`. */
  readonly game: string;
  /** The training game variant. */
  readonly spec: GameSpec;
  /** The taker. */
  readonly taker: LearnTaker;
  /** Root seed of the training game (and of the test seeds `"test:<seed>"`). */
  readonly seed: number;
  /** Training episodes, ≥ 1 (required unless `regime` is given). */
  readonly episodes?: number;
  /**
   * Train in the converging regime instead (`convergenceRegime` of `lib/makers`: ε decaying per
   * step, stopped when the convergence criterion has held or at the regime's budget); then
   * `episodes`, `evalEvery`, `evalEpisodes` and `learner` are the regime's and must not be given.
   */
  readonly regime?: RegimeOptions;
  /** K: a check every K episodes. Default `max(1, round(episodes / 50))`. */
  readonly evalEvery?: number;
  /** Greedy evaluation episodes per check. Default 5. */
  readonly evalEpisodes?: number;
  /** Test games. Default: the training game, labelled `"own"`. */
  readonly tests?: readonly TestGame[];
  /** Test episodes per (test game, policy), ≥ 1. Default 100. */
  readonly testEpisodes?: number;
  /** Baselines tested beside the learner. Default {@linkcode DEFAULT_BASELINES}. */
  readonly baselines?: readonly BaselineCase[];
  /** Other game settings (steps, background, bid rules, …); not `game`, `seed`, `makers`. */
  readonly gameOptions?: Omit<TrainGameConfig, "game" | "seed" | "makers">;
  /** Learner settings (lib/makers `LearnerSettings`); defaults otherwise. */
  readonly learner?: LearnerSettings;
  /** Whether to return the `map` rows. Default true. */
  readonly map?: boolean;
  /** Absolute folder to save the run in (`saveRun`), or none. */
  readonly save?: string;
}

/** A row of a study frame: numbers, strings, booleans or null. */
export type StudyRow = Record<string, number | string | boolean | null>;

/** Options of {@linkcode testPolicies}. */
export interface TestPoliciesOptions {
  /** The game: every field but the agents (one maker). */
  readonly game: Omit<GameConfig, "policy" | "taker" | "record" | "makers" | "seed">;
  /** The taker. */
  readonly taker: TakerSpec;
  /** The maker policies, each tested alone in the book. */
  readonly policies: readonly BaselineCase[];
  /** Episodes per policy, ≥ 1. */
  readonly episodes: number;
  /** Root seed, the same for every policy (common random numbers). */
  readonly seed: number | string;
}

/** The schema of {@linkcode TestPoliciesOptions} (the compiler keeps its keys complete). */
const TEST_POLICIES_OPTIONS = {
  game: gameOptions(["policy", "taker", "record", "makers", "seed"]),
  taker: TAKER_SPEC,
  policies: arrayOf(BASELINE_CASE),
  episodes: int(1, 1e7),
  seed: seedField(),
} satisfies Record<keyof TestPoliciesOptions, Field<unknown>>;

/**
 * Plays each maker policy alone in the book for `episodes` episodes of the same game and seed
 * (`evaluateGame`, streams seeded once from `seed` and continuing), and returns one row per policy
 * with the means over the episodes (columns of the `test` rows of the module doc, without the
 * keys) and `maker_pnl_sd`, the standard deviation of the maker PnL over the episodes (0 when the
 * game is deterministic). A policy `null` plays no maker: its maker columns are null and the
 * taker's are its cost against the background alone.
 *
 * @example
 * ```ts
 * import { testPolicies } from "./jobs.ts";
 * const rows = testPolicies({
 *   game: { steps: 10, game: { kind: "known", size: 1000 } },
 *   taker: { kind: "aggressive" },
 *   policies: [{ label: "replenisher", spec: { kind: "replenisher" } }],
 *   episodes: 3,
 *   seed: "test:0",
 * });
 * if (rows.length !== 1 || !(Number(rows[0].maker_pnl) > 0)) throw new Error("a maker earns");
 * if (rows[0].act_up !== 0 || rows[0].bid_offset !== 1) throw new Error("it holds P0 − 1");
 * ```
 */
export function testPolicies(options: TestPoliciesOptions): StudyRow[] {
  checkOptions(options, TEST_POLICIES_OPTIONS, { owner: "testPolicies" });
  options.policies.forEach((p, i) => {
    if (p.spec !== null) checkMakerSpec(p.spec, `policies[${i}].spec`, options.game);
  });
  const episodes = options.episodes;
  return options.policies.map((p, k) => {
    if (typeof p?.label !== "string") {
      throw new ConfigError(`policies[${k}].label`, "a string", p?.label);
    }
    const none = p.spec === null;
    const ev = evaluateGame({
      config: {
        ...options.game,
        makers: none ? 0 : 1,
        seed: options.seed,
        policy: none ? [] : p.spec!,
        taker: options.taker,
      },
      episodes,
      seed: () => undefined,
      decisions: !none,
    });
    const m = ev.makers[0], d = ev.decisions?.[0];
    const maker = (v: number | undefined) => (none ? null : v!);
    const row: StudyRow = {
      policy: p.label,
      episodes,
      maker_pnl: maker(m?.pnl),
      maker_mtm: maker(m?.mtm),
      maker_share: maker(m?.share),
      maker_volume: maker(m?.volume),
      maker_fills: maker(m?.fills),
      taker_pnl: ev.mean.takerPnl,
      shortfall_bps: ev.mean.shortfallBps,
      background_share: ev.mean.backgroundShare,
      maker_pnl_sd: none || episodes < 2 ? null : ev.makersSd[0].pnl,
      bid_offset: maker(d?.offset),
      bid_qty: maker(d?.qty),
      bid_target: maker(d?.target),
    };
    ev.game.actions.names.forEach((name, a) => (row[`act_${name}`] = maker(d?.actions[a])));
    return row;
  });
}

/** Per check: block means of the training records and the check's values. */
function curveRows(run: MakersTrainResult): StudyRow[] {
  const maker = run.records.filter(pl.col("agent").eq(pl.lit("maker:0")));
  const get = (c: string) => maker.getColumn(c).toArray() as (number | null)[];
  const pnl = get("pnl"), taker = get("taker_pnl"), dq = get("mean_abs_dq");
  const eps = get("epsilon"), check = get("check"), change = get("policy_change");
  const cov = get("coverage"), evalPnl = get("eval_pnl");
  const evalTaker = get("eval_taker_pnl");
  const conv = maker.getColumn("converged").toArray() as boolean[];
  const rows: StudyRow[] = [];
  let from = 0;
  for (let e = 0; e < pnl.length; e++) {
    if (check[e] === null) continue;
    let p = 0, t = 0, d = 0, nd = 0;
    for (let j = from; j <= e; j++) {
      p += pnl[j]!;
      t += taker[j]!;
      if (dq[j] !== null) {
        d += dq[j]!;
        nd++;
      }
    }
    const n = e - from + 1;
    rows.push({
      table: "curves",
      check: check[e],
      episode: e + 1,
      epsilon: eps[e],
      train_pnl: p / n,
      train_taker_pnl: t / n,
      eval_pnl: evalPnl[e],
      eval_taker_pnl: evalTaker[e],
      policy_change: change[e],
      coverage: cov[e],
      mean_abs_dq: nd > 0 ? d / nd : null,
      converged: conv[e],
    });
    from = e + 1;
  }
  return rows;
}

const fin = (x: number) => (Number.isFinite(x) ? x : null);

/** The schema of a {@linkcode MakerLearnJob} (the compiler keeps its keys complete). */
const LEARN_JOB = {
  ...LEARN_SETTINGS,
  game: str({ allowed: "a string label" }),
  spec: GAME_SPEC,
  taker: LEARN_TAKER,
  seed: int(0, 2 ** 31 - 1),
  save: optional(str({ allowed: "an absolute folder" })),
} satisfies Record<keyof MakerLearnJob, Field<unknown>>;

/** The training fields of a job: its own budget, or the converging regime's (`regime`). */
function trainingOf(
  job: Pick<MakerLearnJob, "episodes" | "regime" | "evalEvery" | "evalEpisodes" | "learner">,
  game: TrainGameConfig,
  prefix = "",
) {
  if (job.regime === undefined) {
    if (job.episodes === undefined) {
      throw new ConfigError(`${prefix}episodes`, "an integer ≥ 1 (or a regime)", undefined);
    }
    return {
      learner: job.learner,
      episodes: job.episodes,
      evalEvery: job.evalEvery,
      evalEpisodes: job.evalEpisodes,
    };
  }
  for (const k of ["episodes", "evalEvery", "evalEpisodes", "learner"] as const) {
    if (job[k] !== undefined) {
      throw new ConfigError(`${prefix}${k}`, "absent: the regime sets it", job[k]);
    }
  }
  return convergenceRegime(game, job.regime);
}

/**
 * Runs one learning job: train, test against the baselines, policy map, optional save (see the
 * module doc). Returns the rows of every table, keyed by `game`, `size_visible`, `taker`,
 * `seed`.
 */
export async function makerLearnJob(job: MakerLearnJob): Promise<StudyRow[]> {
  checkOptions(job, LEARN_JOB, { owner: "makerLearnJob" });
  checkBaselines(job);
  const seed = job.seed;
  const testEpisodes = job.testEpisodes ?? 100;
  const gameOptions = job.gameOptions ?? {};
  const game = { ...gameOptions, makers: 1, seed, game: job.spec };
  const run = trainMakers({
    label: `${job.game}|${job.taker.label}|${seed}`,
    game,
    taker: job.taker.taker,
    policy: { kind: "q" },
    ...trainingOf(job, game),
  });
  const sizeVisible = job.spec.kind === "known";
  const keys: StudyRow = {
    game: job.game,
    size_visible: sizeVisible,
    taker: job.taker.label,
    seed,
  };
  const rows: StudyRow[] = curveRows(run).map((r) => ({ ...keys, ...r }));

  const { policy } = greedyPolicies(run);
  const policies: BaselineCase[] = [
    { label: "learned", spec: policy[0] },
    ...(job.baselines ?? DEFAULT_BASELINES),
  ];
  const tests = job.tests ?? [{ label: "own", game: job.spec }];
  tests.forEach((t, i) => {
    // The learner's state has the remaining size in game 1 only: it plays only its own kind.
    if (t?.game?.kind !== job.spec.kind) {
      throw new ConfigError(
        `tests[${i}].game.kind`,
        `"${job.spec.kind}" (the training game's)`,
        t?.game?.kind,
      );
    }
  });
  for (const t of tests) {
    const spec = t.game as { kind: string; size?: number | { kind: string; value?: number } };
    const size = spec.kind === "known"
      ? (typeof spec.size === "number" ? spec.size : null)
      : (typeof spec.size === "object" && spec.size?.kind === "fixed"
        ? spec.size.value ?? null
        : null);
    for (
      const r of testPolicies({
        game: { ...gameOptions, game: t.game },
        taker: job.taker.taker,
        policies,
        episodes: testEpisodes,
        seed: `test:${seed}`,
      })
    ) {
      rows.push({ ...keys, table: "tests", test: t.label, size, ...r });
    }
  }

  if (job.map ?? true) {
    const map = policyMap(run);
    const cols = map.columns.filter((c) => !["action", "q_best"].includes(c));
    const data = cols.map((c) => map.getColumn(c).toArray() as (number | string)[]);
    for (let i = 0; i < map.height; i++) {
      const r: StudyRow = { ...keys, table: "maps" };
      cols.forEach((c, k) => (r[c] = data[k][i]));
      rows.push(r);
    }
  }

  const l = run.learners[0];
  let visited = 0;
  for (let s = 0; s < l.nStates; s++) {
    for (let a = 0; a < l.nActions; a++) {
      if (l.visits[s * l.nActions + a] > 0) {
        visited++;
        break;
      }
    }
  }
  const c = run.convergence;
  rows.push({
    ...keys,
    table: "runs",
    episodes: run.episodes,
    checks: run.checks,
    converged: c.met,
    converged_episode: c.episode,
    states: l.nStates,
    visited,
    final_coverage: visited / l.nStates,
    final_policy_change: fin(c.changes[c.changes.length - 1]),
    final_eval_pnl: fin(run.final.makerPnl[0]),
    final_eval_taker_pnl: fin(run.final.takerPnl),
  });

  if (job.save !== undefined) {
    const records = run.records.filter(pl.col("check").isNotNull());
    await saveRun(job.save, { ...run, records });
  }
  return rows;
}

/** Options of {@linkcode makerLearnJobs}. */
export interface MakerLearnJobsOptions {
  /** Training games, each with a label. */
  readonly games: readonly { readonly label: string; readonly game: GameSpec }[];
  /** Taker strategies (labels unique). */
  readonly takers: readonly LearnTaker[];
  /** Seeds `0 .. seeds − 1`, in [1, 1000]. */
  readonly seeds: number;
  /** Settings shared by every job (episodes, checks, tests, baselines, …). */
  readonly settings: Omit<MakerLearnJob, "game" | "spec" | "taker" | "seed" | "save">;
  /** Test games per training game label; default: each job's own game. */
  readonly tests?: Readonly<Record<string, readonly TestGame[]>>;
  /** Folder to save a job's run in, or undefined not to save it (called in the main thread). */
  readonly save?: (job: { game: string; taker: string; seed: number }) => string | undefined;
}

/** The schema of {@linkcode MakerLearnJobsOptions} (the compiler keeps its keys complete). */
const LEARN_JOBS_OPTIONS = {
  games: arrayOf(TEST_GAME, { minLength: 1 }),
  takers: arrayOf(LEARN_TAKER, { minLength: 1 }),
  seeds: int(1, 1000),
  settings: object(LEARN_SETTINGS, "makerLearnJobs"),
  tests: optional(
    custom<NonNullable<MakerLearnJobsOptions["tests"]>>(
      "test games per training game label",
      (v, path) => {
        const o = checkObject(path, v, "test games per training game label");
        for (const [k, t] of Object.entries(o)) arrayOf(TEST_GAME).check(t, `${path}.${k}`);
        return v as NonNullable<MakerLearnJobsOptions["tests"]>;
      },
    ),
  ),
  save: optional(fn<NonNullable<MakerLearnJobsOptions["save"]>>("a function (job) => folder")),
} satisfies Record<keyof MakerLearnJobsOptions, Field<unknown>>;

/**
 * The jobs of a learning study: every game × taker × seed, in that order.
 *
 * @example
 * ```ts
 * import { makerLearnJobs } from "./jobs.ts";
 * const jobs = makerLearnJobs({
 *   games: [{ label: "game 1", game: { kind: "known" } }],
 *   takers: [
 *     { label: "a", taker: { kind: "aggressive" } },
 *     { label: "p", taker: { kind: "passive" } },
 *   ],
 *   seeds: 2,
 *   settings: { episodes: 10 },
 *   save: ({ taker, seed }) => (seed === 0 ? `/tmp/runs/${taker}` : undefined),
 * });
 * const got = jobs.map((j) => `${j.taker.label}${j.seed}${j.save ?? ""}`).join();
 * if (got !== "a0/tmp/runs/a,a1,p0/tmp/runs/p,p1") throw new Error(got);
 * ```
 */
export function makerLearnJobs(options: MakerLearnJobsOptions): MakerLearnJob[] {
  // Every option is checked here, before any job runs (checks only: the values are used as given).
  checkOptions(options, LEARN_JOBS_OPTIONS, { owner: "makerLearnJobs" });
  checkBaselines(options.settings, "settings.");
  for (const g of options.games) {
    const game = { ...(options.settings.gameOptions ?? {}), makers: 1, game: g.game };
    trainingOf(options.settings, game, "settings.");
  }
  const seeds = options.seeds;
  uniqueLabels("takers", options.takers);
  const games = uniqueLabels("games", options.games);
  for (const k of Object.keys(options.tests ?? {})) {
    if (!games.includes(k)) {
      throw new ConfigError(`tests.${k}`, `a training game's label (${games.join(", ")})`, k);
    }
  }
  const jobs: MakerLearnJob[] = [];
  for (const g of options.games) {
    for (const t of options.takers) {
      for (let seed = 0; seed < seeds; seed++) {
        const save = options.save?.({ game: g.label, taker: t.label, seed });
        jobs.push({
          ...options.settings,
          game: g.label,
          spec: g.game,
          taker: t,
          seed,
          ...(options.tests?.[g.label] ? { tests: options.tests[g.label] } : {}),
          ...(save === undefined ? {} : { save }),
        });
      }
    }
  }
  return jobs;
}

/** Checks the baselines' maker specs in the job's game settings (`<prefix>baselines[0].spec`). */
function checkBaselines(
  s: Pick<MakerLearnJob, "baselines" | "gameOptions">,
  prefix = "",
): void {
  (s.baselines ?? []).forEach((b, i) => {
    if (b.spec !== null) checkMakerSpec(b.spec, `${prefix}baselines[${i}].spec`, s.gameOptions);
  });
}

/** The labels of `cases`, each unlike the others (`takers[1].label` names a repeated one). */
function uniqueLabels(field: string, cases: readonly { label: string }[]): string[] {
  const labels = cases.map((c) => c.label);
  labels.forEach((l, i) => {
    if (labels.indexOf(l) !== i) {
      throw new ConfigError(`${field}[${i}].label`, "a label unlike the others", l);
    }
  });
  return labels;
}

const KEYS = { game: "str", size_visible: "bool", taker: "str", seed: "int" } as const;

/**
 * The learning study's tables (rows of {@linkcode makerLearnJob}; columns of the module doc). The
 * `tests` table also has one `act_<action>` column per action of the game's set, and `maps` one
 * column per state feature the learner has (both open: they depend on the game).
 */
export const makerLearnStudyDef: Study<MakerLearnJob, "curves" | "tests" | "maps" | "runs"> =
  defineStudy({
    module: import.meta.url,
    fn: "makerLearnJob",
    tables: {
      curves: {
        columns: {
          ...KEYS,
          check: "int",
          episode: "int",
          epsilon: "float",
          train_pnl: "float",
          train_taker_pnl: "float",
          eval_pnl: "float",
          eval_taker_pnl: "float",
          policy_change: "float",
          coverage: "float",
          mean_abs_dq: "float",
          converged: "bool",
        },
      },
      tests: {
        columns: {
          ...KEYS,
          test: "str",
          size: "int",
          policy: "str",
          episodes: "int",
          maker_pnl: "float",
          maker_mtm: "float",
          maker_share: "float",
          maker_volume: "float",
          maker_fills: "float",
          taker_pnl: "float",
          shortfall_bps: "float",
          background_share: "float",
          maker_pnl_sd: "float",
          bid_offset: "float",
          bid_qty: "float",
          bid_target: "float",
        },
        open: true,
      },
      maps: {
        columns: { ...KEYS, state: "int", visits: "float", action_name: "str", q_margin: "float" },
        open: true,
      },
      runs: {
        columns: {
          ...KEYS,
          episodes: "int",
          checks: "int",
          converged: "bool",
          converged_episode: "int",
          states: "int",
          visited: "int",
          final_coverage: "float",
          final_policy_change: "float",
          final_eval_pnl: "float",
          final_eval_taker_pnl: "float",
        },
      },
    },
  });

/** The frames of a learning study, one per table of {@linkcode makerLearnStudyDef}. */
export type MakerLearnStudy = StudyFrames<"curves" | "tests" | "maps" | "runs">;

/** Options of {@linkcode makerLearnStudy}: the jobs and how to run them. */
export interface MakerLearnStudyOptions extends StudyRunOptions {
  /** The jobs (e.g. from {@linkcode makerLearnJobs}). */
  readonly jobs: readonly MakerLearnJob[];
}

/** The schema of {@linkcode MakerLearnStudyOptions} (the compiler keeps its keys complete). */
const LEARN_STUDY_OPTIONS = {
  jobs: arrayOf(object(LEARN_JOB, "makerLearnStudy")),
  ...STUDY_RUN_OPTIONS,
} satisfies Record<keyof MakerLearnStudyOptions, Field<unknown>>;

/** Runs the jobs (0 workers: in this thread) and returns the study's frames. */
export function makerLearnStudy(options: MakerLearnStudyOptions): Promise<MakerLearnStudy> {
  // Every job is checked before any runs (each checks itself again where it runs).
  checkOptions(options, LEARN_STUDY_OPTIONS, { owner: "makerLearnStudy" });
  return makerLearnStudyDef.run(options.jobs, options);
}

/** One exact-check job (plain JSON). */
export interface ExactJob {
  /** The taker (deterministic: any of the four strategies). */
  readonly taker: LearnTaker;
  /** Root seed of the game (only the learner's exploration depends on it). */
  readonly seed: number;
  /** Steps of the small game, in [1, 8]. Default 6. */
  readonly steps?: number;
  /** Training episodes. Default 20,000. */
  readonly episodes?: number;
}

/** The schema of an {@linkcode ExactJob} (the compiler keeps its keys complete). */
const EXACT_JOB = {
  taker: LEARN_TAKER,
  seed: int(0, 2 ** 31 - 1),
  steps: optional(int(1, 8)),
  episodes: optional(int(1, 1e9)),
} satisfies Record<keyof ExactJob, Field<unknown>>;

/**
 * Runs `exactCheck(smallExactConfig(...))` for one taker and seed; one row (see the module doc).
 *
 * @example
 * ```ts
 * import { exactJob } from "./jobs.ts";
 * const taker = { label: "twap", taker: { kind: "passive" } } as const;
 * const [r] = exactJob({ taker, seed: 0, steps: 3, episodes: 300 });
 * if (!(Number(r.gap) >= -1e-9) || r.optimal_actions === "") throw new Error();
 * ```
 */
export function exactJob(job: ExactJob): StudyRow[] {
  checkOptions(job, EXACT_JOB, { owner: "exactJob" });
  const seed = job.seed;
  const cfg = smallExactConfig({
    steps: job.steps,
    taker: job.taker.taker,
    episodes: job.episodes,
  });
  const r = exactCheck({ ...cfg, game: { ...cfg.game, seed } });
  const c = r.run.convergence;
  return [{
    table: "exact",
    taker: job.taker.label,
    seed,
    steps: r.optimum.steps,
    episodes: r.run.episodes,
    true_states: r.optimum.depth.length,
    optimal: r.optimal,
    learned: r.learned,
    gap: r.gap,
    relative_gap: r.relativeGap,
    tolerance: r.tolerance,
    within_tolerance: r.withinTolerance,
    markov: r.markov.isMarkov,
    learner_states: r.markov.learnerStates,
    reachable_true_states: r.markov.trueStates,
    aliased: r.markov.aliased,
    conflicts: r.markov.conflicts,
    verified_pairs: r.optimum.verified.pairs,
    verify_mismatches: r.optimum.verified.mismatches,
    converged: c.met,
    converged_episode: c.episode,
    optimal_actions: r.optimalActions.join(" "),
    learned_actions: r.learnedActions.join(" "),
  }];
}

/** The exact check's one table (rows of {@linkcode exactJob}). */
export const exactStudyDef: Study<ExactJob, "exact"> = defineStudy({
  module: import.meta.url,
  fn: "exactJob",
  tables: {
    exact: {
      columns: {
        taker: "str",
        seed: "int",
        steps: "int",
        episodes: "int",
        true_states: "int",
        optimal: "float",
        learned: "float",
        gap: "float",
        relative_gap: "float",
        tolerance: "float",
        within_tolerance: "bool",
        markov: "bool",
        learner_states: "int",
        reachable_true_states: "int",
        aliased: "int",
        conflicts: "int",
        verified_pairs: "int",
        verify_mismatches: "int",
        converged: "bool",
        converged_episode: "int",
        optimal_actions: "str",
        learned_actions: "str",
      },
    },
  },
});

/** Options of {@linkcode exactStudy}. */
export interface ExactStudyOptions extends StudyRunOptions {
  /** Takers. */
  readonly takers: readonly LearnTaker[];
  /** Seeds `0 .. seeds − 1`. */
  readonly seeds: number;
  /** Steps of the small game. Default 6. */
  readonly steps?: number;
  /** Training episodes per check. Default 20,000. */
  readonly episodes?: number;
}

/** The schema of {@linkcode ExactStudyOptions} (the compiler keeps its keys complete). */
const EXACT_STUDY_OPTIONS = {
  takers: arrayOf(LEARN_TAKER, { minLength: 1 }),
  seeds: int(1, 1000),
  steps: optional(int(1, 8)),
  episodes: optional(int(1, 1e9)),
  ...STUDY_RUN_OPTIONS,
} satisfies Record<keyof ExactStudyOptions, Field<unknown>>;

/** The exact check for every taker × seed: one row per job (job order). */
export async function exactStudy(options: ExactStudyOptions): Promise<pl.DataFrame> {
  return (await exactStudyDef.run(exactJobs(options), options)).exact;
}

/**
 * The jobs of {@linkcode exactStudy}: every taker × seed, takers outermost. Every option is
 * checked here, before any job runs (the takers' specs by `lib/takers`, with their paths).
 *
 * @example
 * ```ts
 * import { exactJobs } from "./jobs.ts";
 * const jobs = exactJobs({ takers: [{ label: "t", taker: { kind: "passive" } }], seeds: 2 });
 * if (jobs.map((j) => j.seed).join() !== "0,1") throw new Error();
 * ```
 */
export function exactJobs(options: ExactStudyOptions): ExactJob[] {
  checkOptions(options, EXACT_STUDY_OPTIONS, { owner: "exactStudy" });
  uniqueLabels("takers", options.takers);
  const seeds = options.seeds;
  const jobs: ExactJob[] = [];
  for (const taker of options.takers) {
    for (let seed = 0; seed < seeds; seed++) {
      jobs.push({ taker, seed, steps: options.steps, episodes: options.episodes });
    }
  }
  return jobs;
}
