/**
 * Vietnamese mobile numbers as officers type them ("0903 123 456", "+84 903.123.456", "84903123456")
 * or as Excel leaves them after dropping the leading zero of a numeric cell ("903123456").
 */

// Since the 2018 renumbering every mobile number is 0 + 9 digits whose first digit is 3, 5, 7, 8 or 9.
const NATIONAL_MOBILE = /^[35789]\d{8}$/;

/**
 * Normalises a Vietnamese mobile number to E.164 (`+84` and nine digits), or returns null when it is
 * not one. Spaces, dots, dashes and parentheses are ignored.
 * @example normalizePhone("0903 123.456") // "+84903123456"
 * @example normalizePhone("+84 (0) 903 123 456") // "+84903123456"
 * @example normalizePhone("12345") // null
 */
export function normalizePhone(raw: string): string | null {
  let s = raw.normalize("NFKC").replace(/[\s.\-()]/g, "");
  if (s.startsWith("+84")) s = s.slice(3);
  else if (s.startsWith("0084")) s = s.slice(4);
  else if (s.startsWith("84") && s.length === 11) s = s.slice(2);
  // "+84 (0) 903…" and "0903…" both carry a trunk zero before the nine national digits.
  if (s.startsWith("0") && s.length === 10) s = s.slice(1);
  return NATIONAL_MOBILE.test(s) ? `+84${s}` : null;
}
