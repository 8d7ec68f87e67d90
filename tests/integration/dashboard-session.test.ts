/**
 * The dashboard's sessions over HTTP (supertest on the real app and database): the cookie's
 * attributes, CSRF on sign-in and on actions, the shared sign-in limiter, sign-out and sign-out
 * everywhere (which ends API tokens too), and error pages.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.drop());

const cookieOf = (res: request.Response, name: string) => ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith(`${name}=`));
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

/** The sign-in page's pre-session cookie and its CSRF token. */
async function signInForm(forwardedProto?: string) {
  const r = request(t.app).get("/signin").set("Accept", "text/html");
  const page = await (forwardedProto ? r.set("X-Forwarded-Proto", forwardedProto) : r);
  return { cookie: cookieOf(page, "chidao_pre")!.split(";")[0]!, csrf: csrfIn(page.text) };
}

async function signIn(email: string, password: string, forwardedProto?: string) {
  const { cookie, csrf } = await signInForm(forwardedProto);
  const r = request(t.app).post("/signin").set("Cookie", cookie).type("form").send({ _csrf: csrf, email, password, next: "/documents" });
  return forwardedProto ? r.set("X-Forwarded-Proto", forwardedProto) : r;
}

describe("dashboard sessions", () => {
  it("signs in with a session cookie that is httpOnly and SameSite=Lax, Secure behind HTTPS, and lands on `next`", async () => {
    const { email, password } = await createUserWithToken(t.db, { role: "OFFICER" });
    const plain = await signIn(email, password);
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe("/documents");
    const cookie = cookieOf(plain, "chidao_session")!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    // From the loopback proxy (TRUST_PROXY's default) saying the client came over HTTPS.
    const secure = await signIn(email, password, "https");
    expect(cookieOf(secure, "chidao_session")).toMatch(/; Secure/);
  });

  it("refuses a sign-in without the form's token (login CSRF), and an off-site `next`", async () => {
    const { email, password } = await createUserWithToken(t.db, { role: "OFFICER" });
    const forged = await request(t.app).post("/signin").type("form").send({ email, password });
    expect(forged.status).toBe(403);
    expect(cookieOf(forged, "chidao_session")).toBeUndefined();
    const { cookie, csrf } = await signInForm();
    const offsite = await request(t.app).post("/signin").set("Cookie", cookie).type("form").send({ _csrf: csrf, email, password, next: "//evil.example/x" });
    expect(offsite.headers.location).toBe("/");
  });

  it("counts dashboard sign-ins with the API's limiter: the 11th wrong password in a row is a 429 page", async () => {
    const { email } = await createUserWithToken(t.db, { role: "OFFICER" });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(email, "sai-mat-khau-roi")).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const page = await signIn(email, "mat-khau-du-dai");
    expect(page.status).toBe(429);
    expect(page.text).toContain("Quá nhiều lần thử");
  });

  it("signs out (the session's token revoked), and out everywhere (API tokens too)", async () => {
    const { email, password, token: apiToken } = await createUserWithToken(t.db, { role: "OFFICER" });
    const session = cookieOf(await signIn(email, password), "chidao_session")!.split(";")[0]!;
    const page = await request(t.app).get("/account").set("Cookie", session).set("Accept", "text/html");
    expect(page.status).toBe(200);
    const csrf = csrfIn(page.text);
    expect((await request(t.app).post("/signout-everywhere").set("Cookie", session).type("form").send({})).status).toBe(403);
    const out = await request(t.app).post("/signout-everywhere").set("Cookie", session).type("form").send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect((await request(t.app).get("/account").set("Cookie", session).set("Accept", "text/html")).headers.location).toBe("/signin?next=%2Faccount");
    expect((await request(t.app).get("/api/v1/orgs").set("Authorization", `Bearer ${apiToken}`)).status).toBe(401);

    const again = cookieOf(await signIn(email, password), "chidao_session")!.split(";")[0]!;
    const token = again.split("=")[1]!;
    const accountPage = await request(t.app).get("/account").set("Cookie", again).set("Accept", "text/html");
    await request(t.app)
      .post("/signout")
      .set("Cookie", again)
      .type("form")
      .send({ _csrf: csrfIn(accountPage.text) })
      .expect(303);
    expect((await request(t.app).get("/api/v1/orgs").set("Authorization", `Bearer ${token}`)).status).toBe(401);
  });

  it("answers unknown pages with the HTML 404 page and leaves the API's JSON 404 alone", async () => {
    const page = await request(t.app).get("/no-such-page").set("Accept", "text/html");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Không tìm thấy trang");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    const api = await request(t.app).get("/api/v1/no-such-route").set("Accept", "text/html");
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe("UNAUTHENTICATED");
  });
});
