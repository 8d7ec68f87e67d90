/**
 * Fault scenario: 10,000 seeded, reproducible malformed requests spread over every public route of a
 * real web process (its own node process on a cloned database, Redis, and the Telegram webhook on
 * against the Bot API stand-in). Passes with 0 responses ≥ 500, 0 unhandled rejections or errors in
 * its log, 0 restarts (same pid, still answering), and a heap after GC that does not keep growing
 * between the two halves of the load. Prints the figures. Replay a failure with FAULT_SEED=<seed>.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { freePort } from "../helpers/free-port.ts";
import { rawRequest } from "../helpers/raw-http.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";
import { MEMORY_PROBE_ARGS, probeMemory, startChidaoProcess, type ChidaoProcess, type MemoryProbe } from "./support/chidao-process.ts";
import { prepareHostileTarget } from "./support/hostile-target.ts";
import type { HostileContext } from "./support/malformed-requests.ts";
import { runHostileLoad, type LoadResult } from "./support/run-hostile-load.ts";

const SEED = Number(process.env.FAULT_SEED ?? 20261129);
const TOTAL = 10_000;
const CONCURRENCY = 16;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const SECRET = "fault_webhook_secret";

let tdb: TestDb;
let tg: FakeTelegram;
let web: ChidaoProcess;
let ctx: HostileContext & { adminToken: string };
const prefix = `f_${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  tdb = await createTestDb();
  tg = await startFakeTelegram({ token: "880001:fault-suite", username: "chidao_fault_bot", recordCalls: false });
  const port = await freePort();
  web = await startChidaoProcess({
    role: "web",
    name: "web",
    nodeArgs: MEMORY_PROBE_ARGS,
    env: {
      NODE_ENV: "production",
      DATABASE_URL: tdb.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      LOG_LEVEL: "info",
    },
  });
  ctx = await prepareHostileTarget({ db: tdb.db, base: web.url!, webhookSecret: SECRET, maxBodyBytes: MAX_BODY_BYTES });
});

afterAll(async () => {
  await web?.stop();
  await tg?.close();
  await tdb?.drop();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function merge(a: LoadResult, b: LoadResult): LoadResult {
  const statuses = new Map(a.statuses);
  for (const [k, v] of b.statuses) statuses.set(k, (statuses.get(k) ?? 0) + v);
  const byKind = new Map([...a.byKind].map(([k, m]) => [k, new Map(m)]));
  for (const [k, m] of b.byKind) for (const [s, v] of m) byKind.set(k, (byKind.get(k) ?? new Map()).set(s, (byKind.get(k)?.get(s) ?? 0) + v));
  const msByKind = new Map(a.msByKind);
  for (const [k, v] of b.msByKind) msByKind.set(k, (msByKind.get(k) ?? 0) + v);
  return {
    requests: a.requests + b.requests,
    wallMs: a.wallMs + b.wallMs,
    statuses,
    serverErrors: [...a.serverErrors, ...b.serverErrors],
    connectionErrors: [...a.connectionErrors, ...b.connectionErrors],
    byKind,
    msByKind,
    routes: new Set([...a.routes, ...b.routes]),
  };
}

it(`${TOTAL.toLocaleString("en")} malformed requests over every public route: 0 responses ≥ 500, 0 unhandled rejections, 0 restarts`, async () => {
  const pid = web.pid;
  const routes = new Set(ctx.routes.map((r) => `${r.method} ${r.pattern}`));
  expect(routes.size).toBeGreaterThanOrEqual(30);
  const memory: { at: string; probe: MemoryProbe }[] = [{ at: "seeded", probe: await probeMemory(web) }];

  const half = TOTAL / 2;
  const first = await runHostileLoad({ base: web.url!, seed: SEED, from: 0, count: half, concurrency: CONCURRENCY, ctx });
  memory.push({ at: `after ${half}`, probe: await probeMemory(web) });
  const second = await runHostileLoad({ base: web.url!, seed: SEED, from: half, count: half, concurrency: CONCURRENCY, ctx });
  memory.push({ at: `after ${TOTAL}`, probe: await probeMemory(web) });
  const load = merge(first, second);

  // Still the same process, still answering, still signing people in.
  const health = await rawRequest(web.url!, { method: "GET", path: "/healthz" });
  const me = await rawRequest(web.url!, { method: "GET", path: "/api/v1/templates", headers: { Authorization: `Bearer ${ctx.adminToken}` } });

  const problems = web.stderr.filter((l) => /unhandled|uncaught|ERR_|Error:|FATAL|heap out of memory/i.test(l));
  const errorLogs = web.logs.filter((l) => l.level >= 50);
  const hit = load.routes;

  const rows = [...load.statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}: ${c}`);
  const kinds = [...load.byKind].map(
    ([k, m]) =>
      `${k.padEnd(17)} ${[...m]
        .sort(([a], [b]) => a - b)
        .map(([s, c]) => `${s}×${c}`)
        .join(" ")}`,
  );
  console.log(
    [
      `malformed requests — seed ${SEED}, ${load.requests} requests, concurrency ${CONCURRENCY}, ${routes.size} routes (${hit.size} hit)`,
      `wall time ${(load.wallMs / 1000).toFixed(1)} s (${Math.round(load.requests / (load.wallMs / 1000))} req/s)`,
      `statuses   ${rows.join("  ")}`,
      `≥ 500: ${load.serverErrors.length}   connection errors: ${load.connectionErrors.length}   stderr problems: ${problems.length}   error logs: ${errorLogs.length}`,
      `pid ${pid} → ${web.pid}, alive ${web.alive()}, exit ${JSON.stringify(web.exit)}`,
      "memory after GC:",
      ...memory.map(
        ({ at, probe }) => `  ${at.padEnd(12)} rss ${MB(probe.rss)}  heapUsed ${MB(probe.heapUsed)}  external ${MB(probe.external)}  arrayBuffers ${MB(probe.arrayBuffers)}`,
      ),
      "by kind:",
      ...kinds.map((k) => `  ${k}`),
    ].join("\n"),
  );

  expect(load.serverErrors.slice(0, 10)).toEqual([]);
  expect(load.connectionErrors.slice(0, 10)).toEqual([]);
  expect(problems).toEqual([]);
  expect(errorLogs.slice(0, 5)).toEqual([]);
  expect(web.alive()).toBe(true);
  expect(web.pid).toBe(pid);
  expect([health.status, me.status]).toEqual([200, 200]);
  expect(hit).toEqual(routes);
  // Not a leak: the second half (new requests of the same kinds) leaves the heap where the first did.
  const [, afterFirst, afterSecond] = memory.map((m) => m.probe.heapUsed);
  expect(afterSecond! - afterFirst!).toBeLessThan(16 * 1024 * 1024);
});
