/**
 * What an agent job of notebook 07 records from its greedy evaluation episodes, besides one row
 * per episode: per-step aggregates over all of them ({@linkcode createEvalAccumulator}): PnL cells
 * by inventory and quote in effect, adverse-selection cells by time and realised volatility, and
 * the steps spent at each inventory; and the buckets these are cut into, with their labels.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type { EpisodeRun, MarketMakingEnv } from "../../env/mod.ts";

/** One output row; `table` says which frame of the study (`RlStudy`) it belongs to. */
export type RlRow = Record<string, number | string | null>;

/** The validated bucket settings of the evaluation aggregates (see `RlSettings`). */
export interface EvalSettings {
  /** Markout horizon, steps. */
  readonly horizon: number;
  /** Inventory bucket edges, units. */
  readonly inventoryEdges: readonly number[];
  /** Number of equal time slices of an episode. */
  readonly timeBuckets: number;
  /** Realised-volatility window, steps. */
  readonly volWindow: number;
  /** Realised-volatility bucket edges, ticks per step. */
  readonly volEdges: readonly number[];
}

/** `x` if finite, else null (so that summaries leave it out instead of returning NaN). */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

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

/**
 * Labels of the integer buckets cut by `edges` (`"<= -6"`, `"-5 to -3"`, `"0"`, `">= 6"`), for
 * integer-valued quantities such as inventory.
 *
 * @example
 * ```ts
 * import { integerBucketLabels } from "./evaluation.ts";
 * const l = integerBucketLabels([-2.5, -0.5, 0.5, 2.5]);
 * if (l.join("|") !== "<= -3|-2 to -1|0|1 to 2|>= 3") throw new Error(l.join("|"));
 * ```
 */
export function integerBucketLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b <= edges.length; b++) {
    const lo = b === 0 ? -Infinity : Math.floor(edges[b - 1]) + 1;
    const hi = b === edges.length ? Infinity : Math.floor(edges[b]);
    if (lo === -Infinity) out.push(`<= ${hi}`);
    else if (hi === Infinity) out.push(`>= ${lo}`);
    else out.push(lo === hi ? `${lo}` : `${lo} to ${hi}`);
  }
  return out;
}

/**
 * Labels of the real-valued buckets cut by `edges`: `"<= a"`, `"a-b"`, ..., `"> z"`.
 *
 * @example
 * ```ts
 * import { rangeBucketLabels } from "./evaluation.ts";
 * if (rangeBucketLabels([0.2, 0.4]).join("|") !== "<= 0.2|0.2-0.4|> 0.4") throw new Error();
 * ```
 */
export function rangeBucketLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b <= edges.length; b++) {
    if (b === 0) out.push(`<= ${edges[0]}`);
    else if (b === edges.length) out.push(`> ${edges[b - 1]}`);
    else out.push(`${edges[b - 1]}-${edges[b]}`);
  }
  return out;
}

/** Labels of the quote in effect: the half-spreads, then `cancel` and `flatten`. */
export function quoteLabels(env: MarketMakingEnv): string[] {
  return [...Array.from(env.spec.actions.halfSpreads, (h) => `${h}`), "cancel", "flatten"];
}

/** Index into {@linkcode quoteLabels} of action `a`. */
export function quoteIndex(env: MarketMakingEnv, a: number): number {
  const t = env.spec.actions;
  if (a < t.nQuotes) return Math.floor(a / t.skews.length);
  return a === t.cancel ? t.halfSpreads.length : t.halfSpreads.length + 1;
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

/** Per-step aggregates of evaluation episodes: add runs, then read the rows. */
export interface EvalAccumulator {
  /** Adds one evaluation episode. */
  add(run: EpisodeRun): void;
  /** The `pnl`, `adverse` and `inventory` rows of an agent and seed. */
  rows(agent: string, seed: number): RlRow[];
}

/** Per-step aggregates of the evaluation episodes (`jobs.ts`'s module doc), in typed arrays. */
export function createEvalAccumulator(env: MarketMakingEnv, s: EvalSettings): EvalAccumulator {
  const L = env.config.latency;
  const episodeLength = env.config.episodeLength;
  const qLabels = quoteLabels(env);
  const nQ = qLabels.length;
  const invLabels = integerBucketLabels(s.inventoryEdges);
  const nI = invLabels.length;
  const pnlSteps = new Float64Array(nI * nQ);
  const pnlSum = new Float64Array(nI * nQ);
  const T = s.timeBuckets;
  const volLabels = rangeBucketLabels(s.volEdges);
  const nV = volLabels.length;
  const advFills = new Float64Array(T * nV);
  const advCount = new Float64Array(T * nV);
  const advMarkout = new Float64Array(T * nV);
  const inventorySteps = new Map<number, number>();
  const h = s.horizon;
  const W = s.volWindow;
  return {
    add(run) {
      const { action } = run.record;
      const { pnl, inventory, mid } = run.record.info;
      const n = run.record.steps;
      for (let i = 1; i <= n; i++) {
        const q = inventory[i];
        inventorySteps.set(q, (inventorySteps.get(q) ?? 0) + 1);
        if (i - L < 1) continue;
        const cell = bucketOf(s.inventoryEdges, inventory[i - 1]) * nQ +
          quoteIndex(env, action[i - L]);
        pnlSteps[cell]++;
        pnlSum[cell] += pnl[i] - pnl[i - 1];
      }
      const f = run.fills;
      for (let j = 0; j < f.n; j++) {
        const t = f.step[j];
        if (t < 1 || t + h > n) continue;
        const w = Math.min(W, t);
        let ss = 0;
        for (let i = t - w + 1; i <= t; i++) ss += (mid[i] - mid[i - 1]) ** 2;
        const vol = Math.sqrt(ss / w);
        const tb = Math.min(T - 1, Math.floor((t * T) / episodeLength));
        const cell = tb * nV + bucketOf(s.volEdges, vol);
        const markout = f.side[j] * (mid[t + h] - mid[t]);
        advFills[cell]++;
        if (markout < 0) advCount[cell]++;
        advMarkout[cell] += markout;
      }
    },
    rows(agent, seed) {
      const out: RlRow[] = [];
      for (let b = 0; b < nI; b++) {
        for (let a = 0; a < nQ; a++) {
          const k = b * nQ + a;
          if (pnlSteps[k] === 0) continue;
          out.push({
            table: "pnlCells",
            agent,
            seed,
            inventoryBucket: b,
            inventoryLabel: invLabels[b],
            quote: a,
            quoteLabel: qLabels[a],
            steps: pnlSteps[k],
            pnlSum: pnlSum[k],
          });
        }
      }
      const timeLabels = Array.from({ length: T }, (_, b) => {
        const lo = Math.ceil((b * episodeLength) / T);
        const hi = Math.ceil(((b + 1) * episodeLength) / T) - 1;
        return `${lo}-${hi}`;
      });
      for (let tb = 0; tb < T; tb++) {
        for (let v = 0; v < nV; v++) {
          const k = tb * nV + v;
          if (advFills[k] === 0) continue;
          out.push({
            table: "adverseCells",
            agent,
            seed,
            timeBucket: tb,
            timeLabel: timeLabels[tb],
            volBucket: v,
            volLabel: volLabels[v],
            fills: advFills[k],
            adverse: advCount[k],
            markoutSum: advMarkout[k],
          });
        }
      }
      for (const q of [...inventorySteps.keys()].sort((x, y) => x - y)) {
        out.push({ table: "inventory", agent, seed, inventory: q, steps: inventorySteps.get(q)! });
      }
      return out;
    },
  };
}
