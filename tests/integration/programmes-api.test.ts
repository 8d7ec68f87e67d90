import request from "supertest";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

let t: TestApp;
let sgd: { Authorization: string };
let x1: { Authorization: string };
let x2: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  sgd = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
  x1 = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token}` };
  x2 = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X2" })).token}` };
});
afterAll(() => t.drop());

async function orgId(code: string): Promise<number> {
  return (await t.db.organization.findUniqueOrThrow({ where: { code } })).id;
}

describe("checklist templates", () => {
  it("lists the built-in programmes with their steps and legal basis", async () => {
    const res = await request(t.app).get("/api/v1/checklist-templates").set(x1).expect(200);
    const names = res.body.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(["kiem-dinh-2018", "bao-dam-chat-luong-2026", "cai-tien-chat-luong", "cong-khai"]));
    const k2018 = res.body.find((c: { name: string }) => c.name === "kiem-dinh-2018");
    expect(k2018.steps.map((s: { title: string }) => s.title)).toEqual([
      "Tự đánh giá và hoàn thành báo cáo tự đánh giá",
      "Đăng ký đánh giá ngoài",
      "Đánh giá ngoài và đánh giá lại",
      "Công nhận và cấp giấy chứng nhận",
    ]);
    expect(k2018.basis).toMatch(/TT 18\/2018/);
    expect(res.body.find((c: { name: string }) => c.name === "cong-khai").basis).toMatch(/TT 09\/2024/);
  });

  it("keeps an officer's template as versions, visible below the office and not beside it", async () => {
    const steps = [
      { title: "Nộp kế hoạch", offset: "P7D" },
      { title: "Nộp báo cáo", due: "2027-05-31", evidence: "Báo cáo" },
    ];
    const v1 = await request(t.app).post("/api/v1/checklist-templates").set(x1).send({ name: "bao-cao-x1", title: "Báo cáo xã", steps });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body.version).toBe(1);
    const v2 = await request(t.app)
      .post("/api/v1/checklist-templates")
      .set(x1)
      .send({ name: "bao-cao-x1", title: "Báo cáo xã (sửa)", steps: steps.slice(0, 1) })
      .expect(201);
    expect(v2.body.version).toBe(2);
    const listed = (await request(t.app).get("/api/v1/checklist-templates").set(x1).expect(200)).body.filter((c: { name: string }) => c.name === "bao-cao-x1");
    expect(listed).toHaveLength(1);
    expect(listed[0].version).toBe(2);
    const beside = (await request(t.app).get("/api/v1/checklist-templates").set(x2).expect(200)).body;
    expect(beside.some((c: { name: string }) => c.name === "bao-cao-x1")).toBe(false);
    // The Sở above the commune sees it.
    expect((await request(t.app).get("/api/v1/checklist-templates").set(sgd).expect(200)).body.some((c: { name: string }) => c.name === "bao-cao-x1")).toBe(true);
  });

  it("refuses a built-in name (409) and bad steps (422, in the request's language)", async () => {
    const builtin = await request(t.app)
      .post("/api/v1/checklist-templates")
      .set(x1)
      .send({ name: "cong-khai", title: "X", steps: [{ title: "A" }] });
    expect(builtin.status).toBe(409);
    const bad = await request(t.app)
      .post("/api/v1/checklist-templates?lang=en")
      .set(x1)
      .send({
        name: "Bad Name",
        title: "X",
        steps: [
          { title: "A", offset: "7 days" },
          { title: "B", due: "2027-01-01", offset: "P1D" },
        ],
      });
    expect(bad.status).toBe(422);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "steps.0.offset", "steps.1.offset"]));
    expect(bad.body.error.issues.find((i: { path: string }) => i.path === "steps.0.offset").message).toMatch(/ISO 8601/);
  });
});

