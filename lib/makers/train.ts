/**
 * Training: episodes of the game with Q-learning makers (and optionally a learning taker),
 * periodic greedy evaluation on fixed seeds, per-episode records, and a convergence verdict.
 *
 * ## The loop
 * One training game (streams seeded once from `game.seed`, then continuing, so consecutive
 * episodes differ reproducibly) plays `episodes` episodes. Learners act ε-greedily and update
 * every step; ε follows its schedule per episode (default: linear from 1 to 0.05 over the first
 * 80 % of the episodes, then 0.05). Every `evalEvery` episodes (K) a **check**:
 *
 * 1. each learner's greedy policy is snapshotted (`createPolicyTracker`: lowest-index best
 *    action, the fallback in unvisited states) and its **policy change** since the previous
 *    check is computed (the fraction of states visited by then whose greedy action changed);
 * 2. `evalEpisodes` **greedy evaluation** episodes are played on a separate game instance,
 *    re-seeded from the fixed seeds `${evalSeed}:0`, `${evalSeed}:1`, …, in which the learners
 *    play their snapshots (no exploration, no learning, no draw from the training streams) and
 *    baselines play as in training. Their mean PnL per agent is the learning curve without the
 *    exploration noise, comparable across checks because the seeds are the same.
 *
 * ## Convergence criterion
 * **Converged** at the first check `c` such that at checks `c − M + 1 … c` every learner's
 * policy change was at most `tol` (`convergence: {patience: M, tol, margin}`, defaults M = 5,
 * `tol` = 0.05, `margin` = 0.01): the greedy policy was unchanged (up to 5 % of the visited
 * states) for M consecutive checks, i.e. over `M · K` episodes. A state's greedy action counts
 * as changed only if the previous one is now worse than the new best by more than 1 % of its
 * value: in most of the makers' states several actions are equivalent (on a full bid at the
 * touch, `keep_price`, `keep_qty` and `replenish` do the same thing) and their estimates swap
 * places by noise forever; with `margin: 0` every swap counts (the strict reading). The first
 * check never passes (there is nothing to compare with). Reported as `convergence.met` and the check and episode where it was met;
 * with `stopWhenConverged` training stops there. The evaluation PnL is recorded alongside, so a
 * notebook can also judge convergence by value (e.g. eval PnL within a band).
 *
 * ## Records
 * {@linkcode TrainResult.records}: one Polars frame per run, one row per (episode, agent), agents
 * `maker:0 … maker:n−1` then `taker`, built once from typed arrays:
 *
 * - `run` (the `label`), `episode`, `agent`, `role` (`maker`/`taker`), `policy`, `learns`;
 * - `reward`: the sum of the agent's rewards in the episode (for makers it equals `pnl`, the
 *   game's identity; for the taker, its PnL); `pnl`: maker PnL share / taker PnL; `mtm`: a
 *   maker's own fills marked to P0 (taker: its PnL); `volume`: maker volume against the taker /
 *   taker executed quantity; `share`: maker market share (null for the taker);
 * - per episode, on every row: `taker_pnl`, `executed`, `shortfall`, `background_volume`,
 *   `makers_volume`;
 * - learners only (null otherwise): `epsilon` (during the episode), `mean_abs_dq` (mean |ΔQ| of
 *   the episode's updates), `coverage` (fraction of states ever visited);
 * - at check episodes only (null otherwise): `check` (index), `policy_change`, `eval_pnl` (mean
 *   over the evaluation episodes), `eval_taker_pnl`; `converged` (whether the criterion has been
 *   met by this episode) on every row.
 *
 * No clock is read: `onProgress` is called at every check (and every `progressEvery`
 * episodes); the caller may time it.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkInt, checkNum, ConfigError } from "../errors.ts";
import {
  createGame,
  createPolicy,
  type Game,
  type GameConfig,
  type MakerContext,
  type MakerPolicy,
  type MakerPolicySpec,
} from "../game/mod.ts";
import {
  createPolicyTracker,
  type PolicyTracker,
  type QLearner,
  type Schedule,
} from "../learn/mod.ts";
import type { TakerContext, TakerSpec } from "../takers/mod.ts";
import {
  createQMaker,
  type LearnerSettings,
  type QMakerOptions,
  type QMakerPolicy,
} from "./q_maker.ts";
import { createQTaker, type QTakerOptions, type QTakerPolicy } from "./q_taker.ts";

/** A maker in a training run: a baseline spec, or `{kind: "q", ...}` for a Q-learner. */
export type TrainMakerSpec =
  | MakerPolicySpec
  | ({ readonly kind: "q" } & QMakerOptions);

