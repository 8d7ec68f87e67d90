import type { Db } from "../../db/prisma.ts";
import type { SweepQueue } from "../../jobs/delivery-queue.ts";
import { findStrandedDeliveries, type StrandedOptions } from "./find-stranded-deliveries.ts";

/**
 * The database is the truth: takes over the claims of workers that died mid-send, and re-enqueues
 * every delivery that should be moving but that the queue has lost (Redis without persistence, a
 * crash between commit and enqueue). Returns how many were enqueued.
 */
export async function sweepDeliveries(db: Db, queue: SweepQueue, options: StrandedOptions): Promise<number> {
  const { lost, abandoned } = await findStrandedDeliveries(db, options);
  // First: a dead worker's deliveries are late already, and there are few of them.
  if (abandoned.length) await queue.takeOver(abandoned);
  // A long broadcast's backlog waits in the queue past any grace: re-adding all of it every interval
  // (a no-op per job, but thousands of them) slowed the very sweep that recovery waits for.
  const queued = lost.length ? await queue.queuedDeliveryIds() : new Set<number>();
  const missing = lost.filter((job) => !queued.has(job.deliveryId));
  if (missing.length) await queue.enqueue(missing);
  return abandoned.length + missing.length;
}
