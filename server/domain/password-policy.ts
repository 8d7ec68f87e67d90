/**
 * The one rule for passwords chidao sets (the first administrator from the environment, users an
 * administrator creates or changes). Rules, in order:
 * 1. at least {@link MIN_PASSWORD_LENGTH} characters (after NFC, counted as code points);
 * 2. not a known default: once lower-cased (@ and $ read as a and s), stripped of diacritics and of
 *    everything but letters and digits, it must not be made only of digits and words from
 *    {@link KNOWN_DEFAULTS} (the application's name among them) or of the user's own e-mail or its
 *    local part: "change-me-now", "P@ssw0rd123!", "admin@2024", "adminadmin", "Mật khẩu 1234";
 * 3. not a keyboard or digit run or one character repeated ("123456789012", "qwertyuiop12", "aaaaaaaaaaaa").
 */
import { AppError } from "./errors.ts";

export const MIN_PASSWORD_LENGTH = 12;

/** Words that, with digits or punctuation around them, make the passwords tried first. */
export const KNOWN_DEFAULTS = [
  "changeme",
  "changemenow",
  "changeit",
  "password",
  "passw0rd",
  "passwd",
  "pass",
  "admin",
  "administrator",
  "root",
  "qwerty",
  "letmein",
  "welcome",
  "secret",
  "default",
  "test",
  "guest",
  "user",
  "matkhau",
  "quantri",
  "chidao",
];

const RUNS = ["01234567890123456789", "98765432109876543210", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz", "1qaz2wsx3edc4rfv5tgb6yhn"];

export type PasswordWeakness = "too_short" | "known_default";

/** Lower case, Vietnamese diacritics and đ folded to ASCII, letters and digits only. */
function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** True when `s` is nothing but `words` and digits, with at least one word ("adminadmin2024", "changemenow"). */
function isMadeOf(s: string, words: string[]): boolean {
  const reachable = [true, ...Array<boolean>(s.length).fill(false)];
  for (let i = 0; i < s.length; i++) {
    if (!reachable[i]) continue;
    if (/\d/.test(s[i]!)) reachable[i + 1] = true;
    for (const word of words) if (s.startsWith(word, i)) reachable[i + word.length] = true;
  }
  return reachable[s.length] === true && /[a-z]/.test(s);
}

/**
 * Why `password` may not be set for the user with `email`, or null when it may.
 * @example findPasswordWeakness("changeme", {}) // "too_short"
 * @example findPasswordWeakness("Administrator2024!", {}) // "known_default"
 */
export function findPasswordWeakness(password: string, { email }: { email?: string | undefined }): PasswordWeakness | null {
  if ([...password.normalize("NFC")].length < MIN_PASSWORD_LENGTH) return "too_short";
  const personal = email ? [fold(email), fold(email.split("@")[0] ?? "")] : [];
  const words = [...KNOWN_DEFAULTS, ...personal].filter((word) => word.length > 0);
  // "P@ssw0rd" is "password" to whoever tries defaults first: read @ and $ as the letters they stand for.
  for (const folded of new Set([fold(password), fold(password.replace(/@/g, "a").replace(/\$/g, "s"))])) {
    const stem = folded.replace(/^\d+|\d+$/g, "");
    if (isMadeOf(folded, words)) return "known_default";
    if (new Set(folded).size <= 2) return "known_default";
    if (RUNS.some((run) => run.includes(folded) || (stem.length >= 6 && run.includes(stem)))) return "known_default";
  }
  return null;
}

/**
 * Throws when `password` may not be set (see {@link findPasswordWeakness}).
 * @throws AppError VALIDATION (422) with an issue on `path`.
 */
export function assertPasswordPolicy(password: string, { email, path = "password" }: { email?: string | undefined; path?: string }): void {
  const weakness = findPasswordWeakness(password, { email });
  if (!weakness) return;
  throw new AppError("VALIDATION", `weak password: ${weakness}`, {
    messageKey: "errors.validation",
    issues: [{ path, messageKey: `errors.password.${weakness}`, params: { min: MIN_PASSWORD_LENGTH } }],
  });
}
