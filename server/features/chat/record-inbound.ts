import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import type { ReplyIntent } from "../../domain/reply-intent.ts";

/**
 * Keeps a reply that acknowledged nothing — "not received", a question, anything unclear — for the
 * officer, attached to the directive it most likely answers.
 */
export async function recordInbound(
  db: Db,
  o: { channel: ChannelKind; externalChatId: string; personId: number | null; directiveId: number | null; text: string; intent: ReplyIntent },
): Promise<void> {
  await db.inboundMessage.create({
    data: { channel: o.channel, externalChatId: o.externalChatId, personId: o.personId, directiveId: o.directiveId, text: o.text.slice(0, 4096), intent: o.intent },
  });
}

/** The directive a reply most likely answers: the newest pending one, else the newest delivered. */
export async function latestDirectiveFor(db: Db, personId: number): Promise<number | null> {
  const d = await db.delivery.findFirst({
    where: { personId, status: { in: ["SENT", "SENDING"] }, directive: { status: "PUBLISHED" } },
    orderBy: [{ sentAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    select: { directiveId: true },
  });
  return d?.directiveId ?? null;
}
