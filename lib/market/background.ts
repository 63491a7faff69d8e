/**
 * Background liquidity: the exogenous side of the market that the taker sells into when no maker
 * is present (or when the makers' bids are used up).
 *
 * ## Model
 * All prices are integer ticks; `d` is a distance in ticks from the top of a ladder.
 *
 * - **Reference price** `r`: `p0` by default (**anchored**). With `recentre = κ > 0` it moves a
 *   fraction κ of the way to the current mid each step (before the refill), and both ladders are
 *   re-laid around `round(r)`: the consumed liquidity then rebuilds around the new price and part
 *   of the impact becomes permanent. Anchored is the game's default because the taker's PnL is
 *   measured against `p0`: with an anchored ladder, impact is purely transient and decays at the
 *   resilience rate, so a slower sale is cheaper, the trade-off the game is about.
 * - **Bid ladder**: `depthLevels` levels at `r − gap − d`, `d = 0 … depthLevels − 1`, with
 *   target size `s_d` from the depth **profile** scaled to `totalDepth` (largest-remainder
 *   rounding, so the sizes sum to `totalDepth` exactly): `"flat"` (`w_d = 1`), `"linear"`
 *   (`w_d = 1 + linearSlope·d`, thicker away from the best, as in most equity books),
 *   `"exponential"` (`w_d = exp(expRate·d)`; a negative rate thins the book with distance),
 *   `{weights}` (e.g. the mean bid sizes by distance from the best in a LOBSTER sample:
 *   `lobsterProfile()` of `lib/lobster`; distances beyond the array repeat its last weight), or an
 *   explicit array of sizes (used as given; `totalDepth` is then their sum). The options, their
 *   defaults and validation are in `options.ts`, the profile in `profile.ts`; this module is the
 *   ladder.
 * - **Ask side**: `askLevels` levels at `r + spreadTicks + d`, each of size `askSize` (flat).
 *   It exists so that the mid and the spread are defined; in the game nobody but noise buyers
 *   consumes it.
 * - **Refill** (resilience), each step after the taker's child order: every level whose
 *   background quantity `x_d` is below its target gets `ceil(ρ·(s_d − x_d))` new contracts
 *   (`refill: "fraction"`, deterministic) or a Poisson draw with mean `ρ·(s_d − x_d)`, capped at
 *   the gap (`"poisson"`). So the gap shrinks by a factor `(1 − ρ)` per step (in expectation for
 *   Poisson): the Obizhaeva–Wang exponential resilience, half-life `ln 2 / −ln(1 − ρ)` steps.
 *   With this default (`refillOrder: "level"`) the best bid is back at `p0 − gap` after every
 *   step, with a thin queue, and the impact shows in the depth behind it. With
 *   `refillOrder: "deepest"` the side's total gap shrinks by `ρ` instead and the new quantity
 *   fills the deepest depleted levels first, so the best price itself recovers gradually (the
 *   block-shaped book of Alfonsi, Fruth and Schied) and the same sale costs more.
 *   The new quantity is a new background order at the **back** of the level's queue, behind any
 *   maker order there; it is merged into the background's last order at that level only when
 *   that order is already last (all orders at the level are background), which keeps the
 *   book at about one background order per level. (Once 8 background orders at one level are
 *   interleaved with others, the newest is grown instead, which moves it to the back: this
 *   favours the orders it passes by that order's quantity. It takes 8 refills of one level, each
 *   after another owner queued behind the previous one, before the level is ever consumed.)
 *   Background orders are never cancelled: a level above its target (after a recentre) keeps
 *   its excess.
 * - **Noise flow** (optional, off by default): each step after the refill, `Poisson(noiseRate)`
 *   market orders owned by `NOISE`, buys with probability `noiseBuyProb`, sizes uniform in
 *   `[1, noiseMaxSize]`. Off for the game because it adds variance to the taker's cost and the
 *   makers' PnL without changing what is being compared; turn it on to test robustness or to
 *   give makers fills outside the taker's sale.
 *
 * Only the background's own quantity counts toward a level's target: makers' bids add liquidity
 * on top of the exogenous market, which is what makes their presence matter to the taker.
 * Background orders must leave the book only by trading (nobody else cancels or modifies them):
 * the accounting below relies on it.
 *
 * ## Cost
 * The model keeps the exact background quantity per price and never scans the ladder. Each step
 * it compares the background's resting total (`ownerResting`, O(1)) with the total after its
 * previous step. Fills follow price-time priority and the background adds nothing between its
 * steps, so any shortfall was taken from its own best levels in price order: a walk from its
 * best level replays it and extends a "dirty" frontier to the deepest level touched (this stays
 * right when a maker has since bid above the swept levels). Only levels above the frontier are
 * refilled, and the frontier shrinks back as they reach their targets. A step without a sale costs
 * two reads (15–40 ns). Under a TWAP-style sale (133 contracts per step) it refills the four or
 * five levels the sale keeps emptying, about four book operations per step: about 300 ns with hot
 * caches, 400–650 ns averaged over fresh 60-step episodes (`bench/market_bench.ts`, measured on a
 * shared 2-core machine). Poisson refill costs several times more (Knuth's draw is O(mean)), and
 * so does recentring (each move of the reference re-examines both ladders). Nothing is allocated
 * per step. Bookkeeping per price: the quantity and at most 8 order ids with what remains of each
 * (136 bytes per side), over the ladders' span (over the whole book when recentring).
 *
 * ## Defaults and calibration
 * The defaults make the game's sale of 8,000 contracts in 60 one-second steps meaningful against
 * background alone (pinned by `tests/market_test.ts`):
 * - Selling 8,000 at once walks the linear ladder (17,000 contracts over 50 levels, 153 at the
 *   best, growing by 5 % of that per tick) down 31 ticks; the VWAP is 17.8 ticks below `p0`.
 * - Selling 8,000 evenly (133 or 134 per step for 60 steps) costs 2.5 ticks of VWAP below `p0`
 *   (1 of them is the half-spread) and pushes the best bid at most 5 ticks down: with ρ = 0.2
 *   (half-life 3.1 steps, a seconds-scale resilience like that of liquid equity books) the missing
 *   depth settles near `133 / ρ ≈ 670` contracts, about four levels.
 * - `gap = spreadTicks = 1`: best bid `p0 − 1`, best ask `p0 + 1`, mid exactly `p0`, spread 2.
 * - Ask side: 20 levels of 200, refilled at ρ = 0.2, enough that the mid exists at all times.
 *
 * Within `step`: the reference moves (if recentring), the consumption since the last step is
 * accounted, the bids then the asks are refilled, and the noise orders are sent last (what they
 * consume is refilled from the next step on).
 *
 * Everything random (Poisson refill, noise) comes from the `rng` passed in (the caller passes
 * `stream(seed, "background")`); with `refill: "fraction"` and no noise the model draws nothing.
 *
 * @example
 * ```ts
 * import { ASK, BID, OrderBook } from "../book/mod.ts";
 * import { stream } from "../rng.ts";
 * import { createBackground } from "./background.ts";
 * import { midPrice } from "./quotes.ts";
 * import { TAKER } from "./owners.ts";
 * const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
 * const bg = createBackground({ p0: 10_000 }, stream(1, "background"));
 * bg.init(book);
 * if (midPrice(book) !== 10_000) throw new Error("mid at p0");
 * book.market(ASK, 8_000, TAKER); // sell 8,000 at once (a sell walks the bids)
 * const drop = 9_999 - book.bestBid();
 * if (drop < 20 || drop > 40) throw new Error(`tens of ticks expected, got ${drop}`);
 * for (let t = 0; t < 200; t++) bg.step(book, t);
 * if (book.bestBid() !== 9_999 || book.depthAt(BID, 9_999) !== bg.profile[0]) {
 *   throw new Error("the ladder refills to its profile");
 * }
 * ```
 * @module
 */
