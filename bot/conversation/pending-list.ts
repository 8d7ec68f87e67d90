/**
 * Lists of directives awaiting acknowledgement, as the bot shows them on any channel: one line per
 * directive with its deadline, and one "✅ <title>" choice per directive.
 */
import { formatDeadline } from "../../server/domain/format-deadline.ts";
import type { PendingDirective } from "../../server/features/chat/find-pending-directives.ts";
import { t, type Locale } from "../../server/i18n.ts";
import { ackPayload } from "./ack-payload.ts";
import type { Choice } from "./reply.ts";

/** At most this many directives are listed; a long list of buttons shows badly on phones. */
export const MAX_LISTED = 10;

/** Shortens a title for a button label, on a character (not UTF-16 unit) boundary. */
export function shortenTitle(title: string, max = 48): string {
  const chars = [...title.trim()];
  return chars.length <= max
    ? chars.join("")
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** One acknowledgement choice per directive, in the order given. */
export function pendingChoices(pending: Pick<PendingDirective, "id" | "title">[]): Choice[] {
  return pending.slice(0, MAX_LISTED).map((d) => ({ label: `✅ ${shortenTitle(d.title)}`, payload: ackPayload(d.id) }));
}

/** "Văn bản chờ xác nhận (2):\n1. Title — hạn 17h00 ngày 01/12/2026\n2. …" */
export function pendingListText(locale: Locale, pending: PendingDirective[], total = pending.length): string {
  const lines = pending.slice(0, MAX_LISTED).map((d, i) => {
    const deadline = d.deadline ? ` — ${t(locale, "bot.pending_deadline", { deadline: formatDeadline(d.deadline) })}` : "";
    // Ten lines must fit Telegram's 4096 characters whatever the titles (Zalo splits longer texts).
    return `${i + 1}. ${shortenTitle(d.title, 300)}${deadline}`;
  });
  if (total > MAX_LISTED) lines.push(t(locale, "bot.pending_more", { count: total - MAX_LISTED }));
  return `${t(locale, "bot.pending_title", { count: total })}\n${lines.join("\n")}`;
}
