/**
 * A progress line for long loops that works in a Jupyter kernel and in a terminal, and adds no
 * randomness and reads no clock (it counts steps only).
 *
 * - In the Deno kernel, one display line is shown and updated in place at every `every`
 *   fraction (default 1%), so the saved notebook keeps a single line with the final count. The
 *   updates go out with `Deno.jupyter.broadcast`, which sends at once, also from a synchronous
 *   loop (`Deno.jupyter.display` would wait for the loop to yield); `deno task reproduce`
 *   echoes them to its terminal.
 * - In a terminal, one line on stderr is rewritten in place (`\r`) at every percent.
 * - Otherwise (stderr piped to a file or CI log), a line at every `every` fraction.
 *
 * @example
 * ```ts
 * import { progress } from "./progress.ts";
 * const lines: string[] = [];
 * const p = progress("train", 4, { sink: (s) => lines.push(s), every: 0.5 });
 * for (let i = 0; i < 4; i++) p.tick();
 * p.done();
 * if (lines.join("|") !== "train ██████████░░░░░░░░░░  50% 2/4|train ████████████████████ 100% 4/4") {
 *   throw new Error(lines.join("|"));
 * }
 * ```
 * @module
 */
import { checkInt, checkNum, checkOptions, ConfigError, fn, num, optional } from "../errors.ts";
import { inKernel } from "./_kernel.ts";

/** A running progress line. */
export interface Progress {
  /** Records `n` more steps done (default 1). */
  tick(n?: number): void;
  /** Marks the loop finished (prints the 100% line if it was not printed yet). */
  done(): void;
}

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Print a line each time this fraction of `total` is passed. Default 0.1 (0.01 on a TTY). */
  every?: number;
  /** Where lines go instead of the console (for tests and custom logs). */
  sink?: (line: string) => void;
}

const WIDTH = 20;

function line(label: string, done: number, total: number): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(f * WIDTH);
  const bar = "█".repeat(full) + "░".repeat(WIDTH - full);
  return `${label} ${bar} ${String(Math.floor(f * 100)).padStart(3)}% ${done}/${total}`;
}

let displays = 0;

/**
 * A function that shows its argument as one display line in the kernel, updated in place. The
 * display id is unique within the kernel process (its pid and a counter), so a new line never
 * updates an older one, also after a kernel restart.
 */
function kernelLine(): (s: string) => void {
  const id = `lobgame-progress-${Deno.pid}-${++displays}`;
  let type = "display_data";
  return (s) => {
    const content = { data: { "text/plain": s }, metadata: {}, transient: { display_id: id } };
    void Deno.jupyter.broadcast(type, content);
    type = "update_display_data";
  };
}

/** A progress line for `total` steps, labelled `label` (see the module doc for where it goes). */
export function progress(label: string, total: number, options: ProgressOptions = {}): Progress {
  checkInt("total", total, 0, Number.MAX_SAFE_INTEGER);
  if (typeof label !== "string") throw new ConfigError("label", "a string", label);
  options = checkOptions(options, {
    every: optional(num(1e-6, 1)),
    sink: optional(fn<(line: string) => void>("a function (line: string) => void")),
  }, { owner: "progress" });
  let write: (s: string) => void;
  let end = () => {};
  let every = options.every ?? 0.1;
  if (options.sink) {
    write = options.sink;
  } else if (inKernel()) {
    write = kernelLine();
    every = options.every ?? 0.01;
  } else if (Deno.stderr.isTerminal()) {
    const enc = new TextEncoder();
    write = (s) => Deno.stderr.writeSync(enc.encode(`\r${s}`));
    end = () => Deno.stderr.writeSync(enc.encode("\n"));
    every = options.every ?? 0.01;
  } else {
    write = (s) => console.error(s);
  }
  checkNum("every", every, 1e-6, 1);
  let done = 0;
  let next = 1; // index of the next threshold (k * every * total) to announce
  let finished = false;
  let printed = -1; // the count shown by the last line
  const announce = () => {
    const threshold = () => Math.min(total, Math.ceil(next * every * total - 1e-9));
    if (done < threshold()) return;
    while (next * every < 1 && done >= threshold()) next++;
    printed = done;
    write(line(label, done, total));
  };
  return {
    tick(n = 1) {
      if (finished) return;
      done += n;
      announce();
    },
    done() {
      if (finished) return;
      finished = true;
      if (printed !== done) write(line(label, done, total));
      end();
    },
  };
}
