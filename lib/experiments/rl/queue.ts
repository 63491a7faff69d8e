/**
 * The quote-size sweep of notebook 07: the fill rate of a resting order by its observed queue
 * position and its size ({@linkcode queueJob}).
 *
 * The quote size is fixed within an environment (`quoteSize`), so the fill rate by order size is
 * measured across environments: a fixed-spread quoter (`halfSpread`, default 1: join the best
 * quotes, where queue position matters) runs `episodes` episodes with quote size `size` and an
 * inventory limit of `inventoryPerSize · size`. Before each step, each side with a resting order
 * is classed by its observed queue position (the observation's `bidQueue` / `askQueue`: the share
 * of its price level ahead of it), then the step's passive fills on that side are counted. The
 * position is the one the agent observes; an order re-priced at the start of the step (the
 * instruction of `latency` steps ago arriving) rejoins the back of its new level, which this
 * measure attributes to the observed position. Queue episode `k` of seed `s` is reset with
 * `QUEUE_SEED_BASE + s · EPISODE_STRIDE + k`.
 *
 * @module
 */
import { NONE } from "../../book/mod.ts";
import { checkInt, checkNum } from "../../errors.ts";
import { BOOK_OBS, createMarketMakingEnv } from "../../env/mod.ts";
import { fixedSpreadAgent } from "../../agents/mod.ts";
import { BUY } from "../../metrics/fills.ts";
import { bucketOf, checkEdges, queueLabels, type RlRow } from "./evaluation.ts";
import { checkSet, EPISODE_STRIDE, QUEUE_SEED_BASE } from "./jobs.ts";
import type { MarketMakingOptions } from "../../env/mod.ts";

/** Settings of the quote-size × queue-position sweep. */
export interface QueueSettings {
  /** Environment options (as `RlSettings.env`). */
  readonly env: MarketMakingOptions;
  /** Quote sizes, units. */
  readonly sizes: readonly number[];
  /** Episodes per size and seed. */
  readonly episodes: number;
  /** Half-spread of the fixed quoter, ticks. Default 1 (join the best quotes). */
  readonly halfSpread?: number;
  /** Inventory limit per unit of quote size. Default 10. */
  readonly inventoryPerSize?: number;
  /** Queue-position edges (share ahead; bucket `b` holds `edges[b−1] < x ≤ edges[b]`). */
  readonly queueEdges?: readonly number[];
}

/** Defaults of the optional {@linkcode QueueSettings} fields. */
export const QUEUE_SETTINGS_DEFAULTS = Object.freeze({
  halfSpread: 1,
  inventoryPerSize: 10,
  queueEdges: Object.freeze([0, 0.25, 0.5, 0.75]),
});

/**
 * Runs one quote size of the sweep for one seed: a fixed quoter at `settings.halfSpread` with that
 * quote size; rows of the `queue` table (orders, filled orders, resting and filled quantity by
 * queue-position bucket).
 */
export function queueJob(o: { size: number; seed: number; settings: QueueSettings }): RlRow[] {
  const { size, seed, settings } = o;
  checkSet(seed, "seed");
  checkInt("size", size, 1, 1e6);
  const episodes = checkInt("settings.episodes", settings.episodes, 1, EPISODE_STRIDE);
  const half = checkNum(
    "settings.halfSpread",
    settings.halfSpread ?? QUEUE_SETTINGS_DEFAULTS.halfSpread,
    1,
    1e6,
  );
  const perSize = checkInt(
    "settings.inventoryPerSize",
    settings.inventoryPerSize ?? QUEUE_SETTINGS_DEFAULTS.inventoryPerSize,
    1,
    1e6,
  );
  const edges = checkEdges(
    "settings.queueEdges",
    settings.queueEdges ?? QUEUE_SETTINGS_DEFAULTS.queueEdges,
  );
  const env = createMarketMakingEnv({
    ...settings.env,
    quoteSize: size,
    maxInventory: perSize * size,
  });
  const agent = fixedSpreadAgent(env, { halfSpread: half });
  const nB = edges.length + 1;
  const orders = new Float64Array(nB);
  const filledOrders = new Float64Array(nB);
  const resting = new Float64Array(nB);
  const filled = new Float64Array(nB);
  for (let k = 0; k < episodes; k++) {
    let obs = env.reset({ seed: QUEUE_SEED_BASE + seed * EPISODE_STRIDE + k }).obs;
    for (;;) {
      const bidQty = env.bidId === NONE ? 0 : env.book.orderQty(env.bidId);
      const askQty = env.askId === NONE ? 0 : env.book.orderQty(env.askId);
      const bidB = bucketOf(edges, obs[BOOK_OBS.bidQueue]);
      const askB = bucketOf(edges, obs[BOOK_OBS.askQueue]);
      const n0 = env.fills.n;
      const r = env.step(agent.act(obs));
      let bidFilled = 0;
      let askFilled = 0;
      const f = env.fills;
      for (let j = n0; j < f.n; j++) {
        if (f.side[j] === BUY) bidFilled += f.qty[j];
        else askFilled += f.qty[j];
      }
      if (bidQty > 0) {
        orders[bidB]++;
        resting[bidB] += bidQty;
        filled[bidB] += Math.min(bidFilled, bidQty);
        if (bidFilled > 0) filledOrders[bidB]++;
      }
      if (askQty > 0) {
        orders[askB]++;
        resting[askB] += askQty;
        filled[askB] += Math.min(askFilled, askQty);
        if (askFilled > 0) filledOrders[askB]++;
      }
      if (r.terminated || r.truncated) break;
      obs = r.obs;
    }
  }
  agent.dispose();
  const labels = queueLabels(edges);
  const rows: RlRow[] = [];
  for (let b = 0; b < nB; b++) {
    rows.push({
      table: "queue",
      size,
      seed,
      queueBucket: b,
      queueLabel: labels[b],
      orders: orders[b],
      filledOrders: filledOrders[b],
      restingQty: resting[b],
      filledQty: filled[b],
    });
  }
  return rows;
}
