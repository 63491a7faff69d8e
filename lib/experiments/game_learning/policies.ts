/**
 * The learned maker's policy as the notebooks draw and compare it: the greedy action over two state
 * features ({@linkcode policyCells}), how far two sets of policies agree
 * ({@linkcode policyAgreement}), and the policy map's axes, colours and figure
 * ({@linkcode policyMapPlot}).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import pl from "nodejs-polars";
import { ConfigError } from "../../errors.ts";
import { SPEC_ACTIONS } from "../../game/mod.ts";
import { pct } from "../../report/format.ts";
import { type RowSelector, select } from "../../report/stats.ts";

/** The policy map's x axis: the `time` feature's bins (steps left), as time runs. */
export const MAP_TIME: readonly string[] = Object.freeze(["≥ 31", "11–30", "2–10", "≤ 1"]);

/** The policy map's y axis: the `ownBid` feature's bins (own bid below the best bid, ticks). */
export const MAP_OWN_BID: readonly string[] = Object.freeze(["none", "at best", "1", "≥ 2"]);

/** The spec's seven actions and `"indifferent"`, the colour domain of the policy map. */
export const MAP_ACTIONS: readonly string[] = Object.freeze([...SPEC_ACTIONS, "indifferent"]);

/** One colour per entry of {@linkcode MAP_ACTIONS}. */
export const MAP_ACTION_COLOURS: readonly string[] = Object.freeze([
  "#2ca02c",
  "#d62728",
  "#1f77b4",
  "#9467bd",
  "#8c564b",
  "#17becf",
  "#ff7f0e",
  "#dddddd",
]);

/** Options of {@linkcode policyCells}. */
export interface PolicyCellsOptions {
  /** The state feature on the x axis (a column of the `map` rows, e.g. `"time"`). */
  readonly x: string;
  /** The state feature on the y axis (e.g. `"ownBid"`). */
  readonly y: string;
  /** Columns kept apart (e.g. `["game", "taker"]`); the rest (seeds, other features) is pooled. */
  readonly by: readonly string[];
  /**
   * A state is **indifferent** when its best action beats the runner-up by at most this
   * (`q_margin`, currency). Default 1e-6: e.g. after the taker is done every action is worth 0.
   */
  readonly tol?: number;
}

/**
 * The learned policy as a map over two state features: for each (`by`, `x`, `y`) cell, pooling
 * seeds and the other features, the greedy action that holds in most of the cell's visits
 * (`action`; `"indifferent"` when every state of the cell is), its share of the cell's decisive
 * visits (`share`), the cell's visits (`visits`), the decisive share of them (`decisive`), and
 * the number of distinct (run, state) entries (`states`). Rows are sorted by `by`, `x`, `y`.
 *
 * @example
 * ```ts
 * import { policyCells } from "./policies.ts";
 * import pl from "nodejs-polars";
 * const maps = pl.DataFrame({
 *   taker: ["a", "a", "a"], time: ["1", "1", "1"], ownBid: ["none", "none", "none"],
 *   visits: [10, 30, 5], action_name: ["up", "down", "up"], q_margin: [1, 2, 0],
 * });
 * const [c] = policyCells(maps, { x: "time", y: "ownBid", by: ["taker"] }).toRecords();
 * const ok = c.action === "down" && c.share === 0.75 && c.visits === 45;
 * if (!ok) throw new Error(JSON.stringify(c));
 * ```
 */
