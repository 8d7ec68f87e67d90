import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { assertCalendarAdmin } from "./assert-calendar-admin.ts";
import { forgetWorkingCalendar } from "./load-working-calendar.ts";

/**
 * Removes the adjustment of `date` (`YYYY-MM-DD`, already validated): the day goes back to what the weekday and
 * the statutory holidays make it. Audited with the removed values.
 * @throws AppError FORBIDDEN unless `user` is a system-wide administrator; NOT_FOUND when the date has no adjustment.
 */
export async function deleteCalendarDay(db: Db, user: AuthUser, date: string): Promise<void> {
  assertCalendarAdmin(user);
  const at = new Date(`${date}T00:00:00Z`);
  await db.$transaction(async (tx) => {
    const before = await tx.calendarDay.findUnique({ where: { date: at }, select: { kind: true, note: true } });
    if (!before) throw new AppError("NOT_FOUND", "no calendar adjustment on that date", { messageKey: "errors.calendar_day_not_found", params: { date } });
    await tx.calendarDay.delete({ where: { date: at } });
    await tx.auditLog.create({ data: { userId: user.id, action: "calendar.delete_day", entityType: "calendar_day", entityId: date, details: { removed: before } } });
  });
  forgetWorkingCalendar(db);
}
