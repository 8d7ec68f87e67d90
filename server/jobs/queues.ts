/** Queue names, job names and the producer side of the delivery queues. */
import type { Queue } from "bullmq";
import type { Db } from "../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind } from "../domain/channel.ts";
import type { SweepQueue } from "./delivery-queue.ts";
import type { QueueKit } from "./queue-kit.ts";

/**
 * One delivery queue per channel (`deliveries-telegram`, `deliveries-zalo-oa`, `deliveries-zalo-bot`),
 * each with its own limiter and its own 429 pause: a Telegram flood wait never holds back Zalo.
 */
export const deliveryQueueName = (channel: ChannelKind) => `deliveries-${channel.toLowerCase().replace(/_/g, "-")}`;
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

/** The delivery queues, one per channel. */
export type DeliveryQueues = ReadonlyMap<ChannelKind, Queue>;

/**
 * The producer used by publishing and by the sweep: each delivery id goes to its channel's queue
 * (the channel is read from the Delivery row; job ids are unique within a queue).
 */
export function createDeliveryQueue(db: Db, queues: DeliveryQueues): SweepQueue {
  const queueOf = (channel: ChannelKind) => {
    const queue = queues.get(channel);
    if (!queue) throw new Error(`no delivery queue for channel ${channel}`);
    return queue;
  };
  /** Groups items by their delivery's channel, in the items' order. */
  const byChannel = async <T>(items: readonly T[], idOf: (item: T) => number) => {
    const groups = new Map<ChannelKind, T[]>();
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      const rows = await db.delivery.findMany({ where: { id: { in: chunk.map(idOf) } }, select: { id: true, channel: true } });
      const channelOf = new Map(rows.map((r) => [r.id, r.channel]));
      for (const item of chunk) {
        // A row that is gone has nothing left to send.
        const channel = channelOf.get(idOf(item));
        if (!channel) continue;
        const group = groups.get(channel) ?? [];
        group.push(item);
        groups.set(channel, group);
      }
    }
    return groups;
  };
  return {
    async enqueue(ids) {
      for (const [channel, group] of await byChannel(ids, (id) => id)) {
        const queue = queueOf(channel);
        for (let i = 0; i < group.length; i += 1000) {
          await queue.addBulk(
            group.slice(i, i + 1000).map((deliveryId) => ({
              name: JOB_DELIVERY_SEND,
              data: { deliveryId } satisfies DeliveryJobData,
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
      for (const [channel, group] of await byChannel(claims, (c) => c.deliveryId)) {
        const queue = queueOf(channel);
        for (let i = 0; i < group.length; i += 1000) {
          await queue.addBulk(
            group.slice(i, i + 1000).map(({ deliveryId, claimedAtMs }) => ({
              name: JOB_DELIVERY_SEND,
              data: { deliveryId } satisfies DeliveryJobData,
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
