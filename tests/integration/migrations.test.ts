/**
 * The migrations in prisma/migrations and prisma/schema.prisma describe the same database: one
 * database built by our migrator and one built from Prisma's own empty→schema diff (WebAssembly
 * schema engine) have identical `pg_dump --schema-only` output.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../server/db/migrate.ts";
import { diffSchemas } from "../../server/db/schema-engine.ts";
import { dbUrl, testRunId, TEST_PG_ADMIN_URL } from "../helpers/test-env.ts";

const A = `chidao_t_${testRunId()}_mig_a`;
const B = `chidao_t_${testRunId()}_mig_b`;

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
    for (const n of [A, B]) await sql(TEST_PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
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
});
