/**
 * Market conditions: a named set of markets for the game, each a documented change of the
 * background liquidity (`lib/market/background.ts`), so that a study can ask whether a finding
 * holds in more than one market. {@linkcode applyCondition} applies one or several to any game
 * configuration; {@linkcode STUDY_CONDITIONS} is the robustness axis the studies use.
 *
 * | name | change | rationale | TWAP cost | all at once |
 * |---|---|---|---|---|
 * | `default` | none: linear ladder of 17,000 over 50 levels, ρ = 0.2, anchored at P0, no noise | the first version's market, deterministic | 2.50 ticks ($200.25) | 17.83 ticks ($1,426.13) |
 * | `noise` | noise flow: Poisson(0.25) market orders per step, sizes uniform 1–155, buy or sell with probability ½ | market randomness, calibrated on LOBSTER (below) | 2.68 ticks ($214.37; sd 0.09 ticks over episodes) | 17.83 ticks |
 * | `lobster` | depth profile: the GOOG sample's mean bid sizes by distance (`lobsterProfile()`), same total | a real book's shape: a deep best level, thin behind | 1.00 tick ($80.00) | 11.18 ticks ($894.56) |
 * | `impact` | permanent impact: the reference re-centres 5 % of the way to the mid each step (`recentre: 0.05`) | part of a sale's impact stays (Almgren–Chriss's permanent impact) | 4.36 ticks ($348.91) | 17.83 ticks |
 * | `thin` | half the depth (`totalDepth: 8,500`) | a less liquid instrument | 4.25 ticks ($340.32) | 28.97 ticks ($2,317.66) |
 * | `deep` | twice the depth (`totalDepth: 34,000`) | a more liquid instrument | 1.55 ticks ($123.82) | 10.62 ticks ($849.30) |
 * | `slow` | resilience ρ = 0.1 (half-life 6.6 s) | liquidity that returns slowly | 4.11 ticks ($328.46) | 17.83 ticks |
 * | `fast` | resilience ρ = 0.4 (half-life 1.4 s) | liquidity that returns quickly | 1.58 ticks ($125.96) | 17.83 ticks |
 *
 * **The measured effect** (pinned by `tests/conditions_test.ts`, {@linkcode saleCost}): the
 * cost of selling the game's 8,000 contracts against the background alone, as the VWAP's distance
 * below P0 in ticks (and in dollars at $0.01 a tick), evenly over 60 one-second steps at market
 * (TWAP, no price limit) and all at once at step 0; means over 40 episodes (the noisy condition's
 * sale cost varies by episode; the others are deterministic). The all-at-once sale is over
 * before any refill, noise or re-centring, so only the depth profile and total change it; TWAP
 * pays the resilience, the depth near the touch and the permanent part of its own impact. Under
 * `impact` the TWAP sale leaves the mid 4 ticks below P0 for good, against a transient peak of 5
 * ticks on the anchored ladder: κ = 0.05 makes most of the impact permanent, as measured for
 * real meta-orders (about two thirds of the peak remains after the last child order: Moro et al.
 * 2009, Bershova and Rakhlin 2013), without making the price follow every child order.
 *
 * **Noise calibration.** In LOBSTER's GOOG sample (21 June 2012, 9:30–16:00) 0.253 aggressive
 * orders per second executed against the visible book, both sides about equally (51 % buys), of
 * 83.0 visible shares on average, which is 0.51 of the mean best bid size (162.1 shares;
 * `aggressiveFlow` of `lib/lobster`, checked in the tests). The noise condition keeps both
 * ratios for one-second steps: 0.25 orders per step, with a mean size of 78 = 0.51 of the
 * default ladder's best level (153), so sizes uniform in 1–155. The taker's own sale (133 a step
 * under TWAP) is about seven times that flow: the taker stays the market's main event, and noise
 * adds the randomness that a deterministic ladder lacks. It is the studies' market randomness:
 * with the deterministic background, baseline makers and a fixed taker play the same episode on
 * every seed (a confidence interval of zero width); with noise the episode varies.
 *
 * **Composition.** {@linkcode applyCondition} merges the conditions' background options over the
 * configuration's own, left to right; two conditions that change the same option cannot be
 * combined (`thin` with `deep` is an error). `default` changes nothing.
 *
 * **The studies' markets.** The spec's game (`lib/game` defaults: several orders per maker, the
 * taker arriving at a random step) is played with noise flow on in every study:
 * {@linkcode STUDY_CONDITIONS} is `noise` and then each other condition on top of it (label
 * `"noise+thin"`, …), so that every confidence interval includes the market's randomness.
 *
 * @example
 * ```ts
 * import { applyCondition, conditionLabel, resolveConfig } from "./mod.ts";
 * const cfg = applyCondition({ makers: 2, background: { resilience: 0.3 } }, ["noise", "thin"]);
 * const bg = resolveConfig(cfg).background as { noiseRate: number; totalDepth: number };
 * if (bg.noiseRate !== 0.25 || bg.totalDepth !== 8_500) throw new Error(JSON.stringify(bg));
 * if (conditionLabel(["noise", "thin"]) !== "noise+thin") throw new Error();
 * ```
 * @module
 */
