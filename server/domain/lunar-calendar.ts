/**
 * The Vietnamese lunisolar calendar (âm lịch), computed astronomically as the state calendar defines it:
 *
 * 1. A lunar month starts on the local day (UTC+7, meridian 105°E) that holds the astronomical new moon.
 * 2. Month 11 is the month that holds the winter solstice.
 * 3. A lunar year from one month 11 to the next with 13 months has a leap month: the first month after
 *    month 11 that holds no major solar term (trung khí, a multiple of 30° of solar longitude) repeats the
 *    number of the month before it.
 *
 * New moons and the sun's longitude follow Jean Meeus' "Astronomical Algorithms" in the reduced form that
 * Hồ Ngọc Đức published for the Vietnamese calendar; day boundaries use UTC+7, which is why Tết differs from
 * the Chinese New Year (UTC+8) in some years (1985: 21/1 against 20/2; 2007: 17/2 against 18/2).
 * Việt Nam has reckoned the calendar at UTC+7 since 1968 (at UTC+8 before), and this module uses UTC+7 throughout:
 * from 1968 it agrees with Hồ Ngọc Đức's published year tables in every Tết and leap month checked (1968–2059; the
 * test fixture holds 1990–2050), while a few earlier dates differ by a day from the historical calendar. No I/O.
 */

export type SolarDate = { year: number; month: number; day: number };
export type LunarDate = { year: number; month: number; day: number; leap: boolean };

const TIME_ZONE = 7;
const SYNODIC_MONTH = 29.530588853;
// Julian day of the new moon of 1900-01-01 (Meeus' k = 0).
const NEW_MOON_EPOCH = 2415021.076998695;
const DEG = Math.PI / 180;

/** Julian day number of a proleptic Gregorian date. */
export function julianDayNumber({ year, month, day }: SolarDate): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 32045;
}

/** The Gregorian date of a Julian day number. */
export function fromJulianDayNumber(jd: number): SolarDate {
  const a = jd + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

/** Julian day (fractional, UT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG;
  const latitude = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG;
  let c = (0.1734 - 0.000393 * t) * Math.sin(sunAnomaly) + 0.0021 * Math.sin(2 * sunAnomaly);
  c += -0.4068 * Math.sin(moonAnomaly) + 0.0161 * Math.sin(2 * moonAnomaly) - 0.0004 * Math.sin(3 * moonAnomaly);
  c += 0.0104 * Math.sin(2 * latitude) - 0.0051 * Math.sin(sunAnomaly + moonAnomaly);
  c += -0.0074 * Math.sin(sunAnomaly - moonAnomaly) + 0.0004 * Math.sin(2 * latitude + sunAnomaly);
  c += -0.0004 * Math.sin(2 * latitude - sunAnomaly) - 0.0006 * Math.sin(2 * latitude + moonAnomaly);
  c += 0.001 * Math.sin(2 * latitude - moonAnomaly) + 0.0005 * Math.sin(2 * moonAnomaly + sunAnomaly);
  // ΔT (TT − UT) in days, the polynomial for the 20th/21st century.
  const deltaT = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3 : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + c - deltaT;
}

/** The sun's apparent longitude (radians, 0..2π) at Julian day `jd` (UT). */
function sunLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525;
  const t2 = t * t;
  const anomaly = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  let dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(anomaly);
  dl += (0.019993 - 0.000101 * t) * Math.sin(2 * anomaly) + 0.00029 * Math.sin(3 * anomaly);
  const l = (meanLongitude + dl) * DEG;
  return l - 2 * Math.PI * Math.floor(l / (2 * Math.PI));
}

/** The major solar term (0..11, 30° sectors from the vernal equinox) at the start of local day `dayNumber`. */
function solarTerm(dayNumber: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - TIME_ZONE / 24) / Math.PI) * 6);
}

