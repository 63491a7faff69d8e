/**
 * Tests of `lib/experiments/market/` (notebook 01): determinism, the probe leaving outcomes
 * unchanged, accounting identities between the episode and step frames, the refill bound of the
 * recovery run, depth profiles, the LOBSTER replay frame and input validation.
 */
import {
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  assertTrue,
  throwsUnknown,
} from "./_assert.ts";
import { ConfigError, UnknownOptionError } from "../lib/errors.ts";
import { createGame } from "../lib/game/mod.ts";
import {
  backgroundProfiles,
  ladderFacts,
  lobsterReplay,
  marketJob,
  marketJobs,
  P0,
  recoverySummaries,
  replayFacts,
  runRecovery,
  runTakers,
  takerSummaries,
  takerTable,
} from "../lib/experiments/mod.ts";
import type { DataFrame } from "../lib/report/mod.ts";
import { lobsterProfile } from "../lib/lobster/mod.ts";

const TAKERS = [
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "twap", taker: { kind: "passive" } },
  { label: "reactive", taker: { kind: "reactive" } },
  { label: "ac", taker: { kind: "almgren-chriss", riskAversion: 1e-4 } },
] as const;
const LOBSTER = lobsterProfile();
const NOISY = [
  { label: "linear", options: { noiseRate: 2 } },
  { label: "lobster", options: { noiseRate: 2, profile: LOBSTER } },
];
const QUIET = [{ label: "linear", options: {} }, {
  label: "lobster",
  options: { profile: LOBSTER },
}];

const col = (df: DataFrame, name: string) => df.getColumn(name).toArray() as number[];

Deno.test("runTakers: same options give identical frames; seeds differ with noise on", async () => {
  const a = await runTakers({ takers: TAKERS, backgrounds: NOISY, seeds: 3, workers: 0 });
  const b = await runTakers({ takers: TAKERS, backgrounds: NOISY, seeds: 3, workers: 0 });
  assertEquals(a.episodes.toRecords(), b.episodes.toRecords());
  assertEquals(a.steps.toRecords(), b.steps.toRecords());
  // An episode depends on its own seed only, not on the cases run before it.
  const one = await runTakers({
    takers: [TAKERS[1]],
    backgrounds: [NOISY[0]],
    seeds: 1,
    firstSeed: 2,
    workers: 0,
  });
  const row = a.episodes.toRecords().find((r) =>
    r.background === "linear" && r.taker === "twap" && r.seed === 2
  );
  assertEquals(one.episodes.toRecords()[0], row);
  // Noise makes seeds differ.
  const twap = a.episodes.toRecords().filter((r) =>
    r.background === "linear" && r.taker === "twap"
  );
  assertTrue(new Set(twap.map((r) => r.shortfall_bps)).size > 1, "noise on: seeds differ");
  assertTrue(col(a.episodes, "noise_volume").every((v) => v > 0), "noise traded");
});

Deno.test("runTakers: with the background's defaults every seed gives the same episode", async () => {
  const r = await runTakers({ takers: TAKERS, backgrounds: QUIET, seeds: 3, workers: 0 });
  const rows = r.episodes.toRecords();
  for (let i = 0; i < rows.length; i += 3) {
    const { seed: _a, ...first } = rows[i];
    for (let k = 1; k < 3; k++) {
      const { seed: _b, ...other } = rows[i + k];
      assertEquals(other, first);
    }
  }
  assertTrue(col(r.episodes, "noise_volume").every((v) => v === 0));
  const t = takerTable({ episodes: r.episodes, exact: r.episodes });
  const exact = t.getColumn("IS noise off, bps").toArray() as string[];
  assertTrue(exact.every((s) => s.endsWith("(exact)")), exact.join(" / "));
});

Deno.test("runTakers: the probe changes nothing (same summaries as the bare game)", async () => {
  const r = await runTakers({ takers: TAKERS, backgrounds: NOISY, seeds: 2, workers: 0 });
  const rows = r.episodes.toRecords();
  let i = 0;
  for (const b of NOISY) {
    for (const t of TAKERS) {
      const game = createGame({
        p0: P0,
        makers: 0,
        taker: t.taker,
        background: b.options,
        arrival: { kind: "fixed" },
      });
      for (let seed = 0; seed < 2; seed++, i++) {
        const s = game.run(seed);
        assertEquals(rows[i].shortfall, s.shortfall);
        assertEquals(rows[i].executed, s.executed);
        assertEquals(rows[i].noise_volume, s.otherVolume);
      }
    }
  }
});

