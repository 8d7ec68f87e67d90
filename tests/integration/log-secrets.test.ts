/**
 * Secrets never reach the log, proved on real failures: the real grammY client and our Telegram
 * adapter against a closed loopback port, a server that resets the connection and one that never
 * answers; chidao's real process failing to start on such a Bot API; the bot's error boundary
 * when a reply cannot be sent; and the HTTP error handler on a 500. The log output is pino's real
 * JSON at level trace (or the process's real stdout and stderr), searched for every secret.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Api, type Bot } from "grammy";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramBot } from "../../bot/channels/telegram/create-telegram-bot.ts";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger, registerConfigSecrets } from "../../server/config/logger.ts";
import { createOrg, createProvince, createUserWithToken, linkTelegram } from "../helpers/factories.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";
import { freePort } from "../helpers/free-port.ts";
import { createTestApp } from "../helpers/test-app.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";

const root = path.resolve(import.meta.dirname, "../..");

// Shaped like the real thing: a bot id, then 35 characters.
const TOKEN = "7123456789:AAE_xK9fLmQ2-vTzP8rWcYdHbN4sJgU3oI7";
const TOKEN_SECRET = TOKEN.slice(TOKEN.indexOf(":") + 1);
const WEBHOOK_SECRET = "whsec_LogTest-7f3a9c2e11";
const DB_PASSWORD = "db-Pa55-w0rd-logs";
const REDIS_PASSWORD = "redis-Pa55-w0rd-logs";
const P12_PASSWORD = "p12-Pa55-w0rd-logs";
const LINK_CODE = randomBytes(16).toString("base64url");
const SECRETS = { TOKEN_SECRET, WEBHOOK_SECRET, DB_PASSWORD, REDIS_PASSWORD, P12_PASSWORD, LINK_CODE };

/** Fails the test naming the secret and showing where it leaked. */
function expectNoSecret(output: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    const at = output.indexOf(secret);
    expect(at, `${name} leaked: …${output.slice(Math.max(0, at - 200), at + 60)}…`).toBe(-1);
  }
}

/** A pino destination that keeps what it is given. */
function capture() {
  const chunks: string[] = [];
  return {
    write: (s: string) => void chunks.push(s),
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

type FailingServer = { kind: string; apiRoot: string; host: string | null; close(): Promise<void> };

/** Nothing listens: connect ECONNREFUSED. */
async function closedPort(): Promise<FailingServer> {
  const port = await freePort();
  return { kind: "closed port", apiRoot: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: async () => {} };
}

/** Accepts, reads the request, then resets the connection (TCP RST): ECONNRESET. */
async function resettingServer(): Promise<FailingServer> {
  const server = net.createServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return { kind: "connection reset", apiRoot: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** Accepts and never answers: the client's own timeout ends the request (it names no host). */
async function silentServer(): Promise<FailingServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    kind: "timeout",
    apiRoot: `http://127.0.0.1:${port}`,
    host: null,
    close: () => {
      for (const s of sockets) s.destroy();
      return closeServer(server);
    },
  };
}

function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
  // What startRuntime does first (its own test below proves it in a real process).
  registerConfigSecrets(
    loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, SIGNING_P12_PASSWORD: P12_PASSWORD }),
  );
});
afterAll(() => tdb.drop());

describe("the adapter's network failures, logged as the callers log them", () => {
  for (const make of [closedPort, resettingServer, silentServer]) {
    for (const sensitiveLogs of [false, true]) {
      it(`${make.name}${sensitiveLogs ? ", with grammY's sensitiveLogs (the URL in the message)" : ""}`, async () => {
        const server = await make();
        const out = capture();
        const log = createLogger("trace", out).child({ module: "delivery-worker" });
        const adapter = createTelegramAdapter(new Api(TOKEN, { apiRoot: server.apiRoot, timeoutSeconds: 1, sensitiveLogs }));
        const err = await adapter
          .sendDirective({ deliveryId: 1, directiveId: 1, chatId: "4242", title: "Kế hoạch", body: "Nội dung", issuerName: "Sở", deadline: null, requireAck: true })
          .then(
            () => null,
            (e: unknown) => e,
          );
        await server.close();
        expect(err, server.kind).toBeInstanceOf(Error);
        // Where the failure names the URL, the raw error holds the token: a scrubber that missed it would fail here.
        if (server.host) expect(JSON.stringify(rawTree(err))).toContain(TOKEN_SECRET);

        log.error({ err, deliveryId: 1 }, "delivery failed");
        log.warn(err as Error);
        log.trace({ cause: (err as Error).cause }, "cause alone");

        const text = out.text();
        expectNoSecret(text);
        const [first, second] = out.lines();
        expect(first).toMatchObject({ level: 50, module: "delivery-worker", deliveryId: 1, msg: "delivery failed", err: { type: "ChannelError" } });
        expect(String(second!.msg)).toContain("sendMessage");
        // Still useful: which call failed, where to, and why.
        expect(text).toContain("sendMessage");
        if (server.host) expect(text).toContain(server.host);
        expect(text).toMatch(server.kind === "timeout" ? /timed out/ : server.kind === "closed port" ? /ECONNREFUSED/ : /socket hang up|ECONNRESET/);
        if (server.host && server.kind !== "timeout") expect(text).toContain(`/bot7123456789:[REDACTED]/sendMessage`);
      });
    }
  }
});

