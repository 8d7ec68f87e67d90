/**
 * The composition root: wires configuration, database, queues, channels, HTTP and workers for the
 * role this process plays ("all" on one machine; "web" and "worker" when split across machines).
 * Only here (and in bot/) do server and bot code meet.
 */
import type { Server } from "node:http";
import type { Worker } from "bullmq";
import type { Config } from "./config/env.ts";
import { registerConfigSecrets, registerUrlSecrets, type Logger } from "./config/logger.ts";
import { migrate } from "./db/migrate.ts";
import { createPrisma } from "./db/prisma.ts";
import { startDatabase } from "./db/start-database.ts";
import type { ChannelAdapter, ChannelKind } from "./domain/channel.ts";
import { startChannels } from "../bot/channels/channel-registry.ts";
import { previewDirective } from "../bot/channels/preview-directive.ts";
import { ensureAdmin } from "./features/auth/ensure-admin.ts";
import { createDeliveryWorker } from "./jobs/delivery-worker.ts";
import { createQueueKit } from "./jobs/queue-kit.ts";
import { createDeliveryQueue, openQueues } from "./jobs/queues.ts";
import { createQueueBoard } from "./jobs/queue-board.ts";
import { startDeliverySweep } from "./jobs/delivery-sweep.ts";
import { startSigningSweep } from "./jobs/signing-sweep.ts";
import { startTicker } from "./jobs/start-ticker.ts";
import { signingFromConfig } from "./signing/signing-from-config.ts";
import { CERTIFICATE_QUEUE, createCertificateQueue, createCertificateWorker, sweepCertificateBatches } from "./jobs/certificate-jobs.ts";
import { certificatesDir } from "./features/certificates/certificate-batch-files.ts";
import { verifyUrl } from "./features/documents/verify-url.ts";
import { startReminderSweep } from "./jobs/reminder-sweep.ts";

export type Runtime = {
  /** Base URL of the HTTP server (web roles). */
  url: string | null;
  databaseUrl: string;
  stop(): Promise<void>;
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

/** Starts chidao for `config.CHIDAO_ROLE`. */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  // Before anything can fail and be logged: every configured secret is scrubbed from every log line.
  registerConfigSecrets(config);
  const database = await startDatabase(config);
  // The embedded database's generated password is not in the configuration.
  registerUrlSecrets(database.url);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const applied = await migrate(database.url);
    if (applied.length) logger.info({ applied }, "migrations applied");
    const db = createPrisma(database.url);
    stops.push(() => db.$disconnect());
    if (await ensureAdmin(db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD })) logger.info({ email: config.ADMIN_EMAIL }, "first administrator created");

    const kit = createQueueKit({ redisUrl: config.REDIS_URL, databaseUrl: database.url, prefix: config.QUEUE_PREFIX });
    const queues = openQueues(kit);
    stops.push(() => queues.close());
    const deliveries = createDeliveryQueue(queues.deliveries);
    const certificateQueue = kit.createQueue(CERTIFICATE_QUEUE);
    stops.push(() => certificateQueue.close());
    const certificates = createCertificateQueue(certificateQueue);
    const web = config.CHIDAO_ROLE !== "worker";
    const work = config.CHIDAO_ROLE !== "web";

    const channels = await startChannels({ config, db, logger, inbound: web });
    stops.unshift(() => Promise.all(channels.map((c) => c.stop())));
    const registry = new Map<ChannelKind, ChannelAdapter>(channels.map((c) => [c.kind, c.adapter]));

    const workers: Worker[] = [];
    if (work) {
      const leaseMs = config.DELIVERY_LEASE_SECONDS * 1000;
      const sweepIntervalMs = config.SWEEP_INTERVAL_SECONDS * 1000;
      // One worker per enabled channel, on that channel's queue, at that channel's rate.
      for (const { kind, ratePerSecond } of channels) {
        workers.push(
          createDeliveryWorker({
            kit,
            db,
            channel: kind,
            queue: queues.delivery(kind),
            deliveries,
            registry,
            logger,
            ratePerSecond,
            leaseMs,
            sweepIntervalMs,
            concurrency: config.DELIVERY_CONCURRENCY,
          }),
        );
      }
      const stopSweep = startDeliverySweep({ db, deliveries, logger, intervalMs: sweepIntervalMs, leaseMs });
      // Reminders: planned and sent from the database every quarter sweep interval (every worker; the claim shares the work).
      const stopReminders = startReminderSweep({ db, registry, logger, intervalMs: Math.max(1000, sweepIntervalMs / 4) });
      // Certificate batches: one at a time per worker process; unfinished ones (a crash, a lost queue) are re-added at start and every sweep interval.
      workers.push(createCertificateWorker({ kit, db, logger, process: { root: certificatesDir(config), verifyUrl: (code) => verifyUrl(config, code) } }));
      const stopCertificateSweep = startTicker(() => sweepCertificateBatches(db, certificates).then(() => undefined), {
        everyMs: sweepIntervalMs,
        log: logger,
        failure: "certificate sweep failed",
        immediately: true,
      });
      stops.unshift(stopCertificateSweep);
      // Signs issued documents a crash left waiting for their signature.
      const stopSigningSweep = startSigningSweep({ db, signing: signingFromConfig(config), logger, intervalMs: sweepIntervalMs });
      stops.unshift(() => Promise.all([stopSweep(), stopSigningSweep(), stopReminders(), ...workers.map((w) => w.close())]));
      logger.info({ channels: channels.map((c) => c.kind), leaseMs, sweepIntervalMs, concurrency: config.DELIVERY_CONCURRENCY }, "delivery worker started");
    }

    let url: string | null = null;
    if (web) {
      const readiness = async () => {
        const [database, queue] = await Promise.all([
          withTimeout(db.$queryRaw`SELECT 1`, 2000).then(
            () => true,
            () => false,
          ),
          withTimeout(Promise.all([...queues.deliveries.values()].map((q) => q.getJobCounts("wait"))), 2000).then(
            () => true,
            () => false,
          ),
        ]);
        return { database, queue };
      };
      // Loaded only where it serves: the HTTP app (documents, PDF, XLSX…) is most of a process's
      // start-up, and a worker that restarts after a crash should be back at work at once.
      const { createApp } = await import("./app.ts");
      const queueBoard = createQueueBoard([...queues.deliveries.values()], "/operations/queues");
      const app = createApp({ db, config, logger, readiness, deliveries, channels, previewDirective, queueBoard, certificates });
      const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(config.PORT, () => resolve(s));
        s.once("error", reject);
      });
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : config.PORT}`;
      stops.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
      logger.info({ url, embedded: database.embedded, queue: kit.kind }, "chidao is listening");
    }

    return {
      url,
      databaseUrl: database.url,
      async stop() {
        for (const stop of stops) await stop().catch((err) => logger.warn({ err }, "error while stopping"));
        await database.stop();
      },
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    await database.stop().catch(() => {});
    throw err;
  }
}
