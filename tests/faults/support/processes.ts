/**
 * Real processes for the fault suite: chidao's web and worker roles as child processes running
 * server/main.ts (so a SIGKILL kills exactly what production would lose), the Bot API stand-in in a
 * process of its own, a test database cloned from the run's template, and a queue prefix of its own
 * on the machine's Redis. Scenarios break these and read the database and the stand-in's log.
 */
import { spawn, fork, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import { seedSchools } from "../../../bench/bench-db.ts";
import type { ChatEvent, FakeTelegramOptions } from "../../helpers/fake-telegram.ts";
import { createUserWithToken } from "../../helpers/factories.ts";
import { createTestDb, type TestDb } from "../../helpers/test-db.ts";
import { TEST_REDIS_URL } from "../../helpers/test-env.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export type StandInStats = { sent: number; rejected429: number; rejected403: number; rejectedOther: number; firstSentAt: number | null; lastSentAt: number | null };

/** The Bot API stand-in in its own process. */
export type StandIn = {
  apiRoot: string;
  token: string;
  username: string;
  stats(): Promise<StandInStats>;
  /** Every send per chat id, in order, as the stand-in answered it. */
  chatLog(): Promise<Map<string, ChatEvent[]>>;
  /** Recorded calls of one method (needs `recordCalls: true`). */
  calls(method: string): Promise<{ at: number; params: Record<string, unknown> }[]>;
  /** Principals press the acknowledge button of every message in these chats, `times` times each; returns the presses. */
  pressAcks(chats: string[], times: number): Promise<number>;
  close(): Promise<void>;
};

/** Starts the stand-in process (tests/faults/support/fake-telegram-process.ts). */
export async function startStandIn(options: FakeTelegramOptions = {}): Promise<StandIn> {
  const child = fork(path.join(import.meta.dirname, "fake-telegram-process.ts"), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<{ apiRoot: string; token: string; username: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { apiRoot: string; token: string; username: string }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`stand-in exited with ${code}`)));
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
  const ask = <T>(cmd: string, extra: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      child.send({ id, cmd, ...extra });
    });
  return {
    ...ready,
    stats: () => ask<StandInStats>("stats"),
    chatLog: async () => new Map(await ask<[string, ChatEvent[]][]>("chatLog")),
    calls: (method) => ask("calls", { method }),
    pressAcks: (chats, times) => ask("pressAcks", { chats, times }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send("close");
      }),
  };
}

export type Role = "web" | "worker";

/** One chidao process (server/main.ts) in a role. */
export type ChidaoProcess = {
  role: Role;
  name: string;
  pid: number;
  /** Base URL (web role). */
  url: string | null;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last lines it logged (pino JSON), for a failure message. */
  logs: string[];
  /** Lines at level error or above. */
  errors: string[];
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
};

const READY: Record<Role, string> = { web: "chidao is listening", worker: "delivery worker started" };

