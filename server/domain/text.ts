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

// PostgreSQL refuses U+0000 in text and jsonb; a surrogate without its pair cannot be encoded as
// UTF-8 at all (the driver would silently store U+FFFD instead: corrupted, not refused).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Almost every string has neither; this cheap test spares it the precise one (lookarounds are slow).
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** True when `s` can be stored in PostgreSQL exactly as given (no NUL, no unpaired surrogate). */
export function isStorableText(s: string): boolean {
  return !SUSPECT.test(s) || !UNSTORABLE.test(s);
}

/**
 * The paths (`data.items.0.text`, zod's notation), in document order, of the strings and object keys
 * in `value` that {@link isStorableText} refuses, at most `max` of them; empty when all can be
 * stored. A bad key is named by its escaped form. Walks with an explicit stack and builds a path
 * string only for an answer, so any depth and size costs one pass and no recursion.
 * @example unstorableTextPaths({ email: "a\u0000@b", name: "ok" }) // ["email"]
 */
export function unstorableTextPaths(value: unknown, max = 20): string[] {
  if (typeof value === "string") return isStorableText(value) ? [] : ["(body)"];
  if (value === null || typeof value !== "object") return [];
  type Frame = { node: Record<string, unknown> | unknown[]; keys: string[] | null; next: number };
  const frameOf = (node: object): Frame => (Array.isArray(node) ? { node, keys: null, next: 0 } : { node: node as Record<string, unknown>, keys: Object.keys(node), next: 0 });
  const found: string[] = [];
  const path: (string | number)[] = [];
  const frames: Frame[] = [frameOf(value)];
  while (frames.length && found.length < max) {
    const frame = frames[frames.length - 1]!;
    const size = frame.keys ? frame.keys.length : (frame.node as unknown[]).length;
    if (frame.next === size) {
      frames.pop();
      path.pop();
      continue;
    }
    const i = frame.next++;
    let key: string | number = i;
    let child: unknown;
    if (frame.keys) {
      key = frame.keys[i]!;
      if (!isStorableText(key)) {
        found.push([...path, JSON.stringify(key).slice(1, -1)].join("."));
        continue;
      }
      child = (frame.node as Record<string, unknown>)[key];
    } else child = (frame.node as unknown[])[i];
    if (typeof child === "string") {
      if (!isStorableText(child)) found.push([...path, key].join("."));
    } else if (child !== null && typeof child === "object") {
      frames.push(frameOf(child));
      path.push(key);
    }
  }
  return found;
}

/** The first of {@link unstorableTextPaths}, or null. */
export function findUnstorableText(value: unknown): string | null {
  return unstorableTextPaths(value, 1)[0] ?? null;
}
