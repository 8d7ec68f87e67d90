/** What publishing needs from the job system: hand over delivery ids to send. */
export type DeliveryQueue = {
  /** Enqueues one `delivery.send` job per id; ids already queued are not queued twice. */
  enqueue(deliveryIds: readonly number[]): Promise<void>;
};

/** A SENDING row whose worker's lease expired; `claimedAtMs` names that claim. */
export type AbandonedClaim = { deliveryId: number; claimedAtMs: number };

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
