/**
 * What an evaluation job of notebook 07 records from its greedy episodes: one row per episode
 * ({@linkcode episodeRow}: the risk-adjusted objective, PnL, risk, fills, markouts, and for box
 * actions how the agent used its inventory target), and per-step aggregates over all of them
 * ({@linkcode createEvalAccumulator}): the RL spec's cells of realised volatility × time of
 * episode (`lib/env/heatmap.ts`) and the steps spent at each inventory. Also the bucket helpers
 * the queue sweep shares.
 *
 * ## The objective
 * The comparison's risk-adjusted objective of an episode is
 *
 *     J = PnL − η · Σ_t q_t²
 *
 * (`q_t` the inventory after step `t`, `η` the study's `riskPenalty`): the mark-to-market PnL net
 * of a running quadratic inventory penalty, the criterion of Cartea, Jaimungal and Penalva
 * (2015, ch. 10). It is a mean–variance criterion: holding `q` through a step whose mid change
 * has variance `σ²` adds `σ²q²` to the PnL's variance, so `η Σ q²` is `(λ/2)·Var` for a risk
 * aversion `λ = 2η/σ²`. With `η` equal to the training reward's `inventoryPenalty`, an agent's
 * return (its reward summed) is exactly `J`.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import { createVolTimeGrid, type EpisodeRun, type VolTimeGrid } from "../../env/mod.ts";

/** One output row; `table` says which frame of the study (`RlStudy`) it belongs to. */
export type RlRow = Record<string, number | string | null>;

/** `x` if finite, else null (so that summaries leave it out instead of returning NaN). */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Checks a list of increasing bucket edges; `ConfigError` names the field and index. */
export function checkEdges(field: string, e: unknown): number[] {
  if (!Array.isArray(e) || e.length > 1000) {
    throw new ConfigError(field, "an array of at most 1000 increasing numbers", e);
  }
  e.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || (i > 0 && !(v > e[i - 1]))) {
      throw new ConfigError(`${field}[${i}]`, "a finite number above the previous edge", v);
    }
  });
  return e as number[];
}

/** Bucket of `x`: the number of edges strictly below it (so `edges[b−1] < x ≤ edges[b]`). */
export function bucketOf(edges: readonly number[], x: number): number {
  let b = 0;
  while (b < edges.length && edges[b] < x) b++;
  return b;
}

/** Labels of queue-position buckets (share of the level ahead), in percent. */
export function queueLabels(edges: readonly number[]): string[] {
  const p = (x: number) => `${Math.round(100 * x)}%`;
  return Array.from({ length: edges.length + 1 }, (_, b) => {
    if (b === 0) return edges[0] === 0 ? "front" : `<= ${p(edges[0])}`;
    if (b === edges.length) return `> ${p(edges[b - 1])}`;
    return `${p(edges[b - 1])}-${p(edges[b])}`;
  });
}

/**
 * The row of one greedy evaluation episode: the objective `J = pnl − η·Σq²` (see the module
 * doc), PnL, per-step Sharpe ratio, drawdown, inventory figures, fills, spread capture, and at
 * the markout horizon the adverse (< 0) and zero-markout rates and the mean markout. For box
 * actions also `targetGap`, the mean of `(q_t − q*_t)²` (inventory after the step against the
 * target set for it), and `targetCorr`, the correlation of the target with that inventory: the
 * two figures that show whether the target term is gamed (a target that follows the inventory
 * makes the term free).
 *
 * @example
 * ```ts
 * import { episodeRow } from "./evaluation.ts";
 * import { createMarketMakingEnv, runEpisode } from "../../env/mod.ts";
 * const env = createMarketMakingEnv({ episodeLength: 50 });
 * const run = runEpisode(env, { act: () => 12 }, { seed: 1, horizons: [5] });
 * const r = episodeRow(run, { riskPenalty: 0.5 });
 * if (r.objective !== run.metrics.pnl - 0.5 * run.metrics.inventorySquares) throw new Error();
 * if (r.targetGap !== null) throw new Error("no target on the grid");
 * ```
 */
