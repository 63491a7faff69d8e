/**
 * Analysis prose whose numbers come from computed values. `md` is a tagged template: numbers are
 * formatted with {@link auto} (or pre-format them with `fixed`, `pct`, `pm`, ...), Polars frames
 * become Markdown tables, arrays are joined with ", ". The result is plain text (`String(x)`,
 * `x.text`) anywhere, so the same code runs in a kernel, a script or a test; as a Jupyter cell's
 * last expression it displays as prose that reads the same in every viewer:
 *
 * - `text/html`: the Markdown rendered (by `marked`, GitHub-flavoured) inside
 *   `<div class="tex2jax_ignore">`. Notebook 6, JupyterLab, VS Code and nbconvert prefer HTML to
 *   Markdown, show it in untrusted notebooks (sanitised), and MathJax skips that class, so a
 *   sentence with two dollar amounts is not typeset as mathematics.
 * - `text/markdown`: the source with every `$` outside code escaped as `\$` (see
 *   {@link escapeMath}), for viewers that render the Markdown themselves (GitHub).
 * - `text/plain`: the source as written.
 *
 * The prose never contains mathematics: write `Δ`, `σ`, `≤` as Unicode.
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
import { marked } from "marked";
import { auto } from "./format.ts";
import { markdownTable } from "./frames.ts";
import { JUPYTER_DISPLAY } from "./_kernel.ts";

export { auto, fixed, int, interval, pct, pm, sig } from "./format.ts";
export { inKernel, JUPYTER_DISPLAY } from "./_kernel.ts";

const DISPLAY = JUPYTER_DISPLAY;

/** Markdown text that displays as prose in a Jupyter kernel (see the module doc). */
export interface Markdown {
  /** The Markdown source. */
  readonly text: string;
  /** The source, so template literals and `console.log` see text. */
  toString(): string;
  /** The Jupyter display hook: `text/html`, `text/markdown` and `text/plain`. */
  [DISPLAY](): Record<string, string>;
}

/** The class MathJax (2 and 3) skips; {@link proseHtml} wraps the prose in it. */
export const NO_MATH_CLASS = "tex2jax_ignore";

// Code: a fenced block (to its closing fence or the end), or an inline code span.
const CODE =
  /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))|(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\2(?!`)/gm;

/**
 * Escapes every `$` outside code (fenced blocks and inline spans) that is not escaped yet, so
 * that Markdown viewers with math support (Jupyter, VS Code, GitHub) show a dollar sign instead
 * of typesetting the text between two of them.
 *
 * @example
 * ```ts
 * import { escapeMath } from "./md.ts";
 * const got = escapeMath("costs $5 to $6, `$HOME` stays, \\$ already escaped");
 * if (got !== "costs \\$5 to \\$6, `$HOME` stays, \\$ already escaped") throw new Error(got);
 * ```
 */
export function escapeMath(text: string): string {
  const prose = (s: string) =>
    s.replace(/(\\*)\$/g, (all, bs: string) => (bs.length % 2 === 1 ? all : `${bs}\\$`));
  let out = "";
  let last = 0;
  for (const m of text.matchAll(CODE)) {
    out += prose(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + prose(text.slice(last));
}

/**
 * Markdown source rendered to HTML (GitHub-flavoured, by `marked`) inside a
 * `<div class="tex2jax_ignore">` (see the module doc).
 */
export function proseHtml(text: string): string {
  const html = marked.parse(escapeMath(text), { gfm: true, async: false });
  return `<div class="${NO_MATH_CLASS}">\n${html}</div>\n`;
}

/** Wraps Markdown source as a displayable {@link Markdown} value. */
export function markdown(text: string): Markdown {
  return {
    text,
    toString: () => text,
    [DISPLAY]: () => ({
      "text/html": proseHtml(text),
      "text/markdown": escapeMath(text),
      "text/plain": text,
    }),
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
