/**
 * The Zalo OA wired end to end: the channel started by the real registry from ZALO_* settings, the
 * real OA client against the stand-in, the real webhook route with Zalo's signature, the real
 * delivery worker, and the conversation core shared with Telegram.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { startZaloOa } from "../../bot/channels/zalo-oa/zalo-oa.runtime.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { startFakeZaloOa, type FakeZaloOa, zaloOaEnv } from "../helpers/fake-zalo-oa.ts";
import { startPipeline, type Pipeline } from "../helpers/pipeline.ts";

let zalo: FakeZaloOa;
let p: Pipeline;
let server: Server;
let hook: string;
let admin: Record<string, string>;
const principals: Record<string, number> = {};
const usedCodes: string[] = [];
const users: Record<string, string> = { "X1-TH": "3001234567890123456", "X1-THCS": "3001234567890123457", "X2-THCS": "3001234567890123458" };

beforeAll(async () => {
  zalo = await startFakeZaloOa();
  p = await startPipeline({
    channels: async (db, url) => {
      const config = loadConfig({
        NODE_ENV: "test",
        DATABASE_URL: url,
        LOG_LEVEL: "silent",
        ...zaloOaEnv(zalo),
      });
      // The registry itself: only the OA is configured, so only the OA starts.
      return startChannels({ config, db, logger: createLogger("silent"), inbound: true });
    },
  });
  expect(p.channels.map((c) => c.kind)).toEqual(["ZALO_OA"]);
  await createProvince(p.db);
  admin = { Authorization: `Bearer ${(await createUserWithToken(p.db)).token}` };
  for (const org of Object.keys(users)) {
    principals[org] = (await p.db.person.findFirstOrThrow({ where: { role: "PRINCIPAL", organization: { code: org } } })).id;
    zalo.addUser(users[org]!);
  }
  server = p.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo-oa`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await p?.close();
  await zalo?.close();
});

const textsTo = (user: string) =>
  zalo
    .sentTo(user)
    .filter((s) => s.kind === "text")
    .map((s) => s.text ?? "");
async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("linking by code on the Zalo OA", () => {
  it("offers the OA's follow link and links a code sent alone, as /start CODE, and inside a sentence", async () => {
    const forms: Record<string, (code: string) => string> = { "X1-TH": (c) => c, "X1-THCS": (c) => `/start ${c}`, "X2-THCS": (c) => `Em gửi mã ${c} để liên kết ạ` };
    for (const [org, form] of Object.entries(forms)) {
      const link = await request(p.app).post(`/api/v1/people/${principals[org]}/link-code`).set(admin).expect(201);
      expect(link.body).toMatchObject({ zalo_oa_url: `https://zalo.me/${zalo.oaId}`, zalo_bot_url: null });
      usedCodes.push(link.body.code);
      expect(await zalo.deliver(hook, zalo.events.text(users[org]!, form(link.body.code)))).toBe(200);
      await until(() => textsTo(users[org]!).find((t) => t.includes("Đã liên kết Zalo")));
      expect(await p.db.chatIdentity.findFirst({ where: { channel: "ZALO_OA", externalId: users[org] } })).toMatchObject({ personId: principals[org] });
    }
  });

  it("answers a used code clearly and links nothing", async () => {
    const stranger = "3009999999999999999";
    zalo.addUser(stranger);
    await zalo.deliver(hook, zalo.events.text(stranger, usedCodes[0]!));
    expect(await until(() => textsTo(stranger)[0])).toContain("đã được sử dụng");
    expect(await p.db.chatIdentity.count({ where: { channel: "ZALO_OA", externalId: stranger } })).toBe(0);
  });
});

describe("a directive on the Zalo OA", () => {
  let id: number;

  it("arrives with its PDF and the acknowledgement button through the real delivery worker", async () => {
    const clerk = { Authorization: `Bearer ${(await createUserWithToken(p.db, { role: "CLERK", orgCode: "SGD" })).token}` };
    const { SAMPLES } = await import("../fixtures/document-samples.ts");
    const doc = await request(p.app).post("/api/v1/documents").set(clerk).send({ template: "cong_van", issuer: "SGD", data: SAMPLES.cong_van }).expect(201);
    await request(p.app).post(`/api/v1/documents/${doc.body.id}/issue`).set(clerk).send({}).expect(200);
    const created = await request(p.app)
      .post("/api/v1/directives")
      .set(admin)
      .send({ title: "Kiểm tra cơ sở vật chất", body: "Đề nghị các trường báo cáo.", audience: { under: "SGD", kinds: ["school"] }, document_id: doc.body.id })
      .expect(201);
    id = created.body.id;
    await request(p.app).post(`/api/v1/directives/${id}/publish`).set(admin).expect(202);
    await p.settled(id);

    for (const user of Object.values(users)) {
      const sent = zalo.sentTo(user);
      const file = sent.find((s) => s.kind === "file");
      expect(file?.file).toMatchObject({ contentType: "application/pdf" });
      expect(file!.file!.size).toBeGreaterThan(1000);
      const text = sent.find((s) => s.kind === "text" && s.text?.includes("Kiểm tra cơ sở vật chất"));
      expect(text?.buttons).toEqual([{ title: "✅ Đã nhận", type: "oa.query.hide", payload: `#ack:${id}` }]);
    }
    const rows = await p.db.delivery.findMany({ where: { directiveId: id, channel: "ZALO_OA" } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT"]);
  });

  it("is acknowledged once by the button payload and once by free text; a replayed event changes nothing", async () => {
    const press = zalo.events.text(users["X1-TH"]!, `#ack:${id}`);
    expect(await zalo.deliver(hook, press)).toBe(200);
    expect(await zalo.deliver(hook, press)).toBe(200);
    const words = zalo.events.text(users["X1-THCS"]!, "da nhan");
    expect(await zalo.deliver(hook, words)).toBe(200);
    expect(await zalo.deliver(hook, words)).toBe(200);
    await until(() => textsTo(users["X1-THCS"]!).find((t) => t.includes("Đã ghi nhận")));
    await until(() => textsTo(users["X1-TH"]!).find((t) => t.includes("Đã ghi nhận")));

    const acks = await p.db.acknowledgement.findMany({ where: { directiveId: id }, orderBy: { personId: "asc" } });
    expect(acks.map((a) => [a.personId, a.channel, a.source])).toEqual(
      [
        [principals["X1-TH"], "ZALO_OA", "BUTTON"],
        [principals["X1-THCS"], "ZALO_OA", "TEXT"],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    // One answer per event, not one per delivery of it.
    await new Promise((r) => setTimeout(r, 200));
    expect(textsTo(users["X1-THCS"]!).filter((t) => t.includes("Đã ghi nhận"))).toHaveLength(1);
    expect(textsTo(users["X1-TH"]!).filter((t) => t.includes("Đã ghi nhận"))).toHaveLength(1);
  });

  it("records the OA's delivered and seen receipts on the delivery, shown apart from acknowledgements", async () => {
    const user = users["X2-THCS"]!;
    const carrier = zalo.sentTo(user).find((s) => s.kind === "text" && s.text?.includes("Kiểm tra cơ sở vật chất"))!;
    const recipient = async () => {
      const rows = await request(p.app).get(`/api/v1/directives/${id}/recipients`).set(admin).expect(200);
      return (rows.body as { person_id: number; channel: string; delivered_at: string | null; seen_at: string | null; acknowledged_at: string | null }[]).find(
        (r) => r.person_id === principals["X2-THCS"] && r.channel === "zalo_oa",
      )!;
    };
    expect(await recipient()).toMatchObject({ delivered_at: null, seen_at: null });
    const receivedAt = Date.now() - 5000;
    expect(await zalo.deliver(hook, zalo.events.received(user, carrier.messageId, receivedAt))).toBe(200);
    // A receipt for a message that carries no directive (a reply) changes nothing.
    expect(await zalo.deliver(hook, zalo.events.seen(user, ["ffffffffffffffffffffffffffffffff"]))).toBe(200);
    expect(await recipient()).toMatchObject({ delivered_at: new Date(receivedAt).toISOString(), seen_at: null, acknowledged_at: null });
    const seen = zalo.events.seen(user, [carrier.messageId], receivedAt + 1000);
    expect(await zalo.deliver(hook, seen)).toBe(200);
    expect(await zalo.deliver(hook, zalo.events.seen(user, [carrier.messageId], receivedAt + 2000))).toBe(200);
    expect(await recipient()).toMatchObject({ delivered_at: new Date(receivedAt).toISOString(), seen_at: new Date(receivedAt + 1000).toISOString(), acknowledged_at: null });
  });

  it("refuses forged, stale and missing signatures with 401, and nothing changes", async () => {
    const before = { acks: await p.db.acknowledgement.count(), inbox: await p.db.inboxEvent.count(), sent: zalo.sent.length };
    const user = users["X2-THCS"]!;
    const forged = await zalo.deliver(hook, zalo.events.text(user, "da nhan"), { headers: { "x-zevent-signature": `mac=${"ab".repeat(32)}` } });
    const stale = await zalo.deliver(hook, zalo.events.text(user, "da nhan"), { at: Date.now() - 3 * 60 * 60 * 1000 });
    const { body } = zalo.signedEvent(zalo.events.text(user, "da nhan"));
    const missing = await fetch(hook, { method: "POST", headers: { "content-type": "application/json" }, body });
    // Signed for another body: the signature covers the exact bytes.
    const signed = zalo.signedEvent(zalo.events.text(user, "xin chao"));
    const swapped = await fetch(hook, { method: "POST", headers: signed.headers, body: signed.body.replace("xin chao", "da nhan") });
    expect([forged, stale, missing.status, swapped.status]).toEqual([401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 200));
    expect({ acks: await p.db.acknowledgement.count(), inbox: await p.db.inboxEvent.count(), sent: zalo.sent.length }).toEqual(before);
  });

  it("records unfollow and follow on the chat identity", async () => {
    const user = users["X2-THCS"]!;
    expect(await zalo.deliver(hook, zalo.events.unfollow(user))).toBe(200);
    expect((await p.db.chatIdentity.findFirstOrThrow({ where: { channel: "ZALO_OA", externalId: user } })).blockedAt).not.toBeNull();
    expect(await zalo.deliver(hook, zalo.events.follow(user))).toBe(200);
    expect((await p.db.chatIdentity.findFirstOrThrow({ where: { channel: "ZALO_OA", externalId: user } })).blockedAt).toBeNull();
  });
});

describe("Zalo OA refusals in the delivery pipeline", () => {
  it("a person who blocked the OA is UNREACHABLE; a passing 503 is retried and SENT", async () => {
    zalo.user(users["X1-THCS"]!)!.blocked = true;
    zalo.failNext("/openapi/v3.0/oa/message/cs", { status: 503 });
    const created = await request(p.app)
      .post("/api/v1/directives")
      .set(admin)
      .send({ title: "Lịch họp giao ban", body: "Họp lúc 8 giờ.", audience: { under: "X1", kinds: ["school"] } })
      .expect(201);
    const id = created.body.id as number;
    await request(p.app).post(`/api/v1/directives/${id}/publish`).set(admin).expect(202);
    await p.settled(id, 20_000);
    const rows = await p.db.delivery.findMany({ where: { directiveId: id, channel: "ZALO_OA" }, orderBy: { personId: "asc" } });
    const byPerson = Object.fromEntries(rows.map((r) => [r.personId, r.status]));
    expect(byPerson).toEqual({ [principals["X1-TH"]!]: "SENT", [principals["X1-THCS"]!]: "UNREACHABLE" });
    // Three tries in all: the 503 cost one of them, whoever it hit.
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(3);
    expect(rows.find((r) => r.status === "UNREACHABLE")?.lastError).toContain("-244");
    expect(zalo.sentTo(users["X1-TH"]!).some((s) => s.text?.includes("Lịch họp giao ban"))).toBe(true);
  }, 30_000);
});

describe("a crash between the effect and the 200", () => {
  it("answers 500, and Zalo's resend is answered once with one acknowledgement", async () => {
    const z = await startFakeZaloOa();
    let crash = true;
    const q = await startPipeline({
      channels: async (db, url) => {
        const config = loadConfig({
          NODE_ENV: "test",
          DATABASE_URL: url,
          LOG_LEVEL: "silent",
          ...zaloOaEnv(z),
        });
        const afterEffect = async () => {
          if (!crash) return;
          crash = false;
          throw new Error("process died after the commit");
        };
        const oa = await startZaloOa({ config, db, logger: createLogger("silent"), inbound: true, afterEffect });
        return [oa!];
      },
    });
    const srv = q.app.listen(0, "127.0.0.1");
    try {
      await new Promise((r) => srv.once("listening", r));
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/webhooks/zalo-oa`;
      await createProvince(q.db);
      const auth = { Authorization: `Bearer ${(await createUserWithToken(q.db)).token}` };
      const person = (await q.db.person.findFirstOrThrow({ where: { role: "PRINCIPAL", organization: { code: "X1-TH" } } })).id;
      const user = "3005555555555555555";
      z.addUser(user);
      const link = await request(q.app).post(`/api/v1/people/${person}/link-code`).set(auth).expect(201);
      const event = z.events.text(user, link.body.code);
      expect(await z.deliver(url, event)).toBe(500);
      expect(await q.db.chatIdentity.count({ where: { channel: "ZALO_OA", externalId: user } })).toBe(1);
      expect(await z.deliver(url, event)).toBe(200);
      const linked = () => z.sentTo(user).filter((s) => s.text?.includes("Đã liên kết Zalo"));
      await until(() => linked()[0]);
      expect(await z.deliver(url, event)).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(linked()).toHaveLength(1);
      expect(await q.db.chatIdentity.count({ where: { channel: "ZALO_OA", externalId: user } })).toBe(1);
    } finally {
      await new Promise((r) => srv.close(r));
      await q.close();
      await z.close();
    }
  }, 30_000);
});
