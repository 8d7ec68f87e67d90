import type { Db } from "../../db/prisma.ts";
import { createWorkingCalendar, type CalendarAdjustment, type WorkingCalendar } from "../../domain/working-calendar.ts";

/**
 * How long a loaded calendar is reused. Adjustments change a few times a year; planners and sweeps ask for the
 * calendar on every tick, so one query a minute per process is enough. A change made through this process
 * ({@link forgetWorkingCalendar}) is seen at once; one made through another web process within this time.
 */
export const WORKING_CALENDAR_TTL_MS = 60_000;

type Entry = { calendar?: WorkingCalendar; loadedAt: number; loading?: Promise<WorkingCalendar> | undefined; generation: number };
// Keyed by client, so test files with their own databases never share a calendar.
const cache = new WeakMap<Db, Entry>();

/** The administrator's adjustments, every year, oldest first (a few dozen rows a year). */
export async function findCalendarAdjustments(db: Db): Promise<CalendarAdjustment[]> {
  const rows = await db.calendarDay.findMany({ select: { date: true, kind: true, note: true }, orderBy: { date: "asc" } });
  return rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), kind: r.kind, ...(r.note !== null ? { note: r.note } : {}) }));
}

/**
 * The working calendar (weekends, statutory holidays, the administrator's adjustments), cached for
 * {@link WORKING_CALENDAR_TTL_MS}; concurrent callers share one load.
 *
 * @param now the clock (injected in tests).
 */
export async function loadWorkingCalendar(db: Db, now: () => number = Date.now): Promise<WorkingCalendar> {
  let entry = cache.get(db);
  if (!entry) {
    entry = { loadedAt: -Infinity, generation: 0 };
    cache.set(db, entry);
  }
  if (entry.calendar && now() - entry.loadedAt < WORKING_CALENDAR_TTL_MS) return entry.calendar;
  if (entry.loading) return entry.loading;
  const e = entry;
  const generation = e.generation;
  e.loading = findCalendarAdjustments(db)
    .then((adjustments) => {
      const calendar = createWorkingCalendar(adjustments);
      // A change made while this load ran may be missing from it: serve it to these callers, cache nothing.
      if (e.generation === generation) Object.assign(e, { calendar, loadedAt: now() });
      return calendar;
    })
    .finally(() => {
      if (e.generation === generation) e.loading = undefined;
    });
  return e.loading;
}

/** Makes this process load the calendar for `db` afresh on next use, after an adjustment changed. */
export function forgetWorkingCalendar(db: Db): void {
  const entry = cache.get(db);
  if (entry) Object.assign(entry, { calendar: undefined, loadedAt: -Infinity, loading: undefined, generation: entry.generation + 1 });
}
