/**
 * Seeded, reproducible hostile requests over a list of routes: bad JSON, wrong types, huge strings,
 * NUL bytes and lone surrogates, unknown and negative ids, wrong content types, truncated multipart,
 * bad percent-escapes, bodies that lie about their Content-Encoding, odd headers and methods, signed
 * in (every role), with a bad token, and not at all. The same seed gives the same requests.
 */
import { gzipSync } from "node:zlib";
import type { AppRoute } from "../../helpers/app-routes.ts";
import type { RawRequest } from "../../helpers/raw-http.ts";

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export type HostileContext = {
  routes: AppRoute[];
  /** Bearer tokens of signed-in users (several roles). */
  tokens: string[];
  /** Ids that exist (directives, documents, people), so some requests go deep. */
  ids: number[];
  /**
   * A user the load may sign out, revoke and disable: the routes that end sessions (logout, a user's
   * tokens, a user's record) get this user's token or id, so the load does not revoke the tokens the
   * rest of it signs in with (after which most of it would test only the 401).
   */
  expendable: { token: string; userId: number };
  /** Organisation codes that exist. */
  orgCodes: string[];
  /** Verification codes of issued documents. */
  verifyCodes: string[];
  /** The Telegram webhook's secret, when the webhook is mounted. */
  webhookSecret?: string;
  /** Valid request bodies by route pattern (mutated by some kinds). */
  validBodies: Record<string, unknown[]>;
  /** The server's MAX_BODY_BYTES. */
  maxBodyBytes: number;
};

export type HostileRequest = RawRequest & { kind: string; route: string };

const KINDS = [
  "bad-json",
  "wrong-types",
  "huge-string",
  "nul-body",
  "nul-query",
  "nul-path",
  "lone-surrogate",
  "ids",
  "content-type",
  "multipart",
  "percent-escape",
  "content-encoding",
  "query",
  "headers",
  "method",
  "mutated-valid",
  "deep-nesting",
] as const;
export type HostileKind = (typeof KINDS)[number];

const FIELDS = [
  "title",
  "body",
  "audience",
  "template",
  "issuer",
  "data",
  "signer",
  "reason",
  "email",
  "password",
  "name",
  "symbol",
  "place",
  "governing_body",
  "register_per_type",
  "deadline",
  "require_ack",
  "document_id",
  "status",
  "subject",
  "under",
  "kinds",
  "levels",
];
const WRONG_VALUES: unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  false,
  null,
  [],
  [null],
  {},
  { a: { b: { c: [] } } },
  "",
  " ",
  "x",
  "9".repeat(40),
  ["a", 1, null],
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
];
const BAD_JSON = [
  "{",
  "}",
  '{"a":}',
  "[1,2",
  '{"title":"x"',
  "nul",
  "'single'",
  '{"a":1}}',
  '{"a" 1}',
  '\uFEFF{"a":1}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":01}',
  "NaN",
  "{a:1}",
  '"unterminated',
  '{"a":1,}',
  "[",
  "\u0000",
  '{"a":"\u0001"}',
];
const IDS = [
  "-1",
  "0",
  "-0",
  "1.5",
  "1e3",
  "0x10",
  "abc",
  "999999999",
  "9999999999999999999999",
  "00001",
  "%D9%A1%D9%A2",
  "%20",
  "1%2F2",
  "1;DROP%20TABLE%20x",
  "..",
  "%2e%2e",
  "null",
  "undefined",
  "NaN",
  "Infinity",
];
const ESCAPES = ["%E0%A4%A", "%", "%zz", "%C0%80", "%ED%A0%80", "%FF%FE", "a%2", "%%"];
const CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "application/json; charset=latin1",
  "application/json; charset=x-unknown",
  "image/png",
  "",
  "application/pdf",
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/octet-stream",
  "*/*",
  "application/json;;;",
  "application/JSON",
];
const UNSTORABLE = ["\u0000", "a\u0000b", "\uD800", "\uDFFF", "x\uDBFF", "\u0000".repeat(50)];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

function fill(route: AppRoute, rnd: () => number, ctx: HostileContext, value?: (name: string) => string): string {
  return route.pattern.replace(/:(\w+)/g, (_m, name: string) => {
    if (value) return value(name);
    if (name === "code" && route.pattern.startsWith("/verify")) return pick(rnd, ctx.verifyCodes.length ? ctx.verifyCodes : ["x"]);
    if (name === "code") return pick(rnd, ctx.orgCodes);
    if (route.pattern.startsWith("/api/v1/users/")) return String(pick(rnd, [ctx.expendable.userId, ctx.expendable.userId, 0, -1, 99_999_999]));
    return String(pick(rnd, ctx.ids));
  });
}

