import type { DocumentTemplate } from "../../documents/document-template.ts";
import type { CertificateTemplate } from "../../documents/certificate/certificate-template.ts";

const cache = new WeakMap<CertificateTemplate, DocumentTemplate>();

/**
 * A certificate template in the shape the documents API stores drafts with (name, label, schema):
 * drafts of both kinds are created, read and edited the same way. It has no letter layout:
 * previews and issues of certificates go through certificate-documents.ts.
 */
export function certificateAsDocumentTemplate(t: CertificateTemplate): DocumentTemplate {
  let d = cache.get(t);
  if (!d) {
    d = {
      name: t.name,
      label: t.label,
      typeName: t.typeName,
      abbreviation: t.abbreviation,
      schema: t.schema as unknown as DocumentTemplate["schema"],
      compose() {
        throw new Error(`${t.name} is a certificate: it has no letter layout`);
      },
    };
    cache.set(t, d);
  }
  return d;
}
