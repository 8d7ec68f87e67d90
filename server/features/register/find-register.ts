import { z } from "zod";
import { OrgCodeSchema } from "../../domain/org.ts";
import type { Db } from "../../db/prisma.ts";
import { vietnamYear } from "../../domain/document-number.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { fieldError } from "../documents/document-errors.ts";
import { getIssuerForUser } from "../documents/get-issuer-for-user.ts";

export const RegisterQuerySchema = z
  .object({
    issuer: OrgCodeSchema.optional(),
    year: z.coerce.number().int().min(1945).max(9999).optional(),
    /** One sequence of a per-type register ("CV", "QĐ", …); all of them when absent. */
    series: z
      .string()
      .trim()
      .regex(/^(\*|[\p{L}\p{N}]{1,16})$/u)
      .optional(),
  })
  .strict();
export type RegisterQuery = z.infer<typeof RegisterQuerySchema>;

/** One line of the sổ đăng ký văn bản đi (ND 30 Phụ lục IV), in API form. */
export type RegisterRow = {
  number: number;
  series: string;
  symbol: string;
  issued_at: string;
  document_type: string;
  subject: string;
  signer: string | null;
  recipients: string | null;
  copies: number | null;
  status: "issued" | "withdrawn";
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  note: string | null;
  document_id: number | null;
  drafting_unit: string | null;
};

export type Register = { issuer: { code: string; name: string }; year: number; rows: RegisterRow[] };

/**
 * The outgoing register of `issuer` (default: the user's organisation) for `year` (default: this
 * year in Vietnam), in number order within each sequence. Withdrawn entries stay in place.
 * @throws AppError VALIDATION for an unknown or missing issuer, FORBIDDEN outside the user's subtree
 */
export async function findRegister(db: Db, user: AuthUser, q: RegisterQuery, now = new Date()): Promise<Register> {
  let code = q.issuer;
  if (!code) {
    if (user.organizationId === null) throw fieldError("issuer", "errors.field.required");
    code = (await db.organization.findUniqueOrThrow({ where: { id: user.organizationId }, select: { code: true } })).code;
  }
  const org = await getIssuerForUser(db, user, code);
  const year = q.year ?? vietnamYear(now);
  const entries = await db.registerEntry.findMany({
    where: { organizationId: org.id, year, ...(q.series ? { series: q.series } : {}) },
    orderBy: [{ series: "asc" }, { number: "asc" }],
    include: { document: { select: { data: true } } },
  });
  return {
    issuer: { code: org.code, name: org.name },
    year,
    rows: entries.map((e) => {
      const unit = (e.document?.data as { drafting_unit?: unknown } | undefined)?.drafting_unit;
      return {
        number: e.number,
        series: e.series,
        symbol: e.symbol,
        issued_at: e.issuedAt.toISOString(),
        document_type: e.documentType,
        subject: e.subject,
        signer: e.signerName,
        recipients: e.recipients,
        copies: e.copies,
        status: e.status === "WITHDRAWN" ? "withdrawn" : "issued",
        withdrawn_at: e.withdrawnAt?.toISOString() ?? null,
        withdrawn_reason: e.withdrawnReason,
        note: e.note,
        document_id: e.documentId,
        drafting_unit: typeof unit === "string" ? unit : null,
      };
    }),
  };
}
