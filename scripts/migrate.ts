/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from "../server/config/env.ts";
import { migrate } from "../server/db/migrate.ts";
import { startDatabase } from "../server/db/start-database.ts";

const config = loadConfig();
const db = await startDatabase(config);
const applied = await migrate(db.url);
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
await db.stop();
