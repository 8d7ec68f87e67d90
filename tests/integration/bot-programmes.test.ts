import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotHarness, type BotHarness } from "../helpers/bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.stop();
});

const STEPS = ["Tự đánh giá và hoàn thành báo cáo tự đánh giá", "Đăng ký đánh giá ngoài", "Đánh giá ngoài và đánh giá lại", "Công nhận và cấp giấy chứng nhận"];

const DUES = ["2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"];

/** A principal with an accreditation programme delivered, its steps due in 2027. */
async function programme() {
  const { person, chatId } = await h.linkedPrincipal();
  const delivered = await h.deliver(person.id, chatId, { title: "Kiểm định chất lượng 2027" });
  await h.db.acknowledgement.create({ data: { directiveId: delivered.directiveId, personId: person.id, channel: "TELEGRAM", source: "BUTTON", raw: "ack" } });
  await h.db.checklistStep.createMany({
    data: STEPS.map((title, i) => ({ directiveId: delivered.directiveId, n: i + 1, title, dueAt: new Date(`${DUES[i]}T16:59:59Z`) })),
  });
  const progress = async () =>
    (await h.db.stepProgress.findMany({ where: { step: { directiveId: delivered.directiveId } }, include: { step: true }, orderBy: { step: { n: "asc" } } })).map((p) => ({
      n: p.step.n,
      status: p.status,
      note: p.note,
      channel: p.channel,
      raw: p.raw,
    }));
  return { person, chatId, ...delivered, progress };
}

describe("status replies in words", () => {
  for (const [text, n, status] of [
    ["xong bước 1", 1, "DONE"],
    ["xong buoc 1", 1, "DONE"],
    ["Bước 2 đang làm ạ", 2, "IN_PROGRESS"],
    ["đã nộp báo cáo tự đánh giá", 1, "DONE"],
    ["da gui cong van dang ky danh gia ngoai", 2, "DONE"],
  ] as const) {
    it(`records ${JSON.stringify(text)} as step ${n} ${status}, and offers the next step's buttons`, async () => {
      const p = await programme();
      const since = h.tg.calls.length;
      h.tg.sendText(p.chatId, text);
      const reply = await h.nextCall("sendMessage", p.chatId, since);
      expect(String(reply.params.text)).toContain(`bước ${n}`);
      expect(await p.progress()).toEqual([{ n, status, note: null, channel: "TELEGRAM", raw: text }]);
      const buttons = JSON.stringify(reply.params.reply_markup);
      const next = status === "DONE" && n === 1 ? 2 : 1;
      expect(buttons).toContain(`st:${p.directiveId}:${next}:d`);
    });
  }

  it("keeps a blocked step's note as written and puts it on the checklist", async () => {
    const p = await programme();
    const answer = await h.say(p.chatId, "vướng: chưa có minh chứng tiêu chí 2.3");
    expect(answer).toContain("vướng mắc");
    expect(await p.progress()).toEqual([{ n: 1, status: "BLOCKED", note: "chưa có minh chứng tiêu chí 2.3", channel: "TELEGRAM", raw: "vướng: chưa có minh chứng tiêu chí 2.3" }]);
  });

  for (const text of ["chưa xong bước 1", "xong chưa?", "bước 2 nộp ở đâu ạ", "không kịp nộp"]) {
    it(`changes nothing on ${JSON.stringify(text)}: kept for the officer, and the principal told how to answer`, async () => {
      const p = await programme();
      const answer = await h.say(p.chatId, text);
      expect(answer).toContain("xong bước 1");
      expect(await p.progress()).toEqual([]);
      const kept = await h.db.inboundMessage.findMany({ where: { personId: p.person.id } });
      expect(kept.map((k) => [k.text, k.directiveId])).toEqual([[text, p.directiveId]]);
    });
  }

  it("names a step that does not exist: nothing changes, the words are kept", async () => {
    const p = await programme();
    expect(await h.say(p.chatId, "xong bước 9")).toContain("4 bước");
    expect(await p.progress()).toEqual([]);
    expect(await h.db.inboundMessage.count({ where: { personId: p.person.id } })).toBe(1);
  });
});

