/**
 * A conformance checker for Gymnasium-style environments (`lib/env/types.ts`), in the spirit of
 * Gymnasium's `utils/env_checker.py`, stricter on determinism: it compares **whole trajectories**
 * (several episodes, across resets without a seed), not the first step.
 *
 * {@linkcode checkEnv} runs, in order, and throws an {@linkcode EnvCheckError} naming the check and
 * the step at the first failure:
 *
 * 1. **spaces**: a discrete action space with an integer `n ≥ 1`, or a box action space with
 *    finite bounds; a box observation space whose `low`/`high` have `prod(shape)` entries, no NaN,
 *    `low ≤ high`, and `names` (if any) of that length.
 * 2. **trajectory**: `reset({seed})`, then `steps` seeded random actions, resetting (without a
 *    seed) whenever an episode ends. Every observation is a `Float64Array` of the right length,
 *    not NaN, within `[low, high]`; every reward a finite number; `terminated` and `truncated`
 *    booleans; `info` a plain object; no episode longer than `maxEpisodeSteps` (if given).
 * 3. **after the end**: `step` after `terminated` or `truncated` throws (this project's contract;
 *    `strictEnd: false` skips it).
 * 4. **invalid actions**: `step(-1)`, `step(n)`, `step(0.5)`, `step(NaN)` throw; for a box, a
 *    vector one entry too long, one with a NaN, one above `high` and one below `low` throw.
 * 5. **determinism**: a second, fresh environment from `make()`, reset with the same seed and fed
 *    the same actions, reproduces the trajectory exactly: observations, rewards, flags and every
 *    primitive value in `info`, at every step of every episode.
 * 6. **reset restores**: the first environment, reset with the seed in the middle of an episode,
 *    reproduces the trajectory again.
 * 7. **seed sensitivity** (`expectSeedSensitivity`, default true): another seed gives another
 *    trajectory (an environment that ignores its seed would pass 5 and 6).
 *
 * Random actions are uniform over the action space (each box dimension uniform in
 * `[low, high]`). Observations may be reused buffers: the checker copies them.
 *
 * @module
 */
import { bool, checkOptions, ConfigError, fn, int, intSeed, optional } from "../errors.ts";
import { randInt, type Rng, stream } from "../rng.ts";
import type { BoxEnv, BoxSpace, Env } from "./types.ts";

/** An environment the checker takes: discrete or box actions. */
type AnyEnv = Env | BoxEnv;

/** A failed conformance check. */
export class EnvCheckError extends Error {
  /** Which check failed, e.g. `"determinism"`. */
  readonly check: string;
  constructor(check: string, message: string) {
    super(`${check}: ${message}`);
    this.name = "EnvCheckError";
    this.check = check;
  }
}

/** Options of {@linkcode checkEnv}. */
export interface CheckEnvOptions {
  /** Seed of the resets and of the random actions. Default 0. */
  readonly seed?: number;
  /** Steps of the recorded trajectory (across episodes), ≥ 1. Default 3,000. */
  readonly steps?: number;
  /** Longest allowed episode, steps (truncation must come by then). Default: no bound. */
  readonly maxEpisodeSteps?: number;
  /** Require `step` after the end of an episode to throw. Default true. */
  readonly strictEnd?: boolean;
  /** Require another seed to change the trajectory. Default true. */
  readonly expectSeedSensitivity?: boolean;
  /**
   * Discrete actions to play: a function of the step index and a uniform draw, returning an
   * action. Default: uniform over the action space.
   */
  readonly policy?: (step: number, u: number) => number;
  /**
   * Box actions to play: a function of the step index and a stream, writing an action into
   * `out`. Default: uniform over the box.
   */
  readonly boxPolicy?: (step: number, rng: Rng, out: Float64Array) => void;
}

