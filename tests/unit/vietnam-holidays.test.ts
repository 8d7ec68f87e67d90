import { describe, expect, it } from "vitest";
import { statutoryHolidays } from "../../server/domain/vietnam-holidays.ts";
import { createWorkingCalendar } from "../../server/domain/working-calendar.ts";

const offWeekdays = (year: number): string[] => {
  const calendar = createWorkingCalendar([]);
  const out: string[] = [];
  for (let d = new Date(`${year}-01-01T00:00:00Z`); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.getUTCDay();
    const iso = d.toISOString().slice(0, 10);
    if (day !== 0 && day !== 6 && !calendar.isWorkingDay(iso)) out.push(iso.slice(5));
  }
  return out;
};

describe("statutory holidays", () => {
  it("2023: Tết on Sunday 22/1 gives 20–26/1; Giỗ Tổ Saturday 29/4 and 30/4 Sunday give 29/4–3/5, as the notices did", () => {
    expect(offWeekdays(2023)).toEqual(["01-02", "01-20", "01-23", "01-24", "01-25", "01-26", "05-01", "05-02", "05-03", "09-01", "09-04"]);
  });

  it("2024: Tết on Saturday 10/2 gives 8–14/2; Giỗ Tổ 18/4; Quốc khánh 2–3/9", () => {
    expect(offWeekdays(2024)).toEqual(["01-01", "02-08", "02-09", "02-12", "02-13", "02-14", "04-18", "04-30", "05-01", "09-02", "09-03"]);
  });

  it("2025: Tết 27–31/1, Giỗ Tổ 7/4, 30/4, 1/5, Quốc khánh 1–2/9", () => {
    expect(offWeekdays(2025)).toEqual(["01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01", "09-01", "09-02"]);
  });

  it("2026: Tết 16–20/2 (Sunday 15/2 made up on 20/2), Giỗ Tổ Sunday 26/4 made up on Monday 27/4, 24/11", () => {
    expect(offWeekdays(2026)).toEqual(["01-01", "02-16", "02-17", "02-18", "02-19", "02-20", "04-27", "04-30", "05-01", "09-01", "09-02", "11-24"]);
    const tet = statutoryHolidays(2026).filter((h) => h.date.startsWith("2026-02"));
    expect(tet.map((h) => [h.date, h.name])).toEqual([
      ["2026-02-15", "Tết Âm lịch (28 tháng Chạp)"],
      ["2026-02-16", "Tết Âm lịch (29 tháng Chạp)"],
      ["2026-02-17", "Tết Âm lịch (1 tháng Giêng)"],
      ["2026-02-18", "Tết Âm lịch (2 tháng Giêng)"],
      ["2026-02-19", "Tết Âm lịch (3 tháng Giêng)"],
      ["2026-02-20", "Nghỉ bù Tết Âm lịch (28 tháng Chạp)"],
    ]);
    expect(statutoryHolidays(2026).find((h) => h.date === "2026-04-27")).toEqual({
      date: "2026-04-27",
      name: "Nghỉ bù Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
      inLieuOf: "2026-04-26",
    });
  });

  it("2027: Tết on Saturday 6/2 gives 4–10/2; 1/5 Saturday made up on 3/5; Quốc khánh 2–3/9", () => {
    expect(offWeekdays(2027)).toEqual(["01-01", "02-04", "02-05", "02-08", "02-09", "02-10", "04-16", "04-30", "05-03", "09-02", "09-03", "11-24"]);
  });

  it("has 11 statutory days before 2026 and 12 from 2026, every year to 2050", () => {
    for (let year = 2000; year <= 2050; year++) {
      const own = statutoryHolidays(year).filter((h) => !h.inLieuOf);
      expect(own, String(year)).toHaveLength(year >= 2026 ? 12 : 11);
      const inLieu = statutoryHolidays(year).filter((h) => h.inLieuOf);
      const weekend = own.filter((h) => [0, 6].includes(new Date(`${h.date}T00:00:00Z`).getUTCDay()));
      expect(inLieu, String(year)).toHaveLength(weekend.length);
      expect(offWeekdays(year), String(year)).toHaveLength(own.length);
    }
  });

  it("picks the Quốc khánh day that joins the weekend", () => {
    const adjacent = (year: number) => statutoryHolidays(year).find((h) => h.name === "Quốc khánh (ngày liền kề)")!.date;
    expect(adjacent(2024)).toBe("2024-09-03"); // 2/9 Monday
    expect(adjacent(2025)).toBe("2025-09-01"); // Tuesday
    expect(adjacent(2021)).toBe("2021-09-03"); // Thursday
    expect(adjacent(2022)).toBe("2022-09-01"); // Friday
    expect(adjacent(2023)).toBe("2023-09-01"); // Saturday: Friday off, Monday 4/9 in lieu
    expect(offWeekdays(2023).filter((d) => d.startsWith("09"))).toEqual(["09-01", "09-04"]);
  });
});

describe("working calendar", () => {
  it("lets an administrator's adjustment override weekends and holidays", () => {
    const calendar = createWorkingCalendar([
      { date: "2026-12-05", kind: "WORKING", note: "Làm bù" },
      { date: "2026-12-04", kind: "OFF", note: "Hoán đổi" },
      { date: "2026-09-01", kind: "WORKING" },
    ]);
    expect(calendar.isWorkingDay("2026-12-05")).toBe(true);
    expect(calendar.isWorkingDay("2026-12-04")).toBe(false);
    expect(calendar.isWorkingDay("2026-09-01")).toBe(true);
    expect(calendar.isWorkingDay("2026-12-06")).toBe(false);
    expect(calendar.isWorkingDay("2026-12-07")).toBe(true);
  });

  it("adds and counts working days across a weekend and Tết", () => {
    const calendar = createWorkingCalendar([]);
    expect(calendar.addWorkingDays("2026-11-27", 1)).toBe("2026-11-30"); // Friday → Monday
    expect(calendar.addWorkingDays("2026-11-30", -1)).toBe("2026-11-27");
    expect(calendar.addWorkingDays("2026-11-29", 0)).toBe("2026-11-29");
    expect(calendar.addWorkingDays("2027-02-03", 1)).toBe("2027-02-11"); // over Tết Đinh Mùi
    expect(calendar.workingDaysBetween("2027-02-03", "2027-02-11")).toBe(1);
    expect(calendar.workingDaysBetween("2027-02-11", "2027-02-03")).toBe(-1);
    expect(calendar.workingDaysBetween("2026-11-27", "2026-11-27")).toBe(0);
    for (const start of ["2026-11-28", "2026-11-29", "2026-11-30", "2027-02-06"]) {
      for (const n of [-7, -1, 1, 3, 20]) expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n)), `${start} ${n}`).toBe(n);
    }
  });

  it("refuses malformed dates", () => {
    const calendar = createWorkingCalendar([]);
    expect(() => calendar.isWorkingDay("2027-02-29")).toThrow(RangeError);
    expect(() => calendar.isWorkingDay("27/2/2027")).toThrow(RangeError);
    expect(() => createWorkingCalendar([{ date: "2026-13-01", kind: "OFF" }])).toThrow(RangeError);
  });
});
