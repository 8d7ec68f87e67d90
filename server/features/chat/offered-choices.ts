/**
 * The last choices the bot offered in a chat, kept on its ChatIdentity so that a reply of "1" or
 * "số 2" can be read as picking one (platforms without buttons show choices as numbered lines; on
 * the others a typed number works too). Written in the inbox event's transaction with the replies
 * that offered them, so a replayed event offers, and records, the same list once.
 */
import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/** One offered choice, as shown: its label and the payload picking it stands for. */
export type OfferedChoice = { label: string; payload: string };

type Where = { channel: ChannelKind; externalChatId: string };

/** Remembers `choices` (in the order shown) as the chat's open list; a chat not linked to anyone keeps nothing. */
export async function rememberOfferedChoices(
  db: Prisma.TransactionClient,
  { channel, externalChatId, choices, at }: Where & { choices: OfferedChoice[]; at: Date },
): Promise<void> {
  const kept = choices.map(({ label, payload }) => ({ label, payload }));
  await db.chatIdentity.updateMany({ where: { channel, externalId: externalChatId }, data: { offeredChoices: kept, choicesOfferedAt: at } });
}

/** The chat's open list when it was offered at `since` or later; null when there is none. */
export async function findOfferedChoices(db: Prisma.TransactionClient, { channel, externalChatId, since }: Where & { since: Date }): Promise<OfferedChoice[] | null> {
  const row = await db.chatIdentity.findUnique({
    where: { channel_externalId: { channel, externalId: externalChatId } },
    select: { offeredChoices: true, choicesOfferedAt: true },
  });
  if (!row?.choicesOfferedAt || row.choicesOfferedAt < since || !Array.isArray(row.offeredChoices)) return null;
  const choices = row.offeredChoices.filter(
    (c): c is OfferedChoice => typeof c === "object" && c !== null && typeof (c as OfferedChoice).label === "string" && typeof (c as OfferedChoice).payload === "string",
  );
  return choices.length ? choices : null;
}
