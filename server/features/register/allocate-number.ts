import type { Prisma } from "../../db/generated/client.ts";

export type AllocateNumberOptions = { organizationId: number; year: number; series: string };

/**
 * Takes the next number of a register inside the caller's transaction.
 *
 * One statement creates the year's counter at 1 or increments it, and leaves the counter row locked
 * until the transaction ends: a concurrent issuer waits, and if this transaction rolls back the
 * increment goes with it and the next issuer receives the same number, so the register has no gap
 * (a sequence would burn the number; RELIABILITY §2.3, django-sequences' PostgreSQL path).
 */
export async function allocateNumber(tx: Prisma.TransactionClient, { organizationId, year, series }: AllocateNumberOptions): Promise<number> {
  const rows = await tx.$queryRaw<{ lastNumber: number }[]>`
    INSERT INTO "RegisterCounter" ("organizationId", year, series, "lastNumber", "updatedAt")
    VALUES (${organizationId}::int, ${year}::int, ${series}, 1, now())
    ON CONFLICT ("organizationId", year, series)
    DO UPDATE SET "lastNumber" = "RegisterCounter"."lastNumber" + 1, "updatedAt" = now()
    RETURNING "lastNumber"`;
  const n = rows[0]?.lastNumber;
  if (typeof n !== "number") throw new Error("register counter returned no number");
  return n;
}
