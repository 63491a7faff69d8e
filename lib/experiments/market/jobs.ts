/**
 * Experiments of notebook 01 (market mechanics): the taker strategies against background
 * liquidity alone (0 makers), the ladder's recovery after a block sale, the background's depth
 * profiles, and the LOBSTER replay. Plain functions; each returns Polars frames built once from
 * typed arrays.
 *
 * **What is measured, and why a probe.** The game records the book *after* each step, that is
 * after the background's refill. With the default refill (`refillOrder: "level"`) every level the
 * taker emptied gets at least one contract back at once, so the recorded best bid is back at
 * `P0 − gap` after every step and shows no impact at all. These runners therefore wrap the
 * background in a probe that reads the book when the background's `step` is called, which is
 * right after the taker's child order (and the deadline sweep) and before the refill: the best bid
 * the sale left behind (`post_sale_bid`) and the background's missing depth (`deficit_post_sale`).
 * The probe only reads the book; it changes no outcome (the tests compare with the bare game).
 *
 * Prices are in ticks relative to P0 (negative: below P0); with the default P0 of 10,000 ticks one
 * tick is one basis point of P0. Quantities are contracts.
 *
 * @example
 * ```ts
 * import { runTakers } from "./market.ts";
 * const r = runTakers({
 *   takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   backgrounds: [{ label: "linear", options: {} }],
 *   seeds: 2,
 * });
 * if (r.episodes.height !== 2 || r.steps.height !== 2 * 60) throw new Error("2 episodes of 60");
 * const cost = r.episodes.getColumn("shortfall_bps").toArray() as number[];
 * if (cost[0] !== cost[1]) throw new Error("noise off: every seed gives the same episode");
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import pl from "nodejs-polars";
import { BID, NONE, type OrderBook } from "../book/mod.ts";
import { checkInt, ConfigError } from "../errors.ts";
import {
  type BackgroundFactory,
  createGame,
  type GameBackgroundOptions,
  type GameSpec,
} from "../game/mod.ts";
import {
  BACKGROUND,
  bidProfile,
  createBackground,
  validateBackgroundOptions,
} from "../market/mod.ts";
import {
  type DepthProfile,
  depthProfile,
  findSamples,
  loadDepthProfile,
  loadSample,
  replay,
  type ReplayReport,
} from "../lobster/mod.ts";
import { fixed, pm } from "../report/format.ts";
import { summarise } from "../report/stats.ts";
import type { TakerSpec } from "../takers/mod.ts";

/** Initial price of every run, in ticks (one tick is then one basis point of P0). */
export const P0 = 10_000;

/** A taker strategy with the label it carries in the frames. */
export interface TakerCase {
  /** Label, e.g. `"TWAP"`. */
  label: string;
  /** The strategy. */
  taker: TakerSpec;
}

/** Background options with the label they carry in the frames. */
export interface BackgroundCase {
  /** Label, e.g. `"linear"`. */
  label: string;
  /** Background options (`createBackground`'s, without `p0`); `{}` for the defaults. */
  options: GameBackgroundOptions;
}

/** Options of {@linkcode runTakers}. */
export interface TakerRunOptions {
  /** Taker strategies (rows of the frames are grouped by background, then taker, then seed). */
  takers: readonly TakerCase[];
  /** Backgrounds. */
  backgrounds: readonly BackgroundCase[];
  /** Episodes per (background, taker): seeds `firstSeed … firstSeed + seeds − 1`. */
  seeds: number;
  /** First root seed. Default 0. */
  firstSeed?: number;
  /** Game variant. Default `{kind: "known", size: 8000}` (game 1). */
  game?: GameSpec;
  /** Steps per episode. Default 60. */
  steps?: number;
  /** Called after every episode (for a progress line). */
  onEpisode?: () => void;
}

