/**
 * One logical delivery per principal across channels, on real parts: the Telegram stand-in and the
 * Zalo OA stand-in behind the real clients, the real delivery workers (one per channel's queue),
 * the real HTTP routes and the Zalo webhook. A permanent failure on one channel moves the delivery
 * to the next channel of the principal's order, every try is an attempt, the Zalo OA's closed
 * interaction window turns to the office's template message (or, without one, to the next channel),
 * and an acknowledgement counts once whichever channel it comes from.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { RecipientRow } from "../../server/features/directives/find-directive-recipients.ts";
import { createProvince, createUserWithToken, linkTelegram } from "../helpers/factories.ts";
import { startFakeZaloOa, type FakeZaloOa, zaloOaEnv } from "../helpers/fake-zalo-oa.ts";
import { publishDirective, startPipeline, type Pipeline } from "../helpers/pipeline.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

type Setup = { zalo: FakeZaloOa; p: Pipeline; admin: Record<string, string>; hook: string; server: Server };

async function setUp(templateEnv: Record<string, string>): Promise<Setup> {
  const zalo = await startFakeZaloOa();
  zalo.templates.set("TPL-CHIDAO", ["tieu_de", "ma_so", "don_vi"]);
  const p = await startPipeline({
    channels: async (db, url) => {
      const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", ...zaloOaEnv(zalo), ...templateEnv });
      return startChannels({ config, db, logger: createLogger("silent"), inbound: true });
    },
  });
  await createProvince(p.db);
  const admin = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  const server = p.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo-oa`;
  return { zalo, p, admin, hook, server };
}

async function tearDown(s: Setup | undefined): Promise<void> {
  await new Promise((r) => s?.server.close(r));
  await s?.p.close();
  await s?.zalo.close();
}

/** The principal of `orgCode`, linked on the given channels in that order (a second apart). */
async function principal(s: Setup, orgCode: string, links: { telegram?: number; zalo?: string; zaloLastInteraction?: Date | null }[], phone?: string) {
  const person = await s.p.db.person.findFirstOrThrow({ where: { role: "PRINCIPAL", organization: { code: orgCode } } });
  if (phone) await s.p.db.person.update({ where: { id: person.id }, data: { phone } });
  let at = Date.now() - 60_000;
  for (const l of links) {
    at += 1000;
    if (l.telegram !== undefined)
      await linkTelegram(s.p.db, person.id, l.telegram).then((ci) => s.p.db.chatIdentity.update({ where: { id: ci.id }, data: { linkedAt: new Date(at) } }));
    if (l.zalo !== undefined) {
      await s.p.db.chatIdentity.create({
        data: { personId: person.id, channel: "ZALO_OA", externalId: l.zalo, linkedAt: new Date(at), lastInteractionAt: l.zaloLastInteraction ?? null },
      });
    }
  }
  return person.id;
}

async function recipients(s: Setup, directiveId: number): Promise<RecipientRow[]> {
  return (await request(s.p.app).get(`/api/v1/directives/${directiveId}/recipients`).set(s.admin).expect(200)).body as RecipientRow[];
}

