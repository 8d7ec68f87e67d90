import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { vietnamYear } from "../../domain/document-number.ts";
import type { ImportTable } from "../../domain/org-import.ts";
import { OrgCodeSchema } from "../../domain/org.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import { ancestorOrSelfIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { fieldError } from "../documents/document-errors.ts";
import { getIssuerForUser } from "../documents/get-issuer-for-user.ts";
import { occasionNotFound } from "./certificate-errors.ts";
import { getCertificateTemplate } from "./get-certificate-template.ts";
import { readCertificateRows, type CertificateRowError } from "./read-certificate-rows.ts";

export const CreateBatchQuerySchema = z
  .object({
    template: z.string().trim().min(1).max(64),
    issuer: OrgCodeSchema,
    occasion: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional(),
    /** Register sequence: the certificate kind's own by default ("GK", "GCN", "BCN"); "*" shares the documents' one. */
    series: z
      .string()
      .trim()
      .regex(/^(\*|[\p{Lu}\p{N}]{1,16})$/u)
      .optional(),
  })
  .strict();
export type CreateBatchQuery = z.infer<typeof CreateBatchQuerySchema>;

export type CreateBatchResult = { kind: "created"; id: number; total: number } | { kind: "invalid"; errors: CertificateRowError[] };

const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });

/**
 * Validates a spreadsheet of certificates and, when every row is right, records the batch and its
 * rows (nothing is numbered or rendered yet: the job does that). With an occasion the rows are put
 * in ceremony order, grouped by unit or class (groups in Vietnamese alphabetical order, each in the
 * file's order), and the certificates are numbered in that order.
 * @throws AppError VALIDATION (template, issuer without a symbol, occasion), FORBIDDEN (issuer outside the subtree)
 */
export async function createCertificateBatch(db: Db, user: AuthUser, q: CreateBatchQuery, table: ImportTable, now = new Date()): Promise<CreateBatchResult> {
  const template = getCertificateTemplate(q.template);
  const issuer = await getIssuerForUser(db, user, q.issuer);
  if (!issuer.symbol) throw fieldError("issuer", "documents.errors.no_symbol", { code: issuer.code });
  if (q.occasion !== undefined) {
    // The issuer's own occasions, those of the offices above it (a joint ceremony its schools join), and any the user may reach.
    const occasion = await db.occasion.findUnique({ where: { id: q.occasion }, select: { issuerOrgId: true } });
    const above = occasion ? await db.$queryRaw<{ ok: boolean }[]>`SELECT ${occasion.issuerOrgId}::int IN (${ancestorOrSelfIds({ id: issuer.id })}) AS ok` : [];
    if (!occasion || !(above[0]?.ok === true || (await canAccessOrg(db, user, occasion.issuerOrgId)))) throw occasionNotFound(q.occasion, "occasion");
  }
  const { rows, errors } = readCertificateRows(template, table);
  if (errors.length) return { kind: "invalid", errors };

  let ordered = rows.map((r) => ({ ...r, group: template.group(r.data) }));
  if (q.occasion !== undefined) {
    ordered = ordered
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (a.r.group === b.r.group ? a.i - b.i : a.r.group === null ? 1 : b.r.group === null ? -1 : collator.compare(a.r.group, b.r.group) || a.i - b.i))
      .map(({ r }) => r);
  }
  const batch = await db.$transaction(
    async (tx) => {
      const created = await tx.certificateBatch.create({
        data: {
          template: template.name,
          issuerOrgId: issuer.id,
          occasionId: q.occasion ?? null,
          series: q.series ?? template.abbreviation,
          year: vietnamYear(now),
          total: ordered.length,
          issuedAt: now,
          createdById: user.id,
        },
        select: { id: true },
      });
      // One statement per 2,000 rows, arrays in and unnest: Prisma's createMany spent seconds on 5,000 JSON rows.
      for (let i = 0; i < ordered.length; i += 2000) {
        const slice = ordered.slice(i, i + 2000);
        const recipients = slice.map((r) => template.recipient(r.data));
        await tx.$executeRaw`
          INSERT INTO "CertificateItem" ("batchId", seq, row, data, recipient, subject, "groupKey")
          SELECT ${created.id}::int, u.seq, u.row, u.data, u.recipient, u.subject, u.grp
          FROM unnest(${slice.map((_, k) => i + k)}::int[], ${slice.map((r) => r.row)}::int[], ${slice.map((r) => JSON.stringify(r.data))}::jsonb[],
                      ${recipients}::text[], ${slice.map((r, k) => `${template.label}: ${recipients[k]} — ${template.reason(r.data)}`.slice(0, 500))}::text[],
                      ${slice.map((r) => r.group)}::text[]) AS u(seq, row, data, recipient, subject, grp)`;
      }
      await tx.auditLog.create({
        data: {
          userId: user.id,
          action: "certificates.batch.create",
          entityType: "certificate_batch",
          entityId: String(created.id),
          details: { template: template.name, issuer: issuer.code, rows: ordered.length, occasion: q.occasion ?? null },
        },
      });
      return created;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { kind: "created", id: batch.id, total: ordered.length };
}