/** Frames of {@linkcode runTakers}. */
export interface TakerRunResult {
  /**
   * One row per episode: `background`, `taker`, `seed`, `size`, `executed`, `sweep_qty` (sold by
   * the deadline sweep), `unsold`, `avg_price` (average execution price, ticks vs P0),
   * `avg_price_usd` (in currency), `shortfall` (implementation shortfall, currency),
   * `shortfall_bps` (of `size · P0`), `peak_impact` (ticks from P0 to the lowest best bid a child
   * order left), `mean_impact` (the same, averaged over the steps), `peak_deficit` (most
   * background bid depth missing right after a child order, contracts), `last_sale_step` (last
   * step in which the taker sold, −1 if none), `noise_volume` (volume traded by noise orders).
   */
  episodes: pl.DataFrame;
  /**
   * One row per episode and step: `background`, `taker`, `seed`, `step`, `child_qty`, `sold`
   * (what the taker executed this step, sweep included), `cum_frac` (fraction of `size` sold so
   * far), `post_sale_bid` (best bid right after the child order, before the refill; ticks vs P0,
   * NaN if the bid side is empty), `best_bid` (after the refill and noise, ticks vs P0),
   * `step_vwap` (average price of the step's sale, ticks vs P0, null if nothing sold),
   * `deficit_post_sale` and `deficit` (background bid depth missing before and after the
   * refill, contracts).
   */
  steps: pl.DataFrame;
}

/** What the probe reads each step, right after the taker's child order. */
interface Probe {
  depth0: number;
  postBid: Float64Array;
  postDepth: Float64Array;
}

/**
 * A background factory that builds the background of `options` and reads the book right before
 * each of its steps (after the taker's child order, before the refill) into `probe`. The profile
 * is resolved once (no file read per episode for `"lobster"`).
 */
function probedBackground(
  options: GameBackgroundOptions,
  p0: number,
  probe: Probe,
): BackgroundFactory {
  const resolved = validateBackgroundOptions({ ...options, p0 });
  const profile = bidProfile(resolved);
  const { depthLevels: _d, totalDepth: _t, ...rest } = options;
  const opts = { ...rest, profile };
  return ({ p0, rng }) => {
    const bg = createBackground({ ...opts, p0 }, rng);
    return {
      init(book: OrderBook) {
        bg.init(book);
        probe.depth0 = book.ownerResting(BACKGROUND, BID);
      },
      step(book: OrderBook, t: number) {
        const bb = book.bestBid();
        probe.postBid[t] = bb === NONE ? NaN : bb - p0;
        probe.postDepth[t] = book.ownerResting(BACKGROUND, BID);
        bg.step(book, t);
      },
    };
  };
}

function checkCases(field: string, cases: readonly { label: string }[]): void {
  if (!Array.isArray(cases) || cases.length === 0) {
    throw new ConfigError(field, "a non-empty array of labelled cases", cases);
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (typeof c?.label !== "string" || c.label === "" || seen.has(c.label)) {
      throw new ConfigError(`${field}[].label`, "distinct non-empty strings", c?.label);
    }
    seen.add(c.label);
  }
}

function nullable(name: string, x: Float64Array): pl.Series {
  return pl.Series(name, Array.from(x, (v) => (Number.isNaN(v) ? null : v)), pl.Float64);
}

function repeated(name: string, values: string[]): pl.Series {
  return pl.Series(name, values, pl.Utf8);
}

/**
 * Runs every taker strategy against every background with **no makers**, `seeds` episodes each
 * (each episode re-seeds all streams from its own seed, so results do not depend on the order of
 * the cases). With the background's defaults nothing is random and every seed gives the same
 * episode; noise flow (`noiseRate > 0`), Poisson refill or game 2's size draws make seeds differ.
 *
 * @example
 * ```ts
 * import { runTakers } from "./market.ts";
 * const r = runTakers({
 *   takers: [{ label: "block", taker: { kind: "aggressive", rate: 1 } }],
 *   backgrounds: [{ label: "linear", options: {} }],
 *   seeds: 1,
 * });
 * const [peak] = r.episodes.getColumn("peak_impact").toArray() as number[];
 * if (peak !== 31) throw new Error(`8,000 at once walks the default ladder 31 ticks, got ${peak}`);
 * ```
 */
