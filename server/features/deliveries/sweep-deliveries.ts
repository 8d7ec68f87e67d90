import type { Db } from "../../db/prisma.ts";
import type { SweepQueue } from "../../jobs/delivery-queue.ts";
import { findStrandedDeliveries, type StrandedOptions } from "./find-stranded-deliveries.ts";

/**
 * The database is the truth: re-enqueues every delivery that should be moving but that the queue may
 * have lost (Redis without persistence, a crash between commit and enqueue), and takes over the
 * claims of workers that died mid-send. Returns how many were enqueued.
 */
export async function sweepDeliveries(db: Db, queue: SweepQueue, options: StrandedOptions): Promise<number> {
  const { lost, abandoned } = await findStrandedDeliveries(db, options);
  if (lost.length) await queue.enqueue(lost);
  if (abandoned.length) await queue.takeOver(abandoned);
  return lost.length + abandoned.length;
}
