/**
 * The dashboard's programmes area over HTTP (supertest on the real app and database, a session
 * cookie and the form's CSRF token, as a browser sends them): a checklist directive's board and
 * school × step matrix with its filters and XLSX, extension requests approved and refused, and
 * "remind now" — sent once through the real reminder sweep and the real Telegram adapter against
 * the Telegram stand-in, refused a second time within 10 minutes — also as
 * `POST /api/v1/directives/:id/remind`. Viewers are refused, forms without the CSRF token are
 * refused, another commune's officer gets the 404 page.
 */
import request from "supertest";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import type { ChannelAdapter, ChannelKind } from "../../server/domain/channel.ts";
import { createWorkingCalendar } from "../../server/domain/working-calendar.ts";
import { sweepReminders } from "../../server/features/reminders/sweep-reminders.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let tg: FakeTelegram;
let registry: Map<ChannelKind, ChannelAdapter>;
const calendar = createWorkingCalendar([]);
let officer: string;
let viewer: string;
let outsider: string;
let api: { Authorization: string };
let viewerApi: { Authorization: string };
let outsiderApi: { Authorization: string };
let directiveId: number;
const chats = new Map<string, number>();
const principals = new Map<string, number>();
let nextChat = 700_000;
const TITLE = "Kiểm định chất lượng 2030";

const cookieOf = (res: request.Response, name: string) => ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith(`${name}=`));
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

async function session(role: "OFFICER" | "VIEWER", orgCode: string): Promise<string> {
  const { email, password } = await createUserWithToken(t.db, { role, orgCode });
  const form = await request(t.app).get("/signin").set("Accept", "text/html");
  const pre = cookieOf(form, "chidao_pre")!.split(";")[0]!;
  const res = await request(t.app)
    .post("/signin")
    .set("Cookie", pre)
    .type("form")
    .send({ _csrf: csrfIn(form.text), email, password, next: "/programmes" });
  expect(res.status).toBe(303);
  return cookieOf(res, "chidao_session")!.split(";")[0]!;
}

const page = (cookie: string, url: string) => request(t.app).get(url).set("Cookie", cookie).set("Accept", "text/html");
async function post(cookie: string, url: string, form: Record<string, string>, csrfFrom: string | null) {
  const token = csrfFrom ? csrfIn((await page(cookie, csrfFrom)).text) : "";
  return request(t.app)
    .post(url)
    .set("Cookie", cookie)
    .set("Accept", "text/html")
    .type("form")
    .send(csrfFrom ? { _csrf: token, ...form } : form);
}

const remindersTo = (code: string, title: string) =>
  tg.calls.filter((c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chats.get(code)) && String(c.params.text).includes(`«${title}» —`));

async function principal(code: string): Promise<void> {
  const org = await t.db.organization.findUniqueOrThrow({ where: { code } });
  const p =
    (await t.db.person.findFirst({ where: { organizationId: org.id, role: "PRINCIPAL" } })) ??
    (await t.db.person.create({ data: { name: "HT", role: "PRINCIPAL", organizationId: org.id } }));
  const chatId = ++nextChat;
  await t.db.chatIdentity.create({ data: { personId: p.id, channel: "TELEGRAM", externalId: String(chatId) } });
  chats.set(code, chatId);
  principals.set(code, p.id);
}

async function orgId(code: string): Promise<number> {
  return (await t.db.organization.findUniqueOrThrow({ where: { code } })).id;
}

const sweep = () => sweepReminders(t.db, { registry, calendar, now: new Date() });

