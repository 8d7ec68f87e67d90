import { describe, expect, it } from "vitest";
import { createSecretScrubber, REDACTED } from "../../server/domain/scrub-secrets.ts";

const TOKEN = "7512398845:AAHk3ZqP-9xYwVbN2mLcDeFgHiJkLmNoPqR";
const TOKEN_SECRET = TOKEN.split(":")[1]!;
const LINK_CODE = "q3VbUj1-kLm2nOpQrStUvW";
const WEBHOOK_SECRET = "wh_Secret-4242abcd";

function scrubber() {
  const s = createSecretScrubber();
  s.addSecret(WEBHOOK_SECRET);
  s.addSecret("p@ss word&1");
  return s;
}

// [rule, input, expected output]
const texts: [string, string, string][] = [
  [
    "bot token in a Bot API URL",
    `request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: connect ECONNREFUSED 127.0.0.1:9`,
    `request to https://api.telegram.org/bot7512398845:${REDACTED}/sendMessage failed, reason: connect ECONNREFUSED 127.0.0.1:9`,
  ],
  ["bot token in a file URL", `https://api.telegram.org/file/bot${TOKEN}/documents/file_1.pdf`, `https://api.telegram.org/file/bot7512398845:${REDACTED}/documents/file_1.pdf`],
  ["a test token in a URL", "http://127.0.0.1:9/bot123:abc/getMe", `http://127.0.0.1:9/bot123:${REDACTED}/getMe`],
  ["bare bot token", `token is ${TOKEN}.`, `token is 7512398845:${REDACTED}.`],
  ["password in a PostgreSQL URL", "connect postgres://chidao:s3cr3t-pw@db:5432/chidao failed", `connect postgres://chidao:${REDACTED}@db:5432/chidao failed`],
  ["password without a user (Redis)", "redis://:hunter2hunter2@127.0.0.1:6379/0", `redis://:${REDACTED}@127.0.0.1:6379/0`],
  ["a URL with a port but no credentials stays", "http://127.0.0.1:3000/api/v1/orgs?limit=5", "http://127.0.0.1:3000/api/v1/orgs?limit=5"],
  [
    "Zalo access_token in a query",
    "GET https://openapi.zalo.me/v3.0/oa/message?access_token=AbC.dEf-123&x=1",
    `GET https://openapi.zalo.me/v3.0/oa/message?access_token=${REDACTED}&x=1`,
  ],
  [
    "refresh_token and app_secret in a form body",
    "refresh_token=rT0k3n&app_id=42&grant_type=refresh_token&app_secret=s3cr3t",
    `refresh_token=${REDACTED}&app_id=42&grant_type=refresh_token&app_secret=${REDACTED}`,
  ],
  ["secret_key and code_verifier", "secret_key=abcdef code_verifier=xyz123", `secret_key=${REDACTED} code_verifier=${REDACTED}`],
  ["access_token header as text", "access_token: zAlo.T0ken-xyz\nother: kept", `access_token: ${REDACTED}\nother: kept`],
  [
    "JSON quoted in a message",
    `Zalo answered {"access_token":"aT0k","refresh_token": "rT0k","expires_in":"3600"}`,
    `Zalo answered {"access_token":"${REDACTED}","refresh_token":"${REDACTED}","expires_in":"3600"}`,
  ],
  ["JSON value that holds a URL", `{"url":"https://api.telegram.org/bot${TOKEN}/getMe"}`, `{"url":"https://api.telegram.org/bot7512398845:${REDACTED}/getMe"}`],
  ["JSON link code", `{"code":"${LINK_CODE}","org":"T1"}`, `{"code":"${REDACTED}","org":"T1"}`],
  ["Authorization header as text", "Authorization: Bearer abc.def.ghi", `Authorization: ${REDACTED}`],
  ["Cookie header as text", "cookie: sid=abcdef; theme=dark", `cookie: ${REDACTED}`],
  ["webhook secret header as text", "X-Telegram-Bot-Api-Secret-Token: anything", `X-Telegram-Bot-Api-Secret-Token: ${REDACTED}`],
  ["Zalo signature header as text", "x-zevent-signature: mac=deadbeef", `x-zevent-signature: ${REDACTED}`],
  ["bearer credential", "sent with bearer eyJhbGciOi.xyz", `sent with bearer ${REDACTED}`],
  ["password= in prose", "login password=hunter2 failed", `login password=${REDACTED} failed`],
  ["/start with a link code", `/start ${LINK_CODE}`, `/start ${REDACTED}`],
  ["/start@bot with a link code", `/start@chidao_bot ${LINK_CODE}`, `/start@chidao_bot ${REDACTED}`],
  ["bare /start stays", "/start", "/start"],
  ["deep link start=", `https://t.me/chidao_bot?start=${LINK_CODE}`, `https://t.me/chidao_bot?start=${REDACTED}`],
  ["OAuth code in a callback query", "/oauth/zalo?code=AuThC0de&state=s1", `/oauth/zalo?code=${REDACTED}&state=s1`],
  ["exit code= in prose stays", "worker exited with code=1", "worker exited with code=1"],
  ["registered webhook secret anywhere", `secret is ${WEBHOOK_SECRET}!`, `secret is ${REDACTED}!`],
  ["registered secret URL-encoded", "postgres://u:p%40ss%20word%261@h/db", `postgres://u:${REDACTED}@h/db`],
  ["registered secret with a space and &", "the password p@ss word&1 leaked", `the password ${REDACTED} leaked`],
  ["plain text stays", "Trường THCS số 1 đã nhận công văn 12/SGDĐT-VP", "Trường THCS số 1 đã nhận công văn 12/SGDĐT-VP"],
  ["method and host stay", "Network request for 'sendMessage' failed!", "Network request for 'sendMessage' failed!"],
];

