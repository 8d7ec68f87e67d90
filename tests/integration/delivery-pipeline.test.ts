/**
 * The delivery pipeline end to end. Every case runs on Redis (this file) and on BullMQ's PostgreSQL
 * backend, which `npm start` uses by default (delivery-pipeline-postgres.test.ts runs this file with
 * TEST_QUEUE_BACKEND=postgres).
 */
import { randomBytes } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { sweepDeliveries } from "../../server/features/deliveries/sweep-deliveries.ts";
import { createDeliveryQueue, DELIVERY_JOB_OPTIONS, deliveryQueueName, JOB_DELIVERY_SEND } from "../../server/jobs/queues.ts";
import { createDeliveryWorker } from "../../server/jobs/delivery-worker.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { ChannelAdapter } from "../../server/domain/channel.ts";
import { startRuntime } from "../../server/runtime.ts";
import { takePeriodicTurn } from "../../server/features/scheduling/take-periodic-turn.ts";
import { startFakeTelegram } from "../helpers/fake-telegram.ts";
import { startFakeZaloOa, zaloOaEnv } from "../helpers/fake-zalo-oa.ts";
import { createTestApp } from "../helpers/test-app.ts";
import { loseAllJobs, loseJobData } from "../helpers/queue-loss.ts";
import { TEST_REDIS_URL, testQueueBackend } from "../helpers/test-env.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { linkAllPrincipals, publishDirective, startPipeline, type Pipeline } from "../helpers/pipeline.ts";

const chatOf = (chats: Map<number, number>, personId: number) => chats.get(personId)!;

