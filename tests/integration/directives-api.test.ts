import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken, linkTelegram } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

let t: TestApp;
let auth: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  const { token } = await createUserWithToken(t.db);
  auth = { Authorization: `Bearer ${token}` };
});
afterAll(() => t.drop());

async function audienceOf(audience: object): Promise<string[]> {
  const res = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "Kiểm tra", body: "Nội dung", audience });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await request(t.app).post(`/api/v1/directives/${res.body.id}/publish`).set(auth).expect(202);
  const rec = await request(t.app).get(`/api/v1/directives/${res.body.id}/recipients`).set(auth).expect(200);
  return rec.body.map((r: { org_code: string }) => r.org_code).sort();
}

describe("audiences", () => {
  it("select by level below a commune at any depth", async () => {
    expect(await audienceOf({ under: "X1", levels: ["mam_non"] })).toEqual(["X1-MN", "X1-PGD-MN2"]);
  });
  it("select all high schools of the province", async () => {
    expect(await audienceOf({ under: "SGD", levels: ["thpt"] })).toEqual(["THPT1", "THPT2"]);
  });
  it("select every school below the Sở by kind", async () => {
    expect(await audienceOf({ under: "SGD", kinds: ["school"] })).toHaveLength(2 + 2 * 3 + 1);
  });
  it("accept upper-case kinds and levels", async () => {
    expect(await audienceOf({ under: "X2", kinds: ["SCHOOL"], levels: ["THCS"] })).toEqual(["X2-THCS"]);
  });
});

describe("POST /directives", () => {
  it("answers 422 naming audience.under for an unknown organisation, and writes nothing", async () => {
    const before = await t.db.directive.count();
    const res = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "A", body: "B", audience: { under: "NOPE" } });
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0]).toEqual({ path: "audience.under", message: "Không có đơn vị mã NOPE" });
    expect(await t.db.directive.count()).toBe(before);
  });
  it("answers 422 when the audience reaches nobody", async () => {
    const res = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "A", body: "B", audience: { under: "THPT1" } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/Không có đơn vị nào khớp/);
  });
  it("names each missing field, in English when asked", async () => {
    const res = await request(t.app).post("/api/v1/directives").set(auth).set("Accept-Language", "en").send({ audience: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([
        { path: "title", message: "required field is missing" },
        { path: "body", message: "required field is missing" },
      ]),
    );
  });
  it("rejects malformed JSON with 400 and an oversized body with 413", async () => {
    const bad = await request(t.app).post("/api/v1/directives").set(auth).set("Content-Type", "application/json").send('{"title": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/JSON/);
    const big = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "x", body: "y".repeat(6 * 1024 * 1024), audience: {} });
    expect(big.status).toBe(413);
  });
  it("rejects a bad token with 401", async () => {
    const res = await request(t.app).get("/api/v1/directives/1").set("Authorization", "Bearer nottherighttoken123");
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/Cần đăng nhập/);
  });
});

describe("publish", () => {
  it("writes one delivery per principal, enqueues the linked ones, and is idempotent", async () => {
    const p = await t.db.person.findFirstOrThrow({ where: { organization: { code: "THPT1" } } });
    await linkTelegram(t.db, p.id, 1001);
    const res = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "Họp", body: "Nội dung", audience: { levels: ["thpt"] } }).expect(201);
    t.enqueued.length = 0;
    const first = await request(t.app).post(`/api/v1/directives/${res.body.id}/publish`).set(auth).expect(202);
    expect(first.body).toMatchObject({ recipients: 2, queued: 1, unreachable: 1 });
    expect(t.enqueued).toHaveLength(1);
    const second = await request(t.app).post(`/api/v1/directives/${res.body.id}/publish`).set(auth).expect(202);
    expect(second.body).toMatchObject({ recipients: 2, queued: 0, already_published: true });
    expect(t.enqueued).toHaveLength(1);
    const summary = await request(t.app).get(`/api/v1/directives/${res.body.id}`).set(auth).expect(200);
    expect(summary.body).toMatchObject({ status: "published", counts: { recipients: 2, sent: 0, failed: 0, unreachable: 1, acknowledged: 0 } });
  });
  it("answers 404 for an unknown directive", async () => {
    const res = await request(t.app).post("/api/v1/directives/999999/publish").set(auth);
    expect(res.status).toBe(404);
    expect((await request(t.app).get("/api/v1/directives/abc").set(auth)).status).toBe(404);
  });
});

describe("organisation scope", () => {
  it("keeps a commune officer inside the commune's subtree", async () => {
    const { token } = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" });
    const officer = { Authorization: `Bearer ${token}` };
    // No `under`: the officer's own commune.
    const own = await request(t.app).post("/api/v1/directives").set(officer).send({ title: "Xã X1", body: "Nội dung", audience: { levels: ["mam_non"] } }).expect(201);
    await request(t.app).post(`/api/v1/directives/${own.body.id}/publish`).set(officer).expect(202);
    const rec = await request(t.app).get(`/api/v1/directives/${own.body.id}/recipients`).set(officer).expect(200);
    expect(rec.body.map((r: { org_code: string }) => r.org_code).sort()).toEqual(["X1-MN", "X1-PGD-MN2"]);
    // Another commune is out of reach, and so is a directive of the Sở.
    const other = await request(t.app).post("/api/v1/directives").set(officer).send({ title: "X2", body: "B", audience: { under: "X2" } });
    expect(other.status).toBe(403);
    const sgd = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "Sở", body: "B", audience: { under: "SGD", levels: ["thpt"] } }).expect(201);
    expect((await request(t.app).get(`/api/v1/directives/${sgd.body.id}`).set(officer)).status).toBe(404);
    expect((await request(t.app).post(`/api/v1/directives/${sgd.body.id}/publish`).set(officer)).status).toBe(404);
  });
  it("lets a viewer read but not write", async () => {
    const { token } = await createUserWithToken(t.db, { role: "VIEWER" });
    const res = await request(t.app).post("/api/v1/directives").set({ Authorization: `Bearer ${token}` }).send({ title: "A", body: "B", audience: {} });
    expect(res.status).toBe(403);
  });
});

describe("recipients export", () => {
  it("gives officers an .xlsx with Vietnamese headers and formula-looking text neutralised", async () => {
    const { createOrg } = await import("../helpers/factories.ts");
    await createOrg(t.db, { code: "EVIL", name: '=HYPERLINK("http://x","bấm")', kind: "SCHOOL", level: "GDTX", parentCode: "SGD", principal: "@Người lạ" });
    const res = await request(t.app).post("/api/v1/directives").set(auth).send({ title: "Xuất Excel", body: "B", audience: { levels: ["gdtx"] } }).expect(201);
    await request(t.app).post(`/api/v1/directives/${res.body.id}/publish`).set(auth).expect(202);
    const file = await asBuffer(request(t.app).get(`/api/v1/directives/${res.body.id}/recipients.xlsx`).set(auth));
    expect(file.status).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).values).toContain("Mã đơn vị");
    const row = sheet.getRow(3).values as unknown[];
    expect(row).toContain("EVIL");
    expect(row).toContain(`'=HYPERLINK("http://x","bấm")`);
    expect(row).toContain("'@Người lạ");
    expect(row).toContain("Không liên lạc được");
  });
});
