import type { Db } from "../../db/prisma.ts";
import { hashToken } from "./create-token.ts";

export type AuthUser = { id: number; email: string; name: string; role: "ADMIN" | "OFFICER" | "CLERK" | "VIEWER"; organizationId: number | null; locale: string };

/** The user a live bearer token belongs to, or null (unknown, expired, revoked, or user disabled). */
export async function findUserByToken(db: Db, token: string): Promise<AuthUser | null> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { expiresAt: true, revokedAt: true, user: { select: { id: true, email: true, name: true, role: true, organizationId: true, locale: true, disabledAt: true } } },
  });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now() || row.user.disabledAt) return null;
  const { disabledAt: _disabled, ...user } = row.user;
  return user;
}