async function until<T>(f: () => T | undefined | null | Promise<T | undefined | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("fallback and the interaction window, with a template message configured", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp({ ZALO_OA_TEMPLATE_ID: "TPL-CHIDAO", ZALO_OA_TEMPLATE_PARAMS: "tieu_de=title, ma_so=directive_id, don_vi=issuer", ZALO_OA_TEMPLATE_BY: "phone" });
  }, 60_000);
  afterAll(() => tearDown(s));

  it("blocked on Telegram: delivered by the Zalo OA, both attempts recorded, the receipt on the delivery", async () => {
    const personId = await principal(s, "X1-TH", [{ telegram: 910001 }, { zalo: "3101000000000000001" }]);
    s.zalo.addUser("3101000000000000001");
    s.p.tg.blockChat(910001);
    const id = await publishDirective(s.p.app, s.admin, { title: "Báo cáo sĩ số", audience: { under: "X1", levels: ["tieu_hoc"] } });
    await s.p.settled(id);

    const rows = await recipients(s, id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ person_id: personId, org_code: "X1-TH", channel: "zalo_oa", status: "sent", delivered_at: null, seen_at: null, acknowledged_at: null });
    expect(row.attempts.map((a) => [a.channel, a.status, a.message_kind, a.billable])).toEqual([
      ["telegram", "unreachable", null, null],
      // The chat's last interaction is not known (no message from it yet): whether it cost money is not known either.
      ["zalo_oa", "sent", "consultation", null],
    ]);
    expect(row.attempts[0]!.error).toMatch(/blocked/);
    expect(row.attempts[1]!.error).toBeNull();
    expect(new Date(row.attempts[0]!.at).getTime()).toBeLessThanOrEqual(new Date(row.attempts[1]!.at).getTime());
    // Nothing reached Telegram; the directive reached Zalo with its button; the block is on the Telegram chat only.
    expect(s.p.tg.messagesTo(910001)).toHaveLength(0);
    const text = s.zalo.sentTo("3101000000000000001").find((m) => m.kind === "text");
    expect(text?.text).toContain("Báo cáo sĩ số");
    const chats = await s.p.db.chatIdentity.findMany({ where: { personId }, orderBy: { channel: "asc" } });
    expect(chats.map((c) => [c.channel, c.blockedAt !== null])).toEqual([
      ["TELEGRAM", true],
      ["ZALO_OA", false],
    ]);

    // Zalo's receipt names the message: it lands on this principal's one delivery.
    expect(await s.zalo.deliver(s.hook, s.zalo.events.received("3101000000000000001", text!.messageId))).toBe(200);
    const after = await until(async () => {
      const [r] = await recipients(s, id);
      return r?.delivered_at ? r : null;
    });
    expect(after.seen_at).toBeNull();
  });

  it("PATCH channel_order changes which channel is tried first", async () => {
    const personId = await principal(s, "X1-THCS", [{ telegram: 910002 }, { zalo: "3101000000000000002" }]);
    s.zalo.addUser("3101000000000000002");
    const before = await request(s.p.app).get("/api/v1/people?org=X1-THCS").set(s.admin).expect(200);
    expect(before.body[0]).toMatchObject({ id: personId, channel_order: ["telegram", "zalo_oa"], channel_preference: [] });

    const patched = await request(s.p.app)
      .patch(`/api/v1/people/${personId}`)
      .set(s.admin)
      .send({ channel_order: ["ZALO_OA", "ZALO_BOT", "TELEGRAM"] })
      .expect(200);
    expect(patched.body).toMatchObject({ id: personId, channel_order: ["zalo_oa", "telegram"], channel_preference: ["zalo_oa", "zalo_bot", "telegram"] });

    const id = await publishDirective(s.p.app, s.admin, { title: "Lịch họp", audience: { under: "X1", levels: ["thcs"] } });
    await s.p.settled(id);
    const [row] = await recipients(s, id);
    expect(row).toMatchObject({ channel: "zalo_oa", status: "sent" });
    expect(row!.attempts.map((a) => [a.channel, a.status])).toEqual([["zalo_oa", "sent"]]);
    expect(s.p.tg.messagesTo(910002)).toHaveLength(0);

    // Back to the order of linking: Telegram first again.
    await request(s.p.app).patch(`/api/v1/people/${personId}`).set(s.admin).send({ channel_order: [] }).expect(200);
    const again = await publishDirective(s.p.app, s.admin, { title: "Lịch họp 2", audience: { under: "X1", levels: ["thcs"] } });
    await s.p.settled(again);
    expect((await recipients(s, again))[0]).toMatchObject({ channel: "telegram", status: "sent" });
    expect(s.p.tg.messagesTo(910002)).toHaveLength(1);
  });

  it("window closed (Zalo answers -230): the template message carries it by phone, and the attempt says so and that it cost money", async () => {
    const user = "3101000000000000003";
    await principal(s, "X2-TH", [{ zalo: user }], "0912345603");
    s.zalo.addUser(user, { phone: "84912345603", lastInteractionAt: Date.now() - 8 * DAY_MS });
    // A system administrator's directive has no issuing office: that parameter is sent empty.
    const id = await publishDirective(s.p.app, s.admin, { title: "Nhắc hạn nộp báo cáo", audience: { under: "X2", levels: ["tieu_hoc"] } });
    await s.p.settled(id);

    const [row] = await recipients(s, id);
    expect(row).toMatchObject({ channel: "zalo_oa", status: "sent" });
    expect(row!.attempts.map((a) => [a.channel, a.status, a.message_kind, a.billable])).toEqual([["zalo_oa", "sent", "template", true]]);
    // The consultation was refused first (the recorded interaction was not known), then the template went by phone.
    expect(s.zalo.stats.rejected[-230]).toBeGreaterThanOrEqual(1);
    const sent = s.zalo.sentTo(user);
    expect(sent.map((m) => m.kind)).toEqual(["template"]);
    expect(sent[0]!.template).toMatchObject({
      templateId: "TPL-CHIDAO",
      by: "phone",
      phone: "84912345603",
      data: { tieu_de: "Nhắc hạn nộp báo cáo", ma_so: String(id), don_vi: "" },
      trackingId: expect.stringMatching(/^d\d+$/),
    });
    const attempt = await s.p.db.deliveryAttempt.findFirstOrThrow({ where: { delivery: { directiveId: id } } });
    expect(attempt).toMatchObject({ messageKind: "TEMPLATE", billable: true, platformMessageId: sent[0]!.messageId });
  });

  it("window known closed from the recorded last interaction: straight to the template, no consultation tried", async () => {
    const user = "3101000000000000004";
    await principal(s, "X2-THCS", [{ zalo: user, zaloLastInteraction: new Date(Date.now() - 9 * DAY_MS) }], "0912345604");
    s.zalo.addUser(user, { phone: "84912345604", lastInteractionAt: Date.now() - 9 * DAY_MS });
    const rejected = s.zalo.stats.rejected[-230] ?? 0;
    const id = await publishDirective(s.p.app, s.admin, { title: "Thông báo nghỉ lễ", audience: { under: "X2", levels: ["thcs"] } });
    await s.p.settled(id);
    expect((await recipients(s, id))[0]!.attempts.map((a) => [a.status, a.message_kind, a.billable])).toEqual([["sent", "template", true]]);
    expect(s.zalo.stats.rejected[-230] ?? 0).toBe(rejected);
    expect(s.zalo.calls.filter((c) => c.path === "/openapi/v3.0/oa/message/cs" && JSON.stringify(c.body).includes(user))).toHaveLength(0);
  });

  it("a template message refused for billing (-136) falls back to the next channel, the attempt naming the template", async () => {
    const user = "3101000000000000007";
    await principal(s, "THPT2", [{ zalo: user }, { telegram: 910007 }], "0912345607");
    s.zalo.addUser(user, { phone: "84912345607", lastInteractionAt: Date.now() - 8 * DAY_MS });
    s.zalo.zns.billingLinked = false;
    try {
      const id = await publishDirective(s.p.app, s.admin, { title: "Tuyển sinh lớp 10", audience: { under: "SGD", levels: ["thpt"] } });
      await s.p.settled(id);
      const row = (await recipients(s, id)).find((r) => r.org_code === "THPT2")!;
      expect(row).toMatchObject({ channel: "telegram", status: "sent" });
      expect(row.attempts.map((a) => [a.channel, a.status, a.message_kind])).toEqual([
        ["zalo_oa", "failed", "template"],
        ["telegram", "sent", "bot_message"],
      ]);
      expect(row.attempts[0]!.error).toMatch(/-136/);
      expect(s.p.tg.messagesTo(910007)).toHaveLength(1);
    } finally {
      s.zalo.zns.billingLinked = true;
    }
  });

  it("a consultation 48 hours to 7 days after the last interaction is recorded as billed", async () => {
    const user = "3101000000000000005";
    await principal(s, "X2-MN", [{ zalo: user, zaloLastInteraction: new Date(Date.now() - 3 * DAY_MS) }]);
    s.zalo.addUser(user, { lastInteractionAt: Date.now() - 3 * DAY_MS });
    const id = await publishDirective(s.p.app, s.admin, { title: "Kế hoạch tháng", audience: { under: "X2", levels: ["mam_non"] } });
    await s.p.settled(id);
    expect((await recipients(s, id))[0]!.attempts.map((a) => [a.status, a.message_kind, a.billable])).toEqual([["sent", "consultation", true]]);
  });

  it("an answer on the second channel to a message carried by the first counts once, and opens the Zalo window", async () => {
    const user = "3101000000000000006";
    const personId = await principal(s, "THPT1", [{ telegram: 910006 }, { zalo: user }]);
    s.zalo.addUser(user);
    const id = await publishDirective(s.p.app, s.admin, { title: "Kiểm tra học kỳ", audience: { under: "SGD", levels: ["thpt"] } });
    await s.p.settled(id);
    const before = (await recipients(s, id)).find((r) => r.person_id === personId)!;
    expect(before).toMatchObject({ channel: "telegram", status: "sent" });
    expect(s.p.tg.messagesTo(910006)).toHaveLength(1);

    // The principal answers on Zalo, twice and then by the button: one acknowledgement.
    expect(await s.zalo.deliver(s.hook, s.zalo.events.text(user, "Đã nhận ạ"))).toBe(200);
    expect(await s.zalo.deliver(s.hook, s.zalo.events.text(user, "da nhan"))).toBe(200);
    expect(await s.zalo.deliver(s.hook, s.zalo.events.text(user, `#ack:${id}`))).toBe(200);
    const acks = await s.p.db.acknowledgement.findMany({ where: { directiveId: id, personId } });
    expect(acks.map((a) => [a.channel, a.source])).toEqual([["ZALO_OA", "TEXT"]]);
    const delivery = await s.p.db.delivery.findFirstOrThrow({ where: { directiveId: id, personId } });
    expect(acks[0]!.deliveryId).toBe(delivery.id);
    const after = (await recipients(s, id)).find((r) => r.person_id === personId)!;
    expect(after).toMatchObject({ channel: "telegram", status: "sent", acknowledged_via: "text", acknowledged_channel: "zalo_oa" });
    expect(after.acknowledged_at).not.toBeNull();
    expect((await request(s.p.app).get(`/api/v1/directives/${id}`).set(s.admin).expect(200)).body.counts).toMatchObject({ acknowledged: 1 });

    // Any inbound message is an interaction: it is recorded on the Zalo chat (the window opens).
    const chat = await s.p.db.chatIdentity.findFirstOrThrow({ where: { channel: "ZALO_OA", externalId: user } });
    expect(chat.lastInteractionAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("the interaction window closed with no template message configured", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp({});
  }, 60_000);
  afterAll(() => tearDown(s));

  it("falls back to the next channel, with the Zalo attempt saying why", async () => {
    const user = "3102000000000000001";
    const personId = await principal(s, "X1-TH", [{ zalo: user }, { telegram: 920001 }]);
    s.zalo.addUser(user, { lastInteractionAt: Date.now() - 10 * DAY_MS });
    const id = await publishDirective(s.p.app, s.admin, { title: "Họp giao ban", audience: { under: "X1", levels: ["tieu_hoc"] } });
    await s.p.settled(id);
    const [row] = await recipients(s, id);
    expect(row).toMatchObject({ person_id: personId, channel: "telegram", status: "sent" });
    expect(row!.attempts.map((a) => [a.channel, a.status, a.message_kind])).toEqual([
      ["zalo_oa", "unreachable", "consultation"],
      ["telegram", "sent", "bot_message"],
    ]);
    expect(row!.attempts[0]!.error).toMatch(/-230.*no template message configured/);
    expect(s.p.tg.messagesTo(920001)).toHaveLength(1);
    expect(s.zalo.sentTo(user)).toHaveLength(0);
    // A closed window is not a block.
    expect((await s.p.db.chatIdentity.findFirstOrThrow({ where: { channel: "ZALO_OA", externalId: user } })).blockedAt).toBeNull();
  });

  it("with no channel left the delivery is unreachable, every try listed", async () => {
    const user = "3102000000000000002";
    await principal(s, "X1-THCS", [{ telegram: 920002 }, { zalo: user, zaloLastInteraction: new Date(Date.now() - 30 * DAY_MS) }]);
    s.zalo.addUser(user, { lastInteractionAt: Date.now() - 30 * DAY_MS });
    s.p.tg.blockChat(920002);
    const id = await publishDirective(s.p.app, s.admin, { title: "Khảo sát", audience: { under: "X1", levels: ["thcs"] } });
    await s.p.settled(id);
    const [row] = await recipients(s, id);
    expect(row).toMatchObject({ channel: "zalo_oa", status: "unreachable" });
    expect(row!.attempts.map((a) => [a.channel, a.status, a.message_kind])).toEqual([
      ["telegram", "unreachable", null],
      ["zalo_oa", "unreachable", null],
    ]);
    expect(row!.last_error).toMatch(/window closed.*no template message configured/);
    expect((await request(s.p.app).get(`/api/v1/directives/${id}`).set(s.admin).expect(200)).body.counts).toMatchObject({ recipients: 1, unreachable: 1 });
  });
});
