import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { verifyPassword } from "../../domain/password.ts";

/** Bearer tokens live 12 hours (a working day), then the officer signs in again. */
export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/** SHA-256 of a bearer token: only this is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// A stable hash to compare against when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/**
 * Signs a user in: checks the password and issues a 256-bit opaque token.
 * @throws AppError UNAUTHENTICATED for a wrong email or password (one message for both).
 */
export async function createToken(db: Db, { email, password }: { email: string; password: string }): Promise<{ token: string; expiresAt: Date; userId: number }> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) {
    throw new AppError("UNAUTHENTICATED", "bad credentials", { messageKey: "errors.bad_credentials" });
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
  await db.apiToken.create({ data: { tokenHash: hashToken(token), userId: user.id, expiresAt } });
  await db.auditLog.create({ data: { userId: user.id, action: "auth.token", entityType: "user", entityId: String(user.id) } });
  return { token, expiresAt, userId: user.id };
}
