/**
 * The officers' dashboard in a real browser (Debian's chromium through playwright-core) against the
 * real runtime: HTTP, delivery workers on Redis, Telegram by long polling against the Bot API
 * stand-in, a test database. Officers sign in, import schools, publish a directive and watch it
 * update as principals acknowledge through the stand-in, export the evidence, draft and issue a
 * letter; access rules and CSRF are checked from the browser's side. Every main page is checked by
 * axe-core and screenshotted at desktop and phone width (test-artifacts/dashboard/).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { startRuntime, type Runtime } from "../../server/runtime.ts";
import { ARTIFACTS, measureLoad, runAxe, screenshots, startBrowser, type AxeViolation, type Browser } from "../helpers/browser.ts";
import { createUserWithToken, linkTelegram } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { freePort } from "../helpers/free-port.ts";
import { pdftotext } from "../helpers/pdf-tools.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";

/** The little of the DOM the page functions below use (they run in the browser; the project's types have no DOM). */
type El = { textContent: string | null; getAttribute(name: string): string | null };
declare const document: { querySelector(selector: string): El | null; querySelectorAll(selector: string): { length: number } };

const ADMIN = { email: "admin@sgd.example.vn", password: "hoa-phuong-do-san-truong" };

let tdb: TestDb;
let tg: FakeTelegram;
let runtime: Runtime;
let browser: Browser;
let page: Page;
let base: string;
let certificatesDir = "";
const axeFindings: { page: string; violations: AxeViolation[] }[] = [];
const weights: Record<string, { bytes: number; requests: number }> = {};

beforeAll(async () => {
  tdb = await createTestDb();
  tg = await startFakeTelegram();
  certificatesDir = await mkdtemp(path.join(tmpdir(), "chidao-web-cert-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `web_${randomBytes(3).toString("hex")}`,
    PORT: String(await freePort()),
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "silent",
    CERTIFICATES_DIR: certificatesDir,
  });
  runtime = await startRuntime(config, createLogger("silent"));
  base = runtime.url!;
  browser = await startBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
}, 60_000);

afterAll(async () => {
  await writeFile(path.join(ARTIFACTS, "axe.json"), JSON.stringify(axeFindings, null, 2)).catch(() => {});
  await writeFile(path.join(ARTIFACTS, "weights.json"), JSON.stringify(weights, null, 2)).catch(() => {});
  await browser?.close();
  await runtime?.stop();
  await tg?.close();
  await tdb?.drop();
  if (certificatesDir) await rm(certificatesDir, { recursive: true, force: true });
});

/** axe-core on the current page (kept for the report) and both screenshots. */
async function check(name: string): Promise<void> {
  const violations = await runAxe(page);
  axeFindings.push({ page: name, violations });
  await screenshots(page, name);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${name}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function signIn(email: string, password: string): Promise<void> {
  await browser.context.clearCookies();
  await page.goto(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signin")), page.click("button[type=submit].primary")]);
}

const mainText = () => page.locator("main").innerText();

/** Waits until the element's text is `text`. */
async function waitText(selector: string, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent?.trim() === t, [selector, text] as const, { timeout });
}

async function download(click: () => Promise<unknown>): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  const file = path.join(ARTIFACTS, d.suggestedFilename());
  await d.saveAs(file);
  const { readFile } = await import("node:fs/promises");
  return readFile(file);
}

let directiveId = 0;
const people: Record<string, number> = {};
const users: Record<string, { email: string; password: string }> = {};

