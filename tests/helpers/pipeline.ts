/**
 * The whole outbound path on real parts: a test database, BullMQ on Redis (a key prefix per test
 * file) or on its PostgreSQL backend (a schema per test file; TEST_QUEUE_BACKEND=postgres), the real delivery worker and sweep, the Telegram adapter on grammY's Api, and the Bot API
 * stand-in. Tests publish through the HTTP API and watch the Delivery rows and the stand-in.
 */
import { randomBytes } from "node:crypto";
import type { Worker } from "bullmq";
import { Api } from "grammy";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { telegramLinkUrl } from "../../bot/channels/telegram/telegram-link.ts";
import type { EnabledChannel } from "../../bot/channels/channel-registry.ts";
import { createApp } from "../../server/app.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { Db } from "../../server/db/prisma.ts";
import type { ChannelAdapter, ChannelKind } from "../../server/domain/channel.ts";
import { createDeliveryWorker } from "../../server/jobs/delivery-worker.ts";
import { createQueueKit, type QueueKit } from "../../server/jobs/queue-kit.ts";
import { createDeliveryQueue, openQueues } from "../../server/jobs/queues.ts";
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from "./fake-telegram.ts";
import { createTestApp, type TestApp } from "./test-app.ts";
import { TEST_REDIS_URL, testQueueBackend } from "./test-env.ts";

export type Pipeline = TestApp & {
  tg: FakeTelegram;
  /** The channels started from `channels` (stopped by close()). */
  channels: EnabledChannel[];
  kit: QueueKit;
  queues: ReturnType<typeof openQueues>;
  adapter: ChannelAdapter;
  workers: Worker[];
  /**
   * Starts one more delivery worker (as a second process would) on one channel's queue (Telegram's
   * by default, at `ratePerSecond`; another channel's at its own rate unless given).
   */
  startWorker(o?: { channel?: ChannelKind; ratePerSecond?: number; leaseMs?: number; concurrency?: number }): Worker;
  /** Resolves when every delivery of `directiveId` is final (SENT, FAILED or UNREACHABLE). */
  settled(directiveId: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export type PipelineOptions = {
  telegram?: FakeTelegramOptions;
  /** Telegram's rate (its queue's limiter and the adapter's pacing). */
  ratePerSecond?: number;
  leaseMs?: number;
  /** Start no worker (tests that lose jobs on purpose start theirs later). */
  noWorker?: boolean;
  /** Use BullMQ's PostgreSQL backend (true) or Redis (false); default {@link testQueueBackend}. */
  postgresQueue?: boolean;
  /**
   * More channels, started on the test database (their starters from bot/channels/): their adapters
   * join the worker's registry, their webhooks and ways in the app's.
   */
  channels?: (db: Db, url: string) => Promise<EnabledChannel[]>;
};

/** Builds the pipeline; call `close()` in afterAll. */
export async function startPipeline(o: PipelineOptions = {}): Promise<Pipeline> {
  const tg = await startFakeTelegram(o.telegram);
  const prefix = `t${randomBytes(4).toString("hex")}`;
  // The app needs the queue before it exists, so build the database first through createTestApp's overrides.
  const telegram = { kind: "TELEGRAM" as const, linkUrl: telegramLinkUrl(tg.username) };
  const created = await createTestApp({
    deliveries: { enqueue: (ids) => createDeliveryQueue(queues.deliveries).enqueue(ids) },
    channels: [telegram],
  });
  // Channels need the database, the app needs the channels: start them, then build the app again with them.
  const channels = o.channels ? await o.channels(created.db, created.url) : [];
  const deps = { ...created.deps, channels: [telegram, ...channels] };
  const t: TestApp = channels.length ? { ...created, deps, app: createApp(deps) } : created;
  const postgres = o.postgresQueue ?? testQueueBackend() === "postgres";
  const kit = createQueueKit({ redisUrl: postgres ? undefined : TEST_REDIS_URL, databaseUrl: t.url, prefix });
  const queues = openQueues(kit);
  const adapter = createTelegramAdapter(new Api(tg.token, { apiRoot: tg.apiRoot }), { ratePerSecond: o.ratePerSecond ?? 0 });
  const registry = new Map<ChannelKind, ChannelAdapter>([["TELEGRAM", adapter], ...channels.map((c) => [c.kind, c.adapter] as const)]);
  const workers: Worker[] = [];
  const logger = createLogger("silent");
  const rateOf = (channel: ChannelKind) => (channel === "TELEGRAM" ? (o.ratePerSecond ?? 0) : (channels.find((c) => c.kind === channel)?.ratePerSecond ?? 0));
  const startWorker = (w: { channel?: ChannelKind; ratePerSecond?: number; leaseMs?: number; concurrency?: number } = {}) => {
    const channel = w.channel ?? "TELEGRAM";
    const worker = createDeliveryWorker({
      kit,
      db: t.db,
      channel,
      queue: queues.delivery(channel),
      deliveries: createDeliveryQueue(queues.deliveries),
      registry,
      logger,
      ratePerSecond: w.ratePerSecond ?? rateOf(channel),
      leaseMs: w.leaseMs ?? o.leaseMs ?? 60_000,
      concurrency: w.concurrency ?? 20,
    });
    workers.push(worker);
    return worker;
  };
  // As the runtime does: a worker per channel, each on its channel's queue.
  if (!o.noWorker) for (const channel of registry.keys()) startWorker({ channel });

  return {
    ...t,
    tg,
    channels,
    kit,
    queues,
    adapter,
    workers,
    startWorker,
    async settled(directiveId, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = await t.db.delivery.count({ where: { directiveId, status: { in: ["QUEUED", "SENDING", "RETRYING"] } } });
        if (!open) return;
        if (Date.now() > deadline) throw new Error(`directive ${directiveId}: ${open} deliveries still open after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(channels.map((c) => c.stop()));
      await Promise.all([...queues.deliveries.values()].map((q) => q.obliterate({ force: true }).catch(() => {})));
      await queues.close();
      await tg.close();
      await t.drop();
    },
  };
}

/** Publishes a directive through the API and returns its id. */
export async function publishDirective(
  app: TestApp["app"],
  auth: Record<string, string>,
  body: { title?: string; body?: string; audience: object; deadline?: string; require_ack?: boolean },
): Promise<number> {
  const { default: request } = await import("supertest");
  const created = await request(app)
    .post("/api/v1/directives")
    .set(auth)
    .send({ title: "Chỉ đạo", body: "Nội dung", ...body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await request(app).post(`/api/v1/directives/${created.body.id}/publish`).set(auth);
  if (published.status !== 202) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return created.body.id as number;
}

/** Links every principal under `orgCode` (inclusive) to chat id 7000000 + person id; returns person id → chat id. */
export async function linkAllPrincipals(db: Db, skipCodes: string[] = []): Promise<Map<number, number>> {
  const people = await db.person.findMany({ where: { role: "PRINCIPAL", organization: { code: { notIn: skipCodes } } }, select: { id: true } });
  await db.chatIdentity.createMany({ data: people.map((p) => ({ personId: p.id, channel: "TELEGRAM" as const, externalId: String(7_000_000 + p.id) })) });
  return new Map(people.map((p) => [p.id, 7_000_000 + p.id]));
}