import {
  checkObject,
  checkOneOf,
  checkOptions,
  ConfigError,
  custom,
  int,
  oneOf,
  optional,
  seed,
  underPath,
} from "../errors.ts";
import { lobsterProfile } from "../lobster/profile.ts";
import { resolveConfig } from "./config.ts";
import { evaluateGame } from "./evaluate.ts";
import type { GameBackgroundOptions, GameConfig } from "./types.ts";
import type { TakerSpec } from "../takers/types.ts";

/** The condition names, in the order of the table in the module doc. */
export const CONDITION_NAMES = [
  "default",
  "noise",
  "lobster",
  "impact",
  "thin",
  "deep",
  "slow",
  "fast",
] as const;

/** One of {@linkcode CONDITION_NAMES}. */
export type ConditionName = typeof CONDITION_NAMES[number];

/** Noise orders per one-second step (LOBSTER GOOG's aggressive orders per second). */
export const NOISE_RATE = 0.25;
/** Largest noise order (uniform sizes 1 … this: mean 0.51 of the default best level). */
export const NOISE_MAX_SIZE = 155;
/** The `impact` condition's re-centring rate κ. */
export const IMPACT_RECENTRE = 0.05;

/** A market condition: what it changes, why, and the background options that do it. */
export interface MarketCondition {
  /** Its name. */
  readonly name: ConditionName;
  /** What it changes, in words. */
  readonly change: string;
  /** Why it is in the set. */
  readonly rationale: string;
  /** The background options it sets (the `lobster` profile is read from its JSON file here). */
  background(): GameBackgroundOptions;
}

