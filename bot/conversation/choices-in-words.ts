/**
 * Choices for platforms that cannot show them all as buttons (Zalo Bot: none; Zalo OA: five). The
 * core reads no bare numbers ("1") yet, but it does read a directive named in words ("đã nhận #12"),
 * so each acknowledgement choice says what to write; other choices keep their label.
 */
import { t, type Locale } from "../../server/i18n.ts";
import { parseAckPayload } from "./ack-payload.ts";
import type { Choice } from "./reply.ts";

/** The choices with their labels extended by the words that pick them. */
export function choicesInWords(choices: readonly Choice[], locale: Locale): Choice[] {
  return choices.map((c) => {
    const id = parseAckPayload(c.payload);
    return id === null ? c : { ...c, label: t(locale, "bot.choice_in_words", { label: c.label, id }) };
  });
}