import { ASK, BID, type BookSnapshot, NONE, type OrderBook, type Side } from "../book/mod.ts";
import { ConfigError } from "../errors.ts";
import { poisson, type Rng } from "../rng.ts";
import { type BackgroundOptions, validateBackgroundOptions } from "./options.ts";
import { BACKGROUND, NOISE } from "./owners.ts";
import { bidProfile } from "./profile.ts";

/** Background liquidity: an exogenous bid ladder and ask side, refilled each step. */
export interface Background {
  /**
   * Places the initial ladder and ask side around p0 (ticks) on an empty book. Calling it again on
   * the same book, emptied (`book.clear()`), starts a new episode: it lays the same market again
   * by restoring a snapshot of the first (`book.restore`, the same orders and ids as adding them
   * one by one, at a quarter of the cost) and reuses the bookkeeping.
   */
  init(book: OrderBook): void;
  /** Once per step, after the taker's child order: refill toward the profile, then noise flow. */
  step(book: OrderBook, t: number): void;
  /** Parameters actually used (validated, defaults filled). */
  readonly options: Readonly<Required<BackgroundOptions>>;
  /** Target size of bid level `d` (`d` ticks below the top bid level), integers. */
  readonly profile: readonly number[];
  /** Current reference price in ticks (`p0` unless `recentre > 0`). */
  reference(): number;
}

