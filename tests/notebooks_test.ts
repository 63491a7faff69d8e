/**
 * The notebooks' committed outputs and the path `deno task reproduce` takes.
 *
 * 1. Committed outputs read the same in every viewer (no kernel needed): every Markdown output
 *    has its `$` escaped outside code and an HTML twin inside the class MathJax skips
 *    (`lib/report/md.ts`); every SVG figure is responsive and has a PNG twin for untrusted
 *    viewers (`figure.ts`); progress is one display line, not stream lines (`progress.ts`); no
 *    cell failed.
 * 2. `00_toolkit_check` executed with nbconvert and the project's kernelspec (as
 *    `deno task reproduce --quick` does) and exported with the report template: no cell errors,
 *    and a self-contained page (no script, stylesheet, image or font from a file:// or network
 *    address, no MathJax), code folded, prose in the no-math class, figures inline.
 *
 * Every notebook is run in quick mode through a Notebook server in
 * `tests/notebook_server_test.ts`. Hermetic: executed copies and outputs go to a temporary
 * folder, the kernelspec to a temporary `JUPYTER_PATH`. Needs Jupyter's nbconvert
 * (`/usr/bin/jupyter`, or `$JUPYTER`), installed from Debian's packages when missing if root.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  executeNotebook,
  exportHtml,
  installJupyter,
  jupyterCommand,
  listNotebooks,
  nbconvertVersion,
  notebookProblems,
  NOTEBOOKS,
  SUDO_APT_HINT,
  writeKernelSpec,
} from "../scripts/_jupyter.ts";
import { escapeMath, NO_MATH_CLASS } from "../lib/report/md.ts";

/** Seconds one cell may take in quick mode. */
const CELL_TIMEOUT = 600;

type Output = {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
};

const joined = (x: string | string[] | undefined) => (Array.isArray(x) ? x.join("") : x ?? "");

