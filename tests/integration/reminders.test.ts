/**
 * Reminders and escalation on a simulated month: the real sweep (two of them at once, on two
 * database clients) against the Telegram stand-in through the real adapter, the clock moved by hand.
 */
import request from "supertest";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { createPrisma, type Db } from "../../server/db/prisma.ts";
import type { ChannelAdapter, ChannelKind } from "../../server/domain/channel.ts";
import { createWorkingCalendar } from "../../server/domain/working-calendar.ts";
import { claimDueReminders } from "../../server/features/reminders/claim-due-reminders.ts";
import { sweepReminders } from "../../server/features/reminders/sweep-reminders.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { createTestClock } from "../helpers/test-clock.ts";

let t: TestApp;
let tg: FakeTelegram;
let auth: { Authorization: string };
let registry: Map<ChannelKind, ChannelAdapter>;
const clock = createTestClock("2027-03-01T09:00:00+07:00");
const calendar = createWorkingCalendar([]);
let second: Db;
const chats = new Map<string, number>();
let nextChat = 500_000;

async function person(orgCode: string, role: "PRINCIPAL" | "OFFICER", name: string): Promise<number> {
  const org = await t.db.organization.findUniqueOrThrow({ where: { code: orgCode } });
  const p = (await t.db.person.findFirst({ where: { organizationId: org.id, role } })) ?? (await t.db.person.create({ data: { name, role, organizationId: org.id } }));
  const chatId = ++nextChat;
  await t.db.chatIdentity.create({ data: { personId: p.id, channel: "TELEGRAM", externalId: String(chatId) } });
  chats.set(`${orgCode}:${role}`, chatId);
  return p.id;
}

const sent = (chatId: number) => tg.calls.filter((c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chatId));

/** Both sweepers, at once, at the clock's time. */
async function tick(): Promise<void> {
  const now = clock.now();
  await Promise.all([sweepReminders(t.db, { registry, calendar, now }), sweepReminders(second, { registry, calendar, now })]);
}

async function runUntil(end: string, stepMs = 3_600_000): Promise<void> {
  while (clock.now().getTime() < new Date(end).getTime()) {
    clock.advance(stepMs);
    await tick();
  }
}

let directiveId: number;

