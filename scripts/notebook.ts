/**
 * `deno task notebook [--port N] [--canonical] [--autosave] [--check]`: Jupyter for working in
 * the notebooks interactively, in one command.
 *
 * 1. Makes sure Jupyter Notebook is installed (`jupyter notebook`, Debian's `jupyter-notebook`):
 *    as root it runs `apt-get install -y --no-install-recommends jupyter-notebook`; otherwise it
 *    prints the command and exits with status 1.
 * 2. Registers the `deno` kernel for the user: `deno jupyter --install --force` with a Deno
 *    binary at a stable path (when this one runs from the npx cache, which can be cleared, it is
 *    copied to `$XDG_DATA_HOME/lobgame/deno-<version>/deno`, default `~/.local/share/...`), then
 *    points the kernelspec at a copy of `scripts/deno_kernel.py` in the kernelspec's folder,
 *    which keeps every output in its own cell (Deno 2.9.6's kernel can deliver a cell's output
 *    late, or under the next cell in "Run All"). JupyterLab and VS Code use the same kernelspec.
 * 3. Signs the committed notebooks for this user (`python3 -m nbformat.sign`, Debian has no
 *    `jupyter trust`), so they open trusted: figures as SVG, prose and tables as HTML.
 * 4. Starts Jupyter Notebook on 127.0.0.1 with the project root as its folder (`notebooks/`,
 *    `data/`, `figures/` and `docs/` in its file browser), `--allow-root` as root, no IOPub rate
 *    limit, autosave off (unless `--autosave`: otherwise re-running cells would rewrite the
 *    committed notebooks; Ctrl-S saves), and prints the URL. Cells you run write their data and
 *    figures to `.out/` (ignored by git), not to the committed `data/` and `figures/`, unless
 *    `--canonical` is given. Ctrl-C stops it.
 *
 * `--check` does all of that, then opens a kernel on `notebooks/00_toolkit_check.ipynb` through
 * the server's REST API and websocket, runs `1 + 1`, checks that every committed notebook is
 * trusted, stops the server and exits (used by `tests/notebook_task_test.ts`).
 *
 * @module
 */
import { flagsOrExit } from "./_flags.ts";
import { dirname, join, relative } from "node:path";
import {
  aptInstall,
  jupyterCommand,
  jupyterPython,
  KERNEL_WRAPPER,
  kernelSpec,
  listNotebooks,
  NOTEBOOKS,
  registeredKernel,
  ROOT,
  run,
} from "./_jupyter.ts";
import { freePort, KernelSession, randomToken, serverArgs } from "./_nbserver.ts";
import { writeFileAtomicSync } from "../lib/io/atomic.ts";

const USAGE = "usage: deno task notebook [--port N] [--canonical] [--autosave] [--check]";

/** Debian's package for the Notebook UI. */
export const NOTEBOOK_PACKAGES: readonly string[] = ["jupyter-notebook"];

/** The Notebook extension folder (autosave off, a note; `scripts/jupyter/nbextensions`). */
export const NBEXTENSIONS: string = join(ROOT, "scripts", "jupyter", "nbextensions");

