/**
 * Checkpoints: a learner (`Learner` of `types.ts`) saved to a file and restored exactly, with
 * what it was trained on.
 *
 * ## The format (version 1)
 * One UTF-8 JSON object:
 *
 * | field          | value                                                                      |
 * | -------------- | -------------------------------------------------------------------------- |
 * | `format`       | `"lobgame-agent-checkpoint"`                                               |
 * | `version`      | `1` (a reader refuses other versions)                                      |
 * | `kind`         | the learner: `"dqn"`, `"ppo"`, `"ppo-continuous"`, `"sac"`, `"sac-continuous"` |
 * | `config`       | its resolved hyperparameters                                               |
 * | `spaces`       | `{obsDim, action: {kind: "discrete", n} \| {kind: "box", low, high}}`        |
 * | `trainingSeed` | the seed training ran with                                                 |
 * | `training`     | what else determined the training run (environment, budget, ...), as given |
 * | `configHash`   | SHA-256 of the canonical JSON of `{kind, config, training}` ({@linkcode configHash}) |
 * | `steps`        | environment steps learned from                                             |
 * | `normalizer`   | `{count, mean, var}` or `null`                                             |
 * | `extra`        | other learned numbers (`logAlpha`, `logStd`)                               |
 * | `networks`     | per network `{length, float64}`: the parameters as little-endian float64, base64 |
 * | `checksum`     | SHA-256 of the canonical JSON of every other field                         |
 *
 * Canonical JSON sorts object keys and writes non-finite numbers as `{"$number": "Infinity"}`
 * (plain JSON cannot hold them; `maxGradNorm` is often `Infinity`). Parameters are stored in
 * full float64, so a restored learner acts greedily bit for bit as the saved one. Target networks,
 * optimiser moments, the replay buffer, random streams and a noisy network's current noise are
 * not saved: a restored learner evaluates exactly, and continues training from fresh optimiser
 * moments with its targets restarted as copies of its online networks.
 *
 * Files are written atomically (temporary name, then rename). Every problem reading one throws a
 * {@linkcode CheckpointError} whose message starts with the file's path and says what is wrong:
 * unreadable, not JSON (truncated), not a checkpoint, another version, checksum mismatch (corrupt
 * or edited), a missing or malformed field, or (on loading into a learner) another kind,
 * configuration or spaces.
 *
 * @module
 */
import { canonicalJson, canonicalValue as toJson, sha256 } from "../io/hash.ts";
import { Buffer } from "node:buffer";
import { writeFileAtomic, writeFileAtomicSync } from "../io/atomic.ts";
import {
  anything,
  checkObject,
  checkOptions,
  ConfigError,
  custom,
  intSeed,
  object,
  optional,
} from "../errors.ts";
import type { BoxSpace } from "../env/types.ts";
import type { Action, Learner, LearnerKind, LearnerState, SpacesLike } from "./types.ts";
import type { NormalizerState } from "./normalizer.ts";
import { dqn } from "./dqn.ts";
import { ppo, ppoContinuous } from "./ppo.ts";
import { sac } from "./sac.ts";
import { sacContinuous } from "./sac_continuous.ts";

/** The format tag of a checkpoint file. */
export const CHECKPOINT_FORMAT = "lobgame-agent-checkpoint";
/** The format version this code writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** A problem with a checkpoint file; the message starts with the path. */
export class CheckpointError extends Error {
  /** The file. */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = "CheckpointError";
    this.path = path;
    this.reason = reason;
  }
}

/** What a checkpoint records besides the learner's state. */
export interface CheckpointMeta {
  /** The seed training ran with. */
  readonly trainingSeed: number;
  /**
   * What else determined the training run (environment options, budget, number of copies...):
   * a JSON value, hashed into `configHash` with the learner's kind and configuration.
   */
  readonly training?: unknown;
}

/** The spaces a checkpoint records. */
export interface CheckpointSpaces {
  /** Observation length. */
  readonly obsDim: number;
  /** The action space. */
  readonly action:
    | { readonly kind: "discrete"; readonly n: number }
    | { readonly kind: "box"; readonly low: readonly number[]; readonly high: readonly number[] };
}

/** A checkpoint as read: the learner's state and what it was trained on. */
export interface Checkpoint extends CheckpointMeta {
  /** The format version. */
  readonly version: number;
  /** The learner's state (networks as `Float64Array`s). */
  readonly state: LearnerState;
  /** The spaces the learner was built for. */
  readonly spaces: CheckpointSpaces;
  /** SHA-256 of `{kind, config, training}` (see {@linkcode configHash}). */
  readonly configHash: string;
}

