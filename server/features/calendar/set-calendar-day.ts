import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { assertCalendarAdmin } from "./assert-calendar-admin.ts";
import { toCalendarDayJson, CALENDAR_DAY_SELECT, type CalendarDayJson } from "./calendar-day-json.ts";
import { forgetWorkingCalendar } from "./load-working-calendar.ts";

export const SetCalendarDaySchema = z
  .object({
    kind: z.enum(["WORKING", "OFF"]),
    note: userText({ max: 300 }).nullable().optional(),
  })
  .strict();
export type SetCalendarDayInput = z.infer<typeof SetCalendarDaySchema>;

/**
 * Records that `date` (`YYYY-MM-DD`, already validated) is a working day (a make-up Saturday) or a day off (a
 * swapped day, an extra day off), replacing any earlier adjustment of that date, with an audit entry holding the
 * old and new values.
 * @throws AppError FORBIDDEN unless `user` is a system-wide administrator.
 */
export async function setCalendarDay(db: Db, user: AuthUser, date: string, input: SetCalendarDayInput): Promise<{ day: CalendarDayJson; created: boolean }> {
  assertCalendarAdmin(user);
  const at = new Date(`${date}T00:00:00Z`);
  const note = input.note ?? null;
  const result = await db.$transaction(async (tx) => {
    const before = await tx.calendarDay.findUnique({ where: { date: at }, select: { kind: true, note: true } });
    const row = await tx.calendarDay.upsert({
      where: { date: at },
      create: { date: at, kind: input.kind, note, updatedById: user.id },
      update: { kind: input.kind, note, updatedById: user.id },
      select: CALENDAR_DAY_SELECT,
    });
    await tx.auditLog.create({
      data: { userId: user.id, action: "calendar.set_day", entityType: "calendar_day", entityId: date, details: { from: before, to: { kind: input.kind, note } } },
    });
    return { day: toCalendarDayJson(row), created: before === null };
  });
  forgetWorkingCalendar(db);
  return result;
}
