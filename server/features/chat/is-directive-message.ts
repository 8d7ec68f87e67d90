import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * True when `messageId` is the message that carried `directiveId` to `personId` on `channel` — the
 * one its delivery recorded as holding the acknowledge button — and not some other message with the
 * same button (a list the bot made).
 */
export async function isDirectiveMessage(db: Prisma.TransactionClient, o: { directiveId: number; personId: number; channel: ChannelKind; messageId: string }): Promise<boolean> {
  const delivery = await db.delivery.findFirst({
    where: { directiveId: o.directiveId, personId: o.personId, channel: o.channel, platformMessageId: o.messageId },
    select: { id: true },
  });
  return delivery !== null;
}
