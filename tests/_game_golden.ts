/**
 * Golden episodes: a set of game configurations whose episodes (summaries and full per-step
 * records) were digested with the engine of commit `f906fd7`, before makers could hold several
 * orders and before takers arrived at random steps. `tests/game_test.ts` replays them with
 * `orders: "single"` and `arrival: {kind: "fixed"}` and compares the digests byte for byte, so
 * today's results stay reproducible under the old rules.
 *
 * To regenerate the fixture (only if the old rules are meant to change), run
 * `deno run --allow-read --allow-write=tests/fixtures tests/_game_golden.ts <lib/game/mod.ts>`
 * with the path of the engine to digest.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { EpisodeSummary, Game, GameConfig, GameRecord } from "../lib/game/mod.ts";

/** One golden case: a name and a configuration (without the new options). */
export interface GoldenCase {
  readonly name: string;
  readonly config: GameConfig;
  /** Episodes played in a row (`run()` then `run()` without a seed: streams continue). */
  readonly episodes: number;
}

/** The cases: every taker, game, action set and maker policy, noise on and off. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  { name: "default", config: {}, episodes: 2 },
  {
    name: "replenisher-reactive-1",
    config: { makers: 1, taker: { kind: "reactive" }, seed: 3 },
    episodes: 2,
  },
  {
    name: "mixed-aggressive-3",
    config: {
      makers: 3,
      seed: "a",
      taker: { kind: "aggressive" },
      policy: [{ kind: "replenisher", offset: 2, qty: 400 }, { kind: "follower" }, {
        kind: "random",
      }],
    },
    episodes: 3,
  },
  {
    name: "random-hidden-noise-4",
    config: {
      makers: 4,
      seed: 11,
      game: { kind: "hidden" },
      taker: { kind: "almgren-chriss", riskAversion: 1e-4 },
      policy: { kind: "random" },
      background: { noiseRate: 2, refill: "poisson" },
    },
    episodes: 3,
  },
  {
    name: "random-factored-passive-2",
    config: {
      makers: 2,
      seed: 5,
      actions: "factored",
      makerOrder: "fixed",
      unsold: "drop",
      taker: { kind: "passive", maxWalk: 1 },
      policy: { kind: "random" },
      bid: { maxQty: 600, increment: 50, startQty: 100 },
    },
    episodes: 2,
  },
  {
    name: "followers-recentre-10",
    config: {
      makers: 10,
      seed: 2,
      steps: 40,
      taker: { kind: "reactive" },
      policy: { kind: "follower", share: 1 },
      background: { recentre: 0.3, noiseRate: 0.5 },
    },
    episodes: 2,
  },
  {
    name: "random-deepest-1",
    config: {
      makers: 1,
      seed: 9,
      steps: 30,
      game: { kind: "known", size: 5_000 },
      taker: { kind: "aggressive", rate: 0.1 },
      policy: { kind: "random", weights: [1, 1, 1, 3, 1, 1, 3] },
      background: { refillOrder: "deepest", resilience: 0.1 },
    },
    episodes: 3,
  },
];

const RECORD_FIELDS = [
  "action",
  "bidPrice",
  "bidQty",
  "target",
  "queueAhead",
  "fills",
  "otherFills",
  "reward",
  "cumPnl",
  "mtm",
  "childQty",
  "childFloor",
  "childFilled",
  "takerFilled",
  "bestBid",
  "bestAsk",
  "volume",
] as const;

/** The summary fields of commit `f906fd7` (later fields are not digested). */
export const SUMMARY_FIELDS: readonly (keyof EpisodeSummary)[] = [
  "episode",
  "seed",
  "game",
  "taker",
  "makers",
  "steps",
  "p0",
  "tickSize",
  "size",
  "executed",
  "unsold",
  "sweepQty",
  "avgPrice",
  "takerPnl",
  "shortfall",
  "shortfallBps",
  "backgroundVolume",
  "backgroundShare",
  "backgroundPnl",
  "otherVolume",
  "takerFills",
  "fillsPerStep",
  "finalBestBid",
  "finalMid",
  "makerPolicy",
  "makerVolume",
  "makerShare",
  "makerPnl",
  "makerMtm",
  "makerOtherVolume",
  "makerFills",
  "finalPrice",
  "finalQty",
  "finalTarget",
];

/** A digest of one episode: its summary fields and every record array, bytes included. */
function episodeDigest(s: EpisodeSummary, r: GameRecord): string {
  const h = createHash("sha256");
  const summary: Record<string, unknown> = {};
  for (const f of SUMMARY_FIELDS) summary[f] = s[f];
  // NaN and -0 survive through the numbers' bytes below; JSON keeps the rest readable.
  h.update(JSON.stringify(summary));
  const numbers = new Float64Array(SUMMARY_FIELDS.flatMap((f): number[] => {
    const v = s[f] as unknown;
    if (typeof v === "number") return [v];
    return Array.isArray(v) && typeof v[0] === "number" ? v as number[] : [];
  }));
  h.update(new Uint8Array(numbers.buffer));
  h.update(JSON.stringify([r.steps, r.episode, r.size]));
  for (const f of RECORD_FIELDS) {
    const a = r[f];
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest("hex");
}

/** Digests of every episode of a case, played on `createGame`. */
export function caseDigests(
  createGame: (c: GameConfig) => Game,
  c: GoldenCase,
  extra: Partial<GameConfig> = {},
): string[] {
  const game = createGame({ ...c.config, ...extra, record: true });
  const out: string[] = [];
  for (let e = 0; e < c.episodes; e++) {
    const s = e === 0 ? game.run() : game.run(undefined);
    out.push(episodeDigest(s, game.record()));
  }
  return out;
}

/** Where the digests are kept. */
export const GOLDEN_FILE = new URL("./fixtures/game_golden.json", import.meta.url);

if (import.meta.main) {
  const lib = Deno.args[0];
  if (!lib) throw new Error("usage: _game_golden.ts <path of lib/game/mod.ts>");
  const { createGame } = await import(new URL(lib, `file://${Deno.cwd()}/`).href);
  const out: Record<string, string[]> = {};
  for (const c of GOLDEN_CASES) out[c.name] = caseDigests(createGame, c);
  Deno.writeTextFileSync(GOLDEN_FILE, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${GOLDEN_FILE.pathname}`);
}
