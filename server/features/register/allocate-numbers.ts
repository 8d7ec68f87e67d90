import type { Prisma } from "../../db/generated/client.ts";
import type { AllocateNumberOptions } from "./allocate-number.ts";

/**
 * Takes the next `count` numbers of a register at once, inside the caller's transaction, and
 * returns the first. The same statement as {@link allocateNumber} with a step of `count`: the
 * counter row stays locked until commit, a rollback gives every number back, and a batch of
 * certificates gets consecutive numbers however many other issuers wait.
 */
export async function allocateNumbers(tx: Prisma.TransactionClient, { organizationId, year, series, count }: AllocateNumberOptions & { count: number }): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`cannot take ${count} numbers`);
  const rows = await tx.$queryRaw<{ lastNumber: number }[]>`
    INSERT INTO "RegisterCounter" ("organizationId", year, series, "lastNumber", "updatedAt")
    VALUES (${organizationId}::int, ${year}::int, ${series}, ${count}::int, now())
    ON CONFLICT ("organizationId", year, series)
    DO UPDATE SET "lastNumber" = "RegisterCounter"."lastNumber" + ${count}::int, "updatedAt" = now()
    RETURNING "lastNumber"`;
  const last = rows[0]?.lastNumber;
  if (typeof last !== "number") throw new Error("register counter returned no number");
  return last - count + 1;
}
