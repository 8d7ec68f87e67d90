/**
 * The payload of the checklist buttons: `st:<directive>:<step>:<d|p|b>` (done, in progress,
 * blocked), within Telegram's 64 bytes. Each button's label is also words the status rules read
 * ("✅ xong bước 2"), so a channel without buttons shows what to write.
 */
import type { StepStatusIntent } from "../../server/domain/status-reply.ts";
import { t, type Locale } from "../../server/i18n.ts";
import type { Choice } from "./reply.ts";

const CODES = { DONE: "d", IN_PROGRESS: "p", BLOCKED: "b" } as const satisfies Record<StepStatusIntent, string>;

/** The payload that reports `status` for step `n` of `directiveId`. */
export const statusPayload = (directiveId: number, n: number, status: StepStatusIntent): string => `st:${directiveId}:${n}:${CODES[status]}`;

/** Parses `st:<directive>:<step>:<code>`; null for anything else. */
export function parseStatusPayload(payload: string | undefined): { directiveId: number; n: number; status: StepStatusIntent } | null {
  const m = /^st:(\d{1,9}):(\d{1,3}):([dpb])$/.exec(payload ?? "");
  if (!m) return null;
  const status = m[3] === "d" ? "DONE" : m[3] === "p" ? "IN_PROGRESS" : "BLOCKED";
  return { directiveId: Number(m[1]), n: Number(m[2]), status };
}

/** The three buttons for step `n` of a directive. */
export function stepChoices(locale: Locale, directiveId: number, n: number): Choice[] {
  return [
    { label: t(locale, "programmes.bot.button_done", { n }), payload: statusPayload(directiveId, n, "DONE") },
    { label: t(locale, "programmes.bot.button_progress", { n }), payload: statusPayload(directiveId, n, "IN_PROGRESS") },
    { label: t(locale, "programmes.bot.button_blocked", { n }), payload: statusPayload(directiveId, n, "BLOCKED") },
  ];
}
