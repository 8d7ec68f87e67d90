/**
 * Password hashing: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), PHC format
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. Hashes written by earlier versions
 * (`scrypt$N$r$p$salt$hash`, Node's scrypt) still verify, and {@link needsRehash} tells the sign-in to
 * replace them.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify, type Options } from "@node-rs/argon2";

// The package's Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2_OPTIONS: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };
const CURRENT_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$";

/** Hashes `password` (NFC-normalised, so a phone's decomposed Vietnamese matches a desktop's) with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password.normalize("NFC"), ARGON2_OPTIONS);
}

/** True when `password` matches `stored` (argon2id, or a legacy scrypt hash); false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const normalized = password.normalize("NFC");
  if (stored.startsWith("$argon2")) {
    try {
      return await argon2Verify(stored, normalized);
    } catch {
      return false; // a malformed PHC string
    }
  }
  if (stored.startsWith("scrypt$")) return verifyScrypt(normalized, stored);
  return false;
}

/** True when `stored` was not made with today's algorithm and parameters, so a successful sign-in should rehash. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split("$");
  if (!n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  if (expected.length === 0) return false;
  try {
    const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false; // parameters scrypt refuses
  }
}

/** A hash of a random password, for comparing against when an e-mail is unknown so timing does not tell. */
export function createDummyHash(): Promise<string> {
  return hashPassword(randomBytes(16).toString("base64"));
}
