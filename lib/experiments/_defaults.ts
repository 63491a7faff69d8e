/**
 * The defaults a study's committed outputs depend on besides its jobs (part of every committed
 * hash, `lib/sweep/committed.ts`): shared by the convergence, state-ablation and robustness
 * studies.
 *
 * @module
 */
import { type GameConfig, resolveConfig } from "../game/mod.ts";
import { validateBackgroundOptions } from "../market/mod.ts";
import { DEFAULT_DEPTH_TICKS, DEFAULT_MAKER_STATE } from "../makers/mod.ts";

/**
 * The resolved game facts and background of `game` and the default state edges: what a study's
 * jobs leave implicit and its outputs still depend on.
 */
export function studyDefaults(game: Omit<GameConfig, "makers">): Record<string, unknown> {
  const g = resolveConfig({ ...game, makers: 1 });
  const { policies: _p, taker: _t, background, game: variant, ...facts } = g;
  return {
    game: { ...facts, game: { kind: variant.kind, size: variant.size } },
    background: typeof background === "function"
      ? "custom"
      : validateBackgroundOptions({ ...background, p0: g.p0 }),
    state: { ...DEFAULT_MAKER_STATE, depthTicks: DEFAULT_DEPTH_TICKS },
  };
}
