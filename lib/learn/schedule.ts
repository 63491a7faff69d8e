/**
 * Schedules: pure functions from a counter (episode or step index) to a value, used for the
 * exploration rate ε (and anything else that decays). Modelled on CleanRL's `linear_schedule`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/**
 * A schedule, as data. `scheduleAt(schedule, t)` gives its value at counter `t` (0, 1, 2, ...).
 *
 * - `constant`: `value` for every `t`.
 * - `linear`: straight line from `start` (at `t = 0`) to `end` (at `t = duration`), then `end`
 *   (CleanRL's `linear_schedule`; works in both directions).
 * - `exponential`: `start * rate^t`, never past `end` (clamped at `end` from above when
 *   decaying, from below when growing).
 */
export type Schedule =
  | { readonly kind: "constant"; readonly value: number }
  | {
    readonly kind: "linear";
    readonly start: number;
    readonly end: number;
    /** Counter value at which `end` is reached; a positive integer. */
    readonly duration: number;
  }
  | {
    readonly kind: "exponential";
    readonly start: number;
    readonly end: number;
    /** Factor per counter unit, > 0 (e.g. 0.99 for a 1% decay per episode). */
    readonly rate: number;
  };

/**
 * The value of `schedule` at counter `t` (an integer ≥ 0). Pure; allocation-free.
 *
 * @example
 * ```ts
 * import { scheduleAt } from "./schedule.ts";
 * const eps = { kind: "linear", start: 1, end: 0.1, duration: 10 } as const;
 * if (scheduleAt(eps, 0) !== 1) throw new Error("start");
 * if (Math.abs(scheduleAt(eps, 5) - 0.55) > 1e-12) throw new Error("halfway");
 * if (scheduleAt(eps, 99) !== 0.1) throw new Error("end");
 * ```
 */
export function scheduleAt(schedule: Schedule, t: number): number {
  switch (schedule.kind) {
    case "constant":
      return schedule.value;
    case "linear": {
      if (t >= schedule.duration) return schedule.end;
      return schedule.start + (schedule.end - schedule.start) * (t / schedule.duration);
    }
    case "exponential": {
      const v = schedule.start * Math.pow(schedule.rate, t);
      return schedule.start >= schedule.end ? Math.max(v, schedule.end) : Math.min(v, schedule.end);
    }
    default: {
      const never: never = schedule;
      throw new ConfigError("schedule.kind", '"constant", "linear" or "exponential"', never);
    }
  }
}

/**
 * Checks a schedule whose values must stay in `[lo, hi]` and returns it; a bare number is read as
 * a constant schedule. Throws `ConfigError` naming `field` otherwise.
 */
export function checkSchedule(
  field: string,
  v: Schedule | number,
  range: { lo: number; hi: number },
): Schedule {
  const { lo, hi } = range;
  const inRange = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x >= lo && x <= hi;
  const allowed = `a number in [${lo}, ${hi}]`;
  if (typeof v === "number") {
    if (!inRange(v)) throw new ConfigError(field, allowed, v);
    return { kind: "constant", value: v };
  }
  if (v === null || typeof v !== "object") {
    throw new ConfigError(field, `${allowed} or a Schedule object`, v);
  }
  switch (v.kind) {
    case "constant":
      if (!inRange(v.value)) throw new ConfigError(`${field}.value`, allowed, v.value);
      return v;
    case "linear":
      if (!inRange(v.start)) throw new ConfigError(`${field}.start`, allowed, v.start);
      if (!inRange(v.end)) throw new ConfigError(`${field}.end`, allowed, v.end);
      if (!Number.isInteger(v.duration) || v.duration < 1) {
        throw new ConfigError(`${field}.duration`, "a positive integer", v.duration);
      }
      return v;
    case "exponential":
      if (!inRange(v.start)) throw new ConfigError(`${field}.start`, allowed, v.start);
      if (!inRange(v.end)) throw new ConfigError(`${field}.end`, allowed, v.end);
      if (typeof v.rate !== "number" || !Number.isFinite(v.rate) || v.rate <= 0) {
        throw new ConfigError(`${field}.rate`, "a finite number > 0", v.rate);
      }
      return v;
    default:
      throw new ConfigError(
        `${field}.kind`,
        '"constant", "linear" or "exponential"',
        (v as { kind?: unknown }).kind,
      );
  }
}
