import type { Db } from "../../db/prisma.ts";
import type { ChannelKind, OutboundDirective } from "../../domain/channel.ts";

/**
 * The recipient of a delivery as a channel that asks for it sees them (see
 * {@link ChannelAdapter.wantsRecipient}): name and phone for a template message, and the last
 * interaction on that channel (Zalo OA's window). One indexed read; channels that do not ask skip it,
 * so the claim every send passes stays as lean as before.
 */
export async function findRecipient(db: Db, personId: number, channel: ChannelKind): Promise<NonNullable<OutboundDirective["recipient"]>> {
  const rows = await db.$queryRaw<{ name: string; phone: string | null; lastInteractionAt: Date | null }[]>`
    SELECT p.name, p.phone, ci."lastInteractionAt"
    FROM "Person" p LEFT JOIN "ChatIdentity" ci ON ci."personId" = p.id AND ci.channel = ${channel}::"Channel"
    WHERE p.id = ${personId}`;
  return rows[0] ?? { name: "", phone: null, lastInteractionAt: null };
}
