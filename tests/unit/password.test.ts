import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "../../server/features/auth/password-hash.ts";
import { legacyScryptHash } from "../helpers/legacy-password.ts";

describe("password hashing", () => {
  it("hashes with argon2id and OWASP's parameters (19 MiB, 2 passes, 1 lane), a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it("matches decomposed and composed Vietnamese alike", async () => {
    const h = await hashPassword("Mật khẩu rất dài");
    expect(await verifyPassword("Mật khẩu rất dài".normalize("NFD"), h)).toBe(true);
  });

  it("still verifies scrypt hashes of earlier versions, and asks for them to be rehashed", async () => {
    const legacy = legacyScryptHash("mat-khau-cu-van-dung");
    expect(await verifyPassword("mat-khau-cu-van-dung", legacy)).toBe(true);
    expect(await verifyPassword("mat-khau-sai", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaA")).toBe(true);
  });

  it.each(["", "plain", "scrypt$", "scrypt$16384$8$1$$", "scrypt$99999999999$8$1$AAAA$AAAA", "$argon2id$v=19$m=19456,t=2,p=1$bad", "$argon2id$garbage"])(
    "answers false for the malformed hash %j",
    async (stored) => {
      expect(await verifyPassword("anything at all", stored)).toBe(false);
    },
  );
});
