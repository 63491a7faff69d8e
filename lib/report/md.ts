/**
 * Analysis prose whose numbers come from computed values. `md` is a tagged template: numbers are
 * formatted with {@link auto} (or pre-format them with `fixed`, `pct`, `pm`, ...), Polars frames
 * become Markdown tables, arrays are joined with ", ". The result displays as Markdown when it is
 * a Jupyter cell's last expression (the same bundle `Deno.jupyter.md` makes) and is plain text
 * (`String(x)`, `x.text`) anywhere else, so the same code runs in a kernel, a script or a test.
 *
 * @example
 * ```ts
 * import { md, pct } from "./md.ts";
 * const wins = 7, n = 8;
 * const text = md`The maker won ${wins} of ${n} games (${pct(wins / n)}).`;
 * if (String(text) !== "The maker won 7 of 8 games (87.5%).") throw new Error(text.text);
 * ```
 * @module
 */
import { auto } from "./format.ts";
import { markdownTable } from "./frames.ts";
import { JUPYTER_DISPLAY } from "./_kernel.ts";

export { auto, fixed, int, interval, pct, pm, sig } from "./format.ts";
export { inKernel, JUPYTER_DISPLAY } from "./_kernel.ts";

const DISPLAY = JUPYTER_DISPLAY;

/** Markdown text that displays as Markdown in a Jupyter kernel. */
export interface Markdown {
  /** The Markdown source. */
  readonly text: string;
  /** The source, so template literals and `console.log` see text. */
  toString(): string;
  /** The Jupyter display hook: a `text/markdown` bundle. */
  [DISPLAY](): Record<string, string>;
}

/** Wraps Markdown source as a displayable {@link Markdown} value. */
export function markdown(text: string): Markdown {
  return {
    text,
    toString: () => text,
    [DISPLAY]: () => ({ "text/markdown": text, "text/plain": text }),
  };
}

function isFrame(v: unknown): v is Parameters<typeof markdownTable>[0] {
  if (typeof v !== "object" || v === null) return false;
  const f = v as { columns?: unknown; height?: unknown; getColumn?: unknown };
  return Array.isArray(f.columns) && typeof f.height === "number" &&
    typeof f.getColumn === "function";
}

function render(v: unknown): string {
  if (typeof v === "number") return auto(v);
  if (typeof v === "bigint") return auto(Number(v));
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.map(render).join(", ");
  if (isFrame(v)) return `\n\n${markdownTable(v)}\n\n`;
  return String(v);
}

/** Tagged template for Markdown prose (see the module doc). */
export function md(strings: TemplateStringsArray, ...values: unknown[]): Markdown {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += render(values[i]) + strings[i + 1];
  return markdown(text);
}
