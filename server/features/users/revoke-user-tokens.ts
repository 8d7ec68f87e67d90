import type { Db, Prisma } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getManagedUser } from "./get-managed-user.ts";

/** Revokes every live token of user `userId` inside transaction `tx`; returns how many. */
export async function revokeAllTokens(tx: Prisma.TransactionClient, userId: number): Promise<number> {
  const { count } = await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

/**
 * Signs user `id` out everywhere: revokes all their tokens at once, on behalf of administrator `admin`.
 * @throws AppError NOT_FOUND when the user is unknown or outside the administrator's subtree.
 */
export async function revokeUserTokens(db: Db, admin: AuthUser, id: number): Promise<{ revoked: number }> {
  await getManagedUser(db, admin, id);
  return db.$transaction(async (tx) => {
    const revoked = await revokeAllTokens(tx, id);
    await tx.auditLog.create({ data: { userId: admin.id, action: "user.revoke_tokens", entityType: "user", entityId: String(id), details: { revoked } } });
    return { revoked };
  });
}
