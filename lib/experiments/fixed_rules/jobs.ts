/**
 * The best fixed rule: the reference baseline of every comparison with a learner. A search over a
 * documented family of non-learning rules, on seeds disjoint from the evaluation seeds, per cell
 * (game, taker, market condition, number of makers), and the chosen rule's held-out evaluation.
 *
 * ## The family ({@linkcode fixedRuleList})
 * - **Replenisher** `(offset, qty)`: hold the bid at `P0 − offset`, restore it to `qty` after
 *   every fill (the game's `replenisher` baseline). Default offsets 0–6 ticks × quantities
 *   100, 200, 400, 800, 1,600 (notebook 04's benchmarks) and 2,000, the learning maker's default
 *   cap (`bid.maxQty`), so that the baseline may bid as much as a learner: 42 rules.
 * - **Follower** `(offset, share)`: bid `offset` ticks below the best competing bid and show
 *   `share` of the recent flow per step (the game's `follower` baseline). Default offsets 0–2 ×
 *   shares 0.25, 0.5, 1: 9 rules.
 *
 * These are the game's two non-learning makers with the parameters that matter; the grid covers
 * bids from P0 to where the taker's TWAP pace no longer reaches (6 ticks), and quantities from
 * below a step's flow to ten times it.
 *
 * ## The search and the evaluation ({@linkcode bestRuleJob})
 * In a cell with `n` makers every maker plays the candidate rule (a **symmetric** profile: the
 * best rule a population of identical non-learning makers could agree on; its score is the mean
 * PnL per maker), unless `others` gives the policies of makers 1 … n − 1, in which case only
 * maker 0 plays the candidate (the best fixed **response** to those makers; its score is maker 0's
 * PnL). Each candidate plays `searchEpisodes` episodes seeded `"<searchSeed>:<k>"` (every
 * episode re-seeds every stream: common random numbers across candidates); the highest mean
 * wins (ties: the first in family order). The winner then plays `evalEpisodes` fresh episodes
 * seeded `"<evalSeed>:<k>"`; the two roots must differ, so no evaluation episode was seen by
 * the search (the chosen rule's evaluation is not inflated by the selection). Studies evaluate
 * their learners on the same `"<evalSeed>:<k>"` seeds to pair them with the best rule.
 *
 * The game is the cell's game configuration with its market condition applied
 * (`applyCondition`); everything in a job is plain JSON (it crosses to Web Workers).
 *
 * ## Tables ({@linkcode bestRuleStudyDef})
 * Keys on every row: `game`, `taker`, `condition` (its label, e.g. `"noise+thin"`), `n`.
 * - `candidates`: one per rule: `rule` (label), `kind`, `offset`, `qty` (replenisher), `share`
 *   (follower), `score` (mean over the search episodes), `score_sd`, `episodes`, `rank` (1: the
 *   best).
 * - `best`: one per cell: the winner's `rule`, `kind`, `offset`, `qty`, `share`, `search_score`,
 *   `search_sd`, `search_episodes`, `candidates` (family size), and its held-out evaluation:
 *   `eval_mean`, `eval_sd`, `eval_n`, `eval_lo`, `eval_hi` (95 % Student-t interval over the
 *   evaluation episodes), `eval_taker_pnl`.
 * - `evaluation`: one per evaluation episode: `episode` (k), `seed` (`"<evalSeed>:<k>"`), `pnl`
 *   (the score's quantity in that episode), `taker_pnl`.
 *
 * @example
 * ```ts
 * import { bestRuleJob, bestRuleStudyDef } from "./jobs.ts";
 * const rows = bestRuleJob({
 *   game: { label: "small", config: { steps: 10, game: { kind: "known", size: 1_000 } } },
 *   taker: { label: "TWAP", taker: { kind: "passive" } },
 *   family: { replenisher: { offsets: [1, 2], qtys: [100, 200] } },
 *   searchEpisodes: 2,
 *   evalEpisodes: 3,
 * });
 * const f = bestRuleStudyDef.fromRows(rows);
 * if (f.candidates.height !== 4 || f.best.height !== 1 || f.evaluation.height !== 3) throw new Error();
 * ```
 * @module
 */
