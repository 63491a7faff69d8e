/**
 * Co-learning in the converging regime (notebook 05 §4): one maker and the learning taker
 * (`coLearn` of `lib/makers`) trained against each other with `convergenceRegime`'s ε decay,
 * checks and stop rule, so that the question "does the joint play settle?" is asked of the same
 * criterion as the convergence study's. Both policy-change statistics are kept per side, because
 * they can disagree: the criterion reads the `"path"` statistic (the share of the greedy play's
 * decisions whose action changed), `coLearn`'s verdict the `"visited"` one (the share of every
 * visited state whose greedy action changed, however rarely played).
 *
 * ## Tables
 * - `colearn` (one per job): `game`, `seed`, `budget`, `episodes` (played), `converged` (the
 *   criterion: path statistic, max over both sides, ≤ `tol` at `patience` consecutive checks),
 *   `stopped`, `converged_episode`; `outcome` and `period` (`coLearn`'s verdict on the visited
 *   statistic: settled, cycling or drifting); `play_period`, `play_distinct`, `play_returns`
 *   (`playRecurrence` of the joint greedy play over the last `window` checks); per side the
 *   largest value over the last `patience` checks of each statistic: `path_makers`,
 *   `path_taker`, `visited_makers`, `visited_taker`; `tol`, `patience`.
 * - `colearn_checks` (one per check and side): `game`, `seed`, `check`, `episode`, `side`
 *   (`makers`, `taker`), `path`, `visited`.
 *
 * @example
 * ```ts
 * import { colearnJob, colearnStudy } from "./colearn.ts";
 * const rows = colearnJob({
 *   game: { label: "g", game: { kind: "known", size: 1000 } }, seed: 1,
 *   settings: { steps: 10 },
 *   regime: { decayEpisodes: 100, budget: 400, checkEvery: 50, evalEpisodes: 2 },
 * });
 * const f = colearnStudy.fromRows(rows);
 * if (f.colearn.height !== 1 || f.colearn_checks.height !== 2 * 8) throw new Error();
 * ```
 * @module
 */
import pl from "nodejs-polars";
import {
  anything,
  arrayOf,
  checkInt,
  checkOptions,
  type Field,
  int,
  optional,
} from "../../errors.ts";
import type { GameSpec } from "../../game/mod.ts";
import { playRecurrence } from "../../learn/mod.ts";
import {
  coLearn,
  convergenceRegime,
  REGIME_OPTIONS,
  type RegimeOptions,
} from "../../makers/mod.ts";
import { defineStudy, type Study, type StudyRunOptions } from "../../sweep/mod.ts";
import { gameOptions, gameVariant, STUDY_RUN_OPTIONS } from "../_fields.ts";
import type { CompetitionGame } from "../competition/jobs.ts";
import { int as fmtInt, median, pct } from "../../report/mod.ts";
import { wilson } from "./summaries.ts";
import type { ConvergenceRow } from "./jobs.ts";

/** One co-learning job (plain data). */
export interface ColearnJob {
  /** The game variant, labelled. */
  readonly game: { readonly label: string; readonly game: GameSpec };
  /** Root seed. */
  readonly seed: number;
  /** Other game settings (arrival, market, steps). */
  readonly settings?: Omit<CompetitionGame, "game">;
  /** The regime (missing fields: `convergenceRegime`'s defaults). */
  readonly regime?: RegimeOptions;
  /** Checks read for the joint play's recurrence. Default 20. */
  readonly window?: number;
}

const num = (x: number | null | undefined): number | null =>
  typeof x === "number" && Number.isFinite(x) ? x : null;

