/**
 * `deno task replay`: replays every LOBSTER sample in `data/lobster/` through the order book,
 * prints the exact-match and matching-check results, the replay speed and the depth profile, and
 * writes `data/lobster/depth_profile_<TICKER>.json`. Exits with status 1 on any row mismatch,
 * replay anomaly, or matching mismatch other than the data's own breaks of price-time priority.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  depthProfile,
  findSamples,
  loadSample,
  type MatchingReport,
  replay,
  type ReplayReport,
  saveDepthProfile,
} from "../lib/lobster/mod.ts";

const dir = fileURLToPath(new URL("../data/lobster/", import.meta.url));
const samples = findSamples(dir);
if (samples.length === 0) {
  console.error(`no LOBSTER samples in ${dir}`);
  Deno.exit(1);
}

const int = (x: number) => x.toLocaleString("en-US");
const pct = (a: number, b: number) => b === 0 ? "n/a" : `${(100 * a / b).toFixed(3)}%`;
let failed = false;
const LABEL = {
  engine: "ENGINE MISMATCH",
  state: "REPLAY-STATE MISMATCH",
  notFifo: "not price-time in the data",
} as const;

for (const files of samples) {
  const t0 = performance.now();
  const sample = loadSample(files);
  const t1 = performance.now();
  const r = replay({ messages: sample.messages, orderbook: sample.orderbook });
  const t2 = performance.now();
  const tag = `${files.ticker} ${files.date} L${files.levels}`;

  console.log(
    `${tag}: ${r.matched}/${r.rows} rows exact (${pct(r.matched, r.rows)}); ` +
      `${int(r.revealed)} levels revealed, ${int(r.dropped)} dropped, ${int(r.merged)} merged ` +
      `on leaving the window; ${r.anomalies} anomalies`,
  );
  if (r.firstMismatch) {
    failed = true;
    const f = r.firstMismatch;
    console.log(`  first mismatch: row ${f.row} after message ${JSON.stringify(f.message)}`);
    console.log(`    expected ask ${JSON.stringify(f.expected.ask)}`);
    console.log(`    got      ask ${JSON.stringify(f.got.ask)}`);
    console.log(`    expected bid ${JSON.stringify(f.expected.bid)}`);
    console.log(`    got      bid ${JSON.stringify(f.got.bid)}`);
  } else console.log(`  first mismatch: none`);
  if (r.firstAnomaly) {
    failed = true;
    console.log(
      `  first anomaly: ${r.firstAnomaly.what} (${JSON.stringify(r.firstAnomaly.message)})`,
    );
  }

  failed = printMatching(tag, r) || failed;

  // The first pass runs cold (JIT warm-up included); three more passes give the warm speed.
  const secs = (t2 - t1) / 1000;
  let warm = Infinity;
  for (let k = 0; k < 3; k++) {
    const a = performance.now();
    replay({ messages: sample.messages, orderbook: sample.orderbook });
    warm = Math.min(warm, (performance.now() - a) / 1000);
  }
  const rate = (s: number) => `${int(Math.round(r.messages / s))} messages/s`;
  console.log(
    `${tag} speed: ${rate(secs)} on the first pass, ${rate(warm)} warm (best of 3) ` +
      `(${int(r.messages)} messages replayed, compared and matching-checked in ${
        secs.toFixed(3)
      } s, then ${warm.toFixed(3)} s; files read and parsed in ${((t1 - t0) / 1000).toFixed(3)} s)`,
  );

  const profile = depthProfile(sample.orderbook, { ticker: files.ticker, date: files.date });
  const out = `${dir}depth_profile_${files.ticker}.json`;
  saveDepthProfile(out, profile);
  console.log(
    `${tag} depth profile (mean shares at d ticks from the best; coverage = share of rows where ` +
      `d is inside the shown levels) -> data/lobster/depth_profile_${files.ticker}.json`,
  );
  console.log("     d   bid mean  coverage   ask mean  coverage");
  for (let d = 0; d < profile.distances; d++) {
    const m = (x: number | null) => (x === null ? "-" : x.toFixed(1)).padStart(10);
    const c = (x: number) => x.toFixed(3).padStart(10);
    console.log(
      `  ${String(d).padStart(4)}${m(profile.bid.meanSize[d])}${c(profile.bid.coverage[d])} ` +
        `${m(profile.ask.meanSize[d])}${c(profile.ask.coverage[d])}`,
    );
  }
  console.log();
}

if (failed) {
  console.log("FAILED: see the mismatches above");
  Deno.exit(1);
}
console.log("all samples replay exactly; no engine or replay-state matching mismatch");

/** Prints the matching-check lines; returns whether they show a failure. */
function printMatching(tag: string, r: ReplayReport): boolean {
  const m = r.matching as MatchingReport;
  console.log(
    `${tag} matching: ${m.matched}/${m.runs} aggressive runs filled exactly as the executions ` +
      `list (${int(m.multiFill)} with several fills, ${int(m.multiLevel)} across several prices; ` +
      `${int(m.executions)} executions: ${int(m.byId)} checked by id, ${
        int(m.bySize)
      } by size only; ${m.hiddenInRuns} hidden executions ignored); engine mismatches: ${m.engine}; ` +
      `replay-state mismatches: ${m.state}; runs whose listed order breaks price-time priority ` +
      `(not matchable by any price-time engine): ${m.notFifo}`,
  );
  for (const mm of m.mismatches) {
    console.log(
      `  ${LABEL[mm.kind]}: message ${mm.message.index} at ${mm.message.time}: ${mm.why}`,
    );
    console.log(`    expected ${JSON.stringify(mm.expected)}`);
    console.log(`    got      ${JSON.stringify(mm.got)}`);
  }
  return m.engine > 0 || m.state > 0;
}
