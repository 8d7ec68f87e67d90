import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Forgets that a chat blocked us. A 403 from the platform marks the chat blocked; a message or a
 * button press from that chat proves it is reachable again. One conditional UPDATE, a no-op for the
 * usual unblocked chat.
 */
export async function clearChatBlock(db: Prisma.TransactionClient, channel: ChannelKind, externalId: string): Promise<boolean> {
  const { count } = await db.chatIdentity.updateMany({ where: { channel, externalId, blockedAt: { not: null } }, data: { blockedAt: null } });
  return count > 0;
}
