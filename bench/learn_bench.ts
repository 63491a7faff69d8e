/**
 * `deno task bench:learn`: the tabular Q-learner alone, against a hand-inlined loop of the same
 * algorithm, and training makers on the game. Every figure is printed beside its target and
 * the figure of issue 15 ("today"; see `_bench.ts` for the timing method and `BENCH_BASELINE`).
 *
 * 1. **Bare MDP**: 1,000 states × 7 actions, each (s, a) with 4 equally likely (next state,
 *    reward) outcomes; episodes of 100 steps; `act` (ε = 0.1) + an outcome draw + `update`.
 * 2. **Two-agent repeated game** (Calvano et al. 2020's setting): two learners price on a grid of
 *    15 prices under logit demand; the state is the last pair of prices (225 states), α = 0.15
 *    constant, γ = 0.95, each agent's ε = e^(−βt) decaying per step (β = 4·10⁻⁶ and 5·10⁻⁶:
 *    each its own schedule, so neither loop can compute one ε for both). The same algorithm is also
 *    written out by hand in one loop (tables, ε-greedy with seeded tie-breaking, the update),
 *    drawing from the same streams: both must end with the same Q-tables (checksum), and the
 *    learner's speed over the loop's is the figure (target ≥ 0.9).
 * 3. **Game training**: `trainMakers` with default Q-makers (10,000 episodes, per-episode
 *    records on, a convergence check every 200 episodes, no greedy evaluation): one maker
 *    against each taker (target ≥ 3 M maker updates/s), and two makers against the passive taker
 *    (target ≥ 1.5 M updates/s per maker). The default game has 90-step episodes (the taker
 *    arrives in steps 0–30 and trades for 60) and makers may hold several orders; the same runs
 *    on the first version's rules (`orders: "single"`, `arrival: {kind: "fixed"}`: 60-step
 *    episodes, one order per maker) are printed too, like for like with issue 15's figure and a
 *    baseline checkout from before the new rules. Rates count each game's own steps (one update
 *    per maker per step).
 * 4. **Where a training step goes** (one maker, passive taker): the same 10,000 episodes played
 *    by the game without makers (the taker and the background), with a fixed replenisher, with a
 *    maker drawing uniformly random actions (the exploring maker's book operations), the same
 *    plus the Q-maker's state encoder run on its view each step, with a Q-maker exploring at
 *    ε = 1 (random actions too, plus the encoder and the learner's act and update: the line
 *    above it gives the learner's own cost), with the learning Q-maker
 *    (ε decaying: what it chooses changes the book operations too), plus the game's per-episode
 *    summary, and then `trainMakers` (records, checks, frame).
 *    Issue 15 measured 719 ns per step between the first and the last. The same again with two
 *    makers, both of each line's kind (`bench/learn_bench.ts 4.2` runs that one alone, as the
 *    task does; `BENCH_BREAKDOWN=1` or `=2` picks one when section 4 runs whole). In one
 *    process the lines' different policies make the game's calls polymorphic, which adds to every
 *    line; `BENCH_CASE=k` runs line k (from 0) alone, to run each line in a process of its own.
 *
 * `deno task bench:learn` runs each section in a process of its own (`bench/learn_bench.ts 2`
 * runs one), so that no section's figure depends on the JIT state another leaves behind.
 * `BENCH_QUICK=1` runs fewer rounds and episodes; `BENCH_ONLY=2,3` runs only those sections.
 *
 * @module
 */
import {
  baseline,
  conditions,
  cpuMs,
  int,
  interleave,
  median,
  mega,
  QUICK,
  TODAY,
} from "./_bench.ts";
import { createGame, type MakerPolicySpec, resolveConfig } from "../lib/game/mod.ts";
import { createQLearner, type Schedule, scheduleAt } from "../lib/learn/mod.ts";
import { checksum, gameWithLearners } from "./_two_learners.ts";
import { makerEncoder, qMaker, trainMakers } from "../lib/makers/mod.ts";
import { stream } from "../lib/rng.ts";

const ROUNDS = Number(Deno.env.get("BENCH_RUNS") ?? (QUICK ? 2 : 5));
const EPISODES = QUICK ? 2_000 : 10_000;
/** Steps per episode of the default game (90: a 60-step window, arrival in steps 0–30). */
const STEPS = resolveConfig({}).steps;

