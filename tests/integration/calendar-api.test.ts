import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planReminderTimes } from "../../server/domain/plan-reminder-times.ts";
import { ZReminderPolicy } from "../../server/domain/reminder-policy.ts";
import { loadWorkingCalendar, WORKING_CALENDAR_TTL_MS } from "../../server/features/calendar/load-working-calendar.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
type Auth = { Authorization: string };
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
let sysAdmin: Awaited<ReturnType<typeof createUserWithToken>>;
let orgAdmin: Auth;
let officer: Auth;

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  sysAdmin = await createUserWithToken(t.db);
  orgAdmin = bearer((await createUserWithToken(t.db, { role: "ADMIN", orgCode: "SGD" })).token);
  officer = bearer((await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token);
});
afterAll(() => t.drop());

const admin = (): Auth => bearer(sysAdmin.token);

describe("GET /api/v1/calendar", () => {
  it("gives a year's holidays, weekdays off and weekend days worked to any signed-in user", async () => {
    const res = await request(t.app).get("/api/v1/calendar?year=2027").set(officer).expect(200);
    expect(res.body.year).toBe(2027);
    expect(res.body.adjustments).toEqual([]);
    expect(res.body.working_weekend_days).toEqual([]);
    expect(res.body.holidays).toContainEqual({ date: "2027-04-16", name: "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)" });
    expect(res.body.holidays).toContainEqual({ date: "2027-05-03", name: "Nghỉ bù Ngày Quốc tế Lao động", in_lieu_of: "2027-05-01" });
    expect(res.body.non_working_weekdays.map((d: { date: string }) => d.date)).toEqual([
      "2027-01-01",
      "2027-02-04",
      "2027-02-05",
      "2027-02-08",
      "2027-02-09",
      "2027-02-10",
      "2027-04-16",
      "2027-04-30",
      "2027-05-03",
      "2027-09-02",
      "2027-09-03",
      "2027-11-24",
    ]);
    expect(res.body.non_working_weekdays[1]).toEqual({ date: "2027-02-04", source: "holiday", reasons: ["Tết Âm lịch (28 tháng Chạp)"] });
  });

  it("answers for the current year without `year`, refuses a year out of range with 422, and needs a token", async () => {
    const now = await request(t.app).get("/api/v1/calendar").set(officer).expect(200);
    expect(now.body.year).toBe(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear());
    const bad = await request(t.app).get("/api/v1/calendar?year=3000").set(officer).expect(422);
    expect(bad.body.error.issues[0].path).toBe("year");
    await request(t.app).get("/api/v1/calendar?year=abc&lang=en").set(officer).expect(422);
    await request(t.app).get("/api/v1/calendar?year=2027").expect(401);
  });
});

