/**
 * A game: `createGame` validates the configuration, builds the book, the streams, the agents and
 * the background, and hands them to the episode engine (`_engine.ts`), which plays the steps in
 * the fixed order documented in `mod.ts`. Everything per step lives in typed arrays and reused
 * objects: no allocation in `step()` (recording writes into preallocated arrays).
 *
 * @module
 */
import { NONE, OrderBook } from "../book/mod.ts";
import { ConfigError } from "../errors.ts";
import { type Background, createBackground } from "../market/background.ts";
import { makerOwner } from "../market/owners.ts";
import { createTaker } from "../takers/strategies.ts";
import type { TakerStrategy } from "../takers/types.ts";
import { type ActionSet, actionSet } from "./actions.ts";
import { resolveConfig, type ResolvedConfig } from "./config.ts";
import { GameEngine, GameStreams } from "./_engine.ts";
import { createPolicy } from "./policies.ts";
import { type GameRecord, newRecord } from "./record.ts";
import type { GameBackground, GameConfig, MakerPolicy, MakerView } from "./types.ts";

/** The outcome of one episode (see `mod.ts` for the accounting). PnL in currency. */
export interface EpisodeSummary {
  /** Episode index since the last re-seed (0 for the first). */
  episode: number;
  /** Root seed of the streams. */
  seed: number | string;
  /** `"known"` (game 1) or `"hidden"` (game 2). */
  game: string;
  /** Taker strategy name. */
  taker: string;
  /** Number of makers. */
  makers: number;
  /** Number of steps N of the episode. */
  steps: number;
  /** P0 in ticks. */
  p0: number;
  /** Currency per tick. */
  tickSize: number;
  /** Meta-order size Q. */
  size: number;
  /** The step at which the taker arrived (its first child order). */
  takerStart: number;
  /** The taker's window in steps (it sells from `takerStart` to `takerStart + takerSteps − 1`). */
  takerSteps: number;
  /** Quantity the taker executed (including the deadline sweep). */
  executed: number;
  /** Quantity left unexecuted at the end (`size − executed`). */
  unsold: number;
  /** Part of `executed` sold by the deadline sweep (rule `"sweep"`). */
  sweepQty: number;
  /** Taker's average execution price in ticks (`NaN` if nothing executed). */
  avgPrice: number;
  /** Taker PnL `(avgPrice − P0) × executed × tickSize` (negative: a cost). */
  takerPnl: number;
  /**
   * Implementation shortfall `(Q·P0 − Σ price·qty − unsold · mark) × tickSize`, with the unsold
   * quantity marked at the final best bid (the book's lowest tick if no bid is left).
   */
  shortfall: number;
  /** Shortfall in basis points of the paper value `Q · P0`. */
  shortfallBps: number;
  /** Volume the taker executed against background orders. */
  backgroundVolume: number;
  /** Background's market share of the taker's volume. */
  backgroundShare: number;
  /** Background's PnL share `−takerPnl × backgroundVolume / executed`. */
  backgroundPnl: number;
  /** Traded volume not from the taker (noise flow). */
  otherVolume: number;
  /** Number of fills of the taker's orders (resting orders hit). */
  takerFills: number;
  /** `takerFills / takerSteps` (per step of the taker's window). */
  fillsPerStep: number;
  /** Best bid at the end (ticks, `NONE` = -1 if empty). */
  finalBestBid: number;
  /** Mid at the end (ticks, `NaN` if a side is empty). */
  finalMid: number;
  /** Per maker: policy name. */
  makerPolicy: string[];
  /** Per maker: volume executed against the taker. */
  makerVolume: number[];
  /** Per maker: market share of the taker's volume. */
  makerShare: number[];
  /** Per maker: PnL share `−takerPnl × makerVolume / executed` (the learning objective). */
  makerPnl: number[];
  /** Per maker: own fills (taker and others) marked to P0, `Σ (P0 − price) × qty × tickSize`. */
  makerMtm: number[];
  /** Per maker: volume bought from others than the taker (noise sellers). */
  makerOtherVolume: number[];
  /** Per maker: number of its fills by the taker. */
  makerFills: number[];
  /** Per maker: final bid price (ticks; the price setting even if nothing rests). */
  finalPrice: number[];
  /** Per maker: final resting quantity. */
  finalQty: number[];
  /** Per maker: final target quantity. */
  finalTarget: number[];
}