const CHECK_ENV_OPTIONS = {
  seed: optional(intSeed(), 0),
  steps: optional(int(1, 1e8), 3_000),
  maxEpisodeSteps: optional(int(1, 1e9)),
  strictEnd: optional(bool(), true),
  expectSeedSensitivity: optional(bool(), true),
  policy: optional(fn<(step: number, u: number) => number>("a function (step, u) => action")),
  boxPolicy: optional(
    fn<(step: number, rng: Rng, out: Float64Array) => void>("a function (step, rng, out) => void"),
  ),
};

/** What {@linkcode checkEnv} found. */
export interface EnvCheckReport {
  /** Steps played in the recorded trajectory. */
  readonly steps: number;
  /** Episodes that ended within it. */
  readonly episodes: number;
  /** Of which terminated. */
  readonly terminated: number;
  /** Of which truncated. */
  readonly truncated: number;
  /** Names of the checks passed. */
  readonly checks: readonly string[];
}

interface Trajectory {
  actions: Float64Array; // steps × action length
  obs: Float64Array; // (steps + resets) × dim, reset observations included
  rewards: Float64Array;
  flags: Uint8Array; // terminated | truncated << 1
  infos: unknown[];
  episodes: number;
  terminated: number;
  truncated: number;
}

/**
 * Runs the conformance checks on environments made by `make` (called twice). Throws
 * {@linkcode EnvCheckError} at the first failure; returns a report otherwise.
 *
 * @example
 * ```ts
 * import { checkEnv } from "./checker.ts";
 * import { createAsEnv } from "./as_env.ts";
 * const report = checkEnv(() => createAsEnv(), { steps: 500, maxEpisodeSteps: 200 });
 * if (report.truncated < 2 || report.checks.length !== 7) throw new Error(JSON.stringify(report));
 * ```
 */
export function checkEnv(make: () => AnyEnv, options: CheckEnvOptions = {}): EnvCheckReport {
  if (typeof make !== "function") throw new ConfigError("make", "a function () => Env", make);
  const o = checkOptions(options, CHECK_ENV_OPTIONS, { owner: "checkEnv" });
  const { seed, steps } = o;
  const checks: string[] = [];
  const a = make();
  const dim = checkSpaces(a);
  checks.push("spaces");
  const act = actionKind(a);
  const rng = stream(seed, "env-checker");
  const actions = new Float64Array(steps * act.dim);
  if (act.box) {
    const out = new Float64Array(act.dim);
    const policy = o.boxPolicy ??
      ((_t: number, r: Rng, o: Float64Array) => uniform(act.box!, r, o));
    for (let t = 0; t < steps; t++) {
      policy(t, rng, out);
      actions.set(out, t * act.dim);
    }
  } else {
    const n = act.n;
    const policy = o.policy ?? ((_t: number, u: number) => Math.floor(u * n));
    for (let t = 0; t < steps; t++) actions[t] = policy(t, rng());
  }
  const ref = play(a, { seed, actions, dim, maxEpisodeSteps: o.maxEpisodeSteps });
  checks.push("trajectory");

  if (o.strictEnd) {
    checkEndThrows(a, { seed, act });
    checks.push("after the end");
  }

  a.reset({ seed });
  for (const [label, bad] of invalidActions(act)) {
    let threw = false;
    try {
      stepWith(a, bad);
    } catch {
      threw = true;
    }
    if (!threw) throw new EnvCheckError("invalid actions", `step(${label}) did not throw`);
  }
  checks.push("invalid actions");

  const b = make();
  compare("determinism", ref, play(b, { seed, actions, dim }), dim);
  checks.push("determinism");

  // Reset in the middle of an episode, then replay from the seed.
  a.reset({ seed: seed + 1 });
  for (let t = 0; t < Math.min(3, steps); t++) {
    const r = stepWith(a, actionAt(act, actions, t));
    if (r.terminated || r.truncated) break;
  }
  compare("reset restores", ref, play(a, { seed, actions, dim }), dim);
  checks.push("reset restores");

  if (o.expectSeedSensitivity) {
    const other = play(make(), { seed: seed + 1, actions, dim });
    if (same(ref, other, dim) === -1) {
      throw new EnvCheckError(
        "seed sensitivity",
        `seeds ${seed} and ${seed + 1} gave identical trajectories of ${steps} steps`,
      );
    }
    checks.push("seed sensitivity");
  }
  return {
    steps,
    episodes: ref.episodes,
    terminated: ref.terminated,
    truncated: ref.truncated,
    checks,
  };
}

