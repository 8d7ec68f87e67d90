import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Records a platform's receipt for our message `messageId` sent to `externalChatId`: "delivered"
 * stamps deliveredAt, "seen" stamps seenAt (and deliveredAt, since a message read was received).
 * The first report stays; a repeated or late one changes nothing. A message that is not a
 * directive's (a reply, a file, an earlier part) matches no delivery and is ignored.
 * @returns how many deliveries were stamped (0 or 1)
 */
export async function recordReceipt(
  tx: Prisma.TransactionClient,
  r: { channel: ChannelKind; externalChatId: string; messageId: string; kind: "delivered" | "seen"; at: Date },
): Promise<number> {
  const seen = r.kind === "seen";
  return tx.$executeRaw`
    UPDATE "Delivery" SET "deliveredAt" = COALESCE("deliveredAt", ${r.at}),
           "seenAt" = CASE WHEN ${seen} THEN COALESCE("seenAt", ${r.at}) ELSE "seenAt" END
    WHERE channel = ${r.channel}::"Channel" AND "platformMessageId" = ${r.messageId} AND "externalChatId" = ${r.externalChatId}
      AND ("deliveredAt" IS NULL OR (${seen} AND "seenAt" IS NULL))`;
}
