/**
 * Jupyter for the notebooks: checking and installing it (Debian packages), the `deno` kernelspec
 * (Deno's kernel run through `scripts/deno_kernel.py`, which keeps every output in its cell),
 * executing a notebook headless with nbconvert, and exporting HTML. Shared by
 * `scripts/reproduce.ts`, `scripts/notebook.ts` and the notebook tests.
 *
 * Notebooks are executed by `jupyter nbconvert --to notebook` with the preprocessor in
 * `scripts/deno_execute.py` instead of the stock `--execute`: it echoes progress, and tolerates
 * outputs that arrive after a cell's idle should a kernel without the wrapper be used.
 * The kernel's working directory is the notebook's folder (nbconvert's default), so notebooks
 * import project modules as `../lib/...` and the kernel finds the project's `deno.json` (and its
 * import map) by walking up from `notebooks/`.
 *
 * @module
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomicSync } from "../lib/io/atomic.ts";

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** The notebooks folder. */
export const NOTEBOOKS: string = join(ROOT, "notebooks");

/** The Jupyter command: `$JUPYTER` if set, else Debian's `/usr/bin/jupyter`. */
export function jupyterCommand(): string {
  return Deno.env.get("JUPYTER") ?? "/usr/bin/jupyter";
}

/** Debian packages that provide `jupyter nbconvert` and a notebook executor. */
export const APT_PACKAGES: readonly string[] = [
  "jupyter-nbconvert",
  "jupyter-client",
  "python3-nbclient",
];

/** The install command for {@link APT_PACKAGES}, as root would type it. */
export const APT_HINT = `apt-get update && apt-get install -y ${APT_PACKAGES.join(" ")}`;

/** The install command for {@link APT_PACKAGES}, as a user with sudo would type it. */
export const SUDO_APT_HINT = `sudo apt-get update && sudo apt-get install -y ${
  APT_PACKAGES.join(" ")
}`;

/** Notebook files `NN_*.ipynb` in `dir`, sorted by name. */
export function listNotebooks(dir: string = NOTEBOOKS): string[] {
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isFile && /^\d\d_.+\.ipynb$/.test(e.name))
      .map((e) => e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** Exit code and output of {@link run}. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; `code` 127 when it is not found. */
export async function run(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string>; inherit?: boolean } = {},
): Promise<RunResult> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: options.env,
      stdin: "null",
      stdout: options.inherit ? "inherit" : "piped",
      stderr: options.inherit ? "inherit" : "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: options.inherit ? "" : dec.decode(out.stdout),
      stderr: options.inherit ? "" : dec.decode(out.stderr),
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: String(e) };
    throw e;
  }
}

/** nbconvert's version, or `undefined` when Jupyter or nbconvert is missing. */
export async function nbconvertVersion(): Promise<string | undefined> {
  const r = await run(jupyterCommand(), ["nbconvert", "--version"]);
  if (r.code !== 0) return undefined;
  const k = await run(jupyterCommand(), ["kernelspec", "list", "--json"]);
  return k.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Installs Debian packages with apt-get (needs root), without recommended packages; runs
 * `apt-get update` first when the package lists are empty or stale (the install fails).
 * Returns apt-get's exit code.
 */
export async function aptInstall(packages: readonly string[]): Promise<number> {
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
      env,
      inherit: true,
    });
  if ((await install()).code === 0) return 0;
  const u = await run("apt-get", ["update"], { env, inherit: true });
  if (u.code !== 0) return u.code;
  return (await install()).code;
}

/** Installs {@link APT_PACKAGES} with apt-get (needs root). Returns apt-get's exit code. */
export function installJupyter(): Promise<number> {
  return aptInstall(APT_PACKAGES);
}

/** The Python that runs Jupyter: the interpreter named by `jupyterCommand()`'s `#!` line. */
export function jupyterPython(): string {
  try {
    const head = Deno.readTextFileSync(jupyterCommand()).slice(0, 200);
    const m = /^#!\s*(\S+)/.exec(head);
    if (m && !m[1].endsWith("/env")) return m[1];
  } catch {
    // not a script (or missing): fall through
  }
  return "/usr/bin/python3";
}

