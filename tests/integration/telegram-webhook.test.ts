/**
 * The webhook's inbound HTTP side, as Telegram and an attacker see it: the real app, the real grammY
 * bot behind it and the Bot API stand-in. Telegram resends an update until it gets a 2xx, so every
 * post with the right secret is a 200, and what cannot be used is dropped with a log line before any
 * handler runs; without the secret it is a 401.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { pino } from "pino";
import type { RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegram, type StartedTelegram } from "../../bot/channels/telegram/telegram.runtime.ts";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createOrg } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { rawRequest } from "../helpers/raw-http.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

const SECRET = "hook_Secret-0123456789";
let tdb: TestDb;
let tg: FakeTelegram;
let server: Server;
let started: StartedTelegram;
let base: string;
const logLines: { msg?: string; reason?: string; level: number }[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

beforeAll(async () => {
  tdb = await createTestDb();
  tg = await startFakeTelegram({ token: "777001:webhook-table", username: "chidao_table_bot" });
  await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" });
  let handler: RequestHandler = (_req, res) => void res.sendStatus(503);
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: tdb.url,
    LOG_LEVEL: "silent",
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    PUBLIC_URL: "http://127.0.0.1:1",
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  const app = createApp({
    db: tdb.db,
    config,
    logger,
    readiness: async () => ({ database: true, queue: true }),
    deliveries: { enqueue: async () => {} },
    channels: [
      {
        kind: "TELEGRAM",
        linkUrl: (code) => `https://t.me/${tg.username}?start=${code}`,
        webhook: { path: "/webhooks/telegram", handlers: [(req, res, next) => handler(req, res, next)] },
      },
    ],
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  started = (await startTelegram({ config: { ...config, PUBLIC_URL: `${base}/` }, db: tdb.db, logger, inbound: true }))!;
  handler = started.webhook!.handlers[0]!;
});
afterAll(async () => {
  await started.stop();
  await new Promise((r) => server.close(r));
  await tg.close();
  await tdb.drop();
});

let nextUpdate = 500_000;
const from = { id: 4242, is_bot: false, first_name: "Lan" };
const chat = { id: 4242, type: "private" };
/** A well-formed /help update (which makes the bot answer), with `patch` applied to its message. */
function helpUpdate(patch: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return {
    update_id: ++nextUpdate,
    message: { message_id: nextUpdate, from, chat, date: 1_700_000_000, text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }], ...patch },
    ...top,
  };
}

async function post(body: Buffer | string | undefined, headers: Record<string, string>) {
  return rawRequest(base, { method: "POST", path: "/webhooks/telegram", headers, ...(body !== undefined ? { body } : {}) });
}

const json = { "Content-Type": "application/json" };
const secret = { "X-Telegram-Bot-Api-Secret-Token": SECRET };

