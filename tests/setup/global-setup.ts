/**
 * Builds this run's migrated template database, which every test file clones (CREATE DATABASE …
 * TEMPLATE), and removes it at the end. Databases of runs older than six hours are leftovers of
 * interrupted runs and are dropped; a run still going on in parallel keeps its own.
 */
import { randomBytes } from "node:crypto";
import { migrate } from "../../server/db/migrate.ts";
import { withAdmin } from "../helpers/test-db.ts";
import { dbUrl, templateDb } from "../helpers/test-env.ts";

const STALE_MS = 6 * 3600_000;

export default async function setup(): Promise<() => Promise<void>> {
  // <base36 start time><random>: workers inherit it through the environment.
  process.env.CHIDAO_TEST_RUN = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^chidao_(t|tpl)_' OR datname = 'chidao_test_template'");
    for (const { datname } of rows) {
      const run = /^chidao_(?:t|tpl)_([0-9a-z]{8,9})[0-9a-f]{4}/.exec(datname)?.[1];
      const started = run ? parseInt(run, 36) : 0;
      // Names from before run ids (or unparsable) and runs older than STALE_MS are leftovers.
      if (!run || Date.now() - started > STALE_MS) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${templateDb()}"`);
  });
  await migrate(dbUrl(templateDb()));
  return async () => {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${templateDb()}" WITH (FORCE)`));
  };
}
