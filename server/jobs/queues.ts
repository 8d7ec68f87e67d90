/** Queue names, job names and the producer side of the delivery queue. */
import type { Queue } from "bullmq";
import type { DeliveryQueue } from "./delivery-queue.ts";
import type { QueueKit } from "./queue-kit.ts";

export const DELIVERY_QUEUE = "deliveries";
export const MAINTENANCE_QUEUE = "maintenance";
export const JOB_DELIVERY_SEND = "delivery.send";
export const JOB_DELIVERY_SWEEP = "delivery.sweep";

export type DeliveryJobData = { deliveryId: number };

/**
 * Job id of a delivery's first send. BullMQ ignores an add whose id exists, so the sweep can
 * re-add a delivery without doubling a job that is still waiting. (Ids must not contain ":".)
 */
export const deliveryJobId = (deliveryId: number, attempt?: number) => (attempt ? `d-${deliveryId}-a${attempt}` : `d-${deliveryId}`);

/** Jobs leave the queue when done: the Delivery row keeps the history, and a re-add must not be blocked by an old id. */
export const DELIVERY_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/** The producer used by publishing and by the sweep. */
export function createDeliveryQueue(queue: Queue): DeliveryQueue {
  return {
    async enqueue(ids) {
      for (let i = 0; i < ids.length; i += 1000) {
        await queue.addBulk(
          ids.slice(i, i + 1000).map((deliveryId) => ({
            name: JOB_DELIVERY_SEND,
            data: { deliveryId } satisfies DeliveryJobData,
            opts: { jobId: deliveryJobId(deliveryId), ...DELIVERY_JOB_OPTIONS },
          })),
        );
      }
    },
  };
}

/** Opens the queues this deployment uses. */
export function openQueues(kit: QueueKit) {
  const deliveries = kit.createQueue(DELIVERY_QUEUE);
  const maintenance = kit.createQueue(MAINTENANCE_QUEUE);
  return { deliveries, maintenance, close: () => Promise.all([deliveries.close(), maintenance.close()]).then(() => {}) };
}
