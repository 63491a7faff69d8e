/**
 * The makers' state: a pure, allocation-free encoder from a {@linkcode MakerView} to a state
 * index, built from the features the spec lists, each cut into buckets by configurable edges.
 *
 * | feature | measured as | default edges | bins (default) |
 * |---|---|---|---|
 * | `time` | steps left, `stepsLeft` (1 at the last step) | `[2, 11, 31]` | last step · 2–10 · 11–30 · 31+ |
 * | `remaining` | game 1: the taker's remaining quantity (dropped in game 2) | `[1, 2000, 5000]` | done · < 2,000 · 2,000–4,999 · 5,000+ |
 * | `bestBid` | market price: `P0 − bestBid` in ticks (no bid: last bin) | `[1, 2, 4]` | at/above P0 · 1 below · 2–3 below · 4+ below |
 * | `ownBid` | own bid relative to the best bid, `bestBid − price` in ticks; a bin of its own when no bid rests | `[1, 2]` | none · at best · 1 below · 2+ below |
 * | `competition` | depth of competing makers' bids, `makersQty − qty` (dropped when n = 1) | `[1, 1000]` | none · 1–999 · 1,000+ |
 * | `volume` | traded volume at the previous step, `lastVolume` | `[1, 150, 400]` | none · 1–149 · 150–399 · 400+ |
 * | `velocity` | its change, `lastVolume − prevVolume` | `[-50, 50]` | falling · steady · rising |
 * | `ownQty` | *opt-in, not in the spec*: the maker's target quantity | `[]` (off) | — |
 * | `depth` | *opt-in*: total bid quantity within `depthTicks` (default 3) ticks of P0, `P0 − depthTicks … P0`, background and every maker included | `[]` (off); {@linkcode RICH_MAKER_STATE}: `[300, 600, 900]` | < 300 · 300–599 · 600–899 · 900+ |
 * | `resting` | *opt-in*: the maker's own resting quantity, `qty` | `[]` (off); rich: `[100, 200, 400]` | < 100 · 100–199 · 200–399 · 400+ |
 * | `queue` | *opt-in*: quantity resting ahead of the maker's bid in its queue, `queueAhead()`; 0 (the first bin) when it has no bid | `[]` (off); rich: `[1, 100, 200]` | at the front (or no bid) · 1–99 · 100–199 · 200+ |
 *
 * `k` edges make `k + 1` bins (`binIndex`: bin `i` holds `edges[i-1] ≤ x < edges[i]`), except
 * `ownBid`, which adds the "no resting bid" bin in front. A feature with no edges has one bin:
 * it is switched off. Features are numbered in the order of the table, the first most
 * significant (`encodeState`), so states of one time bin are contiguous.
 *
 * **Rationale of the default edges** (for the default game: 60 steps, Q = 8,000, a TWAP pace of
 * about 133 contracts per step, background best bid at `P0 − 1` refilled at ρ = 0.2):
 * - `time`: the last step is different in kind (the deadline sweep follows the child order) and
 *   has no future, so it gets its own bin; 2–10 is the reactive taker's catch-up window; the rest
 *   of the minute is split in two halves. Use one bin per step (`[2, 3, …, N]`) for small games.
 * - `remaining`: whether the taker is done, nearly done, half-way or early (game 1 only; in
 *   game 2 it is `NaN` and the feature is dropped, so the two games have different state counts).
 * - `bestBid`: `P0 − 1` is the undisturbed background top; at or above P0 means a maker improved
 *   inside the spread; 2–3 ticks is the impact of a TWAP-paced sale; 4+ a depressed price (an
 *   aggressive sale, or the reactive taker's "depressed" threshold of 5).
 * - `ownBid`: present or not, and at the touch, just behind it, or deeper: what decides whether
 *   the next child order reaches the bid.
 * - `competition`: alone, some, or as much as the TWAP pace many times over (1,000).
 * - `volume` and `velocity`: no flow, below TWAP pace, above it, heavy (an aggressive sale's
 *   first steps sell thousands); velocity separates a decaying front-loaded sale from a steady
 *   or accelerating one, with a dead band of ±50 contracts for TWAP rounding and refill noise.
 *
 * **Rationale of the opt-in features** (issue 10: a state that sees what drives the flow):
 * - `depth`: the reactive taker paces its sale on the bid depth within 3 ticks of P0 (its `near`),
 *   background included, relative to the depth at the start; the spec's state shows a maker only
 *   the other makers' quantity (`competition`; nothing with one maker). Edges from the depth
 *   measured in play (noise flow on, two makers): about 670 with two replenishers of 200 resting
 *   (the background holds about 480 there when full), 90–1,400 (5 %–95 %) under random bidding;
 *   below 300 the book near P0 is depleted and the reactive taker slows to a quarter pace, 900+
 *   is a book deeper than the taker's reference at the start.
 * - `resting`: three of the seven actions change the resting quantity (`qty_up`, `qty_down`,
 *   `replenish`) and fills deplete it; `ownBid` says only whether a bid rests. The edges split a
 *   partly filled bid (< 100) from the starting 200 and from a large one (400+).
 * - `queue`: whether the next child order reaches the bid depends on the quantity ahead of it
 *   (time priority); measured in play it is 0–320 (median 60–160), so the edges separate the front
 *   of the queue, a short queue and a long one. A maker with no resting bid is in the first bin
 *   (`ownBid` tells the two apart).
 * - Each opt-in feature multiplies the state count by its bins (4 each with the rich edges): all
 *   three together make 64 × more states, which the state ablation (`lib/experiments/convergence`)
 *   weighs against what they add.
 *
 * Default state counts (`nStates`): game 1 with n ≥ 2 makers: 4·4·4·4·3·4·3 = 9,216; game 1
 * with one maker: 3,072; game 2 with n ≥ 2: 2,304; game 2 with one maker: 768. Many of these
 * combinations are never reached (the coverage diagnostic reports how many are).
 *
 * @module
 */
