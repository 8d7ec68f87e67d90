import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type ChatPerson = { personId: number; name: string; orgName: string };

/**
 * The person linked to a chat, or null. A chat that writes to us is reachable again, so a block
 * recorded from an earlier 403 is cleared on the way.
 */
export async function findChatPerson(db: Db, channel: ChannelKind, externalId: string): Promise<ChatPerson | null> {
  const identity = await db.chatIdentity.findUnique({
    where: { channel_externalId: { channel, externalId } },
    select: { id: true, blockedAt: true, person: { select: { id: true, name: true, organization: { select: { name: true } } } } },
  });
  if (!identity) return null;
  if (identity.blockedAt) await db.chatIdentity.update({ where: { id: identity.id }, data: { blockedAt: null } });
  return { personId: identity.person.id, name: identity.person.name, orgName: identity.person.organization.name };
}
