import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../server/domain/phone.ts";

describe("normalizePhone", () => {
  it.each([
    ["0903123456", "+84903123456"],
    ["0903 123 456", "+84903123456"],
    ["0903.123.456", "+84903123456"],
    ["+84 903 123 456", "+84903123456"],
    ["+84 (0) 903-123-456", "+84903123456"],
    ["84903123456", "+84903123456"],
    ["0084903123456", "+84903123456"],
    ["903123456", "+84903123456"], // a numeric Excel cell that lost its leading zero
    ["0352000111", "+84352000111"],
    ["０９０３１２３４５６", "+84903123456"], // full-width digits from some IMEs
  ])("%s → %s", (raw, e164) => expect(normalizePhone(raw)).toBe(e164));

  it.each(["", "12345", "0123456789", "01693123456", "+1 650 253 0000", "0903 123 45", "0903123456789", "abc", "0203123456"])("rejects %j", (raw) =>
    expect(normalizePhone(raw)).toBeNull(),
  );
});
