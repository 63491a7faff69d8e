/**
 * Tests of `lib/experiments/fixed_rules/` (the best fixed rule): today's check ($70.88 against
 * the reactive taker on the first version's game), disjoint search and evaluation seeds, the
 * evaluation agreeing with the game, the fixed-others mode, the summaries and validation.
 */
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError, UnknownOptionError } from "../lib/errors.ts";
import { applyCondition, evaluateGame } from "../lib/game/mod.ts";
import {
  bestFixedRules,
  bestRuleJob,
  bestRuleJobs,
  bestRuleRow,
  bestRuleStudyDef,
  DEFAULT_RULE_FAMILY,
  fixedRuleList,
  fixedRuleText,
} from "../lib/experiments/mod.ts";
import { meanCI } from "../lib/metrics/mod.ts";

const V1 = { label: "v1", config: { orders: "single", arrival: { kind: "fixed" } } } as const;
const REACTIVE = { label: "reactive", taker: { kind: "reactive" } } as const;
const SMALL = {
  label: "small",
  config: { steps: 12, game: { kind: "known", size: 1_500 } },
} as const;

Deno.test("best fixed rule: against the reactive taker on today's game, (P0 − 2, 200) earns $70.88", async () => {
  const f = await bestFixedRules({
    games: [V1],
    takers: [REACTIVE],
    settings: { searchEpisodes: 2, evalEpisodes: 3 },
    workers: 0,
  });
  const best = bestRuleRow(f.best, { game: "v1", taker: "reactive", condition: "default" });
  assertEquals(best.rule, "replenisher(2, 200)");
  assertEquals(Math.round((best.search_score as number) * 100) / 100, 70.88);
  assertAlmostEquals(best.search_score as number, 70.88121, 1e-5, "notebook 04's π_M at n = 1");
  // A deterministic game: the held-out evaluation is the same number, with a zero-width interval.
  assertAlmostEquals(best.eval_mean as number, best.search_score as number, 1e-9);
  assertAlmostEquals(best.eval_hi as number, best.eval_lo as number, 1e-9);
  assertEquals(f.candidates.height, 51);
  assertEquals(best.candidates, 51);
  assertEquals(fixedRuleText(best), "replenisher at P0 − 2 for 200");
  // The learned maker of notebook 02 earned $68.09 there: the best rule earns more.
  assertTrue((best.eval_mean as number) > 68.09);
});

Deno.test("best fixed rule: search and evaluation seeds are disjoint; the evaluation is the game's", () => {
  const job = {
    game: SMALL,
    taker: { label: "TWAP", taker: { kind: "passive" } },
    condition: "noise",
    family: { replenisher: { offsets: [0, 1, 2], qtys: [100, 300] } },
    searchEpisodes: 3,
    evalEpisodes: 5,
    searchSeed: "s",
    evalSeed: "e",
  } as const;
  const f = bestRuleStudyDef.fromRows(bestRuleJob(job));
  assertEquals(f.candidates.height, 6);
  const ranks = (f.candidates.getColumn("rank").toArray() as number[]).sort();
  assertEquals(ranks, [1, 2, 3, 4, 5, 6]);
  const best = f.best.toRecords()[0];
  const cands = f.candidates.toRecords();
  const top = cands.find((r) => r.rank === 1)!;
  assertEquals(best.rule, top.rule);
  assertTrue(cands.every((r) => (r.score as number) <= (best.search_score as number)));
  const seeds = f.evaluation.getColumn("seed").toArray() as string[];
  assertEquals(seeds, ["e:0", "e:1", "e:2", "e:3", "e:4"]);
  // Recompute the winner's search score and its evaluation from the game itself.
  const config = applyCondition({ ...SMALL.config, makers: 1 }, "noise");
  const spec = {
    kind: "replenisher" as const,
    offset: best.offset as number,
    qty: best.qty as number,
  };
  const search = evaluateGame({
    config: { ...config, policy: spec, taker: job.taker.taker },
    episodes: 3,
    seed: (k) => `s:${k}`,
  });
  assertAlmostEquals(best.search_score as number, search.makers[0].pnl, 1e-9);
  const pnl = seeds.map((s) =>
    evaluateGame({
      config: { ...config, policy: spec, taker: job.taker.taker },
      episodes: 1,
      seed: () => s,
    }).makers[0].pnl
  );
  assertEquals(f.evaluation.getColumn("pnl").toArray(), pnl);
  const ci = meanCI(pnl);
  assertAlmostEquals(best.eval_mean as number, ci.mean, 1e-12);
  assertAlmostEquals(best.eval_lo as number, ci.lo, 1e-12);
  assertTrue((best.eval_hi as number) > (best.eval_lo as number), "noise: a real interval");
  assertThrows(
    () => bestRuleJob({ ...job, evalSeed: "s" }),
    ConfigError,
    "evalSeed: must be a root other than searchSeed",
  );
});