/** The kernel wrapper that keeps outputs in their cells (see `scripts/deno_kernel.py`). */
export const KERNEL_WRAPPER: string = join(ROOT, "scripts", "deno_kernel.py");

/** Options of {@link kernelArgv} and {@link writeKernelSpec}. */
export interface KernelOptions {
  /** The Deno binary the kernel runs. Default `Deno.execPath()`. */
  deno?: string;
  /**
   * Run Deno's kernel through `scripts/deno_kernel.py` (default true), which fixes the order of
   * its messages; `false` gives Deno's own kernel command (to measure the difference).
   */
  wrapped?: boolean;
  /** Where the wrapper script is (default {@link KERNEL_WRAPPER}). */
  wrapper?: string;
}

/** The kernel command line (see {@link KernelOptions}). */
export function kernelArgv(options: KernelOptions = {}): string[] {
  const deno = options.deno ?? Deno.execPath();
  const plain = [deno, "jupyter", "--kernel", "--conn", "{connection_file}"];
  if (options.wrapped === false) return plain;
  return [
    jupyterPython(),
    options.wrapper ?? KERNEL_WRAPPER,
    "{connection_file}",
    "--",
    deno,
    "jupyter",
    "--kernel",
    "--conn",
  ];
}

/** The `kernel.json` for {@link kernelArgv}. */
export function kernelSpec(options: KernelOptions = {}): Record<string, unknown> {
  const wrapped = options.wrapped !== false;
  return {
    argv: kernelArgv(options),
    display_name: "Deno",
    language: "typescript",
    // The wrapper forwards interrupt_request to Deno; a signal would stop the wrapper instead.
    ...(wrapped ? { interrupt_mode: "message" } : {}),
    metadata: { lobgame: wrapped ? "deno kernel through scripts/deno_kernel.py" : "deno kernel" },
  };
}

interface KernelSpec {
  /** Folder holding `kernel.json`. */
  dir: string;
  /** The kernel command line. */
  argv: string[];
}

