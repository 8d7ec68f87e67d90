/** A fresh, migrated database for one test file, cloned from the template in milliseconds. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrisma, type Db } from "../../server/db/prisma.ts";
import { dbUrl, templateDb, testRunId, TEST_PG_ADMIN_URL } from "./test-env.ts";

export type TestDb = { name: string; url: string; db: Db; drop(): Promise<void> };

/** Runs `fn` on a connection to the test server's maintenance database. */
export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `chidao_t_<run>_<random>` from the migrated template and a Prisma client on it. */
export async function createTestDb(): Promise<TestDb> {
  const name = `chidao_t_${testRunId()}_${randomBytes(4).toString("hex")}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`));
      break;
    } catch (err) {
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const url = dbUrl(name);
  const db = createPrisma(url);
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
