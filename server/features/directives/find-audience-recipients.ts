import type { Db, Prisma } from "../../db/prisma.ts";
import { selectOrgIds } from "../../db/org-tree-sql.ts";
import type { OrgKindDb, SchoolLevelDb } from "../../domain/org.ts";

export type AudienceFilter = { kinds: OrgKindDb[]; levels: SchoolLevelDb[]; underOrgId: number | null };

/**
 * The ids of the organisations an audience matches (a subquery): every organisation strictly below
 * `underOrgId` at any depth (or all, without it), of the given kinds and levels (an empty list means
 * any). Shared by counting and by publishing, so that what an officer is told is what is sent.
 */
export function audienceOrgIds(filter: AudienceFilter): Prisma.Sql {
  return selectOrgIds({ under: filter.underOrgId, includeRoot: false, kinds: filter.kinds, levels: filter.levels });
}

/** How many organisations and principals an audience reaches now. */
export async function countAudience(db: Db, filter: AudienceFilter): Promise<{ organizations: number; recipients: number }> {
  const rows = await db.$queryRaw<{ organizations: bigint; recipients: bigint }[]>`
    WITH audience_orgs AS (${audienceOrgIds(filter)})
    SELECT (SELECT count(*) FROM audience_orgs) AS organizations,
           (SELECT count(*) FROM "Person" p JOIN audience_orgs a ON a.id = p."organizationId" WHERE p.role = 'PRINCIPAL') AS recipients`;
  return { organizations: Number(rows[0]?.organizations ?? 0), recipients: Number(rows[0]?.recipients ?? 0) };
}
