/** The public verification page: particulars of an issued document, and whether an uploaded PDF is it. */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newVerifyCode, parseVerifyCode } from "../../server/features/documents/verify-code.ts";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

let t: TestApp;
let clerk: { Authorization: string };
let code: string;
let pdf: Buffer;
let sha: string;

const readBinary = asBuffer;

beforeAll(async () => {
  t = await createTestApp({}, { PUBLIC_URL: "https://chidao.example.vn", MAX_BODY_BYTES: "200000" });
  await createProvince(t.db);
  clerk = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token}` };
  const data = { ...SAMPLES.thong_bao!, subject: `Kết luận <b>"hội nghị"</b> & <script>alert('x')</script>` };
  const created = await request(t.app).post("/api/v1/documents").set(clerk).send({ template: "thong_bao", issuer: "SGD", data }).expect(201);
  const issued = await request(t.app).post(`/api/v1/documents/${created.body.id}/issue`).set(clerk).send({}).expect(200);
  code = issued.body.verify_url.split("/").pop();
  sha = issued.body.pdf_sha256;
  pdf = (await readBinary(request(t.app).get(`/api/v1/documents/${created.body.id}.pdf`).set(clerk)).expect(200)).body as Buffer;
});
afterAll(() => t.drop());

describe("GET /verify/:code", () => {
  it("shows number, date, issuer, trích yếu and SHA-256, with everything escaped, without signing in", async () => {
    const res = await request(t.app).get(`/verify/${code}`).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    const html = res.text;
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain("01/TB-SGDĐT");
    expect(html).toContain("Sở Giáo dục và Đào tạo");
    expect(html).toMatch(/ngày \d{2} tháng \d{1,2} năm \d{4}/);
    expect(html).toContain(sha);
    expect(html).toContain("Kết luận &lt;b&gt;&quot;hội nghị&quot;&lt;/b&gt; &amp; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
  });

  it("forgives case, hyphens and the letters Crockford folds", async () => {
    const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`.replace(/0/g, "o").replace(/1/g, "l");
    await request(t.app)
      .get(`/verify/${encodeURIComponent(typed)}`)
      .expect(200);
  });

  it("answers JSON when asked", async () => {
    const res = await request(t.app).get(`/verify/${code}`).set("Accept", "application/json").expect(200);
    expect(res.body).toMatchObject({ code, status: "issued", symbol: "01/TB-SGDĐT", issuer: "Sở Giáo dục và Đào tạo", type_name: "Thông báo", pdf_sha256: sha });
    expect(res.body).not.toHaveProperty("data");
  });

  it("404 page for unknown or malformed codes, with the code escaped", async () => {
    for (const c of ["ZZZZZZZZZZ", "short", encodeURIComponent("<img src=x onerror=alert(1)>"), "x".repeat(500)]) {
      const res = await request(t.app).get(`/verify/${c}`);
      expect(res.status, c).toBe(404);
      expect(res.text).toContain("Không tìm thấy văn bản");
      expect(res.text).not.toContain("<img");
    }
    const json = await request(t.app).get("/verify/ZZZZZZZZZZ").set("Accept", "application/json");
    expect(json.status).toBe(404);
    expect(json.body.error.code).toBe("NOT_FOUND");
  });

  it("drafts have no verification page", async () => {
    const draft = await t.db.document.create({
      data: { template: "cong_van", issuerOrgId: (await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } })).id, data: {}, verifyCode: "ABCDEFGHJK" },
    });
    expect((await request(t.app).get("/verify/ABCDEFGHJK")).status).toBe(404);
    await t.db.document.delete({ where: { id: draft.id } });
  });
});

