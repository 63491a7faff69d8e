/**
 * The learned policy as a map: one row per visited state with its features' bins, the greedy
 * action, the Q-value margin over the runner-up and the visit count, as a Polars frame a
 * notebook can plot (e.g. greedy action by time and best-bid bin, faceted by the rest).
 *
 * @module
 */
import pl from "nodejs-polars";
import { bool, checkOptions, ConfigError, optional, str } from "../errors.ts";
import { resolveConfig } from "../game/mod.ts";
import { greedyWithFallback, stateVisits } from "../learn/mod.ts";
import { checkRun, type LoadedRun, type SavedLearner } from "./persist.ts";
import { TAKER_FEATURES, takerEncoder, type TakerStateOptions } from "./q_taker.ts";
import { binLabel, MAKER_FEATURES, makerEncoder, type MakerStateOptions } from "./state.ts";
import type { MakersTrainResult, TrainedLearner, TrainGameConfig } from "./train.ts";

/** Options of {@linkcode policyMap}. */
export interface PolicyMapOptions {
  /** `"maker:<i>"` or `"taker"`. Default `"maker:0"`. */
  agent?: string;
  /** Include states never visited (their action is the fallback). Default false. */
  all?: boolean;
}

const POLICY_MAP = {
  agent: optional(str(), "maker:0"),
  all: optional(bool(), false),
};

/**
 * The greedy policy of one learner of a run, by state. Columns: `state`, one string column per
 * state feature with its bin label (`time`, `remaining`, `bestBid`, … for a maker; `time`,
 * `inventory`, `bestBid`, `depth` for the taker; dropped features are left out), `visits`,
 * `action`, `action_name`, `q_best`, `q_margin` (best minus second best: small margins are
 * weakly held choices).
 *
 * @example
 * ```ts
 * import { policyMap, trainMakers } from "./mod.ts";
 * const run = trainMakers({ game: { makers: 1, steps: 10, seed: 2 }, episodes: 30, evalEpisodes: 0 });
 * const map = policyMap(run);
 * if (map.height === 0 || !map.columns.includes("bestBid")) throw new Error();
 * ```
 */
export function policyMap(
  run: MakersTrainResult | LoadedRun,
  options: PolicyMapOptions = {},
): pl.DataFrame {
  checkRun(run);
  const o = checkOptions(options, POLICY_MAP, { owner: "policyMap" });
  const agent = o.agent;
  const l = (run.learners as readonly (TrainedLearner | SavedLearner)[]).find((x) =>
    x.agent === agent
  );
  if (l === undefined) {
    throw new ConfigError(
      "agent",
      `one of ${run.learners.map((x) => x.agent).join(", ") || "(no learner)"}`,
      agent,
    );
  }
  const nA = l.nActions;
  const policy = greedyWithFallback({
    table: l.table,
    visits: l.visits,
    nActions: nA,
    fallback: l.fallback,
  });
  const visits = stateVisits(l.visits, nA);
  let labels: (s: number) => Record<string, string>;
  let features: readonly string[];
  if (agent === "taker") {
    const enc = takerEncoder(l.options.state as TakerStateOptions | undefined);
    features = TAKER_FEATURES.filter((_, i) => enc.radices[i] > 1);
    labels = (s) => {
      const d = enc.digits(s);
      const out: Record<string, string> = {};
      TAKER_FEATURES.forEach((f, i) => (out[f] = binLabel(enc.edges[f], d[i])));
      return out;
    };
  } else {
    const game = resolveConfig((run.config as { game?: TrainGameConfig }).game ?? {});
    const enc = makerEncoder({
      state: l.options.state as MakerStateOptions | undefined,
      makers: game.makers,
      sizeVisible: game.game.sizeVisible,
    });
    features = MAKER_FEATURES.filter((_, i) => enc.radices[i] > 1);
    labels = (s) => enc.describe(s);
  }
  const cols: Record<string, unknown[]> = { state: [] };
  for (const f of features) cols[f] = [];
  const vis: number[] = [], act: number[] = [], name: string[] = [];
  const best: number[] = [], margin: number[] = [];
  for (let s = 0; s < l.nStates; s++) {
    if (!o.all && visits[s] === 0) continue;
    cols.state.push(s);
    const lab = labels(s);
    for (const f of features) cols[f].push(lab[f]);
    vis.push(visits[s]);
    const a = policy[s];
    act.push(a);
    name.push(l.actionNames[a]);
    let second = -Infinity;
    for (let b = 0; b < nA; b++) {
      if (b !== a && l.table[s * nA + b] > second) second = l.table[s * nA + b];
    }
    best.push(l.table[s * nA + a]);
    margin.push(nA > 1 ? l.table[s * nA + a] - second : 0);
  }
  return pl.DataFrame([
    pl.Series("state", cols.state as number[]).cast(pl.Int32),
    ...features.map((f) => pl.Series(f, cols[f] as string[], pl.Utf8)),
    pl.Series("visits", vis, pl.Float64),
    pl.Series("action", act).cast(pl.Int32),
    pl.Series("action_name", name, pl.Utf8),
    pl.Series("q_best", best, pl.Float64),
    pl.Series("q_margin", margin, pl.Float64),
  ]);
}
