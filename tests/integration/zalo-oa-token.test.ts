import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refreshZaloOaToken } from "../../bot/channels/zalo-oa/refresh-zalo-oa-token.ts";
import { createZaloOaClient } from "../../bot/channels/zalo-oa/zalo-oa-client.ts";
import { createPrisma, type Db } from "../../server/db/prisma.ts";
import type { ChannelFailure } from "../../server/domain/channel-failure.ts";
import { startZaloOa } from "../../bot/channels/zalo-oa/zalo-oa.runtime.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createZaloOaTokenStore, type ZaloOaTokenStoreOptions } from "../../server/features/zalo/create-zalo-oa-token-store.ts";
import { keepZaloOaTokenFresh } from "../../server/features/zalo/keep-zalo-oa-token-fresh.ts";
import { startFakeZaloOa, zaloOaEnv, type FakeZaloOa, type FakeZaloOaOptions } from "../helpers/fake-zalo-oa.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

const USER = "8471234567890123456";
const HOUR = 60 * 60 * 1000;

/** One "process": its own Prisma connection pool, token store and client. */
function processOn(db: Db, zalo: FakeZaloOa, seed: { accessToken?: string; refreshToken: string }, extra: Partial<ZaloOaTokenStoreOptions> = {}) {
  const store = createZaloOaTokenStore(db, {
    oaId: zalo.oaId,
    seed,
    refresh: (refreshToken, signal) => refreshZaloOaToken({ oauthBase: zalo.oauthBase, appId: zalo.appId, appSecret: zalo.appSecret, refreshToken, ...(signal ? { signal } : {}) }),
    transientBackoffMs: 0,
    ...extra,
  });
  const client = createZaloOaClient({ apiBase: zalo.apiBase, templateBase: zalo.templateBase, tokens: store });
  return { store, client };
}

