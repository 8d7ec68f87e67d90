import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { createDummyHash, hashPassword, needsRehash, verifyPassword } from "./password-hash.ts";

/** Bearer tokens live 12 hours (a working day), then the officer signs in again. */
export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/** SHA-256 of a bearer token: only this is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// An argon2id hash with today's parameters to verify against when the e-mail is unknown, so an
// unknown e-mail costs the same time as a known one. Made once per process, on first use.
let dummyHash: Promise<string> | undefined;

/**
 * Signs a user in: checks the password and issues a 256-bit opaque token. A password stored with an
 * older algorithm or weaker parameters is rehashed with today's (argon2id) on this successful sign-in.
 * @throws AppError UNAUTHENTICATED for a wrong email or password (one message for both).
 */
export async function createToken(db: Db, { email, password }: { email: string; password: string }): Promise<{ token: string; expiresAt: Date; userId: number }> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await (dummyHash ??= createDummyHash())));
  if (!user || !ok || user.disabledAt) {
    throw new AppError("UNAUTHENTICATED", "bad credentials", { messageKey: "errors.bad_credentials" });
  }
  if (needsRehash(user.passwordHash)) {
    // Conditional on the old hash, so a password changed meanwhile is not overwritten.
    await db.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: await hashPassword(password) } });
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
  await db.apiToken.create({ data: { tokenHash: hashToken(token), userId: user.id, expiresAt } });
  await db.auditLog.create({ data: { userId: user.id, action: "auth.token", entityType: "user", entityId: String(user.id) } });
  return { token, expiresAt, userId: user.id };
}
