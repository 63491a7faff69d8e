/**
 * Statements over many tests (`lib/report/stats.ts`): Holm's step-down correction on known cases
 * (R's `p.adjust`), its family-wise error rate under the global null (simulated), the t test's
 * p-value agreeing with the confidence intervals, and the count expected by chance.
 */
import fc from "fast-check";
import { assertAlmostEquals, assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { studentTTwoSided } from "../lib/metrics/mod.ts";
import {
  byChance,
  holm,
  pValue,
  runFrame,
  significantCount,
  summarise,
  verdict,
} from "../lib/report/mod.ts";
import { stream } from "../lib/rng.ts";

Deno.test("holm: adjusted p-values and rejections as R's p.adjust(…, 'holm')", () => {
  const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205];
  const h = holm(p);
  assertEquals(
    h.adjusted.map((x) => Math.round(x * 1e6) / 1e6),
    [0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234],
  );
  assertEquals([h.rejected, h.unadjusted, h.m], [1, 5, 8]);
  // The order of the input is kept; ties and NaN (no test) handled.
  const g = holm([0.04, NaN, 0.01, 0.01], { level: 0.05 });
  assertEquals(g.m, 3);
  assertEquals(g.adjusted.map((x) => (Number.isNaN(x) ? "NaN" : x.toFixed(2))), [
    "0.04",
    "NaN",
    "0.03",
    "0.03",
  ]);
  assertEquals(g.reject, [true, false, true, true]);
  // One test: no correction.
  assertEquals(holm([0.03]).adjusted, [0.03]);
  assertThrows(() => holm([1.2]), ConfigError, "pValues[0]");
  assertThrows(() => holm([0.1], { level: 1 }), ConfigError, "level");
});

Deno.test("holm rejects at least what Bonferroni rejects, and never more than the raw tests (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
      fc.constantFrom(0.01, 0.05, 0.1),
      (p, level) => {
        const h = holm(p, { level });
        const bonferroni = p.filter((x) => x * p.length <= level).length;
        assertTrue(h.rejected >= bonferroni && h.rejected <= h.unadjusted);
        for (let i = 0; i < p.length; i++) assertTrue(h.adjusted[i] >= p[i] - 1e-15);
      },
    ),
    { numRuns: 200, seed: 3 },
  );
});

Deno.test("holm keeps the family-wise error rate under the global null (simulated)", () => {
  // 4,000 families of 10 true nulls with independent uniform p-values: Bonferroni's bound says
  // at most 5 % of families have a rejection; uncorrected, 1 − 0.95^10 = 40 %.
  const r = stream(11, "holm");
  let any = 0, anyRaw = 0;
  const F = 4_000;
  for (let f = 0; f < F; f++) {
    const p = Array.from({ length: 10 }, () => r());
    const h = holm(p);
    if (h.rejected > 0) any++;
    if (h.unadjusted > 0) anyRaw++;
  }
  assertTrue(any / F < 0.06, `FWER ${any / F}`);
  assertTrue(Math.abs(anyRaw / F - 0.401) < 0.03, `uncorrected ${anyRaw / F}`);
});

Deno.test("pValue: below 0.05 exactly when the 95% interval excludes the value", () => {
  const r = stream(5, "pvalue");
  const groups: string[] = [], x: number[] = [];
  for (let g = 0; g < 60; g++) {
    const shift = (g % 6) * 0.3;
    for (let k = 0; k < 5; k++) {
      groups.push(`g${String(g).padStart(2, "0")}`);
      x.push(shift + (r() - 0.5) * 2);
    }
  }
  const rows = summarise(runFrame({ g: groups, x }), { by: ["g"], cols: ["x"] }).toRecords();
  let excluded = 0;
  for (const row of rows) {
    const p = pValue(row, { col: "x" });
    const outside = verdict(row, { col: "x" }) !== "not distinguishable from";
    if (outside) excluded++;
    assertEquals(p < 0.05, outside, `p ${p}`);
  }
  assertTrue(excluded > 5 && excluded < 55, "both kinds of groups occur");
  assertAlmostEquals(studentTTwoSided(2.776445, 4), 0.05, 1e-6);
  assertEquals(pValue({ mean: 2, sd: 0, n: 3 }), 0);
  assertEquals(pValue({ mean: 0, sd: 0, n: 3 }), 1);
  assertTrue(Number.isNaN(pValue({ mean: 2, sd: null, n: 1 })));
  assertAlmostEquals(pValue({ mean: 3, sd: 1, n: 4 }, { than: 2 }), studentTTwoSided(2, 3), 1e-12);
});

Deno.test("byChance: how many of m tests chance alone makes significant", () => {
  const c = byChance(12, 0.05);
  assertAlmostEquals(c.expected, 0.6, 1e-12);
  assertAlmostEquals(c.atLeastOne, 1 - 0.95 ** 12, 1e-12);
  assertEquals(c.upper95, 2);
  assertEquals(byChance(1, 0.05).upper95, 1, "one test: up to 1");
  assertEquals(byChance(100, 0.05).upper95, 9, "Binomial(100, 0.05): P(X > 9) = 0.028");
  assertEquals(byChance(0).expected, 0);
  assertThrows(() => byChance(2.5), ConfigError, "m:");
  // k of m over summarised rows.
  const rows = [
    { d_mean: 5, d_sd: 1, d_n: 5 }, // p = 0.0004
    { d_mean: 1.5, d_sd: 1, d_n: 5 }, // p = 0.029
    { d_mean: -1.4, d_sd: 1, d_n: 5 }, // p = 0.035
  ];
  const s = significantCount(rows, { col: "d" });
  assertEquals([s.unadjusted, s.rejected, s.m], [3, 1, 3], "Holm: 2 × 0.029 > 0.05");
  assertEquals(s.reject, [true, false, false]);
  assertAlmostEquals(s.chance.expected, 0.15, 1e-12);
});
