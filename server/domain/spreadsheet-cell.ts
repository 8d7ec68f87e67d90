/**
 * Officers open every export in Excel: a cell that starts with = + - @ TAB or CR would run as a
 * formula (CSV/formula injection, OWASP ASVS 1.2.10), so such text is prefixed with an apostrophe.
 */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
