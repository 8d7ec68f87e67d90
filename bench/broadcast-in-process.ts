/**
 * npm run bench:broadcast:in-process — the earlier harness, kept as a second mode: the HTTP app and
 * the delivery worker in this very process (not `npm start`), Telegram only. It publishes a
 * directive to 10,000 principals through the HTTP API and lets the worker send it to the Bot API
 * stand-in (in its own process). `npm run bench:broadcast` measures the product instead.
 *
 * Phase 1: no platform limit and none of ours: deliveries recorded (SENT in the database) per second.
 * Phase 2: the stand-in enforces Telegram's 30 messages in any sliding second (429 + retry_after
 *          beyond it) and our limiter runs at TELEGRAM_RATE_LIMIT (30): sustained rate and 429 share.
 *
 * Environment: BENCH_RECIPIENTS (10000), BENCH_LIMITED_RECIPIENTS (phase 2 audience, default all —
 * at 30/s that is about 5.5 minutes), BENCH_QUEUE=postgres to run BullMQ on PostgreSQL instead of
 * Redis, BENCH_CONCURRENCY (worker concurrency, 100).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Api } from "grammy";
import { createTelegramAdapter } from "../bot/channels/telegram/telegram-adapter.ts";
import { createApp } from "../server/app.ts";
import { loadConfig } from "../server/config/env.ts";
import { createLogger, scrubForLog } from "../server/config/logger.ts";
import type { Db } from "../server/db/prisma.ts";
import type { ChannelAdapter, ChannelKind } from "../server/domain/channel.ts";
import { createToken } from "../server/features/auth/create-token.ts";
import { hashPassword } from "../server/features/auth/password-hash.ts";
import { createDeliveryWorker } from "../server/jobs/delivery-worker.ts";
import { createQueueKit } from "../server/jobs/queue-kit.ts";
import { createDeliveryQueue, openQueues } from "../server/jobs/queues.ts";
import { TEST_REDIS_URL } from "../tests/helpers/test-env.ts";
import { createBenchDb } from "./bench-db.ts";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const LIMITED = Math.min(RECIPIENTS, Number(process.env.BENCH_LIMITED_RECIPIENTS ?? RECIPIENTS));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const GROUP = 1000;
const usePostgresQueue = process.env.BENCH_QUEUE === "postgres";

type FakeStats = { sent: number; rejected429: number; rejected403: number; rejectedOther: number; firstSentAt: number | null; lastSentAt: number | null };
type Fake = { apiRoot: string; token: string; stats(): Promise<FakeStats>; close(): Promise<void> };

async function startFakeProcess(options: object): Promise<Fake> {
  const child: ChildProcess = fork(new URL("../tests/faults/support/fake-telegram-process.ts", import.meta.url).pathname, [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
  });
  const ready = await new Promise<{ apiRoot: string; token: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { apiRoot: string; token: string }));
    child.once("error", reject);
  });
  return {
    ...ready,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", (m) => resolve((m as { stats: FakeStats }).stats));
        child.send("stats");
      }),
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.send("close");
      }),
  };
}

/** One Sở, communes of 1,000 schools each (so a phase can address a subset), principals linked to Telegram. */
async function seed(db: Db, n: number): Promise<void> {
  const sgd = await db.organization.create({ data: { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" } });
  for (let g = 0; g * GROUP < n; g++) {
    const commune = await db.organization.create({ data: { code: `G${g}`, name: `UBND xã ${g}`, kind: "COMMUNE", parentId: sgd.id } });
    const count = Math.min(GROUP, n - g * GROUP);
    await db.organization.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        code: `G${g}-S${i}`,
        name: `Trường THCS ${g}-${i}`,
        kind: "SCHOOL" as const,
        level: "THCS" as const,
        parentId: commune.id,
      })),
    });
  }
  await db.$executeRaw`INSERT INTO "Person" (name, role, "organizationId", "updatedAt") SELECT 'Hiệu trưởng ' || o.code, 'PRINCIPAL', o.id, now() FROM "Organization" o WHERE o.kind = 'SCHOOL'`;
  await db.$executeRaw`INSERT INTO "ChatIdentity" ("personId", channel, "externalId", "updatedAt") SELECT p.id, 'TELEGRAM', (100000 + p.id)::text, now() FROM "Person" p`;
}

