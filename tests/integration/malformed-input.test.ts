/**
 * Input a client can send that once made 500s, one table per class over every route of the app (read
 * from its router): malformed percent-escapes in path parameters, bodies that do not match their
 * Content-Encoding, and text PostgreSQL cannot store (NUL, unpaired surrogates) in bodies, query
 * strings and paths. Each class has one fix where it arises (the error mapping, the text rule); the
 * tables prove it holds on every route, in both languages.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t as translate } from "../../server/i18n.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { fillPath, listAppRoutes, type AppRoute } from "../helpers/app-routes.ts";
import { rawRequest } from "../helpers/raw-http.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { csrfTokenFor } from "../../server/web/web-session.ts";

let t: TestApp;
let routes: AppRoute[];
let admin: { email: string; password: string; token: string };
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  admin = await createUserWithToken(t.db, { role: "ADMIN", orgCode: "SGD" });
  routes = listAppRoutes(t.app);
  server = await new Promise((resolve) => {
    const s = t.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.drop();
});

type Answer = { status: number; text: string; body: { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } };

/** Sends one request through the real app over a socket, path and body bytes exactly as given. */
async function send(route: AppRoute, path: string, o: { lang?: "vi" | "en"; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "Accept-Language": o.lang ?? "vi", Accept: "application/json", ...o.headers };
  if (route.authenticated) headers.Authorization = `Bearer ${admin.token}`;
  // The dashboard's routes: the session cookie and its CSRF token, as the dashboard's pages send them.
  if (route.dashboard) Object.assign(headers, { Cookie: `chidao_session=${admin.token}`, "X-CSRF-Token": csrfTokenFor(admin.token) });
  const res = await rawRequest(base, { method: route.method, path, headers, ...(o.body !== undefined ? { body: o.body } : {}) });
  return { status: res.status, text: res.text, body: res.json ?? {} };
}

/** A route's concrete path with valid-looking parameters. */
const plainPath = (r: AppRoute) => fillPath(r, (name) => (name === "code" ? "SGD" : "1"));
const describeRoute = (r: AppRoute) => `${r.method} ${r.pattern}`;

it("the route table is read from the app and covers the API, the public pages and health", () => {
  expect(routes.length).toBeGreaterThanOrEqual(25);
  expect(routes.map(describeRoute)).toEqual(expect.arrayContaining(["POST /api/v1/auth/token", "GET /api/v1/documents/:id.pdf", "PATCH /api/v1/orgs/:code", "POST /verify/:code"]));
});

