/**
 * How a directive looks in Telegram: pure functions from content to HTML message parts. Telegram
 * counts the 4096-character limit after entity parsing, so the text is split as plain text first
 * and escaped afterwards — a split can never fall inside a tag or an entity.
 */
import type { OutboundDirective } from "../../../server/domain/channel.ts";
import { formatDeadline } from "../../../server/domain/format-deadline.ts";
import { splitText } from "../../../server/domain/split-text.ts";

/** Telegram's limit on a message's text after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on a document caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** Escapes text for Telegram's HTML parse mode (only `<`, `>` and `&` are special there). */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

export type DirectiveMessages = {
  /** HTML texts in sending order; the acknowledge button goes under the last one. */
  texts: string[];
  /** Caption for the attached PDF, when there is one. */
  caption: string | undefined;
};

/**
 * Lays out a directive: bold title, issuing office, deadline, then the body; long bodies continue
 * in further messages marked "(tiếp theo i/n)".
 */
export function formatDirective(m: Pick<OutboundDirective, "title" | "body" | "issuerName" | "deadline" | "requireAck" | "attachment">): DirectiveMessages {
  const title = m.title.trim();
  const headPlain = [`📢 ${title}`, m.issuerName ? m.issuerName : null, m.deadline ? `⏰ Hạn: ${formatDeadline(m.deadline)}` : null].filter((x): x is string => x !== null);
  const headHtml = [
    `<b>📢 ${escapeHtml(title)}</b>`,
    m.issuerName ? `<i>${escapeHtml(m.issuerName)}</i>` : null,
    m.deadline ? `⏰ Hạn: <b>${escapeHtml(formatDeadline(m.deadline))}</b>` : null,
  ].filter((x): x is string => x !== null);
  const footPlain = m.requireAck ? "Bấm «✅ Đã nhận» hoặc trả lời «đã nhận» để xác nhận." : "";
  const headLength = headPlain.join("\n").length + 2;
  // Room for "(tiếp theo 99/99)\n\n" on later pieces and the footer on the last.
  const marker = 24;
  const footLength = footPlain ? footPlain.length + 2 : 0;
  const body = m.body.replace(/\r\n?/g, "\n").trim();
  let pieces = splitText(body, TELEGRAM_TEXT_LIMIT - headLength - footLength, TELEGRAM_TEXT_LIMIT - marker - footLength);
  if (headLength + body.length + footLength <= TELEGRAM_TEXT_LIMIT) pieces = [body];
  const texts = pieces.map((piece, i) => {
    const lead = i === 0 ? `${headHtml.join("\n")}\n\n` : `<i>(tiếp theo ${i + 1}/${pieces.length})</i>\n\n`;
    const tail = i === pieces.length - 1 && footPlain ? `\n\n<i>${escapeHtml(footPlain)}</i>` : "";
    return `${lead}${escapeHtml(piece)}${tail}`;
  });
  const caption = m.attachment ? escapeHtml(`📎 ${m.attachment.caption ?? m.attachment.filename} — ${title}`.slice(0, TELEGRAM_CAPTION_LIMIT - 50)) : undefined;
  return { texts, caption };
}
