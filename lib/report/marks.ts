/**
 * The two marks every notebook draws from a `summarise` frame, so that a figure spec names its
 * channels and nothing else: a mean with a confidence band over a continuous axis
 * ({@linkcode bandMarks}: an area and a line), and a mean with its interval at a category
 * ({@linkcode intervalMarks}: a rule and a dot). A summarised column `x` is read from `x_mean`,
 * `x_lo` and `x_hi` (the mean where the interval is missing: fewer than two values); with the
 * stem `""`, from `mean`, `lo` and `hi` (long-form rows, e.g. {@linkcode seriesRows}).
 *
 * @example
 * ```ts
 * import { bandMarks, plot } from "./mod.ts";
 * const rows = [{ t: 0, x_mean: 1, x_lo: 0.5, x_hi: 1.5 }, { t: 1, x_mean: 2, x_lo: null, x_hi: null }];
 * const fig = plot({ marks: bandMarks(rows, { x: "t", y: "x" }) });
 * if (!fig.svg.includes("<path")) throw new Error("an area and a line");
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";

type Datum = Record<string, unknown>;

function fields(stem: string) {
  const f = (s: string) => (stem === "" ? s : `${stem}_${s}`);
  return { mean: f("mean"), lo: f("lo"), hi: f("hi") };
}

const val = (d: Datum, k: string) => d[k] as number;
const or = (d: Datum, k: string, fallback: string) => (d[k] ?? d[fallback]) as number;

/** Options of {@linkcode bandMarks}. */
export interface BandOptions {
  /** The x channel (a field). */
  readonly x: string;
  /** The summarised column's stem (`"eval_pnl"` reads `eval_pnl_mean`, `_lo`, `_hi`). */
  readonly y: string;
  /** A field naming the series, or a constant colour. Default: the current colour. */
  readonly color?: string;
  /** Facet channels (fields). */
  readonly fx?: string;
  /** Facet channels (fields). */
  readonly fy?: string;
  /** Opacity of the band. Default 0.25. */
  readonly fillOpacity?: number;
  /** The band's lower edge is cut here (e.g. 0 for a quantity). */
  readonly floor?: number | ((d: Datum) => number);
  /** Line width. Default Plot's. */
  readonly strokeWidth?: number;
  /** Clip to the frame. Default false. */
  readonly clip?: boolean;
  /** Transform of the mean and the band's edges (e.g. `Math.exp` for log-means). */
  readonly map?: (v: number) => number;
}

/** An area from the interval's low to its high edge, and a line at the mean. */
export function bandMarks(data: readonly Datum[], o: BandOptions): Plot.Markish[] {
  const f = fields(o.y);
  const map = o.map ?? ((v: number) => v);
  const floor = typeof o.floor === "function" ? o.floor : () => o.floor as number;
  const lo = o.floor === undefined
    ? (d: Datum) => map(or(d, f.lo, f.mean))
    : (d: Datum) => Math.max(floor(d), map(or(d, f.lo, f.mean)));
  const common = { x: o.x, fx: o.fx, fy: o.fy, clip: o.clip };
  return [
    Plot.areaY(data, {
      ...common,
      y1: lo,
      y2: (d: Datum) => map(or(d, f.hi, f.mean)),
      fill: o.color,
      fillOpacity: o.fillOpacity ?? 0.25,
    }),
    Plot.lineY(data, {
      ...common,
      y: (d: Datum) => map(val(d, f.mean)),
      stroke: o.color,
      strokeWidth: o.strokeWidth,
    }),
  ];
}

/** Options of {@linkcode intervalMarks}. */
export interface IntervalOptions {
  /** The summarised column's stem (the value axis). */
  readonly value: string;
  /** Which axis carries the value: `"x"` (horizontal rules) or `"y"` (vertical). */
  readonly axis: "x" | "y";
  /** The category channel on the other axis (a field). */
  readonly at: string;
  /** A field naming the series, or a constant colour. Default: the current colour. */
  readonly color?: string;
  /** Facet channels (fields). */
  readonly fx?: string;
  /** Facet channels (fields). */
  readonly fy?: string;
  /** Dot radius. Default 4. */
  readonly r?: number;
  /** Rule width. Default 2. */
  readonly strokeWidth?: number;
  /** Offset across the category axis (to put series side by side). */
  readonly offset?: number | ((d: Datum) => number);
  /** Also join the means with a line (of this opacity; true: opaque). Default false. */
  readonly line?: boolean | number;
}

