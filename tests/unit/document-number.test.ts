import { describe, expect, it } from "vitest";
import { formatDateLine, formatDocumentDate, formatDocumentSymbol, padNumber, vietnamYear } from "../../server/domain/document-number.ts";

describe("document numbers and dates (ND 30/2020)", () => {
  it("pads numbers below 10", () => {
    expect([1, 9, 10, 15, 1581].map(padNumber)).toEqual(["01", "09", "10", "15", "1581"]);
  });
  it("pads days below 10 and only the months January and February", () => {
    expect(formatDocumentDate(new Date("2026-01-05T03:00:00Z"))).toBe("ngày 05 tháng 01 năm 2026");
    expect(formatDocumentDate(new Date("2026-02-28T03:00:00Z"))).toBe("ngày 28 tháng 02 năm 2026");
    expect(formatDocumentDate(new Date("2026-03-15T03:00:00Z"))).toBe("ngày 15 tháng 3 năm 2026");
    expect(formatDocumentDate(new Date("2026-11-20T03:00:00Z"))).toBe("ngày 20 tháng 11 năm 2026");
    expect(formatDateLine("Thành phố Hồ Chí Minh", new Date("2019-06-29T03:00:00Z"))).toBe("Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019");
  });
  it("uses Vietnam's calendar day and year", () => {
    // 31 Dec 2025 20:00 UTC is already 1 January 2026 in Hanoi.
    expect(formatDocumentDate(new Date("2025-12-31T20:00:00Z"))).toBe("ngày 01 tháng 01 năm 2026");
    expect(vietnamYear(new Date("2025-12-31T20:00:00Z"))).toBe(2026);
  });
  it("composes số và ký hiệu with and without a type code", () => {
    expect(formatDocumentSymbol({ number: 15, typeAbbreviation: "CT", issuerSymbol: "UBND" })).toBe("15/CT-UBND");
    expect(formatDocumentSymbol({ number: 2, typeAbbreviation: "QĐ", issuerSymbol: "SGDĐT" })).toBe("02/QĐ-SGDĐT");
    expect(formatDocumentSymbol({ number: 1581, typeAbbreviation: null, issuerSymbol: "SGDĐT", draftingUnit: "KTKĐ" })).toBe("1581/SGDĐT-KTKĐ");
  });
});
