/**
 * `deno task check:browser [--notebook NN] [--out DIR]`: looks at a notebook the way a reader
 * does, in headless Chromium (Debian's `chromium`), and fails if a figure or table does not
 * render, a figure is wider than its output area, or the prose contains MathJax-typeset output.
 *
 * 1. Starts a Jupyter Notebook server (hermetic: temporary Jupyter folders and kernelspec) and
 *    opens the committed notebook (default `02`, which has dollar amounts, tables and figures)
 *    twice: **untrusted** (as a fresh checkout opens anywhere), then **trusted** (signed, as
 *    `deno task notebook` does). It waits for the notebook and MathJax to finish, then checks
 *    every output: an output with a figure shows an `<svg>` or `<img>` of real size inside the
 *    output area; an output with a table (Markdown, or a frame's HTML) shows a `<table>`; no MathJax element
 *    (`.MathJax`, `mjx-container`, `script[type^=math/tex]`, ...) anywhere in the notebook.
 * 2. Exports the same notebook with the report template (`scripts/nbconvert/report/`), opens the
 *    page from `file://`, and checks the same, plus: the page requests nothing but itself (no
 *    script, style, image or font from a file or the network) and every code cell is folded.
 * 3. Writes screenshots (viewport, first figure, first prose with a dollar amount, first table;
 *    per view) to `--out` (default `.out/browser/`) and prints what it found.
 *
 * Installs `chromium` and `jupyter-notebook` with apt-get when missing and running as root.
 * Takes about 30-60 s (a separate task, not part of `deno task test`).
 *
 * @module
 */
import { flagsOrExit } from "./_flags.ts";
import { join, relative } from "node:path";
import {
  aptInstall,
  exportHtml,
  jupyterPython,
  listNotebooks,
  NOTEBOOKS,
  ROOT,
  run,
  sandboxEnv,
} from "./_jupyter.ts";
import { startNotebookServer } from "./_nbserver.ts";
import { NBEXTENSIONS, NOTEBOOK_PACKAGES, notebookVersion, sessionConfig } from "./notebook.ts";
import { Browser, CHROMIUM } from "./_cdp.ts";

const USAGE = "usage: deno task check:browser [--notebook NN] [--out DIR]";

/** What the page reports (see the `INSPECT_*` scripts). */
interface Findings {
  figures: number;
  figuresShown: number;
  figuresFit: number;
  figuresAs: Record<string, number>;
  tables: number;
  tablesShown: number;
  dollars: number;
  dollarsShown: number;
  mathjax: number;
  mathjaxLoaded: boolean;
  problems: string[];
}

/**
 * Runs in the Notebook page: walks the cells' outputs (JSON) and their DOM in step. Marks the
 * first figure, table and prose-with-$ with ids for the screenshots.
 */
const INSPECT_NOTEBOOK = `(() => {
  const f = { figures: 0, figuresShown: 0, figuresFit: 0, figuresAs: {}, tables: 0, tablesShown: 0,
    dollars: 0, dollarsShown: 0, mathjax: 0, mathjaxLoaded: !!window.MathJax, problems: [] };
  const join = (x) => Array.isArray(x) ? x.join("") : (x || "");
  const mark = (el, id) => { if (el && !document.getElementById(id)) el.id = id; };
  Jupyter.notebook.get_cells().forEach((cell, ci) => {
    if (cell.cell_type !== "code") return;
    const els = cell.output_area.element.children(".output_area").toArray();
    cell.output_area.outputs.forEach((o, k) => {
      const data = o.data || {};
      const el = els[k];
      if (!el) { f.problems.push("cell " + ci + " output " + k + ": not in the page"); return; }
      if (data["image/svg+xml"] || data["image/png"]) {
        f.figures++;
        const g = el.querySelector("svg, img");
        const r = g && g.getBoundingClientRect();
        const area = el.querySelector(".output_subarea") || el;
        const a = area.getBoundingClientRect();
        const loaded = g && (g.tagName.toLowerCase() !== "img" || (g.complete && g.naturalWidth > 0));
        if (g && loaded && r.width > 100 && r.height > 50) {
          f.figuresShown++;
          const as = g.tagName.toLowerCase();
          f.figuresAs[as] = (f.figuresAs[as] || 0) + 1;
          mark(el, "lobgame-shot-figure");
          if (r.right <= a.right + 1 && area.scrollWidth <= area.clientWidth + 1) f.figuresFit++;
          else f.problems.push("cell " + ci + ": figure " + Math.round(r.width) + " px wide in an area of " + Math.round(a.width) + " px");
        } else {
          f.problems.push("cell " + ci + ": figure not shown (" + JSON.stringify(el.innerText.slice(0, 60)) + ")");
        }
      }
      const md = join(data["text/markdown"]);
      if (/\\n *\\|? *:?-{3,}:? *\\|/.test(md) || /<table/i.test(join(data["text/html"]))) {
        f.tables++;
        if (el.querySelector("table tr")) { f.tablesShown++; mark(el, "lobgame-shot-table"); }
        else f.problems.push("cell " + ci + ": table not shown (" + JSON.stringify(el.innerText.slice(0, 60)) + ")");
      }
      const plainMd = md.replace(/\\\\\\$/g, "$");
      if (/\\$\\d/.test(plainMd)) {
        f.dollars++;
        if ((plainMd.match(/\\$/g) || []).length >= 2) mark(el, "lobgame-shot-prose");
        if (/\\$\\d/.test(el.innerText) && !el.querySelector(".MathJax, mjx-container")) {
          f.dollarsShown++;
        } else f.problems.push("cell " + ci + ": dollar amounts not shown as text");
      }
    });
  });
  f.mathjax = document.querySelectorAll("#notebook-container .MathJax, #notebook-container .MathJax_Display, #notebook-container .MathJax_Preview, #notebook-container .MathJax_SVG, #notebook-container mjx-container, #notebook-container script[type^='math/tex']").length;
  if (f.mathjax > 0) f.problems.push(f.mathjax + " MathJax element(s) in the notebook");
  return f;
})()`;

