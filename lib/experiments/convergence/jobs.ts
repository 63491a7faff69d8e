/**
 * The convergence study (`deno task study:convergence`, and the state ablation on the same jobs):
 * Q-learning makers trained in the converging regime (`convergenceRegime` of `lib/makers`: ε
 * decaying per step to ~0, training stopped when the convergence criterion has held or at the
 * budget), then, on the runs that converged, the tests of `lib/makers/collusion.ts`:
 * exploitability and the impulse response to a forced deviation; and the fixed-rule game of the
 * competition study, for the profit gain Δ of the converged runs.
 *
 * ## A training job ({@linkcode trainJob})
 * For each (variant, taker, n, seed): `n` makers `{kind: "q", state, fallback}` trained together
 * on the game seeded with `seed` under the regime (`regime`: {@linkcode RegimeOptions}); their
 * greedy policies replayed for `evalEpisodes` episodes on the run's own seeds
 * `"eval:<seed>:<k>"`. If the run converged (or always, with `onlyConverged: false`):
 *
 * - `exploit`: seat 0's learned policy is replaced by a fresh learner trained against the other
 *   makers' frozen greedy policies under the same regime (`exploitability`), both evaluated on
 *   `exploit.episodes` episodes seeded `"exploit:<seed>:<k>"`;
 * - `impulse`: maker 0 is forced to play `action` (default `up`) at step `step` of
 *   `impulse.episodes` episodes seeded `"impulse:<seed>:<k>"`, every maker's bid and reward per
 *   step with and without the deviation (`impulseResponse`).
 *
 * `variant` labels the makers' state (`maker.state`) in the state ablation; the convergence study
 * uses the default state (`"default"`).
 *
 * ## Tables
 * - `runs` (one per training job): the key (`variant`, `taker`, `n`, `seed`), `budget`,
 *   `episodes` (played), `converged`, `stopped` (`"converged"` or `"budget"`),
 *   `converged_episode`, `checks`; the last check's statistics `path_max`, `path_mean`,
 *   `visited_max`, `visited_mean` (`trainMakers`'s policy-change statistics, largest and mean over
 *   the makers); `period`, `distinct`, `returns` (`playRecurrence` of the joint greedy play over
 *   the last `window` checks); `states`, `visited` (mean over makers), `coverage`; the greedy
 *   replay: `maker_pnl` (mean per maker), `makers_pnl`, `pnl_min`, `pnl_max`, `taker_cost`,
 *   `offset` (mean `P0 − bid` over steps and makers), `resting`, `unvisited` (share of the greedy
 *   decisions taken in states never visited, mean over makers).
 * - `checks` (one per check): the key, `check`, `episode`, `epsilon`, `change` (the criterion's
 *   value), `path_max`, `path_mean`, `visited_max`, `visited_mean`, `unvisited_max`,
 *   `eval_makers_pnl`.
 * - `exploit` (one per tested run): the key, `seat`, `learned`, `response`, `gain`, `gain_lo`,
 *   `gain_hi` (95 % interval over the paired episodes), `br_converged`, `br_episodes`.
 * - `impulse` (one per tested run, maker and step): the key, `maker`, `deviator`, `step`,
 *   `offset_base`, `offset_dev`, `reward_base`, `reward_dev`.
 * - `deviation` (one per tested run and maker): the key, `maker`, `deviator`, `pnl_base`,
 *   `pnl_dev`, `already` (share of episodes where the deviator would have played the action
 *   anyway).
 * - `rules`: the competition study's fixed-rule game (`rulesJob`), for `ruleBenchmarks`.
 *
 * @example
 * ```ts
 * import { convergenceStudy, trainJob } from "./jobs.ts";
 * const rows = trainJob({
 *   kind: "train", variant: "default", taker: { label: "TWAP", taker: { kind: "passive" } },
 *   n: 2, seed: 1, evalEpisodes: 2,
 *   game: { steps: 10, game: { kind: "known", size: 1000 } },
 *   regime: { decayEpisodes: 50, budget: 200, checkEvery: 20, evalEpisodes: 2 },
 *   onlyConverged: false, exploit: { episodes: 2 }, impulse: { step: 3, episodes: 2 },
 * });
 * const f = convergenceStudy.fromRows(rows);
 * if (f.runs.height !== 1 || f.exploit.height !== 1 || f.deviation.height !== 2) throw new Error();
 * if (f.impulse.height !== 2 * 10) throw new Error("two makers × ten steps");
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import { checkInt, checkOneOf, ConfigError } from "../../errors.ts";
import { evaluateGame, type GameEvaluation } from "../../game/mod.ts";
import { playRecurrence, stateVisits } from "../../learn/mod.ts";
import {
  convergenceRegime,
  exploitability,
  greedyPolicies,
  impulseResponse,
  type MakerStateOptions,
  type MakersTrainResult,
  type RegimeOptions,
  trainMakers,
} from "../../makers/mod.ts";
import { defineStudy, type Study } from "../../sweep/mod.ts";
import type { CompetitionGame, CompetitionTaker, RulesJob } from "../competition/jobs.ts";
import { RULES_TABLE, rulesJob } from "../competition/jobs.ts";

/** The learners' own options in a training job (plain data). */
export interface JobMaker {
  /** Bucket edges of the state (`lib/makers/state.ts`). Default: the encoder's defaults. */
  readonly state?: MakerStateOptions;
  /** Action played greedily in unvisited states. Default `"keep_price"`. */
  readonly fallback?: string;
}

