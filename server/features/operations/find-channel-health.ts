import type { Db } from "../../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind } from "../../domain/channel.ts";

export type ChannelHealth = {
  kind: ChannelKind;
  enabled: boolean;
  /** The last event the platform sent us (webhook or polling), from the inbox. */
  lastInboundAt: Date | null;
  /** Deliveries whose last send met a 429 (their kept error names it), changed within the last hour. */
  rateLimitedLastHour: number;
  /** Deliveries by status, changed within the last hour. */
  lastHour: Record<string, number>;
  /** Inbox events the sweep gave up on (kept for an administrator). */
  failedInbound: number;
};

export type ZaloOaTokenState = { oaId: string; accessExpiresAt: Date | null; rotatedAt: Date | null; rotations: number; needsAdminAt: Date | null; lastError: string | null };

/**
 * The channels' health for administrators: per channel its last inbound event, what the last hour
 * of deliveries did (429s included), inbox events given up on; and the Zalo OA token pair's state.
 */
export async function findChannelHealth(db: Db, enabled: readonly ChannelKind[]): Promise<{ channels: ChannelHealth[]; zaloOaTokens: ZaloOaTokenState[] }> {
  const [inbound, failed, deliveries, limited, tokens] = await Promise.all([
    db.inboxEvent.groupBy({ by: ["channel"], _max: { createdAt: true } }),
    db.inboxEvent.groupBy({ by: ["channel"], where: { status: "FAILED" }, _count: { _all: true } }),
    db.$queryRaw<{ channel: string; status: string; n: bigint }[]>`
      SELECT channel::text AS channel, status::text AS status, count(*) AS n FROM "Delivery" WHERE "updatedAt" > now() - interval '1 hour' GROUP BY 1, 2`,
    db.$queryRaw<{ channel: string; n: bigint }[]>`
      SELECT channel::text AS channel, count(*) AS n FROM "Delivery" WHERE "updatedAt" > now() - interval '1 hour' AND "lastError" ~ '(^|[^0-9])429([^0-9]|$)' GROUP BY 1`,
    db.zaloOaToken.findMany({ select: { oaId: true, accessExpiresAt: true, rotatedAt: true, rotations: true, needsAdminAt: true, lastError: true } }),
  ]);
  const channels = CHANNEL_KINDS.map((kind) => ({
    kind,
    enabled: enabled.includes(kind),
    lastInboundAt: inbound.find((r) => r.channel === kind)?._max.createdAt ?? null,
    rateLimitedLastHour: Number(limited.find((r) => r.channel === kind)?.n ?? 0),
    lastHour: Object.fromEntries(deliveries.filter((r) => r.channel === kind).map((r) => [r.status.toLowerCase(), Number(r.n)])),
    failedInbound: failed.find((r) => r.channel === kind)?._count._all ?? 0,
  }));
  return { channels, zaloOaTokens: tokens };
}
