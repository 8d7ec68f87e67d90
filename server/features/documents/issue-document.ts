import { createHash } from "node:crypto";
import { z } from "zod";
import { SignerSchema } from "../../documents/core-fields.ts";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/prisma.ts";
import { buildDocumentModel, renderDocx, renderPdf } from "../../documents/index.ts";
import { formatDocumentSymbol, vietnamYear } from "../../domain/document-number.ts";
import { AppError } from "../../domain/errors.ts";
import type { SigningTransport } from "../../signing/signing-transport.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { allocateNumber } from "../register/allocate-number.ts";
import { registerSeries } from "../register/register-series.ts";
import { withRegisterTurn } from "../register/with-register-turn.ts";
import { fieldError } from "./document-errors.ts";
import { getAccessibleDocument } from "./get-accessible-document.ts";
import { getDocumentTemplate } from "./get-document-template.ts";
import { issuerInfo } from "./issuer-info.ts";
import { parseTemplateData } from "./parse-template-data.ts";
import { newVerifyCode } from "./verify-code.ts";
import { signIssuedDocument } from "./sign-issued-document.ts";
import { ISSUER_SELECT } from "./get-issuer-for-user.ts";

export const IssueDocumentSchema = z.object({ signer: SignerSchema.optional() }).strict();
export type IssueDocumentInput = z.infer<typeof IssueDocumentSchema>;

export type IssueDocumentOptions = {
  user: AuthUser;
  documentId: number;
  input: IssueDocumentInput;
  /** Signs the PDF in its "seal" field when given, after the number is committed. */
  signing: SigningTransport | null;
  /** How long to wait for that signature before answering that it is pending (default 5 s). */
  signingWaitMs?: number;
  /** Told of a signing that failed or outlived the wait, for the log (the sweep finishes it). */
  onSigningError?: (err: unknown) => void;
  /** Turns a verify code into the public page's URL. */
  verifyUrl: (code: string) => string;
  /** The moment of issue; tests inject it to cross a year boundary. */
  now?: Date;
};

/**
 * `signing`: "signed" (the stored PDF carries the server's signature), "pending" (numbered and
 * stored, the signature still to come: `pdf_sha256` is null and the PDF is not served yet) or
 * "none" (the server does not sign).
 */
export type IssuedDocument = {
  id: number;
  number: number;
  symbol: string;
  issued_at: string;
  verify_url: string;
  pdf_sha256: string | null;
  signed: boolean;
  signing: "signed" | "pending" | "none";
};

// Issuers of one register wait their turn in the process (withRegisterTurn) and, across
// processes, on the counter row; a transaction of a few tens of milliseconds behind a few others
// must not hit Prisma's 2 s / 5 s interactive-transaction defaults.
const TX_OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

function alreadyIssued(symbol: string | null): AppError {
  return new AppError("CONFLICT", "already issued", { messageKey: "documents.errors.already_issued", params: { symbol: symbol ?? "" } });
}

/** A one-line summary of the distribution for the register's "Nơi nhận" column. */
function registerRecipients(data: { recipients: string[]; cc: string[] }): string | null {
  const all = [...data.recipients, ...data.cc].map((s) => s.replace(/[.;,]+$/u, ""));
  return all.length ? all.join("; ") : null;
}

/**
 * The next number whose số/ký hiệu is not yet in the year's register. Numbers only collide when an
 * office switches between one shared sequence and per-type sequences during a year (02/TB-… from
 * the shared sequence, then 02 again from the new TB sequence); ND 30 forbids two documents with
 * the same số and ký hiệu in a year, so such a number is passed over, not given twice. The skipped
 * number is no gap in the register: the document that holds that symbol is in it.
 */
async function allocateFreeSymbol(
  tx: Prisma.TransactionClient,
  o: { organizationId: number; year: number; series: string; symbolOf: (n: number) => string },
): Promise<{ number: number; symbol: string }> {
  for (;;) {
    const number = await allocateNumber(tx, o);
    const symbol = o.symbolOf(number);
    const taken = await tx.registerEntry.findFirst({ where: { organizationId: o.organizationId, year: o.year, symbol }, select: { id: true } });
    if (!taken) return { number, symbol };
  }
}

/**
 * Issues a draft: takes the next number of the issuer's register, composes số/ký hiệu, renders the
 * final PDF (number, date, verification code and QR, empty signature fields) and the DOCX, stores
 * them, and writes the register entry, all in one transaction. If anything fails, everything rolls
 * back, the counter included, so the register never has a gap; a document is never numbered twice.
 *
 * Rendering happens while the counter row is locked because the number is printed in the file; it
 * takes a few milliseconds. Signing does not: with a transport, the document is committed as
 * awaiting its signature (`signaturePending`, claimed by this process), and signed after the
 * commit, so a slow or remote signer never holds a register (nor, through a signer that works one
 * request at a time, every office's registers). The answer waits `signingWaitMs` for the
 * signature; past that, or when signing fails, it says "pending" and the signing goes on, finished
 * by the sweep (sweep-unsigned-documents.ts) if this process dies first.
 * @throws AppError NOT_FOUND, CONFLICT (already issued or withdrawn), VALIDATION (issuer without a
 * symbol; `data.*` fields that the template no longer accepts)
 */
