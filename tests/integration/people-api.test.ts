import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken, linkTelegram } from "../helpers/factories.ts";
import { telegramLinkUrl } from "../../bot/channels/telegram/telegram-link.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let admin: { Authorization: string };
let officerX1: { Authorization: string };
let viewer: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp({ channels: [{ kind: "TELEGRAM", linkUrl: telegramLinkUrl("chidao_test_bot") }] });
  await createProvince(t.db);
  admin = { Authorization: `Bearer ${(await createUserWithToken(t.db)).token}` };
  officerX1 = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token}` };
  viewer = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "VIEWER" })).token}` };
});
afterAll(() => t.drop());

const principalOf = (code: string) => t.db.person.findFirstOrThrow({ where: { organization: { code }, role: "PRINCIPAL" } });

describe("GET /people", () => {
  it("lists the people of an organisation with their linked channels", async () => {
    const p = await principalOf("THPT1");
    const identity = await linkTelegram(t.db, p.id, 555);
    const res = await request(t.app).get("/api/v1/people?org=THPT1").set(viewer).expect(200);
    expect(res.body).toEqual([
      {
        id: p.id,
        name: "Nguyễn Văn An",
        phone: null,
        org_code: "THPT1",
        channels: [{ channel: "telegram", linked_at: identity.linkedAt.toISOString() }],
        channel_order: ["telegram"],
        channel_preference: [],
      },
    ]);
    const unlinked = await request(t.app).get("/api/v1/people?org=THPT2").set(viewer).expect(200);
    expect(unlinked.body[0].channels).toEqual([]);
  });
  it("limits an officer to their subtree", async () => {
    const mine = await request(t.app).get("/api/v1/people").set(officerX1).expect(200);
    expect(mine.body.map((p: { org_code: string }) => p.org_code).sort()).toEqual(["X1-MN", "X1-PGD-MN2", "X1-TH", "X1-THCS"]);
  });
  it("answers 404 for an unknown org and 422 for bad query parameters", async () => {
    const res = await request(t.app).get("/api/v1/people?org=NOPE").set(admin);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("Không có đơn vị mã NOPE");
    const bad = await request(t.app).get("/api/v1/people?limit=0").set(admin);
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("limit");
    const page = await request(t.app).get("/api/v1/people?limit=2").set(admin).expect(200);
    expect(page.body).toHaveLength(2);
  });
});

describe("PATCH /people/:id channel_order", () => {
  it("sets the order deliveries try, shows it, audits it, and lists unlinked channels as preference only", async () => {
    const p = await principalOf("X1-TH");
    await t.db.chatIdentity.create({ data: { personId: p.id, channel: "ZALO_OA", externalId: "3000000000000000001", linkedAt: new Date(Date.now() - 60_000) } });
    await t.db.chatIdentity.create({ data: { personId: p.id, channel: "TELEGRAM", externalId: "700001" } });
    const before = await request(t.app).get("/api/v1/people?org=X1-TH").set(viewer).expect(200);
    // Default: the order of linking.
    expect(before.body[0]).toMatchObject({ channel_order: ["zalo_oa", "telegram"], channel_preference: [] });

    const res = await request(t.app)
      .patch(`/api/v1/people/${p.id}`)
      .set(officerX1)
      .send({ channel_order: ["zalo_bot", "TELEGRAM", "ZALO_OA"] })
      .expect(200);
    expect(res.body).toMatchObject({ id: p.id, org_code: "X1-TH", channel_order: ["telegram", "zalo_oa"], channel_preference: ["zalo_bot", "telegram", "zalo_oa"] });
    expect((await t.db.person.findUniqueOrThrow({ where: { id: p.id } })).channelOrder).toEqual(["ZALO_BOT", "TELEGRAM", "ZALO_OA"]);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "person.channel_order", entityId: String(p.id) } });
    expect(audit.details).toEqual({ from: [], to: ["ZALO_BOT", "TELEGRAM", "ZALO_OA"] });
    // A linked channel left out follows the listed ones.
    const partial = await request(t.app)
      .patch(`/api/v1/people/${p.id}`)
      .set(admin)
      .send({ channel_order: ["telegram"] })
      .expect(200);
    expect(partial.body.channel_order).toEqual(["telegram", "zalo_oa"]);
  });

  it("refuses unknown channels, duplicates and other fields (422, localised), a viewer (403), other subtrees and unknown ids (404), bad JSON (400)", async () => {
    const p = await principalOf("X1-THCS");
    const unknown = await request(t.app)
      .patch(`/api/v1/people/${p.id}`)
      .set(admin)
      .send({ channel_order: ["TELEGRAM", "SMS"] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe("channel_order.1");
    const dup = await request(t.app)
      .patch(`/api/v1/people/${p.id}`)
      .set(admin)
      .send({ channel_order: ["TELEGRAM", "telegram"] });
    expect(dup.status).toBe(422);
    expect(dup.body.error.issues[0]).toMatchObject({ path: "channel_order.1", message: "Mỗi kênh chỉ được ghi một lần trong thứ tự kênh" });
    const dupEn = await request(t.app)
      .patch(`/api/v1/people/${p.id}`)
      .set(admin)
      .set("Accept-Language", "en")
      .send({ channel_order: ["ZALO_OA", "ZALO_OA"] });
    expect(dupEn.body.error.issues[0].message).toBe("Each channel may appear only once in the channel order");
    for (const body of [{}, { channel_order: "TELEGRAM" }, { channel_order: [1] }, { channel_order: ["TELEGRAM"], name: "x" }]) {
      expect((await request(t.app).patch(`/api/v1/people/${p.id}`).set(admin).send(body)).status).toBe(422);
    }
    expect(
      (
        await request(t.app)
          .patch(`/api/v1/people/${p.id}`)
          .set(viewer)
          .send({ channel_order: ["TELEGRAM"] })
      ).status,
    ).toBe(403);
    const other = await principalOf("X2-TH");
    expect(
      (
        await request(t.app)
          .patch(`/api/v1/people/${other.id}`)
          .set(officerX1)
          .send({ channel_order: ["TELEGRAM"] })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .patch(`/api/v1/people/99999999`)
          .set(admin)
          .send({ channel_order: ["TELEGRAM"] })
      ).status,
    ).toBe(404);
    const bad = await request(t.app).patch(`/api/v1/people/${p.id}`).set(admin).set("Content-Type", "application/json").send('{"channel_order": [');
    expect(bad.status).toBe(400);
    expect((await t.db.person.findUniqueOrThrow({ where: { id: p.id } })).channelOrder).toEqual([]);
    expect((await t.db.person.findUniqueOrThrow({ where: { id: other.id } })).channelOrder).toEqual([]);
  });
});

