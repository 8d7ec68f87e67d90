import { describe, expect, it } from "vitest";
import { planReminderTimes, type PlannedReminder } from "../../server/domain/plan-reminder-times.ts";
import { ZReminderPolicy, type ReminderPolicy } from "../../server/domain/reminder-policy.ts";
import { createWorkingCalendar, type CalendarAdjustment } from "../../server/domain/working-calendar.ts";

/** A moment on Vietnam's clock: "2026-11-30 09:00". */
const vn = (s: string): Date => new Date(`${s.replace(" ", "T")}:00+07:00`);
/** Renders a plan on Vietnam's clock: "Mon 2026-11-30 09:00 due PT0S". */
const show = (plan: PlannedReminder[]): string[] =>
  plan.map((r) => {
    const local = new Date(r.at.getTime() + 7 * 3_600_000);
    const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][local.getUTCDay()];
    return `${day} ${local.toISOString().slice(0, 16).replace("T", " ")} ${r.kind} ${r.offset}`;
  });

const DEFAULT = ZReminderPolicy.parse({});
const plan = (due: string, until: string, options: { policy?: Partial<ReminderPolicy>; adjustments?: CalendarAdjustment[]; from?: string } = {}) =>
  show(
    planReminderTimes({
      due: vn(due),
      until: vn(until),
      policy: { ...DEFAULT, ...options.policy },
      calendar: createWorkingCalendar(options.adjustments ?? []),
      ...(options.from ? { from: vn(options.from) } : {}),
    }),
  );

describe("planReminderTimes", () => {
  it("moves a reminder that falls on a weekend to the Friday evening before, and an overdue one to Monday morning", () => {
    expect(plan("2026-11-30 09:00", "2026-12-08 10:00")).toEqual([
      "Mon 2026-11-23 09:00 before P7D",
      "Fri 2026-11-27 09:00 before P3D",
      "Fri 2026-11-27 20:59 before P1D", // Sunday 29/11 09:00
      "Mon 2026-11-30 09:00 due PT0S",
      "Wed 2026-12-02 09:00 overdue P2D",
      "Fri 2026-12-04 09:00 overdue P4D",
      "Mon 2026-12-07 07:00 overdue P6D", // Sunday 6/12 09:00
      "Tue 2026-12-08 09:00 overdue P8D",
    ]);
  });

  it("gathers reminders that fall in Tết (4–10/2/2027) on the last working evening before it", () => {
    expect(plan("2027-02-11 09:00", "2027-02-11 09:00")).toEqual(["Wed 2027-02-03 20:59 before P1D", "Thu 2027-02-11 09:00 due PT0S"]);
  });

  it("holds overdue reminders during Tết until the first working morning after it", () => {
    expect(plan("2027-02-03 09:00", "2027-02-13 12:00", { policy: { before: [] } })).toEqual([
      "Thu 2027-02-11 07:00 overdue P6D", // 5/2, 7/2 and 9/2 merged; the latest is kept
      "Thu 2027-02-11 09:00 overdue P8D",
    ]);
  });

  it("skips Giỗ Tổ (Friday 16/4/2027) and the weekend after it", () => {
    expect(plan("2027-04-19 09:00", "2027-04-19 09:00")).toEqual([
      "Mon 2027-04-12 09:00 before P7D",
      "Thu 2027-04-15 20:59 before P1D", // P3D (Fri 16/4, Giỗ Tổ) and P1D (Sun 18/4) land together
      "Mon 2027-04-19 09:00 due PT0S",
    ]);
  });

  it("moves a reminder in quiet hours to the evening before when it is still before the due time, else to the morning", () => {
    expect(plan("2026-12-01 23:30", "2026-12-04 12:00")).toEqual([
      "Mon 2026-11-23 20:59 before P7D", // Tuesday 24/11 is Ngày Văn hóa Việt Nam
      "Fri 2026-11-27 20:59 before P3D", // Saturday 28/11 23:30 → the Friday evening
      "Mon 2026-11-30 20:59 before P1D",
      "Tue 2026-12-01 20:59 due PT0S",
      "Fri 2026-12-04 07:00 overdue P2D", // Thursday 23:30 is past the due time: next working morning
    ]);
    expect(plan("2026-12-02 06:00", "2026-12-02 06:00", { policy: { before: ["PT0S"] } })).toEqual(["Tue 2026-12-01 20:59 due PT0S"]);
  });

  it("counts a make-up Saturday as a working day and a swapped Friday as a day off", () => {
    const adjustments: CalendarAdjustment[] = [
      { date: "2026-12-05", kind: "WORKING", note: "Làm bù" },
      { date: "2026-12-04", kind: "OFF", note: "Nghỉ hoán đổi" },
    ];
    expect(plan("2026-12-07 09:00", "2026-12-07 09:00", { adjustments })).toEqual([
      "Mon 2026-11-30 09:00 before P7D",
      "Thu 2026-12-03 20:59 before P3D", // Friday 4/12 is swapped off
      "Sat 2026-12-05 20:59 before P1D", // Sunday → the make-up Saturday
      "Mon 2026-12-07 09:00 due PT0S",
    ]);
    expect(plan("2026-12-03 09:00", "2026-12-06 12:00", { adjustments, policy: { before: [] } })).toEqual(["Sat 2026-12-05 09:00 overdue P2D"]);
    expect(plan("2026-12-03 09:00", "2026-12-06 12:00", { policy: { before: [] } })).toEqual([]); // an ordinary Saturday: moved to Monday 7/12, after `until`
  });

  it("sends on any day and hour when the rules are switched off for urgent matters", () => {
    const urgent = { working_days_only: false, quiet_hours: null, before: ["PT2H", "PT0S"], overdue_every: "PT12H" };
    expect(plan("2026-12-06 23:30", "2026-12-07 12:00", { policy: urgent })).toEqual([
      "Sun 2026-12-06 21:30 before PT2H",
      "Sun 2026-12-06 23:30 due PT0S",
      "Mon 2026-12-07 11:30 overdue PT12H",
    ]);
    // Quiet hours alone: weekends are fine, nights are not.
    expect(plan("2026-12-06 23:30", "2026-12-07 12:00", { policy: { ...urgent, quiet_hours: "21:00-07:00" } })).toEqual([
      "Sun 2026-12-06 20:59 due PT0S", // PT2H and PT0S both land on 20:59; the due one is kept
      "Mon 2026-12-07 11:30 overdue PT12H",
    ]);
    // Working days alone: a Sunday reminder goes to the last minute of Friday; an overdue one to Monday 07:00.
    expect(plan("2026-12-06 10:00", "2026-12-08 00:00", { policy: { ...urgent, working_days_only: true } })).toEqual([
      "Fri 2026-12-04 23:59 due PT0S",
      "Mon 2026-12-07 07:00 overdue PT12H",
      "Mon 2026-12-07 10:00 overdue P1D",
      "Mon 2026-12-07 22:00 overdue P1DT12H",
    ]);
  });

  it("plans the same times whatever `from` is, leaving out those before it", () => {
    const full = plan("2026-11-30 09:00", "2026-12-08 10:00");
    expect(plan("2026-11-30 09:00", "2026-12-08 10:00", { from: "2026-11-27 20:59" })).toEqual(full.slice(2));
    expect(plan("2026-11-30 09:00", "2026-12-08 10:00", { from: "2026-11-28 08:00" })).toEqual(full.slice(3));
  });

  it("refuses an overdue interval that would flood", () => {
    const calendar = createWorkingCalendar([]);
    expect(() => planReminderTimes({ due: vn("2026-01-01 09:00"), until: vn("2028-01-01 09:00"), calendar, policy: { ...DEFAULT, overdue_every: "PT1M" } })).toThrow(
      /more than 10000/,
    );
  });
});

