import assert from "node:assert/strict";
import { join } from "node:path";
import {
  aggregate,
  auto,
  bandMarks,
  ci,
  facetGrid,
  figure,
  figureDocument,
  fixed,
  int,
  intervalMarks,
  JUPYTER_DISPLAY,
  markdownTable,
  md,
  pairedDiff,
  pct,
  pl,
  Plot,
  plot,
  pm,
  progress,
  readFrame,
  runFrame,
  saveFigure,
  saveFrame,
  seriesRows,
  sig,
  summarise,
  toPng,
  verdict,
  writeAtomic,
} from "../lib/report/mod.ts";
import { INTERACTIVE_OUT, outRoot, PROJECT_ROOT } from "../lib/report/io.ts";
import { escapeMath, NO_MATH_CLASS, proseHtml } from "../lib/report/md.ts";
import { responsiveSvg } from "../lib/report/figure.ts";
import { studentTQuantile as tQuantile } from "../lib/metrics/mean_ci.ts";
import { encodePng, parseColor } from "../lib/report/_canvas.ts";
import { ConfigError } from "../lib/errors.ts";

const DISPLAY = JUPYTER_DISPLAY;

const data = Array.from(
  { length: 20 },
  (_, i) => ({ x: i, y: Math.sin(i / 3), g: i % 2 ? "a" : "b" }),
);

