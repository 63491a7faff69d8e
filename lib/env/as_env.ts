/**
 * The Avellaneda–Stoikov (2008) fill model as an environment: the second fill model, for
 * comparison with the literature. It reuses `avellaneda_stoikov.ts` (parameters, defaults,
 * `fillProbability`, step count), and shares the action space, reward terms, latency, fees and risk
 * limits of the order-book environment (`market_making_env.ts`) through `quoting.ts` (interface)
 * and `_common.ts` (implementation).
 *
 * ## One step (the paper's §4 with the project's actions)
 * 1. The action becomes an instruction priced against the current mid `s`: bid `s − bidOffset`,
 *    ask `s + askOffset` (price units, no rounding); it takes effect `latency` steps later.
 * 2. The arriving instruction sets the quotes (*quote*), removes them (*cancel*), or removes them
 *    and trades the whole inventory at the mid, paying `takerFee` per unit (*flatten*: the model
 *    has no book, so the fee stands for the cost of crossing the spread).
 * 3. With the quotes in force, the ask is lifted with probability `min(1, A·exp(−k·(ask − s))·dt)`
 *    and the bid hit with probability `min(1, A·exp(−k·(s − bid))·dt)`, independently, `quoteSize`
 *    units each (the paper: 1). A passive fill earns `makerRebate` per unit.
 * 4. The mid moves by `±σ√dt` (binomial, the paper's) or `σ√dt·N(0, 1)` (`increment: "gaussian"`).
 *
 * Episodes last `T / dt` steps (200 in the paper's setting), then are truncated. Inventory limits
 * and `maxLoss` work as in the book environment (`"clip"` does not quote a side whose fill would
 * pass `maxInventory`).
 *
 * Randomness: streams `as-env:mid`, `as-env:ask`, `as-env:bid` under the episode seed; both
 * uniforms are drawn every step, quoted or not, so that two agents see the same mid path and the
 * same uniforms (common random numbers), as in `simulateEpisode`.
 *
 * ## Observation (4 numbers, {@linkcode AS_OBS_NAMES})
 * `[q / maxInventory, pnl / pnlScale, time remaining in [0, 1], (s_t − s_{t−w}) / (σ·√(w·dt))]`
 * with `w = momentumWindow`: the momentum is in standard deviations of a `w`-step move.
 *
 * @example
 * ```ts
 * import { createAsEnv } from "./as_env.ts";
 * const env = createAsEnv();
 * env.reset({ seed: 1 });
 * let steps = 0;
 * for (;;) {
 *   const r = env.step(env.spec.actions.cancel); // stay out: no fills, no PnL
 *   steps++;
 *   if (r.truncated) break;
 * }
 * if (steps !== 200 || env.info.pnl !== 0) throw new Error();
 * ```
 * @module
 */
import { checkInt, checkNum, checkOneOf, ConfigError } from "../errors.ts";
import { BUY, createFillLog, type FillLog, SELL } from "../metrics/fills.ts";
import { normal, type Rng, stream } from "../rng.ts";
import { AS_PAPER, type AsParams, asSteps, fillProbability } from "./avellaneda_stoikov.ts";
import { RollingWindow } from "./features.ts";
import {
  type ActionTable,
  actionTable,
  checkAction,
  createStepInfo,
  type QuotingEnv,
  type QuotingResetResult,
  type QuotingSpec,
  type QuotingStepResult,
  type StepInfo,
} from "./quoting.ts";
import { checkReward, type RewardConfig } from "./reward.ts";
import type { BoxSpace, DiscreteSpace } from "./types.ts";
import type { InventoryLimitMode } from "./market_making_env.ts";
import {
  checkConfigKeys,
  checkCopyObsAndSeed,
  checkTradingFields,
  createResults,
  createStepOutcome,
  endStep,
  I_CANCEL,
  I_FLATTEN,
  I_QUOTE,
  InstructionQueue,
  notRunningError,
  resetInfo,
  resetSeed,
  type StepOutcome,
} from "./_common.ts";

