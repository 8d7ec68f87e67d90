import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramBot } from "../../bot/channels/telegram/create-telegram-bot.ts";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { startTelegram } from "../../bot/channels/telegram/telegram.runtime.ts";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createOrg } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeCall, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

let tdb: TestDb;
let tg: FakeTelegram;
let bot: Bot;
let polling: Promise<void>;
const logger = createLogger("silent");
let nextChat = 900_000;
let nextOrg = 0;

beforeAll(async () => {
  tdb = await createTestDb();
  tg = await startFakeTelegram();
  await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" });
  bot = createTelegramBot({ token: tg.token, apiRoot: tg.apiRoot, db: tdb.db, logger });
  await bot.init();
  polling = bot.start({ allowed_updates: ["message", "callback_query"] });
});
afterAll(async () => {
  await bot.stop();
  await polling.catch(() => {});
  await tg.close();
  await tdb.drop();
});

/** A principal of a new school. */
async function principal(name = "Nguyễn Thị Hạnh") {
  const code = `T${++nextOrg}`;
  const { principal } = await createOrg(tdb.db, { code, name: `Trường THCS số ${nextOrg}`, kind: "SCHOOL", level: "THCS", parentCode: "SGD", principal: name });
  return principal!;
}

async function linkedPrincipal() {
  const p = await principal();
  const chatId = ++nextChat;
  await tdb.db.chatIdentity.create({ data: { personId: p.id, channel: "TELEGRAM", externalId: String(chatId) } });
  return { person: p, chatId };
}

async function linkCode(personId: number, o: { expired?: boolean } = {}) {
  const code = `code${Math.random().toString(36).slice(2, 12)}`;
  await tdb.db.linkCode.create({ data: { code, personId, expiresAt: new Date(Date.now() + (o.expired ? -1000 : 86_400_000)) } });
  return code;
}

/** A directive published to `personId` and really sent to their chat through the adapter; returns ids. */
async function deliver(personId: number, chatId: number, title = "Kế hoạch tự đánh giá năm 2026") {
  const sgd = await tdb.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
  const person = await tdb.db.person.findUniqueOrThrow({ where: { id: personId } });
  const audience = await tdb.db.audience.create({ data: { kinds: [], levels: [], underOrgId: sgd.id } });
  const directive = await tdb.db.directive.create({
    data: { title, body: "Đề nghị các trường thực hiện.", status: "PUBLISHED", publishedAt: new Date(), audienceId: audience.id, issuerOrgId: sgd.id, deadline: new Date("2026-12-01T10:00:00Z") },
  });
  const { messageId } = await createTelegramAdapter(bot.api).sendDirective({
    deliveryId: 0, directiveId: directive.id, chatId: String(chatId), title, body: directive.body, issuerName: sgd.name, deadline: directive.deadline, requireAck: true,
  });
  await tdb.db.delivery.create({
    data: { directiveId: directive.id, personId, organizationId: person.organizationId, channel: "TELEGRAM", status: "SENT", externalChatId: String(chatId), platformMessageId: messageId, sentAt: new Date() },
  });
  return { directiveId: directive.id, messageId: Number(messageId) };
}

/** The next call of `method` for `chatId` among the calls made after the first `since` calls. */
function nextCall(method: string, chatId: number, since: number): Promise<FakeCall> {
  return tg.waitFor(() => tg.calls.slice(since).find((c) => c.method === method && String(c.params.chat_id) === String(chatId)));
}

async function say(chatId: number, text: string): Promise<string> {
  const since = tg.calls.length;
  if (text.startsWith("/")) tg.sendCommand(chatId, text);
  else tg.sendText(chatId, text);
  return String((await nextCall("sendMessage", chatId, since)).params.text);
}

