/**
 * Maintenance jobs: the delivery sweep runs on a BullMQ job scheduler, so with several worker
 * processes it still runs once per interval.
 */
import type { Queue, Worker } from "bullmq";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import { sweepDeliveries } from "../features/deliveries/sweep-deliveries.ts";
import type { DeliveryQueue } from "./delivery-queue.ts";
import { JOB_DELIVERY_SWEEP, MAINTENANCE_QUEUE } from "./queues.ts";
import type { QueueKit } from "./queue-kit.ts";

export type SweepWorkerOptions = {
  kit: QueueKit;
  db: Db;
  maintenance: Queue;
  deliveries: DeliveryQueue;
  logger: Logger;
  intervalMs: number;
  leaseMs: number;
};

/** Schedules the sweep every `intervalMs` and starts the worker that runs it. */
export async function startSweepWorker({ kit, db, maintenance, deliveries, logger, intervalMs, leaseMs }: SweepWorkerOptions): Promise<Worker> {
  const log = logger.child({ module: "sweep" });
  await maintenance.upsertJobScheduler(JOB_DELIVERY_SWEEP, { every: intervalMs }, { name: JOB_DELIVERY_SWEEP, opts: { removeOnComplete: true, removeOnFail: 100 } });
  const worker = kit.createWorker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name !== JOB_DELIVERY_SWEEP) return 0;
      // Grace of one interval: rows that a healthy worker will reach soon are left alone.
      const count = await sweepDeliveries(db, deliveries, { graceMs: intervalMs, leaseMs });
      if (count) log.info({ count }, "re-enqueued stranded deliveries");
      return count;
    },
    { concurrency: 1 },
  );
  worker.on("error", (err) => log.error({ err }, "sweep worker error"));
  return worker;
}