/** The action space as the checker plays it. */
interface ActionKind {
  /** Actions of a discrete space (0 for a box). */
  readonly n: number;
  /** The box, or null. */
  readonly box: BoxSpace | null;
  /** Numbers per action: 1, or the box's size. */
  readonly dim: number;
}

function actionKind(env: AnyEnv): ActionKind {
  const s = env.actionSpace;
  return s.kind === "discrete"
    ? { n: s.n, box: null, dim: 1 }
    : { n: 0, box: s, dim: s.low.length };
}

function uniform(box: BoxSpace, rng: Rng, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = box.low[i] + rng() * (box.high[i] - box.low[i]);
}

/** Action `t` of the recorded list: a number, or a fresh vector. */
function actionAt(act: ActionKind, actions: Float64Array, t: number): number | Float64Array {
  if (!act.box) return actions[t] ?? 0;
  const v = actions.slice(t * act.dim, (t + 1) * act.dim);
  return v.length === act.dim ? v : Float64Array.from(act.box.low);
}

function stepWith(env: AnyEnv, action: number | Float64Array) {
  return (env as { step(a: number | Float64Array): ReturnType<Env["step"]> }).step(action);
}

function invalidActions(act: ActionKind): [string, number | Float64Array][] {
  if (!act.box) return [-1, act.n, 0.5, NaN].map((x) => [String(x), x]);
  const { low, high } = act.box;
  const mid = () => Float64Array.from(low, (l, i) => (l + high[i]) / 2);
  const long = new Float64Array(act.dim + 1);
  long.set(mid());
  const nan = mid();
  nan[0] = NaN;
  const above = mid();
  above[act.dim - 1] = high[act.dim - 1] + 1;
  const below = mid();
  below[0] = low[0] - 1;
  return [
    [`a vector of ${act.dim + 1}`, long],
    ["a NaN entry", nan],
    ["an entry above high", above],
    ["an entry below low", below],
  ];
}

function checkSpaces(env: AnyEnv): number {
  const as = env.actionSpace as Env["actionSpace"] | BoxSpace;
  if (as && as.kind === "box") {
    const box = as as BoxSpace;
    if (!(box.low instanceof Float64Array) || !(box.high instanceof Float64Array)) {
      throw new EnvCheckError("spaces", "a box actionSpace needs Float64Array low and high");
    }
    if (box.low.length < 1 || box.low.length !== box.high.length) {
      throw new EnvCheckError("spaces", "a box actionSpace needs low/high of one length >= 1");
    }
    for (let i = 0; i < box.low.length; i++) {
      if (
        !(Number.isFinite(box.low[i]) && Number.isFinite(box.high[i]) && box.low[i] < box.high[i])
      ) {
        throw new EnvCheckError(
          "spaces",
          `box actionSpace bounds of dimension ${i}: [${box.low[i]}, ${box.high[i]}]`,
        );
      }
    }
  } else if (!as || as.kind !== "discrete" || !Number.isInteger(as.n) || as.n < 1) {
    throw new EnvCheckError(
      "spaces",
      `actionSpace must be discrete with an integer n >= 1, or a box with finite bounds`,
    );
  }
  const os = env.observationSpace;
  if (!os || os.kind !== "box" || !Array.isArray(os.shape) || os.shape.length < 1) {
    throw new EnvCheckError("spaces", "observationSpace must be a box with a shape");
  }
  let dim = 1;
  for (const s of os.shape) {
    if (!Number.isInteger(s) || s < 1) {
      throw new EnvCheckError("spaces", `shape entries must be positive integers, got ${s}`);
    }
    dim *= s;
  }
  if (!(os.low instanceof Float64Array) || !(os.high instanceof Float64Array)) {
    throw new EnvCheckError("spaces", "low and high must be Float64Arrays");
  }
  if (os.low.length !== dim || os.high.length !== dim) {
    throw new EnvCheckError(
      "spaces",
      `low/high have ${os.low.length}/${os.high.length} entries, shape needs ${dim}`,
    );
  }
  for (let i = 0; i < dim; i++) {
    if (Number.isNaN(os.low[i]) || Number.isNaN(os.high[i]) || os.low[i] > os.high[i]) {
      throw new EnvCheckError("spaces", `bounds of dimension ${i}: [${os.low[i]}, ${os.high[i]}]`);
    }
  }
  if (os.names !== undefined && os.names.length !== dim) {
    throw new EnvCheckError("spaces", `${os.names.length} names for ${dim} dimensions`);
  }
  return dim;
}