describe("directives with a checklist", () => {
  let directiveId: number;

  it("copies a template's steps with the dates given, and answers 422 for what cannot be built", async () => {
    const both = await request(t.app)
      .post("/api/v1/directives")
      .set(sgd)
      .send({ title: "KĐ", body: "B", audience: { under: "X1" }, checklist: [{ title: "A" }], checklist_template: "kiem-dinh-2018" });
    expect(both.status).toBe(422);
    expect(both.body.error.issues[0].path).toBe("checklist_template");
    const unknown = await request(t.app)
      .post("/api/v1/directives")
      .set(sgd)
      .send({ title: "KĐ", body: "B", audience: { under: "X1" }, checklist_template: "khong-co" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].message).toMatch(/khong-co/);
    const badPolicy = await request(t.app)
      .post("/api/v1/directives?lang=en")
      .set(sgd)
      .send({ title: "KĐ", body: "B", audience: { under: "X1" }, checklist: [{ title: "A", due: "2027-05-31" }], reminders: { before: ["P1Y"], quiet_hours: "25:00-07:00" } });
    expect(badPolicy.status).toBe(422);
    expect(badPolicy.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["reminders.before.0", "reminders.quiet_hours"]);
    const urgent = await request(t.app)
      .post("/api/v1/directives")
      .set(sgd)
      .send({ title: "Khẩn", body: "B", audience: { under: "X1" }, checklist: [{ title: "A", due: "2027-05-31" }], reminders: { working_days_only: false, quiet_hours: null } })
      .expect(201);
    expect((await t.db.directive.findUniqueOrThrow({ where: { id: urgent.body.id } })).reminderPolicy).toEqual({
      before: ["P7D", "P3D", "P1D", "PT0S"],
      overdue_every: "P2D",
      working_days_only: false,
      quiet_hours: null,
    });
    const noStep = await request(t.app)
      .post("/api/v1/directives")
      .set(sgd)
      .send({ title: "KĐ", body: "B", audience: { under: "X1" }, checklist_template: "kiem-dinh-2018", checklist_dues: [{ n: 9, due: "2027-05-31" }] });
    expect(noStep.status).toBe(422);
    expect(noStep.body.error.issues[0].path).toBe("checklist_dues.0.n");

    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(sgd)
      .send({
        title: "Kiểm định chất lượng năm 2027",
        body: "Các trường thực hiện.",
        audience: { under: "X1", kinds: ["school"] },
        checklist_template: "kiem-dinh-2018",
        checklist_dues: [
          { n: 1, due: "2027-05-31" },
          { n: 2, offset: "P30D" },
        ],
        escalate_after_working_days: 3,
      });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.steps).toBe(4);
    directiveId = res.body.id;
    const row = await t.db.directive.findUniqueOrThrow({ where: { id: directiveId } });
    expect(row.checklistTemplate).toBe("kiem-dinh-2018@1");
    expect(row.escalateAfterWorkingDays).toBe(3);
  });

  it("dates the offset steps at publication (end of that Vietnam day)", async () => {
    await request(t.app).post(`/api/v1/directives/${directiveId}/publish`).set(sgd).expect(202);
    const published = await t.db.directive.findUniqueOrThrow({ where: { id: directiveId } });
    const res = await request(t.app).get(`/api/v1/directives/${directiveId}/checklist`).set(sgd).expect(200);
    expect(res.body.steps.map((s: { n: number }) => s.n)).toEqual([1, 2, 3, 4]);
    expect(res.body.steps[0].due).toBe("2027-05-31T16:59:59.000Z");
    const day = new Date(published.publishedAt!.getTime() + 7 * 3600_000 + 30 * 86400_000).toISOString().slice(0, 10);
    expect(res.body.steps[1].due).toBe(new Date(`${day}T23:59:59+07:00`).toISOString());
    expect(res.body.steps[2].due).toBeNull();
    expect(res.body.schools.map((s: { org_code: string }) => s.org_code)).toEqual(["X1-MN", "X1-PGD-MN2", "X1-TH", "X1-THCS"]);
    expect(res.body.schools[0].steps[0]).toMatchObject({ n: 1, status: "not_started", note: null, channel: null, overdue: false });
  });

  it("shows reported progress, overdue steps and the blocked schools on the board, per subtree", async () => {
    const steps = await t.db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
    await t.db.stepProgress.create({ data: { stepId: steps[0]!.id, organizationId: await orgId("X1-MN"), status: "DONE", channel: "TELEGRAM", reportedAt: new Date() } });
    await t.db.stepProgress.create({
      data: { stepId: steps[0]!.id, organizationId: await orgId("X1-TH"), status: "BLOCKED", note: "chưa có minh chứng tiêu chí 2.3", reportedAt: new Date() },
    });
    // A step already past its due date: overdue for every school not done.
    await t.db.checklistStep.update({ where: { id: steps[2]!.id }, data: { dueAt: new Date(Date.now() - 86400_000) } });
    await t.db.stepProgress.create({ data: { stepId: steps[2]!.id, organizationId: await orgId("X1-THCS"), status: "DONE", reportedAt: new Date() } });

    const board = await request(t.app).get(`/api/v1/board?under=X1&directive=${directiveId}`).set(sgd).expect(200);
    expect(board.body.schools).toBe(4);
    expect(board.body.steps[0].counts).toEqual({ not_started: 2, in_progress: 0, done: 1, blocked: 1, overdue: 0 });
    expect(board.body.steps[0].blocked).toEqual([{ org_code: "X1-TH", org_name: "Trường Tiểu học X1", note: "chưa có minh chứng tiêu chí 2.3" }]);
    expect(board.body.steps[2].counts.overdue).toBe(3);
    expect(board.body.steps[2].overdue.map((o: { org_code: string }) => o.org_code)).toEqual(["X1-MN", "X1-PGD-MN2", "X1-TH"]);

    // The commune's officer follows its schools through the Sở's programme, and only those.
    const commune = await request(t.app).get(`/api/v1/board?directive=${directiveId}`).set(x1).expect(200);
    expect(commune.body.under).toBe("X1");
    expect(commune.body.schools).toBe(4);
    const subtree = await request(t.app).get(`/api/v1/board?under=X1-PGD&directive=${directiveId}`).set(x1).expect(200);
    expect(subtree.body.schools).toBe(1);
    // Not the issuer's: the checklist itself stays the Sở's (404), and a commune with no school in it sees no board.
    await request(t.app).get(`/api/v1/directives/${directiveId}/checklist`).set(x1).expect(404);
    await request(t.app).get(`/api/v1/board?directive=${directiveId}`).set(x2).expect(404);
    await request(t.app).get(`/api/v1/board?under=X1&directive=${directiveId}`).set(x2).expect(404);
    await request(t.app).get(`/api/v1/board?under=NOPE&directive=${directiveId}`).set(sgd).expect(404);
    await request(t.app).get(`/api/v1/board?directive=abc`).set(sgd).expect(422);
  });

  it("exports the checklist as .xlsx, one row per school, formulas neutralised", async () => {
    const steps = await t.db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
    await t.db.stepProgress.create({
      data: { stepId: steps[1]!.id, organizationId: await orgId("X1-MN"), status: "IN_PROGRESS", note: '=HYPERLINK("x")', reportedAt: new Date() },
    });
    const res = await asBuffer(request(t.app).get(`/api/v1/directives/${directiveId}/checklist.xlsx`).set(sgd)).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).getCell(3).value).toMatch(/^1\. Tự đánh giá.*\(31\/05\/2027\)$/);
    const mn = sheet.getRow(3);
    expect(mn.getCell(1).value).toBe("X1-MN");
    expect(mn.getCell(3).value).toBe("Đã xong");
    expect(mn.getCell(4).value).toBe('Đang thực hiện: =HYPERLINK("x")');
    expect(sheet.getRow(5).getCell(3).value).toBe("Vướng mắc: chưa có minh chứng tiêu chí 2.3");
    expect(sheet.rowCount).toBe(6);
  });
});
