/**
 * The ladder's recovery after a block sale (notebook 01, section 4): a block sold at market at
 * step 0 through the taker study ({@linkcode runTakers}), and the missing depth after each refill
 * against the model's exponential resilience.
 *
 * @module
 */
import pl from "nodejs-polars";
import { arrayOf, checkOptions, type Field, fn, int, optional } from "../../errors.ts";
import { validateBackgroundOptions } from "../../market/mod.ts";
import type { StudyRunOptions } from "../../sweep/mod.ts";
import { BACKGROUND_CASE, type BackgroundCase, P0, runTakers } from "./jobs.ts";

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
  /** Web Workers (0: this thread); the tables do not depend on it. */
  workers?: number;
  /** Makes the progress line for the number of jobs. */
  progress?: StudyRunOptions["progress"];
}

/** The schema of {@linkcode RecoveryOptions} (the compiler keeps its keys complete). */
const RECOVERY_OPTIONS = {
  backgrounds: arrayOf(BACKGROUND_CASE, { minLength: 1 }),
  seeds: int(1, 1_000_000),
  firstSeed: optional(int(0, 2 ** 31 - 2), 0),
  size: optional(int(1, 2 ** 31 - 1), 8_000),
  steps: optional(int(1, 1_000_000), 60),
  workers: optional(int(0, 1024)),
  progress: optional(fn<NonNullable<RecoveryOptions["progress"]>>("a function (total) => line")),
} satisfies Record<keyof RecoveryOptions, Field<unknown>>;

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
 * import { runRecovery } from "./recovery.ts";
 * const r = await runRecovery({
 *   backgrounds: [{ label: "linear", options: {} }],
 *   seeds: 1,
 *   workers: 0,
 * });
 * const [half] = r.episodes.getColumn("half_life").toArray() as number[];
 * if (half !== 4) throw new Error(`(1 − 0.2)^k ≤ ½ first at k = 4, got ${half}`);
 * ```
 */
export async function runRecovery(options: RecoveryOptions): Promise<RecoveryResult> {
  // Checked here, with this function's names, before any job runs (runTakers checks again).
  const o = checkOptions(options, RECOVERY_OPTIONS, { owner: "runRecovery" });
  const size = o.size, N = o.steps;
  const r = await runTakers({
    takers: [{ label: "block", taker: { kind: "aggressive", rate: 1 } }],
    backgrounds: o.backgrounds,
    seeds: o.seeds,
    firstSeed: o.firstSeed,
    game: { kind: "known", size },
    steps: N,
    workers: o.workers,
    progress: o.progress,
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