export function runTakers(options: TakerRunOptions): TakerRunResult {
  const { takers, backgrounds } = options;
  checkCases("takers", takers);
  checkCases("backgrounds", backgrounds);
  const seeds = checkInt("seeds", options.seeds, 1, 1_000_000);
  const first = checkInt("firstSeed", options.firstSeed ?? 0, 0, 2 ** 31 - 1 - seeds);
  const N = checkInt("steps", options.steps ?? 60, 1, 1_000_000);
  const E = takers.length * backgrounds.length * seeds;
  // Per episode.
  const eBg: string[] = new Array(E), eTaker: string[] = new Array(E);
  const eSeed = new Int32Array(E);
  const size = new Float64Array(E), executed = new Float64Array(E), sweep = new Float64Array(E);
  const unsold = new Float64Array(E), avg = new Float64Array(E), avgUsd = new Float64Array(E);
  const shortfall = new Float64Array(E), bps = new Float64Array(E);
  const peak = new Float64Array(E), meanImpact = new Float64Array(E);
  const peakDeficit = new Float64Array(E), lastSale = new Int32Array(E);
  const noise = new Float64Array(E);
  // Per episode and step.
  const R = E * N;
  const sBg: string[] = new Array(R), sTaker: string[] = new Array(R);
  const sSeed = new Int32Array(R), sStep = new Int32Array(R);
  const child = new Float64Array(R), sold = new Float64Array(R), cumFrac = new Float64Array(R);
  const postBid = new Float64Array(R), bestBid = new Float64Array(R), vwap = new Float64Array(R);
  const defPost = new Float64Array(R), deficit = new Float64Array(R);

  const probe: Probe = {
    depth0: 0,
    postBid: new Float64Array(N),
    postDepth: new Float64Array(N),
  };
  const p0 = P0;
  let e = 0;
  for (const b of backgrounds) {
    for (const tk of takers) {
      const game = createGame({
        p0,
        steps: N,
        makers: 0,
        taker: tk.taker,
        game: options.game ?? { kind: "known" },
        background: probedBackground(b.options, p0, probe),
        record: true,
      });
      const tick = game.config.tickSize;
      for (let k = 0; k < seeds; k++, e++) {
        const seed = first + k;
        const s = game.run(seed);
        const r = game.record();
        eBg[e] = b.label;
        eTaker[e] = tk.label;
        eSeed[e] = seed;
        size[e] = s.size;
        executed[e] = s.executed;
        sweep[e] = s.sweepQty;
        unsold[e] = s.unsold;
        avg[e] = s.avgPrice - p0;
        avgUsd[e] = s.avgPrice * tick;
        shortfall[e] = s.shortfall;
        bps[e] = s.shortfallBps;
        noise[e] = s.otherVolume;
        let lowest = Infinity, sumImpact = 0, worstDeficit = 0, last = -1, cum = 0;
        for (let t = 0; t < N; t++) {
          const row = e * N + t;
          const q = r.takerFilled[t];
          cum += q;
          sBg[row] = b.label;
          sTaker[row] = tk.label;
          sSeed[row] = seed;
          sStep[row] = t;
          child[row] = r.childQty[t];
          sold[row] = q;
          cumFrac[row] = s.size > 0 ? cum / s.size : 0;
          postBid[row] = probe.postBid[t];
          bestBid[row] = r.bestBid[t] === NONE ? NaN : r.bestBid[t] - p0;
          // Taker row of step t (0 makers: background at 2t, taker at 2t + 1); reward in currency.
          vwap[row] = q > 0 ? r.reward[2 * t + 1] / tick / q : NaN;
          defPost[row] = probe.depth0 - probe.postDepth[t];
          deficit[row] = probe.depth0 - r.bidQty[2 * t];
          if (probe.postBid[t] < lowest) lowest = probe.postBid[t];
          sumImpact += -probe.postBid[t];
          if (defPost[row] > worstDeficit) worstDeficit = defPost[row];
          if (q > 0) last = t;
        }
        peak[e] = -lowest;
        meanImpact[e] = sumImpact / N;
        peakDeficit[e] = worstDeficit;
        lastSale[e] = last;
        options.onEpisode?.();
      }
    }
  }
  const episodes = pl.DataFrame([
    repeated("background", eBg),
    repeated("taker", eTaker),
    pl.Series("seed", eSeed),
    pl.Series("size", size),
    pl.Series("executed", executed),
    pl.Series("sweep_qty", sweep),
    pl.Series("unsold", unsold),
    pl.Series("avg_price", avg),
    pl.Series("avg_price_usd", avgUsd),
    pl.Series("shortfall", shortfall),
    pl.Series("shortfall_bps", bps),
    pl.Series("peak_impact", peak),
    pl.Series("mean_impact", meanImpact),
    pl.Series("peak_deficit", peakDeficit),
    pl.Series("last_sale_step", lastSale),
    pl.Series("noise_volume", noise),
  ]);
  const steps = pl.DataFrame([
    repeated("background", sBg),
    repeated("taker", sTaker),
    pl.Series("seed", sSeed),
    pl.Series("step", sStep),
    pl.Series("child_qty", child),
    pl.Series("sold", sold),
    pl.Series("cum_frac", cumFrac),
    pl.Series("post_sale_bid", postBid),
    pl.Series("best_bid", bestBid),
    nullable("step_vwap", vwap),
    pl.Series("deficit_post_sale", defPost),
    pl.Series("deficit", deficit),
  ]);
  return { episodes, steps };
}

