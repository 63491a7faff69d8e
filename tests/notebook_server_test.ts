/**
 * Runs the notebooks the way a person does in the browser: a real Jupyter Notebook server with
 * the project's `deno` kernelspec (Deno's kernel through `scripts/deno_kernel.py`), a session
 * opened over REST, and every code cell sent over the websocket at once, as "Run All" does, in
 * quick mode (`QUICK=1`). For a 30-cell probe notebook (three runs) and for every notebook it
 * checks that each output lands in the cell that produced it (per-cell probes give the ground
 * truth, see `scripts/_nbserver.ts`), that none arrives after its cell's idle (the UI would
 * drop it), that every execute_result carries its cell's execution count, that no cell fails,
 * and that every cell with a result in the committed notebook has one (none lost).
 *
 * Hermetic: the kernelspec, Jupyter's data, runtime and config folders and everything the
 * notebooks write (`REPORT_OUT_DIR`) are temporary folders. Needs `jupyter notebook`
 * (Debian's jupyter-notebook): installed when missing if running as root, as on CI.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { aptInstall, listNotebooks, NOTEBOOKS, ROOT, sandboxEnv } from "../scripts/_jupyter.ts";
import {
  codeCells,
  KernelSession,
  type NotebookServer,
  placement,
  probeCells,
  runAll,
  type RunAllResult,
  startNotebookServer,
} from "../scripts/_nbserver.ts";
import { NOTEBOOK_PACKAGES, notebookVersion } from "../scripts/notebook.ts";

/** Cells whose committed outputs include an execute_result (indices among non-empty code cells). */
function committedResults(path: string): Set<number> {
  const nb = JSON.parse(Deno.readTextFileSync(path));
  const code = (nb.cells ?? []).filter((c: { cell_type: string; source: string | string[] }) =>
    c.cell_type === "code" &&
    (Array.isArray(c.source) ? c.source.join("") : c.source).trim() !== ""
  );
  const out = new Set<number>();
  code.forEach((c: { outputs?: { output_type: string }[] }, i: number) => {
    if ((c.outputs ?? []).some((o) => o.output_type === "execute_result")) out.add(i);
  });
  return out;
}

function errorsOf(run: RunAllResult): string {
  return run.received.filter((r) => r.msg.header.msg_type === "error").map((r) => {
    const c = r.msg.content as { ename?: string; evalue?: string; traceback?: string[] };
    return `${c.ename}: ${c.evalue}\n${(c.traceback ?? []).slice(0, 8).join("\n")}`;
  }).join("\n\n");
}

function resultsOf(run: RunAllResult): Set<number> {
  const cellOf = new Map(run.cells.map((c) => [c.msgId, c.cell]));
  const out = new Set<number>();
  for (const r of run.received) {
    if (r.msg.header.msg_type !== "execute_result") continue;
    const cell = cellOf.get(r.msg.parent_header.msg_id ?? "");
    if (cell !== undefined) out.add(cell);
  }
  return out;
}

let setup: Promise<{ server?: NotebookServer; skip?: string; tmp: string }> | undefined;

function prepare() {
  setup ??= (async () => {
    const tmp = Deno.makeTempDirSync({ prefix: "nb-server-" });
    if (!(await notebookVersion())) {
      if (Deno.uid() !== 0) {
        return {
          tmp,
          skip: `jupyter notebook is missing; install it with: sudo apt-get install -y ${
            NOTEBOOK_PACKAGES.join(" ")
          }`,
        };
      }
      await aptInstall(NOTEBOOK_PACKAGES);
    }
    const env = { ...sandboxEnv(tmp), QUICK: "1" };
    const server = await startNotebookServer({ root: ROOT, env });
    return { server, tmp };
  })();
  return setup;
}

const notebooks = listNotebooks();

Deno.test({
  name: "notebook server: Run All puts every output in its own cell",
  // The server, its kernels and their sockets outlive the test's bookkeeping of resources.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const { server, skip, tmp } = await prepare();
    try {
      assert.ok(server, skip);
      await t.step("probe notebook: 30 fast cells, 3 runs", async () => {
        const k = await KernelSession.open(server, relative(ROOT, join(NOTEBOOKS, "probe")));
        try {
          for (let run = 0; run < 3; run++) {
            const r = await runAll(k, probeCells(30));
            const p = placement(r);
            assert.equal(p.outputs, 70, `run ${run}: outputs`);
            assert.deepEqual(p.misplaced, [], `run ${run}: misplaced or late outputs`);
            assert.equal(p.wrongCount, 0);
            assert.deepEqual(p.failed, []);
          }
        } finally {
          await k.close();
        }
      });
      for (const file of notebooks) {
        await t.step(`${file} in quick mode`, async () => {
          const path = join(NOTEBOOKS, file);
          const k = await KernelSession.open(server, relative(ROOT, path));
          try {
            const r = await runAll(k, codeCells(path));
            const p = placement(r);
            assert.deepEqual(p.failed, [], `${file}: failing cells\n${errorsOf(r)}`);
            assert.deepEqual(p.misplaced, [], `${file}: misplaced or late outputs`);
            assert.equal(p.wrongCount, 0, `${file}: results with another cell's count`);
            const missing = [...committedResults(path)].filter((i) => !resultsOf(r).has(i));
            assert.deepEqual(missing, [], `${file}: cells whose result is missing`);
          } finally {
            await k.close();
          }
        });
      }
    } finally {
      await server?.stop();
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
