/**
 * The episode engine: one book, the background, n makers with one bid each, and one taker,
 * stepped in the fixed order documented in `mod.ts`. Everything per step lives in typed arrays
 * and reused objects: no allocation in `step()` (recording writes into preallocated arrays).
 *
 * @module
 */
import { ASK, BID, NONE, OrderBook } from "../book/mod.ts";
import { checkSeed, ConfigError } from "../errors.ts";
import { type Background, createBackground } from "../market/background.ts";
import { BACKGROUND, MAKER0, makerOwner, TAKER } from "../market/owners.ts";
import { type Rng, stream } from "../rng.ts";
import { createTaker } from "../takers/strategies.ts";
import type { TakerOrder, TakerStrategy, TakerView } from "../takers/types.ts";
import { type ActionSet, actionSet, REFILL, REPOST } from "./actions.ts";
import { resolveConfig, type ResolvedConfig } from "./config.ts";
import { createPolicy } from "./policies.ts";
import { type EpisodeRecord, newRecord } from "./record.ts";
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
  /** Number of steps N. */
  steps: number;
  /** P0 in ticks. */
  p0: number;
  /** Currency per tick. */
  tickSize: number;
  /** Meta-order size Q. */
  size: number;
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
  /** `takerFills / steps`. */
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
  record(): EpisodeRecord;
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
  const { steps: N, p0, tickSize, makers: n } = cfg;
  const rules = cfg.bid;
  const visible = cfg.game.sizeVisible;
  const actions = actionSet(cfg.actions);
  const dPrice = actions.dPrice, dQty = actions.dQty, mode = actions.mode;
  const nActions = actions.n;
  const book = new OrderBook({ minTick: p0 - cfg.bookSpan, maxTick: p0 + cfg.bookSpan });

  // ---------------------------------------------------------------- streams
  // Each agent holds a wrapper; re-seeding swaps the generator behind it.
  let seed = cfg.seed;
  let gTaker: Rng, gBackground: Rng, gOrder: Rng, gSize: Rng;
  const gMaker: Rng[] = new Array(n);
  const seedStreams = (s: number | string) => {
    seed = s;
    gTaker = stream(s, "taker");
    gBackground = stream(s, "background");
    gOrder = stream(s, "order");
    gSize = stream(s, "size");
    for (let i = 0; i < n; i++) gMaker[i] = stream(s, `maker:${i}`);
  };
  seedStreams(seed);
  const bgRng: Rng = () => gBackground();

  // ---------------------------------------------------------------- agents
  const taker = createTaker(cfg.taker, { rng: () => gTaker(), steps: N, p0 });
  const policies: MakerPolicy[] = [];
  const startPrice = new Int32Array(n), startQty = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const field = Array.isArray(config.policy) ? `policy[${i}]` : "policy";
    const p = createPolicy(cfg.policies[i], {
      index: i,
      owner: makerOwner(i),
      rng: () => gMaker[i](),
      actions,
      rules,
      p0,
      steps: N,
      sizeVisible: visible,
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

  // The background: validated once; re-initialised on the same book every episode.
  let bgSpec = cfg.background;
  const makeBackground = (): GameBackground => {
    if (typeof bgSpec === "function") return bgSpec({ p0, rng: bgRng });
    try {
      return createBackground({ ...bgSpec, p0 }, bgRng);
    } catch (e) {
      if (e instanceof ConfigError) {
        const err = new ConfigError(`background.${e.field}`, "", "");
        err.message = `background.${e.message}`;
        throw err;
      }
      throw e;
    }
  };
  let background = makeBackground();
  let bgFresh = true; // created and not yet initialised
  // The tape (traded volume) needs the book's totals only if someone else than the taker trades.
  let bgTrades = true;
  if (typeof bgSpec !== "function") {
    const { options: o, profile } = background as Background;
    bgTrades = o.noiseRate > 0;
    // Later episodes reuse the resolved profile (no file read for "lobster").
    bgSpec = { ...bgSpec, profile: [...profile] };
    const below = o.gap + o.depthLevels - 1, above = o.spreadTicks + o.askLevels - 1;
    if (below > cfg.bookSpan || above > cfg.bookSpan) {
      throw new ConfigError(
        "bookSpan",
        `an integer ≥ ${Math.max(below, above)} (the background's ladders must fit)`,
        cfg.bookSpan,
      );
    }
  }

  // ---------------------------------------------------------------- state
  const owner = new Int32Array(n);
  for (let i = 0; i < n; i++) owner[i] = MAKER0 + i;
  const price = new Int32Array(n); // price setting
  const target = new Float64Array(n); // quantity setting
  const rest = new Float64Array(n); // resting quantity
  const orderId = new Float64Array(n).fill(NONE);
  const action = new Int32Array(n);
  const perm = new Int32Array(n);
  const vol = new Float64Array(n); // volume against the taker
  const mtm = new Float64Array(n); // Σ (p0 − price) · qty over own fills, ticks
  const otherVol = new Float64Array(n);
  const fillCount = new Float64Array(n);
  const stepFills = new Float64Array(n);
  const stepOther = new Float64Array(n);
  const share = new Float64Array(n); // running PnL share, ticks
  const reward = new Float64Array(n); // this step's reward, currency
  const restBefore = new Float64Array(n);
  let t = 0, episode = -1, size = 0;
  let executed = 0, takerCash = 0, stepCash = 0, stepFilled = 0, sweepQty = 0, takerFills = 0;
  let bgVol = 0, bgMtm = 0, bgShare = 0, bgReward = 0, otherVolume = 0;
  let tape = 0, lastTape = 0, prevTape = 0;
  let makersFilledStat = 0;

  // ---------------------------------------------------------------- views
  const views: MakerView[] = [];
  for (let i = 0; i < n; i++) {
    views.push({
      index: i,
      t: 0,
      steps: N,
      stepsLeft: N,
      p0,
      bestBid: NONE,
      bestAsk: NONE,
      mid: NaN,
      price: 0,
      qty: 0,
      target: 0,
      makersQty: 0,
      lastFills: 0,
      lastOtherFills: 0,
      volume: 0,
      lastVolume: 0,
      prevVolume: 0,
      takerRemaining: NaN,
      sizeVisible: visible,
      share: 0,
      queueAhead: () => (orderId[i] === NONE ? NaN : book.queueAhead(orderId[i])),
      book,
    });
  }
  const tv: TakerView = {
    t: 0,
    steps: N,
    stepsLeft: N,
    p0,
    size: 0,
    executed: 0,
    remaining: 0,
    bestBid: NONE,
    bestAsk: NONE,
    lastQty: 0,
    lastFilled: 0,
    book,
  };
  const order: TakerOrder = { qty: 0, floor: NONE };

  function updateViews() {
    const bb = book.bestBid(), ba = book.bestAsk();
    const mid = bb === NONE || ba === NONE ? NaN : (bb + ba) / 2;
    let mq = 0;
    for (let i = 0; i < n; i++) mq += rest[i];
    const remaining = visible ? size - executed : NaN;
    for (let i = 0; i < n; i++) {
      const v = views[i];
      v.t = t;
      v.stepsLeft = N - t;
      v.bestBid = bb;
      v.bestAsk = ba;
      v.mid = mid;
      v.price = price[i];
      v.qty = rest[i];
      v.target = target[i];
      v.makersQty = mq;
      v.lastFills = stepFills[i];
      v.lastOtherFills = stepOther[i];
      v.volume = vol[i];
      v.lastVolume = lastTape;
      v.prevVolume = prevTape;
      v.takerRemaining = remaining;
      v.share = share[i] * tickSize;
    }
    tv.t = t;
    tv.stepsLeft = N - t;
    tv.size = size;
    tv.executed = executed;
    tv.remaining = size - executed;
    tv.bestBid = bb;
    tv.bestAsk = ba;
  }

  // ---------------------------------------------------------------- recording
  const rec = cfg.record ? newRecord(N, n) : null;

  // ---------------------------------------------------------------- episode
  function shuffleOrder() {
    for (let i = 0; i < n; i++) perm[i] = i;
    if (cfg.makerOrder === "random") {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(gOrder() * (i + 1));
        const x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
      }
    }
  }

  function reset(s?: number | string) {
    if (s !== undefined) {
      checkSeed("seed", s); // before anything changes
      seedStreams(s);
      episode = 0;
    } else episode++;
    size = cfg.game.drawSize(gSize);
    t = 0;
    executed =
      takerCash =
      stepCash =
      stepFilled =
      sweepQty =
      takerFills =
        0;
    bgVol =
      bgMtm =
      bgShare =
      bgReward =
      otherVolume =
        0;
    tape = lastTape = prevTape = 0;
    vol.fill(0);
    mtm.fill(0);
    otherVol.fill(0);
    fillCount.fill(0);
    stepFills.fill(0);
    stepOther.fill(0);
    share.fill(0);
    reward.fill(0);
    orderId.fill(NONE);
    book.clear();
    // A built-in background re-initialises on the same book; a custom one is built afresh.
    if (!bgFresh && typeof bgSpec === "function") background = makeBackground();
    background.init(book);
    bgFresh = false;
    // Makers' initial bids, behind the background at their level, in the step's order rule.
    shuffleOrder();
    for (let k = 0; k < n; k++) {
      const i = perm[k];
      price[i] = startPrice[i];
      target[i] = startQty[i];
      rest[i] = 0;
      if (startQty[i] > 0) place(i, startPrice[i], startQty[i]);
    }
    makersFilledStat = book.stats().makerFilled;
    tv.lastQty = 0;
    tv.lastFilled = 0;
    updateViews();
    for (let i = 0; i < n; i++) policies[i].reset?.(views[i]);
    taker.reset?.(tv);
  }

  /** Posts a new bid for maker `i` (post-only: never at or above the best ask). */
  function place(i: number, p: number, q: number) {
    const ba = book.bestAsk();
    if (ba !== NONE && p >= ba) return;
    orderId[i] = book.limit(BID, p, q, owner[i]);
    rest[i] = q;
  }

  // Bounds of a bid's price; the top is lowered to bestAsk − 1 each step (post-only).
  const lo = p0 - rules.maxOffset, hiP0 = p0 - rules.minOffset;
  const inc = rules.increment, maxQty = rules.maxQty;

  /** Applies action `a` to maker `i` (see the table in `mod.ts`). */
  function apply(i: number, a: number, hi: number, ba: number) {
    const oldP = price[i], oldR = rest[i];
    let p = oldP + dPrice[a];
    if (p > hi) p = hi;
    if (p < lo) p = lo;
    let tq = target[i], r = oldR;
    const dq = dQty[a];
    if (dq !== 0) {
      tq += dq * inc;
      tq = tq < 0 ? 0 : tq > maxQty ? maxQty : tq;
      r += dq * inc;
      r = r < 0 ? 0 : r > maxQty ? maxQty : r;
    }
    const m = mode[a];
    if (m === REFILL || (m === REPOST && r === 0)) r = tq;
    if (ba !== NONE && p >= ba) r = 0; // cannot rest without crossing
    price[i] = p;
    target[i] = tq;
    const id = orderId[i];
    if (id === NONE) {
      if (r > 0) {
        orderId[i] = book.limit(BID, p, r, owner[i]);
        rest[i] = r;
      }
    } else if (r === 0) {
      book.cancel(id);
      orderId[i] = NONE;
      rest[i] = 0;
    } else if (p !== oldP || r !== oldR) {
      // Same price and smaller: keeps priority; larger or re-priced: back of the queue.
      book.modify(id, p, r);
      rest[i] = r;
    }
  }

  /** Books the fills of the taker's last order. */
  function takerFillsIn() {
    const f = book.fills;
    const c = f.count;
    for (let k = 0; k < c; k++) {
      const o = f.makerOwner[k], p = f.price[k], q = f.qty[k];
      const i = o - MAKER0;
      stepCash += (p - p0) * q;
      stepFilled += q;
      if (i >= 0 && i < n) {
        vol[i] += q;
        stepFills[i] += q;
        mtm[i] += (p0 - p) * q;
        fillCount[i]++;
      } else {
        bgVol += q;
        bgMtm += (p0 - p) * q;
      }
    }
    takerFills += c;
  }

  function step(): boolean {
    if (episode < 0) reset();
    if (t >= N) {
      throw new ConfigError("step", `called at most ${N} times per episode (call reset)`, t);
    }
    // 1. Makers observe (views are current) and choose, simultaneously.
    for (let i = 0; i < n; i++) {
      const a = policies[i].act(views[i]);
      if ((a >>> 0) !== a || a >= nActions) {
        throw new ConfigError(
          `policy[${i}].act`,
          `an action index, an integer in [0, ${nActions - 1}]`,
          a,
        );
      }
      action[i] = a;
    }
    // 2. Their bids are updated in the book, in a seeded random (or fixed) order.
    shuffleOrder();
    const ba = book.bestAsk();
    let hi = hiP0;
    if (ba !== NONE && ba - 1 < hi) hi = ba - 1;
    for (let k = 0; k < n; k++) {
      const i = perm[k];
      stepFills[i] = 0;
      stepOther[i] = 0;
      apply(i, action[i], hi, ba);
    }
    // 3. The taker's child order executes (and, at the deadline, the unsold rule).
    tv.bestBid = book.bestBid();
    tv.bestAsk = ba;
    order.qty = 0;
    order.floor = NONE;
    taker.decide(tv, order);
    const remaining = size - executed;
    let q = Math.trunc(order.qty);
    if (!(q >= 0)) q = 0; // NaN or negative
    if (q > remaining) q = remaining;
    let floor = order.floor;
    if (floor !== NONE) {
      if (!Number.isInteger(floor)) {
        throw new ConfigError(
          "taker.decide",
          "a floor that is NONE (-1) or an integer tick",
          floor,
        );
      }
      if (floor < book.minTick) floor = NONE;
      else if (floor > book.maxTick) q = 0;
    }
    stepCash = 0;
    stepFilled = 0;
    if (q > 0) {
      if (floor === NONE) book.market(ASK, q, TAKER);
      else book.ioc(ASK, floor, q, TAKER);
      takerFillsIn();
    }
    const childFilled = stepFilled;
    if (t === N - 1 && cfg.unsold === "sweep" && size - executed - stepFilled > 0) {
      book.market(ASK, size - executed - stepFilled, TAKER);
      const before = stepFilled;
      takerFillsIn();
      sweepQty += stepFilled - before;
    }
    executed += stepFilled;
    takerCash += stepCash;
    // 4. Background refills and noise arrives.
    for (let i = 0; i < n; i++) restBefore[i] = book.ownerResting(owner[i], BID);
    background.step(book, t);
    if (bgTrades) {
      const filledNow = book.stats().makerFilled;
      tape = filledNow - makersFilledStat;
      makersFilledStat = filledNow;
    } else tape = stepFilled;
    otherVolume += tape - stepFilled;
    for (let i = 0; i < n; i++) {
      const r = book.ownerResting(owner[i], BID);
      const other = restBefore[i] - r;
      if (other > 0) {
        stepOther[i] = other;
        otherVol[i] += other;
        mtm[i] += (p0 - price[i]) * other;
      }
      rest[i] = r;
      if (r === 0) orderId[i] = NONE;
    }
    // 5. Rewards: the change of each running PnL share.
    const total = executed;
    for (let i = 0; i < n; i++) {
      const s = total > 0 ? (-takerCash * vol[i]) / total : 0;
      reward[i] = (s - share[i]) * tickSize;
      share[i] = s;
    }
    const sb = total > 0 ? (-takerCash * bgVol) / total : 0;
    bgReward = (sb - bgShare) * tickSize;
    bgShare = sb;
    if (rec !== null) recordStep(q, order.floor === NONE ? NONE : floor, childFilled);
    t++;
    prevTape = lastTape;
    lastTape = tape;
    tv.lastQty = q;
    tv.lastFilled = stepFilled;
    updateViews();
    const done = t === N;
    for (let i = 0; i < n; i++) policies[i].learn?.(reward[i], views[i], done);
    taker.learn?.(stepCash * tickSize, tv, done);
    return done;
  }

  function recordStep(q: number, floor: number, childFilled: number) {
    const r = rec!;
    const A = n + 2;
    const base = t * A;
    for (let i = 0; i < n; i++) {
      const k = base + i;
      r.action[k] = action[i];
      r.bidPrice[k] = price[i];
      r.bidQty[k] = rest[i];
      r.target[k] = target[i];
      r.queueAhead[k] = orderId[i] === NONE ? NaN : book.queueAhead(orderId[i]);
      r.fills[k] = stepFills[i];
      r.otherFills[k] = stepOther[i];
      r.reward[k] = reward[i];
      r.cumPnl[k] = share[i] * tickSize;
      r.mtm[k] = mtm[i] * tickSize;
    }
    let k = base + n; // background
    r.action[k] = NONE;
    r.bidPrice[k] = NONE;
    r.bidQty[k] = book.ownerResting(BACKGROUND, BID);
    r.target[k] = NaN;
    r.queueAhead[k] = NaN;
    r.fills[k] = stepFilled - sumOf(stepFills);
    r.otherFills[k] = NaN;
    r.reward[k] = bgReward;
    r.cumPnl[k] = bgShare * tickSize;
    r.mtm[k] = bgMtm * tickSize;
    k = base + n + 1; // taker
    r.action[k] = NONE;
    r.bidPrice[k] = NONE;
    r.bidQty[k] = NaN;
    r.target[k] = NaN;
    r.queueAhead[k] = NaN;
    r.fills[k] = stepFilled;
    r.otherFills[k] = NaN;
    r.reward[k] = stepCash * tickSize;
    r.cumPnl[k] = takerCash * tickSize;
    r.mtm[k] = takerCash * tickSize;
    r.childQty[t] = q;
    r.childFloor[t] = floor;
    r.childFilled[t] = childFilled;
    r.takerFilled[t] = stepFilled;
    r.bestBid[t] = book.bestBid();
    r.bestAsk[t] = book.bestAsk();
    r.volume[t] = tape;
    r.steps = t + 1;
    r.episode = episode;
    r.size = size;
  }

  function sumOf(a: Float64Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  }

  function summary(): EpisodeSummary {
    const unsold = size - executed;
    const bb = book.bestBid(), ba = book.bestAsk();
    const mark = bb === NONE ? book.minTick : bb;
    const shortfallTicks = -takerCash + unsold * (p0 - mark);
    const total = executed;
    const takerPnl = takerCash * tickSize;
    const ps = (v: number) => (total > 0 ? (-takerCash * v) / total : 0) * tickSize;
    return {
      episode,
      seed,
      game: cfg.game.kind,
      taker: taker.name,
      makers: n,
      steps: N,
      p0,
      tickSize,
      size,
      executed,
      unsold,
      sweepQty,
      avgPrice: total > 0 ? p0 + takerCash / total : NaN,
      takerPnl,
      shortfall: shortfallTicks * tickSize,
      shortfallBps: size > 0 ? (shortfallTicks / (size * p0)) * 1e4 : 0,
      backgroundVolume: bgVol,
      backgroundShare: total > 0 ? bgVol / total : 0,
      backgroundPnl: ps(bgVol),
      otherVolume,
      takerFills,
      fillsPerStep: takerFills / N,
      finalBestBid: bb,
      finalMid: bb === NONE || ba === NONE ? NaN : (bb + ba) / 2,
      makerPolicy: policies.map((p) => p.name),
      makerVolume: Array.from(vol),
      makerShare: Array.from(vol, (v) => (total > 0 ? v / total : 0)),
      makerPnl: Array.from(vol, ps),
      makerMtm: Array.from(mtm, (m) => m * tickSize),
      makerOtherVolume: Array.from(otherVol),
      makerFills: Array.from(fillCount),
      finalPrice: Array.from(price),
      finalQty: Array.from(rest),
      finalTarget: Array.from(target),
    };
  }

  const game: Game = {
    config: cfg,
    actions,
    policies,
    taker,
    book,
    views,
    get t() {
      return t;
    },
    get episode() {
      return episode;
    },
    get size() {
      return size;
    },
    reset,
    step,
    run(s?: number | string) {
      reset(s);
      while (!step());
      return summary();
    },
    summary,
    record() {
      if (rec === null) {
        throw new ConfigError("record", "true to read the episode's records", false);
      }
      return rec;
    },
  };
  return game;
}
