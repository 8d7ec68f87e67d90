/**
 * The delivery sweep, run by every worker process on a timer of its own; a row in PostgreSQL
 * ({@link takePeriodicTurn}) decides which process runs it in each interval.
 *
 * Why not a BullMQ job scheduler: the schedule would live in Redis, and a Redis that loses its data
 * loses the schedule, with nothing left to re-create it until a worker restarts — exactly when the
 * sweep is needed most. A timer in the process cannot be lost that way, and the turn row lives in
 * the database that is the truth about deliveries anyway (with the PostgreSQL queue backend too).
 */
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import { sweepDeliveries } from "../features/deliveries/sweep-deliveries.ts";
import { takePeriodicTurn } from "../features/scheduling/take-periodic-turn.ts";
import type { SweepQueue } from "./delivery-queue.ts";
import { startTicker } from "./start-ticker.ts";

export const DELIVERY_SWEEP = "delivery.sweep";

export type DeliverySweepOptions = {
  db: Db;
  deliveries: SweepQueue;
  logger: Logger;
  intervalMs: number;
  leaseMs: number;
};

/**
 * Starts the sweep timer of this process; returns the function that stops it (and waits for a
 * sweep in progress). The sweep runs every quarter interval and each process checks for its turn
 * eight times an interval, so between two sweeps there are at most three eighths of an interval even
 * when the process that ran the last one died: what the sweep promises "within an interval" (a dead
 * worker's delivery sent again, jobs Redis lost enqueued again) keeps a margin for the queue to pick
 * the job up on a busy machine (measured: at load 18 on two cores, sweeping every half interval
 * missed the promise by up to 0.3 s for one stranded delivery in ten). A sweep costs one indexed query (and a read of the queue's job ids
 * when rows look lost).
 */
export function startDeliverySweep({ db, deliveries, logger, intervalMs, leaseMs }: DeliverySweepOptions): () => Promise<void> {
  const log = logger.child({ module: "sweep" });
  const tickMs = Math.max(100, Math.floor(intervalMs / 8));

  const tick = async () => {
    if (!(await takePeriodicTurn(db, DELIVERY_SWEEP, intervalMs / 4, tickMs / 2))) return;
    const started = Date.now();
    // Grace of one interval: rows that a healthy worker will reach soon are left alone.
    const count = await sweepDeliveries(db, deliveries, { graceMs: intervalMs, leaseMs });
    if (count) log.info({ count, ms: Date.now() - started }, "re-enqueued stranded deliveries");
    else log.debug({ ms: Date.now() - started }, "sweep found nothing stranded");
  };

  return startTicker(tick, { everyMs: tickMs, log, failure: "delivery sweep failed" });
}