/** Options of {@linkcode takerTable}. */
export interface TakerTableOptions {
  /** Episodes of {@linkcode runTakers} with randomness on (several seeds). */
  episodes: pl.DataFrame;
  /** Episodes of the same cases with nothing random (noise off), for the exact column. */
  exact?: pl.DataFrame;
}

/**
 * A small display table of {@linkcode runTakers} episodes, one row per background and taker in
 * order of first appearance: implementation shortfall in bps as mean ± 95% CI half-width over the
 * seeds, the average execution price in currency, the peak impact in ticks, the quantity left to
 * the deadline sweep, and (with `exact`) the shortfall of the deterministic configuration, printed
 * as a single number when every seed gave the same value (else as mean ± CI, flagged).
 *
 * @example
 * ```ts
 * import { runTakers, takerTable } from "./market.ts";
 * const r = runTakers({ takers: [{ label: "TWAP", taker: { kind: "passive" } }],
 *   backgrounds: [{ label: "linear", options: { noiseRate: 1 } }], seeds: 3, steps: 10 });
 * const t = takerTable({ episodes: r.episodes });
 * if (t.height !== 1 || !String(t.getColumn("IS, bps (95% CI)").get(0)).includes("±")) {
 *   throw new Error();
 * }
 * ```
 */
export function takerTable(options: TakerTableOptions): pl.DataFrame {
  const stats = (df: pl.DataFrame) => {
    const s = summarise(df, {
      by: ["background", "taker"],
      cols: ["shortfall_bps", "avg_price_usd", "peak_impact", "sweep_qty"],
    });
    const out = new Map<string, Record<string, number>>();
    for (const r of s.toRecords() as Record<string, number>[]) {
      out.set(`${r.background}\u0000${r.taker}`, r);
    }
    return out;
  };
  const half = (r: Record<string, number>, c: string) =>
    r[`${c}_hi`] === null ? 0 : r[`${c}_hi`] - r[`${c}_mean`];
  const main = stats(options.episodes);
  const exact = options.exact ? stats(options.exact) : undefined;
  const keys: string[] = [];
  const bg = options.episodes.getColumn("background").toArray() as string[];
  const tk = options.episodes.getColumn("taker").toArray() as string[];
  for (let i = 0; i < bg.length; i++) {
    const k = `${bg[i]}\u0000${tk[i]}`;
    if (!keys.includes(k)) keys.push(k);
  }
  const col = (f: (r: Record<string, number>, k: string) => string) =>
    keys.map((k) => f(main.get(k)!, k));
  const series = [
    repeated("background", keys.map((k) => k.split("\u0000")[0])),
    repeated("taker", keys.map((k) => k.split("\u0000")[1])),
    repeated("IS, bps (95% CI)", col((r) => pm(r.shortfall_bps_mean, half(r, "shortfall_bps"), 3))),
    repeated("avg price, $", col((r) => fixed(r.avg_price_usd_mean, 4))),
    repeated("peak impact, ticks", col((r) => pm(r.peak_impact_mean, half(r, "peak_impact"), 1))),
    repeated("swept, contracts", col((r) => fixed(r.sweep_qty_mean, 0))),
  ];
  if (exact) {
    series.push(repeated(
      "IS noise off, bps",
      col((_, k) => {
        const r = exact.get(k);
        if (!r) return "—";
        const h = half(r, "shortfall_bps");
        if (Number(r.shortfall_bps_n) < 2) return `${fixed(r.shortfall_bps_mean, 3)} (1 seed)`;
        return h === 0
          ? `${fixed(r.shortfall_bps_mean, 3)} (exact)`
          : `${pm(r.shortfall_bps_mean, h)} (varies)`;
      }),
    ));
  }
  return pl.DataFrame(series);
}