describe("posts with the right secret that chidao cannot use: 200, logged, no handler runs", () => {
  const cases: { name: string; headers: Record<string, string>; body: () => Buffer | string | undefined; reason: string }[] = [
    { name: "no content type", headers: {}, body: () => JSON.stringify(helpUpdate()), reason: "not application/json" },
    { name: "text/plain", headers: { "Content-Type": "text/plain" }, body: () => JSON.stringify(helpUpdate()), reason: "not application/json" },
    { name: "form-urlencoded", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: () => "update_id=1", reason: "not application/json" },
    { name: "not JSON", headers: json, body: () => "update_id: 1", reason: "not JSON" },
    { name: "truncated JSON", headers: json, body: () => JSON.stringify(helpUpdate()).slice(0, 30), reason: "not JSON" },
    { name: "empty body", headers: json, body: () => undefined, reason: "empty body" },
    { name: "invalid UTF-8", headers: json, body: () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), reason: "not JSON" },
    { name: "gzip header, plain bytes", headers: { ...json, "Content-Encoding": "gzip" }, body: () => JSON.stringify(helpUpdate()), reason: "body unreadable" },
    { name: "unknown Content-Encoding", headers: { ...json, "Content-Encoding": "x-foo" }, body: () => JSON.stringify(helpUpdate()), reason: "body unreadable" },
    { name: "over 1 MB", headers: json, body: () => JSON.stringify(helpUpdate({ text: "a".repeat(1_100_000) })), reason: "body unreadable" },
    { name: "JSON null", headers: json, body: () => "null", reason: "unexpected update shape" },
    { name: "JSON array", headers: json, body: () => "[1,2]", reason: "unexpected update shape" },
    { name: "update_id a string", headers: json, body: () => JSON.stringify({ ...helpUpdate(), update_id: "1" }), reason: "unexpected update shape" },
    { name: "update_id negative", headers: json, body: () => JSON.stringify({ ...helpUpdate(), update_id: -5 }), reason: "unexpected update shape" },
    {
      name: "update_id beyond 2^53",
      headers: json,
      body: () => JSON.stringify(helpUpdate()).replace(/"update_id":\d+/, '"update_id":9007199254740993'),
      reason: "unexpected update shape",
    },
    { name: "chat id a string", headers: json, body: () => JSON.stringify(helpUpdate({ chat: { id: "abc", type: "private" } })), reason: "unexpected update shape" },
    { name: "chat missing", headers: json, body: () => JSON.stringify(helpUpdate({ chat: undefined })), reason: "unexpected update shape" },
    { name: "text a number", headers: json, body: () => JSON.stringify(helpUpdate({ text: 42 })), reason: "unexpected update shape" },
    { name: "entities an object", headers: json, body: () => JSON.stringify(helpUpdate({ entities: { type: "bot_command" } })), reason: "unexpected update shape" },
    { name: "from.id fractional", headers: json, body: () => JSON.stringify(helpUpdate({ from: { ...from, id: 1.5 } })), reason: "unexpected update shape" },
    {
      name: "callback data an object",
      headers: json,
      body: () => JSON.stringify({ update_id: ++nextUpdate, callback_query: { id: "1", from, data: { ack: 1 } } }),
      reason: "unexpected update shape",
    },
    {
      name: "my_chat_member without new member",
      headers: json,
      body: () => JSON.stringify({ update_id: ++nextUpdate, my_chat_member: { chat, from, date: 1, old_chat_member: { status: "member", user: from } } }),
      reason: "unexpected update shape",
    },
    {
      name: "an update kind not subscribed",
      headers: json,
      body: () => JSON.stringify({ update_id: ++nextUpdate, edited_message: helpUpdate().message }),
      reason: "unexpected update shape",
    },
    {
      name: "two kinds at once",
      headers: json,
      body: () => JSON.stringify(helpUpdate({}, { callback_query: { id: "1", from, data: "ack:1" } })),
      reason: "unexpected update shape",
    },
    { name: "no kind at all", headers: json, body: () => JSON.stringify({ update_id: ++nextUpdate }), reason: "unexpected update shape" },
    { name: "NUL in the text", headers: json, body: () => JSON.stringify(helpUpdate({ text: "/help\u0000" })), reason: "unstorable text" },
    { name: "lone surrogate in a name", headers: json, body: () => JSON.stringify(helpUpdate({ from: { ...from, first_name: "\uD800" } })), reason: "unstorable text" },
  ];

  it.each(cases)("$name → 200, ignored ($reason)", async (c) => {
    const calls = tg.calls.length;
    const updates = await tdb.db.inboxEvent.count();
    const logged = logLines.length;
    const res = await post(c.body(), { ...secret, ...c.headers });
    expect(res.status).toBe(200);
    expect(
      logLines
        .slice(logged)
        .filter((l) => l.msg === "telegram webhook post ignored")
        .map((l) => l.reason),
    ).toEqual([c.reason]);
    expect(await tdb.db.inboxEvent.count()).toBe(updates);
    expect(tg.calls.slice(calls).filter((call) => call.method !== "getWebhookInfo")).toEqual([]);
  });
});

describe("posts without the right secret: 401, body not read, nothing processed", () => {
  const variants: Record<string, string>[] = [
    {},
    { "X-Telegram-Bot-Api-Secret-Token": "wrong" },
    { "X-Telegram-Bot-Api-Secret-Token": `${SECRET}x` },
    { "X-Telegram-Bot-Api-Secret-Token": SECRET.slice(0, -1) },
    { "X-Telegram-Bot-Api-Secret-Token": "" },
  ];
  const bodies: [string, Record<string, string>, () => Buffer | string][] = [
    ["a valid update", json, () => JSON.stringify(helpUpdate())],
    ["garbage", { "Content-Type": "text/plain" }, () => "\u0000\u0001"],
    ["gzip lie", { ...json, "Content-Encoding": "gzip" }, () => "{}"],
  ];
  it.each(variants.flatMap((v) => bodies.map(([name, headers, body]) => ({ v, name, headers, body }))))("$name with secret $v → 401", async ({ v, headers, body }) => {
    const updates = await tdb.db.inboxEvent.count();
    const res = await post(body(), { ...headers, ...v });
    expect(res.status).toBe(401);
    expect(await tdb.db.inboxEvent.count()).toBe(updates);
  });
});

describe("well-formed updates still work", () => {
  it("a /help through the webhook is answered, once, however often it is posted", async () => {
    const update = helpUpdate();
    const since = tg.calls.length;
    for (let i = 0; i < 3; i++) expect((await post(JSON.stringify(update), { ...json, ...secret })).status).toBe(200);
    expect(tg.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(await tdb.db.inboxEvent.count({ where: { eventKey: { endsWith: `:${update.update_id}` } } })).toBe(1);
  });

  it("extra fields Telegram may add, and application/json with a charset, are accepted", async () => {
    const update = helpUpdate({ is_topic_message: false, via_bot: undefined, new_field: { x: 1 } });
    const since = tg.calls.length;
    const res = await post(JSON.stringify(update), { "Content-Type": "application/json; charset=utf-8", ...secret });
    expect(res.status).toBe(200);
    expect(tg.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });

  it("a gzip-compressed update is read", async () => {
    const since = tg.calls.length;
    const res = await post(gzipSync(JSON.stringify(helpUpdate())), { ...json, "Content-Encoding": "gzip", ...secret });
    expect(res.status).toBe(200);
    expect(tg.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });
});
