/** Templates whose body is the core fields alone (Mẫu 1.4 "văn bản có tên loại", and công văn). */
import { parseBody } from "../server/documents/parse-body.ts";
import { CoreSchema, type CoreData } from "../server/documents/core-fields.ts";
import type { DocumentTemplate } from "../server/documents/document-template.ts";

/** A template that is the core fields and a type name. */
export function letterTemplate(name: string, label: string, typeName: string, abbreviation: string | null): DocumentTemplate {
  return {
    name,
    label,
    typeName,
    abbreviation,
    schema: CoreSchema,
    compose: (data: CoreData) => ({ body: parseBody(data.body) }),
  };
}