describe("officers' dashboard in a real browser", () => {
  it("serves a light, Vietnamese sign-in page, and signs the administrator in", async () => {
    weights.signin = await measureLoad(page, `${base}/signin`);
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.locator("h1").innerText()).toBe("Đăng nhập");
    // A wrong password is refused with a message, and the page stays a page.
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", "not-the-password");
    await page.click("button[type=submit].primary");
    expect(await page.locator(".alert.error").innerText()).toContain("không đúng");
    await check("signin");
    await signIn(ADMIN.email, ADMIN.password);
    expect(new URL(page.url()).pathname).toBe("/directives");
    weights.directives_signed_in = await measureLoad(page, `${base}/directives`);
    expect(await mainText()).toContain("Chưa có chỉ đạo nào");
    await check("directives-empty");
  });

  it("imports schools from a file with one bad row: a report first, nothing written until confirmed", async () => {
    await page.goto(`${base}/orgs/import`);
    const csv = [
      "code,name,kind,level,parent_code,principal_name,principal_phone,symbol",
      "SGD,Sở Giáo dục và Đào tạo,department,,,,,SGDĐT",
      "X1,UBND xã Tân Phú,commune,,SGD,,,",
      "X2,UBND xã Bình An,commune,,SGD,,,",
      "X1-TH,Trường Tiểu học Tân Phú,school,tieu_hoc,X1,Lê Văn Tám,0912345678,",
      "X1-THCS,Trường THCS Tân Phú,school,thcs,X1,Phạm Thị Mai,0987654321,",
      "X1-MN,Trường Mầm non Hoa Mai,school,mam_non,X1,Võ Thị Lan,,",
      "X2-TH,Trường Tiểu học Bình An,school,tieu_hoc,X2,Đặng Văn Hùng,,",
      "X1-BAD,Trường Không Hợp Lệ,university,,X1,Ai Đó,,",
    ].join("\n");
    await page.setInputFiles("#file", { name: "truong.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("button[type=submit].primary");
    await page.waitForSelector("#report-title");
    const report = await mainText();
    expect(report).toContain("Sẽ thêm 7");
    expect(report).toMatch(/9\s+.*university/i);
    expect(await tdb.db.organization.count()).toBe(0);
    await check("import-report");
    await page.click("button[type=submit].primary");
    await page.waitForSelector(".alert.ok");
    expect(await mainText()).toContain("thêm 7");
    expect(await tdb.db.organization.count()).toBe(7);
    await page.goto(`${base}/orgs`);
    expect(await mainText()).toContain("Trường Tiểu học Tân Phú");
    await check("orgs");
    // The link-code sheet: a card per school with its principal, a fresh code and Telegram's QR.
    const sheet = await download(() => page.click("form[action='/orgs/link-sheet.pdf'] button"));
    const sheetText = await pdftotext(sheet);
    expect(sheetText).toContain("Lê Văn Tám");
    expect(sheetText).toContain("Trường Tiểu học Bình An");
    const code = (await tdb.db.linkCode.findFirstOrThrow({ where: { person: { name: "Lê Văn Tám" } }, orderBy: { id: "desc" } })).code;
    expect(sheetText).toContain(code);

    for (const code of ["X1-TH", "X1-THCS", "X1-MN", "X2-TH"]) {
      people[code] = (await tdb.db.person.findFirstOrThrow({ where: { organization: { code } } })).id;
    }
    await linkTelegram(tdb.db, people["X1-TH"]!, 5001);
    await linkTelegram(tdb.db, people["X1-THCS"]!, 5002);
    for (const [key, role, orgCode] of [
      ["officerX1", "OFFICER", "X1"],
      ["officerX2", "OFFICER", "X2"],
      ["viewerX1", "VIEWER", "X1"],
      ["clerk", "CLERK", "SGD"],
    ] as const) {
      const u = await createUserWithToken(tdb.db, { role, orgCode });
      users[key] = { email: u.email, password: u.password };
    }
  });

  it("composes a directive with the audience count and channel preview, and publishes it after confirmation", async () => {
    await signIn(users.officerX1!.email, users.officerX1!.password);
    await page.goto(`${base}/directives/new`);
    await waitText("#audience-count", "Sẽ gửi đến 3 hiệu trưởng");
    await page.check('input[name=levels][value="tieu_hoc"]');
    await waitText("#audience-count", "Sẽ gửi đến 1 hiệu trưởng");
    await page.uncheck('input[name=levels][value="tieu_hoc"]');
    await waitText("#audience-count", "Sẽ gửi đến 3 hiệu trưởng");
    await page.fill("#title", "Triển khai tự đánh giá kiểm định chất lượng");
    await page.fill("#body", "Đề nghị các trường hoàn thành báo cáo tự đánh giá trước ngày 15/12.");
    await page.fill("#deadline", "2026-12-15");
    await page.waitForFunction(() => document.querySelector("#preview .bubble")?.textContent?.includes("Triển khai tự đánh giá"));
    expect(await page.locator("#preview").innerText()).toContain("⏰ Hạn: ngày 15/12/2026");
    expect(await page.locator("#preview .chip").first().innerText()).toContain("Đã nhận");
    await check("compose");
    await Promise.all([page.waitForURL(/\/directives\/\d+$/), page.click("#compose-form button[type=submit]")]);
    directiveId = Number(new URL(page.url()).pathname.split("/").pop());
    expect(await mainText()).toContain("bản nháp");
    await page.click(`a[href="/directives/${directiveId}/publish"]`);
    expect(await mainText()).toContain("đến 3 hiệu trưởng");
    await check("publish-confirm");
    await Promise.all([page.waitForURL(/published=1/), page.click("button[type=submit].primary")]);
    await page.waitForSelector("body[data-live=on]");
    await waitText('[data-count="recipients"]', "3");
    await waitText('[data-count="unreachable"]', "1");
  });

  it("updates the directive page live as principals acknowledge through the stand-in", async () => {
    const message = (chat: number) => tg.messagesTo(chat).find((m) => m.text?.includes("Triển khai tự đánh giá"));
    const first = await tg.waitFor(() => message(5001), 15_000);
    await tg.waitFor(() => message(5002), 15_000);
    await waitText('[data-count="sent"]', "2");
    tg.pressButton(5001, first.message_id, `ack:${directiveId}`);
    await waitText('[data-count="acknowledged"]', "1");
    // A question first: kept for the officer, not an acknowledgement.
    tg.sendText(5002, "Cho hỏi hạn nộp báo cáo là ngày nào ạ?");
    for (let i = 0; i < 150 && !(await tdb.db.inboundMessage.count({ where: { directiveId } })); i++) await new Promise((r) => setTimeout(r, 100));
    tg.sendText(5002, "da nhan a");
    await waitText('[data-count="acknowledged"]', "2");
    await waitText('[data-count="pending"]', "0");
    await page.waitForFunction(() => document.querySelector("#live-progress [role=progressbar]")?.getAttribute("aria-valuenow") === "67");
    await page.waitForFunction(() => document.querySelectorAll("#recipients .badge.ok").length === 2);
    expect(await page.locator("#chart svg path").getAttribute("d")).toMatch(/V.*V/);
    // The filters: not acknowledged shows the unreachable school only when asked for unreachable.
    await page.selectOption("#show", "unreachable");
    await page.waitForFunction(() => document.querySelectorAll("#recipients tbody tr").length === 1);
    expect(await page.locator("#recipients").innerText()).toContain("Hoa Mai");
    await page.selectOption("#show", "all");
    await page.waitForFunction(() => document.querySelectorAll("#recipients tbody tr").length === 3);
    await page.reload();
    expect(await page.locator("section[aria-labelledby=replies-title]").innerText()).toContain("Cho hỏi hạn nộp báo cáo");
    await check("directive-live");
  });

  it("exports the recipients (XLSX) and the acknowledgement report (PDF) with raw replies", async () => {
    const xlsx = await download(() => page.click(`a[href="/directives/${directiveId}/recipients.xlsx"]`));
    expect(xlsx.subarray(0, 2).toString()).toBe("PK");
    const pdf = await download(() => page.click(`a[href="/directives/${directiveId}/report.pdf"]`));
    const text = await pdftotext(pdf);
    expect(text).toContain("BIÊN BẢN XÁC NHẬN");
    expect(text).toContain("Lê Văn Tám");
    expect(text).toContain("da nhan a");
    expect(text).toContain(`ack:${directiveId}`);
    expect(text).toContain("Võ Thị Lan");
  });

  it("a viewer cannot publish; an officer of another commune cannot open the directive even by URL", async () => {
    // A draft of commune X1, for the viewer to try.
    await page.goto(`${base}/directives/new`);
    await page.fill("#title", "Bản nháp chưa gửi");
    await page.fill("#body", "Nội dung nháp.");
    await Promise.all([page.waitForURL(/\/directives\/\d+$/), page.click("#compose-form button[type=submit]")]);
    const draftId = Number(new URL(page.url()).pathname.split("/").pop());

    await signIn(users.viewerX1!.email, users.viewerX1!.password);
    await page.goto(`${base}/directives/${draftId}`);
    expect(await mainText()).toContain("Chỉ chuyên viên hoặc quản trị viên được gửi chỉ đạo");
    expect(await page.locator(`a[href="/directives/${draftId}/publish"]`).count()).toBe(0);
    const form = await page.goto(`${base}/directives/new`);
    expect(form?.status()).toBe(403);
    const csrf = await page.request.get(`${base}/directives/${draftId}`).then(async () => (await page.locator('meta[name="csrf-token"]').getAttribute("content"))!);
    await page.goto(`${base}/directives/${draftId}`);
    const token = (await page.locator('meta[name="csrf-token"]').getAttribute("content"))!;
    expect(csrf).toBe(token);
    const publish = await page.request.post(`${base}/directives/${draftId}/publish`, { form: { _csrf: token, confirm: "yes" }, maxRedirects: 0 });
    expect(publish.status()).toBe(403);
    expect((await tdb.db.directive.findUniqueOrThrow({ where: { id: draftId } })).status).toBe("DRAFT");

    await signIn(users.officerX2!.email, users.officerX2!.password);
    const other = await page.goto(`${base}/directives/${directiveId}`);
    expect(other?.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Không tìm thấy trang");
    await check("not-found");
    for (const url of [
      `/directives/${directiveId}/recipients.xlsx`,
      `/directives/${directiveId}/report.pdf`,
      `/directives/${directiveId}/table`,
      `/directives/${directiveId}/events`,
    ]) {
      expect((await page.request.get(`${base}${url}`)).status(), url).toBe(404);
    }
    await page.goto(`${base}/directives`);
    expect(await mainText()).not.toContain("Triển khai tự đánh giá");
  });

  it("refuses a state-changing request without the CSRF token", async () => {
    const token = (await page.locator('meta[name="csrf-token"]').getAttribute("content"))!;
    const form = { title: "Giả mạo", body: "Không được tạo", kinds: "school" };
    const forged = await page.request.post(`${base}/directives`, { form, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain("Phiên làm việc của biểu mẫu");
    const wrong = await page.request.post(`${base}/directives`, { form: { ...form, _csrf: `${token.slice(0, -2)}xx` }, maxRedirects: 0 });
    expect(wrong.status()).toBe(403);
    expect(await tdb.db.directive.count({ where: { title: "Giả mạo" } })).toBe(0);
    const signout = await page.request.post(`${base}/signout`, { maxRedirects: 0 });
    expect(signout.status()).toBe(403);
    const ok = await page.request.post(`${base}/directives`, { form: { ...form, _csrf: token }, maxRedirects: 0 });
    expect(ok.status()).toBe(303);
  });

  it("drafts a letter from its template, previews it, issues it and downloads the PDF", async () => {
    await signIn(users.clerk!.email, users.clerk!.password);
    await page.goto(`${base}/documents/new`);
    await check("documents-pick");
    await page.click('a[href="/documents/new?template=cong_van"]');
    await page.fill("#f-subject", "V/v tổ chức hội giảng cấp tỉnh");
    await page.fill("#f-body", "Sở Giáo dục và Đào tạo đề nghị các trường cử giáo viên tham gia hội giảng.");
    await page.fill("#f-signer-title", "GIÁM ĐỐC");
    await page.fill("#f-signer-name", "Nguyễn Văn Bình");
    await page.fill("#f-recipients", "Như trên;\nLưu: VT.");
    await check("document-form");
    await Promise.all([page.waitForURL(/\/documents\/\d+$/), page.click("form button[type=submit].primary")]);
    const docId = Number(new URL(page.url()).pathname.split("/").pop());
    const preview = await page.request.get(`${base}/documents/${docId}/preview.pdf`);
    expect(preview.headers()["content-type"]).toBe("application/pdf");
    expect((await pdftotext(await preview.body(), "-raw")).replace(/\s/gu, "")).toContain("DỰTHẢO");
    // The preview follows the form: an edit is saved by the page's script and the frame reloads.
    const frame = page.locator("#pdf-preview");
    const before = await frame.getAttribute("src");
    await page.fill("#f-subject", "V/v tổ chức hội giảng cấp tỉnh năm học 2026-2027");
    await page.waitForFunction((src) => document.querySelector("#pdf-preview")?.getAttribute("src") !== src, before, { timeout: 10_000 });
    expect(await pdftotext(await (await page.request.get(`${base}/documents/${docId}/preview.pdf`)).body())).toContain("2026-2027");
    await check("document-draft");
    await Promise.all([page.waitForURL(/issued=1/), page.click("#main form[action$=issue] button")]);
    expect(await page.locator("h1").innerText()).toMatch(/^01\/SGDĐT/);
    const pdf = await download(() => page.click(`a[href="/documents/${docId}.pdf"]`));
    const text = await pdftotext(pdf);
    expect(text).toMatch(/Số:\s*01\/SGDĐT/);
    expect(text).toContain("năm học 2026-2027");
    await check("document-issued");
    await page.goto(`${base}/register`);
    expect(await mainText()).toContain("V/v tổ chức hội giảng");
    await check("register");
  });

  it("uploads a certificate file: its bad row shown first, then a good file followed to its downloads", async () => {
    await signIn(users.clerk!.email, users.clerk!.password);
    await page.goto(`${base}/certificates`);
    await check("certificates");
    const head = "STT,Họ và tên,Lớp,Danh hiệu,Thành tích,Số quyết định,Ngày quyết định,Quyền hạn ký,Chức vụ người ký,Người ký";
    const line = (n: number, name: string) =>
      `${n},${name},Lớp 5A,Học sinh Xuất sắc,"Đã có thành tích xuất sắc trong học tập, năm học 2025–2026",125/QĐ-SGDĐT,15/11/2026,KT. Giám đốc,Phó Giám đốc,Trần Văn Bình`;
    const file = (lines: string[]) => ({ name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from([head, ...lines].join("\r\n"), "utf8") });
    await page.selectOption("#template", "giay_khen");
    await page.setInputFiles("#file", file([line(1, "Nguyễn Thị Ánh Tuyết"), line(2, "")]));
    await Promise.all([page.waitForLoadState("load"), page.click("form[action='/certificates/batches'] button[type=submit]")]);
    expect(await page.locator(".alert.error").innerText()).toContain("1");
    expect(await page.locator("#row-errors tbody tr").count()).toBe(1);
    await check("certificates-errors");
    await page.setInputFiles("#file", file([line(1, "Nguyễn Thị Ánh Tuyết"), line(2, "Trần Văn Bình")]));
    await Promise.all([page.waitForURL(/\/certificates\/batches\/\d+$/), page.click("form[action='/certificates/batches'] button[type=submit]")]);
    // The page's script polls the progress and reloads once the worker is done.
    await page.waitForSelector("a[href$='/print.pdf']", { timeout: 60_000 });
    expect(await page.locator("#batch .num").innerText()).toBe("2/2");
    await check("certificate-batch-done");
    const pdf = await download(() => page.click("a[href$='/print.pdf']"));
    expect(await pdftotext(pdf)).toContain("Trần Văn Bình");
  }, 90_000);

  it("shows a checklist directive's board and matrix, decides an extension request and reminds now", async () => {
    const officer = await createUserWithToken(tdb.db, { role: "OFFICER", orgCode: "X1" });
    const api = (path: string, body: unknown) =>
      fetch(`${base}/api/v1${path}`, { method: "POST", headers: { Authorization: `Bearer ${officer.token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const created = await api("/directives", {
      title: "Kiểm định chất lượng giáo dục 2030",
      body: "Các trường thực hiện tự đánh giá.",
      audience: { under: "X1", kinds: ["school"] },
      checklist: [
        { title: "Tự đánh giá", due: "2030-03-15" },
        { title: "Nộp báo cáo", due: "2030-04-15" },
      ],
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    expect((await api(`/directives/${id}/publish`, {})).status).toBe(202);
    const step = await tdb.db.checklistStep.findFirstOrThrow({ where: { directiveId: id, n: 2 } });
    const th = await tdb.db.organization.findUniqueOrThrow({ where: { code: "X1-TH" } });
    await tdb.db.stepProgress.create({ data: { stepId: step.id, organizationId: th.id, status: "BLOCKED", note: "thiếu minh chứng", reportedAt: new Date() } });
    await tdb.db.extensionRequest.create({
      data: { directiveId: id, stepId: step.id, organizationId: th.id, text: "xin gia hạn đến 1/5", requestedUntil: new Date("2030-05-01T16:59:59Z") },
    });
    await signIn(officer.email, officer.password);
    await page.goto(`${base}/directives/${id}/checklist`);
    expect(await page.locator('tr[data-org="X1-TH"] td[data-status="blocked"]').innerText()).toContain("Vướng mắc");
    await check("checklist");
    await page.goto(`${base}/extensions`);
    await check("extensions");
    await Promise.all([page.waitForURL(/done=approved/), page.click('form[action$="/decision"] button[value="approve"]')]);
    expect(await page.locator(".alert.ok").innerText()).toContain("01/05/2030");
    await page.goto(`${base}/directives/${id}`);
    await page.click(`a[href="/directives/${id}/remind"]`);
    await check("remind");
    await Promise.all([page.waitForURL(/reminded=/), page.click('form[action$="/remind"] button[type=submit]')]);
    expect(await mainText()).toContain("Đã xếp lịch gửi tin nhắc");
  }, 60_000);

  it("gives administrators users, the audit log and channel health; English on request", async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${base}/users`);
    expect(await mainText()).toContain(users.clerk!.email);
    await check("users");
    await page.goto(`${base}/audit`);
    expect(await mainText()).toContain("directive.create");
    await check("audit");
    await page.goto(`${base}/operations`);
    expect(await mainText()).toContain("Telegram");
    await check("operations");
    // The job queues' board, behind the administrator check.
    const board = await page.goto(`${base}/operations/queues/`);
    expect(board?.status()).toBe(200);
    await page.waitForFunction(() => document.querySelector("body")?.textContent?.includes("deliveries-telegram"), undefined, { timeout: 15_000 });
    await screenshots(page, "queues");
    await page.goto(`${base}/directives?lang=en`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").innerText()).toBe("Directives");
    await check("directives-en");
    await page.goto(`${base}/directives?lang=vi`);
    // A clerk is not an administrator: the admin pages are a 403 page.
    await signIn(users.clerk!.email, users.clerk!.password);
    expect((await page.goto(`${base}/users`))?.status()).toBe(403);
    expect((await page.request.get(`${base}/operations/queues/`)).status()).toBe(403);
    // Sign out everywhere ends this session too.
    await page.goto(`${base}/account`);
    await Promise.all([page.waitForURL(/\/signin/), page.click("form[action='/signout-everywhere'] button")]);
    expect((await page.goto(`${base}/directives`))?.url()).toContain("/signin?next=%2Fdirectives");
  });
});
