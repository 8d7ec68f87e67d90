import type { Db } from "../../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind, type ChannelRegistry, type OutboundNotice } from "../../domain/channel.ts";
import type { WorkingCalendar } from "../../domain/working-calendar.ts";
import { buildEscalationDigest, buildReminderDigest, type DigestItem } from "./build-digest.ts";
import { claimDueReminders, type ClaimedReminder } from "./claim-due-reminders.ts";
import { findReminderContext, findReminderRecipients, type Recipient } from "./find-reminder-context.ts";
import { planDirectiveReminders, REPLAN_EVERY_MS } from "./plan-directive-reminders.ts";

export type ReminderSweepOptions = {
  registry: ChannelRegistry;
  calendar: WorkingCalendar;
  /** The clock: the sweep never reads the time itself (tests drive it). */
  now: Date;
  /** A claim older than this belongs to a sweeper that died mid-send; its rows are taken over. */
  leaseMs?: number;
  /** Recipient offices handled per tick. */
  orgs?: number;
  /** Directives planned per tick. */
  plans?: number;
};

export type ReminderSweepResult = { planned: number; claimed: number; sent: number; skipped: number; messages: number; retried: number };

/** A failed send is tried again this much later. */
const RETRY_MS = 5 * 60_000;

/** Published directives whose reminders were never planned, or whose rolling plan is a day old. */
async function plan(db: Db, o: ReminderSweepOptions): Promise<number> {
  const due = await db.$queryRaw<{ id: number }[]>`
    SELECT d.id FROM "Directive" d
    WHERE d.status = 'PUBLISHED' AND ("remindersPlannedAt" IS NULL OR "remindersPlannedAt" < ${new Date(o.now.getTime() - REPLAN_EVERY_MS)})
      AND (d.deadline IS NOT NULL OR EXISTS (SELECT 1 FROM "ChecklistStep" s WHERE s."directiveId" = d.id))
    ORDER BY d."remindersPlannedAt" NULLS FIRST, d.id LIMIT ${o.plans ?? 5}`;
  let planned = 0;
  for (const { id } of due) planned += await planDirectiveReminders(db, { directiveId: id, calendar: o.calendar, now: o.now });
  return planned;
}

/** Why a claimed reminder is not sent, or null when it should be. */
function skipReason(r: ClaimedReminder, c: DigestItem["c"] | undefined): string | null {
  if (!c) return "gone";
  if (r.kind === "NOTICE") return null;
  if (!c.published) return "directive withdrawn";
  if (c.done) return "done";
  // Planned against a due date that has moved since (an extension): the new plan has its own rows.
  if (c.currentDue === null || c.currentDue.getTime() !== r.dueAt.getTime()) return "replanned";
  return null;
}

/**
 * One tick of the reminder sweep: plans what needs planning, claims what is due (all of a recipient
 * office's rows at once, see {@link claimDueReminders}), drops what no longer matters (done,
 * acknowledged, re-planned), and sends each person ONE message for everything due for them —
 * notices first, then the digest of their school's items, or for a supervising office's people
 * the digest of its overdue schools. A row is SENT once any of its people got it, SKIPPED when
 * nobody can be reached, and PLANNED again a few minutes later when every send failed.
 */
