/**
 * Certificate batches end to end on real parts: the HTTP API, PostgreSQL, the job's processing
 * function (and the BullMQ worker on both backends), and poppler reading the files back.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { deflateSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateLines } from "../../server/documents/certificate/certificate-model.ts";
import { issuerInfo } from "../../server/features/documents/issuer-info.ts";
import { processCertificateBatch } from "../../server/features/certificates/process-certificate-batch.ts";
import { verifyUrl } from "../../server/features/documents/verify-url.ts";
import { getCertificateTemplate } from "../../templates/certificates/index.ts";
import { createOrg, createProvince, createUserWithToken } from "../helpers/factories.ts";
import { asBuffer } from "../helpers/binary-body.ts";
import { pdffonts, pdfinfo, pdftotext, squash, withFile } from "../helpers/pdf-tools.ts";
import { crc32 } from "../../server/features/spreadsheets/crc32.ts";
import { decodePageQr } from "../helpers/qr-decode.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let dir: string;
let auth: { Authorization: string };
let outsider: { Authorization: string };
const queued: number[] = [];

const HEAD = "STT,Họ và tên,Lớp,Danh hiệu,Thành tích,Số quyết định,Ngày quyết định,Quyền hạn ký,Chức vụ người ký,Người ký";
const NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "Lê Hoàng Yến", "Phạm Quốc Đạt", "Võ Thị Ngọc Hân", "Đặng Minh Khôi"];
const row = (i: number, klass = `Lớp ${5 + (i % 2)}A`) =>
  `${i + 1},${NAMES[i % NAMES.length]} ${i + 1},${klass},Học sinh Xuất sắc,"Đã có thành tích xuất sắc trong học tập và rèn luyện, năm học 2025–2026",125/QĐ-SGDĐT,15/11/2026,KT. Giám đốc,Phó Giám đốc,Trần Văn Bình`;
const csv = (lines: string[]) => Buffer.from(`\uFEFF${[HEAD, ...lines].join("\r\n")}\r\n`, "utf8");

const upload = (body: Buffer, query: string, type = "text/csv") => request(t.app).post(`/api/v1/certificates/batches?${query}`).set(auth).set("Content-Type", type).send(body);
const run = (id: number, o: Partial<Parameters<typeof processCertificateBatch>[2]> = {}) =>
  processCertificateBatch(t.db, id, { root: dir, verifyUrl: (c) => verifyUrl(t.deps.config, c), chunk: 5, ...o });
const file = (id: number, name: string) => readFile(path.join(dir, `batch-${id}`, name));

/** pdftotext -raw of one page: text in the order the page draws it. */
const pageText = (pdf: Buffer, page: number) => pdftotext(pdf, "-raw", "-f", String(page), "-l", String(page));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chidao-cert-"));
  t = await createTestApp({ certificates: { enqueue: async (id) => void queued.push(id) } }, { CERTIFICATES_DIR: dir });
  await createProvince(t.db);
  await createOrg(t.db, { code: "SGD2", name: "Sở Giáo dục và Đào tạo tỉnh B", kind: "DEPARTMENT", symbol: "SGDĐT", place: "Bắc Ninh" });
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token}` };
  outsider = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD2" })).token}` };
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("certificate templates", () => {
  it("are listed by GET /templates with their fields and Vietnamese headings", async () => {
    const res = await request(t.app).get("/api/v1/templates").set(auth);
    const certs = (res.body as { name: string; kind: string; schema: { properties: Record<string, unknown> }; headings: Record<string, string[]> }[]).filter(
      (x) => x.kind === "certificate",
    );
    expect(certs.map((c) => c.name).sort()).toEqual(["chung_nhan_kiem_dinh", "cong_nhan_chuan_quoc_gia", "giay_khen"]);
    const gk = certs.find((c) => c.name === "giay_khen")!;
    expect(Object.keys(gk.schema.properties)).toEqual(expect.arrayContaining(["recipient", "achievement", "decision_number", "decision_date", "signer_name"]));
    expect(gk.headings.recipient).toContain("Họ và tên");
  });
});

