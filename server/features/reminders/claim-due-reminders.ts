import type { Db } from "../../db/prisma.ts";

export type ClaimedReminder = {
  id: number;
  directiveId: number;
  stepId: number | null;
  organizationId: number;
  recipientOrgId: number;
  kind: "BEFORE" | "DUE" | "OVERDUE" | "ESCALATION" | "NOTICE";
  level: number;
  dueAt: Date;
  at: Date;
  message: string | null;
};

/** Namespace of the advisory locks that give one sweeper a recipient office's reminders at a time. */
const LOCK_SPACE = 73_001;

/**
 * Claims the reminders due at `now` (PLANNED, or SENDING under a claim older than `leaseMs`: a
 * sweeper that died mid-send) of at most `orgs` recipient offices, all of each office's at once:
 * so one sweeper holds everything due for the office's people and sends each of them ONE digest,
 * and no other sweeper can send any of it. An office another sweeper is claiming (its advisory
 * lock held) is passed over; the rows of an office claimed just before are no longer PLANNED.
 */
export async function claimDueReminders(db: Db, { now, leaseMs, orgs }: { now: Date; leaseMs: number; orgs: number }): Promise<ClaimedReminder[]> {
  const stale = new Date(now.getTime() - leaseMs);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: number }[]>`
      WITH due AS (
        (SELECT DISTINCT "recipientOrgId" AS id FROM "Reminder" WHERE status = 'PLANNED' AND at <= ${now} ORDER BY 1 LIMIT ${orgs * 2})
        UNION
        (SELECT DISTINCT "recipientOrgId" FROM "Reminder" WHERE status = 'SENDING' AND "claimedAt" < ${stale} ORDER BY 1 LIMIT ${orgs})
      )
      SELECT id FROM due WHERE pg_try_advisory_xact_lock(${LOCK_SPACE}::int, id) LIMIT ${orgs}`;
    if (!locked.length) return [];
    return tx.$queryRaw<ClaimedReminder[]>`
      UPDATE "Reminder" SET status = 'SENDING', "claimedAt" = ${now}, "updatedAt" = now()
      WHERE "recipientOrgId" = ANY(${locked.map((l) => l.id)}::int[])
        AND ((status = 'PLANNED' AND at <= ${now}) OR (status = 'SENDING' AND "claimedAt" < ${stale}))
      RETURNING id, "directiveId", "stepId", "organizationId", "recipientOrgId", kind::text AS kind, level, "dueAt", at, message`;
  });
}
