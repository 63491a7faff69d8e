/**
 * The makers' action sets. An action is an integer; its effect is three small numbers looked up
 * in typed arrays: a price move (−1, 0, +1 tick), a quantity move (−1, 0, +1 increment) and a
 * maintenance mode (hold, re-post if gone, refill to target). See `mod.ts` for the definitions,
 * their effect on queue priority and their bounds.
 *
 * @module
 */
import { checkOneOf, ConfigError } from "../errors.ts";

/** The seven actions of the spec, in index order. */
export const SPEC_ACTIONS = [
  "up",
  "down",
  "keep_price",
  "qty_up",
  "qty_down",
  "keep_qty",
  "replenish",
] as const;

/** One of {@linkcode SPEC_ACTIONS}. */
export type SpecAction = typeof SPEC_ACTIONS[number];

/** The factored actions: price move × quantity move, then replenish (10 in all). */
export const FACTORED_ACTIONS = [
  "up/up",
  "up/down",
  "up/keep",
  "down/up",
  "down/down",
  "down/keep",
  "keep/up",
  "keep/down",
  "keep/keep",
  "replenish",
] as const;

/** One of {@linkcode FACTORED_ACTIONS}. */
export type FactoredAction = typeof FACTORED_ACTIONS[number];

/** The action-set kinds. */
export const ACTION_SET_KINDS = ["spec", "factored"] as const;

/** `"spec"` (7 actions) or `"factored"` (10). */
export type ActionSetKind = typeof ACTION_SET_KINDS[number];

/** Maintenance mode: change nothing beyond the price and quantity moves. */
export const HOLD = 0;
/** Maintenance mode: if the bid is gone (fully filled or at 0), re-post the target quantity. */
export const REPOST = 1;
/** Maintenance mode: top the resting quantity up to the target. */
export const REFILL = 2;

/** The effect of one action. */
export interface ActionEffect {
  /** Price move in ticks: −1, 0 or +1. */
  price: -1 | 0 | 1;
  /** Quantity move in increments: −1, 0 or +1 (applied to both target and resting quantity). */
  qty: -1 | 0 | 1;
  /** `HOLD`, `REPOST` or `REFILL`. */
  mode: 0 | 1 | 2;
}

/** An action set: names and the effect of each action as typed-array lookups. */
export interface ActionSet {
  /** `"spec"` or `"factored"`. */
  readonly kind: ActionSetKind;
  /** Number of actions. */
  readonly n: number;
  /** Name of each action, by index. */
  readonly names: readonly string[];
  /** Price move per action. */
  readonly dPrice: Int8Array;
  /** Quantity move per action (in increments). */
  readonly dQty: Int8Array;
  /** Maintenance mode per action. */
  readonly mode: Uint8Array;
  /**
   * Index of an action by name. In the factored set the spec names with an exact equivalent are
   * aliases (`up` = `up/keep`, `qty_up` = `keep/up`, `keep_qty` = `keep/keep`, ...); `keep_price`
   * has none there. Throws `ConfigError` for an unknown name.
   */
  index(name: string): number;
}

/** The effect of a spec action (exhaustive over {@linkcode SpecAction}). */
export function specEffect(a: SpecAction): ActionEffect {
  switch (a) {
    case "up":
      return { price: 1, qty: 0, mode: HOLD };
    case "down":
      return { price: -1, qty: 0, mode: HOLD };
    case "keep_price":
      return { price: 0, qty: 0, mode: REPOST };
    case "qty_up":
      return { price: 0, qty: 1, mode: HOLD };
    case "qty_down":
      return { price: 0, qty: -1, mode: HOLD };
    case "keep_qty":
      return { price: 0, qty: 0, mode: HOLD };
    case "replenish":
      return { price: 0, qty: 0, mode: REFILL };
    default: {
      const never: never = a;
      throw new ConfigError("action", SPEC_ACTIONS.join(", "), never);
    }
  }
}

/** The effect of a factored action (exhaustive over {@linkcode FactoredAction}). */
export function factoredEffect(a: FactoredAction): ActionEffect {
  if (a === "replenish") return { price: 0, qty: 0, mode: REFILL };
  const [p, q] = a.split("/");
  const move = (m: string): -1 | 0 | 1 => (m === "up" ? 1 : m === "down" ? -1 : 0);
  return { price: move(p), qty: move(q), mode: HOLD };
}

const ALIASES: Record<string, FactoredAction> = {
  up: "up/keep",
  down: "down/keep",
  qty_up: "keep/up",
  qty_down: "keep/down",
  keep_qty: "keep/keep",
};

/**
 * The action set of a kind.
 *
 * @example
 * ```ts
 * import { actionSet } from "./actions.ts";
 * const spec = actionSet("spec");
 * if (spec.n !== 7 || spec.index("replenish") !== 6) throw new Error("seven actions");
 * const f = actionSet("factored");
 * if (f.n !== 10 || f.index("up") !== f.index("up/keep")) throw new Error("aliases");
 * ```
 */
export function actionSet(kind: ActionSetKind): ActionSet {
  checkOneOf("actions", kind, ACTION_SET_KINDS);
  const names: readonly string[] = kind === "spec" ? SPEC_ACTIONS : FACTORED_ACTIONS;
  const n = names.length;
  const dPrice = new Int8Array(n), dQty = new Int8Array(n), mode = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = kind === "spec"
      ? specEffect(names[i] as SpecAction)
      : factoredEffect(names[i] as FactoredAction);
    dPrice[i] = e.price;
    dQty[i] = e.qty;
    mode[i] = e.mode;
  }
  return {
    kind,
    n,
    names,
    dPrice,
    dQty,
    mode,
    index(name: string): number {
      let i = names.indexOf(name);
      if (i < 0 && kind === "factored" && name in ALIASES) i = names.indexOf(ALIASES[name]);
      if (i < 0) {
        throw new ConfigError("action", `one of ${names.join(", ")}`, name);
      }
      return i;
    },
  };
}
