import { describe, expect, it } from "vitest";
import { findUnstorableText, isStorableText, unstorableTextPaths } from "../../server/domain/text.ts";

describe("isStorableText", () => {
  it.each([
    ["", true],
    ["Sở Giáo dục và Đào tạo", true],
    ["Tiếng Việt".normalize("NFD"), true],
    ["🎉 a surrogate pair", true],
    ["tab\tand\nnew line", true],
    ["\uFFFD replacement character", true],
    ["a\u0000b", false],
    ["\u0000", false],
    ["lone high \uD800", false],
    ["\uD800 lone high first", false],
    ["lone low \uDC00", false],
    ["reversed pair \uDE00\uD83D", false],
    ["two highs \uD83D\uD83D\uDE00", false],
  ])("%j → %s", (s, ok) => {
    expect(isStorableText(s)).toBe(ok);
  });
});

describe("findUnstorableText", () => {
  it.each([
    [{ email: "a@b.vn", list: ["x", { y: "z" }] }, null],
    ["a\u0000", "(body)"],
    [{ email: "a\u0000@b.vn" }, "email"],
    [{ data: { items: ["ok", { text: "\uD800" }] } }, "data.items.1.text"],
    [{ ["k\u0000"]: 1 }, "k\\u0000"],
    [{ n: 1, b: true, z: null }, null],
  ])("%j → %s", (value, path) => {
    expect(findUnstorableText(value)).toBe(path);
  });

  it("lists every bad path in document order, up to a cap", () => {
    expect(unstorableTextPaths({ template: "a\u0000", issuer: "SGD\u0000", data: { ok: "x", list: ["\uD800", "y"] } })).toEqual(["template", "issuer", "data.list.0"]);
    expect(
      unstorableTextPaths(
        Array.from({ length: 50 }, () => "\u0000"),
        20,
      ),
    ).toHaveLength(20);
  });

  it("walks input nested far deeper than the call stack would allow", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toMatch(/^0(\.0)+$/);
  });
});