describe("linking with /start <code>", () => {
  it("links the chat with a good code, and names the principal and school", async () => {
    const p = await principal("Trần Văn Bình");
    const code = await linkCode(p.id);
    const chatId = ++nextChat;
    const answer = await say(chatId, `/start ${code}`);
    expect(answer).toContain("Đã liên kết");
    expect(answer).toContain("Trần Văn Bình");
    const identity = await tdb.db.chatIdentity.findUniqueOrThrow({ where: { channel_externalId: { channel: "TELEGRAM", externalId: String(chatId) } } });
    expect(identity.personId).toBe(p.id);
    const used = await tdb.db.linkCode.findUniqueOrThrow({ where: { code } });
    expect(used).toMatchObject({ usedChannel: "TELEGRAM", usedExternalId: String(chatId) });
    expect(used.usedAt).not.toBeNull();

    // The same link pressed again from the same chat is not an error.
    expect(await say(chatId, `/start ${code}`)).toContain("đã được liên kết");
    // From another chat the used code links nothing.
    const other = ++nextChat;
    expect(await say(other, `/start ${code}`)).toContain("đã được sử dụng");
    expect(await tdb.db.chatIdentity.count({ where: { externalId: String(other) } })).toBe(0);
  });

  it("refuses an expired, an unknown and a malformed code, and links nothing", async () => {
    const p = await principal();
    const chatId = ++nextChat;
    expect(await say(chatId, `/start ${await linkCode(p.id, { expired: true })}`)).toContain("hết hạn");
    expect(await say(chatId, "/start khongcomanay")).toContain("không đúng");
    expect(await say(chatId, "/start <script>")).toContain("không đúng");
    expect(await tdb.db.chatIdentity.count({ where: { externalId: String(chatId) } })).toBe(0);
    expect(await say(chatId, "/start")).toContain("đường dẫn liên kết");
  });

  it("moves a principal to a new chat with a new code, unlinking the old one", async () => {
    const { person, chatId: old } = await linkedPrincipal();
    const fresh = ++nextChat;
    expect(await say(fresh, `/start ${await linkCode(person.id)}`)).toContain("Đã liên kết");
    const identities = await tdb.db.chatIdentity.findMany({ where: { personId: person.id } });
    expect(identities.map((i) => i.externalId)).toEqual([String(fresh)]);
    expect(await say(old, "da nhan")).toContain("chưa được liên kết");
  });
});

