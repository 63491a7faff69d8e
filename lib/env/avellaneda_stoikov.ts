/**
 * The Avellaneda–Stoikov (2008) market-making model and its closed-form agents.
 *
 * M. Avellaneda and S. Stoikov, "High-frequency trading in a limit order book", Quantitative
 * Finance 8(3):217–224, 2008. The mid follows an arithmetic Brownian motion `dS = σ dW`; a bid
 * at distance `δb` below the mid (an ask at `δa` above it) is hit by a market order with
 * intensity `λ(δ) = A·exp(−k·δ)`. The agent maximises the expected exponential utility (risk
 * aversion `γ`) of its wealth at `T`; the paper's approximate solution is the
 *
 * - reservation price `r = s − q·γ·σ²·(T − t)` and
 * - total spread `δa + δb = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k)`, quoted around `r`
 *   ({@linkcode inventoryStrategy}); the paper's benchmark quotes the same spread around the
 *   mid `s` instead ({@linkcode symmetricStrategy}).
 *
 * Simulation (the paper's §4, as read here): in each step of length `dt`, quotes are set from
 * `(t, s, q)`; the ask is lifted with probability `λ(δa)·dt` and the bid is hit with probability
 * `λ(δb)·dt`, independently, one unit each (probabilities are capped at 1, which matters only
 * for strongly skewed quotes); then the mid moves by `±σ√dt` with probability 1/2 each (or by
 * `σ√dt·N(0, 1)` with `increment: "gaussian"`). Profit is the final cash plus the final
 * inventory marked at the final mid, `X_T + q_T·S_T`.
 *
 * Randomness: run `i` of root seed `seed` draws from three named streams,
 * `as:i:mid`, `as:i:ask` and `as:i:bid`, so a run does not depend on how many runs are made or on
 * the strategy: both strategies see the same mid path and the same uniforms (common random
 * numbers), which sharpens the comparison between them. The step loop allocates nothing.
 *
 * @example
 * ```ts
 * import { AS_PAPER, inventoryStrategy, simulateEpisode } from "./avellaneda_stoikov.ts";
 * const a = simulateEpisode({ params: AS_PAPER, quoter: inventoryStrategy(AS_PAPER), seed: 1 });
 * const b = simulateEpisode({ params: AS_PAPER, quoter: inventoryStrategy(AS_PAPER), seed: 1 });
 * if (a.profit !== b.profit) throw new Error("same seed, same episode");
 * ```
 * @module
 */
import {
  checkInt,
  checkKeys,
  checkObject,
  checkOneOf,
  checkSeed,
  ConfigError,
  underPath,
} from "../errors.ts";
import { normal, type Rng, stream } from "../rng.ts";
import { BUY, createFillLog, type FillLog, SELL } from "../metrics/fills.ts";

/** How the mid moves in one step. */
export type AsIncrement = "binomial" | "gaussian";

/** Parameters of the model; time in the model's unit (the paper's T = 1), prices in price units. */
export interface AsParams {
  /** Initial mid price `s`. */
  readonly s0: number;
  /** Horizon `T` (the episode is `[0, T]`). */
  readonly T: number;
  /** Volatility `σ` of the mid, price units per square-root time unit. */
  readonly sigma: number;
  /** Time step `dt`; `T / dt` must be an integer (the number of steps). */
  readonly dt: number;
  /** Order-arrival intensity `A` at distance 0 (fills per time unit). */
  readonly A: number;
  /** Decay `k` of the intensity with the quote's distance from the mid (per price unit). */
  readonly k: number;
  /** Risk aversion `γ` (> 0) of the inventory strategy; also sets the spread of both strategies. */
  readonly gamma: number;
  /** Mid increment per step: `"binomial"` (±σ√dt, the paper's) or `"gaussian"` (σ√dt·N(0,1)). */
  readonly increment: AsIncrement;
}

/** The paper's simulation setting (its γ = 0.1 table). */
export const AS_PAPER: Readonly<AsParams> = Object.freeze({
  s0: 100,
  T: 1,
  sigma: 2,
  dt: 0.005,
  A: 140,
  k: 1.5,
  gamma: 0.1,
  increment: "binomial",
});

