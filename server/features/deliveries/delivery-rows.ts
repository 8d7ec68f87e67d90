/**
 * The two state changes every delivery makes — claim before sending, SENT after — batched across
 * concurrent sends (group commit). Each call still resolves only once its own row is written, so a
 * job never completes before the database knows its outcome.
 */
import type { Db } from "../../db/prisma.ts";
import { createBatcher } from "../../db/batcher.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type ClaimedDelivery = { id: number; directiveId: number; channel: ChannelKind; externalChatId: string | null; attempts: number };

/**
 * What a claim found: the row is ours to send; or it is not due yet (a platform's retry_after or our
 * backoff), `waitMs` from now by the database's clock; or another worker holds it or it is final.
 */
export type ClaimResult = { kind: "claimed"; row: ClaimedDelivery } | { kind: "not_due"; waitMs: number } | { kind: "busy" };

export type DeliveryRows = {
  /**
   * Claims a delivery for sending (QUEUED/RETRYING → SENDING once `nextAttemptAt` has passed, or a
   * SENDING row whose lease expired) and counts the attempt.
   */
  claim(deliveryId: number): Promise<ClaimResult>;
  /** Records a successful send with the platform's message id. */
  markSent(deliveryId: number, messageId: string): Promise<void>;
};

type ClaimRow = ClaimedDelivery & { waitMs: number | null };

/** Creates the batched row operations; `leaseMs` is how old a claim must be to be taken over. */
export function createDeliveryRows(db: Db, leaseMs: number): DeliveryRows {
  const claims = createBatcher<number, ClaimResult>(async (ids) => {
    // Sorted ids keep lock order stable between concurrent batches.
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    // The wait a platform asked for (nextAttemptAt) is enforced here, where every send must pass,
    // so no worker, limiter setting or stray job can send a row before it is due. The second part
    // reads the rows as they were before the update: exactly those refused for being early.
    const rows = await db.$queryRaw<ClaimRow[]>`
      WITH claimed AS (
        UPDATE "Delivery" SET status = 'SENDING', "claimedAt" = now(), attempts = attempts + 1, "updatedAt" = now()
        WHERE id = ANY(${unique}::int[])
          AND ((status IN ('QUEUED', 'RETRYING') AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()))
               OR (status = 'SENDING' AND "claimedAt" < now() - ${leaseMs} * interval '1 millisecond'))
        RETURNING id, "directiveId", channel::text AS channel, "externalChatId", attempts
      )
      SELECT id, "directiveId", channel, "externalChatId", attempts, NULL::float8 AS "waitMs" FROM claimed
      UNION ALL
      SELECT id, "directiveId", channel::text, "externalChatId", attempts,
             (EXTRACT(EPOCH FROM ("nextAttemptAt" - now())) * 1000)::float8 AS "waitMs"
      FROM "Delivery"
      WHERE id = ANY(${unique}::int[]) AND status IN ('QUEUED', 'RETRYING') AND "nextAttemptAt" > now()`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    // The same id twice in one batch (duplicate jobs): only the first caller gets the claim.
    return ids.map((id): ClaimResult => {
      const row = byId.get(id);
      if (!row) return { kind: "busy" };
      if (row.waitMs !== null) return { kind: "not_due", waitMs: Math.max(1, Math.ceil(row.waitMs)) };
      byId.delete(id);
      const { waitMs: _, ...claimed } = row;
      return { kind: "claimed", row: claimed };
    });
  });

  const sent = createBatcher<{ id: number; messageId: string }, void>(async (items) => {
    await db.$executeRaw`
      UPDATE "Delivery" AS d SET status = 'SENT', "platformMessageId" = v.mid, "sentAt" = now(), "claimedAt" = NULL,
             "lastError" = NULL, "nextAttemptAt" = NULL, "updatedAt" = now()
      FROM unnest(${items.map((i) => i.id)}::int[], ${items.map((i) => i.messageId)}::text[]) AS v(id, mid)
      WHERE d.id = v.id AND d.status = 'SENDING'`;
    return items.map(() => undefined);
  });

  return {
    claim: (id) => claims.run(id),
    markSent: (id, messageId) => sent.run({ id, messageId }),
  };
}
