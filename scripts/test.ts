/**
 * `deno task test`: the whole test suite, as CI runs it.
 *
 * Runs, in order, `deno fmt --check`, `deno lint`, `deno check` on every TypeScript file, then
 * `deno test` over `tests/` and the runnable `@example`s in `lib/` (doc tests). Each of the three
 * static checks counts as one test; `deno test` cases are counted from its JUnit report. Ends with
 * one line `N passed, N failed`, and exits non-zero if anything failed.
 *
 * Extra arguments replace the default test paths (`deno task test tests/book_test.ts`).
 *
 * @module
 */
const deno = Deno.execPath();
const PERMS = [
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-ffi",
  "--allow-run",
];

let passed = 0;
let failed = 0;
const failures: string[] = [];

async function run(label: string, args: string[]): Promise<boolean> {
  const t0 = performance.now();
  console.log(`\n── ${label}: deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(deno, { args, stdout: "inherit", stderr: "inherit" })
    .output();
  const ok = code === 0;
  console.log(
    `── ${label}: ${ok ? "ok" : "FAILED"} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return ok;
}

async function check(label: string, args: string[]) {
  if (await run(label, args)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) out.push(...tsFiles(p));
      else if (e.name.endsWith(".ts")) out.push(p);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

const t0 = performance.now();
await check("format", ["fmt", "--check"]);
await check("lint", ["lint"]);
await check("type check", ["check", ...["lib", "tests", "bench", "scripts"].flatMap(tsFiles)]);

const junit = await Deno.makeTempFile({ suffix: ".xml" });
const extra = Deno.args;
const testArgs = [
  "test",
  ...PERMS,
  "--doc",
  `--junit-path=${junit}`,
  ...(extra.length > 0 ? extra : ["tests/", "lib/"]),
];
const testsOk = await run("tests", testArgs);
let counted = false;
try {
  const xml = await Deno.readTextFile(junit);
  const cases = [...xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  for (const c of cases) {
    const body = c[2] ?? "";
    if (/<skipped\b/.test(body)) continue;
    if (/<(failure|error)\b/.test(body)) {
      failed++;
      const name = /name="([^"]*)"/.exec(c[0])?.[1] ?? "?";
      failures.push(name);
    } else passed++;
  }
  counted = cases.length > 0;
} catch {
  // no report: counted below
} finally {
  await Deno.remove(junit).catch(() => {});
}
if (!counted || (!testsOk && failures.length === 0)) {
  // deno test failed before any case ran (e.g. a type error in a test file).
  failed++;
  failures.push("deno test (did not complete)");
}

console.log(`\nTotal time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (failures.length > 0) console.log(`Failed: ${failures.join("; ")}`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
