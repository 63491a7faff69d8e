/**
 * Detects the Deno Jupyter kernel.
 *
 * @module
 */

/** True when running inside `deno jupyter` (where `Deno.jupyter` exists). */
export function inKernel(): boolean {
  try {
    return typeof Deno.jupyter?.display === "function";
  } catch {
    return false; // outside the kernel, reading Deno.jupyter throws
  }
}

/**
 * The symbol the Deno kernel looks up to display a value (`Deno.jupyter.$display`, which is only
 * readable inside the kernel, is this same registered symbol).
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