/** Options of {@linkcode runRecovery}. */
export interface RecoveryOptions {
  /** Backgrounds. */
  backgrounds: readonly BackgroundCase[];
  /** Episodes per background (seeds `firstSeed …`). */
  seeds: number;
  /** First root seed. Default 0. */
  firstSeed?: number;
  /** Block sold at market at step 0. Default 8,000. */
  size?: number;
  /** Steps watched (the sale's step included). Default 60. */
  steps?: number;
  /** Called after every episode. */
  onEpisode?: () => void;
}

/** Frames of {@linkcode runRecovery}. */
export interface RecoveryResult {
  /**
   * One row per episode: `background`, `seed`, `block_impact` (ticks from P0 to the best bid the
   * block left), `initial_deficit` (background depth it removed, contracts), `half_life` and
   * `t90` (refills until the deficit is at most ½ and 10% of `initial_deficit`; null if not
   * within the window), `theory_half_life` (`ln 2 / −ln(1 − ρ)`).
   */
  episodes: pl.DataFrame;
  /**
   * One row per episode and step: `background`, `seed`, `step`, `refills` (`step + 1`: refills
   * since the sale), `remaining` (deficit after the step's refill over `initial_deficit`),
   * `theory` (`(1 − ρ)^refills`, the model's exponential resilience), `post_sale_bid`,
   * `best_bid` (ticks vs P0).
   */
  steps: pl.DataFrame;
}

/**
 * Sells a block of `size` at market at step 0 (0 makers) and watches the background ladder refill
 * over the remaining steps: the missing depth after each refill, against the model's
 * `(1 − ρ)^k`. The refill is `ceil(ρ · gap)` per level, so it runs ahead of `(1 − ρ)^k`; noise
 * sells (if on) slow it down.
 *
 * @example
 * ```ts
 * import { runRecovery } from "./market.ts";
 * const r = runRecovery({ backgrounds: [{ label: "linear", options: {} }], seeds: 1 });
 * const [half] = r.episodes.getColumn("half_life").toArray() as number[];
 * if (half !== 4) throw new Error(`(1 − 0.2)^k ≤ ½ first at k = 4, got ${half}`);
 * ```
 */
export function runRecovery(options: RecoveryOptions): RecoveryResult {
  const size = checkInt("size", options.size ?? 8_000, 1, 2 ** 31 - 1);
  const N = options.steps ?? 60;
  const r = runTakers({
    takers: [{ label: "block", taker: { kind: "aggressive", rate: 1 } }],
    backgrounds: options.backgrounds,
    seeds: options.seeds,
    firstSeed: options.firstSeed,
    game: { kind: "known", size },
    steps: N,
    onEpisode: options.onEpisode,
  });
  const E = r.episodes.height;
  const rho = new Map(
    options.backgrounds.map((b) => [
      b.label,
      validateBackgroundOptions({ ...b.options, p0: P0 }).resilience,
    ]),
  );
  const bg = r.steps.getColumn("background").toArray() as string[];
  const defPost = r.steps.getColumn("deficit_post_sale").toArray() as number[];
  const def = r.steps.getColumn("deficit").toArray() as number[];
  const post = r.steps.getColumn("post_sale_bid").toArray() as number[];
  const remaining = new Float64Array(E * N), theory = new Float64Array(E * N);
  const refills = new Int32Array(E * N);
  const impact = new Float64Array(E), d0 = new Float64Array(E);
  const half: (number | null)[] = new Array(E).fill(null);
  const t90: (number | null)[] = new Array(E).fill(null);
  const theoryHalf = new Float64Array(E);
  for (let e = 0; e < E; e++) {
    const base = e * N;
    const res = rho.get(bg[base])!;
    d0[e] = defPost[base];
    impact[e] = -post[base];
    theoryHalf[e] = res > 0 && res < 1 ? Math.LN2 / -Math.log(1 - res) : res === 1 ? 0 : Infinity;
    for (let t = 0; t < N; t++) {
      const f = d0[e] > 0 ? def[base + t] / d0[e] : 0;
      remaining[base + t] = f;
      refills[base + t] = t + 1;
      theory[base + t] = (1 - res) ** (t + 1);
      if (half[e] === null && f <= 0.5) half[e] = t + 1;
      if (t90[e] === null && f <= 0.1) t90[e] = t + 1;
    }
  }
  const episodes = pl.DataFrame([
    r.episodes.getColumn("background"),
    r.episodes.getColumn("seed"),
    pl.Series("block_impact", impact),
    pl.Series("initial_deficit", d0),
    pl.Series("half_life", half, pl.Float64),
    pl.Series("t90", t90, pl.Float64),
    pl.Series("theory_half_life", theoryHalf),
  ]);
  const steps = pl.DataFrame([
    r.steps.getColumn("background"),
    r.steps.getColumn("seed"),
    r.steps.getColumn("step"),
    pl.Series("refills", refills),
    pl.Series("remaining", remaining),
    pl.Series("theory", theory),
    r.steps.getColumn("post_sale_bid"),
    r.steps.getColumn("best_bid"),
  ]);
  return { episodes, steps };
}