const CONDITIONS: Readonly<Record<ConditionName, MarketCondition>> = Object.freeze({
  default: {
    name: "default",
    change: "none (linear ladder, ρ = 0.2, anchored at P0, no noise)",
    rationale: "the first version's market, deterministic",
    background: () => ({}),
  },
  noise: {
    name: "noise",
    change: `noise flow: Poisson(${NOISE_RATE}) market orders per step, sizes 1–${NOISE_MAX_SIZE}`,
    rationale: "market randomness, calibrated on LOBSTER GOOG's aggressive flow",
    background: () => ({ noiseRate: NOISE_RATE, noiseMaxSize: NOISE_MAX_SIZE }),
  },
  lobster: {
    name: "lobster",
    change: "depth profile of the LOBSTER GOOG sample (same total depth)",
    rationale: "a real book's shape: a deep best level, thin behind",
    background: () => ({ profile: lobsterProfile() }),
  },
  impact: {
    name: "impact",
    change: `permanent impact: the reference re-centres ${IMPACT_RECENTRE} of the way to the mid`,
    rationale: "part of a sale's impact stays, as for real meta-orders",
    background: () => ({ recentre: IMPACT_RECENTRE }),
  },
  thin: {
    name: "thin",
    change: "half the depth (totalDepth 8,500)",
    rationale: "a less liquid instrument",
    background: () => ({ totalDepth: 8_500 }),
  },
  deep: {
    name: "deep",
    change: "twice the depth (totalDepth 34,000)",
    rationale: "a more liquid instrument",
    background: () => ({ totalDepth: 34_000 }),
  },
  slow: {
    name: "slow",
    change: "resilience ρ = 0.1 (half-life 6.6 s)",
    rationale: "liquidity that returns slowly",
    background: () => ({ resilience: 0.1 }),
  },
  fast: {
    name: "fast",
    change: "resilience ρ = 0.4 (half-life 1.4 s)",
    rationale: "liquidity that returns quickly",
    background: () => ({ resilience: 0.4 }),
  },
});

/** Every condition, in the order of {@linkcode CONDITION_NAMES}. */
export const MARKET_CONDITIONS: readonly MarketCondition[] = CONDITION_NAMES.map((n) =>
  CONDITIONS[n]
);

/** The condition called `name` (a `ConfigError` naming the allowed names otherwise). */
export function marketCondition(name: string, field = "condition"): MarketCondition {
  return CONDITIONS[checkOneOf(field, name, CONDITION_NAMES)];
}

/** One condition name or a list of them, checked. */
function conditionNames(v: unknown, field: string): ConditionName[] {
  if (typeof v === "string") return [marketCondition(v, field).name];
  if (!Array.isArray(v)) {
    throw new ConfigError(field, `a condition name (${CONDITION_NAMES.join(", ")}) or a list`, v);
  }
  return v.map((x, i) => marketCondition(x as string, `${field}[${i}]`).name);
}

/** The background options of one or several conditions, merged (see the module doc). */
export function conditionBackground(
  condition: ConditionName | readonly ConditionName[],
): GameBackgroundOptions {
  const names = conditionNames(condition, "condition");
  const out: Record<string, unknown> = {};
  const by: Record<string, string> = {};
  for (const n of names) {
    for (const [k, v] of Object.entries(CONDITIONS[n].background())) {
      if (k in by) {
        throw new ConfigError(
          "condition",
          `conditions that change different options (${by[k]} and ${n} both set ${k})`,
          names,
        );
      }
      by[k] = n;
      out[k] = v;
    }
  }
  return out as GameBackgroundOptions;
}

/**
 * `config` with the background options of `condition` (one name or several, see the module
 * doc) over its own. The configuration is validated first (errors name `config.<field>`); its
 * background must be options, not a factory.
 */
export function applyCondition(
  config: GameConfig,
  condition: ConditionName | readonly ConditionName[],
): GameConfig {
  checkObject("config", config, "a game configuration (an object)");
  underPath("config", () => resolveConfig(config), "applyCondition");
  const overlay = conditionBackground(condition);
  if (typeof config.background === "function") {
    throw new ConfigError(
      "config.background",
      "background options (a condition changes the options; a factory cannot take them)",
      config.background,
    );
  }
  return { ...config, background: { ...(config.background ?? {}), ...overlay } };
}

/** A label for a list of conditions: `"noise+thin"`; `"default"` for none. */
export function conditionLabel(condition: ConditionName | readonly ConditionName[]): string {
  const names = conditionNames(condition, "condition").filter((n) => n !== "default");
  return names.length === 0 ? "default" : names.join("+");
}

/** One market of the studies' robustness axis. */
export interface StudyCondition {
  /** Its label (`"noise"`, `"noise+thin"`, …), as the studies' frames carry it. */
  readonly label: string;
  /** The conditions applied. */
  readonly conditions: readonly ConditionName[];
}