import { meanCI } from "../../metrics/mod.ts";
import {
  anything,
  arrayOf,
  checkOptions,
  ConfigError,
  int,
  num,
  object,
  optional,
  str,
} from "../../errors.ts";
import {
  checkMakerSpecs,
  gameOptions,
  MAKER_SPEC,
  STUDY_RUN_OPTIONS,
  TAKER_SPEC,
} from "../_fields.ts";
import {
  applyCondition,
  CONDITION_FIELD,
  conditionLabel,
  type ConditionName,
  evaluateGame,
  type GameConfig,
  type MakerPolicySpec,
} from "../../game/mod.ts";
import {
  defineStudy,
  type Study,
  type StudyFrames,
  type StudyRunOptions,
} from "../../sweep/mod.ts";
import type { TakerSpec } from "../../takers/mod.ts";

/** A fixed (non-learning) rule: a label and a plain-data policy. */
export interface FixedRule {
  /** Label, e.g. `"replenisher(2, 200)"`. */
  readonly label: string;
  /** The policy (a replenisher or a follower spec). */
  readonly spec: MakerPolicySpec;
}

/** A family of fixed rules (see the module doc); a kind left out is not searched. */
export interface FixedRuleFamily {
  /** Replenishers: every offset × every quantity. */
  readonly replenisher?: { readonly offsets: readonly number[]; readonly qtys: readonly number[] };
  /** Followers: every offset × every share. */
  readonly follower?: { readonly offsets: readonly number[]; readonly shares: readonly number[] };
}

/** The default family: 42 replenishers and 9 followers (see the module doc). */
export const DEFAULT_RULE_FAMILY: FixedRuleFamily = Object.freeze({
  replenisher: Object.freeze({
    offsets: Object.freeze([0, 1, 2, 3, 4, 5, 6]),
    qtys: Object.freeze([100, 200, 400, 800, 1_600, 2_000]),
  }),
  follower: Object.freeze({
    offsets: Object.freeze([0, 1, 2]),
    shares: Object.freeze([0.25, 0.5, 1]),
  }),
});

const INTS = arrayOf(int(0, 1_000_000), { minLength: 1 });
const FAMILY = {
  replenisher: optional(object({ offsets: INTS, qtys: INTS }, "fixedRuleList")),
  follower: optional(
    object(
      { offsets: INTS, shares: arrayOf(num(1e-9, 1e6), { minLength: 1 }) },
      "fixedRuleList",
    ),
  ),
};

/**
 * The rules of a family, replenishers first (offsets outer, quantities inner), then followers
 * (offsets outer, shares inner).
 *
 * @example
 * ```ts
 * import { DEFAULT_RULE_FAMILY, fixedRuleList } from "./jobs.ts";
 * const rules = fixedRuleList(DEFAULT_RULE_FAMILY);
 * if (rules.length !== 51 || rules[0].label !== "replenisher(0, 100)") throw new Error();
 * if (rules[50].label !== "follower(2, 1)") throw new Error(rules[50].label);
 * ```
 */
export function fixedRuleList(family: FixedRuleFamily, path = "family"): FixedRule[] {
  const f = checkOptions(family, FAMILY, { owner: "fixedRuleList", path });
  const out: FixedRule[] = [];
  for (const offset of f.replenisher?.offsets ?? []) {
    for (const qty of f.replenisher!.qtys) {
      out.push({
        label: `replenisher(${offset}, ${qty})`,
        spec: { kind: "replenisher", offset, qty },
      });
    }
  }
  for (const offset of f.follower?.offsets ?? []) {
    for (const share of f.follower!.shares) {
      out.push({
        label: `follower(${offset}, ${share})`,
        spec: { kind: "follower", offset, share },
      });
    }
  }
  if (out.length === 0) throw new ConfigError(path, "a family with at least one rule", family);
  return out;
}

/** A labelled game configuration (plain data: no makers, policies, taker or seed). */
export interface RuleGame {
  /** Label, e.g. `"game 1"`. */
  readonly label: string;
  /** The game's settings. */
  readonly config: Omit<GameConfig, "makers" | "policy" | "taker" | "seed" | "record">;
}

/** A labelled taker (plain data). */
export interface RuleTaker {
  /** Label, e.g. `"reactive"`. */
  readonly label: string;
  /** The strategy. */
  readonly taker: TakerSpec;
}

