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
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "A", body: "B", audience: { under: "NOPE" } });
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0]).toEqual({ path: "audience.under", message: "Không có đơn vị mã NOPE" });
    expect(await t.db.directive.count()).toBe(before);
  });
  it("answers 422 when the audience reaches nobody", async () => {
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "A", body: "B", audience: { under: "THPT1" } });
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
    const big = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "x", body: "y".repeat(6 * 1024 * 1024), audience: {} });
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
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "Họp", body: "Nội dung", audience: { levels: ["thpt"] } })
      .expect(201);
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

// Which routes each role reaches for each position of the target is in access-matrix.test.ts.
describe("organisation scope", () => {
  it("gives a commune officer's directive the commune's subtree as its audience", async () => {
    const { token } = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" });
    const officer = { Authorization: `Bearer ${token}` };
    // No `under`: the officer's own commune.
    const own = await request(t.app)
      .post("/api/v1/directives")
      .set(officer)
      .send({ title: "Xã X1", body: "Nội dung", audience: { levels: ["mam_non"] } })
      .expect(201);
    await request(t.app).post(`/api/v1/directives/${own.body.id}/publish`).set(officer).expect(202);
    const rec = await request(t.app).get(`/api/v1/directives/${own.body.id}/recipients`).set(officer).expect(200);
    expect(rec.body.map((r: { org_code: string }) => r.org_code).sort()).toEqual(["X1-MN", "X1-PGD-MN2"]);
  });
  it("keeps a directive a system administrator addressed to a commune's schools away from the commune", async () => {
    const { token } = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" });
    const officer = { Authorization: `Bearer ${token}` };
    const sys = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "Sở", body: "B", audience: { under: "X1" } })
      .expect(201);
    for (const path of ["", "/recipients", "/recipients.xlsx", "/replies"]) {
      expect((await request(t.app).get(`/api/v1/directives/${sys.body.id}${path}`).set(officer)).status, path).toBe(404);
    }
    const publish = await request(t.app).post(`/api/v1/directives/${sys.body.id}/publish`).set(officer);
    expect(publish.status).toBe(404);
    // Out of reach reads exactly like an id that does not exist.
    expect(publish.body.error.message).toBe(`Không có chỉ đạo mã số ${sys.body.id}`);
    expect(await t.db.directive.findUniqueOrThrow({ where: { id: sys.body.id }, select: { status: true } })).toEqual({ status: "DRAFT" });
    await request(t.app).get(`/api/v1/directives/${sys.body.id}`).set(auth).expect(200);
  });
  it("lets a viewer read but not write", async () => {
    const { token } = await createUserWithToken(t.db, { role: "VIEWER" });
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set({ Authorization: `Bearer ${token}` })
      .send({ title: "A", body: "B", audience: {} });
    expect(res.status).toBe(403);
  });
});

describe("attaching a document", () => {
  it("needs the right to read it: a commune cannot pull the Sở's letter, the Sở forwards it to the commune's schools", async () => {
    const sgdClerk = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token}` };
    const sgdOfficer = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
    const x1Officer = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token}` };
    const { SAMPLES } = await import("../fixtures/document-samples.ts");
    const doc = await request(t.app).post("/api/v1/documents").set(sgdClerk).send({ template: "cong_van", issuer: "SGD", data: SAMPLES.cong_van }).expect(201);
    await request(t.app).post(`/api/v1/documents/${doc.body.id}/issue`).set(sgdClerk).send({}).expect(200);
    const before = await t.db.directive.count();
    const pulled = await request(t.app).post("/api/v1/directives").set(x1Officer).send({ title: "A", body: "B", audience: {}, document_id: doc.body.id });
    expect(pulled.status).toBe(422);
    expect(pulled.body.error.issues).toEqual([{ path: "document_id", message: `Không có văn bản mã số ${doc.body.id}` }]);
    const missing = await request(t.app).post("/api/v1/directives").set(x1Officer).send({ title: "A", body: "B", audience: {}, document_id: 999_999 });
    expect(missing.body.error.issues).toEqual([{ path: "document_id", message: "Không có văn bản mã số 999999" }]);
    expect(await t.db.directive.count()).toBe(before);
    const forwarded = await request(t.app)
      .post("/api/v1/directives")
      .set(sgdOfficer)
      .send({ title: "Chuyển công văn", body: "B", audience: { under: "X1" }, document_id: doc.body.id })
      .expect(201);
    expect((await request(t.app).get(`/api/v1/directives/${forwarded.body.id}`).set(sgdOfficer).expect(200)).body.document_id).toBe(doc.body.id);
  });
});

describe("recipients export", () => {
  it("gives officers an .xlsx with Vietnamese headers and formula-looking text neutralised", async () => {
    const { createOrg } = await import("../helpers/factories.ts");
    await createOrg(t.db, { code: "EVIL", name: '=HYPERLINK("http://x","bấm")', kind: "SCHOOL", level: "GDTX", parentCode: "SGD", principal: "@Người lạ" });
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({ title: "Xuất Excel", body: "B", audience: { levels: ["gdtx"] } })
      .expect(201);
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