function wrongTypes(rnd: () => number): unknown {
  const r = rnd();
  if (r < 0.1) return pick(rnd, WRONG_VALUES);
  const o: Record<string, unknown> = {};
  const n = 1 + Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) o[pick(rnd, FIELDS)] = r < 0.4 ? { [pick(rnd, FIELDS)]: pick(rnd, WRONG_VALUES) } : pick(rnd, WRONG_VALUES);
  return o;
}

function multipart(rnd: () => number): { type: string; body: Buffer } {
  const boundary = `----chidao${Math.floor(rnd() * 1e9)}`;
  const full = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\ncode,name\r\nA,B\r\n--${boundary}--\r\n`,
  );
  const variants: (() => { type: string; body: Buffer })[] = [
    () => ({ type: `multipart/form-data; boundary=${boundary}`, body: full.subarray(0, Math.floor(rnd() * full.length)) }),
    () => ({ type: "multipart/form-data", body: full }),
    () => ({ type: `multipart/form-data; boundary=${"b".repeat(200)}`, body: full }),
    () => ({ type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`--${boundary}\r\n\r\n`) }),
    () => ({ type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`--${boundary}--`) }),
    () => ({ type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n%PDF-1.7 not really`) }),
    () => ({ type: `multipart/form-data; boundary="${boundary}"`, body: Buffer.concat([full.subarray(0, 60), Buffer.alloc(2000, 0)]) }),
  ];
  return pick(rnd, variants)();
}

/** Adds an auth header the way a real population of clients would: mostly signed in, sometimes not or badly. */
function auth(rnd: () => number, ctx: HostileContext, headers: Record<string, string>): void {
  const r = rnd();
  if (r < 0.7) headers.Authorization = `Bearer ${pick(rnd, ctx.tokens)}`;
  else if (r < 0.8) headers.Authorization = `Bearer ${"x".repeat(40)}`;
  else if (r < 0.85) headers.Authorization = pick(rnd, ["Bearer", "Basic YTpi", "Bearer \u00ff\u00fe", `Bearer ${"a".repeat(5000)}`, "bearer  token with spaces"]);
}

/**
 * The `n`th hostile request of the stream for `seed` (each request draws from its own PRNG, so
 * request n is the same whatever came before it and however the load is split).
 */
