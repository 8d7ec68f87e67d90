import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * True when `messageId` is the message that carried `directiveId` to `personId` on `channel` — one
 * the delivery's attempts recorded as holding the acknowledge button — and not some other message
 * with the same button (a list the bot made).
 */
export async function isDirectiveMessage(db: Prisma.TransactionClient, o: { directiveId: number; personId: number; channel: ChannelKind; messageId: string }): Promise<boolean> {
  const found = await db.deliveryAttempt.findFirst({
    where: { channel: o.channel, platformMessageId: o.messageId, status: "SENT", delivery: { directiveId: o.directiveId, personId: o.personId } },
    select: { id: true },
  });
  return found !== null;
}