/** One cell's search and evaluation (plain JSON). See the module doc. */
export interface BestRuleJob {
  /** The game. */
  readonly game: RuleGame;
  /** The taker. */
  readonly taker: RuleTaker;
  /** The market condition(s). Default `"default"`. */
  readonly condition?: ConditionName | readonly ConditionName[];
  /** Makers, ≥ 1. Default 1. */
  readonly n?: number;
  /** The policies of makers 1 … n − 1 (then only maker 0 plays the candidates). Default: none. */
  readonly others?: readonly MakerPolicySpec[];
  /** The family. Default {@linkcode DEFAULT_RULE_FAMILY}. */
  readonly family?: FixedRuleFamily;
  /** Search episodes per rule, ≥ 1. */
  readonly searchEpisodes: number;
  /** Held-out evaluation episodes of the winner, ≥ 2. */
  readonly evalEpisodes: number;
  /** Root of the search seeds. Default `"search"`. */
  readonly searchSeed?: string;
  /** Root of the evaluation seeds (must differ from `searchSeed`). Default `"eval"`. */
  readonly evalSeed?: string;
}

/** A {@linkcode RuleGame}: its configuration checked by `lib/game` (`games[0].config.steps`). */
const GAME = {
  label: str(),
  config: gameOptions(["makers", "policy", "taker", "seed", "record"]),
};
/** A {@linkcode RuleTaker}: its spec checked by `lib/takers` (`takers[0].taker.maxWalk`). */
const TAKER = { label: str(), taker: TAKER_SPEC };
const SETTINGS = {
  // Their fields are checked in each game by checkMakerSpecs (others[1].offset).
  others: optional(arrayOf(MAKER_SPEC)),
  family: optional(anything("a fixed-rule family (checked by fixedRuleList)"), DEFAULT_RULE_FAMILY),
  searchEpisodes: int(1, 1e6),
  evalEpisodes: int(2, 1e6),
  searchSeed: optional(str(), "search"),
  evalSeed: optional(str(), "eval"),
};
const JOB = {
  game: object(GAME, "bestRuleJob"),
  taker: object(TAKER, "bestRuleJob"),
  condition: optional(CONDITION_FIELD, ["default"] as ConditionName[]),
  n: optional(int(1, 64), 1),
  ...SETTINGS,
};

type Row = Record<string, number | string | boolean | null>;

