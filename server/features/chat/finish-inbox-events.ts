import type { Db, Prisma } from "../../db/prisma.ts";

/**
 * Marks a batch of events DONE with the replies decided for each, in the caller's transaction (the
 * one that holds their effects), with one UPDATE; an event with nothing to say is answered at once.
 * The batch form of what commitInboxEffect writes for one event.
 */
export async function markInboxEventsDone(tx: Prisma.TransactionClient, done: readonly { id: number; replies: unknown[] }[]): Promise<void> {
  if (!done.length) return;
  await tx.$executeRaw`
    UPDATE "ProcessedUpdate" p SET status = 'DONE', replies = t.replies::jsonb, "doneAt" = now(), "lastError" = NULL,
      "repliedAt" = CASE WHEN t.answered THEN now() END
    FROM unnest(${done.map((d) => d.id)}::int[], ${done.map((d) => JSON.stringify(d.replies))}::text[], ${done.map((d) => d.replies.length === 0)}::boolean[]) AS t(id, replies, answered)
    WHERE p.id = t.id`;
}

/** Records that the replies of these events went out (or an apology in their place): the batch form of markInboxReplied. */
export async function markInboxEventsReplied(db: Db, ids: readonly number[]): Promise<void> {
  if (!ids.length) return;
  await db.$executeRaw`UPDATE "ProcessedUpdate" SET "repliedAt" = now() WHERE id = ANY(${[...ids]}::int[]) AND "repliedAt" IS NULL`;
}