/**
 * The studies' markets: `noise` (the headline market: the first version's market with noise
 * flow) and each other condition with noise (see the module doc).
 */
export const STUDY_CONDITIONS: readonly StudyCondition[] = Object.freeze(
  CONDITION_NAMES.filter((n) => n !== "default" && n !== "noise").reduce(
    (out, n) => [...out, { label: `noise+${n}`, conditions: ["noise", n] as const }],
    [{ label: "noise", conditions: ["noise"] as const }] as StudyCondition[],
  ),
);

/** Options of {@linkcode saleCost}. */
export interface SaleCostOptions {
  /** The market: a condition or several. Default `"default"`. */
  readonly condition?: ConditionName | readonly ConditionName[];
  /** `"twap"`: evenly over the window at market; `"once"`: everything at the first step. */
  readonly schedule: "twap" | "once";
  /** Episodes, ≥ 1. Default 40. */
  readonly episodes?: number;
  /** Root of the episodes' seeds (`<seed>:<k>`). Default `"sale"`. */
  readonly seed?: number | string;
}

/** What {@linkcode saleCost} returns: means and standard deviations over the episodes. */
export interface SaleCost {
  /** Ticks below P0 of the sale's VWAP. */
  readonly ticks: number;
  /** Its standard deviation over the episodes (0 in a deterministic market). */
  readonly ticksSd: number;
  /** The taker's cost in dollars (−taker PnL). */
  readonly usd: number;
  /** Episodes played. */
  readonly episodes: number;
}

const SALE_COST = {
  condition: optional(
    custom("a condition name or a list of them", (v, p) => conditionNames(v, p)),
    ["default"] as ConditionName[],
  ),
  schedule: oneOf(["twap", "once"] as const),
  episodes: optional(int(1, 1e6), 40),
  seed: optional(seed(), "sale"),
};

/**
 * The cost of selling the game's 8,000 contracts in 60 one-second steps against the background
 * alone under a market condition (the measured effects of the module doc's table).
 *
 * @example
 * ```ts
 * import { saleCost } from "./conditions.ts";
 * const c = saleCost({ schedule: "twap", episodes: 1 });
 * if (c.ticks !== 2.503125 || c.ticksSd !== 0) throw new Error(JSON.stringify(c));
 * ```
 */
export function saleCost(options: SaleCostOptions): SaleCost {
  const o = checkOptions(options, SALE_COST, { owner: "saleCost" });
  const once = o.schedule === "once";
  const taker: TakerSpec = {
    kind: "custom",
    name: o.schedule,
    create: () => ({
      name: o.schedule,
      decide(v, order) {
        order.qty = once
          ? (v.t === 0 ? v.size : 0)
          : Math.floor(v.size * (v.t + 1) / v.steps) - Math.floor(v.size * v.t / v.steps);
      },
    }),
  };
  const config = applyCondition(
    { makers: 0, steps: 60, arrival: { kind: "fixed" }, taker },
    o.condition,
  );
  const ev = evaluateGame({ config, episodes: o.episodes, seed: (k) => `${o.seed}:${k}` });
  const size = ev.mean.size, tick = ev.game.config.tickSize;
  // (Equal values can leave a last-bit residue in the sd: below 1e-9 of the mean it is 0.)
  const raw = ev.episodes > 1 ? ev.sd.takerPnl / (size * tick) : 0;
  const sd = raw < 1e-9 * Math.abs(ev.mean.takerPnl / (size * tick)) ? 0 : raw;
  return {
    ticks: -ev.mean.takerPnl / (size * tick),
    ticksSd: sd,
    usd: -ev.mean.takerPnl,
    episodes: ev.episodes,
  };
}

/** The schema of a condition list, for options objects that take one (`condition`). */
export const CONDITION_FIELD = custom(
  `a condition name (${CONDITION_NAMES.join(", ")}) or a list of them`,
  (v, p) => conditionNames(v, p),
);
