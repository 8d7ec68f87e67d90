import type { ChannelKind } from "../domain/channel.ts";

/**
 * One delivery to send on one channel: the job names its channel so it goes to that channel's
 * queue without a look-up, and the worker sends it only while the row is still on that channel (a
 * delivery that fell back to the next channel leaves its old jobs nothing to do).
 */
export type DeliveryJob = { deliveryId: number; channel: ChannelKind };

/** What publishing needs from the job system: hand over deliveries to send. */
export type DeliveryQueue = {
  /** Enqueues one `delivery.send` job per delivery on its channel's queue; a delivery already queued there is not queued twice. */
  enqueue(jobs: readonly DeliveryJob[]): Promise<void>;
};

/** A SENDING row whose worker's lease expired; `claimedAtMs` names that claim. */
export type AbandonedClaim = DeliveryJob & { claimedAtMs: number };

/** What the sweep needs: the publishing side, plus taking over claims that dead workers left. */
export type SweepQueue = DeliveryQueue & {
  /**
   * Enqueues one job per abandoned claim, under an id of its own (the dead worker's job may still
   * be "active" in the queue, and re-adding that id would do nothing), ahead of the waiting jobs so
   * recovery takes the lease and not the length of the backlog. The same claim twice is one job.
   */
  takeOver(claims: readonly AbandonedClaim[]): Promise<void>;
  /** Deliveries that have a job waiting, delayed or running in the queue right now. */
  queuedDeliveryIds(): Promise<Set<number>>;
};
