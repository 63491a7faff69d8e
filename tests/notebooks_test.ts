/**
 * Executes every `notebooks/NN_*.ipynb` headless in quick mode (`QUICK=1`) with the Deno kernel
 * and fails on any cell error, unexecuted cell or timeout.
 *
 * Hermetic: the executed copies, and everything the notebooks write to `data/` and `figures/`
 * (through `REPORT_OUT_DIR`), go to a temporary folder, so committed notebooks and results are
 * never rewritten; the `deno` kernelspec is written to a temporary `JUPYTER_PATH` for this Deno
 * binary, so the user's Jupyter set-up is neither needed nor touched.
 *
 * Needs Jupyter's nbconvert (`/usr/bin/jupyter`, or `$JUPYTER`). When it is missing, the first
 * notebook test installs Debian's packages if running as root (as on CI; like
 * `deno task reproduce`), and otherwise every notebook test fails with the command to run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  executeNotebook,
  installJupyter,
  jupyterCommand,
  listNotebooks,
  nbconvertVersion,
  notebookProblems,
  NOTEBOOKS,
  SUDO_APT_HINT,
  writeKernelSpec,
} from "../scripts/_jupyter.ts";

/** Seconds one cell may take in quick mode. */
const CELL_TIMEOUT = 600;

const notebooks = listNotebooks();

if (notebooks.length === 0) {
  Deno.test({
    name: `notebooks: none found in ${NOTEBOOKS} (nothing to execute)`,
    ignore: true,
    fn() {},
  });
}

let setup: Promise<{ jupyterPath: string; version?: string }> | undefined;

function prepare() {
  setup ??= (async () => {
    const jupyterPath = Deno.makeTempDirSync({ prefix: "nb-kernels-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(jupyterPath, { recursive: true }));
    writeKernelSpec(jupyterPath);
    let version = await nbconvertVersion();
    if (!version && Deno.uid() === 0) {
      console.log("Jupyter nbconvert is missing; installing Debian's packages");
      if ((await installJupyter()) === 0) version = await nbconvertVersion();
    }
    return { jupyterPath, version };
  })();
  return setup;
}

for (const file of notebooks) {
  Deno.test({
    name: `notebook ${file} runs in quick mode without errors`,
    // nbconvert's kernel and its ZMQ sockets outlive the test's own bookkeeping.
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const { jupyterPath, version } = await prepare();
      assert.ok(
        version,
        `Jupyter nbconvert not found at ${jupyterCommand()}; install it with: ${SUDO_APT_HINT}`,
      );
      const out = Deno.makeTempDirSync({ prefix: "nb-run-" });
      try {
        const r = await executeNotebook(join(NOTEBOOKS, file), {
          outDir: out,
          env: { QUICK: "1", REPORT_OUT_DIR: out, JUPYTER_PATH: jupyterPath },
          cellTimeout: CELL_TIMEOUT,
        });
        assert.equal(r.code, 0, `${file} failed:\n${r.stderr.split("\n").slice(-40).join("\n")}`);
        assert.deepEqual(notebookProblems(r.outPath), [], `${file} has problems`);
      } finally {
        Deno.removeSync(out, { recursive: true });
      }
    },
  });
}
