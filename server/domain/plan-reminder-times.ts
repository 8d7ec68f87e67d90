/**
 * When the reminders for one due date go out, on Vietnam's clock (UTC+7 all year, no daylight saving):
 *
 * 1. Raw times: `due − d` for each `before` offset d (kind `due` for `PT0S`, else `before`), then
 *    `due + k × overdue_every` for k = 1, 2, … while not after `until` (kind `overdue`).
 * 2. A time is allowed when it is on a working day (only if `working_days_only`) and outside the quiet hours.
 * 3. A time not allowed moves to the nearest earlier allowed time (the minute before quiet hours begin, or the last
 *    minute of the previous working day) when that is still before the due time; otherwise to the next
 *    **working morning**: the end of the quiet hours (07:00 when there are none) on the first day that is allowed
 *    (a working day when `working_days_only`). Overdue reminders therefore always move forwards: an earlier
 *    time could fall before the due time.
 * 4. Times that coincide after moving are merged; the one whose raw time was later (closer to or past the due time)
 *    is kept.
 * 5. Only times in [from, until] are returned, in time order.
 *
 * The plan is a function of (due, policy, calendar) alone; `from` and `until` only cut it, so planning again
 * later (after a restart, an extension refused) gives the same times and never a reminder twice.
 */

import { formatIsoDuration, parseIsoDuration, parseQuietHours, type QuietHours, type ReminderPolicy } from "./reminder-policy.ts";
import type { WorkingCalendar } from "./working-calendar.ts";

export type PlannedReminder = { at: Date; kind: "before" | "due" | "overdue"; offset: string };

export type PlanReminderTimesOptions = {
  due: Date;
  policy: ReminderPolicy;
  calendar: WorkingCalendar;
  /** Last moment to plan for (inclusive): overdue repeats stop here. */
  until: Date;
  /** First moment to plan for (inclusive); earlier reminders are left out. */
  from?: Date;
};

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DEFAULT_MORNING_MINUTE = 7 * 60;
/** Overdue repeats planned for one due date at most; beyond this the policy or the horizon is a mistake. */
export const MAX_OVERDUE_REMINDERS = 10_000;
/** How far a move may look for an allowed day (Tết with swapped days is under two weeks). */
const MAX_SEARCH_DAYS = 400;

// Policies repeat across thousands of items: parse each duration string and quiet-hours string once.
const durationMs = new Map<string, number>();
function msOf(duration: string): number {
  let ms = durationMs.get(duration);
  if (ms === undefined) {
    ms = parseIsoDuration(duration).ms;
    durationMs.set(duration, ms);
  }
  return ms;
}
const quietCache = new Map<string, QuietHours>();
function quietOf(s: string): QuietHours {
  let q = quietCache.get(s);
  if (!q) {
    q = parseQuietHours(s);
    quietCache.set(s, q);
  }
  return q;
}

type Rules = { calendar: WorkingCalendar; workingOnly: boolean; quiet: QuietHours | null; morning: number };

function isQuietMinute(quiet: QuietHours, minute: number): boolean {
  return quiet.start < quiet.end ? minute >= quiet.start && minute < quiet.end : minute >= quiet.start || minute < quiet.end;
}

/** Allowed local-time intervals [a, b) of a day, in minutes, in order. */
function allowedMinutes(quiet: QuietHours | null): [number, number][] {
  if (!quiet) return [[0, 1440]];
  if (quiet.start > quiet.end) return [[quiet.end, quiet.start]]; // quiet across midnight: one window by day
  const windows: [number, number][] = [];
  if (quiet.start > 0) windows.push([0, quiet.start]);
  windows.push([quiet.end, 1440]);
  return windows;
}

function isAllowed(rules: Rules, local: number): boolean {
  const day = Math.floor(local / DAY_MS);
  if (rules.workingOnly && !rules.calendar.isWorkingEpochDay(day)) return false;
  return !rules.quiet || !isQuietMinute(rules.quiet, Math.floor((local - day * DAY_MS) / MINUTE_MS));
}

