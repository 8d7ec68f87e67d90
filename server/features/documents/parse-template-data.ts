import type { DocumentTemplate } from "../../documents/index.ts";
import type { CoreData } from "../../documents/core-fields.ts";
import { isAppError } from "../../domain/errors.ts";
import { parseWith } from "../../domain/zod-issues.ts";

/**
 * Validates a document's `data` with its template's schema.
 * @throws AppError VALIDATION naming each bad field with a `data.` prefix (`data.signer.name`), as
 * the client sent them inside `data`.
 */
export function parseTemplateData(template: DocumentTemplate, data: unknown): CoreData {
  try {
    return parseWith(template.schema, data);
  } catch (err) {
    if (isAppError(err, "VALIDATION")) {
      for (const issue of err.issues) issue.path = issue.path === "(body)" ? "data" : `data.${issue.path}`;
    }
    throw err;
  }
}
