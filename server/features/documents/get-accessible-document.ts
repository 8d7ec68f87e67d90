import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import { documentNotFound } from "./document-errors.ts";
import { DOCUMENT_JSON_SELECT, type DocumentRow } from "./document-json.ts";

/**
 * The document `id` if its issuer lies in the user's subtree.
 * @throws AppError NOT_FOUND when it does not exist or belongs to another organisation's subtree:
 * ids are sequential, so a 403 would confirm that the id exists.
 */
export async function getAccessibleDocument(db: Db, user: AuthUser, id: number): Promise<DocumentRow> {
  const doc = await db.document.findUnique({ where: { id }, select: DOCUMENT_JSON_SELECT });
  if (!doc || !(await canAccessOrg(db, user, doc.issuerOrgId))) throw documentNotFound(id);
  return doc;
}
