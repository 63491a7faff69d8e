/**
 * What the order-book environment (`market_making_env.ts`) and the Avellaneda–Stoikov environment
 * (`as_env.ts`) share in their implementation (private to `lib/env/`; `quoting.ts` holds what
 * they share in their interface): the validation of their common configuration fields, the
 * latency queue of instructions, and the bookkeeping that opens and closes a step (the `info`
 * record, reward terms, risk limits, end flags).
 *
 * @module
 */
import { checkInt, checkNum, checkOneOf, ConfigError } from "../errors.ts";
import type { QuotingResetResult, QuotingStepResult, StepInfo } from "./quoting.ts";
import { type RewardConfig, rewardTerms } from "./reward.ts";
import type { MarketMakingConfig } from "./market_making_env.ts";

/** Largest seed magnitude: a seed is a safe integer. */
const SEED_MAX = 2 ** 53 - 1;

/** The configuration fields both environments have, with the same bounds. */
export type CommonConfig = Pick<
  MarketMakingConfig,
  | "latency"
  | "quoteSize"
  | "maxInventory"
  | "inventoryLimit"
  | "maxLoss"
  | "makerRebate"
  | "takerFee"
  | "reward"
  | "copyObs"
  | "seed"
>;

/**
 * Throws `ConfigError` unless `options` is a plain object whose keys are all in `keys`; `name` is
 * the configuration type named in the messages (`"MarketMakingConfig"`).
 */
export function checkConfigKeys(
  options: unknown,
  config: { readonly name: string; readonly keys: readonly string[] },
): void {
  const { name, keys } = config;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ConfigError("config", `an object of ${name} fields`, options);
  }
  const article = /^[AEIOU]/.test(name) ? "an" : "a";
  for (const k of Object.keys(options)) {
    if (!keys.includes(k)) {
      throw new ConfigError(k, `${article} ${name} field (${keys.join(", ")})`, k);
    }
  }
}

/** Validates the trading fields of {@linkcode CommonConfig}, `latency` to `takerFee`, in order. */
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

/** Validates `copyObs` and `seed`, in that order. */
export function checkCopyObsAndSeed(c: CommonConfig): void {
  if (typeof c.copyObs !== "boolean") throw new ConfigError("copyObs", "true or false", c.copyObs);
  checkSeed(c.seed);
}

/** Throws `ConfigError` unless `seed` is a safe integer. */
export function checkSeed(seed: unknown): void {
  checkInt("seed", seed, -SEED_MAX, SEED_MAX);
}

/** Instruction kinds in the latency queue. */
export const I_NONE = 0;
/** See {@linkcode I_NONE}. */
export const I_QUOTE = 1;
/** See {@linkcode I_NONE}. */
export const I_CANCEL = 2;
/** See {@linkcode I_NONE}. */
export const I_FLATTEN = 3;

/**
 * The instructions on their way to the market: the one given at step `t` arrives at step
 * `t + latency`. A ring of `latency + 1` slots in typed arrays; allocation-free.
 */
export class InstructionQueue {
  /** Bid price of the quote instruction last taken. */
  bid = 0;
  /** Ask price of the quote instruction last taken. */
  ask = 0;
  private readonly latency: number;
  private readonly kinds: Uint8Array;
  private readonly bids: Float64Array;
  private readonly asks: Float64Array;

  constructor(latency: number) {
    this.latency = latency;
    this.kinds = new Uint8Array(latency + 1);
    this.bids = new Float64Array(latency + 1);
    this.asks = new Float64Array(latency + 1);
  }

  /** Empties the queue. */
  clear(): void {
    this.kinds.fill(I_NONE);
  }

  /** Queues a quote at `bid`/`ask` given at step `t`. */
  quote(t: number, bid: number, ask: number): void {
    const w = (t + this.latency) % (this.latency + 1);
    this.kinds[w] = I_QUOTE;
    this.bids[w] = bid;
    this.asks[w] = ask;
  }

  /** Queues a cancel or flatten instruction given at step `t`. */
  other(t: number, kind: typeof I_CANCEL | typeof I_FLATTEN): void {
    this.kinds[(t + this.latency) % (this.latency + 1)] = kind;
  }

  /**
   * Takes the instruction arriving at step `t` and returns its kind (`I_NONE` if none); a quote's
   * prices are then in `bid` and `ask`.
   */
  take(t: number): number {
    const slot = t % (this.latency + 1);
    const kind = this.kinds[slot];
    this.kinds[slot] = I_NONE;
    this.bid = this.bids[slot];
    this.ask = this.asks[slot];
    return kind;
  }
}

/** The result objects `reset` and `step` return every time: on `obs` and `info`. */
export function createResults(
  obs: Float64Array,
  info: StepInfo,
): { result: QuotingStepResult; resetResult: QuotingResetResult } {
  return {
    result: { obs, reward: 0, terminated: false, truncated: false, info },
    resetResult: { obs, info },
  };
}

/** Zeroes the per-episode fields of `info` at reset (the state fields are set by `observe`). */
export function resetInfo(info: StepInfo): void {
  info.step = 0;
  info.fees = 0;
  info.passiveFills = info.passiveQty = info.takerQty = 0;
  info.rewardPnl =
    info.rewardInventory =
    info.rewardDampening =
    info.rewardSpreadCapture =
      0;
  info.stop = "";
}

/**
 * The error `step` throws when no episode is running: before the first `reset` (`seeded` false)
 * or after the end of one.
 */
export function notRunningError(seeded: boolean): Error {
  return new Error(
    seeded
      ? "step: the episode has ended (terminated or truncated); call reset() first"
      : "step: call reset() before the first step",
  );
}

/** The limits {@linkcode endStep} applies. */
export interface StepLimits {
  /** Reward weights. */
  readonly reward: RewardConfig;
  /** `inventoryLimit === "clip"`: the inventory limit never terminates. */
  readonly clip: boolean;
  /** Inventory limit, units. */
  readonly maxInventory: number;
  /** PnL at or below `−maxLoss` terminates. */
  readonly maxLoss: number;
  /** Steps per episode (truncation). */
  readonly episodeLength: number;
}

/**
 * One step's outcome as {@linkcode endStep} reads it, with the limits that apply. The environment
 * owns one ({@linkcode createStepOutcome}) and overwrites its numbers every step.
 */
export interface StepOutcome extends StepLimits {
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
  /** Steps taken, this one included. */
  t: number;
}

/** A {@linkcode StepOutcome} with the limits of `c` and `episodeLength`, its numbers 0. */
export function createStepOutcome(c: CommonConfig, episodeLength: number): StepOutcome {
  return {
    reward: c.reward,
    clip: c.inventoryLimit === "clip",
    maxInventory: c.maxInventory,
    maxLoss: c.maxLoss,
    episodeLength,
    dWealth: 0,
    q: 0,
    dMid: 0,
    capture: 0,
    pnl: 0,
    t: 0,
  };
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
