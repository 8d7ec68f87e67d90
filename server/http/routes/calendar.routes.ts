import { Router } from "express";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { isIsoDate } from "../../domain/iso-date.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { deleteCalendarDay } from "../../features/calendar/delete-calendar-day.ts";
import { CALENDAR_YEARS, CalendarYearQuerySchema, getCalendarYear } from "../../features/calendar/get-calendar-year.ts";
import { setCalendarDay, SetCalendarDaySchema } from "../../features/calendar/set-calendar-day.ts";
import { currentUser } from "../middleware/auth.ts";

/**
 * The working calendar: `GET /calendar?year=2027` for every signed-in user (holidays, adjustments, weekdays off,
 * weekend days worked; the current year in Vietnam without `year`); `PUT /calendar/days/:date {kind, note}` and
 * `DELETE /calendar/days/:date` for a system-wide administrator (make-up Saturdays, swapped days).
 */
export function calendarRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get("/calendar", async (req, res) => {
    const query = parseWith(CalendarYearQuerySchema, { year: vietnamTime(new Date()).year, ...req.query });
    res.json(await getCalendarYear(db, query.year));
  });

  router.put("/calendar/days/:date", async (req, res) => {
    const date = parseCalendarDate(req.params.date);
    const { day, created } = await setCalendarDay(db, currentUser(req), date, parseWith(SetCalendarDaySchema, req.body));
    res.status(created ? 201 : 200).json(day);
  });

  router.delete("/calendar/days/:date", async (req, res) => {
    await deleteCalendarDay(db, currentUser(req), parseCalendarDate(req.params.date));
    res.status(204).end();
  });
  return router;
}

/**
 * A `YYYY-MM-DD` path date within the calendar's years.
 * @throws AppError BAD_REQUEST otherwise.
 */
function parseCalendarDate(value: string | string[] | undefined): string {
  const s = (Array.isArray(value) ? value[0] : value) ?? "";
  const year = Number(s.slice(0, 4));
  if (!isIsoDate(s) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw new AppError("BAD_REQUEST", "bad calendar date", { messageKey: "errors.calendar_bad_date", params: { date: s.slice(0, 40) } });
  }
  return s;
}
