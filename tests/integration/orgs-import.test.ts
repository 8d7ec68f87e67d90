import ExcelJS from "exceljs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { craftZip, deflatedZeros, twoDirectoryZip } from "../helpers/crafted-zip.ts";
import { createOrg, createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HEADER = "code,name,kind,level,parent_code,principal_name,principal_phone";

let t: TestApp;
let auth: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db)).token}` };
});
afterAll(() => t.drop());

const importCsv = (csv: string | Buffer, headers: Record<string, string> = {}) =>
  request(t.app)
    .post("/api/v1/orgs/import")
    .set(auth)
    .set("Content-Type", "text/csv")
    .set(headers)
    .send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv));

/** Counts of what an import could write, to prove that a rejected request wrote nothing. */
async function snapshot() {
  const [orgs, people, audits] = await Promise.all([t.db.organization.count(), t.db.person.count(), t.db.auditLog.count()]);
  return { orgs, people, audits };
}

async function orgOf(code: string) {
  return t.db.organization.findUnique({ where: { code }, include: { parent: true, people: { where: { role: "PRINCIPAL" } } } });
}

async function xlsxOf(rows: (string | number | null)[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Trường");
  for (const r of rows) sheet.addRow(r);
  edit?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("characters the document font lacks", () => {
  const FULL = "code,name,kind,parent_code,symbol,place,governing_body";
  it("refuses the whole file (422) naming each cell by row and column, and writes nothing", async () => {
    const before = await snapshot();
    const csv = [
      FULL,
      "FONT-1,Trường THCS Lê Lợi,Trường,SGD,THCSLL,Xã Đông Hòa,UBND xã Đông Hòa",
      "FONT-2,Trường Tiểu học 🌟 Sao Mai,Trường,SGD,THSM,Xã Đông Hòa,",
      "FONT-3,Trường THPT Bình Minh,Trường,SGD,学校,東京,UBND xã Đông Hòa",
      "FONT-4,Trường THPT Ánh Dương,Trường,NOWHERE,THPTAD,Xã Đông Hòa,",
    ].join("\n");
    const res = await importCsv(csv);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toMatch(/chưa nhập đơn vị nào/);
    expect(res.body.error.issues).toEqual([
      { path: "name", message: "Dòng 3, cột name: ký tự 🌟 không có trong phông chữ văn bản (sẽ in thành ô trống)" },
      { path: "symbol", message: "Dòng 4, cột symbol: ký tự 学 校 không có trong phông chữ văn bản (sẽ in thành ô trống)" },
      { path: "place", message: "Dòng 4, cột place: ký tự 東 京 không có trong phông chữ văn bản (sẽ in thành ô trống)" },
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await orgOf("FONT-1")).toBeNull();
  });

  it("an .xlsx is checked the same way, in English when asked", async () => {
    const xlsx = await xlsxOf([
      ["code", "name", "kind", "parent_code", "governing_body"],
      ["FONT-X", "Trường Mầm non Họa Mi", "Trường", "SGD", "UBND phường 🏙"],
    ]);
    const res = await request(t.app).post("/api/v1/orgs/import?lang=en").set(auth).set("Content-Type", XLSX).send(xlsx);
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([{ path: "governing_body", message: "Row 2, column governing_body: 🏙 is not in the document font (it would print as an empty box)" }]);
  });

  it("full Vietnamese text passes", async () => {
    const csv = [FULL, "FONT-V,Trường Phổ thông Dân tộc Nội trú “Ánh Dương” – ĂÂÊÔƠƯĐ ỲÝỶỸỴ ằắẳẵặ,Trường,SGD,PTDTNTAD,Đặc khu Côn Đảo,Ủy ban nhân dân đặc khu Côn Đảo"].join("\n");
    const res = await importCsv(csv);
    expect(res.body).toEqual({ created: 1, updated: 0, errors: [] });
    expect(await orgOf("FONT-V")).toMatchObject({ place: "Đặc khu Côn Đảo", symbol: "PTDTNTAD" });
  });
});

describe("CSV import", () => {
  it("creates organisations whose parents come later in the file, with Vietnamese kind and level labels and principals", async () => {
    const res = await importCsv(readFileSync("tests/fixtures/import/schools.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ created: 4, updated: 0, errors: [] });
    const school = await orgOf("THPT-A");
    expect(school).toMatchObject({ kind: "SCHOOL", level: "THPT", name: "Trường THPT Nguyễn Trãi", parent: { code: "SGD2" } });
    expect(school!.people).toMatchObject([{ name: "Phạm Văn Minh", phone: "+84903123456", role: "PRINCIPAL" }]);
    expect(await orgOf("MN-B")).toMatchObject({ level: "MAM_NON", parent: { code: "XA-B" } });
    expect(await orgOf("XA-B")).toMatchObject({ kind: "COMMUNE", level: null, people: [] });
    const audit = await t.db.auditLog.findFirst({ where: { action: "orgs.import" }, orderBy: { id: "desc" } });
    expect(audit?.details).toMatchObject({ created: 4, updated: 0, errors: 0 });
  });

  it("upserts by code: updates the organisation and its principal, and a row without principal_name leaves people alone", async () => {
    const before = await orgOf("THPT-A");
    const csv = `${HEADER}\nTHPT-A,Trường THPT Nguyễn Trãi (mới),school,thpt,SGD,Phạm Văn Mạnh,0987654321\nMN-B,Trường Mầm non Sen Hồng,school,mam_non,XA-B,,\n`;
    const res = await importCsv(csv);
    expect(res.body).toEqual({ created: 0, updated: 2, errors: [] });
    const after = await orgOf("THPT-A");
    expect(after).toMatchObject({ name: "Trường THPT Nguyễn Trãi (mới)", parent: { code: "SGD" } });
    expect(after!.people).toHaveLength(1);
    expect(after!.people[0]).toMatchObject({ id: before!.people[0]!.id, name: "Phạm Văn Mạnh", phone: "+84987654321" });
    expect((await orgOf("MN-B"))!.people).toMatchObject([{ name: "Lê Thị Lan", phone: "+84912345678" }]);
  });

  it("imports the good rows and reports each bad row by its spreadsheet row number, writing nothing of the bad ones", async () => {
    const csv = [
      "Code ; NAME ; Kind ; Level ; Parent_Code ; principal_name ; principal_phone ; ghi_chu",
      "OK-1;Trường Tiểu học Hòa Bình;Trường;Tiểu học;X1;Ngô Văn Tài;0903000111;bỏ qua",
      "BAD-KIND;Trường Lạ;trường đại học;;X1;;;",
      "BAD-PHONE;Trường THCS Hòa Bình;school;THCS;X1;Đỗ Thị Mai;12345;",
      "BAD-PARENT;Trường THCS Xa;school;THCS;KHONG-CO;;;",
      ";Thiếu mã;school;THCS;X1;;;",
      "BAD-LEVEL;UBND xã Z;commune;THPT;SGD;;;",
      "",
      "OK-2;Trường Mầm non Hòa Bình;school;mn;OK-1;;;",
    ].join("\r\n");
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5, 6, 7]);
    const messages = Object.fromEntries(res.body.errors.map((e: { row: number; message: string }) => [e.row, e.message]));
    expect(messages[3]).toMatch(/Loại đơn vị không hợp lệ: trường đại học/);
    expect(messages[4]).toMatch(/Số điện thoại không hợp lệ: 12345/);
    expect(messages[5]).toMatch(/Không có đơn vị cấp trên mã KHONG-CO/);
    expect(messages[6]).toMatch(/Thiếu code/);
    expect(messages[7]).toMatch(/Chỉ trường học và trung tâm/);
    for (const code of ["BAD-KIND", "BAD-PHONE", "BAD-PARENT", "BAD-LEVEL"]) expect(await orgOf(code)).toBeNull();
    expect(await t.db.person.count({ where: { name: "Đỗ Thị Mai" } })).toBe(0);
    expect(await orgOf("OK-2")).toMatchObject({ parent: { code: "OK-1" }, level: "MAM_NON" });
  });

  it("reports errors in English when asked", async () => {
    const res = await importCsv(`${HEADER}\nE-1,Trường,school,thpt,NOWHERE,,\n`, { "Accept-Language": "en" });
    expect(res.body.errors).toEqual([{ row: 2, message: "No parent organisation with code NOWHERE" }]);
  });

  it("rejects every row of a parent cycle, including one closed through the database and an own code as parent", async () => {
    await createOrg(t.db, { code: "CY-DB", kind: "COMMUNE", parentCode: "SGD" });
    const csv = [
      HEADER,
      "CY-A,A,commune,,CY-B,,",
      "CY-B,B,commune,,CY-A,,",
      "CY-SELF,Self,commune,,CY-SELF,,",
      "CY-C,C,commune,,CY-DB,,",
      "SGD,Sở Giáo dục và Đào tạo,department,,CY-C,,",
      "CY-CHILD,Child of a cycle,school,thcs,CY-A,,",
      "CY-OK,Fine,school,thcs,SGD,,",
    ].join("\n");
    const before = await orgOf("SGD");
    const res = await importCsv(csv);
    expect(res.body.created).toBe(1);
    const byRow = Object.fromEntries(res.body.errors.map((e: { row: number; message: string }) => [e.row, e.message]));
    expect(Object.keys(byRow).map(Number)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(byRow[2]).toMatch(/vòng lặp: CY-A → CY-B → CY-A/);
    expect(byRow[4]).toMatch(/vòng lặp: CY-SELF → CY-SELF/);
    expect(byRow[5]).toMatch(/vòng lặp/);
    expect(byRow[6]).toMatch(/vòng lặp/);
    expect(byRow[7]).toMatch(/Không có đơn vị cấp trên mã CY-A/);
    expect((await orgOf("SGD"))!.parentId).toBe(before!.parentId);
    expect(await orgOf("CY-OK")).not.toBeNull();
  });

  it("reports a code that appears twice on both rows", async () => {
    const res = await importCsv(`${HEADER}\nDUP,One,school,thcs,X1,,\nDUP,Two,school,thcs,X1,,\n`);
    expect(res.body).toMatchObject({ created: 0, updated: 0 });
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors[1].message).toMatch(/DUP xuất hiện nhiều lần/);
  });

  it("sets the document-header columns and register_per_type from extra columns", async () => {
    const csv = `code,name,kind,symbol,place,governing_body,register_per_type\nSGD,Sở Giáo dục và Đào tạo,Sở,SGDĐT,Thành phố Hồ Chí Minh,ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH,có\n`;
    const res = await importCsv(csv);
    expect(res.body).toEqual({ created: 0, updated: 1, errors: [] });
    expect(await orgOf("SGD")).toMatchObject({ symbol: "SGDĐT", place: "Thành phố Hồ Chí Minh", governingBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", registerPerType: true });
    // A file without those columns leaves them as they are.
    expect((await importCsv("code,name,kind\nSGD,Sở GD&ĐT,Sở\n")).body).toEqual({ created: 0, updated: 1, errors: [] });
    expect(await orgOf("SGD")).toMatchObject({
      name: "Sở GD&ĐT",
      symbol: "SGDĐT",
      place: "Thành phố Hồ Chí Minh",
      governingBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
      registerPerType: true,
    });
  });
});

describe("rejected uploads write nothing", () => {
  it("answers 422 naming the missing required columns", async () => {
    const before = await snapshot();
    const res = await importCsv("code,ten,loai\nA,B,school\n");
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe("Thiếu cột: name, kind");
    expect(await snapshot()).toEqual(before);
  });
  it("answers 400 naming the line of an unclosed quote", async () => {
    const before = await snapshot();
    const res = await importCsv(`${HEADER}\nQ-1,Fine,school,thcs,X1,,\nQ-2,"Broken,school,thcs,X1,,\nQ-3,Fine,school,thcs,X1,,\n`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/dòng 3/);
    expect(await snapshot()).toEqual(before);
  });
  it("answers 415 for a file that is not UTF-8 and for other content types", async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nL-1,Tr`), Buffer.from([0xe2, 0x28]), Buffer.from("ng,school,thcs,X1,,\n")]);
    expect((await importCsv(latin1)).status).toBe(415);
    const json = await request(t.app).post("/api/v1/orgs/import").set(auth).send({ code: "X" });
    expect(json.status).toBe(415);
    expect(json.body.error.message).toMatch(/application\/json/);
    const xml = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", "application/xml").send("<a/>");
    expect(xml.status).toBe(415);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const legacy = await request(t.app).post("/api/v1/orgs/import").set(auth).attach("file", xls, { filename: "truong.xls", contentType: "application/vnd.ms-excel" });
    expect(legacy.status).toBe(415);
    expect(legacy.body.error.message).toMatch(/\.xlsx/);
    const charset = await importCsv(`${HEADER}\n`, { "Content-Type": "text/csv; charset=windows-1258" });
    expect(charset.status).toBe(415);
  });
  it("answers 413 beyond MAX_BODY_BYTES", async () => {
    const res = await importCsv(`${HEADER}\n${"x".repeat(6 * 1024 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/quá lớn/);
  });
  it("answers 422 for a file with a header only", async () => {
    const res = await importCsv(`${HEADER}\n\n`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/không có dòng dữ liệu/);
  });
  it("answers 401 without a token and 403 for a viewer", async () => {
    expect((await request(t.app).post("/api/v1/orgs/import").set("Content-Type", "text/csv").send(`${HEADER}\n`)).status).toBe(401);
    const viewer = await createUserWithToken(t.db, { role: "VIEWER" });
    const res = await request(t.app)
      .post("/api/v1/orgs/import")
      .set("Authorization", `Bearer ${viewer.token}`)
      .set("Content-Type", "text/csv")
      .send(`${HEADER}\nV,V,school,thcs,X1,,\n`);
    expect(res.status).toBe(403);
  });
});