export function episodeRow(run: EpisodeRun, o: { riskPenalty: number }): RlRow {
  const m = run.metrics;
  const box = run.record.actionVectors ? target(run) : { gap: null, corr: null };
  return {
    objective: m.pnl - o.riskPenalty * m.inventorySquares,
    return: m.return,
    pnl: m.pnl,
    inventorySq: m.inventorySquares / m.steps,
    sharpe: finite(m.sharpe),
    maxDrawdown: m.maxDrawdown,
    inventoryVariance: m.inventoryVariance,
    meanAbsInventory: m.meanAbsInventory,
    fills: m.fills,
    filledQty: m.filledQty,
    spreadCapture: finite(m.spreadCapture),
    adverse: finite(m.adverseRate[0]),
    zero: finite(m.zeroRate[0]),
    markout: finite(m.markout[0]),
    targetGap: box.gap,
    targetCorr: box.corr,
  };
}

/** Mean squared gap of inventory to target and their correlation, over the steps. */
function target(run: EpisodeRun): { gap: number | null; corr: number | null } {
  const { inventory, inventoryTarget } = run.record.info;
  const n = run.record.steps;
  if (n < 1) return { gap: null, corr: null };
  let gap = 0, sq = 0, st = 0, sqq = 0, stt = 0, sqt = 0;
  for (let i = 1; i <= n; i++) {
    const q = inventory[i], t = inventoryTarget[i];
    gap += (q - t) ** 2;
    sq += q;
    st += t;
    sqq += q * q;
    stt += t * t;
    sqt += q * t;
  }
  const cov = sqt / n - (sq / n) * (st / n);
  const vq = sqq / n - (sq / n) ** 2, vt = stt / n - (st / n) ** 2;
  return { gap: gap / n, corr: finite(cov / Math.sqrt(vq * vt)) };
}

/** Settings of {@linkcode createEvalAccumulator}: `createVolTimeGrid`'s, validated. */
export interface EvalSettings {
  /** Steps per episode. */
  readonly episodeLength: number;
  /** Markout horizon, steps. */
  readonly horizon: number;
  /** Number of equal time slices of an episode. */
  readonly timeBuckets: number;
  /** Realised-volatility window, steps. */
  readonly volWindow: number;
  /** Realised-volatility bucket edges, ticks per step. */
  readonly volEdges: readonly number[];
}

/** Per-step aggregates of evaluation episodes: add runs, then read the rows. */
export interface EvalAccumulator {
  /** Adds one evaluation episode. */
  add(run: EpisodeRun): void;
  /** The `cells` and `inventory` rows, each with the `key` fields. */
  rows(key: Readonly<Record<string, string | number>>): RlRow[];
}

/**
 * The volatility × time cells (`lib/env/heatmap.ts`: steps, PnL, fills, markout counts and sums
 * per cell) and the steps at each inventory, over the episodes added.
 */
export function createEvalAccumulator(s: EvalSettings): EvalAccumulator {
  const { episodeLength, horizon, timeBuckets, volWindow } = s;
  const grid: VolTimeGrid = createVolTimeGrid({
    episodeLength,
    horizon,
    timeBuckets,
    volWindow,
    volEdges: [...s.volEdges],
  });
  const inventorySteps = new Map<number, number>();
  return {
    add(run) {
      grid.add(run);
      const inv = run.record.info.inventory;
      for (let i = 1; i <= run.record.steps; i++) {
        inventorySteps.set(inv[i], (inventorySteps.get(inv[i]) ?? 0) + 1);
      }
    },
    rows(key) {
      const cells = grid.frame().toRecords() as RlRow[];
      const out: RlRow[] = cells.map((c) => ({ table: "cells", ...key, ...c }));
      for (const q of [...inventorySteps.keys()].sort((x, y) => x - y)) {
        out.push({ table: "inventory", ...key, inventory: q, steps: inventorySteps.get(q)! });
      }
      return out;
    },
  };
}

/** The cell columns of {@linkcode createEvalAccumulator}'s rows, with their kinds. */
export const CELL_COLUMNS = Object.freeze(
  {
    timeBucket: "int",
    timeLabel: "str",
    volBucket: "int",
    volLabel: "str",
    steps: "int",
    pnl: "float",
    reward: "float",
    absInventory: "float",
    fills: "int",
    filledQty: "float",
    markoutFills: "int",
    adverse: "int",
    zero: "int",
    markoutSum: "float",
  } as const,
);