/** The taker in a training run: a strategy spec, or `{kind: "q", ...}` for a learning taker. */
export type TrainTakerSpec =
  | TakerSpec
  | ({ readonly kind: "q" } & QTakerOptions);

/** The game of a training run: every game field but the agents and recording. */
export type TrainGameConfig = Omit<GameConfig, "policy" | "taker" | "record">;

/** Progress report passed to `onProgress`. */
export interface TrainProgress {
  /** Label of the run. */
  label: string;
  /** Training episodes done. */
  episode: number;
  /** Training episodes planned. */
  episodes: number;
  /** ε of the first learner (NaN if none). */
  epsilon: number;
  /** Set at a check: its index, largest policy change, and mean evaluation PnL per agent. */
  check?: {
    index: number;
    policyChange: number;
    evalMakerPnl: readonly number[];
    evalTakerPnl: number;
  };
  /** Whether the convergence criterion has been met. */
  converged: boolean;
}

/** A training run's configuration. Everything but `onProgress` is plain data. */
export interface TrainConfig {
  /** Label written in the `run` column and saved with the run. Default `"train"`. */
  label?: string;
  /** The game (maker count, taker-independent settings, seed). Game defaults otherwise. */
  game?: TrainGameConfig;
  /** One spec for all makers or one per maker. Default `{kind: "q"}` (all learn). */
  policy?: TrainMakerSpec | readonly TrainMakerSpec[];
  /** The taker. Default `{kind: "passive"}`. */
  taker?: TrainTakerSpec;
  /** Learner settings applied to every learner (a spec's own fields win). */
  learner?: LearnerSettings;
  /** Number of training episodes, ≥ 1. */
  episodes: number;
  /** K: a check every K episodes (and after the last). Default `max(1, round(episodes / 50))`. */
  evalEvery?: number;
  /** Greedy evaluation episodes per check, ≥ 0. Default 5. */
  evalEpisodes?: number;
  /** Root of the evaluation seeds. Default `"<game.seed>:eval"`. */
  evalSeed?: number | string;
  /**
   * Convergence criterion: M (`patience`, default 5) consecutive checks with policy change ≤
   * `tol` (default 0.05), a change counting only beyond `margin` (relative, default 0.01; 0 for
   * strict) (see `createPolicyTracker`).
   */
  convergence?: { patience?: number; tol?: number; margin?: number };
  /** Stop at the check where the criterion is met. Default false. */
  stopWhenConverged?: boolean;
  /** Keep every learner's greedy snapshot at every check (for `coLearn`). Default false. */
  keepSnapshots?: boolean;
  /** Q-tables to start from, by agent (`"maker:0"`, `"taker"`), e.g. from `loadRun`. */
  init?: readonly InitialTable[];
  /** Call `onProgress` also every this many episodes. Default: at checks only. */
  progressEvery?: number;
  /** Progress callback (no clock is read in `lib/`; time it in the caller). */
  onProgress?: (p: TrainProgress) => void;
}

/** A Q-table to start a learner from. */
export interface InitialTable {
  /** `"maker:<i>"` or `"taker"`. */
  agent: string;
  /** Q-values. */
  table: ArrayLike<number>;
  /** Visit counts. */
  visits?: ArrayLike<number>;
}

/** A learner at the end of training. */
export interface TrainedLearner {
  /** `"maker:<i>"` or `"taker"`. */
  readonly agent: string;
  /** Maker index, or −1 for the taker. */
  readonly index: number;
  /** Number of states. */
  readonly nStates: number;
  /** Number of actions. */
  readonly nActions: number;
  /** Action names, by index. */
  readonly actionNames: readonly string[];
  /** The Q-table (live: the learner's own). */
  readonly table: Float64Array;
  /** Update counts. */
  readonly visits: Float64Array;
  /** Greedy snapshot at the last check. */
  readonly policy: Int32Array;
  /** The action played greedily in unvisited states. */
  readonly fallback: number;
  /** The options it was built with (spec fields and learner settings, JSON data). */
  readonly options: Record<string, unknown>;
  /** The learner itself (ε, counters). */
  readonly learner: QLearner;
}

