import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/** NOT_FOUND for a user id, used when it is unknown and when the user lies outside the administrator's subtree. */
export function userNotFound(id: number): AppError {
  return new AppError("NOT_FOUND", `user ${id}`, { messageKey: "errors.user_not_found", params: { id } });
}

/**
 * The user `id` if `admin` may manage them: anyone for a system-wide administrator, otherwise users of
 * the administrator's organisation or below (a system-wide user is outside every subtree).
 * @throws AppError NOT_FOUND when unknown or out of reach (the two are not told apart).
 */
export async function getManagedUser(db: Db, admin: AuthUser, id: number) {
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, role: true, organizationId: true, disabledAt: true } });
  if (!user || !(await canAccessOrg(db, admin, user.organizationId))) throw userNotFound(id);
  return user;
}
