/**
 * Playing a game's policies for K episodes and averaging: the one loop behind every evaluation of
 * trained or baseline makers (greedy replays, baseline tests, fixed-rule profiles). The policies
 * play as configured: pass greedy snapshots (`greedyPolicies` of `lib/makers`) to evaluate
 * learners without exploration or learning.
 *
 * Episode `k` is seeded by `seed(k)`: a name such as `"eval:3:k"` re-seeds every stream, so the
 * episode is the same whatever was played before (common random numbers: every policy of a study
 * meets the same episodes); `undefined` continues the streams of the previous episode (the first
 * then starts from the configuration's seed).
 *
 * What comes back ({@linkcode GameEvaluation}): means and standard deviations over the episodes of
 * every number of the episode summary (and the makers' totals per episode), per maker; with
 * `steps`, per-step means read from the records through their named rows (`makerRow`, ...); with
 * `decisions`, what each maker held when it chose and how often it chose each action.
 *
 * @example
 * ```ts
 * import { evaluateGame } from "./evaluate.ts";
 * const ev = evaluateGame({
 *   config: { makers: 2, steps: 10, taker: { kind: "aggressive" }, game: { kind: "known", size: 500 } },
 *   episodes: 3,
 *   seed: (k) => `eval:0:${k}`,
 *   steps: true,
 * });
 * const sold = ev.steps!.takerFilled.reduce((a, b) => a + b, 0);
 * if (ev.mean.executed !== 500 || Math.abs(sold - 500) > 1e-9) throw new Error("sold everything");
 * const pnl = ev.makers[0].pnl + ev.makers[1].pnl;
 * if (Math.abs(pnl - ev.mean.makersPnl) > 1e-9) throw new Error("the makers' total");
 * ```
 * @module
 */
import { NONE } from "../book/mod.ts";
import {
  bool,
  checkObject,
  checkOptions,
  custom,
  type Field,
  fn,
  int,
  optional,
  underPath,
} from "../errors.ts";
import { createGame, type EpisodeSummary, type Game } from "./game.ts";
import { makerRow, takerRow } from "./record.ts";
import type { GameConfig } from "./types.ts";

/** The numbers of an episode summary that are averaged (and the makers' totals per episode). */
export const EPISODE_NUMBERS = [
  "size",
  "executed",
  "unsold",
  "sweepQty",
  "avgPrice",
  "takerPnl",
  "shortfall",
  "shortfallBps",
  "backgroundVolume",
  "backgroundShare",
  "backgroundPnl",
  "otherVolume",
  "takerFills",
  "fillsPerStep",
  "finalBestBid",
  "finalMid",
  "makersPnl",
  "makersShare",
  "makersVolume",
  "makersMtm",
  "takerStart",
] as const;

/** One of {@linkcode EPISODE_NUMBERS}. */
export type EpisodeNumber = typeof EPISODE_NUMBERS[number];

/** The per-maker numbers of an episode summary, by their short names. */
export const MAKER_NUMBERS = [
  "pnl",
  "share",
  "volume",
  "mtm",
  "otherVolume",
  "fills",
  "finalPrice",
  "finalQty",
  "finalTarget",
] as const;

/** One of {@linkcode MAKER_NUMBERS}. */
export type MakerNumber = typeof MAKER_NUMBERS[number];

const MAKER_FIELD: Record<MakerNumber, keyof EpisodeSummary> = {
  pnl: "makerPnl",
  share: "makerShare",
  volume: "makerVolume",
  mtm: "makerMtm",
  otherVolume: "makerOtherVolume",
  fills: "makerFills",
  finalPrice: "finalPrice",
  finalQty: "finalQty",
  finalTarget: "finalTarget",
};

/** Options of {@linkcode evaluateGame}. */
export interface EvaluateGameOptions {
  /** The game: every field but `record`, with the policies as they should play. */
  readonly config: Omit<GameConfig, "record">;
  /** Episodes, ≥ 1. */
  readonly episodes: number;
  /** Seed of episode `k` (see the module doc); `undefined` continues the streams. */
  readonly seed: (k: number) => number | string | undefined;
  /** Per-step means (the episodes are recorded). Default false. */
  readonly steps?: boolean;
  /** Each maker's bid at its decisions and its action shares. Default false. */
  readonly decisions?: boolean;
  /** Keep every episode's per-maker numbers (`makerValues`), e.g. for paired differences. Default false. */
  readonly values?: boolean;
}

