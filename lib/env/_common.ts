/**
 * What the order-book environment (`market_making_env.ts`) and the Avellaneda–Stoikov environment
 * (`as_env.ts`) share in their implementation (private to `lib/env/`; `quoting.ts` holds what
 * they share in their interface): the checks of their common configuration fields, the latency
 * queue, and the bookkeeping that opens and closes a step (`info`, reward, risk limits, flags).
 *
 * @module
 */
import {
  checkInt,
  checkIntSeed,
  checkKeys,
  checkNum,
  checkObject,
  checkOneOf,
  ConfigError,
} from "../errors.ts";
import type { QuotingResetResult, QuotingStepResult, StepInfo } from "./quoting.ts";
import { type RewardConfig, rewardTerms } from "./reward.ts";
import type { MarketMakingConfig } from "./market_making_env.ts";
import type { AsEnvConfig } from "./as_env.ts";

/** The configuration fields both environments have. */
export type CommonConfig = Pick<MarketMakingConfig, keyof AsEnvConfig & keyof MarketMakingConfig>;

/**
 * Throws `ConfigError` unless `options` is a plain object whose keys are all in `keys`; `name` is
 * the configuration type named in the messages (`"MarketMakingConfig"`). An unknown key is an
 * `UnknownOptionError` with the closest known key (`"episodLength": unknown option of
 * MarketMakingConfig; did you mean "episodeLength"?`).
 */
export function checkConfigKeys(
  options: unknown,
  config: { readonly name: string; readonly keys: readonly string[]; readonly path?: string },
): void {
  const { name, keys } = config;
  const o = checkObject(config.path || "config", options, `an object of ${name} fields`);
  checkKeys(o, keys, { path: config.path, owner: name });
}

/** Checks the common fields `latency` to `takerFee`, in that order. */
export function checkTradingFields(c: CommonConfig): void {
  checkInt("latency", c.latency, 0, 1e4);
  checkInt("quoteSize", c.quoteSize, 1, 1e6);
  checkInt("maxInventory", c.maxInventory, 1, 1e6);
  checkOneOf("inventoryLimit", c.inventoryLimit, ["clip", "terminate"] as const);
  if (typeof c.maxLoss !== "number" || !(c.maxLoss > 0)) {
    throw new ConfigError("maxLoss", "a number > 0 or Infinity", c.maxLoss);
  }
  checkNum("makerRebate", c.makerRebate, -1e6, 1e6);
  checkNum("takerFee", c.takerFee, 0, 1e6);
}

/** Checks `copyObs`, then `seed`. */
export function checkCopyObsAndSeed(c: CommonConfig): void {
  if (typeof c.copyObs !== "boolean") throw new ConfigError("copyObs", "true or false", c.copyObs);
  checkSeed(c.seed);
}

/** Throws `ConfigError` unless `seed` is a safe integer (the environments' documented rule). */
export function checkSeed(seed: unknown): void {
  checkIntSeed("seed", seed);
}

/**
 * The seed of `reset(options)`, checked (`undefined` if none): `options` is absent or an object
 * whose only key is `seed`, a safe integer (`reset({sed: 1})` is an unknown option with a
 * suggestion). Allocation-free: it runs at every reset.
 */
export function resetSeed(options: unknown): number | undefined {
  if (options === undefined) return undefined;
  const o = checkObject("options", options, "absent or an object {seed?}");
  for (const k in o) if (k !== "seed") checkKeys(o, RESET_KEYS, { owner: "reset" });
  return o.seed === undefined ? undefined : checkIntSeed("seed", o.seed);
}

const RESET_KEYS = ["seed"];

/** Instruction kind in the latency queue: none. */
export const I_NONE = 0;
/** Instruction kind: quote at a bid and an ask. */
export const I_QUOTE = 1;
/** Instruction kind: cancel both quotes. */
export const I_CANCEL = 2;
/** Instruction kind: cancel both quotes and trade the inventory away. */
export const I_FLATTEN = 3;

/** Numbers per slot of the latency queue: kind, bid, ask, bid size, ask size. */
const SLOT = 5;

/**
 * The latency queue: the instruction given at step `t` arrives at step `t + latency`. A ring of
 * `latency + 1` slots (kind, bid, ask, bid size, ask size) in one typed array; allocation-free.
 */
export class InstructionQueue {
  /** Bid of the quote instruction last taken. */
  bid = 0;
  /** Ask of the quote instruction last taken. */
  ask = 0;
  /** Bid size of the quote instruction last taken. */
  bidSize = 0;
  /** Ask size of the quote instruction last taken. */
  askSize = 0;
  private readonly latency: number;
  private readonly slots: Float64Array;

  constructor(latency: number) {
    this.latency = latency;
    this.slots = new Float64Array(SLOT * (latency + 1));
  }

