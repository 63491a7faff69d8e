/**
 * The baselines' parameter search of notebook 07: the grids of the fixed spread, the linearly
 * skewed spread and Avellaneda–Stoikov ({@linkcode baselineGrid}), searched on training episodes
 * per market condition, and the choice of the best of each family by the objective
 * (`summaries.ts`' `bestBaselines`), which is then evaluated on the held-out episodes.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import type { PolicySpec } from "./jobs.ts";

/** The baseline families, as labelled in the frames. */
export const BASELINE_LABELS = Object.freeze(
  {
    fixed: "fixed spread",
    skew: "skewed spread",
    as: "Avellaneda–Stoikov",
  } as const,
);

/** The grids of {@linkcode baselineGrid}. */
export interface BaselineGridOptions {
  /** Quote sizes, units (every family). */
  readonly sizes: readonly number[];
  /** Offsets from the mid, ticks (fixed and skewed spreads). */
  readonly halfSpreads: readonly number[];
  /** Skews per unit of inventory, ticks, each > 0 (skewed spread). */
  readonly skews: readonly number[];
  /** Risk aversions γ (Avellaneda–Stoikov). */
  readonly gammas: readonly number[];
  /** Fill-intensity decays k, per tick (Avellaneda–Stoikov). */
  readonly ks: readonly number[];
}

/**
 * The default grids: offsets 0–4 ticks in half ticks (the environment rounds a quote toward the
 * mid, so half a tick matters when the mid is on a half tick), sizes 1 and 2 (the continuous
 * actions' range), skews 0.05–0.4 ticks per unit, and A–S's γ and k over two decades around the
 * values whose spread and skew fall in that range.
 */
export const BASELINE_GRID: BaselineGridOptions = Object.freeze({
  sizes: Object.freeze([1, 2]),
  halfSpreads: Object.freeze([0, 0.5, 1, 1.5, 2, 2.5, 3, 4]),
  skews: Object.freeze([0.05, 0.1, 0.2, 0.4]),
  gammas: Object.freeze([0.001, 0.003, 0.01, 0.03, 0.1]),
  ks: Object.freeze([0.3, 0.5, 1, 2, 4]),
});

/** A labelled baseline policy. */
export interface LabelledPolicy {
  /** The family's label (`BASELINE_LABELS`). */
  readonly label: string;
  /** The policy. */
  readonly policy: PolicySpec;
}

/**
 * Every baseline of the grids: the fixed spreads (skew 0), the skewed spreads (offsets of at least
 * 1 tick: a skew needs room on both sides), and the A–S quoters, each at every size.
 *
 * @example
 * ```ts
 * import { baselineGrid } from "./tuning.ts";
 * const g = baselineGrid({ sizes: [1, 2], halfSpreads: [1, 2], skews: [0.1], gammas: [0.01], ks: [1] });
 * // 2 fixed + 2 skewed + 1 A–S, each at 2 sizes
 * if (g.length !== 10) throw new Error(String(g.length));
 * ```
 */
export function baselineGrid(o: BaselineGridOptions = BASELINE_GRID): LabelledPolicy[] {
  for (const k of ["sizes", "halfSpreads", "skews", "gammas", "ks"] as const) {
    const v = o[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
      throw new ConfigError(`grid.${k}`, "an array of finite numbers", v);
    }
  }
  const out: LabelledPolicy[] = [];
  for (const size of o.sizes) {
    for (const h of o.halfSpreads) {
      out.push({
        label: BASELINE_LABELS.fixed,
        policy: { kind: "skew", halfSpread: h, skew: 0, size },
      });
    }
    for (const h of o.halfSpreads.filter((x) => x >= 1)) {
      for (const skew of o.skews) {
        out.push({
          label: BASELINE_LABELS.skew,
          policy: { kind: "skew", halfSpread: h, skew, size },
        });
      }
    }
    for (const gamma of o.gammas) {
      for (const k of o.ks) {
        out.push({ label: BASELINE_LABELS.as, policy: { kind: "as", gamma, k, size } });
      }
    }
  }
  return out;
}