/**
 * The background bid ladders' target sizes by level: one row per background and level,
 * `background`, `level` (`d`, 0 = the top level), `price` (ticks vs P0, `−gap − d`), `size`
 * (contracts), `share` (of the ladder's total) and `cum_share`.
 *
 * @example
 * ```ts
 * import { backgroundProfiles } from "./market.ts";
 * const f = backgroundProfiles([{ label: "flat", options: { profile: "flat", depthLevels: 4,
 *   totalDepth: 10 } }]);
 * if ((f.getColumn("size").toArray() as number[]).join() !== "3,3,2,2") throw new Error();
 * ```
 */
export function backgroundProfiles(backgrounds: readonly BackgroundCase[]): pl.DataFrame {
  checkCases("backgrounds", backgrounds);
  const label: string[] = [], level: number[] = [], price: number[] = [];
  const sizes: number[] = [], share: number[] = [], cum: number[] = [];
  for (const b of backgrounds) {
    const o = validateBackgroundOptions({ ...b.options, p0: P0 });
    const s = bidProfile(o);
    const total = s.reduce((a, x) => a + x, 0);
    let acc = 0;
    s.forEach((x, d) => {
      acc += x;
      label.push(b.label);
      level.push(d);
      price.push(-o.gap - d);
      sizes.push(x);
      share.push(total > 0 ? x / total : 0);
      cum.push(total > 0 ? acc / total : 0);
    });
  }
  return pl.DataFrame([
    repeated("background", label),
    pl.Series("level", Int32Array.from(level)),
    pl.Series("price", Int32Array.from(price)),
    pl.Series("size", Float64Array.from(sizes)),
    pl.Series("share", Float64Array.from(share)),
    pl.Series("cum_share", Float64Array.from(cum)),
  ]);
}

/** Options of {@linkcode lobsterReplay}. */
export interface LobsterReplayOptions {
  /** Folder of the samples. Default the project's `data/lobster/`. */
  dir?: string;
  /** Tickers to replay (in this order). Default: every sample found. */
  tickers?: readonly string[];
}

/** Frames of {@linkcode lobsterReplay}. */
export interface LobsterReplayResult {
  /**
   * One row per sample: `ticker`, `date`, `levels`, `messages` (replayed), `rows` (compared),
   * `rows_matched` (exactly equal, all levels), `runs` (aggressive runs checked by matching),
   * `runs_matched`, `runs_multi_level`, `executions`, `not_fifo` (runs whose listed executions
   * break price-time priority), `engine_mismatches`, `state_mismatches`, `anomalies`, `revealed`,
   * `dropped`, `merged` (levels handled by the reveal rule).
   */
  replay: pl.DataFrame;
  /**
   * One row per sample, side and distance `d` from the best: `ticker`, `side`, `d`,
   * `mean_size` (recomputed from the orderbook file; null if never observed), `coverage`, and
   * `stored_mean_size` (from `depth_profile_<TICKER>.json`, null if missing), so the profile the
   * background reads can be checked against the data.
   */
  profile: pl.DataFrame;
}