export function policyCells(maps: pl.DataFrame, options: PolicyCellsOptions): pl.DataFrame {
  const { x, y, by } = options;
  const tol = options.tol ?? 1e-6;
  for (const c of [x, y, ...by, "visits", "action_name", "q_margin"]) {
    if (!maps.columns.includes(c)) {
      throw new ConfigError("maps", `a frame with column ${JSON.stringify(c)}`, maps.columns);
    }
  }
  const keys = [...by, x, y];
  const cols = keys.map((c) => maps.getColumn(c).toArray() as unknown[]);
  const visits = maps.getColumn("visits").toArray() as number[];
  const action = maps.getColumn("action_name").toArray() as string[];
  const margin = maps.getColumn("q_margin").toArray() as number[];
  interface Cell {
    key: unknown[];
    visits: number;
    decisive: number;
    states: number;
    per: Map<string, number>;
  }
  const cells = new Map<string, Cell>();
  for (let i = 0; i < maps.height; i++) {
    const key = cols.map((c) => c[i]);
    const id = JSON.stringify(key);
    let cell = cells.get(id);
    if (!cell) cells.set(id, cell = { key, visits: 0, decisive: 0, states: 0, per: new Map() });
    cell.visits += visits[i];
    cell.states++;
    if (margin[i] > tol) {
      cell.decisive += visits[i];
      cell.per.set(action[i], (cell.per.get(action[i]) ?? 0) + visits[i]);
    }
  }
  const list = [...cells.values()].sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const u = String(a.key[k]), v = String(b.key[k]);
      if (u !== v) return u < v ? -1 : 1;
    }
    return 0;
  });
  const out: Record<string, unknown[]> = {};
  keys.forEach((k, j) => (out[k] = list.map((c) => c.key[j])));
  const best = list.map((c) => {
    let name = "indifferent", v = -1;
    for (const [a, w] of [...c.per.entries()].sort()) if (w > v) [name, v] = [a, w];
    return { name, share: c.decisive > 0 ? v / c.decisive : null };
  });
  return pl.DataFrame([
    ...keys.map((k) => pl.Series(k, out[k] as string[])),
    pl.Series("action", best.map((b) => b.name), pl.Utf8),
    pl.Series("share", best.map((b) => b.share), pl.Float64),
    pl.Series("visits", list.map((c) => c.visits), pl.Float64),
    pl.Series("decisive", list.map((c) => (c.visits > 0 ? c.decisive / c.visits : 0)), pl.Float64),
    pl.Series("states", list.map((c) => c.states), pl.Float64),
  ]);
}

/** Options of {@linkcode policyAgreement}. */
export interface PolicyAgreementOptions {
  /** The runs whose states are weighed (e.g. `{game: "game 1"}`). */
  readonly a: RowSelector;
  /** The runs compared with them (e.g. `{game: "game 2"}`). */
  readonly b: RowSelector;
  /** Columns pairing a run of `a` with one of `b` (e.g. `["taker", "seed"]`). */
  readonly on: readonly string[];
  /** State features both have (an `a` state is matched to the `b` state with equal values). */
  readonly features: readonly string[];
  /** Indifference margin, as in {@linkcode policyCells}. Default 1e-6. */
  readonly tol?: number;
}

/**
 * How far two sets of learned policies agree: for each pair of runs (matched on `on`), over the
 * decisive visited states of `a` weighted by their visits, the share whose `b` counterpart (the
 * state with the same `features`) exists, is decisive, and has the same greedy action. Columns:
 * `on…`, `matched` (share of `a`'s decisive visits with a decisive counterpart), `agreement`
 * (share of the matched visits where the actions agree). Several `a` states may map to one `b`
 * state (features `a` has and `b` lacks, such as the remaining size, are pooled).
 *
 * @example
 * ```ts
 * import { policyAgreement } from "./policies.ts";
 * import pl from "nodejs-polars";
 * const maps = pl.DataFrame({
 *   game: ["g1", "g1", "g1", "g2", "g2"], seed: [0, 0, 0, 0, 0], time: ["1", "1", "2", "1", "2"],
 *   remaining: ["0", "9", "0", null, null], visits: [10, 30, 60, 5, 5],
 *   action_name: ["up", "down", "up", "down", "up"], q_margin: [1, 1, 1, 1, 0],
 * });
 * const [r] = policyAgreement(maps, {
 *   a: { game: "g1" }, b: { game: "g2" }, on: ["seed"], features: ["time"],
 * }).toRecords();
 * if (r.matched !== 0.4 || r.agreement !== 0.75) throw new Error(JSON.stringify(r));
 * ```
 */
