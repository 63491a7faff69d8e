/**
 * The jobs of notebook 04 (competition): n = 0, 1, 2, … Q-learning makers in one book against
 * one taker, and the fixed-rule game behind the benchmarks that put their profit between
 * competition and collusion (`benchmarks.ts`: the profit gain Δ of Calvano et al. 2020).
 *
 * ## Learning runs ({@linkcode learnJob})
 * For each (taker, n, seed): `n` independent Q-learning makers (`lib/makers`, library defaults:
 * visit-count learning rate, ε linear from 1 to 0.05 over 80 % of the episodes, then 0.05) are
 * trained together for `episodes` episodes on the game seeded with `seed`; then their final greedy
 * policies (no exploration, no learning) are replayed for `evalEpisodes` episodes on the run's own
 * evaluation seeds (`"eval:<seed>:0"`, `"eval:<seed>:1"`, …), with recording on. (Seeds shared by
 * all runs would give every run the same sequence of update orders, so whichever maker index that
 * sequence happens to favour in ties would be favoured in every run.) With
 * n = 0 nothing is trained: the same evaluation shows what the taker pays the background alone.
 * What is reported is the greedy play, not the exploring training episodes.
 *
 * ## The fixed-rule game and the benchmarks ( {@linkcode rulesJob}; `ruleBenchmarks` in `benchmarks.ts`)
 * A **fixed rule** `(offset, qty)` is the replenisher baseline: hold the bid at `P0 − offset` and
 * restore it to `qty` after every fill. Restricted to a family of such rules (a grid of offsets ×
 * quantities), the episode is a one-shot game in which each maker picks a rule and earns its PnL
 * share. For every symmetric profile `s` (all makers play `s`) and every rule `d`, the job plays
 * maker 0 on `d` against `n − 1` makers on `s` (common random numbers: the same seeds for every
 * pair), which gives
 *
 * - `π(s)`: the per-maker payoff of the symmetric profile (mean over makers and episodes), and
 * - `gain(s)`: the most a single maker gains by switching to another rule of the family.
 *
 * The benchmarks, per (taker, n):
 *
 * - **Collusive** `π_M`: the best symmetric rule for the group, `max_s π(s)`: the joint profit a
 *   cartel that may only pick one fixed rule for all its members gets, per member.
 * - **Competitive** `π_N`: the most profitable symmetric pure Nash equilibrium of the rule game,
 *   `max {π(s) : gain(s) ≤ tol}`. Taking the *most* profitable equilibrium is the conservative
 *   choice: it credits competition with as much profit as any equilibrium allows, so a learned
 *   profit above it is not explained by any fixed-rule equilibrium. With n = 1 the equilibrium is
 *   the monopolist's best rule and `π_N = π_M` (Δ is undefined).
 * - **Bertrand** `π_B`: every maker bids at P0 (offset 0) with the family's largest quantity, the
 *   most competitive level: the taker sells at P0, its cost and so every share is about zero.
 *   Reported with whether it is an equilibrium of the family.
 *
 * The **profit gain** of a learned run is `Δ = (π − π_N) / (π_M − π_N)` ({@linkcode profitGain}),
 * with `π` the learned makers' mean per-maker PnL in greedy play: 0 at the competitive benchmark,
 * 1 at the collusive one. `Δ_B` uses `π_B` instead of `π_N`. Limits: both benchmarks live in the
 * family of *fixed* rules, while learners play state-dependent policies (they can pull a bid when
 * the taker is about to sell); a learned profit above `π_M` (Δ > 1) is possible and means the
 * fixed-rule cartel is not the true joint optimum; mixed and asymmetric equilibria are not
 * searched.
 *
 * ## Frames
 * Jobs return rows tagged with their table ({@linkcode competitionStudy});
 * {@linkcode runCompetition} runs every job through the study scaffold (`lib/sweep/study.ts`):
 * the frames are identical for any worker count.
 *
 * @example
 * ```ts
 * import { competitionStudy, learnJob } from "./jobs.ts";
 * const taker = { label: "TWAP", taker: { kind: "passive" } } as const;
 * const rows = learnJob({ kind: "learn", taker, n: 2, seed: 1, episodes: 40, evalEpisodes: 2 });
 * const f = competitionStudy.fromRows(rows);
 * if (f.runs.height !== 1 || f.makers.height !== 2) throw new Error("one run, two makers");
 * ```
 * @module
 */