/** Runs one cell: search, choice, held-out evaluation (rows of the module doc's tables). */
export function bestRuleJob(job: BestRuleJob): Row[] {
  const o = checkOptions(job, JOB, { owner: "bestRuleJob" });
  if (o.searchSeed === o.evalSeed) {
    throw new ConfigError(
      "evalSeed",
      `a root other than searchSeed ("${o.searchSeed}")`,
      o.evalSeed,
    );
  }
  const rules = fixedRuleList(o.family as FixedRuleFamily);
  const others = o.others as MakerPolicySpec[] | undefined;
  if (others !== undefined && others.length !== o.n - 1) {
    throw new ConfigError("others", `${o.n - 1} policy specs (makers 1 … n − 1)`, others.length);
  }
  if (others !== undefined) checkMakerSpecs(others, "others", job.game.config);
  const game = o.game as { label: string; config: RuleGame["config"] };
  const base = applyCondition(game.config as GameConfig, o.condition);
  const keys: Row = {
    game: game.label,
    taker: o.taker.label,
    condition: conditionLabel(o.condition),
    n: o.n,
  };
  const play = (rule: FixedRule, seed: (k: number) => string, episodes: number) => {
    const policy = others === undefined
      ? Array.from({ length: o.n }, () => rule.spec)
      : [rule.spec, ...others];
    return evaluateGame({
      config: { ...base, makers: o.n, policy, taker: o.taker.taker as TakerSpec },
      episodes,
      seed,
    });
  };
  // The score: maker 0's PnL with fixed others, the mean per maker in a symmetric profile.
  const scoreOf = (ev: ReturnType<typeof play>) =>
    others === undefined
      ? { mean: ev.mean.makersPnl / o.n, sd: ev.sd.makersPnl / o.n }
      : { mean: ev.makers[0].pnl, sd: ev.makersSd[0].pnl };
  const searchSeed = (k: number) => `${o.searchSeed}:${k}`;
  const scores = rules.map((r) => scoreOf(play(r, searchSeed, o.searchEpisodes)));
  let best = 0;
  for (let i = 1; i < rules.length; i++) if (scores[i].mean > scores[best].mean) best = i;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b].mean - scores[a].mean || a - b);
  const rank = new Array<number>(rules.length);
  order.forEach((i, r) => (rank[i] = r + 1));
  const params = (rule: FixedRule) => {
    const s = rule.spec as { kind: string; offset?: number; qty?: number; share?: number };
    return { kind: s.kind, offset: s.offset ?? null, qty: s.qty ?? null, share: s.share ?? null };
  };
  const rows: Row[] = rules.map((rule, i) => ({
    table: "candidates",
    ...keys,
    rule: rule.label,
    ...params(rule),
    score: scores[i].mean,
    score_sd: Number.isFinite(scores[i].sd) ? scores[i].sd : null,
    episodes: o.searchEpisodes,
    rank: rank[i],
  }));
  // The held-out evaluation, one episode at a time (so that studies can pair by seed).
  const winner = rules[best];
  const pnl: number[] = [];
  for (let k = 0; k < o.evalEpisodes; k++) {
    const ev = play(winner, () => `${o.evalSeed}:${k}`, 1);
    const x = others === undefined ? ev.mean.makersPnl / o.n : ev.makers[0].pnl;
    pnl.push(x);
    rows.push({
      table: "evaluation",
      ...keys,
      rule: winner.label,
      episode: k,
      seed: `${o.evalSeed}:${k}`,
      pnl: x,
      taker_pnl: ev.mean.takerPnl,
    });
  }
  const ci = meanCI(pnl);
  const takerPnl = rows.filter((r) => r.table === "evaluation").map((r) => r.taker_pnl as number);
  rows.push({
    table: "best",
    ...keys,
    rule: winner.label,
    ...params(winner),
    search_score: scores[best].mean,
    search_sd: Number.isFinite(scores[best].sd) ? scores[best].sd : null,
    search_episodes: o.searchEpisodes,
    candidates: rules.length,
    eval_mean: ci.mean,
    eval_sd: ci.sd,
    eval_n: ci.n,
    eval_lo: ci.lo,
    eval_hi: ci.hi,
    eval_taker_pnl: takerPnl.reduce((a, b) => a + b, 0) / takerPnl.length,
  });
  return rows;
}

const KEYS = { game: "str", taker: "str", condition: "str", n: "int" } as const;
const PARAMS = { kind: "str", offset: "int", qty: "int", share: "float" } as const;

/** The study's tables (columns of the module doc). */
export const bestRuleStudyDef: Study<BestRuleJob, "candidates" | "best" | "evaluation"> =
  defineStudy({
    module: import.meta.url,
    fn: "bestRuleJob",
    tables: {
      candidates: {
        columns: {
          ...KEYS,
          rule: "str",
          ...PARAMS,
          score: "float",
          score_sd: "float",
          episodes: "int",
          rank: "int",
        },
      },
      best: {
        columns: {
          ...KEYS,
          rule: "str",
          ...PARAMS,
          search_score: "float",
          search_sd: "float",
          search_episodes: "int",
          candidates: "int",
          eval_mean: "float",
          eval_sd: "float",
          eval_n: "int",
          eval_lo: "float",
          eval_hi: "float",
          eval_taker_pnl: "float",
        },
      },
      evaluation: {
        columns: {
          ...KEYS,
          rule: "str",
          episode: "int",
          seed: "str",
          pnl: "float",
          taker_pnl: "float",
        },
      },
    },
  });

/** The frames of the study. */
export type BestRuleFrames = StudyFrames<"candidates" | "best" | "evaluation">;

