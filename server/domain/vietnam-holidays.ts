/**
 * Vietnam's statutory public holidays (Bộ luật Lao động 2019, Điều 112), computed for any year:
 *
 * 1. Tết Dương lịch: 1 January.
 * 2. Tết Âm lịch: 5 days. The Prime Minister fixes them each year; the rule modelled here is the one applied in
 *    2019–2027: the last two days of the old lunar year and mùng 1–3 of the new one.
 * 3. Giỗ Tổ Hùng Vương: 10th day of the 3rd lunar month (Vietnamese calendar, UTC+7).
 * 4. Chiến thắng (Ngày Giải phóng miền Nam): 30 April. 5. Quốc tế Lao động: 1 May.
 * 6. Quốc khánh: 2 September and one adjacent day, also fixed yearly; modelled as the day that joins the weekend
 *    (3/9 when 2/9 is a Monday, Thursday or Sunday, 1/9 otherwise), as in 2021–2027.
 * 7. Ngày Văn hóa Việt Nam: 24 November, a paid day off from 2026 (Nghị quyết 28/2026/QH16).
 * 8. A holiday on the weekly rest day (Saturday, Sunday for state offices) is made up on the next working day
 *    (Điều 111.3): the next weekday that is not itself a holiday, in date order.
 *
 * What the government decides by notice each year (other Tết days, days swapped against a make-up Saturday,
 * extra days) is not computed: administrators enter it as calendar adjustments (see working-calendar.ts).
 */

import { fromEpochDay, isoDate, toEpochDay, weekdayOfEpochDay } from "./iso-date.ts";
import { lunarToSolar, solarToLunar } from "./lunar-calendar.ts";

export type StatutoryHoliday = {
  /** `YYYY-MM-DD`. */
  date: string;
  name: string;
  /** For a day off given in lieu of a holiday that fell on a weekend: that holiday's date. */
  inLieuOf?: string;
};

/** First year with the Ngày Văn hóa Việt Nam day off. */
export const CULTURE_DAY_FROM_YEAR = 2026;

function solarIso({ year, month, day }: { year: number; month: number; day: number }): string {
  return isoDate(year, month, day);
}

/** The five Tết days that start or end in solar `year` (Tết always falls between 21/1 and 20/2). */
function tetDays(year: number): StatutoryHoliday[] {
  const firstDay = toEpochDay(solarIso(lunarToSolar({ year, month: 1, day: 1 })));
  const days: StatutoryHoliday[] = [];
  for (let offset = -2; offset <= 2; offset++) {
    const epochDay = firstDay + offset;
    const date = fromEpochDay(epochDay);
    const lunar = solarToLunar({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) });
    days.push({ date, name: `Tết Âm lịch (${lunar.day} tháng ${lunar.month === 12 ? "Chạp" : "Giêng"})` });
  }
  return days;
}

function nationalDayDays(year: number): StatutoryHoliday[] {
  const second = toEpochDay(isoDate(year, 9, 2));
  const weekday = weekdayOfEpochDay(second);
  // Monday, Thursday, Sunday: the day after joins (or follows) the weekend; otherwise the day before does.
  const adjacent = weekday === 1 || weekday === 4 || weekday === 0 ? second + 1 : second - 1;
  return [
    { date: fromEpochDay(second), name: "Quốc khánh" },
    { date: fromEpochDay(adjacent), name: "Quốc khánh (ngày liền kề)" },
  ].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The statutory days off of solar `year`, in date order, including the days given in lieu of holidays that fell
 * on a Saturday or Sunday (those holidays are listed too, on their own date).
 *
 * @example statutoryHolidays(2026).map((h) => h.date)
 * // ["2026-01-01", "2026-02-15", "2026-02-16", …, "2026-04-26", "2026-04-27" (in lieu), "2026-04-30", …]
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const gioTo = solarIso(lunarToSolar({ year, month: 3, day: 10 }));
  const holidays: StatutoryHoliday[] = [
    { date: isoDate(year, 1, 1), name: "Tết Dương lịch" },
    ...tetDays(year),
    { date: gioTo, name: "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)" },
    { date: isoDate(year, 4, 30), name: "Ngày Chiến thắng" },
    { date: isoDate(year, 5, 1), name: "Ngày Quốc tế Lao động" },
    ...nationalDayDays(year),
  ];
  if (year >= CULTURE_DAY_FROM_YEAR) holidays.push({ date: isoDate(year, 11, 24), name: "Ngày Văn hóa Việt Nam" });
  holidays.sort((a, b) => a.date.localeCompare(b.date));

  const taken = new Set(holidays.map((h) => toEpochDay(h.date)));
  const inLieu: StatutoryHoliday[] = [];
  for (const h of holidays) {
    const day = toEpochDay(h.date);
    const weekday = weekdayOfEpochDay(day);
    if (weekday !== 0 && weekday !== 6) continue;
    let substitute = day + 1;
    while (taken.has(substitute) || weekdayOfEpochDay(substitute) === 0 || weekdayOfEpochDay(substitute) === 6) substitute++;
    taken.add(substitute);
    inLieu.push({ date: fromEpochDay(substitute), name: `Nghỉ bù ${h.name}`, inLieuOf: h.date });
  }
  return [...holidays, ...inLieu].sort((a, b) => a.date.localeCompare(b.date));
}
