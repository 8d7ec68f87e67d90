/** What publishing needs from the job system: hand over delivery ids to send. */
export type DeliveryQueue = {
  /** Enqueues one `delivery.send` job per id; ids already queued are not queued twice. */
  enqueue(deliveryIds: readonly number[]): Promise<void>;
};
