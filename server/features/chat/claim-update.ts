import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Marks a platform update as processed; false when it already was. Telegram resends webhook updates
 * that were not answered in time, and a restart can replay long-polling updates: each runs once.
 */
export async function claimUpdate(db: Db, channel: ChannelKind, updateKey: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "ProcessedUpdate" (channel, "updateKey") VALUES (${channel}::"Channel", ${updateKey})
    ON CONFLICT (channel, "updateKey") DO NOTHING RETURNING id`;
  return rows.length === 1;
}
