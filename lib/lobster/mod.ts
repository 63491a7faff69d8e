/**
 * LOBSTER data: the engine's proof on real NASDAQ order-book data.
 *
 * - `reader.ts`: message and orderbook files (CSV, optionally gzip) into typed arrays, with
 *   line-numbered errors for malformed input ({@linkcode readMessages}, {@linkcode readOrderbook},
 *   {@linkcode findSamples}, {@linkcode loadSample}).
 * - `replay.ts`: replays a message file through the order book and compares the top N levels with
 *   the orderbook file after every message, exactly; checks matching by resubmitting each run of
 *   executions as one aggressive order ({@linkcode replay}).
 * - `profile.ts`: mean depth by distance from the best, for the background-liquidity model
 *   ({@linkcode depthProfile}, {@linkcode saveDepthProfile}, {@linkcode loadDepthProfile}).
 *
 * ## Inputs
 * A malformed line is a `LobsterFormatError` naming the file and line; a truncated or
 * corrupt `.gz` file a `FileError` naming the file and the line where its text stops; the
 * readers' options (`{file}`, `{levels}` in [1, 1000]) reject unknown keys with a suggestion.
 *
 * The samples live in `data/lobster/` (LOBSTER's free sample data, lobsterdata.com; test data
 * only). `deno task replay` replays them.
 *
 * @example
 * ```ts
 * import { parseMessages, parseOrderbook, replay } from "./mod.ts";
 * const enc = (s: string) => new TextEncoder().encode(s);
 * // Row 0 (after message 0) seeds the book: 130 bid at $10.00, of which order 5 has 30.
 * // Message 1 deletes order 5; the replay never saw it rest, so it is synthetic quantity.
 * const messages = parseMessages(enc("1.0,1,5,30,100000,1\n2.0,3,5,30,100000,1\n"));
 * const orderbook = parseOrderbook(enc("100100,10,100000,130\n100100,10,100000,100\n"));
 * const r = replay({ messages, orderbook });
 * if (r.matched !== r.rows || r.firstMismatch !== null) throw new Error("exact replay expected");
 * ```
 * @module
 */
export * from "./reader.ts";
export * from "./replay.ts";
export * from "./profile.ts";
export * from "./flow.ts";