/** Spawns `node --import tsx server/main.ts` in `role` with `env`; resolves once it reports ready. */
export async function startChidao(role: Role, env: Record<string, string>, name: string = role): Promise<ChidaoProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    // Info at least: readiness is read from the log.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LOG_LEVEL: env.LOG_LEVEL === "debug" ? "debug" : "info", CHIDAO_ROLE: role },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const errors: string[] = [];
  // Every line also goes to a file, for reading after a failed run.
  const dir = path.join(tmpdir(), "chidao-faults", env.QUEUE_PREFIX ?? "default");
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(path.join(dir, `${name}.log`));
  child.stdout!.pipe(file);
  let url: string | null = null;
  let onReady: (() => void) | null = null;
  const keep = (line: string) => {
    logs.push(line);
    if (logs.length > 200) logs.shift();
  };
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      keep(line);
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; url?: string };
        if ((entry.level ?? 0) >= 50) errors.push(line);
        if (entry.msg === READY[role]) {
          url = entry.url ?? null;
          onReady?.();
        }
      } catch {
        // not JSON: kept as it is
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => keep(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 90 s:\n${logs.slice(-20).join("\n")}`)), 90_000);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${logs.slice(-20).join("\n")}`));
    });
  });
  return {
    role,
    name,
    pid: child.pid!,
    get url() {
      return url;
    },
    exited,
    logs,
    errors,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export type DeploymentOptions = {
  /** Schools, each with a principal linked to Telegram chat 100000 + person id. */
  recipients: number;
  standIn?: FakeTelegramOptions;
  /** Environment for every chidao process (SWEEP_INTERVAL_SECONDS, DELIVERY_LEASE_SECONDS, …). */
  env?: Record<string, string>;
};

/** A database, a queue prefix, the stand-in, and the means to start and watch chidao processes. */
export type Deployment = {
  db: TestDb["db"];
  prefix: string;
  standIn: StandIn;
  env: Record<string, string>;
  /** Where each process's log is written. */
  logDir: string;
  processes: ChidaoProcess[];
  start(role: Role, extraEnv?: Record<string, string>, name?: string): Promise<ChidaoProcess>;
  /** Bearer header of an administrator. */
  auth: Record<string, string>;
  /** Creates a directive to every school through the API of `web`; returns its id. */
  createDirective(web: ChidaoProcess, title: string): Promise<number>;
  /** Deliveries of `directiveId` not yet final. */
  open(directiveId: number): Promise<number>;
  /** Waits until no delivery of `directiveId` is open; returns the ms it took (throws after `timeoutMs`). */
  settled(directiveId: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
};

/** Builds a deployment: cloned database seeded with `recipients` schools, stand-in process, unique prefix. */
export async function startDeployment(o: DeploymentOptions): Promise<Deployment> {
  const testDb = await createTestDb();
  await seedSchools(testDb.db, o.recipients);
  const { token } = await createUserWithToken(testDb.db);
  const standIn = await startStandIn(o.standIn);
  const prefix = `f${randomBytes(4).toString("hex")}`;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: testDb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: "0",
    TELEGRAM_BOT_TOKEN: standIn.token,
    TELEGRAM_API_ROOT: standIn.apiRoot,
    TELEGRAM_RATE_LIMIT: "0",
    SWEEP_INTERVAL_SECONDS: "2",
    DELIVERY_LEASE_SECONDS: "3",
    ...o.env,
  };
  const processes: ChidaoProcess[] = [];
  // Starts still in progress: close() waits for them, or a process would outlive its scenario.
  const starting = new Set<Promise<ChidaoProcess>>();
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const open = (directiveId: number) => testDb.db.delivery.count({ where: { directiveId, status: { in: ["QUEUED", "SENDING", "RETRYING"] } } });
  return {
    db: testDb.db,
    prefix,
    standIn,
    env,
    logDir: path.join(tmpdir(), "chidao-faults", prefix),
    processes,
    auth,
    async start(role, extraEnv = {}, name) {
      const started = startChidao(role, { ...env, ...extraEnv }, name ?? `${role}-${processes.length + 1}`);
      starting.add(started);
      try {
        const p = await started;
        processes.push(p);
        return p;
      } finally {
        starting.delete(started);
      }
    },
    async createDirective(web, title) {
      const res = await fetch(`${web.url}/api/v1/directives`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ title, body: "Đề nghị các trường triển khai và báo cáo về Sở.", audience: { under: "SGD", kinds: ["school"] } }),
      });
      if (res.status !== 201) throw new Error(`create directive: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    },
    open,
    async settled(directiveId, timeoutMs) {
      const start = Date.now();
      for (;;) {
        const n = await open(directiveId);
        if (!n) return Date.now() - start;
        if (Date.now() - start > timeoutMs) throw new Error(`directive ${directiveId}: ${n} deliveries still open after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await Promise.all([...starting].map((p) => p.catch(() => null)));
      await Promise.all(processes.map((p) => p.kill("SIGKILL")));
      await standIn.close();
      await wipeRedisPrefix(TEST_REDIS_URL, prefix);
      await testDb.drop();
    },
  };
}

/** Deletes every key under `prefix:` (a Redis that lost this deployment's data; other tenants keep theirs). */
export async function wipeRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** Publishes through `web`; resolves with the HTTP status (or 0 when the connection died). */
export async function publish(web: ChidaoProcess, auth: Record<string, string>, directiveId: number): Promise<number> {
  try {
    const res = await fetch(`${web.url}/api/v1/directives/${directiveId}/publish`, { method: "POST", headers: auth });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** A table of figures, printed at the end of a scenario. */
export function printFigures(title: string, rows: Record<string, string | number>): void {
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  console.log(
    `\n${title}\n${Object.entries(rows)
      .map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
      .join("\n")}\n`,
  );
}
