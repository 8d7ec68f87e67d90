import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type LinkResult =
  | { kind: "linked"; personId: number; name: string; orgName: string }
  | { kind: "already_linked"; name: string; orgName: string }
  | { kind: "unknown" | "used" | "expired" };

/**
 * Links a chat to the person a single-use link code belongs to. The code is consumed by one
 * conditional UPDATE, so of two chats racing with one code exactly one wins. The person's previous
 * chat on this channel, and whoever this chat belonged to before, are unlinked in the same transaction.
 */
export async function linkChat(db: Db, o: { channel: ChannelKind; externalId: string; code: string; displayName?: string | null }): Promise<LinkResult> {
  const code = o.code.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return { kind: "unknown" };
  const linked = await db.$transaction(async (tx) => {
    const used = await tx.$queryRaw<{ personId: number }[]>`
      UPDATE "LinkCode" SET "usedAt" = now(), "usedChannel" = ${o.channel}::"Channel", "usedExternalId" = ${o.externalId}, "updatedAt" = now()
      WHERE code = ${code} AND "usedAt" IS NULL AND "expiresAt" > now()
      RETURNING "personId"`;
    const personId = used[0]?.personId;
    if (personId === undefined) return null;
    await tx.chatIdentity.deleteMany({ where: { channel: o.channel, OR: [{ externalId: o.externalId }, { personId }] } });
    await tx.chatIdentity.create({ data: { personId, channel: o.channel, externalId: o.externalId, displayName: o.displayName ?? null } });
    return tx.person.findUniqueOrThrow({ where: { id: personId }, select: { id: true, name: true, organization: { select: { name: true } } } });
  });
  if (linked) return { kind: "linked", personId: linked.id, name: linked.name, orgName: linked.organization.name };

  const row = await db.linkCode.findUnique({ where: { code }, select: { usedAt: true, usedChannel: true, usedExternalId: true, expiresAt: true, person: { select: { name: true, organization: { select: { name: true } } } } } });
  if (!row) return { kind: "unknown" };
  // Pressing the same link twice from the chat it linked is not an error worth alarming anyone.
  if (row.usedAt && row.usedChannel === o.channel && row.usedExternalId === o.externalId) return { kind: "already_linked", name: row.person.name, orgName: row.person.organization.name };
  if (row.usedAt) return { kind: "used" };
  return { kind: "expired" };
}
