import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "../directives/get-accessible-directive.ts";

export type ReminderRow = {
  id: number;
  org_code: string;
  org_name: string;
  /** Whose people it goes to: the school, or the supervising office (escalation). */
  recipient_org_code: string;
  step: number | null;
  kind: "before" | "due" | "overdue" | "escalation" | "notice";
  level: number;
  offset: string;
  due_at: string;
  at: string;
  status: "planned" | "sending" | "sent" | "skipped";
  sent_at: string | null;
  outcome: string | null;
};

type DbRow = Omit<ReminderRow, "due_at" | "at" | "sent_at" | "kind" | "status"> & { kind: string; status: string; due_at: Date; at: Date; sent_at: Date | null };

/**
 * The schedule of a directive: every planned, sent and skipped reminder with its time and reason
 * (kind and offset), in time order, at most `limit`.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function findDirectiveReminders(
  db: Db,
  user: AuthUser,
  directiveId: number,
  { limit = 5000, status }: { limit?: number; status?: string | undefined } = {},
): Promise<ReminderRow[]> {
  await getAccessibleDirective(db, user, directiveId);
  const rows = await db.$queryRaw<DbRow[]>`
    SELECT r.id, o.code AS org_code, o.name AS org_name, ro.code AS recipient_org_code, s.n AS step, r.kind::text AS kind, r.level, r."offset",
           r."dueAt" AS due_at, r.at, r.status::text AS status, r."sentAt" AS sent_at, r.outcome
    FROM "Reminder" r
    JOIN "Organization" o ON o.id = r."organizationId"
    JOIN "Organization" ro ON ro.id = r."recipientOrgId"
    LEFT JOIN "ChecklistStep" s ON s.id = r."stepId"
    WHERE r."directiveId" = ${directiveId}::int AND (${status ?? null}::text IS NULL OR r.status::text = upper(${status ?? ""}))
    ORDER BY r.at, o.code, s.n NULLS FIRST, r.id
    LIMIT ${limit}`;
  return rows.map((r) => ({
    ...r,
    kind: r.kind.toLowerCase() as ReminderRow["kind"],
    status: r.status.toLowerCase() as ReminderRow["status"],
    due_at: r.due_at.toISOString(),
    at: r.at.toISOString(),
    sent_at: r.sent_at?.toISOString() ?? null,
  }));
}
