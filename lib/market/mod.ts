/**
 * The market around the order book: owner ids, background liquidity and quote helpers.
 *
 * - {@linkcode createBackground}: the exogenous bid ladder and ask side, refilled toward a depth
 *   profile each step, plus optional noise flow (see `background.ts` for the model and the
 *   rationale behind every default); its options and their validation (`options.ts`), and the
 *   ladder's target sizes by distance (`profile.ts`: a named shape, weights such as a LOBSTER
 *   sample's mean sizes, or explicit sizes; the market takes the numbers, not a file).
 * - {@linkcode midPrice}, {@linkcode spread}: quotes with the `NONE` sentinel for empty sides.
 * - Owner ids: `BACKGROUND`, `NOISE`, `TAKER`, `makerOwner(i)`.
 *
 * ## Inputs
 * The background's options are checked by `validateBackgroundOptions` (the fields of
 * `BackgroundOptions` and `p0` only, unknown keys rejected with a suggestion; ranges in the
 * messages; `where.path` puts the path in front, `background.resilience` in a game config), before
 * anything touches the book; `rng` must be a function.
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
export * from "./options.ts";
export * from "./profile.ts";
export * from "./background.ts";
export * from "./quotes.ts";