describe("delivery pipeline: publish → queue → worker → Bot API stand-in", () => {
  let p: Pipeline;
  let auth: Record<string, string>;
  let chats: Map<number, number>;

  beforeAll(async () => {
    p = await startPipeline();
    await createProvince(p.db);
    chats = await linkAllPrincipals(p.db, ["X1-TH"]);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  const sendsTo = (chatId: number) => p.tg.calls.filter((c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chatId));

  it(`runs on the queue backend asked for (${testQueueBackend()})`, () => {
    expect(p.kit.kind).toBe(testQueueBackend());
  });

  it("sends to exactly the audience, marks the unlinked principal unreachable at once, and nobody else hears", async () => {
    const before = p.tg.stats.sent;
    const id = await publishDirective(p.app, auth, { title: "Kế hoạch tựu trường", audience: { under: "X1", kinds: ["school"] }, deadline: "2026-12-01T10:00:00Z" });
    await p.settled(id);
    const rows = await p.db.delivery.findMany({ where: { directiveId: id }, include: { organization: true } });
    const byOrg = Object.fromEntries(rows.map((r) => [r.organization.code, r]));
    expect(Object.keys(byOrg).sort()).toEqual(["X1-MN", "X1-PGD-MN2", "X1-TH", "X1-THCS"]);
    expect(byOrg["X1-TH"]!.status).toBe("UNREACHABLE");
    expect(byOrg["X1-TH"]!.attempts).toBe(0);
    for (const code of ["X1-MN", "X1-PGD-MN2", "X1-THCS"]) {
      const row = byOrg[code]!;
      expect(row.status).toBe("SENT");
      expect(row.attempts).toBe(1);
      const msgs = p.tg.messagesTo(chatOf(chats, row.personId));
      expect(msgs).toHaveLength(1);
      expect(String(msgs[0]!.message_id)).toBe(row.platformMessageId);
      expect(msgs[0]!.text).toContain("📢 Kế hoạch tựu trường");
      expect(msgs[0]!.text).toContain("⏰ Hạn: 17h00 ngày 01/12/2026");
    }
    expect(p.tg.stats.sent - before).toBe(3);

    const res = await request(p.app).get(`/api/v1/directives/${id}`).set(auth).expect(200);
    expect(res.body.counts).toMatchObject({ recipients: 4, sent: 3, unreachable: 1, failed: 0, acknowledged: 0 });

    // Publishing again sends nothing more.
    await request(p.app).post(`/api/v1/directives/${id}/publish`).set(auth).expect(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.tg.stats.sent - before).toBe(3);
  });

  it("waits out a 429 without counting it as an attempt", async () => {
    p.tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const started = Date.now();
    const id = await publishDirective(p.app, auth, { audience: { under: "X2", levels: ["thcs"] } });
    await p.settled(id);
    const [row] = await p.db.delivery.findMany({ where: { directiveId: id } });
    expect(row!.status).toBe("SENT");
    expect(row!.attempts).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sendsTo(chatOf(chats, row!.personId))).toHaveLength(2);
  });

  it("marks a principal who blocked the bot unreachable after one 403, without retrying", async () => {
    const thpt1 = await p.db.person.findFirstOrThrow({ where: { organization: { code: "THPT1" } } });
    p.tg.blockChat(chatOf(chats, thpt1.id));
    const id = await publishDirective(p.app, auth, { audience: { under: "SGD", levels: ["thpt"] } });
    await p.settled(id);
    const row = await p.db.delivery.findFirstOrThrow({ where: { directiveId: id, personId: thpt1.id } });
    expect(row).toMatchObject({ status: "UNREACHABLE", attempts: 1 });
    expect(row.lastError).toMatch(/403.*blocked/);
    expect(sendsTo(chatOf(chats, thpt1.id))).toHaveLength(1);
    const identity = await p.db.chatIdentity.findFirstOrThrow({ where: { personId: thpt1.id } });
    expect(identity.blockedAt).not.toBeNull();
    const other = await p.db.delivery.findFirstOrThrow({ where: { directiveId: id, personId: { not: thpt1.id } } });
    expect(other.status).toBe("SENT");
  });

  it("retries a server error with backoff and records both attempts", async () => {
    p.tg.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    const id = await publishDirective(p.app, auth, { audience: { under: "X2", levels: ["mam_non"] } });
    await p.settled(id, 20_000);
    const [row] = await p.db.delivery.findMany({ where: { directiveId: id } });
    expect(row).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    expect(p.tg.messagesTo(chatOf(chats, row!.personId)).filter((m) => m.text?.includes("Chỉ đạo"))).toHaveLength(1);
  }, 30_000);

  it("keeps a failed send's error for the officer without any token the platform's message quoted", async () => {
    const token = "5550001:AAH-quoted-token-that-must-not-be-kept";
    p.tg.failNext("sendMessage", { error_code: 400, description: `Bad Request: see https://api.telegram.org/bot${token}/sendMessage` });
    const id = await publishDirective(p.app, auth, { audience: { under: "X2", levels: ["mam_non"] } });
    await p.settled(id, 20_000);
    const [row] = await p.db.delivery.findMany({ where: { directiveId: id } });
    expect(row!.lastError).toContain("api.telegram.org");
    expect(row!.lastError).not.toContain(token);
    expect(row!.lastError).not.toContain("AAH-quoted");
  }, 30_000);

  it("sends an issued document's PDF with the directive, and refuses a draft", async () => {
    const sgd = await p.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const pdf = Buffer.from("%PDF-1.7\n% a stand-in for an issued letter\n%%EOF\n");
    const doc = await p.db.document.create({
      data: { template: "cong_van", issuerOrgId: sgd.id, data: {}, status: "ISSUED", number: 15, year: 2026, symbol: "15/SGDĐT-KTKĐ", issuedAt: new Date(), pdf },
    });
    const draft = await p.db.document.create({ data: { template: "cong_van", issuerOrgId: sgd.id, data: {} } });
    const refused = await request(p.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "A", body: "B", audience: { under: "X2" }, document_id: draft.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues[0].path).toBe("document_id");

    const created = await request(p.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "Công văn kèm theo", body: "Gửi các trường.", audience: { under: "X2", levels: ["tieu_hoc"] }, document_id: doc.id });
    expect(created.status).toBe(201);
    await request(p.app).post(`/api/v1/directives/${created.body.id}/publish`).set(auth).expect(202);
    await p.settled(created.body.id);
    const row = await p.db.delivery.findFirstOrThrow({ where: { directiveId: created.body.id } });
    expect(row.status).toBe("SENT");
    const msgs = p.tg.messagesTo(chatOf(chats, row.personId)).slice(-2);
    expect(msgs[0]!.document).toMatchObject({ file_name: "15-SGDĐT-KTKĐ.pdf", file_size: pdf.length });
    expect(msgs[0]!.caption).toContain("15/SGDĐT-KTKĐ");
    expect(msgs[1]!.text).toContain("Công văn kèm theo");
    expect(String(msgs[1]!.message_id)).toBe(row.platformMessageId);
  });

  it("never sends one delivery twice when two workers see duplicate jobs", async () => {
    p.startWorker();
    const id = await publishDirective(p.app, auth, { title: "Trùng lặp", audience: { under: "SGD", kinds: ["school"] } });
    const rows = await p.db.delivery.findMany({ where: { directiveId: id, status: { not: "UNREACHABLE" } } });
    // A second producer (the sweep, a retried HTTP call…) adds the same deliveries under other job ids.
    await p.queues
      .delivery("TELEGRAM")
      .addBulk(rows.map((r) => ({ name: JOB_DELIVERY_SEND, data: { deliveryId: r.id }, opts: { jobId: `dup-${r.id}`, ...DELIVERY_JOB_OPTIONS } })));
    await p.settled(id);
    await new Promise((r) => setTimeout(r, 300));
    const final = await p.db.delivery.findMany({ where: { directiveId: id, status: { not: "UNREACHABLE" } } });
    // Every school below the Sở but X1-TH (unlinked) and THPT1 (blocked the bot in an earlier test).
    expect(final.map((r) => r.status)).toEqual(Array(rows.length - 1).fill("SENT"));
    for (const r of final) {
      const msgs = p.tg.messagesTo(chatOf(chats, r.personId)).filter((m) => m.text?.includes("Trùng lặp"));
      expect(msgs, `person ${r.personId}`).toHaveLength(1);
      expect(r.attempts).toBe(1);
    }
  });
});

