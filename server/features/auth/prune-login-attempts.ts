import type { Db } from "../../db/prisma.ts";

/** Deletes sign-in counters whose window has ended (they would restart at 1 anyway). Returns how many. */
export async function pruneLoginAttempts(db: Db): Promise<number> {
  return db.$executeRaw`DELETE FROM "LoginAttemptCounter" WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')`;
}
