/**
 * A Jupyter Notebook server driven the way its web UI drives it: start `jupyter notebook`, open
 * a session over REST, talk to the kernel over the server's websocket, and "Run All": every
 * cell's `execute_request` sent at once, with no waits in between. Used by
 * `scripts/notebook.ts` (`deno task notebook`), `tests/notebook_server_test.ts`,
 * `scripts/placement.ts` and `scripts/browser_check.ts`.
 *
 * {@link runAll} can prefix every cell with a probe (`Deno.jupyter.broadcast`) that goes through
 * the same first-in first-out queue as the cell's outputs in Deno's kernel. The probes give
 * the ground truth of which cell produced each output, independent of the parent header the
 * kernel stamped on it, so {@link placement} can count outputs that landed in another cell or
 * arrived after their cell reported idle (which the Notebook UI then drops).
 *
 * @module
 */
import { jupyterCommand } from "./_jupyter.ts";

/** A running Notebook server. */
export interface NotebookServer {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** The access token. */
  readonly token: string;
  /** The server's folder (its file browser's root). */
  readonly root: string;
  /** `base` + `path` with the token as a query parameter. */
  url(path: string): string;
  /** Everything the server has printed so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. */
  stop(): Promise<void>;
}

/** Options of {@link startNotebookServer} and {@link serverArgs}. */
export interface ServerOptions {
  /** The folder to serve (`--notebook-dir`). */
  root: string;
  /** Port; default a free one. */
  port?: number;
  /** Token; default a random one. */
  token?: string;
  /** Extra environment for the server and its kernels. */
  env?: Record<string, string>;
  /** Print the server's output on this process's stderr instead of collecting it. */
  inherit?: boolean;
  /** More `jupyter notebook` arguments. */
  extraArgs?: string[];
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A random hex token. */
export function randomToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * The `jupyter notebook` arguments: 127.0.0.1 only, no browser, the given folder, port and
 * token, `--allow-root` when running as root, and no IOPub rate limits (a cell that shows a few
 * figures in a second would otherwise have its output dropped by Notebook 6's 1 MB/s default).
 */
export function serverArgs(o: { root: string; port: number; token: string }): string[] {
  return [
    "notebook",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${o.port}`,
    "--port-retries=0",
    `--notebook-dir=${o.root}`,
    `--NotebookApp.token=${o.token}`,
    "--NotebookApp.iopub_data_rate_limit=1e12",
    "--NotebookApp.iopub_msg_rate_limit=1e9",
    ...(Deno.uid() === 0 ? ["--allow-root"] : []),
  ];
}

/**
 * Starts `jupyter notebook` and waits until its REST API answers (up to 60 s). Without a given
 * port, a port taken between choosing and binding it is replaced by another (up to 5 times).
 */
export async function startNotebookServer(o: ServerOptions): Promise<NotebookServer> {
  for (let attempt = 1;; attempt++) {
    try {
      return await startOnce(o, o.port ?? freePort());
    } catch (e) {
      const taken = /port \d+ is not available|already in use/.test(String(e));
      if (o.port !== undefined || !taken || attempt >= 5) throw e;
    }
  }
}

async function startOnce(o: ServerOptions, port: number): Promise<NotebookServer> {
  const token = o.token ?? randomToken();
  const child = new Deno.Command(jupyterCommand(), {
    args: [...serverArgs({ root: o.root, port, token }), ...(o.extraArgs ?? [])],
    env: o.env,
    stdin: "null",
    stdout: o.inherit ? "inherit" : "piped",
    stderr: o.inherit ? "inherit" : "piped",
  }).spawn();
  let text = "";
  const pumps: Promise<void>[] = [];
  if (!o.inherit) {
    const dec = new TextDecoder();
    for (const s of [child.stdout, child.stderr]) {
      pumps.push((async () => {
        for await (const chunk of s) text += dec.decode(chunk, { stream: true });
      })());
    }
  }
  const base = `http://127.0.0.1:${port}`;
  const url = (path: string) => `${base}${path}${path.includes("?") ? "&" : "?"}token=${token}`;
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 10_000);
      await status;
      clearTimeout(timer);
    }
    await Promise.all(pumps);
  };
  const server: NotebookServer = { base, token, root: o.root, url, log: () => text, stop };
  const t0 = performance.now();
  while (performance.now() - t0 < 60_000) {
    if (exited) throw new Error(`jupyter notebook exited at start:\n${text}`);
    try {
      const r = await fetch(url("/api/status"));
      await r.body?.cancel();
      if (r.ok) return server;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`jupyter notebook did not answer within 60 s:\n${text}`);
}

/** A Jupyter message as the server's websocket carries it. */
export interface WireMessage {
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent_header: { msg_id?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  channel: string;
  buffers?: unknown[];
}

/** A received message with its arrival index. */
export interface Received {
  /** Order of arrival over the websocket (0, 1, 2, ...). */
  seq: number;
  msg: WireMessage;
}

function decodeBinary(buf: ArrayBuffer): WireMessage {
  const dv = new DataView(buf);
  const n = dv.getUint32(0);
  const start = dv.getUint32(4);
  const end = n > 1 ? dv.getUint32(8) : buf.byteLength;
  return JSON.parse(new TextDecoder().decode(new Uint8Array(buf, start, end - start)));
}

/** A kernel session opened through the server's REST API, with its websocket. */
export class KernelSession {
  /** Every message received, in order. */
  readonly received: Received[] = [];
  #ws: WebSocket;
  #session = crypto.randomUUID();
  #waiters = new Set<() => void>();
  #closed = false;

