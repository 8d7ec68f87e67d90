import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import { batchNotFound } from "./certificate-errors.ts";

export type CertificateBatchJson = {
  id: number;
  template: string;
  issuer: string;
  occasion: number | null;
  series: string;
  status: "queued" | "rendering" | "assembling" | "done" | "failed";
  done: number;
  total: number;
  first_number: number | null;
  last_number: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  files: Record<string, string> | null;
};

/**
 * The batch `id` with its progress, if its issuer lies in the user's subtree.
 * @throws AppError NOT_FOUND otherwise (a 403 would confirm the id exists)
 */
export async function getCertificateBatch(db: Db, user: AuthUser, id: number): Promise<CertificateBatchJson> {
  const b = await db.certificateBatch.findUnique({ where: { id }, include: { issuerOrg: { select: { code: true } } } });
  if (!b || !(await canAccessOrg(db, user, b.issuerOrgId))) throw batchNotFound(id);
  const range = b.numberedAt
    ? await db.certificateItem.aggregate({ where: { batchId: id }, _min: { number: true }, _max: { number: true } })
    : { _min: { number: null }, _max: { number: null } };
  const base = `/api/v1/certificates/batches/${id}`;
  return {
    id: b.id,
    template: b.template,
    issuer: b.issuerOrg.code,
    occasion: b.occasionId,
    series: b.series,
    status: b.status.toLowerCase() as CertificateBatchJson["status"],
    done: b.done,
    total: b.total,
    first_number: range._min.number,
    last_number: range._max.number,
    error: b.error,
    created_at: b.createdAt.toISOString(),
    finished_at: b.finishedAt?.toISOString() ?? null,
    files: b.status === "DONE" ? { print: `${base}/print.pdf`, zip: `${base}/certificates.zip`, list_pdf: `${base}/list.pdf`, list_xlsx: `${base}/list.xlsx` } : null,
  };
}