describe("scrub text", () => {
  const s = scrubber();
  it.each(texts)("%s", (_rule, input, expected) => {
    expect(s.text(input)).toBe(expected);
  });
});

describe("scrub values", () => {
  const s = scrubber();

  // [rule, input, expected]
  const values: [string, unknown, unknown][] = [
    [
      "password keys, any casing and nesting",
      { user: { email: "a@b.vn", password: "x", passwd: 1, newPassword: "y", ADMIN_PASSWORD: "z" } },
      { user: { email: "a@b.vn", password: REDACTED, passwd: REDACTED, newPassword: REDACTED, ADMIN_PASSWORD: REDACTED } },
    ],
    [
      "token and secret keys",
      { token: "t", access_token: "a", refresh_token: "r", secret_key: "s", app_secret: "p", code_verifier: "v", secretToken: "w", apiKey: "k" },
      {
        token: REDACTED,
        access_token: REDACTED,
        refresh_token: REDACTED,
        secret_key: REDACTED,
        app_secret: REDACTED,
        code_verifier: REDACTED,
        secretToken: REDACTED,
        apiKey: REDACTED,
      },
    ],
    [
      "headers",
      {
        headers: {
          authorization: "Basic eA==",
          cookie: "a=b",
          "set-cookie": ["s=1"],
          "x-telegram-bot-api-secret-token": "q",
          "x-zevent-signature": "m",
          mac: "m2",
          "content-type": "application/json",
        },
      },
      {
        headers: {
          authorization: REDACTED,
          cookie: REDACTED,
          "set-cookie": REDACTED,
          "x-telegram-bot-api-secret-token": REDACTED,
          "x-zevent-signature": REDACTED,
          mac: REDACTED,
          "content-type": "application/json",
        },
      },
    ],
    [
      "rawHeaders pairs",
      { rawHeaders: ["Host", "x", "Authorization", "Bearer abcdefgh", "Cookie", "sid=1"] },
      { rawHeaders: ["Host", "x", "Authorization", REDACTED, "Cookie", REDACTED] },
    ],
    [
      "link codes by key and shape",
      { linkCode: "short", code: LINK_CODE, text: LINK_CODE, errCode: "ERR_STREAM_PREMATURE_CLOSE", orgCode: "THCS01" },
      { linkCode: REDACTED, code: REDACTED, text: REDACTED, errCode: "ERR_STREAM_PREMATURE_CLOSE", orgCode: "THCS01" },
    ],
    [
      "codes that are not link codes stay",
      { code: "ECONNREFUSED", other: { code: "ERR_STREAM_PREMATURE_CLOSE" }, verify: { code: "7K3M9QX2TD" } },
      { code: "ECONNREFUSED", other: { code: "ERR_STREAM_PREMATURE_CLOSE" }, verify: { code: "7K3M9QX2TD" } },
    ],
    ["strings deep in arrays", { a: [[{ u: `https://x/bot${TOKEN}/getMe` }]] }, { a: [[{ u: `https://x/bot7512398845:${REDACTED}/getMe` }]] }],
    ["a URL object prints as its href", { url: new URL(`https://api.telegram.org/bot${TOKEN}/getMe`) }, { url: `https://api.telegram.org/bot7512398845:${REDACTED}/getMe` }],
    ["a Headers object", { h: new Headers({ authorization: "Bearer x", accept: "*/*" }) }, { h: { authorization: REDACTED, accept: "*/*" } }],
    ["bytes are not printed", { body: Buffer.from(TOKEN) }, { body: `[${TOKEN.length} bytes]` }],
    ["booleans and nulls under secret keys stay", { password: null, hasToken: true, token: undefined }, { password: null, hasToken: true, token: undefined }],
    ["numbers stay", { count: 3, id: 10n }, { count: 3, id: 10n }],
  ];
  it.each(values)("%s", (_rule, input, expected) => {
    expect(s.value(input)).toEqual(expected);
  });

  it("returns the very object when there is nothing to scrub (no copy)", () => {
    const clean = { module: "delivery-worker", deliveryId: 42, outcome: { kind: "retry", error: "Telegram 502: Bad Gateway" }, list: [1, 2, "three"] };
    expect(s.value(clean)).toBe(clean);
  });

  it("copies only the path to a secret, and never changes the logged object", () => {
    const untouched = { a: 1 };
    const input = { keep: untouched, deep: { password: "x" } };
    const out = s.value(input) as typeof input;
    expect(out).not.toBe(input);
    expect(out.keep).toBe(untouched);
    expect(input.deep.password).toBe("x");
  });

  it("turns errors into plain objects: message, stack, own properties, cause chains, AggregateError.errors", () => {
    const fetchError = Object.assign(new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: socket hang up`), {
      type: "system",
      code: "ECONNRESET",
      url: `https://api.telegram.org/bot${TOKEN}/sendMessage`,
    });
    const httpError = Object.assign(new Error("Network request for 'sendMessage' failed!"), { error: fetchError });
    const channelError = new Error("Telegram unreachable: Network request for 'sendMessage' failed!", { cause: httpError });
    Object.assign(channelError, { payload: { chat_id: 5, secret_token: WEBHOOK_SECRET }, headers: { authorization: "Bearer abc" } });
    const aggregate = new AggregateError([channelError, new Error(`x ${TOKEN}`)], "every attempt failed");

    const out = s.value({ err: aggregate }) as { err: Record<string, unknown> };
    const printed = JSON.stringify(out);
    expect(printed).not.toContain(TOKEN_SECRET);
    expect(printed).not.toContain(WEBHOOK_SECRET);
    expect(printed).toContain("sendMessage");
    expect(printed).toContain("api.telegram.org");
    expect(out.err.type).toBe("AggregateError");
    const first = (out.err.errors as Record<string, unknown>[])[0]!;
    expect(first.message).toBe("Telegram unreachable: Network request for 'sendMessage' failed!");
    expect(first.payload).toEqual({ chat_id: 5, secret_token: REDACTED });
    expect(first.headers).toEqual({ authorization: REDACTED });
    const cause = first.cause as Record<string, unknown>;
    expect(cause.message).toBe("Network request for 'sendMessage' failed!");
    const inner = cause.error as Record<string, unknown>;
    expect(inner).toMatchObject({ type: "Error", code: "ECONNRESET", url: `https://api.telegram.org/bot7512398845:${REDACTED}/sendMessage` });
    expect(String(inner.stack)).toContain(`bot7512398845:${REDACTED}/sendMessage failed, reason: socket hang up`);
  });

  it("survives cycles and bounds depth", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    const e = new Error("loop");
    (e as { cause?: unknown }).cause = e;
    expect(s.value({ a, e })).toMatchObject({ a: { name: "a", self: "[Circular]" }, e: { message: "loop", cause: "[Circular]" } });
    let deep: Record<string, unknown> = { password: "x" };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    expect(JSON.stringify(s.value(deep))).not.toContain('"x"');
  });

  it("keeps a rotating secret's current and previous value, and forgets older ones", () => {
    const r = createSecretScrubber();
    r.addSecret("zalo-access-1", "zalo.access_token");
    r.addSecret("zalo-access-2", "zalo.access_token");
    r.addSecret("zalo-access-3", "zalo.access_token");
    expect(r.text("zalo-access-1 zalo-access-2 zalo-access-3")).toBe(`zalo-access-1 ${REDACTED} ${REDACTED}`);
  });

  it("ignores secrets too short to mean anything", () => {
    const r = createSecretScrubber();
    r.addSecret("abc");
    r.addSecret("");
    expect(r.text("abc abc")).toBe("abc abc");
  });

  it("registered secrets are also scrubbed in the final JSON line, escaped as JSON escapes them", () => {
    const r = createSecretScrubber();
    r.addSecret('quote"and\\slash');
    expect(r.line(JSON.stringify({ msg: 'x quote"and\\slash y' }))).toBe(`{"msg":"x ${REDACTED} y"}`);
  });
});
