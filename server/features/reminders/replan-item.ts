import type { Prisma } from "../../db/prisma.ts";

/**
 * After an item's due date moved (an approved extension): its reminders not sent yet are skipped
 * as replaced, and the directive is marked for planning again. The sweep then plans every item
 * against its current due date; planning is keyed by item, slot and due date, so what was planned
 * before for the other items is found, not planned twice, and only this item gets new slots.
 */
export async function replanItem(tx: Prisma.TransactionClient, item: { directiveId: number; organizationId: number; stepId: number | null }): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Reminder" SET status = 'SKIPPED', outcome = 'replanned', "updatedAt" = now()
    WHERE "directiveId" = ${item.directiveId}::int AND "organizationId" = ${item.organizationId}::int
      AND "stepId" IS NOT DISTINCT FROM ${item.stepId}::int AND status = 'PLANNED' AND kind <> 'NOTICE'`;
  await tx.$executeRaw`UPDATE "Directive" SET "remindersPlannedAt" = NULL, "updatedAt" = now() WHERE id = ${item.directiveId}::int`;
}
