import type { Prisma } from "../../db/prisma.ts";

/**
 * Queues a message to a school's principals as a NOTICE row of the reminder table, sent by the
 * reminder sweep like any reminder (once, by one worker, restored after any restart). `key` makes
 * queuing the same notice twice harmless.
 */
export async function queueNotice(
  tx: Prisma.TransactionClient,
  n: { key: string; directiveId: number; organizationId: number; stepId: number | null; text: string; at: Date },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Reminder" (key, "directiveId", "stepId", "organizationId", "recipientOrgId", kind, level, "offset", "dueAt", at, message, "updatedAt")
    VALUES (${n.key}, ${n.directiveId}::int, ${n.stepId}::int, ${n.organizationId}::int, ${n.organizationId}::int, 'NOTICE', 0, 'PT0S', ${n.at}, ${n.at}, ${n.text}, now())
    ON CONFLICT (key) DO NOTHING`;
}
