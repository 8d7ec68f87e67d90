import { AppError } from "../domain/errors.ts";
import { ORG_CODE_PATTERN } from "../domain/org.ts";

/**
 * Parses a numeric path id. Anything else is a 404 for that kind of object, not a 500.
 * @throws AppError NOT_FOUND
 */
export function parseId(value: string | string[] | undefined, what: "directive" | "person" | "document" | "org" | "user"): number {
  const s = Array.isArray(value) ? value[0] : value;
  const n = s && /^\d{1,9}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    const key =
      what === "directive" ? "errors.directive_not_found" : what === "person" ? "errors.person_not_found" : what === "user" ? "errors.user_not_found" : "errors.not_found";
    throw new AppError("NOT_FOUND", `bad ${what} id`, { messageKey: key, params: { id: s ?? "", what } });
  }
  return n;
}

/**
 * Parses an organisation code from a path. A value no organisation can have (wrong characters, too
 * long) is the same 404 as an unknown code, answered before any query (text that cannot be stored at
 * all, such as a NUL, is refused earlier, for every route: middleware/storable-text.ts).
 * @throws AppError NOT_FOUND
 */
export function parseOrgCode(value: string | string[] | undefined): string {
  const s = (Array.isArray(value) ? value[0] : value) ?? "";
  if (s.length > 64 || !ORG_CODE_PATTERN.test(s))
    // eslint-disable-next-line no-control-regex -- control characters are dropped from the code echoed in the message
    throw new AppError("NOT_FOUND", "bad org code", { messageKey: "errors.org_not_found", params: { code: s.replace(/[\u0000-\u001f]/g, "") } });
  return s;
}