/** Background orders tracked per level (see the module doc). */
const PER_LEVEL = 8;

/**
 * Creates the background-liquidity model. Options are validated (see
 * {@linkcode validateBackgroundOptions}) and the profile scaled to `totalDepth`.
 * `rng` is used only by Poisson refill and noise flow: pass `stream(seed, "background")`.
 */
export function createBackground(
  options: Partial<BackgroundOptions> & { p0: number },
  rng: Rng,
): Background {
  const o = Object.freeze(validateBackgroundOptions(options));
  if (typeof rng !== "function") throw new ConfigError("rng", "a function () => number", rng);
  const profile = Object.freeze(bidProfile(o));
  const ladders = new Ladders(o, profile, rng);
  return {
    options: o,
    profile,
    reference: () => ladders.anchor,
    init: (b: OrderBook) => ladders.init(b),
    step: (b: OrderBook, _t: number) => ladders.step(b),
  };
}

/**
 * The two ladders and their bookkeeping. Per side (index BID = 0, ASK = 1): the number of
 * levels, the target sizes, the resilience and the dirty frontier (levels d < dirty may be below
 * target); per side and price (index `price − lo`), the background quantity resting there (exact:
 * it changes only by our adds and by fills, which `consumed` replays) and the ids of the
 * background orders there, oldest first (`ids[side][(price − lo) · PER_LEVEL + k]`), with what
 * remains of each (`qs`, in the same places).
 */
class Ladders {
  readonly nLev: readonly number[];
  readonly target: readonly Float64Array[];
  readonly rho: readonly number[];
  readonly dirty = new Int32Array(2);
  readonly gaps: Float64Array;
  readonly poissonRefill: boolean;
  readonly deepest: boolean;
  book: OrderBook | null = null;
  lo = 0; // price of bookkeeping slot 0
  span = 0; // bookkeeping slots per side
  known: Float64Array[] = [];
  ids: Float64Array[] = [];
  qs: Float64Array[] = [];
  lens: Int32Array[] = [];
  /** Per side: the background's resting total after its last step. */
  readonly expected = new Float64Array(2);
  /** Per side: the background's best price (NONE if it has nothing on that side). */
  readonly ownBest = new Int32Array([NONE, NONE]);
  ref: number; // reference price (float when recentring)
  anchor: number; // round(ref): the ladders are laid around it
  /**
   * The fresh market, from the first `init` on this book: the book's orders, the bookkeeping, and
   * where each order's id is kept (`side · span · PER_LEVEL + index`). Later inits restore it.
   */
  fresh: {
    book: BookSnapshot;
    known: Float64Array[];
    lens: Int32Array[];
    expected: Float64Array;
    ownBest: Int32Array;
    where: Int32Array;
    ids: Float64Array;
  } | null = null;

