import type { Db } from "../../db/prisma.ts";
import type { DeliveryQueue } from "../../jobs/delivery-queue.ts";
import { findStrandedDeliveries, type StrandedOptions } from "./find-stranded-deliveries.ts";

/**
 * The database is the truth: re-enqueues every delivery that should be moving but that the queue may
 * have lost (Redis without persistence, a crash between commit and enqueue, a worker killed mid-send).
 * Returns how many were re-enqueued.
 */
export async function sweepDeliveries(db: Db, queue: DeliveryQueue, options: StrandedOptions): Promise<number> {
  const ids = await findStrandedDeliveries(db, options);
  if (ids.length) await queue.enqueue(ids);
  return ids.length;
}
