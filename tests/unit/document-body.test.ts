import { describe, expect, it } from "vitest";
import { endWithClosingMark, parseBody, parseRuns } from "../../server/documents/parse-body.ts";

describe("body syntax", () => {
  it("reads **bold** and *italic* runs closed on the same line", () => {
    expect(parseRuns("đề nghị **khẩn trương** hoàn thành *trước ngày 30/11*.")).toEqual([
      { text: "đề nghị ", style: "regular" },
      { text: "khẩn trương", style: "bold" },
      { text: " hoàn thành ", style: "regular" },
      { text: "trước ngày 30/11", style: "italic" },
      { text: ".", style: "regular" },
    ]);
  });
  it("keeps unbalanced or empty markers as text", () => {
    expect(parseRuns("**không đóng và *nghiêng")).toEqual([{ text: "**không đóng và *nghiêng", style: "regular" }]);
    expect(parseRuns("5 * 3 = 15, a ** b")).toEqual([{ text: "5 * 3 = 15, a ** b", style: "regular" }]);
    expect(parseRuns("<b>x</b> &amp;")).toEqual([{ text: "<b>x</b> &amp;", style: "regular" }]);
  });
  it("recognises numbering and bullets at line start; blank lines only separate", () => {
    const blocks = parseBody("Mở đầu\n\n1. Mục đích\n2.1. Chi tiết\na) Điểm a\nđ) Điểm đ\n- Gạch\n+ Cộng\nKết thúc 1. không phải mục");
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "item", "item", "item", "item", "item", "item", "paragraph"]);
  });
  it("ends the body with ./. once", () => {
    const once = endWithClosingMark(parseBody("Trân trọng."));
    expect(
      once
        .at(-1)!
        .runs.map((r) => r.text)
        .join(""),
    ).toBe("Trân trọng./.");
    expect(endWithClosingMark(once)).toEqual(once);
  });
});