const DEFAULT_LOBSTER_DIR = fileURLToPath(new URL("../../data/lobster/", import.meta.url));

/**
 * Replays LOBSTER samples through the order book (`lib/lobster`'s exact row-by-row comparison and
 * matching check) and recomputes their depth profiles.
 */
export function lobsterReplay(options: LobsterReplayOptions = {}): LobsterReplayResult {
  const dir = options.dir ?? DEFAULT_LOBSTER_DIR;
  const found = findSamples(dir);
  const wanted = options.tickers ?? found.map((f) => f.ticker);
  const files = wanted.map((t) => {
    const f = found.find((x) => x.ticker === t);
    if (!f) {
      throw new ConfigError("tickers", `tickers of ${dir} (${found.map((x) => x.ticker)})`, t);
    }
    return f;
  });
  const reports: { ticker: string; date: string; r: ReplayReport }[] = [];
  const prof: { ticker: string; p: DepthProfile; stored: DepthProfile | null }[] = [];
  for (const f of files) {
    const sample = loadSample(f);
    reports.push({
      ticker: f.ticker,
      date: f.date,
      r: replay({ messages: sample.messages, orderbook: sample.orderbook }),
    });
    let stored: DepthProfile | null = null;
    try {
      stored = loadDepthProfile(
        `${dir}${dir.endsWith("/") ? "" : "/"}depth_profile_${f.ticker}.json`,
      );
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    prof.push({ ticker: f.ticker, p: depthProfile(sample.orderbook), stored });
  }
  const col = (fn: (r: ReplayReport) => number) => Float64Array.from(reports, (x) => fn(x.r));
  const replayFrame = pl.DataFrame([
    repeated("ticker", reports.map((x) => x.ticker)),
    repeated("date", reports.map((x) => x.date)),
    pl.Series("levels", Int32Array.from(reports, (x) => x.r.levels)),
    pl.Series("messages", col((r) => r.messages)),
    pl.Series("rows", col((r) => r.rows)),
    pl.Series("rows_matched", col((r) => r.matched)),
    pl.Series("runs", col((r) => r.matching?.runs ?? NaN)),
    pl.Series("runs_matched", col((r) => r.matching?.matched ?? NaN)),
    pl.Series("runs_multi_level", col((r) => r.matching?.multiLevel ?? NaN)),
    pl.Series("executions", col((r) => r.matching?.executions ?? NaN)),
    pl.Series("not_fifo", col((r) => r.matching?.notFifo ?? NaN)),
    pl.Series("engine_mismatches", col((r) => r.matching?.engine ?? NaN)),
    pl.Series("state_mismatches", col((r) => r.matching?.state ?? NaN)),
    pl.Series("anomalies", col((r) => r.anomalies)),
    pl.Series("revealed", col((r) => r.revealed)),
    pl.Series("dropped", col((r) => r.dropped)),
    pl.Series("merged", col((r) => r.merged)),
  ]);
  const ticker: string[] = [], side: string[] = [], d: number[] = [];
  const mean: (number | null)[] = [], cov: number[] = [], storedMean: (number | null)[] = [];
  for (const { ticker: tk, p, stored } of prof) {
    for (const s of ["bid", "ask"] as const) {
      for (let k = 0; k < p.distances; k++) {
        ticker.push(tk);
        side.push(s);
        d.push(k);
        mean.push(p[s].meanSize[k]);
        cov.push(p[s].coverage[k]);
        storedMean.push(stored?.[s].meanSize[k] ?? null);
      }
    }
  }
  const profile = pl.DataFrame([
    repeated("ticker", ticker),
    repeated("side", side),
    pl.Series("d", Int32Array.from(d)),
    pl.Series("mean_size", mean, pl.Float64),
    pl.Series("coverage", Float64Array.from(cov)),
    pl.Series("stored_mean_size", storedMean, pl.Float64),
  ]);
  return { replay: replayFrame, profile };
}
