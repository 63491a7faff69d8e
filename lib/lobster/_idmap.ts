/**
 * A map from LOBSTER order ids to engine ids in two typed arrays (open addressing, linear
 * probing, backward-shift deletion), private to `lib/lobster/`: the replay looks an id up for
 * nearly every message, and this is about twice as fast as a `Map` of the same size.
 *
 * @module
 */

const EMPTY = -Infinity; // no LOBSTER id is -Infinity (the reader parses finite numbers)

/** Order id → engine id. `get` returns -1 for an absent key. */
export class IdMap {
  private keys: Float64Array;
  private vals: Float64Array;
  private mask: number;
  /** Number of entries. */
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < 2 * capacity) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Float64Array(cap);
    this.mask = cap - 1;
  }

  private slot(k: number): number {
    const lo = k | 0, hi = (k / 4294967296) | 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 7 & this.mask;
  }

  /** The value of `k`, or -1. */
  get(k: number): number {
    const keys = this.keys, mask = this.mask;
    let i = this.slot(k);
    for (;;) {
      const x = keys[i];
      if (x === k) return this.vals[i];
      if (x === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Sets `k` to `v`. */
  set(k: number, v: number): void {
    const keys = this.keys, mask = this.mask;
    let i = this.slot(k);
    for (;;) {
      const x = keys[i];
      if (x === k) {
        this.vals[i] = v;
        return;
      }
      if (x === EMPTY) break;
      i = (i + 1) & mask;
    }
    keys[i] = k;
    this.vals[i] = v;
    if (++this.size * 2 > keys.length) this.rehash(keys.length * 2);
  }

  /** Removes `k`; returns whether it was there. */
  delete(k: number): boolean {
    const keys = this.keys, vals = this.vals, mask = this.mask;
    let i = this.slot(k);
    for (;;) {
      const x = keys[i];
      if (x === EMPTY) return false;
      if (x === k) break;
      i = (i + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const x = keys[j];
      if (x === EMPTY) break;
      const home = this.slot(x);
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        keys[i] = x;
        vals[i] = vals[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.size--;
    return true;
  }

  /** Calls `fn(key, value)` for every entry (in no particular order). */
  forEach(fn: (key: number, value: number) => void): void {
    const keys = this.keys, vals = this.vals;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) fn(keys[i], vals[i]);
  }

  /** Keeps only the entries for which `keep(key, value)` holds. */
  filter(keep: (key: number, value: number) => boolean): void {
    const keys = this.keys, vals = this.vals;
    const n = this.size;
    const k2 = new Float64Array(n), v2 = new Float64Array(n);
    let c = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== EMPTY && keep(keys[i], vals[i])) {
        k2[c] = keys[i];
        v2[c++] = vals[i];
      }
    }
    keys.fill(EMPTY);
    this.size = 0;
    for (let i = 0; i < c; i++) this.set(k2[i], v2[i]);
  }

  private rehash(cap: number) {
    const keys = this.keys, vals = this.vals;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Float64Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i], vals[i]);
  }
}
