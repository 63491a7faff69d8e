/**
 * Tests of `lib/experiments/fixed_vs_dynamic/` (notebook 06): determinism and worker-count
 * independence, agreement with the game's own summaries and per-step frames, accounting
 * identities (shares add up, early fills within the volume, per-unit PnL of a fixed bid), the
 * kind summary on a hand-made frame, and validation. Tiny budgets (10-step games).
 */
import {
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  assertTrue,
  throwsUnknown,
} from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { createGame, episodeFrame } from "../lib/game/mod.ts";
import { pl } from "../lib/report/mod.ts";
import {
  compareWord,
  fillShares,
  type FixedDynamicJob,
  fixedDynamicJob,
  fixedDynamicJobs,
  fixedDynamicStudy,
  fixedDynamicStudyDef,
  game2Change,
  kindMeans,
  kindRow,
  kindSummary,
  mismatchedMeans,
  queueSummary,
  totalShare,
} from "../lib/experiments/mod.ts";

const TAKERS = [
  { label: "aggressive", taker: { kind: "aggressive" } },
  { label: "TWAP", taker: { kind: "passive" } },
] as const;
const GAME1 = { label: "game 1", game: { kind: "known", size: 2000 } } as const;
const SETTINGS = { episodes: 40, evalEpisodes: 3, earlySteps: 3, game: { steps: 10 } } as const;
const RF = { label: "2R+1F", kinds: ["replenisher", "replenisher", "follower"] } as const;
const RQ = { label: "1R+1Q", kinds: ["replenisher", "q"] } as const;
const job = (over: Partial<FixedDynamicJob> = {}): FixedDynamicJob => ({
  population: RF,
  game: GAME1,
  train: null,
  play: TAKERS,
  seed: 2,
  settings: SETTINGS,
  ...over,
});

Deno.test("fixedDynamicJob: rows agree with the game's summaries and per-step frames", () => {
  const rows = fixedDynamicJob(job());
  const makers = rows.filter((r) => r.table === "makers");
  assertEquals(makers.length, 2 * 3);
  assertEquals(makers.map((r) => r.kind), [
    "replenisher",
    "replenisher",
    "follower",
    "replenisher",
    "replenisher",
    "follower",
  ]);
  // Recompute the aggressive rows from the game itself.
  const game = createGame({
    steps: 10,
    game: GAME1.game,
    makers: 3,
    seed: 2,
    policy: [{ kind: "replenisher" }, { kind: "replenisher" }, { kind: "follower" }],
    taker: TAKERS[0].taker,
    record: true,
  });
  const pnl = [0, 0, 0], share = [0, 0, 0], early = [0, 0, 0];
  const frames = [];
  for (let k = 0; k < 3; k++) {
    const s = game.run(`eval:2:${k}`);
    for (let i = 0; i < 3; i++) {
      pnl[i] += s.makerPnl[i] / 3;
      share[i] += s.makerShare[i] / 3;
    }
    const f = episodeFrame(game);
    frames.push(f);
    for (const r of f.toRecords()) {
      if (r.role === "maker" && (r.step as number) < 3) {
        early[Number(String(r.agent).slice(6))] += (r.fills as number) / 3;
      }
    }
  }
  const all = pl.concat(frames).filter(pl.col("agent").eq(pl.lit("maker:2")));
  const queue = all.getColumn("queue_ahead").mean();
  const agg = makers.filter((r) => r.play_taker === "aggressive");
  for (let i = 0; i < 3; i++) {
    assertAlmostEquals(agg[i].pnl as number, pnl[i], 1e-9);
    assertAlmostEquals(agg[i].share as number, share[i], 1e-12);
    assertAlmostEquals(agg[i].early_volume as number, early[i], 1e-9);
    assertTrue((agg[i].early_volume as number) <= (agg[i].volume as number) + 1e-9);
  }
  assertAlmostEquals(agg[2].queue_ahead as number, queue, 1e-9);
  // Shares add up with the background's to 1.
  const total = agg.reduce((a, r) => a + (r.share as number), 0) +
    (agg[0].background_share as number);
  assertAlmostEquals(total, 1, 1e-9);
  // A replenisher at P0 − 1 earns exactly 1 tick per contract on its own fills.
  assertAlmostEquals((agg[0].mtm_ticks as number) / (agg[0].volume as number), 1, 1e-9);
  assertEquals(agg[0].bid_offset, 1);
  // Steps: only the aggressive taker is recorded (the default), one row per maker and step.
  const steps = rows.filter((r) => r.table === "steps");
  assertEquals(steps.length, 3 * 10);
  assertTrue(steps.every((r) => r.play_taker === "aggressive"));
  // No learner, no train row.
  assertEquals(rows.filter((r) => r.table === "train").length, 0);
});