/** Inputs of {@linkcode reservationPrice}. */
export interface ReservationInputs {
  /** Mid price. */
  readonly s: number;
  /** Signed inventory (units). */
  readonly q: number;
  /** Risk aversion γ. */
  readonly gamma: number;
  /** Volatility σ. */
  readonly sigma: number;
  /** Time to the horizon, `T − t`. */
  readonly tau: number;
}

/**
 * The reservation (indifference) price `r = s − q·γ·σ²·(T − t)`.
 *
 * @example
 * ```ts
 * import { reservationPrice } from "./avellaneda_stoikov.ts";
 * // 100 − 2 · 0.1 · 4 · 0.5
 * if (reservationPrice({ s: 100, q: 2, gamma: 0.1, sigma: 2, tau: 0.5 }) !== 99.6) throw new Error();
 * ```
 */
export function reservationPrice(inputs: ReservationInputs): number {
  const { s, q, gamma, sigma, tau } = inputs;
  return s - q * gamma * sigma * sigma * tau;
}

/** Inputs of {@linkcode optimalSpread}. */
export interface SpreadInputs {
  /** Risk aversion γ (> 0). */
  readonly gamma: number;
  /** Volatility σ. */
  readonly sigma: number;
  /** Time to the horizon, `T − t`. */
  readonly tau: number;
  /** Intensity decay k. */
  readonly k: number;
}

/**
 * The optimal total spread `δa + δb = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k)`.
 *
 * @example
 * ```ts
 * import { optimalSpread } from "./avellaneda_stoikov.ts";
 * // at T − t = 0.5: 0.1 · 4 · 0.5 + 20 · ln(16/15) = 1.4908, the paper's average spread 1.49
 * const d = optimalSpread({ gamma: 0.1, sigma: 2, tau: 0.5, k: 1.5 });
 * if (d.toFixed(4) !== "1.4908") throw new Error(String(d));
 * ```
 */
export function optimalSpread(inputs: SpreadInputs): number {
  const { gamma, sigma, tau, k } = inputs;
  return gamma * sigma * sigma * tau + (2 / gamma) * Math.log1p(gamma / k);
}

/**
 * Fill intensity `λ(δ) = A·exp(−k·δ)` of a quote at distance `delta` from the mid (fills per
 * time unit).
 *
 * @example
 * ```ts
 * import { intensity } from "./avellaneda_stoikov.ts";
 * if (intensity(0, { A: 140, k: 1.5 }) !== 140) throw new Error();
 * ```
 */
export function intensity(delta: number, params: Pick<AsParams, "A" | "k">): number {
  return params.A * Math.exp(-params.k * delta);
}

/**
 * Probability that a quote at distance `delta` is filled within one step, `min(1, λ(δ)·dt)`.
 *
 * @example
 * ```ts
 * import { fillProbability } from "./avellaneda_stoikov.ts";
 * // 140 · 0.005
 * if (fillProbability(0, { A: 140, k: 1.5, dt: 0.005 }) !== 0.7000000000000001) throw new Error();
 * ```
 */
export function fillProbability(delta: number, params: Pick<AsParams, "A" | "k" | "dt">): number {
  const p = params.A * Math.exp(-params.k * delta) * params.dt;
  return p < 1 ? p : 1;
}

/** The state a quoter sees; the simulator reuses one object and mutates it. */
export interface AsState {
  /** Time, in [0, T). */
  t: number;
  /** Mid price. */
  s: number;
  /** Signed inventory (units). */
  q: number;
}

/** A two-sided quote (prices); the simulator reuses one object that quoters write into. */
export interface AsQuote {
  bid: number;
  ask: number;
}

/** The strategies of the paper. */
export type AsStrategyName = "inventory" | "symmetric";

/** The strategy names accepted by {@linkcode asStrategy}. */
export const AS_STRATEGIES: readonly AsStrategyName[] = ["inventory", "symmetric"];

/** A quoting rule: writes bid and ask for `state` into `out` (allocation-free). */
export interface AsQuoter {
  /** Which strategy this is. */
  readonly name: AsStrategyName;
  /** Writes the quotes for `state` into `out`. */
  quote(state: Readonly<AsState>, out: AsQuote): void;
}

/** Parameters the quoters read. */
export type AsQuoterParams = Pick<AsParams, "T" | "sigma" | "k" | "gamma">;