beforeAll(async () => {
  t = await createTestApp();
  tg = await startFakeTelegram();
  registry = new Map([["TELEGRAM", createTelegramAdapter(new Api(tg.token, { apiRoot: tg.apiRoot }))]]);
  await createProvince(t.db);
  for (const code of ["X1-MN", "X1-TH", "X1-THCS", "X1-PGD-MN2"]) await principal(code);
  api = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token}` };
  viewerApi = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "VIEWER", orgCode: "X1" })).token}` };
  outsiderApi = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X2" })).token}` };
  officer = await session("OFFICER", "X1");
  viewer = await session("VIEWER", "X1");
  outsider = await session("OFFICER", "X2");
  const res = await request(t.app)
    .post("/api/v1/directives")
    .set(api)
    .send({
      title: TITLE,
      body: "Các trường thực hiện tự đánh giá.",
      audience: { under: "X1", kinds: ["school"] },
      checklist: [
        { title: "Tự đánh giá", due: "2030-03-15" },
        { title: "Nộp báo cáo", due: "2030-04-15" },
      ],
    });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  directiveId = res.body.id;
  await request(t.app).post(`/api/v1/directives/${directiveId}/publish`).set(api).expect(202);
  const steps = await t.db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
  // Step 1 is past due (so a school not done with it is overdue).
  await t.db.checklistStep.update({ where: { id: steps[0]!.id }, data: { dueAt: new Date(Date.now() - 2 * 86_400_000) } });
  const mn = await orgId("X1-MN");
  for (const s of steps) await t.db.stepProgress.create({ data: { stepId: s.id, organizationId: mn, status: "DONE", reportedAt: new Date() } });
  await t.db.stepProgress.create({ data: { stepId: steps[0]!.id, organizationId: await orgId("X1-TH"), status: "BLOCKED", note: "thiếu minh chứng 2.3", reportedAt: new Date() } });
  await t.db.stepProgress.create({ data: { stepId: steps[0]!.id, organizationId: await orgId("X1-THCS"), status: "IN_PROGRESS", reportedAt: new Date() } });
  await t.db.acknowledgement.create({ data: { directiveId, personId: principals.get("X1-MN")!, channel: "TELEGRAM", source: "TEXT", raw: "đã nhận" } });
}, 60_000);

afterAll(async () => {
  await tg.close();
  await t.drop();
});

