/** Text hygiene shared by every input that reaches a person or a document. */
import { z } from "zod";

// C0 controls except TAB and LF, DEL, C1 controls, and Unicode line/paragraph separators.
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

// PostgreSQL refuses U+0000 in text and jsonb; a surrogate without its pair cannot be encoded as
// UTF-8 at all (the driver would silently store U+FFFD instead: corrupted, not refused).
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` can be stored in PostgreSQL exactly as given (no NUL, no unpaired surrogate). */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * The path (`data.items.0.text`, zod's notation) of a string or object key in `value` that
 * {@link isStorableText} refuses, or null when every one can be stored. A bad key is named by its
 * escaped form. Walks iteratively, so however deep the input nests the stack cannot overflow.
 * @example findUnstorableText({ email: "a\u0000@b" }) // "email"
 */
export function findUnstorableText(value: unknown, rootPath = ""): string | null {
  const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
  const stack: { v: unknown; path: string }[] = [{ v: value, path: rootPath }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (!isStorableText(v)) return path || "(body)";
    } else if (v !== null && typeof v === "object") {
      for (const [key, child] of Object.entries(v)) {
        if (!isStorableText(key)) return join(path, JSON.stringify(key).slice(1, -1));
        stack.push({ v: child, path: join(path, key) });
      }
    }
  }
  return null;
}
