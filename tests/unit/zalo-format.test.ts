import { describe, expect, it } from "vitest";
import { formatZaloBotDirective, formatZaloBotReply } from "../../bot/channels/zalo-bot/format-zalo-bot.ts";
import { formatZaloOaDirective, formatZaloOaReply, parseZaloOaPayload, toZaloOaPayload } from "../../bot/channels/zalo-oa/format-zalo-oa.ts";
import { ZALO_OA_TEXT_LIMIT } from "../../bot/channels/zalo-oa/zalo-oa-client.ts";
import { formatDeadline } from "../../server/domain/format-deadline.ts";
import { parseJsonKeepingIds } from "../../server/domain/parse-json-keeping-ids.ts";
import { splitText } from "../../server/domain/split-text.ts";

const words = (s: string) =>
  s
    .replace(/\(tiếp theo \d+\/\d+\)/g, "")
    .split(/\s+/)
    .filter(Boolean);

describe("splitText", () => {
  it("breaks at a paragraph, else a line, else a space, else inside a word, never inside a surrogate pair", () => {
    expect(splitText("aaaa bbbb\n\ncccc", 12)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("aaaa bbbb\ncccc dd", 12)).toEqual(["aaaa bbbb", "cccc dd"]);
    expect(splitText("aaaa bbbb cccc", 12)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    const emoji = "ab😀cd";
    expect(splitText(emoji, 3)).toEqual(["ab", "😀c", "d"]);
    expect(splitText("", 10)).toEqual([""]);
  });
});

describe("formatDeadline", () => {
  it("writes Vietnam's time the way offices do", () => {
    expect(formatDeadline(new Date("2026-11-30T10:00:00Z"))).toBe("17h00 ngày 30/11/2026");
    expect(formatDeadline(new Date("2026-11-30T16:59:00Z"))).toBe("ngày 30/11/2026");
    expect(formatDeadline(new Date("2026-12-31T23:30:00Z"))).toBe("06h30 ngày 01/01/2027");
  });
});

describe("Zalo OA directive", () => {
  const base = {
    directiveId: 42,
    title: "Triển khai kiểm định",
    body: "Đề nghị các trường báo cáo.",
    issuerName: "Sở GD&ĐT",
    deadline: new Date("2026-11-30T10:00:00Z"),
    requireAck: true,
  };

  it("puts title, issuer, deadline and body in one text with an acknowledge button and a link", () => {
    const m = formatZaloOaDirective(base, { link: { label: "📄 Xem văn bản", url: "https://chidao.example.vn/verify/abc" } });
    expect(m.parts).toHaveLength(1);
    expect(m.parts[0]).toBe(
      "📢 Triển khai kiểm định\nSở GD&ĐT\n⏰ Hạn: 17h00 ngày 30/11/2026\n\nĐề nghị các trường báo cáo.\n\nBấm «✅ Đã nhận» hoặc trả lời «đã nhận» để xác nhận.",
    );
    expect(m.buttons).toEqual([
      { title: "✅ Đã nhận", type: "oa.query.hide", payload: "#ack:42" },
      { title: "📄 Xem văn bản", type: "oa.open.url", payload: { url: "https://chidao.example.vn/verify/abc" } },
    ]);
  });

  it("splits a long body on paragraphs within 2,000 characters without losing a word", () => {
    const paragraph = "Các trường thực hiện nghiêm túc việc tự đánh giá và báo cáo kết quả về Sở. ".repeat(9);
    const body = Array.from({ length: 14 }, (_, i) => `${i + 1}. ${paragraph.trim()}`).join("\n\n");
    const m = formatZaloOaDirective({ ...base, body });
    expect(m.parts.length).toBeGreaterThan(2);
    for (const p of m.parts) expect(p.length).toBeLessThanOrEqual(ZALO_OA_TEXT_LIMIT);
    expect(m.parts[1]).toMatch(/^\(tiếp theo 2\/\d+\)\n\n\d+\. Các trường/);
    // Paragraph breaks, not mid-paragraph: every part but the first starts a numbered paragraph.
    for (const p of m.parts.slice(1)) expect(p.split("\n\n")[1]).toMatch(/^\d+\. /);
    expect(m.parts.filter((p) => p.includes("Bấm «✅ Đã nhận»"))).toEqual([m.parts.at(-1)]);
    const all = words(m.parts.join("\n\n"));
    expect(all.join(" ")).toBe(
      words(`📢 Triển khai kiểm định\nSở GD&ĐT\n⏰ Hạn: 17h00 ngày 30/11/2026\n\n${body}\n\nBấm «✅ Đã nhận» hoặc trả lời «đã nhận» để xác nhận.`).join(" "),
    );
  });

  it("writes a directive without a body as its head and footer", () => {
    expect(formatZaloOaDirective({ ...base, body: "  ", deadline: null, issuerName: null }).parts).toEqual([
      "📢 Triển khai kiểm định\n\nBấm «✅ Đã nhận» hoặc trả lời «đã nhận» để xác nhận.",
    ]);
    expect(formatZaloOaDirective({ ...base, body: "", deadline: null, issuerName: null, requireAck: false }).parts).toEqual(["📢 Triển khai kiểm định"]);
  });

  it("normalises decomposed Vietnamese to NFC before measuring", () => {
    const m = formatZaloOaDirective({ ...base, title: "Triển khai".normalize("NFD"), requireAck: false });
    expect(m.parts[0]!.startsWith("📢 Triển khai\n")).toBe(true);
    expect(m.buttons).toEqual([]);
  });

  it("reads back a button payload and leaves typed text alone", () => {
    expect(parseZaloOaPayload(toZaloOaPayload("ack:42"))).toBe("ack:42");
    expect(parseZaloOaPayload(" #pick:7 ")).toBe("pick:7");
    expect(parseZaloOaPayload("đã nhận")).toBeNull();
    expect(parseZaloOaPayload("#ack: 42")).toBeNull();
    expect(parseZaloOaPayload("# ack:42")).toBeNull();
  });
});

describe("neutral replies", () => {
  const choices = [1, 2, 3, 4, 5].map((i) => ({ label: `Chỉ thị số ${i}`, payload: `ack:${i}` }));

  it("Zalo OA: choices become hidden-query buttons, too many become numbered lines", () => {
    const few = formatZaloOaReply({ text: "Xác nhận chỉ thị nào?", choices: choices.slice(0, 4), link: { label: "Mở", url: "https://x.vn" } });
    expect(few.buttons.map((b) => b.type)).toEqual(["oa.query.hide", "oa.query.hide", "oa.query.hide", "oa.query.hide", "oa.open.url"]);
    expect(few.buttons[0]).toMatchObject({ payload: "#ack:1" });
    const many = formatZaloOaReply({ text: "Xác nhận chỉ thị nào?", choices, link: { label: "Mở", url: "https://x.vn" } });
    expect(many.buttons).toEqual([{ title: "Mở", type: "oa.open.url", payload: { url: "https://x.vn" } }]);
    expect(many.parts[0]).toContain("\n1. Chỉ thị số 1\n");
    expect(many.parts[0]).toContain("5. Chỉ thị số 5");
  });

  it("Zalo Bot: choices are numbered text options, the link is written out", () => {
    const text = formatZaloBotReply({ text: "Xác nhận chỉ thị nào?", choices: choices.slice(0, 2), link: { label: "Văn bản", url: "https://x.vn/v/1" } });
    expect(text).toBe("Xác nhận chỉ thị nào?\n\n1. Chỉ thị số 1\n2. Chỉ thị số 2\n\nTrả lời bằng số thứ tự, ví dụ «1».\n\nVăn bản: https://x.vn/v/1");
    const d = formatZaloBotDirective({ title: "Tựu trường", body: "Nội dung", issuerName: null, deadline: new Date("2026-11-30T10:00:00Z"), requireAck: true });
    expect(d).toBe("📢 Tựu trường\n⏰ Hạn: 17h00 ngày 30/11/2026\n\nNội dung\n\nTrả lời «đã nhận» để xác nhận.");
  });
});

describe("parseJsonKeepingIds", () => {
  it("keeps integers past 2^53 exactly, as strings, and leaves everything else as JSON.parse does", () => {
    const raw = '{"user_id": 8471234567890123456, "n": 12, "neg": -9007199254740993, "f": 12345678901234567.5, "s": "id 8471234567890123456 \\" 9", "a": [1234567890123456789]}';
    expect(parseJsonKeepingIds(raw)).toEqual({
      user_id: "8471234567890123456",
      n: 12,
      neg: "-9007199254740993",
      f: Number("12345678901234567.5"),
      s: 'id 8471234567890123456 " 9',
      a: ["1234567890123456789"],
    });
    expect(JSON.parse(raw).user_id).not.toBe(8471234567890123456n.toString());
  });
});
