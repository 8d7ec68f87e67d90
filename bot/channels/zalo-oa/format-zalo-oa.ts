/**
 * How chidao's messages look on a Zalo Official Account: pure functions from content to plain-text
 * parts (Zalo shows no markup) of at most 2,000 characters and the buttons under the last part.
 * A button press comes back to us as a message whose text is the button's payload, so payloads carry
 * a "#" that typed text does not start with ({@link parseZaloOaPayload} reads them back).
 */
import type { OutboundDirective } from "../../../server/domain/channel.ts";
import { formatDeadline } from "../../../server/domain/format-deadline.ts";
import { splitText } from "../../../server/domain/split-text.ts";
import { t } from "../../../server/i18n.ts";
import { ZALO_OA_MAX_BUTTONS, ZALO_OA_TEXT_LIMIT, type ZaloOaButton } from "./zalo-oa-client.ts";

/** A reply in the channel-neutral terms: text, choices the person can pick, a link to open. */
export type ZaloOaReplyInput = {
  text: string;
  choices?: { label: string; payload: string }[];
  link?: { label: string; url: string };
  /** The line under numbered choices that says how to pick (in the person's language); Vietnamese by default. */
  hint?: string;
};

export type ZaloOaMessage = {
  /** Texts in sending order, each within Zalo's limit. */
  parts: string[];
  /** Buttons under the last part. */
  buttons: ZaloOaButton[];
};

const PAYLOAD = /^#([a-z][a-z0-9_]*:[^\s#]{1,200})$/;

/** The button payload for `payload` ("ack:12" → "#ack:12"). */
export function toZaloOaPayload(payload: string): string {
  return `#${payload}`;
}

/** The payload a button press carried, or null when `text` was typed ("#ack:12" → "ack:12"). */
export function parseZaloOaPayload(text: string): string | null {
  return PAYLOAD.exec(text.trim())?.[1] ?? null;
}

/** Splits `text` into parts that leave room for "(tiếp theo i/n)" on the later ones. */
function splitWithMarkers(text: string, headLength: number, footer: string): string[] {
  const tail = footer ? `\n\n${footer}` : "";
  if (headLength + text.length + tail.length <= ZALO_OA_TEXT_LIMIT) return [text + tail];
  // "(tiếp theo 99/99)\n\n" is 19 characters; 24 leaves slack.
  const pieces = splitText(text, ZALO_OA_TEXT_LIMIT - headLength - tail.length, ZALO_OA_TEXT_LIMIT - 24 - tail.length);
  return pieces.map((p, i) => `${i === 0 ? "" : `(tiếp theo ${i + 1}/${pieces.length})\n\n`}${p}${i === pieces.length - 1 ? tail : ""}`);
}

/**
 * Lays out a directive: title, issuing office, deadline, body, and (when acknowledgement is asked)
 * a "✅ Đã nhận" button carrying `#ack:<directive id>`; `link` (the document's verification page)
 * becomes a button that opens it.
 */
export function formatZaloOaDirective(
  m: Pick<OutboundDirective, "directiveId" | "title" | "body" | "issuerName" | "deadline" | "requireAck">,
  options: { link?: { label: string; url: string } } = {},
): ZaloOaMessage {
  const norm = (s: string) => s.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  const head = [`📢 ${norm(m.title)}`, m.issuerName ? norm(m.issuerName) : null, m.deadline ? `⏰ Hạn: ${formatDeadline(m.deadline)}` : null]
    .filter((x): x is string => x !== null)
    .join("\n");
  const footer = m.requireAck ? "Bấm «✅ Đã nhận» hoặc trả lời «đã nhận» để xác nhận." : "";
  const body = norm(m.body);
  const parts = body ? splitWithMarkers(body, head.length + 2, footer) : [footer];
  parts[0] = [head, parts[0]].filter(Boolean).join("\n\n");
  const buttons: ZaloOaButton[] = [];
  if (m.requireAck) buttons.push({ title: "✅ Đã nhận", type: "oa.query.hide", payload: toZaloOaPayload(`ack:${m.directiveId}`) });
  if (options.link) buttons.push({ title: options.link.label, type: "oa.open.url", payload: { url: options.link.url } });
  return { parts, buttons };
}

/**
 * Renders a neutral reply: each choice a hidden-query button, the link an open-URL button. More
 * choices than Zalo's five buttons hold are written as numbered lines instead (the person answers
 * with the number), as on the Zalo Bot.
 */
export function formatZaloOaReply(r: ZaloOaReplyInput): ZaloOaMessage {
  const choices = r.choices ?? [];
  const room = ZALO_OA_MAX_BUTTONS - (r.link ? 1 : 0);
  let text = r.text.normalize("NFC").trim();
  const buttons: ZaloOaButton[] = [];
  if (choices.length <= room) for (const c of choices) buttons.push({ title: c.label.slice(0, 100), type: "oa.query.hide", payload: toZaloOaPayload(c.payload) });
  else text += `\n\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n")}\n\n${r.hint ?? t("vi", "bot.choice_by_number")}`;
  if (r.link) buttons.push({ title: r.link.label.slice(0, 100), type: "oa.open.url", payload: { url: r.link.url } });
  return { parts: splitText(text, ZALO_OA_TEXT_LIMIT), buttons };
}
