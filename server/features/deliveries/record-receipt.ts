import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Records a platform's receipt for our message `messageId` sent to `externalChatId`: "delivered"
 * stamps deliveredAt, "seen" stamps seenAt (and deliveredAt, since a message read was received).
 * The message is found on the delivery or among its attempts, so a receipt lands on the right
 * delivery whichever channel carried it. The first report stays; a repeated or late one changes nothing. A
 * message that is not a directive's (a reply, a file, an earlier part) matches no delivery and is ignored.
 * @returns how many deliveries were stamped (0 or 1)
 */
export async function recordReceipt(
  tx: Prisma.TransactionClient,
  r: { channel: ChannelKind; externalChatId: string; messageId: string; kind: "delivered" | "seen"; at: Date },
): Promise<number> {
  const seen = r.kind === "seen";
  return tx.$executeRaw`
    UPDATE "Delivery" d SET "deliveredAt" = COALESCE(d."deliveredAt", ${r.at}),
           "seenAt" = CASE WHEN ${seen} THEN COALESCE(d."seenAt", ${r.at}) ELSE d."seenAt" END
    FROM (SELECT a."deliveryId" FROM "DeliveryAttempt" a
          WHERE a.channel = ${r.channel}::"Channel" AND a."platformMessageId" = ${r.messageId} AND a."externalChatId" = ${r.externalChatId} AND a.status = 'SENT'
          UNION
          SELECT x.id FROM "Delivery" x
          WHERE x.channel = ${r.channel}::"Channel" AND x."platformMessageId" = ${r.messageId} AND x."externalChatId" = ${r.externalChatId}) m
    WHERE d.id = m."deliveryId" AND (d."deliveredAt" IS NULL OR (${seen} AND d."seenAt" IS NULL))`;
}
