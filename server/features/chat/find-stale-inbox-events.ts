import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type StaleInboxEvent = { key: string; event: unknown; context: unknown };

/**
 * Events of `channel` that an attempt left unfinished and whose lease has passed: never processed
 * (RECEIVED), or processed but never answered. Oldest first; the caller claims each one again.
 */
export async function findStaleInboxEvents(db: Db, channel: ChannelKind, limit = 100): Promise<StaleInboxEvent[]> {
  return db.$queryRaw<StaleInboxEvent[]>`
    SELECT "updateKey" AS key, event, context FROM "ProcessedUpdate"
    WHERE channel = ${channel}::"Channel" AND "leaseUntil" <= now() AND event IS NOT NULL
      AND (status = 'RECEIVED' OR (status = 'DONE' AND "repliedAt" IS NULL))
    ORDER BY id LIMIT ${limit}`;
}
