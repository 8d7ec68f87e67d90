import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let admin: { Authorization: string };
let officerX1: { Authorization: string };
let viewer: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  admin = { Authorization: `Bearer ${(await createUserWithToken(t.db)).token}` };
  officerX1 = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token}` };
  viewer = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "VIEWER" })).token}` };
});
afterAll(() => t.drop());

const codes = (body: { code: string }[]) => body.map((o) => o.code);
// Which routes each role reaches for each position of the target is in access-matrix.test.ts.

describe("GET /orgs", () => {
  it("lists everything below `under` with parent codes, filtered by kind and level", async () => {
    const res = await request(t.app).get("/api/v1/orgs?under=X1").set(viewer).expect(200);
    expect(codes(res.body)).toEqual(["X1-MN", "X1-PGD", "X1-PGD-MN2", "X1-TH", "X1-THCS"]);
    expect(res.body.find((o: { code: string }) => o.code === "X1-PGD-MN2")).toEqual({
      id: expect.any(Number),
      code: "X1-PGD-MN2",
      name: "Trường Mầm non Hoa Sen",
      kind: "school",
      level: "mam_non",
      parent_code: "X1-PGD",
      symbol: null,
      place: null,
      governing_body: null,
      register_per_type: false,
    });
    const mn = await request(t.app).get("/api/v1/orgs?under=SGD&kind=school&level=MAM_NON").set(viewer).expect(200);
    expect(codes(mn.body)).toEqual(["X1-MN", "X1-PGD-MN2", "X2-MN"]);
    const several = await request(t.app).get("/api/v1/orgs?kind=commune,department").set(admin).expect(200);
    expect(codes(several.body)).toEqual(["SGD", "X1", "X2"]);
  });
  it("shows an officer only their own subtree", async () => {
    const res = await request(t.app).get("/api/v1/orgs").set(officerX1).expect(200);
    expect(codes(res.body)).toEqual(["X1", "X1-MN", "X1-PGD", "X1-PGD-MN2", "X1-TH", "X1-THCS"]);
  });
  it("answers 422 naming a bad kind or level and 404 for an unknown `under`", async () => {
    const bad = await request(t.app).get("/api/v1/orgs?kind=university").set(admin);
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("kind.0");
    const lvl = await request(t.app).get("/api/v1/orgs?level=dai_hoc").set(admin);
    expect(lvl.status).toBe(422);
    const none = await request(t.app).get("/api/v1/orgs?under=NOPE").set(admin);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe("Không có đơn vị mã NOPE");
  });
});

describe("GET /orgs/:code", () => {
  it("returns one organisation, 404 when unknown", async () => {
    const res = await request(t.app).get("/api/v1/orgs/SGD").set(viewer).expect(200);
    expect(res.body).toMatchObject({ code: "SGD", kind: "department", symbol: "SGDĐT", place: "Thành phố Hồ Chí Minh", parent_code: null });
    expect((await request(t.app).get("/api/v1/orgs/NOPE").set(admin)).status).toBe(404);
  });
});

