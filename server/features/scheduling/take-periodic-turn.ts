import type { Db } from "../../db/prisma.ts";

/**
 * Takes the turn to run the periodic job `name`, when it last ran at least `everyMs - toleranceMs`
 * ago (by the database's clock); false when another process ran it more recently. One conditional
 * upsert of one row, so any number of processes ticking on their own timers run the job about once
 * per `everyMs` between them, and the schedule lives where the deliveries live: losing Redis loses
 * no schedule. `toleranceMs` absorbs timer jitter so the process that ran last keeps its cadence.
 */
export async function takePeriodicTurn(db: Db, name: string, everyMs: number, toleranceMs: number): Promise<boolean> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    INSERT INTO "PeriodicRun" (name, "lastRunAt") VALUES (${name}, now())
    ON CONFLICT (name) DO UPDATE SET "lastRunAt" = now()
    WHERE "PeriodicRun"."lastRunAt" <= now() - ${Math.max(0, everyMs - toleranceMs)} * interval '1 millisecond'
    RETURNING name`;
  return rows.length === 1;
}