/**
 * Sections: the arguments (the task runs one process per section, and section 4's 1- and
 * 2-maker profiles as `4.1` and `4.2`), else all; `BENCH_ONLY=2,4` keeps only those (so
 * `BENCH_ONLY=2 deno task bench:learn` runs section 2 alone).
 */
const ONLY = Deno.env.get("BENCH_ONLY")?.split(",");
const only = (Deno.args.length > 0 ? Deno.args.join(",") : "1,2,3,4").split(",")
  .filter((s) => ONLY === undefined || ONLY.includes(s) || ONLY.includes(s.split(".")[0]));
if (only.length === 0) Deno.exit(0);
console.log(`bench:learn — ${conditions(ROUNDS)}`);

// ---------------------------------------------------------------- 1. bare MDP

function bareMDP() {
  const S = 1_000, A = 7, O = 4, H = 100, N = QUICK ? 2_000_000 : 10_000_000;
  const rng = stream(1, "bench:mdp");
  const next = new Int32Array(S * A * O), reward = new Float64Array(S * A * O);
  for (let i = 0; i < next.length; i++) {
    next[i] = Math.floor(rng() * S);
    reward[i] = rng() * 2 - 1;
  }
  const learner = createQLearner({
    nStates: S,
    nActions: A,
    gamma: 0.99,
    rng: stream(3, "bench:learner"),
    epsilon: 0.1,
    alpha: 0.1,
  });
  const env = stream(2, "bench:env");
  const run = () => {
    let s = 0, t = 0, sum = 0;
    for (let i = 0; i < N; i++) {
      const a = learner.act(s);
      const o = (s * A + a) * O + Math.floor(env() * O);
      const last = ++t === H;
      learner.update(s, a, reward[o], next[o], last);
      sum += a;
      if (last) {
        learner.endEpisode();
        t = 0;
        s = 0;
      } else s = next[o];
    }
    return sum;
  };
  const [t] = interleave([run], ROUNDS);
  const rate = N / (median(t.cpu) / 1000);
  console.log(
    `\n1. bare MDP (1,000 states × 7 actions): ${mega(rate)} updates/s ` +
      `(today ${mega(TODAY.bareLearner)})`,
  );
}

// ---------------------------------------------------------------- 2. repeated game

const NP = 15; // prices
const NS = NP * NP; // states: last pair of prices
const GAMMA = 0.95, ALPHA = 0.15;
/** Each agent's ε = e^(−βt): β = 4·10⁻⁶ and 5·10⁻⁶ (their own schedules, as in any game). */
const EPS = [4e-6, 5e-6].map((beta) => ({
  kind: "exponential" as const,
  start: 1,
  end: 0,
  rate: Math.exp(-beta),
}));
const PERIODS = QUICK ? 1_000_000 : 4_000_000;

/** Profits of agent 0 and 1 for each pair of prices (logit demand, cost 1). */
function payoffs(): [Float64Array, Float64Array] {
  const p = Float64Array.from({ length: NP }, (_, k) => 1.4 + (0.6 * k) / (NP - 1));
  const mu = 0.25, a = 2, c = 1;
  const r0 = new Float64Array(NS), r1 = new Float64Array(NS);
  for (let i = 0; i < NP; i++) {
    for (let j = 0; j < NP; j++) {
      const e0 = Math.exp((a - p[i]) / mu), e1 = Math.exp((a - p[j]) / mu);
      const d = e0 + e1 + 1;
      r0[i * NP + j] = (p[i] - c) * e0 / d;
      r1[i * NP + j] = (p[j] - c) * e1 / d;
    }
  }
  return [r0, r1];
}