/** Runs in the report page. */
const INSPECT_REPORT = `(() => {
  const f = { figures: 0, figuresShown: 0, figuresFit: 0, figuresAs: {}, tables: 0, tablesShown: 0,
    dollars: 0, dollarsShown: 0, mathjax: 0, mathjaxLoaded: !!window.MathJax, problems: [] };
  const mark = (el, id) => { if (el && !document.getElementById(id)) el.id = id; };
  const width = document.documentElement.clientWidth;
  for (const out of document.querySelectorAll(".jp-RenderedSVG, .jp-RenderedImage")) {
    f.figures++;
    const g = out.querySelector("svg, img");
    const r = g && g.getBoundingClientRect();
    if (g && r.width > 100 && r.height > 50) {
      f.figuresShown++;
      const as = g.tagName.toLowerCase();
      f.figuresAs[as] = (f.figuresAs[as] || 0) + 1;
      mark(out, "lobgame-shot-figure");
      if (r.right <= width) f.figuresFit++;
      else f.problems.push("figure " + Math.round(r.width) + " px wide in a page of " + width);
    } else f.problems.push("figure not shown");
  }
  for (const out of document.querySelectorAll(".jp-OutputArea-output")) {
    if (out.querySelector("table")) { f.tables++; f.tablesShown++; mark(out, "lobgame-shot-table"); }
    if (/\\$\\d/.test(out.innerText)) { f.dollars++; f.dollarsShown++; mark(out, "lobgame-shot-prose"); }
  }
  const pipes = [...document.querySelectorAll(".jp-OutputArea-output")].filter((o) => /^\\s*\\|.*\\|\\s*$/m.test(o.innerText) && /-{3,}/.test(o.innerText)).length;
  if (pipes > 0) { f.tables += pipes; f.problems.push(pipes + " table(s) shown as Markdown pipes"); }
  const open = [...document.querySelectorAll("details.lobgame-code")].filter((d) => d.open).length;
  if (open > 0) f.problems.push(open + " code cell(s) not folded");
  if (document.querySelectorAll("details.lobgame-code").length === 0) f.problems.push("no folded code cells");
  f.mathjax = document.querySelectorAll(".MathJax, .MathJax_Display, mjx-container, script[type^='math/tex']").length;
  if (f.mathjax > 0) f.problems.push(f.mathjax + " MathJax element(s)");
  return f;
})()`;

async function ensurePackages(): Promise<boolean> {
  const missing: string[] = [];
  try {
    Deno.statSync(CHROMIUM);
  } catch {
    missing.push("chromium");
  }
  if (!(await notebookVersion())) missing.push(...NOTEBOOK_PACKAGES);
  if (missing.length === 0) return true;
  if (Deno.uid() !== 0) {
    console.error(
      `missing: ${
        missing.join(", ")
      }; install with:\n\n  sudo apt-get install -y --no-install-recommends ${missing.join(" ")}\n`,
    );
    return false;
  }
  console.log(`installing ${missing.join(" ")} (apt-get)`);
  return (await aptInstall(missing)) === 0;
}

function summary(view: string, f: Findings): string {
  const as = Object.entries(f.figuresAs).map(([k, v]) => `${v} as <${k}>`).join(", ");
  return [
    `${view}:`,
    `  figures ${f.figuresShown}/${f.figures} shown${as ? ` (${as})` : ""}, ${f.figuresFit} fit`,
    `  tables ${f.tablesShown}/${f.tables} shown`,
    `  prose with $ amounts ${f.dollarsShown}/${f.dollars} shown as text`,
    `  MathJax elements: ${f.mathjax}${f.mathjaxLoaded ? " (MathJax loaded)" : " (no MathJax)"}`,
    ...f.problems.slice(0, 12).map((p) => `  ✗ ${p}`),
    ...(f.problems.length > 12 ? [`  ✗ ... ${f.problems.length - 12} more`] : []),
  ].join("\n");
}

