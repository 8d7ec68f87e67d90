import type { DocumentTemplate } from "../../documents/index.ts";
import { listTemplates, getTemplate } from "../../../templates/index.ts";
import { getCertificateTemplate, listCertificateTemplates } from "../../../templates/certificates/index.ts";
import { certificateAsDocumentTemplate } from "../certificates/certificate-as-document-template.ts";
import { fieldError } from "./document-errors.ts";

/** Whether `name` is a certificate template (previewed and issued by features/certificates). */
export function isCertificateTemplate(name: string): boolean {
  return getCertificateTemplate(name) !== undefined;
}

/**
 * The template called `name`: a letter template, or a certificate template in the documents' shape.
 * @throws AppError VALIDATION naming the `template` field, listing the known names.
 */
export function getDocumentTemplate(name: string): DocumentTemplate {
  const certificate = getCertificateTemplate(name);
  const template = getTemplate(name) ?? (certificate ? certificateAsDocumentTemplate(certificate) : undefined);
  if (!template)
    throw fieldError("template", "documents.errors.unknown_template", {
      name,
      names: [...listTemplates(), ...listCertificateTemplates()].map((t) => t.name).join(", "),
    });
  return template;
}
