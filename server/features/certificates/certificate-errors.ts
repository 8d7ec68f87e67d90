/** Errors the certificate use cases share. */
import { AppError } from "../../domain/errors.ts";

/** 404 for a batch that does not exist or lies outside the user's subtree (not told apart). */
export function batchNotFound(id: number | string): AppError {
  return new AppError("NOT_FOUND", `certificate batch ${id}`, { messageKey: "certificates.errors.batch_not_found", params: { id } });
}

/** 404 for an occasion that does not exist or lies outside the user's subtree. */
export function occasionNotFound(id: number | string, path?: string): AppError {
  const params = { id };
  if (path)
    return new AppError("VALIDATION", `occasion ${id}`, { messageKey: "errors.validation", issues: [{ path, messageKey: "certificates.errors.occasion_not_found", params }] });
  return new AppError("NOT_FOUND", `occasion ${id}`, { messageKey: "certificates.errors.occasion_not_found", params });
}
