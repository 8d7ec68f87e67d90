/**
 * The product's runtime with both Zalo channels configured and Telegram off: the registry starts the
 * OA and the bot from ZALO_* alone, the OA's webhook is mounted, link codes carry the OA's follow
 * link, and a principal links by sending the code — to the OA by webhook, to the bot by long polling.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { startRuntime, type Runtime } from "../../server/runtime.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../helpers/fake-zalo-bot.ts";
import { startFakeZaloOa, type FakeZaloOa, zaloOaEnv } from "../helpers/fake-zalo-oa.ts";
import { createProvince } from "../helpers/factories.ts";
import { freePort } from "../helpers/free-port.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";

let tdb: TestDb;
let oa: FakeZaloOa;
let bot: FakeZaloBot;
let runtime: Runtime;
let api: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  tdb = await createTestDb();
  oa = await startFakeZaloOa();
  bot = await startFakeZaloBot();
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `zrt_${randomBytes(3).toString("hex")}`,
    PORT: String(await freePort()),
    ADMIN_EMAIL: "admin@sgd.example.vn",
    ADMIN_PASSWORD: "hoa-phuong-do-san-truong",
    LOG_LEVEL: "silent",
    ...zaloOaEnv(oa),
    ZALO_BOT_TOKEN: bot.token,
    ZALO_BOT_API_BASE: bot.apiBase,
  });
  runtime = await startRuntime(config, createLogger("silent"));
  await createProvince(tdb.db);
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
  await oa?.close();
  await bot?.close();
  await tdb?.drop();
});

async function until<T>(f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("starts both Zalo channels from their settings and links a principal on each", async () => {
  const [th] = (await (await api("/people?org=X1-TH")).json()) as { id: number }[];
  const [thcs] = (await (await api("/people?org=X1-THCS")).json()) as { id: number }[];

  const first = (await (await api(`/people/${th!.id}/link-code`, { method: "POST" })).json()) as Record<string, string | null>;
  expect(first).toMatchObject({ telegram_url: null, zalo_oa_url: `https://zalo.me/${oa.oaId}`, zalo_bot_url: null });
  const hook = `${runtime.url}/webhooks/zalo-oa`;
  expect((await fetch(hook, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(oa.events.text("3001", first.code!)) })).status).toBe(401);
  oa.addUser("3001234567890000001");
  expect(await oa.deliver(hook, oa.events.text("3001234567890000001", `/start ${first.code}`))).toBe(200);
  await until(() => oa.sentTo("3001234567890000001").find((s) => s.text?.includes("Đã liên kết Zalo")));

  const second = (await (await api(`/people/${thcs!.id}/link-code`, { method: "POST" })).json()) as Record<string, string>;
  bot.sendText("8200000000000000001", second.code!);
  await until(() => bot.sentTo("8200000000000000001").find((m) => m.text.includes("Đã liên kết Zalo")));

  const channelsOf = async (org: string) =>
    ((await (await api(`/people?org=${org}`)).json()) as { channels: { channel: string }[] }[])[0]!.channels.map((c) => c.channel.toLowerCase());
  expect([await channelsOf("X1-TH"), await channelsOf("X1-THCS")]).toEqual([["zalo_oa"], ["zalo_bot"]]);
}, 30_000);