/**
 * The paper's "inventory strategy": the optimal spread around the reservation price,
 * `bid = r − spread/2`, `ask = r + spread/2`.
 *
 * @example
 * ```ts
 * import { AS_PAPER, inventoryStrategy } from "./avellaneda_stoikov.ts";
 * const out = { bid: 0, ask: 0 };
 * inventoryStrategy(AS_PAPER).quote({ t: 0, s: 100, q: 1 }, out);
 * // r = 99.6, spread 1.6908: long inventory lowers both quotes
 * if (out.bid.toFixed(4) !== "98.7546" || out.ask.toFixed(4) !== "100.4454") throw new Error();
 * ```
 */
export function inventoryStrategy(params: AsQuoterParams): AsQuoter {
  const { T, sigma, k, gamma } = checkQuoterParams(params);
  const g2 = gamma * sigma * sigma;
  const half0 = Math.log1p(gamma / k) / gamma;
  return {
    name: "inventory",
    quote(state, out) {
      const tau = T - state.t;
      const r = state.s - state.q * g2 * tau;
      const half = 0.5 * g2 * tau + half0;
      out.bid = r - half;
      out.ask = r + half;
    },
  };
}

/**
 * The paper's "symmetric strategy": the same (optimal, time-dependent) spread as the inventory
 * strategy, centred on the mid regardless of inventory.
 *
 * @example
 * ```ts
 * import { AS_PAPER, symmetricStrategy } from "./avellaneda_stoikov.ts";
 * const out = { bid: 0, ask: 0 };
 * symmetricStrategy(AS_PAPER).quote({ t: 0, s: 100, q: 1 }, out);
 * if (out.bid.toFixed(4) !== "99.1546" || out.ask.toFixed(4) !== "100.8454") throw new Error();
 * ```
 */
export function symmetricStrategy(params: AsQuoterParams): AsQuoter {
  const { T, sigma, k, gamma } = checkQuoterParams(params);
  const g2 = gamma * sigma * sigma;
  const half0 = Math.log1p(gamma / k) / gamma;
  return {
    name: "symmetric",
    quote(state, out) {
      const half = 0.5 * g2 * (T - state.t) + half0;
      out.bid = state.s - half;
      out.ask = state.s + half;
    },
  };
}

/** The quoter called `name` (throws `ConfigError` for other names). */
export function asStrategy(name: AsStrategyName, params: AsQuoterParams): AsQuoter {
  const n = checkOneOf("strategy", name, AS_STRATEGIES);
  switch (n) {
    case "inventory":
      return inventoryStrategy(params);
    case "symmetric":
      return symmetricStrategy(params);
    default: {
      const never: never = n;
      throw new ConfigError("strategy", AS_STRATEGIES.join(" or "), never);
    }
  }
}

/**
 * Per-step record of an episode. Index `i` in `0..steps` is time `t_i = i·dt`: `mid[i]` is the
 * mid and `cash[i]`, `inventory[i]` the state at `t_i` (after the fills of steps `< i`), so
 * `pnlSeries({cash, inventory, mark: mid})` from `lib/metrics` is the marked-to-market PnL and
 * its last value the episode's profit. `fills.step[j] = i` for a fill during step `i`, at quotes
 * set when the mid was `mid[i]` (the convention of the fill metrics).
 */
export interface AsTrace {
  readonly mid: Float64Array;
  readonly cash: Float64Array;
  readonly inventory: Float64Array;
  /** Unit fills, at most two per step. */
  readonly fills: FillLog;
}

/** A trace with room for an episode of `steps` steps. */
export function createAsTrace(steps: number): AsTrace {
  checkInt("steps", steps, 1, 2 ** 28);
  return {
    mid: new Float64Array(steps + 1),
    cash: new Float64Array(steps + 1),
    inventory: new Float64Array(steps + 1),
    fills: createFillLog(2 * steps),
  };
}

/** The number of steps `T / dt` (throws `ConfigError` unless it is a positive integer). */
export function asSteps(params: Pick<AsParams, "T" | "dt">): number {
  positive("T", params.T);
  positive("dt", params.dt);
  const n = Math.round(params.T / params.dt);
  if (n < 1 || Math.abs(n * params.dt - params.T) > 1e-9 * params.T) {
    throw new ConfigError("dt", `a divisor of T = ${params.T}`, params.dt);
  }
  return n;
}

