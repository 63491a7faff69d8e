/**
 * Sharpe ratio of per-step PnL changes within one episode.
 *
 * @module
 */
import { checkFinite, type Numbers } from "./_validate.ts";

/**
 * Sharpe ratio of the per-step changes of a cumulative PnL path:
 * `mean(d) / sd(d)` with `d[i] = pnl[i + 1] - pnl[i]` and `sd` the sample standard deviation
 * (divisor `n - 1`).
 *
 * It is a per-step ratio: no annualising factor and no risk-free rate. To compare episodes of
 * different lengths, multiply by `sqrt(steps)` yourself; the figures in this project are not
 * scaled. Edge cases: fewer than two changes (a path shorter than 3) gives NaN; `sd = 0` gives 0
 * when the mean change is 0 (a maker that never trades) and `±Infinity` otherwise (a riskless
 * gain or loss). A NaN or infinite entry throws `ConfigError` naming it (`pnl[4]`).
 *
 * @example
 * ```ts
 * import { sharpe } from "./sharpe.ts";
 * // changes 1, 3: mean 2, sd sqrt(2)
 * if (Math.abs(sharpe([0, 1, 4]) - Math.SQRT2) > 1e-12) throw new Error();
 * ```
 */
export function sharpe(pnl: Numbers): number {
  checkFinite("pnl", pnl);
  const m = pnl.length - 1;
  if (m < 2) return NaN;
  const mean = (pnl[m] - pnl[0]) / m;
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const e = pnl[i + 1] - pnl[i] - mean;
    ss += e * e;
  }
  const sd = Math.sqrt(ss / (m - 1));
  // Changes that are all equal can leave rounding noise in `ss`; treat it as zero spread.
  if (sd <= 1e-12 * Math.max(Math.abs(mean), 1e-300)) {
    return mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  }
  return mean / sd;
}
