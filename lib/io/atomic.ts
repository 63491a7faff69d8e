/**
 * Atomic file writes: write to a temporary name in the same folder, then rename over the target,
 * so that a reader never sees a half-written file.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

let counter = 0;

/**
 * Writes `data` to `path` atomically, creating missing parent folders. The temporary file is
 * `.<name>.<pid>.<n>.tmp` beside the target; it is removed if the write fails.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a/b.bin`, new Uint8Array([1, 2, 3]));
 * if ((await Deno.readFile(`${dir}/a/b.bin`)).join() !== "1,2,3") throw new Error("content");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${Deno.pid}.${counter++}.tmp`);
  try {
    await Deno.writeFile(tmp, data, { createNew: true });
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * The synchronous sibling of {@linkcode writeFileAtomic} (for notebook cells and other synchronous
 * callers); also takes text, written as UTF-8.
 *
 * @example
 * ```ts
 * import { writeFileAtomicSync } from "./atomic.ts";
 * const dir = Deno.makeTempDirSync();
 * writeFileAtomicSync(`${dir}/a.txt`, "hello");
 * if (Deno.readTextFileSync(`${dir}/a.txt`) !== "hello") throw new Error("not written");
 * ```
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${Deno.pid}.${counter++}.tmp`);
  try {
    if (typeof data === "string") Deno.writeTextFileSync(tmp, data, { createNew: true });
    else Deno.writeFileSync(tmp, data, { createNew: true });
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw e;
  }
}