export async function sweepReminders(db: Db, o: ReminderSweepOptions): Promise<ReminderSweepResult> {
  const planned = await plan(db, o);
  const claimed = await claimDueReminders(db, { now: o.now, leaseMs: o.leaseMs ?? 5 * 60_000, orgs: o.orgs ?? 100 });
  const result: ReminderSweepResult = { planned, claimed: claimed.length, sent: 0, skipped: 0, messages: 0, retried: 0 };
  if (!claimed.length) return result;
  const context = await findReminderContext(
    db,
    claimed.map((r) => r.id),
  );
  const skipped = new Map<number, string>();
  const live: DigestItem[] = [];
  for (const r of claimed) {
    const reason = skipReason(r, context.get(r.id));
    if (reason) skipped.set(r.id, reason);
    else live.push({ r, c: context.get(r.id)! });
  }
  const channels = CHANNEL_KINDS.filter((k) => typeof o.registry.get(k)?.sendNotice === "function");
  const recipients = await findReminderRecipients(db, {
    orgIds: [...new Set(live.map((i) => i.r.recipientOrgId))],
    withOfficers: [...new Set(live.filter((i) => i.r.kind === "ESCALATION").map((i) => i.r.recipientOrgId))],
    channels,
  });
  const byOrg = new Map<number, Recipient[]>();
  for (const p of recipients) byOrg.set(p.organizationId, [...(byOrg.get(p.organizationId) ?? []), p]);

  const reached = new Map<number, number>();
  const failed = new Set<number>();
  for (const [orgId, people] of byOrg) {
    const items = live.filter((i) => i.r.recipientOrgId === orgId);
    for (const person of people) {
      // Officers are told of escalations only; a school's reminders go to its principal.
      const mine = person.role === "PRINCIPAL" ? items : items.filter((i) => i.r.kind === "ESCALATION");
      for (const part of messagesFor(person, mine, o.now)) {
        const ok = await send(o.registry, person.channel, part.notice);
        result.messages += ok ? 1 : 0;
        for (const id of part.ids) {
          if (ok) reached.set(id, (reached.get(id) ?? 0) + 1);
          else failed.add(id);
        }
      }
    }
  }
  const sentIds = [...reached.keys()];
  const retryIds = [...failed].filter((id) => !reached.has(id));
  for (const i of live) if (!reached.has(i.r.id) && !failed.has(i.r.id)) skipped.set(i.r.id, "nobody to tell");
  await settle(db, { sentIds, reached, retryIds, skipped, now: o.now });
  Object.assign(result, { sent: sentIds.length, skipped: skipped.size, retried: retryIds.length });
  return result;
}

/** The messages one person gets this tick: each notice, then one digest (reminders or escalations). */
function messagesFor(person: Recipient, items: DigestItem[], now: Date): { notice: OutboundNotice; ids: number[] }[] {
  const out: { notice: OutboundNotice; ids: number[] }[] = [];
  for (const i of items.filter((x) => x.r.kind === "NOTICE")) out.push({ notice: { chatId: person.chatId, text: i.r.message ?? "" }, ids: [i.r.id] });
  const reminders = items.filter((x) => x.r.kind !== "NOTICE" && x.r.kind !== "ESCALATION");
  if (reminders.length) out.push({ notice: buildReminderDigest(person.chatId, reminders, now), ids: reminders.map((x) => x.r.id) });
  const escalations = items.filter((x) => x.r.kind === "ESCALATION");
  if (escalations.length) out.push({ notice: buildEscalationDigest(person.chatId, escalations, now), ids: escalations.map((x) => x.r.id) });
  return out;
}

async function send(registry: ChannelRegistry, channel: ChannelKind, notice: OutboundNotice): Promise<boolean> {
  try {
    await registry.get(channel)!.sendNotice!(notice);
    return true;
  } catch {
    // The platform refused or failed: counted as not reached; the row is tried again later.
    return false;
  }
}

async function settle(db: Db, s: { sentIds: number[]; reached: Map<number, number>; retryIds: number[]; skipped: Map<number, string>; now: Date }): Promise<void> {
  const ops = [];
  if (s.sentIds.length) {
    ops.push(db.$executeRaw`
      UPDATE "Reminder" r SET status = 'SENT', "sentAt" = ${s.now}, outcome = 'sent to ' || x.n || ' person(s)', "updatedAt" = now()
      FROM unnest(${s.sentIds}::int[], ${s.sentIds.map((id) => s.reached.get(id) ?? 0)}::int[]) AS x(id, n) WHERE r.id = x.id`);
  }
  if (s.retryIds.length) {
    ops.push(
      db.$executeRaw`UPDATE "Reminder" SET status = 'PLANNED', "claimedAt" = NULL, at = ${new Date(s.now.getTime() + RETRY_MS)}, outcome = 'send failed; trying again', "updatedAt" = now() WHERE id = ANY(${s.retryIds}::int[])`,
    );
  }
  if (s.skipped.size) {
    const ids = [...s.skipped.keys()];
    ops.push(db.$executeRaw`
      UPDATE "Reminder" r SET status = 'SKIPPED', outcome = x.reason, "updatedAt" = now()
      FROM unnest(${ids}::int[], ${ids.map((id) => s.skipped.get(id)!)}::text[]) AS x(id, reason) WHERE r.id = x.id`);
  }
  if (ops.length) await db.$transaction(ops);
}
