import type { Db, Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type LinkResult =
  | {
      kind: "linked";
      personId: number;
      name: string;
      orgName: string;
      /** The person had another chat on this channel, now unlinked. */
      replacedChat: boolean;
      /** This chat belonged to someone else before (a shared phone handed over). */
      previousPersonId: number | null;
    }
  | { kind: "already_linked"; name: string; orgName: string }
  | { kind: "unknown" | "used" | "expired" };

/** Link codes are deep-link payloads: Telegram allows 1–64 characters of A–Z a–z 0–9 _ -. */
const CODE_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Links a chat to the person a single-use link code belongs to. The code is consumed by one
 * conditional UPDATE, so of two chats racing with one code exactly one wins. In the same
 * transaction the person's previous chat on this channel is unlinked (one chat per person and
 * channel), and so is whoever this chat belonged to before: only a new valid code moves a chat.
 * Concurrent links of one person, or into one chat, are serialised: the last one wins. An unknown,
 * used or expired code changes nothing.
 */
export async function linkChat(db: Db, o: LinkChatOptions): Promise<LinkResult> {
  return db.$transaction((tx) => linkChatIn(tx, o));
}

export type LinkChatOptions = { channel: ChannelKind; externalId: string; code: string; displayName?: string | null };

/** {@link linkChat} inside the caller's transaction (the conversation core commits it with the inbox event). */
export async function linkChatIn(tx: Prisma.TransactionClient, o: LinkChatOptions): Promise<LinkResult> {
  const code = o.code.trim();
  if (!CODE_SHAPE.test(code)) return { kind: "unknown" };
  const linked = await (async () => {
    const used = await tx.$queryRaw<{ personId: number }[]>`
      UPDATE "LinkCode" SET "usedAt" = now(), "usedChannel" = ${o.channel}::"Channel", "usedExternalId" = ${o.externalId}, "updatedAt" = now()
      WHERE code = ${code} AND "usedAt" IS NULL AND "expiresAt" > now()
      RETURNING "personId"`;
    const personId = used[0]?.personId;
    if (personId === undefined) return null;
    // Two links of one person (or into one chat) at once would both delete the old row and then
    // collide on the unique keys; these locks make the second wait and then replace the first.
    // Always the person first, then the chat, so two transactions never wait on each other in a circle.
    await tx.$executeRaw`SELECT 1 FROM "Person" WHERE id = ${personId} FOR UPDATE`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`chat-link:${o.channel}:${o.externalId}`}))`;
    const before = await tx.chatIdentity.findMany({
      where: { channel: o.channel, OR: [{ externalId: o.externalId }, { personId }] },
      select: { personId: true, externalId: true },
    });
    await tx.chatIdentity.deleteMany({ where: { channel: o.channel, OR: [{ externalId: o.externalId }, { personId }] } });
    await tx.chatIdentity.create({ data: { personId, channel: o.channel, externalId: o.externalId, displayName: o.displayName ?? null } });
    const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { id: true, name: true, organization: { select: { name: true } } } });
    return {
      person,
      replacedChat: before.some((b) => b.personId === personId && b.externalId !== o.externalId),
      previousPersonId: before.find((b) => b.externalId === o.externalId && b.personId !== personId)?.personId ?? null,
    };
  })();
  if (linked) {
    const { person, replacedChat, previousPersonId } = linked;
    return { kind: "linked", personId: person.id, name: person.name, orgName: person.organization.name, replacedChat, previousPersonId };
  }

  const row = await tx.linkCode.findUnique({
    where: { code },
    select: { personId: true, usedAt: true, usedChannel: true, usedExternalId: true, person: { select: { name: true, organization: { select: { name: true } } } } },
  });
  if (!row) return { kind: "unknown" };
  if (row.usedAt && row.usedChannel === o.channel && row.usedExternalId === o.externalId) {
    // The same link pressed again from the chat it linked is no error — while that link still holds.
    const current = await tx.chatIdentity.findUnique({ where: { channel_externalId: { channel: o.channel, externalId: o.externalId } }, select: { personId: true } });
    if (current?.personId === row.personId) return { kind: "already_linked", name: row.person.name, orgName: row.person.organization.name };
  }
  if (row.usedAt) return { kind: "used" };
  return { kind: "expired" };
}
