/**
 * The dashboard's certificates area over HTTP (supertest on the real app and database, a session
 * cookie and the form's CSRF token, as a browser sends them): the batch list, an upload refused row
 * by row with nothing made, a good upload queued then followed to its downloads once the job's
 * processing function has run, another subtree's batch as the 404 page, occasions, and CSRF.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processCertificateBatch } from "../../server/features/certificates/process-certificate-batch.ts";
import { verifyUrl } from "../../server/features/documents/verify-url.ts";
import { asBuffer } from "../helpers/binary-body.ts";
import { createOrg, createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let dir: string;
let clerk: string;
let outsider: string;
const queued: number[] = [];

const HEAD = "STT,Họ và tên,Lớp,Danh hiệu,Thành tích,Số quyết định,Ngày quyết định,Quyền hạn ký,Chức vụ người ký,Người ký";
const row = (i: number) =>
  `${i + 1},Nguyễn Thị Học Sinh ${i + 1},Lớp 5A,Học sinh Xuất sắc,"Đã có thành tích xuất sắc trong học tập, năm học 2025–2026",125/QĐ-SGDĐT,15/11/2026,KT. Giám đốc,Phó Giám đốc,Trần Văn Bình`;
const csv = (lines: string[]) => Buffer.from(`\uFEFF${[HEAD, ...lines].join("\r\n")}\r\n`, "utf8");

const cookieOf = (res: request.Response, name: string) => ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith(`${name}=`));
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

/** A signed-in session cookie for a new user of `orgCode` with `role`. */
async function session(role: "CLERK" | "VIEWER", orgCode: string): Promise<string> {
  const { email, password } = await createUserWithToken(t.db, { role, orgCode });
  const form = await request(t.app).get("/signin").set("Accept", "text/html");
  const pre = cookieOf(form, "chidao_pre")!.split(";")[0]!;
  const res = await request(t.app)
    .post("/signin")
    .set("Cookie", pre)
    .type("form")
    .send({ _csrf: csrfIn(form.text), email, password, next: "/certificates" });
  expect(res.status).toBe(303);
  return cookieOf(res, "chidao_session")!.split(";")[0]!;
}

const page = (cookie: string, url: string) => request(t.app).get(url).set("Cookie", cookie).set("Accept", "text/html");