/** The registered `deno` kernel, or `undefined` if none is registered. */
export async function registeredKernel(
  env?: Record<string, string>,
): Promise<KernelSpec | undefined> {
  const r = await run(jupyterCommand(), ["kernelspec", "list", "--json"], { env });
  if (r.code !== 0) return undefined;
  try {
    const k = JSON.parse(r.stdout).kernelspecs?.deno;
    return k ? { dir: k.resource_dir, argv: k.spec.argv } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a `deno` kernelspec under `dir/kernels/deno/`, for use with `JUPYTER_PATH=dir` (which
 * takes precedence over the user's kernels): hermetic runs (tests, `deno task reproduce`) that
 * must not touch `~/.local/share/jupyter`. Returns the kernelspec's folder.
 */
export function writeKernelSpec(dir: string, options: KernelOptions = {}): string {
  const k = join(dir, "kernels", "deno");
  Deno.mkdirSync(k, { recursive: true });
  writeFileAtomicSync(join(k, "kernel.json"), JSON.stringify(kernelSpec(options), null, 2) + "\n");
  return k;
}

/**
 * The environment of a Jupyter that sees nothing of the user's set-up: its kernels (the `deno`
 * kernelspec, written here), data (trust signatures), runtime (connection files) and config
 * folders, and the notebooks' outputs (`REPORT_OUT_DIR`), all under `dir`.
 */
export function sandboxEnv(dir: string, options: KernelOptions = {}): Record<string, string> {
  writeKernelSpec(join(dir, "jupyter"), options);
  return {
    JUPYTER_PATH: join(dir, "jupyter"),
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    REPORT_OUT_DIR: join(dir, "out"),
  };
}

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** Folder for the executed copy (written as `<outDir>/<same name>.ipynb`). */
  outDir: string;
  /** Extra environment for nbconvert and the kernel (e.g. `QUICK`, `REPORT_OUT_DIR`). */
  env?: Record<string, string>;
  /** Seconds a single cell may run before it is interrupted; `undefined` for no limit. */
  cellTimeout?: number;
  /** Stream per-cell progress and the kernel's output to this process's stderr. */
  echo?: boolean;
}

/** Outcome of {@link executeNotebook}. */
export interface ExecuteResult {
  /** nbconvert's exit code (non-zero when a cell raised or timed out). */
  code: number;
  /** The executed copy (only written when `code` is 0). */
  outPath: string;
  /** nbconvert's stderr when not echoed (tracebacks of failing cells are there). */
  stderr: string;
}

/** Executes one notebook in its own folder with the Deno kernel (see the module doc). */
export async function executeNotebook(
  path: string,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const name = basename(path).replace(/\.ipynb$/, "");
  const scripts = join(ROOT, "scripts");
  const pythonPath = [scripts, Deno.env.get("PYTHONPATH")].filter(Boolean).join(":");
  const pre = "DenoExecutePreprocessor";
  const args = [
    "nbconvert",
    "--to",
    "notebook",
    `--Exporter.preprocessors=deno_execute.${pre}`,
    `--${pre}.kernel_name=deno`,
    `--${pre}.timeout=${options.cellTimeout ?? -1}`,
    `--${pre}.startup_timeout=300`,
    `--${pre}.record_timing=False`,
    `--${pre}.echo=${options.echo ? "True" : "False"}`,
    "--output-dir",
    options.outDir,
    "--output",
    name,
    path,
  ];
  const r = await run(jupyterCommand(), args, {
    env: { ...options.env, PYTHONPATH: pythonPath },
    inherit: options.echo,
  });
  return { code: r.code, outPath: join(options.outDir, `${name}.ipynb`), stderr: r.stderr };
}

/** A problem found in an executed notebook. */
export interface CellProblem {
  /** Index of the cell in the notebook. */
  cell: number;
  /** What went wrong. */
  message: string;
}

/** Error outputs and unexecuted code cells of an executed notebook file. */
export function notebookProblems(path: string): CellProblem[] {
  const nb = JSON.parse(Deno.readTextFileSync(path));
  const out: CellProblem[] = [];
  (nb.cells ?? []).forEach((c: Record<string, unknown>, i: number) => {
    if (c.cell_type !== "code") return;
    const source = Array.isArray(c.source) ? c.source.join("") : String(c.source ?? "");
    if (source.trim() !== "" && c.execution_count == null) {
      out.push({ cell: i, message: "not executed" });
    }
    for (const o of (c.outputs ?? []) as Record<string, unknown>[]) {
      if (o.output_type === "error") out.push({ cell: i, message: `${o.ename}: ${o.evalue}` });
    }
  });
  return out;
}

/** The first Markdown heading of a notebook (its title), or its file name. */
export function notebookTitle(path: string): string {
  try {
    const nb = JSON.parse(Deno.readTextFileSync(path));
    for (const c of nb.cells ?? []) {
      if (c.cell_type !== "markdown") continue;
      const text = Array.isArray(c.source) ? c.source.join("") : String(c.source ?? "");
      const m = /^#+\s+(.+)$/m.exec(text);
      if (m) return m[1].trim();
    }
  } catch {
    // fall through to the file name
  }
  return basename(path);
}

/**
 * Converts an (executed) notebook to `<outDir>/<name>.html` with nbconvert's `lab` template,
 * patched (`scripts/nbconvert/report/`) to inline SVG figures, which Debian's nbconvert 6.5
 * would otherwise sanitise into blank boxes.
 */
export async function exportHtml(path: string, outDir: string): Promise<ExecuteResult> {
  const name = basename(path).replace(/\.ipynb$/, "");
  const r = await run(jupyterCommand(), [
    "nbconvert",
    "--to",
    "html",
    `--TemplateExporter.extra_template_basedirs=${join(ROOT, "scripts", "nbconvert")}`,
    "--template",
    "report",
    "--output-dir",
    outDir,
    "--output",
    name,
    path,
  ]);
  return { code: r.code, outPath: join(outDir, `${name}.html`), stderr: r.stderr };
}