/**
 * A rule over the interval and a dot at the mean, at each category; with `line`, a line through
 * the means first (drawn under them).
 */
export function intervalMarks(data: readonly Datum[], o: IntervalOptions): Plot.Markish[] {
  const f = fields(o.value);
  const common = { fx: o.fx, fy: o.fy, [o.axis === "x" ? "y" : "x"]: o.at };
  const shift = o.offset === undefined ? {} : { [o.axis === "x" ? "dy" : "dx"]: o.offset };
  const lo = (d: Datum) => or(d, f.lo, f.mean), hi = (d: Datum) => or(d, f.hi, f.mean);
  const rule = o.axis === "x"
    ? Plot.ruleY(data, {
      ...common,
      ...shift,
      x1: lo,
      x2: hi,
      stroke: o.color,
      strokeWidth: o.strokeWidth ?? 2,
    })
    : Plot.ruleX(data, {
      ...common,
      ...shift,
      y1: lo,
      y2: hi,
      stroke: o.color,
      strokeWidth: o.strokeWidth ?? 2,
    });
  const joined = o.line === undefined || o.line === false ? [] : [
    Plot.line(data, {
      ...common,
      ...shift,
      [o.axis]: f.mean,
      stroke: o.color,
      ...(o.line === true ? {} : { strokeOpacity: o.line }),
    }),
  ];
  return [
    ...joined,
    rule,
    Plot.dot(data, { ...common, ...shift, [o.axis]: f.mean, fill: o.color, r: o.r ?? 4 }),
  ];
}

/**
 * Long-form rows for one figure of several summarised columns: for each input row and each
 * `series` entry (column stem → label), the row's other fields and `series` (the label),
 * `mean`, `lo`, `hi` (the interval's edges, the mean where missing). Rows whose mean is missing
 * are left out.
 *
 * @example
 * ```ts
 * import { seriesRows } from "./marks.ts";
 * const r = seriesRows([{ n: 1, a_mean: 2, a_lo: 1, a_hi: 3, b_mean: 5 }], { a: "A", b: "B" });
 * if (r.length !== 2 || r[1].series !== "B" || r[1].lo !== 5) throw new Error(JSON.stringify(r));
 * ```
 */
export function seriesRows(
  data: readonly Datum[],
  series: Readonly<Record<string, string>>,
  as = "series",
): Datum[] {
  return data.flatMap((d) =>
    Object.entries(series).flatMap(([stem, label]) => {
      const f = fields(stem);
      const mean = d[f.mean];
      if (mean === null || mean === undefined) return [];
      return [{ ...d, [as]: label, mean, lo: d[f.lo] ?? mean, hi: d[f.hi] ?? mean }];
    })
  );
}

/**
 * Facets laid out as a grid of `cols` columns, one per entry of `labels` (the value of the rows'
 * `field`, default `"agent"`), in reading order: the `fx` and `fy` channels to spread over a
 * mark's options, and a mark that writes each facet's label in its top-left corner.
 */
export function facetGrid(
  labels: readonly string[],
  o: { cols: number; field?: string },
): { facet: { fx: (d: Datum) => number; fy: (d: Datum) => number }; labels: Plot.Markish } {
  const field = o.field ?? "agent";
  const at = (d: Datum) => labels.indexOf(d[field] as string);
  const facet = { fx: (d: Datum) => at(d) % o.cols, fy: (d: Datum) => Math.floor(at(d) / o.cols) };
  return {
    facet,
    labels: Plot.text(labels.map((l) => ({ [field]: l })), {
      ...facet,
      text: field,
      frameAnchor: "top-left",
      dy: -10,
      fontWeight: "bold",
      fontSize: 11,
    }),
  };
}
