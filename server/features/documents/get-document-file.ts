import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDocument } from "./get-accessible-document.ts";

export type DocumentFile = { bytes: Uint8Array; symbol: string; sha256: string | null };

/**
 * The stored file of an issued (or withdrawn) document, byte for byte what was issued, so that its
 * SHA-256 matches the verification page.
 *
 * A draft has no such file: its PDF would carry no number and could be mistaken for the issued one,
 * so it is a 409 that points to the draft preview instead. The PDF of a document still waiting for
 * the server's signature is a 409 too ("pending", with Retry-After from the route): the stored file
 * is the unsigned one, and serving it would hand out a PDF that is not the issued document. The DOCX
 * (never signed) is served at once.
 * @throws AppError NOT_FOUND, CONFLICT for a draft or a PDF awaiting its signature
 */
export async function getDocumentFile(db: Db, user: AuthUser, id: number, format: "pdf" | "docx"): Promise<DocumentFile> {
  const doc = await getAccessibleDocument(db, user, id);
  if (doc.status === "DRAFT" || !doc.symbol) {
    throw new AppError("CONFLICT", "draft has no file", { messageKey: "documents.errors.not_issued", params: { preview: `/api/v1/documents/${id}/preview.pdf` } });
  }
  const row = await db.document.findUniqueOrThrow({ where: { id }, select: { pdf: true, docx: true, signaturePending: true } });
  if (format === "pdf" && row.signaturePending) {
    throw new AppError("CONFLICT", "signature pending", { messageKey: "documents.errors.signature_pending", params: { symbol: doc.symbol } });
  }
  const bytes = format === "pdf" ? row.pdf : row.docx;
  // Certificates are printed and stamped: they have a PDF and no DOCX.
  if (!bytes) throw new AppError("NOT_FOUND", `document ${id} has no ${format}`, { messageKey: "documents.errors.no_file", params: { format } });
  return { bytes, symbol: doc.symbol, sha256: format === "pdf" ? doc.pdfSha256 : null };
}
