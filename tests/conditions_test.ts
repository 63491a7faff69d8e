/**
 * Market conditions (`lib/game/conditions.ts`): the measured effect of each (the module doc's
 * table), the noise calibration against LOBSTER, composition and validation.
 */
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import {
  applyCondition,
  CONDITION_NAMES,
  conditionBackground,
  conditionLabel,
  createGame,
  IMPACT_RECENTRE,
  MARKET_CONDITIONS,
  NOISE_MAX_SIZE,
  NOISE_RATE,
  resolveConfig,
  saleCost,
  STUDY_CONDITIONS,
} from "../lib/game/mod.ts";
import { aggressiveFlow, loadDepthProfile, readMessages } from "../lib/lobster/mod.ts";
import { bidProfile, validateBackgroundOptions } from "../lib/market/mod.ts";

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

Deno.test("conditions: the cost of TWAP and of an all-at-once sale in each market (the doc's table)", () => {
  // Ticks below P0 of the VWAP of 8,000 contracts against the background alone.
  const want: Record<string, [number, number]> = {
    default: [2.5, 17.83],
    noise: [2.68, 17.83],
    lobster: [1, 11.18],
    impact: [4.36, 17.83],
    thin: [4.25, 28.97],
    deep: [1.55, 10.62],
    slow: [4.11, 17.83],
    fast: [1.57, 17.83],
  };
  const got: Record<string, [number, number]> = {};
  for (const c of CONDITION_NAMES) {
    const twap = saleCost({ condition: c, schedule: "twap" });
    const once = saleCost({ condition: c, schedule: "once" });
    got[c] = [round(twap.ticks), round(once.ticks)];
    assertEquals(once.ticksSd, 0, "the sale at once is over before any refill or noise");
    if (c !== "noise") assertEquals(twap.ticksSd, 0, `${c}: deterministic`);
    assertAlmostEquals(twap.usd, twap.ticks * 8_000 * 0.01, 1e-6);
  }
  assertEquals(got, want);
  // The noisy market varies by episode, and the dollar figures of the table.
  const noisy = saleCost({ condition: "noise", schedule: "twap" });
  assertTrue(noisy.ticksSd > 0.05 && noisy.ticksSd < 0.15, `sd ${noisy.ticksSd}`);
  assertEquals(round(saleCost({ condition: "thin", schedule: "once" }).usd), 2_317.66);
  // Every condition but noise makes the TWAP dearer or cheaper than today, never the same.
  for (const c of CONDITION_NAMES.filter((n) => n !== "default")) {
    assertTrue(got[c][0] !== got.default[0], c);
  }
});

Deno.test("conditions: impact leaves the price lower for good; the others recover", () => {
  const endMid = (condition: "default" | "impact") => {
    const cfg = applyCondition({
      makers: 0,
      steps: 120,
      arrival: { kind: "fixed" },
      taker: { kind: "passive", maxWalk: 100 },
      game: { kind: "known", size: 8_000 },
    }, condition);
    // A 60-step sale in a 120-step window, then nothing: TWAP over the first half.
    const g = createGame({
      ...cfg,
      taker: {
        kind: "custom",
        create: () => ({
          name: "half",
          decide(v, o) {
            o.qty = v.t < 60
              ? Math.floor(8_000 * (v.t + 1) / 60) - Math.floor(8_000 * v.t / 60)
              : 0;
          },
        }),
      },
    });
    const s = g.run();
    return s.finalMid - 10_000;
  };
  assertEquals(endMid("default"), 0);
  assertEquals(endMid("impact"), -4);
  assertEquals(IMPACT_RECENTRE, 0.05);
});

Deno.test("conditions: noise is calibrated on LOBSTER GOOG's aggressive flow", () => {
  const m = readMessages("data/lobster/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz");
  const f = aggressiveFlow(m);
  assertEquals([f.sells, f.buys, f.seconds], [2_906, 3_025, 23_400]);
  assertAlmostEquals(f.ordersPerSecond, NOISE_RATE, 0.005, "orders per one-second step");
  const profile = loadDepthProfile(
    new URL("../data/lobster/depth_profile_GOOG.json", import.meta.url),
  );
  const bestGoog = profile.bid.meanSize[0]!;
  const best = bidProfile(validateBackgroundOptions({ p0: 10_000 }))[0];
  assertEquals(best, 153);
  // Mean noise size relative to the best level, as in GOOG (within 1 %).
  const ours = (1 + NOISE_MAX_SIZE) / 2 / best, goog = f.meanSize / bestGoog;
  assertTrue(Math.abs(ours / goog - 1) < 0.01, `ours ${ours}, GOOG ${goog}`);
  assertTrue(Math.abs(f.buyShare - 0.5) < 0.02, "buys and sells alike");
});

Deno.test("conditions: compose left to right, refuse conflicts, keep the config's own options", () => {
  assertEquals(conditionBackground("default"), {});
  assertEquals(conditionBackground(["noise", "slow"]), {
    noiseRate: NOISE_RATE,
    noiseMaxSize: NOISE_MAX_SIZE,
    resilience: 0.1,
  });
  const cfg = applyCondition({ makers: 1, background: { resilience: 0.3, askSize: 50 } }, "fast");
  assertEquals(cfg.background, { resilience: 0.4, askSize: 50 }, "the condition wins");
  assertEquals(cfg.makers, 1);
  const lob = resolveConfig(applyCondition({}, "lobster")).background as { profile: unknown };
  assertTrue(typeof lob.profile === "object" && "weights" in (lob.profile as object));
  assertThrows(() => applyCondition({}, ["thin", "deep"]), ConfigError, "thin and deep both set");
  assertThrows(
    () => applyCondition({}, "windy" as never),
    ConfigError,
    "condition: must be one of",
  );
  assertThrows(
    () => applyCondition({}, ["noise", "calm"] as never),
    ConfigError,
    "condition[1]: must be one of",
  );
  assertThrows(() => applyCondition({ makers: -1 }, "noise"), ConfigError, "config.makers");
  assertThrows(
    () => applyCondition({ background: () => ({ init() {}, step() {} }) }, "noise"),
    ConfigError,
    "config.background",
  );
  assertEquals(conditionLabel(["noise", "thin"]), "noise+thin");
  assertEquals(conditionLabel("default"), "default");
  assertEquals(STUDY_CONDITIONS.map((c) => c.label), [
    "noise",
    "noise+lobster",
    "noise+impact",
    "noise+thin",
    "noise+deep",
    "noise+slow",
    "noise+fast",
  ]);
  assertEquals(MARKET_CONDITIONS.map((c) => c.name), [...CONDITION_NAMES]);
  assertThrows(() => saleCost({ schedule: "vwap" as never }), ConfigError, "schedule");
});