/** The upload form posted as a browser posts it (multipart, with the page's CSRF token unless `csrf` is false). */
async function upload(cookie: string, body: Buffer, fields: Record<string, string>, csrf = true) {
  const token = csrfIn((await page(cookie, "/certificates")).text);
  let r = request(t.app).post("/certificates/batches").set("Cookie", cookie).set("Accept", "text/html");
  if (csrf) r = r.field("_csrf", token);
  for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
  return r.attach("file", body, { filename: "danh-sach.csv", contentType: "text/csv" });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chidao-webcert-"));
  t = await createTestApp({ certificates: { enqueue: async (id) => void queued.push(id) } }, { CERTIFICATES_DIR: dir });
  await createProvince(t.db);
  await createOrg(t.db, { code: "SGD2", name: "Sở Giáo dục và Đào tạo tỉnh B", kind: "DEPARTMENT", symbol: "SGDĐT", place: "Bắc Ninh" });
  clerk = await session("CLERK", "SGD");
  outsider = await session("CLERK", "SGD2");
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("dashboard certificates", () => {
  it("shows the area in the navigation, an empty list and the upload form, in Vietnamese and in English", async () => {
    const res = await page(clerk, "/certificates");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<a href="\/certificates" aria-current="page">Khen thưởng<\/a>/);
    expect(res.text).toContain("Chưa có lô giấy khen nào.");
    expect(res.text).toMatch(/<label for="file">Tệp CSV hoặc XLSX<\/label>/);
    expect(res.text).toContain('<option value="giay_khen"');
    const en = await page(clerk, "/certificates?lang=en");
    expect(en.text).toContain("No certificate batches yet.");
    expect(en.text).toMatch(/<label for="template">Template<\/label>/);
  });

  it("shows a bad file's errors row by row and makes nothing", async () => {
    const before = await t.db.certificateBatch.count();
    const bad = [
      row(0),
      `2,,Lớp 5A,,Đã có thành tích,125/QĐ-SGDĐT,15/11/2026,,Giám đốc,Trần Văn Bình`,
      `3,Nguyễn Văn C,Lớp 5A,,Đã có thành tích,125-QĐ,31/02/2026,,Giám đốc,Trần Văn Bình`,
    ];
    const res = await upload(clerk, csv(bad), { template: "giay_khen", issuer: "SGD", occasion: "" });
    expect(res.status).toBe(422);
    expect(res.text).toContain('role="alert"');
    const table = /<table id="row-errors">([\s\S]*?)<\/table>/.exec(res.text)?.[1] ?? "";
    const cells = [...table.matchAll(/<tr>\s*<td>(\d+)<\/td>\s*<td data-field="([a-z_]+)">/g)].map((m) => [Number(m[1]), m[2]]);
    expect(cells).toEqual([
      [3, "recipient"],
      [4, "decision_number"],
      [4, "decision_date"],
    ]);
    // Named by the spreadsheet's column, in the page's language.
    expect(table).toMatch(/<td data-field="recipient">Họ và tên<\/td>\s*<td>thiếu trường bắt buộc<\/td>/);
    // The choices stay as they were sent.
    expect(res.text).toMatch(/<option value="giay_khen" selected>/);
    expect(await t.db.certificateBatch.count()).toBe(before);
    expect(queued).toEqual([]);
  });

  it("queues a good file, follows its progress, and offers the four files once done", async () => {
    const res = await upload(clerk, csv([row(0), row(1), row(2)]), { template: "giay_khen", issuer: "SGD", occasion: "" });
    expect(res.status).toBe(303);
    const id = Number(/^\/certificates\/batches\/(\d+)$/.exec(res.headers.location ?? "")?.[1]);
    expect(queued).toEqual([id]);

    const waiting = await page(clerk, `/certificates/batches/${id}`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain("Đang chờ");
    expect(waiting.text).toMatch(/<span class="num">0\/3<\/span>/);
    expect(waiting.text).toContain('src="/assets/certificate-batch.js"');
    expect(waiting.text).not.toContain("print.pdf");
    const progress = await request(t.app).get(`/certificates/batches/${id}/progress`).set("Cookie", clerk).set("Accept", "application/json");
    expect(progress.body).toEqual({ status: "queued", done: 0, total: 3 });
    expect((await page(clerk, `/certificates/batches/${id}/print.pdf`)).status).toBe(409);

    const list = await page(clerk, "/certificates");
    expect(list.text).toContain(`href="/certificates/batches/${id}"`);
    expect(list.text).toContain("Giấy khen");

    expect(await processCertificateBatch(t.db, id, { root: dir, verifyUrl: (c) => verifyUrl(t.deps.config, c), chunk: 5 })).toBe(true);
    const done = await page(clerk, `/certificates/batches/${id}`);
    expect(done.text).toContain("Xong");
    expect(done.text).toMatch(/<span class="num">3\/3<\/span>/);
    expect(done.text).not.toContain("certificate-batch.js");
    for (const name of ["print.pdf", "certificates.zip", "list.pdf", "list.xlsx"]) expect(done.text).toContain(`href="/certificates/batches/${id}/${name}"`);
    const pdf = await asBuffer(request(t.app).get(`/certificates/batches/${id}/print.pdf`).set("Cookie", clerk));
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe("%PDF-");
    const progressDone = await request(t.app).get(`/certificates/batches/${id}/progress`).set("Cookie", clerk).set("Accept", "application/json");
    expect(progressDone.body).toEqual({ status: "done", done: 3, total: 3 });

    // Another province's officer: not in their list, and the batch and its files are the 404 page.
    expect((await page(outsider, "/certificates")).text).not.toContain(`/certificates/batches/${id}"`);
    const other = await page(outsider, `/certificates/batches/${id}`);
    expect(other.status).toBe(404);
    expect(other.headers["content-type"]).toMatch(/text\/html/);
    expect(other.text).toContain('class="error-page"');
    expect((await page(outsider, `/certificates/batches/${id}/print.pdf`)).status).toBe(404);
  });

  it("lists and creates occasions, which the upload form then offers", async () => {
    const form = await page(clerk, "/occasions");
    expect(form.text).toContain("Chưa có dịp trao nào.");
    const csrf = csrfIn(form.text);
    const bad = await request(t.app)
      .post("/occasions")
      .set("Cookie", clerk)
      .set("Accept", "text/html")
      .type("form")
      .send({ _csrf: csrf, name: "Tổng kết", date: "2026-02-31", issuer: "SGD" });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="date-error"/);
    const ok = await request(t.app)
      .post("/occasions")
      .set("Cookie", clerk)
      .type("form")
      .send({ _csrf: csrf, name: "Lễ tổng kết học kỳ I", date: "2027-01-15", issuer: "SGD", semester: "1" });
    expect(ok.status).toBe(303);
    const list = await page(clerk, "/occasions");
    expect(list.text).toContain("Lễ tổng kết học kỳ I");
    expect(list.text).toContain("15/01/2027");
    const occasion = await t.db.occasion.findFirstOrThrow({ where: { name: "Lễ tổng kết học kỳ I" } });
    expect(occasion.semester).toBe(1);
    expect((await page(clerk, "/certificates")).text).toContain(`<option value="${occasion.id}" >Lễ tổng kết học kỳ I · 15/01/2027</option>`);
    expect((await page(outsider, "/occasions")).text).not.toContain("Lễ tổng kết học kỳ I");
  });

  it("answers a form sent without a file, or with an empty one, with the page and a message", async () => {
    const token = csrfIn((await page(clerk, "/certificates")).text);
    const none = await request(t.app)
      .post("/certificates/batches")
      .set("Cookie", clerk)
      .set("Accept", "text/html")
      .field("_csrf", token)
      .field("template", "giay_khen")
      .field("issuer", "SGD");
    expect(none.status).toBe(422);
    expect(none.text).toContain('role="alert"');
    const empty = await upload(clerk, Buffer.alloc(0), { template: "giay_khen", issuer: "SGD" });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('role="alert"');
  });

  it("shows a viewer the batches without the upload form, and refuses their upload", async () => {
    const viewer = await session("VIEWER", "SGD");
    const list = await page(viewer, "/certificates");
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/certificates/batches/');
    expect(list.text).not.toContain('action="/certificates/batches"');
    expect((await upload(viewer, csv([row(0)]), { template: "giay_khen", issuer: "SGD" })).status).toBe(403);
  });

  it("refuses an upload or an occasion without the form's CSRF token, and makes nothing", async () => {
    const before = await t.db.certificateBatch.count();
    const res = await upload(clerk, csv([row(0)]), { template: "giay_khen", issuer: "SGD" }, false);
    expect(res.status).toBe(403);
    const occ = await request(t.app).post("/occasions").set("Cookie", clerk).set("Accept", "text/html").type("form").send({ name: "Giả mạo", date: "2027-01-15", issuer: "SGD" });
    expect(occ.status).toBe(403);
    expect(await t.db.certificateBatch.count()).toBe(before);
    expect(await t.db.occasion.count({ where: { name: "Giả mạo" } })).toBe(0);
  });
});
