/**
 * The numbers the notebooks quote of the best-fixed-rule study (`jobs.ts`): a cell's `best` row
 * (its held-out evaluation is a summarised column `eval`: `ci(row, "eval")`, `verdict(row, {col:
 * "eval"})`) and the chosen rule in words.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type Row, rowOf } from "../../report/stats.ts";

/** The `best` row of a cell (`game`, `taker`, `condition`, `n`; `n` default 1). */
export function bestRuleRow(
  best: pl.DataFrame,
  where: { game: string; taker: string; condition: string; n?: number },
): Row {
  return rowOf(best.toRecords() as Row[], { n: 1, ...where });
}

/**
 * A rule in words: `"replenisher at P0 − 2 for 200"`, `"follower 1 tick below the best competing
 * bid, showing 0.5 of the flow"`.
 *
 * @example
 * ```ts
 * import { fixedRuleText } from "./summaries.ts";
 * if (fixedRuleText({ kind: "replenisher", offset: 2, qty: 200 }) !== "replenisher at P0 − 2 for 200") {
 *   throw new Error();
 * }
 * ```
 */
export function fixedRuleText(row: Row): string {
  const off = Number(row.offset);
  if (row.kind === "replenisher") {
    return `replenisher at P0${off === 0 ? "" : ` − ${off}`} for ${
      Number(row.qty).toLocaleString("en-US")
    }`;
  }
  if (row.kind === "follower") {
    const where = off === 0
      ? "joining the best competing bid"
      : `${off} tick${off === 1 ? "" : "s"} below the best competing bid`;
    return `follower ${where}, showing ${row.share} of the flow`;
  }
  return String(row.rule ?? "—");
}
