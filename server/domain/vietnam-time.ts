/** Vietnam's wall-clock time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving): dates, deadlines and registers are read in it. */

export type VietnamTime = { year: number; month: number; day: number; hour: number; minute: number };

// One formatter for the process: building an Intl.DateTimeFormat costs far more than using one,
// and broadcasts format a deadline per message.
const PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});

/** The calendar date and time of `d` in Vietnam. */
export function vietnamTime(d: Date): VietnamTime {
  const t: VietnamTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of PARTS.formatToParts(d)) if (p.type in t) t[p.type as keyof VietnamTime] = Number(p.value);
  return t;
}
