/**
 * The two state changes every delivery makes — claim before sending, SENT after — batched across
 * concurrent sends (group commit). Each call still resolves only once its own row is written, so a
 * job never completes before the database knows its outcome.
 */
import type { Db } from "../../db/prisma.ts";
import { createBatcher } from "../../db/batcher.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type ClaimedDelivery = { id: number; directiveId: number; channel: ChannelKind; externalChatId: string | null; attempts: number };

export type DeliveryRows = {
  /**
   * Claims a delivery for sending (QUEUED/RETRYING → SENDING, or a SENDING row whose lease expired)
   * and counts the attempt; null when another worker holds it or it is already final.
   */
  claim(deliveryId: number): Promise<ClaimedDelivery | null>;
  /** Records a successful send with the platform's message id. */
  markSent(deliveryId: number, messageId: string): Promise<void>;
};

/** Creates the batched row operations; `leaseMs` is how old a claim must be to be taken over. */
export function createDeliveryRows(db: Db, leaseMs: number): DeliveryRows {
  const claims = createBatcher<number, ClaimedDelivery | null>(async (ids) => {
    // Sorted ids keep lock order stable between concurrent batches.
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    const rows = await db.$queryRaw<ClaimedDelivery[]>`
      UPDATE "Delivery" SET status = 'SENDING', "claimedAt" = now(), attempts = attempts + 1, "updatedAt" = now()
      WHERE id = ANY(${unique}::int[])
        AND (status IN ('QUEUED', 'RETRYING') OR (status = 'SENDING' AND "claimedAt" < now() - ${leaseMs} * interval '1 millisecond'))
      RETURNING id, "directiveId", channel::text AS channel, "externalChatId", attempts`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    // The same id twice in one batch (duplicate jobs): only the first caller gets the claim.
    return ids.map((id) => {
      const row = byId.get(id) ?? null;
      byId.delete(id);
      return row;
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
