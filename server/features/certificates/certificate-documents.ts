/**
 * A single certificate through the documents API: a draft whose template is a certificate
 * template is previewed as the certificate marked DỰ THẢO, and issued into its kind's register
 * series (or the series the office names) with a verification code and QR, like any document.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/prisma.ts";
import { renderCertificatePdf } from "../../documents/certificate/certificate-pdf-file.ts";
import type { CertificateData } from "../../documents/certificate/certificate-template.ts";
import { formatDocumentSymbol, vietnamYear } from "../../domain/document-number.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { fieldError } from "../documents/document-errors.ts";
import { getAccessibleDocument } from "../documents/get-accessible-document.ts";
import { ISSUER_SELECT } from "../documents/get-issuer-for-user.ts";
import { issuerInfo } from "../documents/issuer-info.ts";
import { parseTemplateData } from "../documents/parse-template-data.ts";
import { newVerifyCode } from "../documents/verify-code.ts";
import { allocateNumber } from "../register/allocate-number.ts";
import { withRegisterTurn } from "../register/with-register-turn.ts";
import { getCertificateTemplate } from "./get-certificate-template.ts";
import { loadEmblem } from "./load-emblem.ts";
import { certificateAsDocumentTemplate } from "./certificate-as-document-template.ts";

export const IssueCertificateSchema = z
  .object({
    series: z
      .string()
      .trim()
      .regex(/^(\*|[\p{Lu}\p{N}]{1,16})$/u)
      .optional(),
  })
  .strict();

/** The draft certificate `id` as a PDF marked DỰ THẢO; takes no number. */
export async function renderCertificatePreview(db: Db, user: AuthUser, id: number): Promise<Uint8Array> {
  const doc = await getAccessibleDocument(db, user, id);
  if (doc.status !== "DRAFT") throw new AppError("CONFLICT", "not a draft", { messageKey: "documents.errors.not_draft" });
  const template = getCertificateTemplate(doc.template);
  const data = parseTemplateData(certificateAsDocumentTemplate(template), doc.data) as CertificateData;
  const org = await db.organization.findUniqueOrThrow({ where: { id: doc.issuerOrgId }, select: ISSUER_SELECT });
  return renderCertificatePdf(template.build(data, { issuer: issuerInfo(org), symbol: null }), { emblem: await loadEmblem(db, org.id), title: template.label });
}

/**
 * Issues the draft certificate `id`: next number of the issuer's register in the kind's series,
 * the final PDF with its verification QR, and the register entry, in one transaction (a failure
 * gives the number back). Certificates are printed and stamped; no DOCX is made.
 * @throws AppError NOT_FOUND, CONFLICT (already issued), VALIDATION (issuer without a symbol)
 */
export async function issueCertificateDocument(
  db: Db,
  o: { user: AuthUser; documentId: number; input: z.infer<typeof IssueCertificateSchema>; verifyUrl: (code: string) => string; now?: Date },
) {
  const now = o.now ?? new Date();
  const doc = await getAccessibleDocument(db, o.user, o.documentId);
  const conflict = () => new AppError("CONFLICT", "already issued", { messageKey: "documents.errors.already_issued", params: { symbol: doc.symbol ?? "" } });
  if (doc.status !== "DRAFT") throw conflict();
  const template = getCertificateTemplate(doc.template);
  const org = await db.organization.findUniqueOrThrow({ where: { id: doc.issuerOrgId }, select: ISSUER_SELECT });
  if (!org.symbol) throw fieldError("issuer", "documents.errors.no_symbol", { code: org.code });
  const data = parseTemplateData(certificateAsDocumentTemplate(template), doc.data) as CertificateData;
  const series = o.input.series ?? template.abbreviation;
  const year = vietnamYear(now);
  const verifyCode = newVerifyCode();
  const url = o.verifyUrl(verifyCode);
  const emblem = await loadEmblem(db, org.id);
  const recipient = template.recipient(data);
  return withRegisterTurn(`${org.id}:${year}:${series}`, () =>
    db.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "Document" WHERE id = ${o.documentId}::int FOR UPDATE`;
        if (locked[0]?.status !== "DRAFT") throw conflict();
        const number = await allocateNumber(tx, { organizationId: org.id, year, series });
        const symbol = formatDocumentSymbol({ number, typeAbbreviation: template.abbreviation, issuerSymbol: org.symbol! });
        const pdf = renderCertificatePdf(template.build(data, { issuer: issuerInfo(org), symbol }), {
          emblem,
          verify: { code: verifyCode, url },
          title: `${template.label} ${symbol}`,
        });
        const pdfSha256 = createHash("sha256").update(pdf).digest("hex");
        const signer = { authority: data.signer_authority ?? null, title: data.signer_title, name: data.signer_name } as Prisma.InputJsonValue;
        await tx.document.update({
          where: { id: o.documentId },
          data: { status: "ISSUED", number, year, symbol, issuedAt: now, signer, pdf: new Uint8Array(pdf), pdfSha256, verifyCode },
        });
        await tx.registerEntry.create({
          data: {
            organizationId: org.id,
            year,
            series,
            number,
            symbol,
            documentId: o.documentId,
            issuedAt: now,
            documentType: template.label,
            subject: `${template.label}: ${recipient} — ${template.reason(data)}`.slice(0, 500),
            signerName: typeof data.signer_name === "string" ? data.signer_name : null,
          },
        });
        await tx.auditLog.create({
          data: {
            userId: o.user.id,
            action: "document.issue",
            entityType: "document",
            entityId: String(o.documentId),
            details: { symbol, year, series, pdfSha256, certificate: true },
          },
        });
        return { id: o.documentId, number, symbol, issued_at: now.toISOString(), verify_url: url, pdf_sha256: pdfSha256, signed: false };
      },
      { maxWait: 60_000, timeout: 60_000 },
    ),
  );
}
