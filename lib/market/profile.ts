/**
 * The background's bid ladder as target sizes by distance from its top level: a named shape, a
 * profile's weights, or explicit sizes (`BackgroundOptions.profile`), apportioned to the total
 * depth so that the sizes are integers and sum to it exactly.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { type BackgroundOptions, PROFILE_SHAPES } from "./options.ts";

/**
 * Target sizes of the bid ladder by distance `d` from its top level (integers; for a named shape
 * they sum to `totalDepth`; profile weights repeat their last weight beyond their length).
 *
 * @example
 * ```ts
 * import { bidProfile } from "./profile.ts";
 * import { validateBackgroundOptions } from "./options.ts";
 * const s = bidProfile(validateBackgroundOptions({ p0: 100, depthLevels: 3, totalDepth: 10,
 *   profile: "flat" }));
 * if (s.join() !== "4,3,3") throw new Error("largest remainder: ties go to the best level");
 * ```
 */
export function bidProfile(options: Required<BackgroundOptions>): number[] {
  const o = options;
  if (Array.isArray(o.profile)) return [...o.profile];
  const n = o.depthLevels;
  const w = new Float64Array(n);
  if (typeof o.profile === "object") {
    const m = (o.profile as { weights: readonly number[] }).weights;
    for (let d = 0; d < n; d++) w[d] = m[Math.min(d, m.length - 1)];
    return apportion(o.totalDepth, w);
  }
  switch (o.profile) {
    case "flat":
      w.fill(1);
      break;
    case "linear":
      for (let d = 0; d < n; d++) w[d] = 1 + o.linearSlope * d;
      break;
    case "exponential": {
      // Relative to the largest weight, so that exp never overflows.
      const ref = o.expRate > 0 ? n - 1 : 0;
      for (let d = 0; d < n; d++) w[d] = Math.exp(o.expRate * (d - ref));
      break;
    }
    default: {
      const never: never = o.profile;
      throw new ConfigError("profile", `one of ${PROFILE_SHAPES.join(", ")}`, never);
    }
  }
  return apportion(o.totalDepth, w);
}

/** Splits `total` in proportion to `w` (largest remainder; ties to the smaller index). */
function apportion(total: number, w: Float64Array): number[] {
  let sum = 0;
  for (const x of w) sum += x;
  const out = new Array<number>(w.length);
  const frac: [number, number][] = [];
  let given = 0;
  for (let d = 0; d < w.length; d++) {
    const exact = sum > 0 ? total * w[d] / sum : 0;
    out[d] = Math.floor(exact);
    given += out[d];
    frac.push([exact - out[d], d]);
  }
  frac.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; given < total && k < frac.length; k++, given++) out[frac[k][1]]++;
  return out;
}
