/** AppError field issues as a form shows them: a message per field path, in the request's language. */
import { AppError } from "../domain/errors.ts";
import { t, type Locale } from "../i18n.ts";

export type FieldErrors = Record<string, string>;

/** The field errors of `err` when it is a validation (or scope) error with issues; null otherwise (rethrow it). */
export function toFieldErrors(err: unknown, locale: Locale): { errors: FieldErrors; message: string } | null {
  if (!(err instanceof AppError) || !["VALIDATION", "FORBIDDEN", "CONFLICT", "BAD_REQUEST"].includes(err.code)) return null;
  const errors: FieldErrors = {};
  for (const i of err.issues) errors[i.path] ??= i.messageKey ? t(locale, i.messageKey, i.params) : (i.message ?? "");
  return { errors, message: t(locale, err.messageKey ?? "errors.validation", err.params) };
}

/** A form value that may come once or repeated (checkboxes) as a list of strings. */
export function formList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" && value ? [value] : [];
}

/** A form value as one string ("" when absent or repeated). */
export function formString(value: unknown): string {
  return typeof value === "string" ? value : "";
}
