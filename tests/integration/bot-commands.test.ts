import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateKey } from "../../bot/channels/telegram/create-telegram-bot.ts";
import { startBotHarness, type BotHarness } from "../helpers/bot-harness.ts";

let h: BotHarness;

/** Polls `read` until `done` holds (the bot works asynchronously, with no reply to wait for). */
async function waitForValue<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.stop();
});

describe("/pending and /help", () => {
  it("/pending lists what awaits acknowledgement, newest first, with deadlines and one button each", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const older = await h.deliver(person.id, chatId, { title: "Kế hoạch kiểm định chất lượng", deadline: new Date("2026-12-01T10:00:00Z") });
    const newer = await h.deliver(person.id, chatId, { title: "Báo cáo không hạn", deadline: null });
    await h.deliver(person.id, chatId, { title: "Để biết, không cần xác nhận", requireAck: false });
    const since = h.tg.calls.length;
    h.tg.sendCommand(chatId, "/pending");
    const list = await h.nextCall("sendMessage", chatId, since);
    expect(String(list.params.text)).toBe(["Văn bản chờ xác nhận (2):", "1. Báo cáo không hạn", "2. Kế hoạch kiểm định chất lượng — hạn 17h00 ngày 01/12/2026"].join("\n"));
    const buttons = (list.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard;
    expect(buttons.map((r) => r.map((b) => b.callback_data))).toEqual([[`ack:${newer.directiveId}`], [`ack:${older.directiveId}`]]);
  });

  it("a press in /pending acknowledges, confirms in words and empties the list instead of stamping it", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(person.id, chatId, { title: "Kế hoạch duy nhất" });
    await h.say(chatId, "/pending");
    const list = h.tg.messagesTo(chatId).at(-1)!;
    expect(list.message_id).not.toBe(messageId);
    const { text, since } = await h.press(chatId, list.message_id, `ack:${directiveId}`);
    expect(text).toBe("Đã ghi nhận");
    expect(String((await h.nextCall("sendMessage", chatId, since)).params.text)).toContain("Kế hoạch duy nhất");
    await h.nextCall("editMessageReplyMarkup", chatId, since);
    expect(h.tg.messages.get(`${chatId}:${list.message_id}`)!.reply_markup).toBeUndefined();
    expect(h.tg.calls.slice(since).some((c) => c.method === "editMessageText")).toBe(false);
    // The directive's own message still has its button; pressing it now stamps it with the first time.
    const again = await h.press(chatId, messageId, `ack:${directiveId}`);
    expect(again.text).toContain("đã xác nhận lúc");
    expect(String((await h.nextCall("editMessageText", chatId, again.since)).params.text)).toMatch(/✅ Đã nhận lúc/);
    expect(await h.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
  });

  it("/pending shows ten and says how many more there are", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    for (let i = 1; i <= 12; i++) await h.deliver(person.id, chatId, { title: `Văn bản ${i}` });
    const answer = await h.say(chatId, "/pending");
    expect(answer).toContain("Văn bản chờ xác nhận (12):");
    expect(answer).toContain("10. Văn bản 3");
    expect(answer).not.toContain("11. ");
    expect(answer).toContain("… và 2 văn bản khác");
  });

  it("/pending tells a stranger how to link and a principal with nothing pending so", async () => {
    expect(await h.say(h.newChat(), "/pending")).toContain("chưa được liên kết");
    const { chatId } = await h.linkedPrincipal();
    expect(await h.say(chatId, "/pending")).toContain("không có văn bản nào");
  });

  it("/help explains in Vietnamese, and so does an unknown command", async () => {
    const chatId = h.newChat();
    const help = await h.say(chatId, "/help");
    expect(help).toContain("Hướng dẫn");
    expect(help).toContain("/pending");
    expect(help).toContain("đã nhận");
    expect(await h.say(chatId, "/lamgido")).toBe(help);
  });
});

