import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { fromEpochDay, toEpochDay, weekdayOfEpochDay, isoDate } from "../../domain/iso-date.ts";
import { statutoryHolidays } from "../../domain/vietnam-holidays.ts";
import { createWorkingCalendar } from "../../domain/working-calendar.ts";
import { CALENDAR_DAY_SELECT, toCalendarDayJson, type CalendarDayJson } from "./calendar-day-json.ts";

/** Years the calendar answers for (the holiday rules are today's; before 1968 the lunar dates follow UTC+7 too). */
export const CALENDAR_YEARS = { min: 1900, max: 2100 } as const;

export const CalendarYearQuerySchema = z
  // `lang` picks the language of error messages (request-context.ts).
  .object({ year: z.coerce.number().int().min(CALENDAR_YEARS.min).max(CALENDAR_YEARS.max), lang: z.string().optional() })
  .strict();

export type CalendarYearJson = {
  year: number;
  /** Statutory holidays, days in lieu included (`in_lieu_of` names the weekend holiday they replace). */
  holidays: { date: string; name: string; in_lieu_of?: string }[];
  /** The administrator's adjustments in the year. */
  adjustments: CalendarDayJson[];
  /** Monday–Friday dates that are not working days, with why: the holidays' names, or the adjustment's note. */
  non_working_weekdays: { date: string; source: "holiday" | "adjustment"; reasons: string[] }[];
  /** Saturday and Sunday dates that are working days (make-up days), with the adjustment's note. */
  working_weekend_days: { date: string; note: string | null }[];
};

/**
 * The working calendar of solar `year` as an officer checks it: holidays computed from the law and the lunar
 * calendar, the adjustments stored for the year, and the two lists that follow (weekdays off, weekend days worked).
 * Reads the database directly rather than the cached calendar, so an administrator sees their change at once.
 */
export async function getCalendarYear(db: Db, year: number): Promise<CalendarYearJson> {
  const rows = await db.calendarDay.findMany({
    where: { date: { gte: new Date(`${isoDate(year, 1, 1)}T00:00:00Z`), lte: new Date(`${isoDate(year, 12, 31)}T00:00:00Z`) } },
    select: CALENDAR_DAY_SELECT,
    orderBy: { date: "asc" },
  });
  const adjustments = rows.map(toCalendarDayJson);
  const holidays = statutoryHolidays(year);
  const calendar = createWorkingCalendar(adjustments.map((a) => ({ date: a.date, kind: a.kind })));
  const byDate = new Map<string, string[]>();
  for (const h of holidays) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h.name]);
  const adjustmentOf = new Map(adjustments.map((a) => [a.date, a]));

  const nonWorking: CalendarYearJson["non_working_weekdays"] = [];
  const workingWeekend: CalendarYearJson["working_weekend_days"] = [];
  for (let day = toEpochDay(isoDate(year, 1, 1)), last = toEpochDay(isoDate(year, 12, 31)); day <= last; day++) {
    const date = fromEpochDay(day);
    const weekend = [0, 6].includes(weekdayOfEpochDay(day));
    const working = calendar.isWorkingEpochDay(day);
    const adjustment = adjustmentOf.get(date);
    if (!weekend && !working) {
      if (adjustment) nonWorking.push({ date, source: "adjustment", reasons: adjustment.note ? [adjustment.note] : [] });
      else nonWorking.push({ date, source: "holiday", reasons: byDate.get(date) ?? [] });
    } else if (weekend && working) {
      workingWeekend.push({ date, note: adjustment?.note ?? null });
    }
  }
  return {
    year,
    holidays: holidays.map((h) => ({ date: h.date, name: h.name, ...(h.inLieuOf ? { in_lieu_of: h.inLieuOf } : {}) })),
    adjustments,
    non_working_weekdays: nonWorking,
    working_weekend_days: workingWeekend,
  };
}
