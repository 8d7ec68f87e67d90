import type { Db } from "../../db/prisma.ts";
import { hashPassword } from "./password-hash.ts";
import { assertPasswordPolicy } from "../../domain/password-policy.ts";

/**
 * Creates the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD when the database has no user yet.
 * Returns true when it created one. Later starts never touch existing users.
 * @throws AppError VALIDATION when the password fails the password policy (too short, a known default).
 */
export async function ensureAdmin(db: Db, { email, password }: { email?: string | undefined; password?: string | undefined }): Promise<boolean> {
  if (!email || !password) return false;
  assertPasswordPolicy(password, { email, path: "ADMIN_PASSWORD" });
  if ((await db.user.count()) > 0) return false;
  await db.user.create({ data: { email: email.toLowerCase(), name: "Administrator", passwordHash: await hashPassword(password), role: "ADMIN" } });
  return true;
}