  private constructor(
    readonly server: NotebookServer,
    readonly sessionId: string,
    readonly kernelId: string,
    ws: WebSocket,
  ) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      const msg = typeof e.data === "string" ? JSON.parse(e.data) : decodeBinary(e.data);
      this.received.push({ seq: this.received.length, msg });
      for (const w of [...this.#waiters]) w();
    };
    ws.onclose = () => {
      this.#closed = true;
      for (const w of [...this.#waiters]) w();
    };
  }

  /** Opens a session for the notebook at `path` (relative to the server's root). */
  static async open(
    server: NotebookServer,
    path: string,
    kernelName = "deno",
  ): Promise<KernelSession> {
    const r = await fetch(server.url("/api/sessions"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path, type: "notebook", name: "", kernel: { name: kernelName } }),
    });
    if (!r.ok) throw new Error(`POST /api/sessions: ${r.status} ${await r.text()}`);
    const s = await r.json();
    const wsUrl = server.url(`/api/kernels/${s.kernel.id}/channels?session_id=${s.id}`)
      .replace(/^http/, "ws");
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = (e) => reject(new Error(`websocket: ${(e as ErrorEvent).message ?? e}`));
    });
    const k = new KernelSession(server, s.id, s.kernel.id, ws);
    await k.ready();
    return k;
  }