  constructor(
    readonly o: Readonly<Required<BackgroundOptions>>,
    profile: readonly number[],
    readonly rng: Rng,
  ) {
    this.nLev = [o.depthLevels, o.askSize > 0 ? o.askLevels : 0];
    this.target = [Float64Array.from(profile), new Float64Array(o.askLevels).fill(o.askSize)];
    this.rho = [o.resilience, o.askResilience];
    this.gaps = new Float64Array(Math.max(this.nLev[0], this.nLev[1]));
    this.poissonRefill = o.refill === "poisson";
    this.deepest = o.refillOrder === "deepest";
    this.ref = o.p0;
    this.anchor = o.p0;
  }

  /** Price of level `d` on `side` around the current anchor. */
  priceOf(side: Side, d: number): number {
    return side === BID ? this.anchor - this.o.gap - d : this.anchor + this.o.spreadTicks + d;
  }

  /** Adds `q` background contracts at the back of the queue at `price` on `side`. */
  add(b: OrderBook, side: Side, price: number, q: number) {
    const i = price - this.lo;
    const a = this.ids[side];
    const base = i * PER_LEVEL;
    const n = this.lens[side][i];
    if (n > 0 && (n === PER_LEVEL || b.ordersAt(side, price) === n)) {
      // Our newest order is last in the queue (or the slots are full): grow it at the back.
      const id = a[base + n - 1];
      b.increase(id, q);
      this.qs[side][base + n - 1] += q;
    } else {
      const id = b.limit(side, price, q, BACKGROUND);
      if (id === NONE) return; // unreachable: callers never cross the opposite best
      a[base + n] = id;
      this.qs[side][base + n] = q;
      this.lens[side][i] = n + 1;
    }
    this.known[side][i] += q;
    const best = this.ownBest[side];
    if (best === NONE || (side === BID ? price > best : price < best)) this.ownBest[side] = price;
  }

  /** The next price after `p` on `side` away from the spread, NONE outside the bookkeeping. */
  next(side: Side, p: number): number {
    const q = p + (side === BID ? -1 : 1);
    return q - this.lo < 0 || q - this.lo >= this.span ? NONE : q;
  }

  /**
   * Replays the consumption of `c` background contracts on `side` since the last step. Fills
   * follow price-time priority and the background only adds between steps, so what was consumed
   * is a prefix of its own orders in price order: its best levels in full, then part of one.
   * Extends the dirty frontier to the deepest level touched.
   */
  consumed(side: Side, c: number) {
    const k = this.known[side];
    const len = this.lens[side];
    let p = this.ownBest[side];
    let touched = p;
    while (c > 0 && p !== NONE) {
      const i = p - this.lo;
      const q = k[i];
      if (q > 0) {
        touched = p;
        if (c >= q) {
          c -= q;
          k[i] = 0;
          len[i] = 0;
        } else {
          k[i] = q - c;
          this.dropFilled(side, i, c);
          c = 0;
          break;
        }
      }
      p = this.next(side, p);
    }
    // The background's new best: the first level still holding quantity.
    while (p !== NONE && k[p - this.lo] === 0) p = this.next(side, p);
    this.ownBest[side] = p;
    if (touched === NONE) return;
    const { gap, spreadTicks } = this.o;
    const d = side === BID ? this.anchor - gap - touched : touched - this.anchor - spreadTicks;
    const n = this.nLev[side];
    if (d >= 0 && d + 1 > this.dirty[side]) this.dirty[side] = d + 1 < n ? d + 1 : n;
  }

  /**
   * Takes `c` (less than slot `i`'s quantity) off the front of slot `i`'s queue on `side`: its
   * orders trade in their queue order, so the oldest leave in full and the next is reduced. (The
   * book's `isLive` for each front order, as before, gave the same and cost a lookup each: 1.3
   * per step in the 2-maker game, whose step is 1.10x as fast without them.)
   */
  dropFilled(side: Side, i: number, c: number) {
    const a = this.ids[side], qs = this.qs[side];
    const base = i * PER_LEVEL;
    const n = this.lens[side][i];
    let j = 0;
    while (j < n && qs[base + j] <= c) c -= qs[base + j++];
    qs[base + j] -= c;
    if (j > 0) {
      // At most 8: no copyWithin call.
      for (let x = j; x < n; x++) {
        a[base + x - j] = a[base + x];
        qs[base + x - j] = qs[base + x];
      }
      this.lens[side][i] = n - j;
    }
  }