describe("checklist buttons", () => {
  it("records a press, answers it, and offers the following step", async () => {
    const p = await programme();
    const { text, since } = await h.press(p.chatId, p.messageId, `st:${p.directiveId}:1:d`);
    expect(text).toBe("Đã ghi nhận");
    const reply = await h.nextCall("sendMessage", p.chatId, since);
    expect(String(reply.params.text)).toMatch(
      /bước 1 .* đã xong[\s\S]*Bước tiếp theo: 2\. Đăng ký đánh giá ngoài — hạn ngày 30\/04\/2027|Bước tiếp theo: 2\. Đăng ký đánh giá ngoài/,
    );
    expect(JSON.stringify(reply.params.reply_markup)).toContain(`st:${p.directiveId}:2:p`);
    expect((await p.progress())[0]).toMatchObject({ n: 1, status: "DONE", raw: `st:${p.directiveId}:1:d` });
  });

  it("refuses another school's programme and a stranger", async () => {
    const p = await programme();
    const other = await h.linkedPrincipal();
    expect((await h.press(other.chatId, p.messageId, `st:${p.directiveId}:1:d`)).alert).toBe(true);
    expect((await h.press(h.newChat(), p.messageId, `st:${p.directiveId}:1:d`)).text).toContain("chưa được liên kết");
    expect(await p.progress()).toEqual([]);
  });
});

describe("extension requests in chat", () => {
  it("turns «xin gia hạn đến 15/3/2027» into a pending request for the current step", async () => {
    const p = await programme();
    await h.say(p.chatId, "xong bước 1");
    const answer = await h.say(p.chatId, "xin gia hạn đến 15/3/2027");
    expect(answer).toContain("Đã gửi đề nghị gia hạn bước 2");
    expect(answer).toContain("ngày 15/03/2027");
    const requests = await h.db.extensionRequest.findMany({ where: { directiveId: p.directiveId }, include: { step: true } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ status: "PENDING", text: "xin gia hạn đến 15/3/2027", channel: "TELEGRAM" });
    expect(requests[0]!.step!.n).toBe(2);
    expect(requests[0]!.requestedUntil.toISOString()).toBe("2027-03-15T16:59:59.000Z");
  });

  it("counts «xin lùi hạn 1 tuần» from the step's due date", async () => {
    const p = await programme();
    await h.say(p.chatId, "xin lùi hạn 1 tuần");
    const [r] = await h.db.extensionRequest.findMany({ where: { directiveId: p.directiveId } });
    expect(r!.requestedUntil.toISOString()).toBe("2027-04-07T16:59:59.000Z");
  });

  it("asks for the date when the words give none, and records nothing", async () => {
    const p = await programme();
    expect(await h.say(p.chatId, "xin gia hạn ạ")).toContain("ghi rõ hạn mới");
    expect(await h.db.extensionRequest.count({ where: { directiveId: p.directiveId } })).toBe(0);
  });
});

describe("/pending", () => {
  it("lists the steps not done with their due dates, and the buttons of the first", async () => {
    const p = await programme();
    await h.say(p.chatId, "xong bước 1");
    const since = h.tg.calls.length;
    h.tg.sendCommand(p.chatId, "/pending");
    const reply = await h.nextCall("sendMessage", p.chatId, since);
    const text = String(reply.params.text);
    expect(text).toContain("Các bước còn lại:");
    expect(text).toContain(`Kiểm định chất lượng 2027 (#${p.directiveId})`);
    expect(text).not.toContain("1. Tự đánh giá");
    expect(text).toContain("2. Đăng ký đánh giá ngoài — hạn ngày 30/04/2027 (chưa bắt đầu)");
    expect(JSON.stringify(reply.params.reply_markup)).toContain(`st:${p.directiveId}:2:d`);
  });

  it("still acknowledges a plain directive in words when a programme is open", async () => {
    const p = await programme();
    const plain = await h.deliver(p.person.id, p.chatId, { title: "Công văn về an toàn trường học" });
    expect(await h.say(p.chatId, "đã nhận ạ")).toContain("Đã ghi nhận");
    expect(await h.db.acknowledgement.count({ where: { directiveId: plain.directiveId, personId: p.person.id } })).toBe(1);
    expect(await p.progress()).toEqual([]);
  });
});
