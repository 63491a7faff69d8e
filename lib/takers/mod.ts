/**
 * Takers: the large seller of the maker–taker game. A taker sells a meta-order of Q contracts
 * within the window, one child order per step, as a sell with an optional price floor (an `ioc`
 * sell; no floor is a market sell). The game calls `decide(view, order)` once per step after the
 * makers have updated their bids, so the taker sees the book it is about to hit.
 *
 * ## Strategies (plain objects made by factories)
 * | factory | schedule | floor (default) |
 * |---|---|---|
 * | {@linkcode aggressive} | `ceil(rate × remaining)` each step (front-loads; rate 0.25) | none: market |
 * | {@linkcode passive} | TWAP: cumulative target `round(Q(t+1)/N)` minus executed | `bestBid − maxWalk` (3) |
 * | {@linkcode reactive} | `remaining/stepsLeft` × a multiplier from the depth near P0 and the price | `bestBid − maxWalk` (2), none in catch-up |
 * | {@linkcode almgrenChriss} | cumulative target `Q − x_{t+1}`, `x_j ∝ sinh(κ(N−j))` | none |
 *
 * The cumulative-target schedules retry what a floor left unfilled. Every strategy also takes
 * `floorTicks` (an absolute floor at `P0 − floorTicks`). The Almgren–Chriss risk aversion spans
 * the other two: λ = 0 is exactly TWAP, large λ sells almost everything at once.
 *
 * ## Quantity unsold at the deadline
 * A strategy's last child may leave quantity unsold (a floor, or an empty book). The game's
 * `unsold` rule settles it (see `lib/game/mod.ts`): `"sweep"` (default) sells the remainder at
 * market into the book right after the last child order, counted as the taker's execution and
 * reported as `sweepQty`; `"drop"` leaves it unsold, marked at the final best bid in the
 * implementation shortfall.
 *
 * ## Custom strategies and learners
 * Anything implementing {@linkcode TakerStrategy} plugs in as `{kind: "custom", create: (ctx) =>
 * strategy}`: `ctx.rng` is the taker's own stream (`"taker"`); `learn(reward, next, truncated)`
 * receives the taker's PnL of each step (`Σ (price − P0) × qty × tickSize` of its fills).
 *
 * ## Inputs
 * Every factory checks its options (`checkTakerSpec` checks a whole spec without building a custom
 * one): unknown keys rejected with a suggestion (`"maxwalk": unknown option of taker; did you mean
 * "maxWalk"?`), no coercion, paths `taker.<option>`, the allowed values in the message (walk
 * limits and floors integer ticks or `null`, rates in (0, 1], and so on).
 *
 * @example
 * ```ts
 * import { almgrenChriss, passive } from "./mod.ts";
 * import type { TakerView } from "./mod.ts";
 * const run = (s: ReturnType<typeof passive>) => {
 *   const v: TakerView = { t: 0, steps: 4, stepsLeft: 4, p0: 100, size: 100, executed: 0,
 *     remaining: 100, bestBid: 99, bestAsk: 101, lastQty: 0, lastFilled: 0, book: null! };
 *   const order = { qty: 0, floor: -1 };
 *   const out: number[] = [];
 *   for (let t = 0; t < 4; t++) {
 *     v.t = t; v.stepsLeft = 4 - t;
 *     s.decide(v, order);
 *     out.push(order.qty);
 *     v.executed += order.qty; v.remaining -= order.qty; // every child fills here
 *   }
 *   return out.join();
 * };
 * if (run(passive()) !== "25,25,25,25") throw new Error("TWAP");
 * if (run(almgrenChriss({ riskAversion: 0 })) !== "25,25,25,25") throw new Error("λ = 0 is TWAP");
 * if (run(almgrenChriss({ riskAversion: 1 })) !== "99,1,0,0") throw new Error("front-loaded");
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./strategies.ts";