describe("dashboard programmes", () => {
  it("lists the checklist directives under «Tiến độ» and links the directive page to its matrix", async () => {
    const list = await page(officer, "/programmes");
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<a href="\/programmes" aria-current="page">Tiến độ<\/a>/);
    expect(list.text).toContain(`<a href="/directives/${directiveId}/checklist">${TITLE}</a>`);
    const d = await page(officer, `/directives/${directiveId}`);
    expect(d.text).toContain(`href="/directives/${directiveId}/checklist"`);
    expect(d.text).toContain(`href="/directives/${directiveId}/remind">Nhắc ngay</a>`);
    expect((await page(viewer, `/directives/${directiveId}`)).text).not.toContain("Nhắc ngay");
  });

  it("shows the board and the matrix with each school's status, overdue marked, in Vietnamese and English", async () => {
    const res = await page(officer, `/directives/${directiveId}/checklist`);
    expect(res.status).toBe(200);
    const row = (code: string) => new RegExp(`<tr data-org="${code}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? "";
    expect(row("X1-MN")).toMatch(/data-status="done"[\s\S]*data-status="done"/);
    expect(row("X1-TH")).toContain('data-status="blocked" data-overdue="1"');
    expect(row("X1-TH")).toContain("thiếu minh chứng 2.3");
    expect(row("X1-THCS")).toMatch(/data-status="in_progress" data-overdue="1">\s*Đang thực hiện · <strong class="overdue">quá hạn<\/strong>/);
    expect(row("X1-PGD-MN2")).toContain('data-status="not_started" data-overdue="1"');
    const step1 = /<tr data-step="1">([\s\S]*?)<\/tr>/.exec(res.text)![1]!;
    expect(step1).toContain('<td data-count="done">1</td>');
    expect(step1).toContain('<td data-count="blocked">1</td>');
    expect(step1).toContain('<td data-count="overdue">3</td>');
    expect(step1).toContain("Trường Tiểu học X1 (thiếu minh chứng 2.3)");
    expect(res.text).toContain(`href="/directives/${directiveId}/checklist.xlsx"`);
    const en = await page(officer, `/directives/${directiveId}/checklist?lang=en`);
    expect(en.text).toContain("Each school&#39;s progress");
    expect(en.text).toMatch(/<label for="status">Status<\/label>/);
  });

  it("filters the matrix by status, overdue and subtree, and downloads the XLSX", async () => {
    const orgs = (text: string) => [...text.matchAll(/<tr data-org="([^"]+)">/g)].map((m) => m[1]);
    expect(orgs((await page(officer, `/directives/${directiveId}/checklist?status=blocked`)).text)).toEqual(["X1-TH"]);
    expect(orgs((await page(officer, `/directives/${directiveId}/checklist?overdue=1`)).text)).toEqual(["X1-PGD-MN2", "X1-TH", "X1-THCS"]);
    expect(orgs((await page(officer, `/directives/${directiveId}/checklist?under=X1-PGD`)).text)).toEqual(["X1-PGD-MN2"]);
    const none = await page(officer, `/directives/${directiveId}/checklist?status=done&under=X1-PGD`);
    expect(none.text).toContain("Không có trường nào khớp bộ lọc.");
    const xlsx = await page(officer, `/directives/${directiveId}/checklist.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
  });

  it("shows another commune's officer the 404 page for the matrix, the XLSX and remind now", async () => {
    expect((await page(outsider, `/directives/${directiveId}/checklist`)).status).toBe(404);
    expect((await page(outsider, `/directives/${directiveId}/checklist.xlsx`)).status).toBe(404);
    const r = await post(outsider, `/directives/${directiveId}/remind`, { confirm: "yes" }, "/programmes");
    expect(r.status).toBe(404);
  });

  it("approves an extension (the due date moves, the school is told) and refuses one (the school is told nothing changes)", async () => {
    const steps = await t.db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
    const th = await orgId("X1-TH");
    const thcs = await orgId("X1-THCS");
    const a = await t.db.extensionRequest.create({
      data: { directiveId, stepId: steps[1]!.id, organizationId: th, channel: "TELEGRAM", text: "xin gia hạn đến 1/5", requestedUntil: new Date("2030-05-01T16:59:59Z") },
    });
    const b = await t.db.extensionRequest.create({
      data: { directiveId, stepId: steps[1]!.id, organizationId: thcs, channel: "TELEGRAM", text: "xin lùi hạn 1 tuần", requestedUntil: new Date("2030-04-22T16:59:59Z") },
    });
    const list = await page(officer, "/extensions");
    expect(list.text).toMatch(/<a href="\/extensions" aria-current="page">Gia hạn<\/a>/);
    expect(list.text).toContain("xin gia hạn đến 1/5");
    expect(list.text).toContain(`<label for="until-${a.id}">`);
    // A viewer sees the list without forms and cannot decide.
    expect((await page(viewer, "/extensions")).text).not.toContain(`action="/extensions/${a.id}/decision"`);
    expect((await post(viewer, `/extensions/${a.id}/decision`, { decision: "approve" }, "/extensions")).status).toBe(403);
    // Without the form's token: refused, nothing decided.
    expect((await post(officer, `/extensions/${a.id}/decision`, { decision: "approve" }, null)).status).toBe(403);
    expect((await t.db.extensionRequest.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("PENDING");

    const ok = await post(officer, `/extensions/${a.id}/decision`, { decision: "approve", until: "2030-05-10", note: "Cố gắng hoàn thành" }, "/extensions");
    expect(ok.status).toBe(303);
    const after = await page(officer, ok.headers.location!);
    expect(after.text).toContain("hạn mới 10/05/2030");
    expect(after.text).not.toContain("xin gia hạn đến 1/5");
    const progress = await t.db.stepProgress.findUniqueOrThrow({ where: { stepId_organizationId: { stepId: steps[1]!.id, organizationId: th } } });
    expect(progress.dueAt?.toISOString()).toBe("2030-05-10T16:59:59.000Z");
    const told = await t.db.reminder.findUniqueOrThrow({ where: { key: `ext:${a.id}` } });
    expect(told.message).toContain("đã được chấp thuận");
    expect(told.message).toContain("Cố gắng hoàn thành");

    const no = await post(officer, `/extensions/${b.id}/decision`, { decision: "refuse", note: "Hạn đã lùi một lần" }, "/extensions");
    expect(no.status).toBe(303);
    expect((await page(officer, no.headers.location!)).text).toContain("hạn giữ nguyên");
    expect((await t.db.reminder.findUniqueOrThrow({ where: { key: `ext:${b.id}` } })).message).toContain("không được chấp thuận; hạn giữ nguyên");
    expect(await t.db.stepProgress.findUnique({ where: { stepId_organizationId: { stepId: steps[1]!.id, organizationId: thcs } } }).then((p) => p?.dueAt ?? null)).toBeNull();
    // Decided twice: a 409 page, not a second notice.
    expect((await post(officer, `/extensions/${b.id}/decision`, { decision: "approve" }, "/extensions")).status).toBe(409);
  });

  it("reminds now once through the sweep and the Telegram stand-in; a second press within 10 minutes is refused", async () => {
    expect((await post(viewer, `/directives/${directiveId}/remind`, { confirm: "yes" }, "/programmes")).status).toBe(403);
    expect((await post(officer, `/directives/${directiveId}/remind`, { confirm: "yes" }, null)).status).toBe(403);
    const confirm = await page(officer, `/directives/${directiveId}/remind`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("chưa xong các bước");
    const res = await post(officer, `/directives/${directiveId}/remind`, { confirm: "yes" }, `/directives/${directiveId}/remind`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/directives/${directiveId}?reminded=3`);
    expect((await page(officer, res.headers.location!)).text).toContain("Đã xếp lịch gửi tin nhắc tới 3 trường.");
    await sweep();
    await sweep();
    // The school that acknowledged and finished every step is not reminded; the three others once each.
    expect(remindersTo("X1-MN", TITLE)).toHaveLength(0);
    for (const code of ["X1-TH", "X1-THCS", "X1-PGD-MN2"]) expect(remindersTo(code, TITLE), code).toHaveLength(1);
    const again = await post(officer, `/directives/${directiveId}/remind`, { confirm: "yes" }, `/directives/${directiveId}/remind`);
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/có thể nhắc lại sau 10 phút nữa/);
    await sweep();
    expect(remindersTo("X1-TH", TITLE)).toHaveLength(1);
  });
});

describe("POST /api/v1/directives/:id/remind", () => {
  it("queues one reminder per school not acknowledged (202 {recipients}), then 409 within 10 minutes; 403 viewer, 404 out of reach", async () => {
    const title = "Báo cáo số liệu đầu năm";
    const res = await request(t.app)
      .post("/api/v1/directives")
      .set(api)
      .send({ title, body: "Gửi số liệu.", audience: { under: "X1", kinds: ["school"] }, deadline: "2030-09-30T17:00:00+07:00" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as number;
    // A draft cannot be reminded.
    expect((await request(t.app).post(`/api/v1/directives/${id}/remind`).set(api)).status).toBe(409);
    await request(t.app).post(`/api/v1/directives/${id}/publish`).set(api).expect(202);
    await t.db.acknowledgement.create({ data: { directiveId: id, personId: principals.get("X1-TH")!, channel: "TELEGRAM", source: "BUTTON", raw: "ack" } });
    expect((await request(t.app).post(`/api/v1/directives/${id}/remind`).set(viewerApi)).status).toBe(403);
    expect((await request(t.app).post(`/api/v1/directives/${id}/remind`).set(outsiderApi)).status).toBe(404);
    const ok = await request(t.app).post(`/api/v1/directives/${id}/remind`).set(api);
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ recipients: 3 });
    const second = await request(t.app).post(`/api/v1/directives/${id}/remind`).set(api).set("Accept-Language", "en");
    expect(second.status).toBe(409);
    expect(second.body.message ?? second.body.error?.message).toMatch(/remind again in 10 minute/);
    await sweep();
    expect(remindersTo("X1-TH", title)).toHaveLength(0);
    for (const code of ["X1-MN", "X1-THCS", "X1-PGD-MN2"]) expect(remindersTo(code, title), code).toHaveLength(1);
  });
});