export { canonicalJson };

function fromJson(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(fromJson);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "$number" && typeof o.$number === "string") {
    return Number(o.$number);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromJson(o[k]);
  return out;
}

/**
 * The configuration hash of a training run: SHA-256 of the canonical JSON of
 * `{kind, config, training}`. Equal hashes mean the same learner, hyperparameters and training
 * setup.
 *
 * @example
 * ```ts
 * import { configHash } from "./checkpoint.ts";
 * const a = configHash({ kind: "dqn", config: { gamma: 0.99, seed: 1 }, training: { steps: 10 } });
 * const b = configHash({ training: { steps: 10 }, config: { seed: 1, gamma: 0.99 }, kind: "dqn" });
 * if (a !== b || a.length !== 64) throw new Error("key order does not matter");
 * ```
 */
export function configHash(
  run: { readonly kind: string; readonly config: unknown; readonly training?: unknown },
): string {
  return sha256(
    canonicalJson({ kind: run.kind, config: run.config, training: run.training ?? null }),
  );
}

function spacesOf(env: SpacesLike<number> | SpacesLike<Float64Array>): CheckpointSpaces {
  const obsDim = env.observationSpace.low.length;
  const a = env.actionSpace;
  if (a.kind === "discrete") return { obsDim, action: { kind: "discrete", n: a.n } };
  const box = a as BoxSpace;
  return {
    obsDim,
    action: { kind: "box", low: Array.from(box.low), high: Array.from(box.high) },
  };
}

function encodeFloats(x: Float64Array): { length: number; float64: string } {
  const bytes = new Uint8Array(8 * x.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < x.length; i++) view.setFloat64(8 * i, x[i], true);
  return { length: x.length, float64: Buffer.from(bytes).toString("base64") };
}

