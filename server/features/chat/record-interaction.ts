import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import { INTERACTION_PRECISION_MS } from "../../domain/interaction-window.ts";

/**
 * Records that the person behind this chat interacted with us at `at` (wrote, pressed a button,
 * followed): on the Zalo OA this opens the 7-day window for consultation messages. One conditional
 * UPDATE, a no-op while the recorded time is less than {@link INTERACTION_PRECISION_MS} old (writing
 * at every message would add a row write to every acknowledgement); a chat not linked yet has no row.
 */
export async function recordInteraction(db: Prisma.TransactionClient, channel: ChannelKind, externalId: string, at: Date): Promise<void> {
  const before = new Date(at.getTime() - INTERACTION_PRECISION_MS);
  await db.chatIdentity.updateMany({
    where: { channel, externalId, OR: [{ lastInteractionAt: null }, { lastInteractionAt: { lt: before } }] },
    data: { lastInteractionAt: at },
  });
}

/**
 * {@link recordInteraction} for a batch of events (the webhook's batched presses): one conditional
 * UPDATE per channel, stamping the batch's latest time (the stamp is kept to the hour anyway).
 */
export async function recordInteractions(db: Prisma.TransactionClient, events: readonly { channel: ChannelKind; externalId: string; at: Date }[]): Promise<void> {
  const byChannel = new Map<ChannelKind, { ids: Set<string>; at: Date }>();
  for (const e of events) {
    const g = byChannel.get(e.channel) ?? { ids: new Set<string>(), at: e.at };
    g.ids.add(e.externalId);
    if (e.at > g.at) g.at = e.at;
    byChannel.set(e.channel, g);
  }
  for (const [channel, { ids, at }] of byChannel) {
    const before = new Date(at.getTime() - INTERACTION_PRECISION_MS);
    await db.chatIdentity.updateMany({
      where: { channel, externalId: { in: [...ids] }, OR: [{ lastInteractionAt: null }, { lastInteractionAt: { lt: before } }] },
      data: { lastInteractionAt: at },
    });
  }
}
