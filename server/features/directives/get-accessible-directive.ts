import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/** NOT_FOUND for a directive id, used when it is unknown and when it lies out of the user's reach. */
export function directiveNotFound(id: number): AppError {
  return new AppError("NOT_FOUND", `directive ${id}`, { messageKey: "errors.directive_not_found", params: { id } });
}

const DIRECTIVE_SELECT = { id: true, title: true, status: true, issuerOrgId: true } as const;

/**
 * The directive `id`, if the user may read it and act on it: its issuing office is the user's
 * office or lies below it. Every use of a directive by id (read, counts, recipients, replies,
 * export, publish) passes here.
 *
 * Access follows the issuer, never the audience: a directive a superior addressed to an office's
 * schools is still the superior's, and its draft, counts and replies are not the office's to read
 * or publish. A directive issued by a system administrator (no office) is reached by system
 * administrators only.
 * @throws AppError NOT_FOUND when it does not exist or is out of reach: ids are sequential, so a
 * 403 would confirm that the id exists.
 */
export async function getAccessibleDirective(db: Db, user: AuthUser, id: number) {
  const directive = await db.directive.findUnique({ where: { id }, select: DIRECTIVE_SELECT });
  if (!directive || !(await canAccessOrg(db, user, directive.issuerOrgId))) throw directiveNotFound(id);
  return directive;
}