const quiet = { warn: () => {}, debug: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(f: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ChannelFailure,
  );

describe("Zalo OA token store on PostgreSQL", () => {
  let t: TestDb;
  const extraDbs: Db[] = [];
  const fakes: FakeZaloOa[] = [];

  async function fake(o: FakeZaloOaOptions = {}): Promise<FakeZaloOa> {
    const z = await startFakeZaloOa(o);
    z.addUser(USER);
    fakes.push(z);
    // Each scenario starts from an empty table, as a fresh deployment does.
    await t.db.$executeRaw`DELETE FROM "ZaloOaToken"`;
    return z;
  }
  function secondProcess(): Db {
    const db = createPrisma(t.url, 4);
    extraDbs.push(db);
    return db;
  }
  const row = async (zalo: FakeZaloOa) => (await t.db.zaloOaToken.findUnique({ where: { oaId: zalo.oaId } }))!;

  beforeAll(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    for (const z of fakes.splice(0)) await z.close();
  });
  afterAll(async () => {
    for (const db of extraDbs) await db.$disconnect();
    await t.drop();
  });

  it("starts from the configured pair and refreshes nothing while it works", async () => {
    const zalo = await fake();
    const { client } = processOn(t.db, zalo, zalo.pair);
    await client.sendText({ userId: USER, text: "Chào thầy" });
    expect(zalo.stats.oauthCalls).toBe(0);
    expect(await row(zalo)).toMatchObject({ accessToken: zalo.pair.accessToken, rotations: 0, accessExpiresAt: null, needsAdminAt: null });
  });

  it("refreshes once on -216, stores the new pair before using it, and a stale configuration does not undo it", async () => {
    let db: Db | null = null;
    const used: { token: string | undefined; stored: string }[] = [];
    const zalo = await fake({
      async onApiCall(_path, token) {
        // Read by another connection at the moment the token reaches Zalo: it must already be committed.
        const r = await db!.zaloOaToken.findUnique({ where: { oaId: zalo.oaId } });
        used.push({ token, stored: r?.accessToken ?? "" });
      },
    });
    db = secondProcess();
    const seed = zalo.pair;
    const { client } = processOn(t.db, zalo, seed);
    await client.sendText({ userId: USER, text: "một" });
    zalo.expireAccessTokens(-216);
    await client.sendText({ userId: USER, text: "hai" });
    expect(zalo.stats.rotations).toBe(1);
    const r = await row(zalo);
    expect(r).toMatchObject({ accessToken: zalo.pair.accessToken, refreshToken: zalo.pair.refreshToken, rotations: 1 });
    expect(r.accessExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * HOUR);
    expect(r.refreshDueAt!.getTime()).toBeLessThan(r.accessExpiresAt!.getTime());
    // Every call after the rotation carried the stored token.
    expect(used.at(-1)).toEqual({ token: zalo.pair.accessToken, stored: zalo.pair.accessToken });
    expect(used.every((u) => u.token === u.stored)).toBe(true);
    // A process restarted with the old configuration uses the stored pair, not the spent one.
    const restarted = processOn(t.db, zalo, seed);
    await restarted.client.sendText({ userId: USER, text: "ba" });
    expect(zalo.sent.at(-1)!.accessToken).toBe(zalo.pair.accessToken);
    expect(zalo.stats.rotations).toBe(1);
  });

  it("refreshes before the token expires, from the expires_in received", async () => {
    const zalo = await fake({ accessTtlSeconds: 90_000 });
    let clock = Date.now();
    const { client } = processOn(t.db, zalo, zalo.pair, { now: () => new Date(clock) });
    zalo.expireAccessTokens(-220);
    await client.sendText({ userId: USER, text: "một" });
    expect(zalo.stats.rotations).toBe(1);
    const first = await row(zalo);
    // 0.8 of 90,000 s: due after 20 h, expiring after 25 h.
    expect(first.refreshDueAt!.getTime() - clock).toBe(72_000_000);
    clock += 19 * HOUR;
    await client.sendText({ userId: USER, text: "hai" });
    expect(zalo.stats.rotations).toBe(1);
    clock += 2 * HOUR;
    const refusedBefore = (zalo.stats.rejected[-216] ?? 0) + (zalo.stats.rejected[-220] ?? 0);
    await client.sendText({ userId: USER, text: "ba" });
    expect(zalo.stats.rotations).toBe(2);
    // Refreshed ahead: Zalo never had to refuse the old token.
    expect((zalo.stats.rejected[-216] ?? 0) + (zalo.stats.rejected[-220] ?? 0)).toBe(refusedBefore);
    expect((await row(zalo)).rotations).toBe(2);
  });

  it("two processes refreshing at once rotate exactly once", async () => {
    const zalo = await fake({ oauthLatencyMs: 200 });
    const a = processOn(t.db, zalo, zalo.pair);
    const b = processOn(secondProcess(), zalo, zalo.pair);
    await Promise.all([a.client.sendText({ userId: USER, text: "a0" }), b.client.sendText({ userId: USER, text: "b0" })]);
    zalo.expireAccessTokens(-216);
    const sends = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).client.sendText({ userId: USER, text: `tin ${i}` }));
    await Promise.all(sends);
    expect(zalo.stats.rotations).toBe(1);
    expect(zalo.stats.refreshRefused).toBe(0);
    expect(zalo.stats.oauthCalls).toBe(1);
    expect(zalo.sentTo(USER)).toHaveLength(12);
    expect(await row(zalo)).toMatchObject({ rotations: 1, accessToken: zalo.pair.accessToken, needsAdminAt: null });

    // The same when the refresh is due by time in both at once.
    const clock = Date.now() + 21 * HOUR;
    const c = processOn(t.db, zalo, zalo.pair, { now: () => new Date(clock) });
    const d = processOn(secondProcess(), zalo, zalo.pair, { now: () => new Date(clock) });
    await Promise.all([c.client.sendText({ userId: USER, text: "c" }), d.client.sendText({ userId: USER, text: "d" }), c.client.sendText({ userId: USER, text: "c2" })]);
    expect(zalo.stats.rotations).toBe(2);
    expect(zalo.stats.refreshRefused).toBe(0);
  });

  it("a refused refresh puts the channel in 'needs administrator', with no second attempt, until a new pair is configured", async () => {
    const zalo = await fake();
    const alerts: string[] = [];
    const a = processOn(t.db, zalo, zalo.pair, { onNeedsAdmin: (f) => alerts.push(f.message) });
    const b = processOn(secondProcess(), zalo, zalo.pair);
    await b.client.sendText({ userId: USER, text: "trước" });
    zalo.refuseRefresh();
    zalo.expireAccessTokens(-220);
    expect(await failureOf(a.client.sendText({ userId: USER, text: "x" }))).toMatchObject({ reason: "needs_admin", retryable: false });
    expect(zalo.stats.oauthCalls).toBe(1);
    for (let i = 0; i < 5; i++) {
      expect(await failureOf(a.client.sendText({ userId: USER, text: "x" }))).toMatchObject({ reason: "needs_admin" });
      // The other process holds a dead token: Zalo refuses it, the store sees the mark and does not refresh.
      expect(await failureOf(b.client.sendText({ userId: USER, text: "y" }))).toMatchObject({ reason: "needs_admin" });
    }
    expect(zalo.stats.oauthCalls).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(await row(zalo)).toMatchObject({ needsAdminAt: expect.any(Date), lastError: expect.stringContaining("-14014") });
    expect((await a.store.status())!.needsAdminAt).toBeInstanceOf(Date);

    // The administrator grants access again and configures the new pair: the row takes it.
    const fresh = zalo.grantNewPair();
    const restarted = processOn(t.db, zalo, fresh);
    await restarted.client.sendText({ userId: USER, text: "sau" });
    expect(await row(zalo)).toMatchObject({ needsAdminAt: null, accessToken: fresh.accessToken });
  });

  it("a refresh that fails in passing is retried later, not escalated", async () => {
    const zalo = await fake();
    const { client } = processOn(t.db, zalo, zalo.pair);
    zalo.expireAccessTokens(-216);
    zalo.failNext("/oauth/v4/oa/access_token", { status: 502 });
    expect(await failureOf(client.sendText({ userId: USER, text: "x" }))).toMatchObject({ reason: "retry_later" });
    expect((await row(zalo)).needsAdminAt).toBeNull();
    await client.sendText({ userId: USER, text: "y" });
    expect(zalo.stats.rotations).toBe(1);
  });

  it("the periodic job refreshes a token near expiry without any send; two processes' jobs rotate it once each time", async () => {
    // Tokens live 2 s, so one is due 1.6 s after each rotation.
    const zalo = await fake({ accessTtlSeconds: 2 });
    const a = processOn(t.db, zalo, { refreshToken: zalo.pair.refreshToken });
    const b = processOn(secondProcess(), zalo, { refreshToken: zalo.pair.refreshToken });
    const stops = [a, b].map((p) => keepZaloOaTokenFresh(p.store, { log: quiet, checkEveryMs: 60_000 }));
    try {
      // No access token configured: due at once. Then due again 1.6 s after each rotation.
      await until(() => zalo.stats.rotations >= 3);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    expect(zalo.stats.sent).toBe(0);
    // Every OAuth call rotated: the process that found the pair rotated already did not spend its refresh token.
    expect(zalo.stats.oauthCalls).toBe(zalo.stats.rotations);
    expect(zalo.stats.refreshRefused).toBe(0);
    const r = await row(zalo);
    expect(r).toMatchObject({ rotations: zalo.stats.rotations, accessToken: zalo.pair.accessToken, needsAdminAt: null });
    // Stopped: nothing more, though the token falls due again.
    const rotations = zalo.stats.rotations;
    await sleep(2200);
    expect(zalo.stats.rotations).toBe(rotations);
  });

  it("the OA runtime runs the periodic refresh in every role, and stops it with the channel", async () => {
    const zalo = await fake({ accessTtlSeconds: 2 });
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: t.url, LOG_LEVEL: "silent", ...zaloOaEnv(zalo), ZALO_OA_ACCESS_TOKEN: "" });
    const channel = (await startZaloOa({ config, db: t.db, logger: createLogger("silent"), inbound: false }))!;
    try {
      await until(async () => ((await t.db.zaloOaToken.findUnique({ where: { oaId: zalo.oaId } }))?.rotations ?? 0) >= 2);
    } finally {
      await channel.stop();
    }
    expect(zalo.stats.sent).toBe(0);
    const rotations = zalo.stats.rotations;
    await sleep(2200);
    expect(zalo.stats.rotations).toBe(rotations);
  });

  it("a refresh refused in the periodic job alerts the administrators once (error log, audit record) and stops OA sends, with no second OAuth call", async () => {
    const zalo = await fake();
    zalo.refuseRefresh();
    const started = new Date();
    const errors: string[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (...args: unknown[]) => void errors.push(String(args[1])) } as unknown as ZaloOaTokenStoreOptions["logger"];
    const alerts: string[] = [];
    const a = processOn(t.db, zalo, { refreshToken: zalo.pair.refreshToken }, { logger, onNeedsAdmin: (f) => alerts.push(f.message) });
    const b = processOn(secondProcess(), zalo, { refreshToken: zalo.pair.refreshToken }, { logger });
    const stops = [a, b].map((p) => keepZaloOaTokenFresh(p.store, { log: quiet, checkEveryMs: 50 }));
    try {
      await until(async () => Boolean((await t.db.zaloOaToken.findUnique({ where: { oaId: zalo.oaId } }))?.needsAdminAt));
      // Several more looks by both processes.
      await sleep(400);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    expect(zalo.stats.oauthCalls).toBe(1);
    expect(errors).toEqual([expect.stringContaining("an administrator must grant access again")]);
    expect(alerts).toHaveLength(1);
    const audit = await t.db.auditLog.findMany({ where: { action: "zalo_oa.needs_admin", entityId: zalo.oaId, createdAt: { gte: started } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: null, entityType: "zalo_oa", details: { error: expect.stringContaining("-14014") } });
    expect(await failureOf(a.client.sendText({ userId: USER, text: "x" }))).toMatchObject({ reason: "needs_admin", retryable: false });
    expect(zalo.stats.sent).toBe(0);
  });

  it("with no configured access token, the first use refreshes", async () => {
    const zalo = await fake();
    const { client } = processOn(t.db, zalo, { refreshToken: zalo.pair.refreshToken });
    await client.sendText({ userId: USER, text: "x" });
    expect(zalo.stats.rotations).toBe(1);
    expect(zalo.stats.rejected[-216]).toBeUndefined();
  });
});