/** `jupyter notebook --version`, or `undefined` when Jupyter Notebook is missing. */
export async function notebookVersion(): Promise<string | undefined> {
  const r = await run(jupyterCommand(), ["notebook", "--version"]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

async function ensureNotebook(): Promise<boolean> {
  const v = await notebookVersion();
  if (v) {
    console.log(`Jupyter Notebook ${v} (${jupyterCommand()} notebook)`);
    return true;
  }
  const hint = `apt-get update && apt-get install -y --no-install-recommends ${
    NOTEBOOK_PACKAGES.join(" ")
  }`;
  if (Deno.uid() !== 0) {
    console.error(`Jupyter Notebook was not found (${jupyterCommand()} notebook).`);
    console.error(
      `Install it (Debian/Ubuntu) with:\n\n  sudo ${hint.replace("&& apt", "&& sudo apt")}\n`,
    );
    console.error("or point JUPYTER at a jupyter command that has the notebook application.");
    return false;
  }
  console.log(`Jupyter Notebook not found; installing Debian's ${NOTEBOOK_PACKAGES.join(" ")}`);
  const code = await aptInstall(NOTEBOOK_PACKAGES);
  const again = code === 0 ? await notebookVersion() : undefined;
  if (!again) {
    console.error(`installing Jupyter Notebook failed (apt-get exit code ${code})`);
    return false;
  }
  console.log(`Jupyter Notebook ${again} installed`);
  return true;
}

/** `$XDG_DATA_HOME`, or `~/.local/share`. */
export function dataHome(): string {
  return Deno.env.get("XDG_DATA_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".local", "share");
}

/** True when `path` is in a package manager's cache or install folder, which can be cleared. */
export function isEphemeral(path: string): boolean {
  return /\/(_npx|\.npm|node_modules)\//.test(path);
}

/**
 * A Deno binary of this version at a stable path: this one when it is not in the npx cache, else
 * a copy at `<data home>/lobgame/deno-<version>/deno` (made once, atomically).
 */
export function stableDeno(): string {
  const self = Deno.realPathSync(Deno.execPath());
  if (!isEphemeral(self)) return self;
  const target = join(dataHome(), "lobgame", `deno-${Deno.version.deno}`, "deno");
  let present = false;
  try {
    present = Deno.statSync(target).size === Deno.statSync(self).size;
  } catch {
    present = false;
  }
  if (!present) {
    Deno.mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${Deno.pid}.tmp`;
    Deno.copyFileSync(self, tmp);
    Deno.chmodSync(tmp, 0o755);
    Deno.renameSync(tmp, target);
    console.log(`copied Deno ${Deno.version.deno} from the npx cache to ${target}`);
  }
  return target;
}

/**
 * Registers the `deno` kernel for the user with `deno` (see the module doc): `deno jupyter
 * --install --force`, then the kernelspec's command is set to the wrapper (copied next to
 * `kernel.json`) around `deno`. Returns the kernelspec's folder.
 */
export async function registerKernel(deno: string): Promise<string> {
  const r = await run(deno, ["jupyter", "--install", "--force"]);
  if (r.code !== 0) throw new Error(`${deno} jupyter --install --force failed:\n${r.stderr}`);
  const spec = await registeredKernel();
  if (!spec) throw new Error(`deno jupyter --install registered no kernel:\n${r.stderr}`);
  const wrapper = join(spec.dir, "deno_kernel.py");
  writeFileAtomicSync(wrapper, Deno.readTextFileSync(KERNEL_WRAPPER));
  writeFileAtomicSync(
    join(spec.dir, "kernel.json"),
    JSON.stringify(kernelSpec({ deno, wrapper }), null, 2) + "\n",
  );
  return spec.dir;
}

/** Signs notebooks for this user (`python3 -m nbformat.sign`), so they open trusted. */
export async function signNotebooks(files: string[]): Promise<void> {
  const r = await run(jupyterPython(), ["-m", "nbformat.sign", ...files]);
  if (r.code !== 0) throw new Error(`signing the notebooks failed:\n${r.stderr}${r.stdout}`);
}

/**
 * Writes the session's Notebook config (the extension in {@link NBEXTENSIONS} enabled, its
 * settings) to a new temporary folder, for `JUPYTER_CONFIG_PATH`.
 */
export function sessionConfig(settings: { note: string; autosave: boolean }): string {
  const dir = Deno.makeTempDirSync({ prefix: "lobgame-jupyter-" });
  Deno.mkdirSync(join(dir, "nbconfig"));
  Deno.writeTextFileSync(
    join(dir, "nbconfig", "notebook.json"),
    JSON.stringify({ load_extensions: { "lobgame/main": true }, lobgame: settings }, null, 2),
  );
  return dir;
}

async function check(base: string, token: string): Promise<string[]> {
  const problems: string[] = [];
  const server = {
    base,
    token,
    root: ROOT,
    url: (p: string) => `${base}${p}${p.includes("?") ? "&" : "?"}token=${token}`,
    log: () => "",
    stop: async () => {},
  };
  const first = relative(ROOT, join(NOTEBOOKS, listNotebooks()[0]));
  const k = await KernelSession.open(server, first);
  try {
    const id = k.execute("1 + 1");
    await k.waitUntil(
      () =>
        k.received.some((r) =>
          r.msg.parent_header.msg_id === id && r.msg.header.msg_type === "status" &&
          r.msg.content.execution_state === "idle"
        ),
      120_000,
      "1 + 1",
    );
    const result = k.received.find((r) =>
      r.msg.parent_header.msg_id === id && r.msg.header.msg_type === "execute_result"
    );
    const data = result?.msg.content.data as Record<string, string> | undefined;
    // deno-lint-ignore no-control-regex
    const text = data?.["text/plain"]?.replace(/\x1b\[[0-9;]*m/g, ""); // Deno colours it
    if (text !== "2") problems.push(`1 + 1 gave ${JSON.stringify(text)}`);
  } finally {
    await k.close();
  }
  for (const file of listNotebooks()) {
    const path = relative(ROOT, join(NOTEBOOKS, file));
    const r = await fetch(server.url(`/api/contents/${path}`));
    const nb = await r.json();
    const untrusted = (nb.content?.cells ?? []).filter((c: Record<string, unknown>) =>
      c.cell_type === "code" && (c.metadata as { trusted?: boolean })?.trusted !== true
    ).length;
    if (untrusted > 0) {
      problems.push(`${file}: ${untrusted} code cell(s) not trusted`);
    }
  }
  return problems;
}

async function main(): Promise<number> {
  const { values } = flagsOrExit(
    "notebook",
    Deno.args,
    {
      port: { type: "string" },
      canonical: { type: "boolean", default: false },
      autosave: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port ? Number(values.port) : freePort();
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port: must be an integer in 1..65535, got ${values.port}`);
    return 2;
  }
  if (!(await ensureNotebook())) return 1;
  const deno = stableDeno();
  const kernelDir = await registerKernel(deno);
  console.log(`deno kernel: ${kernelDir} (${deno} through deno_kernel.py)`);
  const files = listNotebooks().map((f) => join(NOTEBOOKS, f));
  await signNotebooks(files);
  console.log(`signed ${files.length} notebooks (they open trusted)`);

  const outputs = values.canonical
    ? "cells write the committed data/ and figures/ (--canonical)"
    : "cells write their data and figures to .out/ (git ignores it)";
  const note = `${outputs}; autosave ${values.autosave ? "on" : "off: Ctrl-S saves"}`;
  const config = sessionConfig({ note, autosave: values.autosave });
  const token = randomToken();
  const env: Record<string, string> = {
    JUPYTER_CONFIG_PATH: [config, Deno.env.get("JUPYTER_CONFIG_PATH")].filter(Boolean).join(":"),
  };
  if (values.canonical) env.REPORT_OUT_DIR = ROOT;
  const args = [
    ...serverArgs({ root: ROOT, port, token }),
    `--NotebookApp.extra_nbextensions_path=${NBEXTENSIONS}`,
  ];
  const child = new Deno.Command(jupyterCommand(), {
    args,
    env,
    stdin: values.check ? "null" : "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 300 && !up; i++) {
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      await r.body?.cancel();
      up = r.ok;
    } catch { /* not up yet */ }
    if (!up) await new Promise((r) => setTimeout(r, 200));
  }
  const cleanup = () => Deno.removeSync(config, { recursive: true });
  if (!up) {
    console.error("Jupyter Notebook did not start (see its messages above)");
    child.kill("SIGTERM");
    await child.status;
    cleanup();
    return 1;
  }
  const first = relative(ROOT, join(NOTEBOOKS, listNotebooks()[0] ?? ""));
  console.log(
    [
      "",
      "Jupyter Notebook with the Deno kernel is running at",
      `  ${base}/tree?token=${token}`,
      `  first notebook: ${base}/notebooks/${first}?token=${token}`,
      `Note: ${note}.`,
      values.check ? "" : "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
  if (values.check) {
    let problems: string[];
    try {
      problems = await check(base, token);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      cleanup();
    }
    for (const p of problems) console.error(`check: ${p}`);
    console.log(problems.length === 0 ? "check: ok" : "check: FAILED");
    return problems.length === 0 ? 0 : 1;
  }
  // Ctrl-C reaches Jupyter too (same process group), which asks to confirm and then exits.
  Deno.addSignalListener("SIGINT", () => {});
  const status = await child.status;
  cleanup();
  return status.code;
}

if (import.meta.main) Deno.exit(await main());
