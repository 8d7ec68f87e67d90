import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * How long a processed update is remembered. Telegram keeps an undelivered update at most 24 hours,
 * so nothing older can come back; a week leaves room for clocks and outages.
 */
export const PROCESSED_UPDATE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Forgets processed updates of `channel` older than `ttlMs`, so the dedupe table stays the size of
 * a week's traffic. Returns how many rows went.
 */
export async function pruneProcessedUpdates(db: Db, channel: ChannelKind, o: { now?: Date; ttlMs?: number } = {}): Promise<number> {
  const before = new Date((o.now ?? new Date()).getTime() - (o.ttlMs ?? PROCESSED_UPDATE_TTL_MS));
  const { count } = await db.inboxEvent.deleteMany({ where: { channel, createdAt: { lt: before } } });
  return count;
}
