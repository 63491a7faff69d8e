/**
 * Byte-identity of the game and of training against a baseline checkout (issue 15: every speedup
 * keeps results byte-identical for the same seed). Not a benchmark: it plays the same workloads
 * through the current `lib/` and through `BENCH_BASELINE=<dir>`'s (e.g.
 * `git archive main lib | tar -x -C .tmp/main`) and compares SHA-256 digests of everything they
 * produce:
 *
 * - **Recorded episodes** (`record: true`): every per-step array of the record and the summary of
 *   each episode, for games that cover both rule sets (several orders per maker with random
 *   arrival, the default; one order with a fixed start), every taker, the baseline policies and
 *   random makers, noise flow, Poisson and deepest-first refills, a recentring ladder, 0–10
 *   makers; episodes in a row on continuing streams, then a re-seeded one.
 * - **Training runs** (`trainMakers`): the records frame (column names, types, and every value as CSV text), each
 *   learner's Q-table, visit counts and greedy snapshot, the convergence report and the final
 *   evaluation, for one Q-maker against each taker, two and three Q-makers (one with noise), a
 *   Q-maker beside a baseline, a learning taker, per-step ε, and the old rules.
 * - **LOBSTER replays** (`replay`): the whole report (rows matched, the first mismatch, reveals,
 *   merges, the matching check's runs and mismatches) of each committed sample, with and without
 *   the matching check.
 *
 * Run: `BENCH_BASELINE=.tmp/main deno run --allow-read=. --allow-env --allow-sys --allow-ffi
 * bench/identity.ts` (`BENCH_QUICK=1` plays fewer episodes). Exits with code 1 on any difference.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { baseline, QUICK } from "./_bench.ts";
import * as gameLib from "../lib/game/mod.ts";
import * as makersLib from "../lib/makers/mod.ts";
import * as lobsterLib from "../lib/lobster/mod.ts";
import { fileURLToPath } from "node:url";
import type { GameConfig } from "../lib/game/mod.ts";
import type { MakersTrainConfig } from "../lib/makers/mod.ts";

type GameLib = Pick<typeof gameLib, "createGame">;
type MakersLib = Pick<typeof makersLib, "trainMakers">;
type LobsterLib = Pick<typeof lobsterLib, "replay">;

const EPISODES = QUICK ? 10 : 40;
const TRAIN = QUICK ? 150 : 600;

const OLD = { orders: "single", arrival: { kind: "fixed" } } as const;

/** Game configurations (recording is added). */
const GAMES: [string, GameConfig][] = [
  ["default", {}],
  ["old rules", { ...OLD }],
  ["0 makers", { makers: 0 }],
  ["1 replenisher vs reactive", { makers: 1, taker: { kind: "reactive" }, seed: 3 }],
  ["2 random vs aggressive", {
    makers: 2,
    seed: 4,
    policy: { kind: "random" },
    taker: { kind: "aggressive" },
  }],
  ["3 mixed, noise, poisson", {
    makers: 3,
    seed: "a",
    policy: [{ kind: "replenisher", offset: 2, qty: 400 }, { kind: "follower" }, {
      kind: "random",
    }],
    taker: { kind: "almgren-chriss", riskAversion: 1e-4 },
    background: { noiseRate: 2, refill: "poisson" },
  }],
  ["4 random, hidden, deepest", {
    makers: 4,
    seed: 11,
    game: { kind: "hidden" },
    policy: { kind: "random" },
    background: { refillOrder: "deepest", noiseRate: 0.5 },
  }],
  ["2 random factored, fixed order, old rules", {
    ...OLD,
    makers: 2,
    seed: 5,
    actions: "factored",
    makerOrder: "fixed",
    unsold: "drop",
    policy: { kind: "random" },
    taker: { kind: "passive", maxWalk: 1 },
    bid: { maxQty: 600, increment: 50, startQty: 100 },
  }],
  ["10 followers, recentre", {
    makers: 10,
    seed: 2,
    policy: { kind: "follower", share: 1 },
    taker: { kind: "reactive" },
    background: { recentre: 0.3, noiseRate: 0.5 },
  }],
  ["2 random, multi, fixed arrival", {
    makers: 2,
    seed: 9,
    policy: { kind: "random" },
    arrival: { kind: "fixed", start: 5 },
  }],
];