Deno.test("best fixed rule: symmetric profiles for n makers, or one seat against fixed others", () => {
  const base = {
    game: SMALL,
    taker: REACTIVE,
    family: { replenisher: { offsets: [1, 2], qtys: [200] } },
    searchEpisodes: 2,
    evalEpisodes: 2,
  };
  const sym = bestRuleStudyDef.fromRows(bestRuleJob({ ...base, n: 3 }));
  const r = sym.candidates.toRecords()[0];
  const ev = evaluateGame({
    config: {
      ...SMALL.config,
      makers: 3,
      policy: { kind: "replenisher", offset: 1, qty: 200 },
      taker: REACTIVE.taker,
    },
    episodes: 2,
    seed: (k) => `search:${k}`,
  });
  assertAlmostEquals(r.score as number, ev.mean.makersPnl / 3, 1e-9, "mean per maker");
  const seat = bestRuleStudyDef.fromRows(
    bestRuleJob({ ...base, n: 2, others: [{ kind: "follower" }] }),
  );
  const s0 = seat.candidates.toRecords()[1];
  const ev2 = evaluateGame({
    config: {
      ...SMALL.config,
      makers: 2,
      policy: [{ kind: "replenisher", offset: 2, qty: 200 }, { kind: "follower" }],
      taker: REACTIVE.taker,
    },
    episodes: 2,
    seed: (k) => `search:${k}`,
  });
  assertAlmostEquals(s0.score as number, ev2.makers[0].pnl, 1e-9, "maker 0's PnL");
  assertThrows(
    () => bestRuleJob({ ...base, n: 3, others: [{ kind: "follower" }] }),
    ConfigError,
    "others: must be 2 policy specs",
  );
});

Deno.test("best fixed rule: the family, the jobs and their validation", () => {
  const all = fixedRuleList(DEFAULT_RULE_FAMILY);
  assertEquals(all.length, 51);
  assertEquals(all.filter((r) => r.spec.kind === "follower").length, 9);
  assertEquals(fixedRuleList({ follower: { offsets: [1], shares: [0.5] } })[0].spec, {
    kind: "follower",
    offset: 1,
    share: 0.5,
  });
  assertThrows(() => fixedRuleList({}), ConfigError, "family: must be a family with at least one");
  assertThrows(
    () => fixedRuleList({ replenisher: { offsets: [-1], qtys: [1] } }),
    ConfigError,
    "family.replenisher.offsets[0]",
  );
  const jobs = bestRuleJobs({
    games: [V1, SMALL],
    takers: [REACTIVE],
    conditions: ["default", ["noise", "thin"]],
    ns: [1, 2],
    settings: { searchEpisodes: 1, evalEpisodes: 2 },
  });
  assertEquals(jobs.length, 8);
  assertEquals(jobs.map((j) => `${j.game.label}/${j.n}`).slice(0, 4), [
    "v1/1",
    "v1/2",
    "v1/1",
    "v1/2",
  ]);
  assertThrows(
    () =>
      bestRuleJobs({
        games: [V1, V1],
        takers: [REACTIVE],
        settings: { searchEpisodes: 1, evalEpisodes: 2 },
      }),
    ConfigError,
    "games[].label",
  );
  assertThrows(
    () =>
      bestRuleJobs({
        games: [V1],
        takers: [REACTIVE],
        conditions: ["windy" as never],
        settings: { searchEpisodes: 1, evalEpisodes: 2 },
      }),
    ConfigError,
    "conditions[0]",
  );
  assertThrows(
    () =>
      bestRuleJobs({
        games: [V1],
        takers: [REACTIVE],
        settings: { searchEpisodes: 1, evalEpisodes: 1 },
      }),
    ConfigError,
    "settings.evalEpisodes",
  );
  // The specs inside are checked with their paths before any job runs.
  const jobsWith = (over: Record<string, unknown>) => () =>
    bestRuleJobs({
      games: [V1],
      takers: [REACTIVE],
      settings: { searchEpisodes: 1, evalEpisodes: 2 },
      ...over,
    } as never);
  assertThrows(
    jobsWith({ games: [{ label: "g", config: { steps: 0 } }] }),
    ConfigError,
    "games[0].config.steps: must be",
  );
  assertThrows(
    jobsWith({ games: [{ label: "g", config: { makers: 2 } }] }),
    ConfigError,
    "games[0].config.makers: must be absent",
  );
  assertThrows(
    jobsWith({ takers: [{ label: "t", taker: { kind: "passive", maxwalk: 1 } }] }),
    UnknownOptionError,
    "takers[0].taker",
  );
  assertThrows(
    jobsWith({
      ns: [2],
      settings: { searchEpisodes: 1, evalEpisodes: 2, others: [{ kind: "follower", shar: 1 }] },
    }),
    UnknownOptionError,
    "settings.others[0]",
  );
  assertEquals(
    fixedRuleText({ kind: "follower", offset: 1, share: 0.5 }),
    "follower 1 tick below the best competing bid, showing 0.5 of the flow",
  );
});
