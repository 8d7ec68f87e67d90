/** The documents API end to end: draft, preview, issue, files, withdraw, and what it refuses. */
import JSZip from "jszip";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { pdftotext, qpdfCheck } from "../helpers/pdf-tools.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

let t: TestApp;
let officer: { Authorization: string };
let clerk: { Authorization: string };
let viewer: { Authorization: string };
let schoolClerk: { Authorization: string };

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await createTestApp({}, { PUBLIC_URL: "https://chidao.example.vn/" });
  await createProvince(t.db);
  officer = bearer((await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token);
  clerk = bearer((await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token);
  viewer = bearer((await createUserWithToken(t.db, { role: "VIEWER", orgCode: "SGD" })).token);
  schoolClerk = bearer((await createUserWithToken(t.db, { role: "CLERK", orgCode: "THPT1" })).token);
});
afterAll(() => t.drop());

async function draft(template = "cong_van", data: Record<string, unknown> = SAMPLES[template]!, issuer = "SGD", auth = officer): Promise<number> {
  const res = await request(t.app).post("/api/v1/documents").set(auth).send({ template, issuer, data });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toEqual({ id: expect.any(Number), status: "draft" });
  return res.body.id;
}

const binary = (res: request.Response) => new Uint8Array(res.body as Buffer);

