import { createHash } from "node:crypto";
import type { Db } from "../../db/prisma.ts";
import type { SigningTransport } from "../../signing/signing-transport.ts";
import { signPdf } from "../../signing/sign-pdf.ts";

export type SignIssuedDocumentOptions = {
  documentId: number;
  transport: SigningTransport;
  /** Who asked (the issuing clerk) for the audit entry; null for the sweep. */
  userId?: number | null;
};

export type SignOutcome = { signed: true; pdfSha256: string } | { signed: false; reason: "not_pending" | "superseded" };

/**
 * Signs an issued document's stored PDF in its "seal" field and stores the signed file with its
 * SHA-256, ending its wait for a signature. Runs after the issuing transaction has committed, so a
 * slow signer holds no register lock and no other office waits for it.
 *
 * Safe to run twice at once (the issuing request and the sweep after a lease ran out): the signed
 * file is stored only while the document is still pending, by one conditional update, so the first
 * to finish wins and the other's signature is dropped. A failure is recorded on the document
 * (`signingError`) and thrown; the document stays pending for the sweep.
 * @throws whatever the transport throws
 */
export async function signIssuedDocument(db: Db, { documentId, transport, userId = null }: SignIssuedDocumentOptions): Promise<SignOutcome> {
  const doc = await db.document.findUnique({
    where: { id: documentId },
    select: { signaturePending: true, pdf: true, symbol: true, issuerOrg: { select: { place: true } } },
  });
  if (!doc?.signaturePending || !doc.pdf) return { signed: false, reason: "not_pending" };
  let signed: Uint8Array;
  try {
    signed = await signPdf(doc.pdf, {
      transport,
      field: "seal",
      reason: `Ban hành văn bản số ${doc.symbol ?? ""}`,
      ...(doc.issuerOrg.place ? { location: doc.issuerOrg.place } : {}),
      signingTime: new Date(),
    });
  } catch (err) {
    await db.document.updateMany({ where: { id: documentId, signaturePending: true }, data: { signingError: String((err as Error).message ?? err).slice(0, 500) } });
    throw err;
  }
  const pdfSha256 = createHash("sha256").update(signed).digest("hex");
  const stored = await db.$transaction(async (tx) => {
    const { count } = await tx.document.updateMany({
      where: { id: documentId, signaturePending: true },
      data: { pdf: new Uint8Array(signed), pdfSha256, signaturePending: false, signedAt: new Date(), signingError: null },
    });
    if (count) {
      await tx.auditLog.create({
        data: { userId, action: "document.sign", entityType: "document", entityId: String(documentId), details: { symbol: doc.symbol, pdfSha256, signer: transport.signerName } },
      });
    }
    return count === 1;
  });
  return stored ? { signed: true, pdfSha256 } : { signed: false, reason: "superseded" };
}
