import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import type { ReplyIntent } from "../../domain/reply-intent.ts";
import { findPendingDirectives } from "./find-pending-directives.ts";

/** Longest text kept; Telegram's own limit, so a real message is never cut. */
const MAX_TEXT = 4096;

/**
 * Keeps a reply that acknowledged nothing — "not received", a question, anything unclear — for the
 * officer, attached to the directive it most likely answers.
 */
export async function recordInbound(
  db: Prisma.TransactionClient,
  o: { channel: ChannelKind; externalChatId: string; personId: number | null; directiveId: number | null; text: string; intent: ReplyIntent },
): Promise<void> {
  await db.inboundMessage.create({
    data: { channel: o.channel, externalChatId: o.externalChatId, personId: o.personId, directiveId: o.directiveId, text: o.text.slice(0, MAX_TEXT), intent: o.intent },
  });
}

/**
 * The directive a reply most likely answers: the one it names ("#12") when that one reached the
 * person; else the newest still awaiting their acknowledgement (a "not received" is about what they
 * were asked to confirm); else the newest that reached them; else null.
 */
export async function findReplyDirective(db: Prisma.TransactionClient, personId: number, ref?: number): Promise<number | null> {
  const delivered = { personId, status: { in: ["SENT" as const, "SENDING" as const] }, directive: { status: "PUBLISHED" as const } };
  if (ref !== undefined) {
    const named = await db.delivery.findFirst({ where: { ...delivered, directiveId: ref }, select: { directiveId: true } });
    if (named) return named.directiveId;
  }
  const [pending] = await findPendingDirectives(db, personId, 1);
  if (pending) return pending.id;
  const latest = await db.delivery.findFirst({
    where: delivered,
    orderBy: [{ sentAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    select: { directiveId: true },
  });
  return latest?.directiveId ?? null;
}
