/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from "../server/config/env.ts";
import { createLogger, registerConfigSecrets, registerUrlSecrets } from "../server/config/logger.ts";
import { migrate } from "../server/db/migrate.ts";
import { startDatabase } from "../server/db/start-database.ts";

const config = loadConfig();
registerConfigSecrets(config);
try {
  const db = await startDatabase(config);
  registerUrlSecrets(db.url);
  const applied = await migrate(db.url);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  await db.stop();
} catch (err) {
  // Not Node's raw print: a connection error may quote the database URL.
  createLogger("error").fatal({ err }, "migration failed");
  process.exit(1);
}
