/** Queue names, job names and the producer side of the delivery queue. */
import type { Queue } from "bullmq";
import type { SweepQueue } from "./delivery-queue.ts";
import type { QueueKit } from "./queue-kit.ts";

export const DELIVERY_QUEUE = "deliveries";
export const JOB_DELIVERY_SEND = "delivery.send";

export type DeliveryJobData = { deliveryId: number };

/**
 * Job id of a delivery's first send. BullMQ ignores an add whose id exists, so the sweep can
 * re-add a delivery without doubling a job that is still waiting. (Ids must not contain ":".)
 */
export const deliveryJobId = (deliveryId: number, attempt?: number) => (attempt ? `d-${deliveryId}-a${attempt}` : `d-${deliveryId}`);

/**
 * Job id that takes over the claim a dead worker made at `claimedAtMs`: new for every claim, so it
 * is never the dead worker's still-"active" job, and the same for every sweep that sees that claim.
 */
export const takeoverJobId = (deliveryId: number, claimedAtMs: number) => `d-${deliveryId}-c${claimedAtMs}`;

/** Jobs leave the queue when done: the Delivery row keeps the history, and a re-add must not be blocked by an old id. */
export const DELIVERY_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/** The producer used by publishing and by the sweep. */
export function createDeliveryQueue(queue: Queue): SweepQueue {
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
    async queuedDeliveryIds() {
      // Ids only, in one read: every job id of a delivery starts with d-<deliveryId>.
      const jobIds = await queue.getRanges(["wait", "active", "delayed", "prioritized", "waiting-children"], 0, -1);
      const ids = new Set<number>();
      for (const jobId of jobIds) {
        const m = /^d-(\d+)(?:-|$)/.exec(jobId);
        if (m) ids.add(Number(m[1]));
      }
      return ids;
    },
    async takeOver(claims) {
      for (let i = 0; i < claims.length; i += 1000) {
        await queue.addBulk(
          claims.slice(i, i + 1000).map(({ deliveryId, claimedAtMs }) => ({
            name: JOB_DELIVERY_SEND,
            data: { deliveryId } satisfies DeliveryJobData,
            opts: { jobId: takeoverJobId(deliveryId, claimedAtMs), lifo: true, ...DELIVERY_JOB_OPTIONS },
          })),
        );
      }
    },
  };
}

/** Opens the queues this deployment uses. */
export function openQueues(kit: QueueKit) {
  const deliveries = kit.createQueue(DELIVERY_QUEUE);
  return { deliveries, close: () => deliveries.close() };
}
