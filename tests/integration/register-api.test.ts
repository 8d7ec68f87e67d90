/** The outgoing register as JSON and as the decree's .xlsx form. */
import ExcelJS from "exceljs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTER_COLUMNS } from "../../server/features/register/render-register-xlsx.ts";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

let t: TestApp;
let clerk: { Authorization: string };
let schoolViewer: { Authorization: string };
const ids: number[] = [];
const year = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric" }).format(new Date()));

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  clerk = bearer((await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token);
  schoolViewer = bearer((await createUserWithToken(t.db, { role: "VIEWER", orgCode: "THPT1" })).token);
  const hostile = { ...SAMPLES.cong_van!, subject: '=HYPERLINK("http://evil.example","bấm")', recipients: ["+cmd|' /C calc'!A0", "@SUM(1+1)"], cc: ["-2+3"] };
  for (const [template, data] of [
    ["cong_van", SAMPLES.cong_van!],
    ["ke_hoach", SAMPLES.ke_hoach!],
    ["cong_van", hostile],
  ] as const) {
    const res = await request(t.app).post("/api/v1/documents").set(clerk).send({ template, issuer: "SGD", data }).expect(201);
    await request(t.app).post(`/api/v1/documents/${res.body.id}/issue`).set(clerk).send({}).expect(200);
    ids.push(res.body.id);
  }
  await request(t.app).post(`/api/v1/documents/${ids[1]}/withdraw`).set(clerk).send({ reason: "Thay bằng kế hoạch khác" }).expect(200);
  // A draft is not in the register.
  await request(t.app).post("/api/v1/documents").set(clerk).send({ template: "thong_bao", issuer: "SGD", data: SAMPLES.thong_bao }).expect(201);
});
afterAll(() => t.drop());

describe("GET /register", () => {
  it("lists the year's entries in number order with the decree's columns, withdrawn ones kept", async () => {
    const res = await request(t.app).get(`/api/v1/register?issuer=SGD&year=${year}`).set(clerk).expect(200);
    expect(res.body.issuer).toEqual({ code: "SGD", name: "Sở Giáo dục và Đào tạo" });
    expect(res.body.year).toBe(year);
    expect(res.body.rows.map((r: { number: number; symbol: string; status: string }) => [r.number, r.symbol, r.status])).toEqual([
      [1, "01/SGDĐT-KTKĐ", "issued"],
      [2, "02/KH-SGDĐT", "withdrawn"],
      [3, "03/SGDĐT-KTKĐ", "issued"],
    ]);
    expect(res.body.rows[0]).toMatchObject({
      document_type: "Công văn",
      subject: SAMPLES.cong_van!.subject,
      signer: "Nguyễn Văn Hùng",
      recipients: "Hiệu trưởng các trường THPT; Giám đốc các trung tâm GDNN-GDTX; Giám đốc Sở (để báo cáo)",
      copies: 120,
      document_id: ids[0],
      drafting_unit: "KTKĐ",
    });
    expect(res.body.rows[1]).toMatchObject({ withdrawn_reason: "Thay bằng kế hoạch khác", withdrawn_at: expect.any(String) });
  });

  it("defaults to the user's organisation and this year; another year is empty", async () => {
    const res = await request(t.app).get("/api/v1/register").set(clerk).expect(200);
    expect(res.body.rows).toHaveLength(3);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/register?issuer=SGD&year=${year - 1}`)
          .set(clerk)
          .expect(200)
      ).body.rows,
    ).toEqual([]);
  });

  it("refuses bad queries and other subtrees", async () => {
    expect((await request(t.app).get("/api/v1/register?issuer=SGD&year=abc").set(clerk)).status).toBe(422);
    expect((await request(t.app).get("/api/v1/register?issuer=SGD&year=20261").set(clerk)).status).toBe(422);
    const unknown = await request(t.app).get("/api/v1/register?issuer=NOPE").set(clerk);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe("issuer");
    expect((await request(t.app).get("/api/v1/register?issuer=SGD").set(schoolViewer)).status).toBe(403);
    expect((await request(t.app).get("/api/v1/register?issuer=SGD&evil=1").set(clerk)).status).toBe(422);
    expect((await request(t.app).get("/api/v1/register.xlsx?issuer=SGD")).status).toBe(401);
  });
});

describe("GET /register.xlsx", () => {
  it("is a workbook exceljs reads, with the ten Vietnamese headings and formulas neutralised", async () => {
    const res = await asBuffer(request(t.app).get(`/api/v1/register.xlsx?issuer=SGD&year=${year}`).set(clerk)).expect(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    expect(res.headers["content-disposition"]).toContain(`so-dang-ky-van-ban-di-SGD-${year}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.worksheets[0]!;
    const rowValues = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(rowValues(1)).toEqual(["SỔ ĐĂNG KÝ VĂN BẢN ĐI"]);
    expect(rowValues(3)).toEqual([...REGISTER_COLUMNS]);
    expect(REGISTER_COLUMNS).toHaveLength(10);
    expect(REGISTER_COLUMNS[0]).toBe("Số, ký hiệu văn bản");
    expect(REGISTER_COLUMNS[9]).toBe("Ghi chú");
    expect(rowValues(4)).toEqual(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"]);
    const first = rowValues(5);
    expect(first[0]).toBe("01/SGDĐT-KTKĐ");
    expect(first[1]).toMatch(new RegExp(`^\\d{2}/\\d{2}/${year}$`));
    expect(first[2]).toBe(`Công văn ${SAMPLES.cong_van!.subject}`);
    expect(first[3]).toBe("Nguyễn Văn Hùng");
    expect(first[5]).toBe("VT, KTKĐ");
    expect(first[6]).toBe(120);
    expect(String(rowValues(6)[9])).toMatch(/^Đã thu hồi ngày .*: Thay bằng kế hoạch khác$/);
    // Every text cell that could run as a formula starts with an apostrophe, and no cell is a formula.
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula).toBeUndefined();
        if (typeof cell.value === "string") expect(cell.value).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
    const hostile = rowValues(7);
    expect(hostile[4]).toBe(`'+cmd|' /C calc'!A0; @SUM(1+1); -2+3`);
    expect(hostile[2]).toBe(`Công văn =HYPERLINK("http://evil.example","bấm")`);
  });
});
