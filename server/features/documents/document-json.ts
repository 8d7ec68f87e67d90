/** The JSON shape of a document in the API (snake_case, lower-case statuses, no file bytes). */
import type { Prisma } from "../../db/generated/client.ts";

export const DOCUMENT_JSON_SELECT = {
  id: true,
  template: true,
  data: true,
  status: true,
  number: true,
  year: true,
  symbol: true,
  issuedAt: true,
  signer: true,
  pdfSha256: true,
  verifyCode: true,
  signaturePending: true,
  signedAt: true,
  signingError: true,
  createdAt: true,
  updatedAt: true,
  createdById: true,
  issuerOrgId: true,
  issuerOrg: { select: { code: true, name: true } },
  registerEntry: { select: { withdrawnAt: true, withdrawnReason: true } },
} satisfies Prisma.DocumentSelect;

export type DocumentRow = Prisma.DocumentGetPayload<{ select: typeof DOCUMENT_JSON_SELECT }>;

export type DocumentJson = {
  id: number;
  template: string;
  issuer: string;
  issuer_name: string;
  status: "draft" | "issued" | "withdrawn";
  subject: string | null;
  data: unknown;
  number: number | null;
  year: number | null;
  symbol: string | null;
  issued_at: string | null;
  signer: unknown;
  pdf_sha256: string | null;
  /**
   * The server's signature: "signed" (at `signed_at`), "pending" (issued, not yet signed: the PDF
   * is not served and `pdf_sha256` is null; `signing_error` says why the last try failed) or "none".
   */
  signing: "signed" | "pending" | "none";
  signed_at: string | null;
  signing_error: string | null;
  verify_url: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
};

/** Converts a row selected with {@link DOCUMENT_JSON_SELECT}; `urlOf` turns a verify code into its page. */
export function toDocumentJson(d: DocumentRow, urlOf: (code: string) => string): DocumentJson {
  const data = d.data as Record<string, unknown> | null;
  return {
    id: d.id,
    template: d.template,
    issuer: d.issuerOrg.code,
    issuer_name: d.issuerOrg.name,
    status: d.status.toLowerCase() as DocumentJson["status"],
    subject: typeof data?.subject === "string" ? data.subject : null,
    data: d.data,
    number: d.number,
    year: d.year,
    symbol: d.symbol,
    issued_at: d.issuedAt?.toISOString() ?? null,
    signer: d.signer ?? null,
    pdf_sha256: d.pdfSha256,
    signing: d.signaturePending ? "pending" : d.signedAt ? "signed" : "none",
    signed_at: d.signedAt?.toISOString() ?? null,
    signing_error: d.signaturePending ? d.signingError : null,
    verify_url: d.verifyCode ? urlOf(d.verifyCode) : null,
    withdrawn_at: d.registerEntry?.withdrawnAt?.toISOString() ?? null,
    withdrawn_reason: d.registerEntry?.withdrawnReason ?? null,
    created_by: d.createdById,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}
