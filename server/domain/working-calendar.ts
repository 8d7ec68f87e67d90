/**
 * Working days of Vietnamese state offices and schools' administration, in this order of precedence:
 *
 * 1. An administrator's adjustment for the date decides: `WORKING` (a make-up Saturday, a holiday worked) or
 *    `OFF` (a day swapped against a make-up Saturday, an extra day off declared by notice).
 * 2. Otherwise Saturday and Sunday are off (Monday–Friday working week, QĐ 188/1999/QĐ-TTg).
 * 3. Otherwise a statutory holiday or a day in lieu of one (vietnam-holidays.ts) is off.
 * 4. Every other day is a working day.
 *
 * Pure: the adjustments come in as data; the holidays of a year are computed once per calendar, on first use.
 */

import { fromEpochDay, toEpochDay, weekdayOfEpochDay } from "./iso-date.ts";
import { statutoryHolidays } from "./vietnam-holidays.ts";

export type CalendarAdjustment = { date: string; kind: "WORKING" | "OFF"; note?: string };

export type WorkingCalendar = {
  /** True when `date` (`YYYY-MM-DD`) is a working day. @throws RangeError for a malformed date. */
  isWorkingDay(date: string): boolean;
  /** The same for an epoch day (days since 1970-01-01): the form hot loops use. */
  isWorkingEpochDay(day: number): boolean;
  /**
   * The date `n` working days after `date` (before it when `n` is negative); `n = 0` returns `date` unchanged.
   * The count starts on the day after `date`, so `addWorkingDays(friday, 1)` is the next Monday in an ordinary week.
   */
  addWorkingDays(date: string, n: number): string;
  /**
   * How many working days `to` is after `from`: the working days in (from, to], or minus those in [to, from)
   * when `to` is earlier. `workingDaysBetween(d, addWorkingDays(d, n)) === n` for every `d` and `n`.
   */
  workingDaysBetween(from: string, to: string): number;
};

// A hundred years each way bounds every loop, so a wild date cannot spin forever.
const MAX_SCAN_DAYS = 36_600;

/**
 * Builds a working calendar from the administrator's adjustments (a later entry for the same date wins).
 *
 * @throws RangeError when an adjustment's date is not `YYYY-MM-DD`.
 * @example createWorkingCalendar([{ date: "2027-02-20", kind: "WORKING", note: "Làm bù" }]).isWorkingDay("2027-02-20") // true
 */
export function createWorkingCalendar(adjustments: CalendarAdjustment[]): WorkingCalendar {
  const overrides = new Map<number, boolean>();
  for (const a of adjustments) overrides.set(toEpochDay(a.date), a.kind === "WORKING");
  const holidaysByYear = new Map<number, Set<number>>();

  function holidays(year: number): Set<number> {
    let set = holidaysByYear.get(year);
    if (!set) {
      set = new Set(statutoryHolidays(year).map((h) => toEpochDay(h.date)));
      holidaysByYear.set(year, set);
    }
    return set;
  }

  function isWorkingEpochDay(day: number): boolean {
    const override = overrides.get(day);
    if (override !== undefined) return override;
    const weekday = weekdayOfEpochDay(day);
    if (weekday === 0 || weekday === 6) return false;
    return !holidays(new Date(day * 86_400_000).getUTCFullYear()).has(day);
  }

  function step(day: number, n: number): number {
    const direction = Math.sign(n);
    let left = Math.abs(n);
    let scanned = 0;
    while (left > 0) {
      day += direction;
      if (++scanned > MAX_SCAN_DAYS + Math.abs(n) * 7) throw new RangeError("no working day within a hundred years");
      if (isWorkingEpochDay(day)) left--;
    }
    return day;
  }

  return {
    isWorkingDay: (date) => isWorkingEpochDay(toEpochDay(date)),
    isWorkingEpochDay,
    addWorkingDays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of working days: ${n}`);
      return fromEpochDay(step(toEpochDay(date), n));
    },
    workingDaysBetween(from, to) {
      const a = toEpochDay(from);
      const b = toEpochDay(to);
      if (Math.abs(b - a) > MAX_SCAN_DAYS) throw new RangeError("range longer than a hundred years");
      let count = 0;
      // Forwards (a, b]; backwards [b, a), so that counting mirrors addWorkingDays in both directions.
      if (a <= b) for (let d = a + 1; d <= b; d++) count += isWorkingEpochDay(d) ? 1 : 0;
      else for (let d = b; d < a; d++) count -= isWorkingEpochDay(d) ? 1 : 0;
      return count;
    },
  };
}
