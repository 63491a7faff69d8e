/**
 * Baseline (non-learning) maker policies, as plain objects made by factories, and
 * `createPolicy`, which builds the policy a config names. They use only actions that exist in
 * both action sets (`up`, `down`, `qty_up`, `qty_down`, `keep_qty`, `replenish`), looked up by
 * name, so they run with either.
 *
 * @module
 */
import { BID, NONE } from "../book/mod.ts";
import { checkOneOf, ConfigError, numbers, renamePath } from "../errors.ts";
import { checkKeys, checkObject, checkPositive, optInt } from "../_validate.ts";
import {
  type FollowerOptions,
  type MakerContext,
  type MakerPolicy,
  type MakerPolicySpec,
  POLICY_KINDS,
  type RandomOptions,
  type ReplenisherOptions,
} from "./types.ts";

/** Action indices the baselines use, looked up once. */
function ids(ctx: MakerContext) {
  const a = ctx.actions;
  return {
    up: a.index("up"),
    down: a.index("down"),
    qtyUp: a.index("qty_up"),
    qtyDown: a.index("qty_down"),
    keep: a.index("keep_qty"),
    replenish: a.index("replenish"),
  };
}

/**
 * The quantity move toward `want`: `qty_up` while the target is below it by more than half an
 * increment, `qty_down` while above it by more than half an increment, otherwise `replenish` if
 * fills depleted the bid, else `keep_qty`.
 */
function qtyStep(
  a: ReturnType<typeof ids>,
  view: { target: number; qty: number },
  want: number,
  inc: number,
): number {
  if (view.target + inc / 2 < want) return a.qtyUp;
  if (view.target - inc / 2 > want) return a.qtyDown;
  return view.qty < view.target ? a.replenish : a.keep;
}

/**
 * **Fixed-price replenisher**: holds its bid at `P0 − offset` (it starts there and walks back one
 * tick per step if moved), keeps its target at `qty`, and after every fill replenishes to the
 * target at once (losing the queue position of the resting part, see `replenish`).
 *
 * @example
 * ```ts
 * import { actionSet } from "./actions.ts";
 * import { replenisher } from "./policies.ts";
 * const actions = actionSet("spec");
 * const rules = { startOffset: 1, startQty: 200, increment: 100, maxQty: 2000, minOffset: 0, maxOffset: 10 };
 * const p = replenisher({ offset: 2 }, { index: 0, makers: 1, owner: 3, rng: () => 0, actions, rules, p0: 100, steps: 60, sizeVisible: true });
 * const view = { price: 98, qty: 150, target: 200 } as Parameters<typeof p.act>[0];
 * if (actions.names[p.act(view)] !== "replenish") throw new Error("refills after a fill");
 * ```
 */
export function replenisher(
  options: ReplenisherOptions,
  ctx: MakerContext,
  field = "policy",
): MakerPolicy {
  const o = checkObject(field, options);
  checkKeys(field, o, ["kind", "offset", "qty"]);
  const r = ctx.rules;
  const offset = optInt(`${field}.offset`, o.offset, r.startOffset, r.minOffset, r.maxOffset);
  const qty = optInt(`${field}.qty`, o.qty, r.startQty, 0, r.maxQty);
  const a = ids(ctx);
  const price = ctx.p0 - offset;
  const policy: MakerPolicy = {
    name: "replenisher",
    start: { offset, qty },
    act(view) {
      if (view.price < price) return a.up;
      if (view.price > price) return a.down;
      return qtyStep(a, view, qty, r.increment);
    },
  };
  return policy;
}

/**
 * **Dynamic follower**: keeps its bid `offset` ticks below the best *competing* bid (the best bid
 * of everyone else: if it is alone at the top, the next level down), moving one tick per step,
 * and adapts its target to the flow: `want = share × f`, where `f` is an exponential average of
 * the traded volume per step (weight `alpha` on the last step, starting at `target / share`),
 * rounded to increments and kept in `[minQty, maxQty]`. When price and quantity are where it
 * wants them, it replenishes after fills.
 */
