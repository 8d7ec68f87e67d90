/**
 * The migrations in prisma/migrations and prisma/schema.prisma describe the same database: one
 * database built by our migrator and one built from Prisma's own empty→schema diff (WebAssembly
 * schema engine) have identical `pg_dump --schema-only` output.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../../server/db/migrate.ts";
import { diffSchemas } from "../../server/db/schema-engine.ts";
import { dbUrl, testRunId, TEST_PG_ADMIN_URL } from "../helpers/test-env.ts";

const A = `chidao_t_${testRunId()}_mig_a`;
const B = `chidao_t_${testRunId()}_mig_b`;
const C = `chidao_t_${testRunId()}_mig_c`;

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function dump(name: string): string {
  const out = execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--exclude-table=_prisma_migrations", dbUrl(name)]).toString();
  // pg_dump prints a random \restrict key on newer clients; drop it and comments.
  return out
    .split("\n")
    .filter((l) => !l.startsWith("--") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
    .join("\n");
}

describe("migrations", () => {
  afterAll(async () => {
    for (const n of [A, B, C]) await sql(TEST_PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
  });

  it("build the database that schema.prisma describes", async () => {
    for (const n of [A, B]) {
      await sql(TEST_PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
      await sql(TEST_PG_ADMIN_URL, `CREATE DATABASE "${n}"`);
    }
    const applied = await migrate(dbUrl(A));
    expect(applied.length).toBe((await readMigrations()).length);
    expect(await migrate(dbUrl(A))).toEqual([]); // a second run applies nothing

    const schema = await readFile(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
    await sql(dbUrl(B), await diffSchemas(null, schema, dbUrl(B)));
    expect(dump(A)).toBe(dump(B));
  }, 120_000);

  it("record each migration in _prisma_migrations as prisma migrate deploy does", async () => {
    const c = new pg.Client({ connectionString: dbUrl(A) });
    await c.connect();
    const { rows } = await c.query("SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name");
    await c.end();
    const files = await readMigrations();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("turn existing deliveries into one logical delivery per principal with its attempts", async () => {
    await sql(TEST_PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${C}" WITH (FORCE)`);
    await sql(TEST_PG_ADMIN_URL, `CREATE DATABASE "${C}"`);
    // The database as it was before the change: every migration up to the one that adds attempts.
    const all = await readMigrations();
    const at = all.findIndex((m) => m.name.endsWith("_delivery_attempts"));
    expect(at).toBeGreaterThan(0);
    const dir = await mkdtemp(path.join(tmpdir(), "chidao-mig-"));
    try {
      for (const m of all.slice(0, at)) await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
      await migrate(dbUrl(C), dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Person 1 got the directive on Telegram (delivered, then acknowledged through the Zalo row) and
    // was unreachable on Zalo; person 2's delivery was still queued; person 3 had no chat.
    await sql(
      dbUrl(C),
      `INSERT INTO "Organization" (id, code, name, kind, "updatedAt") VALUES (1, 'S1', 'Trường 1', 'SCHOOL', now());
       INSERT INTO "Person" (id, name, "organizationId", "updatedAt") VALUES (1, 'A', 1, now()), (2, 'B', 1, now()), (3, 'C', 1, now());
       INSERT INTO "Audience" (id, "updatedAt") VALUES (1, now());
       INSERT INTO "Directive" (id, title, body, "audienceId", status, "updatedAt") VALUES (1, 'T', 'B', 1, 'PUBLISHED', now());
       INSERT INTO "Delivery" (id, "directiveId", "personId", "organizationId", channel, status, attempts, "platformMessageId", "externalChatId", "lastError", "sentAt", "updatedAt", "deliveredAt")
       VALUES (10, 1, 1, 1, 'ZALO_OA', 'UNREACHABLE', 1, NULL, 'z1', 'Zalo OA -213: not a follower', NULL, '2026-11-20 08:00:01', NULL),
              (11, 1, 1, 1, 'TELEGRAM', 'SENT', 1, 'm1', '71', NULL, '2026-11-20 08:00:00', '2026-11-20 08:00:00', NULL),
              (12, 1, 2, 1, 'TELEGRAM', 'QUEUED', 0, NULL, '72', NULL, NULL, '2026-11-20 08:00:00', NULL),
              (13, 1, 3, 1, 'TELEGRAM', 'UNREACHABLE', 0, NULL, NULL, 'no linked chat', NULL, '2026-11-20 08:00:00', NULL),
              (14, 1, 3, 1, 'ZALO_OA', 'UNREACHABLE', 0, NULL, NULL, 'no linked chat', NULL, '2026-11-20 08:00:00', '2026-11-20 09:00:00');
       INSERT INTO "Acknowledgement" ("directiveId", "personId", "deliveryId", channel, source, raw) VALUES (1, 1, 10, 'ZALO_OA', 'TEXT', 'da nhan');`,
    );
    expect(await migrate(dbUrl(C))).toEqual([all[at]!.name, ...all.slice(at + 1).map((m) => m.name)]);

    const c = new pg.Client({ connectionString: dbUrl(C) });
    await c.connect();
    try {
      const deliveries = await c.query(
        `SELECT id, "personId", channel::text, status::text, "platformMessageId", "deliveredAt" IS NOT NULL AS delivered FROM "Delivery" ORDER BY "personId"`,
      );
      expect(deliveries.rows).toEqual([
        { id: 11, personId: 1, channel: "TELEGRAM", status: "SENT", platformMessageId: "m1", delivered: false },
        { id: 12, personId: 2, channel: "TELEGRAM", status: "QUEUED", platformMessageId: null, delivered: false },
        { id: 13, personId: 3, channel: "TELEGRAM", status: "UNREACHABLE", platformMessageId: null, delivered: true },
      ]);
      const attempts = await c.query(
        `SELECT "deliveryId", channel::text, status::text, error, "messageKind"::text AS kind, billable, "platformMessageId" FROM "DeliveryAttempt" ORDER BY at, id`,
      );
      expect(attempts.rows).toEqual([
        { deliveryId: 11, channel: "TELEGRAM", status: "SENT", error: null, kind: "BOT_MESSAGE", billable: false, platformMessageId: "m1" },
        { deliveryId: 11, channel: "ZALO_OA", status: "UNREACHABLE", error: "Zalo OA -213: not a follower", kind: "CONSULTATION", billable: null, platformMessageId: null },
      ]);
      const acks = await c.query(`SELECT "deliveryId" FROM "Acknowledgement"`);
      expect(acks.rows).toEqual([{ deliveryId: 11 }]);
    } finally {
      await c.end();
    }
  }, 120_000);
});