/** Options of {@linkcode bestRuleJobs} and {@linkcode bestFixedRules}. */
export interface BestRuleOptions {
  /** Games (labels distinct). */
  readonly games: readonly RuleGame[];
  /** Takers (labels distinct). */
  readonly takers: readonly RuleTaker[];
  /** Market conditions: each entry one condition or a list applied together. Default `["default"]`. */
  readonly conditions?: readonly (ConditionName | readonly ConditionName[])[];
  /** Numbers of makers. Default `[1]`. */
  readonly ns?: readonly number[];
  /** Settings shared by every cell. */
  readonly settings: Pick<
    BestRuleJob,
    "family" | "searchEpisodes" | "evalEpisodes" | "searchSeed" | "evalSeed" | "others"
  >;
}

const OPTIONS = {
  games: arrayOf(anything("a labelled game {label, config}"), { minLength: 1 }),
  takers: arrayOf(anything("a labelled taker {label, taker}"), { minLength: 1 }),
  conditions: optional(
    arrayOf(CONDITION_FIELD, { minLength: 1 }),
    [["default"]] as ConditionName[][],
  ),
  ns: optional(arrayOf(int(1, 64), { minLength: 1 }), [1]),
  settings: anything("the cells' shared settings (checked by bestRuleJob)"),
};

/**
 * One job per cell: every game × taker × condition × n, in that order (labels must be
 * distinct; each job is checked as {@linkcode bestRuleJob} checks it).
 *
 * @example
 * ```ts
 * import { bestRuleJobs } from "./jobs.ts";
 * const jobs = bestRuleJobs({
 *   games: [{ label: "g1", config: {} }],
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }, { label: "R", taker: { kind: "reactive" } }],
 *   conditions: ["noise", ["noise", "thin"]],
 *   ns: [1, 2],
 *   settings: { searchEpisodes: 10, evalEpisodes: 20 },
 * });
 * if (jobs.length !== 8 || jobs[1].n !== 2) throw new Error();
 * ```
 */
export function bestRuleJobs(options: BestRuleOptions): BestRuleJob[] {
  const o = checkOptions(options, OPTIONS, { owner: "bestRuleJobs" });
  const games = o.games as RuleGame[], takers = o.takers as RuleTaker[];
  const settings = checkOptions(o.settings, SETTINGS, { owner: "bestRuleJobs", path: "settings" });
  fixedRuleList(settings.family as FixedRuleFamily, "settings.family");
  if (settings.searchSeed === settings.evalSeed) {
    throw new ConfigError("settings.evalSeed", "a root other than searchSeed", settings.evalSeed);
  }
  const others = settings.others;
  if (others !== undefined && o.ns.some((n) => n !== others.length + 1)) {
    throw new ConfigError(
      "ns",
      `[${others.length + 1}] (settings.others fixes n − 1 makers)`,
      o.ns,
    );
  }
  games.forEach((g, i) => {
    checkOptions(g, GAME, { path: `games[${i}]`, owner: "bestRuleJobs" });
    if (others !== undefined) checkMakerSpecs(others, "settings.others", g.config);
  });
  takers.forEach((t, i) => checkOptions(t, TAKER, { path: `takers[${i}]`, owner: "bestRuleJobs" }));
  const distinct = (field: string, labels: unknown[]) => {
    if (labels.some((l) => typeof l !== "string") || new Set(labels).size !== labels.length) {
      throw new ConfigError(`${field}[].label`, "distinct string labels", labels);
    }
  };
  distinct("games", games.map((g) => g?.label));
  distinct("takers", takers.map((t) => t?.label));
  const jobs: BestRuleJob[] = [];
  for (const game of games) {
    for (const taker of takers) {
      for (const condition of o.conditions) {
        for (const n of o.ns) {
          jobs.push({ ...(o.settings as BestRuleOptions["settings"]), game, taker, condition, n });
        }
      }
    }
  }
  return jobs;
}

/**
 * Runs the search and the evaluation of every cell ({@linkcode bestRuleJobs}) on the study
 * scaffold (in this thread with `workers: 0`, or on Web Workers: the same tables either way).
 */
export function bestFixedRules(
  options: BestRuleOptions & StudyRunOptions,
): Promise<BestRuleFrames> {
  const { workers, shard, onResult, progress, ...rest } = options;
  checkOptions({ workers, shard, onResult, progress }, STUDY_RUN_OPTIONS, {
    owner: "bestFixedRules",
  });
  return bestRuleStudyDef.run(bestRuleJobs(rest), { workers, shard, onResult, progress });
}
