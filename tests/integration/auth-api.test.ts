import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../../server/features/auth/ensure-admin.ts";
import { createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { legacyScryptHash } from "../helpers/legacy-password.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.drop());

describe("argon2id with rehash on sign-in", () => {
  it("signs in a user whose password was stored with scrypt, and stores argon2id from then on", async () => {
    const user = await t.db.user.create({ data: { email: "cu@sgd.example.vn", name: "Tài khoản cũ", passwordHash: legacyScryptHash("mat-khau-tu-ban-cu"), role: "OFFICER" } });
    expect((await request(t.app).post("/api/v1/auth/token").send({ email: "cu@sgd.example.vn", password: "sai-mat-khau-roi" })).status).toBe(401);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toMatch(/^scrypt\$/); // not on a failure
    const res = await request(t.app).post("/api/v1/auth/token").send({ email: "CU@sgd.example.vn", password: "mat-khau-tu-ban-cu" }).expect(200);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rehashed = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await request(t.app).post("/api/v1/auth/token").send({ email: "cu@sgd.example.vn", password: "mat-khau-tu-ban-cu" }).expect(200);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(rehashed); // once only
    expect((await request(t.app).post("/api/v1/auth/token").send({ email: "cu@sgd.example.vn", password: "sai-mat-khau-roi" })).status).toBe(401);
  });

  it("answers an unknown e-mail like a wrong password, after a password check of the same cost", async () => {
    const { email } = await createUserWithToken(t.db, { role: "OFFICER" });
    const time = async (e: string) => {
      const start = performance.now();
      const res = await request(t.app).post("/api/v1/auth/token").send({ email: e, password: "sai-mat-khau-roi" });
      return { ms: performance.now() - start, res };
    };
    await time("khong-co@sgd.example.vn"); // the dummy hash is made on first use
    const unknown = await time("khong-co-ai@sgd.example.vn");
    const known = await time(email);
    expect(unknown.res.status).toBe(401);
    expect(unknown.res.body.error.message).toBe(known.res.body.error.message);
    // Both verify an argon2id hash (tens of ms); without the dummy an unknown e-mail would answer in ~1 ms.
    expect(unknown.ms).toBeGreaterThan(known.ms / 3);
  });

  it("refuses a NUL byte in the e-mail with a 422, not a database error", async () => {
    const res = await request(t.app).post("/api/v1/auth/token").send({ email: "a\u0000@b.vn", password: "x" });
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0].path).toBe("email");
  });
});

describe("POST /auth/logout", () => {
  it("revokes the token it presents and only that one, and audits it", async () => {
    const { user, token, email, password } = await createUserWithToken(t.db, { role: "VIEWER" });
    const other = (await request(t.app).post("/api/v1/auth/token").send({ email, password }).expect(200)).body.token as string;
    await request(t.app).get("/api/v1/templates").set("Authorization", `Bearer ${token}`).expect(200);
    await request(t.app).post("/api/v1/auth/logout").set("Authorization", `Bearer ${token}`).expect(204);
    const after = await request(t.app).get("/api/v1/templates").set("Authorization", `Bearer ${token}`);
    expect(after.status).toBe(401);
    await request(t.app).get("/api/v1/templates").set("Authorization", `Bearer ${other}`).expect(200);
    expect(await t.db.auditLog.count({ where: { userId: user.id, action: "auth.logout" } })).toBe(1);
    // A revoked token cannot sign out again, nor can no token.
    expect((await request(t.app).post("/api/v1/auth/logout").set("Authorization", `Bearer ${token}`)).status).toBe(401);
    expect((await request(t.app).post("/api/v1/auth/logout")).status).toBe(401);
  });
});

describe("ensureAdmin", () => {
  it("refuses a weak first administrator's password and creates one with a strong one", async () => {
    const fresh = await createTestApp();
    try {
      await expect(ensureAdmin(fresh.db, { email: "admin@example.vn", password: "change-me-now" })).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(ensureAdmin(fresh.db, { email: "admin@example.vn", password: "short" })).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await fresh.db.user.count()).toBe(0);
      expect(await ensureAdmin(fresh.db, { email: "admin@example.vn", password: "correct horse battery staple" })).toBe(true);
      const admin = await fresh.db.user.findUniqueOrThrow({ where: { email: "admin@example.vn" } });
      expect(admin).toMatchObject({ role: "ADMIN", organizationId: null });
      expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    } finally {
      await fresh.drop();
    }
  });
});
