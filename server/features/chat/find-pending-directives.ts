import type { Prisma } from "../../db/prisma.ts";

export type PendingDirective = { id: number; title: string; deadline: Date | null; publishedAt: Date | null };

/**
 * Directives that reached this person and still await their acknowledgement, newest first:
 * published, asking for acknowledgement, with a delivery that went out (or is going out), and no
 * acknowledgement yet.
 */
export async function findPendingDirectives(db: Prisma.TransactionClient, personId: number, limit = 50): Promise<PendingDirective[]> {
  return db.$queryRaw<PendingDirective[]>`
    SELECT d.id, d.title, d.deadline, d."publishedAt"
    FROM "Directive" d
    WHERE d.status = 'PUBLISHED' AND d."requireAck"
      AND EXISTS (SELECT 1 FROM "Delivery" v WHERE v."directiveId" = d.id AND v."personId" = ${personId} AND v.status IN ('SENT', 'SENDING'))
      AND NOT EXISTS (SELECT 1 FROM "Acknowledgement" a WHERE a."directiveId" = d.id AND a."personId" = ${personId})
    ORDER BY d."publishedAt" DESC NULLS LAST, d.id DESC
    LIMIT ${limit}`;
}
