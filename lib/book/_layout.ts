/**
 * Constants of the book's storage (private to `lib/book/`; tests import them to reach a slot's
 * generation without 2^29 operations).
 *
 * **Levels** live in one `Int32Array`, `1 << LSHIFT` integers per (side, tick): the head and
 * tail slot of the level's FIFO queue and its number of orders, which are read together.
 *
 * **Order ids** are `generation · 2^24 + slot`. A slot's generation is bumped each time the slot
 * is handed out again (and by `clear()`), so an old id never names a new order. The book keeps
 * `2 · generation + 1` while the slot holds a live order, `2 · generation` while it is free, so
 * that one read tells both (`book.ts`). Generations have
 * 29 bits, so ids stay below 2^53 (exact doubles). A slot whose generation reaches
 * {@linkcode GEN_MAX} is **retired** instead of wrapping to 0: it is never handed out again, so
 * no id can come back to life. That costs one of the 2^24 slots per 2^29 reuses of one slot
 * (`OrderBook.retired` counts them).
 *
 * @module
 */

/** Int32 fields per level, as a shift: level `l` starts at `l << LSHIFT`. */
export const LSHIFT = 2;
/** First slot of the level's queue, or -1. */
export const L_HEAD = 0;
/** Last slot of the level's queue, or -1. */
export const L_TAIL = 1;
/** Number of orders at the level. */
export const L_COUNT = 2;

/** Bits of the slot in an id. */
export const SLOT_BITS = 24;
/** Number of order slots: at most this many live orders (retired slots included). */
export const SLOT_SPACE = 1 << SLOT_BITS;
/** The slot bits of an id. */
export const SLOT_MASK = SLOT_SPACE - 1;
/** Largest generation; a slot that would go past it is retired. */
export const GEN_MAX = (1 << 29) - 1;
/** Generation mark of a retired slot (even: never live). */
export const RETIRED = -2;

/** The id of the order in `slot`, from the slot's generation word (`2 · generation + live`). */
export function orderId(word: number, slot: number): number {
  return (word >> 1) * SLOT_SPACE + slot;
}
