import type { Db } from "../../db/prisma.ts";
import type { OrgKindDb, SchoolLevelDb } from "../../domain/org.ts";

export type AudienceFilter = { kinds: OrgKindDb[]; levels: SchoolLevelDb[]; underOrgId: number | null };

/**
 * SQL (as a fragment over a CTE named `audience_orgs`) that selects the organisations an audience
 * matches: every organisation strictly below `underOrgId` at any depth (or all, without it), of the
 * given kinds and levels (an empty list means any). Shared by counting and by publishing.
 */
export function audienceOrgsCte(filter: AudienceFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.kinds, filter.levels];
  const kindLevel = `(cardinality($1::"OrgKind"[]) = 0 OR o.kind = ANY($1::"OrgKind"[]))
    AND (cardinality($2::"SchoolLevel"[]) = 0 OR o.level = ANY($2::"SchoolLevel"[]))`;
  if (filter.underOrgId === null) {
    return { sql: `audience_orgs AS (SELECT o.id FROM "Organization" o WHERE ${kindLevel})`, params };
  }
  params.push(filter.underOrgId);
  return {
    sql: `sub AS (
        SELECT id FROM "Organization" WHERE "parentId" = $3
        UNION
        SELECT o.id FROM "Organization" o JOIN sub ON o."parentId" = sub.id
      ),
      audience_orgs AS (SELECT o.id FROM "Organization" o JOIN sub ON sub.id = o.id WHERE ${kindLevel})`,
    params,
  };
}

/** How many organisations and principals an audience reaches now. */
export async function countAudience(db: Db, filter: AudienceFilter): Promise<{ organizations: number; recipients: number }> {
  const cte = audienceOrgsCte(filter);
  const rows = await db.$queryRawUnsafe<{ organizations: bigint; recipients: bigint }[]>(
    `WITH RECURSIVE ${cte.sql}
     SELECT (SELECT count(*) FROM audience_orgs) AS organizations,
            (SELECT count(*) FROM "Person" p JOIN audience_orgs a ON a.id = p."organizationId" WHERE p.role = 'PRINCIPAL') AS recipients`,
    ...cte.params,
  );
  return { organizations: Number(rows[0]?.organizations ?? 0), recipients: Number(rows[0]?.recipients ?? 0) };
}
