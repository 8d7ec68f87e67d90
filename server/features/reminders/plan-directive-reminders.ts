import type { Db } from "../../db/prisma.ts";
import { planReminderTimes } from "../../domain/plan-reminder-times.ts";
import { ZReminderPolicy, type ReminderPolicy } from "../../domain/reminder-policy.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import type { WorkingCalendar } from "../../domain/working-calendar.ts";
import { fixStepDues } from "../programmes/fix-step-dues.ts";
import { programmeSchoolIds } from "../programmes/programme-schools.ts";

/**
 * How far ahead overdue repeats are planned. Reminders before a due date are few (the policy's
 * offsets) and planned at once; repeats while overdue go on as long as the item is not done, so the
 * sweep plans them on a rolling horizon, again every {@link REPLAN_EVERY_MS}.
 */
export const HORIZON_MS = 8 * 86_400_000;
export const REPLAN_EVERY_MS = 86_400_000;
/** Escalations go out at this hour (Vietnam) of the working day they fall on. */
const ESCALATION_HOUR = 8;

/** One item a reminder is about: a school's step (or the directive itself when it has no steps). */
type Item = { org_id: number; parent_id: number | null; grandparent_id: number | null; step_id: number | null; due: Date };

type Row = { key: string; stepId: number | null; orgId: number; recipientOrgId: number; kind: string; level: number; offset: string; due: Date; at: Date };

/** The items of a directive still to be done, with each school's due date and its two supervising levels. */
async function findItems(db: Db, directiveId: number): Promise<Item[]> {
  return db.$queryRaw<Item[]>`
    WITH schools AS (${await programmeSchoolIds(db, directiveId)}),
    steps AS (SELECT id, "dueAt" FROM "ChecklistStep" WHERE "directiveId" = ${directiveId}::int)
    SELECT o.id AS org_id, o."parentId" AS parent_id, p."parentId" AS grandparent_id, s.id AS step_id, COALESCE(sp."dueAt", s."dueAt") AS due
    FROM schools sc JOIN "Organization" o ON o.id = sc.id LEFT JOIN "Organization" p ON p.id = o."parentId"
    JOIN steps s ON TRUE
    LEFT JOIN "StepProgress" sp ON sp."stepId" = s.id AND sp."organizationId" = o.id
    WHERE COALESCE(sp."dueAt", s."dueAt") IS NOT NULL AND sp.status IS DISTINCT FROM 'DONE'
    UNION ALL
    SELECT o.id, o."parentId", p."parentId", NULL, COALESCE(
             (SELECT max(x."grantedUntil") FROM "ExtensionRequest" x WHERE x."directiveId" = d.id AND x."organizationId" = o.id AND x."stepId" IS NULL AND x.status = 'APPROVED'),
             d.deadline)
    FROM "Directive" d JOIN schools sc ON TRUE JOIN "Organization" o ON o.id = sc.id LEFT JOIN "Organization" p ON p.id = o."parentId"
    WHERE d.id = ${directiveId}::int AND d.deadline IS NOT NULL AND d."requireAck"
      AND NOT EXISTS (SELECT 1 FROM steps)
      AND NOT EXISTS (SELECT 1 FROM "Acknowledgement" a JOIN "Person" pe ON pe.id = a."personId" WHERE a."directiveId" = d.id AND pe."organizationId" = o.id)`;
}