function clipped() {
  return plot({
    title: "clipped",
    color: { legend: true },
    marks: [Plot.areaY(data, { x: "x", y: "y", fill: "g", clip: true }), Plot.ruleY([0])],
  });
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const dv = new DataView(png.buffer, png.byteOffset);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

Deno.test("figure: same input gives a byte-identical SVG although Plot's id counters moved", () => {
  const a = clipped();
  const b = clipped();
  assert.match(a.svg, /clip-path="url\(#f[0-9a-f]{8}-1\)"/);
  assert.doesNotMatch(a.svg, /plot-clip-\d/);
  assert.equal(a.svg, b.svg);
  assert.match(a.svg, /class="plot-d6a7b5"/);
});

Deno.test("figure: SVG is identical across processes", async () => {
  const code = `import { plot, Plot } from ${
    JSON.stringify(join(PROJECT_ROOT, "lib/report/mod.ts"))
  };
const data = Array.from({ length: 20 }, (_, i) => ({ x: i, y: Math.sin(i / 3), g: i % 2 ? "a" : "b" }));
console.log(plot({ title: "clipped", color: { legend: true },
  marks: [Plot.areaY(data, { x: "x", y: "y", fill: "g", clip: true }), Plot.ruleY([0])] }).svg);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout).trimEnd(), clipped().svg);
});

Deno.test("figure: standalone SVG with namespaces; a <figure> is flattened with title and legend", () => {
  const f = clipped();
  assert.ok(f.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.match(f.svg.slice(0, 300), /xmlns:xlink="http:\/\/www.w3.org\/1999\/xlink"/);
  assert.match(f.svg, /font-weight="bold">clipped<\/text>/);
  assert.match(f.svg, />a<\/text>/); // swatch labels
  assert.match(f.svg, />b<\/text>/);
  assert.equal(f.width, 640 + 16);
  assert.ok(f.height > 400);
  const bundle = f[DISPLAY]();
  assert.equal(bundle["image/svg+xml"], responsiveSvg(f.svg));
});

Deno.test("figure: a continuous colour legend gets a PNG ramp from the canvas shim", () => {
  const f = plot({
    color: { legend: true, type: "linear" },
    marks: [Plot.dot(data, { x: "x", y: "y", fill: "x" })],
  });
  const m = /href="data:image\/png;base64,([^"]+)"/.exec(f.svg);
  assert.ok(m, "ramp image missing");
  const png = Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0));
  assert.deepEqual(pngSize(png), { width: 256, height: 1 });
});

Deno.test("figure: toPng scales and paints a white background", () => {
  const f = plot({ width: 200, height: 100, marks: [Plot.ruleY([0])] });
  const png = toPng(f.svg, { scale: 2 });
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
  assert.deepEqual(pngSize(png), { width: 400, height: 200 });
  assert.throws(() => toPng(f.svg, { scale: 0 }), ConfigError);
});

Deno.test("figure: saveFigure writes svg and png atomically and returns a displayable", () => {
  const dir = Deno.makeTempDirSync();
  const el = Plot.plot({ document: figureDocument(), marks: [Plot.dot(data, { x: "x", y: "y" })] });
  const saved = saveFigure("01_dots", el, { dir });
  assert.equal(saved.svgPath, join(dir, "01_dots.svg"));
  assert.equal(Deno.readTextFileSync(saved.svgPath), figure(el).svg);
  const png = Deno.readFileSync(saved.pngPath);
  assert.deepEqual(pngSize(png), { width: 1280, height: 800 });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "01_dots.png",
    "01_dots.svg",
  ]);
  assert.ok(saved[DISPLAY]()["image/svg+xml"].startsWith("<svg"));
  assert.throws(() => saveFigure("../escape", el, { dir }), ConfigError);
});

Deno.test("figure: displays as a responsive SVG and a 1x PNG that untrusted viewers show", () => {
  const f = plot({ width: 500, height: 300, marks: [Plot.dot(data, { x: "x", y: "y" })] });
  const bundle = f[DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/png", "image/svg+xml", "text/plain"]);
  const open = /^<svg[^>]*>/.exec(bundle["image/svg+xml"])![0];
  assert.match(open, / width="100%"/);
  assert.doesNotMatch(open, / height="/);
  assert.match(open, / viewBox="0 0 500 300"/);
  assert.match(open, /style="[^"]*max-width: 500px; height: auto"/);
  assert.equal(
    bundle["image/svg+xml"].slice(open.length),
    f.svg.slice(/^<svg[^>]*>/.exec(f.svg)![0].length),
  );
  const png = Uint8Array.from(atob(bundle["image/png"]), (c) => c.charCodeAt(0));
  assert.deepEqual(pngSize(png), { width: 500, height: 300 });
  // Without a viewBox or a pixel width there is nothing to scale by: unchanged.
  assert.equal(responsiveSvg(`<svg width="10"><g/></svg>`), `<svg width="10"><g/></svg>`);
  assert.equal(
    responsiveSvg(`<svg width="10" height="5" viewBox="0 0 10 5"><g/></svg>`),
    `<svg width="100%" viewBox="0 0 10 5" style="max-width: 10px; height: auto"><g/></svg>`,
  );
});

Deno.test("io: REPORT_OUT_DIR redirects the default data and figure folders", () => {
  const dir = Deno.makeTempDirSync();
  const before = Deno.env.get("REPORT_OUT_DIR");
  Deno.env.set("REPORT_OUT_DIR", dir);
  try {
    assert.equal(outRoot(), dir);
    const f = saveFigure("x", plot({ marks: [Plot.ruleY([0])] }));
    assert.equal(f.svgPath, join(dir, "figures", "x.svg"));
    assert.equal(saveFrame("x", runFrame({ a: [1] })), join(dir, "data", "x.parquet"));
  } finally {
    if (before === undefined) Deno.env.delete("REPORT_OUT_DIR");
    else Deno.env.set("REPORT_OUT_DIR", before);
  }
  assert.equal(outRoot(), before ?? PROJECT_ROOT);
});

/** Runs `fn` with a stand-in for the Deno kernel's `Deno.jupyter` that records broadcasts. */
function inFakeKernel<T>(fn: (sent: [string, Record<string, unknown>][]) => T): T {
  const sent: [string, Record<string, unknown>][] = [];
  const deno = Deno as unknown as { jupyter: unknown };
  deno.jupyter = {
    display: () => Promise.resolve(),
    broadcast: (type: string, content: Record<string, unknown>) => {
      sent.push([type, content]);
      return Promise.resolve();
    },
  };
  try {
    return fn(sent);
  } finally {
    deno.jupyter = undefined; // Deno.jupyter has a setter; undefined reads as "not in a kernel"
  }
}

Deno.test("io: in a kernel, outputs go to .out/ unless REPORT_OUT_DIR says otherwise", () => {
  const before = Deno.env.get("REPORT_OUT_DIR");
  Deno.env.delete("REPORT_OUT_DIR");
  try {
    assert.equal(outRoot(), PROJECT_ROOT);
    inFakeKernel(() => {
      assert.equal(outRoot(), INTERACTIVE_OUT);
      assert.equal(INTERACTIVE_OUT, join(PROJECT_ROOT, ".out"));
      Deno.env.set("REPORT_OUT_DIR", PROJECT_ROOT); // what `--canonical` and reproduce set
      assert.equal(outRoot(), PROJECT_ROOT);
    });
  } finally {
    if (before === undefined) Deno.env.delete("REPORT_OUT_DIR");
    else Deno.env.set("REPORT_OUT_DIR", before);
  }
});

Deno.test("io: writeAtomic leaves no temporary file and replaces the old content", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "sub", "f.txt");
  writeAtomic(p, "one");
  writeAtomic(p, new TextEncoder().encode("two"));
  assert.equal(Deno.readTextFileSync(p), "two");
  assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["f.txt"]);
});

Deno.test("canvas shim: colours and PNG encoding", () => {
  assert.deepEqual(parseColor("#fa0"), [255, 170, 0, 255]);
  assert.deepEqual(parseColor("#102030"), [16, 32, 48, 255]);
  assert.deepEqual(parseColor("rgb(1, 2, 3)"), [1, 2, 3, 255]);
  assert.deepEqual(parseColor("rgba(1, 2, 3, 0.5)"), [1, 2, 3, 128]);
  const png = encodePng(2, 1, new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]));
  assert.deepEqual(pngSize(png), { width: 2, height: 1 });
  // IEND chunk with its fixed CRC closes the file.
  assert.deepEqual([...png.subarray(-8)], [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
});

Deno.test("frames: runFrame keeps integer dtypes, honours length and constants", () => {
  const big = new Float64Array([9, 1, 2, 3, 9]);
  const df = runFrame(
    {
      step: new Int32Array([0, 1, 2, 99]),
      id: new BigInt64Array([1n, 2n, 3n, 4n]),
      x: big.subarray(1, 5),
      side: ["b", "a", "b", "a"],
      hit: [true, false, true, true],
      plain: [0.5, 1, 2, 3],
    },
    { length: 3, constants: { seed: 7, alpha: 0.25, run: "r1", big: 5n } },
  );
  assert.deepEqual(df.columns, [
    "seed",
    "alpha",
    "run",
    "big",
    "step",
    "id",
    "x",
    "side",
    "hit",
    "plain",
  ]);
  assert.deepEqual(df.dtypes.map((d) => d.variant), [
    "Int32",
    "Float64",
    "String",
    "Int64",
    "Int32",
    "Int64",
    "Float64",
    "String",
    "Bool",
    "Float64",
  ]);
  assert.equal(df.height, 3);
  assert.deepEqual(df.getColumn("x").toArray(), [1, 2, 3]);
  assert.deepEqual(df.getColumn("step").toArray(), [0, 1, 2]);
  assert.deepEqual(df.getColumn("seed").toArray(), [7, 7, 7]);
});

Deno.test("frames: runFrame rejects ragged or short columns", () => {
  assert.throws(
    () => runFrame({ a: new Int32Array(3), b: new Float64Array(2) }),
    /columns\.b: must be of length 3/,
  );
  assert.throws(() => runFrame({ a: new Int32Array(3) }, { length: 4 }), ConfigError);
  assert.throws(() => runFrame({ a: [1, "x"] as unknown as number[] }), ConfigError);
});

Deno.test("frames: summarise gives mean, sd, n and a t interval per group, sorted", () => {
  const df = runFrame({
    g: ["b", "a", "a", "a", "b", "c"],
    x: [10, 1, 2, 6, 20, 5],
  });
  const s = summarise(df, { by: ["g"], cols: ["x"] });
  const r = s.toRecords();
  assert.deepEqual(r.map((x) => x.g), ["a", "b", "c"]);
  assert.equal(r[0].x_mean, 3);
  const sdA = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + (6 - 3) ** 2) / 2);
  assert.ok(Math.abs((r[0].x_sd as number) - sdA) < 1e-12);
  assert.equal(Number(r[0].x_n), 3);
  const half = 4.302652729749464 * sdA / Math.sqrt(3);
  assert.ok(Math.abs((r[0].x_hi as number) - (3 + half)) < 1e-9);
  assert.ok(Math.abs((r[0].x_lo as number) - (3 - half)) < 1e-9);
  assert.equal(r[1].x_mean, 15);
  assert.equal(r[2].x_sd, null); // n = 1
  assert.equal(r[2].x_lo, null);
  const all = summarise(df, { by: [], cols: ["x"], level: 0.9 }).toRecords()[0];
  assert.equal(all.x_mean, 44 / 6);
  const withNull = pl.DataFrame({ g: ["a", "a", "a"], x: [1, null, 3] });
  const rn = summarise(withNull, { by: ["g"], cols: ["x"] }).toRecords()[0];
  assert.deepEqual([rn.x_mean, Number(rn.x_n)], [2, 2]); // nulls are left out
  assert.throws(() => summarise(df, { by: ["nope"], cols: ["x"] }), ConfigError);
  assert.throws(() => summarise(df, { by: [], cols: ["x"], level: 1 }), ConfigError);
});

Deno.test("frames: saveFrame / readFrame round-trip keeps dtypes", () => {
  const dir = Deno.makeTempDirSync();
  const df = runFrame({ k: new Int32Array([1, 2]), t: new BigInt64Array([5n, 6n]), x: [0.5, 1] });
  saveFrame("rt", df, { dir });
  const back = readFrame("rt", { dir });
  assert.deepEqual(back.dtypes.map((d) => d.variant), ["Int32", "Int64", "Float64"]);
  assert.ok(back.frameEqual(df));
});

Deno.test("frames: markdownTable formats, escapes and truncates", () => {
  const df = pl.DataFrame({ name: ["a|b", "c"], v: [1234.5, null] });
  assert.equal(
    markdownTable(df),
    "| name | v |\n| --- | ---: |\n| a\\|b | 1,235 |\n| c | — |",
  );
  const long = runFrame({ i: Int32Array.from({ length: 5 }, (_, i) => i) });
  const t = markdownTable(long, { maxRows: 2, format: (x) => fixed(x, 1) });
  assert.equal(t, "| i |\n| ---: |\n| 0.0 |\n| 1.0 |\n| … 3 more rows |");
});

Deno.test("format: locale-free numbers", () => {
  assert.equal(int(1234567.4), "1,234,567");
  assert.equal(int(-0.2), "0");
  assert.equal(fixed(-0.001, 2), "0.00");
  assert.equal(fixed(12345.678, 1), "12,345.7");
  assert.equal(sig(0.000012345, 3), "1.23e-5");
  assert.equal(sig(98765, 2), "99,000");
  assert.equal(sig(-1.5, 3), "-1.50");
  assert.equal(auto(0.1), "0.1");
  assert.equal(auto(2 / 3), "0.667");
  assert.equal(auto(-42), "-42");
  assert.equal(auto(NaN), "NaN");
  assert.equal(pct(0.5), "50.0%");
  assert.equal(pm(0.123456, 0.01, 3), "0.123 ± 0.010");
});

Deno.test("md: interpolates formatted numbers, arrays and frames; displays as Markdown", () => {
  const df = runFrame({ k: new Int32Array([1]) });
  const m = md`n = ${12000}, p = ${1 / 3}, xs = ${[1, 2.5]}, none = ${null}${df}`;
  assert.equal(
    m.text,
    "n = 12,000, p = 0.333, xs = 1, 2.5, none = —\n\n| k |\n| ---: |\n| 1 |\n\n",
  );
  assert.equal(`${m}`, m.text);
  const bundle = m[DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/markdown", "text/plain"]);
  assert.equal(bundle["text/markdown"], m.text);
  assert.equal(bundle["text/plain"], m.text);
  assert.match(bundle["text/html"], /<table>[\s\S]*<td[^>]*>1<\/td>[\s\S]*<\/table>/);
});

Deno.test("md: dollar amounts are escaped for Markdown and shielded from MathJax in HTML", () => {
  const m = md`pays $${fixed(293.64)} ± ${0} to sell ${8000} ($${3.67} per share), \`$HOME\` stays`;
  assert.equal(m.text, "pays $293.64 ± 0 to sell 8,000 ($3.67 per share), `$HOME` stays");
  const bundle = m[DISPLAY]();
  assert.equal(
    bundle["text/markdown"],
    "pays \\$293.64 ± 0 to sell 8,000 (\\$3.67 per share), `$HOME` stays",
  );
  assert.equal(
    bundle["text/html"],
    `<div class="${NO_MATH_CLASS}">\n<p>pays $293.64 ± 0 to sell 8,000 ($3.67 per share), ` +
      "<code>$HOME</code> stays</p>\n</div>\n",
  );
  assert.equal(NO_MATH_CLASS, "tex2jax_ignore"); // the class MathJax 2 and 3 skip by default
});

Deno.test("md: escapeMath leaves code and escaped dollars alone", () => {
  const cases: [string, string][] = [
    ["$1 and $2", "\\$1 and \\$2"],
    ["\\$1 already", "\\$1 already"],
    ["\\\\$1 escaped backslash", "\\\\\\$1 escaped backslash"],
    ["`$a` and ``$b ` c`` and $d", "`$a` and ``$b ` c`` and \\$d"],
    ["x\n```ts\nconst a = `$${b}`;\n```\n$y", "x\n```ts\nconst a = `$${b}`;\n```\n\\$y"],
    ["~~~\n$ unclosed fence", "~~~\n$ unclosed fence"],
    ["$$ display $$", "\\$\\$ display \\$\\$"],
    ["no dollars", "no dollars"],
  ];
  for (const [input, want] of cases) assert.equal(escapeMath(input), want, input);
  // Rendering gives back the dollars as text.
  assert.match(proseHtml("costs $5 to $6"), /<p>costs \$5 to \$6<\/p>/);
});

Deno.test("progress: announces each fraction once, counts only, ends at 100%", () => {
  const lines: string[] = [];
  const p = progress("ep", 10, { sink: (s) => lines.push(s), every: 0.25 });
  for (let i = 0; i < 10; i++) p.tick();
  p.done();
  p.done();
  assert.deepEqual(lines.map((l) => l.replace(/[█░]+ /, "")), [
    "ep  30% 3/10",
    "ep  50% 5/10",
    "ep  80% 8/10",
    "ep 100% 10/10",
  ]);
  const quiet: string[] = [];
  const q = progress("x", 3, { sink: (s) => quiet.push(s) });
  q.tick(2);
  q.done(); // stopped early: the final line shows where
  assert.equal(quiet.at(-1)?.endsWith(" 66% 2/3"), true);
  assert.throws(() => progress("x", -1), ConfigError);
});

Deno.test("progress: in a kernel, one display line updated in place", () => {
  inFakeKernel((sent) => {
    const a = progress("train", 200);
    for (let i = 0; i < 200; i++) a.tick();
    a.done();
    const b = progress("test", 3);
    b.tick(3);
    b.done();
    const ids = sent.map(([, c]) => (c.transient as { display_id: string }).display_id);
    const idA = ids[0], idB = ids.at(-1)!;
    assert.notEqual(idA, idB);
    assert.match(idA, new RegExp(`^lobgame-progress-${Deno.pid}-\\d+$`));
    const ofA = sent.filter((_, i) => ids[i] === idA);
    assert.deepEqual(
      ofA.map(([t]) => t),
      ["display_data", ...Array(ofA.length - 1).fill("update_display_data")],
    );
    assert.equal(ofA.length, 100); // every 1%
    const last = (ofA.at(-1)![1].data as Record<string, string>)["text/plain"];
    assert.match(last, /^train █+ 100% 200\/200$/);
    assert.deepEqual(sent.filter((_, i) => ids[i] === idB).map(([t]) => t), ["display_data"]);
  });
});

Deno.test("stats: Student t quantiles match tables", () => {
  const table: [number, number][] = [
    [1, 12.706204736],
    [2, 4.302652730],
    [5, 2.570581836],
    [10, 2.228138852],
    [30, 2.042272456],
  ];
  for (const [df, t] of table) assert.ok(Math.abs(tQuantile(0.975, df) - t) < 1e-8, `df ${df}`);
  assert.ok(Math.abs(tQuantile(0.995, 4) - 4.604094871) < 1e-8);
  assert.ok(Math.abs(tQuantile(0.975, 1e7) - 1.959963985) < 1e-6);
  assert.equal(tQuantile(0.5, 3), 0);
  assert.throws(() => tQuantile(1, 3), ConfigError);
});

Deno.test("summarise: means are the row-order sums over n, exactly, whatever the grouping", () => {
  const n = 50_000;
  const g = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 13);
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3 + 1 / (i + 1));
  const df = runFrame({ g, x });
  const s = summarise(df, { by: ["g"], cols: ["x"] });
  assert.deepEqual(s.getColumn("g").toArray(), Array.from({ length: 13 }, (_, i) => i));
  const means = s.getColumn("x_mean").toArray() as number[];
  for (let k = 0; k < 13; k++) {
    let sum = 0, m = 0;
    for (let i = 0; i < n; i++) if (g[i] === k) (sum += x[i]), m++;
    assert.equal(means[k], sum / m, `group ${k}`);
  }
  const whole = summarise(df, { by: [], cols: ["x"] });
  assert.equal(whole.height, 1);
  assert.equal(Number(whole.getColumn("x_n").toArray()[0]), n);
});

