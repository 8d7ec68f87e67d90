/** How the dashboard writes times and numbers: Vietnam time, Vietnamese digit grouping. */
import { padNumber } from "../domain/document-number.ts";
import { vietnamTime } from "../domain/vietnam-time.ts";
import type { Locale } from "../i18n.ts";

/** "14:05 22/11/2026" in Vietnam time; "" for no time. */
export function formatTime(d: Date | string | null | undefined): string {
  if (!d) return "";
  const t = vietnamTime(typeof d === "string" ? new Date(d) : d);
  return `${padNumber(t.hour)}:${padNumber(t.minute)} ${padNumber(t.day)}/${padNumber(t.month)}/${t.year}`;
}

/** "22/11/2026" in Vietnam time. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return "";
  const t = vietnamTime(typeof d === "string" ? new Date(d) : d);
  return `${padNumber(t.day)}/${padNumber(t.month)}/${t.year}`;
}

/** 12345 → "12.345" (vi) or "12,345" (en). */
export function formatCount(n: number, locale: Locale): string {
  return n.toLocaleString(locale === "vi" ? "vi-VN" : "en-GB");
}

/** Whole per cent of `part` in `whole` (0 when `whole` is 0). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}
