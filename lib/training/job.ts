/**
 * One training job of the plan (`plan.ts`), as a sweep worker runs it: train the learner on `N`
 * copies of its environment, evaluate it greedily at equally spaced points, save its checkpoint,
 * and return the learning-curve rows.
 *
 * - Training: `trainVec` with the job's seed (copy `i` of the training environments is seeded
 *   `seed · 4096 + i`); one `train` row per finished training episode: the step count when it
 *   ended, its copy, return (shaped reward), final PnL and length.
 * - Evaluation: before training and at `evalPoints` equally spaced step counts (the last at the
 *   end), `evalEpisodes` greedy episodes on a fresh environment with seeds `evalSeed + k`, the
 *   same for every job (common random numbers); one `eval` row per episode with the figures of
 *   `runEpisodes` (return, PnL, Sharpe, drawdown, inventory and `Σq²`, fills, the 5-step adverse
 *   and zero-markout rates and mean markout).
 *   Acting greedily changes no learner state, so evaluating does not change the training run.
 * - The checkpoint: `<outDir>/<label>_<condition>_s<seed>.json` (`lib/agents/checkpoint.ts`),
 *   with the training seed, the job's training descriptor and configuration hash.
 *
 * @module
 */
import { createVecEnv, runEpisodes } from "../env/mod.ts";
import { type Learner, saveCheckpointSync, trainVec, type VecAgent } from "../agents/mod.ts";
import type { Action } from "../env/types.ts";
import { jobTraining, makeJobEnv, makeLearner, modelName, type SuiteJob } from "./plan.ts";

/** A job and whether it prints a progress line at each evaluation (on stderr). */
export type SuiteJobRun = SuiteJob & { readonly log?: boolean };

/** A row of a job's learning curves (`table`: `"train"` or `"eval"`). */
export type CurveRow = Record<string, string | number | boolean>;

/** Runs one job (see the module doc); returns its curve rows. */
export function trainJob(job: SuiteJobRun): CurveRow[] {
  const { agent, condition, seed } = job;
  const id = { agent: agent.label, condition, seed };
  const lastPnl = new Float64Array(agent.copies);
  const vec = createVecEnv({
    make: () => makeJobEnv(job) as never,
    copies: agent.copies,
    onEpisodeEnd: (i, last) => {
      lastPnl[i] = (last.info as { pnl: number }).pnl;
    },
  });
  const learner = makeLearner(job, vec as never) as Learner<Action>;
  const evalEnv = makeJobEnv(job);
  const rows: CurveRow[] = [];
  const evaluate = (step: number) => {
    const r = runEpisodes(evalEnv as never, learner as never, {
      episodes: job.evalEpisodes,
      seed: job.evalSeed,
      horizons: [5],
    });
    let ret = 0, pnl = 0;
    r.metrics.forEach((m, k) => {
      rows.push({
        table: "eval",
        ...id,
        step,
        episode: k,
        return: m.return,
        pnl: m.pnl,
        sharpe: m.sharpe,
        maxDrawdown: m.maxDrawdown,
        inventoryVariance: m.inventoryVariance,
        meanAbsInventory: m.meanAbsInventory,
        inventorySquares: m.inventorySquares,
        fills: m.fills,
        adverse5: m.adverseRate[0],
        zero5: m.zeroRate[0],
        markout5: m.markout[0],
      });
      ret += m.return / r.metrics.length;
      pnl += m.pnl / r.metrics.length;
    });
    if (job.log) {
      console.error(
        `train:rl ${agent.label}/${condition}/s${seed} ${step.toLocaleString("en-US")}/` +
          `${agent.steps.toLocaleString("en-US")} steps: greedy return ${ret.toFixed(1)}, ` +
          `PnL ${pnl.toFixed(1)}`,
      );
    }
  };
  const points = Array.from(
    { length: job.evalPoints },
    (_, k) => Math.round(((k + 1) * agent.steps) / job.evalPoints),
  );
  let next = 0;
  evaluate(0);
  let episode = 0;
  trainVec(vec as never, learner as VecAgent<Action> as never, {
    steps: agent.steps,
    seed,
    onEpisode: (e) => {
      rows.push({
        table: "train",
        ...id,
        episode: episode++,
        step: e.step,
        copy: e.copy,
        return: e.return,
        pnl: lastPnl[e.copy],
        length: e.length,
      });
    },
    onStep: (done) => {
      if (next < points.length && done >= points[next]) {
        evaluate(done);
        while (next < points.length && done >= points[next]) next++;
      }
    },
  });
  saveCheckpointSync(`${job.outDir}/${modelName(job)}`, learner, {
    env: vec as never,
    meta: { trainingSeed: seed, training: jobTraining(job) },
  });
  return rows;
}