function decodeFloats(path: string, field: string, v: unknown): Float64Array {
  const o = v as { length?: unknown; float64?: unknown } | null;
  if (o === null || typeof o !== "object" || typeof o.float64 !== "string") {
    throw new CheckpointError(path, `${field}: expected {length, float64 (base64)}`);
  }
  const n = o.length;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new CheckpointError(path, `${field}.length: expected an integer >= 0, got ${n}`);
  }
  const bytes = Buffer.from(o.float64, "base64");
  if (bytes.length !== 8 * n) {
    throw new CheckpointError(
      path,
      `${field}: ${bytes.length} bytes of parameters, ${8 * n} expected for length ${n}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

const SAVE_OPTIONS = {
  env: custom<SpacesLike<Action>>("an environment or its spaces", (v, path) => {
    const o = checkObject(path, v, "an environment or its spaces");
    checkObject(`${path}.observationSpace`, o.observationSpace, "a box space");
    checkObject(`${path}.actionSpace`, o.actionSpace, "a discrete or box space");
    return v as SpacesLike<Action>;
  }),
  meta: object({
    trainingSeed: intSeed(),
    training: optional(anything("a JSON value (hashed into configHash)")),
  }, "saveCheckpoint"),
};

/**
 * The checkpoint text of `learner` (trained on `env`'s spaces) with `meta` (`trainingSeed` a
 * safe integer, `training` any JSON value; other keys are rejected).
 */
export function encodeCheckpoint<A extends Action>(
  learner: Learner<A>,
  options: { readonly env: SpacesLike<A>; readonly meta: CheckpointMeta },
): string {
  const { env, meta } = checkOptions(options, SAVE_OPTIONS, { owner: "saveCheckpoint" });
  const s = learner.state();
  const networks: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(s.networks)) networks[k] = encodeFloats(p);
  const body = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind: s.kind,
    config: s.config,
    spaces: spacesOf(env as SpacesLike<number>),
    trainingSeed: meta.trainingSeed,
    training: meta.training ?? null,
    configHash: configHash({ kind: s.kind, config: s.config, training: meta.training }),
    steps: s.steps,
    normalizer: s.normalizer,
    extra: s.extra,
    networks,
  };
  const json = toJson(body) as Record<string, unknown>;
  json.checksum = sha256(JSON.stringify(json));
  return JSON.stringify(json) + "\n";
}

/** Options of {@linkcode saveCheckpoint}. */
export interface SaveCheckpointOptions<A extends Action> {
  /** The spaces the learner was built for (the environment). */
  readonly env: SpacesLike<A>;
  /** Training seed and setup. */
  readonly meta: CheckpointMeta;
}

/** Writes `learner` to `path` atomically (see the module doc for the format). */
export async function saveCheckpoint<A extends Action>(
  path: string,
  learner: Learner<A>,
  options: SaveCheckpointOptions<A>,
): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(encodeCheckpoint(learner, options)));
}

/** The synchronous sibling of {@linkcode saveCheckpoint}. */
export function saveCheckpointSync<A extends Action>(
  path: string,
  learner: Learner<A>,
  options: SaveCheckpointOptions<A>,
): void {
  writeFileAtomicSync(path, encodeCheckpoint(learner, options));
}

const KINDS: readonly LearnerKind[] = ["dqn", "ppo", "ppo-continuous", "sac", "sac-continuous"];

/**
 * Parses and verifies checkpoint text (`path` names it in errors): format, version, checksum and
 * every field. Throws {@linkcode CheckpointError}.
 */
export function decodeCheckpoint(path: string, text: string): Checkpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(
      path,
      `not valid JSON (truncated or corrupt?): ${(e as Error).message}`,
    );
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new CheckpointError(path, "not a checkpoint: the file is not a JSON object");
  }
  const o = raw as Record<string, unknown>;
  if (o.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      path,
      `not a checkpoint: format is ${JSON.stringify(o.format)}, expected "${CHECKPOINT_FORMAT}"`,
    );
  }
  if (o.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      path,
      `format version ${
        JSON.stringify(o.version)
      } is not supported (this code reads version ${CHECKPOINT_VERSION})`,
    );
  }
  const { checksum, ...rest } = o;
  if (typeof checksum !== "string") throw new CheckpointError(path, "missing field checksum");
  const computed = sha256(JSON.stringify(toJson(rest)));
  if (computed !== checksum) {
    throw new CheckpointError(
      path,
      `checksum mismatch: the file is corrupt or was edited (stored ${checksum.slice(0, 12)}…, ` +
        `computed ${computed.slice(0, 12)}…)`,
    );
  }
  const need = (k: string) => {
    if (!(k in o)) throw new CheckpointError(path, `missing field ${k}`);
    return fromJson(o[k]);
  };
  const kind = need("kind") as LearnerKind;
  if (!KINDS.includes(kind)) {
    throw new CheckpointError(
      path,
      `kind: expected one of ${KINDS.join(", ")}, got ${JSON.stringify(kind)}`,
    );
  }
  const config = need("config");
  if (config === null || typeof config !== "object") {
    throw new CheckpointError(path, "config: expected an object");
  }
  const spaces = need("spaces") as CheckpointSpaces;
  if (
    spaces === null || typeof spaces !== "object" || !Number.isInteger(spaces.obsDim) ||
    spaces.action === null || typeof spaces.action !== "object"
  ) {
    throw new CheckpointError(path, "spaces: expected {obsDim, action}");
  }
  const trainingSeed = need("trainingSeed");
  if (!Number.isSafeInteger(trainingSeed)) {
    throw new CheckpointError(path, `trainingSeed: expected a safe integer, got ${trainingSeed}`);
  }
  const training = need("training");
  const hash = need("configHash");
  if (typeof hash !== "string") throw new CheckpointError(path, "configHash: expected a string");
  const steps = need("steps");
  if (!Number.isSafeInteger(steps) || (steps as number) < 0) {
    throw new CheckpointError(path, `steps: expected an integer >= 0, got ${steps}`);
  }
  const nets = need("networks");
  if (nets === null || typeof nets !== "object") {
    throw new CheckpointError(path, "networks: expected an object");
  }
  const networks: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(nets as Record<string, unknown>)) {
    networks[k] = decodeFloats(path, `networks.${k}`, v);
  }
  const extra = need("extra") as Record<string, number[]>;
  const normalizer = need("normalizer") as NormalizerState | null;
  const state: LearnerState = {
    kind,
    config: config as Record<string, unknown>,
    networks,
    extra: extra ?? {},
    normalizer,
    steps: steps as number,
  };
  return {
    version: CHECKPOINT_VERSION,
    state,
    spaces,
    trainingSeed: trainingSeed as number,
    training,
    configHash: hash,
  };
}

/** Reads and verifies the checkpoint at `path` (see {@linkcode decodeCheckpoint}). */
export function readCheckpoint(path: string): Checkpoint {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new CheckpointError(path, `cannot read the file: ${(e as Error).message}`);
  }
  return decodeCheckpoint(path, text);
}

/**
 * Loads the checkpoint at `path` into `learner` after checking that it fits: the same kind,
 * configuration (every field), and spaces. Returns the checkpoint. Throws
 * {@linkcode CheckpointError} naming the file and the mismatch.
 *
 * @example
 * ```ts
 * import { dqn } from "./dqn.ts";
 * import { loadCheckpoint, saveCheckpointSync } from "./checkpoint.ts";
 * const env = {
 *   observationSpace: { kind: "box", shape: [2], low: new Float64Array(2).fill(-1),
 *     high: new Float64Array(2).fill(1) },
 *   actionSpace: { kind: "discrete", n: 3 },
 * } as const;
 * const path = `${Deno.makeTempDirSync()}/dqn.json`;
 * const a = dqn(env, { seed: 1 });
 * saveCheckpointSync(path, a, { env, meta: { trainingSeed: 1 } });
 * const b = dqn(env, { seed: 1 });
 * loadCheckpoint(path, b, { env });
 * const x = Float64Array.of(0.3, -0.7);
 * if (a.qValues(x).join() !== b.qValues(x).join()) throw new Error("same weights");
 * ```
 */
export function loadCheckpoint<A extends Action>(
  path: string,
  learner: Learner<A>,
  options: { readonly env: SpacesLike<A> },
): Checkpoint {
  checkOptions(options, { env: SAVE_OPTIONS.env }, { owner: "loadCheckpoint" });
  const cp = readCheckpoint(path);
  const { state } = cp;
  if (state.kind !== learner.kind) {
    throw new CheckpointError(
      path,
      `holds a "${state.kind}" learner, cannot load it into a "${learner.kind}" learner`,
    );
  }
  const diffs = configDiffs(state.config, learner.config);
  if (diffs.length > 0) {
    throw new CheckpointError(
      path,
      `configuration differs from the learner's: ${diffs.slice(0, 5).join("; ")}` +
        (diffs.length > 5 ? ` (and ${diffs.length - 5} more)` : ""),
    );
  }
  const want = spacesOf(options.env as SpacesLike<number>);
  if (canonicalJson(want) !== canonicalJson(cp.spaces)) {
    throw new CheckpointError(
      path,
      `spaces differ: the file has ${canonicalJson(cp.spaces)}, the environment ${
        canonicalJson(want)
      }`,
    );
  }
  try {
    learner.load(state);
  } catch (e) {
    if (e instanceof ConfigError) throw new CheckpointError(path, e.message);
    throw e;
  }
  return cp;
}

