/**
 * The Zalo Bot wired end to end: started by the real registry from ZALO_BOT_* settings, the real
 * client against the stand-in, the webhook route with its secret header (PUBLIC_URL set) and long
 * polling (no PUBLIC_URL), the real delivery worker, and the conversation core shared with Telegram.
 */
import type { Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../helpers/fake-zalo-bot.ts";
import { freePort } from "../helpers/free-port.ts";
import { startPipeline, type Pipeline } from "../helpers/pipeline.ts";

const SECRET = "zalo-bot-webhook-secret-0123";
/** The bot's link as Zalo Bot Creator would give it (set in webhook mode only, so both answers are seen). */
const BOT_URL = "https://bot-link.example.vn/chidao";

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Setup = { bot: FakeZaloBot; p: Pipeline; server: Server | null; admin: Record<string, string>; principal: (org: string) => Promise<number> };

async function setup(mode: "webhook" | "polling"): Promise<Setup> {
  const bot = await startFakeZaloBot();
  const port = await freePort();
  const p = await startPipeline({
    channels: async (db, url) => {
      const config = loadConfig({
        NODE_ENV: "test",
        DATABASE_URL: url,
        LOG_LEVEL: "silent",
        ZALO_BOT_TOKEN: bot.token,
        ZALO_BOT_API_BASE: bot.apiBase,
        ...(mode === "webhook" ? { PUBLIC_URL: `http://127.0.0.1:${port}`, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_URL: BOT_URL } : {}),
      });
      return startChannels({ config, db, logger: createLogger("silent"), inbound: true });
    },
  });
  let server: Server | null = null;
  if (mode === "webhook") {
    server = p.app.listen(port, "127.0.0.1");
    await new Promise((r) => server!.once("listening", r));
  }
  await createProvince(p.db);
  const admin = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  const principal = async (org: string) => (await p.db.person.findFirstOrThrow({ where: { role: "PRINCIPAL", organization: { code: org } } })).id;
  return { bot, p, server, admin, principal };
}

async function teardown(s: Setup | undefined): Promise<void> {
  if (!s) return;
  await new Promise((r) => (s.server ? s.server.close(r) : r(null)));
  await s.p.close();
  await s.bot.close();
}

const textsTo = (bot: FakeZaloBot, chat: string) => bot.sentTo(chat).map((m) => m.text);

describe("the Zalo Bot by webhook", () => {
  let s: Setup;
  const chats: Record<string, string> = { "X1-TH": "8100000000000000001", "X1-THCS": "8100000000000000002" };
  beforeAll(async () => {
    s = await setup("webhook");
  }, 60_000);
  afterAll(() => teardown(s));

  it("sets its webhook with the secret and links principals by code", async () => {
    expect(s.p.channels.map((c) => c.kind)).toEqual(["ZALO_BOT"]);
    expect(s.bot.webhook).toMatchObject({ url: expect.stringMatching(/\/webhooks\/zalo-bot$/), secret: SECRET });
    for (const [org, chat] of Object.entries(chats)) {
      const link = await request(s.p.app)
        .post(`/api/v1/people/${await s.principal(org)}/link-code`)
        .set(s.admin)
        .expect(201);
      // The Zalo Bot's way in is its configured link (no link carries a code); the OA is off.
      expect(link.body).toMatchObject({ zalo_bot_url: BOT_URL, zalo_oa_url: null });
      s.bot.sendText(chat, org === "X1-TH" ? link.body.code : `/start ${link.body.code}`);
      await until(() => textsTo(s.bot, chat).find((t) => t.includes("Đã liên kết Zalo")));
      expect(await s.p.db.chatIdentity.findFirst({ where: { channel: "ZALO_BOT", externalId: chat } })).toMatchObject({ personId: await s.principal(org) });
    }
  });

  it("delivers a directive as text through the real worker and records acknowledgements by words once", async () => {
    const created = await request(s.p.app)
      .post("/api/v1/directives")
      .set(s.admin)
      .send({ title: "Báo cáo sĩ số", body: "Đề nghị các trường gửi sĩ số.", audience: { under: "X1", kinds: ["school"] } })
      .expect(201);
    const id = created.body.id as number;
    await request(s.p.app).post(`/api/v1/directives/${id}/publish`).set(s.admin).expect(202);
    await s.p.settled(id);
    for (const chat of Object.values(chats)) expect(textsTo(s.bot, chat).find((t) => t.includes("Báo cáo sĩ số"))).toContain("Trả lời «đã nhận» để xác nhận.");
    expect((await s.p.db.delivery.findMany({ where: { directiveId: id, channel: "ZALO_BOT" } })).map((d) => d.status)).toEqual(["SENT", "SENT"]);

    s.bot.sendText(chats["X1-TH"]!, "da nhan");
    s.bot.sendText(chats["X1-THCS"]!, "Đã nhận ạ");
    for (const chat of Object.values(chats)) await until(() => textsTo(s.bot, chat).find((t) => t.includes("Đã ghi nhận")));
    const acks = await s.p.db.acknowledgement.findMany({ where: { directiveId: id } });
    expect(acks.map((a) => [a.channel, a.source])).toEqual([
      ["ZALO_BOT", "TEXT"],
      ["ZALO_BOT", "TEXT"],
    ]);
  });

  it("asks which one when several are pending as numbered lines, and takes the number: «số 2», «5» out of range, «da nhan 1»", async () => {
    const ids: number[] = [];
    for (const title of ["Kế hoạch thi đua", "Lịch kiểm tra"]) {
      const created = await request(s.p.app)
        .post("/api/v1/directives")
        .set(s.admin)
        .send({ title, body: "Nội dung.", audience: { under: "X1", kinds: ["school"] } })
        .expect(201);
      ids.push(created.body.id);
      await request(s.p.app).post(`/api/v1/directives/${created.body.id}/publish`).set(s.admin).expect(202);
      await s.p.settled(created.body.id);
    }
    const chat = chats["X1-TH"]!;
    s.bot.sendText(chat, "da nhan");
    const question = await until(() => textsTo(s.bot, chat).find((t) => t.includes("văn bản nào")));
    // Newest first, each a numbered line; the person answers with the number.
    expect(question).toMatch(/\n1\. ✅ Lịch kiểm tra\n2\. ✅ Kế hoạch thi đua\n\nTrả lời bằng số thứ tự, ví dụ «1»\.$/);
    const acked = async () =>
      (await s.p.db.acknowledgement.findMany({ where: { directiveId: { in: ids }, personId: await s.principal("X1-TH") }, orderBy: { id: "asc" } })).map((a) => a.directiveId);
    s.bot.sendText(chat, "số 2");
    await until(() => textsTo(s.bot, chat).find((t) => t.includes("Kế hoạch thi đua") && t.includes("Đã ghi nhận")));
    expect(await acked()).toEqual([ids[0]]);
    s.bot.sendText(chat, "5");
    const outOfRange = await until(() => textsTo(s.bot, chat).find((t) => t.includes("không có số 5")));
    expect(outOfRange).toContain("1. ✅ Lịch kiểm tra");
    expect(await acked()).toEqual([ids[0]]);
    s.bot.sendText(chat, "da nhan 1");
    await until(() => textsTo(s.bot, chat).find((t) => t.includes("Lịch kiểm tra") && t.includes("Đã ghi nhận")));
    expect(await acked()).toEqual([ids[0], ids[1]]);
  });

  it("the same update twice has one effect; a wrong or missing secret is a 401 and nothing changes", async () => {
    const url = s.bot.webhook!.url;
    const update = {
      event_name: "message.text.received",
      message: { message_id: "m-replay-1", date: String(Date.now()), text: "xin chào", chat: { id: chats["X1-TH"], chat_type: "PRIVATE" } },
    };
    const post = (headers: Record<string, string>) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(update) });
    const before = { inbox: await s.p.db.inboxEvent.count(), sent: s.bot.sent.length };
    expect((await post({ "x-bot-api-secret-token": "wrong-secret-wrong-secret" })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect({ inbox: await s.p.db.inboxEvent.count(), sent: s.bot.sent.length }).toEqual(before);

    expect((await post({ "x-bot-api-secret-token": SECRET })).status).toBe(200);
    expect((await post({ "x-bot-api-secret-token": SECRET })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await s.p.db.inboxEvent.count()).toBe(before.inbox + 1);
    expect(s.bot.sent.length).toBe(before.sent + 1);
  });
});

describe("the Zalo Bot by long polling (no PUBLIC_URL)", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup("polling");
  }, 60_000);
  afterAll(() => teardown(s));

  it("links a principal by a code inside a sentence", async () => {
    expect(s.bot.webhook).toBeNull();
    const chat = "8100000000000000009";
    const person = await s.principal("X2-THCS");
    const link = await request(s.p.app).post(`/api/v1/people/${person}/link-code`).set(s.admin).expect(201);
    // No ZALO_BOT_URL: the bot is on, but there is no link to give.
    expect(link.body.zalo_bot_url).toBeNull();
    s.bot.sendText(chat, `Mã của trường em là ${link.body.code} ạ`);
    await until(() => textsTo(s.bot, chat).find((t) => t.includes("Đã liên kết Zalo")));
    expect(await s.p.db.chatIdentity.findFirst({ where: { channel: "ZALO_BOT", externalId: chat } })).toMatchObject({ personId: person });
  });
});