Deno.test("fixedDynamicJob: deterministic; a Q-learner trains and records its convergence", () => {
  const j = job({ population: RQ, train: TAKERS[1] });
  const a = fixedDynamicJob(j);
  assertEquals(a, fixedDynamicJob(j));
  const train = a.filter((r) => r.table === "train");
  assertEquals(train.length, 1);
  assertEquals(train[0].train_taker, "TWAP");
  assertEquals(train[0].episodes, 40);
  // Steps are recorded for a recorded taker only when the learner trained against it.
  assertEquals(a.filter((r) => r.table === "steps").length, 0);
  const b = fixedDynamicJob({
    ...j,
    settings: { ...SETTINGS, stepTakers: ["TWAP", "aggressive"] },
  });
  const steps = b.filter((r) => r.table === "steps");
  assertEquals(steps.length, 2 * 10);
  assertTrue(steps.every((r) => r.play_taker === "TWAP"));
  // Another seed gives another learner.
  const c = fixedDynamicJob({ ...j, seed: 3 });
  assertTrue(JSON.stringify(a) !== JSON.stringify(c));
});

Deno.test("fixedDynamicStudy: the jobs and their tables", async () => {
  const options = {
    populations: [RF, RQ],
    takers: TAKERS,
    games: [GAME1],
    seeds: 2,
    settings: { ...SETTINGS, episodes: 20, evalEpisodes: 2 },
  };
  assertEquals(fixedDynamicJobs(options).length, 2 * (2 + 1));
  const one = await fixedDynamicStudy({ ...options, workers: 0 });
  assertEquals(one.makers.height, 2 * (2 * 2 * 2 + 2 * 3));
  assertEquals(one.train.getColumn("converged").dtype.variant, "Bool");
});

Deno.test("kindSummary: per-maker means, the kind's totals, per-unit values as ratios of sums", () => {
  const rows = fixedDynamicStudyDef.fromRows(fixedDynamicJob(job())).makers;
  const k = kindSummary(rows).filter(pl.col("play_taker").eq(pl.lit("aggressive")));
  const rep = k.filter(pl.col("kind").eq(pl.lit("replenisher"))).toRecords()[0];
  const src = rows.filter(
    pl.col("play_taker").eq(pl.lit("aggressive")).and(pl.col("kind").eq(pl.lit("replenisher"))),
  ).toRecords();
  assertEquals(rep.count, 2);
  assertAlmostEquals(rep.pnl as number, ((src[0].pnl as number) + (src[1].pnl as number)) / 2);
  assertAlmostEquals(rep.kind_share as number, (src[0].share as number) + (src[1].share as number));
  const ppu = ((src[0].pnl_ticks as number) + (src[1].pnl_ticks as number)) /
    ((src[0].volume as number) + (src[1].volume as number));
  assertAlmostEquals(rep.pnl_per_unit as number, ppu, 1e-9);
  // The PnL share per contract is the taker's average cost in ticks: the same for every maker.
  const fol = k.filter(pl.col("kind").eq(pl.lit("follower"))).toRecords()[0];
  assertAlmostEquals(fol.pnl_per_unit as number, rep.pnl_per_unit as number, 1e-9);
  assertAlmostEquals(rep.pnl_per_unit as number, rep.taker_cost_bps as number, 1e-9);
  assertAlmostEquals(rep.mtm_per_unit as number, 1, 1e-12);
});

Deno.test("fixedDynamicJob and fixedDynamicJobs: bad input is a ConfigError naming the field", () => {
  assertThrows(() => fixedDynamicJob(job({ population: RQ })), ConfigError, "job.train");
  assertThrows(() => fixedDynamicJob(job({ train: TAKERS[0] })), ConfigError, "job.train");
  assertThrows(
    () =>
      fixedDynamicJob(
        job({ population: { label: "x", kinds: ["replenisher", "nope"] } } as unknown as Partial<
          FixedDynamicJob
        >),
      ),
    ConfigError,
    "population.kinds[1]",
  );
  assertThrows(
    () => fixedDynamicJob(job({ settings: { ...SETTINGS, evalEpisodes: 0 } })),
    ConfigError,
    "settings.evalEpisodes",
  );
  assertThrows(
    () => fixedDynamicJobs({ populations: [RF, RF], takers: TAKERS, seeds: 1, settings: SETTINGS }),
    ConfigError,
    "populations[1].label",
  );
});

