import type { DocumentTemplate } from "../../documents/index.ts";
import { listTemplates, getTemplate } from "../../../templates/index.ts";
import { fieldError } from "./document-errors.ts";

/**
 * The template called `name`.
 * @throws AppError VALIDATION naming the `template` field, listing the known names.
 */
export function getDocumentTemplate(name: string): DocumentTemplate {
  const template = getTemplate(name);
  if (!template)
    throw fieldError("template", "documents.errors.unknown_template", {
      name,
      names: listTemplates()
        .map((t) => t.name)
        .join(", "),
    });
  return template;
}
