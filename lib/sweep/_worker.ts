/**
 * Web Worker side of `sweep.ts`: imports the experiment module once, then runs the jobs it is
 * sent one at a time and posts their results back with the job index.
 *
 * Protocol (main → worker): `{kind: "init", module, fn}` then any number of
 * `{kind: "job", index, job}`. Worker → main: `{kind: "ready"}`, `{kind: "result", index, rows}`
 * or `{kind: "error", index, message}` (index -1 for an init failure).
 *
 * @module
 */
/// <reference lib="deno.worker" />

/** A message from the main thread. */
export type ToWorker =
  | { kind: "init"; module: string; fn: string }
  | { kind: "job"; index: number; job: unknown };

/** A message to the main thread. */
export type FromWorker =
  | { kind: "ready" }
  | { kind: "result"; index: number; rows: unknown }
  | { kind: "error"; index: number; message: string };

type Experiment = (job: unknown) => unknown;

let experiment: Experiment | undefined;

function fail(index: number, e: unknown): void {
  const message = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  self.postMessage({ kind: "error", index, message } satisfies FromWorker);
}

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.kind) {
    case "init": {
      try {
        const mod = await import(msg.module);
        const f = mod[msg.fn];
        if (typeof f !== "function") {
          throw new Error(`${msg.module} has no exported function ${JSON.stringify(msg.fn)}`);
        }
        experiment = f as Experiment;
        self.postMessage({ kind: "ready" } satisfies FromWorker);
      } catch (e) {
        fail(-1, e);
      }
      break;
    }
    case "job": {
      try {
        if (!experiment) throw new Error("worker not initialised");
        const rows = await experiment(msg.job);
        self.postMessage({ kind: "result", index: msg.index, rows } satisfies FromWorker);
      } catch (e) {
        fail(msg.index, e);
      }
      break;
    }
    default: {
      const never: never = msg;
      fail(-1, new Error(`unknown message ${JSON.stringify(never)}`));
    }
  }
};
