import type { Db } from "../../db/prisma.ts";
import { channelRank } from "../../db/channel-order-sql.ts";
import type { ChannelKind, MessageKind } from "../../domain/channel.ts";
import type { DeliveryJob } from "../../jobs/delivery-queue.ts";

export type FallOverOptions = {
  deliveryId: number;
  personId: number;
  /** The channel that just failed for good. */
  channel: ChannelKind;
  externalChatId: string | null;
  /** UNREACHABLE: the person cannot be reached on this channel; FAILED: the channel gave up. */
  status: "UNREACHABLE" | "FAILED";
  error: string;
  messageKind: MessageKind | null;
  /** The platform said the person blocked us: recorded on their chat. */
  blocked: boolean;
  /** Channels a delivery may move to (those this worker process can send on). */
  candidates: readonly ChannelKind[];
};

/** The delivery moved on to `next` (queued there), or ended with `status` (no channel left). */
export type FallOverResult = { kind: "next"; next: DeliveryJob } | { kind: "final"; status: "UNREACHABLE" | "FAILED" };

/**
 * Records a permanent failure on one channel as an attempt and moves the delivery to the next
 * channel of the person's order that is linked, can be sent on, and has not failed this delivery
 * yet (QUEUED there, its try count starting again); with none left, the delivery ends with
 * `status`. One transaction: the attempt, the chat's block and the move commit together, so a crash
 * leaves either the claim (taken over after the lease) or a QUEUED row the sweep enqueues.
 */
export async function fallOverDelivery(db: Db, o: FallOverOptions): Promise<FallOverResult> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "DeliveryAttempt" ("deliveryId", channel, status, error, "messageKind", "externalChatId")
      VALUES (${o.deliveryId}, ${o.channel}::"Channel", ${o.status}::"DeliveryAttemptStatus", ${o.error}, ${o.messageKind}::"MessageKind", ${o.externalChatId})`;
    if (o.blocked && o.externalChatId) {
      await tx.$executeRaw`UPDATE "ChatIdentity" SET "blockedAt" = now(), "updatedAt" = now() WHERE channel = ${o.channel}::"Channel" AND "externalId" = ${o.externalChatId}`;
    }
    const next = await tx.$queryRaw<{ channel: ChannelKind; externalId: string }[]>`
      SELECT ci.channel::text AS channel, ci."externalId"
      FROM "ChatIdentity" ci JOIN "Person" p ON p.id = ci."personId"
      WHERE ci."personId" = ${o.personId} AND ci.channel::text = ANY(${[...o.candidates]}::text[]) AND ci.channel <> ${o.channel}::"Channel"
        AND NOT EXISTS (SELECT 1 FROM "DeliveryAttempt" a WHERE a."deliveryId" = ${o.deliveryId} AND a.channel = ci.channel AND a.status IN ('FAILED', 'UNREACHABLE'))
      ORDER BY ${channelRank("p", "ci")}
      LIMIT 1`;
    const to = next[0];
    if (to) {
      await tx.$executeRaw`
        UPDATE "Delivery" SET channel = ${to.channel}::"Channel", "externalChatId" = ${to.externalId}, status = 'QUEUED', attempts = 0, "claimedAt" = NULL,
               "nextAttemptAt" = NULL, "platformMessageId" = NULL, "lastError" = ${o.error}, "updatedAt" = now()
        WHERE id = ${o.deliveryId}`;
      return { kind: "next", next: { deliveryId: o.deliveryId, channel: to.channel } };
    }
    await tx.$executeRaw`
      UPDATE "Delivery" SET status = ${o.status}::"DeliveryStatus", "claimedAt" = NULL, "lastError" = ${o.error}, "updatedAt" = now() WHERE id = ${o.deliveryId}`;
    return { kind: "final", status: o.status };
  });
}