function checkObs(env: AnyEnv, obs: unknown, dim: number, where: string): Float64Array {
  if (!(obs instanceof Float64Array) || obs.length !== dim) {
    throw new EnvCheckError("trajectory", `${where}: obs must be a Float64Array of length ${dim}`);
  }
  const { low, high, names } = env.observationSpace;
  for (let i = 0; i < dim; i++) {
    const v = obs[i];
    if (!(v >= low[i] && v <= high[i])) {
      const name = names ? ` (${names[i]})` : "";
      throw new EnvCheckError(
        "trajectory",
        `${where}: obs[${i}]${name} = ${v} outside [${low[i]}, ${high[i]}]`,
      );
    }
  }
  return obs;
}

function checkInfo(info: unknown, where: string): void {
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    throw new EnvCheckError("trajectory", `${where}: info must be a plain object`);
  }
}

/** A snapshot of the primitive values of `info` (nested plain objects flattened with dots). */
function snapshot(info: unknown, prefix = "", out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
    if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) {
      snapshot(v, `${prefix}${k}.`, out);
    } else if (ArrayBuffer.isView(v)) {
      out[prefix + k] = Array.from(v as unknown as ArrayLike<number>);
    } else out[prefix + k] = v;
  }
  return out;
}

interface PlayOptions {
  seed: number;
  actions: Float64Array;
  dim: number;
  maxEpisodeSteps?: number;
}

function play(env: AnyEnv, o: PlayOptions): Trajectory {
  const { seed, actions, dim } = o;
  const act = actionKind(env);
  const steps = actions.length / act.dim;
  const tr: Trajectory = {
    actions,
    obs: new Float64Array((2 * steps + 1) * dim),
    rewards: new Float64Array(steps),
    flags: new Uint8Array(steps),
    infos: [],
    episodes: 0,
    terminated: 0,
    truncated: 0,
  };
  let rows = 0;
  const push = (obs: Float64Array) => {
    if ((rows + 1) * dim > tr.obs.length) {
      const bigger = new Float64Array(tr.obs.length * 2);
      bigger.set(tr.obs);
      tr.obs = bigger;
    }
    tr.obs.set(obs, rows++ * dim);
  };
  const first = env.reset({ seed });
  push(checkObs(env, first.obs, dim, "reset"));
  checkInfo(first.info, "reset");
  tr.infos.push(snapshot(first.info));
  let epLen = 0;
  for (let t = 0; t < steps; t++) {
    const where = `step ${t}`;
    const r = stepWith(env, actionAt(act, actions, t));
    push(checkObs(env, r.obs, dim, where));
    if (typeof r.reward !== "number" || !Number.isFinite(r.reward)) {
      throw new EnvCheckError("trajectory", `${where}: reward ${r.reward} is not a finite number`);
    }
    if (typeof r.terminated !== "boolean" || typeof r.truncated !== "boolean") {
      throw new EnvCheckError("trajectory", `${where}: terminated/truncated must be booleans`);
    }
    checkInfo(r.info, where);
    tr.infos.push(snapshot(r.info));
    tr.rewards[t] = r.reward;
    tr.flags[t] = (r.terminated ? 1 : 0) | (r.truncated ? 2 : 0);
    epLen++;
    if (o.maxEpisodeSteps !== undefined && epLen > o.maxEpisodeSteps) {
      throw new EnvCheckError(
        "trajectory",
        `${where}: episode longer than maxEpisodeSteps = ${o.maxEpisodeSteps}`,
      );
    }
    if (r.terminated || r.truncated) {
      tr.episodes++;
      if (r.terminated) tr.terminated++;
      else tr.truncated++;
      epLen = 0;
      if (t + 1 < steps) {
        const rr = env.reset();
        push(checkObs(env, rr.obs, dim, `reset after step ${t}`));
        checkInfo(rr.info, `reset after step ${t}`);
        tr.infos.push(snapshot(rr.info));
      }
    }
  }
  tr.obs = tr.obs.subarray(0, rows * dim);
  return tr;
}

