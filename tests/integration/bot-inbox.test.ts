/**
 * Inbound at least once, effect exactly once, through the real grammY bot and the Bot API stand-in:
 * a process that dies between the effect's commit and its replies, a restart that gets the update
 * again, and five web processes handed one update at once.
 */
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramBot } from "../../bot/channels/telegram/create-telegram-bot.ts";
import { createLogger } from "../../server/config/logger.ts";
import { startBotHarness, type BotHarness } from "../helpers/bot-harness.ts";

let h: BotHarness;
const logger = createLogger("silent");
let nextUpdate = 555_000;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.stop();
});

/** Another bot process on the same token and database (its own inbox lease, maybe a crash hook). */
function process(o: { leaseMs?: number; hang?: boolean } = {}) {
  return createTelegramBot({
    token: h.tg.token,
    apiRoot: h.tg.apiRoot,
    db: h.db,
    logger,
    botInfo: h.bot.botInfo,
    leaseMs: o.leaseMs ?? 60_000,
    // A process frozen (then killed) right after the effect's commit: the replies never leave.
    ...(o.hang ? { afterEffect: () => new Promise<void>(() => {}) } : {}),
  });
}

const callsTo = (chatId: number, method: string, since: number) => h.tg.calls.slice(since).filter((c) => c.method === method && String(c.params.chat_id ?? "") === String(chatId));

describe("Telegram updates through the inbox", () => {
  it("a process dies after the acknowledgement's commit: after the restart, the resent press gets one answer and one stamp, and one acknowledgement stands", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(person.id, chatId);
    const message = h.tg.messages.get(`${chatId}:${messageId}`)!;
    const update = {
      update_id: ++nextUpdate,
      callback_query: { id: "cb-crash", from: { id: chatId, is_bot: false, first_name: "HT" }, message, chat_instance: "ci", data: `ack:${directiveId}` },
    } as unknown as Update;
    const since = h.tg.calls.length;
    void process({ leaseMs: 1500, hang: true }).handleUpdate(update);
    const key = `${h.bot.botInfo.id}:${nextUpdate}`;
    for (let i = 0; i < 250 && !(await h.db.inboxEvent.findFirst({ where: { eventKey: key, status: "DONE" } })); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await h.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
    expect(h.tg.calls.slice(since).filter((c) => c.method !== "getUpdates")).toEqual([]);

    const restarted = process({ leaseMs: 1500 });
    // Telegram resends at once: the dead process's lease still holds, so nothing happens yet.
    await restarted.handleUpdate(structuredClone(update));
    expect(h.tg.calls.slice(since).filter((c) => c.method !== "getUpdates")).toEqual([]);
    await new Promise((r) => setTimeout(r, 1600));
    await restarted.handleUpdate(structuredClone(update));
    await restarted.handleUpdate(structuredClone(update));
    const answers = h.tg.calls.slice(since).filter((c) => c.method === "answerCallbackQuery");
    expect(answers.map((a) => a.params.text)).toEqual(["Đã ghi nhận"]);
    const edits = callsTo(chatId, "editMessageText", since);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.params.text)).toMatch(/✅ Đã nhận lúc/);
    expect(await h.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
  });

  it("five processes handed one update at once: one acknowledgement, one reply", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId);
    const update = {
      update_id: ++nextUpdate,
      message: { message_id: 1, from: { id: chatId, is_bot: false, first_name: "HT" }, chat: { id: chatId, type: "private", first_name: "HT" }, date: 0, text: "đã nhận ạ" },
    } as Update;
    const since = h.tg.calls.length;
    const bots = Array.from({ length: 5 }, () => process());
    await Promise.all(bots.map((b) => b.handleUpdate(structuredClone(update))));
    const replies = callsTo(chatId, "sendMessage", since);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.params.text)).toContain("Đã ghi nhận");
    expect(await h.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
  });
});
