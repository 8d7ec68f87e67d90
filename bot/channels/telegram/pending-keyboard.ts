/**
 * Lists of directives awaiting acknowledgement, as the bot shows them: one line per directive with
 * its deadline, and one "✅ <title>" button per directive carrying `ack:<id>` like the button under
 * the directive itself, so every acknowledgement button means the same thing.
 */
import { InlineKeyboard } from "grammy";
import type { PendingDirective } from "../../../server/features/chat/find-pending-directives.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import { formatDeadline } from "./format-directive.ts";

/** At most this many directives are listed; Telegram shows a long keyboard badly on phones. */
export const MAX_LISTED = 10;

/** Button data for acknowledging a directive. */
export const ackData = (directiveId: number): string => `ack:${directiveId}`;
/** Parses `ack:<id>`; null for anything else. */
export function parseAckData(data: string): number | null {
  const m = /^ack:(\d{1,9})$/.exec(data);
  return m ? Number(m[1]) : null;
}

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

/** One button per directive and row, in the order given. */
export function pendingKeyboard(pending: Pick<PendingDirective, "id" | "title">[]): InlineKeyboard {
  return InlineKeyboard.from(pending.slice(0, MAX_LISTED).map((d) => [InlineKeyboard.text(`✅ ${shortenTitle(d.title)}`, ackData(d.id))]));
}

/** "Văn bản chờ xác nhận (2):\n1. Title — hạn 17h00 ngày 01/12/2026\n2. …" */
export function pendingListText(locale: Locale, pending: PendingDirective[], total = pending.length): string {
  const lines = pending.slice(0, MAX_LISTED).map((d, i) => {
    const deadline = d.deadline ? ` — ${t(locale, "bot.pending_deadline", { deadline: formatDeadline(d.deadline) })}` : "";
    // Ten lines must fit Telegram's 4096 characters whatever the titles.
    return `${i + 1}. ${shortenTitle(d.title, 300)}${deadline}`;
  });
  if (total > MAX_LISTED) lines.push(t(locale, "bot.pending_more", { count: total - MAX_LISTED }));
  return `${t(locale, "bot.pending_title", { count: total })}\n${lines.join("\n")}`;
}
