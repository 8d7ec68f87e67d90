/** Numbers, symbols and dates exactly as Nghị định 30/2020 writes them (VANBAN.md §2–§3). */
import { vietnamTime } from "./vietnam-time.ts";

/** Numbers below 10 get a leading zero: 1 → "01", 15 → "15", 1581 → "1581". */
export function padNumber(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The calendar year of `d` in Vietnam (registers restart on 1 January, Vietnam time). */
export function vietnamYear(d: Date): number {
  return vietnamTime(d).year;
}

/**
 * "ngày 05 tháng 01 năm 2026": days below 10 and the months January and February are zero-padded,
 * months 3–12 are not (the decree's rule, so that a "1" cannot be turned into "11").
 */
export function formatDocumentDate(d: Date): string {
  const { day, month, year } = vietnamTime(d);
  return `ngày ${padNumber(day)} tháng ${month <= 2 ? `0${month}` : month} năm ${year}`;
}

/**
 * The date line of ô 4: "<place>, ngày … tháng … năm …". `date` is a Date, or the day already
 * written (a draft's "ngày      tháng      năm 2026", left blank for the clerk).
 */
export function formatDateLine(place: string | null, date: Date | string): string {
  const day = typeof date === "string" ? date : formatDocumentDate(date);
  return place ? `${place}, ${day}` : day.replace(/^n/u, "N");
}

/**
 * Số và ký hiệu: "15/CT-UBND", "02/QĐ-SGDĐT", and for a công văn, which has no type code,
 * "1581/SGDĐT-KTKĐ" (issuer, then the drafting unit).
 */
export function formatDocumentSymbol(x: { number: number; typeAbbreviation: string | null; issuerSymbol: string; draftingUnit?: string | null }): string {
  const code = x.typeAbbreviation ? [x.typeAbbreviation, x.issuerSymbol] : [x.issuerSymbol, ...(x.draftingUnit ? [x.draftingUnit] : [])];
  return `${padNumber(x.number)}/${code.join("-")}`;
}
