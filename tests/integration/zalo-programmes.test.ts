/**
 * Programmes on the Zalo Bot, end to end: the real registry and client against the stand-in (long
 * polling), the real delivery worker, the conversation core; status replies in words, the choices
 * as numbered lines, and a reminder digest sent by the sweep through the channel's sendNotice.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChannels } from "../../bot/channels/channel-registry.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { ChannelAdapter, ChannelKind } from "../../server/domain/channel.ts";
import { createWorkingCalendar } from "../../server/domain/working-calendar.ts";
import { sweepReminders } from "../../server/features/reminders/sweep-reminders.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../helpers/fake-zalo-bot.ts";
import { startPipeline, type Pipeline } from "../helpers/pipeline.ts";
import { createTestClock } from "../helpers/test-clock.ts";

let bot: FakeZaloBot;
let p: Pipeline;
let auth: Record<string, string>;
const CHAT = "8100000000000000042";

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
const texts = () => bot.sentTo(CHAT).map((m) => m.text);

/** Sends `text` and waits for the bot's next message in that chat. */
async function say(text: string): Promise<string> {
  const before = texts().length;
  bot.sendText(CHAT, text);
  return until(() => texts()[before]);
}

beforeAll(async () => {
  bot = await startFakeZaloBot();
  p = await startPipeline({
    channels: async (db, url) =>
      startChannels({
        config: loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", ZALO_BOT_TOKEN: bot.token, ZALO_BOT_API_BASE: bot.apiBase }),
        db,
        logger: createLogger("silent"),
        inbound: true,
      }),
  });
  await createProvince(p.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(p.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
  const principal = await p.db.person.findFirstOrThrow({ where: { role: "PRINCIPAL", organization: { code: "X2-THCS" } } });
  await p.db.chatIdentity.create({ data: { personId: principal.id, channel: "ZALO_BOT", externalId: CHAT } });
}, 60_000);

afterAll(async () => {
  await p.close();
  await bot.close();
});

describe("a programme on the Zalo Bot", () => {
  let directiveId: number;

  it("takes status replies in words and offers the next step as numbered lines", async () => {
    const created = await request(p.app)
      .post("/api/v1/directives")
      .set(auth)
      .send({
        title: "Công khai năm học 2026–2027",
        body: "Các trường thực hiện công khai.",
        audience: { under: "X2", levels: ["thcs"] },
        checklist_template: "cong-khai",
        checklist_dues: [
          { n: 1, due: "2027-06-30" },
          { n: 2, due: "2027-06-30" },
        ],
      })
      .expect(201);
    directiveId = created.body.id;
    await request(p.app).post(`/api/v1/directives/${directiveId}/publish`).set(auth).expect(202);
    await p.settled(directiveId);
    await until(() => texts().find((t) => t.includes("Công khai năm học")));

    const answer = await say("xong buoc 1");
    expect(answer).toContain("bước 1 «Công khai thông tin chung về cơ sở giáo dục» đã xong");
    expect(answer).toContain("Bước tiếp theo: 2. Công khai thu, chi tài chính — hạn ngày 30/06/2027");
    expect(answer).toMatch(/\n1\. ✅ xong bước 2\n2\. ⏳ bước 2 đang làm\n3\. ⛔ bước 2 vướng/);
    // The numbered line's words are themselves a reply the rules read.
    expect(await say("⏳ bước 2 đang làm")).toContain("bước 2 «Công khai thu, chi tài chính» đang thực hiện");
    const rows = await p.db.stepProgress.findMany({ where: { step: { directiveId } }, include: { step: true }, orderBy: { step: { n: "asc" } } });
    expect(rows.map((r) => [r.step.n, r.status, r.channel])).toEqual([
      [1, "DONE", "ZALO_BOT"],
      [2, "IN_PROGRESS", "ZALO_BOT"],
    ]);
  }, 60_000);

  it("changes nothing on «chưa xong bước 2» and keeps it for the officer", async () => {
    expect(await say("chưa xong bước 2")).toContain("trạng thái các bước không thay đổi");
    const step2 = await p.db.stepProgress.findFirstOrThrow({ where: { step: { directiveId, n: 2 } } });
    expect(step2.status).toBe("IN_PROGRESS");
    const replies = await request(p.app).get(`/api/v1/directives/${directiveId}/replies`).set(auth).expect(200);
    expect(JSON.stringify(replies.body)).toContain("chưa xong bước 2");
  });

  it("sends the reminder digest through the channel, once", async () => {
    const zalo = p.channels.find((c) => c.kind === "ZALO_BOT")!;
    const registry = new Map<ChannelKind, ChannelAdapter>([["ZALO_BOT", zalo.adapter]]);
    const clock = createTestClock(new Date());
    const calendar = createWorkingCalendar([]);
    await sweepReminders(p.db, { registry, calendar, now: clock.now() });
    const first = await p.db.reminder.findFirstOrThrow({ where: { directiveId, status: "PLANNED" }, orderBy: { at: "asc" } });
    const before = texts().length;
    clock.set(new Date(first.at.getTime() + 60_000));
    await sweepReminders(p.db, { registry, calendar, now: clock.now() });
    await sweepReminders(p.db, { registry, calendar, now: clock.now() });
    const digest = await until(() => texts()[before]);
    // Step 1 is done and steps 3–6 have no date: step 2 alone.
    expect(digest).toMatch(/^🔔 Nhắc việc \(1\):\n• «Công khai năm học 2026–2027» — bước 2 «Công khai thu, chi tài chính»: hạn ngày 30\/06\/2027/);
    expect(digest).not.toContain("Công khai thông tin chung");
    expect(digest).toContain("1. ✅ xong bước 2");
    await new Promise((r) => setTimeout(r, 300));
    expect(texts().length).toBe(before + 1);
  }, 30_000);
});