  /** Quantity to add for a gap of `g` at resilience `r`. */
  amount(g: number, r: number): number {
    if (this.poissonRefill) {
      const k = poisson(this.rng, r * g);
      return k < g ? k : g;
    }
    // ceil, with a guard against 0.2 * 5 = 1.0000000000000002.
    return Math.ceil(r * g - 1e-9);
  }

  /**
   * Gap to target of level `d` on `side` (0 if it needs nothing or lies outside the book), or −1
   * if it cannot be refilled now because it would cross the opposite best `opp`.
   */
  gapAt(side: Side, d: number, opp: number): number {
    const tgt = this.target[side][d];
    if (tgt === 0) return 0;
    const p = this.priceOf(side, d);
    if (p < this.lo || p - this.lo >= this.span) return 0;
    if (opp !== NONE && (side === BID ? p >= opp : p <= opp)) return -1;
    const g = tgt - this.known[side][p - this.lo];
    return g > 0 ? g : 0;
  }

  /** Refills the dirty levels of `side` best first (`refillOrder: "level"`). */
  refillByLevel(b: OrderBook, side: Side, opp: number): number {
    const r = this.rho[side];
    let last = -1;
    for (let d = 0; d < this.dirty[side]; d++) {
      const g = this.gapAt(side, d, opp);
      if (g === 0) continue;
      if (g < 0) {
        last = d;
        continue;
      }
      const q = this.amount(g, r);
      if (q > 0) this.add(b, side, this.priceOf(side, d), q);
      if (q < g) last = d;
    }
    return last;
  }

  /** Refills the dirty levels of `side` from the deepest (`refillOrder: "deepest"`). */
  refillDeepest(b: OrderBook, side: Side, opp: number): number {
    const n = this.dirty[side], gaps = this.gaps;
    let last = -1, total = 0;
    for (let d = 0; d < n; d++) {
      const g = this.gapAt(side, d, opp);
      gaps[d] = g;
      if (g > 0) total += g;
      else if (g < 0) last = d;
    }
    let left = total > 0 ? this.amount(total, this.rho[side]) : 0;
    for (let d = n - 1; d >= 0; d--) {
      const g = gaps[d];
      if (g <= 0) continue;
      const q = left < g ? left : g;
      if (q > 0) {
        this.add(b, side, this.priceOf(side, d), q);
        left -= q;
      }
      if (q < g && d > last) last = d;
    }
    return last;
  }

  /** Accounts for what was consumed on `side` since the last step, then refills it. */
  sideStep(b: OrderBook, side: Side) {
    const c = this.expected[side] - b.ownerResting(BACKGROUND, side);
    if (c === 0 && this.dirty[side] === 0) return; // the idle path: two reads
    if (c > 0) this.consumed(side, c);
    if (this.dirty[side] > 0) {
      const opp = b.best((1 - side) as Side);
      const last = this.deepest
        ? this.refillDeepest(b, side, opp)
        : this.refillByLevel(b, side, opp);
      this.dirty[side] = last + 1;
    }
    this.expected[side] = b.ownerResting(BACKGROUND, side);
  }