describe("PATCH /orgs/:code", () => {
  it("sets the document-header fields, NFC-normalised, and audits the change", async () => {
    const decomposed = "ỦY BAN NHÂN DÂN XÃ X1".normalize("NFD");
    const res = await request(t.app)
      .patch("/api/v1/orgs/X1")
      .set(officerX1)
      .send({ symbol: "UBND", place: "Xã Bình Minh", governing_body: decomposed, register_per_type: true, name: "  UBND xã Bình Minh " });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      code: "X1",
      name: "UBND xã Bình Minh",
      symbol: "UBND",
      place: "Xã Bình Minh",
      governing_body: "ỦY BAN NHÂN DÂN XÃ X1".normalize("NFC"),
      register_per_type: true,
    });
    const stored = await t.db.organization.findUniqueOrThrow({ where: { code: "X1" } });
    expect(stored.governingBody).toBe("ỦY BAN NHÂN DÂN XÃ X1".normalize("NFC"));
    const audit = await t.db.auditLog.findFirst({ where: { action: "org.update", entityId: "X1" } });
    expect(audit?.details).toMatchObject({ symbol: { from: null, to: "UBND" }, register_per_type: { from: false, to: true } });
    const cleared = await request(t.app).patch("/api/v1/orgs/X1").set(admin).send({ symbol: null }).expect(200);
    expect(cleared.body.symbol).toBeNull();
  });
  it("rejects bad input with 422 naming the field and changes nothing", async () => {
    const before = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const cases: [object, string][] = [
      [{ name: "" }, "name"],
      [{ name: "A\u0007B" }, "name"],
      [{ symbol: "SỞ GD/ĐT" }, "symbol"],
      [{ register_per_type: "yes" }, "register_per_type"],
      [{ kind: "school" }, "(body)"],
      [{}, "(body)"],
      [{ governing_body: "x".repeat(201) }, "governing_body"],
    ];
    for (const [body, path] of cases) {
      const res = await request(t.app).patch("/api/v1/orgs/SGD").set(admin).send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.issues[0].path, JSON.stringify(body)).toBe(path);
    }
    expect(await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } })).toEqual(before);
  });
  it("refuses characters the document font lacks (422 naming the field and the characters); full Vietnamese passes", async () => {
    const before = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const cases: [object, string, string][] = [
      [{ name: "Sở Giáo dục 🏫" }, "name", "🏫"],
      [{ symbol: "学校" }, "symbol", "学 校"],
      [{ place: "Hà Nội ☎︎" }, "place", "☎"],
      [{ governing_body: "UBND 東京" }, "governing_body", "東 京"],
    ];
    for (const [body, path, chars] of cases) {
      const res = await request(t.app).patch("/api/v1/orgs/SGD").set(admin).send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.issues[0].path).toBe(path);
      expect(res.body.error.issues[0].message).toContain(`(${chars}`);
      expect(res.body.error.issues[0].message).toMatch(/phông chữ văn bản không có/);
    }
    const en = await request(t.app).patch("/api/v1/orgs/SGD?lang=en").set(admin).send({ name: "Sở 🏫" });
    expect(en.body.error.issues[0].message).toBe("contains characters the document font lacks (🏫); every letter of this organisation would print them as empty boxes");
    expect(await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } })).toEqual(before);

    const vietnamese = {
      name: "Trường Mầm non Ánh Dương – Đặc khu Côn Đảo: ĂÂÊÔƠƯĐ ăâêôơưđ ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ “số 1”",
      place: "Thành phố Hồ Chí Minh",
      governing_body: "Ủy ban nhân dân đặc khu Côn Đảo",
      symbol: "MNĐCĐ",
    };
    const ok = await request(t.app).patch("/api/v1/orgs/X1").set(admin).send(vietnamese);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject(vietnamese);
  });

  it("answers 403 for a viewer", async () => {
    expect((await request(t.app).patch("/api/v1/orgs/SGD").set(viewer).send({ symbol: "X" })).status).toBe(403);
  });
});

describe("import scope", () => {
  it("lets an officer import only inside their subtree", async () => {
    const csv =
      "code,name,kind,level,parent_code\nX1-NEW,Trường mới,school,thcs,X1\nX2-NEW,Trường khác,school,thcs,X2\nROOT-NEW,Gốc,department,,\nX2-TH,Chiếm,school,tieu_hoc,X1\n";
    const res = await request(t.app).post("/api/v1/orgs/import").set(officerX1).set("Content-Type", "text/csv").send(csv);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    expect(res.body.errors[0].message).toMatch(/X2-NEW nằm ngoài phạm vi/);
    expect((await t.db.organization.findUniqueOrThrow({ where: { code: "X2-TH" }, include: { parent: true } })).parent?.code).toBe("X2");
  });
});

describe("organisation codes in requests", () => {
  it("refuses one no organisation can have (a NUL byte) before any query: 422 naming the field (the path for a path)", async () => {
    const dir = await request(t.app)
      .post("/api/v1/directives")
      .set(admin)
      .send({ title: "a", body: "b", audience: { under: "X1\u0000" } });
    expect(dir.status).toBe(422);
    expect(dir.body.error.issues[0].path).toBe("audience.under");
    const under = await request(t.app).get("/api/v1/orgs?under=X1%00").set(admin);
    expect(under.status).toBe(422);
    expect(under.body.error.issues[0].path).toBe("under");
    const people = await request(t.app).get("/api/v1/people?org=X1%00").set(admin);
    expect(people.status).toBe(422);
    expect(people.body.error.issues[0].path).toBe("org");
    // The text rule (NUL is never storable) answers before the route; a code merely malformed is a 404.
    for (const res of [await request(t.app).get("/api/v1/orgs/X1%00").set(admin), await request(t.app).patch("/api/v1/orgs/X1%00").set(admin).send({ name: "Tên mới" })]) {
      expect([res.status, res.body.error.issues[0].path]).toEqual([422, "(path)"]);
    }
    expect((await request(t.app).get("/api/v1/orgs/X1%01").set(admin)).status).toBe(404);
    expect((await request(t.app).get("/api/v1/orgs/X1").set(admin)).body.name).not.toBe("Tên mới");
  });
});
