import { getCertificateTemplate as find, listCertificateTemplates } from "../../../templates/certificates/index.ts";
import type { CertificateTemplate } from "../../documents/certificate/certificate-template.ts";
import { fieldError } from "../documents/document-errors.ts";

/**
 * The certificate template called `name`.
 * @throws AppError VALIDATION naming `path`, listing the certificate templates.
 */
export function getCertificateTemplate(name: string, path = "template"): CertificateTemplate {
  const template = find(name);
  if (!template) {
    throw fieldError(path, "documents.errors.unknown_template", {
      name,
      names: listCertificateTemplates()
        .map((t) => t.name)
        .join(", "),
    });
  }
  return template;
}
