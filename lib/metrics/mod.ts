/**
 * Market-making performance metrics: pure functions from typed arrays (or `number[]`) to
 * numbers, with no knowledge of the order book.
 *
 * - PnL: {@linkcode pnlSeries}, {@linkcode finalPnl} (cash + inventory × mark).
 * - Risk: {@linkcode sharpe} (per-step, unannualised), {@linkcode maxDrawdown} (absolute),
 *   {@linkcode inventoryVariance}, {@linkcode meanAbsInventory}.
 * - Fills, from a {@linkcode FillLog} and a mid series: {@linkcode fillRate},
 *   {@linkcode spreadCapture} (ticks per unit), {@linkcode markouts} (mean markout and
 *   adverse-selection rate per horizon).
 * - Reporting over seeds: {@linkcode meanCI} with {@linkcode studentTQuantile}.
 *
 * ## Inputs
 * Series are plain or typed arrays of finite numbers; a NaN or an infinity is rejected
 * with its index (`pnl[4]: must be a finite number, got NaN`) rather than skipped or averaged in.
 * Options objects are checked by schemas (unknown keys rejected with a suggestion); a
 * {@linkcode FillLog} must come from `createFillLog`/`fillLogOf` (typed arrays, sides ±1,
 * quantities > 0, steps that index the mid series); horizons are integers ≥ 1.
 *
 * Units: prices, cash and PnL share one price unit (ticks for the order book); inventory and
 * quantities are in units of the asset; steps index the episode's per-step arrays. Fill metrics
 * report in ticks, converting with `tickSize` when prices are not already in ticks.
 *
 * @example
 * ```ts
 * import { maxDrawdown, meanCI, pnlSeries, sharpe } from "./mod.ts";
 * const pnl = pnlSeries({ cash: [0, -99, -99, 3], inventory: [0, 1, 1, 0], mark: [100, 100, 98, 98] });
 * // pnl = 0, 1, -1, 3
 * if (maxDrawdown(pnl) !== 2) throw new Error();
 * const ci = meanCI([sharpe(pnl), 0.5, 0.7]);
 * if (!(ci.lo < ci.mean && ci.mean < ci.hi)) throw new Error();
 * ```
 * @module
 */
export * from "./pnl.ts";
export * from "./sharpe.ts";
export * from "./drawdown.ts";
export * from "./inventory.ts";
export * from "./fills.ts";
export * from "./spread_capture.ts";
export * from "./markouts.ts";
export * from "./mean_ci.ts";
