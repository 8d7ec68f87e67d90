/**
 * Certificate batches on the job system: one `certificates.batch` job per batch (job id `cb-<id>`,
 * so adding it twice is harmless) on the `certificates` queue, worked one batch at a time per
 * process (rendering is CPU work). The batch row, not the job, is the truth: a worker that dies is
 * replaced by BullMQ's stalled check, and the sweep re-adds the job of any batch that is not
 * finished and has none, after a lost Redis or a crash between commit and add.
 */
import type { Queue, Worker } from "bullmq";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import { processCertificateBatch, type ProcessBatchOptions } from "../features/certificates/process-certificate-batch.ts";
import type { QueueKit } from "./queue-kit.ts";

export const CERTIFICATE_QUEUE = "certificates";
export const JOB_CERTIFICATE_BATCH = "certificates.batch";
const jobId = (batchId: number) => `cb-${batchId}`;
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true, attempts: 3, backoff: { type: "exponential", delay: 5000 } } as const;

/** What the HTTP layer needs: hand over a batch to render. */
export type CertificateQueue = { enqueue(batchId: number): Promise<void> };

/** The producer side on `queue`. */
export function createCertificateQueue(queue: Queue): CertificateQueue {
  return {
    async enqueue(batchId) {
      await queue.add(JOB_CERTIFICATE_BATCH, { batchId }, { jobId: jobId(batchId), ...JOB_OPTIONS });
    },
  };
}

/** Re-adds the job of every unfinished batch (the job id makes a batch already queued a no-op). */
export async function sweepCertificateBatches(db: Db, queue: CertificateQueue): Promise<number> {
  const open = await db.certificateBatch.findMany({ where: { status: { in: ["QUEUED", "RENDERING", "ASSEMBLING"] } }, select: { id: true }, take: 1000 });
  for (const b of open) await queue.enqueue(b.id);
  return open.length;
}

export type CertificateWorkerOptions = { kit: QueueKit; db: Db; logger: Logger; process: Omit<ProcessBatchOptions, "onProgress" | "hooks">; lockMs?: number };

/** Starts the batch worker of this process. A batch that fails for good is marked FAILED with the reason. */
export function createCertificateWorker({ kit, db, logger, process: options, lockMs = 60_000 }: CertificateWorkerOptions): Worker {
  const log = logger.child({ module: "certificate-worker" });
  const worker = kit.createWorker(
    CERTIFICATE_QUEUE,
    async (job) => {
      const batchId = (job.data as { batchId?: unknown }).batchId;
      if (typeof batchId !== "number" || !Number.isSafeInteger(batchId)) return "skipped";
      const started = Date.now();
      const ran = await processCertificateBatch(db, batchId, options);
      if (ran) log.info({ batchId, ms: Date.now() - started }, "certificate batch done");
      return ran ? "done" : "skipped";
    },
    { concurrency: 1, lockDuration: lockMs, stalledInterval: lockMs },
  );
  worker.on("failed", (job, err) => {
    const batchId = (job?.data as { batchId?: number } | undefined)?.batchId;
    log.error({ err, batchId, attempts: job?.attemptsMade }, "certificate batch failed");
    if (typeof batchId === "number" && job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      void db.certificateBatch.update({ where: { id: batchId }, data: { status: "FAILED", error: String(err.message).slice(0, 500) } }).catch(() => {});
    }
  });
  worker.on("error", (err) => log.error({ err }, "certificate worker error"));
  return worker;
}