describe("PUT and DELETE /api/v1/calendar/days/:date", () => {
  it("lets a system-wide administrator declare a make-up Saturday and a swapped day, audited, shown at once", async () => {
    const created = await request(t.app).put("/api/v1/calendar/days/2027-02-20").set(admin()).send({ kind: "WORKING", note: "Làm bù cho ngày 11/2" }).expect(201);
    expect(created.body).toMatchObject({ date: "2027-02-20", kind: "WORKING", note: "Làm bù cho ngày 11/2", updated_by: { id: sysAdmin.user.id } });
    await request(t.app).put("/api/v1/calendar/days/2027-02-11").set(admin()).send({ kind: "OFF", note: "Nghỉ hoán đổi" }).expect(201);
    const updated = await request(t.app).put("/api/v1/calendar/days/2027-02-11").set(admin()).send({ kind: "OFF", note: "Hoán đổi theo thông báo của Bộ Nội vụ" }).expect(200);
    expect(updated.body.note).toBe("Hoán đổi theo thông báo của Bộ Nội vụ");

    const year = await request(t.app).get("/api/v1/calendar?year=2027").set(officer).expect(200);
    expect(year.body.adjustments.map((a: { date: string; kind: string }) => [a.date, a.kind])).toEqual([
      ["2027-02-11", "OFF"],
      ["2027-02-20", "WORKING"],
    ]);
    expect(year.body.working_weekend_days).toEqual([{ date: "2027-02-20", note: "Làm bù cho ngày 11/2" }]);
    expect(year.body.non_working_weekdays).toContainEqual({ date: "2027-02-11", source: "adjustment", reasons: ["Hoán đổi theo thông báo của Bộ Nội vụ"] });

    const audit = await t.db.auditLog.findMany({ where: { entityType: "calendar_day" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.entityId, a.userId])).toEqual([
      ["calendar.set_day", "2027-02-20", sysAdmin.user.id],
      ["calendar.set_day", "2027-02-11", sysAdmin.user.id],
      ["calendar.set_day", "2027-02-11", sysAdmin.user.id],
    ]);
    expect(audit[2]!.details).toEqual({ from: { kind: "OFF", note: "Nghỉ hoán đổi" }, to: { kind: "OFF", note: "Hoán đổi theo thông báo của Bộ Nội vụ" } });
  });

  it("feeds the adjustments to the reminder planner through the loaded calendar", async () => {
    const calendar = await loadWorkingCalendar(t.db);
    expect(calendar.isWorkingDay("2027-02-20")).toBe(true);
    expect(calendar.isWorkingDay("2027-02-11")).toBe(false);
    const plan = planReminderTimes({
      due: new Date("2027-02-22T09:00:00+07:00"), // Monday after the make-up Saturday
      until: new Date("2027-02-22T09:00:00+07:00"),
      policy: ZReminderPolicy.parse({ before: ["P1D"] }),
      calendar,
    });
    expect(plan.map((r) => r.at.toISOString())).toEqual(["2027-02-20T13:59:00.000Z"]); // Saturday 20:59 in Hà Nội
  });

  it("removes an adjustment (204, audited), then 404 for a date with none", async () => {
    await request(t.app).delete("/api/v1/calendar/days/2027-02-11").set(admin()).expect(204);
    expect((await loadWorkingCalendar(t.db)).isWorkingDay("2027-02-11")).toBe(true);
    const again = await request(t.app).delete("/api/v1/calendar/days/2027-02-11").set(admin()).expect(404);
    expect(again.body.error.message).toBe("Ngày 2027-02-11 không có điều chỉnh nào trong lịch làm việc");
    const last = await t.db.auditLog.findFirst({ where: { entityType: "calendar_day" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ action: "calendar.delete_day", entityId: "2027-02-11", details: { removed: { kind: "OFF", note: "Hoán đổi theo thông báo của Bộ Nội vụ" } } });
  });

  it("refuses an organisation's administrator and an officer (403, localised), changing nothing", async () => {
    for (const auth of [orgAdmin, officer]) {
      const res = await request(t.app).put("/api/v1/calendar/days/2027-03-06").set(auth).send({ kind: "WORKING" }).expect(403);
      expect(res.body.error.message).toBe("Chỉ quản trị viên toàn hệ thống mới được sửa lịch làm việc");
      await request(t.app).delete("/api/v1/calendar/days/2027-02-20").set(auth).expect(403);
    }
    const en = await request(t.app).put("/api/v1/calendar/days/2027-03-06").set(orgAdmin).set("Accept-Language", "en").send({ kind: "WORKING" }).expect(403);
    expect(en.body.error.message).toBe("Only a system-wide administrator may change the working calendar");
    expect(await t.db.calendarDay.count()).toBe(1);
  });

  it("answers 400 for a date that is not one and 422 for a bad body", async () => {
    for (const date of ["2027-02-29", "20270220", "2027-2-20", "3000-01-01", "x".repeat(300)]) {
      const res = await request(t.app).put(`/api/v1/calendar/days/${date}`).set(admin()).send({ kind: "OFF" }).expect(400);
      expect(res.body.error.message).toMatch(/^Ngày không hợp lệ: /);
    }
    const bad = await request(t.app).put("/api/v1/calendar/days/2027-03-06").set(admin()).send({ kind: "HOLIDAY", extra: true }).expect(422);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["(body)", "kind"]);
    await request(t.app).put("/api/v1/calendar/days/2027-03-06").set(admin()).send({ kind: "OFF", note: "a\u0007b" }).expect(422);
    await request(t.app)
      .put("/api/v1/calendar/days/2027-03-06")
      .set(admin())
      .send({ kind: "OFF", note: "x".repeat(301) })
      .expect(422);
    await request(t.app).put("/api/v1/calendar/days/2027-03-06").set(admin()).set("Content-Type", "application/json").send("{").expect(400);
    expect(await t.db.calendarDay.count()).toBe(1);
  });
});

describe("loadWorkingCalendar", () => {
  it("reuses the loaded calendar for a minute, then reads the adjustments again", async () => {
    // Past the TTL of the calendar the earlier tests loaded on the real clock.
    let clock = Date.now() + 2 * WORKING_CALENDAR_TTL_MS;
    const now = () => clock;
    const first = await loadWorkingCalendar(t.db, now);
    // A change made behind the cache's back (another process) is seen only after the TTL.
    await t.db.calendarDay.create({ data: { date: new Date("2027-03-13T00:00:00Z"), kind: "WORKING" } });
    expect(await loadWorkingCalendar(t.db, now)).toBe(first);
    expect(first.isWorkingDay("2027-03-13")).toBe(false);
    clock += WORKING_CALENDAR_TTL_MS - 1;
    expect(await loadWorkingCalendar(t.db, now)).toBe(first);
    clock += 1;
    expect((await loadWorkingCalendar(t.db, now)).isWorkingDay("2027-03-13")).toBe(true);
  });
});