beforeAll(async () => {
  t = await createTestApp();
  second = createPrisma(t.url, 4);
  tg = await startFakeTelegram();
  registry = new Map([["TELEGRAM", createTelegramAdapter(new Api(tg.token, { apiRoot: tg.apiRoot }))]]);
  await createProvince(t.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
  for (const code of ["X1-MN", "X1-TH", "X1-THCS", "X1-PGD-MN2", "X2-TH"]) await person(code, "PRINCIPAL", "HT");
  // The supervising offices' contacts: the commune's head (its PRINCIPAL person) and an officer; the other commune's; the Sở's officer.
  await person("X1", "PRINCIPAL", "Trưởng phòng Văn hóa - Xã hội X1");
  await person("X1", "OFFICER", "Chuyên viên X1");
  await person("X2", "OFFICER", "Chuyên viên X2");
  await person("SGD", "OFFICER", "Chuyên viên Sở");
  const res = await request(t.app)
    .post("/api/v1/directives")
    .set(auth)
    .send({
      title: "Kiểm định chất lượng 2027",
      body: "Các trường thực hiện.",
      audience: { under: "X1", kinds: ["school"] },
      checklist: [
        { title: "Tự đánh giá", due: "2027-03-15" },
        { title: "Nộp báo cáo tự đánh giá", due: "2027-03-15" },
      ],
      escalate_after_working_days: 2,
    });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  directiveId = res.body.id;
  await request(t.app).post(`/api/v1/directives/${directiveId}/publish`).set(auth).expect(202);
}, 60_000);

afterAll(async () => {
  await second.$disconnect();
  await tg.close();
  await t.drop();
});

describe("a month of reminders", () => {
  it("plans the default policy's slots on working days outside quiet hours, and shows the schedule", async () => {
    await tick();
    const schedule = (await request(t.app).get(`/api/v1/directives/${directiveId}/reminders`).set(auth).expect(200)).body as {
      org_code: string;
      step: number;
      kind: string;
      at: string;
      offset: string;
      status: string;
      recipient_org_code: string;
    }[];
    const th = schedule.filter((r) => r.org_code === "X1-TH" && r.step === 1 && r.kind !== "escalation").map((r) => [r.at, r.kind, r.offset]);
    // Due Mon 15/3 23:59:59: 7 days before is Mon 8/3 in quiet hours → 20:59; 3 days and 1 day before (Sunday) both
    // land on Fri 12/3 20:59 and merge; the due time → Mon 20:59; overdue every 2 days from the next working morning.
    expect(th.slice(0, 5)).toEqual([
      ["2027-03-08T13:59:00.000Z", "before", "P7D"],
      ["2027-03-12T13:59:00.000Z", "before", "P1D"],
      ["2027-03-15T13:59:00.000Z", "due", "PT0S"],
      ["2027-03-18T00:00:00.000Z", "overdue", "P2D"],
      // Overdue Fri 19/3 23:59 and Sun 21/3 23:59 both move to Mon 22/3 07:00 and merge.
      ["2027-03-22T00:00:00.000Z", "overdue", "P6D"],
    ]);
    const escalations = schedule.filter((r) => r.kind === "escalation" && r.org_code === "X1-TH").map((r) => [r.recipient_org_code, r.at]);
    expect(escalations).toEqual([
      ["X1", "2027-03-17T01:00:00.000Z"],
      ["X1", "2027-03-17T01:00:00.000Z"],
      ["SGD", "2027-03-19T01:00:00.000Z"],
      ["SGD", "2027-03-19T01:00:00.000Z"],
    ]);
  });

  it("sends one digest per principal per slot, nothing after done, each exactly once across two sweepers and a restart", async () => {
    await runUntil("2027-03-10T09:00:00+07:00");
    const mn = chats.get("X1-MN:PRINCIPAL")!;
    expect(sent(mn)).toHaveLength(1);
    const digest = String(sent(mn)[0]!.params.text);
    // Both steps in one message, with a button for each.
    expect(digest).toMatch(/^🔔 Nhắc việc \(2\):/);
    expect(digest).toContain("bước 1 «Tự đánh giá»: hạn ngày 15/03/2027 (còn 7 ngày)");
    expect(digest).toContain("bước 2 «Nộp báo cáo tự đánh giá»");
    expect(JSON.stringify(sent(mn)[0]!.params.reply_markup)).toContain(`st:${directiveId}:2:d`);

    // X1-MN finishes both steps: nothing more for it, ever.
    const steps = await t.db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
    const mnOrg = await t.db.organization.findUniqueOrThrow({ where: { code: "X1-MN" } });
    for (const s of steps) await t.db.stepProgress.create({ data: { stepId: s.id, organizationId: mnOrg.id, status: "DONE", reportedAt: clock.now() } });

    // A restart: the sweepers come back on new database clients.
    await second.$disconnect();
    second = createPrisma(t.url, 4);
    await runUntil("2027-03-25T09:00:00+07:00");

    expect(sent(mn)).toHaveLength(1);
    const mnRows = await t.db.reminder.findMany({ where: { organizationId: mnOrg.id, directiveId, kind: { not: "ESCALATION" } } });
    expect(mnRows.filter((r) => r.status === "SKIPPED").every((r) => r.outcome === "done")).toBe(true);
    for (const code of ["X1-TH", "X1-THCS", "X1-PGD-MN2"]) {
      const chat = chats.get(`${code}:PRINCIPAL`)!;
      const org = await t.db.organization.findUniqueOrThrow({ where: { code } });
      const rows = await t.db.reminder.findMany({ where: { directiveId, organizationId: org.id, kind: { not: "ESCALATION" }, status: "SENT" } });
      const slots = new Set(rows.map((r) => r.at.getTime()));
      // One message per slot, each slot's two steps in it.
      expect(sent(chat).map((c) => String(c.params.text).split("\n").length - 3)).toEqual([...slots].map(() => 2));
      expect(sent(chat)).toHaveLength(slots.size);
      expect(slots.size).toBeGreaterThanOrEqual(6);
    }
    // Nothing to a school outside the programme.
    expect(sent(chats.get("X2-TH:PRINCIPAL")!)).toHaveLength(0);
  }, 120_000);

  it("a claim left by a dead sweeper is sent once after the lease", async () => {
    const org = await t.db.organization.findUniqueOrThrow({ where: { code: "X1-TH" } });
    const chat = chats.get("X1-TH:PRINCIPAL")!;
    await t.db.reminder.create({
      data: {
        key: `test-crash`,
        directiveId,
        organizationId: org.id,
        recipientOrgId: org.id,
        kind: "NOTICE",
        offset: "PT0S",
        dueAt: clock.now(),
        at: clock.now(),
        message: "Thông báo thử",
      },
    });
    const before = sent(chat).length;
    const claimed = await claimDueReminders(second, { now: clock.now(), leaseMs: 300_000, orgs: 100 });
    expect(claimed.map((c) => c.message)).toEqual(["Thông báo thử"]);
    // Within the lease nobody else takes it.
    clock.advance(60_000);
    await tick();
    expect(sent(chat).length).toBe(before);
    clock.advance(300_000);
    await tick();
    await tick();
    expect(
      sent(chat)
        .slice(before)
        .map((c) => c.params.text),
    ).toEqual(["Thông báo thử"]);
  });

  it("escalates to the supervising office's contacts and one level higher, and to nobody else", async () => {
    const head = sent(chats.get("X1:PRINCIPAL")!).map((c) => String(c.params.text));
    const officer = sent(chats.get("X1:OFFICER")!).map((c) => String(c.params.text));
    expect(head).toEqual(officer);
    expect(head).toHaveLength(2);
    // Level 1 on Wed 17/3: the commune's two overdue schools (X1-MN finished); level 2 on Fri 19/3: the school two levels down.
    expect(head[0]).toMatch(/^⚠️ Trường chưa hoàn thành đúng hạn \(2\):/);
    expect(head[0]).toContain("Trường Tiểu học X1");
    expect(head[0]).toContain("Trường THCS X1");
    expect(head[0]).not.toContain("Mầm non X1");
    expect(head[1]).toContain("Trường Mầm non Hoa Sen");
    const sgd = sent(chats.get("SGD:OFFICER")!).map((c) => String(c.params.text));
    expect(sgd).toHaveLength(1);
    expect(sgd[0]).toMatch(/\(2\):/);
    expect(sent(chats.get("X2:OFFICER")!)).toHaveLength(0);
  });
});

describe("extension requests", () => {
  async function requestFor(code: string): Promise<number> {
    const org = await t.db.organization.findUniqueOrThrow({ where: { code } });
    const step = await t.db.checklistStep.findFirstOrThrow({ where: { directiveId, n: 1 } });
    const p = await t.db.person.findFirstOrThrow({ where: { organizationId: org.id, role: "PRINCIPAL" } });
    const r = await t.db.extensionRequest.create({
      data: {
        directiveId,
        stepId: step.id,
        organizationId: org.id,
        personId: p.id,
        channel: "TELEGRAM",
        text: "xin gia hạn đến 15/4",
        requestedUntil: new Date("2027-04-15T16:59:59Z"),
      },
    });
    return r.id;
  }

  it("approved: the school's due date moves, the school is told, the schedule follows the new date", async () => {
    const id = await requestFor("X1-TH");
    const pending = await request(t.app).get("/api/v1/extension-requests?status=pending").set(auth).expect(200);
    expect(pending.body.map((r: { id: number }) => r.id)).toContain(id);
    const decided = await request(t.app).post(`/api/v1/extension-requests/${id}/decision`).set(auth).send({ approve: true, note: "Đồng ý" }).expect(200);
    expect(decided.body).toMatchObject({ status: "approved", granted_until: "2027-04-15T16:59:59.000Z", decision_note: "Đồng ý" });
    await request(t.app).post(`/api/v1/extension-requests/${id}/decision`).set(auth).send({ approve: false }).expect(409);

    const chat = chats.get("X1-TH:PRINCIPAL")!;
    const before = sent(chat).length;
    clock.advance(3_600_000);
    await tick();
    const told = sent(chat)
      .slice(before)
      .map((c) => String(c.params.text));
    expect(told[0]).toContain("đã được chấp thuận: hạn mới ngày 15/04/2027");
    expect(told[0]).toContain("Ghi chú của cơ quan: Đồng ý");
    const org = await t.db.organization.findUniqueOrThrow({ where: { code: "X1-TH" } });
    const step1 = await t.db.checklistStep.findFirstOrThrow({ where: { directiveId, n: 1 } });
    const rows = await t.db.reminder.findMany({ where: { directiveId, organizationId: org.id, stepId: step1.id, status: "PLANNED" } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.dueAt.toISOString() === "2027-04-15T16:59:59.000Z")).toBe(true);
    const checklist = await request(t.app).get(`/api/v1/directives/${directiveId}/checklist`).set(auth).expect(200);
    const th = checklist.body.schools.find((s: { org_code: string }) => s.org_code === "X1-TH");
    expect(th.steps[0]).toMatchObject({ due: "2027-04-15T16:59:59.000Z", overdue: false });
  });

  it("refused: the school is told and nothing else changes", async () => {
    const id = await requestFor("X1-THCS");
    const org = await t.db.organization.findUniqueOrThrow({ where: { code: "X1-THCS" } });
    const planned = await t.db.reminder.count({ where: { directiveId, organizationId: org.id, status: "PLANNED" } });
    await request(t.app).post(`/api/v1/extension-requests/${id}/decision?lang=en`).set(auth).send({ approve: false }).expect(200);
    const chat = chats.get("X1-THCS:PRINCIPAL")!;
    const before = sent(chat).length;
    clock.advance(3_600_000);
    await tick();
    expect(String(sent(chat)[before]!.params.text)).toContain("không được chấp thuận");
    expect(await t.db.reminder.count({ where: { directiveId, organizationId: org.id, status: "PLANNED" } })).toBe(planned);
    expect(await t.db.stepProgress.count({ where: { organizationId: org.id, dueAt: { not: null } } })).toBe(0);
    await request(t.app).post(`/api/v1/extension-requests/999999/decision`).set(auth).send({ approve: true }).expect(404);
    await request(t.app).post(`/api/v1/extension-requests/abc/decision`).set(auth).send({ approve: true }).expect(404);
  });
});

describe("the administrator's working calendar", () => {
  it("puts a reminder on a make-up Saturday, and keeps it off an ordinary one", async () => {
    const { loadWorkingCalendar } = await import("../../server/features/calendar/load-working-calendar.ts");
    const { planDirectiveReminders } = await import("../../server/features/reminders/plan-directive-reminders.ts");
    const plan = async (due: string) => {
      const res = await request(t.app)
        .post("/api/v1/directives")
        .set(auth)
        .send({ title: `Báo cáo ${due}`, body: "B", audience: { under: "X2", levels: ["tieu_hoc"] }, checklist: [{ title: "Nộp báo cáo", due }] })
        .expect(201);
      await request(t.app).post(`/api/v1/directives/${res.body.id}/publish`).set(auth).expect(202);
      await planDirectiveReminders(t.db, { directiveId: res.body.id, calendar: await loadWorkingCalendar(t.db, () => clock.now().getTime()), now: clock.now() });
      return (await t.db.reminder.findMany({ where: { directiveId: res.body.id, kind: "BEFORE" }, orderBy: { at: "asc" } })).map((r) => [r.offset, r.at.toISOString()]);
    };
    // Due Mon 10/5/2027: seven days before is Mon 3/5, the day off in lieu of 1/5 (a Saturday), after 30/4: back to
    // Thu 29/4 20:59. One day before is Sunday → Friday 20:59, merged with three days before.
    expect(await plan("2027-05-10")).toEqual([
      ["P7D", "2027-04-29T13:59:00.000Z"],
      ["P1D", "2027-05-07T13:59:00.000Z"],
    ]);
    await t.db.calendarDay.create({ data: { date: new Date("2027-05-15"), kind: "WORKING", note: "Làm bù" } });
    const { forgetWorkingCalendar } = await import("../../server/features/calendar/load-working-calendar.ts");
    forgetWorkingCalendar(t.db);
    // Due Mon 17/5: Saturday 15/5 is a make-up working day, so one day before lands there.
    expect(await plan("2027-05-17")).toEqual([
      ["P7D", "2027-05-10T13:59:00.000Z"],
      ["P3D", "2027-05-14T13:59:00.000Z"],
      ["P1D", "2027-05-15T13:59:00.000Z"],
    ]);
  });
});
