import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/**
 * True when organisation `orgId` is the user's own organisation or lies below it at any depth.
 * A user without an organisation (a system administrator) reaches everything.
 */
export async function canAccessOrg(db: Db, user: AuthUser, orgId: number | null): Promise<boolean> {
  if (user.organizationId === null) return true;
  if (orgId === null) return false;
  if (orgId === user.organizationId) return true;
  const rows = await db.$queryRaw<{ ok: boolean }[]>`
    WITH RECURSIVE up AS (
      SELECT id, "parentId", 0 AS depth FROM "Organization" WHERE id = ${orgId}
      UNION ALL
      SELECT o.id, o."parentId", up.depth + 1 FROM "Organization" o JOIN up ON o.id = up."parentId" WHERE up.depth < 64
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ${user.organizationId}) AS ok`;
  return rows[0]?.ok === true;
}

/**
 * Object-level authorisation: the user may act on `orgId` only within their own subtree.
 * Answers 404 rather than 403 so ids outside one's subtree reveal nothing.
 * @throws AppError NOT_FOUND
 */
export async function assertOrgAccess(db: Db, user: AuthUser, orgId: number | null, notFound: AppError): Promise<void> {
  if (!(await canAccessOrg(db, user, orgId))) throw notFound;
}