/** A training job (see the module doc). */
export interface TrainJob {
  /** Job kind. */
  readonly kind: "train";
  /** Label of the makers' state variant (`"default"` in the convergence study). */
  readonly variant: string;
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Number of makers, ≥ 1. */
  readonly n: number;
  /** Root seed of the training game. */
  readonly seed: number;
  /** The regime (defaults: `convergenceRegime`'s). */
  readonly regime?: RegimeOptions;
  /** The learners' options. */
  readonly maker?: JobMaker;
  /** Game settings (market, game variant, steps). */
  readonly game?: CompetitionGame;
  /** Greedy replay episodes. */
  readonly evalEpisodes: number;
  /** Exploitability of seat 0 (on `episodes` paired episodes), or absent. */
  readonly exploit?: { readonly episodes: number };
  /** Impulse response to maker 0's forced `action` (default `"up"`) at `step`, or absent. */
  readonly impulse?: { readonly step: number; readonly episodes: number; readonly action?: string };
  /** Run the tests only on converged runs. Default true. */
  readonly onlyConverged?: boolean;
  /** Checks read for the play's recurrence. Default 20. */
  readonly window?: number;
}

/** A job of the study: training or the fixed-rule game. */
export type ConvergenceJob = TrainJob | RulesJob;

/** A row (the `table` column says which table it belongs to). */
export type ConvergenceRow = Record<string, number | string | boolean | null>;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const mean = (
  a: readonly number[],
) => (a.length > 0 ? a.reduce((s, x) => s + x, 0) / a.length : NaN);

/** Trains, replays and tests one population (see the module doc). */
export function trainJob(job: TrainJob): ConvergenceRow[] {
  const n = checkInt("n", job.n, 1, 64);
  const evalEpisodes = checkInt("evalEpisodes", job.evalEpisodes, 1, 1e6);
  const window = checkInt("window", job.window ?? 20, 1, 1e6);
  if (typeof job.variant !== "string" || job.variant === "") {
    throw new ConfigError("variant", "a non-empty label", job.variant);
  }
  const key = { variant: job.variant, taker: job.taker.label, n, seed: job.seed };
  const game = { ...(job.game ?? {}), makers: n, seed: job.seed };
  const regime = convergenceRegime(game, job.regime ?? {});
  const checks: ConvergenceRow[] = [];
  const plays: string[] = [];
  const run = trainMakers({
    label: `${job.variant}:${job.taker.label}:n${n}:s${job.seed}`,
    game,
    taker: job.taker.taker,
    policy: { kind: "q", ...(job.maker ?? {}) },
    ...regime,
    onProgress: (p) => {
      if (!p.check) return;
      const s = p.check.stats;
      plays.push(p.check.play);
      checks.push({
        table: "checks",
        ...key,
        check: p.check.index,
        episode: p.episode,
        epsilon: p.epsilon,
        change: num(p.check.policyChange),
        path_max: num(s.pathMax),
        path_mean: num(s.pathMean),
        visited_max: num(s.visitedMax),
        visited_mean: num(s.visitedMean),
        unvisited_max: num(s.unvisitedMax),
        eval_makers_pnl: num(p.check.evalMakerPnl.reduce((a, b) => a + b, 0)),
      });
    },
  });
  const { policy } = greedyPolicies(run);
  const ev = evaluateGame({
    config: { ...game, policy, taker: job.taker.taker },
    episodes: evalEpisodes,
    seed: (k) => `eval:${job.seed}:${k}`,
    steps: true,
  });
  const rows: ConvergenceRow[] = [
    runRow({ key, run, ev, last: checks[checks.length - 1], rec: playRecurrence(plays, window) }),
    ...checks,
  ];
  if (run.convergence.met || job.onlyConverged === false) {
    rows.push(...testRows({ job, key, game, regime: job.regime ?? {}, policy }));
  }
  return rows;
}