export function policyAgreement(
  maps: pl.DataFrame,
  options: PolicyAgreementOptions,
): pl.DataFrame {
  const { on, features } = options;
  const tol = options.tol ?? 1e-6;
  const read = (s: RowSelector) => {
    const part = select(maps, s);
    const cols = [...on, ...features].map((c) => part.getColumn(c).toArray() as unknown[]);
    const visits = part.getColumn("visits").toArray() as number[];
    const action = part.getColumn("action_name").toArray() as string[];
    const margin = part.getColumn("q_margin").toArray() as number[];
    return { n: part.height, cols, visits, action, margin };
  };
  const A = read(options.a), B = read(options.b);
  const k = on.length;
  const bState = new Map<string, string | null>();
  for (let i = 0; i < B.n; i++) {
    bState.set(JSON.stringify(B.cols.map((c) => c[i])), B.margin[i] > tol ? B.action[i] : null);
  }
  const runs = new Map<
    string,
    { key: unknown[]; decisive: number; matched: number; agree: number }
  >();
  for (let i = 0; i < A.n; i++) {
    if (!(A.margin[i] > tol)) continue;
    const key = A.cols.slice(0, k).map((c) => c[i]);
    const id = JSON.stringify(key);
    let r = runs.get(id);
    if (!r) runs.set(id, r = { key, decisive: 0, matched: 0, agree: 0 });
    r.decisive += A.visits[i];
    const other = bState.get(JSON.stringify(A.cols.map((c) => c[i])));
    if (other === undefined || other === null) continue;
    r.matched += A.visits[i];
    if (other === A.action[i]) r.agree += A.visits[i];
  }
  const list = [...runs.values()].sort((a, b) => {
    for (let j = 0; j < k; j++) {
      const u = a.key[j] as string | number, v = b.key[j] as string | number;
      if (u !== v) return u < v ? -1 : 1;
    }
    return 0;
  });
  return pl.DataFrame([
    ...on.map((c, j) => pl.Series(c, list.map((r) => r.key[j]) as string[])),
    pl.Series("matched", list.map((r) => r.matched / r.decisive), pl.Float64),
    pl.Series(
      "agreement",
      list.map((r) => (r.matched > 0 ? r.agree / r.matched : null)),
      pl.Float64,
    ),
  ]);
}

/** Options of {@linkcode policyMapPlot}. */
export interface PolicyMapPlotOptions {
  /** The takers, in facet order (columns). */
  readonly takers: readonly string[];
  /** The games, in facet order (rows), when the cells have a `game` column to facet by. */
  readonly games?: readonly string[];
  /** Seeds pooled (for the subtitle). */
  readonly seeds: number;
  /** The title. */
  readonly title: string;
}

/**
 * The policy map of notebooks 02 and 03 as Observable Plot options: one facet per taker (and game),
 * time left × own bid position, each cell coloured by its greedy action with the share of its
 * decisive visits that agree. `cells` is a {@linkcode policyCells} frame (x `time`, y `ownBid`).
 */
export function policyMapPlot(cells: pl.DataFrame, o: PolicyMapPlotOptions): Plot.PlotOptions {
  const rows = cells.toRecords();
  const facets = { fx: "taker", ...(o.games ? { fy: "game" } : {}) };
  const share = (d: Record<string, unknown>) => (d.share === null ? "" : pct(d.share as number, 0));
  return {
    title: o.title,
    subtitle: `Pooled over ${o.seeds} seeds and the other state features, weighted by visits.`,
    caption: "Number: share of the cell's decisive visits in which that action is greedy. " +
      "Grey: every action has the same value. Blank: never visited.",
    width: 1000,
    height: o.games ? 520 : 300,
    marginLeft: 70,
    padding: 0.05,
    fx: { label: null, domain: o.takers },
    ...(o.games ? { fy: { label: null, domain: o.games } } : {}),
    x: { label: "steps left in the window", domain: MAP_TIME },
    y: { label: "own bid vs best (ticks below)", domain: MAP_OWN_BID },
    color: { legend: true, domain: MAP_ACTIONS, range: MAP_ACTION_COLOURS },
    marks: [
      Plot.cell(rows, { x: "time", y: "ownBid", ...facets, fill: "action", inset: 0.5 }),
      Plot.text(rows, { x: "time", y: "ownBid", ...facets, text: share, fontSize: 10 }),
    ],
  };
}