async function shots(b: Browser, dir: string, prefix: string): Promise<string[]> {
  const files: string[] = [];
  const take = async (name: string, selector?: string) => {
    const file = join(dir, `${prefix}_${name}.png`);
    try {
      await b.screenshot(file, selector, 1600);
      files.push(file);
    } catch (e) {
      console.error(`  (no ${name} screenshot: ${(e as Error).message})`);
    }
  };
  await b.evaluate("scrollTo(0, 0)");
  await take("top");
  await take("figure", "#lobgame-shot-figure");
  await take("prose", "#lobgame-shot-prose");
  await take("table", "#lobgame-shot-table");
  return files;
}

async function main(): Promise<number> {
  const { values } = flagsOrExit(
    "check:browser",
    Deno.args,
    {
      notebook: { type: "string", default: "02" },
      out: { type: "string", default: join(ROOT, ".out", "browser") },
    },
    USAGE,
  );
  const nn = values.notebook.padStart(2, "0");
  const file = listNotebooks().find((f) => f.startsWith(`${nn}_`));
  if (!file) {
    console.error(`no notebook ${nn}_*.ipynb in ${NOTEBOOKS}`);
    return 2;
  }
  if (!(await ensurePackages())) return 1;
  const outDir = values.out;
  Deno.mkdirSync(outDir, { recursive: true });
  const tmp = Deno.makeTempDirSync({ prefix: "browser-check-" });
  const config = sessionConfig({ note: "browser check", autosave: false });
  const env = { ...sandboxEnv(tmp), JUPYTER_CONFIG_PATH: config };
  const path = join(NOTEBOOKS, file);
  const results: [string, Findings][] = [];
  const screenshots: string[] = [];
  let failed = false;
  // As deno task notebook starts it (autosave off: the check must not rewrite the notebook).
  const server = await startNotebookServer({
    root: ROOT,
    env,
    extraArgs: [`--NotebookApp.extra_nbextensions_path=${NBEXTENSIONS}`],
  });
  let browser: Browser | undefined;
  try {
    browser = await Browser.launch(1280, 900);
    const url = server.url(`/notebooks/${relative(ROOT, path)}`);
    const ready = `window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
      window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running`;
    for (const view of ["untrusted", "trusted"]) {
      if (view === "trusted") {
        const r = await run(jupyterPython(), ["-m", "nbformat.sign", path], { env });
        if (r.code !== 0) throw new Error(`signing failed: ${r.stderr}`);
      }
      await browser.goto(url);
      await browser.waitFor(ready, 60_000, "the notebook and MathJax");
      await new Promise((r) => setTimeout(r, 1500)); // let MathJax's queued typesetting settle
      await browser.waitFor(ready, 30_000, "MathJax");
      const trusted = await browser.evaluate<boolean>("Jupyter.notebook.trusted");
      if (trusted !== (view === "trusted")) {
        throw new Error(`expected ${view}, page says ${trusted}`);
      }
      results.push([
        `notebook ${file}, ${view}`,
        await browser.evaluate<Findings>(INSPECT_NOTEBOOK),
      ]);
      screenshots.push(...await shots(browser, outDir, `notebook_${view}`));
    }
    const h = await exportHtml(path, join(tmp, "report"));
    if (h.code !== 0) throw new Error(`HTML export failed: ${h.stderr}`);
    const pageUrl = `file://${h.outPath}`;
    browser.requests.length = 0;
    await browser.goto(pageUrl);
    await new Promise((r) => setTimeout(r, 1000));
    const f = await browser.evaluate<Findings>(INSPECT_REPORT);
    const foreign = browser.requests.filter((u) => u !== pageUrl && !u.startsWith("data:"));
    for (const u of foreign) f.problems.push(`the page loads ${u}`);
    results.push([`report page ${file.replace(/\.ipynb$/, ".html")}`, f]);
    screenshots.push(...await shots(browser, outDir, "report"));
  } finally {
    try {
      await browser?.close();
    } finally {
      await server.stop();
      Deno.removeSync(tmp, { recursive: true });
      Deno.removeSync(config, { recursive: true });
    }
  }
  for (const [view, f] of results) {
    const bad = f.problems.length > 0 || f.figures === 0 || f.figuresShown < f.figures;
    failed ||= bad;
    console.log(summary(view, f));
  }
  console.log(`screenshots:\n${screenshots.map((s) => `  ${relative(Deno.cwd(), s)}`).join("\n")}`);
  console.log(failed ? "browser check: FAILED" : "browser check: ok");
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