/** An absolute path into the project (`/…/data/x.parquet`): it differs on every machine. */
const MACHINE_PATH = /(?:^|["'\s])(?:\/[\w.-]+)+\/(?:data|figures|notebooks|\.out)\//;

/** Problems of one committed output, as messages (empty when it is fine). */
function outputProblems(o: Output): string[] {
  const out: string[] = [];
  const data = o.data ?? {};
  if (o.output_type === "error") out.push(`error output ${o.ename}: ${o.evalue}`);
  if (o.output_type === "stream" && joined(o.text).includes("█")) {
    out.push("progress printed as stream lines (progress() shows one updated display)");
  }
  if ("text/markdown" in data) {
    const text = joined(data["text/markdown"]);
    if (escapeMath(text) !== text) {
      out.push(`unescaped $ in Markdown: ${JSON.stringify(text.slice(0, 80))}...`);
    }
    if (!joined(data["text/html"]).startsWith(`<div class="${NO_MATH_CLASS}">`)) {
      out.push("Markdown without its HTML twin in the no-math class");
    }
  }
  const plain = joined(data["text/plain"]) + joined(o.text);
  if (MACHINE_PATH.test(plain)) {
    out.push(`a path of the machine that ran it: ${MACHINE_PATH.exec(plain)?.[0]}`);
  }
  if ("image/svg+xml" in data) {
    const open = /^<svg[^>]*>/.exec(joined(data["image/svg+xml"]))?.[0] ?? "";
    if (!/ width="100%"/.test(open)) out.push("SVG figure with a fixed pixel width");
    if (!("image/png" in data)) out.push("SVG figure without a PNG for untrusted viewers");
  }
  return out;
}

for (const file of listNotebooks()) {
  Deno.test(`notebook ${file}: committed outputs read the same in every viewer`, () => {
    const nb = JSON.parse(Deno.readTextFileSync(join(NOTEBOOKS, file)));
    const problems: string[] = [];
    (nb.cells ?? []).forEach((c: { outputs?: Output[] }, i: number) => {
      for (const o of c.outputs ?? []) {
        for (const p of outputProblems(o)) problems.push(`cell ${i}: ${p}`);
      }
    });
    assert.deepEqual(
      problems,
      [],
      `${file} (re-run it: deno task reproduce --only ${file.slice(0, 2)})`,
    );
  });
}

Deno.test("outputProblems: each rule can fail", () => {
  const md = (text: string, html = `<div class="${NO_MATH_CLASS}">x</div>`) => ({
    output_type: "execute_result",
    data: { "text/markdown": text, "text/html": html, "text/plain": text },
  });
  assert.deepEqual(outputProblems(md("costs \\$5")), []);
  assert.equal(outputProblems(md("costs $5 and $6")).length, 1);
  assert.equal(outputProblems(md("ok", "<p>ok</p>")).length, 1);
  const svg = (open: string, png = true) => ({
    output_type: "execute_result",
    data: { "image/svg+xml": `${open}<g/></svg>`, ...(png ? { "image/png": "iVBOR" } : {}) },
  });
  assert.deepEqual(outputProblems(svg(`<svg width="100%" viewBox="0 0 9 9">`)), []);
  assert.equal(outputProblems(svg(`<svg width="900" height="9">`)).length, 1);
  assert.equal(outputProblems(svg(`<svg width="100%">`, false)).length, 1);
  assert.equal(outputProblems({ output_type: "stream", text: "bar ██░░ 50%\n" }).length, 1);
  assert.equal(outputProblems({ output_type: "error", ename: "E", evalue: "v" }).length, 1);
  const plain = (text: string) => ({ output_type: "execute_result", data: { "text/plain": text } });
  assert.equal(outputProblems(plain(`"/work/wt/p12/data/07_fill_rates.parquet"`)).length, 1);
  assert.deepEqual(outputProblems(plain(`"data/07_fill_rates.parquet"`)), []);
});

/** Addresses a page would load from elsewhere: scripts, stylesheets, images, fonts, frames. */
export function externalReferences(html: string): string[] {
  const refs: string[] = [];
  const patterns = [
    /<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi,
    /<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)/gi,
    /<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:|file:|\/\/)[^"')\s]*)/gi,
    /@import\s+["']([^"']+)/gi,
  ];
  for (const re of patterns) {
    for (const m of html.matchAll(re)) if (!m[1].startsWith("data:")) refs.push(m[1]);
  }
  return refs;
}

Deno.test("externalReferences finds what a page would load", () => {
  assert.deepEqual(
    externalReferences(
      `<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>` +
        `<link rel="stylesheet" href="https://cdn.example/x.css"><img src="data:image/png;base64,A">` +
        `<style>@import url("https://fonts.example/f.css"); a{background:url(data:x)}</style>` +
        `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
    ),
    [
      "file:///usr/share/javascript/requirejs/require.min.js",
      "https://cdn.example/x.css",
      "https://fonts.example/f.css",
    ],
  );
});

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

const first = listNotebooks()[0];

Deno.test({
  name: `notebook ${first} runs with nbconvert and exports a self-contained, prose-first page`,
  ignore: first === undefined,
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
      const r = await executeNotebook(join(NOTEBOOKS, first), {
        outDir: out,
        env: { QUICK: "1", REPORT_OUT_DIR: out, JUPYTER_PATH: jupyterPath },
        cellTimeout: CELL_TIMEOUT,
      });
      assert.equal(r.code, 0, `${first} failed:\n${r.stderr.split("\n").slice(-40).join("\n")}`);
      assert.deepEqual(notebookProblems(r.outPath), [], `${first} has problems`);
      const h = await exportHtml(r.outPath, out);
      assert.equal(h.code, 0, h.stderr);
      const html = Deno.readTextFileSync(h.outPath);
      assert.deepEqual(externalReferences(html), []);
      assert.doesNotMatch(html, /mathjax/i);
      assert.doesNotMatch(html, /<script\b/i);
      const nb = JSON.parse(Deno.readTextFileSync(r.outPath));
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code").length;
      assert.equal([...html.matchAll(/<details class="lobgame-code">/g)].length, code);
      assert.doesNotMatch(html, /<details class="lobgame-code" open/);
      assert.match(html, new RegExp(`<div class="${NO_MATH_CLASS}">`));
      assert.match(html, /<div class="jp-RenderedSVG[^"]*"[^>]*>\s*<svg [^>]*width="100%"/);
    } finally {
      Deno.removeSync(out, { recursive: true });
    }
  },
});