/** The `runs` row of a training job. */
function runRow(o: {
  key: ConvergenceRow;
  run: MakersTrainResult;
  ev: GameEvaluation;
  last: ConvergenceRow | undefined;
  rec: ReturnType<typeof playRecurrence>;
}): ConvergenceRow {
  const { run, ev } = o;
  const n = ev.makers.length, p0 = ev.game.config.p0, st = ev.steps!;
  const visited = run.learners.map((l) =>
    stateVisits(l.visits, l.nActions).filter((v) => v > 0).length
  );
  const states = run.learners[0].nStates;
  const pnl = ev.makers.map((m) => m.pnl);
  const perMaker = (f: (i: number) => number) => mean(Array.from({ length: n }, (_, i) => f(i)));
  return {
    table: "runs",
    ...o.key,
    budget: (run.config as { episodes: number }).episodes,
    episodes: run.episodes,
    converged: run.convergence.met,
    stopped: run.convergence.stopped,
    converged_episode: run.convergence.episode,
    checks: run.checks,
    path_max: o.last?.path_max ?? null,
    path_mean: o.last?.path_mean ?? null,
    visited_max: o.last?.visited_max ?? null,
    visited_mean: o.last?.visited_mean ?? null,
    period: o.rec.period,
    distinct: o.rec.distinct,
    returns: o.rec.returns,
    states,
    visited: mean(visited),
    coverage: mean(visited) / states,
    maker_pnl: ev.mean.makersPnl / n,
    makers_pnl: ev.mean.makersPnl,
    pnl_min: Math.min(...pnl),
    pnl_max: Math.max(...pnl),
    taker_cost: -ev.mean.takerPnl,
    offset: perMaker((i) => mean(Array.from(st.makers[i].bidPrice, (x) => p0 - x))),
    resting: perMaker((i) => mean(Array.from(st.makers[i].resting))),
    unvisited: num(mean([...ev.unvisited])),
  };
}

/** The exploitability and impulse-response rows of a trained population. */
function testRows(o: {
  job: TrainJob;
  key: ConvergenceRow;
  game: CompetitionGame & { makers: number; seed: number };
  regime: RegimeOptions;
  policy: ReturnType<typeof greedyPolicies>["policy"];
}): ConvergenceRow[] {
  const { job, key, game, policy } = o;
  const rows: ConvergenceRow[] = [];
  if (job.exploit) {
    const x = exploitability({
      game,
      taker: job.taker.taker,
      policy,
      seat: 0,
      train: convergenceRegime(game, o.regime),
      maker: job.maker,
      episodes: checkInt("exploit.episodes", job.exploit.episodes, 2, 1e6),
      evalSeed: `exploit:${job.seed}`,
    });
    rows.push({
      table: "exploit",
      ...key,
      seat: x.seat,
      learned: x.learned,
      response: x.response,
      gain: x.gain,
      gain_lo: num(x.lo),
      gain_hi: num(x.hi),
      br_converged: x.run.convergence.met,
      br_episodes: x.run.episodes,
    });
  }
  if (job.impulse) {
    const ir = impulseResponse({
      config: { ...game, taker: job.taker.taker },
      policy,
      step: job.impulse.step,
      action: job.impulse.action ?? "up",
      episodes: checkInt("impulse.episodes", job.impulse.episodes, 1, 1e6),
      seed: `impulse:${job.seed}`,
    });
    ir.makers.forEach((m, i) => {
      const who = { ...key, maker: i, deviator: i === ir.deviator };
      rows.push({
        table: "deviation",
        ...who,
        pnl_base: m.pnlBase,
        pnl_dev: m.pnlDev,
        already: ir.alreadyPlayed,
      });
      m.offsetBase.forEach((_, t) =>
        rows.push({
          table: "impulse",
          ...who,
          step: t,
          offset_base: m.offsetBase[t],
          offset_dev: m.offsetDev[t],
          reward_base: m.rewardBase[t],
          reward_dev: m.rewardDev[t],
        })
      );
    });
  }
  return rows;
}

