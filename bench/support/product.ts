/**
 * The product as its users run it, for the benchmarks: a fresh PostgreSQL database, a queue prefix of
 * its own on Redis, the Telegram and Zalo OA stand-ins each in a process of its own, and chidao
 * itself (`node --import tsx server/main.ts`, which is what `npm start` runs) as child processes in
 * the "all" role or as separate web and worker processes. Everything is driven over HTTP, and
 * everything started here is stopped, and the database and queue keys dropped, by `cleanup()`, also
 * when the benchmark fails or is interrupted.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { signZaloOaEvent, type ZaloOaSigningKeys } from "../../tests/helpers/fake-zalo-oa.ts";
import { freePort } from "../../tests/helpers/free-port.ts";
import { dbUrl, TEST_PG_ADMIN_URL, TEST_REDIS_URL } from "../../tests/helpers/test-env.ts";
import { startChidaoProcess, type ChidaoProcess } from "../../tests/faults/support/chidao-process.ts";
import { wipeRedisPrefix } from "../../tests/faults/support/processes.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Things to undo at the end, newest first. */
const undo: { name: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | null = null;

/** Stops every process this module started and drops what it created; safe to call more than once. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const u of undo.splice(0).reverse()) {
      await u.run().catch((err: unknown) => console.error(`cleanup: ${u.name}: ${(err as Error).message}`));
    }
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** A fresh, empty database (chidao migrates it at start-up); dropped at cleanup. */
export async function freshDatabase(label: string): Promise<{ name: string; url: string; pool: pg.Pool }> {
  const name = `chidao_bench_${label}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = dbUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // The drop at cleanup ends idle connections from the server side: not an error here.
  pool.on("error", () => {});
  undo.push({
    name: `drop database ${name}`,
    run: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  });
  return { name, url, pool };
}

/** A queue prefix of this run's own on the machine's Redis; its keys are deleted at cleanup. */
export function freshQueuePrefix(label: string): string {
  const prefix = `bench_${label}_${randomBytes(3).toString("hex")}`;
  undo.push({ name: `wipe redis ${prefix}`, run: () => wipeRedisPrefix(TEST_REDIS_URL, prefix) });
  return prefix;
}

/** A child process spoken to over IPC: `ask(cmd)` → its answer. */
export type IpcChild<R> = { ready: R; ask<T>(cmd: string, extra?: object): Promise<T>; child: ChildProcess };

/** Forks a TypeScript module with tsx, waits for its `{ready: true, …}` message; killed at cleanup. */
export async function forkChild<R>(file: string, args: string[] = [], name = path.basename(file)): Promise<IpcChild<R>> {
  const child = fork(file, args, { execArgv: ["--import", "tsx"], cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  undo.push({
    name: `stop ${name}`,
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(timer);
    },
  });
  const ready = await new Promise<R>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { ready?: boolean }).ready) {
        child.off("message", onMessage);
        resolve(m as R);
      }
    };
    child.on("message", onMessage);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  child.on("message", (m) => {
    const msg = m as { id?: number; result?: unknown };
    if (msg.id !== undefined) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  });
  return {
    ready,
    child,
    ask: <T>(cmd: string, extra: object = {}) =>
      new Promise<T>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (v: unknown) => void);
        child.send({ id, cmd, ...extra });
      }),
  };
}

export type TelegramStandIn = IpcChild<{ apiRoot: string; token: string; username: string }>;
export type ZaloOaStandIn = IpcChild<ZaloOaSigningKeys & { apiBase: string; oauthBase: string; templateBase: string; accessToken: string; refreshToken: string }>;

/** Both stand-ins, each in its own process, recording counts only. */
export async function startStandIns(): Promise<{ telegram: TelegramStandIn; zalo: ZaloOaStandIn }> {
  const [telegram, zalo] = await Promise.all([
    forkChild<TelegramStandIn["ready"]>(path.join(ROOT, "tests/faults/support/fake-telegram-process.ts"), [JSON.stringify({ recordCalls: false })], "telegram stand-in"),
    forkChild<ZaloOaStandIn["ready"]>(path.join(ROOT, "bench/support/fake-zalo-oa-process.ts"), ["{}"], "zalo oa stand-in"),
  ]);
  return { telegram, zalo };
}

/** The environment that points chidao at the stand-ins, in webhook mode on `port`. */
export function productEnv(o: {
  databaseUrl: string;
  queuePrefix: string;
  port: number;
  telegram: TelegramStandIn;
  zalo: ZaloOaStandIn;
  extra?: Record<string, string>;
}): Record<string, string> {
  const z = o.zalo.ready;
  return {
    NODE_ENV: "production",
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: o.queuePrefix,
    PORT: String(o.port),
    PUBLIC_URL: `http://127.0.0.1:${o.port}`,
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    TELEGRAM_BOT_TOKEN: o.telegram.ready.token,
    TELEGRAM_API_ROOT: o.telegram.ready.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    ZALO_OA_ID: z.oaId,
    ZALO_OA_APP_ID: z.appId,
    ZALO_APP_SECRET: z.appSecret,
    ZALO_OA_SECRET_KEY: z.oaSecretKey,
    ZALO_OA_ACCESS_TOKEN: z.accessToken,
    ZALO_OA_REFRESH_TOKEN: z.refreshToken,
    ZALO_OA_API_BASE: z.apiBase,
    ZALO_OAUTH_BASE: z.oauthBase,
    ZALO_TEMPLATE_API_BASE: z.templateBase,
    ...o.extra,
  };
}