describe("each update once, and errors", () => {
  it("processes a redelivered update once", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId);
    const update = {
      update_id: 777_001,
      message: { message_id: 1, from: { id: chatId, is_bot: false, first_name: "HT" }, chat: { id: chatId, type: "private", first_name: "HT" }, date: 0, text: "đã nhận" },
    } as Update;
    const since = h.tg.calls.length;
    // As a webhook retry would: the same update handed to the bot twice.
    await h.bot.handleUpdate(update);
    await h.bot.handleUpdate(structuredClone(update));
    const replies = h.tg.calls.slice(since).filter((c) => c.method === "sendMessage" && String(c.params.chat_id) === String(chatId));
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.params.text)).toContain("Đã ghi nhận");
    expect(await h.db.inboxEvent.count({ where: { channel: "TELEGRAM", eventKey: updateKey(h.bot.botInfo.id, 777_001) } })).toBe(1);
    expect(await h.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
  });

  it("logs a failing handler, apologises, and goes on with the next update", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId);
    // The bot's answer to "xin chào" fails once; the apology after it goes through.
    h.tg.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    const since = h.tg.calls.length;
    h.tg.sendText(chatId, "xin chào");
    const apology = await h.tg.waitFor(() => h.tg.calls.slice(since).filter((c) => c.method === "sendMessage")[1]);
    expect(String(apology.params.text)).toContain("thử lại");
    // The reply itself was kept before the answer failed.
    expect(await h.db.inboundMessage.count({ where: { personId: person.id, text: "xin chào" } })).toBe(1);
    expect(await h.say(chatId, "đã nhận")).toContain("Đã ghi nhận");
  });

  it("answers a failing button press with an alert", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(person.id, chatId);
    h.tg.failNext("answerCallbackQuery", { error_code: 500, description: "Internal Server Error" });
    const since = h.tg.calls.length;
    h.tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    const answers = await h.tg.waitFor(() => {
      const found = h.tg.calls.slice(since).filter((c) => c.method === "answerCallbackQuery");
      return found.length === 2 && found;
    });
    expect(answers[1]!.params).toMatchObject({ show_alert: true, text: expect.stringContaining("thử lại") });
    // The acknowledgement was written before the answer failed, and stands.
    expect(await h.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
  });
});

describe("chats", () => {
  it("clears a recorded block when the chat writes to us again", async () => {
    const { chatId } = await h.linkedPrincipal();
    await h.db.chatIdentity.updateMany({ where: { externalId: String(chatId) }, data: { blockedAt: new Date() } });
    await h.say(chatId, "/help");
    expect((await h.db.chatIdentity.findFirstOrThrow({ where: { externalId: String(chatId) } })).blockedAt).toBeNull();
  });

  it("records a block when Telegram reports one, and clears it when the user unblocks", async () => {
    const { chatId } = await h.linkedPrincipal();
    const blockedAt = () => h.db.chatIdentity.findFirstOrThrow({ where: { externalId: String(chatId) } }).then((c) => c.blockedAt);
    const memberUpdate = (status: "kicked" | "member", date: number) => ({
      my_chat_member: {
        chat: { id: chatId, type: "private", first_name: "HT" },
        from: { id: chatId, is_bot: false, first_name: "HT" },
        date,
        old_chat_member: { status: status === "kicked" ? "member" : "kicked", user: { id: 1, is_bot: true, first_name: "chidao" } },
        new_chat_member: { status, user: { id: 1, is_bot: true, first_name: "chidao" }, ...(status === "kicked" ? { until_date: 0 } : {}) },
      },
    });
    h.tg.pushUpdate(memberUpdate("kicked", 1_790_000_000));
    expect(await waitForValue(blockedAt, (v) => v !== null)).toEqual(new Date(1_790_000_000 * 1000));
    // No reply goes to a chat that has just blocked the bot.
    expect(h.tg.calls.some((c) => String(c.params.chat_id) === String(chatId) && c.method === "sendMessage")).toBe(false);
    h.tg.pushUpdate(memberUpdate("member", 1_790_000_100));
    expect(await waitForValue(blockedAt, (v) => v === null)).toBeNull();
  });

  it("ignores groups: principals are reached in private chats only", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId);
    const group = -100_123;
    const since = h.tg.calls.length;
    h.tg.pushUpdate({
      message: { message_id: 1, date: 0, from: { id: chatId, is_bot: false, first_name: "HT" }, chat: { id: group, type: "group", title: "Tổ chuyên môn" }, text: "đã nhận" },
    });
    // A later private message is answered, so the group message was seen and passed over.
    expect(await h.say(chatId, "/help")).toContain("Hướng dẫn");
    expect(h.tg.calls.slice(since).some((c) => String(c.params.chat_id) === String(group))).toBe(false);
    expect(await h.db.acknowledgement.count({ where: { personId: person.id } })).toBe(0);
  });
});
