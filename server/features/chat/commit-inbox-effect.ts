import type { Db, Prisma } from "../../db/prisma.ts";

/**
 * Runs an inbox event's effect and marks the event DONE with the replies it decided, in one
 * transaction: either both are committed or neither (a crash rolls the effect back and leaves the
 * event RECEIVED for another attempt). The event's row is locked first and must still be RECEIVED,
 * so two attempts never both commit; null when another attempt already did.
 */
export async function commitInboxEffect<R>(db: Db, id: number, effect: (tx: Prisma.TransactionClient) => Promise<R[]>): Promise<R[] | null> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "ProcessedUpdate" WHERE id = ${id} FOR UPDATE`;
      if (rows[0]?.status !== "RECEIVED") return null;
      const replies = await effect(tx);
      // Nothing to say (a block recorded, a receipt): answered already, no second write for it.
      const answered = replies.length === 0;
      await tx.$executeRaw`
        UPDATE "ProcessedUpdate" SET status = 'DONE', replies = ${JSON.stringify(replies)}::jsonb, "doneAt" = now(), "lastError" = NULL,
          "repliedAt" = CASE WHEN ${answered} THEN now() END
        WHERE id = ${id}`;
      return replies;
    },
    { timeout: 30_000 },
  );
}