export const TELEGRAM_SECRET = "bench-telegram-webhook-secret";
export const BENCH_ADMIN = { email: "bench@sgd.example.vn", password: "a bench passphrase 2026" };

export type Chidao = { processes: ChidaoProcess[]; url: string; stop(): Promise<void> };

/**
 * Starts chidao on `port`: one process in the "all" role (what `npm start` runs), or with
 * `split` a web process and a worker process. Stopped gracefully (SIGTERM) at `stop()` or cleanup.
 */
export async function startChidao(env: Record<string, string>, o: { split?: boolean; logLevel?: string } = {}): Promise<Chidao> {
  const common = { ...env, LOG_LEVEL: o.logLevel ?? env.LOG_LEVEL ?? "info" };
  // BENCH_CPU_PROF=<dir>: each chidao process writes a V8 CPU profile there when it stops.
  const nodeArgs = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const processes: ChidaoProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  };
  undo.push({ name: "stop chidao", run: stop });
  // Readiness is read from the log: the default level must let the start-up lines through.
  const worker = { ready: (l: { msg?: string }) => l.msg === "delivery worker started", readyTimeoutMs: 120_000 };
  if (o.split) {
    processes.push(await startChidaoProcess({ role: "web", env: common, name: "web", nodeArgs, readyTimeoutMs: 120_000 }));
    processes.push(await startChidaoProcess({ role: "worker", env: { ...common, PORT: "0" }, name: "worker", nodeArgs, ...worker }));
  } else {
    processes.push(await startChidaoProcess({ role: "all", env: common, name: "chidao", nodeArgs, readyTimeoutMs: 120_000 }));
  }
  const url = processes[0]!.url;
  if (!url) throw new Error("chidao reported no URL");
  return { processes, url, stop };
}

export { freePort };

