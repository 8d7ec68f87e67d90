import type { Db } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import type { AbandonedClaim, DeliveryJob } from "../../jobs/delivery-queue.ts";

export type StrandedOptions = {
  /** Rows untouched for this long are assumed lost by the queue. */
  graceMs: number;
  /** A SENDING claim older than this belongs to a dead worker. */
  leaseMs: number;
  limit?: number;
};

export type StrandedDeliveries = {
  /** QUEUED or RETRYING rows past their due time plus the grace: the queue may have lost their jobs. */
  lost: DeliveryJob[];
  /** SENDING rows whose worker's lease expired: the worker died (or hung) mid-send. */
  abandoned: AbandonedClaim[];
};

/**
 * Deliveries the database says must still be sent but that nothing may be working on. The sweep
 * re-enqueues them; job ids make that harmless when the job still exists.
 */
export async function findStrandedDeliveries(db: Db, { graceMs, leaseMs, limit = 5000 }: StrandedOptions): Promise<StrandedDeliveries> {
  const rows = await db.$queryRaw<{ id: number; channel: ChannelKind; claimedAtMs: number | null }[]>`
    SELECT id, channel::text AS channel, CASE WHEN status = 'SENDING' THEN floor(EXTRACT(EPOCH FROM "claimedAt") * 1000)::float8 END AS "claimedAtMs"
    FROM "Delivery"
    WHERE (status = 'QUEUED' AND "updatedAt" < now() - ${graceMs} * interval '1 millisecond')
       OR (status = 'RETRYING' AND COALESCE("nextAttemptAt", "updatedAt") < now() - ${graceMs} * interval '1 millisecond')
       OR (status = 'SENDING' AND "claimedAt" < now() - ${leaseMs} * interval '1 millisecond')
    ORDER BY id
    LIMIT ${limit}`;
  const lost: DeliveryJob[] = [];
  const abandoned: AbandonedClaim[] = [];
  for (const r of rows) {
    if (r.claimedAtMs === null) lost.push({ deliveryId: r.id, channel: r.channel });
    else abandoned.push({ deliveryId: r.id, channel: r.channel, claimedAtMs: r.claimedAtMs });
  }
  return { lost, abandoned };
}
