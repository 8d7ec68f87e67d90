import type { Db } from "../../db/prisma.ts";
import { AppError, isAppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDocument } from "../documents/get-accessible-document.ts";

function documentIdError(messageKey: string, id: number, cause?: unknown): AppError {
  return new AppError("VALIDATION", `document_id ${id}: ${messageKey}`, { messageKey: "errors.validation", issues: [{ path: "document_id", messageKey, params: { id } }], cause });
}

/**
 * The rule for attaching a document to a directive, in one place. The user must be able to read
 * the document through the documents API (its issuer is the user's office or below it), and the
 * document must be issued: a draft has no number and is not the office's word, and a withdrawn
 * one is no longer in force, so neither reaches a principal's chat.
 *
 * Attaching sends the PDF to everyone in the audience, so it is a way of reading it; a weaker rule
 * would let anyone pull a document the documents API refuses them. Forwarding a superior's letter
 * downward stays possible as a deliberate act of whoever may read it: an officer of the superior
 * office (or a system administrator) addresses the subordinate's schools with it.
 * @throws AppError VALIDATION naming `document_id`: "no such document" when it does not exist or
 * is out of reach (the two are not told apart), "not issued" for a draft or a withdrawn document,
 * "signature pending" for one still waiting for the server's signature (its stored PDF is not the
 * issued file yet, so it must not reach a principal's chat).
 */
export async function getAttachableDocument(db: Db, user: AuthUser, id: number): Promise<{ id: number }> {
  let doc;
  try {
    doc = await getAccessibleDocument(db, user, id);
  } catch (err) {
    if (isAppError(err, "NOT_FOUND")) throw documentIdError("documents.errors.not_found", id, err);
    throw err;
  }
  if (doc.status !== "ISSUED") throw documentIdError("errors.document_not_issued", id);
  const { signaturePending } = await db.document.findUniqueOrThrow({ where: { id }, select: { signaturePending: true } });
  if (signaturePending) throw documentIdError("errors.document_signature_pending", id);
  return { id: doc.id };
}