/** Configuration of the Avellaneda–Stoikov environment; every field has a default. */
export interface AsEnvConfig {
  /**
   * The model (`s0, T, sigma, dt, A, k, increment`; the env does not use `gamma`). Default
   * `AS_PAPER`.
   */
  readonly model: AsParams;
  /** Steps before an instruction takes effect. Integer in [0, 10^4]. Default 0 (the paper's). */
  readonly latency: number;
  /** Units per fill. Integer in [1, 10^6]. Default 1. */
  readonly quoteSize: number;
  /**
   * Inventory limit, units. Integer in [1, 10^6]. Default 50 (the paper has none; its sd is ~3).
   */
  readonly maxInventory: number;
  /** `"clip"` or `"terminate"`, as in the book environment. Default "clip". */
  readonly inventoryLimit: InventoryLimitMode;
  /** Terminate when the PnL falls to `−maxLoss` or below; > 0 or Infinity. Default Infinity. */
  readonly maxLoss: number;
  /** Rebate per unit filled passively, price units. In [−10^6, 10^6]. Default 0 (the paper's). */
  readonly makerRebate: number;
  /** Cost per unit of a flatten trade at the mid, price units. In [0, 10^6]. Default 0.75. */
  readonly takerFee: number;
  /** Half-spreads of the quote actions, price units, each > 0. Default 0.25 to 1.5 by 0.125. */
  readonly halfSpreads: readonly number[];
  /** Skews of the quote actions, price units. Default −2 to 2 by 0.25. */
  readonly skews: readonly number[];
  /** Reward weights. Default: the PnL alone. */
  readonly reward: RewardConfig;
  /** PnL scale of the observation, price units. Number > 0. Default 10. */
  readonly pnlScale: number;
  /** Momentum look-back, steps. Integer in [1, 10^6]. Default 10. */
  readonly momentumWindow: number;
  /** Return a fresh copy of the observation on every reset/step. Default false. */
  readonly copyObs: boolean;
  /** Seed of the first reset when none is given. Integer. Default 0. */
  readonly seed: number;
}

function grid(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; lo + i * step <= hi + 1e-12; i++) out.push(lo + i * step);
  return out;
}

/** Defaults of {@linkcode AsEnvConfig}. */
export const AS_ENV_DEFAULTS: Readonly<AsEnvConfig> = Object.freeze({
  model: AS_PAPER,
  latency: 0,
  quoteSize: 1,
  maxInventory: 50,
  inventoryLimit: "clip",
  maxLoss: Infinity,
  makerRebate: 0,
  takerFee: 0.75,
  halfSpreads: grid(0.25, 1.5, 0.125),
  skews: grid(-2, 2, 0.25),
  reward: { pnl: 1, inventoryPenalty: 0, dampening: 0, spreadCapture: 0, targetTracking: 0 },
  pnlScale: 10,
  momentumWindow: 10,
  copyObs: false,
  seed: 0,
});

/** Input of {@linkcode createAsEnv}: any subset; `model` and `reward` may be partial. */
export type AsEnvOptions =
  & Partial<Omit<AsEnvConfig, "model" | "reward">>
  & { readonly model?: Partial<AsParams>; readonly reward?: Partial<RewardConfig> };

/** Names of the observation's dimensions. */
export const AS_OBS_NAMES: readonly string[] = Object.freeze([
  "inventory",
  "pnl",
  "time",
  "momentum",
]);

const KEYS = Object.keys(AS_ENV_DEFAULTS);
const MODEL_KEYS = Object.keys(AS_PAPER);

/**
 * Fills defaults and validates; throws `ConfigError` naming the field (`model.sigma`,
 * `halfSpreads[2]`, ...).
 *
 * @example
 * ```ts
 * import { checkAsEnvConfig } from "./as_env.ts";
 * const c = checkAsEnvConfig({ model: { sigma: 1 } });
 * if (c.model.sigma !== 1 || c.model.A !== 140) throw new Error();
 * ```
 */
export function checkAsEnvConfig(options: AsEnvOptions = {}): AsEnvConfig {
  checkConfigKeys(options, { name: "AsEnvConfig", keys: KEYS });
  const m = options.model ?? {};
  checkConfigKeys(m, { name: "AsParams", keys: MODEL_KEYS, path: "model" });
  const model: AsParams = { ...AS_PAPER, ...m };
  const c: AsEnvConfig = {
    ...AS_ENV_DEFAULTS,
    ...options,
    model,
    reward: checkReward(options.reward),
  };
  checkNum("model.s0", model.s0, -1e12, 1e12);
  positive("model.T", model.T);
  positive("model.dt", model.dt);
  checkNum("model.sigma", model.sigma, 0, 1e12);
  checkNum("model.A", model.A, 0, 1e12);
  positive("model.k", model.k);
  positive("model.gamma", model.gamma);
  checkOneOf("model.increment", model.increment, ["binomial", "gaussian"] as const);
  try {
    asSteps(model);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new ConfigError("model.dt", `a divisor of T = ${model.T}`, model.dt);
    }
    throw e;
  }
  checkTradingFields(c);
  checkNum("pnlScale", c.pnlScale, 1e-9, 1e12);
  checkInt("momentumWindow", c.momentumWindow, 1, 1e6);
  checkCopyObsAndSeed(c);
  actionTable({ halfSpreads: c.halfSpreads, skews: c.skews, minHalfSpread: 1e-9 });
  return c;
}