/** A game: build once with {@linkcode createGame}, then `run()` episodes or `reset()`/`step()`. */
export interface Game {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** The makers' action set. */
  readonly actions: ActionSet;
  /** The makers' policies, by index. */
  readonly policies: readonly MakerPolicy[];
  /** The taker's strategy. */
  readonly taker: TakerStrategy;
  /** The book (read it; do not trade through it). */
  readonly book: OrderBook;
  /** The makers' views (live objects, updated in place). */
  readonly views: readonly MakerView[];
  /** Next step to play (`steps` when the episode is over). */
  readonly t: number;
  /** Episode index since the last re-seed (-1 before the first reset). */
  readonly episode: number;
  /** This episode's meta-order size Q. */
  readonly size: number;
  /**
   * Starts an episode: a fresh market (background ladder, then the makers' initial bids), a new
   * size (game 2). With `seed`, every stream is re-seeded from it (so `reset(s)` always starts
   * the same episode); without, the streams continue from the previous episode.
   */
  reset(seed?: number | string): void;
  /** Plays one step; returns true when the window is over (truncation). */
  step(): boolean;
  /** `reset(seed)` and plays every step; returns the summary. */
  run(seed?: number | string): EpisodeSummary;
  /** Summary of the current (or last) episode. */
  summary(): EpisodeSummary;
  /** The episode's raw per-step, per-agent arrays (needs `record: true`). */
  record(): GameRecord;
}

/**
 * Builds a game from a configuration (validated here: a bad field throws `ConfigError`).
 *
 * @example
 * ```ts
 * import { createGame } from "./game.ts";
 * const game = createGame({ makers: 2, taker: { kind: "passive" }, seed: 1 });
 * const s = game.run();
 * const shares = s.makerPnl[0] + s.makerPnl[1] + s.backgroundPnl;
 * if (Math.abs(shares + s.takerPnl) > 1e-6) throw new Error("shares add up to −takerPnl");
 * if (s.executed !== 8000) throw new Error("everything sold");
 * ```
 */
export function createGame(config: GameConfig = {}): Game {
  const cfg = resolveConfig(config);
  const { steps: N, p0, makers: n } = cfg;
  const actions = actionSet(cfg.actions);
  const book = new OrderBook({ minTick: p0 - cfg.bookSpan, maxTick: p0 + cfg.bookSpan });
  // Each agent holds its stream; re-seeding re-seeds them in place.
  const streams = new GameStreams(cfg.seed, n);
  // The taker's horizon is its own window (it starts at a step of the game's choosing).
  const taker = createTaker(cfg.taker, {
    rng: streams.taker,
    steps: cfg.arrival.window,
    p0,
  });
  const makers = createMakers({ config, cfg, actions, streams });
  const bg = createGameBackground(cfg, streams.background);
  const engine = new GameEngine({
    cfg,
    actions,
    book,
    streams,
    policies: makers.policies,
    taker,
    startPrice: makers.startPrice,
    startQty: makers.startQty,
    background: bg.background,
    renewBackground: bg.renew,
    bgTrades: bg.trades,
    record: cfg.record ? newRecord(N, n) : null,
  });
  return {
    config: cfg,
    actions,
    policies: makers.policies,
    taker,
    book,
    views: engine.views,
    get t() {
      return engine.t;
    },
    get episode() {
      return engine.episode;
    },
    get size() {
      return engine.size;
    },
    reset: (s?: number | string) => engine.reset(s),
    step: () => engine.step(),
    run(s?: number | string) {
      engine.reset(s);
      while (!engine.step());
      return summarize(engine, streams.seed);
    },
    summary: () => summarize(engine, streams.seed),
    record() {
      if (engine.rec === null) {
        throw new ConfigError("record", "true to read the episode's records", false);
      }
      return engine.rec;
    },
  };
}

/** The makers' policies (built on their contexts) and their validated initial bids. */
function createMakers(options: {
  config: GameConfig;
  cfg: ResolvedConfig;
  actions: ActionSet;
  streams: GameStreams;
}) {
  const { config, cfg, actions, streams } = options;
  const { makers: n, p0, steps: N } = cfg;
  const rules = cfg.bid;
  const policies: MakerPolicy[] = [];
  const startPrice = new Int32Array(n), startQty = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const field = Array.isArray(config.policy) ? `policy[${i}]` : "policy";
    const p = createPolicy(cfg.policies[i], {
      index: i,
      owner: makerOwner(i),
      rng: streams.maker[i],
      actions,
      makers: n,
      rules,
      p0,
      steps: N,
      sizeVisible: cfg.game.sizeVisible,
    }, field);
    const off = p.start?.offset ?? rules.startOffset;
    const q = p.start?.qty ?? rules.startQty;
    if (!Number.isInteger(off) || off < rules.minOffset || off > rules.maxOffset) {
      throw new ConfigError(
        `${field}.start.offset`,
        `an integer in [${rules.minOffset}, ${rules.maxOffset}] (bid.minOffset..bid.maxOffset)`,
        off,
      );
    }
    if (!Number.isInteger(q) || q < 0 || q > rules.maxQty) {
      throw new ConfigError(`${field}.start.qty`, `an integer in [0, ${rules.maxQty}]`, q);
    }
    startPrice[i] = p0 - off;
    startQty[i] = q;
    policies.push(p);
  }
  return { policies, startPrice, startQty };
}

