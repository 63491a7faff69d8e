/**
 * The matching check of the LOBSTER replay (private to `lib/lobster/`; see `replay.ts`'s module
 * doc): each run of type-4 executions is submitted to the engine as one rebuilt aggressive order,
 * and the engine's fills are checked against the executions the messages list.
 *
 * @module
 */
import { BID, NONE, type Side } from "../book/mod.ts";
import { EXECUTE, HIDDEN } from "./reader.ts";
import {
  AGGRESSOR_OWNER,
  better,
  grow,
  type LevelReplay,
  PRICE_PER_TICK,
  SYNTH_OWNER,
} from "./_levels.ts";
import type { FillEntry, MatchingReport } from "./replay_types.ts";

const MAX_MISMATCHES = 100;

/** Fills grouped by resting order: key (engine id), tick, quantity. */
class FillGroups {
  key = new Float64Array(64);
  tick = new Int32Array(64);
  qty = new Float64Array(64);
  n = 0;

  /** Adds a fill; consecutive fills of one known order merge. */
  push(key: number, tick: number, qty: number) {
    const k = this.n;
    if (k > 0 && this.key[k - 1] === key && this.tick[k - 1] === tick && key !== NONE) {
      this.qty[k - 1] += qty;
      return;
    }
    if (k === this.key.length) {
      this.key = grow(this.key, new Float64Array(2 * k));
      this.tick = grow(this.tick, new Int32Array(2 * k));
      this.qty = grow(this.qty, new Float64Array(2 * k));
    }
    this.key[k] = key;
    this.tick[k] = tick;
    this.qty[k] = qty;
    this.n = k + 1;
  }

  /** Whether both lists are equal, every entry naming a known order. */
  sameAs(o: FillGroups): boolean {
    if (this.n !== o.n) return false;
    for (let k = 0; k < this.n; k++) {
      if (
        this.key[k] === NONE || this.key[k] !== o.key[k] || this.tick[k] !== o.tick[k] ||
        this.qty[k] !== o.qty[k]
      ) return false;
    }
    return true;
  }
}

/** The orders of one side an aggressor may touch, copied in priority order (to undo it). */
class LevelsCopy {
  n = 0;
  id = new Float64Array(64);
  qty = new Float64Array(64);
  owner = new Int32Array(64);
  tick = new Int32Array(64);
  private at = 0;

  /** Copies the orders of `side` from its best price to `worst`, in priority order. */
  take(lr: LevelReplay, side: Side, worst: number) {
    const book = lr.book;
    this.n = 0;
    const best = book.best(side);
    if (best === NONE) return;
    const step = side === BID ? -1 : 1;
    for (let p = best; side === BID ? p >= worst : p <= worst; p += step) {
      if (book.ordersAt(side, p) === 0) continue;
      this.at = p;
      book.forEachAt(side, p, this.visit);
    }
  }

  private readonly visit = (id: number, owner: number, qty: number) => {
    const k = this.n;
    if (k === this.id.length) {
      this.id = grow(this.id, new Float64Array(2 * k));
      this.qty = grow(this.qty, new Float64Array(2 * k));
      this.owner = grow(this.owner, new Int32Array(2 * k));
      this.tick = grow(this.tick, new Int32Array(2 * k));
    }
    this.id[k] = id;
    this.qty[k] = qty;
    this.owner[k] = owner;
    this.tick[k] = this.at;
    this.n = k + 1;
  };
}

/** The matching check, driving the level replay's executions (see the module doc). */
export class MatchingCheck {
  readonly report: MatchingReport = {
    runs: 0,
    matched: 0,
    multiFill: 0,
    multiLevel: 0,
    executions: 0,
    byId: 0,
    bySize: 0,
    hiddenInRuns: 0,
    engine: 0,
    state: 0,
    notFifo: 0,
    mismatches: [],
  };
  private runEnd = -1;
  private readonly expected = new FillGroups();
  private readonly got = new FillGroups();
  private readonly copy = new LevelsCopy();

  constructor(private readonly lr: LevelReplay) {}