function positive(field: string, v: unknown) {
  if (typeof v !== "number" || !(v > 0 && v < Infinity)) {
    throw new ConfigError(field, "a finite number > 0", v);
  }
}

/** The Avellaneda–Stoikov environment with its resolved configuration. */
export interface AsEnv extends QuotingEnv {
  /** The resolved configuration. */
  readonly config: Readonly<AsEnvConfig>;
}

/** Creates the Avellaneda–Stoikov environment (see the module doc). */
export function createAsEnv(options: AsEnvOptions = {}): AsEnv {
  return new AsEnvImpl(checkAsEnvConfig(options));
}

class AsEnvImpl implements AsEnv {
  readonly config: Readonly<AsEnvConfig>;
  readonly spec: QuotingSpec;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  readonly info: StepInfo = createStepInfo();
  fills: FillLog;
  ordersPlaced = 0;
  quotedQty = 0;

  private readonly table: ActionTable;
  private readonly steps: number;
  private readonly dS: number;
  private readonly gaussian: boolean;
  private readonly clip: boolean;
  private readonly obs: Float64Array;
  private readonly result: QuotingStepResult;
  private readonly resetResult: QuotingResetResult;
  private readonly outcome: StepOutcome;
  private readonly queue: InstructionQueue;
  private readonly momentum: RollingWindow;
  private readonly momScale: number;
  private midRng: Rng = () => 0;
  private askRng: Rng = () => 0;
  private bidRng: Rng = () => 0;
  private seeded = false;
  private done = true;
  private t = 0;
  private s = 0;
  private q = 0;
  private cash = 0;
  private fees = 0;
  private bidOn = false;
  private askOn = false;
  private bid = 0;
  private ask = 0;
  /** The quote instruction being queued (reused: no allocation per step). */
  private readonly order = { bid: 0, ask: 0, bidSize: 0, askSize: 0 };

  constructor(c: AsEnvConfig) {
    this.config = Object.freeze(c);
    const m = c.model;
    this.table = actionTable({ halfSpreads: c.halfSpreads, skews: c.skews, minHalfSpread: 1e-9 });
    this.steps = asSteps(m);
    this.dS = m.sigma * Math.sqrt(m.dt);
    this.gaussian = m.increment === "gaussian";
    this.clip = c.inventoryLimit === "clip";
    this.spec = Object.freeze({
      kind: "as",
      actions: this.table,
      episodeLength: this.steps,
      maxInventory: c.maxInventory,
      pnlScale: c.pnlScale,
      dt: m.dt,
      sigma: m.sigma,
      tickSize: 1,
    });
    const bound = this.clip ? 1 : 1 + c.quoteSize / c.maxInventory;
    this.observationSpace = Object.freeze({
      kind: "box",
      shape: [AS_OBS_NAMES.length],
      low: new Float64Array([-bound, -Infinity, 0, -Infinity]),
      high: new Float64Array([bound, Infinity, 1, Infinity]),
      names: AS_OBS_NAMES,
    });
    this.actionSpace = Object.freeze({ kind: "discrete", n: this.table.n });
    this.obs = new Float64Array(AS_OBS_NAMES.length);
    const results = createResults(this.obs, this.info);
    this.result = results.result;
    this.resetResult = results.resetResult;
    this.outcome = createStepOutcome(c, this.steps);
    this.queue = new InstructionQueue(c.latency);
    this.momentum = new RollingWindow(c.momentumWindow);
    const sd = m.sigma * Math.sqrt(c.momentumWindow * m.dt);
    this.momScale = sd > 0 ? 1 / sd : 0;
    this.fills = createFillLog(2 * this.steps);
    this.order.bidSize = this.order.askSize = c.quoteSize;
  }

  reset(options?: { seed?: number }): QuotingResetResult {
    const seed = resetSeed(options);
    if (seed !== undefined) {
      this.seedStreams(seed);
    } else if (!this.seeded) {
      this.seedStreams(this.config.seed);
    }
    this.s = this.config.model.s0;
    this.q = this.cash = this.fees = 0;
    this.t = 0;
    this.bidOn = this.askOn = false;
    this.queue.clear();
    this.fills.n = 0;
    this.ordersPlaced = this.quotedQty = 0;
    this.momentum.clear(this.s);
    this.done = false;
    resetInfo(this.info);
    this.observe(0);
    if (this.config.copyObs) this.resetResult.obs = this.obs.slice();
    return this.resetResult;
  }

  private seedStreams(seed: number) {
    this.midRng = stream(seed, "as-env:mid");
    this.askRng = stream(seed, "as-env:ask");
    this.bidRng = stream(seed, "as-env:bid");
    this.seeded = true;
  }

