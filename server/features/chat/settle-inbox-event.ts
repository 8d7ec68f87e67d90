import type { Db } from "../../db/prisma.ts";

/** Attempts after which an event that keeps failing is given up (FAILED) rather than retried. */
export const MAX_INBOX_ATTEMPTS = 5;

/** Records that an event's replies went out (or an apology in their place): nothing is left to do. */
export async function markInboxReplied(db: Db, id: number): Promise<void> {
  await db.$executeRaw`UPDATE "ProcessedUpdate" SET "repliedAt" = now() WHERE id = ${id} AND "repliedAt" IS NULL`;
}

/**
 * An attempt failed without dying: the lease is given back at once, so the platform's redelivery or
 * the next sweep tries again; after {@link MAX_INBOX_ATTEMPTS} an unprocessed event is FAILED.
 */
export async function releaseInboxEvent(db: Db, id: number, error: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "ProcessedUpdate" SET "leaseUntil" = now(), "lastError" = ${error.slice(0, 2000)},
      status = (CASE WHEN status = 'RECEIVED' AND attempts >= ${MAX_INBOX_ATTEMPTS} THEN 'FAILED' ELSE status END)::"InboxStatus"
    WHERE id = ${id}`;
}
