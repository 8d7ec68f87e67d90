import type { Db } from "../../db/prisma.ts";

/** How one kind of sign-in counter behaves. */
export type LoginCounterRule = {
  /** Attempts allowed in a window; the attempt that makes the count exceed it is refused. */
  cap: number;
  windowMs: number;
  /**
   * Sliding: every allowed attempt pushes the window's end out again, so the count is of consecutive
   * attempts with less than `windowMs` between them, and the block lasts `windowMs` after the last
   * allowed one. Fixed: the window ends `windowMs` after its first attempt.
   */
  sliding: boolean;
};

/**
 * Counts one sign-in attempt against the counter (`kind`, `key`) in PostgreSQL and returns the count
 * including it. One `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement, so concurrent attempts
 * (in this process or any other web process) each get a distinct count and at most `cap` of them
 * see `count <= cap`. Times are the database's, so processes on machines with skewed clocks agree.
 */
export async function countLoginAttempt(db: Db, { kind, key, rule }: { kind: string; key: string; rule: LoginCounterRule }): Promise<{ count: number; retryAfterSeconds: number }> {
  // now() is the transaction's start time, the same in every expression of the update.
  const rows = await db.$queryRaw<{ count: number; retryAfterSeconds: number }[]>`
    INSERT INTO "LoginAttemptCounter" AS c (kind, key, count, "expiresAt")
    VALUES (${kind}, ${key}, 1, (now() AT TIME ZONE 'UTC') + ${rule.windowMs}::int * interval '1 millisecond')
    ON CONFLICT (kind, key) DO UPDATE SET
      count = CASE WHEN c."expiresAt" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE c.count + 1 END,
      "expiresAt" = CASE
        WHEN c."expiresAt" <= (now() AT TIME ZONE 'UTC') OR (${rule.sliding}::boolean AND c.count < ${rule.cap}::int) THEN EXCLUDED."expiresAt"
        ELSE c."expiresAt" END
    RETURNING count,
      -- The wait is measured from the clock, not now(): an attempt whose transaction began before the
      -- one that set "expiresAt" (it waited on the row lock) would otherwise announce more than the
      -- window. The 1 ms covers "expiresAt" being stored rounded to the millisecond.
      GREATEST(1, CEIL(EXTRACT(EPOCH FROM (c."expiresAt" - (clock_timestamp() AT TIME ZONE 'UTC'))) - 0.001))::int AS "retryAfterSeconds"`;
  const row = rows[0];
  if (!row) throw new Error("login attempt counter returned no row");
  return row;
}