describe("a batch from a spreadsheet", () => {
  it("returns every error of a bad file at once and makes nothing", async () => {
    const bad = [
      row(0),
      `2,,Lớp 5A,,Đã có thành tích,125/QĐ-SGDĐT,15/11/2026,,Giám đốc,Trần Văn Bình`,
      `3,Nguyễn Văn C,Lớp 5A,,Đã có thành tích,125-QĐ,31/02/2026,,Giám đốc,Trần Văn Bình`,
      `4,Nguyễn 😀 D,Lớp 5A,,Đã có thành tích,125/QĐ-SGDĐT,15/11/2026,Phó,Giám đốc,Trần Văn Bình`,
    ];
    const res = await upload(csv(bad), "template=giay_khen&issuer=SGD");
    expect(res.status).toBe(422);
    const errors = res.body.errors as { row: number; field: string; message: string }[];
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, "recipient"],
      [4, "decision_number"],
      [4, "decision_date"],
      [5, "recipient"],
      [5, "signer_authority"],
    ]);
    expect(errors.every((e) => e.message.length > 3)).toBe(true);
    // Unknown and missing columns are reported on the heading row, with the rows' errors.
    const head = await upload(Buffer.from("Họ và tên,Lớp học,Thành tích\nA,B,C\n"), "template=giay_khen&issuer=SGD");
    expect(head.status).toBe(422);
    expect(head.body.errors.filter((e: { row: number }) => e.row === 1).map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["Lớp học", "decision_number", "decision_date", "signer_title", "signer_name"]),
    );
    expect(await t.db.certificateBatch.count()).toBe(0);
    expect(await t.db.registerEntry.count()).toBe(0);
    expect(queued).toEqual([]);
  });

  it("reads an XLSX as the officer typed it: Vietnamese headings, rich text, a date typed in Excel, numbers", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Khen");
    sheet.addRow(["Họ và tên", "Đơn vị", "Thành tích", "Số quyết định", "Ngày quyết định", "Chức vụ người ký", "Người ký"]);
    sheet.addRow([
      { richText: [{ text: "Nguyễn " }, { text: "Văn An", font: { bold: true } }] },
      "Tổ Toán & Tin",
      "Hoàn thành <xuất sắc> nhiệm vụ",
      "7/QĐ-SGDĐT",
      new Date(Date.UTC(2026, 10, 15)),
      "Giám đốc",
      "Lê Văn Cường",
    ]);
    sheet.getCell("E2").numFmt = "dd/mm/yyyy";
    sheet.addRow(["Trần Thị Bích", 12, "Hoàn thành tốt", "7/QĐ-SGDĐT", "16/11/2026", "Giám đốc", "Lê Văn Cường"]);
    const res = await upload(Buffer.from(await book.xlsx.writeBuffer()), "template=giay_khen&issuer=SGD", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.status).toBe(202);
    const items = await t.db.certificateItem.findMany({ where: { batchId: res.body.id }, orderBy: { seq: "asc" } });
    expect(items.map((i) => i.data)).toMatchObject([
      { recipient: "Nguyễn Văn An", unit: "Tổ Toán & Tin", achievement: "Hoàn thành <xuất sắc> nhiệm vụ", decision_date: "2026-11-15" },
      { recipient: "Trần Thị Bích", unit: "12", decision_date: "2026-11-16" },
    ]);
    // Not rendered here: the register numbers below start with the next batch.
    await t.db.certificateBatch.update({ where: { id: res.body.id }, data: { status: "FAILED" } });
    queued.length = 0;
  });

  let batchId = 0;
  let occasionId = 0;
  it("makes the print PDF, the ZIP and the ceremony list, numbered consecutively in the register", async () => {
    const occ = await request(t.app).post("/api/v1/occasions").set(auth).send({ name: "Lễ tổng kết năm học 2025–2026", date: "2026-05-25", issuer: "SGD", semester: 2 });
    expect(occ.status).toBe(201);
    occasionId = occ.body.id;
    expect((await request(t.app).get("/api/v1/occasions").set(auth)).body.map((o: { id: number }) => o.id)).toContain(occasionId);

    const rows = Array.from({ length: 12 }, (_, i) => row(i));
    const res = await upload(csv(rows), `template=giay_khen&issuer=SGD&occasion=${occasionId}`);
    expect(res.status).toBe(202);
    batchId = res.body.id;
    expect(queued).toEqual([batchId]);
    expect((await request(t.app).get(`/api/v1/certificates/batches/${batchId}`).set(auth)).body).toMatchObject({ status: "queued", done: 0, total: 12 });
    expect((await request(t.app).get(`/api/v1/certificates/batches/${batchId}/print.pdf`).set(auth)).status).toBe(409);

    expect(await run(batchId)).toBe(true);
    const status = (await request(t.app).get(`/api/v1/certificates/batches/${batchId}`).set(auth)).body;
    expect(status).toMatchObject({ status: "done", done: 12, total: 12, first_number: 1, last_number: 12, series: "GK" });
    expect((await request(t.app).get(`/api/v1/certificates/batches/${batchId}`).set(outsider)).status).toBe(404);

    // Register: 1..12 in series GK, one entry per certificate.
    const sgd = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const entries = await t.db.registerEntry.findMany({ where: { organizationId: sgd.id, series: "GK" }, orderBy: { number: "asc" } });
    expect(entries.map((e) => e.number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(entries[0]!.symbol).toBe("01/GK-SGDĐT");

    // Print PDF: one landscape A4 page per row, fonts embedded and subset once for the file.
    const print = (await asBuffer(request(t.app).get(`/api/v1/certificates/batches/${batchId}/print.pdf`).set(auth))).body as Buffer;
    const info = await pdfinfo(print);
    expect(info).toMatch(/Pages:\s+12\n/);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const fonts = (await pdffonts(print)).split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBe(3);
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+LiberationSerif\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);

    // Each page's text is exactly the certificate's, in ceremony order (grouped by class: 5A first).
    const template = getCertificateTemplate("giay_khen")!;
    const items = await t.db.certificateItem.findMany({ where: { batchId }, orderBy: { seq: "asc" } });
    expect(items.map((i) => i.groupKey)).toEqual([...Array(6).fill("Lớp 5A"), ...Array(6).fill("Lớp 6A")]);
    for (const [k, item] of items.entries()) {
      const model = template.build(item.data as Record<string, unknown>, { issuer: issuerInfo(sgd), symbol: item.symbol });
      const expected = certificateLines(model, { code: item.verifyCode!, url: verifyUrl(t.deps.config, item.verifyCode!) });
      expect(squash(await pageText(print, k + 1))).toBe(squash(expected.join("\n")));
    }
    expect(squash(await pageText(print, 1))).toContain("Nguyễn Thị Ánh Tuyết 1 Lớp 5A Danh hiệu: Học sinh Xuất sắc");
    // The QR codes decode to the verification URLs.
    for (const k of [0, 11]) expect(await decodePageQr(print, k + 1)).toBe(verifyUrl(t.deps.config, items[k]!.verifyCode!));

    // ZIP: one PDF per row, named by number and recipient, each the certificate its code verifies.
    const zipRes = await asBuffer(request(t.app).get(`/api/v1/certificates/batches/${batchId}/certificates.zip`).set(auth));
    expect(zipRes.headers["content-type"]).toBe("application/zip");
    const zip = await JSZip.loadAsync(zipRes.body as Buffer);
    const names = Object.keys(zip.files);
    expect(names).toHaveLength(12);
    expect(names[0]).toBe("00001_Nguyen-Thi-Anh-Tuyet-1.pdf");
    const one = await zip.file(names[0]!)!.async("nodebuffer");
    expect(await pdfinfo(one)).toMatch(/Pages:\s+1\n/);
    const verify = await request(t.app).get(`/verify/${items[0]!.verifyCode}`).set("Accept", "application/json");
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ symbol: "01/GK-SGDĐT", status: "issued", type_name: "Giấy khen" });
    const check = await request(t.app).post(`/verify/${items[0]!.verifyCode}`).set("Accept", "application/json").set("Content-Type", "application/pdf").send(one);
    expect(check.body.matches).toBe(true);

    // The ceremony list: grouped by class, every name with its number.
    const list = await file(batchId, "list.pdf");
    const listText = squash(await pdftotext(list));
    expect(listText).toContain("DANH SÁCH KHEN THƯỞNG");
    expect(listText).toContain("Lễ tổng kết năm học 2025–2026, ngày 25 tháng 5 năm 2026");
    expect(listText.indexOf("Lớp 5A")).toBeLessThan(listText.indexOf("Lớp 6A"));
    for (const item of items) expect(listText).toContain(item.recipient);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await file(batchId, "list.xlsx")) as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0]!;
    const values = sheet.getColumn(3).values.filter(Boolean) as string[];
    expect(values).toEqual(expect.arrayContaining(items.map((i) => i.recipient)));
  }, 120_000);

  it("resumes a batch interrupted by a crash without taking a number twice or missing one", async () => {
    // A crash inside the numbering transaction takes no number.
    const res = await upload(csv(Array.from({ length: 30 }, (_, i) => row(i))), "template=giay_khen&issuer=SGD");
    const id = res.body.id as number;
    await expect(run(id, { hooks: { beforeNumberCommit: async () => Promise.reject(new Error("crash while numbering")) } })).rejects.toThrow("crash while numbering");
    const sgd = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    expect((await t.db.registerCounter.findFirstOrThrow({ where: { organizationId: sgd.id, series: "GK" } })).lastNumber).toBe(12);
    // A crash after two rendered chunks: the rest is rendered on the next run, nothing twice.
    await expect(
      run(id, {
        hooks: {
          afterRenderChunk: async (done) => {
            if (done >= 10) throw new Error("crash while rendering");
          },
        },
      }),
    ).rejects.toThrow("crash while rendering");
    const half = await t.db.certificateItem.findMany({ where: { batchId: id }, orderBy: { seq: "asc" } });
    expect(half.filter((i) => i.renderedAt).length).toBe(10);
    const firstRendered = half[0]!.renderedAt;
    expect((await request(t.app).get(`/api/v1/certificates/batches/${id}`).set(auth)).body).toMatchObject({ status: "rendering", done: 10, total: 30 });
    expect(await run(id)).toBe(true);
    expect(await run(id)).toBe(false);
    const items = await t.db.certificateItem.findMany({ where: { batchId: id }, orderBy: { seq: "asc" } });
    expect(items[0]!.renderedAt).toEqual(firstRendered);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 30 }, (_, i) => 13 + i));
    const entries = await t.db.registerEntry.findMany({ where: { organizationId: sgd.id, series: "GK" }, orderBy: { number: "asc" } });
    expect(entries.map((e) => e.number)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    const print = await file(id, "print.pdf");
    expect(await pdfinfo(print)).toMatch(/Pages:\s+30\n/);
    const zip = await JSZip.loadAsync(await file(id, "certificates.zip"));
    expect(Object.keys(zip.files)).toHaveLength(30);
  }, 120_000);
});