/** The local day (Julian day number) that holds the k-th new moon. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TIME_ZONE / 24);
}

/** The first day of lunar month 11 of the solar year `year` (the month holding the winter solstice). */
function month11(year: number): number {
  const k = Math.floor((julianDayNumber({ year, month: 12, day: 31 }) - 2415021) / SYNODIC_MONTH);
  const start = newMoonDay(k);
  // Solar term 9 (270°) is the winter solstice: a month starting after it is month 12, so step back.
  return solarTerm(start) >= 9 ? newMoonDay(k - 1) : start;
}

/** How many months after month 11 (starting at `a11`) the leap month comes, in a 13-month year. */
function leapMonthOffset(a11: number): number {
  const k = Math.floor((a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let term = solarTerm(newMoonDay(k + i));
  let last: number;
  // The leap month is the first one in which no major term begins: its start and the next month's start share a term.
  do {
    last = term;
    i++;
    term = solarTerm(newMoonDay(k + i));
  } while (term !== last && i < 14);
  return i - 1;
}

// Both directions compute month 11 (and in a 13-month year the leap month) for one or two years per call;
// conversions of the same years repeat (a school year's reminders, a year's holidays), so the few hundred
// values are memoised.
const month11Cache = new Map<number, number>();
function cachedMonth11(year: number): number {
  let v = month11Cache.get(year);
  if (v === undefined) {
    v = month11(year);
    month11Cache.set(year, v);
  }
  return v;
}
const leapOffsetCache = new Map<number, number>();
function cachedLeapMonthOffset(a11: number): number {
  let v = leapOffsetCache.get(a11);
  if (v === undefined) {
    v = leapMonthOffset(a11);
    leapOffsetCache.set(a11, v);
  }
  return v;
}

/**
 * The Vietnamese lunar date of a solar (Gregorian) date.
 *
 * @example solarToLunar({ year: 2026, month: 2, day: 17 }) // { year: 2026, month: 1, day: 1, leap: false } (Tết Bính Ngọ)
 */
export function solarToLunar(date: SolarDate): LunarDate {
  const dayNumber = julianDayNumber(date);
  const k = Math.floor((dayNumber - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = cachedMonth11(date.year);
  let b11: number;
  let year: number;
  if (a11 >= monthStart) {
    year = date.year;
    b11 = a11;
    a11 = cachedMonth11(date.year - 1);
  } else {
    year = date.year + 1;
    b11 = cachedMonth11(date.year + 1);
  }
  const day = dayNumber - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = cachedLeapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) year -= 1;
  return { year, month, day, leap };
}

/**
 * The solar (Gregorian) date of a Vietnamese lunar date. A day 30 in a 29-day month runs into the next month's
 * first day, which is what anniversaries (giỗ) on day 30 do in practice.
 *
 * @throws RangeError when `leap` is set on a month that is not that year's leap month, or month/day are out of range.
 * @example lunarToSolar({ year: 2027, month: 3, day: 10 }) // { year: 2027, month: 4, day: 16 } (Giỗ Tổ Hùng Vương)
 */
export function lunarToSolar(lunar: { year: number; month: number; day: number; leap?: boolean }): SolarDate {
  const { year, month, day } = lunar;
  const leap = lunar.leap ?? false;
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30 || !Number.isInteger(year)) {
    throw new RangeError(`Not a lunar date: ${day}/${month}/${year}`);
  }
  const [a11, b11] = month < 11 ? [cachedMonth11(year - 1), cachedMonth11(year)] : [cachedMonth11(year), cachedMonth11(year + 1)];
  let offset = month - 11;
  if (offset < 0) offset += 12;
  if (b11 - a11 > 365) {
    const leapOffset = cachedLeapMonthOffset(a11);
    let leapMonth = leapOffset - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) throw new RangeError(`Lunar year ${year} has no leap month ${month}`);
    if (leap || offset >= leapOffset) offset += 1;
  } else if (leap) {
    throw new RangeError(`Lunar year ${year} has no leap month`);
  }
  const k = Math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  return fromJulianDayNumber(newMoonDay(k + offset) + day - 1);
}