/** Per-step means over the episodes (arrays indexed by step). */
export interface StepMeans {
  /** The taker's child order. */
  readonly childQty: Float64Array;
  /** Quantity the taker executed in the step (deadline sweep included). */
  readonly takerFilled: Float64Array;
  /** The taker's PnL of the step (currency). */
  readonly takerPnl: Float64Array;
  /** Share of the episode's size sold by the end of the step. */
  readonly soldFrac: Float64Array;
  /** Traded volume (the tape). */
  readonly volume: Float64Array;
  /** Best bid after the step, over the episodes that have one (NaN if none has). */
  readonly bestBid: Float64Array;
  /** Share of the episodes with a best bid after the step. */
  readonly hasBestBid: Float64Array;
  /** Per maker, after the step. */
  readonly makers: readonly MakerStepMeans[];
}

/** One maker's per-step means over the episodes (arrays indexed by step). */
export interface MakerStepMeans {
  /** Bid price setting (ticks). */
  readonly bidPrice: Float64Array;
  /** Resting quantity. */
  readonly bidQty: Float64Array;
  /** Share of the episodes with a bid resting. */
  readonly resting: Float64Array;
  /** Share of the episodes with a bid resting at the best bid. */
  readonly atBest: Float64Array;
  /** Quantity ahead of its bid in the queue, over the episodes where it has one (NaN if none). */
  readonly queueAhead: Float64Array;
  /** Share of the episodes where its bid has a queue position. */
  readonly queued: Float64Array;
  /** Quantity bought from the taker. */
  readonly fills: Float64Array;
  /** Its reward (currency). */
  readonly reward: Float64Array;
}

/** What one maker did when it chose, over all its decisions. */
export interface DecisionMeans {
  /** Decisions counted (steps × episodes). */
  readonly decisions: number;
  /** Mean `P0 − price` of its bid setting when deciding (ticks). */
  readonly offset: number;
  /** Mean resting quantity when deciding. */
  readonly qty: number;
  /** Mean target quantity when deciding. */
  readonly target: number;
  /** Share of its decisions for each action (by action index). */
  readonly actions: Float64Array;
}

/**
 * The schema of {@linkcode EvaluateGameOptions} (the compiler keeps its keys complete). The
 * config is checked by `createGame`, its fields named under `config.` (`config.makers`).
 */
const EVALUATE_GAME_OPTIONS = {
  config: custom<Omit<GameConfig, "record">>("a game config (GameConfig)", (v, path) => {
    checkObject(path, v, "a game config (GameConfig)");
    return v as Omit<GameConfig, "record">;
  }),
  episodes: int(1, 1e9),
  seed: fn<EvaluateGameOptions["seed"]>("a function (k) => seed of episode k, or undefined"),
  steps: optional(bool(), false),
  decisions: optional(bool(), false),
  values: optional(bool(), false),
} satisfies Record<keyof EvaluateGameOptions, Field<unknown>>;

/** What {@linkcode evaluateGame} returns. */
export interface GameEvaluation {
  /** The game that was played (its resolved configuration and action set). */
  readonly game: Game;
  /** Episodes played. */
  readonly episodes: number;
  /** Means over the episodes. */
  readonly mean: Readonly<Record<EpisodeNumber, number>>;
  /** Sample standard deviations over the episodes (NaN with one episode). */
  readonly sd: Readonly<Record<EpisodeNumber, number>>;
  /** Per maker, means over the episodes. */
  readonly makers: readonly Readonly<Record<MakerNumber, number>>[];
  /** Per maker, sample standard deviations over the episodes. */
  readonly makersSd: readonly Readonly<Record<MakerNumber, number>>[];
  /** With `steps`: per-step means. */
  readonly steps?: StepMeans;
  /** With `decisions`: per maker. */
  readonly decisions?: readonly DecisionMeans[];
  /** With `values`: per maker, each number of every episode (arrays indexed by episode). */
  readonly makerValues?: readonly Readonly<Record<MakerNumber, Float64Array>>[];
  /**
   * Per maker, the share of its greedy decisions taken in states it never visited while learning
   * (where a tabular learner plays its fallback action): read from policies that count them
   * (greedy Q-makers: `greedyDecisions`, `unvisitedDecisions`); NaN for the others.
   */
  readonly unvisited: readonly number[];
}

