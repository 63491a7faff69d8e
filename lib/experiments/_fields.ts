/**
 * Schema fields shared by the studies' option checks (issue 14): the specs inside a study's
 * options are checked by the library that owns them (`lib/game`, `lib/takers`), with the path
 * they have in the study's options (`takers[0].taker.maxWalk`, `settings.gameOptions.steps`).
 * Checks only: the studies keep using the values as given.
 *
 * @module
 */
import {
  checkObject,
  ConfigError,
  custom,
  type Field,
  fn,
  int,
  object,
  optional,
  renamePath,
  str,
  underPath,
} from "../errors.ts";
import {
  type GameConfig,
  type GameSpec,
  type MakerPolicySpec,
  resolveConfig,
  resolveGame,
} from "../game/mod.ts";
import { checkShard, type Shard, type StudyRunOptions } from "../sweep/mod.ts";
import { checkTakerSpec, type TakerSpec } from "../takers/mod.ts";

/** A taker spec, checked by `lib/takers` with its path (`takers[0].taker.maxWalk`). */
export const TAKER_SPEC: Field<TakerSpec> = custom<TakerSpec>(
  "a taker spec (lib/takers)",
  (v, path) =>
    renamePath("taker", path, () => {
      checkTakerSpec(v);
      return v as TakerSpec;
    }),
);

/** A game variant, checked by `lib/game` with its path (`games[0].game.size`). */
export const GAME_SPEC: Field<GameSpec> = custom<GameSpec>(
  "a game spec (lib/game)",
  (v, path) =>
    renamePath("game", path, () => {
      resolveGame(v);
      return v as GameSpec;
    }),
);

/** A labelled taker case `{label, taker}` (`takers[0].taker.maxWalk`); `owner` names the function. */
export function takerCase(owner: string): Field<{ label: string; taker: TakerSpec }> {
  return object({ label: str(), taker: TAKER_SPEC }, owner);
}

/** A labelled game variant `{label, game}` (`games[0].game.size`); `owner` names the function. */
export function gameVariant(owner: string): Field<{ label: string; game: GameSpec }> {
  return object({ label: str(), game: GAME_SPEC }, owner);
}

/**
 * Checks a maker policy spec at `path` by `lib/game`, as the one maker's policy of a game with
 * the settings `game` (its bid rules and action set decide what the spec may ask for); the
 * spec's fields are named under `path` (`settings.baselines[0].spec.offset`).
 */
export function checkMakerSpec(v: unknown, path: string, game: GameConfig = {}): MakerPolicySpec {
  return renamePath("policy", path, () => {
    checkObject("policy", v, "a maker policy spec (lib/game)");
    resolveConfig({ ...game, makers: 1, policy: v as MakerPolicySpec });
    return v as MakerPolicySpec;
  });
}

/**
 * Checks the maker policy specs of a game with one maker per spec (none for `[]`) by `lib/game`,
 * in a game with the settings `game`; the specs' fields are named under `path`
 * (`baselines[0].policy[1].offset`).
 */
export function checkMakerSpecs(
  v: readonly MakerPolicySpec[],
  path: string,
  game: GameConfig = {},
): void {
  renamePath("policy", path, () => resolveConfig({ ...game, makers: v.length, policy: [...v] }));
}

/** A maker policy spec's shape (an object); its fields are checked by {@linkcode checkMakerSpec}. */
export const MAKER_SPEC: Field<MakerPolicySpec> = custom<MakerPolicySpec>(
  "a maker policy spec (lib/game)",
  (v, path) => checkObject(path, v, "a maker policy spec (lib/game)") as MakerPolicySpec,
);

/**
 * Game settings without the keys a study sets itself (`set`), checked by `lib/game` with their
 * path (`settings.gameOptions.steps`); a key in `set` is rejected by name.
 */
export function gameOptions<T>(set: readonly (keyof GameConfig)[]): Field<T> {
  const allowed = `game settings (lib/game) without ${set.join(", ")}`;
  return custom<T>(allowed, (v, path) => {
    const o = checkObject(path, v, allowed);
    for (const k of set) {
      if (k in o) throw new ConfigError(`${path}.${k}`, "absent (set by the study)", o[k]);
    }
    underPath(path, () => resolveConfig(o as GameConfig));
    return v as T;
  });
}

/** The schema of {@linkcode StudyRunOptions} (the compiler keeps its keys complete). */
export const STUDY_RUN_OPTIONS = {
  workers: optional(int(0, 1024)),
  shard: optional(
    custom<Shard>(
      "a shard {index, count}",
      (v, path) => renamePath("shard", path, () => checkShard(v as Shard)),
    ),
  ),
  onResult: optional(fn<NonNullable<StudyRunOptions["onResult"]>>("a function (info) => void")),
  progress: optional(fn<NonNullable<StudyRunOptions["progress"]>>("a function (total) => line")),
} satisfies Record<keyof StudyRunOptions, Field<unknown>>;