  step(action: number): QuotingStepResult {
    if (this.done) throw notRunningError(this.seeded);
    checkAction(this.table.n, action);
    const c = this.config;
    const m = c.model;
    const t = this.t;
    const s = this.s;
    const wealthBefore = this.cash + this.q * s;
    const info = this.info;
    info.passiveFills = info.passiveQty = info.takerQty = 0;
    // Instruction priced now, applied after the latency.
    const tb = this.table;
    const queue = this.queue;
    if (action < tb.nQuotes) {
      const o = this.order;
      o.bid = s - tb.bidOffset[action];
      o.ask = s + tb.askOffset[action];
      queue.quote(t, o);
    } else queue.other(t, action === tb.cancel ? I_CANCEL : I_FLATTEN);
    switch (queue.take(t)) {
      case I_QUOTE: {
        // A side is quoted unless its fill would pass the limit ("clip"); a new or re-priced
        // quote counts as an order placed.
        const size = c.quoteSize;
        const bidOk = !this.clip || this.q + size <= c.maxInventory;
        const askOk = !this.clip || this.q - size >= -c.maxInventory;
        const bid = queue.bid;
        const ask = queue.ask;
        if (bidOk && (!this.bidOn || bid !== this.bid)) this.placed();
        if (askOk && (!this.askOn || ask !== this.ask)) this.placed();
        this.bid = bid;
        this.ask = ask;
        this.bidOn = bidOk;
        this.askOn = askOk;
        break;
      }
      case I_CANCEL:
        this.bidOn = this.askOn = false;
        break;
      case I_FLATTEN:
        this.bidOn = this.askOn = false;
        if (this.q !== 0) {
          const qty = Math.abs(this.q);
          this.cash += this.q * s - c.takerFee * qty;
          this.fees += c.takerFee * qty;
          this.q = 0;
          info.takerQty = qty;
        }
        break;
    }
    // Fills: both uniforms every step (common random numbers).
    const ua = this.askRng();
    const ub = this.bidRng();
    const size = c.quoteSize;
    let capture = 0;
    const canSell = !this.clip || this.q - size >= -c.maxInventory;
    const canBuy = !this.clip || this.q + size <= c.maxInventory;
    // A filled quote is gone until the next quote instruction (one unit per order, as in the
    // paper).
    if (this.askOn && canSell && ua < fillProbability(this.ask - s, m)) {
      this.askOn = false;
      this.q -= size;
      this.cash += this.ask * size + c.makerRebate * size;
      capture += (this.ask - s) * size;
      this.passive(SELL, this.ask);
    }
    if (this.bidOn && canBuy && ub < fillProbability(s - this.bid, m)) {
      this.bidOn = false;
      this.q += size;
      this.cash += -this.bid * size + c.makerRebate * size;
      capture += (s - this.bid) * size;
      this.passive(BUY, this.bid);
    }
    // Mid move.
    const um = this.gaussian ? normal(this.midRng) : this.midRng() < 0.5 ? 1 : -1;
    this.s = s + this.dS * um;
    this.t = t + 1;
    // Reward and stops.
    const o = this.outcome;
    o.dWealth = this.cash + this.q * this.s - wealthBefore;
    o.q = this.q;
    o.dMid = this.s - s;
    o.capture = capture;
    o.pnl = this.cash + this.q * this.s;
    o.t = this.t;
    const r = this.result;
    this.done = endStep(o, r);
    info.fees = this.fees;
    const mom = (this.s - this.momentum.oldest()) * this.momScale;
    this.momentum.push(this.s);
    this.observe(mom);
    if (c.copyObs) r.obs = this.obs.slice();
    return r;
  }

  private placed() {
    this.ordersPlaced++;
    this.quotedQty += this.config.quoteSize;
  }

  private passive(side: number, px: number) {
    const size = this.config.quoteSize;
    this.fees -= this.config.makerRebate * size;
    this.info.passiveFills++;
    this.info.passiveQty += size;
    const log = this.fills;
    const j = log.n++;
    log.step[j] = this.t;
    log.side[j] = side;
    log.price[j] = px;
    log.qty[j] = size;
  }

  private observe(momentum: number) {
    const c = this.config;
    const o = this.obs;
    const pnl = this.cash + this.q * this.s;
    o[0] = this.q / c.maxInventory;
    o[1] = pnl / c.pnlScale;
    o[2] = (this.steps - this.t) / this.steps;
    o[3] = momentum;
    const info = this.info;
    info.mid = this.s;
    info.inventory = this.q;
    info.cash = this.cash;
    info.pnl = pnl;
    info.bidPrice = this.bidOn ? this.bid : NaN;
    info.askPrice = this.askOn ? this.ask : NaN;
    info.bidQty = this.bidOn ? c.quoteSize : 0;
    info.askQty = this.askOn ? c.quoteSize : 0;
  }
}
