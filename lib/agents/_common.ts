/**
 * Helpers shared by the agents' factories (private to `lib/agents/`).
 *
 * @module
 */
import {
  arrayOf,
  bool,
  checkInt,
  checkKeys,
  checkNum,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  type Field,
  int,
  intSeed,
  num,
  oneOf,
  optional,
  str,
} from "../errors.ts";
import type { BoxSpace } from "../env/types.ts";
import { createNormalizer, type Normalizer } from "./normalizer.ts";
import type { Mlp } from "./nn.ts";
import type { LearnerKind, LearnerState, Transition, TransitionBatch } from "./types.ts";

/** Length of a flattened box observation. */
export function obsDimOf(space: BoxSpace): number {
  const d = space.shape.reduce((p, s) => p * s, 1);
  return checkInt("observationSpace.shape (product)", d, 1, 2 ** 20);
}

/** Throws unless `hidden` is a list of at least `min` layer widths (the schema checked each). */
export function checkHidden(hidden: readonly number[], min: number): void {
  if (hidden.length < min) {
    throw new ConfigError("hidden", `a list of at least ${min} layer widths`, hidden);
  }
}

/** Throws unless `v` is a number in (0, ∞]: a positive bound that may be `Infinity`. */
export function checkPositiveOrInfinity(field: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0)) {
    throw new ConfigError(field, "a positive number or Infinity", v);
  }
  return v;
}

/** Field checkers shared by the learners' schemas. */
export const FIELDS = {
  /** A seed of the agent's streams: a safe integer (saved in checkpoints as a number). */
  seed: intSeed(),
  /** The agent's name, the prefix of its streams. */
  name: str(),
  /** Hidden layer widths. */
  hidden: arrayOf(int(1, 2 ** 16)),
  /** Hidden non-linearity. */
  activation: oneOf(["relu", "tanh"] as const),
  /** A positive bound that may be `Infinity` (no clipping). */
  positiveOrInfinity: custom(
    "a positive number or Infinity",
    (v, p) => checkPositiveOrInfinity(p, v),
  ),
  /** Observation normalisation (`NormalizeFields`). */
  normalizeObs: bool(),
  /** Clip of normalised observations. */
  obsClip: num(1e-6, 1e12),
} as const;

/** The schema of a configuration `C`: one field checker per key (the compiler keeps it complete). */
export type ConfigSchema<C> = { readonly [K in keyof C]-?: Field<unknown> };

/**
 * `{...defaults, ...config}` after checking `config` against `schema` with `checkOptions`: every
 * key optional (absent or `undefined`: the default), unknown keys rejected with a suggestion
 * (`"learningrate": unknown option of dqn; did you mean "learningRate"?`), each value checked with
 * its path. Cross-field rules stay with the caller.
 */
export function resolveConfig<C extends object>(
  defaults: C,
  config: unknown,
  o: { schema: ConfigSchema<C>; owner: string },
): C {
  const checked = checkOptions(config, optionalSchema(o.schema), { owner: o.owner });
  return { ...defaults, ...checked } as C;
}

/** `schema` with every field optional (a configuration's keys all have defaults). */
export function optionalSchema<C>(schema: ConfigSchema<C>): Record<string, Field<unknown>> {
  const out: Record<string, Field<unknown>> = {};
  for (const [k, f] of Object.entries(schema) as [string, Field<unknown>][]) out[k] = optional(f);
  return out;
}

/**
 * Throws `ConfigError` unless `options` is a plain object whose keys are all in `keys`: an
 * unknown key names `<field>.<key>` and the closest known key.
 */
export function checkOptionKeys(options: unknown, o: { field: string; keys: readonly string[] }) {
  checkObject(o.field, options, `an object with keys ${o.keys.join(", ")}`);
  checkKeys(options as object, o.keys, { path: o.field });
}

/** The observation-normalisation fields every learner has. */
export interface NormalizeFields {
  /**
   * Normalise observations by running mean and variance (`normalizer.ts`), updated in
   * `observe` only (frozen at evaluation). Default false.
   */
  readonly normalizeObs: boolean;
  /** Clip normalised observations to `±obsClip`. Default 10. */
  readonly obsClip: number;
}

/**
 * The observations a learner's networks see: copied (or normalised) into its own buffer, so
 * that the caller's buffer may change afterwards.
 */
export class ObsPrep {
  /** The normaliser, or `null` (observations pass unchanged). */
  readonly normalizer: Normalizer | null;
  /** Length of one observation. */
  readonly dim: number;
  private bufs: Float64Array[] = [];

  constructor(c: NormalizeFields, dim: number) {
    this.dim = dim;
    this.normalizer = c.normalizeObs ? createNormalizer({ dim, clip: c.obsClip }) : null;
  }

