import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotHarness, type BotHarness } from "../helpers/bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.stop();
});

const STAMP = /✅ Đã nhận lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}$/;
const acksOf = (personId: number) => h.db.acknowledgement.findMany({ where: { personId }, orderBy: { id: "asc" } });

describe("the ✅ Đã nhận button", () => {
  it("records the press, answers it, and stamps the message keeping its formatting and dropping the button", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, deliveryId, messageId } = await h.deliver(person.id, chatId);
    const { text, since } = await h.press(chatId, messageId, `ack:${directiveId}`);
    expect(text).toBe("Đã ghi nhận");
    const edit = await h.nextCall("editMessageText", chatId, since);
    expect(edit.params.message_id).toBe(messageId);
    expect(String(edit.params.text)).toMatch(/^📢 Kế hoạch tự đánh giá năm 2026[\s\S]*Đề nghị các trường thực hiện\./);
    expect(String(edit.params.text)).toMatch(STAMP);
    expect(JSON.stringify(edit.params.entities)).toContain("bold");
    expect(edit.params.reply_markup).toBeUndefined();
    expect(h.tg.messages.get(`${chatId}:${messageId}`)!.reply_markup).toBeUndefined();

    const acks = await acksOf(person.id);
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ directiveId, channel: "TELEGRAM", source: "BUTTON", raw: `ack:${directiveId}`, deliveryId });
  });

  it("counts a double press once and says when the first one was", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(person.id, chatId);
    // Both presses queued before the bot sees either, as a fast double tap would be.
    const since = h.tg.calls.length;
    h.tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    h.tg.pressButton(chatId, messageId, `ack:${directiveId}`);
    const answers = await h.tg.waitFor(() => {
      const found = h.tg.calls.slice(since).filter((c) => c.method === "answerCallbackQuery");
      return found.length === 2 && found;
    });
    expect(answers.map((a) => String(a.params.text))).toEqual(["Đã ghi nhận", expect.stringMatching(/^Thầy\/cô đã xác nhận lúc \d\d:\d\d ngày/)]);
    expect(await acksOf(person.id)).toHaveLength(1);
  });

  it("after a text acknowledgement, still removes the button and stamps the earlier time", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(person.id, chatId);
    expect(await h.say(chatId, "da nhan")).toContain("Đã ghi nhận");
    const { text, since } = await h.press(chatId, messageId, `ack:${directiveId}`);
    expect(text).toContain("đã xác nhận lúc");
    expect(String((await h.nextCall("editMessageText", chatId, since)).params.text)).toMatch(STAMP);
    expect((await acksOf(person.id)).map((a) => a.source)).toEqual(["TEXT"]);
  });

  it("refuses a directive that never reached this chat, a stranger's press and unknown data", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const other = await h.linkedPrincipal();
    const { directiveId, messageId } = await h.deliver(other.person.id, other.chatId);
    expect(await h.press(chatId, messageId, `ack:${directiveId}`)).toMatchObject({ text: "Không tìm thấy chỉ đạo này", alert: true });
    expect(await h.press(chatId, messageId, "ack:999999")).toMatchObject({ text: "Không tìm thấy chỉ đạo này" });
    const stranger = await h.press(h.newChat(), messageId, `ack:${directiveId}`);
    expect(stranger.alert).toBe(true);
    expect(stranger.text).toContain("chưa được liên kết");
    expect((await h.press(chatId, messageId, "something-else")).text).toBe("");
    expect(await h.db.acknowledgement.count({ where: { directiveId } })).toBe(0);
    expect(await acksOf(person.id)).toHaveLength(0);
  });

  it("on a message too long to stamp, drops the button and replies with the stamp", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId, deliveryId } = await h.deliver(person.id, chatId);
    const long = await h.bot.api.sendMessage(chatId, `${"Nội dung dài. ".repeat(292)}`.trim(), {
      reply_markup: { inline_keyboard: [[{ text: "✅ Đã nhận", callback_data: `ack:${directiveId}` }]] },
    });
    // As if this long text were the part that carried the button.
    await h.db.delivery.update({ where: { id: deliveryId }, data: { platformMessageId: String(long.message_id) } });
    expect(long.text.length).toBeGreaterThan(4096 - 30);
    const { text, since } = await h.press(chatId, long.message_id, `ack:${directiveId}`);
    expect(text).toBe("Đã ghi nhận");
    const markup = await h.nextCall("editMessageReplyMarkup", chatId, since);
    expect(markup.params.reply_markup).toBeUndefined();
    expect(h.tg.messages.get(`${chatId}:${long.message_id}`)!.reply_markup).toBeUndefined();
    const reply = await h.nextCall("sendMessage", chatId, since);
    expect(String(reply.params.text)).toMatch(STAMP);
    expect(reply.params.reply_parameters).toMatchObject({ message_id: long.message_id });
  });
});