/** `key (file X, learner Y)` for each top-level field whose canonical JSON differs. */
function configDiffs(file: unknown, mine: unknown): string[] {
  const a = (toJson(file) ?? {}) as Record<string, unknown>;
  const b = (toJson(mine) ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: string[] = [];
  for (const k of keys) {
    const x = JSON.stringify(a[k]), y = JSON.stringify(b[k]);
    if (x !== y) out.push(`${k} (file ${x ?? "absent"}, learner ${y ?? "absent"})`);
  }
  return out;
}

/**
 * Builds the learner a checkpoint describes (its kind and configuration, for `env`'s spaces)
 * and loads it. Throws {@linkcode CheckpointError} if it does not fit `env`.
 */
export function restoreLearner(
  path: string,
  env: SpacesLike<number> | SpacesLike<Float64Array>,
): { learner: Learner<number> | Learner<Float64Array>; checkpoint: Checkpoint } {
  const cp = readCheckpoint(path);
  const config = cp.state.config as Record<string, unknown>;
  const discrete = env.actionSpace.kind === "discrete";
  const wantDiscrete = cp.state.kind === "dqn" || cp.state.kind === "ppo" ||
    cp.state.kind === "sac";
  if (discrete !== wantDiscrete) {
    throw new CheckpointError(
      path,
      `a "${cp.state.kind}" learner needs a ${wantDiscrete ? "discrete" : "box"} action space`,
    );
  }
  let learner: Learner<number> | Learner<Float64Array>;
  try {
    const d = env as SpacesLike<number>, b = env as SpacesLike<Float64Array>;
    switch (cp.state.kind) {
      case "dqn":
        learner = dqn(d, config);
        break;
      case "ppo":
        learner = ppo(d, config);
        break;
      case "sac":
        learner = sac(d, config);
        break;
      case "ppo-continuous":
        learner = ppoContinuous(b, config);
        break;
      case "sac-continuous":
        learner = sacContinuous(b, config);
        break;
      default: {
        const never: never = cp.state.kind;
        throw new CheckpointError(path, `unknown kind ${never}`);
      }
    }
  } catch (e) {
    if (e instanceof ConfigError) throw new CheckpointError(path, `config.${e.message}`);
    throw e;
  }
  loadCheckpoint(path, learner as Learner<number>, { env: env as SpacesLike<number> });
  return { learner, checkpoint: cp };
}
