import type { Db } from "../../db/prisma.ts";
import { revokeAllTokens } from "../users/revoke-user-tokens.ts";

/** Signs a user out everywhere at their own request: every live token (browsers, API clients) is revoked and the act recorded. */
export async function revokeOwnTokens(db: Db, userId: number): Promise<{ revoked: number }> {
  return db.$transaction(async (tx) => {
    const revoked = await revokeAllTokens(tx, userId);
    await tx.auditLog.create({ data: { userId, action: "auth.logout_everywhere", entityType: "user", entityId: String(userId), details: { revoked } } });
    return { revoked };
  });
}