describe("acknowledging in words", () => {
  for (const text of ["da nhan a", "Đã nhận ạ", "DA NHAN A", "em đã nhận được rồi ạ", "nhận được rồi", "ok đã nhận", "vâng ạ", "👍"]) {
    it(`acknowledges the one pending directive on ${JSON.stringify(text)}, keeping the exact text`, async () => {
      const { person, chatId } = await h.linkedPrincipal();
      const { directiveId, deliveryId } = await h.deliver(person.id, chatId);
      const answer = await h.say(chatId, text);
      expect(answer).toContain("Đã ghi nhận");
      expect(answer).toContain("Kế hoạch tự đánh giá năm 2026");
      const acks = await acksOf(person.id);
      expect(acks).toHaveLength(1);
      expect(acks[0]).toMatchObject({ directiveId, source: "TEXT", raw: text, channel: "TELEGRAM", deliveryId });
    });
  }

  it("takes a 👍 sticker as an acknowledgement", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId } = await h.deliver(person.id, chatId);
    const since = h.tg.calls.length;
    h.tg.pushUpdate({
      message: {
        message_id: 1,
        date: 0,
        from: { id: chatId, is_bot: false, first_name: "HT" },
        chat: { id: chatId, type: "private" },
        sticker: { file_id: "s1", file_unique_id: "s1", type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: "👍" },
      },
    });
    expect(String((await h.nextCall("sendMessage", chatId, since)).params.text)).toContain("Đã ghi nhận");
    expect(await acksOf(person.id)).toMatchObject([{ directiveId, source: "TEXT", raw: "👍" }]);
  });

  it("also keeps an acknowledgement that says more for the officer, and a plain one not", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const one = await h.deliver(person.id, chatId, { title: "Văn bản một" });
    expect(await h.say(chatId, "Dạ em đã nhận ạ")).toContain("Văn bản một");
    const two = await h.deliver(person.id, chatId, { title: "Văn bản hai" });
    const more = "Đã nhận, nhưng trường xin lùi hạn nộp sang thứ Sáu ạ";
    expect(await h.say(chatId, more)).toContain("Văn bản hai");
    expect((await acksOf(person.id)).map((a) => [a.directiveId, a.raw])).toEqual([
      [one.directiveId, "Dạ em đã nhận ạ"],
      [two.directiveId, more],
    ]);
    const kept = await h.db.inboundMessage.findMany({ where: { personId: person.id } });
    expect(kept.map((k) => [k.intent, k.directiveId, k.text])).toEqual([["ACK", two.directiveId, more]]);
  });

  it("says so a second time rather than recording twice", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId);
    expect(await h.say(chatId, "đã nhận")).toContain("Đã ghi nhận");
    // Nothing is pending any more, so a second "đã nhận" has nothing to acknowledge.
    expect(await h.say(chatId, "đã nhận ạ")).toContain("không có văn bản nào");
    expect(await acksOf(person.id)).toHaveLength(1);
  });

  it("asks which one when several are pending, then acknowledges the one picked and keeps offering the rest", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const a = await h.deliver(person.id, chatId, { title: "Báo cáo sơ kết học kỳ I năm học 2026–2027 của các trường trung học cơ sở" });
    const b = await h.deliver(person.id, chatId, { title: "Lịch kiểm tra cuối kỳ" });
    const c = await h.deliver(person.id, chatId, { title: "Tập huấn chuyển đổi số" });
    const since = h.tg.calls.length;
    h.tg.sendText(chatId, "da nhan");
    const question = await h.nextCall("sendMessage", chatId, since);
    expect(String(question.params.text)).toContain("văn bản nào");
    const rows = (question.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(rows.map((r) => r[0]!.callback_data).sort()).toEqual([`ack:${a.directiveId}`, `ack:${b.directiveId}`, `ack:${c.directiveId}`].sort());
    // Long titles are shortened on the button.
    expect(rows.find((r) => r[0]!.callback_data === `ack:${a.directiveId}`)![0]!.text).toMatch(/^✅ Báo cáo sơ kết .*…$/);
    expect(await acksOf(person.id)).toHaveLength(0);

    const list = h.tg.messagesTo(chatId).at(-1)!;
    const picked = await h.press(chatId, list.message_id, `ack:${a.directiveId}`);
    expect(picked.text).toBe("Đã ghi nhận");
    const confirmation = await h.nextCall("sendMessage", chatId, picked.since);
    expect(String(confirmation.params.text)).toContain("Báo cáo sơ kết học kỳ I");
    expect((await acksOf(person.id)).map((x) => [x.directiveId, x.source])).toEqual([[a.directiveId, "BUTTON"]]);
    const edit = await h.nextCall("editMessageReplyMarkup", chatId, picked.since);
    const left = JSON.stringify(edit.params.reply_markup);
    expect(left).toContain(`ack:${b.directiveId}`);
    expect(left).toContain(`ack:${c.directiveId}`);
    expect(left).not.toContain(`ack:${a.directiveId}`);
    // The list message itself is not stamped as if it were a directive.
    expect(h.tg.calls.slice(picked.since).some((x) => x.method === "editMessageText")).toBe(false);

    // A stale press on the one already acknowledged changes nothing; the last two empty the list.
    expect((await h.press(chatId, list.message_id, `ack:${a.directiveId}`)).text).toContain("đã xác nhận lúc");
    const pressB = await h.press(chatId, list.message_id, `ack:${b.directiveId}`);
    // The list's edit follows the callback answer; press again only once it is in.
    await h.nextCall("editMessageReplyMarkup", chatId, pressB.since);
    const last = await h.press(chatId, list.message_id, `ack:${c.directiveId}`);
    await h.nextCall("editMessageReplyMarkup", chatId, last.since);
    expect(h.tg.messages.get(`${chatId}:${list.message_id}`)!.reply_markup).toBeUndefined();
    expect((await acksOf(person.id)).map((x) => x.directiveId).sort()).toEqual([a.directiveId, b.directiveId, c.directiveId].sort());
  });

  it("acknowledges the directive named with #id even when several are pending", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const one = await h.deliver(person.id, chatId, { title: "Văn bản một" });
    const two = await h.deliver(person.id, chatId, { title: "Văn bản hai" });
    expect(await h.say(chatId, `đã nhận #${two.directiveId}`)).toContain("Văn bản hai");
    expect((await acksOf(person.id)).map((x) => x.directiveId)).toEqual([two.directiveId]);
    // Named again: already acknowledged, and when.
    expect(await h.say(chatId, `#${two.directiveId} da nhan`)).toMatch(/đã xác nhận «Văn bản hai» lúc \d\d:\d\d/);
    // A number that matches nothing sent: the principal picks from what is pending.
    const since = h.tg.calls.length;
    h.tg.sendText(chatId, "đã nhận #999999");
    const pick = await h.nextCall("sendMessage", chatId, since);
    expect(String(pick.params.text)).toContain("Không tìm thấy văn bản số 999999");
    expect(JSON.stringify(pick.params.reply_markup)).toContain(`ack:${one.directiveId}`);
    expect((await acksOf(person.id)).map((x) => x.directiveId)).toEqual([two.directiveId]);
  });

  it("takes a typed number for a line of /pending's numbered list, as on Zalo", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const older = await h.deliver(person.id, chatId, { title: "Văn bản cũ" });
    await h.deliver(person.id, chatId, { title: "Văn bản mới" });
    expect(await h.say(chatId, "/pending")).toMatch(/1\. Văn bản mới[\s\S]*2\. Văn bản cũ/);
    expect(await h.say(chatId, "số 2")).toContain("Văn bản cũ");
    expect((await acksOf(person.id)).map((x) => [x.directiveId, x.source, x.raw])).toEqual([[older.directiveId, "TEXT", "số 2"]]);
    expect(await h.say(chatId, "3")).toContain("không có số 3");
  });

  it("answers a number that matches nothing when nothing is pending", async () => {
    const { chatId } = await h.linkedPrincipal();
    expect(await h.say(chatId, "đã nhận #424242")).toContain("Không tìm thấy văn bản số 424242");
  });

  it("does not count a directive that asks for no acknowledgement as pending", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    await h.deliver(person.id, chatId, { requireAck: false });
    expect(await h.say(chatId, "đã nhận")).toContain("không có văn bản nào");
    expect(await acksOf(person.id)).toHaveLength(0);
  });
});

