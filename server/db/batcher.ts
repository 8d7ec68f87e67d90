/**
 * Group commit: calls made in the same turn of the event loop are gathered and run as one batch.
 * A worker sending at concurrency 100 would otherwise pay one database round trip (and on these
 * machines, one expensive socket write) per delivery for every state change.
 */

export type BatchRunner<I, O> = (items: I[]) => Promise<O[]>;

export type Batcher<I, O> = {
  /** Queues `item` for the next batch and resolves with its result. */
  run(item: I): Promise<O>;
};

/**
 * Creates a batcher. `runBatch` receives the gathered items and returns one result per item, in
 * order. Batches hold at most `maxBatch` items; several batches may be in flight at once. A failed
 * batch rejects every call in it.
 */
export function createBatcher<I, O>(runBatch: BatchRunner<I, O>, { maxBatch = 200 }: { maxBatch?: number } = {}): Batcher<I, O> {
  let pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (pending.length) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(maxBatch);
      runBatch(batch.map((p) => p.item)).then(
        (results) => batch.forEach((p, i) => p.resolve(results[i]!)),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      );
    }
  };

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