/** Options of {@linkcode simulateEpisode}. */
export interface AsEpisodeOptions {
  /** Model parameters. */
  readonly params: Readonly<AsParams>;
  /** Quoting rule. */
  readonly quoter: AsQuoter;
  /** Root seed. */
  readonly seed: number | string;
  /** Run index within the seed (selects the run's streams); default 0. */
  readonly run?: number;
  /** Where to record the path, if anywhere (sized by {@linkcode createAsTrace}). */
  readonly trace?: AsTrace;
}

/** Outcome of one episode. */
export interface AsEpisode {
  /** `cash + inventory · final mid` (price units). */
  readonly profit: number;
  /** Final inventory (units). */
  readonly finalQ: number;
  /** Final cash (price units). */
  readonly cash: number;
  /** Mid at T. */
  readonly finalMid: number;
  /** Mean quoted spread `ask − bid` over the steps (price units). */
  readonly meanSpread: number;
  /** Number of bid fills (maker bought). */
  readonly bidFills: number;
  /** Number of ask fills (maker sold). */
  readonly askFills: number;
}

/**
 * One episode of the model under `quoter`, seeded by `(seed, run)`.
 *
 * @example
 * ```ts
 * import { AS_PAPER, simulateEpisode, symmetricStrategy } from "./avellaneda_stoikov.ts";
 * const e = simulateEpisode({ params: AS_PAPER, quoter: symmetricStrategy(AS_PAPER), seed: 3 });
 * if (e.meanSpread.toFixed(2) !== "1.49") throw new Error(String(e.meanSpread));
 * ```
 */
export function simulateEpisode(options: AsEpisodeOptions): AsEpisode {
  checkKeys(checkObject("options", options), ["params", "quoter", "seed", "run", "trace"], {
    owner: "simulateEpisode",
  });
  const { params, quoter, trace } = options;
  const seed = checkSeed("seed", options.seed);
  const run = checkInt("run", options.run ?? 0, 0, Number.MAX_SAFE_INTEGER);
  const steps = underPath("params", () => checkParams(params));
  if (typeof quoter?.quote !== "function") {
    throw new ConfigError("quoter", "an AsQuoter (asStrategy, inventoryStrategy...)", quoter);
  }
  if (trace && trace.mid.length < steps + 1) {
    throw new ConfigError(
      "trace.mid.length",
      `at least ${steps + 1} (steps + 1)`,
      trace.mid.length,
    );
  }
  const midRng = stream(seed, `as:${run}:mid`);
  const askRng = stream(seed, `as:${run}:ask`);
  const bidRng = stream(seed, `as:${run}:bid`);
  return runEpisode({ params, quoter, steps, midRng, askRng, bidRng, trace });
}

interface EpisodeCore {
  params: Readonly<AsParams>;
  quoter: AsQuoter;
  steps: number;
  midRng: Rng;
  askRng: Rng;
  bidRng: Rng;
  trace?: AsTrace;
}

function runEpisode(c: EpisodeCore): AsEpisode {
  const { params, quoter, steps, midRng, askRng, bidRng, trace } = c;
  const { A, k, dt } = params;
  const dS = params.sigma * Math.sqrt(dt);
  const gaussian = params.increment === "gaussian";
  const state: AsState = { t: 0, s: params.s0, q: 0 };
  const quote: AsQuote = { bid: 0, ask: 0 };
  const fills = trace?.fills;
  if (fills) fills.n = 0;
  let cash = 0;
  let spreadSum = 0;
  let bidFills = 0;
  let askFills = 0;
  for (let i = 0; i < steps; i++) {
    const s = state.s;
    if (trace) {
      trace.mid[i] = s;
      trace.cash[i] = cash;
      trace.inventory[i] = state.q;
    }
    state.t = i * dt;
    quoter.quote(state, quote);
    spreadSum += quote.ask - quote.bid;
    // Both uniforms are drawn every step so the streams stay aligned across strategies. As
    // u < 1, `u < λ·dt` is `u < min(1, λ·dt)` (see fillProbability) without the branch.
    const ua = askRng();
    const ub = bidRng();
    if (ua < A * Math.exp(-k * (quote.ask - s)) * dt) {
      state.q -= 1;
      cash += quote.ask;
      askFills++;
      if (fills) record(fills, i, SELL, quote.ask);
    }
    if (ub < A * Math.exp(-k * (s - quote.bid)) * dt) {
      state.q += 1;
      cash -= quote.bid;
      bidFills++;
      if (fills) record(fills, i, BUY, quote.bid);
    }
    state.s = s + (gaussian ? dS * normal(midRng) : midRng() < 0.5 ? dS : -dS);
  }
  if (trace) {
    trace.mid[steps] = state.s;
    trace.cash[steps] = cash;
    trace.inventory[steps] = state.q;
  }
  return {
    profit: cash + state.q * state.s,
    finalQ: state.q,
    cash,
    finalMid: state.s,
    meanSpread: spreadSum / steps,
    bidFills,
    askFills,
  };
}

