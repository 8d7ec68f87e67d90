/** The errors the documents service shares between its use cases. */
import { AppError } from "../../domain/errors.ts";

/** 404 for a document id that does not exist or lies outside the user's subtree (the two are not told apart). */
export function documentNotFound(id: number | string): AppError {
  return new AppError("NOT_FOUND", `document ${id}`, { messageKey: "documents.errors.not_found", params: { id } });
}

/** 422 naming one field, e.g. `fieldError("issuer", "documents.errors.issuer_not_found", { code })`. */
export function fieldError(path: string, messageKey: string, params: Record<string, unknown> = {}): AppError {
  return new AppError("VALIDATION", `${path}: ${messageKey}`, { messageKey: "errors.validation", issues: [{ path, messageKey, params }] });
}