describe("acknowledgements", () => {
  it("records a button press once, answers it, and stamps the message", async () => {
    const { person, chatId } = await linkedPrincipal();
    const { directiveId, messageId } = await deliver(person.id, chatId);
    const since = tg.calls.length;
    tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    const answer = await tg.waitFor(() => tg.calls.slice(since).find((c) => c.method === "answerCallbackQuery"));
    expect(answer.params.text).toBe("Đã ghi nhận");
    const edit = await nextCall("editMessageText", chatId, since);
    expect(String(edit.params.text)).toMatch(/📢 Kế hoạch tự đánh giá năm 2026[\s\S]*✅ Đã nhận lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}$/);
    // Formatting kept: the title is still bold.
    expect(JSON.stringify(edit.params.entities)).toContain("bold");
    const acks = await tdb.db.acknowledgement.findMany({ where: { directiveId, personId: person.id } });
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ channel: "TELEGRAM", source: "BUTTON", raw: `ack:${directiveId}` });
    expect(acks[0]!.deliveryId).not.toBeNull();

    const again = tg.calls.length;
    tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    const second = await tg.waitFor(() => tg.calls.slice(again).find((c) => c.method === "answerCallbackQuery"));
    expect(String(second.params.text)).toContain("đã xác nhận lúc");
    expect(await tdb.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
  });

  it("does not let a chat acknowledge a directive that never reached it", async () => {
    const { chatId } = await linkedPrincipal();
    const other = await linkedPrincipal();
    const { directiveId, messageId } = await deliver(other.person.id, other.chatId);
    const since = tg.calls.length;
    tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    const answer = await tg.waitFor(() => tg.calls.slice(since).find((c) => c.method === "answerCallbackQuery"));
    expect(answer.params.text).toBe("Không tìm thấy chỉ đạo này");
    expect(await tdb.db.acknowledgement.count({ where: { directiveId } })).toBe(0);
  });

  for (const text of ["da nhan a", "Đã nhận ạ", "DA NHAN", "em đã nhận được rồi ạ", "ok đã nhận", "👍"]) {
    it(`acknowledges the one pending directive when the principal writes ${JSON.stringify(text)}`, async () => {
      const { person, chatId } = await linkedPrincipal();
      const { directiveId } = await deliver(person.id, chatId);
      expect(await say(chatId, text)).toContain("Đã ghi nhận");
      const ack = await tdb.db.acknowledgement.findUniqueOrThrow({ where: { directiveId_personId: { directiveId, personId: person.id } } });
      expect(ack).toMatchObject({ source: "TEXT", raw: text, channel: "TELEGRAM" });
    });
  }

  it("asks which one when several are pending, then acknowledges the one picked", async () => {
    const { person, chatId } = await linkedPrincipal();
    const a = await deliver(person.id, chatId, "Báo cáo sơ kết học kỳ I");
    const b = await deliver(person.id, chatId, "Lịch kiểm tra cuối kỳ");
    const since = tg.calls.length;
    tg.sendText(chatId, "da nhan");
    const question = await nextCall("sendMessage", chatId, since);
    expect(String(question.params.text)).toContain("văn bản nào");
    const buttons = JSON.stringify(question.params.reply_markup);
    expect(buttons).toContain(`ack:${a.directiveId}`);
    expect(buttons).toContain(`ack:${b.directiveId}`);
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(0);

    const sent = tg.messagesTo(chatId).at(-1)!;
    const picked = tg.calls.length;
    tg.pressButton(chatId, sent.message_id, `ack:${a.directiveId}`);
    const confirmation = await nextCall("sendMessage", chatId, picked);
    expect(String(confirmation.params.text)).toContain("Báo cáo sơ kết học kỳ I");
    const acks = await tdb.db.acknowledgement.findMany({ where: { personId: person.id } });
    expect(acks.map((x) => x.directiveId)).toEqual([a.directiveId]);
    // What is left pending is still offered.
    const edit = await nextCall("editMessageReplyMarkup", chatId, picked);
    expect(JSON.stringify(edit.params.reply_markup)).toContain(`ack:${b.directiveId}`);
    expect(JSON.stringify(edit.params.reply_markup)).not.toContain(`ack:${a.directiveId}`);
  });

  it("keeps 'not received' and questions for the officer and acknowledges nothing", async () => {
    const { person, chatId } = await linkedPrincipal();
    const { directiveId } = await deliver(person.id, chatId);
    expect(await say(chatId, "chưa nhận được file ạ")).toContain("chưa nhận được");
    expect(await say(chatId, "chua nhan duoc")).toContain("chưa nhận được");
    expect(await say(chatId, "cho em hỏi hạn nộp là khi nào?")).toContain("Câu hỏi");
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(0);
    const kept = await tdb.db.inboundMessage.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
    expect(kept.map((k) => [k.intent, k.directiveId, k.text])).toEqual([
      ["DECLINE", directiveId, "chưa nhận được file ạ"],
      ["DECLINE", directiveId, "chua nhan duoc"],
      ["QUESTION", directiveId, "cho em hỏi hạn nộp là khi nào?"],
    ]);
  });

  it("says so when nothing is pending, and explains linking to a stranger", async () => {
    const { chatId } = await linkedPrincipal();
    expect(await say(chatId, "đã nhận")).toContain("không có văn bản nào");
    expect(await say(++nextChat, "đã nhận")).toContain("chưa được liên kết");
  });
});