Deno.test("aggregate: group means (missing values left out) and sums, sorted by key", () => {
  const df = pl.DataFrame({ g: ["b", "a", "b", "a"], x: [1, null, 3, 2], w: [1, 2, 3, NaN] });
  const r = aggregate(df, { by: ["g"], mean: ["x"], sum: ["w"] }).toRecords();
  assert.deepEqual(r, [{ g: "a", x: 2, w: 2 }, { g: "b", x: 2, w: 4 }]);
  const all = aggregate(df, { by: [], mean: ["x"] }).toRecords();
  assert.deepEqual(all, [{ x: 2 }]);
  assert.throws(() => aggregate(df, { by: ["nope"] }), ConfigError);
});

Deno.test("pairedDiff: paired means and intervals; unmatched and missing left out; bad keys rejected", () => {
  const df = pl.DataFrame({
    taker: ["a", "a", "a", "a", "a", "a", "b", "b", "a", "a"],
    policy: ["q", "q", "q", "r", "r", "r", "q", "r", "q", "r"],
    seed: [0, 1, 2, 0, 1, 3, 0, 0, 4, 4],
    pnl: [10, 12, 14, 9, 9, 100, 5, 7, null, 1],
  });
  const d = pairedDiff(df, {
    a: { policy: "q" },
    b: { policy: "r" },
    on: ["taker", "seed"],
    by: ["taker"],
    value: "pnl",
  }).toRecords();
  assert.deepEqual(d.map((r) => r.taker), ["a", "b"]);
  // Seeds 0 and 1 pair for taker a (seed 4 has no value on one side): differences 1 and 3.
  assert.deepEqual([d[0].a_mean, d[0].b_mean, d[0].diff_mean, Number(d[0].diff_n)], [11, 9, 2, 2]);
  // t(0.975, 1) = 12.706: half-width 12.706 · sd / √2 with sd = √2.
  assert.ok(Math.abs((d[0].diff_hi as number) - (2 + 12.7062047)) < 1e-6);
  assert.deepEqual([d[1].diff_mean, Number(d[1].diff_n), d[1].diff_lo], [-2, 1, null]);
  const opts = { a: { policy: "q" }, b: { policy: "r" }, value: "pnl" };
  assert.throws(() => pairedDiff(df, { ...opts, on: ["taker"], by: [] }), /on: must be/);
  assert.throws(() => pairedDiff(df, { ...opts, on: ["seed"], by: ["taker"] }), /by: must be/);
  assert.throws(
    () => pairedDiff(df, { ...opts, a: { nope: 1 }, on: ["seed"], by: [] }),
    /^ConfigError: "nope": unknown option of a \(known: /,
  );
  assert.throws(
    () => pairedDiff(df, { ...opts, a: { polcy: "q" }, on: ["seed"], by: [] }),
    /"polcy": unknown option of a; did you mean "policy"\?/,
  );
  // A value of another type than its column's selects nothing: named, not an empty result.
  assert.throws(
    () => pairedDiff(df, { ...opts, a: { policy: 1 }, on: ["seed"], by: [] }),
    /^ConfigError: a\.policy: must be a string \(the column is String\), got 1/,
  );
  // The helpers' options: unknown keys with a suggestion, no coercion.
  assert.throws(() => aggregate(df, { by: ["policy"], mean: ["pnl"], sum: ["pnl"] }), /sum\[0\]/);
  assert.throws(
    () => verdict({}, { cl: "x" } as never),
    /"cl": unknown option of verdict; did you mean "col"\?/,
  );
  assert.throws(() => ci({}, "x", { digits: "2" } as never), /digits: must be an integer/);
});

Deno.test("verdict and ci: where an interval lies; a summarised column as text", () => {
  assert.equal(verdict({ lo: 0.1, hi: 1 }), "above");
  assert.equal(verdict({ lo: -1, hi: -0.1 }), "below");
  assert.equal(verdict({ lo: -1, hi: 1 }), "not distinguishable from");
  assert.equal(verdict({ lo: null, hi: null }), "not distinguishable from");
  assert.equal(verdict({ lo: 2, hi: 3 }, { than: 1.5 }), "above");
  const a = { x_lo: 2, x_hi: 3 }, b = { x_lo: 0, x_hi: 1.9 }, c = { x_lo: 2.5, x_hi: 4 };
  assert.equal(verdict(a, { col: "x", than: b }), "above");
  assert.equal(verdict(b, { col: "x", than: a }), "below");
  assert.equal(verdict(a, { col: "x", than: c }), "not distinguishable from");
  const r = { x_mean: 1.5, x_sd: 1, x_lo: 1, x_hi: 2 };
  assert.equal(ci(r, "x"), "1.50 ± 0.50");
  assert.equal(ci(r, "x", { digits: 1, style: "interval" }), "1.5 [1.0, 2.0]");
  assert.equal(ci({ x_mean: 4, x_sd: null, x_lo: null, x_hi: null }, "x"), "4.00 ± 0.00");
  assert.equal(
    ci({ x_mean: 4, x_sd: 0, x_lo: 4, x_hi: 4 }, "x", { same: " (exact)" }),
    "4.00 (exact)",
  );
  assert.equal(ci({ x_mean: null }, "x"), "—");
});

Deno.test("marks: bands, intervals, long-form series and a grid of facets", () => {
  const rows = seriesRows([{ n: 1, a_mean: 2, a_lo: 1, a_hi: 3, b_mean: null }], {
    a: "A",
    b: "B",
  });
  assert.deepEqual(rows, [{
    n: 1,
    a_mean: 2,
    a_lo: 1,
    a_hi: 3,
    b_mean: null,
    series: "A",
    mean: 2,
    lo: 1,
    hi: 3,
  }]);
  const band = plot({
    marks: bandMarks([{ t: 0, x_mean: 1, x_lo: 0, x_hi: 2 }, { t: 1, x_mean: 2 }], {
      x: "t",
      y: "x",
      floor: 0.5,
    }),
  });
  assert.equal((band.svg.match(/<path/g) ?? []).length >= 2, true, "an area and a line");
  const two = [{ n: 1, v_mean: 1, v_lo: 0, v_hi: 2 }, { n: 2, v_mean: 3, v_lo: 2, v_hi: 4 }];
  const count = (svg: string, tag: string) =>
    (svg.match(new RegExp(`<${tag}\\b`, "g")) ?? []).length;
  const bare = plot({ marks: intervalMarks(two, { value: "v", axis: "y", at: "n" }) }).svg;
  const joined = plot({ marks: intervalMarks(two, { value: "v", axis: "y", at: "n", line: 0.5 }) })
    .svg;
  assert.equal(count(joined, "circle"), 2);
  assert.equal(count(joined, "line") - count(bare, "line"), 0, "two rules either way");
  assert.equal(count(joined, "path") - count(bare, "path"), 1, "one line through the means");
  assert.ok(joined.includes('stroke-opacity="0.5"'));
  const { facet, labels } = facetGrid(["a", "b", "c"], { cols: 2 });
  assert.deepEqual([facet.fx({ agent: "c" }), facet.fy({ agent: "c" })], [0, 1]);
  assert.ok(plot({ marks: [labels] }).svg.includes(">c<"));
});
