import type { Db } from "../../db/prisma.ts";

/**
 * After a successful sign-in: deletes the counters that count consecutive failures (`reset`), and
 * takes the successful attempt back out of the windowed ones (`refund`), so those count failures only.
 */
export async function settleLoginAttempt(db: Db, { reset, refund }: { reset: { kind: string; key: string }[]; refund: { kind: string; key: string }[] }): Promise<void> {
  for (const { kind, key } of reset) await db.loginAttemptCounter.deleteMany({ where: { kind, key } });
  for (const { kind, key } of refund) {
    await db.$executeRaw`UPDATE "LoginAttemptCounter" SET count = GREATEST(count - 1, 0) WHERE kind = ${kind} AND key = ${key}`;
  }
}
