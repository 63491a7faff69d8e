/**
 * Observable Plot figures rendered headless: a jsdom document for Plot, a standalone SVG for
 * every figure (a `<figure>` with a title, subtitle, legends and caption is flattened into one
 * SVG), a PNG rasterised by resvg, atomic `figures/<name>.svg` + `.png`, and inline display in a
 * Deno Jupyter kernel.
 *
 * Output is deterministic: Plot's class name (`plot-d6a7b5`) is a constant of the Plot version,
 * and the ids Plot numbers from global counters (`plot-clip-3`, `plot-pattern-1`) are renamed in
 * document order with a prefix hashed from the figure's content, so the same input gives a
 * byte-identical SVG in any process, and two different figures inlined in one HTML page never
 * share an id.
 *
 * Displayed in a notebook (a figure as a cell's last expression), a figure carries two
 * representations: the SVG, made responsive (`width="100%"`, no height, `max-width` of its own
 * width, so it shrinks to the output area and keeps its proportions: Notebook 6 would otherwise
 * wrap it in a box of its pixel size and cut the x-axis), and a PNG at 1 pixel per SVG pixel,
 * which untrusted viewers show (Notebook 6 and JupyterLab drop SVG from untrusted notebooks;
 * GitHub's viewer shows PNG). The files written by {@link saveFigure} keep their pixel size.
 *
 * @example
 * ```ts
 * import { plot, Plot } from "./figure.ts";
 * const a = plot({ marks: [Plot.dot([1, 2, 3], { x: (d) => d, y: (d) => d })] });
 * const b = plot({ marks: [Plot.dot([1, 2, 3], { x: (d) => d, y: (d) => d })] });
 * if (a.svg !== b.svg) throw new Error("same input must give the same SVG");
 * if (!a.svg.startsWith("<svg xmlns=")) throw new Error("standalone SVG expected");
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
// @ts-types="./_resvg.d.ts"
import { Resvg } from "@resvg/resvg-js";
import { checkOptions, ConfigError, optional, positive, str } from "../errors.ts";
import { base64, installCanvas } from "./_canvas.ts";
import { JUPYTER_DISPLAY } from "./_kernel.ts";
import { figurePath, outPath, writeAtomic } from "./io.ts";

export { Plot };

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const DISPLAY = JUPYTER_DISPLAY;

/**
 * The part of the DOM `Element` API this module uses; elements made by Plot with
 * {@link figureDocument} have it. (A structural type, so that the project needs no DOM type
 * library: adding `lib="dom"` to the program changes Node's and Deno's global types.)
 */
export interface PlotElement {
  /** Tag name (`svg`, `figure`, `h2`, ...). */
  readonly tagName: string;
  /** Child elements. */
  readonly children: Iterable<PlotElement>;
  /** Text of the element and its descendants. */
  readonly textContent: string | null;
  /** An attribute's value, or null. */
  getAttribute(name: string): string | null;
  /** Sets an attribute. */
  setAttribute(name: string, value: string): void;
  /** A copy of the element (with its subtree when `deep`). */
  cloneNode(deep?: boolean): unknown;
  /** First descendant matching a CSS selector. */
  querySelector(selectors: string): PlotElement | null;
  /** All descendants matching a CSS selector. */
  querySelectorAll(selectors: string): Iterable<PlotElement>;
}

/** The jsdom document handed to Plot (typed loosely: Plot's own option type is DOM's `Document`). */
export type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

/** A rendered figure: a standalone SVG that displays inline in a Jupyter (Deno) kernel. */
export interface Figure {
  /** Standalone SVG text (with `xmlns`), deterministic for a given input. */
  readonly svg: string;
  /** Width of the SVG in CSS pixels. */
  readonly width: number;
  /** Height of the SVG in CSS pixels. */
  readonly height: number;
  /** The Jupyter display hook: `image/svg+xml` (responsive), `image/png` and `text/plain`. */
  [DISPLAY](): Record<string, string>;
}

/** A figure written to disk by {@link saveFigure}. */
export interface SavedFigure extends Figure {
  /** Absolute path of the `.svg` file. */
  readonly svgPath: string;
  /** Absolute path of the `.png` file. */
  readonly pngPath: string;
}