function record(fills: FillLog, step: number, side: number, price: number): void {
  const j = fills.n++;
  fills.step[j] = step;
  fills.side[j] = side;
  fills.price[j] = price;
  fills.qty[j] = 1;
}

/** Options of {@linkcode simulateRuns}. */
export interface AsRunsOptions {
  /** Model parameters. */
  readonly params: Readonly<AsParams>;
  /** Which strategy to run. */
  readonly strategy: AsStrategyName;
  /** Number of independent runs (the paper: 1,000). */
  readonly runs: number;
  /** Root seed; run `i` uses the streams of run index `i`. */
  readonly seed: number | string;
}

/** Per-run outcomes of {@linkcode simulateRuns}; entry `i` is run `i`. */
export interface AsRuns {
  readonly strategy: AsStrategyName;
  /** Profit `X_T + q_T·S_T` per run (price units). */
  readonly profit: Float64Array;
  /** Final inventory per run (units). */
  readonly finalQ: Float64Array;
  /** Mean quoted spread per run (price units). */
  readonly meanSpread: Float64Array;
}

/**
 * `runs` independent episodes of one strategy (the paper's Monte Carlo). Summarise with
 * `meanCI` from `lib/metrics`.
 *
 * @example
 * ```ts
 * import { AS_PAPER, simulateRuns } from "./avellaneda_stoikov.ts";
 * const r = simulateRuns({ params: AS_PAPER, strategy: "inventory", runs: 10, seed: 1 });
 * if (r.profit.length !== 10) throw new Error();
 * ```
 */
export function simulateRuns(options: AsRunsOptions): AsRuns {
  checkKeys(checkObject("options", options), ["params", "strategy", "runs", "seed"], {
    owner: "simulateRuns",
  });
  const { params, strategy } = options;
  const seed = checkSeed("seed", options.seed);
  const runs = checkInt("runs", options.runs, 1, 2 ** 24);
  const steps = underPath("params", () => checkParams(params));
  const quoter = asStrategy(strategy, params);
  const out: AsRuns = {
    strategy,
    profit: new Float64Array(runs),
    finalQ: new Float64Array(runs),
    meanSpread: new Float64Array(runs),
  };
  for (let r = 0; r < runs; r++) {
    const e = runEpisode({
      params,
      quoter,
      steps,
      midRng: stream(seed, `as:${r}:mid`),
      askRng: stream(seed, `as:${r}:ask`),
      bidRng: stream(seed, `as:${r}:bid`),
    });
    out.profit[r] = e.profit;
    out.finalQ[r] = e.finalQ;
    out.meanSpread[r] = e.meanSpread;
  }
  return out;
}

function positive(field: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0 && v < Infinity)) {
    throw new ConfigError(field, "a finite number > 0", v);
  }
  return v;
}

function checkQuoterParams(p: AsQuoterParams): AsQuoterParams {
  positive("T", p.T);
  nonNegative("sigma", p.sigma);
  positive("k", p.k);
  positive("gamma", p.gamma);
  return p;
}

function nonNegative(field: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v < Infinity)) {
    throw new ConfigError(field, "a finite number >= 0", v);
  }
  return v;
}

/** Validates all parameters; returns the number of steps. */
function checkParams(p: Readonly<AsParams>): number {
  checkKeys(checkObject("", p, "an object of AsParams fields"), Object.keys(AS_PAPER));
  if (typeof p.s0 !== "number" || !Number.isFinite(p.s0)) {
    throw new ConfigError("s0", "a finite number", p.s0);
  }
  checkQuoterParams(p);
  nonNegative("A", p.A);
  checkOneOf("increment", p.increment, ["binomial", "gaussian"] as const);
  return asSteps(p);
}