/** A JSON call to chidao's API; throws on an unexpected status. */
export async function api<T>(base: string, token: string | null, method: string, route: string, body?: unknown, o: { status?: number; contentType?: string } = {}): Promise<T> {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": o.contentType ?? "application/json" }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status !== (o.status ?? res.status) || res.status >= 400) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function pool<I>(items: readonly I[], concurrency: number, fn: (item: I, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Telegram chat ids and Zalo user ids of the seeded principals (Zalo ids exceed 2^53, as real ones do). */
export const telegramChatOf = (i: number): number => 700_000_000 + i;
export const zaloUserOf = (i: number): string => String(4_000_000_000_000_000_000n + BigInt(i));

export type SeededPrincipal = { personId: number; orgCode: string; channel: "TELEGRAM" | "ZALO_OA"; externalId: string };

/**
 * Seeds through the HTTP API, as an office would: signs in as the administrator, imports one Sở and
 * `n` schools with their principals (CSV), then links every principal as a person does: a link code
 * from `POST /people/:id/link-code`, sent back by webhook — "/start <code>" on Telegram for even
 * schools, the code in a signed `user_send_text` on the Zalo OA for odd ones. Returns the token and
 * the principals.
 */
export async function seedThroughApi(o: {
  base: string;
  n: number;
  telegram: TelegramStandIn;
  zalo: ZaloOaStandIn;
  concurrency?: number;
  /** BENCH_LINK=sql: chat identities written straight into the database instead of linked by code (quicker runs; not what users do). */
  linkInDb?: pg.Pool;
}): Promise<{ token: string; principals: SeededPrincipal[] }> {
  const { token } = await api<{ token: string }>(o.base, null, "POST", "/auth/token", { email: BENCH_ADMIN.email, password: BENCH_ADMIN.password });
  const rows = ["code,name,kind,level,parent_code,principal_name,principal_phone", "SGD,Sở Giáo dục và Đào tạo,department,,,,"];
  for (let i = 0; i < o.n; i++) rows.push(`S${i},Trường THCS số ${i},school,THCS,SGD,Hiệu trưởng ${i},`);
  const imported = await api<{ created: number; errors: unknown[] }>(o.base, token, "POST", "/orgs/import", rows.join("\n"), { contentType: "text/csv" });
  if (imported.errors.length) throw new Error(`import: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const people: { id: number; org_code: string }[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await api<{ id: number; org_code: string }[]>(o.base, token, "GET", `/people?limit=5000&offset=${offset}`);
    people.push(...page);
    if (page.length < 5000) break;
  }
  const principals: SeededPrincipal[] = people
    .filter((p) => /^S\d+$/.test(p.org_code))
    .map((p) => {
      const i = Number(p.org_code.slice(1));
      return i % 2 === 0
        ? { personId: p.id, orgCode: p.org_code, channel: "TELEGRAM" as const, externalId: String(telegramChatOf(i)) }
        : { personId: p.id, orgCode: p.org_code, channel: "ZALO_OA" as const, externalId: zaloUserOf(i) };
    });
  if (principals.length !== o.n) throw new Error(`expected ${o.n} principals, found ${principals.length}`);
  await o.zalo.ask("addUsers", { users: principals.filter((p) => p.channel === "ZALO_OA").map((p) => p.externalId) });
  if (o.linkInDb) {
    await o.linkInDb.query(
      `INSERT INTO "ChatIdentity" ("personId", channel, "externalId", "updatedAt") SELECT * FROM unnest($1::int[], $2::"Channel"[], $3::text[]) AS t(p, c, e), now()`,
      [principals.map((p) => p.personId), principals.map((p) => p.channel), principals.map((p) => p.externalId)],
    );
    return { token, principals };
  }
  const keys = o.zalo.ready;
  let updateId = 1;
  await pool(principals, o.concurrency ?? 20, async (p) => {
    const { code } = await api<{ code: string }>(o.base, token, "POST", `/people/${p.personId}/link-code`, {}, { status: 201 });
    let res: Response;
    if (p.channel === "TELEGRAM") {
      const chat = Number(p.externalId);
      const from = { id: chat, is_bot: false, first_name: `HT ${chat}`, language_code: "vi" };
      const text = `/start ${code}`;
      const update = {
        update_id: updateId++,
        message: { message_id: 1, from, chat: { id: chat, type: "private" }, date: Math.floor(Date.now() / 1000), text, entities: [{ type: "bot_command", offset: 0, length: 6 }] },
      };
      res = await fetch(`${o.base}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
        body: JSON.stringify(update),
      });
    } else {
      const { body, headers } = signZaloOaEvent(keys, zaloText(keys, p.externalId, code));
      res = await fetch(`${o.base}/webhooks/zalo-oa`, { method: "POST", headers, body });
    }
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`linking ${p.orgCode}: webhook answered ${res.status}`);
  });
  return { token, principals };
}

/** A person's text to the OA as Zalo posts it (a button press is a text carrying the payload). */
export function zaloText(keys: ZaloOaSigningKeys, userId: string, text: string): Record<string, unknown> {
  return {
    app_id: keys.appId,
    user_id_by_app: "9" + userId.slice(1),
    event_name: "user_send_text",
    timestamp: String(Date.now()),
    sender: { id: userId },
    recipient: { id: keys.oaId },
    message: { text, msg_id: randomBytes(16).toString("hex") },
  };
}

/** Creates and publishes a directive to every school; returns its id, recipients and the publish call's time. */
export async function publishToAll(base: string, token: string, title: string): Promise<{ id: number; recipients: number; publishMs: number }> {
  const { id } = await api<{ id: number }>(base, token, "POST", "/directives", {
    title,
    body: "Đề nghị các trường triển khai kế hoạch tự đánh giá và báo cáo về Sở trước ngày 30/11/2026.",
    audience: { under: "SGD", kinds: ["school"] },
  });
  const t = performance.now();
  const { recipients } = await api<{ recipients: number }>(base, token, "POST", `/directives/${id}/publish`);
  return { id, recipients, publishMs: performance.now() - t };
}

/** Polls the database until no delivery of `directiveId` is open; calls `onTick` with the open count. */
export async function waitDeliveriesFinal(db: pg.Pool, directiveId: number, onTick?: (open: number) => void): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Delivery" WHERE "directiveId" = $1 AND status IN ('QUEUED', 'SENDING', 'RETRYING')`, [directiveId]);
    const open = Number(rows[0]!.n);
    onTick?.(open);
    if (!open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The machine's load and CPUs, to print beside the figures (the machine is shared). */
export async function machineNote(): Promise<string> {
  const os = await import("node:os");
  const [a, b, c] = os.loadavg().map((x) => x.toFixed(2));
  return `${os.cpus().length} CPUs, load average ${a} / ${b} / ${c} (1 / 5 / 15 min)`;
}

/** CPU time (user + system, ms) a process has used so far (Linux /proc), 0 once gone. */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** Transactions committed and rolled back in `database` so far (PostgreSQL's statistics; each commit that wrote is a WAL flush). */
export async function transactions(db: pg.Pool, database: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`, [database]);
  return Number(rows[0]?.n ?? 0);
}
