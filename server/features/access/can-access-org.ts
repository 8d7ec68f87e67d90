import type { Db } from "../../db/prisma.ts";
import { ancestorOrSelfIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/**
 * True when organisation `orgId` is the user's own organisation or lies below it at any depth.
 * A user without an organisation (a system administrator) reaches everything; an object without an
 * organisation (a directive a system administrator issued) is reached by system administrators only.
 * This is the one rule every object-level check of the API stands on.
 */
export async function canAccessOrg(db: Db, user: AuthUser, orgId: number | null): Promise<boolean> {
  if (user.organizationId === null) return true;
  if (orgId === null) return false;
  if (orgId === user.organizationId) return true;
  // Walking up from the object is a handful of rows; walking down from the user could be thousands.
  const rows = await db.$queryRaw<{ ok: boolean }[]>`SELECT ${user.organizationId}::int IN (${ancestorOrSelfIds({ id: orgId })}) AS ok`;
  return rows[0]?.ok === true;
}