describe("commands and duplicates", () => {
  it("/pending lists what awaits acknowledgement with deadlines and buttons; /help explains", async () => {
    const { person, chatId } = await linkedPrincipal();
    const { directiveId } = await deliver(person.id, chatId, "Kế hoạch kiểm định chất lượng");
    const since = tg.calls.length;
    tg.sendCommand(chatId, "/pending");
    const list = await nextCall("sendMessage", chatId, since);
    expect(String(list.params.text)).toContain("Kế hoạch kiểm định chất lượng — hạn 17h00 ngày 01/12/2026");
    expect(JSON.stringify(list.params.reply_markup)).toContain(`ack:${directiveId}`);
    expect(await say(chatId, "/help")).toContain("/pending");
  });

  it("processes a redelivered update once", async () => {
    const { person, chatId } = await linkedPrincipal();
    await deliver(person.id, chatId);
    const update = { update_id: 777_001, message: { message_id: 1, from: { id: chatId, is_bot: false, first_name: "HT" }, chat: { id: chatId, type: "private", first_name: "HT" }, date: 0, text: "đã nhận" } } as Update;
    const since = tg.calls.length;
    // As a webhook retry would: the same update handed to the bot twice.
    await bot.handleUpdate(update);
    await bot.handleUpdate(structuredClone(update));
    const replies = tg.calls.slice(since).filter((c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chatId));
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.params.text)).toContain("Đã ghi nhận");
    expect(await tdb.db.processedUpdate.count({ where: { updateKey: `${bot.botInfo.id}:777001` } })).toBe(1);
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
  });
});

describe("webhook mode", () => {
  let hookTg: FakeTelegram;
  let server: Server;
  let stop: () => Promise<void>;
  const secret = "s3cret_Webhook-token";

  beforeAll(async () => {
    hookTg = await startFakeTelegram({ token: "654321:another-bot", username: "chidao_hook_bot" });
    // The app must listen before Telegram knows its URL; the handler is mounted once started.
    let handler: import("express").RequestHandler = (_req, res) => void res.sendStatus(503);
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: hookTg.token, TELEGRAM_API_ROOT: hookTg.apiRoot, PUBLIC_URL: "http://127.0.0.1:1", TELEGRAM_WEBHOOK_SECRET: secret });
    const app = createApp({ db: tdb.db, config, logger, readiness: async () => ({ database: true, queue: true }), deliveries: { enqueue: async () => {} }, telegram: { username: hookTg.username, webhook: (req, res, next) => handler(req, res, next) } });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    const started = await startTelegram({ config: { ...config, PUBLIC_URL: `http://127.0.0.1:${port}` }, db: tdb.db, logger, inbound: true });
    handler = started!.webhook!;
    stop = started!.stop;
  });
  afterAll(async () => {
    await stop();
    await new Promise((r) => server.close(r));
    await hookTg.close();
  });

  it("registers the webhook with its secret and answers updates that carry it", async () => {
    expect(hookTg.webhook).toEqual({ url: expect.stringMatching(/\/webhooks\/telegram$/), secret });
    const chatId = ++nextChat;
    const since = tg.calls.length;
    hookTg.sendCommand(chatId, "/help");
    const reply = await hookTg.waitFor(() => hookTg.calls.find((c) => c.method === "sendMessage" && c.at >= since));
    expect(String(reply.params.text)).toContain("Hướng dẫn");
    expect(hookTg.webhookResponses.at(-1)).toBe(200);
  });

  it("refuses an update without the right secret and processes nothing", async () => {
    const url = hookTg.webhook!.url;
    const update = { update_id: 888_001, message: { message_id: 1, from: { id: 5, is_bot: false, first_name: "X" }, chat: { id: 5, type: "private" }, date: 0, text: "/help" } };
    const wrong = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "wrong" }, body: JSON.stringify(update) });
    expect(wrong.status).toBe(401);
    const missing = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(update) });
    expect(missing.status).toBe(401);
    expect(await tdb.db.processedUpdate.count({ where: { updateKey: { endsWith: ":888001" } } })).toBe(0);
  });
});
