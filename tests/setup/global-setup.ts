/** Builds the migrated template database that every test file clones (CREATE DATABASE … TEMPLATE). */
import pg from "pg";
import { migrate } from "../../server/db/migrate.ts";
import { dbUrl, TEMPLATE_DB, TEST_PG_ADMIN_URL } from "../helpers/test-env.ts";

export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers of interrupted runs.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'chidao_t_%'");
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  await migrate(dbUrl(TEMPLATE_DB));
}