/** Training configurations (episode counts are set below). */
const RUNS: [string, Omit<MakersTrainConfig, "episodes">][] = [
  ...(["passive", "aggressive", "reactive", "almgren-chriss"] as const).map((
    t,
  ): [string, Omit<MakersTrainConfig, "episodes">] => [
    `1 q vs ${t}`,
    { game: { makers: 1, seed: 1 }, taker: { kind: t } as { kind: "passive" }, evalEpisodes: 2 },
  ]),
  ["2 q vs passive", { game: { makers: 2, seed: 2 }, evalEpisodes: 2 }],
  ["3 q, noise, reactive", {
    game: { makers: 3, seed: 3, background: { noiseRate: 1 } },
    taker: { kind: "reactive" },
    evalEpisodes: 1,
    convergence: { statistic: "path" },
  }],
  ["q + replenisher, step ε, constant α", {
    game: { makers: 2, seed: 4 },
    policy: [{ kind: "q", alpha: 0.1 }, { kind: "replenisher" }],
    learner: { epsilon: { kind: "exponential", start: 1, end: 0, rate: 0.9999 } as never },
    evalEpisodes: 1,
  }],
  ["q maker + q taker", {
    game: { makers: 1, seed: 5 },
    taker: { kind: "q" } as never,
    evalEpisodes: 1,
  }],
  ["2 q, old rules", { game: { makers: 2, seed: 6, ...OLD }, evalEpisodes: 2 }],
];

const hashOf = (h: ReturnType<typeof createHash>) => h.digest("hex").slice(0, 16);

function feed(h: ReturnType<typeof createHash>, v: unknown): void {
  if (ArrayBuffer.isView(v)) {
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else h.update(JSON.stringify(v) ?? "undefined");
}

/** Digest of the episodes of one game configuration. */
function gameDigest(lib: GameLib, config: GameConfig): string {
  const h = createHash("sha256");
  const game = lib.createGame({ ...config, record: true });
  for (let e = 0; e <= EPISODES; e++) {
    // The last episode re-seeds: reset(seed) must start the same episode again.
    const s = e === EPISODES ? game.run(config.seed ?? 0) : game.run();
    feed(h, s);
    const r = game.record();
    for (const [k, v] of Object.entries(r)) {
      feed(h, k);
      feed(
        h,
        ArrayBuffer.isView(v)
          ? (v as Float64Array).subarray(0, r.steps * ((v as Float64Array).length / r.capacity))
          : v,
      );
    }
  }
  return hashOf(h);
}

/** Digest of one training run. */
function trainDigest(lib: MakersLib, config: MakersTrainConfig): string {
  const h = createHash("sha256");
  const r = lib.trainMakers(config);
  feed(h, r.records.columns);
  feed(h, r.records.dtypes.map(String));
  feed(h, r.records.writeCSV().toString());
  for (const l of r.learners) {
    feed(h, l.agent);
    feed(h, l.table);
    feed(h, l.visits);
    feed(h, l.policy);
    feed(h, [l.learner.epsilon, l.learner.episodes, l.learner.steps]);
  }
  feed(h, r.convergence);
  feed(h, r.final);
  feed(h, [r.episodes, r.checks]);
  return hashOf(h);
}

const baseGame = await baseline<GameLib>("lib/game/mod.ts");
const baseMakers = await baseline<MakersLib>("lib/makers/mod.ts");
const baseLobster = await baseline<LobsterLib>("lib/lobster/mod.ts");
if (baseGame === null || baseMakers === null || baseLobster === null) {
  console.log("identity: set BENCH_BASELINE=<dir> (a checkout of the code to compare with)");
  Deno.exit(2);
}
console.log(
  `identity against ${Deno.env.get("BENCH_BASELINE")}: ${EPISODES + 1} recorded episodes per ` +
    `game, ${TRAIN} training episodes per run`,
);
let same = 0, total = 0;
const report = (name: string, a: string, b: string) => {
  total++;
  if (a === b) same++;
  else Deno.exitCode = 1;
  console.log(`  ${a === b ? "same     " : "DIFFERENT"} ${a} ${a === b ? "" : b + " "}${name}`);
};
for (const [name, config] of GAMES) {
  report(`game: ${name}`, gameDigest(gameLib, config), gameDigest(baseGame, config));
}
for (const [name, config] of RUNS) {
  const c = { ...config, episodes: TRAIN, evalEvery: Math.max(1, TRAIN / 10) };
  report(`trainMakers: ${name}`, trainDigest(makersLib, c), trainDigest(baseMakers, c));
}
const samples = lobsterLib.findSamples(
  fileURLToPath(new URL("../data/lobster/", import.meta.url)),
);
for (const files of samples) {
  const sample = lobsterLib.loadSample(files);
  for (const checkMatching of [true, false]) {
    const digest = (lib: LobsterLib) => {
      const h = createHash("sha256");
      feed(
        h,
        lib.replay({ messages: sample.messages, orderbook: sample.orderbook, checkMatching }),
      );
      return hashOf(h);
    };
    const name = `replay: ${files.ticker}${checkMatching ? "" : ", no matching check"}`;
    report(name, digest(lobsterLib), digest(baseLobster));
  }
}
console.log(`${same} of ${total} identical`);