import { BID, NONE } from "../book/mod.ts";
import {
  anything,
  at,
  bool,
  checkInt,
  checkKeys,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  numbers,
  optional,
  str,
} from "../errors.ts";
import { binIndex, decodeState, stateCount } from "../learn/mod.ts";
import type { MakerView } from "../game/mod.ts";

/** Bucket edges of the makers' state features (see the module doc for their meaning). */
export interface MakerStateOptions {
  /** Edges on steps left (1 at the last step). Default `[2, 11, 31]`. */
  time?: readonly number[];
  /** Edges on the taker's remaining quantity (game 1 only). Default `[1, 2000, 5000]`. */
  remaining?: readonly number[];
  /** Edges on `P0 − bestBid` in ticks. Default `[1, 2, 4]`. */
  bestBid?: readonly number[];
  /** Edges on `bestBid − price` in ticks for a resting bid. Default `[1, 2]`. */
  ownBid?: readonly number[];
  /** Edges on the other makers' resting quantity (only with n ≥ 2). Default `[1, 1000]`. */
  competition?: readonly number[];
  /** Edges on the previous step's traded volume. Default `[1, 150, 400]`. */
  volume?: readonly number[];
  /** Edges on `lastVolume − prevVolume`. Default `[-50, 50]`. */
  velocity?: readonly number[];
  /** Opt-in edges on the maker's target quantity (not in the spec). Default `[]` (off). */
  ownQty?: readonly number[];
  /** Opt-in edges on the bid depth within `depthTicks` ticks of P0 (all owners). Default `[]`. */
  depth?: readonly number[];
  /** Opt-in edges on the maker's own resting quantity. Default `[]` (off). */
  resting?: readonly number[];
  /** Opt-in edges on the quantity ahead of the maker's bid (0 without a bid). Default `[]`. */
  queue?: readonly number[];
  /** Ticks below P0 that `depth` sums over (`P0 − depthTicks … P0`), in [0, 100]. Default 3. */
  depthTicks?: number;
}