/** Trains one maker and the learning taker together in the regime; rows as in the module doc. */
export function colearnJob(job: ColearnJob): ConvergenceRow[] {
  const window = checkInt("window", job.window ?? 20, 1, 1e6);
  const key = { game: job.game.label, seed: job.seed };
  const game = { ...(job.settings ?? {}), game: job.game.game, makers: 1, seed: job.seed };
  const regime = convergenceRegime(game, job.regime ?? {});
  const plays: string[] = [];
  const res = coLearn({
    label: `colearn:${job.game.label}:${job.seed}`,
    game,
    policy: { kind: "q" },
    ...regime,
    onProgress: (p) => {
      if (p.check) plays.push(p.check.play);
    },
  });
  const run = res.run;
  // Per check and side: the path statistic (largest over the side's learners) from the records,
  // the visited statistic from coLearn's dynamics.
  const checks = run.records.filter(pl.col("check").isNotNull()).toRecords() as Record<
    string,
    unknown
  >[];
  const path = new Map<string, number | null>();
  for (const r of checks) {
    const side = r.role === "taker" ? "taker" : "makers";
    const k = `${r.check}:${side}`;
    const v = num(r.path_change as number | null);
    const old = path.get(k);
    path.set(k, old === undefined ? v : v === null ? old : old === null ? v : Math.max(old, v));
  }
  const rows: ConvergenceRow[] = [];
  const dyn = res.dynamics.toRecords() as Record<string, unknown>[];
  for (const r of dyn) {
    rows.push({
      table: "colearn_checks",
      ...key,
      check: r.check as number,
      episode: r.episode as number,
      side: r.side as string,
      path: path.get(`${r.check}:${r.side}`) ?? null,
      visited: num(r.change as number | null),
    });
  }
  const { tol, patience } = run.convergence;
  const lastMax = (side: string, col: "path" | "visited") => {
    const v = rows.filter((r) => r.side === side).slice(-patience).map((r) => r[col])
      .filter((x): x is number => typeof x === "number");
    return v.length ? Math.max(...v) : null;
  };
  const rec = playRecurrence(plays, window);
  rows.unshift({
    table: "colearn",
    ...key,
    budget: regime.episodes,
    episodes: run.episodes,
    converged: run.convergence.met,
    stopped: run.convergence.stopped,
    converged_episode: run.convergence.episode,
    outcome: res.outcome,
    period: res.period,
    play_period: rec.period,
    play_distinct: rec.distinct,
    play_returns: rec.returns,
    path_makers: lastMax("makers", "path"),
    path_taker: lastMax("taker", "path"),
    visited_makers: lastMax("makers", "visited"),
    visited_taker: lastMax("taker", "visited"),
    tol,
    patience,
  });
  return rows;
}

/** The co-learning study's tables (module doc). */
export const colearnStudy: Study<ColearnJob, "colearn" | "colearn_checks"> = defineStudy({
  module: import.meta.url,
  fn: "colearnJob",
  tables: {
    colearn: {
      columns: {
        game: "str",
        seed: "int",
        budget: "int",
        episodes: "int",
        converged: "bool",
        stopped: "str",
        converged_episode: "int",
        outcome: "str",
        period: "int",
        play_period: "int",
        play_distinct: "int",
        play_returns: "int",
        path_makers: "float",
        path_taker: "float",
        visited_makers: "float",
        visited_taker: "float",
        tol: "float",
        patience: "int",
      },
      sort: ["game", "seed"],
    },
    colearn_checks: {
      columns: {
        game: "str",
        seed: "int",
        check: "int",
        episode: "int",
        side: "str",
        path: "float",
        visited: "float",
      },
      sort: ["game", "seed", "check", "side"],
    },
  },
});

/** Options of {@linkcode colearnConverging} (and the study's run options). */
export interface ColearnConvergingOptions extends StudyRunOptions {
  /** Game variants, labelled. */
  readonly games: readonly { readonly label: string; readonly game: GameSpec }[];
  /** Seeds `1 … seeds` per game. */
  readonly seeds: number;
  /** Other game settings. Default none. */
  readonly settings?: Omit<CompetitionGame, "game">;
  /** The regime. Default `convergenceRegime`'s. */
  readonly regime?: RegimeOptions;
}

const COLEARN_OPTIONS = {
  games: arrayOf(gameVariant("colearnConverging"), { minLength: 1 }),
  seeds: int(1, 10_000),
  settings: optional(gameOptions(["makers", "seed", "policy", "taker", "game"])),
  regime: optional(anything("regime options (checked by convergenceRegime's schema)")),
  ...STUDY_RUN_OPTIONS,
} satisfies Record<keyof ColearnConvergingOptions, Field<unknown>>;

/**
 * The jobs of {@linkcode colearnConverging}: every game × seed, games outermost; the options
 * are checked first (the regime by its schema, `regime.budget`; games by `lib/game`).
 */
export function colearnJobs(o: ColearnConvergingOptions): ColearnJob[] {
  checkOptions(o, COLEARN_OPTIONS, { owner: "colearnConverging" });
  const regime = checkOptions(o.regime ?? {}, REGIME_OPTIONS, {
    owner: "colearnConverging",
    path: "regime",
  });
  return o.games.flatMap((game) =>
    Array.from({ length: o.seeds }, (_, i) => ({
      game,
      seed: i + 1,
      regime,
      ...(o.settings ? { settings: o.settings } : {}),
    }))
  );
}

