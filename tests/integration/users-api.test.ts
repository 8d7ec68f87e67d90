import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
type Auth = { Authorization: string };
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
let sysAdmin: Awaited<ReturnType<typeof createUserWithToken>>;
let adminX1: Awaited<ReturnType<typeof createUserWithToken>>;
let officerX1: Auth;
let viewer: Auth;
const STRONG = "ngày mai trời lại sáng";

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  sysAdmin = await createUserWithToken(t.db);
  adminX1 = await createUserWithToken(t.db, { role: "ADMIN", orgCode: "X1" });
  officerX1 = bearer((await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1" })).token);
  viewer = bearer((await createUserWithToken(t.db, { role: "VIEWER" })).token);
});
afterAll(() => t.drop());

const signIn = (email: string, password: string) => request(t.app).post("/api/v1/auth/token").send({ email, password });
let seq = 0;
const newUser = (auth: Auth, body: Record<string, unknown> = {}) =>
  request(t.app)
    .post("/api/v1/users")
    .set(auth)
    .send({ email: `nv${++seq}@sgd.example.vn`, name: "Nhân viên", role: "OFFICER", password: STRONG, ...body });

describe("who may manage users", () => {
  const routes: [string, string, Record<string, unknown>?][] = [
    ["get", "/api/v1/users"],
    ["post", "/api/v1/users", { email: "x@sgd.example.vn", name: "X", role: "VIEWER", password: STRONG }],
    ["patch", "/api/v1/users/1", { name: "Y" }],
    ["post", "/api/v1/users/1/revoke-tokens"],
  ];
  it.each(routes)("%s %s: 401 without a token, 403 for an officer and a viewer", async (method, path, body) => {
    const call = (auth?: Auth) => {
      const r = (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path);
      if (auth) r.set(auth);
      return body ? r.send(body) : r;
    };
    expect((await call()).status).toBe(401);
    expect((await call(officerX1)).status).toBe(403);
    const forbidden = await call(viewer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toBe("Bạn không có quyền thực hiện thao tác này");
  });
});

describe("POST /users", () => {
  it("creates a user who can sign in, with an argon2id hash, and audits it", async () => {
    const res = await newUser(bearer(sysAdmin.token), { email: "  Can.Bo@SGD.example.vn ", name: "Cán bộ Mới", role: "CLERK", organization_code: "X2" }).expect(201);
    expect(res.body).toMatchObject({
      email: "can.bo@sgd.example.vn",
      name: "Cán bộ Mới",
      role: "CLERK",
      organization_code: "X2",
      locale: "vi",
      disabled: false,
      disabled_at: null,
    });
    expect(res.body).not.toHaveProperty("passwordHash");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    await signIn("can.bo@sgd.example.vn", STRONG).expect(200);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "user.create", entityId: String(res.body.id) } });
    expect(audit).toMatchObject({ userId: sysAdmin.user.id, details: { email: "can.bo@sgd.example.vn", role: "CLERK", organization_code: "X2" } });
    expect(JSON.stringify(audit.details)).not.toContain(STRONG);
  });

  it("answers 409 for an e-mail that already has an account, whatever its case", async () => {
    await newUser(bearer(sysAdmin.token), { email: "trung@sgd.example.vn" }).expect(201);
    const res = await newUser(bearer(sysAdmin.token), { email: "TRUNG@sgd.example.vn" });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("Email trung@sgd.example.vn đã có tài khoản");
  });

  it("creates the same e-mail once under concurrency (one 201, the rest 409)", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => newUser(bearer(sysAdmin.token), { email: "dua@sgd.example.vn" })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it.each([
    ["a short password", { password: "ngan-qua" }, "password", "mật khẩu phải có ít nhất 12 ký tự"],
    ["a known default", { password: "change-me-now" }, "password", /quá dễ đoán/],
    ["admin plus digits", { password: "Admin@123456" }, "password", /quá dễ đoán/],
    ["the e-mail itself", { email: "hieu.truong@sgd.example.vn", password: "hieu.truong@sgd.example.vn" }, "password", /quá dễ đoán/],
    ["a bad e-mail", { email: "khong-phai-email" }, "email", "sai định dạng"],
    ["an unknown role", { role: "ROOT" }, "role", /giá trị không hợp lệ/],
    ["an unknown field", { is_superuser: true }, "(body)", /is_superuser/],
    ["a control character in the name", { name: "Tên\u0000" }, "name", "chứa ký tự điều khiển không được phép"],
    ["an unknown organisation", { organization_code: "KHONG-CO" }, "organization_code", "Không có đơn vị mã KHONG-CO"],
  ])("answers 422 for %s, naming the field", async (_name, body, path, message) => {
    const res = await newUser(bearer(sysAdmin.token), body);
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0].path).toBe(path);
    expect(res.body.error.issues[0].message).toMatch(message);
  });

  it("speaks English on request", async () => {
    const res = await newUser(bearer(sysAdmin.token), { password: "password" }).set("Accept-Language", "en");
    expect(res.body.error.issues[0].message).toBe("the password must be at least 12 characters long");
  });

  it("keeps an organisation's administrator inside their subtree", async () => {
    const x1 = bearer(adminX1.token);
    const inside = await newUser(x1, { organization_code: "X1-PGD-MN2", role: "ADMIN" }).expect(201);
    expect(inside.body.organization_code).toBe("X1-PGD-MN2");
    const outside = await newUser(x1, { organization_code: "X2" });
    expect(outside.status).toBe(422);
    expect(outside.body.error.issues[0].message).toBe("Không có đơn vị mã X2"); // same as unknown
    expect((await newUser(x1, { organization_code: "SGD" })).status).toBe(422);
    const systemWide = await newUser(x1, {});
    expect(systemWide.status).toBe(403);
    expect(systemWide.body.error.message).toMatch(/chỉ tạo được tài khoản thuộc đơn vị mình/);
  });
});