/** The feature names, most significant first (the order of `MakerEncoder.radices`). */
export const MAKER_FEATURES = [
  "time",
  "remaining",
  "bestBid",
  "ownBid",
  "competition",
  "volume",
  "velocity",
  "ownQty",
  "depth",
  "resting",
  "queue",
] as const;

/** One of {@linkcode MAKER_FEATURES}. */
export type MakerFeature = typeof MAKER_FEATURES[number];

/** The default edges (see the module doc for the rationale). */
export const DEFAULT_MAKER_STATE: Readonly<Record<MakerFeature, readonly number[]>> = Object
  .freeze({
    time: [2, 11, 31],
    remaining: [1, 2000, 5000],
    bestBid: [1, 2, 4],
    ownBid: [1, 2],
    competition: [1, 1000],
    volume: [1, 150, 400],
    velocity: [-50, 50],
    ownQty: [],
    depth: [],
    resting: [],
    queue: [],
  });

/** The default window of `depth`: P0 − 3 … P0, the reactive taker's. */
export const DEFAULT_DEPTH_TICKS = 3;

/**
 * The edges of the opt-in features that see what drives the flow (module doc): spread one of
 * them into `state` to switch it on, e.g. `{depth: RICH_MAKER_STATE.depth}`.
 */
export const RICH_MAKER_STATE: Readonly<
  Pick<Record<MakerFeature, readonly number[]>, "depth" | "resting" | "queue">
> = Object.freeze({
  depth: [300, 600, 900],
  resting: [100, 200, 400],
  queue: [1, 100, 200],
});

/**
 * The spec's state plus `depth` with {@linkcode RICH_MAKER_STATE}'s edges (4 × the states), as a
 * named preset (the state ablation's `spec+depth`: `deno task study:state-ablation`, notebook 08).
 * **Not the default**: in the committed ablation (20 seeds per cell) it converges as often as the
 * spec's state or more, but earns no more in any cell, and the decision rule keeps the smaller
 * spec's state. Use it as a maker's `state`: `{kind: "q", state: DEPTH_MAKER_STATE}`.
 */
export const DEPTH_MAKER_STATE: Readonly<MakerStateOptions> = Object.freeze({
  depth: RICH_MAKER_STATE.depth,
});

/** Resolved state options: every feature's edges and the depth window. */
export type ResolvedMakerState = Record<MakerFeature, number[]> & { depthTicks: number };

/** What the encoder needs to know of the game besides the edges. */
export interface MakerEncoderOptions {
  /** Bucket edges; missing features take {@linkcode DEFAULT_MAKER_STATE}. */
  state?: MakerStateOptions;
  /** Number of makers n (the `competition` feature is dropped when n = 1). */
  makers: number;
  /** Whether the taker's remaining size is visible (game 1); `remaining` is dropped if not. */
  sizeVisible: boolean;
  /** Path of `state` in error messages. Default `"state"`. */
  path?: string;
}

/** The field checker of a maker's bucket edges (a {@linkcode MakerStateOptions}). */
export const MAKER_STATE: Field<ResolvedMakerState> = custom(
  `an object of bucket edges (${MAKER_FEATURES.join(", ")}) and depthTicks`,
  (v, path) => {
    const o = checkObject(path, v, "an object of bucket edges");
    const { depthTicks, ...edges } = o;
    const ticks = depthTicks === undefined
      ? DEFAULT_DEPTH_TICKS
      : checkInt(at(path, "depthTicks"), depthTicks, 0, 100);
    const resolved = resolveEdges({
      state: edges as MakerStateOptions,
      features: MAKER_FEATURES,
      defaults: DEFAULT_MAKER_STATE,
      field: path,
    });
    return { ...resolved, depthTicks: ticks };
  },
);

const MAKER_ENCODER = {
  state: anything("an object of bucket edges (checked with its path)"),
  makers: int(1, 0x7fffffff),
  sizeVisible: bool(),
  path: optional(str()),
};

