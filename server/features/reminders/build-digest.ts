import { formatDeadline } from "../../domain/format-deadline.ts";
import type { OutboundNotice } from "../../domain/channel.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { t } from "../../i18n.ts";
import type { ClaimedReminder } from "./claim-due-reminders.ts";
import type { ReminderContext } from "./find-reminder-context.ts";

export type DigestItem = { r: ClaimedReminder; c: ReminderContext };

/** Days between two instants' Vietnam dates (b − a). */
function dayDiff(a: Date, b: Date): number {
  const day = (d: Date) => {
    const v = vietnamTime(d);
    return Date.UTC(v.year, v.month - 1, v.day) / 86_400_000;
  };
  return day(b) - day(a);
}

function when(due: Date, now: Date): string {
  const days = dayDiff(now, due);
  if (due.getTime() < now.getTime()) return t("vi", "programmes.digest.overdue", { days: Math.max(1, -days) });
  if (days === 0) return t("vi", "programmes.digest.today");
  return t("vi", "programmes.digest.left", { days });
}

function itemLine({ c }: DigestItem, due: Date, now: Date): string {
  const what = c.stepN !== null ? t("vi", "programmes.digest.step", { title: c.directiveTitle, n: c.stepN, step: c.stepTitle ?? "" }) : `«${c.directiveTitle}»`;
  return `• ${what}: ${t("vi", "programmes.bot.due", { due: formatDeadline(due) })} (${when(due, now)})`;
}

/** At most this many buttons under a digest. */
const MAX_CHOICES = 5;

/**
 * One principal's digest: everything due for them in this slot, one line each, with a "✅ xong
 * bước n" (or "✅ Đã nhận") choice per item, first items first. In Vietnamese, like the directives.
 */
export function buildReminderDigest(chatId: string, items: DigestItem[], now: Date): OutboundNotice {
  const lines = items.map((i) => itemLine(i, i.c.currentDue ?? i.r.dueAt, now));
  const choices = items
    .slice(0, MAX_CHOICES)
    .map(({ r, c }) =>
      c.stepN !== null
        ? { label: t("vi", "programmes.bot.button_done", { n: c.stepN }), payload: `st:${r.directiveId}:${c.stepN}:d` }
        : { label: `✅ Đã nhận #${r.directiveId}`, payload: `ack:${r.directiveId}` },
    );
  return { chatId, text: `${t("vi", "programmes.digest.title", { count: items.length })}\n${lines.join("\n")}\n\n${t("vi", "programmes.bot.how_to_answer")}`, choices };
}

/** A supervising office's digest of its overdue schools, by school. */
export function buildEscalationDigest(chatId: string, items: DigestItem[], now: Date): OutboundNotice {
  const lines = items.map(
    (i) =>
      `• ${i.c.orgName} — ${itemLine(i, i.c.currentDue ?? i.r.dueAt, now).slice(2)}${i.c.status === "BLOCKED" ? ` — ${t("vi", "programmes.status.blocked").toLowerCase()}` : ""}`,
  );
  return { chatId, text: `${t("vi", "programmes.digest.escalation_title", { count: new Set(items.map((i) => i.r.organizationId)).size })}\n${lines.join("\n")}` };
}
