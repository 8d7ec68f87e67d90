/** Password hashes as earlier versions of chidao stored them. */
import { randomBytes, scryptSync } from "node:crypto";

/** A hash as chidao stored it before argon2id: `scrypt$N$r$p$salt$hash` (N=16384, r=8, p=1). */
export function legacyScryptHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize("NFC"), salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
}