describe("XLSX import", () => {
  it("reads a raw .xlsx body with numeric phone cells and mixed-case headers", async () => {
    const xlsx = await xlsxOf([
      ["Code", "Name", "Kind", "Level", "Parent_Code", "Principal_Name", "Principal_Phone"],
      ["XL-1", "Trường THCS Hòa Bình", "Trường", "THCS", "X2", "Vũ Văn Hải", 903111222],
      [79000701, "Trường Tiểu học số 1", "school", "tieu hoc", "X2", "Hồ Thị Thu", "0912 000 111"],
      ["XL-3", "Trường lỗi", "school", "THCS", "X2", "Lý Văn Lỗi", 123],
    ]);
    const res = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(xlsx);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.errors).toEqual([{ row: 4, message: "Số điện thoại không hợp lệ: 123" }]);
    expect((await orgOf("XL-1"))!.people[0]!.phone).toBe("+84903111222");
    expect(await orgOf("79000701")).toMatchObject({ level: "TIEU_HOC" });
  });

  it("keeps leading zeros shown by a 0000000000 number format", async () => {
    const xlsx = await xlsxOf(
      [
        ["code", "name", "kind", "level", "parent_code", "principal_name", "principal_phone"],
        ["XL-Z", "Trường Z", "school", "thcs", "X2", "Z", 903222333],
      ],
      (s) => {
        s.getCell("G2").numFmt = "0000000000";
      },
    );
    const res = await request(t.app).post("/api/v1/orgs/import").set(auth).attach("file", xlsx, { filename: "truong.xlsx", contentType: XLSX });
    expect(res.body).toEqual({ created: 1, updated: 0, errors: [] });
    expect((await orgOf("XL-Z"))!.people[0]!.phone).toBe("+84903222333");
  });

  it("accepts a CSV as the file field of a multipart form", async () => {
    const res = await request(t.app)
      .post("/api/v1/orgs/import")
      .set(auth)
      .attach("file", Buffer.from(`${HEADER}\nMP-1,Trường MP,school,thcs,X2,,\n`), { filename: "ds.csv", contentType: "text/csv" });
    expect(res.body).toEqual({ created: 1, updated: 0, errors: [] });
    const none = await request(t.app).post("/api/v1/orgs/import").set(auth).field("other", "x");
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/"file"/);
  });

  it("imports a LibreOffice .xlsx and a workbook with a hyperlink, a comment, an image and a table", async () => {
    // Made by LibreOffice 7.4 Calc from a UTF-8 CSV: soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx
    const lo = readFileSync("tests/fixtures/import/libreoffice.xlsx");
    const res0 = await request(t.app).post("/api/v1/orgs/import").set(auth).attach("file", lo, { filename: "truong.xlsx", contentType: XLSX });
    expect(res0.body, JSON.stringify(res0.body)).toEqual({ created: 3, updated: 0, errors: [] });
    expect((await orgOf("LO-1"))!.people[0]!.phone).toBe("+84903444555");
    expect(await orgOf("79000799")).toMatchObject({ name: "Trường Tiểu học Hòa Hưng", level: "TIEU_HOC", people: [{ phone: "+84912345678" }] });
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
    const rich = await xlsxOf(
      [
        ["code", "name", "kind", "level", "parent_code"],
        ["RX-1", "Trường RX", "school", "thcs", "X2"],
      ],
      (sheet) => {
        sheet.getCell("B2").value = { text: "Trường RX", hyperlink: "https://rx.edu.vn" };
        sheet.getCell("A2").note = "mã mới";
        sheet.addImage(sheet.workbook.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: "png" }), "H1:I3");
        sheet.addTable({ name: "Phu", ref: "K1", columns: [{ name: "x" }], rows: [[1]] });
      },
    );
    const res = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(rich);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ created: 1 });
    expect(await orgOf("RX-1")).toMatchObject({ name: "Trường RX" });
  });

  it("rejects a zip bomb from its central directory before inflating anything", async () => {
    // 60 MB of zeros deflate to ~60 KB; the archive honestly declares its size in the central directory.
    const bomb = craftZip([{ name: "xl/worksheets/sheet1.xml", packed: deflatedZeros(60 * 1024 * 1024), size: 60 * 1024 * 1024 }]);
    expect(bomb.length).toBeLessThan(200_000);
    const before = await snapshot();
    const res = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe("Tệp Excel khi giải nén vượt quá 40 MB");
    expect(await snapshot()).toEqual(before);
  });

  it("rejects the two-directory bypass, too many entries, lying sizes and ZIP64, in the request's language", async () => {
    const parts = [
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
    ];
    const bypass = twoDirectoryZip(
      [...parts, { name: "xl/media/a.png", data: Buffer.from("png") }],
      [...parts, { name: "xl/media/a.png", packed: deflatedZeros(400 * 1024 * 1024), size: 400 * 1024 * 1024 }],
    );
    const before = await snapshot();
    const r0 = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(bypass);
    expect(r0.status).toBe(422);
    expect(r0.body.error.message).toMatch(/^Tệp Excel không đọc được: .*offsets/);
    expect(await snapshot()).toEqual(before);
    const many = craftZip(Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from("x") })));
    const r1 = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(many);
    expect(r1.status).toBe(422);
    expect(r1.body.error.message).toMatch(/1001/);
    const liar = craftZip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(10 * 1024 * 1024), declare: 1000 }]);
    const r2 = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(liar);
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toMatch(/inflates beyond its declared 1000 bytes/);
    const zip64 = craftZip([{ name: "xl/workbook.xml", data: Buffer.from("<workbook/>") }], { zip64Locator: true });
    const r3 = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Accept-Language", "en").set("Content-Type", XLSX).send(zip64);
    expect(r3.status).toBe(422);
    expect(r3.body.error.message).toBe("The Excel file uses a ZIP feature that is not accepted (ZIP64); open it in Excel or LibreOffice and save it again as .xlsx");
    const notZip = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", XLSX).send(Buffer.from("code,name\n"));
    expect(notZip.status).toBe(422);
  });
});