  /** A type-4 message: the first of a run submits the run's aggressor; the others are done. */
  execute(i: number) {
    if (i > this.runEnd) this.startRun(i);
    const pd = this.lr.pending;
    while (pd.pos < pd.end && pd.msg[pd.pos] <= i) pd.pos++;
  }

  /** Runs the aggressor rebuilt from the run of executions starting at message `i`. */
  private startRun(i: number) {
    const lr = this.lr, m = lr.m, book = lr.book;
    const t = m.timeNs[i];
    const dir = m.direction[i];
    let end = i;
    let hidden = 0;
    for (let j = i + 1; j < m.count && m.timeNs[j] === t; j++) {
      if (m.type[j] === EXECUTE && m.direction[j] === dir) end = j;
      else if (m.type[j] === HIDDEN) hidden++;
      else break;
    }
    const side = lr.sideOf(i);
    // Levels that the run's rows reveal from beyond the window: set them first (no execution
    // before a level is revealed can touch it).
    for (let row = i; row <= end; row++) lr.reveal(row, side);

    // Expected fills, grouped by resting order; and the pending executions.
    const g = this.expected, pd = lr.pending;
    g.n = 0;
    pd.start(side);
    let sum = 0;
    let worst = side === BID ? Infinity : -Infinity;
    let byId = 0;
    let count = 0;
    for (let j = i; j <= end; j++) {
      if (m.type[j] !== EXECUTE) continue;
      const tick = m.price[j] / PRICE_PER_TICK;
      const size = m.size[j];
      const e = lr.ids.get(m.orderId[j]);
      let key: number;
      if (e !== NONE && book.isLive(e)) {
        key = e;
        byId++;
      } else {
        const s = lr.synth[lr.lvl(side, tick)];
        key = s !== NONE && book.isLive(s) ? s : NONE;
      }
      g.push(key, tick, size);
      pd.push(j, tick, size, key);
      sum += size;
      if (better(side, worst, tick)) worst = tick;
      count++;
    }
    this.runEnd = end;
    const mr = this.report;
    mr.runs++;
    mr.executions += count;
    mr.byId += byId;
    mr.bySize += count - byId;
    mr.hiddenInRuns += hidden;
    if (count > 1) mr.multiFill++;

    // The aggressor, and the engine's fills grouped the same way. The levels it may touch are
    // copied first, so that a mismatch can be undone.
    this.copy.take(lr, side, worst);
    book.ioc((1 - side) as Side, worst, sum, AGGRESSOR_OWNER);
    const f = book.fills;
    this.got.n = 0;
    for (let k = 0; k < f.count; k++) this.got.push(f.makerId[k], f.price[k], f.qty[k]);
    if (g.tick[0] !== worst) mr.multiLevel++;
    if (book.lastFilled === sum && g.sameAs(this.got)) {
      mr.matched++;
      return;
    }
    this.mismatch(i, end, side, worst, sum);
  }

  /** Reports a run that did not match, then undoes the aggressor and applies the executions. */
  private mismatch(i: number, end: number, side: Side, worst: number, sum: number) {
    const mr = this.report, lr = this.lr;
    // Engine id -> LOBSTER id, once per mismatch (every id maps to one LOBSTER id).
    const lobsterOf = new Map<number, number>();
    lr.ids.forEach((lob, e) => lobsterOf.set(e, lob));
    const breach = this.priorityBreach(lobsterOf);
    const kind = breach === null ? "engine" : breach.kind;
    mr[kind]++;
    if (mr.mismatches.length < MAX_MISMATCHES) {
      mr.mismatches.push({
        message: lr.info(i),
        aggressor: {
          side: side === BID ? "sell" : "buy",
          price: worst * PRICE_PER_TICK,
          size: sum,
        },
        expected: this.expectedEntries(),
        got: this.engineEntries(lobsterOf),
        kind,
        why: breach?.why ?? "the messages list follows price-time priority; the engine did not",
      });
    }
    // Undo the aggressor and apply the executions one by one, as the messages list them.
    this.restore(side, lobsterOf);
    for (let j = i; j <= end; j++) if (lr.m.type[j] === EXECUTE) lr.remove(j);
  }

