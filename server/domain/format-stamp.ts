/** Acknowledgement stamps, for every channel's message text. */
import { padNumber } from "./document-number.ts";
import { vietnamTime } from "./vietnam-time.ts";

/** "08:15 ngày 23/11/2026" in Vietnam's time. */
export function formatStamp(d: Date): string {
  const p = vietnamTime(d);
  return `${padNumber(p.hour)}:${padNumber(p.minute)} ngày ${padNumber(p.day)}/${padNumber(p.month)}/${p.year}`;
}