/** The Vietnam date `YYYY-MM-DD` of an instant. */
function vnDate(d: Date): string {
  const v = vietnamTime(d);
  return `${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
}

/** The rows for one item: the policy's slots, then the escalations. */
function rowsOf(
  directiveId: number,
  item: Item,
  o: { policy: ReminderPolicy; calendar: WorkingCalendar; from: Date; until: Date; escalateAfter: number | null; issuerOrgId: number | null },
): Row[] {
  const rows: Row[] = [];
  const base = `${directiveId}:${item.org_id}:${item.step_id ?? 0}`;
  const dueMs = item.due.getTime();
  for (const slot of planReminderTimes({ due: item.due, policy: o.policy, calendar: o.calendar, until: o.until, from: o.from })) {
    rows.push({
      key: `r:${base}:${slot.kind}:${slot.offset}:${dueMs}`,
      stepId: item.step_id,
      orgId: item.org_id,
      recipientOrgId: item.org_id,
      kind: slot.kind.toUpperCase(),
      level: 0,
      offset: slot.offset,
      due: item.due,
      at: slot.at,
    });
  }
  if (o.escalateAfter !== null) {
    // Level 1: the supervising office; level 2: one step higher, but never above the issuing office.
    const levels = [item.parent_id, item.parent_id !== null && item.parent_id !== o.issuerOrgId ? item.grandparent_id : null];
    levels.forEach((recipient, i) => {
      if (recipient === null) return;
      const days = o.escalateAfter! * (i + 1);
      const day = o.calendar.addWorkingDays(vnDate(item.due), days);
      const at = new Date(`${day}T${String(ESCALATION_HOUR).padStart(2, "0")}:00:00+07:00`);
      if (at.getTime() > o.until.getTime()) return;
      rows.push({
        key: `e:${base}:L${i + 1}:${dueMs}`,
        stepId: item.step_id,
        orgId: item.org_id,
        recipientOrgId: recipient,
        kind: "ESCALATION",
        level: i + 1,
        offset: `P${days}WD`,
        due: item.due,
        at: at < o.from ? o.from : at,
      });
    });
  }
  return rows;
}

/**
 * Plans (or extends the plan of) a published directive's reminders: for every school and step not
 * done (or, without steps, every school that has not acknowledged a directive with a deadline),
 * the slots of the directive's policy against the school's current due date, and the escalations
 * `escalate_after_working_days` asks for. Slots before `now` are not planned (on a first plan) or
 * only the last day's (on a re-plan), overdue repeats up to `now` + {@link HORIZON_MS}. Every row
 * has a key made of the item, the slot and the due date, so planning again inserts only what is
 * new. Returns how many rows were inserted.
 */
export async function planDirectiveReminders(db: Db, { directiveId, calendar, now }: { directiveId: number; calendar: WorkingCalendar; now: Date }): Promise<number> {
  await fixStepDues(db, directiveId);
  const d = await db.directive.findUnique({
    where: { id: directiveId },
    select: { status: true, reminderPolicy: true, escalateAfterWorkingDays: true, issuerOrgId: true, remindersPlannedAt: true },
  });
  if (!d || d.status !== "PUBLISHED") return 0;
  const policy = ZReminderPolicy.parse(d.reminderPolicy ?? {});
  const from = d.remindersPlannedAt ? new Date(now.getTime() - REPLAN_EVERY_MS) : now;
  // A re-plan only extends the horizon: items due later than it had every slot planned the first time.
  const all = await findItems(db, directiveId);
  const items = d.remindersPlannedAt ? all.filter((i) => i.due.getTime() <= now.getTime() + HORIZON_MS) : all;
  const rows: Row[] = [];
  for (const item of items) {
    const until = new Date(Math.max(item.due.getTime(), now.getTime()) + HORIZON_MS);
    rows.push(...rowsOf(directiveId, item, { policy, calendar, from, until, escalateAfter: d.escalateAfterWorkingDays, issuerOrgId: d.issuerOrgId }));
  }
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 10_000) inserted += await insertRows(db, directiveId, rows.slice(i, i + 10_000));
  await db.directive.update({ where: { id: directiveId }, data: { remindersPlannedAt: now } });
  return inserted;
}

/** One statement per chunk: arrays unnested, existing keys left alone. */
async function insertRows(db: Db, directiveId: number, rows: Row[]): Promise<number> {
  if (!rows.length) return 0;
  return db.$executeRaw`
    INSERT INTO "Reminder" (key, "directiveId", "stepId", "organizationId", "recipientOrgId", kind, level, "offset", "dueAt", at, "updatedAt")
    SELECT r.key, ${directiveId}::int, r.step_id, r.org_id, r.recipient_org_id, r.kind::"ReminderKind", r.level, r."offset", r.due_at::timestamp, r.at::timestamp, now()
    FROM unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.stepId)}::int[], ${rows.map((r) => r.orgId)}::int[], ${rows.map((r) => r.recipientOrgId)}::int[],
                ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.level)}::int[], ${rows.map((r) => r.offset)}::text[],
                ${rows.map((r) => r.due.toISOString())}::text[], ${rows.map((r) => r.at.toISOString())}::text[])
      AS r(key, step_id, org_id, recipient_org_id, kind, level, "offset", due_at, at)
    ON CONFLICT (key) DO NOTHING`;
}
