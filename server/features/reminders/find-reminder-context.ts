import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/** What a claimed reminder is about now: its directive and step, the school, and whether it still matters. */
export type ReminderContext = {
  id: number;
  directiveTitle: string;
  published: boolean;
  stepN: number | null;
  stepTitle: string | null;
  orgName: string;
  /** The step is done (or, without steps, a principal of the school acknowledged). */
  done: boolean;
  /** The item's due date now (an extension may have moved it since planning). */
  currentDue: Date | null;
  status: string | null;
};

export type Recipient = { personId: number; organizationId: number; role: string; channel: ChannelKind; chatId: string };

/** The present state of each claimed reminder's item, in one query. */
export async function findReminderContext(db: Db, ids: number[]): Promise<Map<number, ReminderContext>> {
  if (!ids.length) return new Map();
  const rows = await db.$queryRaw<ReminderContext[]>`
    SELECT r.id, d.title AS "directiveTitle", d.status = 'PUBLISHED' AS published, s.n AS "stepN", s.title AS "stepTitle", o.name AS "orgName",
           CASE WHEN r."stepId" IS NOT NULL THEN sp.status IS NOT DISTINCT FROM 'DONE'
                ELSE EXISTS (SELECT 1 FROM "Acknowledgement" a JOIN "Person" pe ON pe.id = a."personId" WHERE a."directiveId" = d.id AND pe."organizationId" = r."organizationId") END AS done,
           CASE WHEN r."stepId" IS NOT NULL THEN COALESCE(sp."dueAt", s."dueAt")
                ELSE COALESCE((SELECT max(x."grantedUntil") FROM "ExtensionRequest" x WHERE x."directiveId" = d.id AND x."organizationId" = r."organizationId" AND x."stepId" IS NULL AND x.status = 'APPROVED'), d.deadline) END AS "currentDue",
           sp.status::text AS status
    FROM "Reminder" r
    JOIN "Directive" d ON d.id = r."directiveId"
    JOIN "Organization" o ON o.id = r."organizationId"
    LEFT JOIN "ChecklistStep" s ON s.id = r."stepId"
    LEFT JOIN "StepProgress" sp ON sp."stepId" = r."stepId" AND sp."organizationId" = r."organizationId"
    WHERE r.id = ANY(${ids}::int[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The people of the given offices who can be reached in chat on one of `channels` (in that order
 * of preference): principals, and for `withOfficers` offices also officers (an office's head is
 * its PRINCIPAL person, as imported). One chat per person; a chat that blocked us is left out.
 */
export async function findReminderRecipients(
  db: Db,
  { orgIds, withOfficers, channels }: { orgIds: number[]; withOfficers: number[]; channels: readonly ChannelKind[] },
): Promise<Recipient[]> {
  if (!orgIds.length || !channels.length) return [];
  return db.$queryRaw<Recipient[]>`
    SELECT DISTINCT ON (p.id) p.id AS "personId", p."organizationId" AS "organizationId", p.role::text AS role, ci.channel::text AS channel, ci."externalId" AS "chatId"
    FROM "Person" p
    JOIN "ChatIdentity" ci ON ci."personId" = p.id AND ci."blockedAt" IS NULL AND ci.channel = ANY(${[...channels]}::"Channel"[])
    WHERE p."organizationId" = ANY(${orgIds}::int[])
      AND (p.role = 'PRINCIPAL' OR (p.role = 'OFFICER' AND p."organizationId" = ANY(${withOfficers}::int[])))
    ORDER BY p.id, array_position(${[...channels]}::text[], ci.channel::text)`;
}
