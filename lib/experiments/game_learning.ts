/**
 * Experiments of notebooks 02 and 03 (one Q-learning maker in game 1 and game 2), written so that
 * notebooks 04–06 can reuse them: train one maker per (game, taker, seed), test it and the
 * baseline makers on common evaluation seeds, compare with the exact optimum of a small
 * configuration, and put paired differences (learned − baseline, game 1 − game 2) with
 * confidence intervals over seeds.
 *
 * ## One learning job ({@linkcode makerLearnJob})
 * 1. **Train** (`lib/makers` `trainMakers`): one maker `{kind: "q"}` (learner defaults unless
 *    `learner` is set) in the game `game` (a {@linkcode GameSpec}: game 1 `known`, game 2
 *    `hidden`) plus `gameOptions`, root seed `seed`, against `taker`, for `episodes` episodes,
 *    with a check every `evalEvery` episodes (`evalEpisodes` greedy evaluation episodes on the
 *    fixed seeds `"<seed>:eval:k"`).
 * 2. **Test**: the trained maker's greedy policy (`greedyPolicies`) and every baseline in
 *    `baselines` (default replenisher, follower, random, and no maker) each play `testEpisodes`
 *    episodes of every test game in `tests` (default: the training game; of the same kind, since
 *    the learner's state has the remaining size in game 1 only), seeded once with
 *    `"test:<seed>"` and continuing: the same seed for every policy, so they meet the same
 *    background and noise draws and, in game 2, the same sizes (common random numbers). Test
 *    seeds never overlap the training or check seeds.
 * 3. **Rows** (one frame per study, the kind in column `table`; keys `game`, `size_visible`,
 *    `taker`, `seed` on every row):
 *    - `curve`, one per check: `episode` (training episodes done), `epsilon` (at the check's
 *      episode), `train_pnl` and `train_taker_pnl` (means over the episodes since the previous
 *      check, exploration included), `eval_pnl` and `eval_taker_pnl` (greedy, mean over the
 *      check's evaluation episodes), `policy_change`, `coverage`, `mean_abs_dq` (mean over the
 *      block), `converged` (criterion met by then);
 *    - `test`, one per (test game, policy): `test`, `size` (the test game's fixed size, or null
 *      for a drawn size), `policy` (`"learned"` or the baseline's label; `"none"` for no maker),
 *      `episodes`, `maker_pnl_sd` (over the test episodes), and means over the test episodes of
 *      `maker_pnl` (the PnL share, the learning reward), `maker_mtm`,
 *      `maker_share`, `maker_volume`, `maker_fills`, `taker_pnl`, `shortfall_bps`,
 *      `background_share`, plus the maker's average bid over its decisions: `bid_offset`
 *      (P0 − price, ticks), `bid_qty` (resting), `bid_target`, and `act_<name>` (the share of
 *      decisions that chose each action);
 *    - `map`, one per state the learner visited: `state`, each state feature's bin label
 *      (`time`, `remaining` in game 1 only, `bestBid`, `ownBid`, `volume`, `velocity`),
 *      `visits`, `action_name`, `q_margin` (`policyMap`);
 *    - `run`, one per job: `converged`, `converged_episode` (null if never), `checks`,
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
 * {@linkcode makerLearnStudy} and {@linkcode exactStudy} run their jobs on Web Workers
 * (`lib/sweep`) and merge rows in job order: every job depends on its own JSON only, so the
 * frames do not depend on the number of workers. `workers: 0` runs them in the calling thread
 * instead (the same frames, without the workers' start-up: for small budgets).
 *
 * @example
 * ```ts
 * import { makerLearnJob } from "./game_learning.ts";
 * const rows = await makerLearnJob({
 *   game: "g1",
 *   spec: { kind: "known", size: 1000 },
 *   taker: { label: "twap", taker: { kind: "passive" } },
 *   seed: 1, episodes: 20, evalEvery: 10, evalEpisodes: 1, testEpisodes: 2,
 *   gameOptions: { steps: 10 },
 * });
 * const kinds = [...new Set(rows.map((r) => r.table))].sort().join();
 * if (kinds !== "curve,map,run,test") throw new Error(kinds);
 * if (rows.filter((r) => r.table === "curve").length !== 2) throw new Error("two checks");
 * const tests = rows.filter((r) => r.table === "test");
 * if (tests.length !== 5) throw new Error("learned, 3 baselines, none");
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { checkInt, ConfigError } from "../errors.ts";
import {
  createGame,
  createPolicy,
  type GameConfig,
  type GameSpec,
  type MakerPolicySpec,
} from "../game/mod.ts";
import {
  exactCheck,
  greedyPolicies,
  type LearnerSettings,
  type MakersTrainResult,
  policyMap,
  saveRun,
  smallExactConfig,
  type TrainGameConfig,
  trainMakers,
} from "../makers/mod.ts";
import { type RowSelector, select } from "../report/stats.ts";
import { merge, sweep } from "../sweep/mod.ts";
import type { TakerSpec } from "../takers/mod.ts";

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
  /** Training episodes, ≥ 1. */
  readonly episodes: number;
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