describe("planReminderTimes, over thousands of random due dates", () => {
  // A small seeded generator, so a failure names a case that can be replayed.
  let seed = 20261129;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const calendar = createWorkingCalendar([
    { date: "2027-02-20", kind: "WORKING" },
    { date: "2027-02-11", kind: "OFF" },
  ]);
  const localOf = (d: Date) => {
    const local = new Date(d.getTime() + 7 * 3_600_000);
    return { date: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
  };

  it("never plans a reminder on a day off or in quiet hours, nor a before/due one after the due time, nor an overdue one before it", () => {
    const policies: ReminderPolicy[] = [
      DEFAULT,
      { ...DEFAULT, quiet_hours: "22:30-06:15", before: ["P2W", "P2DT3H", "PT90M", "PT0S"], overdue_every: "P1DT5H" },
      { ...DEFAULT, quiet_hours: "12:00-13:30" }, // a midday pause that does not wrap midnight
      { ...DEFAULT, quiet_hours: null },
      { ...DEFAULT, working_days_only: false },
    ];
    let checked = 0;
    // Checked by hand and collected, not one expect() per reminder: 30,000 expects are slow on a busy machine.
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const policy = pick(policies);
      const due = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 3 * 365 * 1440) * 60_000);
      const until = new Date(due.getTime() + 40 * 86_400_000);
      const from = random() < 0.5 ? undefined : new Date(due.getTime() - Math.floor(random() * 10 * 86_400_000));
      const plan = planReminderTimes({ due, policy, calendar, until, ...(from ? { from } : {}) });
      const quiet = policy.quiet_hours?.split("-").map((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5)));
      const fail = (what: string, r: PlannedReminder) => problems.push(`${what}: due ${due.toISOString()} ${JSON.stringify(policy)} → ${r.at.toISOString()} ${r.kind}`);
      for (const [n, r] of plan.entries()) {
        const { date, minute } = localOf(r.at);
        if (policy.working_days_only && !calendar.isWorkingDay(date)) fail("day off", r);
        if (quiet) {
          const [start, end] = quiet as [number, number];
          if (start < end ? minute >= start && minute < end : minute >= start || minute < end) fail("quiet hours", r);
        }
        if (r.kind === "overdue" ? r.at <= due : r.at > due) fail("wrong side of the due time", r);
        if ((from && r.at < from) || r.at > until) fail("outside [from, until]", r);
        if (n > 0 && r.at <= plan[n - 1]!.at) fail("not increasing", r);
        checked++;
      }
      // Planning again from a later moment gives the tail of the same plan.
      if (plan.length > 2) {
        const later = planReminderTimes({ due, policy, calendar, until, from: plan[2]!.at });
        if (JSON.stringify(later) !== JSON.stringify(plan.slice(2))) fail("planned again differently", plan[2]!);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(30_000);
  });
});
