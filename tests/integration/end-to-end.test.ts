/**
 * The whole product through its real interfaces: the runtime (migrations, queues on Redis, workers,
 * HTTP, Telegram by long polling against the Bot API stand-in) driven the way an officer and two
 * principals would use it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { startRuntime, type Runtime } from "../../server/runtime.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { freePort } from "../helpers/free-port.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";

let tdb: TestDb;
let tg: FakeTelegram;
let runtime: Runtime;
let api: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  tdb = await createTestDb();
  tg = await startFakeTelegram();
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `e2e_${randomBytes(3).toString("hex")}`,
    PORT: String(await freePort()),
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    ADMIN_EMAIL: "admin@sgd.example.vn",
    ADMIN_PASSWORD: "hoa-phuong-do-san-truong",
    LOG_LEVEL: "silent",
  });
  runtime = await startRuntime(config, createLogger("silent"));
  const login = await fetch(`${runtime.url}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@sgd.example.vn", password: "hoa-phuong-do-san-truong" }),
  });
  const { token } = (await login.json()) as { token: string };
  api = (path, init = {}) =>
    fetch(`${runtime.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers ?? {}) } });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await tg.close();
  await tdb.drop();
});

describe("an officer directs three schools, two principals on Telegram", () => {
  it("imports, links, publishes, delivers, and records acknowledgements by button and by words", async () => {
    const csv = [
      "code,name,kind,level,parent_code,principal_name,principal_phone",
      "SGD,Sở Giáo dục và Đào tạo,department,,,,",
      "X1,UBND xã Tân Phú,commune,,SGD,,",
      "X1-TH,Trường Tiểu học Tân Phú,school,tieu_hoc,X1,Lê Văn Tám,0912345678",
      "X1-THCS,Trường THCS Tân Phú,school,thcs,X1,Phạm Thị Mai,0987654321",
      "X1-MN,Trường Mầm non Hoa Mai,school,mam_non,X1,Võ Thị Lan,",
    ].join("\n");
    const imported = await api("/orgs/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(await imported.json()).toEqual({ created: 5, updated: 0, errors: [] });

    const byOrg: Record<string, { id: number; name: string } | undefined> = {};
    for (const org of ["X1-TH", "X1-THCS"]) [byOrg[org]] = (await (await api(`/people?org=${org}`)).json()) as { id: number; name: string }[];
    const chats: Record<string, number> = { "X1-TH": 4001, "X1-THCS": 4002 };
    for (const [org, chat] of Object.entries(chats)) {
      const link = (await (await api(`/people/${byOrg[org]!.id}/link-code`, { method: "POST" })).json()) as { code: string; telegram_url: string };
      expect(link.telegram_url).toBe(`https://t.me/${tg.username}?start=${link.code}`);
      tg.sendCommand(chat, `/start ${link.code}`);
      await tg.waitFor(() => tg.messagesTo(chat).find((m) => m.text?.includes("Đã liên kết")), 10_000);
    }

    const created = await api("/directives", {
      method: "POST",
      body: JSON.stringify({
        title: "Triển khai tự đánh giá kiểm định chất lượng",
        body: "Đề nghị các trường hoàn thành báo cáo tự đánh giá.",
        deadline: "2026-12-15",
        audience: { under: "X1", kinds: ["school"] },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const published = await api(`/directives/${id}/publish`, { method: "POST" });
    expect(published.status).toBe(202);
    expect(await published.json()).toMatchObject({ recipients: 3, queued: 2, unreachable: 1 });

    const directiveMessage = (chat: number) => tg.messagesTo(chat).find((m) => m.text?.includes("Triển khai tự đánh giá"));
    const first = await tg.waitFor(() => directiveMessage(4001), 10_000);
    await tg.waitFor(() => directiveMessage(4002), 10_000);
    expect(first.text).toContain("⏰ Hạn: ngày 15/12/2026");

    tg.pressButton(4001, first.message_id, `ack:${id}`);
    tg.sendText(4002, "da nhan a");
    await tg.waitFor(() => tg.messagesTo(4002).find((m) => m.text?.includes("Đã ghi nhận")), 10_000);
    await tg.waitFor(() => tg.messagesTo(4001).find((m) => m.text?.includes("✅ Đã nhận lúc")), 10_000);

    const summary = (await (await api(`/directives/${id}`)).json()) as { counts: Record<string, number> };
    expect(summary.counts).toMatchObject({ recipients: 3, queued: 0, sent: 2, failed: 0, unreachable: 1, acknowledged: 2 });
    const recipients = (await (await api(`/directives/${id}/recipients`)).json()) as { org_code: string; status: string; acknowledged_at: string | null }[];
    const status = Object.fromEntries(recipients.map((r) => [r.org_code, [r.status, r.acknowledged_at !== null]]));
    expect(status).toEqual({ "X1-TH": ["sent", true], "X1-THCS": ["sent", true], "X1-MN": ["unreachable", false] });
  }, 60_000);
});
