/**
 * Polars frames of the game: the per-step, per-agent record of an episode (built once from the
 * typed arrays of `record.ts`) and the one-row-per-episode summary. Convenience runners.
 *
 * @module
 */
import pl from "nodejs-polars";
import { NONE } from "../book/mod.ts";
import { checkOptions, int } from "../errors.ts";
import { createGame, type EpisodeSummary, type Game } from "./game.ts";
import type { GameConfig } from "./types.ts";

function nullableInt(name: string, values: (number | null)[]): pl.Series {
  return pl.Series(name, values).cast(pl.Int32);
}

/**
 * The per-step, per-agent frame of the game's last episode (the game needs `record: true`).
 * One row per step and agent (`maker:0 .. maker:n-1`, `background`, `taker`), values after the
 * step. Columns:
 *
 * - `episode`, `step`, `time` (seconds at the start of the step), `agent`, `role`
 *   (`maker`/`background`/`taker`), `policy` (policy or strategy name);
 * - makers only (null elsewhere): `action`, `action_name`, `bid_price` (ticks), `bid_offset`
 *   (`P0 − bid_price`), `target_qty`, `queue_ahead`, `other_fills`; `bid_qty` is the maker's
 *   resting quantity or the background's total resting bid quantity;
 * - `fills`: quantity traded with the taker this step (the taker's row: what it executed);
 * - per step, repeated on each agent's row: `child_qty`, `child_floor` (null: market),
 *   `child_filled`, `taker_filled` (with the deadline sweep), `best_bid`, `best_ask`, `mid`,
 *   `volume` (the tape);
 * - `reward`, `cum_pnl` (running PnL share; the taker's own PnL for the taker), `mtm_pnl`
 *   (own fills marked to P0), in currency.
 */