/** Options of {@link saveFigure}. */
export interface SaveFigureOptions {
  /**
   * Folder for the files. Default `figures` under the output root (the project root, or
   * `$REPORT_OUT_DIR`); a relative folder is resolved against the output root too.
   */
  dir?: string;
  /** PNG pixels per SVG pixel. Default 2. */
  scale?: number;
}

/** Options of {@link toPng}. */
export interface PngOptions {
  /** PNG pixels per SVG pixel. Default 2. */
  scale?: number;
  /** Background colour. Default `"white"`. */
  background?: string;
}

let dom: JSDOM | undefined;

function jsdomWindow(): JSDOM["window"] {
  if (!dom) {
    dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
    installCanvas(dom.window);
  }
  return dom.window;
}

/** The shared jsdom document to pass to Plot as `{document}` (created on first use). */
export function figureDocument(): PlotDocument {
  return jsdomWindow().document;
}

/**
 * `Plot.plot` with the jsdom document filled in, wrapped as a {@link Figure}.
 *
 * @example
 * ```ts
 * import { plot, Plot } from "./figure.ts";
 * const f = plot({ title: "t", marks: [Plot.ruleY([0])] });
 * if (!f.svg.includes(">t</text>")) throw new Error("title missing");
 * ```
 */
export function plot(options: Plot.PlotOptions = {}): Figure {
  return figure(Plot.plot({ ...options, document: figureDocument() }));
}

/** Wraps an element made by Plot (an `<svg>` or a `<figure>`) as a {@link Figure}. */
export function figure(element: PlotElement | Figure): Figure {
  if (isFigure(element)) return element;
  const svg = toSvg(element);
  const { width, height } = svgSize(svg);
  return makeFigure(svg, width, height);
}

function isFigure(x: unknown): x is Figure {
  return typeof x === "object" && x !== null && typeof (x as Figure).svg === "string" &&
    DISPLAY in x;
}

function makeFigure(svg: string, width: number, height: number): Figure {
  return {
    svg,
    width,
    height,
    [DISPLAY]: () => ({
      "image/svg+xml": responsiveSvg(svg),
      "image/png": base64(toPng(svg, { scale: 1 })),
      "text/plain": `Figure ${width}×${height}`,
    }),
  };
}

/**
 * The SVG with `width="100%"`, no `height` and `max-width: <width>px; height: auto` on its
 * root, so that it fits the width it is shown in and keeps its proportions (its `viewBox`).
 *
 * @example
 * ```ts
 * import { responsiveSvg } from "./figure.ts";
 * const s = responsiveSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" ` +
 *   `viewBox="0 0 640 400" style="background: white"><g/></svg>`);
 * if (!s.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 640 400" ` +
 *   `style="background: white; max-width: 640px; height: auto">`)) throw new Error(s);
 * ```
 */
export function responsiveSvg(svg: string): string {
  const open = /^<svg[^>]*>/.exec(svg)?.[0];
  if (!open || !/\sviewBox="/.test(open)) return svg;
  const w = /\swidth="([\d.]+)"/.exec(open)?.[1];
  if (w === undefined) return svg;
  let tag = open.replace(/\swidth="[\d.]+"/, ' width="100%"').replace(/\sheight="[\d.]+"/, "");
  const fit = `max-width: ${w}px; height: auto`;
  tag = /\sstyle="/.test(tag)
    ? tag.replace(
      /\sstyle="([^"]*)"/,
      (_, st: string) => ` style="${st.replace(/;?\s*$/, "")}; ${fit}"`,
    )
    : tag.replace(/>$/, ` style="${fit}">`);
  return tag + svg.slice(open.length);
}

function svgSize(svg: string): { width: number; height: number } {
  const open = /^<svg[^>]*>/.exec(svg)?.[0] ?? "";
  const w = Number(/\swidth="([\d.]+)"/.exec(open)?.[1] ?? NaN);
  const h = Number(/\sheight="([\d.]+)"/.exec(open)?.[1] ?? NaN);
  return { width: w, height: h };
}

/**
 * A standalone, deterministic SVG for a Plot element: an `<svg>` as is (with `xmlns` and a white
 * background style), or a `<figure>` flattened into one SVG that stacks its title (`h2`),
 * subtitle (`h3`), legends (swatches and ramps), the plot and its caption.
 */
