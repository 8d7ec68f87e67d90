import type { Db, Prisma } from "../../db/prisma.ts";
import { Prisma as P } from "../../db/generated/client.ts";
import { selectOrgIds } from "../../db/org-tree-sql.ts";

/**
 * The schools of a directive's programme, as a subquery of organisation ids: the organisations of
 * its audience (read from the directive's row, so this is what publishing sent to) that have a
 * principal, whom publishing reaches. The audience is read first so the subtree is walked once,
 * not once per organisation; an unknown directive gives an empty selection.
 */
export async function programmeSchoolIds(db: Db | Prisma.TransactionClient, directiveId: number): Promise<P.Sql> {
  const rows = await db.$queryRaw<{ kinds: string[]; levels: string[]; underOrgId: number | null }[]>`
    SELECT a.kinds::text[] AS kinds, a.levels::text[] AS levels, a."underOrgId" FROM "Directive" d JOIN "Audience" a ON a.id = d."audienceId" WHERE d.id = ${directiveId}::int`;
  const a = rows[0];
  if (!a) return P.sql`SELECT NULL::int AS id WHERE FALSE`;
  return P.sql`
    SELECT s.id FROM (${selectOrgIds({ under: a.underOrgId, kinds: a.kinds, levels: a.levels })}) s
    WHERE EXISTS (SELECT 1 FROM "Person" p WHERE p."organizationId" = s.id AND p.role = 'PRINCIPAL')`;
}
