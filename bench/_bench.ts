/**
 * What the benchmarks share: a CPU-time clock, interleaved timing rounds with medians, the
 * machine's conditions, the figures of issue 15 ("today", measured on the 2-core development
 * machine before this work), and an optional side-by-side run of a baseline checkout.
 *
 * **Timing.** Figures are the median over interleaved rounds (case A, case B, …, then again, the
 * order alternating), so that a burst of load on a shared machine hits every case alike; each
 * round is timed by the process's CPU time (`getrusage` through `process.cpuUsage`), which other
 * processes inflate much less than wall time. Wall time is printed alongside.
 *
 * **Baseline.** With `BENCH_BASELINE=<dir>`, a checkout of an earlier commit inside the
 * repository (the tasks may read only the repository), e.g.
 * `git archive c4f33ab | tar -x -C .tmp/baseline`, the benchmarks that support it run the same
 * workload through that checkout's `lib/` in the same process, round by round with the current
 * one, and print both.
 *
 * @module
 */
import process from "node:process";

/** Process CPU time in milliseconds (user + system, all threads). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The median of `xs` (the upper one for an even count). */
export function median(xs: readonly number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.floor(a.length / 2)];
}

/** CPU and wall milliseconds of each round of one case. */
export interface Timings {
  cpu: number[];
  wall: number[];
}

/**
 * Runs every case once untimed (warm-up), then `rounds` timed rounds, the cases interleaved
 * (forward in even rounds, backward in odd ones). Returns each case's timings.
 */
export function interleave(cases: readonly (() => unknown)[], rounds: number): Timings[] {
  const out = cases.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
  for (const f of cases) f();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      const k = r % 2 === 0 ? j : cases.length - 1 - j;
      const c0 = cpuMs(), w0 = performance.now();
      cases[k]();
      out[k].cpu.push(cpuMs() - c0);
      out[k].wall.push(performance.now() - w0);
    }
  }
  return out;
}

/** The machine and the timing method, for the first lines of a benchmark's output. */
export function conditions(rounds: number): string {
  let load = "n/a";
  try {
    load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch { /* no --allow-sys */ }
  return `${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}, ` +
    `${navigator.hardwareConcurrency} CPUs, load average ${load} at start; ` +
    `each figure: median of ${rounds} interleaved rounds, process CPU time`;
}

/** `x` with thousands separators, rounded. */
export const int = (x: number): string => Math.round(x).toLocaleString("en-US");

/** `x` in millions with two decimals, e.g. `"3.12 M"`. */
export const mega = (x: number): string => `${(x / 1e6).toFixed(2)} M`;

/**
 * The figures of issue 15 ("today"), measured on the 2-core development machine with the code
 * of commit c4f33ab; the benchmarks print them beside the new figures. Noisy: the machine was
 * shared, so re-measure both side by side (`BENCH_BASELINE`) where it matters.
 */
export const TODAY = {
  /** bench:learn, bare MDP, updates/s. */
  bareLearner: 13.4e6,
  /** bench:learn, one Q-maker against the passive taker, maker updates/s. */
  gameTraining: 794e3,
  /** Training step minus the same game's step with a fixed replenisher, ns. */
  trainingOverheadNs: 719,
  /** Two-agent repeated game: learner speed over a hand-inlined loop. */
  learnerVsInlined: 0.7,
  /** bench:game, 2 makers, steps/s (low and high of the runs). */
  gameStep2: [1.0e6, 1.5e6],
  /** LOBSTER replay with the comparison and the matching check, GOOG, messages/s. */
  replayGoog: [0.83e6, 1.4e6],
  /** Passive stream: cost per operation, last tenth over first. */
  deepBookGrowth: 3,
} as const;

/** Imports `<BENCH_BASELINE>/<path>` if a baseline checkout is given, else null. */
export async function baseline<T>(path: string): Promise<T | null> {
  const dir = Deno.env.get("BENCH_BASELINE");
  if (!dir) return null;
  const url = new URL(`${dir.replace(/\/$/, "")}/${path}`, `file://${Deno.cwd()}/`);
  return await import(url.href) as T;
}

/** Whether `BENCH_QUICK` asks for a short run (fewer rounds and smaller workloads). */
export const QUICK = Deno.env.get("BENCH_QUICK") === "1";