describe("GET /users", () => {
  it("lists every user for a system-wide administrator, and only the subtree's for an organisation's", async () => {
    await newUser(bearer(sysAdmin.token), { organization_code: "X1-TH" }).expect(201);
    await newUser(bearer(sysAdmin.token), { organization_code: "THPT1" }).expect(201);
    const all = await request(t.app).get("/api/v1/users").set(bearer(sysAdmin.token)).expect(200);
    expect(all.body.length).toBe(await t.db.user.count());
    expect(all.body.map((u: { id: number }) => u.id)).toEqual([...all.body.map((u: { id: number }) => u.id)].sort((a, b) => a - b));
    const mine = await request(t.app).get("/api/v1/users").set(bearer(adminX1.token)).expect(200);
    const codes = new Set(mine.body.map((u: { organization_code: string }) => u.organization_code));
    expect([...codes].sort()).toEqual(["X1", "X1-PGD-MN2", "X1-TH"]);
    const page = await request(t.app).get("/api/v1/users?limit=2&offset=1").set(bearer(sysAdmin.token)).expect(200);
    expect(page.body.map((u: { id: number }) => u.id)).toEqual(all.body.slice(1, 3).map((u: { id: number }) => u.id));
    expect((await request(t.app).get("/api/v1/users?limit=0").set(bearer(sysAdmin.token))).status).toBe(422);
    expect((await request(t.app).get("/api/v1/users?role=ADMIN").set(bearer(sysAdmin.token))).status).toBe(422);
  });
});

