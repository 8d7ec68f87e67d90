/**
 * The delivery worker of one channel's queue: takes `delivery.send` jobs and runs {@link sendDelivery},
 * under that channel's rate limit shared by every worker process (BullMQ's limiter lives in the
 * queue's datastore). A 429 pauses that queue only; the other channels' queues keep sending. A
 * delivery that falls back to the next channel is handed to that channel's queue.
 */
import { DelayedError, type Queue, type Worker } from "bullmq";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind, type ChannelRegistry } from "../domain/channel.ts";
import { createDeliveryRows } from "../features/deliveries/delivery-rows.ts";
import { DirectiveContentCache } from "../features/deliveries/load-outbound.ts";
import { sendDelivery } from "../features/deliveries/send-delivery.ts";
import type { DeliveryQueue } from "./delivery-queue.ts";
import { DELIVERY_JOB_OPTIONS, deliveryJobId, type DeliveryJobData } from "./queues.ts";
import type { QueueKit } from "./queue-kit.ts";
import { limiterFor } from "./rate-limit.ts";

export type DeliveryWorkerOptions = {
  kit: QueueKit;
  db: Db;
  /** The channel this worker sends on. */
  channel: ChannelKind;
  /** The channel's delivery queue, worked on and used for follow-up attempts. */
  queue: Queue;
  /** Every channel's queue: a delivery that falls back goes to its next channel's. */
  deliveries: DeliveryQueue;
  registry: ChannelRegistry;
  logger: Logger;
  /** The queue's channel's messages per second across all workers; 0 = no limit of ours. */
  ratePerSecond: number;
  leaseMs: number;
  /** How often the sweep runs; BullMQ's own stalled check runs at least as often. */
  sweepIntervalMs?: number;
  concurrency?: number;
};

/**
 * With no limit of ours the worker still needs a limiter: BullMQ honours a manual rate limit (the
 * pause a 429 asks for) only on a queue whose worker has one. A million jobs a second limits nothing.
 */
const NO_LIMIT = { max: 1_000_000, duration: 1000 };

/** BullMQ's answer when the job's keys are gone from the datastore (Redis lost its data). */
const VANISHED = /Missing key for job|Missing lock for job/;

/** A job's data, with or without its channel (jobs queued before jobs named their channel have none). */
const isDeliveryJob = (data: unknown): data is Partial<DeliveryJobData> & { deliveryId: number } =>
  typeof data === "object" &&
  data !== null &&
  Number.isSafeInteger((data as DeliveryJobData).deliveryId) &&
  (data as DeliveryJobData).deliveryId > 0 &&
  ((data as DeliveryJobData).channel === undefined || CHANNEL_KINDS.includes((data as DeliveryJobData).channel));

/** Starts a worker on one channel's delivery queue. */
export function createDeliveryWorker({
  kit,
  db,
  channel,
  queue,
  deliveries,
  registry,
  logger,
  ratePerSecond,
  leaseMs,
  sweepIntervalMs = leaseMs,
  concurrency = 50,
}: DeliveryWorkerOptions): Worker {
  const content = new DirectiveContentCache(db);
  const rows = createDeliveryRows(db, leaseMs);
  const log = logger.child({ module: "delivery-worker" });
  const worker: Worker = kit.createWorker(
    queue.name,
    async (job, token) => {
      // A job whose hash vanished (keys lost while its id was still listed) carries no data: nothing
      // to do, and it must not reach the batched claim, where one bad id would fail the whole batch.
      // The sweep finds the delivery in the database.
      if (!isDeliveryJob(job.data)) {
        log.warn({ jobId: job.id }, "delivery job without a delivery id ignored");
        return "skipped";
      }
      const { deliveryId } = job.data;
      if (job.data.channel !== undefined && job.data.channel !== channel) {
        log.warn({ jobId: job.id, deliveryId, jobChannel: job.data.channel, channel }, "delivery job on another channel's queue ignored");
        return "skipped";
      }
      // The row's channel is checked by the claim: a delivery that has moved on is not sent here.
      const outcome = await sendDelivery(db, { deliveryId, channel, registry, content, rows });
      if (outcome.kind === "fallback") {
        // Committed first: if this enqueue is lost, the sweep finds the QUEUED row on its new channel.
        await deliveries.enqueue([outcome.next]);
        log.info({ deliveryId, from: channel, to: outcome.next.channel, error: outcome.error }, "delivery falls back to the next channel");
        return outcome.kind;
      }
      if (outcome.kind === "not_due") {
        // Early (a 429's retry_after or a backoff still running): park the job until the row is due.
        await job.moveToDelayed(Date.now() + outcome.waitMs, token);
        throw new DelayedError();
      }
      if (outcome.kind === "retry") {
        if (outcome.retryAfterMs !== undefined) {
          // The platform's limit is per bot (or app), so this channel's whole queue waits (in every
          // worker process; other channels' queues do not), then this job runs again; the row's nextAttemptAt keeps it from being sent earlier in any case.
          await queue.rateLimit(outcome.retryAfterMs);
          throw kit.RateLimitError();
        }
        if (outcome.followUp) {
          const { attempt, delayMs } = outcome.followUp;
          await queue.add(job.name, { deliveryId, channel } satisfies DeliveryJobData, { jobId: deliveryJobId(deliveryId, attempt), delay: delayMs, ...DELIVERY_JOB_OPTIONS });
        }
      }
      if (outcome.kind !== "sent" && outcome.kind !== "skipped") log.info({ deliveryId, jobId: job.id, outcome }, "delivery not sent");
      return outcome.kind;
    },
    {
      concurrency,
      limiter: limiterFor(ratePerSecond) ?? NO_LIMIT,
      // The job's lock means what the row's lease means: a worker that stops renewing it for a lease
      // is dead. The stalled check then hands the job on no later than the sweep would.
      lockDuration: leaseMs,
      stalledInterval: Math.max(500, Math.min(leaseMs, sweepIntervalMs)),
    },
  );
  // BullMQ recreates a vanished job's hash when it takes the job (without its options, so
  // removeOnComplete is lost too): left in place, that husk would block the sweep's re-add of the
  // same job id forever. Remove it once completed.
  worker.on("completed", (job) => {
    if (!isDeliveryJob(job.data) && job.id) void queue.remove(job.id).catch((err: unknown) => log.warn({ err, jobId: job.id }, "could not remove an empty job"));
  });
  worker.on("error", (err) => {
    // The delivery's outcome is in the database before BullMQ moves the job; a job that vanished
    // meanwhile only means the queue forgot it. The sweep covers whatever remained to be done.
    if (VANISHED.test(err.message)) log.warn({ err: err.message }, "a job vanished from the queue (datastore lost data); the sweep recovers from the database");
    else log.error({ err }, "worker error");
  });
  return worker;
}
