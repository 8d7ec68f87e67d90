/** Deadlines the way Vietnamese offices write them, for every channel's message text. */
import { padNumber } from "./document-number.ts";
import { vietnamTime } from "./vietnam-time.ts";

/**
 * "17h00 ngày 30/11/2026" in Vietnam's time; a deadline at the very end of a day (23:59) is just
 * "ngày 30/11/2026".
 */
export function formatDeadline(d: Date): string {
  const p = vietnamTime(d);
  const date = `${padNumber(p.day)}/${padNumber(p.month)}/${p.year}`;
  if (p.hour === 23 && p.minute === 59) return `ngày ${date}`;
  return `${padNumber(p.hour)}h${padNumber(p.minute)} ngày ${date}`;
}
