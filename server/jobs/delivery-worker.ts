/**
 * The delivery worker: takes `delivery.send` jobs and runs {@link sendDelivery}, under a global rate
 * limit shared by every worker process (BullMQ's limiter lives in the queue's datastore).
 */
import type { Queue, Worker } from "bullmq";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import type { ChannelRegistry } from "../domain/channel.ts";
import { createDeliveryRows } from "../features/deliveries/delivery-rows.ts";
import { DirectiveContentCache } from "../features/deliveries/load-outbound.ts";
import { sendDelivery } from "../features/deliveries/send-delivery.ts";
import { DELIVERY_JOB_OPTIONS, DELIVERY_QUEUE, deliveryJobId, type DeliveryJobData } from "./queues.ts";
import type { QueueKit } from "./queue-kit.ts";
import { limiterFor } from "./rate-limit.ts";

export type DeliveryWorkerOptions = {
  kit: QueueKit;
  db: Db;
  /** Producer for follow-up attempts. */
  queue: Queue;
  registry: ChannelRegistry;
  logger: Logger;
  /** Messages per second across all workers; 0 = no limit of ours. */
  ratePerSecond: number;
  leaseMs: number;
  concurrency?: number;
};

/** Starts a worker on the delivery queue. */
export function createDeliveryWorker({ kit, db, queue, registry, logger, ratePerSecond, leaseMs, concurrency = 50 }: DeliveryWorkerOptions): Worker {
  const content = new DirectiveContentCache(db);
  const rows = createDeliveryRows(db, leaseMs);
  const log = logger.child({ module: "delivery-worker" });
  const limiter = limiterFor(ratePerSecond);
  const worker: Worker = kit.createWorker(
    DELIVERY_QUEUE,
    async (job) => {
      const { deliveryId } = job.data as DeliveryJobData;
      const outcome = await sendDelivery(db, { deliveryId, registry, content, rows });
      if (outcome.kind === "retry") {
        if (outcome.retryAfterMs !== undefined) {
          // Telegram's limit is per bot, so the whole queue waits, then this job runs again.
          await worker.rateLimit(outcome.retryAfterMs);
          throw kit.RateLimitError();
        }
        if (outcome.followUp) {
          const { attempt, delayMs } = outcome.followUp;
          await queue.add(job.name, job.data, { jobId: deliveryJobId(deliveryId, attempt), delay: delayMs, ...DELIVERY_JOB_OPTIONS });
        }
      }
      if (outcome.kind !== "sent" && outcome.kind !== "skipped") log.info({ deliveryId, jobId: job.id, outcome }, "delivery not sent");
      return outcome.kind;
    },
    { concurrency, ...(limiter ? { limiter } : {}), lockDuration: Math.max(30_000, leaseMs / 2) },
  );
  worker.on("error", (err) => log.error({ err }, "worker error"));
  return worker;
}
