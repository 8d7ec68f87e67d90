import type { Db } from "../../db/prisma.ts";
import { hashToken } from "./create-token.ts";

/** Signs out: revokes the bearer token `token` of user `userId` and records it. Revoking twice is harmless. */
export async function revokeToken(db: Db, { token, userId }: { token: string; userId: number }): Promise<void> {
  await db.$transaction([
    db.apiToken.updateMany({ where: { tokenHash: hashToken(token), userId, revokedAt: null }, data: { revokedAt: new Date() } }),
    db.auditLog.create({ data: { userId, action: "auth.logout", entityType: "user", entityId: String(userId) } }),
  ]);
}
