/**
 * `npm start` with neither DATABASE_URL nor REDIS_URL runs everything on one machine: an embedded
 * PostgreSQL under DATA_DIR (kept across restarts) and BullMQ on its PostgreSQL backend.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childEnv } from "../helpers/child-env.ts";
import { freePort } from "../helpers/free-port.ts";

const root = path.resolve(import.meta.dirname, "../..");
let dataDir: string;
let child: ChildProcess | undefined;

async function start(env: Record<string, string>): Promise<{ proc: ChildProcess; logs: () => string }> {
  const childEnvironment = childEnv(env, ["DATABASE_URL", "REDIS_URL", "TELEGRAM_BOT_TOKEN", "PUBLIC_URL"]);
  const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: root, env: childEnvironment, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  return { proc, logs: () => out };
}

async function waitReady(url: string, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready in time:\n${logs()}`);
}

async function stop(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  proc.kill("SIGTERM");
  return exited;
}

afterAll(async () => {
  if (child) await stop(child);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("embedded default", () => {
  it("starts from nothing, serves the API, and keeps its data across a restart", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "chidao-embedded-"));
    const port = await freePort();
    const pgPort = await freePort();
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      ADMIN_EMAIL: "admin@sgd.example.vn",
      ADMIN_PASSWORD: "hoa-phuong-do-san-truong",
      LOG_LEVEL: "info",
    };
    const url = `http://127.0.0.1:${port}`;

    const first = await start(env);
    child = first.proc;
    await waitReady(url, first.logs);
    expect(first.logs()).toMatch(/"embedded":true/);
    expect(first.logs()).toMatch(/"queue":"postgres"/);
    const login = await fetch(`${url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@sgd.example.vn", password: "hoa-phuong-do-san-truong" }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    expect(await stop(first.proc)).toBe(0);

    // Second start: same data folder, no initialisation, the token still works.
    const second = await start(env);
    child = second.proc;
    await waitReady(url, second.logs);
    expect(second.logs()).not.toMatch(/migrations applied/);
    expect(second.logs()).not.toMatch(/first administrator created/);
    const me = await fetch(`${url}/api/v1/directives/1`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(404); // authenticated (not 401), and there is no directive 1 yet
    expect(await stop(second.proc)).toBe(0);
    child = undefined;
  }, 180_000);
});
