import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getDirective, type DirectiveSummary } from "./get-directive.ts";

export type DirectiveProgress = DirectiveSummary & {
  /** People counts (a principal reached on two channels is one person). */
  people: { recipients: number; acknowledged: number; unreachable: number; pending: number };
};

/**
 * A directive's counts as the dashboard follows them live: deliveries by status, as
 * {@link getDirective} gives them, and people, which is what "acknowledged 40 of 52" means.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function getDirectiveProgress(db: Db, user: AuthUser, id: number): Promise<DirectiveProgress> {
  const summary = await getDirective(db, user, id);
  const rows = await db.$queryRaw<{ recipients: bigint; unreachable: bigint }[]>`
    SELECT count(DISTINCT "personId") AS recipients,
           count(DISTINCT "personId") FILTER (WHERE status = 'UNREACHABLE'
             AND NOT EXISTS (SELECT 1 FROM "Delivery" y WHERE y."directiveId" = ${id} AND y."personId" = "Delivery"."personId" AND y.status <> 'UNREACHABLE')) AS unreachable
    FROM "Delivery" WHERE "directiveId" = ${id}`;
  const recipients = Number(rows[0]?.recipients ?? 0);
  const acknowledged = summary.counts.acknowledged;
  const unreachable = Number(rows[0]?.unreachable ?? 0);
  return { ...summary, people: { recipients, acknowledged, unreachable, pending: Math.max(0, recipients - acknowledged - unreachable) } };
}
