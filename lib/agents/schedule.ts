/**
 * Schedules: pure functions of the step count.
 *
 * @module
 */

/** Options of {@linkcode linearSchedule}. */
export interface LinearScheduleOptions {
  /** Value at step 0. */
  readonly start: number;
  /** Value from step `duration` on. */
  readonly end: number;
  /** Steps taken to go from `start` to `end`; 0 means `end` at once. */
  readonly duration: number;
}

/**
 * CleanRL's `linear_schedule`: a straight line from `start` to `end` over `duration` steps, then
 * flat.
 *
 * @example
 * ```ts
 * import { linearSchedule } from "./schedule.ts";
 * const eps = linearSchedule({ start: 1, end: 0.1, duration: 100 });
 * if (eps(0) !== 1 || Math.abs(eps(50) - 0.55) > 1e-12 || eps(500) !== 0.1) throw new Error();
 * ```
 */
export function linearSchedule(
  { start, end, duration }: LinearScheduleOptions,
): (step: number) => number {
  return (step) => (step >= duration ? end : start + (end - start) * (step / duration));
}