/** A pure encoder from the maker's view to a state index `0 .. nStates − 1`. */
export interface MakerEncoder {
  /** Number of states: the product of `radices`. */
  readonly nStates: number;
  /** Bins per feature, in {@linkcode MAKER_FEATURES} order (1 for a dropped feature). */
  readonly radices: Int32Array;
  /** The edges used, per feature (empty for a dropped feature), and the depth window. */
  readonly edges: Readonly<Record<MakerFeature, readonly number[]>> & {
    readonly depthTicks: number;
  };
  /** The state of a view. Pure and allocation-free. */
  encode(view: Readonly<MakerView>): number;
  /** The bin of each feature of state `s` (allocates the result). */
  digits(s: number): Int32Array;
  /** A readable label of each feature's bin of state `s`, e.g. `{time: "2–10", ...}`. */
  describe(s: number): Record<MakerFeature, string>;
}

const EDGES = numbers({ increasing: true, maxLength: 64 });

function checkEdges(field: string, v: unknown): number[] {
  if (!Array.isArray(v)) {
    throw new ConfigError(field, "an array of at most 64 increasing finite numbers", v);
  }
  return Array.from(EDGES.check(v, field));
}

/**
 * Resolves bucket edges: defaults filled, every array checked (increasing finite numbers),
 * unknown features rejected with a `ConfigError` naming `field.feature`.
 */
export function resolveEdges<F extends string>(options: {
  /** The edges given, by feature. */
  state: Partial<Record<F, readonly number[]>>;
  /** The known features. */
  features: readonly F[];
  /** Edges of the features not given. */
  defaults: Readonly<Record<F, readonly number[]>>;
  /** Field name for errors, e.g. `"state"`. */
  field: string;
}): Record<F, number[]> {
  const { state, features, defaults, field } = options;
  checkObject(field, state, "an object of bucket edges");
  checkKeys(state, features, { path: field });
  const out = {} as Record<F, number[]>;
  for (const f of features) {
    out[f] = checkEdges(at(field, f), state[f] === undefined ? defaults[f] : state[f]);
  }
  return out;
}

/** Label of bin `b` of `edges` (`"≤ a"`, `"a–b"`, `"≥ c"`); integer edges read inclusively. */
export function binLabel(edges: readonly number[], b: number): string {
  if (edges.length === 0) return "all";
  const int = edges.every(Number.isInteger);
  const lo = b === 0 ? null : edges[b - 1];
  const hi = b === edges.length ? null : edges[b];
  if (lo === null) return int ? `≤ ${hi! - 1}` : `< ${hi}`;
  if (hi === null) return `≥ ${lo}`;
  if (int) return hi - 1 === lo ? `${lo}` : `${lo}–${hi - 1}`;
  return `[${lo}, ${hi})`;
}

/**
 * `binIndex`, with a linear scan for up to 8 edges (faster than a binary search over the usual
 * 2–4); the same bin for every `x`, `NaN` included (the last bin).
 */
function bin(edges: Float64Array, x: number): number {
  const n = edges.length;
  if (n > 8) return binIndex(edges, x);
  let b = 0;
  while (b < n && !(x < edges[b])) b++;
  return b;
}

/**
 * Builds the encoder. With the defaults it reproduces the state counts of the module doc.
 *
 * @example
 * ```ts
 * import { makerEncoder } from "./state.ts";
 * const game1 = makerEncoder({ makers: 2, sizeVisible: true });
 * const game2alone = makerEncoder({ makers: 1, sizeVisible: false });
 * if (game1.nStates !== 9216 || game2alone.nStates !== 768) throw new Error("state counts");
 * const view = {
 *   stepsLeft: 60, takerRemaining: 8000, p0: 10_000, bestBid: 9_999, price: 9_999, qty: 200,
 *   makersQty: 200, lastVolume: 0, prevVolume: 0, target: 200,
 * } as Parameters<typeof game1.encode>[0];
 * const d = game1.describe(game1.encode(view));
 * if (d.time !== "≥ 31" || d.bestBid !== "1" || d.ownBid !== "at best") throw new Error();
 * ```
 */