/** Everything an error holds, with stacks and causes, as a plain tree (to prove the secret is there). */
function rawTree(e: unknown, depth = 0): unknown {
  if (depth > 6 || !(e instanceof Error)) return e instanceof Object ? String(e) : e;
  const own = Object.fromEntries(Object.keys(e).map((k) => [k, rawTree((e as unknown as Record<string, unknown>)[k], depth + 1)]));
  return { message: e.message, stack: e.stack, cause: rawTree(e.cause, depth + 1), ...own };
}

/**
 * A Bot API between chidao and the stand-in that passes the calls `passes` names and fails the
 * others: by resetting the connection, or by closing its port once the first call has passed (so
 * every later connection is refused).
 */
async function failingProxy(upstreamRoot: string, o: { passes: (method: string) => boolean; fail: "reset" | "close" }) {
  const upstream = new URL(upstreamRoot);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const method = req.url?.split("/").pop() ?? "";
    if (!o.passes(method)) return void req.socket.resetAndDestroy();
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
    if (o.fail === "close") {
      res.on("finish", () => {
        server.close();
        for (const s of sockets) s.destroy();
      });
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    apiRoot: `http://${host}`,
    host,
    close: () => {
      for (const s of sockets) s.destroy();
      return server.listening ? closeServer(server) : Promise.resolve();
    },
  };
}

describe("chidao's real process, when the Bot API fails after getMe", () => {
  // getMe passes (grammY retries it for ever otherwise); setMyCommands is logged as a warning and
  // setWebhook's failure stops the start-up: both carry grammY's HttpError wrapping the fetch error.
  for (const fail of ["close", "reset"] as const) {
    it(`${fail === "close" ? "port closed" : "connection reset"}: exits 1; the warning and the fatal line name the method and host, and no secret`, async () => {
      const tg = await startFakeTelegram({ token: TOKEN });
      const proxy = await failingProxy(tg.apiRoot, { passes: (m) => m === "getMe", fail });
      const dbUrl = new URL(tdb.url);
      // PostgreSQL trusts this connection, so the password is never checked: it only has to stay out of the log.
      dbUrl.password = DB_PASSWORD;
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|REDIS_URL|TELEGRAM_|PUBLIC_URL|ADMIN_|SIGNING_|DEBUG)/.test(k)));
      const env = {
        ...clean,
        NODE_ENV: "production",
        DATABASE_URL: dbUrl.toString(),
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `logs${randomBytes(3).toString("hex")}`,
        PORT: "0",
        LOG_LEVEL: "trace",
        CHIDAO_ROLE: "web",
        PUBLIC_URL: "https://chidao.example.vn",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: proxy.apiRoot,
        SIGNING_P12_PASSWORD: P12_PASSWORD,
        // grammY's own debug output goes to stderr: scrubbed too.
        DEBUG: "grammy*",
      };
      const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      proc.stdout.on("data", (d) => (stdout += d));
      proc.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
      await proxy.close();
      await tg.close();

      expect(code, stdout + stderr).toBe(1);
      expectNoSecret(stdout + stderr);
      const lines = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { level: number; msg: string; module?: string; err?: unknown });
      const warning = lines.find((l) => l.msg === "could not set the telegram command menu");
      const fatal = lines.find((l) => l.level === 60);
      expect(warning, stdout + stderr).toMatchObject({ level: 40, module: "telegram", err: { type: "HttpError" } });
      expect(JSON.stringify(warning)).toContain("setMyCommands");
      expect(fatal, stdout + stderr).toMatchObject({ msg: "chidao could not start", err: { type: "HttpError" } });
      const printed = JSON.stringify(fatal);
      expect(printed).toContain("setWebhook");
      expect(printed).toContain(proxy.host);
      expect(printed).toMatch(fail === "close" ? /ECONNREFUSED/ : /socket hang up|ECONNRESET/);
      expect(printed).toContain("/bot7123456789:[REDACTED]/setWebhook");
      expect(stderr).toContain("grammy:core");
    }, 60_000);
  }
});