export function follower(
  options: FollowerOptions,
  ctx: MakerContext,
  field = "policy",
): MakerPolicy {
  const o = checkObject(field, options);
  checkKeys(field, o, ["kind", "offset", "share", "alpha", "minQty"]);
  const r = ctx.rules;
  const offset = optInt(`${field}.offset`, o.offset, 0, 0, r.maxOffset);
  const share = checkPositive(`${field}.share`, o.share, 0.5, 1e6);
  const alpha = checkPositive(`${field}.alpha`, o.alpha, 0.3, 1);
  const minQty = optInt(`${field}.minQty`, o.minQty, Math.min(r.increment, r.maxQty), 0, r.maxQty);
  const a = ids(ctx);
  const lo = ctx.p0 - r.maxOffset, hi = ctx.p0 - r.minOffset;
  const prices = new Int32Array(2), qtys = new Float64Array(2);
  // The flow estimate in a typed array, not a closure variable: a double in a closure is a new
  // heap number at every write (the 2-maker game allocated 80 B per step with it, 65 without).
  const st = new Float64Array([NaN]);
  const policy: MakerPolicy = {
    name: "follower",
    reset() {
      st[0] = NaN;
    },
    act(view) {
      let flow = st[0];
      if (Number.isNaN(flow)) flow = view.target / share;
      else flow += alpha * (view.lastVolume - flow);
      st[0] = flow;
      // Best competing bid.
      let best = view.bestBid;
      if (
        best !== NONE && best === view.price && view.qty > 0 &&
        view.book.depthAt(BID, best) === view.qty
      ) {
        // Alone at the top: the others' best is the next level down.
        best = view.book.levels(BID, 2, prices, qtys) > 1 ? prices[1] : NONE;
      }
      if (best !== NONE) {
        let want = best - offset;
        if (want < lo) want = lo;
        if (want > hi) want = hi;
        if (view.price < want) return a.up;
        if (view.price > want) return a.down;
      }
      let want = Math.round((share * flow) / r.increment) * r.increment;
      if (want < minQty) want = minQty;
      if (want > r.maxQty) want = r.maxQty;
      return qtyStep(a, view, want, r.increment);
    },
  };
  return policy;
}

/** **Random**: draws an action from its own stream, uniformly or with relative `weights`. */
export function randomPolicy(
  options: RandomOptions,
  ctx: MakerContext,
  field = "policy",
): MakerPolicy {
  const o = checkObject(field, options);
  checkKeys(field, o, ["kind", "weights"]);
  const n = ctx.actions.n;
  const cum = new Float64Array(n);
  if (o.weights === undefined) { for (let i = 0; i < n; i++) cum[i] = (i + 1) / n; }
  else {
    const w = o.weights;
    const allowed = `an array of ${n} non-negative numbers with a positive sum`;
    if (!Array.isArray(w) || w.length !== n) throw new ConfigError(`${field}.weights`, allowed, w);
    numbers({ lo: 0 }).check(w, `${field}.weights`); // names the bad entry
    if (!(w.reduce((s, x) => s + x, 0) > 0)) throw new ConfigError(`${field}.weights`, allowed, w);
    const total = w.reduce((s, x) => s + x, 0);
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += w[i] / total;
  }
  const rng = ctx.rng;
  const policy: MakerPolicy = {
    name: "random",
    act() {
      const u = rng();
      for (let i = 0; i < n - 1; i++) if (u < cum[i]) return i;
      return n - 1;
    },
  };
  return policy;
}

/**
 * Builds the policy a spec names (errors name the field, e.g. `policy[1].offset`).
 *
 * @example
 * ```ts
 * import { actionSet } from "./actions.ts";
 * import { createPolicy } from "./policies.ts";
 * const rules = { startOffset: 1, startQty: 200, increment: 100, maxQty: 2000, minOffset: 0, maxOffset: 10 };
 * const ctx = { index: 0, makers: 1, owner: 3, rng: () => 0.5, actions: actionSet("spec"), rules, p0: 100, steps: 60, sizeVisible: true };
 * if (createPolicy({ kind: "follower" }, ctx).name !== "follower") throw new Error();
 * ```
 */
export function createPolicy(
  spec: MakerPolicySpec,
  ctx: MakerContext,
  field = "policy",
): MakerPolicy {
  const o = checkObject(field, spec);
  const kind = checkOneOf(`${field}.kind`, o.kind, POLICY_KINDS);
  switch (kind) {
    case "replenisher":
      return replenisher(o as ReplenisherOptions, ctx, field);
    case "follower":
      return follower(o as FollowerOptions, ctx, field);
    case "random":
      return randomPolicy(o as RandomOptions, ctx, field);
    case "custom": {
      checkKeys(field, o, ["kind", "create"]);
      if (typeof o.create !== "function") {
        throw new ConfigError(`${field}.create`, "a function (ctx) => MakerPolicy", o.create);
      }
      // A policy names its options `policy` (it cannot know its place in the config).
      const p = renamePath(
        "policy",
        field,
        () => (o.create as (c: MakerContext) => MakerPolicy)(ctx),
      );
      if (typeof p !== "object" || p === null || typeof p.act !== "function") {
        throw new ConfigError(`${field}.create`, "a function returning a MakerPolicy", p);
      }
      return p;
    }
    default: {
      const never: never = kind;
      throw new ConfigError(`${field}.kind`, POLICY_KINDS.join(", "), never);
    }
  }
}
