import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * True when `messageId` is the message that carried `directiveId` to `personId` on `channel` — the
 * one its delivery recorded as holding the acknowledge button, or one of its sent attempts (a
 * delivery whose rows were merged when deliveries became one per principal) — and not some other
 * message with the same button (a list the bot made).
 */
export async function isDirectiveMessage(db: Prisma.TransactionClient, o: { directiveId: number; personId: number; channel: ChannelKind; messageId: string }): Promise<boolean> {
  const rows = await db.$queryRaw<{ ok: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Delivery" d
      WHERE d."directiveId" = ${o.directiveId} AND d."personId" = ${o.personId}
        AND ((d.channel = ${o.channel}::"Channel" AND d."platformMessageId" = ${o.messageId})
             OR EXISTS (SELECT 1 FROM "DeliveryAttempt" a
                        WHERE a."deliveryId" = d.id AND a.channel = ${o.channel}::"Channel" AND a."platformMessageId" = ${o.messageId} AND a.status = 'SENT'))
    ) AS ok`;
  return rows[0]?.ok === true;
}
