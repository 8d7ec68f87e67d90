import type { Db } from "../../db/prisma.ts";
import { buildDocumentModel, renderPdf } from "../../documents/index.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDocument } from "./get-accessible-document.ts";
import { getDocumentTemplate } from "./get-document-template.ts";
import { issuerInfo } from "./issuer-info.ts";
import { parseTemplateData } from "./parse-template-data.ts";

/**
 * The draft as a PDF marked "DỰ THẢO" on every page, with the number and day left blank: nothing
 * is taken from the register.
 * @throws AppError NOT_FOUND, CONFLICT when the document is no longer a draft
 */
export async function renderDocumentPreview(db: Db, user: AuthUser, id: number): Promise<Uint8Array> {
  const doc = await getAccessibleDocument(db, user, id);
  if (doc.status !== "DRAFT") throw new AppError("CONFLICT", "not a draft", { messageKey: "documents.errors.not_draft" });
  const template = getDocumentTemplate(doc.template);
  const org = await db.organization.findUniqueOrThrow({ where: { id: doc.issuerOrgId }, select: { name: true, symbol: true, place: true, governingBody: true } });
  const model = buildDocumentModel({ template, data: parseTemplateData(template, doc.data), issuer: issuerInfo(org) });
  return (await renderPdf(model, { draft: true })).bytes;
}