/** A policy that counts its greedy decisions in unvisited states (the Q-maker does). */
interface CountsUnvisited {
  readonly greedyDecisions: number;
  readonly unvisitedDecisions: number;
  resetCounts(): void;
}

const counts = (p: unknown): p is CountsUnvisited =>
  typeof (p as CountsUnvisited).resetCounts === "function";

/** Mean and sample sd of `x` (two passes, in order). */
function meanSd(x: Float64Array): [number, number] {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const m = s / x.length;
  if (x.length < 2) return [m, NaN];
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) * (x[i] - m);
  return [m, Math.sqrt(ss / (x.length - 1))];
}

function episodeNumber(s: EpisodeSummary, f: EpisodeNumber): number {
  switch (f) {
    case "makersPnl":
      return sum(s.makerPnl);
    case "makersShare":
      return sum(s.makerShare);
    case "makersVolume":
      return sum(s.makerVolume);
    case "makersMtm":
      return sum(s.makerMtm);
    default:
      return s[f];
  }
}

function sum(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

/** Plays `episodes` episodes and averages (see the module doc). */
export function evaluateGame(options: EvaluateGameOptions): GameEvaluation {
  const o = checkOptions(options, EVALUATE_GAME_OPTIONS, { owner: "evaluateGame" });
  const E = o.episodes;
  const wantSteps = o.steps, wantDecisions = o.decisions;
  const game = underPath(
    "config",
    () => createGame({ ...o.config, record: wantSteps || wantDecisions }),
    "evaluateGame",
  );
  const n = game.config.makers, N = game.config.steps;
  const perEpisode = EPISODE_NUMBERS.map(() => new Float64Array(E));
  const perMaker = Array.from({ length: n }, () => MAKER_NUMBERS.map(() => new Float64Array(E)));
  const steps = wantSteps ? newSteps(N, n) : null;
  const dec = wantDecisions ? newDecisions(n, game.actions.n) : null;
  for (const p of game.policies) if (counts(p)) p.resetCounts();
  for (let k = 0; k < E; k++) {
    const seed = o.seed(k);
    game.reset(seed ?? (k === 0 ? game.config.seed : undefined));
    if (dec === null) {
      while (!game.step());
    } else {
      do noteViews(game, dec); while (!game.step());
      noteActions(game, dec);
    }
    const s = game.summary();
    EPISODE_NUMBERS.forEach((f, j) => (perEpisode[j][k] = episodeNumber(s, f)));
    for (let i = 0; i < n; i++) {
      MAKER_NUMBERS.forEach((f, j) => (perMaker[i][j][k] = (s[MAKER_FIELD[f]] as number[])[i]));
    }
    if (steps !== null) addSteps(game, steps, s.size);
  }
  const stats = (arrays: Float64Array[]) => arrays.map(meanSd);
  const record = <K extends string>(names: readonly K[], v: [number, number][], at: 0 | 1) =>
    Object.fromEntries(names.map((f, j) => [f, v[j][at]])) as Record<K, number>;
  const ep = stats(perEpisode);
  const mk = perMaker.map(stats);
  return {
    game,
    episodes: E,
    mean: record(EPISODE_NUMBERS, ep, 0),
    sd: record(EPISODE_NUMBERS, ep, 1),
    makers: mk.map((v) => record(MAKER_NUMBERS, v, 0)),
    makersSd: mk.map((v) => record(MAKER_NUMBERS, v, 1)),
    unvisited: game.policies.map((p) =>
      counts(p) && p.greedyDecisions > 0 ? p.unvisitedDecisions / p.greedyDecisions : NaN
    ),
    ...(steps === null ? {} : { steps: finishSteps(steps, E) }),
    ...(dec === null ? {} : { decisions: finishDecisions(dec) }),
    ...(o.values
      ? {
        makerValues: perMaker.map((arrays) =>
          Object.fromEntries(MAKER_NUMBERS.map((f, j) => [f, arrays[j]])) as Record<
            MakerNumber,
            Float64Array
          >
        ),
      }
      : {}),
  };
}

interface StepSums {
  childQty: Float64Array;
  takerFilled: Float64Array;
  takerPnl: Float64Array;
  soldFrac: Float64Array;
  volume: Float64Array;
  bestBid: Float64Array;
  hasBestBid: Float64Array;
  makers: {
    bidPrice: Float64Array;
    bidQty: Float64Array;
    resting: Float64Array;
    atBest: Float64Array;
    queueAhead: Float64Array;
    queued: Float64Array;
    fills: Float64Array;
    reward: Float64Array;
  }[];
}

function newSteps(N: number, n: number): StepSums {
  const f = () => new Float64Array(N);
  return {
    childQty: f(),
    takerFilled: f(),
    takerPnl: f(),
    soldFrac: f(),
    volume: f(),
    bestBid: f(),
    hasBestBid: f(),
    makers: Array.from({ length: n }, () => ({
      bidPrice: f(),
      bidQty: f(),
      resting: f(),
      atBest: f(),
      queueAhead: f(),
      queued: f(),
      fills: f(),
      reward: f(),
    })),
  };
}

/** Adds the game's last episode, read from its records, to the per-step sums. */
function addSteps(game: Game, s: StepSums, size: number): void {
  const r = game.record();
  let sold = 0;
  for (let t = 0; t < r.steps; t++) {
    const bb = r.bestBid[t];
    s.childQty[t] += r.childQty[t];
    s.takerFilled[t] += r.takerFilled[t];
    s.takerPnl[t] += r.reward[takerRow(r, t)];
    sold += r.takerFilled[t];
    s.soldFrac[t] += size > 0 ? sold / size : 0;
    s.volume[t] += r.volume[t];
    if (bb !== NONE) {
      s.bestBid[t] += bb;
      s.hasBestBid[t]++;
    }
    for (let i = 0; i < r.makers; i++) {
      const m = s.makers[i], row = makerRow(r, t, i);
      const qty = r.bidQty[row], queue = r.queueAhead[row];
      m.bidPrice[t] += r.bidPrice[row];
      m.bidQty[t] += qty;
      if (qty > 0) m.resting[t]++;
      if (qty > 0 && r.bidPrice[row] === bb) m.atBest[t]++;
      if (!Number.isNaN(queue)) {
        m.queueAhead[t] += queue;
        m.queued[t]++;
      }
      m.fills[t] += r.fills[row];
      m.reward[t] += r.reward[row];
    }
  }
}

function finishSteps(s: StepSums, E: number): StepMeans {
  const per = (a: Float64Array) => a.map((x) => x / E);
  const over = (a: Float64Array, count: Float64Array) =>
    a.map((x, t) => (count[t] > 0 ? x / count[t] : NaN));
  return {
    childQty: per(s.childQty),
    takerFilled: per(s.takerFilled),
    takerPnl: per(s.takerPnl),
    soldFrac: per(s.soldFrac),
    volume: per(s.volume),
    bestBid: over(s.bestBid, s.hasBestBid),
    hasBestBid: per(s.hasBestBid),
    makers: s.makers.map((m) => ({
      bidPrice: per(m.bidPrice),
      bidQty: per(m.bidQty),
      resting: per(m.resting),
      atBest: per(m.atBest),
      queueAhead: over(m.queueAhead, m.queued),
      queued: per(m.queued),
      fills: per(m.fills),
      reward: per(m.reward),
    })),
  };
}

interface DecisionSums {
  count: Float64Array;
  offset: Float64Array;
  qty: Float64Array;
  target: Float64Array;
  actions: Float64Array[];
}

function newDecisions(n: number, nActions: number): DecisionSums {
  return {
    count: new Float64Array(n),
    offset: new Float64Array(n),
    qty: new Float64Array(n),
    target: new Float64Array(n),
    actions: Array.from({ length: n }, () => new Float64Array(nActions)),
  };
}

/** Notes what every maker sees as it chooses the coming step's action. */
function noteViews(game: Game, d: DecisionSums): void {
  for (let i = 0; i < game.views.length; i++) {
    const v = game.views[i];
    d.count[i]++;
    d.offset[i] += v.p0 - v.price;
    d.qty[i] += v.qty;
    d.target[i] += v.target;
  }
}

/** Counts the actions the makers chose in the game's last episode (from its records). */
function noteActions(game: Game, d: DecisionSums): void {
  const r = game.record();
  for (let t = 0; t < r.steps; t++) {
    for (let i = 0; i < r.makers; i++) d.actions[i][r.action[makerRow(r, t, i)]]++;
  }
}

function finishDecisions(d: DecisionSums): DecisionMeans[] {
  return Array.from(d.count, (c, i) => ({
    decisions: c,
    offset: d.offset[i] / c,
    qty: d.qty[i] / c,
    target: d.target[i] / c,
    actions: d.actions[i].map((x) => x / c),
  }));
}