/** A learner's greedy policy at a check, and the states it had visited by then. */
export interface PolicySnapshot {
  /** Greedy action per state (the fallback in unvisited states). */
  readonly policy: Int32Array;
  /** 1 for states visited by the check. */
  readonly visited: Uint8Array;
  /** The Q-table at the check (to judge whether a change is material). */
  readonly table?: Float64Array;
}

/** Whether and when the convergence criterion was met. */
export interface ConvergenceReport {
  /** The criterion, in words. */
  readonly criterion: string;
  /** M. */
  readonly patience: number;
  /** tol. */
  readonly tol: number;
  /** The relative margin below which a change of greedy action does not count. */
  readonly margin: number;
  /** Whether it was met. */
  readonly met: boolean;
  /** Check index where it was met, or null. */
  readonly check: number | null;
  /** Training episodes done at that check, or null. */
  readonly episode: number | null;
  /** Largest policy change over learners, per check (NaN at the first). */
  readonly changes: readonly number[];
}

/** The outcome of {@linkcode train}. */
export interface TrainResult {
  /** The run's label. */
  readonly label: string;
  /** The configuration as plain data (functions left out), for saving. */
  readonly config: Record<string, unknown>;
  /** Per (episode, agent) records (see the module doc). */
  readonly records: pl.DataFrame;
  /** Training episodes played. */
  readonly episodes: number;
  /** Checks done. */
  readonly checks: number;
  /** Convergence verdict. */
  readonly convergence: ConvergenceReport;
  /** The learners (makers first, then the taker if it learns). */
  readonly learners: readonly TrainedLearner[];
  /** Mean evaluation PnL at the last check: per maker, and the taker's. */
  readonly final: { readonly makerPnl: readonly number[]; readonly takerPnl: number };
  /** The training game (its policies are the live learners). */
  readonly game: Game;
  /** With `keepSnapshots`: per learner agent, its greedy snapshot at every check. */
  readonly snapshots?: ReadonlyMap<string, readonly PolicySnapshot[]>;
}

/** Defaults used for learners that set no ε: linear from 1 to 0.05 over 80 % of the episodes. */
export function defaultEpsilon(episodes: number): Schedule {
  return {
    kind: "linear",
    start: 1,
    end: 0.05,
    duration: Math.max(1, Math.round(0.8 * episodes)),
  };
}

const toData = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "function" ? undefined : x)) ?? "null");

/** A maker slot of the training game. */
interface Slot {
  spec: TrainMakerSpec;
  q: QMakerPolicy | null;
  base: MakerPolicy | null;
  reward: number;
}

/**
 * Trains makers (and optionally the taker) on the game. See the module doc.
 *
 * @example
 * ```ts
 * import { train } from "./train.ts";
 * const run = train({
 *   game: { makers: 1, steps: 10, seed: 1, game: { kind: "known", size: 1000 } },
 *   episodes: 40,
 *   evalEvery: 10,
 *   evalEpisodes: 1,
 * });
 * if (run.records.height !== 40 * 2) throw new Error("40 episodes × (maker, taker)");
 * if (run.checks !== 4 || run.learners[0].agent !== "maker:0") throw new Error();
 * ```
 */