/**
 * The game's background: validated once and re-initialised on the same book every episode (a
 * custom factory is called afresh each episode: `renew`). `trades`: whether it can trade (noise
 * flow), so that the tape must read the book's totals.
 */
function createGameBackground(cfg: ResolvedConfig, bgRng: () => number): {
  background: GameBackground;
  renew: (() => GameBackground) | null;
  trades: boolean;
} {
  const p0 = cfg.p0;
  const spec = cfg.background;
  if (typeof spec === "function") {
    return {
      background: spec({ p0, rng: bgRng }),
      renew: () => spec({ p0, rng: bgRng }),
      trades: true,
    };
  }
  let background: Background;
  try {
    background = createBackground({ ...spec, p0 }, bgRng);
  } catch (e) {
    if (e instanceof ConfigError) {
      const err = new ConfigError(`background.${e.field}`, "", "");
      err.message = `background.${e.message}`;
      throw err;
    }
    throw e;
  }
  const o = background.options;
  const below = o.gap + o.depthLevels - 1, above = o.spreadTicks + o.askLevels - 1;
  if (below > cfg.bookSpan || above > cfg.bookSpan) {
    throw new ConfigError(
      "bookSpan",
      `an integer ≥ ${Math.max(below, above)} (the background's ladders must fit)`,
      cfg.bookSpan,
    );
  }
  return { background, renew: null, trades: o.noiseRate > 0 };
}

/** The summary of the engine's current (or last) episode. */
function summarize(e: GameEngine, seed: number | string): EpisodeSummary {
  const { cfg, book } = e;
  const { p0, tickSize, steps: N, makers: n } = cfg;
  const size = e.size, executed = e.executed, takerCash = e.takerCash;
  const unsold = size - executed;
  const bb = book.bestBid(), ba = book.bestAsk();
  const mark = bb === NONE ? book.minTick : bb;
  const shortfallTicks = -takerCash + unsold * (p0 - mark);
  const total = executed;
  const takerPnl = takerCash * tickSize;
  const ps = (v: number) => (total > 0 ? (-takerCash * v) / total : 0) * tickSize;
  // Per maker, in plain loops (this runs once per training episode).
  const makerPolicy = new Array<string>(n), makerVolume = new Array<number>(n);
  const makerShare = new Array<number>(n), makerPnl = new Array<number>(n);
  const makerMtm = new Array<number>(n), makerOtherVolume = new Array<number>(n);
  const makerFills = new Array<number>(n), finalPrice = new Array<number>(n);
  const finalQty = new Array<number>(n), finalTarget = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = e.vol[i];
    makerPolicy[i] = e.policies[i].name;
    makerVolume[i] = v;
    makerShare[i] = total > 0 ? v / total : 0;
    makerPnl[i] = ps(v);
    makerMtm[i] = e.mtm[i] * tickSize;
    makerOtherVolume[i] = e.otherVol[i];
    makerFills[i] = e.fillCount[i];
    finalPrice[i] = e.price[i];
    finalQty[i] = e.rest[i];
    finalTarget[i] = e.target[i];
  }
  return {
    episode: e.episode,
    seed,
    game: cfg.game.kind,
    taker: e.taker.name,
    makers: n,
    steps: N,
    p0,
    tickSize,
    size,
    takerStart: e.start,
    takerSteps: cfg.arrival.window,
    executed,
    unsold,
    sweepQty: e.sweepQty,
    avgPrice: total > 0 ? p0 + takerCash / total : NaN,
    takerPnl,
    shortfall: shortfallTicks * tickSize,
    shortfallBps: size > 0 ? (shortfallTicks / (size * p0)) * 1e4 : 0,
    backgroundVolume: e.bgVol,
    backgroundShare: total > 0 ? e.bgVol / total : 0,
    backgroundPnl: ps(e.bgVol),
    otherVolume: e.otherVolume,
    takerFills: e.takerFills,
    fillsPerStep: e.takerFills / cfg.arrival.window,
    finalBestBid: bb,
    finalMid: bb === NONE || ba === NONE ? NaN : (bb + ba) / 2,
    makerPolicy,
    makerVolume,
    makerShare,
    makerPnl,
    makerMtm,
    makerOtherVolume,
    makerFills,
    finalPrice,
    finalQty,
    finalTarget,
  };
}
