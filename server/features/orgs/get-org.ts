import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { ORG_JSON_SELECT, toOrgJson, type OrgJson } from "./org-json.ts";

/** NOT_FOUND for an organisation code, used when it is unknown and when it lies outside the user's subtree. */
export function orgNotFound(code: string): AppError {
  return new AppError("NOT_FOUND", `org ${code}`, { messageKey: "errors.org_not_found", params: { code } });
}

/**
 * The organisation with `code`, if the user may see it (their own organisation or below).
 * @throws AppError NOT_FOUND when unknown or outside the user's subtree (the two are not told apart).
 */
export async function getOrg(db: Db, user: AuthUser, code: string): Promise<OrgJson> {
  const org = await db.organization.findUnique({ where: { code }, select: ORG_JSON_SELECT });
  if (!org || !(await canAccessOrg(db, user, org.id))) throw orgNotFound(code);
  return toOrgJson(org);
}
