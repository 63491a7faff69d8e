/**
 * Reproduces the simulation tables of Avellaneda & Stoikov (2008): 1,000 runs of the inventory
 * strategy and of the symmetric strategy with s = 100, T = 1, σ = 2, dt = 0.005, A = 140,
 * k = 1.5 and γ = 0.1 (or `--gamma 0.01`, `--gamma 0.5`, the paper's other tables).
 *
 * Prints `profit mean X sd Y final inventory sd Z spread S` for the inventory strategy, the same
 * line prefixed with `symmetric` for the symmetric strategy, the published figures where this
 * script knows them, and 95% confidence intervals of the profit means.
 *
 * Usage: `deno task as:table [--gamma 0.1] [--runs 1000] [--seed 1] [--increment binomial]`
 *
 * @module
 */
import { flagsOrExit } from "./_flags.ts";
import {
  AS_PAPER,
  type AsParams,
  type AsRuns,
  simulateRuns,
} from "../lib/env/avellaneda_stoikov.ts";
import { checkInt, checkOneOf, ConfigError } from "../lib/errors.ts";
import { meanCI } from "../lib/metrics/mod.ts";

const USAGE =
  "usage: deno task as:table [--gamma 0.1] [--runs 1000] [--seed 1] [--increment binomial]";

/** A row of the paper's tables. */
interface Published {
  profit: number;
  profitSd: number;
  finalQSd: number;
  spread: number;
}

/** Published figures by γ, as given in the project brief (γ = 0.1 only; see the report). */
const PUBLISHED: Record<string, { inventory: Published; symmetric: Published }> = {
  "0.1": {
    inventory: { profit: 65.0, profitSd: 6.6, finalQSd: 2.9, spread: 1.49 },
    symmetric: { profit: 68.4, profitSd: 12.7, finalQSd: 8.0, spread: 1.49 },
  },
};

function parseNumber(field: string, s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const v = Number(s);
  if (s.trim() === "" || !Number.isFinite(v)) throw new ConfigError(field, "a number", s);
  return v;
}

function line(prefix: string, r: Published): string {
  return `${prefix}profit mean ${r.profit.toFixed(2)} sd ${r.profitSd.toFixed(2)} ` +
    `final inventory sd ${r.finalQSd.toFixed(2)} spread ${r.spread.toFixed(2)}`;
}

function summarise(runs: AsRuns): Published {
  return {
    profit: meanCI(runs.profit).mean,
    profitSd: meanCI(runs.profit).sd,
    finalQSd: meanCI(runs.finalQ).sd,
    spread: meanCI(runs.meanSpread).mean,
  };
}

function main(args: string[]): void {
  const { values } = flagsOrExit(
    "as:table",
    args,
    {
      gamma: { type: "string" },
      runs: { type: "string" },
      seed: { type: "string" },
      increment: { type: "string" },
    },
    USAGE,
  );
  const gamma = parseNumber("--gamma", values.gamma, AS_PAPER.gamma);
  if (!(gamma > 0)) throw new ConfigError("--gamma", "a number > 0", values.gamma);
  const runs = checkInt("--runs", parseNumber("--runs", values.runs, 1000), 2, 10_000_000);
  const seed = parseNumber("--seed", values.seed, 1);
  const increment = checkOneOf(
    "--increment",
    values.increment ?? AS_PAPER.increment,
    [
      "binomial",
      "gaussian",
    ] as const,
  );
  const params: AsParams = { ...AS_PAPER, gamma, increment };

  const inv = simulateRuns({ params, strategy: "inventory", runs, seed });
  const sym = simulateRuns({ params, strategy: "symmetric", runs, seed });
  const p = params;
  console.log(
    `# Avellaneda-Stoikov: s=${p.s0} T=${p.T} sigma=${p.sigma} dt=${p.dt} A=${p.A} k=${p.k} ` +
      `gamma=${p.gamma}, ${runs} runs, seed ${seed}, ${p.increment} mid`,
  );
  console.log(line("", summarise(inv)));
  console.log(line("symmetric ", summarise(sym)));
  const pub = PUBLISHED[String(gamma)];
  if (pub) {
    console.log(line("published inventory ", pub.inventory));
    console.log(line("published symmetric ", pub.symmetric));
  } else {
    console.log(`# no published figures recorded here for gamma=${gamma} (only gamma=0.1)`);
  }
  const ci = (r: AsRuns) => {
    const c = meanCI(r.profit);
    return `${c.mean.toFixed(2)} ± ${c.halfWidth.toFixed(2)}`;
  };
  console.log(`# 95% CI of profit mean: inventory ${ci(inv)}, symmetric ${ci(sym)}`);
}

if (import.meta.main) {
  try {
    main(Deno.args);
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof TypeError && "code" in e)) {
      console.error(`as_table: ${e.message}`);
      Deno.exit(2);
    }
    throw e;
  }
}