describe("replies that acknowledge nothing", () => {
  it("keeps 'not received', questions and unclear replies for the officer, with the pending directive", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId } = await h.deliver(person.id, chatId);
    expect(await h.say(chatId, "chưa nhận được file ạ")).toContain("chưa nhận được");
    expect(await h.say(chatId, "ko thay file")).toContain("chưa nhận được");
    expect(await h.say(chatId, "cho em hỏi hạn nộp là khi nào?")).toContain("Câu hỏi");
    expect(await h.say(chatId, "đã nhận chưa?")).toContain("Câu hỏi");
    expect(await h.say(chatId, "xin chào")).toContain("Đã chuyển tin nhắn");
    expect(await acksOf(person.id)).toHaveLength(0);
    const kept = await h.db.inboundMessage.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
    expect(kept.map((k) => [k.intent, k.directiveId, k.text, k.channel, k.externalChatId])).toEqual([
      ["DECLINE", directiveId, "chưa nhận được file ạ", "TELEGRAM", String(chatId)],
      ["DECLINE", directiveId, "ko thay file", "TELEGRAM", String(chatId)],
      ["QUESTION", directiveId, "cho em hỏi hạn nộp là khi nào?", "TELEGRAM", String(chatId)],
      ["QUESTION", directiveId, "đã nhận chưa?", "TELEGRAM", String(chatId)],
      ["UNKNOWN", directiveId, "xin chào", "TELEGRAM", String(chatId)],
    ]);
  });

  it("attaches a reply to the directive it names, else the pending one, else the latest delivered", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const first = await h.deliver(person.id, chatId, { title: "Văn bản cũ" });
    await h.say(chatId, `#${first.directiveId} đã nhận`);
    const second = await h.deliver(person.id, chatId, { title: "Văn bản mới", requireAck: false });
    await h.say(chatId, `#${first.directiveId} chưa mở được tệp`);
    await h.say(chatId, "cho em hỏi");
    const kept = await h.db.inboundMessage.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
    expect(kept.map((k) => k.directiveId)).toEqual([first.directiveId, second.directiveId]);
  });

  it("keeps a file sent back with its name, and a photo without words as such", async () => {
    const { person, chatId } = await h.linkedPrincipal();
    const { directiveId } = await h.deliver(person.id, chatId);
    const from = { id: chatId, is_bot: false, first_name: "HT" };
    const chat = { id: chatId, type: "private" };
    let since = h.tg.calls.length;
    h.tg.pushUpdate({
      message: { message_id: 1, date: 0, from, chat, caption: "Báo cáo của trường", document: { file_id: "d1", file_unique_id: "d1", file_name: "bao-cao.pdf" } },
    });
    expect(String((await h.nextCall("sendMessage", chatId, since)).params.text)).toContain("Đã chuyển tin nhắn");
    since = h.tg.calls.length;
    h.tg.pushUpdate({ message: { message_id: 2, date: 0, from, chat, photo: [{ file_id: "p1", file_unique_id: "p1", width: 90, height: 90 }] } });
    await h.nextCall("sendMessage", chatId, since);
    const kept = await h.db.inboundMessage.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
    expect(kept.map((k) => [k.intent, k.directiveId, k.text])).toEqual([
      ["UNKNOWN", directiveId, "[Tệp đính kèm: bao-cao.pdf]\nBáo cáo của trường"],
      ["UNKNOWN", directiveId, "[Tệp đính kèm: ảnh]"],
    ]);
    expect(await acksOf(person.id)).toHaveLength(0);
  });

  it("says nothing is pending, and explains linking to a stranger", async () => {
    const { chatId } = await h.linkedPrincipal();
    expect(await h.say(chatId, "đã nhận")).toContain("không có văn bản nào");
    const stranger = h.newChat();
    expect(await h.say(stranger, "đã nhận")).toContain("chưa được liên kết");
    expect(await h.db.inboundMessage.count({ where: { externalChatId: String(stranger) } })).toBe(0);
  });
});
