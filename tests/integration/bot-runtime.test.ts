import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramLinkUrl } from "../../bot/channels/telegram/telegram-link.ts";
import { startTelegram, type StartedTelegram } from "../../bot/channels/telegram/telegram.runtime.ts";
import { createApp } from "../../server/app.ts";
import { loadConfig, type Config } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { createOrg } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { startFakeZaloBot } from "../helpers/fake-zalo-bot.ts";
import { freePort } from "../helpers/free-port.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

let tdb: TestDb;
const logger = createLogger("silent");
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => {
  await tdb.drop();
});

function configFor(tg: FakeTelegram | null, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: tdb.url,
    LOG_LEVEL: "silent",
    ...(tg ? { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot } : {}),
    ...extra,
  });
}

describe("startTelegram", () => {
  it("is off without a token", async () => {
    expect(await startTelegram({ config: configFor(null), db: tdb.db, logger, inbound: true })).toBeNull();
  });

  it("only sends in a process that does not receive: no polling, no webhook", async () => {
    const tg = await startFakeTelegram();
    const started = await startTelegram({ config: configFor(tg), db: tdb.db, logger, inbound: false });
    expect(started!.username).toBe(tg.username);
    expect(started!.webhook).toBeUndefined();
    const sent = await started!.adapter.sendDirective({
      deliveryId: 1,
      directiveId: 1,
      chatId: "4242",
      title: "Thử",
      body: "Nội dung",
      issuerName: "Sở",
      deadline: null,
      requireAck: true,
    });
    expect(sent.messageId).toBeTruthy();
    expect(tg.calls.map((c) => c.method)).toEqual(["getMe", "sendMessage"]);
    await started!.stop();
    await tg.close();
  });

  it("long-polls when PUBLIC_URL is unset, with the command menu, and stops cleanly", async () => {
    const tg = await startFakeTelegram();
    // Updates older than a week cannot come back from Telegram: the receiving process forgets them.
    const week = 7 * 24 * 3600 * 1000;
    await tdb.db.inboxEvent.createMany({
      data: [
        { channel: "TELEGRAM", eventKey: "1:old", createdAt: new Date(Date.now() - week - 60_000) },
        { channel: "TELEGRAM", eventKey: "1:recent", createdAt: new Date(Date.now() - week + 60_000) },
      ],
    });
    const started = (await startTelegram({ config: configFor(tg), db: tdb.db, logger, inbound: true }))!;
    expect(started.webhook).toBeUndefined();
    expect(tg.callsOf("deleteWebhook")).toHaveLength(1);
    expect(tg.callsOf("setMyCommands")[0]!.params.commands).toEqual([
      { command: "pending", description: "Văn bản chờ xác nhận" },
      { command: "help", description: "Hướng dẫn" },
    ]);
    tg.sendCommand(5151, "/help");
    const reply = await tg.waitFor(() => tg.callsOf("sendMessage").find((c) => String(c.params.chat_id) === "5151"));
    expect(String(reply.params.text)).toContain("Hướng dẫn");
    const kept = async () => (await tdb.db.inboxEvent.findMany({ where: { eventKey: { startsWith: "1:" } } })).map((u) => u.eventKey);
    for (let i = 0; i < 100 && (await kept()).includes("1:old"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await kept()).toEqual(["1:recent"]);
    await started.stop();
    await started.stop();
    // Stopped: an update typed now stays with Telegram, unanswered (a negative needs a short wait).
    const since = tg.calls.length;
    tg.sendCommand(5151, "/help");
    await new Promise((r) => setTimeout(r, 200));
    expect(tg.calls.slice(since).map((c) => c.method)).toEqual([]);
    const info = (await (await fetch(`${tg.apiRoot}/bot${tg.token}/getWebhookInfo`)).json()) as { result: { pending_update_count: number } };
    expect(info.result.pending_update_count).toBe(1);
    await tg.close();
  });
});

describe("when the Bot API cannot be reached", () => {
  const TOKEN = "4242:Unreachable_secret-Token";
  const until = async (f: () => boolean, ms = 10_000) => {
    for (const end = Date.now() + ms; !f(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error("timed out");
  };
  const unreachable = async (extra: Record<string, string> = {}) => {
    const port = await freePort();
    const lines: string[] = [];
    const log = createLogger("info", { write: (s: string) => void lines.push(s) });
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, ...extra });
    const entries = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; retryInMs?: number; attempt?: number });
    return { port, lines, log, config, entries };
  };

  it("start-up goes on after one failed getMe, warns (without the token) and retries with back-off, then receives once the API answers", async () => {
    const u = await unreachable();
    const t0 = Date.now();
    const started = (await startTelegram({ config: u.config, db: tdb.db, logger: u.log, inbound: true, retry: { firstDelayMs: 100, maxDelayMs: 400 } }))!;
    try {
      // A closed port refuses at once: start-up waited for that one attempt, not for Telegram.
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(started.linkUrl("abc")).toBeNull();
      const retries = () => u.entries().filter((e) => e.msg.startsWith("telegram Bot API unreachable"));
      await until(() => retries().length >= 4);
      expect(retries().map((e) => [e.level, e.attempt, e.retryInMs])).toEqual(
        expect.arrayContaining([
          [40, 1, 100],
          [40, 2, 200],
          [40, 3, 400],
          [40, 4, 400],
        ]),
      );
      expect(u.entries().find((e) => e.msg.startsWith("telegram starts without the Bot API"))).toMatchObject({ level: 40 });
      expect(u.lines.join("\n")).not.toContain(TOKEN.split(":")[1]);

      // The Bot API comes up where it was expected: the bot polls, and link codes carry its link.
      const tg = await startFakeTelegram({ port: u.port, token: TOKEN });
      try {
        await until(() => tg.callsOf("getUpdates").length > 0);
        expect(started.linkUrl("abc")).toBe(`https://t.me/${tg.username}?start=abc`);
        tg.sendCommand(5252, "/help");
        await tg.waitFor(() => tg.callsOf("sendMessage").find((c) => String(c.params.chat_id) === "5252"));
      } finally {
        await started.stop();
        await tg.close();
      }
    } finally {
      await started.stop();
    }
    // Stopped: no more attempts.
    const count = u.lines.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(u.lines.length).toBe(count);
  });

  it("a token the Bot API refuses still stops start-up at once (no retry can help)", async () => {
    const tg = await startFakeTelegram({ token: "1:the-right-token" });
    try {
      const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: "1:a-wrong-token", TELEGRAM_API_ROOT: tg.apiRoot });
      await expect(startTelegram({ config, db: tdb.db, logger, inbound: true })).rejects.toMatchObject({ error_code: 401 });
      expect(tg.callsOf("getMe").length).toBeLessThanOrEqual(1);
    } finally {
      await tg.close();
    }
  });

  it("does not hold up the other channels, and its webhook route answers 503 until the API answers", async () => {
    const u = await unreachable({ PUBLIC_URL: "https://chidao.example.vn", TELEGRAM_WEBHOOK_SECRET: "s3cret_Webhook-token" });
    const zalo = await startFakeZaloBot();
    const config = { ...u.config, ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_API_BASE: zalo.apiBase, ZALO_BOT_WEBHOOK_SECRET: "zalo-bot-webhook-secret-01" };
    const t0 = Date.now();
    const channels = await startChannels({ config, db: tdb.db, logger: u.log, inbound: true });
    try {
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(channels.map((c) => c.kind)).toEqual(["TELEGRAM", "ZALO_BOT"]);
      expect(zalo.webhook).toMatchObject({ url: "https://chidao.example.vn/webhooks/zalo-bot" });
      const app = express();
      const telegram = channels[0]!;
      app.post(telegram.webhook!.path, ...telegram.webhook!.handlers);
      const server = app.listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`, { method: "POST", body: "{}" });
        expect(res.status).toBe(503);
      } finally {
        server.close();
      }
    } finally {
      for (const c of channels) await c.stop();
      await zalo.close();
    }
  });
});

describe("webhook mode through createApp", () => {
  let tg: FakeTelegram;
  let server: Server;
  let started: StartedTelegram;
  const secret = "s3cret_Webhook-token";
  let posted = 0;
  /** Types a command and waits until the webhook has answered it (so no test sees another's calls). */
  async function typeAndWait(chatId: number, command: string): Promise<{ since: number; status: number }> {
    const since = tg.calls.length;
    tg.sendCommand(chatId, command);
    const n = ++posted;
    await tg.waitFor(() => tg.webhookResponses.length >= n);
    return { since, status: tg.webhookResponses[n - 1]! };
  }

  beforeAll(async () => {
    tg = await startFakeTelegram({ token: "654321:another-bot", username: "chidao_hook_bot" });
    await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" });
    // The app must listen before Telegram learns its URL; the handler is mounted once started.
    let handler: RequestHandler = (_req, res) => void res.sendStatus(503);
    const config = configFor(tg, { PUBLIC_URL: "http://127.0.0.1:1", TELEGRAM_WEBHOOK_SECRET: secret });
    const app = createApp({
      db: tdb.db,
      config,
      logger,
      readiness: async () => ({ database: true, queue: true }),
      deliveries: { enqueue: async () => {} },
      channels: [{ kind: "TELEGRAM", linkUrl: telegramLinkUrl(tg.username), webhook: { path: "/webhooks/telegram", handlers: [(req, res, next) => handler(req, res, next)] } }],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    started = (await startTelegram({ config: { ...config, PUBLIC_URL: `http://127.0.0.1:${port}/` }, db: tdb.db, logger, inbound: true }))!;
    expect(started.webhook!.path).toBe("/webhooks/telegram");
    handler = express.Router().post(started.webhook!.path, ...started.webhook!.handlers);
  });
  afterAll(async () => {
    await started.stop();
    await new Promise((r) => server.close(r));
    await tg.close();
  });

  it("registers PUBLIC_URL/webhooks/telegram with the secret and answers updates that carry it", async () => {
    expect(tg.webhook).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/telegram$/), secret });
    expect(tg.callsOf("setWebhook")[0]!.params.allowed_updates).toEqual(["message", "callback_query", "my_chat_member"]);
    expect(tg.callsOf("getUpdates")).toHaveLength(0);
    const { since, status } = await typeAndWait(6161, "/help");
    expect(status).toBe(200);
    const reply = tg.calls.slice(since).find((c) => c.method === "sendMessage")!;
    expect(String(reply.params.text)).toContain("Hướng dẫn");
  });

  it("links and acknowledges through the webhook as through polling", async () => {
    const { principal } = await createOrg(tdb.db, { code: "W1", kind: "SCHOOL", level: "TIEU_HOC", parentCode: "SGD", principal: "Đỗ Văn Em" });
    await tdb.db.linkCode.create({ data: { code: "hook-code-1", personId: principal!.id, expiresAt: new Date(Date.now() + 60_000) } });
    const { since, status } = await typeAndWait(6262, "/start hook-code-1");
    expect(status).toBe(200);
    const reply = tg.calls.slice(since).find((c) => c.method === "sendMessage")!;
    expect(String(reply.params.text)).toContain("Đỗ Văn Em");
    expect(await tdb.db.chatIdentity.count({ where: { personId: principal!.id, externalId: "6262" } })).toBe(1);
  });

  it("answers 200 even when a handler fails, so Telegram does not resend an update already claimed", async () => {
    tg.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    const { since, status } = await typeAndWait(6363, "/help");
    expect(status).toBe(200);
    const sends = tg.calls.slice(since).filter((c) => c.method === "sendMessage");
    expect(sends).toHaveLength(2);
    expect(String(sends[1]!.params.text)).toContain("thử lại");
  });

  it("refuses an update with a wrong or missing secret with 401 and processes nothing", async () => {
    const url = tg.webhook!.url;
    const update = { update_id: 888_001, message: { message_id: 1, from: { id: 5, is_bot: false, first_name: "X" }, chat: { id: 5, type: "private" }, date: 0, text: "/help" } };
    const since = tg.calls.length;
    const variants: Record<string, string>[] = [{ "x-telegram-bot-api-secret-token": "wrong" }, { "x-telegram-bot-api-secret-token": `${secret}x` }, {}];
    for (const headers of variants) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(update) });
      expect(res.status).toBe(401);
    }
    expect(await tdb.db.inboxEvent.count({ where: { eventKey: { endsWith: ":888001" } } })).toBe(0);
    expect(tg.calls.slice(since)).toHaveLength(0);
    // The right secret is processed.
    const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body: JSON.stringify(update) });
    expect(ok.status).toBe(200);
    expect(await tdb.db.inboxEvent.count({ where: { eventKey: { endsWith: ":888001" } } })).toBe(1);
  });
});
