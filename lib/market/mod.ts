/**
 * The market around the order book: owner ids, background liquidity and quote helpers.
 *
 * - {@linkcode createBackground}: the exogenous bid ladder and ask side, refilled toward a depth
 *   profile each step, plus optional noise flow (see `background.ts` for the model and the
 *   rationale behind every default).
 * - {@linkcode midPrice}, {@linkcode spread}: quotes with the `NONE` sentinel for empty sides.
 * - Owner ids: `BACKGROUND`, `NOISE`, `TAKER`, `makerOwner(i)`.
 *
 * @example
 * ```ts
 * import { OrderBook } from "../book/mod.ts";
 * import { stream } from "../rng.ts";
 * import { createBackground, midPrice, spread } from "./mod.ts";
 * const book = new OrderBook({ minTick: 9_000, maxTick: 11_000 });
 * const bg = createBackground({ p0: 10_000 }, stream(1, "background"));
 * bg.init(book);
 * if (midPrice(book) !== 10_000 || spread(book) !== 2) throw new Error("bid 9,999, ask 10,001");
 * ```
 * @module
 */
export * from "./owners.ts";
export * from "./background.ts";
export * from "./quotes.ts";