describe("malformed percent-escapes in path parameters: 400 in the request's language, on every route", () => {
  const ESCAPES = ["%E0%A4%A", "%", "%zz", "%C0%80", "%ED%A0%80", "%FF", "abc%2", "%%41"];

  it.each(["vi", "en"] as const)("every route with a parameter × every escape (%s)", async (lang) => {
    const withParams = routes.filter((r) => r.params.length);
    expect(withParams.length).toBeGreaterThanOrEqual(12);
    const wrong: string[] = [];
    for (const route of withParams) {
      for (const escape of ESCAPES) {
        const res = await send(
          route,
          fillPath(route, () => escape),
          { lang, headers: { "Content-Type": "application/json" }, ...(route.hasBody ? { body: "{}" } : {}) },
        );
        const ok = res.status === 400 && res.body.error?.code === "BAD_REQUEST" && res.body.error.message === translate(lang, "errors.bad_percent_encoding");
        if (!ok) wrong.push(`${describeRoute(route)} ${escape} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("a body that does not match its Content-Encoding: 400 or 415, for JSON and for raw uploads", () => {
  const json = Buffer.from(JSON.stringify({ email: "a@b.vn", password: "x" }));
  const CASES: { name: string; encoding: string; body: Buffer; status: number; key: string }[] = [
    { name: "gzip header, plain bytes", encoding: "gzip", body: json, status: 400, key: "errors.bad_content_encoding" },
    { name: "gzip, truncated", encoding: "gzip", body: gzipSync(json).subarray(0, 15), status: 400, key: "errors.bad_content_encoding" },
    {
      name: "gzip, garbage after the magic",
      encoding: "gzip",
      body: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(40, 0xff)]),
      status: 400,
      key: "errors.bad_content_encoding",
    },
    { name: "deflate garbage", encoding: "deflate", body: Buffer.from("not deflate at all"), status: 400, key: "errors.bad_content_encoding" },
    { name: "brotli garbage", encoding: "br", body: Buffer.from("not brotli at all, certainly"), status: 400, key: "errors.bad_content_encoding" },
    { name: "unknown encoding", encoding: "x-chidao", body: json, status: 415, key: "errors.unsupported_content_encoding" },
    { name: "two encodings", encoding: "gzip, deflate", body: json, status: 415, key: "errors.unsupported_content_encoding" },
  ];
  const contentType = (r: AppRoute) =>
    r.dashboard ? "application/x-www-form-urlencoded" : r.pattern.endsWith("/orgs/import") ? "text/csv" : r.pattern.startsWith("/verify") ? "application/pdf" : "application/json";

  it.each(["vi", "en"] as const)("every route with a body × every mismatch (%s)", async (lang) => {
    const withBody = routes.filter((r) => r.hasBody);
    expect(withBody.map(describeRoute)).toEqual(expect.arrayContaining(["POST /api/v1/orgs/import", "POST /verify/:code", "POST /api/v1/auth/token"]));
    const wrong: string[] = [];
    for (const route of withBody) {
      for (const c of CASES) {
        const res = await send(route, plainPath(route), { lang, headers: { "Content-Type": contentType(route), "Content-Encoding": c.encoding }, body: c.body });
        const expected = translate(lang, c.key, { encoding: c.encoding });
        if (res.status !== c.status || res.body.error?.message !== expected) wrong.push(`${describeRoute(route)} ${c.name} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("a body that matches its encoding is read: gzip sign-in and gzip CSV import", async () => {
    const signIn = routes.find((r) => r.pattern === "/api/v1/auth/token")!;
    const ok = await send(signIn, plainPath(signIn), {
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body: gzipSync(JSON.stringify({ email: admin.email, password: admin.password })),
    });
    expect(ok.status).toBe(200);
    const importRoute = routes.find((r) => r.pattern === "/api/v1/orgs/import")!;
    const csv = "code,name,kind,level,parent_code,principal_name,principal_phone\nGZ1,Trường Tiểu học Nén,SCHOOL,TIEU_HOC,SGD,,\n";
    const imported = await send(importRoute, plainPath(importRoute), { headers: { "Content-Type": "text/csv", "Content-Encoding": "gzip" }, body: gzipSync(csv) });
    expect(imported.status).toBe(200);
  });
});

describe("the bounds of a JSON body, answered before it is parsed: nesting and size", () => {
  it.each(["vi", "en"] as const)("every JSON route: 33 levels is a 400, a body over 1 MB a 413 (%s)", async (lang) => {
    const jsonRoutes = routes.filter((r) => r.hasBody && r.pattern.startsWith("/api/v1/") && !r.pattern.endsWith("/orgs/import"));
    const cases = [
      { name: "arrays 33 deep", body: `${"[".repeat(33)}${"]".repeat(33)}`, status: 400, key: "errors.json_too_deep" },
      { name: "objects 100,000 deep", body: `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`, status: 400, key: "errors.json_too_deep" },
      { name: "1.2 MB of text", body: JSON.stringify({ title: "a".repeat(1_200_000) }), status: 413, key: "errors.payload_too_large" },
    ];
    const wrong: string[] = [];
    for (const route of jsonRoutes) {
      for (const c of cases) {
        const res = await send(route, plainPath(route), { lang, headers: { "Content-Type": "application/json" }, body: c.body });
        if (res.status !== c.status || res.body.error?.message !== translate(lang, c.key, { limit: c.status === 413 ? 1024 * 1024 : 32 }))
          wrong.push(`${describeRoute(route)} ${c.name} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("brackets inside strings do not count, and 32 levels are accepted", async () => {
    const signIn = routes.find((r) => r.pattern === "/api/v1/auth/token")!;
    const inString = await send(signIn, plainPath(signIn), {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "[".repeat(200), password: "{".repeat(200) }),
    });
    expect(inString.status).toBe(401);
    const deep = await send(signIn, plainPath(signIn), {
      headers: { "Content-Type": "application/json" },
      body: `{"email":"a@b.vn","password":"x","x":${"[".repeat(31)}${"]".repeat(31)}}`,
    });
    expect(deep.status).toBe(401);
  });
});

describe("text PostgreSQL cannot store: 422 naming the field, wherever it enters", () => {
  const BAD = [
    { name: "NUL", value: "ab\u0000cd" },
    { name: "lone high surrogate", value: "ab\uD800cd" },
    { name: "lone low surrogate", value: "\uDC00" },
  ];

  /** JSON as a client would send it: JSON.stringify escapes lone surrogates as \ud800, which the server parses back. */
  const bodyWith = (path: string[], value: string) => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (const key of path.slice(0, -1)) node = node[key] = {};
    node[path.at(-1)!] = value;
    return JSON.stringify(root);
  };

  it.each(["vi", "en"] as const)("in a JSON body, top-level, nested and as a key, on every JSON route (%s)", async (lang) => {
    const jsonRoutes = routes.filter((r) => r.hasBody && r.pattern.startsWith("/api/v1/") && !r.pattern.endsWith("/orgs/import"));
    const wrong: string[] = [];
    for (const route of jsonRoutes) {
      for (const bad of BAD) {
        const cases: { body: string; path: string }[] = [
          { body: bodyWith(["title"], bad.value), path: "title" },
          { body: bodyWith(["data", "items", "body"], bad.value), path: "data.items.body" },
          { body: JSON.stringify({ [`k${bad.value}`]: "x" }), path: JSON.stringify(`k${bad.value}`).slice(1, -1) },
          { body: JSON.stringify({ list: ["ok", bad.value] }), path: "list.1" },
        ];
        for (const c of cases) {
          const res = await send(route, plainPath(route), { lang, headers: { "Content-Type": "application/json" }, body: c.body });
          const issue = res.body.error?.issues?.[0];
          if (res.status !== 422 || issue?.path !== c.path || issue.message !== translate(lang, "errors.field.unstorable_text")) {
            wrong.push(`${describeRoute(route)} ${bad.name} at ${c.path} → ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("sign-in's e-mail with a NUL (once a 500 from PostgreSQL) is a 422 naming email", async () => {
    const signIn = routes.find((r) => r.pattern === "/api/v1/auth/token")!;
    for (const email of [`${admin.email}\u0000`, "a\u0000@b.vn", "\uD800@b.vn"]) {
      const res = await send(signIn, plainPath(signIn), { lang: "en", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: admin.password }) });
      expect(res.status).toBe(422);
      expect(res.body.error!.issues).toEqual([{ path: "email", message: translate("en", "errors.field.unstorable_text") }]);
    }
  });

  it.each(["vi", "en"] as const)("in a query string and in a path parameter, on every route (%s)", async (lang) => {
    const wrong: string[] = [];
    for (const route of routes) {
      const opts = { lang, headers: { "Content-Type": "application/json" }, ...(route.hasBody ? { body: "{}" } : {}) };
      for (const escaped of ["%00", "a%00b", "%EF%BF%BD%00"]) {
        const q = await send(route, `${plainPath(route)}?status=${escaped}&issuer=SGD`, opts);
        if (q.status !== 422 || q.body.error?.issues?.[0]?.path !== "status" || q.body.error.issues[0].message !== translate(lang, "errors.field.unstorable_text")) {
          wrong.push(`${describeRoute(route)} query ${escaped} → ${q.status} ${JSON.stringify(q.body)}`);
        }
        const k = await send(route, `${plainPath(route)}?x${escaped}=1`, opts);
        if (k.status !== 422) wrong.push(`${describeRoute(route)} query key ${escaped} → ${k.status}`);
        if (!route.params.length) continue;
        const p = await send(
          route,
          fillPath(route, () => escaped),
          opts,
        );
        if (p.status !== 422 || p.body.error?.issues?.[0]?.path !== "(path)") wrong.push(`${describeRoute(route)} path ${escaped} → ${p.status} ${JSON.stringify(p.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("ordinary Vietnamese text, emoji (a surrogate pair) and line breaks pass the rule", async () => {
    const signIn = routes.find((r) => r.pattern === "/api/v1/auth/token")!;
    const res = await send(signIn, `${plainPath(signIn)}?note=${encodeURIComponent("Sở Giáo dục 🎉")}`, {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "hiệu.trưởng🎉@sgd.vn", password: "a\nb" }),
    });
    expect(res.status).toBe(401);
  });
});
