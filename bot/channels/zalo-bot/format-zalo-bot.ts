/**
 * How chidao's messages look on the Zalo Bot: plain text only, since the platform has no buttons.
 * Choices become numbered lines the person answers with a number ("1", "số 1"); a link is written out.
 */
import type { OutboundDirective } from "../../../server/domain/channel.ts";
import { formatDeadline } from "../../../server/domain/format-deadline.ts";
import { t } from "../../../server/i18n.ts";

/** A reply in the channel-neutral terms: text, choices the person can pick, a link to open. */
export type ZaloBotReplyInput = {
  text: string;
  choices?: { label: string }[];
  link?: { label: string; url: string };
  /** The line under the choices that says how to pick (in the person's language); Vietnamese by default. */
  hint?: string;
};

/** Renders a reply as one text (the client splits it at the platform's limit). */
export function formatZaloBotReply(r: ZaloBotReplyInput): string {
  const blocks = [r.text.normalize("NFC").trim()];
  const choices = r.choices ?? [];
  if (choices.length) blocks.push(`${choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n")}\n\n${r.hint ?? t("vi", "bot.choice_by_number")}`);
  if (r.link) blocks.push(`${r.link.label}: ${r.link.url}`);
  return blocks.join("\n\n");
}

/**
 * Lays out a directive: title, issuing office, deadline, body, the link (the document's verification
 * page: the bot cannot send files) and how to acknowledge in words.
 */
export function formatZaloBotDirective(
  m: Pick<OutboundDirective, "title" | "body" | "issuerName" | "deadline" | "requireAck">,
  options: { link?: { label: string; url: string } } = {},
): string {
  const norm = (s: string) => s.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  const head = [`📢 ${norm(m.title)}`, m.issuerName ? norm(m.issuerName) : null, m.deadline ? `⏰ Hạn: ${formatDeadline(m.deadline)}` : null].filter(
    (x): x is string => x !== null,
  );
  const blocks = [head.join("\n"), norm(m.body)];
  if (options.link) blocks.push(`📄 ${options.link.label}: ${options.link.url}`);
  if (m.requireAck) blocks.push("Trả lời «đã nhận» để xác nhận.");
  return blocks.join("\n\n");
}
