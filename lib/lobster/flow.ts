/**
 * The aggressive order flow of a LOBSTER message file: how many market orders executed against
 * the visible book per second, and how large they were. The game's noise flow is calibrated on
 * it (`lib/game/conditions.ts`).
 *
 * LOBSTER records one execution message (type 4, {@linkcode EXECUTE}) per resting order an
 * incoming order trades with, all with the incoming order's timestamp; so executions with the
 * same timestamp against the same side are counted as one aggressive order. Executions of hidden
 * orders (type 5) are left out: the game's noise trades with the visible book only.
 *
 * @module
 */
import { checkOptions, ConfigError, num, optional } from "../errors.ts";
import { EXECUTE, type Messages } from "./reader.ts";

/** What {@linkcode aggressiveFlow} returns. */
export interface AggressiveFlow {
  /** Seconds covered (`to − from`). */
  readonly seconds: number;
  /** Aggressive sells: orders that executed against visible bids. */
  readonly sells: number;
  /** Aggressive buys: orders that executed against visible asks. */
  readonly buys: number;
  /** Orders per second, both sides. */
  readonly ordersPerSecond: number;
  /** Visible shares executed per aggressive order (mean). */
  readonly meanSize: number;
  /** Share of the orders that were buys. */
  readonly buyShare: number;
}

/**
 * Counts the aggressive orders of `messages` between `from` and `to` seconds after midnight
 * (default: the regular session, 9:30 to 16:00, LOBSTER's sample window).
 *
 * @example
 * ```ts
 * import { aggressiveFlow, parseMessages } from "./mod.ts";
 * // One sell hitting two bids at the same time, then a buy lifting one ask, 10 s apart.
 * const text = "34200.5,4,1,100,5800000,1\n34200.5,4,2,50,5799900,1\n34210.5,4,3,30,5801000,-1\n";
 * const f = aggressiveFlow(parseMessages(new TextEncoder().encode(text)), { from: 34200, to: 34220 });
 * if (f.sells !== 1 || f.buys !== 1 || f.meanSize !== 90 || f.ordersPerSecond !== 0.1) {
 *   throw new Error(JSON.stringify(f));
 * }
 * ```
 */
export function aggressiveFlow(
  messages: Messages,
  options: { from?: number; to?: number } = {},
): AggressiveFlow {
  const o = checkOptions(options, {
    from: optional(num(0, 86_400), 34_200),
    to: optional(num(0, 86_400), 57_600),
  }, { owner: "aggressiveFlow" });
  if (!(o.to > o.from)) throw new ConfigError("to", `a time after from (${o.from})`, o.to);
  const m = messages;
  let sells = 0, buys = 0, shares = 0;
  let lastT = NaN, lastDir = 0;
  for (let i = 0; i < m.count; i++) {
    if (m.type[i] !== EXECUTE) continue;
    const t = m.timeNs[i] / 1e9;
    if (t < o.from || t >= o.to) continue;
    const dir = m.direction[i];
    shares += m.size[i];
    if (m.timeNs[i] !== lastT || dir !== lastDir) {
      // A resting bid (direction 1) was hit by a sell; a resting ask by a buy.
      if (dir === 1) sells++;
      else buys++;
    }
    lastT = m.timeNs[i];
    lastDir = dir;
  }
  const orders = sells + buys, seconds = o.to - o.from;
  return {
    seconds,
    sells,
    buys,
    ordersPerSecond: orders / seconds,
    meanSize: orders > 0 ? shares / orders : NaN,
    buyShare: orders > 0 ? buys / orders : NaN,
  };
}
