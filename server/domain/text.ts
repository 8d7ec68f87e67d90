/** Text hygiene shared by every input that reaches a person or a document. */
import { z } from "zod";

// C0 controls except TAB and LF, DEL, C1 controls, and Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds.
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/;

/** True when `s` holds control characters that have no place in a message or document. */
export function hasControlChars(s: string): boolean {
  return FORBIDDEN_CONTROLS.test(s.replace(/\r\n/g, "\n"));
}

/**
 * A user-typed string: NFC-normalised (Vietnamese typed on phones often arrives decomposed), CRLF
 * folded to LF, trimmed, free of control characters, between `min` and `max` characters.
 */
export function userText({ min = 1, max, multiline = false }: { min?: number; max: number; multiline?: boolean }) {
  return z
    .string()
    .transform((s) => s.replace(/\r\n?/g, "\n").normalize("NFC").trim())
    .refine((s) => !hasControlChars(s) && (multiline || !s.includes("\n")), { params: { messageKey: "errors.field.control_chars" }, message: "control characters" })
    .pipe(z.string().min(min).max(max));
}