/** The same algorithm written out in one loop, with the same streams. */
function gameInlined(r0: Float64Array, r1: Float64Array, seed: number): number {
  const q0 = new Float64Array(NS * NP), q1 = new Float64Array(NS * NP);
  const g0 = stream(seed, "agent:0"), g1 = stream(seed, "agent:1");
  const [e0, e1] = EPS;
  let eps0 = scheduleAt(e0, 0), eps1 = scheduleAt(e1, 0), s = 0;
  const act = (q: Float64Array, g: () => number, eps: number, base: number): number => {
    if (eps > 0 && g() < eps) return Math.floor(g() * NP);
    let best = q[base], bestA = 0, ties = 1;
    for (let x = 1; x < NP; x++) {
      const v = q[base + x];
      if (v > best) {
        best = v;
        bestA = x;
        ties = 1;
      } else if (v === best) ties++;
    }
    if (ties === 1) return bestA;
    let k = Math.floor(g() * ties);
    for (let x = bestA; x < NP; x++) {
      if (q[base + x] === best) {
        if (k === 0) return x;
        k--;
      }
    }
    return bestA;
  };
  const update = (q: Float64Array, k: number, r: number, base2: number) => {
    let m = q[base2];
    for (let x = 1; x < NP; x++) if (q[base2 + x] > m) m = q[base2 + x];
    q[k] += ALPHA * (r + GAMMA * m - q[k]);
  };
  for (let t = 0; t < PERIODS; t++) {
    const a = act(q0, g0, eps0, s * NP), b = act(q1, g1, eps1, s * NP);
    const s2 = a * NP + b;
    // Each agent: the update, then its ε at its update count (each has its own schedule).
    update(q0, s * NP + a, r0[s2], s2 * NP);
    eps0 = Math.max(e0.start * Math.pow(e0.rate, t + 1), e0.end);
    update(q1, s * NP + b, r1[s2], s2 * NP);
    eps1 = Math.max(e1.start * Math.pow(e1.rate, t + 1), e1.end);
    s = s2;
  }
  return checksum(q0, q1, s);
}

async function repeatedGame() {
  const base = await baseline<{ createQLearner: typeof createQLearner }>("lib/learn/mod.ts");
  const [r0, r1] = payoffs();
  const g = { np: NP, gamma: GAMMA, alpha: ALPHA, eps: EPS, periods: PERIODS, r0, r1 };
  let cl = NaN, ci = NaN, cb = NaN;
  const cases = [
    () => (cl = gameWithLearners(createQLearner, g, 1)),
    () => (ci = gameInlined(r0, r1, 1)),
  ];
  if (base) {
    // The baseline's own copy of the loop (a second module instance): see _two_learners.ts.
    const loop =
      (await import("./_two_learners.ts#baseline")) as typeof import("./_two_learners.ts");
    cases.push(() => (cb = loop.gameWithLearners(base.createQLearner, g, 1)));
  }
  const [tl, ti, tb] = interleave(cases, ROUNDS);
  const rl = PERIODS / (median(tl.cpu) / 1000), ri = PERIODS / (median(ti.cpu) / 1000);
  const ratios = tl.cpu.map((x, k) => ti.cpu[k] / x);
  console.log(
    `\n2. two-agent repeated game (225 states × 15 actions, α constant, ε decaying per step), ` +
      `${int(PERIODS)} periods:`,
  );
  console.log(`   learner (lib/learn)   ${mega(rl)} periods/s (2 act + 2 update each)`);
  console.log(`   hand-inlined loop     ${mega(ri)} periods/s`);
  console.log(
    `   learner / inlined     ${(rl / ri).toFixed(2)}× (median of paired rounds ` +
      `${median(ratios).toFixed(2)}×; target ≥ 0.90×, today ${TODAY.learnerVsInlined}×); ` +
      `same tables: ${cl === ci ? "yes" : `NO (${cl} vs ${ci})`}`,
  );
  if (base) {
    const rb = PERIODS / (median(tb.cpu) / 1000);
    console.log(
      `   baseline learner      ${mega(rb)} periods/s (${Deno.env.get("BENCH_BASELINE")}); ` +
        `baseline / inlined ${(rb / ri).toFixed(2)}× (paired ${
          median(tb.cpu.map((x, k) => ti.cpu[k] / x)).toFixed(2)
        }×); same tables: ${cb === ci ? "yes" : "NO"}`,
    );
  }
  if (cl !== ci) Deno.exitCode = 1;
}

// ---------------------------------------------------------------- 3. game training

/** `lib/makers` here or in a baseline checkout (`train` before it was renamed `trainMakers`). */
type Lib = { trainMakers?: typeof trainMakers; train?: typeof trainMakers };

