/**
 * npm run bench:reminders — the reminder feature on PostgreSQL, in one process (a harness: the sweep
 * called directly on a test clock, a recording channel instead of a platform). 5,000 schools × a
 * 4-step checklist with the default policy (P7D/P3D/P1D/PT0S, overdue every P2D, working days only,
 * quiet 21:00–07:00), due dates across the 2026–2027 school year:
 * 1. planning: the whole directive planned at publication (rows written), in reminders per second
 *    (goal ≥ 20,000/s);
 * 2. a sweep tick with ≥ 100,000 planned reminders and nothing due (goal ≤ 50 ms);
 * 3. the school year on the test clock, one tick an hour: messages sent, rows sent and skipped, time.
 *
 * Environment: BENCH_SCHOOLS (5000), BENCH_YEAR (1; 0 skips part 3).
 */
import type { ChannelAdapter, ChannelKind, OutboundNotice } from "../server/domain/channel.ts";
import { createWorkingCalendar } from "../server/domain/working-calendar.ts";
import { planDirectiveReminders } from "../server/features/reminders/plan-directive-reminders.ts";
import { sweepReminders } from "../server/features/reminders/sweep-reminders.ts";
import { createTestClock } from "../tests/helpers/test-clock.ts";
import { createBenchDb, seedSchools } from "./bench-db.ts";

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 5000);
const YEAR = process.env.BENCH_YEAR !== "0";
const DUES = ["2026-10-15", "2027-01-29", "2027-04-15", "2027-05-31"];

const bench = await createBenchDb("chidao_bench_reminders");
const { db } = bench;
try {
  await seedSchools(db, SCHOOLS);
  const sgd = await db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
  const audience = await db.audience.create({ data: { kinds: ["SCHOOL"], levels: [], underOrgId: sgd.id } });
  const clock = createTestClock("2026-09-05T08:00:00+07:00");
  const directive = await db.directive.create({
    data: { title: "Kiểm định chất lượng giáo dục năm học 2026–2027", body: "…", status: "PUBLISHED", publishedAt: clock.now(), audienceId: audience.id, issuerOrgId: sgd.id },
  });
  await db.checklistStep.createMany({ data: DUES.map((d, i) => ({ directiveId: directive.id, n: i + 1, title: `Bước ${i + 1}`, dueAt: new Date(`${d}T23:59:59+07:00`) })) });
  const calendar = createWorkingCalendar([
    { date: "2027-02-20", kind: "WORKING" },
    { date: "2027-02-11", kind: "OFF" },
  ]);

  // 1. Planning.
  let started = performance.now();
  const planned = await planDirectiveReminders(db, { directiveId: directive.id, calendar, now: clock.now() });
  const planMs = performance.now() - started;
  console.log(
    `planning: ${SCHOOLS} schools × ${DUES.length} steps → ${planned.toLocaleString("en")} reminders in ${(planMs / 1000).toFixed(2)} s = ${Math.round(planned / (planMs / 1000)).toLocaleString("en")} reminders/s`,
  );

  // 2. A tick with nothing due. Top up to 100,000 planned rows when the plan made fewer (far-future filler of the same shape).
  const have = await db.reminder.count({ where: { status: "PLANNED" } });
  if (have < 100_000) {
    await db.$executeRaw`
      INSERT INTO "Reminder" (key, "directiveId", "organizationId", "recipientOrgId", kind, level, "offset", "dueAt", at, "updatedAt")
      SELECT 'filler:' || g, ${directive.id}::int, o.id, o.id, 'BEFORE', 0, 'P7D', '2027-12-31', '2027-12-24', now()
      FROM generate_series(1, ${100_000 - have}::int) g JOIN "Organization" o ON o.code = 'S' || (g % ${SCHOOLS}::int)`;
  }
  await db.$executeRaw`ANALYZE "Reminder"`;
  const sends: OutboundNotice[] = [];
  const recorder: ChannelAdapter = {
    kind: "TELEGRAM",
    sendDirective: () => Promise.reject(new Error("not here")),
    sendNotice: async (n) => (sends.push(n), { messageId: String(sends.length) }),
  };
  const registry = new Map<ChannelKind, ChannelAdapter>([["TELEGRAM", recorder]]);
  // Later that day: the plan is fresh and the first reminder is a month away.
  const quiet = new Date("2026-09-05T20:00:00+07:00");
  const ticks: number[] = [];
  for (let i = 0; i < 60; i++) {
    started = performance.now();
    const r = await sweepReminders(db, { registry, calendar, now: quiet });
    ticks.push(performance.now() - started);
    if (r.claimed) throw new Error("something was due");
  }
  ticks.sort((a, b) => a - b);
  const total = await db.reminder.count({ where: { status: "PLANNED" } });
  console.log(`idle tick with ${total.toLocaleString("en")} planned: median ${ticks[30]!.toFixed(1)} ms, p95 ${ticks[57]!.toFixed(1)} ms, max ${ticks[59]!.toFixed(1)} ms`);
  await db.$executeRaw`DELETE FROM "Reminder" WHERE key LIKE 'filler:%'`;

  // 3. The school year, one tick an hour; each school finishes each step within 0–20 days of its due date, one in ten never.
  if (YEAR) {
    const steps = await db.checklistStep.findMany({ where: { directiveId: directive.id }, orderBy: { n: "asc" } });
    const schools = await db.organization.findMany({ where: { kind: "SCHOOL" }, select: { id: true }, orderBy: { id: "asc" } });
    const finishes = schools.flatMap((s, i) =>
      i % 10 === 9 ? [] : steps.map((st, k) => ({ stepId: st.id, orgId: s.id, at: st.dueAt!.getTime() + (((i * 7 + k) % 41) - 20) * 86_400_000 })),
    );
    finishes.sort((a, b) => a.at - b.at);
    let next = 0;
    started = performance.now();
    let sweepMs = 0;
    for (clock.set("2026-09-05T09:00:00+07:00"); clock.now() < new Date("2027-06-30T00:00:00+07:00"); clock.advance(3_600_000)) {
      const done: typeof finishes = [];
      while (next < finishes.length && finishes[next]!.at <= clock.now().getTime()) done.push(finishes[next++]!);
      if (done.length) {
        await db.$executeRaw`
          INSERT INTO "StepProgress" ("stepId", "organizationId", status, "reportedAt", "updatedAt")
          SELECT s, o, 'DONE', now(), now() FROM unnest(${done.map((d) => d.stepId)}::int[], ${done.map((d) => d.orgId)}::int[]) AS x(s, o)
          ON CONFLICT ("stepId", "organizationId") DO UPDATE SET status = 'DONE'`;
      }
      const t0 = performance.now();
      // Ticks drain a busy slot 100 offices at a time, as the timer would within the hour.
      for (
        let r = await sweepReminders(db, { registry, calendar, now: clock.now(), orgs: 500 });
        r.claimed;
        r = await sweepReminders(db, { registry, calendar, now: clock.now(), orgs: 500 })
      );
      sweepMs += performance.now() - t0;
    }
    const counts = await db.reminder.groupBy({ by: ["status"], _count: true });
    console.log(
      `school year (${Math.round((new Date("2027-06-30").getTime() - new Date("2026-09-05").getTime()) / 3_600_000)} hourly ticks): ${sends.length.toLocaleString("en")} digests sent, rows ${counts.map((c) => `${c.status.toLowerCase()} ${c._count.toLocaleString("en")}`).join(", ")}; sweep time ${(sweepMs / 1000).toFixed(1)} s, wall ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await bench.drop();
}
