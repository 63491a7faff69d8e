/**
 * Schedules: pure functions from a counter (episode or step index) to a value, used for the
 * exploration rate ε (and anything else that decays). Modelled on CleanRL's `linear_schedule`.
 *
 * @module
 */
import {
  anything,
  checkNum,
  ConfigError,
  custom,
  type Field,
  int,
  num,
  positive,
  variant,
} from "../errors.ts";

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
 * Calvano et al. (2020)'s exploration rate `ε_t = e^{−βt}` as a {@linkcode Schedule}: an
 * exponential decay from 1 towards 0 with factor `e^{−β}` per counter unit. Calvano et al. count
 * periods (one per learner update): use it with `epsilonUnit: "step"`. `β` > 0; `ε` falls to
 * `x` after `ln(1/x) / β` units (to 0.001 after `6.91 / β`).
 *
 * @example
 * ```ts
 * import { expDecay, scheduleAt } from "./schedule.ts";
 * const eps = expDecay(1e-3);
 * if (scheduleAt(eps, 0) !== 1) throw new Error("starts at 1");
 * if (Math.abs(scheduleAt(eps, 1000) - Math.exp(-1)) > 1e-12) throw new Error("e^(−βt)");
 * ```
 */
export function expDecay(beta: number): Schedule {
  const b = checkNum("beta", beta, Number.MIN_VALUE, 1e6);
  return { kind: "exponential", start: 1, end: 0, rate: Math.exp(-b) };
}

/**
 * The field checker of a schedule whose values must stay in `[lo, hi]`: a bare number (a
 * constant schedule) or a `Schedule` object, unknown keys rejected; errors name the path
 * (`epsilon.duration`, `learner.epsilon.kind`).
 */
export function scheduleField(range: { lo: number; hi: number }): Field<Schedule> {
  const { lo, hi } = range;
  const value = num(lo, hi);
  const kind = anything("the schedule's kind");
  const schedule = variant("kind", {
    constant: { kind, value },
    linear: { kind, start: value, end: value, duration: int(1, Number.MAX_SAFE_INTEGER) },
    exponential: { kind, start: value, end: value, rate: positive() },
  });
  const allowed = `${value.allowed} or a Schedule object`;
  return custom(allowed, (v, path) => {
    if (typeof v === "number") {
      return { kind: "constant", value: checkNum(path, v, lo, hi) } as Schedule;
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new ConfigError(path, allowed, v);
    }
    return schedule.check(v, path) as Schedule;
  });
}

/**
 * `scheduleAt` specialised to one schedule: a function of the counter alone, with the schedule's
 * numbers captured once (for the learner's per-step ε). The same doubles as `scheduleAt`.
 *
 * @example
 * ```ts
 * import { compileSchedule, scheduleAt } from "./schedule.ts";
 * const s = { kind: "exponential", start: 1, end: 0.01, rate: 0.99 } as const;
 * const at = compileSchedule(s);
 * for (const t of [0, 1, 10, 1000]) if (at(t) !== scheduleAt(s, t)) throw new Error("same");
 * ```
 */
export function compileSchedule(schedule: Schedule): (t: number) => number {
  switch (schedule.kind) {
    case "constant": {
      const value = schedule.value;
      return () => value;
    }
    case "linear": {
      const { start, end, duration } = schedule;
      return (t) => (t >= duration ? end : start + (end - start) * (t / duration));
    }
    case "exponential": {
      const { start, end, rate } = schedule;
      return start >= end
        ? (t) => Math.max(start * Math.pow(rate, t), end)
        : (t) => Math.min(start * Math.pow(rate, t), end);
    }
    default: {
      const never: never = schedule;
      throw new ConfigError("schedule.kind", '"constant", "linear" or "exponential"', never);
    }
  }
}

/**
 * Checks a schedule whose values must stay in `[lo, hi]` and returns it; a bare number is read as
 * a constant schedule. Throws `ConfigError` naming `field` (and the path of a bad key inside it)
 * otherwise.
 *
 * @example
 * ```ts
 * import { checkSchedule } from "./schedule.ts";
 * const s = checkSchedule("epsilon", { kind: "linear", start: 1, end: 0.05, duration: 100 }, {
 *   lo: 0,
 *   hi: 1,
 * });
 * if (s.kind !== "linear") throw new Error();
 * let message = "";
 * const typo = JSON.parse('{"kind": "linear", "start": 1, "end": 0, "duratoin": 9}'); // from a file
 * try {
 *   checkSchedule("epsilon", typo, { lo: 0, hi: 1 });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (message !== '"duratoin": unknown option of epsilon; did you mean "duration"?') {
 *   throw new Error(message);
 * }
 * ```
 */
export function checkSchedule(
  field: string,
  v: Schedule | number,
  range: { lo: number; hi: number },
): Schedule {
  return scheduleField(range).check(v, field);
}