  /** Sends a request on `channel` and returns its msg_id. */
  send(msgType: string, content: Record<string, unknown>, channel = "shell"): string {
    const msgId = crypto.randomUUID();
    this.#ws.send(JSON.stringify({
      header: {
        msg_id: msgId,
        msg_type: msgType,
        session: this.#session,
        username: "test",
        date: new Date().toISOString(),
        version: "5.3",
      },
      parent_header: {},
      metadata: {},
      content,
      channel,
      buffers: [],
    }));
    return msgId;
  }

  /** Sends an `execute_request` as Notebook 6 does and returns its msg_id. */
  execute(code: string): string {
    return this.send("execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
  }

  /** Resolves when `done()` holds, or rejects after `ms` without a new message. */
  waitUntil(done: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.#waiters.delete(check);
          reject(new Error(`no message for ${ms / 1000} s while waiting for ${what}`));
        }, ms);
      };
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          this.#waiters.delete(check);
          resolve();
        } else if (this.#closed) {
          clearTimeout(timer);
          this.#waiters.delete(check);
          reject(new Error(`websocket closed while waiting for ${what}`));
        } else arm();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a `kernel_info_reply` (the kernel is up and answering). */
  async ready(timeoutMs = 120_000): Promise<void> {
    const t0 = performance.now();
    while (performance.now() - t0 < timeoutMs) {
      const id = this.send("kernel_info_request", {});
      try {
        await this.waitUntil(
          () => this.received.some((r) => r.msg.parent_header.msg_id === id),
          5_000,
          "kernel_info_reply",
        );
        return;
      } catch { /* retry */ }
    }
    throw new Error(`the kernel did not answer within ${timeoutMs / 1000} s`);
  }

  /** Closes the websocket and deletes the session (which shuts its kernel down). */
  async close(): Promise<void> {
    if (!this.#closed) {
      const closed = new Promise<void>((r) => this.#waiters.add(() => this.#closed && r()));
      this.#ws.close();
      await closed;
    }
    const r = await fetch(this.server.url(`/api/sessions/${this.sessionId}`), {
      method: "DELETE",
    });
    await r.body?.cancel();
  }
}

/** Message type of the probes {@link runAll} prefixes to cells. */
export const PROBE_TYPE = "lobgame_probe";

/** One cell of a {@link runAll}. */
export interface CellRun {
  /** Index of the cell in the list given to {@link runAll}. */
  cell: number;
  /** msg_id of its execute_request. */
  msgId: string;
  /** Its execution count (from execute_input), if seen. */
  count?: number;
  /** Arrival index of its `status: idle`. */
  idleSeq?: number;
  /** Its execute_reply's status. */
  status?: string;
}

/** The result of {@link runAll}. */
export interface RunAllResult {
  cells: CellRun[];
  /** All messages received during the run. */
  received: Received[];
  /** Seconds from the first request to the last cell's idle. */
  seconds: number;
}

/** Options of {@link runAll}. */
export interface RunAllOptions {
  /** Prefix each cell with a probe (see the module doc). Default true. */
  probe?: boolean;
  /** Fail when no message arrives for this long while cells are pending. Default 600 s. */
  silenceSeconds?: number;
  /** After the last idle, keep listening this long for late messages. Default 1 s. */
  settleSeconds?: number;
}

/** The probe statement put before a cell's code. */
export function probeLine(cell: number): string {
  return `Deno.jupyter.broadcast(${JSON.stringify(PROBE_TYPE)}, { cell: ${cell} });\n`;
}

/** Sends every cell at once ("Run All") and collects the messages until all are idle. */
export async function runAll(
  k: KernelSession,
  sources: string[],
  options: RunAllOptions = {},
): Promise<RunAllResult> {
  const probe = options.probe ?? true;
  const first = k.received.length;
  const t0 = performance.now();
  const cells: CellRun[] = sources.map((src, cell) => ({
    cell,
    msgId: k.execute(probe ? probeLine(cell) + src : src),
  }));
  const byId = new Map(cells.map((c) => [c.msgId, c]));
  let scanned = first;
  const update = () => {
    for (; scanned < k.received.length; scanned++) {
      const { seq, msg } = k.received[scanned];
      const c = byId.get(msg.parent_header.msg_id ?? "");
      if (!c) continue;
      const t = msg.header.msg_type;
      if (t === "execute_input") c.count = msg.content.execution_count as number;
      if (t === "execute_reply") c.status = msg.content.status as string;
      if (t === "status" && msg.content.execution_state === "idle") c.idleSeq ??= seq;
    }
    return cells.every((c) => c.idleSeq !== undefined && c.status !== undefined);
  };
  await k.waitUntil(update, (options.silenceSeconds ?? 600) * 1000, "all cells to finish");
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, (options.settleSeconds ?? 1) * 1000));
  update();
  return { cells, received: k.received.slice(first), seconds };
}

