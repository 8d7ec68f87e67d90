import { describe, expect, it } from "vitest";
import { ackPayload as ackData, parseAckPayload as parseAckData } from "../../bot/conversation/ack-payload.ts";
import { linkCodeIn, pastedLinkCode } from "../../bot/conversation/pasted-link-code.ts";
import { pendingChoices, pendingListText, shortenTitle } from "../../bot/conversation/pending-list.ts";
import { inlineKeyboardOf } from "../../bot/channels/telegram/telegram-keyboard.ts";

const pendingKeyboard = (items: Parameters<typeof pendingChoices>[0]) => inlineKeyboardOf(pendingChoices(items));

describe("ack button data", () => {
  it("round-trips ack:<id> and refuses anything else", () => {
    expect(parseAckData(ackData(42))).toBe(42);
    for (const bad of ["ack:", "ack:-1", "ack:1.5", "ack:12345678901", "pick:3", " ack:3", "ack:3 "]) expect(parseAckData(bad)).toBeNull();
  });

  it("stays far below Telegram's 64-byte callback_data limit", () => {
    expect(Buffer.byteLength(ackData(999_999_999))).toBeLessThanOrEqual(64);
  });
});

describe("shortenTitle", () => {
  it("keeps short titles and cuts long ones on a character boundary with an ellipsis", () => {
    expect(shortenTitle("  Lịch thi  ")).toBe("Lịch thi");
    const long = "Kế hoạch tổ chức kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2026–2027";
    const short = shortenTitle(long, 20);
    expect([...short]).toHaveLength(20);
    expect(short.endsWith("…")).toBe(true);
    // An emoji (two UTF-16 units) is never split in half.
    const cut = shortenTitle("📢📢📢📢📢📢", 4);
    expect(cut).toBe("📢📢📢…");
  });
});

describe("pending list", () => {
  const items = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `Văn bản ${i + 1}`, deadline: i === 0 ? new Date("2026-11-30T16:59:00Z") : null, publishedAt: null }));

  it("lists at most ten with deadlines in Vietnam's time and counts the rest", () => {
    const text = pendingListText("vi", items);
    expect(text.split("\n")).toEqual([
      "Văn bản chờ xác nhận (12):",
      "1. Văn bản 1 — hạn ngày 30/11/2026",
      ...Array.from({ length: 9 }, (_, i) => `${i + 2}. Văn bản ${i + 2}`),
      "… và 2 văn bản khác",
    ]);
    expect(pendingListText("en", items.slice(0, 1))).toContain("30/11/2026");
  });

  it("puts one ack button per row and no empty rows", () => {
    const kb = pendingKeyboard(items);
    expect(kb.inline_keyboard).toHaveLength(10);
    expect(kb.inline_keyboard.every((row) => row.length === 1)).toBe(true);
    expect(kb.inline_keyboard[0]![0]).toEqual({ text: "✅ Văn bản 1", callback_data: "ack:1" });
    expect(pendingKeyboard([]).inline_keyboard).toEqual([]);
  });
});

describe("pastedLinkCode", () => {
  it("reads a bare code or a t.me link, and nothing shorter or with spaces", () => {
    expect(pastedLinkCode(" Qm9yZWFsLWNvZGUtMDAx_- ")).toBe("Qm9yZWFsLWNvZGUtMDAx_-");
    expect(pastedLinkCode("https://t.me/chidao_bot?start=abc_DEF-1")).toBe("abc_DEF-1");
    expect(pastedLinkCode("t.me/chidao_bot?start=xyz")).toBe("xyz");
    for (const text of ["đã nhận", "short", "two words here and more", "https://example.com/?start=abc", "Qm9yZWFsLWNvZGUtMDAx_-?"]) expect(pastedLinkCode(text)).toBeNull();
  });
});

describe("linkCodeIn", () => {
  it("finds a code alone, in a link, or inside a sentence, and nothing in ordinary words or links", () => {
    expect(linkCodeIn("Qm9yZWFsLWNvZGUtMDAx_-")).toBe("Qm9yZWFsLWNvZGUtMDAx_-");
    expect(linkCodeIn("Mã của trường em là «Qm9yZWFsLWNvZGUtMDAx_-», nhờ anh kiểm tra.")).toBe("Qm9yZWFsLWNvZGUtMDAx_-");
    expect(linkCodeIn("/start abc nope")).toBeNull();
    for (const text of ["đã nhận", "Trường chưa nhận được công văn số 125/SGDĐT", "https://example.com/a-long-path-segment-here", "abcdefghijklmnopqrstuv ok"])
      expect(linkCodeIn(text)).toBeNull();
  });
});