describe("POST /verify/:code", () => {
  it("says an identical PDF matches (raw body, JSON)", async () => {
    const res = await request(t.app).post(`/verify/${code}`).set("Accept", "application/json").set("Content-Type", "application/pdf").send(pdf).expect(200);
    expect(res.body).toMatchObject({ matches: true, sha256: sha, expected_sha256: sha });
  });

  it("says a changed PDF does not match (multipart form, HTML)", async () => {
    const changed = Buffer.from(pdf);
    changed[changed.length - 20] = changed[changed.length - 20]! ^ 0x01;
    const res = await request(t.app).post(`/verify/${code}`).attach("file", changed, { filename: "văn bản.pdf", contentType: "application/pdf" }).expect(200);
    expect(res.text).toContain("KHÔNG trùng khớp");
    const same = await request(t.app).post(`/verify/${code}`).attach("file", pdf, { filename: "vb.pdf", contentType: "application/pdf" }).expect(200);
    expect(same.text).toContain("TRÙNG KHỚP");
  });

  it("refuses what is not a PDF, unknown codes and oversized uploads", async () => {
    const notPdf = await request(t.app).post(`/verify/${code}`).set("Content-Type", "application/pdf").send(Buffer.from("hello"));
    expect(notPdf.status).toBe(400);
    const empty = await request(t.app).post(`/verify/${code}`).set("Content-Type", "application/pdf");
    expect(empty.status).toBe(400);
    const text = await request(t.app).post(`/verify/${code}`).set("Content-Type", "text/plain").send("%PDF-1.7");
    expect(text.status).toBe(415);
    const noFile = await request(t.app).post(`/verify/${code}`).field("other", "x");
    expect(noFile.status).toBe(400);
    // Malformed multipart bodies are 400s, never 500s.
    for (const [type, body] of [
      ["multipart/form-data", "--x\r\n"],
      ["multipart/form-data; boundary=x", "no boundary here"],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n%PDF-1.7 unterminated'],
      ["multipart/form-data; boundary=x", "--xjunk"],
    ] as const) {
      const res = await request(t.app).post(`/verify/${code}`).set("Content-Type", type).send(body);
      expect(res.status, `${type} ${body}`).toBe(400);
    }
    expect((await request(t.app).post("/verify/ZZZZZZZZZZ").set("Content-Type", "application/pdf").send(pdf)).status).toBe(404);
    const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(300_000, 0x20)]);
    const tooBig = await request(t.app).post(`/verify/${code}`).set("Content-Type", "application/pdf").send(big);
    expect(tooBig.status).toBe(413);
  });

  it("a withdrawn document's page says so", async () => {
    const doc = await t.db.document.findUniqueOrThrow({ where: { verifyCode: code } });
    await request(t.app).post(`/api/v1/documents/${doc.id}/withdraw`).set(clerk).send({ reason: "Sai <thông tin>" }).expect(200);
    const res = await request(t.app).get(`/verify/${code}`).expect(200);
    expect(res.text).toContain("đã bị thu hồi");
    expect(res.text).toContain("Sai &lt;thông tin&gt;");
  });
});

describe("verification codes", () => {
  it("are 10 Crockford base32 characters, distinct, and read back as themselves", () => {
    const codes = Array.from({ length: 5000 }, newVerifyCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(parseVerifyCode(c)).toBe(c);
    }
    // Every symbol turns up: the 5 bits taken from each random byte are uniform.
    expect(new Set(codes.join("")).size).toBe(32);
  });
  it("fold what people mistype and refuse the rest", () => {
    expect(parseVerifyCode("7kq2-m9xd-3")).toBeNull();
    expect(parseVerifyCode("7kq2m-9xd3t")).toBe("7KQ2M9XD3T");
    expect(parseVerifyCode("O1IL0ABCDE")).toBe("01110ABCDE");
    expect(parseVerifyCode("UUUUUUUUUU")).toBeNull();
    expect(parseVerifyCode("")).toBeNull();
    expect(parseVerifyCode("A".repeat(41))).toBeNull();
  });
});

describe("budget per address", () => {
  it("answers 429 with Retry-After beyond the per-minute budget, and only on the public pages", async () => {
    const express = (await import("express")).default;
    const { verifyRoutes } = await import("../../server/http/routes/verify.routes.ts");
    const app = express();
    app.use(verifyRoutes(t.deps, { perMinute: 5 }));
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(app).get(`/verify/${code}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await request(app).get(`/verify/${code}`);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });
});
