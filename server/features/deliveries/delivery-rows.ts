/**
 * The two state changes every delivery makes — claim before sending, SENT after (with its attempt)
 * — batched across concurrent sends (group commit). Each call still resolves only once its own row
 * is written, so a job never completes before the database knows its outcome.
 */
import type { Db } from "../../db/prisma.ts";
import { createBatcher } from "../../db/batcher.ts";
import type { ChannelKind, MessageKind } from "../../domain/channel.ts";

export type ClaimedDelivery = { id: number; directiveId: number; personId: number; channel: ChannelKind; externalChatId: string | null; attempts: number };

/**
 * What a claim found: the row is ours to send; or it is not due yet (a platform's retry_after or our
 * backoff), `waitMs` from now by the database's clock; or another worker holds it, it is final, or
 * it has moved on to another channel.
 */
export type ClaimResult = { kind: "claimed"; row: ClaimedDelivery } | { kind: "not_due"; waitMs: number } | { kind: "busy" };

/** How a sent message went: its platform id, its kind and whether it cost money. */
export type SentMessage = { messageId: string; messageKind: MessageKind; billable: boolean | null };

export type DeliveryRows = {
  /**
   * Claims a delivery for sending on `channel` (QUEUED/RETRYING → SENDING once `nextAttemptAt` has
   * passed, or a SENDING row whose lease expired) and counts the attempt. A row on another channel
   * is not claimed.
   */
  claim(deliveryId: number, channel: ChannelKind): Promise<ClaimResult>;
  /** Records a successful send, and its attempt, with the platform's message id. */
  markSent(deliveryId: number, sent: SentMessage): Promise<void>;
};

type ClaimRow = ClaimedDelivery & { waitMs: number | null };

/** Creates the batched row operations; `leaseMs` is how old a claim must be to be taken over. */
export function createDeliveryRows(db: Db, leaseMs: number): DeliveryRows {
  const claims = createBatcher<{ id: number; channel: ChannelKind }, ClaimResult>(async (items) => {
    // Sorted ids keep lock order stable between concurrent batches.
    const unique = [...new Map(items.map((i) => [i.id, i])).values()].sort((a, b) => a.id - b.id);
    const ids = unique.map((i) => i.id);
    const channels = unique.map((i) => i.channel);
    // The wait a platform asked for (nextAttemptAt) is enforced here, where every send must pass,
    // so no worker, limiter setting or stray job can send a row before it is due. The second part
    // reads the rows as they were before the update: exactly those refused for being early.
    const rows = await db.$queryRaw<ClaimRow[]>`
      WITH wanted AS (SELECT * FROM unnest(${ids}::int[], ${channels}::text[]) AS w(id, channel)),
      claimed AS (
        UPDATE "Delivery" d SET status = 'SENDING', "claimedAt" = now(), attempts = attempts + 1, "updatedAt" = now()
        FROM wanted w
        WHERE d.id = w.id AND d.channel = w.channel::"Channel"
          AND ((d.status IN ('QUEUED', 'RETRYING') AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= now()))
               OR (d.status = 'SENDING' AND d."claimedAt" < now() - ${leaseMs} * interval '1 millisecond'))
        RETURNING d.id, d."directiveId", d."personId", d.channel, d."externalChatId", d.attempts
      )
      SELECT c.id, c."directiveId", c."personId", c.channel::text AS channel, c."externalChatId", c.attempts, NULL::float8 AS "waitMs"
      FROM claimed c
      UNION ALL
      SELECT d.id, d."directiveId", d."personId", d.channel::text, d."externalChatId", d.attempts,
             (EXTRACT(EPOCH FROM (d."nextAttemptAt" - now())) * 1000)::float8 AS "waitMs"
      FROM "Delivery" d JOIN wanted w ON d.id = w.id AND d.channel = w.channel::"Channel"
      WHERE d.status IN ('QUEUED', 'RETRYING') AND d."nextAttemptAt" > now()`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    // The same id twice in one batch (duplicate jobs): only the first caller gets the claim.
    return items.map((item): ClaimResult => {
      const row = byId.get(item.id);
      if (!row || row.channel !== item.channel) return { kind: "busy" };
      if (row.waitMs !== null) return { kind: "not_due", waitMs: Math.max(1, Math.ceil(row.waitMs)) };
      byId.delete(item.id);
      const { waitMs: _, ...claimed } = row;
      return { kind: "claimed", row: claimed };
    });
  });

  const sent = createBatcher<{ id: number } & SentMessage, void>(async (items) => {
    // The row and its attempt in one statement: one round trip per batch, as before attempts existed.
    await db.$executeRaw`
      WITH v AS (
        SELECT * FROM unnest(${items.map((i) => i.id)}::int[], ${items.map((i) => i.messageId)}::text[], ${items.map((i) => i.messageKind)}::text[],
                             ${items.map((i) => i.billable)}::boolean[]) AS v(id, mid, kind, billable)
      ),
      done AS (
        UPDATE "Delivery" AS d SET status = 'SENT', "platformMessageId" = v.mid, "sentAt" = now(), "claimedAt" = NULL,
               "lastError" = NULL, "nextAttemptAt" = NULL, "updatedAt" = now()
        FROM v
        WHERE d.id = v.id AND d.status = 'SENDING'
        RETURNING d.id, d.channel, d."externalChatId", v.mid, v.kind, v.billable
      )
      INSERT INTO "DeliveryAttempt" ("deliveryId", channel, status, "messageKind", billable, "platformMessageId", "externalChatId")
      SELECT id, channel, 'SENT', kind::"MessageKind", billable, mid, "externalChatId" FROM done`;
    return items.map(() => undefined);
  });

  return {
    claim: (id, channel) => claims.run({ id, channel }),
    markSent: (id, message) => sent.run({ id, ...message }),
  };
}