Deno.test("runTakers: episode and step frames add up", async () => {
  const r = await runTakers({ takers: TAKERS, backgrounds: NOISY, seeds: 2, workers: 0 });
  const N = 60;
  const ep = r.episodes.toRecords() as Record<string, number>[];
  const sold = col(r.steps, "sold"), vwap = r.steps.getColumn("step_vwap").toArray();
  const cum = col(r.steps, "cum_frac"), post = col(r.steps, "post_sale_bid");
  ep.forEach((e, k) => {
    let q = 0, cash = 0, lowest = Infinity;
    for (let t = 0; t < N; t++) {
      const i = k * N + t;
      q += sold[i];
      if (sold[i] > 0) cash += (vwap[i] as number) * sold[i];
      else assertEquals(vwap[i], null);
      lowest = Math.min(lowest, post[i]);
    }
    assertEquals(q, e.executed);
    assertEquals(e.executed + e.unsold, e.size);
    assertAlmostEquals(cum[k * N + N - 1], e.executed / e.size, 1e-12);
    // Average price from the steps; shortfall = (P0 − avg) · Q in ticks when all is sold.
    assertAlmostEquals(cash / q, e.avg_price, 1e-9);
    assertEquals(e.unsold, 0);
    assertAlmostEquals(e.shortfall_bps, -e.avg_price / P0 * 1e4, 1e-9);
    assertAlmostEquals(e.avg_price_usd, (P0 + e.avg_price) * 0.01, 1e-9);
    assertEquals(e.peak_impact, -lowest);
  });
});

Deno.test("runTakers: front-loading costs more; TWAP on the default ladder costs about 2.5 ticks", async () => {
  const r = await runTakers({ takers: TAKERS, backgrounds: [QUIET[0]], seeds: 1, workers: 0 });
  const [agg, twap, , ac] = col(r.episodes, "shortfall_bps");
  assertAlmostEquals(twap, 2.5, 0.05);
  assertTrue(agg > 2 * twap, `aggressive ${agg} vs TWAP ${twap}`);
  assertTrue(ac > twap && ac < agg, `AC λ = 1e-4 between: ${ac}`);
  // Without noise the refill never leaves more missing than the sale did.
  const dp = col(r.steps, "deficit_post_sale"), d = col(r.steps, "deficit");
  assertTrue(d.every((x, i) => x <= dp[i] && x >= 0));
  // Nor a lower best bid: the level refill puts the top level back at P0 − 1 at once.
  const post = col(r.steps, "post_sale_bid"), best = col(r.steps, "best_bid");
  assertTrue(post.every((x, i) => x <= best[i] && best[i] === -1));
});

Deno.test("runRecovery: a block walks the default ladder 31 ticks; refill at least ρ per step", async () => {
  const r = await runRecovery({ backgrounds: QUIET, seeds: 2, workers: 0 });
  const ep = r.episodes.toRecords() as Record<string, number>[];
  assertEquals(ep.map((e) => e.block_impact), [31, 31, 24, 24]);
  assertTrue(ep.every((e) => e.initial_deficit === 8_000));
  const rem = col(r.steps, "remaining"), th = col(r.steps, "theory");
  for (let e = 0; e < 4; e++) {
    for (let t = 0; t < 60; t++) {
      const i = e * 60 + t;
      assertTrue(
        rem[i] <= th[i] + 1e-12,
        `ceil refill is at least (1 − ρ)^k: ${rem[i]} > ${th[i]}`,
      );
      if (t > 0) assertTrue(rem[i] <= rem[i - 1]);
    }
  }
  // Half-life in whole refills: the first k with (1 − 0.2)^k ≤ ½ is 4.
  assertTrue(ep.every((e) => e.half_life === 4 || e.half_life === 3));
  assertAlmostEquals(ep[0].theory_half_life, Math.LN2 / -Math.log(0.8), 1e-12);
});

Deno.test("backgroundProfiles: sizes sum to the total; LOBSTER puts more at the top level", () => {
  const f = backgroundProfiles(QUIET);
  const rows = f.toRecords();
  for (const b of ["linear", "lobster"]) {
    const r = rows.filter((x) => x.background === b);
    assertEquals(r.reduce((a, x) => a + (x.size as number), 0), 17_000);
    assertAlmostEquals(r[r.length - 1].cum_share as number, 1, 1e-12);
    assertEquals(r[0].price, -1);
  }
  const top = (b: string) => rows.find((x) => x.background === b && x.level === 0)!.size as number;
  assertTrue(top("lobster") > 5 * top("linear"));
});