  init(b: OrderBook) {
    const o = this.o;
    if (b.size !== 0) {
      throw new ConfigError("book", "an empty OrderBook", `${b.size} resting orders`);
    }
    const lowest = o.p0 - o.gap - o.depthLevels + 1;
    const highest = o.askLevels > 0 ? o.p0 + o.spreadTicks + o.askLevels - 1 : o.p0;
    if (lowest < b.minTick || highest > b.maxTick) {
      throw new ConfigError(
        "p0",
        `such that the ladders [${lowest}, ${highest}] fit the book's ticks ` +
          `[${b.minTick}, ${b.maxTick}]`,
        o.p0,
      );
    }
    // A second init on the same (emptied) book is a new episode: the fresh market is restored
    // (the same book and bookkeeping as laying the ladders again, order ids included).
    const again = this.book === b;
    this.book = b;
    this.ref = o.p0;
    this.anchor = o.p0;
    this.dirty.fill(0);
    if (again && this.fresh !== null) {
      this.restoreFresh(b, this.fresh);
      return;
    }
    // Anchored ladders stay in [lowest, highest]; recentring ones may go anywhere in the book.
    this.lo = o.recentre > 0 ? b.minTick : lowest;
    const span = this.span = (o.recentre > 0 ? b.maxTick : highest) - this.lo + 1;
    this.known = [new Float64Array(span), new Float64Array(span)];
    this.ids = [new Float64Array(span * PER_LEVEL), new Float64Array(span * PER_LEVEL)];
    this.lens = [new Int32Array(span), new Int32Array(span)];
    this.qs = [new Float64Array(span * PER_LEVEL), new Float64Array(span * PER_LEVEL)];
    this.ownBest.fill(NONE);
    for (const side of [BID, ASK] as const) {
      const t = this.target[side];
      for (let d = 0; d < this.nLev[side]; d++) {
        if (t[d] > 0) this.add(b, side, this.priceOf(side, d), t[d]);
      }
      this.expected[side] = b.ownerResting(BACKGROUND, side);
    }
    this.fresh = this.keepFresh(b);
  }

  /** The fresh market just laid on `b` (see `fresh`). */
  keepFresh(b: OrderBook): NonNullable<Ladders["fresh"]> {
    const book = b.snapshot();
    const j = new Map<number, number>();
    book.ids.forEach((id, k) => j.set(id, k));
    const where = new Int32Array(book.size);
    for (const side of [BID, ASK]) {
      for (let i = 0; i < this.span; i++) {
        for (let k = 0; k < this.lens[side][i]; k++) {
          const x = i * PER_LEVEL + k;
          where[j.get(this.ids[side][x])!] = side * this.span * PER_LEVEL + x;
        }
      }
    }
    return {
      book,
      known: this.known.map((a) => a.slice()),
      lens: this.lens.map((a) => a.slice()),
      expected: this.expected.slice(),
      ownBest: this.ownBest.slice(),
      where,
      ids: new Float64Array(book.size),
    };
  }

  /** Lays the fresh market again on the emptied book `b`: its orders and the bookkeeping. */
  restoreFresh(b: OrderBook, f: NonNullable<Ladders["fresh"]>) {
    b.restore(f.book, f.ids);
    const m = this.span * PER_LEVEL;
    for (let k = 0; k < f.where.length; k++) {
      const w = f.where[k], side = w < m ? BID : ASK, x = w < m ? w : w - m;
      this.ids[side][x] = f.ids[k];
      this.qs[side][x] = f.book.qty[k]; // all its orders are the background's, in full
    }
    for (const side of [BID, ASK]) {
      this.known[side].set(f.known[side]);
      this.lens[side].set(f.lens[side]);
    }
    this.expected.set(f.expected);
    this.ownBest.set(f.ownBest);
  }

  step(b: OrderBook) {
    if (b !== this.book) {
      throw new ConfigError(
        "book",
        "the book passed to init (call init once before step)",
        this.book === null ? "step before init" : "another book",
      );
    }
    if (this.o.recentre > 0) this.recentre(b);
    this.sideStep(b, BID);
    this.sideStep(b, ASK);
    const { noiseRate, noiseBuyProb, noiseMaxSize } = this.o;
    if (noiseRate > 0) {
      let n = poisson(this.rng, noiseRate);
      while (n-- > 0) {
        const side: Side = this.rng() < noiseBuyProb ? BID : ASK;
        b.market(side, 1 + Math.floor(this.rng() * noiseMaxSize), NOISE);
      }
    }
  }

  /** Moves the reference toward the mid; a new anchor makes every level dirty. */
  recentre(b: OrderBook) {
    const bb = b.bestBid();
    const ba = b.bestAsk();
    if (bb === NONE || ba === NONE) return;
    this.ref += this.o.recentre * ((bb + ba) / 2 - this.ref);
    const a = Math.round(this.ref);
    if (a !== this.anchor) {
      this.anchor = a;
      this.dirty[BID] = this.nLev[BID];
      this.dirty[ASK] = this.nLev[ASK];
    }
  }
}
