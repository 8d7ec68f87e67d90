import type { Db } from "../../db/prisma.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import type { CertificateBatchJson } from "./get-certificate-batch.ts";

export type CertificateBatchRow = Pick<CertificateBatchJson, "id" | "template" | "issuer" | "status" | "done" | "total" | "created_at" | "error"> & {
  occasion: { id: number; name: string } | null;
};

/**
 * The certificate batches whose issuer lies in the user's subtree (every batch for a system
 * administrator), newest first, at most `limit`: the same reach as {@link getCertificateBatch}.
 */
export async function findCertificateBatches(db: Db, user: AuthUser, limit = 200): Promise<CertificateBatchRow[]> {
  const where = user.organizationId === null ? {} : { issuerOrgId: { in: (await db.$queryRaw<{ id: number }[]>`${subtreeIds(user.organizationId)}`).map((r) => r.id) } };
  const rows = await db.certificateBatch.findMany({
    where,
    orderBy: { id: "desc" },
    take: limit,
    include: { issuerOrg: { select: { code: true } }, occasion: { select: { id: true, name: true } } },
  });
  return rows.map((b) => ({
    id: b.id,
    template: b.template,
    issuer: b.issuerOrg.code,
    occasion: b.occasion,
    status: b.status.toLowerCase() as CertificateBatchJson["status"],
    done: b.done,
    total: b.total,
    error: b.error,
    created_at: b.createdAt.toISOString(),
  }));
}