/** Runs one job of either kind (the scaffold's job function). */
export function convergenceJob(job: ConvergenceJob): ConvergenceRow[] {
  const kind = checkOneOf("job.kind", (job as { kind?: unknown })?.kind, ["train", "rules"]);
  return kind === "train" ? trainJob(job as TrainJob) : rulesJob(job as RulesJob);
}

const KEY = { variant: "str", taker: "str", n: "int", seed: "int" } as const;
const SORT = ["variant", "taker", "n", "seed"];

/** The study's tables (columns as in the module doc). */
export const convergenceStudy: Study<ConvergenceJob, keyof ConvergenceFrames> = defineStudy({
  module: import.meta.url,
  fn: "convergenceJob",
  tables: {
    runs: {
      columns: {
        ...KEY,
        budget: "int",
        episodes: "int",
        converged: "bool",
        stopped: "str",
        converged_episode: "int",
        checks: "int",
        path_max: "float",
        path_mean: "float",
        visited_max: "float",
        visited_mean: "float",
        period: "int",
        distinct: "int",
        returns: "int",
        states: "int",
        visited: "float",
        coverage: "float",
        maker_pnl: "float",
        makers_pnl: "float",
        pnl_min: "float",
        pnl_max: "float",
        taker_cost: "float",
        offset: "float",
        resting: "float",
        unvisited: "float",
      },
      sort: SORT,
    },
    checks: {
      columns: {
        ...KEY,
        check: "int",
        episode: "int",
        epsilon: "float",
        change: "float",
        path_max: "float",
        path_mean: "float",
        visited_max: "float",
        visited_mean: "float",
        unvisited_max: "float",
        eval_makers_pnl: "float",
      },
      sort: [...SORT, "check"],
    },
    exploit: {
      columns: {
        ...KEY,
        seat: "int",
        learned: "float",
        response: "float",
        gain: "float",
        gain_lo: "float",
        gain_hi: "float",
        br_converged: "bool",
        br_episodes: "int",
      },
      sort: SORT,
    },
    impulse: {
      columns: {
        ...KEY,
        maker: "int",
        deviator: "bool",
        step: "int",
        offset_base: "float",
        offset_dev: "float",
        reward_base: "float",
        reward_dev: "float",
      },
      sort: [...SORT, "maker", "step"],
    },
    deviation: {
      columns: {
        ...KEY,
        maker: "int",
        deviator: "bool",
        pnl_base: "float",
        pnl_dev: "float",
        already: "float",
      },
      sort: [...SORT, "maker"],
    },
    rules: RULES_TABLE,
  },
});

/** The study's frames. */
export interface ConvergenceFrames {
  /** One row per training job. */
  readonly runs: pl.DataFrame;
  /** One row per check of every training job. */
  readonly checks: pl.DataFrame;
  /** One row per tested run: the best response's gain. */
  readonly exploit: pl.DataFrame;
  /** One row per tested run, maker and step: the impulse response. */
  readonly impulse: pl.DataFrame;
  /** One row per tested run and maker: episode PnL with and without the deviation. */
  readonly deviation: pl.DataFrame;
  /** The fixed-rule game (for the benchmarks). */
  readonly rules: pl.DataFrame;
}
