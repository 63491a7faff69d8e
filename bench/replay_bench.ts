/**
 * The LOBSTER replay's speed (part of `deno task bench:book`, which runs this file once per
 * sample, GOOG first, each in a process of its own: `deno run … bench/replay_bench.ts GOOG`).
 *
 * A fresh process per sample measures the replay as `deno task replay` runs it. Run after the
 * book benchmark's synthetic streams in the same process, the GOOG figure of the same code moved
 * between 1.29 M and 2.20 M messages/s across runs (the optimising compiler's state left by the
 * other workloads).
 *
 * Messages/s with the exact top-N comparison after every message and the matching check
 * (target ≥ 2 M on GOOG), without the matching check, and without the comparison
 * (`compare: false`: the replay alone, target ≥ 3 M), so the comparison's cost shows
 * separately. With `BENCH_BASELINE=<dir>`, the baseline checkout's replay runs interleaved in
 * the same process. See `_bench.ts` for the timing method.
 *
 * @module
 */
import { findSamples, loadSample, replay } from "../lib/lobster/mod.ts";
import { fileURLToPath } from "node:url";
import { baseline, conditions, interleave, median, mega, QUICK, TODAY } from "./_bench.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? (QUICK ? 3 : 7));
const tickers = Deno.args.length > 0 ? Deno.args : ["GOOG", "AMZN"];
const samples = findSamples(fileURLToPath(new URL("../data/lobster/", import.meta.url)));
type Lobster = { replay: typeof replay };
const lobBase = await baseline<Lobster>("lib/lobster/mod.ts");

console.log(
  `\nLOBSTER replay (${conditions(RUNS)}), messages/s: with the exact top-N comparison after ` +
    "every message and the matching check | without the matching check | the replay alone " +
    "(no comparison)",
);
for (const ticker of tickers) {
  const files = samples.find((f) => f.ticker === ticker);
  if (!files) {
    throw new Error(
      `ticker: one of ${samples.map((f) => f.ticker).join(", ")} (data/lobster), got ${ticker}`,
    );
  }
  const sample = loadSample(files);
  const n = sample.messages.count;
  const run = (lib: Lobster, o: { checkMatching?: boolean; compare?: boolean }) => () =>
    lib.replay({ messages: sample.messages, orderbook: sample.orderbook, ...o });
  const cases = [
    run({ replay }, {}),
    run({ replay }, { checkMatching: false }),
    run({ replay }, { compare: false }),
  ];
  if (lobBase) cases.push(run(lobBase, {}));
  const times = interleave(cases, RUNS);
  const rate = (k: number) => n / (median(times[k].cpu) / 1000);
  const cmpNs = (median(times[0].cpu) - median(times[2].cpu)) * 1e6 / n;
  const goog = ticker === "GOOG";
  console.log(
    `  ${ticker.padEnd(5)} ${n.toLocaleString("en-US")} messages: ${mega(rate(0))} | ` +
      `${mega(rate(1))} | ${mega(rate(2))}; the comparison and the matching check cost ` +
      `${cmpNs.toFixed(0)} ns per message` +
      (goog
        ? ` (targets: ≥ 2 M with both, or ≥ 3 M alone; today ${mega(TODAY.replayGoog[0])}–` +
          `${mega(TODAY.replayGoog[1])} with both)`
        : "") +
      (lobBase ? `; baseline ${mega(rate(3))} with both` : ""),
  );
}
