/**
 * A directive's reminder policy: when, relative to each due date, principals are reminded.
 *
 * - `before`: ISO 8601 durations before the due time (`PT0S` = at the due time itself).
 * - `overdue_every`: repeat while overdue, every this long after the due time; `null` = no overdue repeats.
 * - `working_days_only`: reminders only on working days (working-calendar.ts).
 * - `quiet_hours`: `"HH:MM-HH:MM"` on Vietnam's clock, may wrap midnight; `null` = none.
 *
 * Durations are days, weeks, hours, minutes and seconds (`P1W`, `P3D`, `PT12H`, `P1DT6H`, `PT0S`). Years and
 * months are refused: their length varies, and a reminder offset must mean the same span in every month.
 */

import { z } from "zod";

export type IsoDuration = { days: number; hours: number; minutes: number; seconds: number; ms: number };

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const HHMM_RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
/** The longest offset accepted: a year of days, far beyond any school deadline. */
const MAX_DURATION_MS = 366 * 86_400_000;

/**
 * Parses an ISO 8601 duration of weeks, days, hours, minutes and seconds (weeks are folded into days).
 *
 * @throws RangeError naming what is wrong: not a duration, years/months, empty time part, or longer than 366 days.
 * @example parseIsoDuration("P1DT6H") // { days: 1, hours: 6, minutes: 0, seconds: 0, ms: 108000000 }
 */
export function parseIsoDuration(s: string): IsoDuration {
  if (/^P(?:\d+[YM])+/.test(s)) {
    throw new RangeError(`"${s}": years and months have no fixed length; write the offset in days or weeks (e.g. P30D)`);
  }
  const m = DURATION.exec(s);
  if (!m || s === "P" || s.endsWith("T")) {
    throw new RangeError(`"${s}" is not an ISO 8601 duration such as P7D, P1W, PT12H, P1DT6H or PT0S`);
  }
  const n = (i: number): number => Number(m[i] ?? 0);
  const days = n(1) * 7 + n(2);
  const [hours, minutes, seconds] = [n(3), n(4), n(5)];
  const ms = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  if (ms > MAX_DURATION_MS) throw new RangeError(`"${s}" is longer than 366 days`);
  return { days, hours, minutes, seconds, ms };
}

/** Writes a span of milliseconds as the shortest ISO 8601 duration (`P4D`, `PT1H30M`, `PT0S`). */
export function formatIsoDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${seconds}S` : ""}`;
  if (!days && !time) return "PT0S";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/** Quiet hours as minutes of the day: from `start` (inclusive) to `end` (exclusive), wrapping midnight when start > end. */
export type QuietHours = { start: number; end: number };

/**
 * Parses `"HH:MM-HH:MM"`.
 * @throws RangeError when malformed or empty (start equal to end).
 */
export function parseQuietHours(s: string): QuietHours {
  const m = HHMM_RANGE.exec(s);
  if (!m) throw new RangeError(`"${s}" is not a time range HH:MM-HH:MM such as 21:00-07:00`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start === end) throw new RangeError(`"${s}" is an empty range`);
  return { start, end };
}

/** A refinement that runs `parse` and reports its RangeError as a translatable issue. */
function checkedBy(parse: (s: string) => unknown, messageKey: string) {
  return (s: string, ctx: z.RefinementCtx): void => {
    try {
      parse(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err), params: { messageKey } });
    }
  };
}

const ZDuration = z.string().max(40).superRefine(checkedBy(parseIsoDuration, "errors.field.iso_duration"));

export const DEFAULT_REMINDER_POLICY = {
  before: ["P7D", "P3D", "P1D", "PT0S"],
  overdue_every: "P2D",
  working_days_only: true,
  quiet_hours: "21:00-07:00",
} as const;

/** The reminder policy as the API takes it; every field has the default above. */
export const ZReminderPolicy = z
  .object({
    before: z
      .array(ZDuration)
      .max(20)
      .default(() => [...DEFAULT_REMINDER_POLICY.before]),
    overdue_every: ZDuration.refine(
      (s) => {
        try {
          return parseIsoDuration(s).ms >= 3_600_000;
        } catch {
          return true; // already reported by the duration check
        }
      },
      { params: { messageKey: "errors.field.overdue_too_often" } },
    )
      .nullable()
      .default(DEFAULT_REMINDER_POLICY.overdue_every),
    working_days_only: z.boolean().default(DEFAULT_REMINDER_POLICY.working_days_only),
    quiet_hours: z.string().max(20).superRefine(checkedBy(parseQuietHours, "errors.field.quiet_hours")).nullable().default(DEFAULT_REMINDER_POLICY.quiet_hours),
  })
  .strict();

export type ReminderPolicy = z.infer<typeof ZReminderPolicy>;

/** A fresh copy of the default policy (P7D, P3D, P1D, PT0S; overdue every P2D; working days; quiet 21:00–07:00). */
export function defaultReminderPolicy(): ReminderPolicy {
  return ZReminderPolicy.parse({});
}
