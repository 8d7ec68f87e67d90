import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type ChatPerson = { personId: number; name: string; orgName: string };

/** The person linked to a chat on `channel`, with their organisation's name, or null. */
export async function findChatPerson(db: Prisma.TransactionClient, channel: ChannelKind, externalId: string): Promise<ChatPerson | null> {
  const identity = await db.chatIdentity.findUnique({
    where: { channel_externalId: { channel, externalId } },
    select: { person: { select: { id: true, name: true, organization: { select: { name: true } } } } },
  });
  if (!identity) return null;
  return { personId: identity.person.id, name: identity.person.name, orgName: identity.person.organization.name };
}
