/**
 * The quote-size sweep of notebook 07: the fill rate of a resting order by its observed queue
 * position and its size ({@linkcode queueJob}; the method is in `jobs.ts`'s module doc).
 *
 * @module
 */
import { NONE } from "../../book/mod.ts";
import { checkInt, checkNum } from "../../errors.ts";
import { BOOK_OBS, createMarketMakingEnv } from "../../env/mod.ts";
import { fixedSpreadAgent } from "../../agents/mod.ts";
import { BUY } from "../../metrics/fills.ts";
import { bucketOf, checkEdges, queueLabels } from "./evaluation.ts";
import {
  checkSeed,
  EPISODE_STRIDE,
  QUEUE_SEED_BASE,
  QUEUE_SETTINGS_DEFAULTS,
  type QueueSettings,
} from "./jobs.ts";
import type { RlRow } from "./evaluation.ts";

/**
 * Runs one quote size of the sweep for one seed: a fixed quoter at `settings.halfSpread` with that
 * quote size; rows of the `queue` table (orders, filled orders, resting and filled quantity by
 * queue-position bucket).
 */
export function queueJob(o: { size: number; seed: number; settings: QueueSettings }): RlRow[] {
  const { size, seed, settings } = o;
  checkSeed(seed);
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
