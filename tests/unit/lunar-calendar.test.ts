import { describe, expect, it } from "vitest";
import { isoDate } from "../../server/domain/iso-date.ts";
import { lunarToSolar, solarToLunar } from "../../server/domain/lunar-calendar.ts";
import { GIO_TO_DATES, TET_DATES } from "../fixtures/lunar-calendar-dates.ts";

const iso = (d: { year: number; month: number; day: number }): string => isoDate(d.year, d.month, d.day);
const parts = (s: string) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });

describe("Vietnamese lunar calendar", () => {
  it("puts Tết on the published date every year from 1990 to 2050, both ways", () => {
    expect(TET_DATES).toHaveLength(61);
    for (const [year, tet] of TET_DATES) {
      expect(iso(lunarToSolar({ year, month: 1, day: 1 })), `Tết ${year}`).toBe(tet);
      expect(solarToLunar(parts(tet)), `Tết ${year}`).toEqual({ year, month: 1, day: 1, leap: false });
    }
  });

  it("finds each year's leap month where the published table has one, and no other", () => {
    // Every day of 1990–2049, checked by hand and compared once: 22,000 expect() calls are slow on a busy machine.
    const found: [number, number][] = [];
    const wrongYear: string[] = [];
    for (let i = 0; i < TET_DATES.length - 1; i++) {
      const [year, tet] = TET_DATES[i]!;
      const next = TET_DATES[i + 1]![1];
      const leapMonths = new Set<number>();
      for (let d = new Date(`${tet}T00:00:00Z`); d.toISOString().slice(0, 10) < next; d.setUTCDate(d.getUTCDate() + 1)) {
        const l = solarToLunar(parts(d.toISOString().slice(0, 10)));
        if (l.year !== year) wrongYear.push(d.toISOString().slice(0, 10));
        if (l.leap) leapMonths.add(l.month);
      }
      found.push([year, [...leapMonths].reduce((a, b) => a * 100 + b, 0)]);
    }
    expect(wrongYear).toEqual([]);
    expect(found).toEqual(TET_DATES.slice(0, -1).map(([year, , leapMonth]) => [year, leapMonth]));
  });

  it("puts Giỗ Tổ (10/3) on the published dates, leap months before and after month 3 included", () => {
    for (const [year, date] of GIO_TO_DATES) expect(iso(lunarToSolar({ year, month: 3, day: 10 })), `Giỗ Tổ ${year}`).toBe(date);
  });

  it("follows UTC+7 where the Chinese calendar (UTC+8) differs", () => {
    expect(solarToLunar({ year: 1985, month: 1, day: 21 })).toEqual({ year: 1985, month: 1, day: 1, leap: false });
    expect(iso(lunarToSolar({ year: 2007, month: 1, day: 1 }))).toBe("2007-02-17");
    expect(iso(lunarToSolar({ year: 2030, month: 1, day: 1 }))).toBe("2030-02-02");
  });

  it("converts leap-month dates and refuses a leap month the year does not have", () => {
    expect(iso(lunarToSolar({ year: 2023, month: 2, day: 1, leap: true }))).toBe("2023-03-22");
    expect(solarToLunar({ year: 2023, month: 3, day: 22 })).toEqual({ year: 2023, month: 2, day: 1, leap: true });
    expect(() => lunarToSolar({ year: 2023, month: 3, day: 1, leap: true })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2024, month: 2, day: 1, leap: true })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2024, month: 13, day: 1 })).toThrow(RangeError);
  });

  it("round-trips every day of 2024–2028", () => {
    for (let d = new Date("2024-01-01T00:00:00Z"); d < new Date("2029-01-01T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
      const solar = parts(d.toISOString().slice(0, 10));
      expect(lunarToSolar(solarToLunar(solar))).toEqual(solar);
    }
  });
});
