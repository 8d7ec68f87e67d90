import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { formatDeadline } from "../../domain/format-deadline.ts";
import { t } from "../../i18n.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "../directives/get-accessible-directive.ts";

/** An officer may press "remind now" on a directive once in this long. */
export const REMIND_NOW_EVERY_MS = 10 * 60_000;

/**
 * "Remind now": queues one NOTICE row per school that still owes something on a published
 * directive — a principal there who has not acknowledged, or (a checklist directive) a step not
 * done — for the reminder sweep to send at once, exactly once, through the channels it already
 * uses (the same path as extension decisions). At most once per {@link REMIND_NOW_EVERY_MS} per
 * directive: the check and the insert happen under a transaction-scoped lock on the directive, so
 * two presses at once queue one round.
 * @returns the number of schools queued (0 when everyone is done)
 * @throws AppError NOT_FOUND (unknown or out of reach), CONFLICT (not published; pressed too soon)
 */
export async function remindNow(db: Db, user: AuthUser, directiveId: number, now: Date = new Date()): Promise<{ recipients: number }> {
  const directive = await getAccessibleDirective(db, user, directiveId);
  if (directive.status !== "PUBLISHED") throw new AppError("CONFLICT", "not published", { messageKey: "errors.remind_not_published", params: { id: directiveId } });
  const d = await db.directive.findUniqueOrThrow({ where: { id: directiveId }, select: { deadline: true } });
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7310, ${directiveId}::int)`;
    const since = new Date(now.getTime() - REMIND_NOW_EVERY_MS);
    const last = await tx.$queryRaw<{ at: Date }[]>`
      SELECT max(at) AS at FROM "Reminder" WHERE "directiveId" = ${directiveId}::int AND key LIKE ${`now:${directiveId}:%`} HAVING max(at) > ${since}`;
    if (last[0]) {
      const wait = Math.max(1, Math.ceil((last[0].at.getTime() + REMIND_NOW_EVERY_MS - now.getTime()) / 60_000));
      throw new AppError("CONFLICT", "reminded recently", { messageKey: "errors.remind_too_soon", params: { minutes: wait } });
    }
    // Schools with a principal who was sent the directive and has not acknowledged it, or with a
    // checklist step that is not done.
    const schools = await tx.$queryRaw<{ id: number }[]>`
      SELECT DISTINCT o.id FROM "Organization" o
      WHERE EXISTS (
          SELECT 1 FROM "Delivery" dl
          WHERE dl."directiveId" = ${directiveId}::int AND dl."organizationId" = o.id
            AND NOT EXISTS (SELECT 1 FROM "Acknowledgement" a WHERE a."directiveId" = dl."directiveId" AND a."personId" = dl."personId"))
        OR EXISTS (
          SELECT 1 FROM "ChecklistStep" s
          WHERE s."directiveId" = ${directiveId}::int
            AND EXISTS (SELECT 1 FROM "Delivery" dl WHERE dl."directiveId" = s."directiveId" AND dl."organizationId" = o.id)
            AND NOT EXISTS (SELECT 1 FROM "StepProgress" sp WHERE sp."stepId" = s.id AND sp."organizationId" = o.id AND sp.status = 'DONE'))
      ORDER BY o.id`;
    const text = [
      t("vi", "programmes.remind_now", { title: directive.title }),
      ...(d.deadline ? [t("vi", "programmes.remind_now_deadline", { deadline: formatDeadline(d.deadline) })] : []),
    ].join("\n");
    if (schools.length) {
      const ids = schools.map((s) => s.id);
      await tx.$executeRaw`
        INSERT INTO "Reminder" (key, "directiveId", "stepId", "organizationId", "recipientOrgId", kind, level, "offset", "dueAt", at, message, "updatedAt")
        SELECT ${`now:${directiveId}:${now.getTime()}:`} || x.id, ${directiveId}::int, NULL, x.id, x.id, 'NOTICE', 0, 'PT0S', ${now}, ${now}, ${text}, now()
        FROM unnest(${ids}::int[]) AS x(id)
        ON CONFLICT (key) DO NOTHING`;
    } else {
      // Nobody owes anything: still a press, so that the limit holds (a row that is never sent).
      await tx.$executeRaw`
        INSERT INTO "Reminder" (key, "directiveId", "organizationId", "recipientOrgId", kind, level, "offset", "dueAt", at, status, outcome, "updatedAt")
        SELECT ${`now:${directiveId}:${now.getTime()}:none`}, d.id, d."issuerOrgId", d."issuerOrgId", 'NOTICE', 0, 'PT0S', ${now}, ${now}, 'SKIPPED', 'nobody to remind', now()
        FROM "Directive" d WHERE d.id = ${directiveId}::int AND d."issuerOrgId" IS NOT NULL`;
    }
    await tx.auditLog.create({
      data: {
        userId: user.id,
        action: "directive.remind_now",
        entityType: "directive",
        entityId: String(directiveId),
        details: { schools: schools.length },
      },
    });
    return { recipients: schools.length };
  });
}