  /** Empties the queue. */
  clear(): void {
    for (let i = 0; i < this.slots.length; i += SLOT) this.slots[i] = I_NONE;
  }

  /** Queues a quote given at step `t`: `bid`/`ask` prices and sizes. */
  quote(t: number, q: { bid: number; ask: number; bidSize: number; askSize: number }): void {
    const i = SLOT * ((t + this.latency) % (this.latency + 1));
    const s = this.slots;
    s[i] = I_QUOTE;
    s[i + 1] = q.bid;
    s[i + 2] = q.ask;
    s[i + 3] = q.bidSize;
    s[i + 4] = q.askSize;
  }

  /** Queues a cancel or flatten instruction given at step `t`. */
  other(t: number, kind: typeof I_CANCEL | typeof I_FLATTEN): void {
    this.slots[SLOT * ((t + this.latency) % (this.latency + 1))] = kind;
  }

  /** Takes the instruction arriving at step `t`: returns its kind, and sets the prices and sizes. */
  take(t: number): number {
    const i = SLOT * (t % (this.latency + 1));
    const s = this.slots;
    const kind = s[i];
    s[i] = I_NONE;
    this.bid = s[i + 1];
    this.ask = s[i + 2];
    this.bidSize = s[i + 3];
    this.askSize = s[i + 4];
    return kind;
  }
}

/** The result objects `reset` and `step` return every time, on `obs` and `info`. */
export function createResults(
  obs: Float64Array,
  info: StepInfo,
): { result: QuotingStepResult; resetResult: QuotingResetResult } {
  return {
    result: { obs, reward: 0, terminated: false, truncated: false, info },
    resetResult: { obs, info },
  };
}

/** Zeroes the per-episode fields of `info` at reset (`observe` sets the others). */
export function resetInfo(info: StepInfo): void {
  info.step = info.fees = 0;
  info.passiveFills = info.passiveQty = info.takerQty = 0;
  info.rewardPnl = info.rewardInventory = 0;
  info.rewardDampening = info.rewardSpreadCapture = 0;
  info.rewardTarget = info.inventoryTarget = 0;
  info.bidQty = info.askQty = 0;
  info.stop = "";
}

/** What `step` throws outside an episode: before the first `reset`, or after the end. */
export function notRunningError(seeded: boolean): Error {
  return new Error(
    seeded
      ? "step: the episode has ended (terminated or truncated); call reset() first"
      : "step: call reset() before the first step",
  );
}

/**
 * A step's outcome and the limits that apply, as {@linkcode endStep} reads them. The environment
 * owns one ({@linkcode createStepOutcome}) and overwrites the numbers every step.
 */
export interface StepOutcome {
  /** Reward weights. */
  readonly reward: RewardConfig;
  /** `inventoryLimit` is `"clip"`: the inventory limit never terminates. */
  readonly clip: boolean;
  /** Inventory limit, units. */
  readonly maxInventory: number;
  /** A PnL at or below `−maxLoss` terminates. */
  readonly maxLoss: number;
  /** Steps per episode (truncation). */
  readonly episodeLength: number;
  /** Change of wealth `cash + q·mid` over the step. */
  dWealth: number;
  /** Inventory after the step. */
  q: number;
  /** Change of the mid over the step. */
  dMid: number;
  /** `Σ side·(mid before − price)·qty` over the step's passive fills. */
  capture: number;
  /** Mark-to-market PnL after the step. */
  pnl: number;
  /** The agent's inventory target for the step. */
  target: number;
  /** Steps taken, this one included. */
  t: number;
}

/** A {@linkcode StepOutcome} with the limits of `c` and `episodeLength`, its numbers 0. */
export function createStepOutcome(c: CommonConfig, episodeLength: number): StepOutcome {
  const { reward, maxInventory, maxLoss } = c;
  const clip = c.inventoryLimit === "clip";
  const zero = { dWealth: 0, q: 0, dMid: 0, capture: 0, pnl: 0, target: 0, t: 0 };
  return { reward, clip, maxInventory, maxLoss, episodeLength, ...zero };
}

/**
 * Closes a step: writes the reward terms, the stop reason and the step count into `r.info`, and
 * the reward and end flags into `r`. Returns whether the episode is over.
 */
export function endStep(o: StepOutcome, r: QuotingStepResult): boolean {
  const info = r.info;
  r.reward = rewardTerms(o.reward, o, info);
  let terminated = false;
  info.stop = "";
  if (!o.clip && Math.abs(o.q) > o.maxInventory) {
    terminated = true;
    info.stop = "inventory";
  } else if (o.pnl <= -o.maxLoss) {
    terminated = true;
    info.stop = "maxLoss";
  }
  r.terminated = terminated;
  r.truncated = o.t >= o.episodeLength;
  info.step = o.t;
  return terminated || r.truncated;
}