/** Same keys, and values equal by `Object.is` (arrays element by element). */
function sameInfo(x: unknown, y: unknown): boolean {
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const u = a[k];
    const v = b[k];
    if (Array.isArray(u) && Array.isArray(v)) {
      if (u.length !== v.length || u.some((e, i) => !Object.is(e, v[i]))) return false;
    } else if (!Object.is(u, v)) return false;
  }
  return true;
}

/** Index of the first differing row (observation/info row), or −1 if the trajectories agree. */
function same(x: Trajectory, y: Trajectory, dim: number): number {
  const rows = Math.max(x.obs.length, y.obs.length) / dim;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      if (!Object.is(x.obs[i * dim + j], y.obs[i * dim + j])) return i;
    }
    if (!sameInfo(x.infos[i], y.infos[i])) return i;
  }
  for (let t = 0; t < x.rewards.length; t++) {
    if (!Object.is(x.rewards[t], y.rewards[t]) || x.flags[t] !== y.flags[t]) return rows + t;
  }
  return -1;
}

function compare(check: string, x: Trajectory, y: Trajectory, dim: number): void {
  const rows = x.obs.length / dim;
  if (y.obs.length !== x.obs.length) {
    throw new EnvCheckError(
      check,
      `episode boundaries differ: ${rows} vs ${y.obs.length / dim} observations`,
    );
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      const u = x.obs[i * dim + j];
      const v = y.obs[i * dim + j];
      if (!Object.is(u, v)) {
        throw new EnvCheckError(check, `observation row ${i}, obs[${j}]: ${u} vs ${v}`);
      }
    }
    if (!sameInfo(x.infos[i], y.infos[i])) {
      const a = JSON.stringify(x.infos[i]);
      const b = JSON.stringify(y.infos[i]);
      throw new EnvCheckError(check, `info row ${i}: ${a} vs ${b}`);
    }
  }
  for (let t = 0; t < x.rewards.length; t++) {
    if (!Object.is(x.rewards[t], y.rewards[t])) {
      throw new EnvCheckError(check, `step ${t}: reward ${x.rewards[t]} vs ${y.rewards[t]}`);
    }
    if (x.flags[t] !== y.flags[t]) {
      throw new EnvCheckError(check, `step ${t}: terminated/truncated differ`);
    }
  }
}

function checkEndThrows(env: AnyEnv, o: { seed: number; act: ActionKind }): void {
  env.reset({ seed: o.seed });
  const rng = stream(o.seed, "env-checker:end");
  const { act } = o;
  const v = new Float64Array(act.dim);
  const random = () => {
    if (!act.box) return randInt(rng, 0, act.n - 1);
    uniform(act.box, rng, v);
    return v;
  };
  for (let t = 0; t < 10_000_000; t++) {
    const r = stepWith(env, random());
    if (r.terminated || r.truncated) {
      let threw = false;
      try {
        stepWith(env, act.box ? Float64Array.from(act.box.low) : 0);
      } catch {
        threw = true;
      }
      if (!threw) {
        throw new EnvCheckError("after the end", "step after the end of an episode did not throw");
      }
      return;
    }
  }
  throw new EnvCheckError("after the end", "no episode ended within 10,000,000 steps");
}