export function hostileRequest(seed: number, n: number, ctx: HostileContext): HostileRequest {
  const rnd = prng(seed * 1_000_003 + n);
  const kind = pick(rnd, KINDS);
  const route = pick(rnd, ctx.routes);
  const headers: Record<string, string> = { Accept: rnd() < 0.5 ? "application/json" : "text/html", "Accept-Language": rnd() < 0.5 ? "vi" : "en" };
  // Many client addresses (the app trusts X-Forwarded-For from loopback): per-address state fills up.
  if (rnd() < 0.5) headers["X-Forwarded-For"] = `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`;
  if (route.pattern === "/webhooks/telegram") {
    if (ctx.webhookSecret && rnd() < 0.6) headers["X-Telegram-Bot-Api-Secret-Token"] = rnd() < 0.9 ? ctx.webhookSecret : `${ctx.webhookSecret}x`;
  } else auth(rnd, ctx, headers);
  if (route.pattern === "/api/v1/auth/logout" && headers.Authorization && ctx.tokens.some((t) => headers.Authorization === `Bearer ${t}`)) {
    headers.Authorization = `Bearer ${ctx.expendable.token}`;
  }
  let method: string = route.method;
  let path = fill(route, rnd, ctx);
  let body: Buffer | string | undefined;
  const json = (v: unknown) => {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(v);
  };

  switch (kind) {
    case "bad-json":
      headers["Content-Type"] = "application/json";
      body = pick(rnd, BAD_JSON);
      break;
    case "wrong-types":
      json(wrongTypes(rnd));
      break;
    case "huge-string": {
      // Mostly below the body limit (the parsers and validators see it), a few above (413).
      const size = rnd() < 0.9 ? Math.floor(rnd() * 200_000) + 10_000 : Math.floor(ctx.maxBodyBytes * (0.5 + rnd()));
      const ch = pick(rnd, ["a", "đ", "ờ", " ", "a ", "\n", "🎉"]);
      const text = ch.repeat(Math.ceil(size / ch.length));
      if (rnd() < 0.5) json({ [pick(rnd, FIELDS)]: text, title: text.slice(0, 500), data: { body: text } });
      else path += `?status=${encodeURIComponent(text.slice(0, 6000))}`;
      break;
    }
    case "nul-body":
      json({ [pick(rnd, FIELDS)]: `x${pick(rnd, UNSTORABLE)}`, email: `a${pick(rnd, UNSTORABLE)}@b.vn`, password: "x" });
      break;
    case "nul-query":
      path += `?${pick(rnd, ["status", "issuer", "org", "under", "year", "lang", "x"])}=${pick(rnd, ["%00", "a%00", "%00%00", "%EF%BF%BD%00"])}`;
      break;
    case "nul-path":
      path = fill(route, rnd, ctx, () => pick(rnd, ["%00", "1%00", "SGD%00", "%00.pdf"]));
      if (!route.params.length) path += "%00";
      break;
    case "lone-surrogate":
      headers["Content-Type"] = "application/json";
      body = `{"${pick(rnd, FIELDS)}":"a\\ud800b","title":"\\udc00","email":"\\ud83d@b.vn","password":"x"}`;
      break;
    case "ids":
      path = fill(route, rnd, ctx, () => pick(rnd, IDS));
      if (route.hasBody) json(pick(rnd, ctx.validBodies[route.pattern] ?? [{}]));
      break;
    case "content-type": {
      const type = pick(rnd, CONTENT_TYPES);
      if (type) headers["Content-Type"] = type;
      body = pick(rnd, ['{"email":"a@b.vn","password":"x"}', "code,name\nA,B\n", "%PDF-1.7\n", "<xml/>", "a=1&b=2", Buffer.from([0xff, 0xfe, 0x00, 0x41])]);
      break;
    }
    case "multipart": {
      const m = multipart(rnd);
      headers["Content-Type"] = m.type;
      body = m.body;
      break;
    }
    case "percent-escape":
      path = route.params.length ? fill(route, rnd, ctx, () => pick(rnd, ESCAPES)) : `${path}/${pick(rnd, ESCAPES)}`;
      break;
    case "content-encoding": {
      const payload = JSON.stringify(pick(rnd, ctx.validBodies[route.pattern] ?? [{ a: 1 }]));
      headers["Content-Type"] = "application/json";
      const [encoding, bytes] = pick(rnd, [
        ["gzip", Buffer.from(payload)],
        ["gzip", gzipSync(payload).subarray(0, 12)],
        ["deflate", Buffer.from("garbage garbage garbage")],
        ["br", Buffer.from("not brotli, not at all")],
        ["x-unknown", Buffer.from(payload)],
        ["gzip, gzip", gzipSync(gzipSync(payload))],
        ["identity", Buffer.from(payload)],
        ["gzip", gzipSync(payload)],
      ] as [string, Buffer][]);
      headers["Content-Encoding"] = encoding;
      body = bytes;
      break;
    }
    case "query": {
      const q = pick(rnd, [
        "status=a&status=b",
        "issuer[]=SGD",
        "issuer=SGD&year=-1",
        "year=99999999999",
        "year=1e5",
        "lang=xx&lang=yy",
        "org=" + "A".repeat(3000),
        "under=..%2F..",
        "series=%25",
        "status=%E0%A4%A",
        "issuer=SGD&year=2026&series=" + "z".repeat(100),
        "a=1&".repeat(2000),
        "__proto__=1&constructor=2",
        "kinds=SCHOOL&kinds=SCHOOL",
      ]);
      path += `?${q}`;
      break;
    }
    case "headers":
      headers["Accept-Language"] = pick(rnd, ["en;q=abc", "*", "x".repeat(4000), "vi-VN,vi;q=0.9,en;q=-1", ",,,,", "en;q=1e400"]);
      headers["X-Request-Id"] = pick(rnd, ["../../etc", "a".repeat(200), "id\u00ff", "ok-id"]);
      headers.Accept = pick(rnd, ["*/*", "application/xml", "text/html;q=0", ""]);
      if (route.hasBody) json(pick(rnd, ctx.validBodies[route.pattern] ?? [{}]));
      break;
    case "method":
      method = pick(rnd, ["PUT", "DELETE", "PATCH", "POST", "GET", "HEAD", "OPTIONS"]);
      if (method !== "GET" && method !== "HEAD") json(wrongTypes(rnd));
      break;
    case "mutated-valid": {
      const valid = structuredClone(pick(rnd, ctx.validBodies[route.pattern] ?? [{}])) as Record<string, unknown>;
      const keys = Object.keys(valid);
      const key = keys.length && rnd() < 0.8 ? pick(rnd, keys) : pick(rnd, FIELDS);
      if (rnd() < 0.2) delete valid[key];
      else
        valid[key] =
          rnd() < 0.5 ? pick(rnd, WRONG_VALUES) : pick(rnd, ["đ".repeat(5000), "<script>", "=1+1", "\u202E", "🎉", "x".repeat(70_000), "2026-02-30", "KT.", "../../etc/passwd"]);
      json(valid);
      break;
    }
    case "deep-nesting": {
      const depth = Math.floor(rnd() * 200_000) + 1000;
      headers["Content-Type"] = "application/json";
      body = rnd() < 0.5 ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      break;
    }
  }
  return { kind, route: `${route.method} ${route.pattern}`, method, path, headers, ...(body !== undefined ? { body } : {}) };
}