/** Output message types (what a cell shows). */
export const OUTPUT_TYPES: ReadonlySet<string> = new Set([
  "stream",
  "display_data",
  "update_display_data",
  "execute_result",
  "error",
]);

/** An output that did not land where it belongs. */
export interface Misplaced {
  /** The cell that produced it (from the probes). */
  from: number;
  /** The cell it was attributed to (its parent header), or -1 for none of the run's cells. */
  to: number;
  /** Message type. */
  type: string;
  /** It arrived after the idle of the cell it was attributed to. */
  late: boolean;
}

/** Counts from {@link placement}. */
export interface Placement {
  /** Outputs of the run's cells (probes excluded). */
  outputs: number;
  /** Outputs attributed to a cell other than the one that produced them, or arriving late. */
  misplaced: Misplaced[];
  /** Cells that had at least one misplaced output. */
  cellsAffected: number;
  /** execute_results whose execution_count is not their cell's. */
  wrongCount: number;
  /** Cells whose execute_reply was not "ok". */
  failed: number[];
}

/**
 * Where each output of a {@link runAll} with probes landed: an output belongs to the cell of
 * the last probe before it in arrival order; it is misplaced if its parent header names
 * another cell, or if it arrives after the idle of the cell it names.
 */
export function placement(run: RunAllResult): Placement {
  const byId = new Map(run.cells.map((c) => [c.msgId, c]));
  let owner = -1;
  const misplaced: Misplaced[] = [];
  let outputs = 0;
  let wrongCount = 0;
  for (const { seq, msg } of run.received) {
    const t = msg.header.msg_type;
    if (msg.channel !== "iopub") continue;
    if (t === PROBE_TYPE) {
      owner = (msg.content as { cell: number }).cell;
      continue;
    }
    if (!OUTPUT_TYPES.has(t)) continue;
    const to = byId.get(msg.parent_header.msg_id ?? "");
    if (!to) continue; // not an output of this run (e.g. another request)
    outputs++;
    const late = to.idleSeq !== undefined && seq > to.idleSeq;
    if (owner !== to.cell || late) misplaced.push({ from: owner, to: to.cell, type: t, late });
    if (t === "execute_result" && msg.content.execution_count !== to.count) wrongCount++;
  }
  const failed = run.cells.filter((c) => c.status !== "ok").map((c) => c.cell);
  return {
    outputs,
    misplaced,
    cellsAffected: new Set(misplaced.map((m) => m.from)).size,
    wrongCount,
    failed,
  };
}

/** The code cells of a notebook file, as source strings. */
export function codeCells(path: string): string[] {
  const nb = JSON.parse(Deno.readTextFileSync(path));
  return (nb.cells ?? []).filter((c: { cell_type: string }) => c.cell_type === "code")
    .map((c: { source: string | string[] }) =>
      Array.isArray(c.source) ? c.source.join("") : c.source
    )
    .filter((s: string) => s.trim() !== "");
}

/**
 * A probe notebook's cells: `n` fast cells, each logging a line and ending with a value, every
 * third also displaying a Markdown bundle, the pattern of the notebooks' short cells.
 */
export function probeCells(n = 30): string[] {
  return Array.from({ length: n }, (_, i) =>
    [
      `console.log("cell ${i}");`,
      i % 3 === 0
        ? `Deno.jupyter.display({ "text/markdown": "**display ${i}**" }, { raw: true });`
        : "",
      `({ cell: ${i} })`,
    ].filter(Boolean).join("\n"));
}

/** Writes `cells` as a notebook with the Deno kernelspec at `path`. */
export function writeNotebook(path: string, cells: string[]): void {
  const nb = {
    cells: cells.map((source) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source,
    })),
    metadata: {
      kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  Deno.writeTextFileSync(path, JSON.stringify(nb, null, 1) + "\n");
}
