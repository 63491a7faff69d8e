/**
 * Reporting toolkit for the notebooks: Observable Plot figures rendered headless and saved as SVG
 * and PNG (`figure.ts`), one Polars frame per run (`frames.ts`), grouped summaries with
 * confidence intervals, paired differences and verdicts (`stats.ts`), Markdown prose whose numbers come from computed values (`md.ts`, `format.ts`),
 * a clock-free progress line (`progress.ts`) and atomic writes under the output root (`io.ts`).
 *
 * ## Inputs
 * The helpers' options objects (`runFrame`, `summarise`, `markdownTable`,
 * `saveFrame`/`readFrame`, `toPng`, `saveFigure`, `progress`) are checked by schemas: unknown keys
 * rejected with a suggestion, no coercion (`scale` in (0, 16], `level` in (0, 1), names of
 * letters, digits, `_`, `-`, `.`). `plot` passes its options to Observable Plot unchanged.
 *
 * Notebooks import it with a relative path: `import { ... } from "../lib/report/mod.ts";`.
 *
 * @example
 * ```ts
 * import { md, plot, Plot, runFrame, summarise } from "./mod.ts";
 * const df = runFrame({ seed: new Int32Array([0, 0, 1, 1]), x: new Float64Array([1, 3, 2, 4]) });
 * const s = summarise(df, { by: ["seed"], cols: ["x"] });
 * const fig = plot({ marks: [Plot.dot(s.toRecords(), { x: "seed", y: "x_mean" })] });
 * const text = md`Mean of seed 0: ${s.getColumn("x_mean").get(0)}.`;
 * if (String(text) !== "Mean of seed 0: 2." || !fig.svg.includes("<circle")) throw new Error();
 * ```
 * @module
 */
export * from "./figure.ts";
export * from "./frames.ts";
export * from "./stats.ts";
export * from "./md.ts";
export * from "./progress.ts";
export * from "./io.ts";
export * from "./marks.ts";