Deno.test("fixedDynamicJobs: the nested options are checked with their paths before any job runs", () => {
  const base = { populations: [RF, RQ], takers: TAKERS, seeds: 1, settings: SETTINGS };
  const bad = (over: Record<string, unknown>) => () =>
    fixedDynamicJobs({ ...base, ...over } as never);
  throwsUnknown(bad({ settings: { ...SETTINGS, evalEpisode: 3 } }), "settings.evalEpisode");
  throwsUnknown(
    bad({ settings: { ...SETTINGS, replenisher: { ofset: 1 } } }),
    "settings.replenisher.ofset",
    "offset",
  );
  assertThrows(
    bad({ settings: { ...SETTINGS, follower: { share: "half" } } }),
    ConfigError,
    "settings.follower.share: must be",
  );
  assertThrows(
    bad({ settings: { ...SETTINGS, replenisher: { kind: "follower" } } }),
    ConfigError,
    "settings.replenisher.kind: must be absent",
  );
  throwsUnknown(
    bad({ settings: { ...SETTINGS, learner: { alhpa: 0.1 } } }),
    "settings.learner.alhpa",
    "alpha",
  );
  assertThrows(
    bad({ settings: { ...SETTINGS, game: { seed: 3 } } }),
    ConfigError,
    "settings.game.seed: must be absent",
  );
  assertThrows(
    bad({ populations: [{ label: "x", kinds: ["replenisher", "Q"] }] }),
    ConfigError,
    "populations[0].kinds[1]",
  );
  throwsUnknown(
    bad({ takers: [{ label: "t", taker: { kind: "reactive", pase: 1 } }] }),
    "takers[0].taker.pase",
  );
  assertThrows(
    bad({ games: [{ label: "g", game: { kind: "known", size: 0 } }] }),
    ConfigError,
    "games[0].game.size",
  );
});

Deno.test("summaries: kind means (adapted and mismatched), fill shares, totals, words", () => {
  const row = (
    train: string,
    play: string,
    seed: number,
    kind: string,
    maker: number,
    v: number,
  ) => ({
    population: "1R+1Q",
    game: "g",
    train_taker: train,
    play_taker: play,
    seed,
    maker,
    kind,
    pnl: v,
    mtm: v,
    volume: 10,
    other_volume: 0,
    share: v / 100,
    early_volume: 1,
    queue_ahead: 5,
    at_best: 1,
    bid_offset: 1,
    pnl_ticks: v,
    mtm_ticks: v,
    taker_cost_bps: 2,
  });
  const makers = pl.DataFrame([
    // Trained against A, played against A (adapted) and B (mismatched), two seeds.
    ...[0, 1].flatMap((
      s,
    ) => [row("A", "A", s, "replenisher", 0, 20), row("A", "A", s, "q", 1, 40 + s)]),
    ...[0, 1].flatMap((
      s,
    ) => [row("A", "B", s, "replenisher", 0, 30), row("A", "B", s, "q", 1, 10)]),
  ]);
  const kinds = kindMeans(makers).toRecords();
  const q = kindRow(kinds, { population: "1R+1Q", game: "g", taker: "A", kind: "q" });
  assertEquals([q.mtm_mean, Number(q.mtm_n)], [40.5, 2]);
  assertEquals(kindMeans(makers).height, 2, "mismatched rows are left out");
  const mism = mismatchedMeans(makers).toRecords();
  assertEquals(
    kindRow(mism, { population: "1R+1Q", game: "g", taker: "B", kind: "q" }).mtm_mean,
    10,
  );
  const r = kindRow(kinds, { population: "1R+1Q", game: "g", taker: "A", kind: "replenisher" });
  assertEquals([compareWord(q, r, "mtm"), compareWord(r, q, "mtm")], ["more than", "less than"]);
  assertAlmostEquals(
    totalShare(kinds, { population: "1R+1Q", game: "g", taker: "A" }),
    0.605,
    1e-12,
  );
  const bars = fillShares(kindMeans(makers));
  assertEquals(bars.map((b) => b.kindLabel), ["Q-learner (Q)", "replenisher (R)", "background"]);
  assertAlmostEquals(bars[2].value as number, 1 - 0.605, 1e-12);
});

Deno.test("summaries: queue positions step by step and the change from game 1 to game 2", () => {
  const steps = pl.DataFrame({
    population: ["p", "p", "p", "p"],
    game: ["g", "g", "g", "g"],
    play_taker: ["A", "A", "A", "A"],
    seed: [0, 0, 1, 1],
    kind: ["q", "q", "q", "q"],
    maker: [0, 1, 0, 1],
    step: [0, 0, 0, 0],
    queue_ahead: [10, 20, 30, null],
    fills: [1, 1, 2, 2],
  });
  const [qs] = queueSummary(steps, "g").toRecords();
  // Per seed: the mean over the kind's makers (15 and 30), then over seeds.
  assertEquals([qs.queue_ahead_mean, qs.fills_mean], [22.5, 1.5]);
  const rows = [
    { population: "p", game: "g1", play_taker: "A", kind: "q", mtm_mean: 10 },
    { population: "p", game: "g2", play_taker: "A", kind: "q", mtm_mean: 8 },
  ];
  assertAlmostEquals(
    game2Change(rows, { population: "p", kind: "q", takers: ["A"], games: ["g1", "g2"] }),
    -0.2,
    1e-12,
  );
});