export async function issueDocument(db: Db, options: IssueDocumentOptions): Promise<IssuedDocument> {
  const issued = await commitIssue(db, options);
  const { signing, signingWaitMs = 5000, onSigningError } = options;
  if (!signing) return issued;
  const signature = signIssuedDocument(db, { documentId: issued.id, transport: signing, userId: options.user.id });
  // Whatever happens to the answer, a failure is reported once; the document stays pending for the sweep.
  signature.catch((err: unknown) => onSigningError?.(err));
  const waited = await Promise.race([
    signature.then(
      (o) => (o.signed ? o.pdfSha256 : null),
      () => null,
    ),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), signingWaitMs).unref()),
  ]);
  return waited ? { ...issued, pdf_sha256: waited, signed: true, signing: "signed" } : issued;
}

/** The numbering transaction of {@link issueDocument}: everything but the signature. */
async function commitIssue(db: Db, { user, documentId, input, signing, verifyUrl, now = new Date() }: IssueDocumentOptions): Promise<IssuedDocument> {
  const doc = await getAccessibleDocument(db, user, documentId);
  if (doc.status !== "DRAFT") throw alreadyIssued(doc.symbol);
  const template = getDocumentTemplate(doc.template);
  // The document's access check covered its issuer; only the header fields are still needed.
  const org = await db.organization.findUniqueOrThrow({ where: { id: doc.issuerOrgId }, select: ISSUER_SELECT });
  if (!org.symbol) throw fieldError("issuer", "documents.errors.no_symbol", { code: org.code });
  const issuerSymbol = org.symbol;
  // Validated again: the template may have changed since the draft was saved, and the signer
  // chosen at issue replaces the drafted one.
  const data = parseTemplateData(template, { ...(doc.data as Record<string, unknown>), ...(input.signer ? { signer: input.signer } : {}) });
  const year = vietnamYear(now);
  const series = registerSeries(org, template);
  const verifyCode = newVerifyCode();
  const url = verifyUrl(verifyCode);

  // Waiters for this register queue in the process, not on pooled connections (with-register-turn.ts).
  return withRegisterTurn(`${org.id}:${year}:${series}`, () =>
    db.$transaction(async (tx) => {
      // Lock the draft first (then the counter, always in this order): a second issue of the same
      // document waits here and then sees it issued, instead of taking a number it would give back.
      const locked = await tx.$queryRaw<
        { status: string; symbol: string | null }[]
      >`SELECT status::text AS status, symbol FROM "Document" WHERE id = ${documentId}::int FOR UPDATE`;
      if (locked[0]?.status !== "DRAFT") throw alreadyIssued(locked[0]?.symbol ?? null);

      const { number, symbol } = await allocateFreeSymbol(tx, {
        organizationId: org.id,
        year,
        series,
        symbolOf: (n) => formatDocumentSymbol({ number: n, typeAbbreviation: template.abbreviation, issuerSymbol, draftingUnit: data.drafting_unit ?? null }),
      });
      const model = buildDocumentModel({ template, data, issuer: issuerInfo(org), number: { symbol, issuedAt: now } });
      const rendered = await renderPdf(model, { verify: { code: verifyCode, url }, signatureFields: true });
      const docx = await renderDocx(model, { verify: { code: verifyCode, url } });
      const pdf = rendered.bytes;
      // With a signer, the stored file is the unsigned one until signIssuedDocument replaces it: its
      // SHA-256 is recorded then, so nothing can verify or serve a file that is not the final one.
      const pdfSha256 = signing ? null : createHash("sha256").update(pdf).digest("hex");
      const pending = Boolean(signing);

      await tx.document.update({
        where: { id: documentId },
        data: {
          status: "ISSUED",
          number,
          year,
          symbol,
          issuedAt: now,
          signer: data.signer,
          pdf: new Uint8Array(pdf),
          docx: new Uint8Array(docx),
          pdfSha256,
          verifyCode,
          signaturePending: pending,
          // Claimed by this process: the sweep leaves it alone for a lease.
          signingClaimedAt: pending ? new Date() : null,
          signingAttempts: pending ? 1 : 0,
        },
      });
      await tx.registerEntry.create({
        data: {
          organizationId: org.id,
          year,
          series,
          number,
          symbol,
          documentId,
          issuedAt: now,
          documentType: template.label,
          subject: data.subject,
          signerName: data.signer.name,
          recipients: registerRecipients(data),
          copies: data.copies ?? null,
        },
      });
      await tx.auditLog.create({
        data: {
          userId: user.id,
          action: "document.issue",
          entityType: "document",
          entityId: String(documentId),
          details: { symbol, year, series, pdfSha256, signing: pending ? "pending" : "none" },
        },
      });
      return {
        id: documentId,
        number,
        symbol,
        issued_at: now.toISOString(),
        verify_url: url,
        pdf_sha256: pdfSha256,
        signed: false,
        signing: pending ? ("pending" as const) : ("none" as const),
      };
    }, TX_OPTIONS),
  );
}