describe("POST /people/:id/link-code", () => {
  it("issues a 128-bit base64url code valid for 7 days with a Telegram deep link, and audits it", async () => {
    const p = await principalOf("X1-TH");
    const before = Date.now();
    const res = await request(t.app).post(`/api/v1/people/${p.id}/link-code`).set(officerX1).expect(201);
    expect(res.body.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(res.body.code, "base64url")).toHaveLength(16);
    expect(res.body.telegram_url).toBe(`https://t.me/chidao_test_bot?start=${res.body.code}`);
    const ttl = Date.parse(res.body.expires_at) - before;
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(ttl).toBeLessThan(7 * 86_400_000 + 60_000);
    const stored = await t.db.linkCode.findUniqueOrThrow({ where: { code: res.body.code } });
    expect(stored).toMatchObject({ personId: p.id, usedAt: null });
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "person.link_code", entityId: String(p.id) } });
    expect(JSON.stringify(audit.details)).not.toContain(res.body.code);
  });
  it("invalidates the person's older unused codes and leaves used ones alone", async () => {
    const p = await principalOf("X1-MN");
    const first = await request(t.app).post(`/api/v1/people/${p.id}/link-code`).set(admin).expect(201);
    const used = await t.db.linkCode.create({ data: { code: "already-used-code", personId: p.id, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date() } });
    const second = await request(t.app).post(`/api/v1/people/${p.id}/link-code`).set(admin).expect(201);
    expect(second.body.code).not.toBe(first.body.code);
    const old = await t.db.linkCode.findUniqueOrThrow({ where: { code: first.body.code } });
    expect(old.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await t.db.linkCode.findUniqueOrThrow({ where: { id: used.id } })).expiresAt).toEqual(used.expiresAt);
    const fresh = await t.db.linkCode.findUniqueOrThrow({ where: { code: second.body.code } });
    expect(fresh.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
  it("answers 404 for unknown, malformed or out-of-scope ids, 403 for a viewer, and writes nothing", async () => {
    const before = await t.db.linkCode.count();
    expect((await request(t.app).post("/api/v1/people/999999/link-code").set(admin)).status).toBe(404);
    expect((await request(t.app).post("/api/v1/people/abc/link-code").set(admin)).status).toBe(404);
    const other = await principalOf("THPT2");
    expect((await request(t.app).post(`/api/v1/people/${other.id}/link-code`).set(officerX1)).status).toBe(404);
    expect((await request(t.app).post(`/api/v1/people/${other.id}/link-code`).set(viewer)).status).toBe(403);
    expect(await t.db.linkCode.count()).toBe(before);
  });
});

describe("without a Telegram bot", () => {
  it("returns telegram_url null", async () => {
    const bare = await createTestApp();
    try {
      await createProvince(bare.db);
      const token = (await createUserWithToken(bare.db)).token;
      const p = await bare.db.person.findFirstOrThrow();
      const res = await request(bare.app).post(`/api/v1/people/${p.id}/link-code`).set("Authorization", `Bearer ${token}`).expect(201);
      expect(res.body.telegram_url).toBeNull();
    } finally {
      await bare.drop();
    }
  });
});
