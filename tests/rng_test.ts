import seedrandom from "seedrandom";
import { assertEquals, assertThrows } from "./_assert.ts";
import { ConfigError } from "../lib/errors.ts";
import { stream } from "../lib/rng.ts";

Deno.test("stream draws exactly what seedrandom's alea draws for the same key", () => {
  const seeds: (number | string)[] = [0, 1, 7, -3, 2 ** 53 - 1, "x", "eval:3", "ü/ß"];
  const names = ["taker", "maker:0", "maker:11", "background", ""];
  for (const seed of seeds) {
    for (const name of names) {
      const ours = stream(seed, name);
      const ref = seedrandom.alea(`${seed}/${name}`);
      for (let k = 0; k < 2_000; k++) {
        const a = ours(), b = ref();
        if (a !== b) throw new Error(`${seed}/${name} draw ${k}: ${a} vs ${b}`);
      }
    }
  }
});

Deno.test("reseed starts the stream again under the new seed, in place", () => {
  const s = stream(1, "maker:0");
  const a = [s(), s(), s()];
  s.reseed(2);
  const b = stream(2, "maker:0");
  for (let k = 0; k < 100; k++) assertEquals(s(), b());
  s.reseed(1);
  assertEquals([s(), s(), s()], a);
});

Deno.test("stream and reseed reject bad seeds and names with ConfigError", () => {
  assertThrows(() => stream(NaN, "x"), ConfigError, "seed");
  assertThrows(() => stream(1, 3 as unknown as string), ConfigError, "name");
  const s = stream(1, "x");
  assertThrows(() => s.reseed(1.5), ConfigError, "seed");
  assertThrows(() => s.reseed({} as unknown as string), ConfigError, "seed");
});
