import { describe, expect, it } from "vitest";
import { escapeHtml, formatDirective, TELEGRAM_TEXT_LIMIT } from "../../bot/channels/telegram/format-directive.ts";
import { formatDeadline } from "../../server/domain/format-deadline.ts";
import { splitText as splitPlainText } from "../../server/domain/split-text.ts";
import { parseTelegramHtml } from "../helpers/fake-telegram.ts";

describe("formatDeadline", () => {
  it("writes Vietnam's time the way offices do", () => {
    expect(formatDeadline(new Date("2026-11-30T10:00:00Z"))).toBe("17h00 ngày 30/11/2026");
    expect(formatDeadline(new Date("2026-01-04T16:59:00Z"))).toBe("ngày 04/01/2026");
    // 23:30 UTC on 31 Dec is already 1 January in Hanoi.
    expect(formatDeadline(new Date("2026-12-31T23:30:00Z"))).toBe("06h30 ngày 01/01/2027");
  });
});

describe("formatDirective", () => {
  const base = {
    title: "Triển khai <kiểm định> & đánh giá",
    body: "Đề nghị các trường báo cáo.",
    issuerName: "Sở GD&ĐT",
    deadline: new Date("2026-11-30T10:00:00Z"),
    requireAck: true,
  };

  it("escapes user text so Telegram parses it back exactly", () => {
    const { texts } = formatDirective(base);
    expect(texts).toHaveLength(1);
    const parsed = parseTelegramHtml(texts[0]!);
    expect(parsed.text).toContain("📢 Triển khai <kiểm định> & đánh giá");
    expect(parsed.text).toContain("Sở GD&ĐT");
    expect(parsed.text).toContain("⏰ Hạn: 17h00 ngày 30/11/2026");
    expect(parsed.text).toContain("Đề nghị các trường báo cáo.");
    expect(parsed.entities.some((e) => e.type === "bold")).toBe(true);
  });

  it("splits a long body into messages within Telegram's limit without losing a character", () => {
    const paragraph = "Các trường thực hiện nghiêm túc <b>việc</b> tự đánh giá & báo cáo kết quả. ".repeat(20);
    const body = Array.from({ length: 12 }, (_, i) => `${i + 1}. ${paragraph}`).join("\n\n");
    const { texts } = formatDirective({ ...base, body });
    expect(texts.length).toBeGreaterThan(1);
    const plain = texts.map((t) => parseTelegramHtml(t).text);
    for (const p of plain) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(plain[1]).toMatch(/^\(tiếp theo 2\/\d+\)/);
    const words = (s: string) =>
      s
        .replace(/\(tiếp theo \d+\/\d+\)/g, "")
        .split(/\s+/)
        .filter(Boolean);
    const joined = words(plain.join(" ")).join(" ");
    expect(joined).toContain(words(body).join(" "));
  });

  it("cuts a word longer than a message and never splits a surrogate pair", () => {
    const pieces = splitPlainText("😀".repeat(5000), 4000, 4000);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4000);
    expect(pieces.join("")).toBe("😀".repeat(5000));
    expect(pieces.every((p) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it("escapes only what Telegram's HTML mode needs", () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe(`a&lt;b&gt;&amp;"c'`);
  });
});