/** The latest allowed local time at or before `local` (minute resolution); null when none within MAX_SEARCH_DAYS. */
function latestAllowedBefore(rules: Rules, local: number, windows: [number, number][]): number | null {
  const firstDay = Math.floor(local / DAY_MS);
  for (let day = firstDay; day > firstDay - MAX_SEARCH_DAYS; day--) {
    if (rules.workingOnly && !rules.calendar.isWorkingEpochDay(day)) continue;
    for (let i = windows.length - 1; i >= 0; i--) {
      const [a, b] = windows[i]!;
      const start = day * DAY_MS + a * MINUTE_MS;
      if (start > local) continue;
      return Math.min(local, day * DAY_MS + (b - 1) * MINUTE_MS);
    }
  }
  return null;
}

/** The first working morning at or after `local`. */
function nextWorkingMorning(rules: Rules, local: number): number {
  let day = Math.floor(local / DAY_MS);
  if (day * DAY_MS + rules.morning * MINUTE_MS < local) day++;
  for (let n = 0; n < MAX_SEARCH_DAYS && rules.workingOnly && !rules.calendar.isWorkingEpochDay(day); n++) day++;
  return day * DAY_MS + rules.morning * MINUTE_MS;
}

/**
 * Plans the reminder times for one due date (rules in the module comment).
 *
 * @throws RangeError for a malformed duration or quiet-hours string, an overdue interval under a minute, or more
 *   than {@link MAX_OVERDUE_REMINDERS} overdue repeats before `until`.
 * @example planReminderTimes({ due, policy: ZReminderPolicy.parse({}), calendar, until })
 */
export function planReminderTimes({ due, policy, calendar, until, from }: PlanReminderTimesOptions): PlannedReminder[] {
  const quiet = policy.quiet_hours === null ? null : quietOf(policy.quiet_hours);
  const rules: Rules = { calendar, workingOnly: policy.working_days_only, quiet, morning: quiet ? quiet.end : DEFAULT_MORNING_MINUTE };
  const windows = allowedMinutes(quiet);
  const dueMs = due.getTime();
  const untilMs = until.getTime();
  const fromMs = from ? from.getTime() : -Infinity;

  const raw: { at: number; kind: PlannedReminder["kind"]; offset: string }[] = [];
  for (const offset of policy.before) {
    const ms = msOf(offset);
    raw.push({ at: dueMs - ms, kind: ms === 0 ? "due" : "before", offset });
  }
  if (policy.overdue_every !== null) {
    const every = msOf(policy.overdue_every);
    if (every < MINUTE_MS) throw new RangeError(`overdue_every ${policy.overdue_every} is shorter than a minute`);
    for (let k = 1; dueMs + k * every <= untilMs; k++) {
      if (k > MAX_OVERDUE_REMINDERS) throw new RangeError(`more than ${MAX_OVERDUE_REMINDERS} overdue reminders before ${until.toISOString()}`);
      raw.push({ at: dueMs + k * every, kind: "overdue", offset: formatIsoDuration(k * every) });
    }
  }

  const byTime = new Map<number, { at: number; raw: number; kind: PlannedReminder["kind"]; offset: string }>();
  for (const r of raw) {
    let local = r.at + VIETNAM_OFFSET_MS;
    if (!isAllowed(rules, local)) {
      const earlier = r.kind === "overdue" ? null : latestAllowedBefore(rules, local, windows);
      local = earlier !== null && earlier - VIETNAM_OFFSET_MS < dueMs ? earlier : nextWorkingMorning(rules, local);
    }
    const at = local - VIETNAM_OFFSET_MS;
    if (at < fromMs || at > untilMs) continue;
    const existing = byTime.get(at);
    if (!existing || existing.raw < r.at) byTime.set(at, { at, raw: r.at, kind: r.kind, offset: r.offset });
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at).map((r) => ({ at: new Date(r.at), kind: r.kind, offset: r.offset }));
}