export function toSvg(element: PlotElement): string {
  const tag = element.tagName.toLowerCase();
  let svg: string;
  if (tag === "svg") {
    const copy = element.cloneNode(true) as PlotElement;
    copy.setAttribute("style", "background: white");
    svg = serialize(copy);
  } else if (tag === "figure") {
    svg = flattenFigure(element);
  } else {
    throw new ConfigError("element", "an <svg> or <figure> made by Plot", `<${tag}>`);
  }
  return canonicalIds(svg);
}

function serialize(node: PlotElement): string {
  const s = new (jsdomWindow().XMLSerializer)().serializeToString(node);
  // The root always declares both namespaces, so a standalone file parses everywhere.
  return s.replace(/^<svg(?![^>]*\sxmlns=)/, `<svg xmlns="${SVG_NS}"`)
    .replace(/^<svg((?:(?!xmlns:xlink)[^>])*)>/, `<svg$1 xmlns:xlink="${XLINK_NS}">`);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** Rough advance width of `text` in a sans-serif font (for laying out legends and titles). */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

function num(x: string | null, fallback: number): number {
  const v = Number(x);
  return x !== null && Number.isFinite(v) ? v : fallback;
}

function flattenFigure(fig: PlotElement): string {
  const children = [...fig.children];
  const main = children.find((c) => c.tagName.toLowerCase() === "svg" && !isLegendSvg(c));
  const width = main ? num(main.getAttribute("width"), 640) : 640;
  const parts: string[] = [];
  let y = 0;
  const line = (text: string, size: number, extra: string) => {
    y += size * 1.5;
    parts.push(
      `<text x="0" y="${y - size * 0.4}" font-size="${size}" text-anchor="start"${extra}>${
        esc(text)
      }</text>`,
    );
  };
  for (const c of children) {
    const tag = c.tagName.toLowerCase();
    if (tag === "style") continue;
    if (tag === "h2") line(c.textContent ?? "", 16, ` font-weight="bold"`);
    else if (tag === "h3") line(c.textContent ?? "", 12, ` fill="#555"`);
    else if (tag === "figcaption") line(c.textContent ?? "", 10, ` fill="#555"`);
    else if (tag === "svg") {
      const copy = c.cloneNode(true) as PlotElement;
      copy.setAttribute("x", "0");
      copy.setAttribute("y", String(y));
      copy.setAttribute("overflow", "visible");
      parts.push(serialize(copy).replace(/^<svg xmlns="[^"]*"/, "<svg"));
      y += num(c.getAttribute("height"), 0);
    } else if (tag === "div" && c.querySelector("span > svg")) {
      y += 4;
      let x = 0;
      for (const span of c.querySelectorAll("span")) {
        const sw = span.querySelector("svg");
        if (!sw) continue;
        const label = span.textContent ?? "";
        const w = num(sw.getAttribute("width"), 15);
        const advance = w + 5 + textWidth(label, 10) + 10;
        if (x > 0 && x + advance > width) {
          x = 0;
          y += 20;
        }
        const copy = sw.cloneNode(true) as PlotElement;
        copy.setAttribute("x", String(x));
        copy.setAttribute("y", String(y + 2));
        copy.setAttribute("overflow", "visible");
        parts.push(serialize(copy).replace(/^<svg xmlns="[^"]*"/, "<svg"));
        parts.push(
          `<text x="${x + w + 5}" y="${y + 13}" font-size="10" text-anchor="start">${
            esc(label)
          }</text>`,
        );
        x += advance;
      }
      y += 24;
    } else if ((c.textContent ?? "").trim() !== "") {
      line((c.textContent ?? "").trim(), 10, "");
    }
  }
  // A margin, so text that Plot lets overflow its legends (a ramp's first tick label) shows.
  const pad = 8;
  const w = width + 2 * pad;
  const h = Math.ceil(y) + 2 * pad;
  return `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif" font-size="10" ` +
    `fill="currentColor" style="background: white">` +
    `<g transform="translate(${pad},${pad})">${parts.join("")}</g></svg>`;
}

function isLegendSvg(el: PlotElement): boolean {
  return /-(ramp|swatch)/.test(el.getAttribute("class") ?? "");
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Renames every `id` in document order to `<prefix><k>`, rewriting `url(#…)` and `href="#…"`. */
function canonicalIds(svg: string): string {
  const ids = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], ids.size + 1);
  }
  if (ids.size === 0) return svg;
  const rename = (prefix: string) =>
    svg.replace(
      /(\sid=")([^"]+)(")|(url\(#)([^)\s]+)(\))|(href="#)([^"]+)(")/g,
      (all, a1, id1, a3, b1, id2, b3, c1, id3, c3) => {
        const id = id1 ?? id2 ?? id3;
        const k = ids.get(id);
        if (k === undefined) return all;
        const open = a1 ?? b1 ?? c1;
        const close = a3 ?? b3 ?? c3;
        return `${open}${prefix}${k}${close}`;
      },
    );
  return rename(`f${fnv1a(rename("id-"))}-`);
}

let fontOptions: { font: Record<string, unknown> } | undefined;

/** Font files resvg should use: DejaVu, Liberation or Noto Sans when installed (Debian paths). */
const FONT_CANDIDATES: ReadonlyArray<{ family: string; files: string[]; mono?: string[] }> = [
  {
    family: "DejaVu Sans",
    files: [
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ],
    mono: ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"],
  },
  {
    family: "Liberation Sans",
    files: [
      "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
      "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ],
  },
  {
    family: "Noto Sans",
    files: [
      "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
      "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ],
  },
];

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * resvg's font settings. Plot asks for `system-ui, sans-serif`; resvg has no notion of
 * `system-ui`, so `sans-serif` (and the default family) are pointed at a font that is present:
 * the first of {@link FONT_CANDIDATES} whose regular file exists, loaded from its files only (fast
 * and reproducible). Without any of them, resvg scans the system fonts and uses the first.
 */
function fonts(): { font: Record<string, unknown> } {
  if (fontOptions) return fontOptions;
  for (const c of FONT_CANDIDATES) {
    if (!exists(c.files[0])) continue;
    const files = [...c.files, ...(c.mono ?? [])].filter(exists);
    fontOptions = {
      font: {
        loadSystemFonts: false,
        fontFiles: files,
        defaultFontFamily: c.family,
        sansSerifFamily: c.family,
        ...(c.mono && exists(c.mono[0]) ? { monospaceFamily: "DejaVu Sans Mono" } : {}),
      },
    };
    return fontOptions;
  }
  fontOptions = { font: { loadSystemFonts: true } };
  return fontOptions;
}

/**
 * Rasterises a standalone SVG to PNG bytes with resvg (white background, `scale` pixels per SVG
 * pixel).
 */
export function toPng(svg: string, options: PngOptions = {}): Uint8Array {
  if (typeof svg !== "string") throw new ConfigError("svg", "an SVG document (a string)", svg);
  const { scale, background } = checkOptions(options, PNG_OPTIONS, { owner: "toPng" });
  const r = new Resvg(svg, {
    ...fonts(),
    background,
    fitTo: { mode: "zoom", value: scale },
    logLevel: "off",
  });
  return new Uint8Array(r.render().asPng());
}

const PNG_OPTIONS = {
  scale: optional(positive(16), 2),
  background: optional(str(), "white"),
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Writes `<dir>/<name>.svg` and `<dir>/<name>.png` (each to a temporary name, then renamed) and
 * returns the figure, which displays inline when it is a notebook cell's last expression.
 *
 * @example
 * ```ts
 * import { Plot, plot, saveFigure } from "./figure.ts";
 * const dir = Deno.makeTempDirSync();
 * const f = saveFigure("00_demo", plot({ marks: [Plot.ruleY([0])] }), { dir });
 * if (Deno.readTextFileSync(f.svgPath) !== f.svg) throw new Error("svg not written");
 * ```
 */
export function saveFigure(
  name: string,
  element: PlotElement | Figure,
  options: SaveFigureOptions = {},
): SavedFigure {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new ConfigError("name", "letters, digits, '_', '-' or '.', not starting with one", name);
  }
  const { dir, scale } = checkOptions(options, {
    dir: optional(str()),
    scale: optional(positive(16), 2),
  }, { owner: "saveFigure" });
  const f = figure(element);
  const base = dir === undefined ? figurePath(name) : outPath(dir, name);
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  const png = toPng(f.svg, { scale }); // before writing anything
  writeAtomic(svgPath, f.svg);
  writeAtomic(pngPath, png);
  return { ...makeFigure(f.svg, f.width, f.height), svgPath, pngPath };
}