export function makerEncoder(options: MakerEncoderOptions): MakerEncoder {
  const o = checkOptions(options, MAKER_ENCODER, { owner: "makerEncoder" });
  const { makers, sizeVisible } = o;
  const e = MAKER_STATE.check(o.state ?? {}, o.path ?? "state");
  if (!sizeVisible) e.remaining = [];
  if (makers === 1) e.competition = [];
  const radices = new Int32Array(MAKER_FEATURES.length);
  MAKER_FEATURES.forEach((f, i) => {
    radices[i] = e[f].length + (f === "ownBid" ? 2 : 1);
  });
  const nStates = stateCount(radices);
  // Typed copies for the hot path.
  const eT = Float64Array.from(e.time), eR = Float64Array.from(e.remaining);
  const eB = Float64Array.from(e.bestBid), eO = Float64Array.from(e.ownBid);
  const eC = Float64Array.from(e.competition), eV = Float64Array.from(e.volume);
  const eD = Float64Array.from(e.velocity), eQ = Float64Array.from(e.ownQty);
  const eP = Float64Array.from(e.depth), eS = Float64Array.from(e.resting);
  const eA = Float64Array.from(e.queue);
  const [, rR, rB, rO, rC, rV, rD, rQ, rP, rS, rA] = radices;
  const dTicks = e.depthTicks;

  /** The spec's features (the first seven); the opt-in ones are appended by `encodeAll`. */
  function encodeSpec(view: Readonly<MakerView>): number {
    let s = bin(eT, view.stepsLeft);
    s = s * rR + (rR === 1 ? 0 : bin(eR, view.takerRemaining));
    const bb = view.bestBid;
    s = s * rB + bin(eB, bb === NONE ? Infinity : view.p0 - bb);
    s = s * rO + (view.qty > 0 ? 1 + bin(eO, bb - view.price) : 0);
    s = s * rC + (rC === 1 ? 0 : bin(eC, view.makersQty - view.qty));
    s = s * rV + bin(eV, view.lastVolume);
    s = s * rD + bin(eD, view.lastVolume - view.prevVolume);
    return s;
  }

  function encodeAll(view: Readonly<MakerView>): number {
    let s = encodeSpec(view);
    s = s * rQ + (rQ === 1 ? 0 : bin(eQ, view.target));
    if (rP !== 1) {
      let d = 0;
      for (let j = 0; j <= dTicks; j++) d += view.book.depthAt(BID, view.p0 - j);
      s = s * rP + bin(eP, d);
    }
    s = s * rS + (rS === 1 ? 0 : bin(eS, view.qty));
    s = s * rA + (rA === 1 || view.qty === 0 ? 0 : bin(eA, view.queueAhead()));
    return s;
  }

  // With the opt-in features off (radix 1: they add nothing to the state), the spec's seven
  // alone: the opt-in tail, even when switched off, cost ~18 ns per call of ~31 (2.5x as fast in
  // a loop over a live view; measured under load ~4).
  const encode = rQ === 1 && rP === 1 && rS === 1 && rA === 1 ? encodeSpec : encodeAll;

  function digits(s: number): Int32Array {
    return decodeState(radices, s);
  }

  function describe(s: number): Record<MakerFeature, string> {
    const d = digits(s);
    const out = {} as Record<MakerFeature, string>;
    MAKER_FEATURES.forEach((f, i) => {
      if (f === "ownBid") {
        out[f] = d[i] === 0
          ? "none"
          : d[i] === 1 && e.ownBid[0] === 1
          ? "at best"
          : binLabel(e.ownBid, d[i] - 1);
      } else out[f] = binLabel(e[f], d[i]);
    });
    return out;
  }

  return { nStates, radices, edges: e, encode, digits, describe };
}