/** Runs {@linkcode colearnJobs} on workers; the two tables. */
export function colearnConverging(
  o: ColearnConvergingOptions,
): Promise<{ colearn: pl.DataFrame; colearn_checks: pl.DataFrame }> {
  const { games: _g, seeds: _s, settings: _t, regime: _r, ...run } = o;
  return colearnStudy.run(colearnJobs(o), run);
}

/**
 * Per game: `runs`, `converged` (the criterion met) with Wilson's `rate_lo`, `rate_hi`,
 * `median_episode`; `coLearn`'s visited-statistic verdicts (`settled`, `cycling`, `drifting`);
 * the joint play's recurrence over the last checks among the runs that did not converge
 * (`play_cycling`: period ≥ 2 or returns to earlier plays; `play_drifting`); and the mean of each
 * side's largest change over the last `patience` checks, per statistic; the criterion's `tol` and
 * `patience`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { colearnSummary } from "./colearn.ts";
 * const row = (seed: number, converged: boolean, outcome: string) => ({
 *   game: "g", seed, converged, converged_episode: converged ? 1000 * seed : null, outcome,
 *   play_period: converged ? 1 : -1, play_returns: 0, path_makers: 0, path_taker: 0.01,
 *   visited_makers: 0.01, visited_taker: 0.04,
 * });
 * const s = colearnSummary(pl.readRecords([row(1, true, "drifting"), row(2, true, "settled"), row(3, false, "drifting")]));
 * const r = s.toRecords()[0];
 * if (r.converged !== 2 || r.median_episode !== 1500 || r.drifting !== 2 || r.play_drifting !== 1) {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function colearnSummary(colearn: pl.DataFrame): pl.DataFrame {
  const recs = colearn.toRecords() as Record<string, unknown>[];
  const games = [...new Set(recs.map((r) => String(r.game)))];
  const mean = (xs: unknown[]) => {
    const v = xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const out = games.map((game) => {
    const rs = recs.filter((r) => r.game === game);
    const conv = rs.filter((r) => r.converged === true);
    const not = rs.filter((r) => r.converged !== true);
    const cyc = not.filter((r) => (r.play_period as number) >= 2 || (r.play_returns as number) > 0);
    const w = wilson(conv.length, rs.length);
    const count = (o: string) => rs.filter((r) => r.outcome === o).length;
    return {
      game,
      runs: rs.length,
      converged: conv.length,
      rate_lo: w.lo,
      rate_hi: w.hi,
      median_episode: median(conv.map((r) => r.converged_episode as number)),
      settled: count("settled"),
      cycling: count("cycling"),
      drifting: count("drifting"),
      play_cycling: cyc.length,
      play_drifting: not.length - cyc.length,
      path_makers: mean(rs.map((r) => r.path_makers)),
      path_taker: mean(rs.map((r) => r.path_taker)),
      visited_makers: mean(rs.map((r) => r.visited_makers)),
      visited_taker: mean(rs.map((r) => r.visited_taker)),
      tol: Math.max(...rs.map((r) => Number(r.tol ?? NaN))),
      patience: Math.max(...rs.map((r) => Number(r.patience ?? NaN))),
    };
  });
  return pl.readRecords(out);
}

/**
 * {@linkcode colearnSummary}'s rows as the notebook's table: per game, the runs that met the
 * criterion (Wilson's interval) and the median episode, `coLearn`'s verdicts on the visited
 * statistic, and each side's largest change over the last checks on both statistics.
 */
export function colearnTable(summary: pl.DataFrame): pl.DataFrame {
  const rows = (summary.toRecords() as Record<string, unknown>[]).map((r) => ({
    game: r.game,
    "criterion met (path, both sides)": `${r.converged} of ${r.runs} (${
      pct(r.rate_lo as number, 0)
    }–${pct(r.rate_hi as number, 0)})`,
    "median episode": r.median_episode === null ? "—" : fmtInt(r.median_episode as number),
    "path change at the last checks: maker / taker": `${pct(r.path_makers as number)} / ${
      pct(r.path_taker as number)
    }`,
    "visited-state change: maker / taker": `${pct(r.visited_makers as number)} / ${
      pct(r.visited_taker as number)
    }`,
    "verdict on visited states: settled / cycling / drifting":
      `${r.settled} / ${r.cycling} / ${r.drifting}`,
    "not met: play cycling / drifting": `${r.play_cycling} / ${r.play_drifting}`,
  }));
  return pl.readRecords(rows);
}