Deno.test("lobsterReplay: AMZN replays exactly; its stored profile matches the data", () => {
  const r = lobsterReplay({ tickers: ["AMZN"] });
  const [row] = r.replay.toRecords();
  assertEquals(row.ticker, "AMZN");
  assertTrue((row.rows as number) > 50_000);
  assertEquals(row.rows_matched, row.rows);
  assertEquals(row.engine_mismatches, 0);
  assertEquals(row.state_mismatches, 0);
  assertEquals((row.runs as number) - (row.runs_matched as number), row.not_fifo);
  const p = r.profile.toRecords();
  const d0 = p.find((x) => x.side === "bid" && x.d === 0)!;
  assertTrue((d0.mean_size as number) > 0);
  assertEquals(d0.mean_size, d0.stored_mean_size);
  assertThrows(() => lobsterReplay({ tickers: ["NOPE"] }), ConfigError, "tickers");
});

Deno.test("runTakers: bad input names the field", async () => {
  assertThrows(
    () => marketJobs({ takers: [], backgrounds: QUIET, seeds: 1 }),
    ConfigError,
    "takers",
  );
  assertThrows(
    () => marketJobs({ takers: [TAKERS[0], TAKERS[0]], backgrounds: QUIET, seeds: 1 }),
    ConfigError,
    "takers[1].label",
  );
  assertThrows(
    () => marketJobs({ takers: TAKERS, backgrounds: QUIET, seeds: 0 }),
    ConfigError,
    "seeds",
  );
  // The cases' settings are checked with their paths before any job runs.
  const bad = [{ label: "x", options: { resilience: 2 } }];
  assertThrows(
    () => marketJobs({ takers: TAKERS, backgrounds: bad, seeds: 1 }),
    ConfigError,
    "backgrounds[0].options.resilience: must be",
  );
  throwsUnknown(
    () =>
      marketJobs({
        takers: [{ label: "t", taker: { kind: "passive", maxwalk: 2 } as never }],
        backgrounds: QUIET,
        seeds: 1,
      }),
    "takers[0].taker.maxwalk",
    "maxWalk",
  );
  assertThrows(
    () =>
      marketJobs({
        takers: TAKERS,
        backgrounds: [{ label: "x", options: { p0: 5 } as never }],
        seeds: 1,
      }),
    ConfigError,
    "backgrounds[0].options.p0: must be absent",
  );
  const e = await runRecovery({ backgrounds: QUIET, seeds: 1, sise: 5 } as never).then(
    () => null,
    (x) => x,
  );
  assertTrue(e instanceof UnknownOptionError && e.suggestion === "size", String(e));
  throwsUnknown(() => lobsterReplay({ ticker: ["AMZN"] } as never), "ticker", "tickers");
  // A job built by hand is still checked where it runs.
  const job = { ...marketJobs({ takers: TAKERS, backgrounds: QUIET, seeds: 1 })[0] };
  assertThrows(
    () => marketJob({ ...job, background: bad[0] }),
    ConfigError,
    "resilience",
  );
});

Deno.test("summaries: replay verdicts, ladder shapes, exact cases, the recovery's rows", async () => {
  const f = replayFacts(lobsterReplay({ tickers: ["AMZN"] }).replay);
  assertTrue(f.allRows && f.noEngine && f.onlyNotFifo);
  const profiles = backgroundProfiles(QUIET);
  const lin = ladderFacts(profiles, { label: "linear", size: 8_000, totalDepth: 17_000 });
  const lob = ladderFacts(profiles, { label: "lobster", size: 8_000, totalDepth: 17_000 });
  assertTrue(lob.top > 5 * lin.top && lob.top5 > lin.top5, "a thick touch");
  assertTrue(lob.walk < lin.walk, "a block goes less deep into the LOBSTER ladder");
  const cases = { takers: TAKERS.slice(0, 2), steps: 20, workers: 0 };
  const runs = await runTakers({ ...cases, backgrounds: NOISY, seeds: 3 });
  const exact = await runTakers({ ...cases, backgrounds: QUIET, seeds: 2 });
  const s = takerSummaries(runs, exact, -1);
  assertTrue(s.exactSame);
  assertEquals(s.cost.height, 4);
  assertEquals(s.pathAt("linear", "twap", 19).cum_frac_mean, 1);
  const low = s.extreme("linear", "aggressive", "post_sale_bid_mean", -1);
  const first = s.pathAt("linear", "aggressive", 0).post_sale_bid_mean as number;
  assertTrue((low.post_sale_bid_mean as number) <= first, "the lowest mean is at most step 0's");
  assertTrue(s.atTop > 0.5 && s.atTop <= 1);
  assertTrue((s.exact1("linear", "aggressive").shortfall_bps_mean as number) > 1);
  const rec = recoverySummaries(await runRecovery({ backgrounds: QUIET, seeds: 2, workers: 0 }));
  assertTrue(rec.sameHalf);
  assertEquals(rec.of("linear").block_impact_mean, 31);
  assertAlmostEquals(rec.after("lobster", 2).theory_mean as number, 0.64, 1e-12);
});
