import { createHash } from "node:crypto";
import type { Db } from "../../db/prisma.ts";
import { getTemplate } from "../../../templates/index.ts";
import { getCertificateTemplate } from "../../../templates/certificates/index.ts";
import { parseVerifyCode } from "./verify-code.ts";

/** What the public verification page shows: enough to identify the document, nothing of its body. */
export type Verification = {
  code: string;
  status: "issued" | "withdrawn";
  symbol: string;
  issued_at: string;
  issuer: string;
  governing_body: string | null;
  type_name: string;
  subject: string;
  /** Null while the document waits for the server's signature: the final file does not exist yet. */
  pdf_sha256: string | null;
  signature_pending: boolean;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
};

/** The issued document with verification code `input` (typed by a person: case and O/0, I/L/1 are forgiven), or null. */
export async function findVerification(db: Db, input: string): Promise<Verification | null> {
  const code = parseVerifyCode(input);
  if (!code) return null;
  const d = await db.document.findUnique({
    where: { verifyCode: code },
    select: {
      status: true,
      symbol: true,
      issuedAt: true,
      pdfSha256: true,
      signaturePending: true,
      template: true,
      data: true,
      issuerOrg: { select: { name: true, governingBody: true } },
      registerEntry: { select: { subject: true, withdrawnAt: true, withdrawnReason: true } },
    },
  });
  if (!d) return findCertificateVerification(db, code);
  if (d.status === "DRAFT" || !d.symbol || !d.issuedAt || (!d.pdfSha256 && !d.signaturePending)) return null;
  const data = d.data as { subject?: unknown };
  return {
    code,
    status: d.status === "WITHDRAWN" ? "withdrawn" : "issued",
    symbol: d.symbol,
    issued_at: d.issuedAt.toISOString(),
    issuer: d.issuerOrg.name,
    governing_body: d.issuerOrg.governingBody,
    type_name: getTemplate(d.template)?.label ?? getCertificateTemplate(d.template)?.label ?? d.template,
    subject: d.registerEntry?.subject ?? (typeof data.subject === "string" ? data.subject : ""),
    pdf_sha256: d.signaturePending ? null : d.pdfSha256,
    signature_pending: d.signaturePending,
    withdrawn_at: d.registerEntry?.withdrawnAt?.toISOString() ?? null,
    withdrawn_reason: d.registerEntry?.withdrawnReason ?? null,
  };
}

/** A certificate of a batch with that code: its register line, and the SHA-256 of its own PDF (the one in the batch's ZIP). */
async function findCertificateVerification(db: Db, code: string): Promise<Verification | null> {
  const item = await db.certificateItem.findUnique({
    where: { verifyCode: code },
    select: {
      symbol: true,
      number: true,
      subject: true,
      pdfSha256: true,
      batch: { select: { template: true, year: true, series: true, issuedAt: true, issuerOrgId: true, issuerOrg: { select: { name: true, governingBody: true } } } },
    },
  });
  if (!item?.symbol || !item.pdfSha256 || item.number === null) return null;
  const b = item.batch;
  const entry = await db.registerEntry.findUnique({
    where: { organizationId_year_series_number: { organizationId: b.issuerOrgId, year: b.year, series: b.series, number: item.number } },
    select: { withdrawnAt: true, withdrawnReason: true, status: true },
  });
  return {
    code,
    status: entry?.status === "WITHDRAWN" ? "withdrawn" : "issued",
    symbol: item.symbol,
    issued_at: b.issuedAt.toISOString(),
    issuer: b.issuerOrg.name,
    governing_body: b.issuerOrg.governingBody,
    type_name: getCertificateTemplate(b.template)?.label ?? b.template,
    subject: item.subject,
    pdf_sha256: item.pdfSha256,
    signature_pending: false,
    withdrawn_at: entry?.withdrawnAt?.toISOString() ?? null,
    withdrawn_reason: entry?.withdrawnReason ?? null,
  };
}

/** Whether `pdf` is byte for byte the issued file (same SHA-256); never while its signature is pending. */
export function matchesIssuedPdf(v: Verification, pdf: Uint8Array): { matches: boolean; sha256: string } {
  const sha256 = createHash("sha256").update(pdf).digest("hex");
  return { matches: v.pdf_sha256 !== null && sha256 === v.pdf_sha256, sha256 };
}
