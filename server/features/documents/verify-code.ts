/**
 * Verification codes: 10 characters of Crockford's base32 (no I, L, O, U) from the system's CSPRNG,
 * 50 bits, so that guessing a valid code is pointless (RELIABILITY §3.3), short enough to type
 * from paper, and unambiguous when read aloud or handwritten.
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const VERIFY_CODE_LENGTH = 10;

/** A new random code, e.g. "7K3M9QX2TD". */
export function newVerifyCode(): string {
  const bytes = randomBytes(VERIFY_CODE_LENGTH);
  // 256 is a multiple of 32, so taking 5 bits of each byte keeps every symbol equally likely.
  return [...bytes].map((b) => ALPHABET[b & 31]).join("");
}

/**
 * What a person typed, as the stored code: upper case, hyphens and spaces dropped, and the letters
 * Crockford maps to digits (O → 0, I and L → 1) folded. Null when it cannot be a code.
 */
export function parseVerifyCode(input: string): string | null {
  if (input.length > 40) return null;
  const s = input.toUpperCase().replace(/[-\s]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return s.length === VERIFY_CODE_LENGTH && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}