import type pl from "nodejs-polars";
import { checkInt, checkKeys, checkNum, checkObject, ConfigError } from "../../errors.ts";
import { evaluateGame, type GameEvaluation, type MakerPolicySpec } from "../../game/mod.ts";
import { stateVisits } from "../../learn/mod.ts";
import { greedyPolicies, type TrainGameConfig, trainMakers } from "../../makers/mod.ts";
import { defineStudy, type Study, STUDY_RUN_KEYS, type StudyRunOptions } from "../../sweep/mod.ts";
import type { TakerSpec } from "../../takers/mod.ts";
import { gameOptions, takerCase } from "../_fields.ts";
import { checkFamily, DEFAULT_FAMILY, familyRules, type RuleFamily } from "./benchmarks.ts";

/** A taker strategy with the label it carries in the frames. */
export interface CompetitionTaker {
  /** Label, e.g. `"reactive"`. */
  readonly label: string;
  /** The strategy (plain data). */
  readonly taker: TakerSpec;
}

/** Game settings shared by every run (plain data; the maker count, seed and agents are set here). */
export type CompetitionGame = Omit<TrainGameConfig, "makers" | "seed">;

/** A learning run: train n Q-makers, then replay their greedy policies. */
export interface LearnJob {
  /** Job kind. */
  readonly kind: "learn";
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Number of makers, all Q-learners (0: the taker against the background alone). */
  readonly n: number;
  /** Root seed of the training game (the learners' and the game's streams). */
  readonly seed: number;
  /** Training episodes. */
  readonly episodes: number;
  /** Greedy evaluation episodes at the end (seeds `"eval:<seed>:0"` …). */
  readonly evalEpisodes: number;
  /** Convergence checks during training (`evalEvery = ⌊episodes / checks⌋`), ≤ `episodes`. Default 50 (at most `episodes`). */
  readonly checks?: number;
  /** Greedy evaluation episodes per check (the learning curve). Default 5. */
  readonly checkEpisodes?: number;
  /** Game settings. Default: the game's defaults (game 1, Q = 8,000, N = 60). */
  readonly game?: CompetitionGame;
}

/** A fixed-rule job: the symmetric profiles and unilateral deviations of a rule family. */
export interface RulesJob {
  /** Job kind. */
  readonly kind: "rules";
  /** The taker. */
  readonly taker: CompetitionTaker;
  /** Number of makers, ≥ 1. */
  readonly n: number;
  /** The rule family. */
  readonly family: RuleFamily;
  /** Episodes per profile (seeds `"<seed>:0"` …, the same for every profile). */
  readonly episodes: number;
  /** Root seed. */
  readonly seed: number;
  /** Game settings. */
  readonly game?: CompetitionGame;
}

/** A job of the competition study. */
export type CompetitionJob = LearnJob | RulesJob;

/** A row of a job's result (the `table` column says which frame it belongs to). */
export type CompetitionRow = Record<string, number | string | boolean | null>;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