type TakerKind = "passive" | "aggressive" | "reactive" | "almgren-chriss";

/** The first version's rules (one order per maker, the taker from step 0: 60-step episodes). */
const OLD_RULES = { orders: "single", arrival: { kind: "fixed" } } as const;

/** Steps per episode of the last run of each case (its game's own length), by case name. */
const stepsOf = new Map<string, number>();

function trainRun(lib: Lib, makers: number, taker: TakerKind, o: { name: string; old?: boolean }) {
  const train = (lib.trainMakers ?? lib.train)!;
  return () => {
    const r = train({
      game: { makers, seed: 1, ...(o.old ? OLD_RULES : {}) },
      taker: { kind: taker } as { kind: "passive" },
      episodes: EPISODES,
      evalEvery: 200,
      evalEpisodes: 0,
    });
    stepsOf.set(o.name, r.game.config.steps);
    return r;
  };
}

async function gameTraining() {
  const base = await baseline<Lib>("lib/makers/mod.ts");
  console.log(
    `\n3. game training: ${int(EPISODES)} episodes (${STEPS} steps under the default rules, ` +
      `60 under the old ones and in a baseline from before them), default Q-makers, ` +
      `per-episode records on, a check every 200 episodes, no evaluation episodes` +
      (base ? `; baseline ${Deno.env.get("BENCH_BASELINE")} side by side` : ""),
  );
  const takers: TakerKind[] = ["passive", "aggressive", "reactive", "almgren-chriss"];
  const cases: [string, number, () => unknown][] = [];
  const add = (name: string, n: number, lib: Lib, t: TakerKind, old = false) =>
    cases.push([name, n, trainRun(lib, n, t, { name, old })]);
  for (const t of takers) add(`1 maker vs ${t}`, 1, { trainMakers }, t);
  add("2 makers vs passive", 2, { trainMakers }, "passive");
  // Like for like with a baseline from before the new rules: the first version's game.
  add("1 maker vs passive, old rules", 1, { trainMakers }, "passive", true);
  add("2 makers vs passive, old rules", 2, { trainMakers }, "passive", true);
  if (base) {
    add("1 maker vs passive (baseline)", 1, base, "passive");
    add("2 makers vs passive (baseline)", 2, base, "passive");
  }
  const times = interleave(cases.map((c) => c[2]), ROUNDS);
  cases.forEach(([name, n], k) => {
    // Each game's own episode length: 90 steps under the default rules, 60 under the old ones.
    const rate = EPISODES * stepsOf.get(name)! / (median(times[k].cpu) / 1000);
    const target = n === 1 ? "≥ 3 M" : "≥ 1.5 M per maker";
    const today = n === 1 && name.includes("passive") && !name.includes("baseline")
      ? `; today ${mega(TODAY.gameTraining)} on the old rules`
      : "";
    // Beside a baseline case: the current code's speed over it, median of the paired rounds,
    // against the current case on the same rules (the old ones for a baseline from before them).
    const same = (c: string) => stepsOf.get(c) === stepsOf.get(name);
    const plain = name.replace(" (baseline)", "");
    const cur = name.endsWith(" (baseline)")
      ? cases.findIndex((c) => same(c[0]) && (c[0] === plain || c[0] === `${plain}, old rules`))
      : -1;
    const paired = cur < 0 ? "" : `; current/baseline ${
      median(
        times[k].cpu.map((t, r) =>
          (stepsOf.get(cases[cur][0])! / times[cur].cpu[r]) / (stepsOf.get(name)! / t)
        ),
      ).toFixed(2)
    }× (median of paired rounds, against "${cur < 0 ? "" : cases[cur][0]}")`;
    console.log(
      `   ${name.padEnd(32)} ${mega(rate)} updates/s per maker ` +
        `(${(1e9 / rate).toFixed(0)} ns per step; target ${target}${today}${paired})`,
    );
  });
}

// ---------------------------------------------------------------- 4. breakdown

function playGame(makers: number, policy: MakerPolicySpec | null, summary: boolean) {
  return () => {
    const g = policy === null
      ? createGame({ makers: 0, seed: 1, taker: { kind: "passive" } })
      : createGame({ makers, seed: 1, policy, taker: { kind: "passive" } });
    let check = 0;
    for (let e = 0; e < EPISODES; e++) {
      if (e === 0) g.reset(1);
      else g.reset();
      while (!g.step());
      if (summary) check += g.summary().makerPnl[0];
      else check += g.book.bestBid();
    }
    return check;
  };
}

