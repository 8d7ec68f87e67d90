import type { Db, Prisma } from "../../db/prisma.ts";

/**
 * Turns the offsets of a published directive's steps into due dates: the end (23:59:59, Vietnam
 * time) of the day the offset after publication falls on, so "P30D" from a publication at 10:00
 * means the whole thirtieth day. Steps with a date keep it; running it again changes nothing.
 * Returns how many steps got a date.
 */
export async function fixStepDues(db: Db | Prisma.TransactionClient, directiveId: number): Promise<number> {
  return db.$executeRaw`
    UPDATE "ChecklistStep" s
    SET "dueAt" = ((date_trunc('day', ((d."publishedAt" AT TIME ZONE 'UTC') + s."offset"::interval) AT TIME ZONE 'Asia/Ho_Chi_Minh')
                    + interval '23:59:59') AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'UTC',
        "updatedAt" = now()
    FROM "Directive" d
    WHERE d.id = s."directiveId" AND s."directiveId" = ${directiveId}::int
      AND s."dueAt" IS NULL AND s."offset" IS NOT NULL AND d."publishedAt" IS NOT NULL`;
}
