/**
 * The one text rule at the HTTP edge: text PostgreSQL cannot store exactly (a NUL character, an
 * unpaired surrogate; see server/domain/text.ts) is a 422 naming the field, in the request's
 * language, before any route or query sees it. Path segments and query strings are checked for
 * every request here; JSON bodies by {@link assertStorableBody}, run by the JSON body parser.
 */
import type { Request, RequestHandler } from "express";
import { AppError } from "../../domain/errors.ts";
import { isStorableText, unstorableTextPaths } from "../../domain/text.ts";

function unstorable(paths: string[]): AppError {
  return new AppError("VALIDATION", `unstorable text in ${paths.join(", ")}`, {
    messageKey: "errors.validation",
    issues: paths.map((path) => ({ path, messageKey: "errors.field.unstorable_text" })),
  });
}

/** A path segment as the router will decode it; undecodable ones are left to the router (a 400). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

/** Rejects a request whose path or query string holds text that cannot be stored. */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  if (!req.path.split("/").every((segment) => isStorableText(decodedSegment(segment)))) return next(unstorable(["(path)"]));
  const inQuery = unstorableTextPaths(req.query);
  next(inQuery.length ? unstorable(inQuery) : undefined);
};

/**
 * Throws when the parsed body holds text that cannot be stored, naming each field (up to 20) as zod would.
 * @throws AppError VALIDATION (422)
 */
export function assertStorableBody(req: Request): void {
  const inBody = unstorableTextPaths(req.body);
  if (inBody.length) throw unstorable(inBody);
}