  /** Puts the copied levels back, in the same queue order (engine ids change). */
  private restore(side: Side, lobsterOf: ReadonlyMap<number, number>) {
    const lr = this.lr, book = lr.book, c = this.copy;
    for (let k = 0; k < c.n; k++) {
      const p = c.tick[k];
      if (k > 0 && c.tick[k - 1] === p) continue;
      lr.clearLevel(side, p);
      lr.synth[lr.lvl(side, p)] = NONE;
    }
    for (let k = 0; k < c.n; k++) {
      const p = c.tick[k];
      const owner = c.owner[k];
      const id = book.limit(side, p, c.qty[k], owner);
      if (owner === SYNTH_OWNER) lr.synth[lr.lvl(side, p)] = id;
      const lob = lobsterOf.get(c.id[k]);
      if (lob !== undefined) lr.ids.set(lob, id);
    }
  }

  /**
   * Whether the run's executions, in the order the messages list them, break price-time priority
   * over the queues copied before the aggressor (`"notFifo"`: then no price-time engine could
   * match them), or name quantity those queues do not hold (`"state"`). Returns what breaks it,
   * or `null` if the list is consistent with price-time priority over the replayed queues.
   */
  private priorityBreach(
    lobsterOf: ReadonlyMap<number, number>,
  ): { kind: "notFifo" | "state"; why: string } | null {
    const c = this.copy, pd = this.lr.pending;
    const rem = c.qty.slice(0, c.n);
    for (let j = 0; j < pd.end; j++) {
      const key = pd.key[j];
      const msg = pd.msg[j];
      const lob = this.lr.m.orderId[msg];
      let at = NONE;
      for (let k = 0; k < c.n; k++) if (c.id[k] === key) at = k;
      if (key === NONE || at === NONE) {
        return {
          kind: "state",
          why: `message ${msg} executes order ${lob}; the replay has no quantity for it there`,
        };
      }
      for (let k = 0; k < at; k++) {
        if (rem[k] === 0) continue;
        const same = c.tick[k] === c.tick[at];
        const ahead = c.owner[k] === SYNTH_OWNER
          ? `${rem[k]} shares of unidentified quantity (pre-window or rested out of view${
            same ? "; older than any known order at that price" : ""
          })`
          : `${rem[k]} shares of order ${lobsterOf.get(c.id[k]) ?? null}${
            same ? " (submitted earlier)" : ""
          }`;
        return {
          kind: "notFifo",
          why: `message ${msg} executes order ${lob} at ${
            c.tick[at] * PRICE_PER_TICK
          } while ${ahead} rest ahead of it at ${c.tick[k] * PRICE_PER_TICK}`,
        };
      }
      if (pd.qty[j] > rem[at]) {
        return {
          kind: "state",
          why: `message ${msg} executes ${pd.qty[j]} of order ${lob}, which has ${rem[at]}`,
        };
      }
      rem[at] -= pd.qty[j];
    }
    return null;
  }

  /** The run's executions as report entries (LOBSTER id `null` where the order is unknown). */
  private expectedEntries(): FillEntry[] {
    const lr = this.lr, pd = lr.pending;
    const out: FillEntry[] = [];
    for (let j = 0; j < pd.end; j++) {
      const key = pd.key[j];
      const known = key !== NONE && lr.synth[lr.lvl(pd.side, pd.tick[j])] !== key;
      out.push({
        orderId: known ? lr.m.orderId[pd.msg[j]] : null,
        price: pd.tick[j] * PRICE_PER_TICK,
        size: pd.qty[j],
      });
    }
    return out;
  }

  /** The engine's last fills as report entries (LOBSTER id `null` for synthetic orders). */
  private engineEntries(lobsterOf: ReadonlyMap<number, number>): FillEntry[] {
    const f = this.lr.book.fills;
    const out: FillEntry[] = [];
    for (let k = 0; k < f.count; k++) {
      out.push({
        orderId: f.makerOwner[k] === SYNTH_OWNER ? null : lobsterOf.get(f.makerId[k]) ?? null,
        price: f.price[k] * PRICE_PER_TICK,
        size: f.qty[k],
      });
    }
    return out;
  }
}