function checkTaker(field: string, t: unknown): CompetitionTaker {
  const o = t as CompetitionTaker;
  if (typeof o !== "object" || o === null || typeof o.label !== "string" || o.label === "") {
    throw new ConfigError(field, "{label, taker} with a non-empty label", t);
  }
  if (typeof o.taker !== "object" || o.taker === null) {
    throw new ConfigError(`${field}.taker`, 'a taker spec such as {kind: "reactive"}', o.taker);
  }
  return o;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const mean = (a: ArrayLike<number>) => (a.length > 0 ? sum(a) / a.length : NaN);

/**
 * Trains `n` Q-learning makers against the job's taker and replays their greedy policies (see the
 * module doc). Rows (`table` column):
 *
 * - `"runs"` (one): `taker`, `n`, `seed`, `episodes`; greedy play: `maker_pnl` (mean per maker),
 *   `makers_pnl` (sum), `pnl_min` / `pnl_max` (across makers), `taker_pnl`, `taker_cost`
 *   (−taker PnL), `shortfall_bps`, `makers_share`, `background_share`, `offset` / `final_offset`
 *   (mean bid offset from P0 over steps / at the end, ticks, mean over makers), `resting`
 *   (fraction of steps with a resting bid); learning: `converged` (criterion met),
 *   `converged_episode`, `late_change` (mean largest policy change over the checks of the last
 *   20 % of training, where ε is at its floor), `final_change`, `visited` (states visited, mean
 *   over makers), `states` (state count), `coverage` (`visited / states`).
 * - `"makers"` (one per maker): `taker`, `n`, `seed`, `maker`, `pnl`, `share`, `volume`, `mtm`,
 *   `offset`, `final_offset`, `resting`, `qty` (mean resting quantity).
 * - `"checks"` (one per check): `taker`, `n`, `seed`, `check`, `episode`, `policy_change`
 *   (largest over makers), `eval_makers_pnl` (sum over makers of the check's greedy evaluation
 *   PnL), `eval_taker_pnl`.
 * - `"steps"` (one per step): `taker`, `n`, `seed`, `step`, `offset`, `resting`, `qty` (means
 *   over makers and episodes), `best_offset` (P0 − best bid after the step), `sold` (taker's
 *   fills).
 */
export function learnJob(job: LearnJob): CompetitionRow[] {
  const taker = checkTaker("taker", job.taker);
  const n = checkInt("n", job.n, 0, 64);
  const episodes = checkInt("episodes", job.episodes, 1, 1e9);
  const evalEpisodes = checkInt("evalEpisodes", job.evalEpisodes, 1, 1e6);
  const checks = checkInt("checks", job.checks ?? Math.min(50, episodes), 1, episodes);
  const checkEpisodes = checkInt("checkEpisodes", job.checkEpisodes ?? 5, 0, 1e6);
  const seed = checkNum("seed", job.seed, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const game = job.game ?? {};
  const key = { taker: taker.label, n, seed };
  const trained = n > 0
    ? trainPopulation({
      game: { ...game, makers: n, seed },
      taker,
      episodes,
      checks,
      checkEpisodes,
      key,
    })
    : { policy: [], learning: UNTRAINED, rows: [] };
  const ev = evaluateGame({
    config: { ...game, makers: n, seed, policy: trained.policy, taker: taker.taker },
    episodes: evalEpisodes,
    seed: (k) => `eval:${seed}:${k}`,
    steps: true,
  });
  return [...trained.rows, ...replayRows(ev, { key, learning: trained.learning })];
}

/** The learning columns of a run without learners (n = 0). */
const UNTRAINED: CompetitionRow = {
  episodes: 0,
  converged: false,
  converged_episode: null,
  late_change: null,
  final_change: null,
  visited: null,
  states: null,
  coverage: null,
};

/** Trains the makers of a learning job: their greedy policies, learning columns, check rows. */
function trainPopulation(o: {
  game: TrainGameConfig;
  taker: CompetitionTaker;
  episodes: number;
  checks: number;
  checkEpisodes: number;
  key: CompetitionRow;
}): { policy: MakerPolicySpec[]; learning: CompetitionRow; rows: CompetitionRow[] } {
  const rows: CompetitionRow[] = [];
  const run = trainMakers({
    label: `${o.taker.label}:n${o.game.makers}:s${o.game.seed}`,
    game: o.game,
    taker: o.taker.taker,
    episodes: o.episodes,
    evalEvery: Math.max(1, Math.floor(o.episodes / o.checks)),
    evalEpisodes: o.checkEpisodes,
    onProgress: (p) => {
      if (!p.check) return;
      rows.push({
        table: "checks",
        ...o.key,
        check: p.check.index,
        episode: p.episode,
        policy_change: num(p.check.policyChange),
        eval_makers_pnl: num(sum(p.check.evalMakerPnl)),
        eval_taker_pnl: num(p.check.evalTakerPnl),
      });
    },
  });
  const ch = run.convergence.changes;
  const late = ch.slice(Math.max(1, ch.length - Math.max(1, Math.ceil(ch.length / 5))));
  const visited = run.learners.map((l) =>
    stateVisits(l.visits, l.nActions).filter((v) => v > 0).length
  );
  const states = run.learners[0].nStates;
  const learning: CompetitionRow = {
    episodes: run.episodes,
    converged: run.convergence.met,
    converged_episode: run.convergence.episode,
    late_change: num(mean(late)),
    final_change: num(ch[ch.length - 1]),
    visited: mean(visited),
    states,
    coverage: mean(visited) / states,
  };
  return { policy: greedyPolicies(run).policy, learning, rows };
}

/** The `runs`, `makers` and `steps` rows of a greedy replay (see {@linkcode learnJob}). */
function replayRows(
  ev: GameEvaluation,
  o: { key: CompetitionRow; learning: CompetitionRow },
): CompetitionRow[] {
  const n = ev.makers.length, p0 = ev.game.config.p0, st = ev.steps!;
  const N = st.childQty.length;
  const m = ev.makers.map((mk, i) => {
    const s = st.makers[i];
    return {
      ...mk,
      offset: mean(s.bidPrice.map((x) => p0 - x)),
      finalOffset: p0 - mk.finalPrice,
      resting: mean(s.resting),
      qty: mean(s.bidQty),
    };
  });
  const pnl = m.map((x) => x.pnl);
  const over = (f: (x: (typeof m)[number]) => number) => (n > 0 ? mean(m.map(f)) : null);
  // The mean over makers of a per-step value (null without makers).
  const perStep = (f: (i: number) => number) =>
    n > 0 ? num(mean(Array.from({ length: n }, (_, i) => f(i)))) : null;
  return [
    {
      table: "runs",
      ...o.key,
      maker_pnl: n > 0 ? ev.mean.makersPnl / n : null,
      makers_pnl: ev.mean.makersPnl,
      pnl_min: n > 0 ? Math.min(...pnl) : null,
      pnl_max: n > 0 ? Math.max(...pnl) : null,
      taker_pnl: ev.mean.takerPnl,
      taker_cost: -ev.mean.takerPnl,
      shortfall_bps: ev.mean.shortfallBps,
      makers_share: ev.mean.makersShare,
      background_share: ev.mean.backgroundShare,
      offset: over((x) => x.offset),
      final_offset: over((x) => x.finalOffset),
      resting: over((x) => x.resting),
      ...o.learning,
    },
    ...m.map((x, i) => ({
      table: "makers",
      ...o.key,
      maker: i,
      pnl: x.pnl,
      share: x.share,
      volume: x.volume,
      mtm: x.mtm,
      offset: x.offset,
      final_offset: x.finalOffset,
      resting: x.resting,
      qty: x.qty,
    })),
    ...Array.from({ length: N }, (_, t) => ({
      table: "steps",
      ...o.key,
      step: t,
      offset: perStep((i) => p0 - st.makers[i].bidPrice[t]),
      resting: perStep((i) => st.makers[i].resting[t]),
      qty: perStep((i) => st.makers[i].bidQty[t]),
      best_offset: num(p0 - st.bestBid[t]),
      sold: st.takerFilled[t],
    })),
  ];
}

/**
 * Plays the fixed-rule game of a family (see the module doc): for every symmetric profile `s` and
 * rule `d`, maker 0 on `d` against `n − 1` makers on `s`, `episodes` episodes on the seeds
 * `"<seed>:0"` … (the same for every pair). With n = 1 only `d = s` is played (there are no
 * others). One `"rule"` row per pair: `taker`, `n`, `s_offset`, `s_qty`, `d_offset`, `d_qty`,
 * `dev_pnl` (maker 0's mean PnL share); on `d = s` rows also `sym_pnl` (mean per maker over all
 * makers), `sym_pnl_sd` (its standard deviation over episodes), `taker_pnl`, `makers_share`
 * (null elsewhere).
 */
export function rulesJob(job: RulesJob): CompetitionRow[] {
  const taker = checkTaker("taker", job.taker);
  const n = checkInt("n", job.n, 1, 64);
  const episodes = checkInt("episodes", job.episodes, 1, 1e6);
  const rules = familyRules(job.family);
  const spec = (r: { offset: number; qty: number }): MakerPolicySpec => ({
    kind: "replenisher",
    offset: r.offset,
    qty: r.qty,
  });
  const rows: CompetitionRow[] = [];
  for (const s of rules) {
    for (const d of rules) {
      const same = s === d;
      if (n === 1 && !same) continue;
      const policy = Array.from({ length: n }, (_, i) => spec(i === 0 ? d : s));
      const ev = evaluateGame({
        config: { ...(job.game ?? {}), makers: n, seed: job.seed, policy, taker: taker.taker },
        episodes,
        seed: (e) => `${job.seed}:${e}`,
      });
      rows.push({
        table: "rules",
        taker: taker.label,
        n,
        s_offset: s.offset,
        s_qty: s.qty,
        d_offset: d.offset,
        d_qty: d.qty,
        dev_pnl: ev.makers[0].pnl,
        sym_pnl: same ? ev.mean.makersPnl / n : null,
        sym_pnl_sd: same && episodes > 1 ? ev.sd.makersPnl / n : null,
        taker_pnl: same ? ev.mean.takerPnl : null,
        makers_share: same ? ev.mean.makersShare : null,
      });
    }
  }
  return rows;
}

/** Runs one job of either kind (the sweep's experiment function). */
export function competitionJob(job: CompetitionJob): CompetitionRow[] {
  const kind = (job as { kind?: unknown })?.kind;
  switch (kind) {
    case "learn":
      return learnJob(job as LearnJob);
    case "rules":
      return rulesJob(job as RulesJob);
    default:
      throw new ConfigError("job.kind", `"learn" or "rules"`, kind);
  }
}

const KEY = { taker: "str", n: "int", seed: "int" } as const;

/** The fixed-rule game's table (`rulesJob`'s rows), shared by the studies that play it. */
export const RULES_TABLE = {
  columns: {
    taker: "str",
    n: "int",
    s_offset: "int",
    s_qty: "int",
    d_offset: "int",
    d_qty: "int",
    dev_pnl: "float",
    sym_pnl: "float",
    sym_pnl_sd: "float",
    taker_pnl: "float",
    makers_share: "float",
  },
  sort: ["taker", "n", "s_offset", "s_qty", "d_offset", "d_qty"],
} as const;

/** The study's tables: columns as documented on {@linkcode learnJob} and {@linkcode rulesJob}. */
export const competitionStudy: Study<CompetitionJob, keyof CompetitionFrames> = defineStudy({
  module: import.meta.url,
  fn: "competitionJob",
  tables: {
    runs: {
      columns: {
        ...KEY,
        episodes: "int",
        maker_pnl: "float",
        makers_pnl: "float",
        pnl_min: "float",
        pnl_max: "float",
        taker_pnl: "float",
        taker_cost: "float",
        shortfall_bps: "float",
        makers_share: "float",
        background_share: "float",
        offset: "float",
        final_offset: "float",
        resting: "float",
        converged: "bool",
        converged_episode: "int",
        late_change: "float",
        final_change: "float",
        visited: "float",
        states: "int",
        coverage: "float",
      },
      sort: ["taker", "n", "seed"],
    },
    makers: {
      columns: {
        ...KEY,
        maker: "int",
        pnl: "float",
        share: "float",
        volume: "float",
        mtm: "float",
        offset: "float",
        final_offset: "float",
        resting: "float",
        qty: "float",
      },
      sort: ["taker", "n", "seed", "maker"],
    },
    checks: {
      columns: {
        ...KEY,
        check: "int",
        episode: "int",
        policy_change: "float",
        eval_makers_pnl: "float",
        eval_taker_pnl: "float",
      },
      sort: ["taker", "n", "seed", "check"],
    },
    steps: {
      columns: {
        ...KEY,
        step: "int",
        offset: "float",
        resting: "float",
        qty: "float",
        best_offset: "float",
        sold: "float",
      },
      sort: ["taker", "n", "seed", "step"],
    },
    rules: RULES_TABLE,
  },
});

/** The frames of the study. */
export interface CompetitionFrames {
  /** One row per (taker, n, seed): greedy play and learning diagnostics. */
  readonly runs: pl.DataFrame;
  /** One row per (taker, n, seed, maker). */
  readonly makers: pl.DataFrame;
  /** One row per (taker, n, seed, check): the learning curve and policy change. */
  readonly checks: pl.DataFrame;
  /** One row per (taker, n, seed, step): bid levels and the price through the episode. */
  readonly steps: pl.DataFrame;
  /** One row per (taker, n, symmetric profile, deviation) of the fixed-rule game. */
  readonly rules: pl.DataFrame;
}

/** Options of {@linkcode competitionJobs} and {@linkcode runCompetition}. */
export interface CompetitionOptions {
  /** Takers (labels distinct). */
  readonly takers: readonly CompetitionTaker[];
  /** Maker counts, e.g. `[0, 1, 2, 3, 5, 10]`. */
  readonly ns: readonly number[];
  /** Seeds `1 … seeds` per (taker, n). */
  readonly seeds: number;
  /** Training episodes per run: one number, or one per entry of `ns`. */
  readonly episodes: number | readonly number[];
  /** Greedy evaluation episodes per run. */
  readonly evalEpisodes: number;
  /** Convergence checks per run. Default 50. */
  readonly checks?: number;
  /** The fixed-rule family. Default {@linkcode DEFAULT_FAMILY}. */
  readonly family?: RuleFamily;
  /** Episodes per fixed-rule profile. Default 4. */
  readonly ruleEpisodes?: number;
  /** Game settings. */
  readonly game?: CompetitionGame;
}

/** A taker case's spec, checked by `lib/takers` with its path (`takers[0].taker.maxWalk`). */
const TAKER_CASE = takerCase("competitionJobs");
/** The game settings, checked by `lib/game` (`game.steps`); the study sets the rest. */
const GAME_SETTINGS = gameOptions<CompetitionGame>(["makers", "seed", "policy", "taker", "record"]);

/** Every option of {@linkcode runCompetition} (its study's run options included). */
const OPTION_KEYS = [
  ...Object.keys(
    {
      takers: 1,
      ns: 1,
      seeds: 1,
      episodes: 1,
      evalEpisodes: 1,
      checks: 1,
      family: 1,
      ruleEpisodes: 1,
      game: 1,
    } satisfies Record<keyof CompetitionOptions, 1>,
  ),
  ...STUDY_RUN_KEYS,
];

/**
 * The study's jobs: a learning run per (taker, n, seed) and a fixed-rule job per (taker, n ≥ 1),
 * largest n first (the slowest jobs go out first, so the workers finish together). The frames
 * keep job order, so they are sorted by taker and n afterwards.
 *
 * @example
 * ```ts
 * import { competitionJobs } from "./jobs.ts";
 * const jobs = competitionJobs({
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   ns: [0, 2], seeds: 2, episodes: 10, evalEpisodes: 1,
 * });
 * const kinds = jobs.map((j) => `${j.kind}:${j.n}`).join();
 * if (kinds !== "learn:2,learn:2,rules:2,learn:0,learn:0") throw new Error(kinds);
 * ```
 */
export function competitionJobs(options: CompetitionOptions): CompetitionJob[] {
  checkKeys(checkObject("options", options), OPTION_KEYS, { owner: "competitionJobs" });
  const takers = options.takers;
  if (!Array.isArray(takers) || takers.length === 0) {
    throw new ConfigError("takers", "a non-empty array of {label, taker}", takers);
  }
  takers.forEach((t, i) => TAKER_CASE.check(checkTaker(`takers[${i}]`, t), `takers[${i}]`));
  if (new Set(takers.map((t) => t.label)).size !== takers.length) {
    throw new ConfigError("takers[].label", "distinct labels", takers.map((t) => t.label));
  }
  const ns = options.ns;
  if (!Array.isArray(ns) || ns.length === 0) {
    throw new ConfigError("ns", "a non-empty array of maker counts", ns);
  }
  ns.forEach((n, i) => checkInt(`ns[${i}]`, n, 0, 64));
  const seeds = checkInt("seeds", options.seeds, 1, 10_000);
  const eps = typeof options.episodes === "number"
    ? ns.map(() => options.episodes as number)
    : options.episodes;
  if (!Array.isArray(eps) || eps.length !== ns.length) {
    throw new ConfigError("episodes", `a number or an array of ${ns.length} (one per n)`, eps);
  }
  eps.forEach((e, i) => checkInt(`episodes[${i}]`, e, 1, 1e9));
  const evalEpisodes = checkInt("evalEpisodes", options.evalEpisodes, 1, 1e6);
  const family = checkFamily(options.family ?? DEFAULT_FAMILY);
  const ruleEpisodes = checkInt("ruleEpisodes", options.ruleEpisodes ?? 4, 1, 1e6);
  if (options.checks !== undefined) checkInt("checks", options.checks, 1, 1e6);
  if (options.game !== undefined) GAME_SETTINGS.check(options.game, "game");
  const order = ns.map((n, i) => ({ n, episodes: eps[i] })).sort((a, b) => b.n - a.n);
  const jobs: CompetitionJob[] = [];
  for (const { n, episodes } of order) {
    for (const taker of takers) {
      for (let s = 1; s <= seeds; s++) {
        jobs.push({
          kind: "learn",
          taker,
          n,
          seed: s,
          episodes,
          evalEpisodes,
          checks: Math.min(options.checks ?? 50, episodes),
          ...(options.game ? { game: options.game } : {}),
        });
      }
      if (n > 0) {
        jobs.push({
          kind: "rules",
          taker,
          n,
          family,
          episodes: ruleEpisodes,
          seed: 1,
          ...(options.game ? { game: options.game } : {}),
        });
      }
    }
  }
  return jobs;
}

/** Options of {@linkcode runCompetition}: the study plus how to run it. */
export interface CompetitionRunOptions extends CompetitionOptions, StudyRunOptions {}

/**
 * Runs the study ({@linkcode competitionJobs}) and returns its frames, each sorted by taker, n and
 * seed (and maker, check, step or rules). Identical for any worker count.
 */
export function runCompetition(options: CompetitionRunOptions): Promise<CompetitionFrames> {
  return competitionStudy.run(competitionJobs(options), options);
}
