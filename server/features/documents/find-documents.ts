import { z } from "zod";
import { OrgCodeSchema } from "../../domain/org.ts";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getIssuerForUser } from "./get-issuer-for-user.ts";
import { DOCUMENT_JSON_SELECT, toDocumentJson, type DocumentJson } from "./document-json.ts";

export const FindDocumentsQuerySchema = z
  .object({
    issuer: OrgCodeSchema.optional(),
    status: z.enum(["draft", "issued", "withdrawn"]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** Documents with an id below this one (the last id of the previous page). */
    before: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict();

/**
 * Documents of `issuer` (default: the user's organisation; everything for a system administrator),
 * newest first, without the data and file bytes.
 * @throws AppError VALIDATION for an unknown issuer, FORBIDDEN outside the user's subtree.
 */
export async function findDocuments(db: Db, user: AuthUser, q: z.infer<typeof FindDocumentsQuerySchema>, urlOf: (code: string) => string): Promise<Omit<DocumentJson, "data">[]> {
  const issuerId = q.issuer ? (await getIssuerForUser(db, user, q.issuer)).id : user.organizationId;
  const where: Prisma.DocumentWhereInput = {
    ...(issuerId !== null ? { issuerOrgId: issuerId } : {}),
    ...(q.status ? { status: q.status.toUpperCase() as "DRAFT" | "ISSUED" | "WITHDRAWN" } : {}),
    ...(q.before ? { id: { lt: q.before } } : {}),
  };
  const rows = await db.document.findMany({ where, orderBy: { id: "desc" }, take: q.limit, select: DOCUMENT_JSON_SELECT });
  return rows.map((r) => {
    const { data: _data, ...json } = toDocumentJson(r, urlOf);
    return json;
  });
}
