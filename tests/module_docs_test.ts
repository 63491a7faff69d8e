/**
 * The module docs state the accepted inputs (issue 14): every `lib/<folder>/mod.ts` doc comment
 * has an `## Inputs` section, and the section says what happens to an unknown key (rejected with
 * a suggestion) and, in the folders whose entry points take seeds, what a seed may be.
 *
 * @module
 */
import { assertEquals, assertTrue } from "./_assert.ts";

const LIB = new URL("../lib/", import.meta.url);

/** The folders of `lib/` whose entry points take a seed (their Inputs section states the rule). */
const SEEDED = ["agents", "env", "game", "makers", "training"];
/**
 * Study folders of `lib/experiments` checked too.
 */
const STUDIES = [
  "experiments/market",
  "experiments/game_learning",
  "experiments/takers",
  "experiments/fixed_vs_dynamic",
  "experiments/fixed_rules",
  "experiments/rl",
  "experiments/competition",
  "experiments/robustness",
  "experiments/convergence",
  "experiments/state_ablation",
];
/** Folders without options objects (positional numbers only): no unknown keys to reject. */
const POSITIONAL = ["book"];

/** The module doc comment of `text` (the first `/** … *\/` block), without its leading stars. */
export function moduleDoc(text: string): string {
  const m = /^\/\*\*([\s\S]*?)\*\//.exec(text.trimStart());
  if (m === null) return "";
  return m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
}

/** The `## Inputs` section of a module doc (up to the next heading, example or tag), or null. */
export function inputsSection(doc: string): string | null {
  const m = /^## Inputs\n([\s\S]*?)(?=^## |^@|^```|(?![\s\S]))/m.exec(doc);
  return m === null ? null : m[1].trim();
}

/** What is missing from the module doc of folder `name` (empty if nothing). */
export function missingInputs(name: string, text: string): string[] {
  const section = inputsSection(moduleDoc(text));
  if (section === null || section === "") return ["an ## Inputs section"];
  const missing: string[] = [];
  const flat = section.replace(/\s+/g, " ");
  if (!POSITIONAL.includes(name) && !/unknown (keys?|option)/i.test(flat)) {
    missing.push("what happens to an unknown key");
  }
  if (!POSITIONAL.includes(name) && !/suggestion|did you mean/i.test(flat)) {
    missing.push("the did-you-mean suggestion");
  }
  if (SEEDED.includes(name) && !/\bseeds?\b/i.test(flat)) missing.push("the seed rule");
  return missing;
}

Deno.test("every lib/*/mod.ts states its accepted inputs", () => {
  const folders = [
    ...[...Deno.readDirSync(LIB)].filter((e) => e.isDirectory).map((e) => e.name).sort(),
    ...STUDIES,
  ];
  assertTrue(folders.length >= 10, `folders: ${folders}`);
  const failures: string[] = [];
  for (const name of folders) {
    let text: string;
    try {
      text = Deno.readTextFileSync(new URL(`${name}/mod.ts`, LIB));
    } catch {
      failures.push(`lib/${name}: no mod.ts`);
      continue;
    }
    const missing = missingInputs(name, text);
    if (missing.length > 0) failures.push(`lib/${name}/mod.ts lacks ${missing.join(", ")}`);
  }
  assertEquals(failures, []);
});

Deno.test("the docs check can fail: no section, no rule, a section cut by the example", () => {
  const doc = (body: string) => `/**\n * Title.\n *\n${body}\n * @module\n */\nexport {};\n`;
  assertEquals(missingInputs("sweep", doc(" * Nothing about inputs.")), ["an ## Inputs section"]);
  assertEquals(missingInputs("game", doc(" * ## Inputs\n * Numbers are numbers.")), [
    "what happens to an unknown key",
    "the did-you-mean suggestion",
    "the seed rule",
  ]);
  assertEquals(
    missingInputs(
      "game",
      doc(" * ## Inputs\n * Unknown keys are rejected with a\n * suggestion; seeds are integers."),
    ),
    [],
  );
  assertEquals(missingInputs("book", doc(" * ## Inputs\n * Sides are BID or ASK.")), []);
  assertEquals(
    missingInputs("sweep", doc(" * ## Inputs\n * ```ts\n * // unknown keys, suggestion\n * ```")),
    ["an ## Inputs section"],
  );
});
