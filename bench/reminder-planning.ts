/**
 * npm run bench:reminder-planning — raw speed of the pure reminder planner (server/domain/plan-reminder-times.ts),
 * in one process, without database or queue: 5,000 schools × a 4-step checklist over the 2026–2027 school year,
 * the default policy (P7D/P3D/P1D/PT0S, overdue every P2D, working days only, quiet 21:00–07:00), overdue repeats
 * planned until the end of the school year for a share of the items (the slow case: schools that never finish).
 * The goal for planning is ≥ 20,000 reminders/s; `npm run bench:reminders` measures the whole feature.
 *
 * Environment: BENCH_SCHOOLS (5000), BENCH_OVERDUE_SHARE (0.1: items planned with overdue repeats to year end).
 */
import { planReminderTimes } from "../server/domain/plan-reminder-times.ts";
import { ZReminderPolicy } from "../server/domain/reminder-policy.ts";
import { createWorkingCalendar } from "../server/domain/working-calendar.ts";

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 5000);
const OVERDUE_SHARE = Number(process.env.BENCH_OVERDUE_SHARE ?? 0.1);
const vn = (s: string): Date => new Date(`${s}T17:00:00+07:00`);
// A school year's deadlines, Tết and Giỗ Tổ inside it; each school gets its due dates shifted by up to 20 days
// (extensions), so no two items plan the same instants.
const STEPS = ["2026-10-15", "2027-01-29", "2027-04-15", "2027-05-31"].map(vn);
const YEAR_END = vn("2027-08-31");
const policy = ZReminderPolicy.parse({});
// Two make-up Saturdays and their swapped days, as a year's notice would declare them.
const calendar = createWorkingCalendar([
  { date: "2027-02-20", kind: "WORKING" },
  { date: "2027-02-11", kind: "OFF" },
  { date: "2027-05-08", kind: "WORKING" },
  { date: "2027-04-29", kind: "OFF" },
]);

function run(): { items: number; reminders: number; ms: number } {
  let reminders = 0;
  let items = 0;
  const started = performance.now();
  for (let school = 0; school < SCHOOLS; school++) {
    for (const [step, base] of STEPS.entries()) {
      const due = new Date(base.getTime() + ((school * 7 + step) % 21) * 86_400_000);
      // Most items are done within a fortnight of their deadline; a share stay overdue to the end of the year.
      const until = (school * 4 + step) % Math.round(1 / OVERDUE_SHARE) === 0 ? YEAR_END : new Date(due.getTime() + 14 * 86_400_000);
      reminders += planReminderTimes({ due, policy, calendar, until }).length;
      items++;
    }
  }
  return { items, reminders, ms: performance.now() - started };
}

run(); // warm-up: JIT, holiday tables of 2026–2027
const { items, reminders, ms } = run();
console.log(`reminder planning: ${items} items (${SCHOOLS} schools × ${STEPS.length} steps), ${reminders} reminders in ${ms.toFixed(0)} ms`);
console.log(
  `  ${Math.round((reminders / ms) * 1000).toLocaleString("en")} reminders/s, ${Math.round((items / ms) * 1000).toLocaleString("en")} items/s, ${((ms * 1000) / reminders).toFixed(2)} µs per reminder`,
);