/**
 * Plays each maker policy alone in the book for `episodes` episodes of the same game and seed,
 * and returns one row per policy with the means over the episodes (columns of the `test` rows
 * of the module doc, without the keys) and `maker_pnl_sd`, the standard deviation of the maker
 * PnL over the episodes (0 when the game is deterministic). A policy `null` plays no maker: its
 * maker columns are null and the taker's are its cost against the background alone.
 *
 * @example
 * ```ts
 * import { testPolicies } from "./game_learning.ts";
 * const rows = testPolicies({
 *   game: { steps: 10, game: { kind: "known", size: 1000 } },
 *   taker: { kind: "aggressive" },
 *   policies: [{ label: "replenisher", spec: { kind: "replenisher" } }],
 *   episodes: 3,
 *   seed: "test:0",
 * });
 * if (rows.length !== 1 || !(Number(rows[0].maker_pnl) > 0)) throw new Error("a maker earns");
 * if (Math.abs(Number(rows[0].act_up) + Number(rows[0].act_down) - 0) > 1) throw new Error();
 * ```
 */
export function testPolicies(options: TestPoliciesOptions): StudyRow[] {
  const episodes = checkInt("episodes", options.episodes, 1, 1e7);
  const rows: StudyRow[] = [];
  for (const [k, p] of options.policies.entries()) {
    if (typeof p?.label !== "string") {
      throw new ConfigError(`policies[${k}].label`, "a string", p?.label);
    }
    let off = 0, qty = 0, target = 0, decisions = 0;
    let counts = new Float64Array(0);
    const base = p.spec;
    const spec: MakerPolicySpec = {
      kind: "custom",
      create: (ctx) => {
        const inner = createPolicy(base!, ctx, `policies[${k}].spec`);
        counts = new Float64Array(ctx.actions.n);
        return {
          name: inner.name,
          start: inner.start,
          reset: inner.reset?.bind(inner),
          learn: inner.learn?.bind(inner),
          act(view) {
            const a = inner.act(view);
            off += view.p0 - view.price;
            qty += view.qty;
            target += view.target;
            decisions++;
            counts[a]++;
            return a;
          },
        };
      },
    };
    const game = createGame({
      ...options.game,
      makers: base === null ? 0 : 1,
      seed: options.seed,
      policy: base === null ? [] : spec,
      taker: options.taker,
    });
    let sq = 0;
    const sum = {
      maker_pnl: 0,
      maker_mtm: 0,
      maker_share: 0,
      maker_volume: 0,
      maker_fills: 0,
      taker_pnl: 0,
      shortfall_bps: 0,
      background_share: 0,
    };
    for (let e = 0; e < episodes; e++) {
      const s = e === 0 ? game.run(options.seed) : game.run();
      if (base !== null) {
        sum.maker_pnl += s.makerPnl[0];
        sq += s.makerPnl[0] ** 2;
        sum.maker_mtm += s.makerMtm[0];
        sum.maker_share += s.makerShare[0];
        sum.maker_volume += s.makerVolume[0];
        sum.maker_fills += s.makerFills[0];
      }
      sum.taker_pnl += s.takerPnl;
      sum.shortfall_bps += s.shortfallBps;
      sum.background_share += s.backgroundShare;
    }
    const row: StudyRow = { policy: p.label, episodes };
    const none = base === null;
    for (const [key, v] of Object.entries(sum)) {
      row[key] = none && key.startsWith("maker_") ? null : v / episodes;
    }
    const mean = sum.maker_pnl / episodes;
    row.maker_pnl_sd = none || episodes < 2
      ? null
      : Math.sqrt(Math.max(0, (sq - episodes * mean * mean) / (episodes - 1)));
    row.bid_offset = none ? null : off / decisions;
    row.bid_qty = none ? null : qty / decisions;
    row.bid_target = none ? null : target / decisions;
    game.actions.names.forEach((
      name,
      a,
    ) => (row[`act_${name}`] = none ? null : counts[a] / decisions));
    rows.push(row);
  }
  return rows;
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
      table: "curve",
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

/**
 * Runs one learning job: train, test against the baselines, policy map, optional save (see the
 * module doc). Returns the rows of every table, keyed by `game`, `size_visible`, `taker`,
 * `seed`.
 */
export async function makerLearnJob(job: MakerLearnJob): Promise<StudyRow[]> {
  if (typeof job !== "object" || job === null) throw new ConfigError("job", "an object", job);
  if (typeof job.game !== "string") throw new ConfigError("game", "a string label", job.game);
  if (typeof job.taker?.label !== "string") {
    throw new ConfigError("taker.label", "a string", job.taker?.label);
  }
  const seed = checkInt("seed", job.seed, 0, 2 ** 31 - 1);
  const testEpisodes = checkInt("testEpisodes", job.testEpisodes ?? 100, 1, 1e7);
  const gameOptions = job.gameOptions ?? {};
  for (const k of ["game", "seed", "makers"]) {
    if (k in gameOptions) {
      throw new ConfigError(`gameOptions.${k}`, "absent (set by the job)", k);
    }
  }
  const run = trainMakers({
    label: `${job.game}|${job.taker.label}|${seed}`,
    game: { ...gameOptions, makers: 1, seed, game: job.spec },
    taker: job.taker.taker,
    policy: { kind: "q" },
    learner: job.learner,
    episodes: job.episodes,
    evalEvery: job.evalEvery,
    evalEpisodes: job.evalEpisodes,
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
      rows.push({ ...keys, table: "test", test: t.label, size, ...r });
    }
  }

  if (job.map ?? true) {
    const map = policyMap(run);
    const cols = map.columns.filter((c) => !["action", "q_best"].includes(c));
    const data = cols.map((c) => map.getColumn(c).toArray() as (number | string)[]);
    for (let i = 0; i < map.height; i++) {
      const r: StudyRow = { ...keys, table: "map" };
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
    table: "run",
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

/**
 * The jobs of a learning study: every game × taker × seed, in that order.
 *
 * @example
 * ```ts
 * import { makerLearnJobs } from "./game_learning.ts";
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
  const seeds = checkInt("seeds", options.seeds, 1, 1000);
  const labels = options.takers.map((t) => t.label);
  if (new Set(labels).size !== labels.length) {
    throw new ConfigError("takers[].label", "unique labels", labels);
  }
  const games = options.games.map((g) => g.label);
  if (new Set(games).size !== games.length) {
    throw new ConfigError("games[].label", "unique labels", games);
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

/** Runs `jobs` through `fn` of this module: on `workers` Web Workers, or in this thread for 0. */
async function runJobs(options: {
  fn: "makerLearnJob" | "exactJob";
  jobs: readonly unknown[];
  workers?: number;
  onResult?: (info: { index: number; done: number; total: number }) => void;
}): Promise<pl.DataFrame> {
  const { fn, jobs, workers, onResult } = options;
  if (workers !== 0) {
    return await sweep({
      module: new URL("./game_learning.ts", import.meta.url),
      fn,
      jobs,
      workers,
      onResult,
    });
  }
  // In this thread, in order (no worker start-up: for small budgets); the same frame.
  const results = new Map<number, unknown>();
  const copy = (j: unknown) => JSON.parse(JSON.stringify(j ?? null));
  for (let i = 0; i < jobs.length; i++) {
    results.set(
      i,
      fn === "makerLearnJob" ? await makerLearnJob(copy(jobs[i])) : exactJob(copy(jobs[i])),
    );
    onResult?.({ index: i, done: i + 1, total: jobs.length });
  }
  return merge(jobs.map((_, i) => i), results);
}

/** The frames of a learning study, one per row table (columns that are all null dropped). */
export interface MakerLearnStudy {
  /** Learning curves: one row per check of every run. */
  readonly curves: pl.DataFrame;
  /** Test results: one row per run × test game × policy. */
  readonly tests: pl.DataFrame;
  /** Policy maps: one row per visited state of every run. */
  readonly maps: pl.DataFrame;
  /** One row per run: convergence and coverage. */
  readonly runs: pl.DataFrame;
}

/** Splits a merged study frame by its `table` column, dropping the columns left all null. */
export function splitStudyTables(df: pl.DataFrame, tables: readonly string[]): pl.DataFrame[] {
  return tables.map((t) => {
    const part = df.filter(pl.col("table").eq(pl.lit(t)));
    const keep = part.columns.filter((c) =>
      c !== "table" && c !== "job" && part.getColumn(c).nullCount() < part.height
    );
    return part.select(...keep);
  });
}

/** Options of {@linkcode makerLearnStudy}. */
export interface MakerLearnStudyOptions {
  /** The jobs (e.g. from {@linkcode makerLearnJobs}). */
  readonly jobs: readonly MakerLearnJob[];
  /** Worker count; 0 runs the jobs in this thread (no start-up cost). Default: the cores. */
  readonly workers?: number;
  /** Called as each job finishes (for a progress line). */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/**
 * Runs the jobs on Web Workers and returns the study's frames (identical for any worker count).
 */
export async function makerLearnStudy(options: MakerLearnStudyOptions): Promise<MakerLearnStudy> {
  const df = await runJobs({
    fn: "makerLearnJob",
    jobs: options.jobs,
    workers: options.workers,
    onResult: options.onResult,
  });
  const [curves, tests, maps, runs] = splitStudyTables(df, ["curve", "test", "map", "run"]);
  return { curves, tests, maps, runs };
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

/**
 * Runs `exactCheck(smallExactConfig(...))` for one taker and seed; one row (see the module doc).
 *
 * @example
 * ```ts
 * import { exactJob } from "./game_learning.ts";
 * const taker = { label: "twap", taker: { kind: "passive" } } as const;
 * const [r] = exactJob({ taker, seed: 0, steps: 3, episodes: 300 });
 * if (!(Number(r.gap) >= -1e-9) || r.optimal_actions === "") throw new Error();
 * ```
 */
export function exactJob(job: ExactJob): StudyRow[] {
  const seed = checkInt("seed", job.seed, 0, 2 ** 31 - 1);
  if (typeof job.taker?.label !== "string") {
    throw new ConfigError("taker.label", "a string", job.taker?.label);
  }
  const cfg = smallExactConfig({
    steps: job.steps,
    taker: job.taker.taker,
    episodes: job.episodes,
  });
  const r = exactCheck({ ...cfg, game: { ...cfg.game, seed } });
  const c = r.run.convergence;
  return [{
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

/** Options of {@linkcode exactStudy}. */
export interface ExactStudyOptions {
  /** Takers. */
  readonly takers: readonly LearnTaker[];
  /** Seeds `0 .. seeds − 1`. */
  readonly seeds: number;
  /** Steps of the small game. Default 6. */
  readonly steps?: number;
  /** Training episodes per check. Default 20,000. */
  readonly episodes?: number;
  /** Worker count; 0 runs the jobs in this thread (no start-up cost). Default: the cores. */
  readonly workers?: number;
  /** Progress callback. */
  readonly onResult?: (info: { index: number; done: number; total: number }) => void;
}

/** The exact check for every taker × seed, on Web Workers: one row per job (job order). */
export async function exactStudy(options: ExactStudyOptions): Promise<pl.DataFrame> {
  const seeds = checkInt("seeds", options.seeds, 1, 1000);
  const jobs: ExactJob[] = [];
  for (const taker of options.takers) {
    for (let seed = 0; seed < seeds; seed++) {
      jobs.push({ taker, seed, steps: options.steps, episodes: options.episodes });
    }
  }
  const df = await runJobs({
    fn: "exactJob",
    jobs,
    workers: options.workers,
    onResult: options.onResult,
  });
  return df.drop("job");
}

/** Options of {@linkcode policyCells}. */
export interface PolicyCellsOptions {
  /** The state feature on the x axis (a column of the `map` rows, e.g. `"time"`). */
  readonly x: string;
  /** The state feature on the y axis (e.g. `"ownBid"`). */
  readonly y: string;
  /** Columns kept apart (e.g. `["game", "taker"]`); the rest (seeds, other features) is pooled. */
  readonly by: readonly string[];
  /**
   * A state is **indifferent** when its best action beats the runner-up by at most this
   * (`q_margin`, currency). Default 1e-6: e.g. after the taker is done every action is worth 0.
   */
  readonly tol?: number;
}

/**
 * The learned policy as a map over two state features: for each (`by`, `x`, `y`) cell, pooling
 * seeds and the other features, the greedy action that holds in most of the cell's visits
 * (`action`; `"indifferent"` when every state of the cell is), its share of the cell's decisive
 * visits (`share`), the cell's visits (`visits`), the decisive share of them (`decisive`), and
 * the number of distinct (run, state) entries (`states`). Rows are sorted by `by`, `x`, `y`.
 *
 * @example
 * ```ts
 * import { policyCells } from "./game_learning.ts";
 * import { pl } from "../report/frames.ts";
 * const maps = pl.DataFrame({
 *   taker: ["a", "a", "a"], time: ["1", "1", "1"], ownBid: ["none", "none", "none"],
 *   visits: [10, 30, 5], action_name: ["up", "down", "up"], q_margin: [1, 2, 0],
 * });
 * const [c] = policyCells(maps, { x: "time", y: "ownBid", by: ["taker"] }).toRecords();
 * const ok = c.action === "down" && c.share === 0.75 && c.visits === 45;
 * if (!ok) throw new Error(JSON.stringify(c));
 * ```
 */
export function policyCells(maps: pl.DataFrame, options: PolicyCellsOptions): pl.DataFrame {
  const { x, y, by } = options;
  const tol = options.tol ?? 1e-6;
  for (const c of [x, y, ...by, "visits", "action_name", "q_margin"]) {
    if (!maps.columns.includes(c)) {
      throw new ConfigError("maps", `a frame with column ${JSON.stringify(c)}`, maps.columns);
    }
  }
  const keys = [...by, x, y];
  const cols = keys.map((c) => maps.getColumn(c).toArray() as unknown[]);
  const visits = maps.getColumn("visits").toArray() as number[];
  const action = maps.getColumn("action_name").toArray() as string[];
  const margin = maps.getColumn("q_margin").toArray() as number[];
  interface Cell {
    key: unknown[];
    visits: number;
    decisive: number;
    states: number;
    per: Map<string, number>;
  }
  const cells = new Map<string, Cell>();
  for (let i = 0; i < maps.height; i++) {
    const key = cols.map((c) => c[i]);
    const id = JSON.stringify(key);
    let cell = cells.get(id);
    if (!cell) cells.set(id, cell = { key, visits: 0, decisive: 0, states: 0, per: new Map() });
    cell.visits += visits[i];
    cell.states++;
    if (margin[i] > tol) {
      cell.decisive += visits[i];
      cell.per.set(action[i], (cell.per.get(action[i]) ?? 0) + visits[i]);
    }
  }
  const list = [...cells.values()].sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const u = String(a.key[k]), v = String(b.key[k]);
      if (u !== v) return u < v ? -1 : 1;
    }
    return 0;
  });
  const out: Record<string, unknown[]> = {};
  keys.forEach((k, j) => (out[k] = list.map((c) => c.key[j])));
  const best = list.map((c) => {
    let name = "indifferent", v = -1;
    for (const [a, w] of [...c.per.entries()].sort()) if (w > v) [name, v] = [a, w];
    return { name, share: c.decisive > 0 ? v / c.decisive : null };
  });
  return pl.DataFrame([
    ...keys.map((k) => pl.Series(k, out[k] as string[])),
    pl.Series("action", best.map((b) => b.name), pl.Utf8),
    pl.Series("share", best.map((b) => b.share), pl.Float64),
    pl.Series("visits", list.map((c) => c.visits), pl.Float64),
    pl.Series("decisive", list.map((c) => (c.visits > 0 ? c.decisive / c.visits : 0)), pl.Float64),
    pl.Series("states", list.map((c) => c.states), pl.Float64),
  ]);
}

/** Options of {@linkcode policyAgreement}. */
export interface PolicyAgreementOptions {
  /** The runs whose states are weighed (e.g. `{game: "game 1"}`). */
  readonly a: RowSelector;
  /** The runs compared with them (e.g. `{game: "game 2"}`). */
  readonly b: RowSelector;
  /** Columns pairing a run of `a` with one of `b` (e.g. `["taker", "seed"]`). */
  readonly on: readonly string[];
  /** State features both have (an `a` state is matched to the `b` state with equal values). */
  readonly features: readonly string[];
  /** Indifference margin, as in {@linkcode policyCells}. Default 1e-6. */
  readonly tol?: number;
}

/**
 * How far two sets of learned policies agree: for each pair of runs (matched on `on`), over the
 * decisive visited states of `a` weighted by their visits, the share whose `b` counterpart (the
 * state with the same `features`) exists, is decisive, and has the same greedy action. Columns:
 * `on…`, `matched` (share of `a`'s decisive visits with a decisive counterpart), `agreement`
 * (share of the matched visits where the actions agree). Several `a` states may map to one `b`
 * state (features `a` has and `b` lacks, such as the remaining size, are pooled).
 *
 * @example
 * ```ts
 * import { policyAgreement } from "./game_learning.ts";
 * import { pl } from "../report/frames.ts";
 * const maps = pl.DataFrame({
 *   game: ["g1", "g1", "g1", "g2", "g2"], seed: [0, 0, 0, 0, 0], time: ["1", "1", "2", "1", "2"],
 *   remaining: ["0", "9", "0", null, null], visits: [10, 30, 60, 5, 5],
 *   action_name: ["up", "down", "up", "down", "up"], q_margin: [1, 1, 1, 1, 0],
 * });
 * const [r] = policyAgreement(maps, {
 *   a: { game: "g1" }, b: { game: "g2" }, on: ["seed"], features: ["time"],
 * }).toRecords();
 * if (r.matched !== 0.4 || r.agreement !== 0.75) throw new Error(JSON.stringify(r));
 * ```
 */
export function policyAgreement(
  maps: pl.DataFrame,
  options: PolicyAgreementOptions,
): pl.DataFrame {
  const { on, features } = options;
  const tol = options.tol ?? 1e-6;
  const read = (s: RowSelector) => {
    const part = select(maps, s);
    const cols = [...on, ...features].map((c) => part.getColumn(c).toArray() as unknown[]);
    const visits = part.getColumn("visits").toArray() as number[];
    const action = part.getColumn("action_name").toArray() as string[];
    const margin = part.getColumn("q_margin").toArray() as number[];
    return { n: part.height, cols, visits, action, margin };
  };
  const A = read(options.a), B = read(options.b);
  const k = on.length;
  const bState = new Map<string, string | null>();
  for (let i = 0; i < B.n; i++) {
    bState.set(JSON.stringify(B.cols.map((c) => c[i])), B.margin[i] > tol ? B.action[i] : null);
  }
  const runs = new Map<
    string,
    { key: unknown[]; decisive: number; matched: number; agree: number }
  >();
  for (let i = 0; i < A.n; i++) {
    if (!(A.margin[i] > tol)) continue;
    const key = A.cols.slice(0, k).map((c) => c[i]);
    const id = JSON.stringify(key);
    let r = runs.get(id);
    if (!r) runs.set(id, r = { key, decisive: 0, matched: 0, agree: 0 });
    r.decisive += A.visits[i];
    const other = bState.get(JSON.stringify(A.cols.map((c) => c[i])));
    if (other === undefined || other === null) continue;
    r.matched += A.visits[i];
    if (other === A.action[i]) r.agree += A.visits[i];
  }
  const list = [...runs.values()].sort((a, b) => {
    for (let j = 0; j < k; j++) {
      const u = a.key[j] as string | number, v = b.key[j] as string | number;
      if (u !== v) return u < v ? -1 : 1;
    }
    return 0;
  });
  return pl.DataFrame([
    ...on.map((c, j) => pl.Series(c, list.map((r) => r.key[j]) as string[])),
    pl.Series("matched", list.map((r) => r.matched / r.decisive), pl.Float64),
    pl.Series(
      "agreement",
      list.map((r) => (r.matched > 0 ? r.agree / r.matched : null)),
      pl.Float64,
    ),
  ]);
}