  /** `rows` observations of `x` as the networks see them, in scratch buffer `slot`. */
  prepare(x: ArrayLike<number>, rows: number, slot = 0): Float64Array {
    const n = rows * this.dim;
    let b = this.bufs[slot];
    if (b === undefined || b.length < n) b = this.bufs[slot] = new Float64Array(Math.max(n, 1));
    const out = b.length === n ? b : b.subarray(0, n);
    if (this.normalizer) return this.normalizer.normalize(x, out, rows);
    for (let i = 0; i < n; i++) out[i] = x[i];
    return out;
  }

  /** Adds `rows` raw observations to the normaliser's statistics (no-op without one). */
  update(x: ArrayLike<number>, rows: number): void {
    this.normalizer?.update(x, rows);
  }
}

/** Parameters of `nets` by name, copied. */
export function saveNetworks(nets: Record<string, Mlp>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [k, net] of Object.entries(nets)) out[k] = net.params.slice();
  return out;
}

/** What {@linkcode loadState} restores into. */
export interface LoadTarget {
  readonly kind: LearnerKind;
  readonly config: Readonly<Record<string, unknown>>;
  readonly nets: Record<string, Mlp>;
  readonly extra: Record<string, Float64Array>;
  readonly prep: ObsPrep;
}

/**
 * Checks that `state` fits `target` (kind, network names and sizes, extras, normaliser) and
 * copies it in; `ConfigError` names the part that does not fit. Returns the saved step count.
 */
export function loadState(target: LoadTarget, state: LearnerState): number {
  if (state === null || typeof state !== "object") {
    throw new ConfigError("state", "a LearnerState object", state);
  }
  if (state.kind !== target.kind) {
    throw new ConfigError("state.kind", JSON.stringify(target.kind), state.kind);
  }
  const nets = state.networks ?? {};
  const names = Object.keys(target.nets);
  const given = Object.keys(nets);
  if (given.length !== names.length || !names.every((k) => given.includes(k))) {
    throw new ConfigError("state.networks", `networks ${names.join(", ")}`, given);
  }
  for (const k of names) {
    const p = nets[k];
    const want = target.nets[k].params.length;
    if (!(p instanceof Float64Array) || p.length !== want) {
      throw new ConfigError(`state.networks.${k}`, `${want} parameters`, p?.length);
    }
    for (let i = 0; i < p.length; i++) {
      if (!Number.isFinite(p[i])) {
        throw new ConfigError(`state.networks.${k}[${i}]`, "a finite number", p[i]);
      }
    }
  }
  const extra = state.extra ?? {};
  for (const [k, arr] of Object.entries(target.extra)) {
    const v = extra[k];
    if (!Array.isArray(v) || v.length !== arr.length || !v.every(Number.isFinite)) {
      throw new ConfigError(`state.extra.${k}`, `${arr.length} finite numbers`, v);
    }
  }
  const norm = target.prep.normalizer;
  if ((state.normalizer === null) !== (norm === null)) {
    throw new ConfigError(
      "state.normalizer",
      norm ? "normaliser statistics (normalizeObs is on)" : "null (normalizeObs is off)",
      state.normalizer === null ? null : "statistics",
    );
  }
  checkNum("state.steps", state.steps, 0, Number.MAX_SAFE_INTEGER);
  // Everything fits: copy.
  for (const k of names) {
    target.nets[k].params.set(nets[k]);
    target.nets[k].changed();
  }
  for (const [k, arr] of Object.entries(target.extra)) arr.set(extra[k]);
  if (norm && state.normalizer) norm.load(state.normalizer);
  return state.steps;
}

/** Fisher–Yates shuffle of `0..n-1` into `order`. */
export function permute(order: Int32Array, rng: () => number): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
}

/**
 * Calls `fn(k)` for each step count `k` in `(from, to]` that is a multiple of `every` (the
 * training rounds a batch of transitions brings due, in order).
 */
export function forEachDue(
  range: { from: number; to: number; every: number },
  fn: (k: number) => void,
): void {
  const { from, to, every } = range;
  for (let k = (Math.floor(from / every) + 1) * every; k <= to; k += every) fn(k);
}

/**
 * A one-row batch to pass a single transition to `observeBatch` (`k`: vector action length, 0
 * for an integer action), and the function that fills it.
 */
export function singleBatch(d: number, k: number): {
  batch: TransitionBatch<number> & TransitionBatch<Float64Array>;
  fill(t: Transition<number> | Transition<Float64Array>): void;
} {
  const b = {
    n: 1,
    obs: new Float64Array(d),
    actions: k === 0 ? new Int32Array(1) : new Float64Array(k),
    rewards: new Float64Array(1),
    nextObs: new Float64Array(d),
    terminated: new Uint8Array(1),
    truncated: new Uint8Array(1),
  };
  return {
    batch: b as unknown as TransitionBatch<number> & TransitionBatch<Float64Array>,
    fill(t) {
      b.obs.set(t.obs);
      b.nextObs.set(t.nextObs);
      if (typeof t.action === "number") b.actions[0] = t.action;
      else b.actions.set(t.action);
      b.rewards[0] = t.reward;
      b.terminated[0] = t.terminated ? 1 : 0;
      b.truncated[0] = t.truncated ? 1 : 0;
    },
  };
}