describe("a single certificate through the documents API", () => {
  const data = {
    school: "Trường THPT Nguyễn Du",
    address: "Phường Bến Thành, Thành phố Hồ Chí Minh",
    regime: "2026",
    level: 2,
    decision_number: "342/QĐ-SGDĐT",
    decision_date: "2026-11-20",
    signer_title: "Giám đốc",
    signer_name: "Nguyễn Văn Hùng",
  };
  it("is drafted, previewed and issued in the kind's own series with a QR", async () => {
    const created = await request(t.app).post("/api/v1/documents").set(auth).send({ template: "chung_nhan_kiem_dinh", issuer: "SGD", data });
    expect(created.status).toBe(201);
    const bad = await request(t.app)
      .post("/api/v1/documents")
      .set(auth)
      .send({ template: "chung_nhan_kiem_dinh", issuer: "SGD", data: { ...data, level: 3 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("data.level");
    const id = created.body.id as number;
    const preview = (await asBuffer(request(t.app).get(`/api/v1/documents/${id}/preview.pdf`).set(auth))).body as Buffer;
    expect(await pdfinfo(preview)).toMatch(/Page size:\s+841\.89 x 595\.28 pts/);
    expect(squash(await pdftotext(preview, "-raw"))).toContain("DỰ THẢO");
    const issued = await request(t.app).post(`/api/v1/documents/${id}/issue`).set(auth).send({});
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ number: 1, symbol: "01/GCN-SGDĐT" });
    const pdf = (await asBuffer(request(t.app).get(`/api/v1/documents/${id}.pdf`).set(auth))).body as Buffer;
    const text = squash(await pdftotext(pdf, "-raw"));
    expect(text).toContain("ĐẠT KIỂM ĐỊNH CHẤT LƯỢNG GIÁO DỤC MỨC 2");
    expect(text).toContain("Giấy chứng nhận có giá trị 05 năm, đến ngày 20/11/2031");
    expect(text).toContain("Quyết định số 342/QĐ-SGDĐT ngày 20/11/2026");
    expect(text).toContain("Số vào sổ: 01/GCN-SGDĐT");
    expect(await decodePageQr(pdf, 1)).toBe(issued.body.verify_url);
    expect((await request(t.app).get(`/api/v1/documents/${id}.docx`).set(auth)).status).toBe(404);
    expect((await request(t.app).post(`/api/v1/documents/${id}/issue`).set(auth).send({})).status).toBe(409);
  }, 60_000);
});

/** A small RGBA PNG (a red disc on transparency), written here so the test needs no image file. */
function redDiscPng(size = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 2 - 2) ** 2;
      raw.set([200, 20, 20, inside ? 255 : 0], y * (1 + size * 4) + 1 + x * 4);
    }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