/** A maker with uniformly random actions that also encodes its view every step (the Q-maker's
 * encoder on the same game), keeping the states' sum so that the encoding is not optimised away. */
function randomEncoding(): MakerPolicySpec {
  return {
    kind: "custom",
    create: (ctx) => {
      const { encode } = makerEncoder({ makers: ctx.makers, sizeVisible: ctx.sizeVisible });
      const n = ctx.actions.n, rng = ctx.rng, sum = encoded;
      return {
        name: "random+encoder",
        act(view) {
          sum[0] += encode(view);
          return Math.floor(rng() * n);
        },
      };
    },
  };
}
const encoded = new Float64Array(1);

function breakdown(makers: number) {
  const eps: Schedule = {
    kind: "linear",
    start: 1,
    end: 0.05,
    duration: Math.round(0.8 * EPISODES),
  };
  const q = () => qMaker({ epsilon: eps });
  const m = makers;
  const cases: [string, () => unknown][] = [
    ["game, no maker (taker, background)", playGame(m, null, false)],
    ["game, fixed replenisher", playGame(m, { kind: "replenisher" }, false)],
    ["game, maker with random actions", playGame(m, { kind: "random" }, false)],
    // The same random actions, plus the Q-maker's state encoding of each view (not used).
    ["  + encoding the state each step", playGame(m, randomEncoding(), false)],
    // Random actions too, but drawn by a Q-maker that encodes and learns: the learning's own
    // cost, apart from the book operations of what a learning maker chooses to do.
    ["game, Q-maker with ε = 1", () => playGame(m, qMaker({ epsilon: 1 }), false)()],
    ["game, learning Q-maker", () => playGame(m, q(), false)()],
    ["  + the per-episode summary", () => playGame(m, q(), true)()],
    ["trainMakers (records, checks, frame)", trainRun({ trainMakers }, m, "passive", { name: "" })],
  ];
  const one = Deno.env.get("BENCH_CASE");
  if (one !== undefined) {
    // One line alone in this process: no other line's policies make the game's calls polymorphic.
    const [name, f] = cases[Number(one)];
    const [t] = interleave([f], ROUNDS);
    const ns = (median(t.cpu) * 1e6) / (EPISODES * STEPS);
    console.log(
      `4. (${m} maker${m === 1 ? "" : "s"}) ${name.trim().padEnd(34)} ${ns.toFixed(0)} ns`,
    );
    return;
  }
  const times = interleave(cases.map((c) => c[1]), ROUNDS);
  const ns = times.map((t) => (median(t.cpu) * 1e6) / (EPISODES * STEPS));
  console.log(
    `\n4. where a training step goes (${
      m === 1 ? "1 maker" : `${m} makers, each line's makers ` +
        `all of that kind`
    }, passive taker; ns per step, each line adds to the one above` +
      (m === 1
        ? `; issue 15: ${TODAY.trainingOverheadNs} ns from the replenisher line to the last, on ` +
          `60-step episodes):`
        : "):"),
  );
  cases.forEach(([name], k) => {
    const d = k === 0 ? "" : ` (+${(ns[k] - ns[k - 1]).toFixed(0)})`;
    console.log(`   ${name.padEnd(34)} ${ns[k].toFixed(0).padStart(5)} ns${d}`);
  });
  const last = ns.length - 1;
  console.log(
    `   training over the replenisher game: ${(ns[last] - ns[1]).toFixed(0)} ns per step`,
  );
}

const t0 = cpuMs();
if (only.includes("1")) bareMDP();
if (only.includes("2")) await repeatedGame();
if (only.includes("3")) await gameTraining();
for (const section of only.filter((s) => s.startsWith("4"))) {
  const makers = section === "4" ? Deno.env.get("BENCH_BREAKDOWN") ?? "1,2" : section.slice(2);
  for (const m of makers.split(",")) breakdown(Number(m));
}
console.log(`\n(${((cpuMs() - t0) / 1000).toFixed(0)} s of CPU time)`);