export function episodeFrame(game: Game): pl.DataFrame {
  const r = game.record();
  const cfg = game.config;
  const n = r.makers, A = n + 2, rows = r.steps * A;
  const names = game.actions.names;
  const agentName: string[] = [], role: string[] = [], policy: string[] = [];
  for (let i = 0; i < n; i++) {
    agentName.push(`maker:${i}`);
    role.push("maker");
    policy.push(game.policies[i].name);
  }
  agentName.push("background", "taker");
  role.push("background", "taker");
  policy.push("background", game.taker.name);
  const step = new Int32Array(rows), time = new Float64Array(rows);
  const agent: string[] = new Array(rows), roles: string[] = new Array(rows);
  const pols: string[] = new Array(rows);
  const action: (number | null)[] = new Array(rows), actionName: (string | null)[] = [];
  const bidPrice: (number | null)[] = new Array(rows), bidOffset: (number | null)[] = [];
  const bidQty: (number | null)[] = [], targetQty: (number | null)[] = [];
  const queue: (number | null)[] = [], other: (number | null)[] = [];
  const childQty = new Float64Array(rows), childFloor: (number | null)[] = [];
  const childFilled = new Float64Array(rows), takerFilled = new Float64Array(rows);
  const bestBid: (number | null)[] = [], bestAsk: (number | null)[] = [];
  const mid: (number | null)[] = [], volume = new Float64Array(rows);
  const nan = (x: number) => (Number.isNaN(x) ? null : x);
  for (let t = 0; t < r.steps; t++) {
    const bb = r.bestBid[t], ba = r.bestAsk[t];
    for (let k = 0; k < A; k++) {
      const row = t * A + k;
      const maker = k < n;
      step[row] = t;
      time[row] = t * cfg.stepSeconds;
      agent[row] = agentName[k];
      roles[row] = role[k];
      pols[row] = policy[k];
      action[row] = maker ? r.action[row] : null;
      actionName[row] = maker ? names[r.action[row]] : null;
      bidPrice[row] = maker ? r.bidPrice[row] : null;
      bidOffset[row] = maker ? cfg.p0 - r.bidPrice[row] : null;
      bidQty[row] = nan(r.bidQty[row]);
      targetQty[row] = maker ? r.target[row] : null;
      queue[row] = maker ? nan(r.queueAhead[row]) : null;
      other[row] = maker ? r.otherFills[row] : null;
      childQty[row] = r.childQty[t];
      childFloor[row] = r.childFloor[t] === NONE ? null : r.childFloor[t];
      childFilled[row] = r.childFilled[t];
      takerFilled[row] = r.takerFilled[t];
      bestBid[row] = bb === NONE ? null : bb;
      bestAsk[row] = ba === NONE ? null : ba;
      mid[row] = bb === NONE || ba === NONE ? null : (bb + ba) / 2;
      volume[row] = r.volume[t];
    }
  }
  return pl.DataFrame([
    pl.Series("episode", new Int32Array(rows).fill(r.episode)),
    pl.Series("step", step),
    pl.Series("time", time),
    pl.Series("agent", agent, pl.Utf8),
    pl.Series("role", roles, pl.Utf8),
    pl.Series("policy", pols, pl.Utf8),
    nullableInt("action", action),
    pl.Series("action_name", actionName, pl.Utf8),
    nullableInt("bid_price", bidPrice),
    nullableInt("bid_offset", bidOffset),
    pl.Series("bid_qty", bidQty, pl.Float64),
    pl.Series("target_qty", targetQty, pl.Float64),
    pl.Series("queue_ahead", queue, pl.Float64),
    pl.Series("fills", r.fills.slice(0, rows)),
    pl.Series("other_fills", other, pl.Float64),
    pl.Series("child_qty", childQty),
    nullableInt("child_floor", childFloor),
    pl.Series("child_filled", childFilled),
    pl.Series("taker_filled", takerFilled),
    nullableInt("best_bid", bestBid),
    nullableInt("best_ask", bestAsk),
    pl.Series("mid", mid, pl.Float64),
    pl.Series("volume", volume),
    pl.Series("reward", r.reward.slice(0, rows)),
    pl.Series("cum_pnl", r.cumPnl.slice(0, rows)),
    pl.Series("mtm_pnl", r.mtm.slice(0, rows)),
  ]);
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Per-maker fields of a summary, flattened to `maker<i>_<field>` columns. */
const PER_MAKER = [
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
] as const;

/**
 * One row per episode: every scalar field of {@linkcode EpisodeSummary} in snake_case
 * (`taker_pnl`, `shortfall_bps`, ...), and per maker `i` the columns `maker<i>_policy`,
 * `maker<i>_volume`, `maker<i>_share`, `maker<i>_pnl`, `maker<i>_mtm`, `maker<i>_other_volume`,
 * `maker<i>_fills`, `maker<i>_final_price`, `maker<i>_final_qty`, `maker<i>_final_target`
 * (null for episodes with fewer makers), plus `makers_volume` and `makers_pnl` (their sums).
 */
export function summaryFrame(summaries: readonly EpisodeSummary[]): pl.DataFrame {
  const cols = new Map<string, unknown[]>();
  const put = (name: string, row: number, v: unknown) => {
    let c = cols.get(name);
    if (!c) cols.set(name, c = new Array(summaries.length).fill(null));
    c[row] = v;
  };
  summaries.forEach((s, row) => {
    for (const [k, v] of Object.entries(s)) {
      if (Array.isArray(v)) continue;
      put(snake(k), row, typeof v === "number" && Number.isNaN(v) ? null : v);
    }
    put("makers_volume", row, s.makerVolume.reduce((a, b) => a + b, 0));
    put("makers_pnl", row, s.makerPnl.reduce((a, b) => a + b, 0));
    for (let i = 0; i < s.makers; i++) {
      for (const f of PER_MAKER) {
        const short = snake(f.startsWith("maker") ? f.slice(5, 6).toLowerCase() + f.slice(6) : f);
        put(`maker${i}_${short}`, row, s[f][i]);
      }
    }
  });
  const series: pl.Series[] = [];
  for (const [name, values] of cols) {
    const sample = values.find((v) => v !== null);
    if (name === "seed" && values.some((v) => typeof v === "string")) {
      series.push(pl.Series(name, values.map((v) => (v === null ? null : String(v))), pl.Utf8));
    } else if (typeof sample === "string" || typeof sample === "boolean") {
      series.push(pl.Series(name, values));
    } else series.push(pl.Series(name, values as (number | null)[], pl.Float64));
  }
  return pl.DataFrame(series);
}

/**
 * Runs one episode of `config` with recording on; returns its summary and per-step frame.
 *
 * @example
 * ```ts
 * import { playEpisode } from "./frame.ts";
 * const { summary, frame } = playEpisode({ makers: 1, steps: 10, seed: 3 });
 * if (frame.height !== 10 * 3) throw new Error("10 steps × (1 maker, background, taker)");
 * if (summary.makers !== 1) throw new Error();
 * ```
 */
export function playEpisode(
  config: GameConfig = {},
): { summary: EpisodeSummary; frame: pl.DataFrame } {
  const game = createGame({ ...config, record: true });
  const summary = game.run();
  return { summary, frame: episodeFrame(game) };
}

/**
 * Runs `episodes` episodes of `config` (streams seeded once from `config.seed`, then continuing)
 * and returns their summaries and the summary frame.
 */
export function playEpisodes(
  config: GameConfig,
  options: { episodes: number },
): { summaries: EpisodeSummary[]; frame: pl.DataFrame } {
  const { episodes } = checkOptions(options, { episodes: int(1, 1e9) }, { owner: "runEpisodes" });
  const game = createGame(config);
  const summaries: EpisodeSummary[] = [];
  for (let e = 0; e < episodes; e++) {
    summaries.push(e === 0 ? game.run(game.config.seed) : game.run());
  }
  return { summaries, frame: summaryFrame(summaries) };
}