describe("the bot's error boundary, when a reply cannot be sent", () => {
  let tg: FakeTelegram;
  let proxy: Awaited<ReturnType<typeof failingProxy>>;
  let bot: Bot;
  const out = capture();

  beforeAll(async () => {
    tg = await startFakeTelegram({ token: TOKEN });
    // Between the bot and the stand-in: everything passes, except that sending a message resets the connection.
    proxy = await failingProxy(tg.apiRoot, { passes: (m) => m !== "sendMessage", fail: "reset" });
    const apiRoot = proxy.apiRoot;
    bot = createTelegramBot({ token: TOKEN, apiRoot, db: tdb.db, logger: createLogger("trace", out) });
    await bot.init();
    await new Promise<void>((resolve, reject) => {
      bot.start({ allowed_updates: ["message", "callback_query"], onStart: () => resolve() }).catch(reject);
    });
  });
  afterAll(async () => {
    await bot.stop();
    await proxy.close();
    await tg.close();
  });

  it("logs the failure with the method and host, and neither the token nor the link code", async () => {
    const { principal } = await createOrg(tdb.db, { code: "LOGS1", name: "Trường THCS Nhật ký", kind: "SCHOOL", level: "THCS", principal: "Nguyễn Văn Nhật" });
    await tdb.db.linkCode.create({ data: { code: LINK_CODE, personId: principal!.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    tg.sendCommand(991_001, `/start ${LINK_CODE}`);
    const failed = await tg.waitFor(() => out.lines().find((l) => l.msg === "telegram handler failed"), 10_000);

    expect(failed).toMatchObject({ level: 50, module: "telegram-bot", chatId: 991_001, err: { type: "HttpError" } });
    const text = out.text();
    expectNoSecret(text);
    expect(JSON.stringify(failed)).toContain("sendMessage");
    expect(JSON.stringify(failed)).toContain(proxy.host);
    // The chat was linked before the reply failed: the boundary logged it, not a lost update.
    expect(await tdb.db.chatIdentity.count({ where: { personId: principal!.id } })).toBe(1);
  });
});

describe("the HTTP error handler on a 500", () => {
  it("logs the error, whose message holds a token and a Redis password, without them", async () => {
    const out = capture();
    const t = await createTestApp({
      logger: createLogger("trace", out),
      deliveries: {
        enqueue: async () => {
          throw new Error(`enqueue failed on redis://:${REDIS_PASSWORD}@10.0.0.5:6379/0 after https://api.telegram.org/bot${TOKEN}/sendMessage`);
        },
      },
    });
    try {
      await createProvince(t.db);
      const person = await t.db.person.findFirstOrThrow({ where: { organization: { code: "THPT1" } } });
      await linkTelegram(t.db, person.id, 5551);
      const { token } = await createUserWithToken(t.db);
      const auth = { Authorization: `Bearer ${token}`, Cookie: `session=${WEBHOOK_SECRET}` };
      const created = await request(t.app)
        .post("/api/v1/directives")
        .set(auth)
        .send({ title: "Chỉ đạo", body: "Nội dung", audience: { under: "SGD" } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const published = await request(t.app).post(`/api/v1/directives/${created.body.id}/publish`).set(auth);
      expect(published.status).toBe(500);

      const text = out.text();
      expectNoSecret(text);
      expect(text).not.toContain(token);
      const line = out.lines().find((l) => l.msg === "unhandled error");
      expect(line).toMatchObject({ level: 50, path: `/api/v1/directives/${created.body.id}/publish`, err: { type: "Error" } });
      const message = (line!.err as { message: string }).message;
      expect(message).toBe("enqueue failed on redis://:[REDACTED]@10.0.0.5:6379/0 after https://api.telegram.org/bot7123456789:[REDACTED]/sendMessage");
    } finally {
      await t.drop();
    }
  });
});
