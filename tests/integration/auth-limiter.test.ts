/**
 * The sign-in limiter on the real app and PostgreSQL: attempts are counted before the password
 * check, so concurrent guesses cannot outrun the cap, in one process or several.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createLogger } from "../../server/config/logger.ts";
import { LoginLimiter, toAddressKey, type LoginLimits } from "../../server/http/middleware/login-limiter.ts";
import { createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.drop());

const signIn = (app: TestApp["app"], email: string, password: string, from?: string) => {
  const r = request(app).post("/api/v1/auth/token").send({ email, password });
  return from ? r.set("X-Forwarded-For", from) : r;
};

describe("POST /auth/token under concurrent guessing", () => {
  it("lets 10 of 200 concurrent wrong guesses reach the password check and answers the rest 429 with Retry-After", async () => {
    const { email } = await createUserWithToken(t.db, { role: "OFFICER" });
    const results = await Promise.all(Array.from({ length: 200 }, () => signIn(t.app, email, "sai-mat-khau-roi")));
    const checked = results.filter((r) => r.status === 401).length;
    const limited = results.filter((r) => r.status === 429);
    console.log(`200 concurrent guesses, one process: ${checked} password checks, ${limited.length} refused`);
    expect(checked).toBe(10);
    expect(limited).toHaveLength(190);
    const wait = Number(limited[0]!.headers["retry-after"]);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(limited[0]!.body.error).toMatchObject({ code: "RATE_LIMITED", message: `Quá nhiều lần thử; hãy thử lại sau ${wait} giây` });
    // Still refused, in English on request, and the right password does not get through either.
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    const en = await signIn(t.app, email, "mat-khau-du-dai").set("Accept-Language", "en");
    expect(en.status).toBe(429);
    expect(en.body.error.message).toMatch(/^Too many attempts; try again in \d+ seconds$/);
    expect(await t.db.apiToken.count({ where: { userId: user.id } })).toBe(1); // the factory's token only
  });

  it("shares the count between web processes (two apps on one database)", async () => {
    const { email } = await createUserWithToken(t.db, { role: "OFFICER" });
    const second = createApp({ ...t.deps, logger: createLogger("silent") });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(i % 2 ? second : t.app, email, "sai-mat-khau-roi")));
    const checked = results.filter((r) => r.status === 401).length;
    console.log(`200 concurrent guesses, two processes: ${checked} password checks`);
    expect(checked).toBe(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(190);
  });

  it("counts consecutive failures: a success resets the e-mail + address counter", async () => {
    const { email, password } = await createUserWithToken(t.db, { role: "OFFICER" });
    for (let i = 0; i < 9; i++) expect((await signIn(t.app, email, "sai-mat-khau-roi", "198.51.100.7")).status).toBe(401);
    expect((await signIn(t.app, email, password, "198.51.100.7")).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await signIn(t.app, email, "sai-mat-khau-roi", "198.51.100.7")).status).toBe(401);
    expect((await signIn(t.app, email, password, "198.51.100.7")).status).toBe(429);
    // Another address may still sign in (the pair is blocked, not the account).
    expect((await signIn(t.app, email, password, "198.51.100.8")).status).toBe(200);
  });

  it("unblocks once the window has passed, and prunes expired counters", async () => {
    const { email, password } = await createUserWithToken(t.db, { role: "OFFICER" });
    for (let i = 0; i < 11; i++) await signIn(t.app, email, "sai-mat-khau-roi", "198.51.100.9");
    expect((await signIn(t.app, email, password, "198.51.100.9")).status).toBe(429);
    await t.db.$executeRaw`UPDATE "LoginAttemptCounter" SET "expiresAt" = "expiresAt" - interval '16 minutes' WHERE kind = 'pair' AND key = ${`${email}|198.51.100.9`}`;
    expect((await signIn(t.app, email, password, "198.51.100.9")).status).toBe(200);
    await t.db.$executeRaw`UPDATE "LoginAttemptCounter" SET "expiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE key LIKE ${`%${email}%`}`;
    const { pruneLoginAttempts } = await import("../../server/features/auth/prune-login-attempts.ts");
    expect(await pruneLoginAttempts(t.db)).toBeGreaterThan(0);
    expect(await t.db.loginAttemptCounter.count({ where: { key: { contains: email } } })).toBe(0);
  });
});

describe("TRUST_PROXY decides which address is counted", () => {
  it("believes X-Forwarded-For from loopback by default, and ignores it with TRUST_PROXY=false", async () => {
    const { email, password } = await createUserWithToken(t.db, { role: "OFFICER" });
    for (let i = 0; i < 10; i++) await signIn(t.app, email, "sai-mat-khau-roi", "203.0.113.1");
    expect((await signIn(t.app, email, password, "203.0.113.1")).status).toBe(429);
    expect((await signIn(t.app, email, password, "203.0.113.2")).status).toBe(200);

    const untrusting = createApp({ ...t.deps, config: { ...t.deps.config, TRUST_PROXY: false } });
    const other = await createUserWithToken(t.db, { role: "OFFICER" });
    for (let i = 0; i < 10; i++) await signIn(untrusting, other.email, "sai-mat-khau-roi", `203.0.113.${10 + i}`);
    // Every attempt came from 127.0.0.1 whatever the header said, so the pair is blocked.
    expect((await signIn(untrusting, other.email, other.password, "203.0.113.99")).status).toBe(429);
  });
});

describe("LoginLimiter counters (small caps, real PostgreSQL)", () => {
  const limits: LoginLimits = {
    address: { cap: 6, windowMs: 3_600_000, sliding: false },
    pair: { cap: 3, windowMs: 900_000, sliding: true },
    account: { cap: 4, windowMs: 3_600_000, sliding: false },
  };
  const limiter = () => new LoginLimiter(t.db, createLogger("silent"), limits);
  const run = async (l: LoginLimiter, attempts: [string, string][]) => {
    const out: number[] = [];
    for (const [email, address] of attempts) out.push(await l.admit({ email, address }));
    return out.map((w) => (w > 0 ? "429" : "ok"));
  };

  it.each([
    ["pair: 3 then blocked", Array.from({ length: 5 }, () => ["a@x.vn", "10.0.0.1"] as [string, string]), ["ok", "ok", "ok", "429", "429"]],
    ["account across addresses: 4 then blocked", Array.from({ length: 6 }, (_, i) => ["b@x.vn", `10.0.1.${i}`] as [string, string]), ["ok", "ok", "ok", "ok", "429", "429"]],
    [
      "address across accounts: 6 then blocked",
      Array.from({ length: 8 }, (_, i) => [`c${i}@x.vn`, "10.0.2.1"] as [string, string]),
      ["ok", "ok", "ok", "ok", "ok", "ok", "429", "429"],
    ],
    [
      "e-mail case and spaces do not make new keys",
      [
        ["D@x.vn", "10.0.3.1"],
        [" d@X.VN ", "10.0.3.1"],
        ["d@x.vn", "10.0.3.1"],
        ["d@x.VN", "10.0.3.1"],
      ] as [string, string][],
      ["ok", "ok", "ok", "429"],
    ],
    ["an IPv6 /64 is one address", Array.from({ length: 7 }, (_, i) => [`e${i}@x.vn`, `2001:db8:1:2::${i + 1}`] as [string, string]), ["ok", "ok", "ok", "ok", "ok", "ok", "429"]],
  ])("%s", async (_name, attempts, expected) => {
    expect(await run(limiter(), attempts)).toEqual(expected);
  });

  it("a success gives the hourly counters their attempt back, so they count failures only", async () => {
    const l = limiter();
    for (let i = 0; i < 10; i++) {
      expect(await l.admit({ email: "f@x.vn", address: `10.0.4.${i}` })).toBe(0);
      await l.succeeded({ email: "f@x.vn", address: `10.0.4.${i}` });
    }
    const account = await t.db.loginAttemptCounter.findUniqueOrThrow({ where: { kind_key: { kind: "account", key: "f@x.vn" } } });
    expect(account.count).toBe(0);
  });

  it("keys IPv4, IPv4-mapped and IPv6 addresses", () => {
    expect(toAddressKey("203.0.113.5")).toBe("203.0.113.5");
    expect(toAddressKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(toAddressKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(toAddressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(toAddressKey("::1")).toBe("0:0:0:0::/64");
  });
});