describe("PATCH /users/:id", () => {
  it("disabling revokes every token at once (rows, not only at read time), and re-enabling does not bring them back", async () => {
    const target = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1-TH" });
    const second = (await signIn(target.email, target.password).expect(200)).body.token as string;
    await request(t.app).get("/api/v1/templates").set(bearer(second)).expect(200);
    const res = await request(t.app).patch(`/api/v1/users/${target.user.id}`).set(bearer(adminX1.token)).send({ disabled: true }).expect(200);
    expect(res.body).toMatchObject({ disabled: true });
    expect(await t.db.apiToken.count({ where: { userId: target.user.id, revokedAt: null } })).toBe(0);
    expect((await request(t.app).get("/api/v1/templates").set(bearer(target.token))).status).toBe(401);
    expect((await signIn(target.email, target.password)).status).toBe(401);
    await request(t.app).patch(`/api/v1/users/${target.user.id}`).set(bearer(adminX1.token)).send({ disabled: false }).expect(200);
    expect((await request(t.app).get("/api/v1/templates").set(bearer(second))).status).toBe(401);
    await signIn(target.email, target.password).expect(200);
    const audit = await t.db.auditLog.findMany({ where: { action: "user.update", entityId: String(target.user.id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.details)).toEqual([
      { changed: ["disabled"], disabled: true, revoked: 2 },
      { changed: ["disabled"], disabled: false, revoked: 0 },
    ]);
  });

  it("sets a new password under the policy and signs the user out everywhere", async () => {
    const target = await createUserWithToken(t.db, { role: "CLERK", orgCode: "X1" });
    const weak = await request(t.app).patch(`/api/v1/users/${target.user.id}`).set(bearer(adminX1.token)).send({ password: "password2024" });
    expect(weak.status).toBe(422);
    expect(weak.body.error.issues[0].path).toBe("password");
    await request(t.app).patch(`/api/v1/users/${target.user.id}`).set(bearer(adminX1.token)).send({ password: "một mật khẩu mới dài hơn" }).expect(200);
    expect((await request(t.app).get("/api/v1/templates").set(bearer(target.token))).status).toBe(401);
    expect((await signIn(target.email, target.password)).status).toBe(401);
    await signIn(target.email, "một mật khẩu mới dài hơn").expect(200);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "user.update", entityId: String(target.user.id) } });
    expect(audit.details).toEqual({ changed: ["password"], revoked: 1 });
  });

  it("changes name and role", async () => {
    const target = await createUserWithToken(t.db, { role: "VIEWER", orgCode: "X1-MN" });
    const res = await request(t.app).patch(`/api/v1/users/${target.user.id}`).set(bearer(adminX1.token)).send({ name: "  Lê Văn Tám ", role: "OFFICER" }).expect(200);
    expect(res.body).toMatchObject({ name: "Lê Văn Tám", role: "OFFICER", organization_code: "X1-MN" });
    await request(t.app).get("/api/v1/templates").set(bearer(target.token)).expect(200); // no password change, tokens kept
  });

  it("answers 404 for unknown ids, malformed ids and users outside the subtree", async () => {
    const x2 = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X2" });
    for (const id of ["999999", "abc", "0", "-1", "1e3", String(x2.user.id), String(sysAdmin.user.id)]) {
      const res = await request(t.app).patch(`/api/v1/users/${id}`).set(bearer(adminX1.token)).send({ name: "Z" });
      expect(res.status, id).toBe(404);
      const revoke = await request(t.app).post(`/api/v1/users/${id}/revoke-tokens`).set(bearer(adminX1.token));
      expect(revoke.status, id).toBe(404);
    }
    const res = await request(t.app).patch("/api/v1/users/999999").set(bearer(sysAdmin.token)).send({ name: "Z" });
    expect(res.body.error.message).toBe("Không tìm thấy người dùng 999999");
    await request(t.app).get("/api/v1/templates").set(bearer(x2.token)).expect(200);
  });

  it("answers 422 for an empty or wrong body", async () => {
    const target = await createUserWithToken(t.db, { role: "VIEWER", orgCode: "X1" });
    const path = `/api/v1/users/${target.user.id}`;
    for (const body of [{}, { disabled: "yes" }, { role: "OWNER" }, { email: "moi@sgd.example.vn" }, { name: "" }]) {
      expect((await request(t.app).patch(path).set(bearer(adminX1.token)).send(body)).status, JSON.stringify(body)).toBe(422);
    }
  });

  it("answers 409 when administrators would disable themselves or change their own role", async () => {
    const self = await createUserWithToken(t.db, { role: "ADMIN", orgCode: "X2" });
    const path = `/api/v1/users/${self.user.id}`;
    for (const body of [{ disabled: true }, { role: "VIEWER" }]) {
      const res = await request(t.app).patch(path).set(bearer(self.token)).send(body);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe("Không thể tự khóa tài khoản hoặc tự đổi vai trò của chính mình");
    }
    await request(t.app).patch(path).set(bearer(self.token)).send({ name: "Tự đổi tên", role: "ADMIN", disabled: false }).expect(200);
  });
});

describe("POST /users/:id/revoke-tokens", () => {
  it("revokes every live token of the user and audits the count", async () => {
    const target = await createUserWithToken(t.db, { role: "OFFICER", orgCode: "X1-THCS" });
    await signIn(target.email, target.password).expect(200);
    const res = await request(t.app).post(`/api/v1/users/${target.user.id}/revoke-tokens`).set(bearer(adminX1.token)).expect(200);
    expect(res.body).toEqual({ revoked: 2 });
    expect((await request(t.app).get("/api/v1/templates").set(bearer(target.token))).status).toBe(401);
    const again = await request(t.app).post(`/api/v1/users/${target.user.id}/revoke-tokens`).set(bearer(sysAdmin.token)).expect(200);
    expect(again.body).toEqual({ revoked: 0 });
    const audit = await t.db.auditLog.findMany({ where: { action: "user.revoke_tokens", entityId: String(target.user.id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.userId, a.details])).toEqual([
      [adminX1.user.id, { revoked: 2 }],
      [sysAdmin.user.id, { revoked: 0 }],
    ]);
    await signIn(target.email, target.password).expect(200); // revoking is not disabling
  });
});
