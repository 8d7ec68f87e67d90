/** Queue names, job names and the producer side of the delivery queues. */
import type { Queue } from "bullmq";
import { CHANNEL_KINDS, type ChannelKind } from "../domain/channel.ts";
import type { DeliveryJob, SweepQueue } from "./delivery-queue.ts";
import type { QueueKit } from "./queue-kit.ts";

/**
 * One delivery queue per channel (`deliveries-telegram`, `deliveries-zalo-oa`, `deliveries-zalo-bot`),
 * each with its own limiter and its own 429 pause: a Telegram flood wait never holds back Zalo.
 */
export const deliveryQueueName = (channel: ChannelKind) => `deliveries-${channel.toLowerCase().replace(/_/g, "-")}`;
export const JOB_DELIVERY_SEND = "delivery.send";

/** A job's data: the delivery and the channel it is to be sent on (the queue's). */
export type DeliveryJobData = DeliveryJob;

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

/** The delivery queues, one per channel. */
export type DeliveryQueues = ReadonlyMap<ChannelKind, Queue>;

/**
 * The producer used by publishing, the sweep and the worker's fallback: each job goes to its
 * channel's queue (job ids are unique within a queue).
 */
export function createDeliveryQueue(queues: DeliveryQueues): SweepQueue {
  const queueOf = (channel: ChannelKind) => {
    const queue = queues.get(channel);
    if (!queue) throw new Error(`no delivery queue for channel ${channel}`);
    return queue;
  };
  /** Groups items by channel, in the items' order. */
  const byChannel = <T extends DeliveryJob>(items: readonly T[]) => {
    const groups = new Map<ChannelKind, T[]>();
    for (const item of items) {
      const group = groups.get(item.channel) ?? [];
      group.push(item);
      groups.set(item.channel, group);
    }
    return groups;
  };
  return {
    async enqueue(jobs) {
      for (const [channel, group] of byChannel(jobs)) {
        const queue = queueOf(channel);
        for (let i = 0; i < group.length; i += 1000) {
          await queue.addBulk(
            group.slice(i, i + 1000).map(({ deliveryId }) => ({
              name: JOB_DELIVERY_SEND,
              data: { deliveryId, channel } satisfies DeliveryJobData,
              opts: { jobId: deliveryJobId(deliveryId), ...DELIVERY_JOB_OPTIONS },
            })),
          );
        }
      }
    },
    async queuedDeliveryIds() {
      // Ids only, one read per queue: every job id of a delivery starts with d-<deliveryId>.
      const ids = new Set<number>();
      for (const queue of queues.values()) {
        const jobIds = await queue.getRanges(["wait", "active", "delayed", "prioritized", "waiting-children"], 0, -1);
        for (const jobId of jobIds) {
          const m = /^d-(\d+)(?:-|$)/.exec(jobId);
          if (m) ids.add(Number(m[1]));
        }
      }
      return ids;
    },
    async takeOver(claims) {
      for (const [channel, group] of byChannel(claims)) {
        const queue = queueOf(channel);
        for (let i = 0; i < group.length; i += 1000) {
          await queue.addBulk(
            group.slice(i, i + 1000).map(({ deliveryId, claimedAtMs }) => ({
              name: JOB_DELIVERY_SEND,
              data: { deliveryId, channel } satisfies DeliveryJobData,
              opts: { jobId: takeoverJobId(deliveryId, claimedAtMs), lifo: true, ...DELIVERY_JOB_OPTIONS },
            })),
          );
        }
      }
    },
  };
}

/**
 * Opens the queues this deployment uses: a delivery queue for every channel, since a process that
 * publishes may not run the channel it publishes on (an API-only web role); workers are started only
 * for the enabled channels.
 */
export function openQueues(kit: QueueKit) {
  const deliveries: DeliveryQueues = new Map(CHANNEL_KINDS.map((kind) => [kind, kit.createQueue(deliveryQueueName(kind))]));
  const delivery = (channel: ChannelKind): Queue => {
    const queue = deliveries.get(channel);
    if (!queue) throw new Error(`no delivery queue for channel ${channel}`);
    return queue;
  };
  return { deliveries, delivery, close: () => Promise.all([...deliveries.values()].map((q) => q.close())).then(() => {}) };
}