describe("the database is the truth", () => {
  let p: Pipeline;
  let auth: Record<string, string>;

  beforeAll(async () => {
    p = await startPipeline({ noWorker: true });
    await createProvince(p.db);
    await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("a sweep re-enqueues deliveries whose jobs the queue lost, and each is sent once", async () => {
    const id = await publishDirective(p.app, auth, { title: "Mất hàng đợi", audience: { under: "X1", kinds: ["school"] } });
    expect(await p.queues.delivery("TELEGRAM").getJobCountByTypes("wait", "prioritized")).toBe(4);
    // Redis here keeps nothing on disk: a restart loses every job.
    await p.queues.delivery("TELEGRAM").obliterate({ force: true });
    p.startWorker();
    await new Promise((r) => setTimeout(r, 300));
    expect(await p.db.delivery.count({ where: { directiveId: id, status: "QUEUED" } })).toBe(4);
    expect(p.tg.stats.sent).toBe(0);

    const deliveries = createDeliveryQueue(p.queues.deliveries);
    expect(await sweepDeliveries(p.db, deliveries, { graceMs: 0, leaseMs: 60_000 })).toBe(4);
    // A second sweep while the jobs still exist adds nothing twice (same job ids).
    await sweepDeliveries(p.db, deliveries, { graceMs: 0, leaseMs: 60_000 });
    await p.settled(id);
    expect(await p.db.delivery.count({ where: { directiveId: id, status: "SENT" } })).toBe(4);
    expect(p.tg.stats.sent).toBe(4);
  });

  it("a delivery whose worker died mid-send is taken over once its lease expires, and only then", async () => {
    const id = await publishDirective(p.app, auth, { title: "Tiến trình chết", audience: { under: "X2", levels: ["tieu_hoc"] } });
    await p.settled(id);
    const sentBefore = p.tg.stats.sent;
    const row = await p.db.delivery.findFirstOrThrow({ where: { directiveId: id } });
    // Pretend a worker claimed it and was killed before it could write the outcome.
    await p.db.delivery.update({ where: { id: row.id }, data: { status: "SENDING", claimedAt: new Date(), platformMessageId: null } });
    const deliveries = createDeliveryQueue(p.queues.deliveries);
    expect(await sweepDeliveries(p.db, deliveries, { graceMs: 0, leaseMs: 60_000 })).toBe(0);
    await p.db.delivery.update({ where: { id: row.id }, data: { claimedAt: new Date(Date.now() - 120_000) } });
    expect(await sweepDeliveries(p.db, deliveries, { graceMs: 0, leaseMs: 60_000 })).toBe(1);
    await p.settled(id);
    const after = await p.db.delivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe("SENT");
    expect(after.platformMessageId).not.toBeNull();
    expect(p.tg.stats.sent - sentBefore).toBe(1);
  });
});

describe("the platform's rate limit", () => {
  let p: Pipeline;
  let auth: Record<string, string>;

  beforeAll(async () => {
    // The stand-in answers 429 beyond 10 messages in any sliding second; our limit is set to 10.
    p = await startPipeline({ telegram: { rateLimit: { perSecond: 10 } }, ratePerSecond: 10 });
    const sgd = await p.db.organization.create({ data: { code: "SGD", name: "Sở", kind: "DEPARTMENT" } });
    await p.db.organization.createMany({
      data: Array.from({ length: 35 }, (_, i) => ({ code: `S${i}`, name: `Trường ${i}`, kind: "SCHOOL" as const, level: "THPT" as const, parentId: sgd.id })),
    });
    const orgs = await p.db.organization.findMany({ where: { kind: "SCHOOL" } });
    await p.db.person.createMany({ data: orgs.map((o) => ({ name: `HT ${o.code}`, role: "PRINCIPAL" as const, organizationId: o.id })) });
    await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("sends at the configured rate without provoking a single 429", async () => {
    const id = await publishDirective(p.app, auth, { audience: { under: "SGD" } });
    await p.settled(id, 20_000);
    expect(await p.db.delivery.count({ where: { directiveId: id, status: "SENT" } })).toBe(35);
    expect(p.tg.stats.rejected429).toBe(0);
    const times = p.tg.callsOf("sendMessage").map((c) => c.at);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(1000);
    // 35 messages at 10/s: a little over three seconds, not much more.
    expect(times[times.length - 1]! - times[0]!).toBeLessThan(4500);
  }, 30_000);
});

describe("recovery is the lease, not BullMQ's stalled check", () => {
  let p: Pipeline;
  let auth: Record<string, string>;

  beforeAll(async () => {
    p = await startPipeline({ noWorker: true });
    await createProvince(p.db);
    await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("a delivery whose worker was killed mid-send is sent again within the lease plus one sweep", async () => {
    const leaseMs = 1000;
    // Worker A claims the delivery, then hangs in the send and dies: its job stays "active" in BullMQ.
    const hung: ChannelAdapter = { kind: "TELEGRAM", sendDirective: () => new Promise(() => {}) };
    const dead = createDeliveryWorker({
      kit: p.kit,
      db: p.db,
      channel: "TELEGRAM",
      queue: p.queues.delivery("TELEGRAM"),
      deliveries: createDeliveryQueue(p.queues.deliveries),
      registry: new Map([["TELEGRAM", hung]]),
      logger: createLogger("silent"),
      ratePerSecond: 0,
      leaseMs,
    });
    const id = await publishDirective(p.app, auth, { title: "Tiến trình bị giết", audience: { under: "X2", levels: ["thcs"] } });
    const claimed = await waitFor(() => p.db.delivery.findFirst({ where: { directiveId: id, status: "SENDING" } }));
    await dead.close(true);
    const sentBefore = p.tg.stats.sent;

    p.startWorker({ leaseMs });
    const deliveries = createDeliveryQueue(p.queues.deliveries);
    const sweepEveryMs = 250;
    const timer = setInterval(() => void sweepDeliveries(p.db, deliveries, { graceMs: sweepEveryMs, leaseMs }).catch(() => {}), sweepEveryMs);
    try {
      await p.settled(id, 10_000);
    } finally {
      clearInterval(timer);
    }
    const row = await p.db.delivery.findUniqueOrThrow({ where: { id: claimed.id } });
    expect(row.status).toBe("SENT");
    // Lease + one sweep interval + a little for the send itself.
    expect(row.sentAt!.getTime() - claimed.claimedAt!.getTime()).toBeLessThan(leaseMs + sweepEveryMs + 750);
    expect(p.tg.stats.sent - sentBefore).toBe(1);
  }, 20_000);
});

describe("a platform's retry_after holds whatever our own pacing is", () => {
  let p: Pipeline;
  let auth: Record<string, string>;
  let chats: Map<number, number>;

  beforeAll(async () => {
    // No limiter of ours (TELEGRAM_RATE_LIMIT=0) and two worker processes' worth of workers.
    p = await startPipeline({ ratePerSecond: 0 });
    p.startWorker();
    await createProvince(p.db);
    chats = await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("a chat answered 429 is not sent to again before retry_after, by any worker", async () => {
    for (let i = 0; i < 3; i++) p.tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 2", retry_after: 2 });
    const id = await publishDirective(p.app, auth, { title: "Chờ retry_after", audience: { under: "SGD", kinds: ["school"] } });
    await p.settled(id, 20_000);
    const calls = p.tg.callsOf("sendMessage").filter((c) => String(c.params.text).includes("Chờ retry_after"));
    const first = new Map<string, number>();
    let rejected = 0;
    for (const c of calls) {
      const chat = String(c.params.chat_id);
      const prev = first.get(chat);
      if (prev === undefined) first.set(chat, c.at);
      else {
        rejected++;
        expect(c.at - prev, `chat ${chat}`).toBeGreaterThanOrEqual(2000);
      }
    }
    expect(rejected).toBe(3);
    expect(await p.db.delivery.count({ where: { directiveId: id, status: "SENT" } })).toBe(chats.size);
  }, 30_000);

  it("a delivery whose next attempt is due later is not claimed before then", async () => {
    const id = await publishDirective(p.app, auth, { title: "Chưa đến hạn", audience: { under: "X1", levels: ["thcs"] } });
    await p.settled(id);
    const row = await p.db.delivery.findFirstOrThrow({ where: { directiveId: id } });
    const due = new Date(Date.now() + 1500);
    await p.db.delivery.update({ where: { id: row.id }, data: { status: "RETRYING", nextAttemptAt: due } });
    const sentBefore = p.tg.stats.sent;
    await p.queues.delivery("TELEGRAM").add(JOB_DELIVERY_SEND, { deliveryId: row.id }, { jobId: `early-${row.id}`, ...DELIVERY_JOB_OPTIONS });
    await new Promise((r) => setTimeout(r, 700));
    expect(p.tg.stats.sent - sentBefore).toBe(0);
    await p.settled(id, 5000);
    const after = await p.db.delivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe("SENT");
    expect(after.sentAt!.getTime()).toBeGreaterThanOrEqual(due.getTime() - 50);
    expect(p.tg.stats.sent - sentBefore).toBe(1);
  });
});

describe("a 429 stops the whole queue", () => {
  let p: Pipeline;
  let auth: Record<string, string>;

  beforeAll(async () => {
    p = await startPipeline({ ratePerSecond: 0, noWorker: true });
    await createProvince(p.db);
    await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("a 429 pauses every worker for retry_after, not only the one that got it", async () => {
    // Two workers taking one job at a time: after the 429, the other one must wait too.
    p.startWorker({ concurrency: 1 });
    p.startWorker({ concurrency: 1 });
    p.tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 2", retry_after: 2 });
    const before = p.tg.calls.length;
    const id = await publishDirective(p.app, auth, { title: "Tạm dừng cả hàng đợi", audience: { under: "SGD", kinds: ["school"] } });
    await p.settled(id, 20_000);
    const calls = p.tg.calls.slice(before).filter((c) => c.method === "sendMessage");
    const flood = calls[0]!.at;
    // Sends already on their way when the 429 came may still arrive; nothing starts after that until retry_after.
    const during = calls.filter((c) => c.at > flood + 300 && c.at < flood + 1900);
    expect(during).toEqual([]);
    expect(calls.at(-1)!.at - flood).toBeGreaterThanOrEqual(2000);
  }, 30_000);
});

describe("a running worker process recovers on its own when the queue loses everything", () => {
  it("sends deliveries whose jobs and sweep schedule vanished, within a sweep interval, without a restart", async () => {
    const tg = await startFakeTelegram();
    const t = await createTestApp();
    const prefix = `t${randomBytes(4).toString("hex")}`;
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: t.url,
      ...(testQueueBackend() === "redis" ? { REDIS_URL: TEST_REDIS_URL } : {}),
      QUEUE_PREFIX: prefix,
      CHIDAO_ROLE: "worker",
      LOG_LEVEL: "silent",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_RATE_LIMIT: "0",
      SWEEP_INTERVAL_SECONDS: "1",
      DELIVERY_LEASE_SECONDS: "2",
    });
    const runtime = await startRuntime(config, createLogger("silent"));
    const store = { kind: testQueueBackend(), prefix, databaseUrl: t.url };
    try {
      await createProvince(t.db);
      await linkAllPrincipals(t.db);
      const auth = { Authorization: `Bearer ${(await createUserWithToken(t.db)).token}` };
      await new Promise((r) => setTimeout(r, 500));
      if (store.kind === "postgres") {
        // npm start's default: no REDIS_URL, BullMQ's tables in the application's database.
        const schemas = await t.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = ${`bullmq_${prefix}`}`;
        expect(schemas[0]!.n).toBe(1);
      }
      // Redis restarted without persistence: every key of this deployment is gone (on PostgreSQL, every job row).
      await loseAllJobs(store);
      // The recording queue of the test app enqueues nothing: only the database knows these deliveries.
      const id = await publishDirective(t.app, auth, { title: "Sau khi mất Redis", audience: { under: "SGD", kinds: ["school"] } });
      const open = await t.db.delivery.count({ where: { directiveId: id, status: "QUEUED" } });
      expect(open).toBeGreaterThan(0);
      const deadline = Date.now() + 6000;
      while ((await t.db.delivery.count({ where: { directiveId: id, status: { in: ["QUEUED", "SENDING", "RETRYING"] } } })) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await t.db.delivery.count({ where: { directiveId: id, status: "SENT" } })).toBe(open);
      expect(tg.stats.sent).toBe(open);
    } finally {
      await runtime.stop();
      await loseAllJobs(store);
      await tg.close();
      await t.drop();
    }
  }, 30_000);
});

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the sweep's turn and jobs the queue half-forgot", () => {
  let p: Pipeline;
  let auth: Record<string, string>;

  beforeAll(async () => {
    p = await startPipeline({ noWorker: true });
    await createProvince(p.db);
    await linkAllPrincipals(p.db);
    auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  });
  afterAll(() => p.close());

  it("gives one turn per interval to many processes asking at once", async () => {
    const ask = () => Promise.all(Array.from({ length: 8 }, () => takePeriodicTurn(p.db, "test.turn", 400, 0)));
    expect((await ask()).filter(Boolean)).toHaveLength(1);
    expect((await ask()).filter(Boolean)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 450));
    expect((await ask()).filter(Boolean)).toHaveLength(1);
  });

  it("a job whose data vanished is ignored, and does not spoil the claims batched with it", async () => {
    const id = await publishDirective(p.app, auth, { title: "Nửa còn nửa mất", audience: { under: "X1", kinds: ["school"] } });
    const ids = (await p.db.delivery.findMany({ where: { directiveId: id, status: "QUEUED" }, orderBy: { id: "asc" } })).map((r) => r.id);
    // The job data of the first delivery is gone while its id is still listed as waiting.
    await loseJobData({ kind: p.kit.kind, prefix: p.kit.prefix, databaseUrl: p.url }, deliveryQueueName("TELEGRAM"), `d-${ids[0]}`);
    p.startWorker();
    const deadline = Date.now() + 5000;
    while ((await p.db.delivery.count({ where: { id: { in: ids.slice(1) }, status: "SENT" } })) < ids.length - 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await p.db.delivery.count({ where: { id: { in: ids.slice(1) }, status: "SENT" } })).toBe(ids.length - 1);
    // The orphaned delivery is still QUEUED in the database, where the sweep will find it.
    expect((await p.db.delivery.findUniqueOrThrow({ where: { id: ids[0] } })).status).toBe("QUEUED");
    expect(await sweepDeliveries(p.db, createDeliveryQueue(p.queues.deliveries), { graceMs: 0, leaseMs: 60_000 })).toBe(1);
    await p.settled(id);
  });
});

/**
 * One queue per channel: Telegram's principals under every school but X2's, Zalo OA's under X2, each
 * channel on its own queue with its own limiter and its own 429 pause.
 */
async function startTwoChannelPipeline(o: Parameters<typeof startPipeline>[0]) {
  const zalo = await startFakeZaloOa();
  const p = await startPipeline({
    ...o,
    channels: async (db, url) => {
      const config = loadConfig({
        NODE_ENV: "test",
        DATABASE_URL: url,
        LOG_LEVEL: "silent",
        ...zaloOaEnv(zalo),
      });
      return startChannels({ config, db, logger: createLogger("silent"), inbound: false });
    },
  });
  expect(p.channels.map((c) => c.kind)).toEqual(["ZALO_OA"]);
  await createProvince(p.db);
  const people = await p.db.person.findMany({ where: { role: "PRINCIPAL" }, select: { id: true, organization: { select: { code: true } } } });
  for (const person of people) {
    if (person.organization.code.startsWith("X2")) {
      const userId = String(3_001_000_000_000_000_000n + BigInt(person.id));
      zalo.addUser(userId);
      await p.db.chatIdentity.create({ data: { personId: person.id, channel: "ZALO_OA", externalId: userId } });
    } else {
      await p.db.chatIdentity.create({ data: { personId: person.id, channel: "TELEGRAM", externalId: String(7_000_000 + person.id) } });
    }
  }
  const auth = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  /** Resolves with the time when every delivery of `directiveId` on `channel` is SENT. */
  const allSent = async (directiveId: number, channel: "TELEGRAM" | "ZALO_OA", timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await p.db.delivery.findMany({ where: { directiveId, channel }, select: { status: true } });
      if (rows.length && rows.every((r) => r.status === "SENT")) return Date.now();
      if (Date.now() > deadline) throw new Error(`directive ${directiveId}: ${channel} not all sent after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { p, zalo, auth, allSent };
}

describe("a queue per channel: Telegram's flood wait does not hold Zalo", () => {
  let t: Awaited<ReturnType<typeof startTwoChannelPipeline>>;
  beforeAll(async () => {
    // Every Telegram send is answered 429 with retry_after 5 s.
    t = await startTwoChannelPipeline({ telegram: { flood: { share: 1, retryAfterSeconds: 5 } }, ratePerSecond: 0 });
  }, 60_000);
  afterAll(async () => {
    await t?.p.close();
    await t?.zalo.close();
  });

  it("a directive to Zalo OA principals is delivered within about a second while Telegram waits out a 5 s retry_after", async () => {
    const { p, zalo, auth, allSent } = t;
    await publishDirective(p.app, auth, { title: "Telegram đang bị giới hạn", audience: { under: "X1", kinds: ["school"] } });
    // Telegram's queue is paused now for 5 s.
    await waitFor(async () => (p.tg.stats.rejected429 > 0 ? true : null));
    const started = Date.now();
    const id = await publishDirective(p.app, auth, { title: "Gửi qua Zalo", audience: { under: "X2", kinds: ["school"] } });
    const done = await allSent(id, "ZALO_OA", 4000);
    expect(done - started).toBeLessThan(1500);
    expect(await p.db.delivery.count({ where: { directiveId: id } })).toBe(3);
    expect(zalo.stats.sent).toBe(3);
    // Telegram has sent nothing meanwhile.
    expect(p.tg.stats.sent).toBe(0);
  }, 20_000);
});

describe("a queue per channel: Telegram's limit does not slow Zalo", () => {
  let t: Awaited<ReturnType<typeof startTwoChannelPipeline>>;
  beforeAll(async () => {
    t = await startTwoChannelPipeline({ ratePerSecond: 2 });
  }, 60_000);
  afterAll(async () => {
    await t?.p.close();
    await t?.zalo.close();
  });

  it("with Telegram at 2 messages/s, the Zalo OA deliveries of the same broadcast are all sent within about a second", async () => {
    const { p, auth, allSent } = t;
    const started = Date.now();
    const id = await publishDirective(p.app, auth, { title: "Cả hai kênh", audience: { under: "SGD", kinds: ["school"] } });
    const [zaloDone, telegramDone] = await Promise.all([allSent(id, "ZALO_OA"), allSent(id, "TELEGRAM")]);
    expect(await p.db.delivery.count({ where: { directiveId: id, channel: "ZALO_OA" } })).toBe(3);
    expect(await p.db.delivery.count({ where: { directiveId: id, channel: "TELEGRAM" } })).toBe(6);
    expect(zaloDone - started).toBeLessThan(1500);
    // Six Telegram messages at 2/s take well over two seconds: the limit held where it applies.
    expect(telegramDone - started).toBeGreaterThan(2000);
  }, 20_000);
});