describe("the flow of one công văn", () => {
  let id: number;
  it("drafts, previews without a number, issues as 01, serves the stored files, and refuses a second issue", async () => {
    id = await draft();
    const got = await request(t.app).get(`/api/v1/documents/${id}`).set(viewer).expect(200);
    expect(got.body).toMatchObject({ id, template: "cong_van", issuer: "SGD", status: "draft", number: null, symbol: null, verify_url: null });
    expect(got.body.data.subject).toBe(SAMPLES.cong_van!.subject);

    const preview = await asBuffer(request(t.app).get(`/api/v1/documents/${id}/preview.pdf`).set(viewer)).expect(200);
    expect(preview.headers["content-type"]).toBe("application/pdf");
    const previewText = await pdftotext(binary(preview));
    // The diagonal mark comes out one letter per line.
    expect((await pdftotext(binary(preview), "-raw")).replace(/\s/gu, "")).toContain("DỰTHẢO");
    expect(previewText).toMatch(/Số:\s+\/SGDĐT-KTKĐ/);
    expect(await t.db.registerCounter.count()).toBe(0);

    // Drafts have no file of record yet.
    const early = await request(t.app).get(`/api/v1/documents/${id}.pdf`).set(viewer);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain(`/api/v1/documents/${id}/preview.pdf`);

    const issued = await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({});
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ number: 1, symbol: "01/SGDĐT-KTKĐ", signed: false });
    expect(issued.body.verify_url).toMatch(/^https:\/\/chidao\.example\.vn\/verify\/[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(new Date(issued.body.issued_at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const pdf = await asBuffer(request(t.app).get(`/api/v1/documents/${id}.pdf`).set(viewer)).expect(200);
    expect(pdf.headers["content-disposition"]).toBe(`attachment; filename="01-SGDDT-KTKD.pdf"; filename*=UTF-8''01-SGD%C4%90T-KTK%C4%90.pdf`);
    const text = await pdftotext(binary(pdf));
    expect(text).toContain("Số: 01/SGDĐT-KTKĐ");
    expect(text).toContain(issued.body.verify_url);
    expect((await pdftotext(binary(pdf), "-raw")).replace(/\s/gu, "")).not.toContain("DỰTHẢO");
    expect(await qpdfCheck(binary(pdf))).toMatch(/No syntax or stream encoding errors found/);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(binary(pdf)).digest("hex")).toBe(issued.body.pdf_sha256);

    const docx = await asBuffer(request(t.app).get(`/api/v1/documents/${id}.docx`).set(viewer)).expect(200);
    expect(docx.headers["content-type"]).toContain("wordprocessingml");
    expect(docx.headers["content-disposition"]).toContain("filename*=UTF-8''01-SGD%C4%90T-KTK%C4%90.docx");
    const xml = await (await JSZip.loadAsync(docx.body as Buffer)).file("word/document.xml")!.async("string");
    expect(xml).toContain("01/SGDĐT-KTKĐ");
    expect(xml).not.toContain("DỰ THẢO");

    const again = await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("01/SGDĐT-KTKĐ");
    expect(await t.db.registerEntry.count({ where: { documentId: id } })).toBe(1);
    const counter = await t.db.registerCounter.findFirstOrThrow();
    expect(counter).toMatchObject({ series: "*", lastNumber: 1 });

    const json = await request(t.app).get(`/api/v1/documents/${id}`).set(viewer).expect(200);
    expect(json.body).toMatchObject({ status: "issued", number: 1, symbol: "01/SGDĐT-KTKĐ", verify_url: issued.body.verify_url, pdf_sha256: issued.body.pdf_sha256 });

    // An issued document is no longer a draft: no preview, no edits.
    expect((await request(t.app).get(`/api/v1/documents/${id}/preview.pdf`).set(viewer)).status).toBe(409);
    expect((await request(t.app).patch(`/api/v1/documents/${id}`).set(officer).send({ data: SAMPLES.cong_van })).status).toBe(409);
  });

  it("withdraws, keeps the number taken, and lets the next document have 02", async () => {
    const bad = await request(t.app).post(`/api/v1/documents/${id}/withdraw`).set(clerk).send({});
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("reason");
    const res = await request(t.app).post(`/api/v1/documents/${id}/withdraw`).set(clerk).send({ reason: "Ban hành nhầm đối tượng" }).expect(200);
    expect(res.body).toMatchObject({ id, status: "withdrawn", symbol: "01/SGDĐT-KTKĐ" });
    expect((await request(t.app).post(`/api/v1/documents/${id}/withdraw`).set(clerk).send({ reason: "lần hai" })).status).toBe(409);
    expect((await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({})).status).toBe(409);
    const entry = await t.db.registerEntry.findUniqueOrThrow({ where: { documentId: id } });
    expect(entry).toMatchObject({ number: 1, status: "WITHDRAWN", withdrawnReason: "Ban hành nhầm đối tượng" });
    // The withdrawn file stays available as it was issued.
    await request(t.app).get(`/api/v1/documents/${id}.pdf`).set(viewer).expect(200);

    const next = await draft("thong_bao");
    const issued = await request(t.app).post(`/api/v1/documents/${next}/issue`).set(clerk).send({}).expect(200);
    expect(issued.body).toMatchObject({ number: 2, symbol: "02/TB-SGDĐT" });
  });

  it("withdrawing a draft is a 409", async () => {
    const d = await draft();
    expect((await request(t.app).post(`/api/v1/documents/${d}/withdraw`).set(clerk).send({ reason: "x" })).status).toBe(409);
  });
});

describe("drafts", () => {
  it("PATCH replaces a draft's data, validated again", async () => {
    const id = await draft();
    const changed = { ...SAMPLES.cong_van, subject: "  điều chỉnh lịch kiểm định  " };
    const res = await request(t.app).patch(`/api/v1/documents/${id}`).set(officer).send({ data: changed }).expect(200);
    expect(res.body.data.subject).toBe("điều chỉnh lịch kiểm định");
    const bad = await request(t.app)
      .patch(`/api/v1/documents/${id}`)
      .set(officer)
      .send({ data: { ...SAMPLES.cong_van, signer: { title: "Giám đốc" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues).toEqual([{ path: "data.signer.name", message: expect.any(String) }]);
  });

  it("stores decomposed Vietnamese as NFC", async () => {
    const id = await draft("cong_van", { ...SAMPLES.cong_van, subject: "tổ chức kiểm tra".normalize("NFD") });
    const row = await t.db.document.findUniqueOrThrow({ where: { id } });
    expect((row.data as { subject: string }).subject).toBe("tổ chức kiểm tra".normalize("NFC"));
  });

  it("lists documents by issuer and status", async () => {
    const res = await request(t.app).get("/api/v1/documents?issuer=SGD&status=withdrawn").set(viewer).expect(200);
    expect(res.body.length).toBeGreaterThanOrEqual(1);
    expect(res.body.every((d: { status: string; issuer: string }) => d.status === "withdrawn" && d.issuer === "SGD")).toBe(true);
    expect(res.body[0]).not.toHaveProperty("data");
    expect((await request(t.app).get("/api/v1/documents?status=lost").set(viewer)).status).toBe(422);
  });

  it("the issue may name a different signer", async () => {
    const id = await draft();
    const signer = { authority: "KT. Giám đốc", title: "Phó Giám đốc", name: "Lê Văn Tám" };
    await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({ signer }).expect(200);
    const row = await t.db.document.findUniqueOrThrow({ where: { id }, include: { registerEntry: true } });
    expect(row.signer).toEqual(signer);
    expect(row.registerEntry?.signerName).toBe("Lê Văn Tám");
    const text = await pdftotext(row.pdf!);
    expect(text).toContain("Lê Văn Tám");
    const bad = await request(t.app)
      .post(`/api/v1/documents/${await draft()}/issue`)
      .set(clerk)
      .send({ signer: { name: "X" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("signer.title");
  });
});

describe("refusals", () => {
  it("422 names an unknown template, an unknown issuer and each bad data field", async () => {
    const tpl = await request(t.app).post("/api/v1/documents").set(officer).send({ template: "thu_tay", issuer: "SGD", data: {} });
    expect(tpl.status).toBe(422);
    expect(tpl.body.error.issues).toEqual([{ path: "template", message: expect.stringContaining("cong_van") }]);
    const org = await request(t.app).post("/api/v1/documents").set(officer).send({ template: "cong_van", issuer: "NOPE", data: SAMPLES.cong_van });
    expect(org.status).toBe(422);
    expect(org.body.error.issues).toEqual([{ path: "issuer", message: "Không có đơn vị mã NOPE" }]);
    const data = await request(t.app)
      .post("/api/v1/documents")
      .set(officer)
      .send({ template: "giay_moi", issuer: "SGD", data: { subject: "", body: "x", signer: { title: "Giám đốc" }, recipients: [] } });
    expect(data.status).toBe(422);
    const paths = data.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["data.subject", "data.signer.name", "data.recipients", "data.time", "data.place"]));
    const missing = await request(t.app).post("/api/v1/documents").set(officer).send({ template: "cong_van", issuer: "SGD" });
    expect(missing.body.error.issues).toEqual([{ path: "data", message: expect.any(String) }]);
    expect(await t.db.document.count({ where: { template: "giay_moi" } })).toBe(0);
  });

  it("a clerk of another subtree gets 403 drafting for SGD and 404 for SGD's documents; a school's own drafts are fine", async () => {
    const id = await draft();
    const res = await request(t.app).post("/api/v1/documents").set(schoolClerk).send({ template: "cong_van", issuer: "SGD", data: SAMPLES.cong_van });
    expect(res.status).toBe(403);
    expect(res.body.error.issues[0].path).toBe("issuer");
    for (const path of [`/api/v1/documents/${id}`, `/api/v1/documents/${id}.pdf`, `/api/v1/documents/${id}/preview.pdf`]) {
      expect((await request(t.app).get(path).set(schoolClerk)).status).toBe(404);
    }
    expect((await request(t.app).post(`/api/v1/documents/${id}/issue`).set(schoolClerk).send({})).status).toBe(404);
    expect((await request(t.app).get(`/api/v1/documents?issuer=SGD`).set(schoolClerk)).status).toBe(403);
    await draft("cong_van", SAMPLES.cong_van, "THPT1", schoolClerk);
  });

  it("roles: viewers cannot draft, officers cannot issue or withdraw", async () => {
    const id = await draft();
    expect((await request(t.app).post("/api/v1/documents").set(viewer).send({ template: "cong_van", issuer: "SGD", data: SAMPLES.cong_van })).status).toBe(403);
    expect((await request(t.app).post(`/api/v1/documents/${id}/issue`).set(officer).send({})).status).toBe(403);
    expect((await request(t.app).post(`/api/v1/documents/${id}/withdraw`).set(officer).send({ reason: "x" })).status).toBe(403);
    expect((await request(t.app).get(`/api/v1/documents/${id}`)).status).toBe(401);
  });

  it("404 for unknown and malformed ids", async () => {
    for (const path of [
      "/api/v1/documents/999999",
      "/api/v1/documents/abc",
      "/api/v1/documents/999999.pdf",
      "/api/v1/documents/-1.docx",
      "/api/v1/documents/99999999999999999999",
    ]) {
      const res = await request(t.app).get(path).set(viewer);
      expect(res.status, path).toBe(404);
    }
    expect((await request(t.app).post("/api/v1/documents/999999/issue").set(clerk).send({})).status).toBe(404);
  });

  it("an issuer without a symbol cannot issue (422 naming issuer), and nothing is numbered", async () => {
    const id = await draft("cong_van", SAMPLES.cong_van, "X1");
    const res = await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({});
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0]).toMatchObject({ path: "issuer", message: expect.stringContaining("PATCH /api/v1/orgs/X1") });
    const x1 = await t.db.organization.findUniqueOrThrow({ where: { code: "X1" } });
    expect(await t.db.registerCounter.count({ where: { organizationId: x1.id } })).toBe(0);
  });
});

describe("hostile input never becomes a 500", () => {
  const base = SAMPLES.cong_van!;
  const cases: [string, Record<string, unknown>][] = [
    [
      "markup",
      {
        ...base,
        subject: "<script>alert(1)</script> **đậm** ]]> %PDF-1.7 /JavaScript",
        body: "<w:p><w:r><w:t>x</w:t></w:r></w:p>\n# tiêu đề\n| a | b |\n\\begin{x} ${process.env}",
      },
    ],
    ["control characters", { ...base, subject: "trích\u0000yếu\u001b[31m" }],
    ["a 10,000-character line", { ...base, body: "Rất dài ".repeat(1250) }],
    ["an unbroken 10,000-character word", { ...base, subject: "x".repeat(400), body: "A".repeat(10_000) }],
    ["emoji and private-use characters", { ...base, subject: "chúc mừng 🎉\uE000" }],
    ["wrong types", { ...base, recipients: "tất cả", cc: [1, null], copies: "100", signer: ["x"] }],
    ["prototype keys", JSON.parse(`{"__proto__":{"admin":true},"constructor":{"prototype":{}},"subject":"a","body":"b","signer":{"title":"t","name":"n"}}`)],
    ["deep nesting", { ...base, signer: JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`) }],
    ["right-to-left override and zero-width joiners", { ...base, subject: "v\u202Eiệc\u200D\u200Bthử" }],
  ];
  for (const [name, data] of cases) {
    it(name, async () => {
      const res = await request(t.app).post("/api/v1/documents").set(officer).send({ template: "cong_van", issuer: "SGD", data });
      expect([201, 400, 422], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
      if (res.status === 201) {
        const preview = await request(t.app).get(`/api/v1/documents/${res.body.id}/preview.pdf`).set(officer);
        expect(preview.status).toBe(200);
        const issued = await request(t.app).post(`/api/v1/documents/${res.body.id}/issue`).set(clerk).send({});
        expect(issued.status, JSON.stringify(issued.body)).toBe(200);
        await request(t.app).get(`/api/v1/documents/${res.body.id}.docx`).set(officer).expect(200);
      } else {
        expect(res.body.error.issues?.length ?? 1).toBeGreaterThan(0);
      }
    });
  }

  it("hostile query strings are 422s, not 500s", async () => {
    for (const q of ["issuer[]=SGD", "status[$ne]=x", "limit=1e9", "limit=-1", "before=abc", "issuer=%00", `issuer=${"A".repeat(100)}`, "unknown=1"]) {
      const res = await request(t.app).get(`/api/v1/documents?${q}`).set(viewer);
      expect([403, 422], q).toContain(res.status);
    }
    for (const q of ["year[]=2026", "year=1e3", "issuer=SGD&series[]=CV", "issuer=SGD&year=-5", "issuer=%00", "issuer=SGD&series=%00", "issuer=SGD%27%3B--"]) {
      expect((await request(t.app).get(`/api/v1/register?${q}`).set(viewer)).status, q).toBe(422);
    }
    const nul = await request(t.app).post("/api/v1/documents").set(officer).send({ template: "cong_van\u0000", issuer: "SGD\u0000", data: SAMPLES.cong_van });
    expect(nul.status).toBe(422);
    expect(nul.body.error.issues.map((i: { path: string }) => i.path)).toContain("issuer");
  });

  it("non-JSON and malformed bodies are 400/415-style answers", async () => {
    const broken = await request(t.app).post("/api/v1/documents").set(officer).set("Content-Type", "application/json").send('{"template": "cong_van",');
    expect(broken.status).toBe(400);
    const text = await request(t.app).post("/api/v1/documents").set(officer).set("Content-Type", "text/plain").send("template=cong_van");
    expect(text.status).toBe(422);
    const array = await request(t.app).post("/api/v1/documents").set(officer).send([1, 2, 3]);
    expect(array.status).toBe(422);
    const id = await draft();
    const issueJunk = await request(t.app)
      .post(`/api/v1/documents/${id}/issue`)
      .set(clerk)
      .send({ number: 5, signer: { title: "x", name: "y", extra: 1 } });
    expect(issueJunk.status).toBe(422);
    expect(issueJunk.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["(body)", "signer"]);
  });

  it("a body over MAX_BODY_BYTES is a 413", async () => {
    const small = await createTestApp({}, { MAX_BODY_BYTES: "65536" });
    try {
      await createProvince(small.db);
      const auth = bearer((await createUserWithToken(small.db, { role: "OFFICER", orgCode: "SGD" })).token);
      const res = await request(small.app)
        .post("/api/v1/documents")
        .set(auth)
        .send({ template: "cong_van", issuer: "SGD", data: { ...base, body: "á".repeat(70_000) } });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    } finally {
      await small.drop();
    }
  });
});
