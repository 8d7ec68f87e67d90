import type { Db } from "../../db/prisma.ts";

export type StrandedOptions = {
  /** Rows untouched for this long are assumed lost by the queue. */
  graceMs: number;
  /** A SENDING claim older than this belongs to a dead worker. */
  leaseMs: number;
  limit?: number;
};

/**
 * Deliveries the database says must still be sent but that nothing may be working on: QUEUED or
 * RETRYING rows past their due time plus a grace period, and SENDING rows whose worker's lease
 * expired. The sweep re-enqueues them; the job id makes that harmless when the job still exists.
 */
export async function findStrandedDeliveries(db: Db, { graceMs, leaseMs, limit = 5000 }: StrandedOptions): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Delivery"
    WHERE (status = 'QUEUED' AND "updatedAt" < now() - ${graceMs} * interval '1 millisecond')
       OR (status = 'RETRYING' AND COALESCE("nextAttemptAt", "updatedAt") < now() - ${graceMs} * interval '1 millisecond')
       OR (status = 'SENDING' AND "claimedAt" < now() - ${leaseMs} * interval '1 millisecond')
    ORDER BY id
    LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
