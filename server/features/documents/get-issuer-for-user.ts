import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { fieldError } from "./document-errors.ts";

/** What documents need of their issuer: its header fields and register setting. */
export const ISSUER_SELECT = { id: true, code: true, name: true, symbol: true, place: true, governingBody: true, registerPerType: true } as const;

/**
 * The issuing organisation by code, if the user may write in its name.
 * @throws AppError VALIDATION naming `issuer` when unknown; FORBIDDEN when outside the user's subtree.
 */
export async function getIssuerForUser(db: Db, user: AuthUser, code: string, path = "issuer") {
  const org = await db.organization.findUnique({ where: { code }, select: ISSUER_SELECT });
  if (!org) throw fieldError(path, "documents.errors.issuer_not_found", { code });
  if (!(await canAccessOrg(db, user, org.id))) {
    throw new AppError("FORBIDDEN", "issuer outside scope", {
      messageKey: "errors.forbidden",
      issues: [{ path, messageKey: "documents.errors.issuer_outside_scope", params: { code } }],
    });
  }
  return org;
}