describe("the office's emblem", () => {
  it("accepts a PNG within the limits, refuses other types and sizes, and prints it once per file", async () => {
    const put = (body: Buffer, type: string) => request(t.app).put("/api/v1/orgs/SGD2/emblem").set(outsider).set("Content-Type", type).send(body);
    expect((await put(Buffer.from("GIF89a....."), "image/png")).status).toBe(415);
    expect((await put(Buffer.from("GIF89a....."), "image/gif")).status).toBe(415);
    expect((await put(Buffer.alloc(2 * 1024 * 1024, 1), "image/png")).status).toBe(413);
    expect((await request(t.app).put("/api/v1/orgs/SGD2/emblem").set(auth).set("Content-Type", "image/png").send(redDiscPng())).status).toBe(403);
    const ok = await put(redDiscPng(), "image/png");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ media_type: "image/png", width: 48, height: 48 });
    const rows = [0, 1, 2].map((i) => row(i));
    const res = await request(t.app).post("/api/v1/certificates/batches?template=giay_khen&issuer=SGD2").set(outsider).set("Content-Type", "text/csv").send(csv(rows));
    expect(res.status).toBe(202);
    await run(res.body.id);
    const images = await withFile(await file(res.body.id, "print.pdf"), "pdf", async (f) => (await promisify(execFile)("pdfimages", ["-list", f])).stdout);
    // Three pages draw the image and its soft mask; all name the same object.
    const objects = new Set(
      images
        .split("\n")
        .slice(2)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/).slice(10, 12).join(" ")),
    );
    expect(images.split("\n").slice(2).filter(Boolean).length).toBe(6);
    expect(objects.size).toBe(1);
  }, 60_000);
});