export function train(config: TrainConfig): TrainResult {
  if (typeof config !== "object" || config === null) {
    throw new ConfigError("config", "an object", config);
  }
  const label = config.label ?? "train";
  if (typeof label !== "string") throw new ConfigError("label", "a string", label);
  const episodes = checkInt("episodes", config.episodes, 1, 1e9);
  const K = checkInt(
    "evalEvery",
    config.evalEvery ?? Math.max(1, Math.round(episodes / 50)),
    1,
    1e9,
  );
  const E = checkInt("evalEpisodes", config.evalEpisodes ?? 5, 0, 1e6);
  const patience = checkInt("convergence.patience", config.convergence?.patience ?? 5, 1, 1e9);
  const tol = checkNum("convergence.tol", config.convergence?.tol ?? 0.05, 0, 1);
  const margin = checkNum("convergence.margin", config.convergence?.margin ?? 0.01, 0, 1);
  const progressEvery = config.progressEvery === undefined
    ? 0
    : checkInt("progressEvery", config.progressEvery, 1, 1e9);
  const gameCfg: TrainGameConfig = { ...(config.game ?? {}) };
  for (const k of ["policy", "taker", "record"]) {
    if (k in gameCfg) {
      throw new ConfigError(`game.${k}`, `absent (set the training config's own ${k})`, k);
    }
  }
  const n = gameCfg.makers ?? 2;
  const specs: TrainMakerSpec[] = Array.isArray(config.policy)
    ? [...config.policy]
    : Array.from({ length: n }, () => (config.policy ?? { kind: "q" }) as TrainMakerSpec);
  if (specs.length !== n) {
    throw new ConfigError("policy", `one spec or an array of ${n} (one per maker)`, specs.length);
  }
  const learnerDefaults: LearnerSettings = {
    epsilon: defaultEpsilon(episodes),
    ...(config.learner ?? {}),
  };
  const init = new Map<string, InitialTable>();
  for (const t of config.init ?? []) init.set(t.agent, t);
  const takerSpec: TrainTakerSpec = config.taker ?? { kind: "passive" };
  const seed = gameCfg.seed ?? 0;
  const evalSeed = config.evalSeed ?? `${seed}:eval`;

  // ------------------------------------------------------------ training game
  const slots: Slot[] = specs.map((spec) => ({ spec, q: null, base: null, reward: 0 }));
  const qOptions = (i: number): QMakerOptions & { makers: number } => {
    const { kind: _k, ...o } = slots[i].spec as { kind: "q" } & QMakerOptions;
    const t = init.get(`maker:${i}`);
    return {
      ...learnerDefaults,
      ...o,
      makers: n,
      ...(t ? { table: t.table, visits: t.visits } : {}),
    };
  };
  const makerSpec = (i: number): MakerPolicySpec => ({
    kind: "custom",
    create: (ctx: MakerContext) => {
      const slot = slots[i];
      if (slot.spec.kind === "q") {
        slot.q = createQMaker(ctx, { ...qOptions(i), field: `policy[${i}]` });
        return slot.q;
      }
      const base = createPolicy(slot.spec, ctx, `policy[${i}]`);
      slot.base = base;
      // Instrumented: sums the rewards the game hands out.
      return {
        name: base.name,
        start: base.start,
        reset(view) {
          slot.reward = 0;
          base.reset?.(view);
        },
        act: (view) => base.act(view),
        learn(reward, next, truncated) {
          slot.reward += reward;
          base.learn?.(reward, next, truncated);
        },
      };
    },
  });
  let qTakerObj: QTakerPolicy | null = null;
  const takerOptions = (): QTakerOptions => {
    const { kind: _k, ...o } = takerSpec as { kind: "q" } & QTakerOptions;
    const t = init.get("taker");
    return { ...learnerDefaults, ...o, ...(t ? { table: t.table, visits: t.visits } : {}) };
  };
  const trainTaker: TakerSpec = takerSpec.kind === "q"
    ? {
      kind: "custom",
      name: (takerSpec as QTakerOptions).name ?? "q-taker",
      create: (ctx: TakerContext) => (qTakerObj = createQTaker(ctx.rng, takerOptions())),
    }
    : takerSpec;
  const game = createGame({
    ...gameCfg,
    makers: n,
    policy: Array.from({ length: n }, (_, i) => makerSpec(i)),
    taker: trainTaker,
  });

  // ------------------------------------------------------------ learners and trackers
  interface Learn {
    agent: string;
    index: number;
    learner: QLearner;
    tracker: PolicyTracker;
    visited: () => number;
    fallback: number;
    nStates: number;
    actionNames: readonly string[];
    options: Record<string, unknown>;
  }
  const learns: Learn[] = [];
  for (let i = 0; i < n; i++) {
    const q = slots[i].q;
    if (q === null) continue;
    learns.push({
      agent: `maker:${i}`,
      index: i,
      learner: q.learner,
      tracker: createPolicyTracker({
        nStates: q.encoder.nStates,
        nActions: q.learner.nActions,
        fallback: q.fallback,
        margin,
      }),
      visited: () => q.visited,
      fallback: q.fallback,
      nStates: q.encoder.nStates,
      actionNames: game.actions.names,
      options: toData({ kind: "q", ...qOptions(i), table: undefined, visits: undefined }) as Record<
        string,
        unknown
      >,
    });
  }
  const qt = qTakerObj as QTakerPolicy | null;
  if (qt !== null) {
    learns.push({
      agent: "taker",
      index: -1,
      learner: qt.learner,
      tracker: createPolicyTracker({
        nStates: qt.encoder.nStates,
        nActions: qt.learner.nActions,
        fallback: qt.fallback,
        margin,
      }),
      visited: () => qt.visited,
      fallback: qt.fallback,
      nStates: qt.encoder.nStates,
      actionNames: Array.from(qt.multiples, (m) => `sell ${m}× pace`),
      options: toData({
        kind: "q",
        ...takerOptions(),
        table: undefined,
        visits: undefined,
      }) as Record<
        string,
        unknown
      >,
    });
  }

  // ------------------------------------------------------------ evaluation game
  const evalMakers: MakerPolicySpec[] = slots.map((slot, i) => {
    const q = slot.q;
    if (q === null) return slot.spec as MakerPolicySpec;
    const l = learns.find((x) => x.index === i)!;
    const snap = l.tracker.policy, encode = q.encoder.encode;
    return {
      kind: "custom",
      create: () => ({ name: q.name, act: (view) => snap[encode(view)] }),
    };
  });
  let evalTaker: TakerSpec = takerSpec as TakerSpec;
  if (qt !== null) {
    const snap = learns[learns.length - 1].tracker.policy;
    evalTaker = {
      kind: "custom",
      name: qt.name,
      create: (ctx) => {
        const g = createQTaker(ctx.rng, { ...takerOptions(), mode: "greedy" });
        // Play the trainer's snapshot: share the array.
        return {
          name: g.name,
          reset(view) {
            g.policy.set(snap);
            g.reset!(view);
          },
          decide: g.decide,
          learn: g.learn,
        };
      },
    };
  }
  const evalGame = E > 0
    ? createGame({ ...gameCfg, makers: n, policy: evalMakers, taker: evalTaker })
    : null;

  // ------------------------------------------------------------ records
  const A = n + 1;
  const rows = episodes * A;
  const rReward = new Float64Array(rows), rPnl = new Float64Array(rows);
  const rMtm = new Float64Array(rows), rVol = new Float64Array(rows);
  const rShare = new Float64Array(rows).fill(NaN);
  const rEps = new Float64Array(rows).fill(NaN), rDq = new Float64Array(rows).fill(NaN);
  const rCov = new Float64Array(rows).fill(NaN), rChange = new Float64Array(rows).fill(NaN);
  const rEval = new Float64Array(rows).fill(NaN);
  const eTakerPnl = new Float64Array(episodes), eExec = new Float64Array(episodes);
  const eShort = new Float64Array(episodes), eBg = new Float64Array(episodes);
  const eMakersVol = new Float64Array(episodes);
  const eCheck = new Int32Array(episodes).fill(-1);
  const eEvalTaker = new Float64Array(episodes).fill(NaN);
  const eConverged = new Uint8Array(episodes);
  const learnerRow = new Int32Array(learns.length);
  learns.forEach((l, k) => (learnerRow[k] = l.index >= 0 ? l.index : n));

  const changes: number[] = [];
  let run = 0, convergedCheck = -1, convergedEpisode = -1;
  const finalMaker = new Float64Array(n).fill(NaN);
  let finalTaker = NaN;
  const evalSum = new Float64Array(n);
  const snapshots = config.keepSnapshots ? new Map<string, PolicySnapshot[]>() : undefined;

  function evaluate(): number {
    evalSum.fill(0);
    let takerSum = 0;
    if (evalGame === null) return NaN;
    for (let k = 0; k < E; k++) {
      const s = evalGame.run(`${evalSeed}:${k}`);
      for (let i = 0; i < n; i++) evalSum[i] += s.makerPnl[i] / E;
      takerSum += s.takerPnl / E;
    }
    return takerSum;
  }

  let played = 0;
  const epsNow = new Float64Array(learns.length);
  for (let e = 0; e < episodes; e++) {
    for (let k = 0; k < learns.length; k++) epsNow[k] = learns[k].learner.epsilon;
    if (e === 0) game.reset(seed);
    else game.reset();
    while (!game.step());
    played = e + 1;
    const s = game.summary();
    const base = e * A;
    for (let i = 0; i < n; i++) {
      const row = base + i;
      const slot = slots[i];
      rReward[row] = slot.q !== null ? slot.q.episodeReward : slot.reward;
      rPnl[row] = s.makerPnl[i];
      rMtm[row] = s.makerMtm[i];
      rVol[row] = s.makerVolume[i];
      rShare[row] = s.makerShare[i];
    }
    rReward[base + n] = qt !== null ? qt.episodeReward : s.takerPnl;
    rPnl[base + n] = s.takerPnl;
    rMtm[base + n] = s.takerPnl;
    rVol[base + n] = s.executed;
    eTakerPnl[e] = s.takerPnl;
    eExec[e] = s.executed;
    eShort[e] = s.shortfall;
    eBg[e] = s.backgroundVolume;
    let mv = 0;
    for (let i = 0; i < n; i++) mv += s.makerVolume[i];
    eMakersVol[e] = mv;
    for (let k = 0; k < learns.length; k++) {
      const l = learns[k];
      const row = base + learnerRow[k];
      rEps[row] = epsNow[k];
      rDq[row] = l.learner.meanAbsDelta();
      l.learner.resetDelta();
      rCov[row] = l.visited() / l.nStates;
    }
    const isCheck = (e + 1) % K === 0 || e === episodes - 1;
    let checkInfo: TrainProgress["check"];
    if (isCheck) {
      const c = changes.length;
      eCheck[e] = c;
      // No learner: nothing to converge (NaN never passes the criterion).
      let worst = learns.length === 0 ? NaN : -Infinity;
      for (let k = 0; k < learns.length; k++) {
        const l = learns[k];
        const ch = l.tracker.check(l.learner.table, l.learner.visits);
        rChange[base + learnerRow[k]] = ch;
        worst = Number.isNaN(ch) || Number.isNaN(worst) ? NaN : Math.max(worst, ch);
        if (snapshots) {
          if (!snapshots.has(l.agent)) snapshots.set(l.agent, []);
          snapshots.get(l.agent)!.push({
            policy: l.tracker.policy.slice(),
            visited: l.tracker.visited.slice(),
            table: l.learner.table.slice(),
          });
        }
      }
      changes.push(worst);
      run = worst <= tol ? run + 1 : 0;
      if (run >= patience && convergedCheck < 0) {
        convergedCheck = c;
        convergedEpisode = e + 1;
      }
      const takerEval = evaluate();
      if (evalGame !== null) {
        for (let i = 0; i < n; i++) {
          rEval[base + i] = evalSum[i];
          finalMaker[i] = evalSum[i];
        }
        rEval[base + n] = takerEval;
        eEvalTaker[e] = takerEval;
        finalTaker = takerEval;
      }
      checkInfo = {
        index: c,
        policyChange: worst,
        evalMakerPnl: Array.from(finalMaker),
        evalTakerPnl: finalTaker,
      };
    }
    eConverged[e] = convergedCheck >= 0 ? 1 : 0;
    if (config.onProgress && (isCheck || (progressEvery > 0 && (e + 1) % progressEvery === 0))) {
      config.onProgress({
        label,
        episode: e + 1,
        episodes,
        epsilon: learns.length > 0 ? learns[0].learner.epsilon : NaN,
        check: checkInfo,
        converged: convergedCheck >= 0,
      });
    }
    if (isCheck && config.stopWhenConverged && convergedCheck >= 0) break;
  }

  // ------------------------------------------------------------ frame
  const used = played * A;
  const agent: string[] = [], role: string[] = [], policy: string[] = [];
  const learnsFlag = new Uint8Array(A);
  for (let i = 0; i < n; i++) {
    agent.push(`maker:${i}`);
    role.push("maker");
    policy.push(game.policies[i].name);
    learnsFlag[i] = slots[i].q !== null ? 1 : 0;
  }
  agent.push("taker");
  role.push("taker");
  policy.push(game.taker.name);
  learnsFlag[n] = qt !== null ? 1 : 0;
  const col = <T>(per: (j: number) => T) => Array.from({ length: used }, (_, r) => per(r));
  const perEpisode = (a: Float64Array) => {
    const out = new Float64Array(used);
    for (let r = 0; r < used; r++) out[r] = a[Math.floor(r / A)];
    return out;
  };
  const episodeCol = new Int32Array(used);
  const checkCol: (number | null)[] = new Array(used);
  const convergedCol = new Uint8Array(used);
  const learnsCol = new Uint8Array(used);
  for (let r = 0; r < used; r++) {
    const e = Math.floor(r / A);
    episodeCol[r] = e;
    checkCol[r] = eCheck[e] < 0 ? null : eCheck[e];
    convergedCol[r] = eConverged[e];
    learnsCol[r] = learnsFlag[r % A];
  }
  const evalTakerCol = perEpisode(eEvalTaker);
  const floats: string[] = [];
  const f64 = (name: string, a: Float64Array) => {
    floats.push(name);
    return pl.Series(name, a.subarray(0, used));
  };
  const records = pl.DataFrame([
    pl.Series("run", col(() => label), pl.Utf8),
    pl.Series("episode", episodeCol),
    pl.Series("agent", col((r) => agent[r % A]), pl.Utf8),
    pl.Series("role", col((r) => role[r % A]), pl.Utf8),
    pl.Series("policy", col((r) => policy[r % A]), pl.Utf8),
    pl.Series("learns", learnsCol).cast(pl.Bool),
    f64("reward", rReward),
    f64("pnl", rPnl),
    f64("mtm", rMtm),
    f64("volume", rVol),
    f64("share", rShare),
    f64("taker_pnl", perEpisode(eTakerPnl)),
    f64("executed", perEpisode(eExec)),
    f64("shortfall", perEpisode(eShort)),
    f64("background_volume", perEpisode(eBg)),
    f64("makers_volume", perEpisode(eMakersVol)),
    f64("epsilon", rEps),
    f64("mean_abs_dq", rDq),
    f64("coverage", rCov),
    pl.Series("check", checkCol).cast(pl.Int32),
    f64("policy_change", rChange),
    f64("eval_pnl", rEval),
    f64("eval_taker_pnl", evalTakerCol),
    pl.Series("converged", convergedCol).cast(pl.Bool),
  ]).withColumns(...floats.map((c) => pl.col(c).fillNan(null)));

  const learners: TrainedLearner[] = learns.map((l) => ({
    agent: l.agent,
    index: l.index,
    nStates: l.nStates,
    nActions: l.learner.nActions,
    actionNames: l.actionNames,
    table: l.learner.table,
    visits: l.learner.visits,
    policy: l.tracker.policy,
    fallback: l.fallback,
    options: l.options,
    learner: l.learner,
  }));
  const met = convergedCheck >= 0;
  return {
    label,
    config: toData({ ...config, onProgress: undefined, init: undefined }) as Record<
      string,
      unknown
    >,
    records,
    episodes: played,
    checks: changes.length,
    convergence: {
      criterion: `greedy policy changed on at most ${tol * 100}% of the visited states ` +
        `at ${patience} consecutive checks (every ${K} episodes), for every learner; a ` +
        `change counts if the old action is worse than the new by more than ${margin * 100}%`,
      patience,
      tol,
      margin,
      met,
      check: met ? convergedCheck : null,
      episode: met ? convergedEpisode : null,
      changes,
    },
    learners,
    final: { makerPnl: Array.from(finalMaker), takerPnl: finalTaker },
    game,
    snapshots,
  };
}
