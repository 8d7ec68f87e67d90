/**
 * An exact sliding-window pacer for one process: at most `perSecond` permits in any window of
 * one second plus `slackMs`. BullMQ's limiter shapes when jobs start (and is shared by every worker);
 * this one shapes when messages actually leave, so the spread between a job starting and its request
 * reaching the platform (database claim, GC pauses, a busy core) cannot push a second over the limit.
 */
export type SendPacer = {
  /** Resolves when one more message may be sent now. Callers are served in order. */
  acquire(): Promise<void>;
};

/** Creates a pacer; `perSecond` ≤ 0 gives one that never waits. */
export function createSendPacer(perSecond: number, slackMs = 25): SendPacer {
  if (perSecond <= 0) return { acquire: () => Promise.resolve() };
  const limit = Math.max(1, Math.floor(perSecond));
  const windowMs = 1000 + slackMs;
  // Times of the last `limit` permits, oldest first (a ring would avoid shift(); `limit` is small).
  const times: number[] = [];
  let chain: Promise<void> = Promise.resolve();

  const take = async (): Promise<void> => {
    for (;;) {
      const now = performance.now();
      while (times.length && times[0]! <= now - windowMs) times.shift();
      if (times.length < limit) {
        times.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(times[0]! + windowMs - now))));
    }
  };

  return {
    acquire() {
      const next = chain.then(take);
      chain = next;
      return next;
    },
  };
}
