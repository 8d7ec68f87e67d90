import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Records that a chat blocked us, as the platform told us (Telegram's my_chat_member "kicked"),
 * before any send has to find out by a 403. A block already recorded keeps its first time.
 */
export async function markChatBlocked(db: Prisma.TransactionClient, channel: ChannelKind, externalId: string, at: Date = new Date()): Promise<boolean> {
  const { count } = await db.chatIdentity.updateMany({ where: { channel, externalId, blockedAt: null }, data: { blockedAt: at } });
  return count > 0;
}
