/**
 * Command-line flags of the scripts, parsed strictly (`node:util`'s `parseArgs`) with the
 * project's messages: an unknown flag names the flag, the closest known one and every allowed
 * flag (`"--quik": unknown option of train:rl; did you mean "--quick"? (flags: --quick, ...)`);
 * a missing value or a value given to a switch names the flag. Values are checked by each
 * script (naming the flag and its allowed values).
 *
 * @example
 * ```ts
 * import { parseFlags } from "./_flags.ts";
 * const options = { quick: { type: "boolean" }, out: { type: "string" } } as const;
 * const { values } = parseFlags("demo", ["--quick", "--out", "x"], options);
 * if (!values.quick || values.out !== "x") throw new Error("parsed");
 * let message = "";
 * try {
 *   parseFlags("demo", ["--quik"], options);
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (message !== '"--quik": unknown option of demo; did you mean "--quick"? (flags: --quick, --out)') {
 *   throw new Error(message);
 * }
 * ```
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { checkInt, ConfigError, UnknownOptionError } from "../lib/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags of `options` as typed (`--out <value>` for a string flag). */
function flagList(options: Options): string {
  return Object.entries(options)
    .map(([k, o]) => (o.type === "string" ? `--${k} <value>` : `--${k}`))
    .join(", ");
}

/**
 * `parseArgs({args, options, strict: true})` (positionals only if `allowPositionals`), with its
 * errors turned into `ConfigError`s naming the flag (see the module doc).
 */
export function parseFlags<O extends Options, P extends boolean = false>(
  script: string,
  args: string[],
  options: O,
  allowPositionals?: P,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: allowPositionals ?? false });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = (e as Error).message;
    const quoted = /'([^' ]+)/.exec(msg)?.[1] ?? msg;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const known = Object.keys(options).map((k) => `--${k}`);
      const err = new UnknownOptionError({ key: quoted, known, value: true, owner: script });
      if (err.suggestion !== undefined) {
        (err as { message: string }).message += ` (flags: ${known.join(", ")})`;
      }
      throw err;
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = quoted.replace(/^-+/, "");
      const takes = options[name]?.type === "string";
      throw new ConfigError(
        quoted,
        takes ? `followed by a value (${quoted} <value>)` : "given without a value (a switch)",
        takes ? undefined : msg,
      );
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new ConfigError("arguments", `flags only (${flagList(options)})`, quoted);
    }
    throw e;
  }
}

/** {@linkcode parseFlags}, or the message and `usage` on standard error and exit code 2. */
export function flagsOrExit<O extends Options, P extends boolean = false>(
  script: string,
  args: string[],
  options: O,
  usage: string,
  allowPositionals?: P,
) {
  try {
    return parseFlags(script, args, options, allowPositionals);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`${e.message}\n${usage}`);
    Deno.exit(2);
  }
}

/**
 * The integer value `text` of `flag`, in [lo, hi]; otherwise a `ConfigError` naming the flag and
 * quoting the text (`--workers: must be an integer in [1, 1024], got "two"`).
 */
export function intFlag(flag: string, text: string, lo: number, hi: number): number {
  const n = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new ConfigError(flag, `an integer in [${lo}, ${hi}]`, text);
  return checkInt(flag, n, lo, hi);
}

/**
 * `parse(text)` for the value `text` of `flag`; any `ConfigError` it throws (named after a field
 * of the parsed value, `shard.index`) becomes one naming the flag, with `allowed` and the text
 * (`--shard: must be of the form "i/n" with 0 <= i < n, got "3/2"`).
 */
export function parsedFlag<T>(
  flag: string,
  text: string,
  allowed: string,
  parse: (text: string) => T,
): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(flag, allowed, text);
    throw e;
  }
}