async function waitSettled(db: Db, directiveId: number, onTick?: (done: number) => void): Promise<void> {
  for (;;) {
    const open = await db.delivery.count({ where: { directiveId, status: { in: ["QUEUED", "SENDING", "RETRYING"] } } });
    onTick?.(open);
    if (!open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const bench = await createBenchDb("chidao_bench_broadcast");
  const db = bench.db;
  const t0 = Date.now();
  await seed(db, RECIPIENTS);
  console.log(`seeded ${RECIPIENTS} schools with linked principals in ${Date.now() - t0} ms`);

  const config = loadConfig({ NODE_ENV: "production", DATABASE_URL: bench.url, LOG_LEVEL: "silent", MAX_BODY_BYTES: "1000000" });
  const logger = createLogger("silent");
  const kit = createQueueKit({ redisUrl: usePostgresQueue ? undefined : TEST_REDIS_URL, databaseUrl: bench.url, prefix: `bench${randomBytes(3).toString("hex")}` });
  const queues = openQueues(kit);
  const deliveries = createDeliveryQueue(queues.deliveries);
  const app = createApp({ db, config, logger, readiness: async () => ({ database: true, queue: true }), deliveries });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  await db.user.create({ data: { email: "bench@sgd.example.vn", name: "Bench", passwordHash: await hashPassword("bench-password"), role: "ADMIN" } });
  const { token } = await createToken(db, { email: "bench@sgd.example.vn", password: "bench-password" });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  async function publish(title: string, under: string): Promise<{ id: number; recipients: number; createMs: number; publishMs: number }> {
    const a = performance.now();
    const created = await fetch(`${base}/directives`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title, body: "Đề nghị các trường triển khai kế hoạch tự đánh giá và báo cáo về Sở trước ngày 30/11/2026.", audience: { under, kinds: ["school"] } }),
    });
    const { id } = (await created.json()) as { id: number };
    const b = performance.now();
    const res = await fetch(`${base}/directives/${id}/publish`, { method: "POST", headers });
    const { recipients } = (await res.json()) as { recipients: number };
    return { id, recipients, createMs: b - a, publishMs: performance.now() - b };
  }

  async function phase(name: string, o: { fakeRate?: number; ourRate: number; under: string }) {
    const fake = await startFakeProcess(o.fakeRate ? { rateLimit: { perSecond: o.fakeRate } } : {});
    const registry = new Map<ChannelKind, ChannelAdapter>([["TELEGRAM", createTelegramAdapter(new Api(fake.token, { apiRoot: fake.apiRoot }), { ratePerSecond: o.ourRate })]]);
    const worker = createDeliveryWorker({
      kit,
      db,
      channel: "TELEGRAM",
      queue: queues.delivery("TELEGRAM"),
      deliveries,
      registry,
      logger,
      ratePerSecond: o.ourRate,
      leaseMs: 60_000,
      concurrency: CONCURRENCY,
    });
    await worker.waitUntilReady();
    const start = performance.now();
    const p = await publish(name, o.under);
    let lastPrint = 0;
    await waitSettled(db, p.id, (open) => {
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        if (lastPrint - start > 5000) console.log(`  … ${p.recipients - open}/${p.recipients} final`);
      }
    });
    const seconds = (performance.now() - start) / 1000;
    const counts = await db.delivery.groupBy({ by: ["status"], where: { directiveId: p.id }, _count: true });
    const stats = await fake.stats();
    await worker.close();
    await fake.close();
    return { p, seconds, counts: Object.fromEntries(counts.map((c) => [c.status, c._count])), stats };
  }

  console.log(`queue backend: ${kit.kind}, worker concurrency ${CONCURRENCY}, 2-core machine`);
  console.log(`\nphase 1 — ${RECIPIENTS} recipients, no platform limit`);
  const one = await phase("Bench không giới hạn", { ourRate: 0, under: "SGD" });
  console.log(`  create ${one.p.createMs.toFixed(0)} ms, publish (one transaction + enqueue) ${one.p.publishMs.toFixed(0)} ms for ${one.p.recipients} recipients`);
  console.log(`  statuses ${JSON.stringify(one.counts)}`);
  console.log(`  ${one.stats.sent} messages in ${one.seconds.toFixed(2)} s from publish to the last row recorded`);
  console.log(`  ==> ${(one.p.recipients / one.seconds).toFixed(0)} deliveries recorded per second (goal ≥ 2000)`);

  if (process.env.BENCH_PHASES === "1") return finish();
  // Phase 2 addresses whole communes of 1,000 (or the whole Sở).
  const groups = Math.ceil(LIMITED / GROUP);
  const under = LIMITED >= RECIPIENTS ? "SGD" : "G0";
  if (under === "G0" && groups > 1) console.log("  (BENCH_LIMITED_RECIPIENTS rounds to one commune of 1,000 below the full audience)");
  console.log(`\nphase 2 — Telegram's 30/s enforced by the stand-in (sliding second), our limiter at ${config.TELEGRAM_RATE_LIMIT}/s`);
  const two = await phase("Bench 30/s", { fakeRate: 30, ourRate: config.TELEGRAM_RATE_LIMIT, under });
  const s = two.stats;
  const span = s.firstSentAt !== null && s.lastSentAt !== null ? (s.lastSentAt - s.firstSentAt) / 1000 : 0;
  const share = (100 * s.rejected429) / Math.max(1, s.sent + s.rejected429);
  console.log(`  statuses ${JSON.stringify(two.counts)}`);
  console.log(`  ${s.sent} messages accepted between the first and last accepted send: ${span.toFixed(1)} s`);
  console.log(`  ==> sustained ${((s.sent - 1) / Math.max(span, 0.001)).toFixed(2)} messages/s (goal ≥ 28.5)`);
  console.log(`  ==> 429 answers: ${s.rejected429} of ${s.sent + s.rejected429} sends = ${share.toFixed(3)}% (goal < 0.1%)`);
  return finish();

  async function finish() {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...queues.deliveries.values()].map((q) => q.obliterate({ force: true }).catch(() => {})));
    await queues.close();
    await bench.drop();
    process.exit(0);
  }
}

main().catch((err) => {
  console.error(scrubForLog(err));
  process.exit(1);
});
